//! Harbor proxy cache: one Harbor, and a table upstream → proxy-cache project. The core expands every row into an
//! endpoint of the upstream's hosts.toml (spec §3); the row shows the URL containerd will use.

use ccb_core::edit::{Edit, HarborField, MappingField};
use ccb_core::model::{HarborMode, HarborProxy};
use ccb_core::plan::harbor_endpoint_url;
use ccb_core::presets::COMMON_UPSTREAMS;
use yew::prelude::*;

use crate::fields::{button, check_field, field_id, field_messages, on_add, on_toggle, para, suffixed, Ctx};
use crate::i18n::{t, tf};
use crate::state::Section;
use crate::widgets::rows::{item_parsed, item_text, ItemParsed, on_value, on_value_at, path_at, text_row, ItemText, TextRow};
use crate::widgets::{intro, on_click_edit, radio_group, remove_button, section_link};

/// (value, label key, hint key) of the two Harbor modes.
const MODES: [(&str, &str, &str); 2] = [
    ("path", "harbor.mode.path", "harbor.mode.path_hint"),
    ("subdomain", "harbor.mode.subdomain", "harbor.mode.subdomain_hint"),
];

static ADDRESS: TextRow = TextRow { path: "harbor.address", label: "harbor.address", hint: Some("harbor.address_hint"),
    placeholder: "https://cr.example.com", get: |p| p.harbor.as_ref().map(|h| h.address.as_str()), set: |v| Edit::SetHarbor(HarborField::Address(v)) };

static UPSTREAM: ItemParsed = ItemParsed::plain(".upstream", "harbor.upstream", "docker.io");
static PROJECT: ItemText = ItemText::plain(".project", "harbor.project", "dockerhub");

/// Row `k` of the mapping table (keyed by `k`).
fn mapping_row(ctx: &Ctx, h: &HarborProxy, k: usize, suggestions: &[AttrValue]) -> Html {
    let lang = ctx.lang;
    let Some(m) = h.mappings.get(k) else { return html! {} };
    let base = path_at("harbor.mappings[", k, "]");
    let id = field_id(&base);
    let remove = on_click_edit(ctx, Edit::RemoveHarborMapping { mapping: k });
    let address = if h.address.trim().is_empty() { "https://<harbor>" } else { h.address.as_str() };
    let project = if m.project.trim().is_empty() { "<project>" } else { m.project.as_str() };
    let url = harbor_endpoint_url(address, h.mode, project);
    let dir = if m.upstream.trim().is_empty() { "<upstream>".to_string() } else { m.upstream.trim().to_string() };
    let remove_label = tf(lang, "harbor.remove_mapping", &[("upstream", &dir)]);
    let url_id = AttrValue::from(suffixed(&id, "-url"));
    html! {
        <tr {id} tabindex="-1" key={k}>
            <td>
                { item_parsed(&base, &UPSTREAM, m.upstream.clone(), suggestions.to_vec(), on_value_at(ctx, k, |mapping, v| Edit::SetHarborMapping { mapping, field: MappingField::Upstream(v) })) }
            </td>
            <td>
                { item_text(ctx, &base, &PROJECT, m.project.clone(), on_value_at(ctx, k, |mapping, v| Edit::SetHarborMapping { mapping, field: MappingField::Project(v) })) }
            </td>
            <td>
                <div class="field">
                    <label for={url_id.clone()}>{ t(lang, "harbor.endpoint") }</label>
                    <output id={url_id}><code>{ url }</code></output>
                    <span class="hint">{ tf(lang, "harbor.endpoint_in", &[("dir", &dir)]) }</span>
                    { field_messages(ctx, &base) }
                </div>
            </td>
            <td>
                { remove_button(&base, &remove_label, remove) }
            </td>
        </tr>
    }
}

/// The Harbor section. Turning it off and on again brings back what was there: the state keeps it (`Stash`).
pub fn section(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let on_enable = on_toggle(ctx, Edit::EnableHarbor { restore: None }, Edit::DisableHarbor, "harbor.address");
    let enabled = ctx.project.harbor.is_some();
    let body = match ctx.project.harbor.as_ref() {
        None => para("muted", "", t(lang, "harbor.off").into()),
        Some(h) => {
            let on_mode = on_value(ctx, |v: String| {
                Edit::SetHarbor(HarborField::Mode(if v == "subdomain" { HarborMode::Subdomain } else { HarborMode::Path }))
            });
            let on_fallback = on_value(ctx, |v: bool| Edit::SetHarbor(HarborField::FallbackToUpstream(v)));
            // The new row's first empty field: its project when the row comes with the next common upstream.
            let field = if ccb_core::edit::next_mapping(h).upstream.is_empty() { "].upstream" } else { "].project" };
            let add = on_add(ctx, Edit::AddHarborMapping, &path_at("harbor.mappings[", h.mappings.len(), field));
            let suggestions: Vec<AttrValue> = COMMON_UPSTREAMS.iter().map(|s| AttrValue::Static(s)).collect();
            let mode = match h.mode {
                HarborMode::Path => "path",
                HarborMode::Subdomain => "subdomain",
            };
            let n = h.mappings.len();
            let mut rows = Vec::with_capacity(n);
            for k in 0..n {
                rows.push(mapping_row(ctx, h, k, &suggestions));
            }
            html! {
                <>
                    { text_row(ctx, &ADDRESS) }
                    { radio_group(ctx, "harbor.mode", "harbor.mode", mode, &MODES, on_mode) }
                    { check_field(ctx, "harbor.fallback_to_upstream", "harbor.fallback", "harbor.fallback_hint", h.fallback_to_upstream, on_fallback) }
                    <div class="field" id={field_id("harbor.mappings")} tabindex="-1" role="group" aria-labelledby="harbor-mappings-title">
                        <h3 id="harbor-mappings-title">{ t(lang, "harbor.mappings") }</h3>
                        { para("hint", "", t(lang, "harbor.mappings_hint").into()) }
                        if n > 0 {
                            <table class="mapping">
                                <tbody>{ for rows }</tbody>
                            </table>
                        }
                        { field_messages(ctx, "harbor.mappings") }
                        { button("f-harbor-mappings-add".into(), "", t(lang, "harbor.add_mapping"), false, add) }
                    </div>
                    <p class="note">
                        { t(lang, "harbor.more") }{ " " }
                        { section_link(ctx, Section::Tls, "harbor.to_tls") }
                        { " · " }
                        { section_link(ctx, Section::Auth, "harbor.to_auth") }
                    </p>
                </>
            }
        }
    };
    html! {
        <>
            { intro(lang, "harbor.intro") }
            { check_field(ctx, "harbor", "harbor.enable", "harbor.enable_hint", enabled, on_enable) }
            { body }
        </>
    }
}
