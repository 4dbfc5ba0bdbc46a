//! [`ParsedField`], a text input whose text may not be a valid model value yet (versions, numbers) and that can
//! offer suggestions from a `<datalist>` (a component: it keeps the text typed so far), and [`radio_group`], a
//! choice with a one-line explanation per option.

use yew::prelude::*;

use crate::fields::{event_value, field_class, field_id, field_messages, bool_attr, label, suffixed, use_ctx};
use crate::i18n::t;
use crate::state::AppState;

#[derive(Properties, PartialEq)]
pub struct ParsedProps {
    pub path: AttrValue,
    /// i18n key of the label.
    pub label: AttrValue,
    /// The model's value, written the way `normalize` writes it.
    pub value: AttrValue,
    /// The model value a text stands for, written like `value`; `None` when the text is not a valid value.
    pub normalize: Callback<String, Option<String>>,
    /// Called with the text whenever it is valid (so the model follows every keystroke that makes sense).
    pub on_input: Callback<String>,
    /// i18n key of the message shown under the input while the text is not valid.
    #[prop_or_default]
    pub invalid: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    /// Values offered while typing (a `<datalist>`).
    #[prop_or_default]
    pub suggestions: Vec<AttrValue>,
}

/// A text field that keeps what the user typed even while it is not a valid value of the model (half-typed
/// "2.0." or "-" for a number): the model keeps its last valid value, a local message says what is wrong, and a
/// change of the model from elsewhere (undo, preset, opened file) replaces the text.
#[function_component(ParsedField)]
pub fn parsed_field(p: &ParsedProps) -> Html {
    let ctx = use_ctx();
    let text = use_mut_ref(|| p.value.to_string());
    let seen = use_mut_ref(|| p.value.to_string());
    let redraw = use_force_update();
    if *seen.borrow() != p.value.as_str() {
        *seen.borrow_mut() = p.value.to_string();
        let current = text.borrow().clone();
        if p.normalize.emit(current).as_deref() != Some(p.value.as_str()) {
            *text.borrow_mut() = p.value.to_string();
        }
    }
    let current = text.borrow().clone();
    let locally_invalid = p.normalize.emit(current.clone()).is_none();
    let id = AttrValue::from(field_id(&p.path));
    let oninput = {
        let text = text.clone();
        let normalize = p.normalize.clone();
        let on_input = p.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let v = event_value(&e);
            *text.borrow_mut() = v.clone();
            if normalize.emit(v.clone()).is_some() {
                on_input.emit(v);
            }
            redraw.force_update();
        })
    };
    let worst = ctx.diagnostics_at(&p.path).map(|d| d.severity).max();
    let severity = if locally_invalid { Some(ccb_core::Severity::Error) } else { worst };
    let local_id = (locally_invalid && p.invalid.is_some()).then(|| suffixed(&id, "-local"));
    let described = match (&local_id, worst) {
        (Some(local), Some(_)) => Some([local.as_str(), " ", &id, "-msgs"].concat()),
        (Some(local), None) => Some(local.clone()),
        (None, Some(_)) => Some(suffixed(&id, "-msgs")),
        (None, None) => None,
    };
    let list_id = (!p.suggestions.is_empty()).then(|| AttrValue::from(suffixed(&id, "-list")));
    let local = match (&p.invalid, local_id) {
        (Some(key), Some(local_id)) => html! {
            <ul class="field-msgs" id={local_id} aria-live="polite">
                <li class="msg error"><span class="sev">{ t(ctx.lang, "severity.error") }</span>{ " " }{ t(ctx.lang, key) }</li>
            </ul>
        },
        _ => html! {},
    };
    html! {
        <div class={field_class(severity)}>
            { label(ctx.lang, &id, &p.label, p.hint.as_deref()) }
            <input id={id.clone()} type="text" value={current} {oninput} list={list_id.clone()} autocomplete="off" spellcheck="false"
                placeholder={p.placeholder.clone()} aria-invalid={bool_attr(severity == Some(ccb_core::Severity::Error))}
                aria-describedby={described} />
            if let Some(list_id) = list_id {
                <datalist id={list_id}>{ for p.suggestions.iter().map(|s| html! { <option value={s.clone()} /> }) }</datalist>
            }
            { local }
            { field_messages(&ctx, &p.path) }
        </div>
    }
}

/// Radio buttons with an explanation under each option: `options` are (value, i18n key of its label, i18n key of
/// its one-line explanation). The group carries the field's id (focusable, so the summary can move to it) and
/// shows the diagnostics of `path`.
pub fn radio_group(
    ctx: &AppState,
    path: &str,
    label_key: &'static str,
    value: &str,
    options: &[(&'static str, &'static str, &'static str)],
    on_change: Callback<String>,
) -> Html {
    let lang = ctx.lang;
    let id = AttrValue::from(field_id(path));
    let worst = ctx.diagnostics_at(path).map(|d| d.severity).max();
    html! {
        <fieldset class={field_class(worst)} id={id.clone()} tabindex="-1">
            <legend>{ t(lang, label_key) }</legend>
            { for options.iter().map(|&(v, label, hint)| {
                let oid = AttrValue::from([&*id, "-", v].concat());
                let cb = on_change.clone();
                let onchange = Callback::from(move |_: Event| cb.emit(v.to_string()));
                html! {
                    <div class="check">
                        <input type="radio" id={oid.clone()} name={id.clone()} value={v} checked={v == value} {onchange} />
                        <label for={oid}>{ t(lang, label) }<span class="hint">{ crate::i18n::t_gated(lang, hint) }</span></label>
                    </div>
                }
            }) }
            { field_messages(ctx, path) }
        </fieldset>
    }
}
