//! Form controls that know their field path: a real `<label>`, an `id` derived from the path (so the summary can
//! move focus to it), and the core's diagnostics for that path right under the input, in the current language.
//! Plain functions of the state, not components: they re-render with the section that shows them anyway (every
//! view reads the one `AppState` context), and each component would cost its own yew machinery in the wasm.

use ccb_core::Severity;
use yew::prelude::*;

use crate::i18n::t;
use crate::state::AppState;

pub type Ctx = UseReducerHandle<AppState>;
/// Sends actions without reading the state: it never changes, so a component holding only this (and its props)
/// is not re-rendered by every keystroke elsewhere (one card per registry, 500 of them). Handed down as a prop.
pub type Dispatch = UseReducerDispatcher<AppState>;

#[hook]
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().expect("AppState context")
}

/// The DOM id of the input for a field path: `registries[0].url` → `f-registries-0-url`.
pub fn field_id(path: &str) -> String {
    // The node's config.toml box is not a project field; it has a fixed id.
    if path == "existing_config" {
        return "existing-config".to_string();
    }
    let mut id = String::from("f-");
    for c in path.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => id.push(c),
            _ => id.push('_'),
        }
    }
    id
}

/// The id of an element that belongs to the input `id`: `suffixed(id, "-msgs")`.
pub fn suffixed(id: &str, suffix: &str) -> String {
    [id, suffix].concat()
}

pub fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// The i18n key of a severity's name ("Error", "错误").
pub fn severity_key(s: Severity) -> &'static str {
    match s {
        Severity::Error => "severity.error",
        Severity::Warning => "severity.warning",
        Severity::Info => "severity.info",
    }
}

/// `class` of a diagnostic's `<li>`: `msg` and its severity.
pub fn msg_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "msg error",
        Severity::Warning => "msg warning",
        Severity::Info => "msg info",
    }
}

/// `class` of a field's box: `field`, marked with the worst severity of its messages.
pub fn field_class(worst: Option<Severity>) -> &'static str {
    match worst {
        None => "field",
        Some(Severity::Error) => "field error",
        Some(Severity::Warning) => "field warning",
        Some(Severity::Info) => "field info",
    }
}

/// The value of a true/false attribute (`aria-invalid`, `aria-expanded`, `aria-pressed`).
pub fn bool_attr(on: bool) -> &'static str {
    if on {
        "true"
    } else {
        "false"
    }
}

/// `<span class="hint">` with the text of `key`.
pub fn hint(lang: ccb_core::Lang, key: &str) -> Html {
    html! { <span class="hint">{ crate::i18n::t_gated(lang, key) }</span> }
}

/// A field's `<label for=id>`: the text of `label`, then the hint of `hint` when there is one.
pub fn label(lang: ccb_core::Lang, id: &AttrValue, label: &str, hint_key: Option<&str>) -> Html {
    html! { <label for={id.clone()}>{ t(lang, label) }{ for hint_key.map(|h| hint(lang, h)) }</label> }
}

/// The diagnostics at `path`, shown under a field.
pub fn field_messages(ctx: &AppState, path: &str) -> Html {
    let lang = ctx.lang;
    let mut msgs = ctx
        .diagnostics_at(path)
        .map(|d| {
            html! { <li class={msg_class(d.severity)} data-code={d.code}><span class="sev">{ t(lang, severity_key(d.severity)) }</span>{ " " }{ d.message.get(lang).to_string() }</li> }
        })
        .peekable();
    if msgs.peek().is_none() {
        return html! {};
    }
    html! { <ul class="field-msgs" id={suffixed(&field_id(path), "-msgs")} aria-live="polite">{ for msgs }</ul> }
}

fn worst_at(ctx: &AppState, path: &str) -> Option<Severity> {
    ctx.diagnostics_at(path).map(|d| d.severity).max()
}

/// The text of an `<input>`, `<textarea>` or `<select>` event target.
pub(crate) fn event_value<E: AsRef<web_sys::Event>>(e: &E) -> String {
    use wasm_bindgen::JsCast;
    let target = e.as_ref().target();
    if let Some(i) = target.clone().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        return i.value();
    }
    if let Some(t) = target.clone().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
        return t.value();
    }
    if let Some(s) = target.and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
        return s.value();
    }
    String::new()
}

/// Whether the checkbox an event came from is checked.
pub(crate) fn event_checked(e: &Event) -> bool {
    use wasm_bindgen::JsCast;
    e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.checked()).unwrap_or(false)
}

/// What a text field shows: its field path, i18n keys of its label and hint, its value and placeholder.
#[derive(Default)]
pub struct Text {
    pub path: String,
    /// i18n key of the label.
    pub label: &'static str,
    /// i18n key of a hint shown under the label.
    pub hint: Option<&'static str>,
    pub value: String,
    /// "" for none.
    pub placeholder: &'static str,
    pub secret: bool,
    pub multiline: bool,
    /// Values offered while typing (a `<datalist>`; single-line fields only).
    pub suggestions: &'static [&'static str],
}

fn placeholder(p: &'static str) -> Option<AttrValue> {
    (!p.is_empty()).then_some(AttrValue::Static(p))
}

/// A labelled text input (or textarea) that reports every keystroke to `on_input`.
pub fn text_field(ctx: &AppState, f: Text, on_input: Callback<String>) -> Html {
    let lang = ctx.lang;
    let id = AttrValue::from(field_id(&f.path));
    let worst = worst_at(ctx, &f.path);
    let invalid = bool_attr(worst == Some(Severity::Error));
    let described = worst.map(|_| suffixed(&id, "-msgs"));
    let oninput = Callback::from(move |e: InputEvent| on_input.emit(event_value(&e)));
    let value = AttrValue::from(f.value);
    let list = (!f.suggestions.is_empty()).then(|| AttrValue::from(suffixed(&id, "-list")));
    let control = if f.multiline {
        html! {
            <textarea id={id.clone()} {value} {oninput} rows="6" spellcheck="false"
                placeholder={placeholder(f.placeholder)} aria-invalid={invalid} aria-describedby={described} />
        }
    } else {
        html! {
            <>
            <input id={id.clone()} type={if f.secret { "password" } else { "text" }} {value} {oninput} list={list.clone()}
                autocomplete="off" spellcheck="false" placeholder={placeholder(f.placeholder)}
                aria-invalid={invalid} aria-describedby={described} />
            if let Some(list) = list {
                <datalist id={list}>{ for f.suggestions.iter().map(|s| html! { <option value={*s} /> }) }</datalist>
            }
            </>
        }
    };
    html! {
        <div class={field_class(worst)}>
            { label(lang, &id, f.label, f.hint) }
            { control }
            { field_messages(ctx, &f.path) }
        </div>
    }
}

/// A labelled `<select>`; `options` are (value, i18n key of the option's text).
pub fn select_field(
    ctx: &AppState,
    path: &str,
    label_key: &'static str,
    hint_key: Option<&'static str>,
    value: &str,
    options: &[(&'static str, &'static str)],
    on_change: Callback<String>,
) -> Html {
    select_with(ctx, path, label_key, hint_key, value, options, None, on_change)
}

/// `select_field` with one more option after `options`, whose text is its value (a value read from a file that
/// the list does not have, so it stays selectable).
#[allow(clippy::too_many_arguments)]
pub fn select_with(
    ctx: &AppState,
    path: &str,
    label_key: &'static str,
    hint_key: Option<&'static str>,
    value: &str,
    options: &[(&'static str, &'static str)],
    extra: Option<&str>,
    on_change: Callback<String>,
) -> Html {
    let lang = ctx.lang;
    let id = AttrValue::from(field_id(path));
    let onchange = Callback::from(move |e: Event| on_change.emit(event_value(&e)));
    html! {
        <div class={field_class(worst_at(ctx, path))}>
            { label(lang, &id, label_key, hint_key) }
            <select {id} {onchange}>
                { for options.iter().map(|(v, k)| html! {
                    <option value={*v} selected={*v == value}>{ t(lang, k) }</option>
                }) }
                { for extra.map(|v| html! { <option value={v.to_string()} selected={v == value}>{ v.to_string() }</option> }) }
            </select>
            { field_messages(ctx, path) }
        </div>
    }
}

/// `Some(v)` unless `v` is empty: an attribute that is left out when it has no value.
fn given(v: &'static str) -> Option<&'static str> {
    (!v.is_empty()).then_some(v)
}

/// `<p class id>` with `text`; `class` or `id` "" for none. The notes and hints of the sections, drawn by one body.
pub fn para(class: &'static str, id: &'static str, text: AttrValue) -> Html {
    html! { <p class={given(class)} id={given(id)}>{ text }</p> }
}

/// `<button type="button">` with `text`; `id` or `class` "" for none.
pub fn button(id: AttrValue, class: &'static str, text: &str, disabled: bool, onclick: Callback<MouseEvent>) -> Html {
    let id = (!id.is_empty()).then_some(id);
    html! { <button type="button" {id} class={given(class)} {onclick} {disabled}>{ text }</button> }
}

/// What a [`crate::widgets::ParsedField`] shows (its props but the callback), with `Default` for the rest.
pub struct Parsed {
    pub path: AttrValue,
    /// i18n keys of the label, hint and "not valid" message.
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub invalid: Option<&'static str>,
    pub value: String,
    /// The model value a text stands for (`None`: not valid); every text is valid by default.
    pub normalize: fn(String) -> Option<String>,
    pub placeholder: AttrValue,
    pub suggestions: Vec<AttrValue>,
}

impl Default for Parsed {
    fn default() -> Self {
        Parsed { path: AttrValue::default(), label: "", hint: None, invalid: None, value: String::new(), normalize: Some, placeholder: AttrValue::default(), suggestions: Vec::new() }
    }
}

/// A [`crate::widgets::ParsedField`]: its props built in this one body rather than at every place one is drawn.
pub fn parsed_field(p: Parsed, on_input: Callback<String>) -> Html {
    let Parsed { path, label, hint, invalid, value, normalize, placeholder, suggestions } = p;
    let (label, hint, invalid) = (AttrValue::Static(label), hint.map(AttrValue::Static), invalid.map(AttrValue::Static));
    html! { <crate::widgets::ParsedField {path} {label} {hint} {invalid} {value} normalize={Callback::from(normalize)} {on_input} {placeholder} {suggestions} /> }
}

/// The click of an "add" button: applies `edit`, then moves focus to the field at `focus_path` (the new item's
/// first field, there after the next render). The path is known when the button is drawn, as every change draws it
/// again.
pub fn on_add(ctx: &Ctx, edit: ccb_core::edit::Edit, focus_path: &str) -> Callback<MouseEvent> {
    let (ctx, id, edit) = (ctx.clone(), field_id(focus_path), std::rc::Rc::new(edit));
    Callback::from(move |_| {
        crate::state::edit_shared(&ctx, &edit);
        crate::widgets::focus_soon(id.clone());
    })
}

/// The "turn on" checkbox of a part of the project (Harbor, the air-gap): `on` and focus to the field at
/// `focus_path` when checked, `off` when cleared.
pub fn on_toggle(ctx: &Ctx, on: ccb_core::edit::Edit, off: ccb_core::edit::Edit, focus_path: &str) -> Callback<bool> {
    let (ctx, id, on, off) = (ctx.clone(), field_id(focus_path), std::rc::Rc::new(on), std::rc::Rc::new(off));
    Callback::from(move |checked: bool| {
        crate::state::edit_shared(&ctx, if checked { &on } else { &off });
        if checked {
            crate::widgets::focus_soon(id.clone());
        }
    })
}

/// `<section class="card">` titled by its `<h3 id=title_id>` (the text of `title_key`; focusable when a link
/// moves there), then `body`; `id` "" for none.
pub fn titled_card(lang: ccb_core::Lang, id: &'static str, title_id: &'static str, title_key: &str, focusable: bool, body: Html) -> Html {
    html! {
        <section class="card" aria-labelledby={title_id} id={given(id)}>
            <h3 id={title_id} tabindex={focusable.then_some("-1")}>{ t(lang, title_key) }</h3>
            { body }
        </section>
    }
}

/// `<section class="card">` headed by `widgets::card_title` (`<div class="card-head"><h3 id=title_id>`), then `body`.
pub fn headed_card(lang: ccb_core::Lang, title_id: &'static str, title_key: &str, body: Html) -> Html {
    html! { <section class="card" aria-labelledby={title_id}>{ crate::widgets::card_title(lang, title_id, title_key) }{ body }</section> }
}

/// `<div class>` around `body` (the form's rows).
pub fn div(class: &'static str, body: Html) -> Html {
    html! { <div {class}>{ body }</div> }
}

/// A control that is not a project field in `<div class="field">`, after its `<label for=id>` (the text of
/// `label_key`, the hint of `hint_key`).
pub fn labelled(lang: ccb_core::Lang, id: &'static str, label_key: &str, hint_key: Option<&str>, control: Html) -> Html {
    html! { <div class="field">{ label(lang, &AttrValue::Static(id), label_key, hint_key) }{ control }</div> }
}

/// What a checkbox row shows: its id, label text and hint key, whether it is checked or disabled, and the id of
/// the note that says why it is disabled.
pub struct Check {
    pub id: AttrValue,
    pub label: AttrValue,
    pub hint: Option<&'static str>,
    pub checked: bool,
    pub disabled: bool,
    pub described_by: Option<&'static str>,
}

/// A checkbox and its label in `<div class>`, then `after` (a field's messages): every checkbox of the form.
pub fn check_row(lang: ccb_core::Lang, class: &'static str, c: Check, onchange: Callback<Event>, after: Html) -> Html {
    let Check { id, label, hint: hint_key, checked, disabled, described_by } = c;
    html! {
        <div {class}>
            <input id={id.clone()} type="checkbox" {checked} {disabled} {onchange} aria-describedby={described_by} />
            <label for={id}>{ label }{ for hint_key.map(|h| hint(lang, h)) }</label>
            { after }
        </div>
    }
}

/// A checkbox with its label and hint (i18n keys).
pub fn check_field(ctx: &AppState, path: &str, label_key: &'static str, hint_key: &'static str, checked: bool, on_change: Callback<bool>) -> Html {
    check_field_labelled(ctx, path, t(ctx.lang, label_key), hint_key, checked, on_change)
}

/// [`check_field`] with a label already worded (one that names a value, such as the registry).
pub fn check_field_labelled(ctx: &AppState, path: &str, label_text: &str, hint_key: &'static str, checked: bool, on_change: Callback<bool>) -> Html {
    let id = AttrValue::from(field_id(path));
    let onchange = Callback::from(move |e: Event| on_change.emit(event_checked(&e)));
    let class = match worst_at(ctx, path) {
        None => "field check",
        Some(Severity::Error) => "field check error",
        Some(Severity::Warning) => "field check warning",
        Some(Severity::Info) => "field check info",
    };
    let c = Check { id, label: AttrValue::from(label_text.to_string()), hint: Some(hint_key), checked, disabled: false, described_by: None };
    check_row(ctx.lang, class, c, onchange, field_messages(ctx, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_paths() {
        assert_eq!(field_id("registries[0].endpoints[12].url"), "f-registries-0-endpoints-12-url");
        assert_eq!(field_id("target.min"), "f-target-min");
        assert_eq!(suffixed(&field_id("target.min"), "-msgs"), "f-target-min-msgs");
    }

    #[test]
    fn classes_name_the_worst_severity() {
        assert_eq!(field_class(None), "field");
        assert_eq!(field_class(Some(Severity::Warning)), "field warning");
        assert_eq!(msg_class(Severity::Error), "msg error");
        for s in [Severity::Error, Severity::Warning, Severity::Info] {
            assert_eq!(severity_key(s), format!("severity.{}", s.as_str()));
            assert_eq!(msg_class(s), format!("msg {}", severity_class(s)));
        }
    }
}
