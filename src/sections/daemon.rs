//! Daemon: the non-registry settings of config.toml the seed uses — directories, OOM score, imports, debug and
//! metrics endpoints, the CRI snapshotter.

use ccb_core::edit::{DaemonField, Edit};
use ccb_core::model::Snapshotter;
use yew::prelude::*;

use crate::fields::{button, field_id, field_messages, on_add, para, select_field, select_with, suffixed, Ctx, div, headed_card};
use crate::i18n::{t, tf};
use crate::widgets::rows::{item_parsed, ItemParsed, item_text, on_value, on_value_at, path_at, text_row, ItemText, TextRow};
use crate::widgets::{intro, on_click_edit, remove_button};

/// The level choice: (value, i18n key); "" is "not set", then the logrus levels containerd accepts ("warning"
/// is an alias of "warn").
const LEVELS: [(&str, &str); 8] = [
    ("", "daemon.level.unset"),
    ("trace", "daemon.level.trace"),
    ("debug", "daemon.level.debug"),
    ("info", "daemon.level.info"),
    ("warn", "daemon.level.warn"),
    ("error", "daemon.level.error"),
    ("fatal", "daemon.level.fatal"),
    ("panic", "daemon.level.panic"),
];
const SNAPSHOTTERS: [Snapshotter; 5] =
    [Snapshotter::Overlayfs, Snapshotter::Native, Snapshotter::Btrfs, Snapshotter::Zfs, Snapshotter::Devmapper];
/// The snapshotter choice: (value, i18n key); "" is containerd's default, then `SNAPSHOTTERS` in order.
const SNAPSHOTTER_OPTIONS: [(&str, &str); 6] = [
    ("", "daemon.snapshotter.default"),
    ("overlayfs", "daemon.snapshotter.overlayfs"),
    ("native", "daemon.snapshotter.native"),
    ("btrfs", "daemon.snapshotter.btrfs"),
    ("zfs", "daemon.snapshotter.zfs"),
    ("devmapper", "daemon.snapshotter.devmapper"),
];
static ROOT: TextRow = TextRow { path: "daemon.root", label: "daemon.root", hint: Some("daemon.root_hint"), placeholder: "/var/lib/containerd",
    get: |p| p.daemon.root.as_deref(), set: |v| Edit::SetDaemon(DaemonField::Root(v)) };
static STATE: TextRow = TextRow { path: "daemon.state", label: "daemon.state", hint: Some("daemon.state_hint"), placeholder: "/run/containerd",
    get: |p| p.daemon.state.as_deref(), set: |v| Edit::SetDaemon(DaemonField::State(v)) };
static DEBUG_ADDRESS: TextRow = TextRow { path: "daemon.debug.address", label: "daemon.debug_address", hint: Some("daemon.debug_address_hint"),
    placeholder: "/run/containerd/debug.sock", get: |p| p.daemon.debug.as_ref().and_then(|x| x.address.as_deref()),
    set: |v| Edit::SetDaemon(DaemonField::DebugAddress(v)) };
static METRICS: TextRow = TextRow { path: "daemon.metrics_address", label: "daemon.metrics", hint: Some("daemon.metrics_hint"), placeholder: "127.0.0.1:1338",
    get: |p| p.daemon.metrics_address.as_deref(), set: |v| Edit::SetDaemon(DaemonField::MetricsAddress(v)) };
/// The import field's placeholder: every drop-in file of containerd's conf.d.
const IMPORT_EXAMPLE: &str = ccb_core::paths::NODE_CONF_D_IMPORT;

static OOM_SCORE: ItemParsed = ItemParsed { suffix: "", label: "daemon.oom_score", hint: Some("daemon.oom_score_hint"), invalid: Some("daemon.oom_invalid"),
    placeholder: "0", normalize: normalize_oom };
static IMPORT: ItemText = ItemText::plain("", "daemon.import", IMPORT_EXAMPLE);

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

/// Import `i` of the list (keyed by `i`).
fn import_row(ctx: &Ctx, i: usize, value: &str) -> Html {
    let lang = ctx.lang;
    let path = path_at("daemon.imports[", i, "]");
    let on_input = on_value_at(ctx, i, |index, value| Edit::SetImport { index, value });
    let remove = on_click_edit(ctx, Edit::RemoveImport { index: i });
    let label = tf(lang, "daemon.remove_import", &[("n", &(i + 1).to_string())]);
    html! {
        <li class="row" key={i}>
            { item_text(ctx, &path, &IMPORT, value.to_string(), on_input) }
            { remove_button(&path, &label, remove) }
        </li>
    }
}

pub fn section(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let d = &ctx.project.daemon;
    let on_level = on_value(ctx, |v| Edit::SetDaemon(DaemonField::DebugLevel(v)));
    // Only whole numbers reach here (the field keeps other text to itself).
    let on_oom = on_value(ctx, |v: String| Edit::SetDaemon(DaemonField::OomScore(v.trim().parse::<i64>().ok())));
    let on_snapshotter = on_value(ctx, |v: String| Edit::SetDaemon(DaemonField::Snapshotter(snapshotter_from(&v))));
    let add_import = on_add(ctx, Edit::AddImport, &path_at("daemon.imports[", d.imports.len(), "]"));

    let level = d.debug.as_ref().and_then(|x| x.level.as_deref()).unwrap_or_default();
    // A value from an opened file that is not in the list stays selectable (and is reported if it is wrong).
    let unknown_level = (!LEVELS.iter().any(|(v, _)| *v == level)).then_some(level);
    let imports = field_id("daemon.imports");
    let mut rows = Vec::with_capacity(d.imports.len());
    for (i, v) in d.imports.iter().enumerate() {
        rows.push(import_row(ctx, i, v));
    }
    html! {
        <>
            { intro(lang, "daemon.intro") }
            { para("note", "daemon-restart", t(lang, "daemon.restart_note").into()) }
            { headed_card(lang, "daemon-dirs", "daemon.dirs", html! { <>
                { div("row", html! { <>
                    { text_row(ctx, &ROOT) }
                    { text_row(ctx, &STATE) }
                </> }) }
                { item_parsed("daemon.oom_score", &OOM_SCORE, d.oom_score.map(|o| o.to_string()).unwrap_or_default(), Vec::new(), on_oom) }
            </> }) }
            { headed_card(lang, "daemon-imports-title", "daemon.imports", html! { <>
                <div id={imports.clone()} tabindex="-1" role="group" aria-labelledby="daemon-imports-title">
                    { para("hint", "", t(lang, "daemon.imports_hint").into()) }
                    if !d.imports.is_empty() {
                        <ul>{ for rows }</ul>
                    }
                    { field_messages(ctx, "daemon.imports") }
                    { button(suffixed(&imports, "-add").into(), "small", t(lang, "daemon.add_import"), false, add_import) }
                </div>
            </> }) }
            { headed_card(lang, "daemon-observe", "daemon.observe", html! { <>
                { div("row", html! { <>
                    { text_row(ctx, &DEBUG_ADDRESS) }
                    { select_with(ctx, "daemon.debug.level", "daemon.debug_level", Some("daemon.debug_level_hint"), level, &LEVELS, unknown_level, on_level) }
                </> }) }
                { text_row(ctx, &METRICS) }
            </> }) }
            { headed_card(lang, "daemon-storage", "daemon.storage", html! { <>
                { select_field(ctx, "daemon.snapshotter", "daemon.snapshotter", Some("daemon.snapshotter_hint"),
                    d.snapshotter.map(|s| s.as_str()).unwrap_or(""), &SNAPSHOTTER_OPTIONS, on_snapshotter) }
            </> }) }
        </>
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
        // The choice lists every snapshotter, its text under its own key.
        let listed: Vec<&str> = SNAPSHOTTER_OPTIONS[1..].iter().map(|(v, _)| *v).collect();
        assert_eq!(listed, SNAPSHOTTERS.map(|s| s.as_str()));
        for (v, key) in SNAPSHOTTER_OPTIONS.iter().skip(1).chain(LEVELS.iter().skip(1)) {
            assert!(key.ends_with(&format!(".{v}")), "{key}");
            assert_ne!(t(ccb_core::Lang::Zh, key), *key, "{key} has a text");
        }
    }
}
