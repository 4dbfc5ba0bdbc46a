//! Daemon: the non-registry settings of config.toml the seed uses — directories, OOM score, imports, debug and
//! metrics endpoints, the CRI snapshotter.

use ccb_core::edit::{DaemonField, Edit};
use ccb_core::model::Snapshotter;
use yew::prelude::*;

use crate::widgets::{focus_soon, ParsedField, remove_button};
use crate::fields::{field_id, use_ctx, FieldMessages, SelectField, TextField};
use crate::i18n::{t, tf};
use crate::state::edit;

/// logrus levels containerd accepts ("warning" is an alias of "warn").
const LEVELS: [&str; 7] = ["trace", "debug", "info", "warn", "error", "fatal", "panic"];
const SNAPSHOTTERS: [Snapshotter; 5] =
    [Snapshotter::Overlayfs, Snapshotter::Native, Snapshotter::Btrfs, Snapshotter::Zfs, Snapshotter::Devmapper];

/// `oom_score` text → its value written back as text ("" = not set); `None` when it is not a whole number.
fn normalize_oom(s: String) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return Some(String::new());
    }
    s.parse::<i64>().ok().map(|n| n.to_string())
}

fn snapshotter_from(s: &str) -> Option<Snapshotter> {
    SNAPSHOTTERS.into_iter().find(|x| x.as_str() == s)
}

#[derive(Properties, PartialEq)]
struct ImportProps {
    i: usize,
}

#[function_component(ImportRow)]
fn import_row(p: &ImportProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let i = p.i;
    let Some(value) = ctx.project.daemon.imports.get(i).cloned() else { return html! {} };
    let path = format!("daemon.imports[{i}]");
    let on_input = {
        let ctx = ctx.clone();
        Callback::from(move |value: String| edit(&ctx, Edit::SetImport { index: i, value }))
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| edit(&ctx, Edit::RemoveImport { index: i }))
    };
    let label = tf(lang, "daemon.remove_import", &[("n", &(i + 1).to_string())]);
    html! {
        <li class="row">
            <TextField path={path.clone()} label="daemon.import" value={value} placeholder={format!("{}/{}/*.toml", ccb_core::paths::NODE_ETC, ccb_core::paths::CONF_D)} on_input={on_input} />
            { remove_button(&path, &label, remove) }
        </li>
    }
}

#[function_component(DaemonSection)]
pub fn section() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let d = ctx.project.daemon.clone();
    let field = |make: fn(String) -> DaemonField| {
        let ctx = ctx.clone();
        Callback::from(move |v: String| edit(&ctx, Edit::SetDaemon(make(v))))
    };
    let on_root = field(DaemonField::Root);
    let on_state = field(DaemonField::State);
    let on_metrics = field(DaemonField::MetricsAddress);
    let on_debug_address = field(DaemonField::DebugAddress);
    let on_level = field(DaemonField::DebugLevel);
    // Only whole numbers reach here (the field keeps other text to itself).
    let on_oom = field(|v| DaemonField::OomScore(v.trim().parse::<i64>().ok()));
    let on_snapshotter = field(|v| DaemonField::Snapshotter(snapshotter_from(&v)));
    let add_import = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            let i = ctx.project.daemon.imports.len();
            edit(&ctx, Edit::AddImport);
            focus_soon(field_id(&format!("daemon.imports[{i}]")));
        })
    };

    let level = d.debug.as_ref().and_then(|x| x.level.clone()).unwrap_or_default();
    let mut levels: Vec<(AttrValue, AttrValue)> = vec![(AttrValue::from(""), AttrValue::from("daemon.level.unset"))];
    levels.extend(LEVELS.iter().map(|l| (AttrValue::from(*l), AttrValue::from(format!("daemon.level.{l}")))));
    // A value from an opened file that is not in the list stays selectable (and is reported if it is wrong).
    if !level.is_empty() && !LEVELS.contains(&level.as_str()) {
        levels.push((AttrValue::from(level.clone()), AttrValue::from(level.clone())));
    }
    let mut snapshotters: Vec<(AttrValue, AttrValue)> = vec![(AttrValue::from(""), AttrValue::from("daemon.snapshotter.default"))];
    snapshotters.extend(SNAPSHOTTERS.iter().map(|s| (AttrValue::from(s.as_str()), AttrValue::from(format!("daemon.snapshotter.{}", s.as_str())))));
    let n = d.imports.len();
    let imports = field_id("daemon.imports");
    html! {
        <div class="section-body">
            <p class="intro">{ t(lang, "daemon.intro") }</p>
            <p class="note" id="daemon-restart">{ t(lang, "daemon.restart_note") }</p>
            <section class="card" aria-labelledby="daemon-dirs">
                <div class="card-head"><h3 id="daemon-dirs">{ t(lang, "daemon.dirs") }</h3></div>
                <div class="row">
                    <TextField path="daemon.root" label="daemon.root" hint="daemon.root_hint" value={d.root.clone().unwrap_or_default()}
                        placeholder="/var/lib/containerd" on_input={on_root} />
                    <TextField path="daemon.state" label="daemon.state" hint="daemon.state_hint" value={d.state.clone().unwrap_or_default()}
                        placeholder="/run/containerd" on_input={on_state} />
                </div>
                <ParsedField path="daemon.oom_score" label="daemon.oom_score" hint="daemon.oom_score_hint"
                    value={d.oom_score.map(|o| o.to_string()).unwrap_or_default()} normalize={Callback::from(normalize_oom)}
                    on_input={on_oom} invalid="daemon.oom_invalid" placeholder="0" />
            </section>
            <section class="card" aria-labelledby="daemon-imports-title">
                <div class="card-head"><h3 id="daemon-imports-title">{ t(lang, "daemon.imports") }</h3></div>
                <div id={imports.clone()} tabindex="-1" role="group" aria-labelledby="daemon-imports-title">
                    <p class="hint">{ t(lang, "daemon.imports_hint") }</p>
                    if n > 0 {
                        <ul>{ for (0..n).map(|i| html! { <ImportRow key={i} {i} /> }) }</ul>
                    }
                    <FieldMessages path="daemon.imports" />
                    <button type="button" class="small" id={format!("{imports}-add")} onclick={add_import}>{ t(lang, "daemon.add_import") }</button>
                </div>
            </section>
            <section class="card" aria-labelledby="daemon-observe">
                <div class="card-head"><h3 id="daemon-observe">{ t(lang, "daemon.observe") }</h3></div>
                <div class="row">
                    <TextField path="daemon.debug.address" label="daemon.debug_address" hint="daemon.debug_address_hint"
                        value={d.debug.as_ref().and_then(|x| x.address.clone()).unwrap_or_default()}
                        placeholder="/run/containerd/debug.sock" on_input={on_debug_address} />
                    <SelectField path="daemon.debug.level" label="daemon.debug_level" hint="daemon.debug_level_hint" value={level}
                        options={levels} on_change={on_level} />
                </div>
                <TextField path="daemon.metrics_address" label="daemon.metrics" hint="daemon.metrics_hint"
                    value={d.metrics_address.clone().unwrap_or_default()} placeholder="127.0.0.1:1338" on_input={on_metrics} />
            </section>
            <section class="card" aria-labelledby="daemon-storage">
                <div class="card-head"><h3 id="daemon-storage">{ t(lang, "daemon.storage") }</h3></div>
                <SelectField path="daemon.snapshotter" label="daemon.snapshotter" hint="daemon.snapshotter_hint"
                    value={d.snapshotter.map(|s| s.as_str()).unwrap_or("")} options={snapshotters} on_change={on_snapshotter} />
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oom_text() {
        assert_eq!(normalize_oom("".into()).as_deref(), Some(""));
        assert_eq!(normalize_oom(" -999 ".into()).as_deref(), Some("-999"));
        assert_eq!(normalize_oom("-".into()), None);
        assert_eq!(normalize_oom("1e3".into()), None);
    }

    #[test]
    fn snapshotter_choices() {
        assert_eq!(snapshotter_from("zfs"), Some(Snapshotter::Zfs));
        assert_eq!(snapshotter_from(""), None);
    }
}
