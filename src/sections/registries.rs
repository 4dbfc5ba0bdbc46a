//! Registries & mirrors: upstreams, their ordered endpoints (order is try order; each a card of `endpoint.rs`),
//! server, upstream fallback.

use std::rc::Rc;

use ccb_core::edit::{Edit, RegistryField};
use ccb_core::presets::COMMON_UPSTREAMS;
use yew::prelude::*;

use super::endpoint::EndpointCard;
use crate::fields::{field_id, use_ctx, use_dispatch, CheckField, FieldMessages, TextField};
use crate::i18n::t;
use crate::state::{edit, Action};
use crate::widgets::{focus_soon, remove_button};

/// Above this many registries, cards start folded.
const FOLD_ABOVE: usize = 8;

/// What a registry's card head shows. The card reads nothing else, so with 500 registries a keystroke re-renders
/// only the cards whose registry (or problem flag) changed; an open card's body reads the state itself.
#[derive(Properties, PartialEq)]
struct RegistryProps {
    i: usize,
    count: usize,
    upstream: AttrValue,
    endpoints: usize,
    /// A warning or error at this registry or below: its card is always open, so the fields can be reached.
    problems: bool,
    lang: ccb_core::Lang,
}

#[function_component(RegistryCard)]
fn registry_card(p: &RegistryProps) -> Html {
    let dispatch = use_dispatch();
    let toggled = use_state(|| None::<bool>);
    let (i, lang) = (p.i, p.lang);
    let base = format!("registries[{i}]");
    let remove = Callback::from(move |_| dispatch.dispatch(Action::Edit(Edit::RemoveRegistry { registry: i })));
    let title = if p.upstream.trim().is_empty() { AttrValue::from(t(lang, "registries.unnamed").to_string()) } else { p.upstream.clone() };
    // With many registries, cards start folded (a keystroke then re-renders one line per registry instead of a
    // whole form); a card with a problem is always open so its fields, and their messages, can be reached.
    let auto_open = p.count <= FOLD_ABOVE || i + 1 == p.count;
    let open = p.problems || (*toggled).unwrap_or(auto_open);
    let toggle = {
        let toggled = toggled.clone();
        Callback::from(move |_| toggled.set(Some(!open)))
    };
    let toggle_id = format!("{}-toggle", field_id(&base));
    let summary = crate::problem_labels::count(lang, "endpoints", p.endpoints);
    let head = html! {
        <div class="card-head">
            <button type="button" class="link expander" id={toggle_id} aria-expanded={open.to_string()} onclick={toggle}
                title={t(lang, if open { "registries.fold" } else { "registries.unfold" })}>
                { if open { "▾ " } else { "▸ " } }<strong>{ title.clone() }</strong>
            </button>
            if !open { <span class="muted">{ summary }</span> }
            <span class="spacer"></span>
            { remove_button(&base, &t(lang, "registries.remove_registry"), remove) }
        </div>
    };
    if !open {
        return html! { <section class="registry card folded" aria-label={title}>{ head }</section> };
    }
    html! {
        <section class="registry card" aria-label={title}>
            { head }
            <RegistryBody {i} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RegistryBodyProps {
    i: usize,
}

/// An open card's fields: they show the state's values and messages, so this part follows every change.
#[function_component(RegistryBody)]
fn registry_body(p: &RegistryBodyProps) -> Html {
    let ctx = use_ctx();
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
    let count = r.endpoints.len();
    let list_id = format!("dl-upstreams-{i}");
    html! {
        <>
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
        </>
    }
}

/// Cards are drawn in groups: a keystroke compares one group's heads instead of every card's props.
const CARDS_PER_GROUP: usize = 32;

#[derive(Clone, PartialEq)]
struct CardHead {
    upstream: AttrValue,
    endpoints: usize,
    problems: bool,
}

#[derive(Properties, PartialEq)]
struct RegistryGroupProps {
    /// The index of the group's first registry.
    start: usize,
    count: usize,
    heads: Rc<Vec<CardHead>>,
    lang: ccb_core::Lang,
}

#[function_component(RegistryGroup)]
fn registry_group(p: &RegistryGroupProps) -> Html {
    let lang = p.lang;
    html! {
        { for p.heads.iter().enumerate().map(|(k, h)| {
            let i = p.start + k;
            html! { <RegistryCard key={i} {i} count={p.count} upstream={h.upstream.clone()} endpoints={h.endpoints} problems={h.problems} {lang} /> }
        }) }
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
    // One pass over the diagnostics for all cards (each card scanning them all was quadratic).
    let mut problems = vec![false; n];
    for d in ctx.rendered.diagnostics.iter().filter(|d| d.severity > ccb_core::Severity::Info) {
        if let Some(i) = registry_index(&d.path) {
            if let Some(flag) = problems.get_mut(i) {
                *flag = true;
            }
        }
    }
    let heads: Vec<CardHead> = ctx
        .project
        .registries
        .iter()
        .zip(problems)
        .map(|(r, problems)| CardHead { upstream: AttrValue::from(r.upstream.clone()), endpoints: r.endpoints.len(), problems })
        .collect();
    html! {
        <div class="section-body">
            <p class="intro">{ t(lang, "registries.intro") }</p>
            { for heads.chunks(CARDS_PER_GROUP).enumerate().map(|(g, chunk)| html! {
                <RegistryGroup key={g} start={g * CARDS_PER_GROUP} count={n} heads={Rc::new(chunk.to_vec())} {lang} />
            }) }
            <button type="button" class="primary" id="add-registry" onclick={add}>{ t(lang, "registries.add_registry") }</button>
        </div>
    }
}

/// `registries[12].endpoints[0].url` → 12: the registry a diagnostic's path points into.
fn registry_index(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("registries[")?;
    rest[..rest.find(']')?].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::registry_index;

    #[test]
    fn a_diagnostic_path_names_its_registry() {
        assert_eq!(registry_index("registries[12].endpoints[0].url"), Some(12));
        assert_eq!(registry_index("registries[3]"), Some(3));
        assert_eq!(registry_index("harbor.mappings[1]"), None);
        assert_eq!(registry_index("registries[x]"), None);
    }
}
