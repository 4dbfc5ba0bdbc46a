//! The live preview: every file of the bundle as a folder tree (files with problems marked), the selected file
//! coloured with the lines of the last edit highlighted and its diagnostics above it, copy and download per file,
//! and — when the node's config.toml was pasted — the diff of the merged config.toml against it.
//!
//! It reads the state on every render, so it follows every keystroke; the core always renders a complete bundle,
//! so it never goes blank, errors or not.

pub mod code;
pub mod download;
pub mod file_bar;
pub mod file_tree;
pub mod highlight;
pub mod tree;
pub mod try_image;

use std::rc::Rc;

use ccb_core::{Delivery, Diagnostic, FileKind, RenderedFile, Severity};
use yew::prelude::*;

use crate::copy::Copied;
use crate::fields::{msg_class, severity_key, Ctx};
use crate::i18n::{t, tf, tn};
use crate::state::AppState;
use crate::widgets::memo::memo;
use code::CodeProps;

/// What the page shows of bundle text: control characters (but tab, line feed and carriage return, which are
/// layout) escaped as `\u{1b}`, so a host name or a pasted file cannot hide or fake text in the preview.
/// Copies and downloads keep the file's real bytes.
pub fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    ccb_core::diagnostics::escape_controls_except(s, &['\t', '\n', '\r'])
}

/// The comma between clauses read out after a name ("hosts.toml, 1 error in this file"; "，" in Chinese).
pub fn clause_sep(lang: ccb_core::Lang) -> &'static str {
    match lang {
        ccb_core::Lang::En => ", ",
        ccb_core::Lang::Zh => "，",
    }
}

/// The worst error or warning among a file's diagnostics.
pub fn file_problem(f: &RenderedFile) -> Option<Severity> {
    f.diagnostics.iter().map(|d| d.severity).filter(|s| *s > Severity::Info).max()
}

/// The name a single file is downloaded as (browsers take no folders).
pub fn download_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

pub fn mime_for(kind: FileKind) -> &'static str {
    match kind {
        FileKind::InstallScript => "text/x-shellscript",
        FileKind::Certificate => "application/x-pem-file",
        FileKind::ProjectJson => "application/json",
        k if k.is_toml() => "application/toml",
        _ => "text/plain;charset=utf-8",
    }
}

/// i18n key of a one-line description of a file of this kind.
fn describe_key(kind: FileKind) -> &'static str {
    match kind {
        FileKind::MergedConfig => "preview.about_config",
        FileKind::ConfigFragment => "preview.about_fragment",
        FileKind::DropIn => "preview.about_dropin",
        FileKind::HostsToml => "preview.about_hosts",
        FileKind::Certificate => "preview.about_cert",
        FileKind::InstallScript => "preview.about_install",
        FileKind::Readme => "preview.about_readme",
        FileKind::ProjectJson => "preview.about_project",
    }
}

/// Errors first, then warnings, then notes, each in the order the core gave them. Three passes rather than a
/// sort: every `sort_by_key` is its own copy of the standard library's sort in the wasm (≈3 KB each).
pub fn worst_first(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .flat_map(|sev| diags.iter().filter(move |d| d.severity == sev))
        .collect()
}

fn diagnostics_html(ctx: &Ctx, diags: &[Diagnostic]) -> Html {
    if diags.is_empty() {
        return html! {};
    }
    let lang = ctx.lang;
    let sorted = worst_first(diags);
    html! {
        <ul class="file-msgs" id="file-diagnostics" aria-label={t(lang, "preview.file_problems")}>
            { for sorted.into_iter().map(|d| problem_item(ctx, d, Listed::InFile)) }
        </ul>
    }
}

/// Which list a diagnostic is an entry of ([`problem_item`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// The Problems list: every place named (the project's own as "Project").
    Problems,
    /// A file's list: its `data-code`, no place for a diagnostic without a path.
    InFile,
    /// The blocked download's first errors: as in a file's list, without the severity word (all are errors) or
    /// the raw path's tooltip.
    Blocked,
}

/// A diagnostic as an entry of a list that moves focus to its field: its severity, the field by its place in the
/// form (the raw path as `data-path` and tooltip, for support) and the message. One body for the three lists.
pub fn problem_item(ctx: &Ctx, d: &Diagnostic, listed: Listed) -> Html {
    let lang = ctx.lang;
    let severity = listed != Listed::Blocked;
    let code = (listed != Listed::Problems).then_some(d.code);
    let named = listed == Listed::Problems || !d.path.is_empty();
    let title = severity.then(|| tf(lang, "place.raw_path", &[("path", &d.path)]));
    html! {
        <li class={msg_class(d.severity)} data-code={code}>
            <button type="button" class="link" onclick={crate::widgets::on_jump(ctx, &d.path)}>
                if severity {
                    <span class="sev">{ t(lang, severity_key(d.severity)) }</span>
                    { " " }
                }
                if named {
                    <span class="place" data-path={d.path.clone()} {title}>{ crate::problem_labels::place(&d.path, &ctx.project, lang) }</span>{ " " }
                }
                { d.message.get(lang).to_string() }
            </button>
        </li>
    }
}

/// The merged config.toml, when the node's file was pasted and merged (the one file a diff is shown for).
fn merged_config(ctx: &AppState) -> Option<&RenderedFile> {
    ctx.existing.as_ref()?;
    (ctx.rendered.delivery == Delivery::Merged).then(|| ctx.rendered.file_of(FileKind::MergedConfig)).flatten()
}

/// What the preview remembers between renders (kept in `AppState::view`, so the panel is a function of the state).
#[derive(Clone, Default)]
pub struct PreviewState {
    /// The diff of the merged config.toml against the node's file is shown: on at the paste, until turned off.
    pub diff_on: bool,
    /// The diff shows its unchanged runs too.
    pub unfolded: bool,
    /// The copy of the selected file; back to idle when another file is selected or its text changes.
    pub copied: Copied,
    /// Lines of the selected file changed by the last edit (a new file is all new).
    pub changed: Rc<Vec<usize>>,
}

pub enum PreviewAction {
    ToggleDiff,
    ToggleUnfold,
    Copied(Copied),
}

pub fn reduce(s: &mut AppState, action: PreviewAction) {
    match action {
        PreviewAction::ToggleDiff => {
            s.view.preview.diff_on = !s.view.preview.diff_on;
            if let (true, Some(path)) = (s.view.preview.diff_on, merged_config(s).map(|f| f.path.clone())) {
                s.selected_file = Some(path);
            }
        }
        PreviewAction::ToggleUnfold => s.view.preview.unfolded = !s.view.preview.unfolded,
        PreviewAction::Copied(c) => s.view.preview.copied = c,
    }
}

/// The preview after a change of the state: pasting the node's config.toml shows its diff at once (and selects
/// it), removing it goes back to the plain view; the changed lines follow the bundle and the selection.
pub fn follow(before: &AppState, after: &mut AppState) {
    let merged = merged_config(after).map(|f| f.path.clone());
    if merged.as_ref() != merged_config(before).map(|f| &f.path) {
        after.view.preview.diff_on = merged.is_some();
        if merged.is_some() {
            after.selected_file = merged;
        }
    }
    let selected = selected_path(after);
    let moved = selected != selected_path(before);
    if !moved && after.revision == before.revision {
        return;
    }
    let text_of = |s: &AppState| s.rendered.file(&selected).map(|f| f.content.clone());
    if after.view.preview.copied != Copied::Idle && (moved || text_of(before) != text_of(after)) {
        after.view.preview.copied = Copied::Idle;
    }
    after.view.preview.changed = Rc::new(changed_in(after, &selected));
}

/// Lines changed by the last edit: same path before and after; a new file is all new.
fn changed_in(s: &AppState, path: &str) -> Vec<usize> {
    if Rc::ptr_eq(&s.previous, &s.rendered) {
        return Vec::new();
    }
    let Some(new) = s.rendered.file(path) else { return Vec::new() };
    match s.previous.file(path) {
        Some(old) => crate::sections::split::changed_lines(&old.content, &new.content),
        None => (0..new.content.lines().count()).collect(),
    }
}

/// The file the preview shows: the one selected while it exists, else the bundle's first.
pub fn selected_path(s: &AppState) -> String {
    let files = &s.rendered.files;
    s.selected_file
        .clone()
        .filter(|p| files.iter().any(|f| &f.path == p))
        .or_else(|| files.first().map(|f| f.path.clone()))
        .unwrap_or_default()
}

pub fn preview_panel(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let files = &ctx.rendered.files;
    let selected = selected_path(ctx);
    let view = &ctx.view.preview;
    let merged_path = merged_config(ctx).map(|f| f.path.clone());

    let Some(index) = files.iter().position(|f| f.path == selected) else {
        return html! { <section class="preview"><h2>{ t(lang, "preview.title") }</h2></section> };
    };
    let file = &files[index];
    let show_diff = view.diff_on && merged_path.as_deref() == Some(file.path.as_str());
    let line_count = file.content.lines().count();
    let errors = ctx.rendered.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let changed = &view.changed;
    let text = AttrValue::from(file.content.to_string());
    html! {
        <section class="preview" aria-labelledby="preview-title">
            <div class="preview-head">
                <h2 id="preview-title">{ t(lang, "preview.title") }</h2>
                <span class="muted small">{ crate::problem_labels::count(lang, "files", files.len()) }</span>
                <span class="spacer"></span>
                if !ctx.rendered.installable {
                    <span class="badge error" title={t(lang, "preview.blocked_hint")}>{ tf(lang, "preview.errors", &[("n", &crate::problem_labels::count(lang, "errors", errors))]) }</span>
                }
            </div>
            if ctx.existing.is_some() {
                { crate::lazy::merge::loading_note(lang, "merge-loading") }
            }
            { download::bundle_download(ctx) }
            { memo(file_tree::FileTreeProps { selected: selected.clone().into(), files: file_tree::tree_files(files), lang, dispatch: ctx.dispatcher() }) }
            { file_bar::file_bar(ctx, file_bar::FileBar { index, can_diff: merged_path.is_some(), diff_shown: show_diff, text: text.clone() }) }
            { diagnostics_html(ctx, &file.diagnostics) }
            if !changed.is_empty() {
                <p class="changed-note small" id="changed-note">
                    <span class="swatch" aria-hidden="true"></span>
                    { tn(lang, if line_count > 0 && changed.len() == line_count { "preview.new_file" } else { "preview.changed_lines" }, changed.len()) }
                </p>
            }
            if show_diff {
                if let Some(old) = ctx.existing.as_deref() {
                    { crate::sections::split::diff_view(ctx, old, &text) }
                }
                <h4 class="code-title">{ t(lang, "preview.whole_file") }</h4>
            }
            { memo(CodeProps { lang, path: file.path.clone().into(), kind: file.kind, text, changed: changed.clone(), pending: crate::lazy::scripts::pending(file.kind) }) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::ViewAction;
    use crate::state::Action;
    use ccb_core::edit::Edit;

    fn start() -> Rc<AppState> {
        Rc::new(AppState::new(ccb_core::Project::default(), ccb_core::Lang::En))
    }
    fn preview(a: PreviewAction) -> Action {
        Action::View(ViewAction::Preview(a))
    }

    #[test]
    fn pasting_the_node_config_shows_its_diff_and_removing_it_goes_back() {
        let s = start().reduce(Action::SetExisting(Some("version = 2\n".into())));
        assert!(s.view.preview.diff_on);
        assert_eq!(selected_path(&s), ccb_core::paths::CONFIG_TOML);
        let s = s.reduce(Action::SelectFile(ccb_core::paths::INSTALL_SH.into())).reduce(preview(PreviewAction::ToggleDiff));
        assert!(!s.view.preview.diff_on);
        assert_eq!(selected_path(&s), ccb_core::paths::INSTALL_SH, "turning the diff off leaves the file shown");
        let s = s.reduce(preview(PreviewAction::ToggleDiff));
        assert!(s.view.preview.diff_on);
        assert_eq!(selected_path(&s), ccb_core::paths::CONFIG_TOML, "turning it on shows the merged file");
        let s = s.reduce(Action::SetExisting(None));
        assert!(!s.view.preview.diff_on);
    }

    #[test]
    fn changed_lines_follow_the_edit_and_the_selection_and_a_copy_ends_with_the_file() {
        let s = start();
        assert!(s.view.preview.changed.is_empty(), "nothing changed at startup");
        let s = s.reduce(Action::Edit(Edit::AddRegistry));
        let hosts = ccb_core::paths::hosts_toml("docker.io");
        let s = s.reduce(Action::SelectFile(hosts.clone())).reduce(preview(PreviewAction::Copied(Copied::Done)));
        let lines = s.rendered.file(&hosts).expect("hosts.toml").content.lines().count();
        assert_eq!(s.view.preview.changed.len(), lines, "a new file is all new");
        assert_eq!(s.view.preview.copied, Copied::Done);
        let s = s.reduce(Action::SetTheme(crate::state::Theme::Dark));
        assert_eq!(s.view.preview.copied, Copied::Done, "the same text: still copied");
        let s = s.reduce(Action::SelectFile(ccb_core::paths::INSTALL_SH.into()));
        assert_eq!(s.view.preview.copied, Copied::Idle, "another file: its copy starts afresh");
        let s = s.reduce(Action::SetLang(ccb_core::Lang::Zh));
        assert!(s.view.preview.changed.is_empty(), "a language switch marks no line");
    }

    #[test]
    fn control_characters_are_shown_escaped_but_layout_is_kept() {
        assert_eq!(shown("certs.d/a\u{1b}[2J\u{7}/hosts.toml"), "certs.d/a\\u{1b}[2J\\u{7}/hosts.toml");
        assert_eq!(shown("k = 1\r\n\tx"), "k = 1\r\n\tx");
        assert!(matches!(shown("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn names_and_types_of_single_downloads() {
        use ccb_core::paths;
        assert_eq!(download_name(&paths::hosts_toml("docker.io")), paths::HOSTS_TOML);
        assert_eq!(download_name(paths::INSTALL_SH), paths::INSTALL_SH);
        assert_eq!(mime_for(FileKind::InstallScript), "text/x-shellscript");
        assert_eq!(mime_for(FileKind::Certificate), "application/x-pem-file");
        assert_eq!(mime_for(FileKind::DropIn), "application/toml");
        assert_eq!(describe_key(FileKind::HostsToml), "preview.about_hosts");
        assert_eq!(describe_key(FileKind::DropIn), "preview.about_dropin");
    }

    #[test]
    fn every_description_and_mark_has_a_text() {
        use FileKind::*;
        for k in [MergedConfig, ConfigFragment, DropIn, HostsToml, Certificate, InstallScript, Readme, ProjectJson] {
            let key = describe_key(k);
            assert_ne!(t(ccb_core::Lang::En, key), key);
            assert_ne!(t(ccb_core::Lang::Zh, key), key);
        }
        for s in ["error", "warning"] {
            let k = format!("preview.mark_{s}");
            assert_ne!(t(ccb_core::Lang::Zh, &k), k);
        }
    }
}
