//! [`ParsedField`], a text input whose text may not be a valid model value yet (versions, numbers) and that can
//! offer suggestions from a `<datalist>`, and [`RadioGroup`], a choice with a one-line explanation per option.

use yew::prelude::*;

use crate::fields::{event_value, field_id, use_ctx, FieldMessages};
use crate::i18n::t;

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
    let id = field_id(&p.path);
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
    let class = classes!("field", severity.map(crate::fields::severity_class));
    let mut described = Vec::new();
    if locally_invalid && p.invalid.is_some() {
        described.push(format!("{id}-local"));
    }
    if worst.is_some() {
        described.push(format!("{id}-msgs"));
    }
    let described = if described.is_empty() { None } else { Some(described.join(" ")) };
    let list_id = (!p.suggestions.is_empty()).then(|| format!("{id}-list"));
    let hint = p.hint.as_ref().map(|h| html! { <span class="hint">{ t(ctx.lang, h) }</span> });
    let local = match (&p.invalid, locally_invalid) {
        (Some(key), true) => html! {
            <ul class="field-msgs" id={format!("{id}-local")} aria-live="polite">
                <li class="msg error"><span class="sev">{ t(ctx.lang, "severity.error") }</span>{ " " }{ t(ctx.lang, key) }</li>
            </ul>
        },
        _ => html! {},
    };
    html! {
        <div {class}>
            <label for={id.clone()}>{ t(ctx.lang, &p.label) }{ hint }</label>
            <input id={id.clone()} type="text" value={current} {oninput} list={list_id.clone()} autocomplete="off" spellcheck="false"
                placeholder={p.placeholder.clone()} aria-invalid={(severity == Some(ccb_core::Severity::Error)).to_string()}
                aria-describedby={described} />
            if let Some(list_id) = list_id {
                <datalist id={list_id}>{ for p.suggestions.iter().map(|s| html! { <option value={s.clone()} /> }) }</datalist>
            }
            { local }
            <FieldMessages path={p.path.clone()} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct RadioProps {
    pub path: AttrValue,
    /// i18n key of the group's legend.
    pub label: AttrValue,
    pub value: AttrValue,
    /// (value, i18n key of the option's label, i18n key of its one-line explanation)
    pub options: Vec<(AttrValue, AttrValue, AttrValue)>,
    pub on_change: Callback<String>,
}

/// Radio buttons with an explanation under each option. The group carries the field's id (focusable, so the
/// summary can move to it) and shows the diagnostics of `path`.
#[function_component(RadioGroup)]
pub fn radio_group(p: &RadioProps) -> Html {
    let ctx = use_ctx();
    let id = field_id(&p.path);
    let worst = ctx.diagnostics_at(&p.path).map(|d| d.severity).max();
    html! {
        <fieldset class={classes!("field", worst.map(crate::fields::severity_class))} id={id.clone()} tabindex="-1">
            <legend>{ t(ctx.lang, &p.label) }</legend>
            { for p.options.iter().map(|(v, label, hint)| {
                let oid = format!("{id}-{v}");
                let cb = p.on_change.clone();
                let value = v.to_string();
                let onchange = Callback::from(move |_: Event| cb.emit(value.clone()));
                html! {
                    <div class="check">
                        <input type="radio" id={oid.clone()} name={id.clone()} value={v.clone()} checked={*v == p.value} {onchange} />
                        <label for={oid}>{ t(ctx.lang, label) }<span class="hint">{ t(ctx.lang, hint) }</span></label>
                    </div>
                }
            }) }
            <FieldMessages path={p.path.clone()} />
        </fieldset>
    }
}
