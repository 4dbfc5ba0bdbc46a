//! View pieces every section shares: inputs tied to a field path that `fields.rs` does not have ([`inputs`]), the
//! repeated shapes of the sections (intro line, card title, links to another section, remove buttons) and small
//! helpers (focus after an "add", list separators). Each shape is one function, so the wasm holds it once instead
//! of once per place it is drawn.

pub mod cardkit;
pub mod inputs;
pub mod memo;
pub mod rows;
pub mod secret;

use yew::prelude::*;

use crate::fields::Ctx;
use crate::i18n::t;
use crate::state::{Action, Section};
pub use inputs::{radio_group, ParsedField};

/// The ✕ button that removes the item at field `path` (id `<field id>-remove`), named by `label` for screen readers
/// and as its tooltip.
pub fn remove_button(path: &str, label: &str, onclick: Callback<MouseEvent>) -> Html {
    let id = crate::fields::suffixed(&crate::fields::field_id(path), "-remove");
    let label = AttrValue::from(label.to_string());
    html! { <button type="button" class="icon danger" {id} {onclick} aria-label={label.clone()} title={label}>{ "✕" }</button> }
}

/// A link-styled button with an id (`goto-…`): text and click as data, one body for all of them.
pub fn link_button(id: &'static str, text: &'static str, onclick: Callback<MouseEvent>) -> Html {
    html! { <button type="button" class="link" {id} {onclick}>{ text }</button> }
}

/// A section's first line: `<p class="intro">`.
pub fn intro(lang: ccb_core::Lang, key: &str) -> Html {
    html! { <p class="intro">{ t(lang, key) }</p> }
}

/// The head of a card that has a title only: `<div class="card-head"><h3 id>`.
pub fn card_title(lang: ccb_core::Lang, id: &'static str, key: &str) -> Html {
    html! { <div class="card-head"><h3 {id}>{ t(lang, key) }</h3></div> }
}

/// A click that opens `section`.
pub fn open_section(ctx: &Ctx, section: Section) -> Callback<MouseEvent> {
    let ctx = ctx.clone();
    Callback::from(move |_| ctx.dispatch(Action::SetSection(section)))
}

/// A link-styled button with the text of `key` that opens `section`.
pub fn section_link(ctx: &Ctx, section: Section, key: &str) -> Html {
    html! { <button type="button" class="link" onclick={open_section(ctx, section)}>{ t(ctx.lang, key) }</button> }
}

/// A click that sends the action `make` builds (one closure type for every such button, not one per button).
pub fn on_click(ctx: &Ctx, make: fn() -> Action) -> Callback<MouseEvent> {
    let ctx = ctx.clone();
    Callback::from(move |_| ctx.dispatch(make()))
}

/// A click that opens `section` and focuses the element `id` in it ([`open_and_focus`]).
pub fn on_open_and_focus(ctx: &Ctx, section: Section, id: String) -> Callback<MouseEvent> {
    let ctx = ctx.clone();
    Callback::from(move |_| open_and_focus(&ctx, section, id.clone()))
}

/// A click that moves focus to the field at `path` (a diagnostic's path), in its section ([`jump_to_field`]).
pub fn on_jump(ctx: &Ctx, path: &str) -> Callback<MouseEvent> {
    on_open_and_focus(ctx, Section::of_path(path), crate::fields::field_id(path))
}

/// A callback that applies the edit `make` builds from its argument (an input's value, a checkbox's state).
pub fn on_edit<T: 'static>(ctx: &Ctx, make: impl Fn(T) -> ccb_core::edit::Edit + 'static) -> Callback<T> {
    let ctx = ctx.clone();
    Callback::from(move |v: T| crate::state::edit(&ctx, make(v)))
}

/// A click that applies `edit`.
pub fn on_click_edit(ctx: &Ctx, edit: ccb_core::edit::Edit) -> Callback<MouseEvent> {
    let (ctx, edit) = (ctx.clone(), std::rc::Rc::new(edit));
    Callback::from(move |_| crate::state::edit_shared(&ctx, &edit))
}

/// What a copy button did, under it: nothing yet, "copied" (a status), or refused (an alert: the text is selected,
/// press Ctrl+C); `id` for the tests.
pub fn copy_status(lang: ccb_core::Lang, copied: crate::copy::Copied, id: &'static str, done_key: &str, refused_key: &str) -> Html {
    use crate::copy::Copied;
    match copied {
        Copied::Idle => html! {},
        Copied::Done => html! { <p class="note ok small" {id} role="status">{ t(lang, done_key) }</p> },
        Copied::Refused => html! { <p class="note warning small" {id} role="alert">{ t(lang, refused_key) }</p> },
    }
}

/// An error under a control that is not a project field (an opened file, a pasted code), announced at once:
/// "Error" and `body`.
pub fn alert_error(lang: ccb_core::Lang, id: &'static str, body: Html) -> Html {
    html! {
        <ul class="field-msgs" {id} role="alert">
            <li class="msg error"><span class="sev">{ t(lang, "severity.error") }</span>{ " " }{ body }</li>
        </ul>
    }
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
    focus_after(id.into(), FOCUS_TRIES, true);
}

/// [`focus_soon`] without scrolling the page (a tab the keyboard moved to: the strip scrolls it into view itself).
pub fn focus_soon_in_place(id: impl Into<String>) {
    focus_after(id.into(), FOCUS_TRIES, false);
}

/// How many tasks [`focus_soon`] waits for its element: yew yields to the browser (a task of its own) when a render
/// takes more than 16 ms — the first render of a form of the split-off module, whose code V8 compiles then, can.
const FOCUS_TRIES: u8 = 20;

fn focus_after(id: String, tries: u8, scroll: bool) {
    crate::browser::main_only::after_this_task(move || {
        if crate::browser::focus_with(&id, scroll) {
            return;
        }
        if tries > 0 {
            focus_after(id, tries - 1, scroll);
        } else {
            // Still not there: maybe a form of the split-off module that is on its way.
            crate::sections::split::focus_when_loaded(id);
        }
    });
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
