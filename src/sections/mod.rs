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
pub mod split;
pub mod statecode;
pub mod target;
pub mod tls;

use yew::prelude::*;

use crate::fields::Ctx;
use crate::state::Section;

/// The open section's form. Each section is a function of the state giving the body's contents (what Harbor and
/// the air-gap bring back when turned on again is in the state too). Keyed by the section, so opening another one replaces the body instead of patching one form into
/// another (inputs, and the text a `ParsedField` keeps, never carry over). The page opens on Registries (and shows
/// the target line above the tabs): its list of registries is in the first download; the other forms, and an open
/// registry card's fields, come from the split-off module [`split`] fetched right after the first render.
pub fn section_body(ctx: &Ctx) -> Html {
    let body = match ctx.section {
        Section::Registries => registries::section(ctx),
        _ => split::section(ctx),
    };
    html! { <div class="section-body" key={ctx.section.key()}>{ body }</div> }
}

/// The forms of the split-off module (reached only through [`split`]'s split point, so their code leaves the first
/// download; `wasm_split_cli` does not split data: their English texts are a text module of their own,
/// `i18n::load_forms_en`, and the rest of their data stays in the main module).
fn later_section(ctx: &Ctx) -> Html {
    match ctx.section {
        Section::Target => target::section(ctx),
        Section::Harbor => harbor::section(ctx),
        Section::AirGap => airgap::section(ctx),
        Section::Auth => auth::section(ctx),
        Section::Tls => tls::section(ctx),
        Section::Daemon => daemon::section(ctx),
        Section::Apply => apply::section(ctx),
        Section::Registries => Html::default(),
    }
}
