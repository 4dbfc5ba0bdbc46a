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

use ccb_core::textdiff::changed_lines;
use ccb_core::{Delivery, Diagnostic, FileKind, RenderedFile, Severity};
use yew::prelude::*;

use crate::fields::{msg_class, severity_key, use_ctx, Ctx};
use crate::i18n::{t, tf};
use crate::state::Action;
use code::{diff_view, CodeView};

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
            { for sorted.into_iter().map(|d| problem_item(ctx, d, true)) }
        </ul>
    }
}

/// A diagnostic as an entry of a list that moves focus to its field: its severity, the field by its place in the
/// form (the raw path as `data-path` and tooltip, for support) and the message. The Problems list names every
/// place (the project's own as "Project"); a file's list (`in_file`: also its `data-code`) names none for a
/// diagnostic without a path.
pub fn problem_item(ctx: &Ctx, d: &Diagnostic, in_file: bool) -> Html {
    let lang = ctx.lang;
    let onclick = {
        let ctx = ctx.clone();
        let path = d.path.clone();
        Callback::from(move |_| crate::widgets::jump_to_field(&ctx, &path))
    };
    html! {
        <li class={msg_class(d.severity)} data-code={in_file.then_some(d.code)}>
            <button type="button" class="link" {onclick}>
                <span class="sev">{ t(lang, severity_key(d.severity)) }</span>
                { " " }
                if !in_file || !d.path.is_empty() {
                    <span class="place" data-path={d.path.clone()} title={tf(lang, "place.raw_path", &[("path", &d.path)])}>{ crate::problem_labels::place(&d.path, &ctx.project, lang) }</span>{ " " }
                }
                { d.message.get(lang).to_string() }
            </button>
        </li>
    }
}

/// The merged config.toml, when the node's file was pasted and merged (the one file a diff is shown for).
fn merged_config(ctx: &Ctx) -> Option<&RenderedFile> {
    ctx.existing.as_ref()?;
    (ctx.rendered.delivery == Delivery::Merged).then(|| ctx.rendered.file_of(FileKind::MergedConfig)).flatten()
}

#[function_component(PreviewPanel)]
pub fn preview_panel() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let files = &ctx.rendered.files;
    let selected = ctx
        .selected_file
        .clone()
        .filter(|p| files.iter().any(|f| &f.path == p))
        .or_else(|| files.first().map(|f| f.path.clone()))
        .unwrap_or_default();

    // Hooks first (before any early return).
    let diff_on = use_state(|| false);
    let diff_unfolded = use_state(|| false);
    let copy = crate::copy::use_copy(files.iter().find(|f| f.path == selected).map(|f| f.content.to_string()).unwrap_or_default(), "copy-fallback");
    let merged_path = merged_config(&ctx).map(|f| f.path.clone());
    {
        // Pasting the node's config.toml shows its diff at once; removing it goes back to the plain view.
        let diff_on = diff_on.clone();
        let ctx = ctx.clone();
        use_effect_with(merged_path.clone(), move |merged| {
            if let Some(path) = merged {
                diff_on.set(true);
                ctx.dispatch(Action::SelectFile(path.clone()));
            } else if *diff_on {
                diff_on.set(false);
            }
        });
    }
    // Lines changed by the last edit: same path before and after; a new file is all new.
    let changed: Rc<Vec<usize>> = {
        let previous = ctx.previous.clone();
        let rendered = ctx.rendered.clone();
        use_memo((ctx.revision, selected.clone()), move |(_, path)| {
            if Rc::ptr_eq(&previous, &rendered) {
                return Vec::new();
            }
            let Some(new) = rendered.file(path) else { return Vec::new() };
            match previous.file(path) {
                Some(old) => changed_lines(&old.content, &new.content),
                None => (0..new.content.lines().count()).collect(),
            }
        })
    };

    let Some(index) = files.iter().position(|f| f.path == selected) else {
        return html! { <section class="preview"><h2>{ t(lang, "preview.title") }</h2></section> };
    };
    let file = &files[index];
    let toggle_diff = {
        let diff_on = diff_on.clone();
        let ctx = ctx.clone();
        let merged_path = merged_path.clone();
        Callback::from(move |_| {
            let on = !*diff_on;
            diff_on.set(on);
            if let (true, Some(path)) = (on, &merged_path) {
                ctx.dispatch(Action::SelectFile(path.clone()));
            }
        })
    };
    let show_diff = *diff_on && merged_path.as_deref() == Some(file.path.as_str());
    let line_count = file.content.lines().count();
    let errors = ctx.rendered.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
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
            { download::bundle_download(&ctx) }
            <file_tree::FileTree selected={AttrValue::from(selected.clone())} files={Rc::new(file_tree::tree_files(files))} {lang} />
            { file_bar::file_bar(&ctx, file_bar::FileBar { index, can_diff: merged_path.is_some(), diff_shown: show_diff, on_toggle_diff: toggle_diff, copy: &copy }) }
            { diagnostics_html(&ctx, &file.diagnostics) }
            if !changed.is_empty() {
                <p class="changed-note small" id="changed-note">
                    <span class="swatch" aria-hidden="true"></span>
                    { tf(lang, if line_count > 0 && changed.len() == line_count { "preview.new_file" } else { "preview.changed_lines" }, &[("n", &changed.len().to_string())]) }
                </p>
            }
            if show_diff {
                if let Some(old) = ctx.existing.as_deref() {
                    { diff_view(lang, old, &file.content.to_string(), &diff_unfolded) }
                }
                <h4 class="code-title">{ t(lang, "preview.whole_file") }</h4>
            }
            <CodeView {lang} path={AttrValue::from(file.path.clone())} kind={file.kind} text={AttrValue::from(file.content.to_string())} changed={changed.clone()} />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
