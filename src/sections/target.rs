//! Target: which containerd releases the files must work on, and the output style. What the range implies (config
//! `version`, features every release supports) is shown read-only, straight from the core's gates.
//!
//! Also home of two field components the other sections share (they would belong in `fields.rs`):
//! [`ParsedField`], a text input whose text may not be a valid model value yet (versions, numbers) and that can
//! offer suggestions from a `<datalist>`, and [`RadioGroup`], a choice with a one-line explanation per option.

use ccb_core::model::{OutputStyle, Target};
use ccb_core::version::{ContainerdVersion, Feature};
use yew::prelude::*;

use crate::fields::{event_value, field_id, use_ctx, FieldMessages, SelectField};
use crate::i18n::{t, tf};
use crate::state::edit;


/// The separator of an inline list of names ("a, b" / "a、b").
pub(crate) fn list_sep(lang: ccb_core::Lang) -> &'static str {
    match lang {
        ccb_core::Lang::En => ", ",
        ccb_core::Lang::Zh => "、",
    }
}

/// Moves focus to `id` once the next render is on screen (after an "add" button made the field appear).
pub(crate) fn focus_soon(id: String) {
    gloo_timers::callback::Timeout::new(0, move || {
        crate::browser::focus(&id);
    })
    .forget();
}

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

/// Oldest releases worth offering: the first of each line, and the patches where a gate opens.
const MIN_SUGGESTIONS: [&str; 9] = ["1.6.17", "1.6.20", "1.7.0", "1.7.32", "2.0.0", "2.0.7", "2.1.0", "2.2.0", "2.3.0"];
const MAX_SUGGESTIONS: [&str; 6] = ["1.6.x", "1.7.x", "2.0.x", "2.1.x", "2.2.x", "2.3.x"];

fn version(s: &str) -> ContainerdVersion {
    s.parse().expect("valid version literal")
}

fn major_key(t: &Target) -> &'static str {
    match (t.includes_1x(), t.includes_2x()) {
        (true, true) => "both",
        (true, false) => "1x",
        // Only 2.x, or a reversed range (reported under "newest").
        _ => "2x",
    }
}

/// The range after choosing a major: what already fits the choice is kept.
fn with_major(t: &Target, major: &str) -> Target {
    let mut t = t.clone();
    let keep_min_1x = t.min.major == 1;
    let keep_max_2x = t.max.major >= 2;
    match major {
        "1x" => {
            if !keep_min_1x {
                t.min = version("1.7.0");
            }
            if t.max.major != 1 || t.max.highest() < t.min.lowest() {
                t.max = version("1.7.x");
            }
        }
        "2x" => {
            if t.min.major < 2 {
                t.min = version("2.0.0");
            }
            if !keep_max_2x || t.max.highest() < t.min.lowest() {
                t.max = version("2.1.x");
            }
        }
        _ => {
            if !keep_min_1x {
                t.min = version("1.7.0");
            }
            if !keep_max_2x {
                t.max = version("2.1.x");
            }
        }
    }
    t
}

fn normalize_version(s: String) -> Option<String> {
    s.parse::<ContainerdVersion>().ok().map(|v| v.to_string())
}

/// The features shown in the checklist, with the i18n key of their name.
const FEATURES: [(Feature, &str); 5] = [
    (Feature::DefaultHostsDir, "target.feature.default"),
    (Feature::OverridePath, "target.feature.override_path"),
    (Feature::DialTimeout, "target.feature.dial_timeout"),
    (Feature::ReferrersCapability, "target.feature.referrers"),
    (Feature::RootOnlyHostsToml, "target.feature.root_only"),
];

#[function_component(TargetSection)]
pub fn section() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let target = ctx.project.target.clone();

    let on_major = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| edit(&ctx, "target.major", move |p| p.target = with_major(&p.target, &v)))
    };
    let on_min = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| {
            if let Ok(ver) = v.parse::<ContainerdVersion>() {
                edit(&ctx, "target.min", move |p| p.target.min = ver);
            }
        })
    };
    let on_max = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| {
            if let Ok(ver) = v.parse::<ContainerdVersion>() {
                edit(&ctx, "target.max", move |p| p.target.max = ver);
            }
        })
    };
    let on_output = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| {
            let style = if v == "legacy" { OutputStyle::Legacy } else { OutputStyle::HostsDir };
            edit(&ctx, "output", move |p| p.output = style);
        })
    };
    let majors = [("1x", "target.major.1x"), ("2x", "target.major.2x"), ("both", "target.major.both")]
        .map(|(v, k)| (AttrValue::from(v), AttrValue::from(k)))
        .to_vec();
    let outputs = vec![
        (AttrValue::from("hosts_dir"), AttrValue::from("target.output.hosts_dir"), AttrValue::from("target.output.hosts_dir_hint")),
        (AttrValue::from("legacy"), AttrValue::from("target.output.legacy"), AttrValue::from("target.output.legacy_hint")),
    ];
    let output_value = match ctx.project.output {
        OutputStyle::HostsDir => "hosts_dir",
        OutputStyle::Legacy => "legacy",
    };
    let version_text = if target.config_version() == 2 { t(lang, "target.version_2") } else { t(lang, "target.version_3") };
    let features = FEATURES.iter().map(|(f, key)| {
        let (mark, status) = if target.all_support(*f) {
            ("✓", t(lang, "target.support.all"))
        } else if target.any_support(*f) {
            ("◐", t(lang, "target.support.some"))
        } else {
            ("✗", t(lang, "target.support.none"))
        };
        html! {
            <li>
                <span aria-hidden="true">{ mark }</span>{ " " }<strong>{ t(lang, key) }</strong>{ " — " }{ status }
                { " " }<span class="muted small">{ tf(lang, "target.support.since", &[("since", f.since())]) }</span>
            </li>
        }
    });
    html! {
        <div class="section-body">
            <p class="intro">{ t(lang, "target.intro") }</p>
            <div id={field_id("schema_version")} tabindex="-1"><FieldMessages path="schema_version" /></div>
            <SelectField path="target.major" label="target.major" hint="target.major_hint" value={major_key(&target)} options={majors} on_change={on_major} />
            <div class="row">
                <ParsedField path="target.min" label="target.min" hint="target.min_hint" value={target.min.to_string()}
                    normalize={Callback::from(normalize_version)} on_input={on_min} invalid="target.version_invalid"
                    placeholder="1.7.0" suggestions={MIN_SUGGESTIONS.iter().map(|s| AttrValue::from(*s)).collect::<Vec<_>>()} />
                <ParsedField path="target.max" label="target.max" hint="target.max_hint" value={target.max.to_string()}
                    normalize={Callback::from(normalize_version)} on_input={on_max} invalid="target.version_invalid"
                    placeholder="2.1.x" suggestions={MAX_SUGGESTIONS.iter().map(|s| AttrValue::from(*s)).collect::<Vec<_>>()} />
            </div>
            <RadioGroup path="output" label="target.output" value={output_value} options={outputs} on_change={on_output} />
            <section class="card" aria-labelledby="target-implies">
                <div class="card-head"><h3 id="target-implies">{ t(lang, "target.implies") }</h3></div>
                <p>{ tf(lang, "target.range", &[("range", &target.describe())]) }</p>
                <p>{ version_text }</p>
                <p class="small">{ t(lang, "target.features") }</p>
                <ul class="small" id="target-features">{ for features }</ul>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(min: &str, max: &str) -> Target {
        Target { min: version(min), max: version(max) }
    }

    #[test]
    fn choosing_a_major_keeps_what_fits() {
        assert_eq!(major_key(&Target::default()), "both");
        let one = with_major(&Target::default(), "1x");
        assert_eq!((one.min.to_string(), one.max.to_string()), ("1.7.0".into(), "1.7.x".into()));
        assert_eq!(major_key(&one), "1x");
        let two = with_major(&t("1.6.20", "2.2.x"), "2x");
        assert_eq!((two.min.to_string(), two.max.to_string()), ("2.0.0".into(), "2.2.x".into()));
        let both = with_major(&t("2.0.7", "2.2.x"), "both");
        assert_eq!((both.min.to_string(), both.max.to_string()), ("1.7.0".into(), "2.2.x".into()));
        let both = with_major(&t("1.6.20", "1.7.x"), "both");
        assert_eq!((both.min.to_string(), both.max.to_string()), ("1.6.20".into(), "2.1.x".into()));
    }

    #[test]
    fn version_text_normalizes() {
        assert_eq!(normalize_version("2.0".into()).as_deref(), Some("2.0.x"));
        assert_eq!(normalize_version("2.0.".into()), None);
        assert_eq!(normalize_version("v1.6.20".into()).as_deref(), Some("1.6.20"));
    }
}
