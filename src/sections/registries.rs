//! Registries & mirrors: upstreams, their ordered endpoints (order is try order), capabilities, server, upstream
//! fallback, headers.

use ccb_core::edit::{Edit, EndpointField, RegistryField};
use ccb_core::model::*;
use ccb_core::presets::COMMON_UPSTREAMS;
use yew::prelude::*;

use crate::fields::{field_id, use_ctx, CheckField, FieldMessages, SelectField, TextField};
use crate::sections::auth::SecretField;
use crate::i18n::{t, tf};
use crate::state::{edit, Action, Section};
use crate::widgets::focus_soon;

/// Above this many registries, cards start folded.
const FOLD_ABOVE: usize = 8;

fn kind_key(k: EndpointKind) -> &'static str {
    match k {
        EndpointKind::PublicMirror => "public_mirror",
        EndpointKind::PrivateMirror => "private_mirror",
        EndpointKind::PrivateRegistry => "private_registry",
        EndpointKind::HarborProject => "harbor_project",
    }
}

fn kind_from(s: &str) -> EndpointKind {
    match s {
        "public_mirror" => EndpointKind::PublicMirror,
        "private_registry" => EndpointKind::PrivateRegistry,
        "harbor_project" => EndpointKind::HarborProject,
        _ => EndpointKind::PrivateMirror,
    }
}

#[derive(Properties, PartialEq)]
struct EndpointProps {
    i: usize,
    j: usize,
    count: usize,
}

#[function_component(EndpointCard)]
fn endpoint_card(p: &EndpointProps) -> Html {
    let ctx = use_ctx();
    let (i, j) = (p.i, p.j);
    let Some(e) = ctx.project.registries.get(i).and_then(|r| r.endpoints.get(j)).cloned() else { return html! {} };
    let lang = ctx.lang;
    let base = format!("registries[{i}].endpoints[{j}]");

    let set = {
        let ctx = ctx.clone();
        move |field: EndpointField| edit(&ctx, Edit::SetEndpoint { registry: i, endpoint: j, field })
    };
    let on_url = {
        let set = set.clone();
        Callback::from(move |v: String| set(EndpointField::Url(v)))
    };
    let on_kind = {
        let set = set.clone();
        Callback::from(move |v: String| set(EndpointField::Kind(kind_from(&v))))
    };
    let on_override = {
        let set = set.clone();
        Callback::from(move |v: bool| set(EndpointField::OverridePath(v)))
    };
    let on_dial = {
        let set = set.clone();
        Callback::from(move |v: String| set(EndpointField::DialTimeout(v)))
    };
    let effective = e.effective_capabilities();
    let caps = [Capability::Pull, Capability::Resolve, Capability::Push, Capability::Referrers].map(|c| {
        let set = set.clone();
        let checked = effective.contains(&c);
        let onchange = Callback::from(move |v: bool| set(EndpointField::Capability(c, v)));
        let id = format!("{}-{}", field_id(&format!("{base}.capabilities")), c.as_str());
        html! {
            <label class="cap" for={id.clone()}>
                <input {id} type="checkbox" {checked} onchange={Callback::from(move |ev: Event| {
                    use wasm_bindgen::JsCast;
                    let on = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.checked()).unwrap_or(false);
                    onchange.emit(on)
                })} />
                { c.as_str() }
            </label>
        }
    });
    let mover = |delta: isize, key: &'static str, disabled: bool| {
        let ctx = ctx.clone();
        let id = format!("{}-{}", field_id(&base), if delta < 0 { "up" } else { "down" });
        let onclick = Callback::from(move |_| {
            let to = j as isize + delta;
            if to >= 0 {
                edit(&ctx, Edit::MoveEndpoint { registry: i, from: j, to: to as usize });
            }
        });
        html! { <button type="button" class="icon" {id} {onclick} {disabled} aria-label={t(lang, key)} title={t(lang, key)}>{ if delta < 0 { "↑" } else { "↓" } }</button> }
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, Edit::RemoveEndpoint { registry: i, endpoint: j }))
    };
    let headers = e.headers.iter().enumerate().map(|(k, h)| {
        let hp = format!("{base}.headers[{k}]");
        let ctx2 = ctx.clone();
        let on_name =
            Callback::from(move |name: String| edit(&ctx2, Edit::SetHeaderName { registry: i, endpoint: j, header: k, name }));
        let ctx3 = ctx.clone();
        let value = h.values.first().cloned().unwrap_or_default();
        let on_value =
            Callback::from(move |value: Secret| edit(&ctx3, Edit::SetHeaderValue { registry: i, endpoint: j, header: k, value }));
        let ctx4 = ctx.clone();
        let on_remove = Callback::from(move |_| edit(&ctx4, Edit::RemoveHeader { registry: i, endpoint: j, header: k }));
        // Secret headers (Authorization, tokens) and values read from an environment variable use the secret field.
        let value_field = if ccb_core::secrets::is_secret_header(&h.name) || matches!(value, Secret::FromEnv(_)) {
            html! { <SecretField path={format!("{hp}.values[0]")} label="registries.header_value" {value} on_input={on_value} /> }
        } else {
            let text = ccb_core::secrets::display_secret(&value);
            let on_text = Callback::from(move |v: String| on_value.emit(Secret::Literal(v)));
            html! { <TextField path={format!("{hp}.values[0]")} label="registries.header_value" value={text} on_input={on_text} /> }
        };
        html! {
            <div class="row header-row">
                <TextField path={format!("{hp}.name")} label="registries.header_name" value={h.name.clone()} placeholder="X-Custom" on_input={on_name} />
                { value_field }
                <button type="button" class="icon" onclick={on_remove} aria-label={t(lang, "registries.remove_header")} title={t(lang, "registries.remove_header")}>{ "✕" }</button>
            </div>
        }
    });
    let add_header = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, Edit::AddHeader { registry: i, endpoint: j }))
    };
    let to_tls = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::SetSection(Section::Tls)))
    };
    let tls_summary = if e.tls.is_empty() { t(lang, "registries.tls_none") } else { t(lang, "registries.tls_set") };
    let kinds = ["public_mirror", "private_mirror", "private_registry", "harbor_project"]
        .map(|k| (AttrValue::from(k), AttrValue::from(format!("kind.{k}"))))
        .to_vec();
    html! {
        <li class="endpoint card">
            <div class="card-head">
                <span class="order" title={t(lang, "registries.order_hint")}>{ tf(lang, "registries.endpoint_n", &[("n", &(j + 1).to_string())]) }</span>
                <span class="spacer"></span>
                { mover(-1, "registries.move_up", j == 0) }
                { mover(1, "registries.move_down", j + 1 >= p.count) }
                <button type="button" class="icon danger" id={format!("{}-remove", field_id(&base))} onclick={remove} aria-label={t(lang, "registries.remove_endpoint")} title={t(lang, "registries.remove_endpoint")}>{ "✕" }</button>
            </div>
            <TextField path={format!("{base}.url")} label="registries.url" value={e.url.clone()} placeholder="https://mirror.example.com" on_input={on_url} />
            <div class="row">
                <SelectField path={format!("{base}.kind")} label="registries.kind" value={kind_key(e.kind)} options={kinds} on_change={on_kind} />
                <div class="field caps" role="group" aria-labelledby={format!("{}-label", field_id(&format!("{base}.capabilities")))}>
                    <span class="label" id={format!("{}-label", field_id(&format!("{base}.capabilities")))}>
                        { t(lang, "registries.capabilities") }
                        <span class="hint">{ if e.capabilities.is_empty() { t(lang, "registries.caps_default") } else { t(lang, "registries.caps_custom") } }</span>
                    </span>
                    <div class="caps-row">{ for caps }</div>
                    <FieldMessages path={format!("{base}.capabilities")} />
                </div>
            </div>
            <div class="row">
                <CheckField path={format!("{base}.override_path")} label="registries.override_path" hint="registries.override_path_hint" checked={e.override_path} on_change={on_override} />
                <TextField path={format!("{base}.dial_timeout")} label="registries.dial_timeout" hint="registries.dial_timeout_hint" value={e.dial_timeout.clone().unwrap_or_default()} placeholder="3s" on_input={on_dial} />
            </div>
            <fieldset class="headers">
                <legend>{ t(lang, "registries.headers") }</legend>
                { for headers }
                <button type="button" class="small" onclick={add_header}>{ t(lang, "registries.add_header") }</button>
            </fieldset>
            <p class="tls-link">{ tls_summary }{ " " }<button type="button" class="link" onclick={to_tls}>{ t(lang, "registries.edit_tls") }</button></p>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct RegistryProps {
    i: usize,
    count: usize,
}

#[function_component(RegistryCard)]
fn registry_card(p: &RegistryProps) -> Html {
    let ctx = use_ctx();
    let toggled = use_state(|| None::<bool>);
    let i = p.i;
    let Some(r) = ctx.project.registries.get(i).cloned() else { return html! {} };
    let lang = ctx.lang;
    let base = format!("registries[{i}]");
    let set = {
        let ctx = ctx.clone();
        move |field: RegistryField| edit(&ctx, Edit::SetRegistry { registry: i, field })
    };
    let on_upstream = {
        let set = set.clone();
        Callback::from(move |v: String| set(RegistryField::Upstream(v)))
    };
    let on_fallback = {
        let set = set.clone();
        Callback::from(move |v: bool| set(RegistryField::FallbackToUpstream(v)))
    };
    let on_server = Callback::from(move |v: String| set(RegistryField::Server(v)));
    let add_endpoint = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            let j = ctx.project.registries.get(i).map(|r| r.endpoints.len()).unwrap_or(0);
            edit(&ctx, Edit::AddEndpoint { registry: i });
            // Keyboard users continue in the new endpoint's URL field.
            focus_soon(field_id(&format!("registries[{i}].endpoints[{j}].url")));
        })
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, Edit::RemoveRegistry { registry: i }))
    };
    let count = r.endpoints.len();
    let title = if r.upstream.trim().is_empty() { t(lang, "registries.unnamed").to_string() } else { r.upstream.clone() };
    let list_id = format!("dl-upstreams-{i}");
    // With many registries, cards start folded (a keystroke then re-renders one line per registry instead of a
    // whole form); a card with a problem is always open so its fields, and their messages, can be reached.
    let prefix = format!("{base}.");
    let problems = ctx
        .rendered
        .diagnostics
        .iter()
        .any(|d| d.severity > ccb_core::Severity::Info && (d.path == base || d.path.starts_with(&prefix)));
    let auto_open = p.count <= FOLD_ABOVE || i + 1 == p.count;
    let open = problems || (*toggled).unwrap_or(auto_open);
    let toggle = {
        let toggled = toggled.clone();
        Callback::from(move |_| toggled.set(Some(!open)))
    };
    let toggle_id = format!("{}-toggle", field_id(&base));
    let summary = tf(lang, "registries.folded_summary", &[("n", &count.to_string())]);
    let head = html! {
        <div class="card-head">
            <button type="button" class="link expander" id={toggle_id} aria-expanded={open.to_string()} onclick={toggle}
                title={t(lang, if open { "registries.fold" } else { "registries.unfold" })}>
                { if open { "▾ " } else { "▸ " } }<strong>{ title.clone() }</strong>
            </button>
            if !open { <span class="muted">{ summary }</span> }
            <span class="spacer"></span>
            <button type="button" class="icon danger" id={format!("{}-remove", field_id(&base))} onclick={remove} aria-label={t(lang, "registries.remove_registry")} title={t(lang, "registries.remove_registry")}>{ "✕" }</button>
        </div>
    };
    if !open {
        return html! { <section class="registry card folded" aria-label={title}>{ head }</section> };
    }
    html! {
        <section class="registry card" aria-label={title.clone()}>
            { head }
            <div class="field">
                <label for={field_id(&format!("{base}.upstream"))}>{ t(lang, "registries.upstream") }<span class="hint">{ t(lang, "registries.upstream_hint") }</span></label>
                <input id={field_id(&format!("{base}.upstream"))} type="text" list={list_id.clone()} value={r.upstream.clone()}
                    placeholder="docker.io" autocomplete="off" spellcheck="false"
                    aria-invalid={ctx.diagnostics_at(&format!("{base}.upstream")).any(|d| d.severity == ccb_core::Severity::Error).to_string()}
                    aria-describedby={ctx.diagnostics_at(&format!("{base}.upstream")).next().map(|_| format!("{}-msgs", field_id(&format!("{base}.upstream"))))}
                    oninput={Callback::from(move |e: InputEvent| {
                        use wasm_bindgen::JsCast;
                        let v = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value()).unwrap_or_default();
                        on_upstream.emit(v)
                    })} />
                <datalist id={list_id}>{ for COMMON_UPSTREAMS.iter().map(|u| html! { <option value={*u} /> }) }</datalist>
                <FieldMessages path={format!("{base}.upstream")} />
            </div>
            <p class="note">{ t(lang, "registries.order_note") }</p>
            <ol class="endpoints">
                { for (0..count).map(|j| html! { <EndpointCard key={j} {i} {j} {count} /> }) }
            </ol>
            <FieldMessages path={format!("{base}.endpoints")} />
            <button type="button" id={format!("{}-add-endpoint", field_id(&base))} onclick={add_endpoint}>{ t(lang, "registries.add_endpoint") }</button>
            <div class="row">
                <CheckField path={format!("{base}.fallback_to_upstream")} label="registries.fallback" hint="registries.fallback_hint" checked={r.fallback_to_upstream} on_change={on_fallback} />
                <TextField path={format!("{base}.server")} label="registries.server" hint="registries.server_hint" value={r.server.clone().unwrap_or_default()} placeholder="https://registry-1.docker.io" on_input={on_server} />
            </div>
            <FieldMessages path={base.clone()} />
        </section>
    }
}

#[function_component(RegistriesSection)]
pub fn registries_section() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let add = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            let i = ctx.project.registries.len();
            edit(&ctx, Edit::AddRegistry);
            focus_soon(field_id(&format!("registries[{i}].endpoints[0].url")));
        })
    };
    let n = ctx.project.registries.len();
    html! {
        <div class="section-body">
            <p class="intro">{ t(lang, "registries.intro") }</p>
            { for (0..n).map(|i| html! { <RegistryCard key={i} {i} count={n} /> }) }
            <button type="button" class="primary" id="add-registry" onclick={add}>{ t(lang, "registries.add_registry") }</button>
        </div>
    }
}
