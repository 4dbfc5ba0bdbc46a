//! Target: which containerd releases the files must work on, and the output style. What the range implies (config
//! `version`, features every release supports) is shown read-only, straight from the core's gates; the release
//! suggestions and the ranges a choice of lines puts in come from `ccb_core::version`.

use ccb_core::edit::Edit;
use ccb_core::model::OutputStyle;
use ccb_core::version::{release_line, ContainerdVersion, Feature, LineStatus, Lines, DEFAULT_MAX_2X, DEFAULT_MIN_1X, MAX_SUGGESTIONS, MIN_SUGGESTIONS, RELEASES_AS_OF};
use yew::prelude::*;

use crate::fields::{field_id, para, field_messages, select_field, parsed_field, Ctx, Parsed, div, headed_card};
use crate::i18n::{t, tf};
use crate::state::edit;
use crate::widgets::rows::on_value;
use crate::widgets::{intro, radio_group};

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

/// (value, i18n key) of the lines choice; the values are `Lines::key`.
const MAJORS: [(&str, &str); 3] = [("1x", "target.major.1x"), ("2x", "target.major.2x"), ("both", "target.major.both")];
/// (value, label key, hint key) of the output styles.
const OUTPUTS: [(&str, &str, &str); 2] = [
    ("hosts_dir", "target.output.hosts_dir", "target.output.hosts_dir_hint"),
    ("legacy", "target.output.legacy", "target.output.legacy_hint"),
];

/// A version typed into the min / max field, as the edit `make` builds from it (the field passes valid text only).
fn on_version(ctx: &Ctx, make: fn(ContainerdVersion) -> Edit) -> Callback<String> {
    let ctx = ctx.clone();
    Callback::from(move |v: String| {
        if let Ok(ver) = v.parse::<ContainerdVersion>() {
            edit(&ctx, make(ver));
        }
    })
}

/// The min or max field (`path` is also its label's key): a version, kept as typed until it is one.
fn version_field(ctx: &Ctx, path: &'static str, hint: &'static str, value: String, placeholder: ContainerdVersion, suggestions: &[ContainerdVersion], make: fn(ContainerdVersion) -> Edit) -> Html {
    let suggestions = suggestions.iter().map(|v| AttrValue::from(v.to_string())).collect();
    parsed_field(Parsed { path: path.into(), label: path, hint: Some(hint), invalid: Some("target.version_invalid"), value, normalize: normalize_version,
        placeholder: placeholder.to_string().into(), suggestions }, on_version(ctx, make))
}

pub fn section(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let target = &ctx.project.target;

    let on_major = {
        let ctx = ctx.clone();
        Callback::from(move |v: String| {
            if let Some(lines) = Lines::from_key(&v) {
                edit(&ctx, Edit::SetTargetLines(lines));
            }
        })
    };
    let on_output = on_value(ctx, |v: String| Edit::SetOutput(if v == "legacy" { OutputStyle::Legacy } else { OutputStyle::HostsDir }));
    let output_value = match ctx.project.output {
        OutputStyle::HostsDir => "hosts_dir",
        OutputStyle::Legacy => "legacy",
    };
    let version_text = crate::i18n::t_gated(lang, match target.config_version() {
        2 => "target.version_2",
        3 => "target.version_3",
        _ => "target.version_4",
    });
    // Each line's support status from the core's release table (stored data, never the clock).
    // Lists are pushed by plain loops into a `Vec<Html>`: one iterator adaptor type per list was its own collect in the wasm.
    let mut releases = Vec::new();
    for r in target.lines().into_iter().filter_map(release_line) {
        let status = match r.status {
            LineStatus::Lts { until } => tf(lang, "target.status.lts", &[("until", until)]),
            LineStatus::Active { until } => tf(lang, "target.status.active", &[("until", until)]),
            LineStatus::ExtendedLts { until } => tf(lang, "target.status.extended", &[("until", until)]),
            LineStatus::EndOfLife { since } => tf(lang, "target.status.eol", &[("since", since)]),
        };
        let latest = tf(lang, "target.status.latest", &[("latest", &r.latest.to_string())]);
        let debian = r.debian.map(|(d, v)| [" · ", &tf(lang, "target.status.debian", &[("debian", d), ("version", &v.to_string())])].concat());
        let line = AttrValue::from([&*r.line.0.to_string(), ".", &r.line.1.to_string()].concat());
        releases.push(html! {
            <li data-line={line.clone()}>
                <strong>{ line }</strong>{ " — " }{ status }
                <span class="muted small">{ latest }{ debian.unwrap_or_default() }</span>
            </li>
        });
    }
    let mut features = Vec::new();
    for (f, key) in FEATURES.iter() {
        let (mark, status) = if target.all_support(*f) {
            ("✓", t(lang, "target.support.all"))
        } else if target.any_support(*f) {
            ("◐", t(lang, "target.support.some"))
        } else {
            ("✗", t(lang, "target.support.none"))
        };
        features.push(html! {
            <li>
                <span aria-hidden="true">{ mark }</span>{ " " }<strong>{ t(lang, key) }</strong>{ " — " }{ status }
                { " " }<span class="muted small">{ tf(lang, "target.support.since", &[("since", f.since())]) }</span>
            </li>
        });
    }
    html! {
        <>
            { intro(lang, "target.intro") }
            <div id={field_id("schema_version")} tabindex="-1">{ field_messages(ctx, "schema_version") }</div>
            { select_field(ctx, "target.major", "target.major", Some("target.major_hint"), Lines::of(target).key(), &MAJORS, on_major) }
            { div("row", html! { <>
                { version_field(ctx, "target.min", "target.min_hint", target.min.to_string(), DEFAULT_MIN_1X, &MIN_SUGGESTIONS, Edit::SetTargetMin) }
                { version_field(ctx, "target.max", "target.max_hint", target.max.to_string(), DEFAULT_MAX_2X, &MAX_SUGGESTIONS, Edit::SetTargetMax) }
            </> }) }
            { radio_group(ctx, "output", "target.output", output_value, &OUTPUTS, on_output) }
            { headed_card(lang, "target-implies", "target.implies", html! { <>
                <p>{ tf(lang, "target.range", &[("range", &target.describe())]) }</p>
                <p>{ version_text }</p>
                <p class="small">{ tf(lang, "target.releases", &[("as_of", RELEASES_AS_OF)]) }</p>
                <ul class="small" id="target-releases">{ for releases }</ul>
                { para("small", "", t(lang, "target.features").into()) }
                <ul class="small" id="target-features">{ for features }</ul>
            </> }) }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_text_normalizes() {
        assert_eq!(normalize_version("2.0".into()).as_deref(), Some("2.0.x"));
        assert_eq!(normalize_version("2.0.".into()), None);
        assert_eq!(normalize_version("v1.6.20".into()).as_deref(), Some("1.6.20"));
    }
}
