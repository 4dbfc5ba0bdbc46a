//! Form controls that know their field path: a real `<label>`, an `id` derived from the path (so the summary can
//! move focus to it), and the core's diagnostics for that path right under the input, in the current language.

use ccb_core::Severity;
use yew::prelude::*;

use crate::i18n::t;
use crate::state::AppState;

pub type Ctx = UseReducerHandle<AppState>;
/// Sends actions without reading the state: it never changes, so a component holding only this (and its props)
/// is not re-rendered by every keystroke elsewhere (one card per registry, 500 of them).
pub type Dispatch = UseReducerDispatcher<AppState>;

#[hook]
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().expect("AppState context")
}

#[hook]
pub fn use_dispatch() -> Dispatch {
    use_context::<Dispatch>().expect("AppState dispatcher context")
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

pub fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

#[derive(Properties, PartialEq)]
pub struct MessagesProps {
    pub path: AttrValue,
}

/// The diagnostics at `path`, shown under a field.
#[function_component(FieldMessages)]
pub fn field_messages(p: &MessagesProps) -> Html {
    let ctx = use_ctx();
    let msgs: Vec<Html> = ctx
        .diagnostics_at(&p.path)
        .map(|d| {
            let class = classes!("msg", severity_class(d.severity));
            let label = t(ctx.lang, &format!("severity.{}", d.severity.as_str()));
            html! { <li {class} data-code={d.code}><span class="sev">{ label }</span>{ " " }{ d.message.get(ctx.lang).to_string() }</li> }
        })
        .collect();
    if msgs.is_empty() {
        return html! {};
    }
    html! { <ul class="field-msgs" id={format!("{}-msgs", field_id(&p.path))} aria-live="polite">{ for msgs }</ul> }
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

#[derive(Properties, PartialEq)]
pub struct TextProps {
    pub path: AttrValue,
    /// i18n key of the label.
    pub label: AttrValue,
    pub value: AttrValue,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    /// i18n key of a hint shown under the label.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub secret: bool,
    #[prop_or_default]
    pub multiline: bool,
    pub on_input: Callback<String>,
}

#[function_component(TextField)]
pub fn text_field(p: &TextProps) -> Html {
    let ctx = use_ctx();
    let id = field_id(&p.path);
    let worst = worst_at(&ctx, &p.path);
    let invalid = worst == Some(Severity::Error);
    let described = if ctx.diagnostics_at(&p.path).next().is_some() { Some(format!("{id}-msgs")) } else { None };
    let oninput = {
        let cb = p.on_input.clone();
        Callback::from(move |e: InputEvent| cb.emit(event_value(&e)))
    };
    let class = classes!("field", worst.map(severity_class));
    let hint = p.hint.as_ref().map(|h| html! { <span class="hint">{ t(ctx.lang, h) }</span> });
    let control = if p.multiline {
        html! {
            <textarea {id} value={p.value.clone()} {oninput} rows="6" spellcheck="false"
                placeholder={p.placeholder.clone()} aria-invalid={invalid.to_string()} aria-describedby={described} />
        }
    } else {
        html! {
            <input {id} type={if p.secret { "password" } else { "text" }} value={p.value.clone()} {oninput}
                autocomplete="off" spellcheck="false" placeholder={p.placeholder.clone()}
                aria-invalid={invalid.to_string()} aria-describedby={described} />
        }
    };
    html! {
        <div {class}>
            <label for={field_id(&p.path)}>{ t(ctx.lang, &p.label) }{ hint }</label>
            { control }
            <FieldMessages path={p.path.clone()} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub path: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    /// (value, i18n key of the option's text)
    pub options: Vec<(AttrValue, AttrValue)>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    pub on_change: Callback<String>,
}

#[function_component(SelectField)]
pub fn select_field(p: &SelectProps) -> Html {
    let ctx = use_ctx();
    let id = field_id(&p.path);
    let onchange = {
        let cb = p.on_change.clone();
        Callback::from(move |e: Event| cb.emit(event_value(&e)))
    };
    let worst = worst_at(&ctx, &p.path);
    let hint = p.hint.as_ref().map(|h| html! { <span class="hint">{ t(ctx.lang, h) }</span> });
    html! {
        <div class={classes!("field", worst.map(severity_class))}>
            <label for={id.clone()}>{ t(ctx.lang, &p.label) }{ hint }</label>
            <select {id} {onchange}>
                { for p.options.iter().map(|(v, k)| html! {
                    <option value={v.clone()} selected={*v == p.value}>{ t(ctx.lang, k) }</option>
                }) }
            </select>
            <FieldMessages path={p.path.clone()} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckProps {
    pub path: AttrValue,
    pub label: AttrValue,
    pub checked: bool,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    pub on_change: Callback<bool>,
}

#[function_component(CheckField)]
pub fn check_field(p: &CheckProps) -> Html {
    use wasm_bindgen::JsCast;
    let ctx = use_ctx();
    let id = field_id(&p.path);
    let onchange = {
        let cb = p.on_change.clone();
        Callback::from(move |e: Event| {
            let checked = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.checked());
            cb.emit(checked.unwrap_or(false))
        })
    };
    let worst = worst_at(&ctx, &p.path);
    let hint = p.hint.as_ref().map(|h| html! { <span class="hint">{ t(ctx.lang, h) }</span> });
    html! {
        <div class={classes!("field", "check", worst.map(severity_class))}>
            <input {id} type="checkbox" checked={p.checked} {onchange} />
            <label for={field_id(&p.path)}>{ t(ctx.lang, &p.label) }{ hint }</label>
            <FieldMessages path={p.path.clone()} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::field_id;

    #[test]
    fn ids_follow_paths() {
        assert_eq!(field_id("registries[0].endpoints[12].url"), "f-registries-0-endpoints-12-url");
        assert_eq!(field_id("target.min"), "f-target-min");
    }
}
