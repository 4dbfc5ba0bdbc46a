//! Registries & mirrors: upstreams, their ordered endpoints (order is try order; each a card of `endpoint.rs`),
//! server, upstream fallback.

use std::rc::Rc;

use ccb_core::edit::{Edit, RegistryField};
use ccb_core::presets::COMMON_UPSTREAMS;
use yew::prelude::*;

use super::endpoint::endpoint_card;
use crate::fields::{bool_attr, button, check_field, check_field_labelled, field_id, field_messages, on_add, para, suffixed, use_ctx, Ctx, Dispatch, div};
use crate::i18n::t;
use crate::state::Action;
use crate::widgets::rows::{item_text, on_value_at, path_at, ItemText};
use crate::widgets::{intro, remove_button};

static UPSTREAM: ItemText = ItemText { suffix: ".upstream", label: "registries.upstream", hint: Some("registries.upstream_hint"),
    placeholder: "docker.io", multiline: false, suggestions: &COMMON_UPSTREAMS };
static SERVER: ItemText = ItemText { hint: Some("registries.server_hint"), ..ItemText::plain(".server", "registries.server", "https://registry-1.docker.io") };

/// Above this many registries, cards start folded.
const FOLD_ABOVE: usize = 8;

/// Cards are drawn in groups: a keystroke compares one group's heads instead of every card's props.
const CARDS_PER_GROUP: usize = 32;

/// What a registry's card head shows. The card reads nothing else, so with 500 registries a keystroke re-renders
/// only the cards whose head changed; an open card's body reads the state itself.
#[derive(Clone, PartialEq)]
struct CardHead {
    upstream: AttrValue,
    endpoints: usize,
    /// A warning or error at this registry or below: its card is always open, so the fields can be reached.
    problems: bool,
}

#[derive(Properties, PartialEq)]
struct RegistryProps {
    i: usize,
    count: usize,
    head: CardHead,
    lang: ccb_core::Lang,
    /// Sends the card's actions (it never changes, so the card is not re-rendered by edits elsewhere; a prop, not a
    /// context of its own, which would be one more component's lifecycle code in the wasm).
    dispatch: Dispatch,
}

/// One registry. A component: it keeps whether the user folded or unfolded it, and it is skipped when its head
/// is unchanged.
#[function_component(RegistryCard)]
fn registry_card(p: &RegistryProps) -> Html {
    let dispatch = p.dispatch.clone();
    // The user's fold, kept by the card (a cell and a redraw: the hooks `ParsedField` uses too, so the wasm carries
    // no `use_state` machinery for this one flag).
    let toggled = use_mut_ref(|| None::<bool>);
    let redraw = use_force_update();
    let (i, lang) = (p.i, p.lang);
    let base = path_at("registries[", i, "]");
    let remove = Callback::from(move |_| dispatch.dispatch(Action::Edit(Edit::RemoveRegistry { registry: i })));
    let title = if p.head.upstream.trim().is_empty() { AttrValue::Static(t(lang, "registries.unnamed")) } else { p.head.upstream.clone() };
    // With many registries, cards start folded (a keystroke then re-renders one line per registry instead of a
    // whole form); a card with a problem is always open so its fields, and their messages, can be reached.
    let auto_open = p.count <= FOLD_ABOVE || i + 1 == p.count;
    let open = p.head.problems || toggled.borrow().unwrap_or(auto_open);
    let toggle = Callback::from(move |_| {
        *toggled.borrow_mut() = Some(!open);
        redraw.force_update();
    });
    let id = field_id(&base);
    let summary = crate::problem_labels::count(lang, "endpoints", p.head.endpoints);
    let head = html! {
        <div class="card-head">
            <button type="button" class="link expander" id={suffixed(&id, "-toggle")} aria-expanded={bool_attr(open)} onclick={toggle}
                title={t(lang, if open { "registries.fold" } else { "registries.unfold" })}>
                { if open { "▾ " } else { "▸ " } }<strong>{ title.clone() }</strong>
            </button>
            if !open { <span class="muted">{ summary }</span> }
            <span class="spacer"></span>
            { remove_button(&base, t(lang, "registries.remove_registry"), remove) }
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

/// An open card's fields: they show the state's values and messages, so this part follows every change. Drawn by
/// the split-off module (`super::split`): a page opens with no registry, and an open card's fields are most of
/// this form's code.
#[function_component(RegistryBody)]
fn registry_body(p: &RegistryBodyProps) -> Html {
    super::split::registry_body(&use_ctx(), p.i)
}

/// Registry `i`'s fields (in the split page, code of the split-off module: reached through `super::split` alone).
pub(super) fn body(ctx: &Ctx, i: usize) -> Html {
    let Some(r) = ctx.project.registries.get(i).cloned() else { return html! {} };
    let lang = ctx.lang;
    let base = path_at("registries[", i, "]");
    let on_fallback = on_value_at(ctx, i, |registry, v| Edit::SetRegistry { registry, field: RegistryField::FallbackToUpstream(v) });
    let on_reachable = on_value_at(ctx, i, |registry, v| Edit::SetRegistry { registry, field: RegistryField::UpstreamReachable(v) });
    let reachable_label = match r.upstream.trim() {
        "" => t(lang, "registries.upstream_reachable_unnamed").to_string(),
        upstream => t(lang, "registries.upstream_reachable").replace("{upstream}", upstream),
    };
    let count = r.endpoints.len();
    // Keyboard users continue in the new endpoint's URL field.
    let add_endpoint = on_add(ctx, Edit::AddEndpoint { registry: i }, &path_at(&suffixed(&base, ".endpoints["), count, "].url"));
    let id = field_id(&base);
    let mut cards = Vec::with_capacity(count);
    for j in 0..count {
        cards.push(endpoint_card(ctx, i, j, count));
    }
    html! {
        <>
            { item_text(ctx, &base, &UPSTREAM, r.upstream.clone(), on_value_at(ctx, i, |registry, v| Edit::SetRegistry { registry, field: RegistryField::Upstream(v) })) }
            { para("note", "", t(lang, "registries.order_note").into()) }
            <ol class="endpoints">
                { for cards }
            </ol>
            { field_messages(ctx, &suffixed(&base, ".endpoints")) }
            { button(suffixed(&id, "-add-endpoint").into(), "", t(lang, "registries.add_endpoint"), false, add_endpoint) }
            { div("row", html! { <>
                { check_field(ctx, &suffixed(&base, ".fallback_to_upstream"), "registries.fallback", "registries.fallback_hint", r.fallback_to_upstream, on_fallback) }
                { check_field_labelled(ctx, &suffixed(&base, ".upstream_reachable"), &reachable_label, "registries.upstream_reachable_hint", r.upstream_reachable, on_reachable) }
                { item_text(ctx, &base, &SERVER, r.server.clone().unwrap_or_default(), on_value_at(ctx, i, |registry, v| Edit::SetRegistry { registry, field: RegistryField::Server(v) })) }
            </> }) }
            { field_messages(ctx, &base) }
        </>
    }
}

/// A group of cards: drawn through `widgets::memo` (a keystroke compares the group's heads and skips it when they
/// are unchanged) rather than by a component of its own, whose lifecycle code the wasm would carry.
#[derive(PartialEq)]
struct RegistryGroup {
    /// The index of the group's first registry.
    start: usize,
    count: usize,
    heads: Rc<Vec<CardHead>>,
    lang: ccb_core::Lang,
    dispatch: Dispatch,
}

impl crate::widgets::memo::View for RegistryGroup {
    fn view(&self) -> Html {
        let lang = self.lang;
        let mut cards = Vec::with_capacity(self.heads.len());
        for (k, head) in self.heads.iter().enumerate() {
            let i = self.start + k;
            cards.push(html! { <RegistryCard key={i} {i} count={self.count} head={head.clone()} {lang} dispatch={self.dispatch.clone()} /> });
        }
        html! { { for cards } }
    }
}

/// Registries & mirrors: one [`RegistryCard`] per registry (so a fold survives other edits), and "add registry".
pub fn section(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let n = ctx.project.registries.len();
    let add = on_add(ctx, Edit::AddRegistry, &path_at("registries[", n, "].endpoints[0].url"));
    // One pass over the diagnostics for all cards (each card scanning them all was quadratic).
    let mut problems = vec![false; n];
    for d in ctx.rendered.diagnostics.iter().filter(|d| d.severity > ccb_core::Severity::Info) {
        if let Some(flag) = registry_index(&d.path).and_then(|i| problems.get_mut(i)) {
            *flag = true;
        }
    }
    let heads: Vec<CardHead> = ctx
        .project
        .registries
        .iter()
        .zip(problems)
        .map(|(r, problems)| CardHead { upstream: AttrValue::from(r.upstream.clone()), endpoints: r.endpoints.len(), problems })
        .collect();
    let mut groups = Vec::new();
    for (g, chunk) in heads.chunks(CARDS_PER_GROUP).enumerate() {
        let group = RegistryGroup { start: g * CARDS_PER_GROUP, count: n, heads: Rc::new(chunk.to_vec()), lang, dispatch: ctx.dispatcher() };
        groups.push(crate::widgets::memo::memo(group));
    }
    html! {
        <>
            { intro(lang, "registries.intro") }
            { for groups }
            { button("add-registry".into(), "primary", t(lang, "registries.add_registry"), false, add) }
        </>
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
