//! The TLS section (being written).

use ccb_core::model::{Project, Tls};
use yew::prelude::*;

fn count(tls: &Tls) -> usize {
    tls.ca.len() + tls.client.len() + usize::from(tls.skip_verify)
}

/// How many TLS settings the project has (CAs, client certificates, skip_verify), over every endpoint.
pub fn tls_settings_count(p: &Project) -> usize {
    p.registries.iter().flat_map(|r| r.endpoints.iter()).map(|e| count(&e.tls)).sum::<usize>()
        + p.harbor.as_ref().map(|h| count(&h.tls)).unwrap_or(0)
        + p.air_gap.as_ref().map(|a| count(&a.tls)).unwrap_or(0)
}

#[function_component(TlsSection)]
pub fn section() -> Html {
    html! { <div class="section-body"></div> }
}
