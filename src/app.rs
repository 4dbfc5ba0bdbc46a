//! The page: toolbar, the form's sections as tabs with the diagnostics summary, and the live preview.

use ccb_core::Severity;
use yew::prelude::*;

use crate::browser;
use crate::fields::{field_id, severity_class, Ctx, Dispatch};
use crate::i18n::{t, tf};
use crate::problem_labels::count;
use crate::widgets::on_click;
use crate::sections::section_body;
use crate::startup;
use crate::state::{Action, AppState, Notice, Section, Theme};

pub mod tabs;

// The page's parts are functions of the state (the page re-renders them with every change anyway). What the
// shell's own views remember between renders lives in the state too ([`ViewState`]): each yew component costs the
// first download its own lifecycle code, so only memoised subtrees that spare a keystroke's render work (the file
// tree, the coloured file, the registry cards) stay components.

/// What the page's views remember that is not the project: the preview's diff toggle, fold and copy state and
/// the lines the last edit changed, the "Try an image" box's text and answer, the tab strip's overflow.
#[derive(Clone, Default)]
pub struct ViewState {
    pub preview: crate::preview::PreviewState,
    pub try_image: crate::preview::try_image::TryState,
    pub tabs: tabs::Overflow,
}

pub enum ViewAction {
    Preview(crate::preview::PreviewAction),
    TryImage(crate::preview::try_image::TryAction),
    TabsOverflow(tabs::Overflow),
}

/// Changes `s` by a view's action; `false` when the action changes nothing (no re-render).
pub fn reduce_view(s: &mut AppState, action: ViewAction) -> bool {
    match action {
        ViewAction::Preview(a) => crate::preview::reduce(s, a),
        ViewAction::TryImage(a) => crate::preview::try_image::reduce(&mut s.view.try_image, a),
        ViewAction::TabsOverflow(o) if o == s.view.tabs => return false,
        ViewAction::TabsOverflow(o) => s.view.tabs = o,
    }
    true
}

/// After every action: what the views derive from the state follows it (the preview's changed lines and diff
/// toggle, the explain's answer).
pub fn follow_view(before: &AppState, after: &mut AppState) {
    crate::preview::follow(before, after);
    crate::preview::try_image::follow(before, after);
}


fn toolbar(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let undo = on_click(ctx, || Action::Undo);
    let redo = on_click(ctx, || Action::Redo);
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
                detail: [preset.name.get(ctx.lang), " — ", preset.description.get(ctx.lang)].concat(),
                severity: Severity::Info,
            })));
        })
    };
    let on_lang = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            if let Some(s) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                match crate::i18n::from_tag(&s.value()) {
                    // The Chinese texts come with the first switch to Chinese; the page changes once they are here.
                    Some(ccb_core::Lang::Zh) => {
                        let ctx = ctx.clone();
                        crate::i18n::load_zh(move |loaded| match loaded {
                            Ok(()) => ctx.dispatch(Action::SetLang(ccb_core::Lang::Zh)),
                            Err(why) => {
                                // The select goes back to the language the page still speaks.
                                s.set_value(crate::i18n::tag(ctx.lang));
                                ctx.dispatch(Action::Notify(Some(Notice { key: "notice.zh_failed", detail: why, severity: Severity::Warning })));
                            }
                        });
                    }
                    Some(l) => ctx.dispatch(Action::SetLang(l)),
                    None => {}
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
    let presets = ccb_core::presets::menu();
    let tools = html! {
            <div class="tools" role="toolbar" aria-label={t(lang, "toolbar.label")}>
                <label class="inline" for="preset">{ t(lang, "preset.label") }</label>
                <select id="preset" onchange={on_preset}>
                    <option value="" selected=true>{ t(lang, "preset.choose") }</option>
                    { for presets.iter().map(|p| html! {
                        <option value={p.id.clone()}>{ [p.name.get(lang), " (", t(lang, "preset.checked"), " ", &p.checked, ")"].concat() }</option>
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
                    { tf(lang, "theme.current", &[("theme", t(lang, theme_key(ctx.theme)))]) }
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

/// The i18n key of a theme's name.
fn theme_key(theme: Theme) -> &'static str {
    match theme {
        Theme::Auto => "theme.auto",
        Theme::Light => "theme.light",
        Theme::Dark => "theme.dark",
    }
}

fn notice_bar(ctx: &Ctx) -> Html {
    let Some(n) = &ctx.notice else { return html! {} };
    let close = on_click(ctx, || Action::Notify(None));
    html! {
        <div class={["notice ", severity_class(n.severity)].concat()} role="status" id="notice">
            <span>{ t(ctx.lang, n.key) }{ if n.detail.is_empty() { String::new() } else { [" ", &n.detail].concat() } }</span>
            <button type="button" class="icon" onclick={close} aria-label={t(ctx.lang, "notice.close")}>{ "✕" }</button>
        </div>
    }
}

/// What the files are for, first thing on the page, with one click to change it.
fn target_line(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let target = &ctx.project.target;
    let change = crate::widgets::on_open_and_focus(ctx, Section::Target, field_id("target.major"));
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
fn summary(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let diags = crate::preview::worst_first(&ctx.rendered.diagnostics);
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
                    { for diags.into_iter().map(|d| crate::preview::problem_item(ctx, d, crate::preview::Listed::Problems)) }
                </ul>
            }
        </section>
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(startup::first_state);
    startup::use_effects(&state);
    crate::lazy::merge::use_merge_module(&state);
    crate::lazy::scripts::use_scripts_module(&state);
    tabs::use_tab_strip(&state);
    let lang = state.lang;
    html! {
        <ContextProvider<Dispatch> context={state.dispatcher()}>
        <ContextProvider<Ctx> context={state.clone()}>
            <a class="skip" href="#section-panel">{ t(lang, "app.skip") }</a>
            { toolbar(&state) }
            { notice_bar(&state) }
            <main class="layout">
                <div class="form-col">
                    { target_line(&state) }
                    { tabs::tabs(&state) }
                    <div id="section-panel" role="tabpanel" aria-labelledby={["tab-", state.section.key()].concat()} tabindex="-1">
                        { section_body(&state) }
                    </div>
                    { summary(&state) }
                </div>
                <div class="preview-col">
                    { crate::preview::try_image::try_image(&state) }
                    { crate::preview::preview_panel(&state) }
                </div>
            </main>
            if !state.embed { <footer class="foot">{ t(lang, "app.footer") }</footer> }
        </ContextProvider<Ctx>>
        </ContextProvider<Dispatch>>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_has_its_name() {
        for theme in [Theme::Auto, Theme::Light, Theme::Dark] {
            assert_eq!(theme_key(theme), format!("theme.{}", theme.key()));
            assert_ne!(t(ccb_core::Lang::Zh, theme_key(theme)), theme_key(theme));
        }
    }
}
