//! Where the page's first state comes from, and the effects that keep the browser in step with the state.
//!
//! Precedence when settings meet: URL fragment (a share link) > query parameters > saved draft > browser language.
//! The language is the receiver's, not the sender's: `?lang=` > saved draft > browser language; the language a
//! share link carries is used only when the browser's is neither English nor Chinese (a link made in Chinese
//! must not switch an English reader's page).
//!
//! Query parameters (documented in the README, stable): `embed=1`, `lang=en|zh-CN`, `theme=auto|light|dark`,
//! `preset=<id>`, `target=containerd1|containerd2`.

use std::rc::Rc;

use ccb_core::share::{self, Encoded, Shared};
use ccb_core::{Lang, Project, Severity};
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser;
use crate::i18n::{from_tag, tag};
use crate::sharing::{self, Link, Unopened};
use crate::state::{Action, AppState, Notice, Theme};

pub const DRAFT_KEY: &str = "containerd-config-builder.draft";

fn query_param(name: &str) -> Option<String> {
    let search = browser::window()?.location().search().ok()?;
    search.trim_start_matches('?').split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then(|| js_sys::decode_uri_component(v).ok().and_then(|s| s.as_string()).unwrap_or_default())
    })
}

thread_local! {
    /// The state [`mount`] was given, taken by the app's first render.
    static PREPARED: std::cell::RefCell<Option<AppState>> = const { std::cell::RefCell::new(None) };
}

/// Takes the prerendered first screen out of `<body>` (the nodes index.html's gate script showed, marked
/// `data-ccb-prerender`: crates/xtask/src/prerender.rs). Called right before the app's first render: yew renders
/// the whole page before it ever yields to the browser, so no frame shows neither (or half of one).
fn remove_prerender() {
    let Some(doc) = browser::document() else { return };
    while let Ok(Some(node)) = doc.query_selector("[data-ccb-prerender]") {
        node.remove();
    }
}

/// Renders the app on `<body>`, starting from `state`.
pub fn mount(state: AppState) {
    // Before the first render, not in its effect: the first layout then already has the page's language (which
    // picks the face for Chinese text: a first paint under lang="en" could draw it in another face, then swap)
    // and theme, rather than styling and laying the whole page out again right after its first paint.
    show_language_and_theme(state.lang, state.theme);
    remove_prerender();
    prepare(state);
    yew::Renderer::<crate::App>::new().render();
}

/// Makes `state` the first state of the next app rendered (the component tests mount on roots of their own).
pub fn prepare(state: AppState) {
    PREPARED.with(|p| *p.borrow_mut() = Some(state));
}

/// The app's first state: the one [`mount`] or [`prepare`] was given, else (an app mounted some other way) the
/// defaults with the query parameters and the browser's language.
pub fn first_state() -> AppState {
    PREPARED.with(|p| p.borrow_mut().take()).unwrap_or_else(|| state_from(None, None))
}

/// The app's first state, from the saved draft and the URL fragment as the browser inflates them. Awaited
/// before the app is mounted, so a link or draft never shows the defaults first; inflating a link takes the
/// browser a millisecond or so (a plain `c1.` one none).
pub async fn initial_state() -> AppState {
    // Saved draft (only when the user opted in; it never holds secrets: it is the share link's fragment, made by
    // `share::payload`, which strips them). A draft an older version saved may still hold some: the first effect
    // run overwrites it with a stripped one.
    let draft = match browser::storage_get(DRAFT_KEY) {
        Some(saved) => Some(sharing::decode(&saved).await),
        None => None,
    };
    let hash = browser::location_hash();
    let link = if hash.is_empty() { None } else { Some(sharing::decode(&hash).await) };
    state_from(draft, link)
}

/// The first state given the saved draft and the URL fragment, each opened (or why not), if there was one.
pub fn state_from(draft: Option<Result<Shared, Unopened>>, link: Option<Result<Shared, Unopened>>) -> AppState {
    let mut project = Project::default();
    let browser_lang = browser::navigator_language().as_deref().and_then(from_tag);
    let mut lang = browser_lang.unwrap_or(Lang::En);
    // Whether the receiver said which language they read (browser, draft, ?lang=): then a link's language is ignored.
    let mut own_lang = browser_lang.is_some();
    let mut notice = None;
    let mut remember = false;

    match draft {
        Some(Ok(shared)) => {
            project = shared.project;
            if let Some(l) = shared.lang.as_deref().and_then(from_tag) {
                lang = l;
                own_lang = true;
            }
            remember = true;
            notice = Some(Notice { key: "notice.draft_restored", detail: String::new(), severity: Severity::Info });
        }
        Some(Err(Unopened::Refused(e @ share::ShareError::TooLarge { .. }))) => {
            notice = Some(Notice { key: "notice.draft_too_large", detail: too_large_detail(&e), severity: Severity::Warning });
        }
        Some(Err(Unopened::NoDecompression)) => {
            notice = Some(Notice { key: "notice.no_decompression", detail: String::new(), severity: Severity::Warning });
        }
        Some(Err(_)) | None => {}
    }
    if let Some(l) = query_param("lang").as_deref().and_then(from_tag) {
        lang = l;
        own_lang = true;
    }
    if let Some(preset) = query_param("preset").as_deref().and_then(ccb_core::presets::by_id) {
        project = preset.project;
    }
    if let Some(target) = query_param("target").as_deref().and_then(target_range) {
        project.target = target;
    }
    match link {
        Some(Ok(shared)) => {
            project = shared.project;
            if let Some(l) = shared.lang.as_deref().and_then(from_tag).filter(|_| !own_lang) {
                lang = l;
            }
            notice = Some(Notice { key: "notice.link_opened", detail: String::new(), severity: Severity::Info });
        }
        Some(Err(Unopened::Refused(share::ShareError::NotOurs))) | None => {}
        // Opens nothing: the project stays as it was (defaults, preset or draft), never a part of the link.
        Some(Err(Unopened::Refused(e @ share::ShareError::TooLarge { .. }))) => {
            notice = Some(Notice { key: "notice.link_too_large", detail: too_large_detail(&e), severity: Severity::Error });
        }
        Some(Err(Unopened::Refused(e))) => {
            notice = Some(Notice { key: "notice.link_broken", detail: e.to_string(), severity: Severity::Error });
        }
        Some(Err(Unopened::NoDecompression)) => {
            notice = Some(Notice { key: "notice.no_decompression", detail: String::new(), severity: Severity::Error });
        }
    }
    let section = AppState::natural_section(&project);
    let mut state = AppState::new(project, lang);
    state.section = section;
    state.remember = remember;
    state.notice = notice;
    if let Some(theme) = query_param("theme").as_deref().and_then(Theme::from_key) {
        state.theme = theme;
    }
    state.embed = query_param("embed").is_some_and(|v| v == "1" || v == "true");
    state
}

/// The limit a link broke, in the same words in either language (the notice above it says what it means):
/// `(registries > 1000)`, `(JSON > 1048576 bytes)`.
pub fn too_large_detail(e: &share::ShareError) -> String {
    match e {
        share::ShareError::TooLarge { what, max } if what == "JSON" => format!("(JSON > {max} bytes)"),
        share::ShareError::TooLarge { what, max } => format!("({what} > {max})"),
        other => other.to_string(),
    }
}

/// `target=containerd1|containerd2`: the release range a docs page is about.
pub fn target_range(v: &str) -> Option<ccb_core::model::Target> {
    ccb_core::version::named_range(v)
}

/// Tells the parent window (a docs portal's iframe) how tall the page is, whenever that changes.
fn post_height() {
    let Some(w) = browser::window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    if parent == w {
        return;
    }
    let Some(root) = browser::document().and_then(|d| d.document_element()) else { return };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"containerd-config-builder:height".into());
    // The body's own height: the root's scrollHeight never drops below the frame, so it could only grow.
    let height = browser::document().and_then(|d| d.body()).map_or(root.scroll_height(), |b| b.offset_height());
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &f64::from(height).into());
    // The height is not sensitive, so any embedding origin may receive it.
    let _ = parent.post_message(&msg, "*");
}

/// The share link's fragment in the address bar (none for the default project, to keep the address clean) and,
/// when the user opted in, as the saved draft: once the browser has compressed it (`sharing::encoded`), and only
/// if it is still the link of the project asked for last.
fn write_address_and_draft(project: Rc<Project>, lang: Lang, remember: bool) {
    let default = *project == Project::default();
    let write = move |encoded: Rc<Encoded>| {
        browser::replace_hash(if default { "" } else { &encoded.fragment });
        if remember {
            browser::storage_set(DRAFT_KEY, &encoded.fragment);
        } else {
            browser::storage_remove(DRAFT_KEY);
        }
    };
    if let Link::Made(encoded) = sharing::encoded(&project, lang, write) {
        write(encoded);
    }
}

/// `<html lang>`, the theme and the tab's title (index.html carries the English one), in the page's language.
fn show_language_and_theme(lang: Lang, theme: Theme) {
    browser::set_root_attribute("lang", tag(lang));
    browser::set_root_attribute("data-theme", theme.key());
    if let Some(d) = browser::document() {
        d.set_title(crate::i18n::t(lang, "app.title"));
    }
}

/// Effects: `<html lang>` and the title / theme, the URL fragment, the saved draft, keyboard shortcuts, the marks
/// `ccb-first-preview` (unless the drawn prerendered screen already was the first preview) and `ccb-app-ready` (the
/// app rendered: the page answers input).
#[hook]
pub fn use_effects(state: &UseReducerHandle<AppState>) {
    {
        let lang = state.lang;
        let theme = state.theme;
        use_effect_with((lang, theme), move |(lang, theme)| show_language_and_theme(*lang, *theme));
    }
    {
        // Not inside the keystroke: encoding the whole project and `history.replaceState` took ≈ 10 ms a key at
        // 500 registries. Written once the browser is idle, with the state of that moment; on `pagehide` at once,
        // so the draft never misses the last edit.
        let writer = use_memo((), |_| browser::IdleJob::default());
        {
            let writer = (*writer).clone();
            use_effect_with((), move |_| {
                let listener = browser::window().map(|w| {
                    EventListener::new(&w, "pagehide", move |_| {
                        writer.flush();
                        // A link still being compressed may never be: the draft takes its plain form now.
                        sharing::settle_now();
                    })
                });
                move || drop(listener)
            });
        }
        let project = state.project.clone();
        let lang = state.lang;
        let remember = state.remember;
        use_effect_with((state.revision, lang, remember), move |_| {
            writer.schedule(move || write_address_and_draft(project, lang, remember));
        });
    }
    {
        let embed = state.embed;
        use_effect_with(embed, move |embed| {
            let observer = if *embed {
                browser::set_root_attribute("data-embed", "1");
                let cb = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(post_height);
                let observer = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()).ok();
                if let (Some(o), Some(body)) = (&observer, browser::document().and_then(|d| d.body())) {
                    o.observe(&body);
                }
                post_height();
                Some((observer, cb))
            } else {
                None
            };
            move || {
                if let Some((Some(o), _cb)) = observer {
                    o.disconnect();
                }
            }
        });
    }
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            if !browser::has_mark("ccb-first-preview") {
                browser::mark("ccb-first-preview");
            }
            browser::mark("ccb-app-ready");
            let listener = browser::document().map(|doc| {
                // Not passive: Ctrl+Z must not also reach the browser's own undo.
                EventListener::new_with_options(&doc, "keydown", EventListenerOptions::enable_prevent_default(), move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                    if !(e.ctrl_key() || e.meta_key()) || e.alt_key() {
                        return;
                    }
                    let key = e.key().to_ascii_lowercase();
                    let action = match (key.as_str(), e.shift_key()) {
                        ("z", false) => Action::Undo,
                        ("z", true) | ("y", false) => Action::Redo,
                        _ => return,
                    };
                    e.prevent_default();
                    dispatcher.dispatch(action);
                })
            });
            move || drop(listener)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_too_large_detail_names_the_limit() {
        let e = share::ShareError::TooLarge { what: "registries".into(), max: 1000 };
        assert_eq!(too_large_detail(&e), "(registries > 1000)");
        let e = share::ShareError::TooLarge { what: "JSON".into(), max: share::MAX_JSON };
        assert_eq!(too_large_detail(&e), "(JSON > 1048576 bytes)");
        for key in ["notice.link_too_large", "notice.draft_too_large"] {
            assert_ne!(crate::i18n::t(Lang::Zh, key), crate::i18n::t(Lang::En, key), "{key}");
        }
    }
}
