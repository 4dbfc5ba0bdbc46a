//! The page: toolbar, the form's sections as tabs with the diagnostics summary, and the live preview.

use ccb_core::Severity;
use yew::prelude::*;

use crate::browser;
use crate::fields::{field_id, severity_class, Ctx};
use crate::i18n::{t, tf};
use crate::problem_labels::count;
use crate::widgets::cardkit::{click, el, flag, frag, lit, none, owned, s, tag, text};
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
    let preset_options: Vec<Html> = std::iter::once(html! { <option value="" selected=true>{ t(lang, "preset.choose") }</option> })
        .chain(presets.iter().map(|p| html! {
            <option value={p.id.clone()}>{ [p.name.get(lang), " (", t(lang, "preset.checked"), " ", &p.checked, ")"].concat() }</option>
        }))
        .collect();
    let inline_label = |for_id: &'static str, key: &str| tag("label", &["class", "for"], vec![s("inline"), s(for_id)], vec![], vec![text(lang, key)]);
    let tool_button = |id: &'static str, on: Callback<MouseEvent>, disabled: bool, title: Option<&'static str>, label: Html| {
        tag("button", &["type", "id", "title", "disabled"], vec![s("button"), s(id), title.map(AttrValue::Static), flag(disabled, "disabled")], vec![click(on)], vec![label])
    };
    let tools = tag("div", &["class", "role", "aria-label"], vec![s("tools"), s("toolbar"), s(t(lang, "toolbar.label"))], vec![], vec![
        inline_label("preset", "preset.label"),
        html! { <select id="preset" onchange={on_preset}>{ preset_options }</select> },
        tool_button("undo", undo, !ctx.can_undo(), Some(t(lang, "toolbar.undo_keys")), text(lang, "toolbar.undo")),
        tool_button("redo", redo, !ctx.can_redo(), Some(t(lang, "toolbar.redo_keys")), text(lang, "toolbar.redo")),
        tool_button("reset", reset, false, None, text(lang, "toolbar.reset")),
        inline_label("lang", "toolbar.language"),
        html! {
            <select id="lang" onchange={on_lang}>
                <option value="en" selected={lang == ccb_core::Lang::En}>{ "English" }</option>
                <option value="zh-CN" selected={lang == ccb_core::Lang::Zh}>{ "简体中文" }</option>
            </select>
        },
        tool_button("theme", on_theme, false, Some(t(lang, "theme.toggle")), owned(tf(lang, "theme.current", &[("theme", t(lang, theme_key(ctx.theme)))]))),
    ]);
    // Embedded in a docs portal: no page header (the portal has its own), but the tools stay reachable.
    if ctx.embed {
        return el("div", "embed-tools", "top", vec![tools]);
    }
    el("header", "top", "top", vec![el("h1", "", "", vec![text(lang, "app.title")]), tools])
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
    let detail = if n.detail.is_empty() { String::new() } else { [" ", &n.detail].concat() };
    tag("div", &["role", "id", "class"], vec![s("status"), s("notice"), Some(["notice ", severity_class(n.severity)].concat().into())], vec![], vec![
        el("span", "", "", vec![text(ctx.lang, n.key), owned(detail)]),
        tag("button", &["type", "class", "aria-label"], vec![s("button"), s("icon"), s(t(ctx.lang, "notice.close"))], vec![click(close)], vec![lit("✕")]),
    ])
}

/// What the files are for, first thing on the page, with one click to change it.
fn target_line(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let target = &ctx.project.target;
    let change = crate::widgets::on_open_and_focus(ctx, Section::Target, field_id("target.major"));
    let words = tf(lang, "target_line.text", &[("range", &target.describe()), ("v", &target.config_version().to_string())]);
    el("p", "target-line", "target-line", vec![
        el("span", "", "target-line-text", vec![owned(words)]),
        lit(" · "),
        tag("button", &["type", "class", "id", "aria-describedby"], vec![s("button"), s("link"), s("change-target"), s("target-line-text")], vec![click(change)], vec![
            text(lang, "target_line.change"),
        ]),
    ])
}

/// Every diagnostic of the project; each entry moves focus to its field.
fn summary(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let diags = crate::preview::worst_first(&ctx.rendered.diagnostics);
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.iter().filter(|d| d.severity == Severity::Warning).count();
    let status = if ctx.rendered.installable {
        el("span", "badge ok", "installable", vec![text(lang, "summary.installable")])
    } else {
        el("span", "badge error", "installable", vec![text(lang, "summary.not_installable")])
    };
    let title = tf(lang, "summary.title", &[("errors", &count(lang, "errors", errors)), ("warnings", &count(lang, "warnings", warnings))]);
    let list = if diags.is_empty() {
        el("p", "muted", "", vec![text(lang, "summary.none")])
    } else {
        el("ul", "", "summary-list", diags.into_iter().map(|d| crate::preview::problem_item(ctx, d, crate::preview::Listed::Problems)).collect())
    };
    tag("section", &["class", "aria-labelledby"], vec![s("summary"), s("summary-title")], vec![], vec![
        el("h2", "", "summary-title", vec![owned(title), status]),
        list,
    ])
}

/// The page inside the contexts: skip link, toolbar, notice, the form column and the preview column.
fn page(state: &Ctx) -> Html {
    let lang = state.lang;
    let panel_label = Some(["tab-", state.section.key()].concat().into());
    frag(vec![
        tag("a", &["class", "href"], vec![s("skip"), s("#section-panel")], vec![], vec![text(lang, "app.skip")]),
        toolbar(state),
        notice_bar(state),
        el("main", "layout", "", vec![
            el("div", "form-col", "", vec![
                target_line(state),
                tabs::tabs(state),
                tag("div", &["id", "role", "aria-labelledby", "tabindex"], vec![s("section-panel"), s("tabpanel"), panel_label, s("-1")], vec![], vec![
                    section_body(state),
                ]),
                summary(state),
            ]),
            el("div", "preview-col", "", vec![crate::preview::try_image::try_image(state), crate::preview::preview_panel(state)]),
        ]),
        if state.embed { none() } else { el("footer", "foot", "", vec![text(lang, "app.footer")]) },
    ])
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(startup::first_state);
    startup::use_effects(&state);
    crate::lazy::merge::use_merge_module(&state);
    crate::lazy::scripts::use_scripts_module(&state);
    crate::sections::split::use_split_module(&state);
    tabs::use_tab_strip(&state);
    html! {
        <ContextProvider<Ctx> context={state.clone()}>
            { page(&state) }
        </ContextProvider<Ctx>>
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
