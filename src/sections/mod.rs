//! The form, one section per file.

pub mod airgap;
pub mod apply;
pub mod auth;
pub mod daemon;
mod endpoint;
pub mod harbor;
pub mod registries;
pub mod statecode;
pub mod target;
pub mod tls;

use yew::prelude::*;

use crate::state::Section;

#[derive(Properties, PartialEq)]
pub struct SectionProps {
    pub section: Section,
}

#[function_component(SectionBody)]
pub fn section_body(p: &SectionProps) -> Html {
    match p.section {
        Section::Target => html! { <target::TargetSection /> },
        Section::Registries => html! { <registries::RegistriesSection /> },
        Section::Harbor => html! { <harbor::HarborSection /> },
        Section::AirGap => html! { <airgap::AirGapSection /> },
        Section::Auth => html! { <auth::AuthSection /> },
        Section::Tls => html! { <tls::TlsSection /> },
        Section::Daemon => html! { <daemon::DaemonSection /> },
        Section::Apply => html! { <apply::ApplySection /> },
    }
}
