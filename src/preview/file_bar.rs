//! The selected file's bar: its path, mode and length, the diff toggle (when the node's config.toml was merged),
//! copy (with the select-for-Ctrl+C fallback when the clipboard refuses) and download of this one file; and the
//! line under it saying what the file is.

use ccb_core::{FileKind, Severity};
use yew::prelude::*;

use super::{describe_key, download_name, mime_for, shown, PreviewAction};
use crate::browser;
use crate::app::ViewAction;
use crate::widgets::{link_button, on_click};
use crate::copy::{copy_then, Copied};
use crate::fields::Ctx;
use crate::i18n::{t, tf};
use crate::state::{Action, Notice, Section};

/// What the bar shows besides the state (the copy state and the diff toggle are the preview's, in `AppState::view`).
pub struct FileBar {
    /// Index of the file in `Rendered::files`.
    pub index: usize,
    /// The merged config.toml can be compared with the node's file.
    pub can_diff: bool,
    pub diff_shown: bool,
    /// The file's text, as copied.
    pub text: AttrValue,
}

const FALLBACK: &str = "copy-fallback";

fn copied(c: Copied) -> ViewAction {
    ViewAction::Preview(PreviewAction::Copied(c))
}

pub fn file_bar(ctx: &Ctx, p: FileBar) -> Html {
    let lang = ctx.lang;
    let copy = ctx.view.preview.copied;
    let Some(file) = ctx.rendered.files.get(p.index) else { return html! {} };
    let on_copy = {
        let ctx = ctx.clone();
        let text = p.text.clone();
        Callback::from(move |_| {
            let ctx = ctx.clone();
            copy_then(text.to_string(), FALLBACK, Callback::from(move |c| ctx.dispatch(Action::View(copied(c)))));
        })
    };

    let on_download = {
        let ctx = ctx.clone();
        let path = file.path.clone();
        let kind = file.kind;
        let content = file.content.clone();
        Callback::from(move |_| {
            let name = download_name(&path);
            if browser::download(&name, mime_for(kind), content.as_bytes()).is_err() {
                ctx.dispatch(Action::Notify(Some(Notice { key: "preview.download_failed", detail: name, severity: Severity::Error })));
            }
        })
    };
    let to_apply = crate::widgets::on_open_and_focus(ctx, Section::Apply, "existing-config".into());
    let installable = ctx.rendered.installable;
    // install.sh and README.txt before the tools module wrote them: nothing to copy or save yet.
    let pending = crate::lazy::scripts::pending(file.kind);
    let line_count = file.content.lines().count();
    let host = ccb_core::paths::namespace_of(&file.path).unwrap_or("");
    html! {
        <>
            <div class="file-bar">
                <div class="file-title">
                    <h3><code>{ shown(&file.path).into_owned() }</code></h3>
                    <span class="muted small">{ if pending {
                        tf(lang, "preview.file_meta_pending", &[("mode", &format!("{:04o}", file.mode))])
                    } else {
                        tf(lang, "preview.file_meta", &[("mode", &format!("{:04o}", file.mode)), ("lines", &crate::problem_labels::count(lang, "lines", line_count))])
                    } }</span>
                </div>
                <span class="spacer"></span>
                <div class="tools">
                    if p.can_diff {
                        <button type="button" id="show-diff" onclick={on_click(ctx, || Action::View(ViewAction::Preview(PreviewAction::ToggleDiff)))} aria-pressed={crate::fields::bool_attr(p.diff_shown)}
                            title={t(lang, "preview.diff_hint")}>
                            { if p.diff_shown { t(lang, "preview.hide_diff") } else { t(lang, "preview.show_diff") } }
                        </button>
                    }
                    <button type="button" id="copy-file" onclick={on_copy} disabled={pending}>{ t(lang, "preview.copy") }</button>
                    <button type="button" id="download-file" onclick={on_download} disabled={!installable || pending}
                        title={if installable { t(lang, "preview.download_hint") } else { t(lang, "preview.blocked_hint") }}>
                        { t(lang, "preview.download") }
                    </button>
                    if copy == Copied::Done {
                        <span class="ok small" role="status">{ t(lang, "preview.copied") }</span>
                    }
                </div>
            </div>
            <p class="file-about small muted">
                { tf(lang, describe_key(file.kind), &[("host", &shown(host))]) }
                if matches!(file.kind, FileKind::ConfigFragment | FileKind::DropIn) {
                    { " " }{ link_button("goto-apply", t(lang, "preview.paste_yours"), to_apply) }
                }
            </p>
            if copy == Copied::Refused {
                <div class="copy-fallback note warning" role="alert">
                    <label for={FALLBACK}>{ t(lang, "preview.copy_refused") }</label>
                    <textarea id={FALLBACK} readonly=true rows="6" spellcheck="false" value={p.text} />
                    <button type="button" class="small" onclick={on_click(ctx, || Action::View(copied(Copied::Idle)))}>{ t(lang, "preview.close") }</button>
                </div>
            }
        </>
    }
}
