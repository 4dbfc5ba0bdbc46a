//! The section tabs: the ARIA tabs pattern (arrows wrap, Home, End; a roving tabindex), each tab named with its
//! counts ("Registries & mirrors 2 changes, 1 problem"), a strip that scrolls on narrow screens and says so (a fade
//! and an arrow on the side that hides tabs), and the strip's height published for `scroll-padding-top`.

use ccb_core::Severity;
use yew::prelude::*;

use crate::browser;
use crate::fields::{severity_class, Ctx};
use crate::i18n::t;
use crate::problem_labels::count;
use crate::state::{Action, Section};

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
pub struct Overflow {
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
    if let Ok(Ok(set)) = js_sys::Reflect::get(&style, &"setProperty".into()).map(|f| f.dyn_into::<js_sys::Function>()) {
        let _ = set.call2(&style, &"--tabbar-h".into(), &value.into());
    }
}

/// The strip (found by its class: it has no id of its own).
fn strip() -> Option<web_sys::Element> {
    browser::document()?.query_selector("nav.tabs").ok()?
}

/// Whether the strip hides tabs now, told to the state (which ignores it when nothing changed).
fn measure(ctx: &Ctx) {
    if let Some(el) = strip() {
        ctx.dispatch(Action::View(crate::app::ViewAction::TabsOverflow(overflow_of(&el))));
    }
}

/// The strip's effects, run by the page (the tabs are a function of the state, not a component): on every size
/// change, the strip's height for scroll-padding and whether tabs are hidden; on a change of section or language,
/// the selected tab scrolled into view.
#[hook]
pub fn use_tab_strip(ctx: &Ctx) {
    {
        let ctx = ctx.clone();
        use_effect_with((), move |_| {
            use wasm_bindgen::closure::Closure;
            use wasm_bindgen::JsCast;
            let observer = strip().and_then(|el| {
                let bar = el.clone();
                let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |_: js_sys::Array| {
                    publish_bar_height(&bar);
                    measure(&ctx);
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
    let ctx = ctx.clone();
    use_effect_with((ctx.section, ctx.lang), move |_| {
        browser::next_frame(move || {
            if let Some(el) = strip() {
                reveal_selected(&el);
                publish_bar_height(&el);
            }
            measure(&ctx);
        });
    });
}

pub fn tabs(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let overflow = ctx.view.tabs;
    let onscroll = {
        let ctx = ctx.clone();
        Callback::from(move |_: Event| measure(&ctx))
    };
    let onkeydown = {
        let ctx = ctx.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(next) = tab_key_target(ctx.section, &e.key()) else { return };
            e.prevent_default();
            ctx.dispatch(Action::SetSection(next));
            crate::widgets::focus_soon_in_place(["tab-", next.key()].concat());
        })
    };
    html! {
        <div class={match (overflow.left, overflow.right) {
            (false, false) => "tabs-bar",
            (true, false) => "tabs-bar more-left",
            (false, true) => "tabs-bar more-right",
            (true, true) => "tabs-bar more-left more-right",
        }}>
            <nav class="tabs" role="tablist" aria-label={t(lang, "section.label")} {onscroll} {onkeydown}>
                { for Section::ALL.iter().map(|s| {
                    let s = *s;
                    let selected = ctx.section == s;
                    let changes = ctx.section_changes(s);
                    let problems = ctx.rendered.diagnostics.iter().filter(|d| d.severity > Severity::Info && Section::of_path(&d.path) == s).count();
                    let problem = ctx.section_problem(s);
                    let onclick = crate::widgets::open_section(ctx, s);
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
                    let name = t(lang, &["section.", s.key()].concat());
                    // "Registries & mirrors 3 changes, 1 problem": the drawn "3" stays where it is drawn, so the name still
                    // holds the visible text (axe's label-content-name-mismatch).
                    let name_read = if said.is_empty() { name.to_string() } else { [name, " ", &said.join(sep)].concat() };
                    let badge = if changes > 0 { html! { <span class="count" aria-hidden="true">{ changes }</span> } } else { html! {} };
                    let warn = match problem {
                        Some(sev) => html! { <span class={["warn ", severity_class(sev)].concat()} aria-hidden="true">{ "⚠" }</span> },
                        None => html! {},
                    };
                    html! {
                        <button type="button" role="tab" id={["tab-", s.key()].concat()} aria-selected={crate::fields::bool_attr(selected)}
                            tabindex={if selected { "0" } else { "-1" }} aria-label={name_read}
                            aria-controls="section-panel" class={if selected { "tab active" } else { "tab" }} {onclick}>
                            // The space keeps the drawn count a word of its own ("Target 1"), as the name reads it.
                            { name }{ if changes > 0 { " " } else { "" } }{ badge }{ warn }
                        </button>
                    }
                }) }
            </nav>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_keys_move_with_wrapping_and_jump_to_the_ends() {
        let all = Section::ALL;
        let (first, last) = (all[0], all[all.len() - 1]);
        assert_eq!(tab_key_target(first, "ArrowRight"), Some(all[1]));
        assert_eq!(tab_key_target(first, "ArrowLeft"), Some(last));
        assert_eq!(tab_key_target(last, "ArrowRight"), Some(first));
        assert_eq!(tab_key_target(all[3], "Home"), Some(first));
        assert_eq!(tab_key_target(all[3], "End"), Some(last));
        assert_eq!(tab_key_target(all[3], "ArrowDown"), None);
        assert_eq!(tab_key_target(all[3], "a"), None);
    }
}
