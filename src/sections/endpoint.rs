//! One endpoint of a registry, as a card: its place in the try order (move up / down, remove), URL, kind,
//! capabilities, override_path and dial_timeout, headers, and a link to its TLS settings. Each part is a plain
//! function of the card's endpoint; every change is a typed `ccb_core::edit::Edit`.

use ccb_core::edit::{Edit, EndpointField};
use ccb_core::model::{Capability, Endpoint, EndpointKind, Header, Secret};
use yew::prelude::*;

use crate::fields::{button, check_field, event_checked, field_id, field_messages, select_field, suffixed, text_field, Ctx, Text, div};
use crate::i18n::{t, tf};
use crate::widgets::secret::secret_field;
use crate::state::{edit, Section};
use crate::widgets::rows::{item_text, on_value_at, path_at, ItemText};
use crate::widgets::{on_click_edit, remove_button, section_link};

const KINDS: [(EndpointKind, &str); 4] = [
    (EndpointKind::PublicMirror, "public_mirror"),
    (EndpointKind::PrivateMirror, "private_mirror"),
    (EndpointKind::PrivateRegistry, "private_registry"),
    (EndpointKind::HarborProject, "harbor_project"),
];
/// The kind choice: (value, i18n key), in the order of `KINDS`.
const KIND_OPTIONS: [(&str, &str); 4] = [
    ("public_mirror", "kind.public_mirror"),
    ("private_mirror", "kind.private_mirror"),
    ("private_registry", "kind.private_registry"),
    ("harbor_project", "kind.harbor_project"),
];
static URL: ItemText = ItemText::plain(".url", "registries.url", "https://mirror.example.com");
static DIAL_TIMEOUT: ItemText = ItemText { hint: Some("registries.dial_timeout_hint"), ..ItemText::plain(".dial_timeout", "registries.dial_timeout", "3s") };
static HEADER_NAME: ItemText = ItemText::plain(".name", "registries.header_name", "X-Custom");
const CAPABILITIES: [Capability; 4] = [Capability::Pull, Capability::Resolve, Capability::Push, Capability::Referrers];

fn kind_key(k: EndpointKind) -> &'static str {
    KINDS.iter().find(|(kind, _)| *kind == k).map(|(_, key)| *key).unwrap_or("private_mirror")
}

fn kind_from(s: &str) -> EndpointKind {
    KINDS.iter().find(|(_, key)| *key == s).map(|(kind, _)| *kind).unwrap_or(EndpointKind::PrivateMirror)
}

/// Which endpoint a piece of the card is about.
#[derive(Clone, Copy, PartialEq)]
struct At {
    registry: usize,
    endpoint: usize,
}

impl At {
    fn base(self) -> String {
        path_at(&path_at("registries[", self.registry, "].endpoints["), self.endpoint, "]")
    }
    /// A callback that sets one field of this endpoint from an input's value.
    /// (A function pointer, not a closure type per field: one callback type per kind of value.)
    fn setter<T: 'static>(self, ctx: &Ctx, field: fn(T) -> EndpointField) -> Callback<T> {
        on_value_at(ctx, (self, field), |(at, field), v| Edit::SetEndpoint { registry: at.registry, endpoint: at.endpoint, field: field(v) })
    }
}

/// Endpoint `j` of registry `i`, which has `count` endpoints (the last one cannot move down); keyed by `j` in
/// the registry's list.
pub fn endpoint_card(ctx: &Ctx, i: usize, j: usize, count: usize) -> Html {
    let at = At { registry: i, endpoint: j };
    let Some(e) = ctx.project.registries.get(i).and_then(|r| r.endpoints.get(j)) else { return html! {} };
    let base = at.base();
    html! {
        <li class="endpoint card" key={j}>
            { card_head(ctx, at, count) }
            { item_text(ctx, &base, &URL, e.url.clone(), at.setter(ctx, EndpointField::Url)) }
            { div("row", html! { <>
                { select_field(ctx, &suffixed(&base, ".kind"), "registries.kind", Some("registries.kind_hint"), kind_key(e.kind), &KIND_OPTIONS,
                    at.setter(ctx, |v: String| EndpointField::Kind(kind_from(&v)))) }
                { capability_boxes(ctx, at, e) }
            </> }) }
            { div("row", html! { <>
                { check_field(ctx, &suffixed(&base, ".override_path"), "registries.override_path", "registries.override_path_hint",
                    e.override_path, at.setter(ctx, EndpointField::OverridePath)) }
                { item_text(ctx, &base, &DIAL_TIMEOUT, e.dial_timeout.clone().unwrap_or_default(), at.setter(ctx, EndpointField::DialTimeout)) }
            </> }) }
            { headers(ctx, at, &e.headers) }
            { tls_link(ctx, e) }
        </li>
    }
}

/// "Endpoint n" (its place in the try order), move up / down, remove.
fn card_head(ctx: &Ctx, at: At, count: usize) -> Html {
    let lang = ctx.lang;
    let j = at.endpoint;
    let base = at.base();
    let id = field_id(&base);
    let mover = |up: bool, disabled: bool| {
        let key = if up { "registries.move_up" } else { "registries.move_down" };
        let onclick = {
            let ctx = ctx.clone();
            // Moving up from the first place is disabled, so `j - 1` never underflows when it is clicked.
            let to = if up { j.saturating_sub(1) } else { j + 1 };
            Callback::from(move |_| edit(&ctx, Edit::MoveEndpoint { registry: at.registry, from: j, to }))
        };
        html! {
            <button type="button" class="icon" id={suffixed(&id, if up { "-up" } else { "-down" })} {onclick} {disabled}
                aria-label={t(lang, key)} title={t(lang, key)}>{ if up { "↑" } else { "↓" } }</button>
        }
    };
    let remove = on_click_edit(ctx, Edit::RemoveEndpoint { registry: at.registry, endpoint: j });
    html! {
        <div class="card-head">
            <span class="order" title={t(lang, "registries.order_hint")}>{ tf(lang, "registries.endpoint_n", &[("n", &(j + 1).to_string())]) }</span>
            <span class="spacer"></span>
            { mover(true, j == 0) }
            { mover(false, j + 1 >= count) }
            { remove_button(&base, t(lang, "registries.remove_endpoint"), remove) }
        </div>
    }
}

/// One checkbox per capability, checked as containerd will use them (the kind's defaults unless chosen).
fn capability_boxes(ctx: &Ctx, at: At, e: &Endpoint) -> Html {
    let lang = ctx.lang;
    let path = suffixed(&at.base(), ".capabilities");
    let id = field_id(&path);
    let label_id = AttrValue::from(suffixed(&id, "-label"));
    let effective = e.effective_capabilities();
    let boxes = CAPABILITIES.map(|c| {
        let onchange = {
            let ctx = ctx.clone();
            Callback::from(move |ev: Event| {
                let field = EndpointField::Capability(c, event_checked(&ev));
                edit(&ctx, Edit::SetEndpoint { registry: at.registry, endpoint: at.endpoint, field })
            })
        };
        let box_id = AttrValue::from([&*id, "-", c.as_str()].concat());
        html! {
            <label class="cap" for={box_id.clone()}>
                <input id={box_id} type="checkbox" checked={effective.contains(&c)} {onchange} />
                { c.as_str() }
            </label>
        }
    });
    html! {
        <div class="field caps" role="group" aria-labelledby={label_id.clone()}>
            <span class="label" id={label_id}>
                { t(lang, "registries.capabilities") }
                <span class="hint">{ if e.capabilities.is_empty() { t(lang, "registries.caps_default") } else { t(lang, "registries.caps_custom") } }</span>
            </span>
            <div class="caps-row">{ for boxes }</div>
            { field_messages(ctx, &path) }
        </div>
    }
}

/// The endpoint's extra HTTP headers, and a button to add one.
fn headers(ctx: &Ctx, at: At, headers: &[Header]) -> Html {
    let lang = ctx.lang;
    let add = on_click_edit(ctx, Edit::AddHeader { registry: at.registry, endpoint: at.endpoint });
    let mut rows = Vec::with_capacity(headers.len());
    for (k, h) in headers.iter().enumerate() {
        rows.push(header_row(ctx, at, k, h));
    }
    html! {
        <fieldset class="headers">
            <legend>{ t(lang, "registries.headers") }</legend>
            { for rows }
            { button(AttrValue::default(), "small", t(lang, "registries.add_header"), false, add) }
        </fieldset>
    }
}

/// A header's name and first value. Secret headers (Authorization, tokens) and values read from an environment
/// variable use the secret field.
fn header_row(ctx: &Ctx, at: At, k: usize, h: &Header) -> Html {
    let lang = ctx.lang;
    let (registry, endpoint) = (at.registry, at.endpoint);
    let hp = path_at(&suffixed(&at.base(), ".headers["), k, "]");
    let value_path = suffixed(&hp, ".values[0]");
    let on_name = on_value_at(ctx, (at, k), |(at, header), name| Edit::SetHeaderName { registry: at.registry, endpoint: at.endpoint, header, name });
    let on_value = on_value_at(ctx, (at, k), |(at, header), value: Secret| Edit::SetHeaderValue { registry: at.registry, endpoint: at.endpoint, header, value });
    let on_remove = on_click_edit(ctx, Edit::RemoveHeader { registry, endpoint, header: k });
    let value = h.values.first().cloned().unwrap_or_default();
    let value_field = if ccb_core::secrets::is_secret_header(&h.name) || matches!(value, Secret::FromEnv(_)) {
        secret_field(ctx, value_path, "registries.header_value", None, &value, on_value)
    } else {
        let text = ccb_core::secrets::display_secret(&value);
        let on_text = Callback::from(move |v: String| on_value.emit(Secret::Literal(v)));
        text_field(ctx, Text { path: value_path, label: "registries.header_value", value: text, ..Text::default() }, on_text)
    };
    html! {
        { div("row header-row", html! { <>
            { item_text(ctx, &hp, &HEADER_NAME, h.name.clone(), on_name) }
            { value_field }
            <button type="button" class="icon" onclick={on_remove} aria-label={t(lang, "registries.remove_header")} title={t(lang, "registries.remove_header")}>{ "✕" }</button>
        </> }) }
    }
}

/// Whether the endpoint has TLS settings, and a link to the TLS section where they are edited.
fn tls_link(ctx: &Ctx, e: &Endpoint) -> Html {
    let lang = ctx.lang;
    let summary = if e.tls.is_empty() { t(lang, "registries.tls_none") } else { t(lang, "registries.tls_set") };
    html! {
        <p class="tls-link">{ summary }{ " " }{ section_link(ctx, Section::Tls, "registries.edit_tls") }</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_keys_round_trip() {
        for ((kind, key), (value, text)) in KINDS.into_iter().zip(KIND_OPTIONS) {
            assert_eq!(kind_from(kind_key(kind)), kind);
            assert_eq!(kind_key(kind), key);
            assert_eq!((value, text), (key, format!("kind.{key}").as_str()));
        }
        assert_eq!(kind_from("unknown"), EndpointKind::PrivateMirror);
    }
}
