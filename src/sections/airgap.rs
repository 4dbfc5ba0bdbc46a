//! Air-gap: every pull goes to one private registry (spec §4), plus the sandbox (pause) image pods need to start.

use ccb_core::edit::{missing_air_gap_namespaces, AirGapField, Edit};
use ccb_core::model::{AirGap, SEED_AIR_GAP_NAMESPACES};
use ccb_core::version::Feature;
use yew::prelude::*;

use crate::widgets::{focus_soon, list_sep, ParsedField, remove_button};
use crate::fields::{field_id, use_ctx, CheckField, FieldMessages, TextField};
use crate::i18n::{t, tf};
use crate::state::{edit, Action, Section};

/// The pause image the suggestions use (containerd 2.x's default tag).
const PAUSE: &str = "pause:3.10";

/// host[:port] of the air-gap registry URL, when it has one.
fn registry_host(url: &str) -> Option<String> {
    ccb_core::net::parse_url(url.trim()).ok().map(|u| u.host_port).filter(|h| !h.is_empty())
}

#[derive(Properties, PartialEq)]
struct NamespaceProps {
    i: usize,
}

#[function_component(NamespaceRow)]
fn namespace_row(p: &NamespaceProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let i = p.i;
    let Some(value) = ctx.project.air_gap.as_ref().and_then(|a| a.namespaces.get(i)).cloned() else { return html! {} };
    let path = format!("air_gap.namespaces[{i}]");
    let on_input = {
        let ctx = ctx.clone();
        Callback::from(move |value: String| edit(&ctx, Edit::SetAirGapNamespace { index: i, value }))
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, Edit::RemoveAirGapNamespace { index: i }))
    };
    let label = tf(lang, "airgap.remove_namespace", &[("name", if value.trim().is_empty() { "…" } else { value.trim() })]);
    html! {
        <li class="row">
            <ParsedField path={path.clone()} label="airgap.namespace" value={value.clone()} normalize={Callback::from(Some)}
                on_input={on_input} placeholder="docker.io"
                suggestions={SEED_AIR_GAP_NAMESPACES.iter().map(|s| AttrValue::from(*s)).collect::<Vec<_>>()} />
            { remove_button(&path, &label, remove) }
        </li>
    }
}

/// The sandbox image: needed by every pod, so it is shown whether or not the air-gap is on.
#[function_component(SandboxImage)]
fn sandbox_image() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let on_input = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| edit(&ctx, Edit::SetSandboxImage(v)))
    };
    let mut suggestions: Vec<AttrValue> = Vec::new();
    if let Some(host) = ctx.project.air_gap.as_ref().and_then(|a| registry_host(&a.registry)) {
        suggestions.push(format!("{host}/{PAUSE}").into());
    }
    suggestions.push(format!("registry.k8s.io/{PAUSE}").into());
    let key = if ctx.project.target.config_version() >= 3 { t(lang, "airgap.sandbox_key_2x") } else { t(lang, "airgap.sandbox_key_1x") };
    html! {
        <section class="card" aria-labelledby="sandbox-title">
            <div class="card-head"><h3 id="sandbox-title">{ t(lang, "airgap.sandbox_title") }</h3></div>
            <p class="small">{ t(lang, "airgap.sandbox_explain") }</p>
            <ParsedField path="sandbox_image" label="airgap.sandbox_image" hint="airgap.sandbox_hint"
                value={ctx.project.sandbox_image.clone().unwrap_or_default()} normalize={Callback::from(Some)} on_input={on_input}
                placeholder={format!("registry.internal:5000/{PAUSE}")} suggestions={suggestions} />
            <p class="muted small">{ key }</p>
        </section>
    }
}

#[function_component(AirGapSection)]
pub fn section() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    // Turning the air-gap off and on again brings back what was there (until the page is reloaded).
    let stash = use_mut_ref(|| None::<AirGap>);
    let on_enable = {
        let ctx = ctx.clone();
        let stash = stash.clone();
        Callback::from(move |on: bool| {
            if on {
                let restore = stash.borrow_mut().take().map(Box::new);
                edit(&ctx, Edit::EnableAirGap { restore });
                focus_soon(field_id("air_gap.registry"));
            } else {
                *stash.borrow_mut() = ctx.project.air_gap.clone();
                edit(&ctx, Edit::DisableAirGap);
            }
        })
    };
    let body = match ctx.project.air_gap.clone() {
        None => html! { <p class="muted">{ t(lang, "airgap.off") }</p> },
        Some(a) => {
            let on_registry = {
                let ctx = ctx.clone();
                Callback::from(move |v: String| edit(&ctx, Edit::SetAirGap(AirGapField::Registry(v))))
            };
            let on_fallback = {
                let ctx = ctx.clone();
                Callback::from(move |v: bool| edit(&ctx, Edit::SetAirGap(AirGapField::FallbackToUpstream(v))))
            };
            let add = {
                let ctx = ctx.clone();
                Callback::from(move |_| {
                    let i = ctx.project.air_gap.as_ref().map(|a| a.namespaces.len()).unwrap_or(0);
                    edit(&ctx, Edit::AddAirGapNamespace);
                    focus_soon(field_id(&format!("air_gap.namespaces[{i}]")));
                })
            };
            let missing = missing_air_gap_namespaces(&a.namespaces);
            let fill = {
                let ctx = ctx.clone();
                Callback::from(move |_| edit(&ctx, Edit::AddCommonAirGapNamespaces))
            };
            let to_tls = {
                let ctx = ctx.clone();
                Callback::from(move |_| ctx.dispatch(Action::SetSection(Section::Tls)))
            };
            let default_dir = if ctx.project.target.all_support(Feature::DefaultHostsDir) {
                t(lang, "airgap.default_all")
            } else if ctx.project.target.any_support(Feature::DefaultHostsDir) {
                t(lang, "airgap.default_some")
            } else {
                t(lang, "airgap.default_none")
            };
            let n = a.namespaces.len();
            let list = field_id("air_gap.namespaces");
            html! {
                <>
                    <TextField path="air_gap.registry" label="airgap.registry" hint="airgap.registry_hint" value={a.registry.clone()}
                        placeholder="https://registry.internal:5000" on_input={on_registry} />
                    <CheckField path="air_gap.fallback_to_upstream" label="airgap.fallback" hint="airgap.fallback_hint"
                        checked={a.fallback_to_upstream} on_change={on_fallback} />
                    <div class="field" id={list.clone()} tabindex="-1" role="group" aria-labelledby="airgap-namespaces-title">
                        <h3 id="airgap-namespaces-title">{ t(lang, "airgap.namespaces") }</h3>
                        <p class="hint">{ t(lang, "airgap.namespaces_hint") }{ " " }{ default_dir }</p>
                        if n > 0 {
                            <ul>{ for (0..n).map(|i| html! { <NamespaceRow key={i} {i} /> }) }</ul>
                        }
                        <FieldMessages path="air_gap.namespaces" />
                        <div class="row">
                            <button type="button" id={format!("{list}-add")} onclick={add}>{ t(lang, "airgap.add_namespace") }</button>
                            <button type="button" id={format!("{list}-seed")} onclick={fill} disabled={missing.is_empty()}>
                                { tf(lang, "airgap.fill_seed", &[("names", &SEED_AIR_GAP_NAMESPACES.join(list_sep(lang)))]) }
                            </button>
                        </div>
                    </div>
                    <p class="note">{ t(lang, "airgap.import_note") }</p>
                    <p class="note">
                        { t(lang, "airgap.tls_note") }{ " " }
                        <button type="button" class="link" onclick={to_tls}>{ t(lang, "airgap.to_tls") }</button>
                    </p>
                </>
            }
        }
    };
    html! {
        <div class="section-body">
            <p class="intro">{ t(lang, "airgap.intro") }</p>
            <CheckField path="air_gap" label="airgap.enable" hint="airgap.enable_hint" checked={ctx.project.air_gap.is_some()} on_change={on_enable} />
            { body }
            <SandboxImage />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_suggestion_uses_the_registry_host() {
        assert_eq!(registry_host("https://registry.internal:5000").as_deref(), Some("registry.internal:5000"));
        assert_eq!(registry_host("registry.internal"), None);
    }
}
