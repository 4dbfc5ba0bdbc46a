//! Harbor proxy cache: one Harbor, and a table upstream → proxy-cache project. The core expands every row into an
//! endpoint of the upstream's hosts.toml (spec §3); the row shows the URL containerd will use.

use ccb_core::edit::{Edit, HarborField, MappingField};
use ccb_core::model::{HarborMode, HarborProxy};
use ccb_core::plan::harbor_endpoint_url;
use ccb_core::presets::COMMON_UPSTREAMS;
use yew::prelude::*;

use crate::widgets::{focus_soon, ParsedField, RadioGroup, remove_button};
use crate::fields::{field_id, use_ctx, CheckField, FieldMessages, TextField};
use crate::i18n::{t, tf};
use crate::state::{edit, Action, Section};

#[derive(Properties, PartialEq)]
struct RowProps {
    k: usize,
}

#[function_component(MappingRow)]
fn mapping_row(p: &RowProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let k = p.k;
    let Some(h) = ctx.project.harbor.clone() else { return html! {} };
    let Some(m) = h.mappings.get(k).cloned() else { return html! {} };
    let base = format!("harbor.mappings[{k}]");
    let on_upstream = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| edit(&ctx, Edit::SetHarborMapping { mapping: k, field: MappingField::Upstream(v) }))
    };
    let on_project = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| edit(&ctx, Edit::SetHarborMapping { mapping: k, field: MappingField::Project(v) }))
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, Edit::RemoveHarborMapping { mapping: k }))
    };
    let address = if h.address.trim().is_empty() { "https://<harbor>" } else { h.address.as_str() };
    let project = if m.project.trim().is_empty() { "<project>" } else { m.project.as_str() };
    let url = harbor_endpoint_url(address, h.mode, project);
    let dir = if m.upstream.trim().is_empty() { "<upstream>".to_string() } else { m.upstream.trim().to_string() };
    let remove_label = tf(lang, "harbor.remove_mapping", &[("upstream", &dir)]);
    html! {
        <tr id={field_id(&base)} tabindex="-1">
            <td>
                <ParsedField path={format!("{base}.upstream")} label="harbor.upstream" value={m.upstream.clone()}
                    normalize={Callback::from(Some)} on_input={on_upstream} placeholder="docker.io"
                    suggestions={COMMON_UPSTREAMS.iter().map(|s| AttrValue::from(*s)).collect::<Vec<_>>()} />
            </td>
            <td>
                <TextField path={format!("{base}.project")} label="harbor.project" value={m.project.clone()} placeholder="dockerhub" on_input={on_project} />
            </td>
            <td>
                <div class="field">
                    <label for={format!("{}-url", field_id(&base))}>{ t(lang, "harbor.endpoint") }</label>
                    <output id={format!("{}-url", field_id(&base))}><code>{ url }</code></output>
                    <span class="hint">{ tf(lang, "harbor.endpoint_in", &[("dir", &dir)]) }</span>
                    <FieldMessages path={base.clone()} />
                </div>
            </td>
            <td>
                { remove_button(&base, &remove_label, remove) }
            </td>
        </tr>
    }
}

#[function_component(HarborSection)]
pub fn section() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    // Turning Harbor off and on again brings back what was there (until the page is reloaded).
    let stash = use_mut_ref(|| None::<HarborProxy>);
    let on_enable = {
        let ctx = ctx.clone();
        let stash = stash.clone();
        Callback::from(move |on: bool| {
            if on {
                let restore = stash.borrow_mut().take().map(Box::new);
                edit(&ctx, Edit::EnableHarbor { restore });
                focus_soon(field_id("harbor.address"));
            } else {
                *stash.borrow_mut() = ctx.project.harbor.clone();
                edit(&ctx, Edit::DisableHarbor);
            }
        })
    };
    let enabled = ctx.project.harbor.is_some();
    let body = match ctx.project.harbor.clone() {
        None => html! { <p class="muted">{ t(lang, "harbor.off") }</p> },
        Some(h) => {
            let on_address = {
                let ctx = ctx.clone();
                Callback::from(move |v: String| edit(&ctx, Edit::SetHarbor(HarborField::Address(v))))
            };
            let on_mode = {
                let ctx = ctx.clone();
                Callback::from(move |v: String| {
                    let mode = if v == "subdomain" { HarborMode::Subdomain } else { HarborMode::Path };
                    edit(&ctx, Edit::SetHarbor(HarborField::Mode(mode)))
                })
            };
            let on_fallback = {
                let ctx = ctx.clone();
                Callback::from(move |v: bool| edit(&ctx, Edit::SetHarbor(HarborField::FallbackToUpstream(v))))
            };
            let add = {
                let ctx = ctx.clone();
                Callback::from(move |_| {
                    let Some(h) = ctx.project.harbor.as_ref() else { return };
                    let k = h.mappings.len();
                    let empty = ccb_core::edit::next_mapping(h).upstream.is_empty();
                    edit(&ctx, Edit::AddHarborMapping);
                    let field = if empty { "upstream" } else { "project" };
                    focus_soon(field_id(&format!("harbor.mappings[{k}].{field}")));
                })
            };
            let to_tls = {
                let ctx = ctx.clone();
                Callback::from(move |_| ctx.dispatch(Action::SetSection(Section::Tls)))
            };
            let to_auth = {
                let ctx = ctx.clone();
                Callback::from(move |_| ctx.dispatch(Action::SetSection(Section::Auth)))
            };
            let modes = vec![
                (AttrValue::from("path"), AttrValue::from("harbor.mode.path"), AttrValue::from("harbor.mode.path_hint")),
                (AttrValue::from("subdomain"), AttrValue::from("harbor.mode.subdomain"), AttrValue::from("harbor.mode.subdomain_hint")),
            ];
            let mode = match h.mode {
                HarborMode::Path => "path",
                HarborMode::Subdomain => "subdomain",
            };
            let n = h.mappings.len();
            html! {
                <>
                    <TextField path="harbor.address" label="harbor.address" hint="harbor.address_hint" value={h.address.clone()}
                        placeholder="https://cr.example.com" on_input={on_address} />
                    <RadioGroup path="harbor.mode" label="harbor.mode" value={mode} options={modes} on_change={on_mode} />
                    <CheckField path="harbor.fallback_to_upstream" label="harbor.fallback" hint="harbor.fallback_hint"
                        checked={h.fallback_to_upstream} on_change={on_fallback} />
                    <div class="field" id={field_id("harbor.mappings")} tabindex="-1" role="group" aria-labelledby="harbor-mappings-title">
                        <h3 id="harbor-mappings-title">{ t(lang, "harbor.mappings") }</h3>
                        <p class="hint">{ t(lang, "harbor.mappings_hint") }</p>
                        if n > 0 {
                            <table class="mapping">
                                <tbody>{ for (0..n).map(|k| html! { <MappingRow key={k} {k} /> }) }</tbody>
                            </table>
                        }
                        <FieldMessages path="harbor.mappings" />
                        <button type="button" id={format!("{}-add", field_id("harbor.mappings"))} onclick={add}>{ t(lang, "harbor.add_mapping") }</button>
                    </div>
                    <p class="note">
                        { t(lang, "harbor.more") }{ " " }
                        <button type="button" class="link" onclick={to_tls}>{ t(lang, "harbor.to_tls") }</button>
                        { " · " }
                        <button type="button" class="link" onclick={to_auth}>{ t(lang, "harbor.to_auth") }</button>
                    </p>
                </>
            }
        }
    };
    html! {
        <div class="section-body">
            <p class="intro">{ t(lang, "harbor.intro") }</p>
            <CheckField path="harbor" label="harbor.enable" hint="harbor.enable_hint" checked={enabled} on_change={on_enable} />
            { body }
        </div>
    }
}
