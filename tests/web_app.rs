//! Component tests of the web app in headless Chromium (wasm-bindgen-test):
//! `cargo test -p containerd-config-builder-web --target wasm32-unknown-unknown` (runner: .cargo/config.toml).
//!
//! Each test mounts the real `App` into a fresh `<div>`, drives it with real DOM events (`input`, `change`,
//! `click`, `keydown`, all bubbling, as a browser sends them: yew listens at the root) and reads the DOM back.
//! Events are built with the page's own constructors (`new InputEvent(…)`) through js-sys, so the tests need no
//! web-sys features beyond the app's own.
//!
//! On the host (`cargo test`) this file compiles to nothing: the DOM tests only make sense in a browser.
#![cfg(target_arch = "wasm32")]

use containerd_config_builder_web::App;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const DRAFT_KEY: &str = containerd_config_builder_web::startup::DRAFT_KEY;
const ROOT_CLASS: &str = "ccb-test-root";

fn window() -> web_sys::Window {
    web_sys::window().expect("window")
}

fn document() -> web_sys::Document {
    window().document().expect("document")
}

/// A mounted app; destroyed (and its root removed) when the test ends, so the next test starts clean and the
/// app's document-level keyboard listener goes away with it.
struct Mounted {
    root: Element,
    handle: Option<yew::AppHandle<App>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        self.root.remove();
    }
}

/// Startup reads the URL fragment (share link), `?lang`/`?theme` and the saved draft: clear all three, remove
/// what an earlier (failed) test may have left, then mount a fresh app.
async fn mount() -> Mounted {
    mount_with_fragment("").await
}

/// As [`mount`], with `fragment` (a share link's part after `#`) in the address when the app starts.
async fn mount_with_fragment(fragment: &str) -> Mounted {
    let doc = document();
    let leftovers = doc.get_elements_by_class_name(ROOT_CLASS);
    while let Some(el) = leftovers.item(0) {
        el.remove();
    }
    let path = window().location().pathname().expect("pathname");
    let url = if fragment.is_empty() { path } else { format!("{path}#{fragment}") };
    window().history().expect("history").replace_state_with_url(&JsValue::NULL, "", Some(&url)).expect("replaceState");
    if let Ok(Some(storage)) = window().local_storage() {
        storage.remove_item(DRAFT_KEY).expect("localStorage");
    }
    let root = doc.create_element("div").expect("div");
    root.set_class_name(ROOT_CLASS);
    doc.body().expect("body").append_child(&root).expect("append");
    // As the page starts: the fragment and the draft inflated by the browser before the app is mounted.
    containerd_config_builder_web::startup::prepare(containerd_config_builder_web::startup::initial_state().await);
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    let m = Mounted { root, handle: Some(handle) };
    settle().await;
    wait_for("the preview", || m.find("#preview-content").is_some()).await;
    m
}

/// Lets yew's scheduler run (renders and effects are queued as microtasks and timeouts).
async fn settle() {
    for _ in 0..3 {
        TimeoutFuture::new(0).await;
    }
}

/// Polls `cond` for up to 3 s; panics with `what` when it never holds.
async fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..300 {
        if cond() {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("timed out waiting for {what}");
}

impl Mounted {
    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).expect("valid selector")
    }

    fn get(&self, selector: &str) -> Element {
        self.find(selector).unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn text(&self, selector: &str) -> String {
        self.find(selector).and_then(|e| e.text_content()).unwrap_or_default()
    }

    fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.get(selector).get_attribute(name)
    }

    fn value(&self, selector: &str) -> String {
        self.get(selector).dyn_into::<HtmlInputElement>().expect("an <input>").value()
    }

    fn preview(&self) -> String {
        self.text("#preview-content")
    }

    async fn click(&self, selector: &str) {
        let el = self.get(selector);
        assert!(!el.has_attribute("disabled"), "{selector} is disabled");
        el.dyn_into::<HtmlElement>().expect("an HTML element").click();
        settle().await;
    }

    /// Sets an input's value the way typing (or pasting) does: new value, then a bubbling `input` event.
    async fn type_into(&self, selector: &str, value: &str) {
        let input = self.get(selector).dyn_into::<HtmlInputElement>().expect("an <input>");
        input.focus().expect("focus");
        input.set_value(value);
        let init = dict(&[("bubbles", true.into()), ("inputType", "insertText".into()), ("data", value.into())]);
        dispatch(&input, "InputEvent", "input", &init);
        settle().await;
    }

    /// Shows `path` in the preview (a button of the file tree).
    async fn open_file(&self, path: &str) {
        let selector = format!("#file-tree [data-path=\"{path}\"]");
        wait_for(&format!("{path} in the file tree"), || self.find(&selector).is_some()).await;
        self.click(&selector).await;
        wait_for(&format!("{path} in the preview"), || {
            self.attr("#preview-content", "data-path").as_deref() == Some(path)
        })
        .await;
    }
}

fn dict(entries: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in entries {
        Reflect::set(&o, &JsValue::from_str(k), v).expect("set");
    }
    o
}

/// `target.dispatchEvent(new <class>(<kind>, init))`; returns false when a listener called preventDefault.
fn dispatch(target: &web_sys::EventTarget, class: &str, kind: &str, init: &Object) -> bool {
    let ctor: Function = Reflect::get(&window(), &JsValue::from_str(class)).expect(class).dyn_into().expect("a constructor");
    let event = Reflect::construct(&ctor, &Array::of2(&JsValue::from_str(kind), init)).expect("new event");
    target.dispatch_event(event.unchecked_ref()).expect("dispatchEvent")
}

/// Ctrl (+ Shift) + key, pressed with the focus on the page: the event goes to `document`.
async fn press_ctrl(key: &str, shift: bool) -> bool {
    let init = dict(&[
        ("key", key.into()),
        ("code", format!("Key{}", key.to_ascii_uppercase()).into()),
        ("ctrlKey", true.into()),
        ("shiftKey", shift.into()),
        ("bubbles", true.into()),
        ("cancelable", true.into()),
    ]);
    let not_cancelled = dispatch(&document(), "KeyboardEvent", "keydown", &init);
    settle().await;
    !not_cancelled
}

const UPSTREAM: &str = "#f-registries-0-upstream";
const UPSTREAM_MSGS: &str = "#f-registries-0-upstream-msgs";
const URL0: &str = "#f-registries-0-endpoints-0-url";

/// Adds the first registry (the app proposes docker.io) and returns the path of its hosts.toml.
async fn add_registry(m: &Mounted) -> String {
    m.click("#add-registry").await;
    wait_for("the new registry's upstream field", || m.find(UPSTREAM).is_some()).await;
    let upstream = m.value(UPSTREAM);
    assert!(!upstream.is_empty(), "the new registry comes with a proposed upstream");
    format!("certs.d/{upstream}/hosts.toml")
}

#[wasm_bindgen_test]
async fn editing_a_field_changes_the_preview() {
    let m = mount().await;
    assert!(!m.preview().trim().is_empty(), "the preview shows a file from the start");
    let hosts = add_registry(&m).await;
    m.open_file(&hosts).await;
    let before = m.preview();
    assert!(!before.contains("mirror-one.example.com"), "{before}");

    m.type_into(URL0, "https://mirror-one.example.com").await;
    wait_for("the typed mirror in the preview", || m.preview().contains("https://mirror-one.example.com")).await;
    assert_eq!(m.attr("#preview-content", "data-path").as_deref(), Some(hosts.as_str()));

    // Another edit of the same field replaces the value in the preview (it is not appended).
    m.type_into(URL0, "https://mirror-two.example.com").await;
    wait_for("the new value in the preview", || m.preview().contains("https://mirror-two.example.com")).await;
    assert!(!m.preview().contains("mirror-one.example.com"), "{}", m.preview());

    // Renaming the upstream renames its hosts.toml.
    m.type_into(UPSTREAM, "quay.io").await;
    wait_for("certs.d/quay.io/hosts.toml in the file tree", || {
        m.find("#file-tree [data-path=\"certs.d/quay.io/hosts.toml\"]").is_some()
    })
    .await;
    m.open_file("certs.d/quay.io/hosts.toml").await;
    assert!(m.preview().contains("https://mirror-two.example.com"), "{}", m.preview());
}

#[wasm_bindgen_test]
async fn a_bad_registry_name_shows_its_error_at_the_field_until_fixed() {
    let m = mount().await;
    add_registry(&m).await;
    assert_eq!(m.attr(UPSTREAM, "aria-invalid").as_deref(), Some("false"));
    assert!(m.find(UPSTREAM_MSGS).is_none(), "no messages for a good name");

    m.type_into(UPSTREAM, "Quay.io").await;
    wait_for("aria-invalid=true on the upstream", || m.attr(UPSTREAM, "aria-invalid").as_deref() == Some("true")).await;
    let msgs = m.get(UPSTREAM_MSGS);
    let text = msgs.text_content().unwrap_or_default();
    assert!(text.contains("Quay.io") && text.contains("quay.io"), "the message names the value and the fix: {text}");
    assert!(msgs.query_selector("[data-code=\"N3-lower-case\"]").unwrap().is_some(), "{}", msgs.outer_html());
    // The summary lists it too.
    // By its place in the form ("Quay.io › registry name"), not the project file's path.
    assert!(m.text("#summary-list").contains("Quay.io › registry name"), "{}", m.text("#summary-list"));
    assert!(!m.text("#summary-list").contains("registries[0]"), "{}", m.text("#summary-list"));

    m.type_into(UPSTREAM, "quay.io").await;
    wait_for("the error to clear", || m.attr(UPSTREAM, "aria-invalid").as_deref() == Some("false")).await;
    assert!(m.find(UPSTREAM_MSGS).is_none(), "the message is gone: {}", m.text(UPSTREAM_MSGS));
}

#[wasm_bindgen_test]
async fn control_characters_typed_into_a_host_name_are_shown_escaped() {
    // Issue 7 case 10: a terminal escape in an upstream must not reach the page raw (nor hide text there).
    let m = mount().await;
    add_registry(&m).await;
    let evil = "docker.io\u{1b}[2J\u{1b}]0;pwned\u{7}";
    m.type_into(UPSTREAM, evil).await;
    wait_for("the error at the upstream", || m.attr(UPSTREAM, "aria-invalid").as_deref() == Some("true")).await;
    let raw = |s: &str| s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    let messages = m.text(UPSTREAM_MSGS);
    assert!(!raw(&messages) && messages.contains("\\u{1b}"), "message shows the escape: {messages:?}");
    let tree = m.text("#file-tree");
    assert!(!raw(&tree) && tree.contains("\\u{1b}[2J"), "file tree shows the escape: {tree:?}");
    assert!(!raw(&m.text("#summary-list")), "{:?}", m.text("#summary-list"));
    let hosts = format!("certs.d/{evil}/hosts.toml");
    m.open_file(&hosts).await;
    let title = m.text(".file-title h3");
    assert!(!raw(&title) && title.contains("\\u{7}"), "{title:?}");
    assert!(!raw(&m.preview()), "{:?}", m.preview());
}

#[wasm_bindgen_test]
async fn undo_restores_the_previous_value_by_button_and_by_ctrl_z() {
    let m = mount().await;
    assert!(m.get("#undo").has_attribute("disabled"), "nothing to undo on a fresh page");
    add_registry(&m).await;
    m.type_into(URL0, "https://first.example.com").await;
    // Moving to another field starts a new undo step.
    m.type_into(UPSTREAM, "quay.io").await;
    m.type_into(URL0, "https://second.example.com").await;
    wait_for("the second URL in the field", || m.value(URL0) == "https://second.example.com").await;

    // The button: the URL goes back to the value before the last edit.
    m.click("#undo").await;
    wait_for("undo (button) to restore the first URL", || m.value(URL0) == "https://first.example.com").await;
    assert_eq!(m.value(UPSTREAM), "quay.io", "only the last step is undone");

    // Ctrl+Z on the document: the upstream edit is undone next.
    press_ctrl("z", false).await;
    wait_for("Ctrl+Z to restore the upstream", || m.value(UPSTREAM) != "quay.io").await;
    assert_eq!(m.value(URL0), "https://first.example.com");

    // Ctrl+Shift+Z redoes it; the redo button is enabled while there is something to redo.
    assert!(!m.get("#redo").has_attribute("disabled"));
    press_ctrl("z", true).await;
    wait_for("Ctrl+Shift+Z to redo the upstream", || m.value(UPSTREAM) == "quay.io").await;

    // Undo all the way back: the registry disappears and the button is disabled again.
    for _ in 0..10 {
        if m.get("#undo").has_attribute("disabled") {
            break;
        }
        m.click("#undo").await;
    }
    wait_for("the registry to be gone", || m.find(UPSTREAM).is_none()).await;
    assert!(m.get("#undo").has_attribute("disabled"));
}

/// With the focus in a text field, the browser's own undo of that field must not run as well (it would fire an
/// `input` event with older text, recorded as a new edit that wipes the redo history): the app's listener must
/// call preventDefault, which a passive listener (gloo-events' default) cannot.
#[wasm_bindgen_test]
async fn ctrl_z_and_ctrl_shift_z_are_taken_from_the_browser() {
    let m = mount().await;
    add_registry(&m).await;
    m.type_into(URL0, "https://first.example.com").await;
    assert!(press_ctrl("z", false).await, "Ctrl+Z: the app's keydown listener did not call preventDefault");
    wait_for("Ctrl+Z to undo", || m.value(URL0).is_empty()).await;
    assert!(press_ctrl("z", true).await, "Ctrl+Shift+Z: the app's keydown listener did not call preventDefault");
    wait_for("Ctrl+Shift+Z to redo", || m.value(URL0) == "https://first.example.com").await;
}

#[wasm_bindgen_test]
async fn a_share_link_fragment_is_read_at_startup() {
    // A fragment made by the core for a project with one registry: the app opens it and says so.
    let mut p = ccb_core::Project::default();
    p.registries.push(ccb_core::model::Registry {
        upstream: "ghcr.io".into(),
        endpoints: vec![ccb_core::model::Endpoint { url: "https://ghcr-mirror.example.com".into(), ..Default::default() }],
        ..Default::default()
    });
    let fragment = ccb_core::share::encode(&p, Some("zh-CN")).fragment;
    let m = mount_with_fragment(&fragment).await;
    wait_for("the shared registry", || m.find(UPSTREAM).is_some()).await;
    assert_eq!(m.value(UPSTREAM), "ghcr.io");
    assert_eq!(m.value(URL0), "https://ghcr-mirror.example.com");
    // The link was made in Chinese; this browser reads English, and the receiver's language wins.
    assert_eq!(document().document_element().unwrap().get_attribute("lang").as_deref(), Some("en"));
    assert!(m.text("#tab-registries").contains("Registries"), "{}", m.text("#tab-registries"));
    assert!(m.find("#notice").is_some(), "the page says it opened a link");
}

/// One registry with a mirror: long enough for its link to be compressed (`z1.`).
fn mirrored(upstream: &str) -> ccb_core::Project {
    let mut p = ccb_core::Project::default();
    p.registries.push(ccb_core::model::Registry {
        upstream: upstream.into(),
        endpoints: vec![ccb_core::model::Endpoint { url: format!("https://{upstream}-mirror.example.com"), ..Default::default() }],
        ..Default::default()
    });
    p
}

/// The project a code or link opens, read by the core (its inflater reads any raw-DEFLATE stream, the browser's
/// too, as the browser reads the core's).
fn opened(code: &str) -> ccb_core::Project {
    ccb_core::share::decode(code).unwrap_or_else(|e| panic!("{code}: {e}")).project
}

/// The state code shown in Apply (empty while the browser compresses it).
fn state_code(m: &Mounted) -> String {
    m.get("#state-code").dyn_into::<web_sys::HtmlTextAreaElement>().expect("a <textarea>").value()
}

/// `globalThis[name]` replaced by `undefined` while `f` runs (a browser from before the Compression Streams API).
async fn without<F: std::future::Future<Output = Mounted>>(name: &str, f: impl FnOnce() -> F) -> Mounted {
    let saved = Reflect::get(&window(), &name.into()).expect(name);
    Reflect::set(&window(), &name.into(), &JsValue::UNDEFINED).expect(name);
    let m = f().await;
    Reflect::set(&window(), &name.into(), &saved).expect(name);
    m
}

#[wasm_bindgen_test]
async fn the_state_code_is_compressed_by_the_browser_and_never_shows_the_previous_project() {
    let p = mirrored("ghcr.io");
    let m = mount_with_fragment(&ccb_core::share::encode(&p, None).fragment).await;
    m.click("#tab-apply").await;
    wait_for("the state code", || !state_code(&m).is_empty()).await;
    let code = state_code(&m);
    assert!(code.starts_with("z1."), "{code}");
    assert_eq!(opened(&code), p);
    // Another project opened from a pasted code: from then on the card shows its code, or none while it is
    // compressed, never the code of the project before.
    let q = mirrored("quay.io");
    m.type_into("#state-code-input", &ccb_core::share::encode(&q, None).fragment).await;
    m.get("#open-state").dyn_into::<HtmlElement>().expect("a button").click();
    wait_for("the pasted code opened", || m.text("#notice").contains("from the code")).await;
    let now = state_code(&m);
    assert!(now.is_empty() || opened(&now) == q, "{now}");
    assert_eq!(m.attr("#copy-state", "disabled").is_some(), now.is_empty(), "nothing to copy while there is no code");
    wait_for("the new state code", || !state_code(&m).is_empty()).await;
    assert_eq!(opened(&state_code(&m)), q);
}

#[wasm_bindgen_test]
async fn a_deflate_bomb_link_is_cut_off_and_opens_nothing() {
    // Just over 1 MiB of JSON (the most a link may expand to), deflated to a few KB.
    let json = format!(r#"{{"v":1,"p":{{"registries":[{{"upstream":"{}"}}]}}}}"#, "a".repeat(ccb_core::share::MAX_JSON));
    let z = ccb_core::deflate::deflate(json.as_bytes());
    let m = mount_with_fragment(&format!("z1.{}", ccb_core::base64::encode(&z, ccb_core::base64::Form::UrlSafeNoPad))).await;
    wait_for("the notice", || m.find("#notice").is_some()).await;
    assert!(m.text("#notice").contains("too large to open"), "{}", m.text("#notice"));
    assert!(m.find(UPSTREAM).is_none(), "nothing of the link was opened");
    // The browser's inflater is read chunk by chunk and stopped just past the limit, not at the stream's end.
    let z = ccb_core::deflate::deflate(&vec![b' '; 4 << 20]);
    let cut = containerd_config_builder_web::browser::inflate_raw(&z, 1000).await.expect("inflates");
    assert!(cut.len() > 1000 && cut.len() < 1 << 20, "{} bytes", cut.len());
}

#[wasm_bindgen_test]
async fn without_decompression_streams_a_compressed_link_says_why() {
    let fragment = ccb_core::share::encode(&mirrored("ghcr.io"), None).fragment;
    assert!(fragment.starts_with("z1."));
    let m = without("DecompressionStream", || mount_with_fragment(&fragment)).await;
    wait_for("the notice", || m.find("#notice").is_some()).await;
    assert!(m.text("#notice").contains("cannot decompress"), "{}", m.text("#notice"));
    assert!(m.find(UPSTREAM).is_none(), "nothing was opened");
}

#[wasm_bindgen_test]
async fn without_compression_streams_the_state_code_is_the_plain_form() {
    let p = mirrored("ghcr.io");
    let m = mount_with_fragment(&ccb_core::share::encode(&p, None).fragment).await;
    let m = without("CompressionStream", || async move {
        m.click("#tab-apply").await;
        wait_for("the state code", || !state_code(&m).is_empty()).await;
        m
    })
    .await;
    let code = state_code(&m);
    assert!(code.starts_with("c1."), "{code}");
    assert_eq!(opened(&code), p);
}

#[wasm_bindgen_test]
async fn try_an_image_without_its_module_says_why_and_keeps_what_was_typed() {
    // The test page has no `<meta name="ccb-lazy-tools">`: the load fails as a missing or unreachable file would.
    let m = mount().await;
    assert_eq!(m.text("#try-summary"), "", "nothing to say before anything is typed");
    m.type_into("#try-image", "nginx").await;
    wait_for("the failed load at the box", || m.text("#try-summary").contains("could not be loaded")).await;
    assert!(m.text("#try-summary").contains("type again to retry"), "{}", m.text("#try-summary"));
    assert_eq!(m.attr("#try-summary", "role").as_deref(), Some("status"));
    assert_eq!(m.attr("#try-image", "aria-describedby").as_deref(), Some("try-summary"));
    assert_eq!(m.value("#try-image"), "nginx", "what was typed is kept");
    assert!(m.find("#try-results").is_none());
    // The next keystroke tries again, and says so again.
    m.type_into("#try-image", "nginx:1.27").await;
    wait_for("the second attempt's answer", || m.text("#try-summary").contains("could not be loaded")).await;
}
