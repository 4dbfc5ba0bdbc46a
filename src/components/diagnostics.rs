//! What the core says about the project: severity, field path and message, plus whether it can be installed.

use ccb_core::{Diagnostic, Lang, Rendered};
use yew::prelude::*;

use super::Shared;

#[derive(Properties, PartialEq)]
pub struct DiagnosticListProps {
    pub rendered: Shared<Rendered>,
    pub lang: Lang,
    /// The editor's text does not parse, so these belong to the last valid project.
    pub stale: bool,
}

/// The bundle's diagnostics (those about the project as a whole); each file lists its own under it.
#[function_component(DiagnosticList)]
pub fn diagnostic_list(props: &DiagnosticListProps) -> Html {
    let rendered = &props.rendered;
    let (class, status) =
        if rendered.installable { ("ok", "installable") } else { ("blocked", "not installable") };

    html! {
        <section class={classes!("diagnostics", props.stale.then_some("stale"))} aria-label="Diagnostics">
            <h2>
                { format!("Diagnostics ({})", rendered.diagnostics.len()) }
                <span id="installable" class={classes!("status", class)}>{ status }</span>
            </h2>
            if rendered.diagnostics.is_empty() {
                <p class="empty">{ "No findings." }</p>
            } else {
                { diagnostic_items(&rendered.diagnostics, props.lang) }
            }
        </section>
    }
}

/// A list of diagnostics, in the order the core gave them.
pub fn diagnostic_items(diags: &[Diagnostic], lang: Lang) -> Html {
    html! {
        <ul class="diagnostic-list">
            { for diags.iter().map(|d| diagnostic_item(d, lang)) }
        </ul>
    }
}

fn diagnostic_item(d: &Diagnostic, lang: Lang) -> Html {
    let severity = d.severity.as_str();
    let path = if d.path.is_empty() { "(project)".to_string() } else { d.path.clone() };
    html! {
        <li class={classes!("diagnostic", severity)} data-code={d.code}>
            <span class="severity">{ severity }</span>
            <code class="field">{ path }</code>
            <span class="message">{ d.message.get(lang).to_string() }</span>
        </li>
    }
}
