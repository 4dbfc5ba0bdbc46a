//! The bundle download, beside the preview it is made from: the `.tar.gz` and install.sh alone, or — while errors
//! remain — why not: the first errors, each a link to its field, and a link to the Problems list. Warnings never
//! block. The steps after the download (copy, dry run, install, restart, verify) stay under Apply, and so do the
//! k3s / Talos downloads (a link leads there).

use ccb_core::archive::{tar, ARCHIVE_ROOT};
use ccb_core::{Diagnostic, FileKind, Severity};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser;
use crate::fields::Ctx;
use crate::i18n::{t, tf, tn};
use crate::problem_labels::count;
use crate::state::{Action, Notice, Section};
use crate::widgets::link_button;

/// How many errors the blocked state lists by name; the rest are in the Problems list.
const ERRORS_SHOWN: usize = 3;

fn failed(ctx: &Ctx, name: &str) {
    refused(ctx, "apply.download_failed", name.to_string());
}

/// Why a download did not happen: the notice `key` with its `detail`.
fn refused(ctx: &Ctx, key: &'static str, detail: String) {
    ctx.dispatch(Action::Notify(Some(Notice { key, detail, severity: Severity::Error })));
}

/// Moves focus to the first entry of the Problems list (or the list itself).
fn focus_summary() {
    let Some(doc) = browser::document() else { return };
    if let Ok(Some(el)) = doc.query_selector("#summary-list button") {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            el.scroll_into_view();
            let _ = el.focus();
            return;
        }
    }
    browser::focus("summary-list");
}

/// `#bundle-download`: the bundle's buttons, or why they are disabled.
pub fn bundle_download(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let installable = ctx.rendered.installable;
    // install.sh and README.txt come from the tools module (`lazy::scripts`): a download loads it first.
    let waiting = crate::lazy::scripts::waiting(lang);
    let errors: Vec<&Diagnostic> = ctx.rendered.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    let warnings = ctx.rendered.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    let archive = [ARCHIVE_ROOT, ".tar.gz"].concat();

    let on_bundle = {
        let ctx = ctx.clone();
        let archive = archive.clone();
        Callback::from(move |_| {
            if !ctx.rendered.installable {
                return;
            }
            let (ctx, archive) = (ctx.clone(), archive.clone());
            let dispatch = ctx.dispatcher();
            crate::lazy::scripts::when_ready(move |a| dispatch.dispatch(a), move || {
                // Entries dated now (the time of the download), not 1970; gzipped by the browser.
                let now = (js_sys::Date::now() / 1000.0) as u64;
                browser::download_gzipped(archive, tar(&ctx.rendered, now), move |key, detail| refused(&ctx, key, detail));
            });
        })
    };
    let on_install = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            if !ctx.rendered.installable {
                return;
            }
            let ctx = ctx.clone();
            let dispatch = ctx.dispatcher();
            crate::lazy::scripts::when_ready(move |a| dispatch.dispatch(a), move || {
                let Some(f) = ctx.rendered.file_of(FileKind::InstallScript) else { return };
                let name = super::download_name(&f.path);
                if browser::download(&name, super::mime_for(f.kind), f.content.as_bytes()).is_err() {
                    failed(&ctx, &name);
                }
            });
        })
    };
    let to_steps = crate::widgets::on_open_and_focus(ctx, Section::Apply, "apply-steps-title".into());
    let jump = Callback::from(|_| focus_summary());
    let blocked = if !installable {
        Some("download-blocked")
    } else {
        waiting.is_some().then_some("download-waiting")
    };
    html! {
        <section class={if installable { "bundle-download" } else { "bundle-download blocked" }} id="bundle-download" aria-labelledby="bundle-download-title">
            <h3 id="bundle-download-title" class="visually-hidden">{ t(lang, "apply.downloads_title") }</h3>
            <div class="row tools">
                <button type="button" class="primary" id="download-bundle" onclick={on_bundle} disabled={!installable} aria-describedby={blocked}>
                    { tf(lang, "apply.download_bundle", &[("name", &archive)]) }
                </button>
                <button type="button" id="download-install" onclick={on_install} disabled={!installable} aria-describedby={blocked}>
                    { t(lang, "apply.download_install") }
                </button>
            </div>
            if let (true, Some(why)) = (installable, waiting) {
                <p class={if crate::lazy::scripts::loading() { "note lazy-wait" } else { "note error" }} id="download-waiting" role="status">{ why }</p>
            }
            if installable {
                <p class="small muted" id="download-next">
                    { tf(lang, "apply.bundle_unpack", &[("name", ARCHIVE_ROOT)]) }{ " " }
                    { link_button("goto-steps", t(lang, "download.goto_steps"), to_steps) }
                </p>
                if warnings > 0 {
                    <p class="note warning small" id="download-warnings">{ tn(lang, "apply.warnings_ok", warnings) }</p>
                }
                <p class="small muted" id="download-other-formats">
                    { link_button("goto-export", t(lang, "export.goto"), to_export(ctx)) }
                </p>
            } else {
                <div class="note error" id="download-blocked" role="status">
                    <p>{ tf(lang, "download.blocked", &[("n", &count(lang, "errors", errors.len()))]) }</p>
                    <ul class="blocked-list">
                        { for errors.iter().take(ERRORS_SHOWN).map(|d| super::problem_item(ctx, d, super::Listed::Blocked)) }
                    </ul>
                    <p>
                        if errors.len() > ERRORS_SHOWN {
                            { tn(lang, "download.more_errors", errors.len() - ERRORS_SHOWN) }{ " " }
                        }
                        { link_button("goto-summary", t(lang, "apply.goto_summary"), jump) }
                    </p>
                </div>
            }
        </section>
    }
}

/// Focuses the card of the k3s / Talos downloads (Apply), from here and from Apply's own steps.
pub fn to_export(ctx: &Ctx) -> Callback<MouseEvent> {
    crate::widgets::on_open_and_focus(ctx, Section::Apply, "export-title".into())
}
