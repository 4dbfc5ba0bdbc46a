//! The form, one section per file.

pub mod airgap;
pub mod apply;
pub mod auth;
pub mod cards;
pub mod daemon;
mod endpoint;
pub mod export;
pub mod harbor;
pub mod import;
pub mod registries;
pub mod statecode;
pub mod target;
pub mod tls;

use yew::prelude::*;

use crate::fields::Ctx;
use crate::state::Section;

/// The open section's form. Each section is a function of the state giving the body's contents (what Harbor and
/// the air-gap bring back when turned on again is in the state too). Keyed by the section, so opening another one replaces the body instead of patching one form into
/// another (inputs, and the text a `ParsedField` keeps, never carry over).
pub fn section_body(ctx: &Ctx) -> Html {
    let body = match ctx.section {
        Section::Target => target::section(ctx),
        Section::Registries => registries::section(ctx),
        Section::Harbor => harbor::section(ctx),
        Section::AirGap => airgap::section(ctx),
        Section::Auth => auth::section(ctx),
        Section::Tls => tls::section(ctx),
        Section::Daemon => daemon::section(ctx),
        Section::Apply => apply::section(ctx),
    };
    html! { <div class="section-body" key={ctx.section.key()}>{ body }</div> }
}
