//! The page: toolbar, the form's sections as tabs with the diagnostics summary, and the live preview.

use ccb_core::Severity;
use yew::prelude::*;

use crate::browser;
use crate::fields::{field_id, severity_class, Ctx};
use crate::i18n::{t, tf};
use crate::preview::PreviewPanel;
use crate::problem_labels::{count, place};
use crate::sections::SectionBody;
use crate::startup;
use crate::state::{Action, Notice, Section, Theme};
use tabs::Tabs;

mod tabs;

#[function_component(Toolbar)]
fn toolbar() -> Html {
    let ctx = use_context::<Ctx>().expect("ctx");
    let lang = ctx.lang;
    let undo = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::Undo))
    };
    let redo = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::Redo))
    };
    let reset = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            if browser::confirm(t(ctx.lang, "toolbar.reset_confirm")) {
                ctx.dispatch(Action::Replace(ccb_core::Project::default()));
                ctx.dispatch(Action::SetExisting(None));
            }
        })
    };
    let on_preset = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            let Some(select) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) else { return };
            let id = select.value();
            select.set_value("");
            let Some(preset) = ccb_core::presets::by_id(&id) else { return };
            let edited = *ctx.project != ccb_core::Project::default();
            if edited && !browser::confirm(t(ctx.lang, "preset.confirm")) {
                return;
            }
            ctx.dispatch(Action::Replace(preset.project.clone()));
            ctx.dispatch(Action::SetSection(crate::state::AppState::natural_section(&preset.project)));
            ctx.dispatch(Action::Notify(Some(Notice {
                key: "preset.applied",
                detail: format!("{} — {}", preset.name.get(ctx.lang), preset.description.get(ctx.lang)),
                severity: Severity::Info,
            })));
        })
    };
    let on_lang = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            if let Some(s) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                if let Some(l) = crate::i18n::from_tag(&s.value()) {
                    ctx.dispatch(Action::SetLang(l));
                }
            }
        })
    };
    let on_theme = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            let next = match ctx.theme {
                Theme::Auto => Theme::Dark,
                Theme::Dark => Theme::Light,
                Theme::Light => Theme::Auto,
            };
            ctx.dispatch(Action::SetTheme(next));
        })
    };
    let presets = ccb_core::presets::all();
    let tools = html! {
            <div class="tools" role="toolbar" aria-label={t(lang, "toolbar.label")}>
                <label class="inline" for="preset">{ t(lang, "preset.label") }</label>
                <select id="preset" onchange={on_preset}>
                    <option value="" selected=true>{ t(lang, "preset.choose") }</option>
                    { for presets.iter().map(|p| html! {
                        <option value={p.id.clone()}>{ format!("{} ({} {})", p.name.get(lang), t(lang, "preset.checked"), p.checked) }</option>
                    }) }
                </select>
                <button type="button" id="undo" onclick={undo} disabled={!ctx.can_undo()} title={t(lang, "toolbar.undo_keys")}>{ t(lang, "toolbar.undo") }</button>
                <button type="button" id="redo" onclick={redo} disabled={!ctx.can_redo()} title={t(lang, "toolbar.redo_keys")}>{ t(lang, "toolbar.redo") }</button>
                <button type="button" id="reset" onclick={reset}>{ t(lang, "toolbar.reset") }</button>
                <label class="inline" for="lang">{ t(lang, "toolbar.language") }</label>
                <select id="lang" onchange={on_lang}>
                    <option value="en" selected={lang == ccb_core::Lang::En}>{ "English" }</option>
                    <option value="zh-CN" selected={lang == ccb_core::Lang::Zh}>{ "简体中文" }</option>
                </select>
                <button type="button" id="theme" onclick={on_theme} title={t(lang, "theme.toggle")}>
                    { tf(lang, "theme.current", &[("theme", t(lang, &format!("theme.{}", ctx.theme.key())))]) }
                </button>
            </div>
    };
    // Embedded in a docs portal: no page header (the portal has its own), but the tools stay reachable.
    if ctx.embed {
        return html! { <div class="embed-tools" id="top">{ tools }</div> };
    }
    html! {
        <header class="top" id="top">
            <h1>{ t(lang, "app.title") }</h1>
            { tools }
        </header>
    }
}

#[function_component(NoticeBar)]
fn notice_bar() -> Html {
    let ctx = use_context::<Ctx>().expect("ctx");
    let Some(n) = ctx.notice.clone() else { return html! {} };
    let close = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::Notify(None)))
    };
    html! {
        <div class={classes!("notice", severity_class(n.severity))} role="status" id="notice">
            <span>{ t(ctx.lang, n.key) }{ if n.detail.is_empty() { String::new() } else { format!(" {}", n.detail) } }</span>
            <button type="button" class="icon" onclick={close} aria-label={t(ctx.lang, "notice.close")}>{ "✕" }</button>
        </div>
    }
}

/// What the files are for, first thing on the page, with one click to change it.
#[function_component(TargetLine)]
fn target_line() -> Html {
    let ctx = use_context::<Ctx>().expect("ctx");
    let lang = ctx.lang;
    let target = &ctx.project.target;
    let change = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            crate::widgets::open_and_focus(&ctx, Section::Target, field_id("target.major"));
        })
    };
    let text = tf(lang, "target_line.text", &[("range", &target.describe()), ("v", &target.config_version().to_string())]);
    html! {
        <p class="target-line" id="target-line">
            <span id="target-line-text">{ text }</span>
            { " · " }
            <button type="button" class="link" id="change-target" onclick={change} aria-describedby="target-line-text">{ t(lang, "target_line.change") }</button>
        </p>
    }
}

/// Every diagnostic of the project; each entry moves focus to its field.
#[function_component(Summary)]
fn summary() -> Html {
    let ctx = use_context::<Ctx>().expect("ctx");
    let lang = ctx.lang;
    let mut diags: Vec<&ccb_core::Diagnostic> = ctx.rendered.diagnostics.iter().collect();
    diags.sort_by_key(|d| std::cmp::Reverse(d.severity));
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.iter().filter(|d| d.severity == Severity::Warning).count();
    let status = if ctx.rendered.installable {
        html! { <span class="badge ok" id="installable">{ t(lang, "summary.installable") }</span> }
    } else {
        html! { <span class="badge error" id="installable">{ t(lang, "summary.not_installable") }</span> }
    };
    html! {
        <section class="summary" aria-labelledby="summary-title">
            <h2 id="summary-title">{ tf(lang, "summary.title", &[("errors", &count(lang, "errors", errors)), ("warnings", &count(lang, "warnings", warnings))]) }{ status }</h2>
            if diags.is_empty() {
                <p class="muted">{ t(lang, "summary.none") }</p>
            } else {
                <ul id="summary-list">
                    { for diags.into_iter().map(|d| {
                        let path = d.path.clone();
                        let onclick = {
                            let ctx = ctx.clone();
                            Callback::from(move |_| {
                                crate::widgets::jump_to_field(&ctx, &path);
                            })
                        };
                        html! {
                            <li class={classes!("msg", severity_class(d.severity))}>
                                <button type="button" class="link" {onclick}>
                                    <span class="sev">{ t(lang, &format!("severity.{}", d.severity.as_str())) }</span>
                                    // The field by its label and place; the path itself stays at hand for support.
                                    { " " }<span class="place" data-path={d.path.clone()} title={tf(lang, "place.raw_path", &[("path", &d.path)])}>{ place(&d.path, &ctx.project, lang) }</span>
                                    { " " }{ d.message.get(lang).to_string() }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(startup::initial_state);
    startup::use_effects(&state);
    crate::lazy::merge::use_merge_module(&state);
    let lang = state.lang;
    html! {
        <ContextProvider<Ctx> context={state.clone()}>
            <a class="skip" href="#section-panel">{ t(lang, "app.skip") }</a>
            <Toolbar />
            <NoticeBar />
            <main class="layout">
                <div class="form-col">
                    <TargetLine />
                    <Tabs />
                    <div id="section-panel" role="tabpanel" aria-labelledby={format!("tab-{}", state.section.key())} tabindex="-1">
                        <SectionBody section={state.section} />
                    </div>
                    <Summary />
                </div>
                <div class="preview-col">
                    <PreviewPanel />
                </div>
            </main>
            if !state.embed { <footer class="foot">{ t(lang, "app.footer") }</footer> }
        </ContextProvider<Ctx>>
    }
}
