//! The selected file's bar: its path, mode and length, the diff toggle (when the node's config.toml was merged),
//! copy (with the select-for-Ctrl+C fallback when the clipboard refuses) and download of this one file; and the
//! line under it saying what the file is.

use ccb_core::{FileKind, Severity};
use yew::prelude::*;

use super::{describe_key, download_name, mime_for, shown};
use crate::browser;
use crate::copy::{Copied, UseCopy};
use crate::fields::Ctx;
use crate::i18n::{t, tf};
use crate::state::{Action, Notice, Section};

/// What the bar shows besides the state: a function of the preview panel, which holds its hooks (the copy state
/// of the selected file, whether the diff is shown), rather than a component of its own.
pub struct FileBar<'a> {
    /// Index of the file in `Rendered::files`.
    pub index: usize,
    /// The merged config.toml can be compared with the node's file.
    pub can_diff: bool,
    pub diff_shown: bool,
    pub on_toggle_diff: Callback<MouseEvent>,
    /// The copy state of the selected file's text (`copy::use_copy` with the fallback id `copy-fallback`).
    pub copy: &'a UseCopy,
}

pub fn file_bar(ctx: &Ctx, p: FileBar<'_>) -> Html {
    let lang = ctx.lang;
    let copy = p.copy;
    let Some(file) = ctx.rendered.files.get(p.index).cloned() else { return html! {} };

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
    let to_apply = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            crate::widgets::open_and_focus(&ctx, Section::Apply, "existing-config");
        })
    };
    let installable = ctx.rendered.installable;
    let line_count = file.content.lines().count();
    let host = ccb_core::paths::namespace_of(&file.path).unwrap_or("");
    html! {
        <>
            <div class="file-bar">
                <div class="file-title">
                    <h3><code>{ shown(&file.path).into_owned() }</code></h3>
                    <span class="muted small">{ tf(lang, "preview.file_meta", &[("mode", &format!("{:04o}", file.mode)), ("lines", &line_count.to_string())]) }</span>
                </div>
                <span class="spacer"></span>
                <div class="tools">
                    if p.can_diff {
                        <button type="button" id="show-diff" onclick={p.on_toggle_diff} aria-pressed={p.diff_shown.to_string()}
                            title={t(lang, "preview.diff_hint")}>
                            { if p.diff_shown { t(lang, "preview.hide_diff") } else { t(lang, "preview.show_diff") } }
                        </button>
                    }
                    <button type="button" id="copy-file" onclick={copy.on_copy.clone()}>{ t(lang, "preview.copy") }</button>
                    <button type="button" id="download-file" onclick={on_download} disabled={!installable}
                        title={if installable { t(lang, "preview.download_hint") } else { t(lang, "preview.blocked_hint") }}>
                        { t(lang, "preview.download") }
                    </button>
                    if copy.state == Copied::Done {
                        <span class="ok small" role="status">{ t(lang, "preview.copied") }</span>
                    }
                </div>
            </div>
            <p class="file-about small muted">
                { tf(lang, describe_key(file.kind), &[("host", &shown(host))]) }
                if matches!(file.kind, FileKind::ConfigFragment | FileKind::DropIn) {
                    { " " }<button type="button" class="link" id="goto-apply" onclick={to_apply}>{ t(lang, "preview.paste_yours") }</button>
                }
            </p>
            if copy.state == Copied::Refused {
                <div class="copy-fallback note warning" role="alert">
                    <label for="copy-fallback">{ t(lang, "preview.copy_refused") }</label>
                    <textarea id="copy-fallback" readonly=true rows="6" spellcheck="false" value={file.content.to_string()} />
                    <button type="button" class="small" onclick={copy.on_dismiss.clone()}>{ t(lang, "preview.close") }</button>
                </div>
            }
        </>
    }
}
