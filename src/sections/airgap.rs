//! Air-gap: every pull goes to one private registry (spec §4), plus the sandbox (pause) image pods need to start.

use ccb_core::edit::{missing_air_gap_namespaces, AirGapField, Edit};
use ccb_core::model::SEED_AIR_GAP_NAMESPACES;
use ccb_core::version::Feature;
use yew::prelude::*;

use crate::fields::{button, check_field, field_id, field_messages, on_add, on_toggle, para, suffixed, Ctx, div, headed_card};
use crate::i18n::{t, tf};
use crate::state::Section;
use crate::widgets::rows::{item_parsed, ItemParsed, on_value, on_value_at, path_at, text_row, TextRow};
use crate::widgets::{intro, list_sep, on_click_edit, remove_button, section_link};

/// The pause image the suggestions use (containerd 2.x's default tag).
const PAUSE: &str = "pause:3.10";
/// The sandbox image field's placeholder: the pause image in a private registry.
const PAUSE_EXAMPLE: &str = "registry.internal:5000/pause:3.10";

static REGISTRY: TextRow = TextRow { path: "air_gap.registry", label: "airgap.registry", hint: Some("airgap.registry_hint"),
    placeholder: "https://registry.internal:5000", get: |p| p.air_gap.as_ref().map(|a| a.registry.as_str()), set: |v| Edit::SetAirGap(AirGapField::Registry(v)) };

static NAMESPACE: ItemParsed = ItemParsed::plain("", "airgap.namespace", "docker.io");
static SANDBOX: ItemParsed = ItemParsed { hint: Some("airgap.sandbox_hint"), ..ItemParsed::plain("", "airgap.sandbox_image", PAUSE_EXAMPLE) };

/// host[:port] of the air-gap registry URL, when it has one.
fn registry_host(url: &str) -> Option<String> {
    ccb_core::net::parse_url(url.trim()).ok().map(|u| u.host_port).filter(|h| !h.is_empty())
}

/// Namespace `i` of the air-gap's list (keyed by `i`).
fn namespace_row(ctx: &Ctx, i: usize, value: &str, suggestions: &[AttrValue]) -> Html {
    let lang = ctx.lang;
    let path = path_at("air_gap.namespaces[", i, "]");
    let on_input = on_value_at(ctx, i, |index, value| Edit::SetAirGapNamespace { index, value });
    let remove = on_click_edit(ctx, Edit::RemoveAirGapNamespace { index: i });
    let label = tf(lang, "airgap.remove_namespace", &[("name", if value.trim().is_empty() { "…" } else { value.trim() })]);
    html! {
        <li class="row" key={i}>
            { item_parsed(&path, &NAMESPACE, value.to_string(), suggestions.to_vec(), on_input) }
            { remove_button(&path, &label, remove) }
        </li>
    }
}

/// The sandbox image: needed by every pod, so it is shown whether or not the air-gap is on.
fn sandbox_image(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let on_input = on_value(ctx, Edit::SetSandboxImage);
    let mut suggestions: Vec<AttrValue> = Vec::new();
    if let Some(host) = ctx.project.air_gap.as_ref().and_then(|a| registry_host(&a.registry)) {
        suggestions.push([&*host, "/", PAUSE].concat().into());
    }
    suggestions.push(["registry.k8s.io/", PAUSE].concat().into());
    let key = if ctx.project.target.config_version() >= 3 { t(lang, "airgap.sandbox_key_2x") } else { t(lang, "airgap.sandbox_key_1x") };
    html! {
        { headed_card(lang, "sandbox-title", "airgap.sandbox_title", html! { <>
            { para("small", "", t(lang, "airgap.sandbox_explain").into()) }
            { item_parsed("sandbox_image", &SANDBOX, ctx.project.sandbox_image.clone().unwrap_or_default(), suggestions, on_input) }
            <p class="muted small">{ key }</p>
        </> }) }
    }
}

/// The air-gap section. Turning it off and on again brings back what was there: the state keeps it (`Stash`).
pub fn section(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let on_enable = on_toggle(ctx, Edit::EnableAirGap { restore: None }, Edit::DisableAirGap, "air_gap.registry");
    let body = match ctx.project.air_gap.as_ref() {
        None => para("muted", "", t(lang, "airgap.off").into()),
        Some(a) => {
            let on_fallback = on_value(ctx, |v: bool| Edit::SetAirGap(AirGapField::FallbackToUpstream(v)));
            let add = on_add(ctx, Edit::AddAirGapNamespace, &path_at("air_gap.namespaces[", a.namespaces.len(), "]"));
            let missing = missing_air_gap_namespaces(&a.namespaces);
            let fill = on_click_edit(ctx, Edit::AddCommonAirGapNamespaces);
            let default_dir = if ctx.project.target.all_support(Feature::DefaultHostsDir) {
                t(lang, "airgap.default_all")
            } else if ctx.project.target.any_support(Feature::DefaultHostsDir) {
                t(lang, "airgap.default_some")
            } else {
                t(lang, "airgap.default_none")
            };
            let suggestions: Vec<AttrValue> = SEED_AIR_GAP_NAMESPACES.iter().map(|s| AttrValue::Static(s)).collect();
            let list = field_id("air_gap.namespaces");
            let mut rows = Vec::with_capacity(a.namespaces.len());
            for (i, v) in a.namespaces.iter().enumerate() {
                rows.push(namespace_row(ctx, i, v, &suggestions));
            }
            html! {
                <>
                    { text_row(ctx, &REGISTRY) }
                    { check_field(ctx, "air_gap.fallback_to_upstream", "airgap.fallback", "airgap.fallback_hint", a.fallback_to_upstream, on_fallback) }
                    <div class="field" id={list.clone()} tabindex="-1" role="group" aria-labelledby="airgap-namespaces-title">
                        <h3 id="airgap-namespaces-title">{ t(lang, "airgap.namespaces") }</h3>
                        <p class="hint">{ crate::i18n::t_gated(lang, "airgap.namespaces_hint") }{ " " }{ default_dir }</p>
                        if !a.namespaces.is_empty() {
                            <ul>{ for rows }</ul>
                        }
                        { field_messages(ctx, "air_gap.namespaces") }
                        { div("row", html! { <>
                            { button(suffixed(&list, "-add").into(), "", t(lang, "airgap.add_namespace"), false, add) }
                            <button type="button" id={suffixed(&list, "-seed")} onclick={fill} disabled={missing.is_empty()}>
                                { tf(lang, "airgap.fill_seed", &[("names", &SEED_AIR_GAP_NAMESPACES.join(list_sep(lang)))]) }
                            </button>
                        </> }) }
                    </div>
                    { para("note", "", t(lang, "airgap.import_note").into()) }
                    <p class="note">
                        { t(lang, "airgap.tls_note") }{ " " }
                        { section_link(ctx, Section::Tls, "airgap.to_tls") }
                    </p>
                </>
            }
        }
    };
    html! {
        <>
            { intro(lang, "airgap.intro") }
            { check_field(ctx, "air_gap", "airgap.enable", "airgap.enable_hint", ctx.project.air_gap.is_some(), on_enable) }
            { body }
            { sandbox_image(ctx) }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_suggestion_uses_the_registry_host() {
        assert_eq!(registry_host("https://registry.internal:5000").as_deref(), Some("registry.internal:5000"));
        assert_eq!(registry_host("registry.internal"), None);
        assert_eq!(PAUSE_EXAMPLE, format!("registry.internal:5000/{PAUSE}"));
    }
}
