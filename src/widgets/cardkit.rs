//! The Apply cards' bodies built from plain lists of nodes. Each `{ child }` of an `html!` list costs the wasm an
//! allocation and a call at that place (the macro wraps every expression child in its own one-item array so that
//! it may also be a list), and each `{ text }` copies the text into a new string. These functions take the children
//! as one `Vec` and static texts as they are, so a card's body is a `vec![…]` of calls, and each element shape is
//! drawn by the one `html!` here. The DOM is the same as the `html!` it replaces.

use std::rc::Rc;

use yew::prelude::*;
use yew::virtual_dom::{AttributeOrProperty, Attributes, Listeners, VList, VTag, VText};

use crate::i18n::t;

/// The nodes `children`, in order, as one node (what `html! { <>…</> }` makes).
pub fn frag(children: Vec<Html>) -> Html {
    Html::VList(Rc::new(VList::with_children(children, None)))
}

/// Nothing (what an `html!` `if` without `else` draws when its condition is false).
pub fn none() -> Html {
    Html::default()
}

/// A text that is in the binary already (a literal), not copied.
pub fn lit(text: &'static str) -> Html {
    Html::VText(VText::new(AttrValue::Static(text)))
}

/// The text of the catalogue key `key` in `lang`, not copied.
pub fn text(lang: ccb_core::Lang, key: &str) -> Html {
    lit(t(lang, key))
}

/// A text made for this render.
pub fn owned(text: String) -> Html {
    Html::VText(VText::new(text))
}

/// `<tag class id>` around `children`; `class` or `id` "" for none.
pub fn el(tag: &'static str, class: &'static str, id: &'static str, children: Vec<Html>) -> Html {
    // What `html! { <p class id>{ for children }</p> }` builds, without the checks a dynamic `html!` tag adds.
    let attr = |v: &'static str| (!v.is_empty()).then_some(AttributeOrProperty::Static(v));
    let attributes = Attributes::Dynamic { keys: &["class", "id"], values: Box::new([attr(class), attr(id)]) };
    VTag::__new_other(AttrValue::Static(tag), NodeRef::default(), None, attributes, Listeners::None, frag(children)).into()
}

/// `<code>` with `text`.
pub fn code(text: String) -> Html {
    el("code", "", "", vec![owned(text)])
}

/// The end of a diagnostic's line, after `at` (where it is): its severity, the message and its code in brackets.
/// One body for the import's findings and the export's diagnostics.
pub fn msg_tail(lang: ccb_core::Lang, severity: ccb_core::Severity, message: &str, code: &'static str, at: Html) -> Vec<Html> {
    vec![
        at,
        el("span", "sev", "", vec![text(lang, crate::fields::severity_key(severity))]),
        lit(" "),
        owned(message.to_string()),
        lit(" "),
        el("span", "hint", "", vec![owned(["[", code, "]"].concat())]),
    ]
}

/// A listener of an element drawn by [`tag`] (what `onclick={cb}` is in an `html!`: `onclick::Wrapper::__macro_new`).
pub type On = Option<Rc<dyn yew::virtual_dom::Listener>>;

/// `<name>` with the attributes `keys` (their values in `values`, in the same order; `None` leaves one out), the
/// listeners `on` and `children`. An `html!` element builds its `VTag` in place, a copy of that set-up in the
/// wasm at every element of every view; this is the one body for the views that call it. The DOM is the same.
#[inline(never)]
pub fn tag(name: &'static str, keys: &'static [&'static str], values: Vec<Option<AttrValue>>, on: Vec<On>, children: Vec<Html>) -> Html {
    let values = values.into_iter().map(|v| v.map(AttributeOrProperty::Attribute)).collect();
    let listeners = if on.is_empty() { Listeners::None } else { Listeners::Pending(on.into_boxed_slice()) };
    VTag::__new_other(AttrValue::Static(name), NodeRef::default(), None, Attributes::Dynamic { keys, values }, listeners, frag(children)).into()
}

/// A literal attribute value for [`tag`].
pub fn s(value: &'static str) -> Option<AttrValue> {
    Some(AttrValue::Static(value))
}

/// A boolean attribute for [`tag`]: present (as `name="name"`, what `html!` writes) when `on`.
pub fn flag(on: bool, name: &'static str) -> Option<AttrValue> {
    on.then_some(AttrValue::Static(name))
}

/// A click listener for [`tag`].
pub fn click(cb: Callback<MouseEvent>) -> On {
    yew::html::onclick::Wrapper::__macro_new(cb)
}
