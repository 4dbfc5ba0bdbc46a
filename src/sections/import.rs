//! "Start from your own containerd files": paste a config.toml or a hosts.toml, pick files, a folder or a
//! `.tar.gz` of /etc/containerd, then open them as the project (the import report, then "Use this project") or
//! only check them for the Target section's range. The reading and every rule are the core's, run by the lazily
//! loaded tools module (`lazy::import`); this card only gathers the bytes and lays out the report. A k3s / RKE2
//! registries.yaml or a Docker daemon.json leaves some routing to the nodes' flags: the card asks those questions
//! as checkboxes, checked as the report assumed, and reads the same files again with the answer.

use std::rc::Rc;

use ccb_core::import::formats::{Assumptions, Format};
use ccb_core::import::Finding;
use ccb_core::import_result::{group, Group, Mode, Report, Request, Source};
use ccb_core::{Lang, Severity};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser;
use crate::fields::{button, titled_card, check_row, labelled, para, Check, Ctx, div};
use crate::i18n::{t, tf};
use crate::lazy::import::Answer;
use crate::widgets::cardkit::{code, el, frag, lit, msg_tail, none, owned, text};
use crate::sections::cards;
use crate::state::{Action, AppState, Notice, Section};

/// Where the card is: idle, busy, or showing an answer of a mode (kept in `sections::cards`).
#[derive(Clone, PartialEq, Default)]
pub enum Shown {
    #[default]
    Nothing,
    Busy,
    Problem(&'static str, String),
    /// The request is kept to read the same files again with another answer to the importer's questions.
    /// (Shared, not copied, when the cards change.)
    Done(Mode, Rc<Request>, Rc<Report>),
}

/// One question of the importer: the checkbox's id, its label and hint keys, the answer in `Assumptions`, and
/// what the report assumes when not told.
struct Question {
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    answer: fn(&mut Assumptions) -> &mut Option<bool>,
    assumed: bool,
}

/// The questions the importer asks of files in `format`.
fn questions(format: Format) -> &'static [Question] {
    const K3S: &[Question] = &[
        Question { id: "import-q-no-default", label: "import.q_no_default", hint: "import.q_no_default_hint", answer: |a| &mut a.no_default_endpoint, assumed: false },
        Question { id: "import-q-embedded", label: "import.q_embedded", hint: "import.q_embedded_hint", answer: |a| &mut a.embedded_registry, assumed: false },
    ];
    const DOCKER: &[Question] =
        &[Question { id: "import-q-reachable", label: "import.q_reachable", hint: "import.q_reachable_hint", answer: |a| &mut a.upstream_reachable, assumed: true }];
    match format {
        Format::K3s => K3S,
        Format::Docker => DOCKER,
        Format::Containerd | Format::Talos => &[],
    }
}

/// The importer's questions as checkboxes; `ask` reads the files again with the changed assumptions.
fn question_boxes(lang: Lang, request: &Request, format: Format, ask: Callback<Assumptions>) -> Html {
    let qs = questions(format);
    if qs.is_empty() {
        return html! {};
    }
    let mut parts = vec![el("legend", "", "", vec![text(lang, "import.questions_title")]), para("hint", "", t(lang, "import.questions_intro").into())];
    parts.extend(qs.iter().map(|q| {
                let mut current = request.assume.clone();
                let checked = (q.answer)(&mut current).unwrap_or(q.assumed);
                let onchange = {
                    let (ask, answer) = (ask.clone(), q.answer);
                    let base = request.assume.clone();
                    Callback::from(move |e: Event| {
                        let mut assume = base.clone();
                        *answer(&mut assume) = Some(crate::fields::event_checked(&e));
                        ask.emit(assume);
                    })
                };
                let c = Check { id: q.id.into(), label: t(lang, q.label).into(), hint: Some(q.hint), checked, disabled: false, described_by: None };
                check_row(lang, "field check", c, onchange, none())
            }));
    el("fieldset", "import-questions", "import-questions", parts)
}

/// The names of an archive the card unpacks rather than reads as one file.
fn is_archive(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".tar.gz") || n.ends_with(".tgz")
}

/// The element `id` of the page as `T`.
fn element<T: JsCast>(id: &str) -> Option<T> {
    browser::document()?.get_element_by_id(id)?.dyn_into::<T>().ok()
}

/// The files chosen in the input `id` as sources (a folder's with their path inside it).
async fn read_chosen(id: &str, folder: bool, out: &mut Vec<Source>) -> Result<(), String> {
    let Some(list) = element::<web_sys::HtmlInputElement>(id).and_then(|i| i.files()) else { return Ok(()) };
    for i in 0..list.length() {
        let Some(file) = list.get(i) else { continue };
        let name = file.name();
        let relative = crate::browser::main_only::folder_path(&file);
        let bytes = crate::browser::main_only::read_bytes(file).await.map_err(|e| format!("{name}: {e}"))?;
        out.push(match (folder, relative) {
            _ if is_archive(&name) => Source::Archive(name, bytes),
            (true, Some(path)) => Source::InFolder(path, bytes),
            _ => Source::File(name, bytes),
        });
    }
    Ok(())
}

/// Everything the card holds when a button is pressed: the pasted text, then the chosen files and folder.
async fn gather() -> Result<Vec<Source>, String> {
    let mut sources = Vec::new();
    let pasted = element::<web_sys::HtmlTextAreaElement>("import-paste").map(|t| t.value()).unwrap_or_default();
    if !pasted.trim().is_empty() {
        sources.push(Source::Pasted(pasted));
    }
    read_chosen("import-files", false, &mut sources).await?;
    read_chosen("import-folder", true, &mut sources).await?;
    Ok(sources)
}

fn finding_item(lang: Lang, f: &Finding) -> Html {
    let place = match (f.file.is_empty(), f.at) {
        (true, _) => String::new(),
        (false, Some((l, c))) => format!("{}:{l}:{c}", f.file),
        (false, None) => format!("{} ({})", f.file, t(lang, "import.whole_file")),
    };
    let at = if place.is_empty() { none() } else { frag(vec![el("code", "at", "", vec![owned(place)]), lit(" ")]) };
    let parts = msg_tail(lang, f.severity, f.message.get(lang), f.code, at);
    html! { <li class={crate::fields::msg_class(f.severity)} data-code={f.code}>{ for parts }</li> }
}

fn finding_list(lang: Lang, id: &'static str, title: String, items: &[&Finding]) -> Html {
    let title_id = AttrValue::from([id, "-title"].concat());
    let items = items.iter().map(|f| finding_item(lang, f));
    frag(vec![
        html! { <h5 id={title_id.clone()}>{ owned(title) }</h5> },
        html! { <ul class="field-msgs import-list" {id} aria-labelledby={title_id}>{ for items }</ul> },
    ])
}

fn counts_line(lang: Lang, findings: &[&Finding]) -> String {
    let of = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings, infos) = (of(Severity::Error), of(Severity::Warning), of(Severity::Info));
    let count = |what, n| crate::problem_labels::count(lang, what, n);
    tf(lang, "import.counts", &[("errors", &count("errors", errors)), ("warnings", &count("warnings", warnings)), ("infos", &count("notes", infos))])
}

/// The import report: taken over, not expressible, problems; then "Use this project".
fn import_report(lang: Lang, request: &Request, r: &Report, on_use: Callback<MouseEvent>, ask: Callback<Assumptions>) -> Html {
    let of = |g: Group| r.findings.iter().filter(|f| group(f) == g).collect::<Vec<_>>();
    let (taken, inexpressible, problems) = (of(Group::TakenOver), of(Group::NotExpressible), of(Group::Problem));
    let n = |v: &Vec<&Finding>| v.len().to_string();
    let registries = r.project.as_ref().map_or(0, |p| p.registries.len());
    let list = |id: &'static str, key: &str, items: &Vec<&Finding>| {
        if items.is_empty() { none() } else { finding_list(lang, id, tf(lang, key, &[("n", &n(items))]), items) }
    };
    let registries = tf(lang, "import.registries", &[("registries", &crate::problem_labels::count(lang, "registries", registries))]);
    frag(vec![
        question_boxes(lang, request, r.format, ask),
        el("p", "", "import-counts", vec![owned(counts_line(lang, &problems)), lit(" "), owned(registries)]),
        list("import-taken", "import.taken_title", &taken),
        list("import-inexpressible", "import.inexpressible_title", &inexpressible),
        if problems.is_empty() { para("note ok", "import-problems", t(lang, "import.no_problems").into()) } else { list("import-problems", "import.problems_title", &problems) },
        if r.project.is_some() { button("import-use".into(), "primary", t(lang, "import.use"), false, on_use) } else { none() },
    ])
}

/// The lint: per file, each finding at its line, and the counts.
fn lint_report(lang: Lang, r: &Report) -> Html {
    let mut files: Vec<&str> = r.files.iter().map(String::as_str).collect();
    for f in &r.findings {
        if !files.contains(&f.file.as_str()) {
            files.push(&f.file);
        }
    }
    let mut parts = vec![
        el("p", "", "import-counts", vec![owned(counts_line(lang, &r.findings.iter().collect::<Vec<_>>()))]),
        if r.findings.is_empty() { para("note ok", "import-problems", t(lang, "import.no_problems").into()) } else { none() },
    ];
    parts.extend(files.iter().enumerate().filter_map(|(i, file)| {
        let of: Vec<&Finding> = r.findings.iter().filter(|f| f.file == *file).collect();
        (!of.is_empty()).then(|| {
            let title_id = AttrValue::from(format!("lint-file-{i}"));
            let items = of.iter().map(|f| finding_item(lang, f));
            let name = if file.is_empty() { "—".to_string() } else { file.to_string() };
            html! {
                <div class="import-file" data-file={file.to_string()}>
                    <h5 id={title_id.clone()}>{ code(name) }</h5>
                    <ul class="field-msgs import-list" aria-labelledby={title_id}>{ for items }</ul>
                </div>
            }
        })
    }));
    frag(parts)
}

/// Shows `shown` in the card, if the section is still in `visit`.
fn show(ctx: &Ctx, visit: &Rc<()>, shown: Shown) {
    cards::answer(ctx, visit.clone(), Box::new(move |c: &mut cards::Cards| c.import = shown));
}

/// Runs `request` in the tools module and shows its answer (the report's title focused when `focus`).
fn read(ctx: Ctx, visit: Rc<()>, request: Request, focus: bool) {
    let mode = request.mode;
    let kept = Rc::new(request.clone());
    crate::lazy::import::run(&request, move |answer| {
        show(&ctx, &visit, match answer {
            Answer::Report(r) => Shown::Done(mode, kept, Rc::new(r)),
            Answer::NotLoaded(why) => Shown::Problem("import.not_loaded", why),
            Answer::Broken(why) => Shown::Problem("import.broken", why),
        });
        if focus {
            crate::widgets::focus_soon("import-result-title");
        }
    });
}

/// The card; what it shows is `ctx.cards.import`.
pub fn card(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let run = |mode: Mode| {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let (ctx, visit, target) = (ctx.clone(), cards::visit(&ctx), (mode == Mode::Lint).then(|| ctx.project.target.clone()));
            show(&ctx, &visit, Shown::Busy);
            wasm_bindgen_futures::spawn_local(async move {
                let sources = match gather().await {
                    Ok(s) if s.is_empty() => return show(&ctx, &visit, Shown::Problem("import.nothing", String::new())),
                    Ok(s) => s,
                    Err(why) => return show(&ctx, &visit, Shown::Problem("import.read_failed", why)),
                };
                let hosts_for = element::<web_sys::HtmlInputElement>("import-registry").map(|i| i.value()).unwrap_or_default();
                read(ctx, visit, Request { mode, target, hosts_for, sources, assume: Assumptions::default() }, true);
            });
        })
    };
    // Another answer to a question: the same files read again; focus stays on the checkbox.
    let ask = {
        let ctx = ctx.clone();
        Callback::from(move |assume: Assumptions| {
            let Shown::Done(_, request, _) = &ctx.cards.import else { return };
            read(ctx.clone(), cards::visit(&ctx), Request { assume, ..(**request).clone() }, false);
        })
    };
    let on_use = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let Shown::Done(Mode::Import, _, report) = &ctx.cards.import else { return };
            let Some(project) = report.project.clone() else { return };
            let edited = *ctx.project != ccb_core::Project::default();
            if edited && !browser::confirm(t(ctx.lang, "import.use_confirm")) {
                return;
            }
            let section = AppState::natural_section(&project);
            ctx.dispatch(Action::Replace(project));
            ctx.dispatch(Action::SetSection(section));
            ctx.dispatch(Action::Notify(Some(Notice { key: "import.used", detail: String::new(), severity: Severity::Info })));
        })
    };

    let target = &ctx.project.target;
    let range = format!("{}–{}", target.min, target.max);
    let (status_class, status) = match &ctx.cards.import {
        Shown::Busy => ("note", t(lang, "import.reading")),
        _ => ("visually-hidden", ""),
    };
    let result = match &ctx.cards.import {
        Shown::Nothing | Shown::Busy => html! {},
        Shown::Problem(key, detail) => crate::widgets::alert_error(lang, "import-error", frag(vec![
            text(lang, key),
            if detail.is_empty() { none() } else { frag(vec![lit(" "), code(detail.clone())]) },
        ])),
        Shown::Done(mode, request, report) => {
            let title = if *mode == Mode::Import { "import.report_title" } else { "import.lint_title" };
            let parts = vec![
                html! { <h4 id="import-result-title" tabindex="-1">{ text(lang, title) }</h4> },
                el("p", "hint", "import-files-read", vec![
                    owned(tf(lang, "import.files_read", &[("n", &report.files.len().to_string())])),
                    lit(" "),
                    owned(report.files.join(crate::widgets::list_sep(lang))),
                ]),
                if *mode == Mode::Import { import_report(lang, request, report, on_use, ask) } else { lint_report(lang, report) },
            ];
            html! { <section class="import-result" id="import-result" aria-labelledby="import-result-title">{ for parts }</section> }
        }
    };
    titled_card(lang, "import-card", "import-title", "import.title", false, frag(vec![
        para("hint", "", t(lang, "import.intro").into()),
        labelled(lang, "import-paste", "import.paste_label", Some("import.paste_hint"), html! { <textarea id="import-paste" rows="6" spellcheck="false" /> }),
        labelled(lang, "import-registry", "import.registry_label", Some("import.registry_hint"),
            html! { <input type="text" id="import-registry" spellcheck="false" value="docker.io" /> }),
        div("row tools", frag(vec![
            labelled(lang, "import-files", "import.files_label", Some("import.files_hint"), html! { <input type="file" id="import-files" multiple=true /> }),
            labelled(lang, "import-folder", "import.folder_label", Some("import.folder_hint"), html! { <input type="file" id="import-folder" webkitdirectory=true /> }),
        ])),
        div("row tools", frag(vec![
            button("import-open".into(), "primary", t(lang, "import.open"), false, run(Mode::Import)),
            button("import-lint".into(), "", t(lang, "import.lint"), false, run(Mode::Lint)),
        ])),
        el("p", "hint", "import-lint-for", vec![
            owned(tf(lang, "import.lint_for", &[("range", &range)])),
            lit(" "),
            crate::widgets::section_link(ctx, Section::Target, "import.change_target"),
        ]),
        html! { <p class={status_class} id="import-status" role="status">{ lit(status) }</p> },
        result,
    ]))
}
