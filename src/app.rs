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

/// Focuses the element with `id` without scrolling the page to it (a tab: the strip scrolls it into view itself).
fn focus_in_place(id: &str) {
    use wasm_bindgen::JsCast;
    let Some(el) = browser::document().and_then(|d| d.get_element_by_id(id)) else { return };
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// The section a tab key moves to from `current` (the ARIA tabs pattern: arrows wrap, Home and End), if any.
pub fn tab_key_target(current: Section, key: &str) -> Option<Section> {
    let all = Section::ALL;
    let n = all.len();
    let i = all.iter().position(|s| *s == current).unwrap_or(0);
    let next = match key {
        "ArrowRight" => (i + 1) % n,
        "ArrowLeft" => (i + n - 1) % n,
        "Home" => 0,
        "End" => n - 1,
        _ => return None,
    };
    Some(all[next])
}

/// Whether the tab strip hides tabs to its left and to its right (the strip scrolls on narrow screens).
#[derive(Clone, Copy, PartialEq, Default)]
struct Overflow {
    left: bool,
    right: bool,
}

fn overflow_of(strip: &web_sys::Element) -> Overflow {
    let (left, width, visible) = (strip.scroll_left(), strip.scroll_width(), strip.client_width());
    Overflow { left: left > 1, right: left + visible < width - 1 }
}

/// Makes the selected tab fully visible inside the strip (horizontally only; the page does not move).
fn reveal_selected(strip: &web_sys::Element) {
    use wasm_bindgen::JsCast;
    let Ok(Some(tab)) = strip.query_selector("[aria-selected=\"true\"]") else { return };
    let Ok(tab) = tab.dyn_into::<web_sys::HtmlElement>() else { return };
    let Some(strip_el) = strip.dyn_ref::<web_sys::HtmlElement>() else { return };
    let (from, to) = (tab.offset_left() - strip_el.offset_left(), tab.offset_left() - strip_el.offset_left() + tab.offset_width());
    let (left, visible) = (strip.scroll_left(), strip.client_width());
    if from < left {
        strip.set_scroll_left(from - 16);
    } else if to > left + visible {
        strip.set_scroll_left(to - visible + 16);
    }
}

/// The tab strip's height as `--tabbar-h` on the root: focused fields scroll to just below the sticky strip
/// (`scroll-padding-top` in the stylesheet), however many lines its tabs wrap to.
fn publish_bar_height(bar: &web_sys::Element) {
    use wasm_bindgen::JsCast;
    let (Some(bar), Some(root)) = (bar.dyn_ref::<web_sys::HtmlElement>(), browser::document().and_then(|d| d.document_element())) else { return };
    // `style.setProperty` through js_sys (web-sys' CSSStyleDeclaration is not among the enabled features).
    let value = format!("{}px", bar.offset_height());
    let Ok(style) = js_sys::Reflect::get(&root, &"style".into()) else { return };
    if let Ok(set) = js_sys::Reflect::get(&style, &"setProperty".into()).and_then(|f| f.dyn_into::<js_sys::Function>().map_err(Into::into)) {
        let _ = set.call2(&style, &"--tabbar-h".into(), &value.into());
    }
}

#[function_component(Tabs)]
fn tabs() -> Html {
    let ctx = use_context::<Ctx>().expect("ctx");
    let lang = ctx.lang;
    let strip = use_node_ref();
    let overflow = use_state(Overflow::default);
    let measure = {
        let strip = strip.clone();
        let overflow = overflow.clone();
        move || {
            if let Some(el) = strip.cast::<web_sys::Element>() {
                let now = overflow_of(&el);
                if *overflow != now {
                    overflow.set(now);
                }
            }
        }
    };
    {
        // On every size change: the strip's height for scroll-padding, and whether tabs are hidden.
        let strip = strip.clone();
        let measure = measure.clone();
        use_effect_with((), move |_| {
            use wasm_bindgen::closure::Closure;
            use wasm_bindgen::JsCast;
            let observer = strip.cast::<web_sys::Element>().and_then(|el| {
                let bar = el.clone();
                let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |_: js_sys::Array| {
                    publish_bar_height(&bar);
                    measure();
                });
                let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                observer.observe(&el);
                Some((observer, on_resize))
            });
            move || {
                if let Some((observer, _closure)) = observer {
                    observer.disconnect();
                }
            }
        });
    }
    {
        let strip = strip.clone();
        let measure = measure.clone();
        use_effect_with((ctx.section, lang), move |_| {
            if let Some(el) = strip.cast::<web_sys::Element>() {
                reveal_selected(&el);
                publish_bar_height(&el);
            }
            measure();
        });
    }
    let onscroll = {
        let measure = measure.clone();
        Callback::from(move |_: Event| measure())
    };
    let onkeydown = {
        let ctx = ctx.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(next) = tab_key_target(ctx.section, &e.key()) else { return };
            e.prevent_default();
            ctx.dispatch(Action::SetSection(next));
            let id = format!("tab-{}", next.key());
            gloo_timers::callback::Timeout::new(0, move || focus_in_place(&id)).forget();
        })
    };
    html! {
        <div class={classes!("tabs-bar", overflow.left.then_some("more-left"), overflow.right.then_some("more-right"))}>
            <nav class="tabs" role="tablist" aria-label={t(lang, "section.label")} ref={strip} {onscroll} {onkeydown}>
                { for Section::ALL.iter().map(|s| {
                    let s = *s;
                    let selected = ctx.section == s;
                    let changes = ctx.section_changes(s);
                    let problems = ctx.rendered.diagnostics.iter().filter(|d| d.severity > Severity::Info && Section::of_path(&d.path) == s).count();
                    let problem = ctx.section_problem(s);
                    let onclick = {
                        let ctx = ctx.clone();
                        Callback::from(move |_| ctx.dispatch(Action::SetSection(s)))
                    };
                    // Read out after the tab's name ("Registries & mirrors, 1 change, 1 problem"); the badge and ⚠
                    // are drawn for the eye only.
                    let sep = crate::preview::clause_sep(lang);
                    let mut said: Vec<String> = Vec::new();
                    if changes > 0 {
                        said.push(count(lang, "changes", changes));
                    }
                    if problems > 0 {
                        said.push(count(lang, "problems", problems));
                    }
                    let name = t(lang, &format!("section.{}", s.key()));
                    // "Registries & mirrors 3 changes, 1 problem": the drawn "3" stays where it is drawn, so the name still
                    // holds the visible text (axe's label-content-name-mismatch).
                    let name_read = if said.is_empty() { name.to_string() } else { format!("{name} {}", said.join(sep)) };
                    let badge = if changes > 0 { html! { <span class="count" aria-hidden="true">{ changes }</span> } } else { html! {} };
                    let warn = match problem {
                        Some(sev) => html! { <span class={classes!("warn", severity_class(sev))} aria-hidden="true">{ "⚠" }</span> },
                        None => html! {},
                    };
                    html! {
                        <button type="button" role="tab" id={format!("tab-{}", s.key())} aria-selected={selected.to_string()}
                            tabindex={if selected { "0" } else { "-1" }} aria-label={name_read}
                            aria-controls="section-panel" class={classes!("tab", selected.then_some("active"))} {onclick}>
                            // The space keeps the drawn count a word of its own ("Target 1"), as the name reads it.
                            { name }{ if changes > 0 { " " } else { "" } }{ badge }{ warn }
                        </button>
                    }
                }) }
            </nav>
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
            ctx.dispatch(Action::SetSection(Section::Target));
            let id = field_id("target.major");
            gloo_timers::callback::Timeout::new(0, move || {
                browser::focus(&id);
            })
            .forget();
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
                                ctx.dispatch(Action::SetSection(Section::of_path(&path)));
                                let id = field_id(&path);
                                gloo_timers::callback::Timeout::new(0, move || { browser::focus(&id); }).forget();
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
