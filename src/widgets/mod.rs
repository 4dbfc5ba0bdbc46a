//! View pieces every section shares: inputs tied to a field path that `fields.rs` does not have ([`inputs`]), and
//! small helpers (focus after an "add", list separators).

pub mod inputs;

use yew::prelude::*;

pub use inputs::{ParsedField, RadioGroup};

/// The ✕ button that removes the item at field `path` (id `<field id>-remove`), named by `label` for screen readers
/// and as its tooltip.
pub fn remove_button(path: &str, label: &str, onclick: Callback<MouseEvent>) -> Html {
    let id = format!("{}-remove", crate::fields::field_id(path));
    html! { <button type="button" class="icon danger" {id} {onclick} aria-label={label.to_string()} title={label.to_string()}>{ "✕" }</button> }
}

/// The separator of an inline list of names ("a, b" / "a、b").
pub fn list_sep(lang: ccb_core::Lang) -> &'static str {
    match lang {
        ccb_core::Lang::En => ", ",
        ccb_core::Lang::Zh => "、",
    }
}

/// Moves focus to `id` once the next render is on screen (after an "add" button made the field appear).
pub fn focus_soon(id: impl Into<String>) {
    let id = id.into();
    gloo_timers::callback::Timeout::new(0, move || {
        crate::browser::focus(&id);
    })
    .forget();
}

/// Opens `section` and focuses the element `id` in it once it is rendered (links from the preview, the Problems list,
/// the target line).
pub fn open_and_focus(ctx: &crate::fields::Ctx, section: crate::state::Section, id: impl Into<String>) {
    ctx.dispatch(crate::state::Action::SetSection(section));
    focus_soon(id);
}

/// Opens the section holding the field at `path` (a diagnostic's path) and focuses that field.
pub fn jump_to_field(ctx: &crate::fields::Ctx, path: &str) {
    open_and_focus(ctx, crate::state::Section::of_path(path), crate::fields::field_id(path));
}
