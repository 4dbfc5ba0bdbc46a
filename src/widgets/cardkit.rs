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
