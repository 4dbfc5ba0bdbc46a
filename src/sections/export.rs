//! "For k3s, RKE2 and Talos": the project in the formats those tools turn into containerd's files themselves — a
//! k3s / RKE2 `registries.yaml`, a Talos machine-config patch (≤ 1.11) or the 1.12+ registry documents. The export
//! and its report are the core's (`ccb_core::export`), run by the lazily loaded tools module (`lazy::export`);
//! this card downloads what it answers and lists what the format cannot carry at each field's label.
//!
//! Credentials go into the YAML exactly as the project holds them, as they go into the bundle's files (the CLI's
//! `export` writes them too): the file is for the nodes, made in this browser, and nothing is sent anywhere.

use ccb_core::archive::tar_files;
use ccb_core::export::{Export, Format, TalosForm};
use ccb_core::{Diagnostic, Project, Severity};
use std::rc::Rc;
use yew::prelude::*;

use crate::browser;
use crate::fields::{button, titled_card, para, Ctx, div};
use crate::i18n::{t, tf};
use crate::widgets::cardkit::{code, frag, msg_tail, lit, none};
use crate::lazy::export::Answer;
use crate::problem_labels::{count, place};
use crate::sections::cards;
use crate::state::{Action, Notice};

/// The archive of the CA files a k3s export names by path.
pub const CA_ARCHIVE: &str = "registry-ca.tar.gz";

/// The formats offered, in the card's order: (format, button id, button label key, downloaded file name).
const FORMATS: [(Format, &str, &str, &str); 3] = [
    (Format::K3s, "export-k3s", "export.k3s", "registries.yaml"),
    (Format::Talos(TalosForm::MachineConfig), "export-talos-patch", "export.talos_patch", "talos-registries-patch.yaml"),
    (Format::Talos(TalosForm::Documents), "export-talos-documents", "export.talos_documents", "talos-registries.yaml"),
];

fn file_name(format: Format) -> &'static str {
    FORMATS.iter().find(|f| f.0 == format).map_or("registries.yaml", |f| f.3)
}

/// What the card shows: the last export, for the project it was made from (kept in `sections::cards`).
#[derive(Clone, PartialEq, Default)]
pub enum Shown {
    #[default]
    Nothing,
    Busy,
    Problem(&'static str, String),
    Done(Format, Rc<Project>, Rc<Export>),
}

/// One line of the report: the field's place in the form's words (a link to it), the severity, the message.
fn diagnostic_item(ctx: &Ctx, d: &Diagnostic) -> Html {
    let lang = ctx.lang;
    let onclick = {
        let (ctx, path) = (ctx.clone(), d.path.clone());
        Callback::from(move |_| crate::widgets::jump_to_field(&ctx, &path))
    };
    let at = if d.path.is_empty() {
        none()
    } else {
        let place = crate::widgets::cardkit::owned(place(&d.path, &ctx.project, lang));
        frag(vec![html! { <span class="place" data-path={d.path.clone()}>{ place }</span> }, lit(" ")])
    };
    let parts = msg_tail(lang, d.severity, d.message.get(lang), d.code, at);
    html! {
        <li class={crate::fields::msg_class(d.severity)} data-code={d.code}>
            <button type="button" class="link" {onclick}>{ for parts }</button>
        </li>
    }
}

fn download_failed(ctx: &Ctx, name: &str) {
    ctx.dispatch(Action::Notify(Some(Notice { key: "apply.download_failed", detail: name.to_string(), severity: Severity::Error })));
}

/// The CA files of a k3s export as one archive, each at its path on the node (`tar -xzf … -C /`).
fn download_cas(ctx: &Ctx, e: &Export) {
    let files: Vec<(&str, u32, &[u8])> = e.files.iter().map(|f| (f.path.trim_start_matches('/'), 0o644, f.content.as_bytes())).collect();
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let ctx = ctx.clone();
    browser::download_gzipped(CA_ARCHIVE.into(), tar_files(files, now), move |key, detail| {
        ctx.dispatch(Action::Notify(Some(Notice { key, detail, severity: Severity::Error })));
    });
}

/// The report of one export: counts, then each diagnostic at its field; the CA archive where the YAML names files.
fn report(ctx: &Ctx, format: Format, e: &Rc<Export>) -> Html {
    let lang = ctx.lang;
    let of = |s: Severity| e.diagnostics.iter().filter(|d| d.severity == s).count();
    let errors = of(Severity::Error);
    let name = file_name(format);
    let counts = tf(lang, "export.counts", &[("errors", &count(lang, "errors", errors)), ("warnings", &count(lang, "warnings", of(Severity::Warning))), ("infos", &count(lang, "notes", of(Severity::Info)))]);
    let on_cas = {
        let (ctx, e) = (ctx.clone(), Rc::clone(e));
        Callback::from(move |_: MouseEvent| download_cas(&ctx, &e))
    };
    let title = tf(lang, "export.report_title", &[("name", name)]);
    let status = if errors > 0 {
        html! { <p class="note error" id="export-status" role="alert">{ tf(lang, "export.blocked", &[("n", &count(lang, "errors", errors))]) }</p> }
    } else {
        para("note ok", "export-status", [tf(lang, "export.downloaded", &[("name", name)]), counts].join(" ").into())
    };
    let list = if e.diagnostics.is_empty() {
        para("hint", "export-clean", t(lang, "export.clean").into())
    } else {
        let items = e.diagnostics.iter().map(|d| diagnostic_item(ctx, d));
        html! { <ul class="field-msgs import-list" id="export-diagnostics" aria-labelledby="export-result-title">{ for items }</ul> }
    };
    let cas = if errors == 0 && !e.files.is_empty() {
        frag(vec![
            div("row tools", frag(vec![button("export-cas".into(), "", &tf(lang, "export.cas", &[("name", CA_ARCHIVE), ("n", &e.files.len().to_string())]), false, on_cas)])),
            para("hint", "export-cas-hint", tf(lang, "export.cas_hint", &[("name", CA_ARCHIVE)]).into()),
        ])
    } else {
        none()
    };
    let parts = vec![html! { <h4 id="export-result-title" tabindex="-1">{ title }</h4> }, status, list, cas];
    html! {
        <section class="export-result" id="export-result" data-format={name} aria-labelledby="export-result-title">{ for parts }</section>
    }
}

/// Shows `shown` in the card, if the section is still in `visit`.
fn show(ctx: &Ctx, visit: Rc<()>, shown: Shown) {
    cards::answer(ctx, visit, Box::new(move |c: &mut cards::Cards| c.export = shown));
}

/// The card; what it shows is `ctx.cards.export`.
pub fn card(ctx: &Ctx) -> Html {
    let lang = ctx.lang;

    let format_button = |(format, id, label, _): (Format, &'static str, &'static str, &'static str)| {
        let onclick = {
            let ctx = ctx.clone();
            Callback::from(move |_: MouseEvent| {
                let (ctx, visit, project) = (ctx.clone(), cards::visit(&ctx), ctx.project.clone());
                show(&ctx, visit.clone(), Shown::Busy);
                crate::lazy::export::run(&project.clone(), format, move |answer| {
                    let shown = match answer {
                        Answer::Exported(e) => {
                            // As the CLI: nothing is written while the export has errors.
                            if !e.has_errors() {
                                let name = file_name(format);
                                if browser::download(name, "application/yaml", e.yaml.as_bytes()).is_err() {
                                    download_failed(&ctx, name);
                                }
                            }
                            Shown::Done(format, project, Rc::new(e))
                        }
                        Answer::NotLoaded(why) => Shown::Problem("export.not_loaded", why),
                        Answer::Broken(why) => Shown::Problem("export.broken", why),
                    };
                    show(&ctx, visit, shown);
                    crate::widgets::focus_soon("export-result-title");
                });
            })
        };
        button(id.into(), "", t(lang, label), false, onclick)
    };
    let result = match &ctx.cards.export {
        Shown::Nothing => html! {},
        Shown::Busy => html! { <p class="note" id="export-busy" role="status">{ t(lang, "export.busy") }</p> },
        Shown::Problem(key, detail) => crate::widgets::alert_error(lang, "export-error", frag(vec![crate::widgets::cardkit::text(lang, key), lit(" "), code(detail.clone())])),
        // A report of an earlier project would describe files that no longer match the form.
        Shown::Done(format, made_from, e) if **made_from == *ctx.project => report(ctx, *format, e),
        Shown::Done(..) => para("hint", "export-stale", t(lang, "export.stale").into()),
    };
    titled_card(lang, "export-card", "export-title", "export.title", true, frag(vec![
        para("hint", "", t(lang, "export.intro").into()),
        div("row tools", frag(FORMATS.into_iter().map(format_button).collect())),
        para("hint", "export-secrets", t(lang, "export.secrets").into()),
        result,
    ]))
}
