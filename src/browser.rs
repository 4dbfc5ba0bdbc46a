//! Every use of a browser API, each guarded: where an API is missing or refuses (file://, sandboxed iframes,
//! blocked storage or clipboard), the caller gets `None` / `Err` and shows a fallback; nothing panics.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// The browser's preferred language tag, e.g. "zh-CN".
pub fn navigator_language() -> Option<String> {
    window()?.navigator().language()
}

/// Sets an attribute on `<html>` (lang, data-theme).
pub fn set_root_attribute(name: &str, value: &str) {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        // Not written again when unchanged (the effect's first run after `startup::mount` set it): a write of the
        // same value still goes through the browser's attribute-change path, which may restyle the page.
        if root.get_attribute(name).as_deref() != Some(value) {
            let _ = root.set_attribute(name, value);
        }
    }
}

/// Moves keyboard focus to the element with `id`; false when there is none.
pub fn focus(id: &str) -> bool {
    focus_with(id, true)
}

/// [`focus`], scrolling the element into view first or (`scroll` false) leaving the page where it is.
pub fn focus_with(id: &str, scroll: bool) -> bool {
    let Some(el) = document().and_then(|d| d.get_element_by_id(id)) else { return false };
    let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() else { return false };
    if scroll {
        el.scroll_into_view();
    }
    el.focus().is_ok()
}

/// `window.confirm`; false when dialogs are blocked (sandboxed iframes without allow-modals).
pub fn confirm(message: &str) -> bool {
    window().and_then(|w| w.confirm_with_message(message).ok()).unwrap_or(false)
}

/// The URL fragment without `#`.
pub fn location_hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Replaces the URL fragment without adding a history entry.
pub fn replace_hash(fragment: &str) {
    let Some(w) = window() else { return };
    let Ok(history) = w.history() else { return };
    let url = if fragment.is_empty() { " ".to_string() } else { format!("#{fragment}") };
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url.trim()));
}

/// Runs `f` just before the browser's next frame, when the DOM of this render is complete: reading layout there
/// costs the one layout the frame needs anyway, where reading it inside an effect forced an extra one (the first
/// load's effects then change the root's `lang` and theme, which throws that layout away). Runs at once when the
/// page has no window.
pub fn next_frame(f: impl FnOnce() + 'static) {
    let Some(w) = window() else { return f() };
    let cb = Closure::once_into_js(f);
    if w.request_animation_frame(cb.unchecked_ref()).is_err() {
        if let Some(f) = cb.dyn_ref::<js_sys::Function>() {
            let _ = f.call0(&JsValue::NULL);
        }
    }
}

/// Runs the latest job given to [`IdleJob::schedule`] once typing has paused for [`QUIET_MS`] and the browser is
/// idle (`requestIdleCallback`, else at once): what need not happen inside a keystroke — writing the address bar
/// and the saved draft, which re-encode the whole project — happens once per pause, with the state of that moment,
/// and never runs between two keystrokes of a burst (where it delayed the next one by the encoding's time).
#[derive(Clone, Default)]
pub struct IdleJob {
    inner: Rc<IdleInner>,
}

/// How long after the last change the job waits before asking for an idle moment.
const QUIET_MS: u32 = 250;

#[derive(Default)]
struct IdleInner {
    job: RefCell<Option<Box<dyn FnOnce()>>>,
    /// The pending quiet-period timer: replaced (so cancelled) by every new job.
    timer: RefCell<Option<gloo_timers::callback::Timeout>>,
    /// True while an idle callback is requested and has not run yet.
    requested: std::cell::Cell<bool>,
    /// The one idle callback the browser is given, made on first use (it holds the job's state weakly).
    callback: RefCell<Option<Closure<dyn FnMut()>>>,
}

impl IdleJob {
    /// Replaces the job not run yet (if any) with `job`, and restarts the quiet period.
    pub fn schedule(&self, job: impl FnOnce() + 'static) {
        *self.inner.job.borrow_mut() = Some(Box::new(job));
        let weak = Rc::downgrade(&self.inner);
        let timer = gloo_timers::callback::Timeout::new(QUIET_MS, move || {
            if let Some(inner) = weak.upgrade() {
                inner.timer.borrow_mut().take();
                IdleJob { inner }.request_idle();
            }
        });
        // Dropping the previous timer cancels it.
        *self.inner.timer.borrow_mut() = Some(timer);
    }

    fn request_idle(&self) {
        if self.inner.requested.get() {
            return;
        }
        let requested = window().is_some_and(|w| {
            if !js_sys::Reflect::has(&w, &"requestIdleCallback".into()).unwrap_or(false) {
                return false;
            }
            let mut slot = self.inner.callback.borrow_mut();
            let cb = slot.get_or_insert_with(|| {
                let weak = Rc::downgrade(&self.inner);
                Closure::<dyn FnMut()>::new(move || {
                    if let Some(inner) = weak.upgrade() {
                        inner.requested.set(false);
                        IdleJob { inner }.flush();
                    }
                })
            });
            let f: &js_sys::Function = cb.as_ref().unchecked_ref();
            let opts = web_sys::IdleRequestOptions::new();
            // Within a second even while the page stays busy.
            opts.set_timeout(1000);
            w.request_idle_callback_with_options(f, &opts).is_ok()
        });
        if requested {
            self.inner.requested.set(true);
        } else {
            self.flush();
        }
    }

    /// Runs the pending job now (the page is being hidden or left: nothing may be lost).
    pub fn flush(&self) {
        let job = self.inner.job.borrow_mut().take();
        if let Some(job) = job {
            job();
        }
    }
}

/// The page's address without the fragment.
pub fn page_url_without_hash() -> String {
    window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    // Accessing localStorage throws in some sandboxes and on file:// in some browsers.
    window()?.local_storage().ok().flatten()
}

pub fn storage_available() -> bool {
    let Some(s) = storage() else { return false };
    let probe = "ccb-probe";
    s.set_item(probe, "1").is_ok() && s.remove_item(probe).is_ok()
}

pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn storage_set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

pub fn storage_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Offers `bytes` as a download named `name`. Made in the browser: no request leaves the page.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), ()> {
    let document = document().ok_or(())?;
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).map_err(|_| ())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ())?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(|_| ())?.dyn_into().map_err(|_| ())?;
    a.set_href(&url);
    a.set_download(name);
    let body = document.body().ok_or(())?;
    let _ = body.append_child(&a);
    a.click();
    let _ = body.remove_child(&a);
    // Revoke later: revoking at once can cancel the download in some browsers.
    let url2 = url.clone();
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url2);
    })
    .forget();
    Ok(())
}

/// Why the browser did not compress or decompress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    /// No `CompressionStream` / `DecompressionStream` for the format (browsers from before 2023).
    Missing,
    /// Not a valid stream: the browser's words.
    Failed(String),
}

// The Compression Streams API, declared here: web-sys has it only behind `--cfg=web_sys_unstable_apis`. Each
// stream is a transform (`readable` + `writable`), fed from a Blob and read chunk by chunk.
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    type BytesBlob;
    #[wasm_bindgen(method)]
    fn stream(this: &BytesBlob) -> ByteStream;
    type ByteStream;
    #[wasm_bindgen(method, js_name = pipeThrough)]
    fn pipe_through(this: &ByteStream, transform: &JsValue) -> ByteStream;
    #[wasm_bindgen(method, js_name = getReader)]
    fn get_reader(this: &ByteStream) -> StreamReader;
    type StreamReader;
    #[wasm_bindgen(method)]
    fn read(this: &StreamReader) -> js_sys::Promise;
    #[wasm_bindgen(method)]
    fn cancel(this: &StreamReader) -> js_sys::Promise;
}

fn failed(e: JsValue) -> CodecError {
    CodecError::Failed(e.dyn_ref::<js_sys::Error>().map_or_else(|| "not readable".to_string(), |e| String::from(e.message())))
}

/// `input` through `transform`, read until its end or until more than `limit` bytes came out (then the rest is
/// never made: what a deflate bomb would expand to is not held in memory).
async fn pipe(transform: JsValue, input: &[u8], limit: usize) -> Result<Vec<u8>, CodecError> {
    let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(input))).map_err(failed)?;
    let reader = blob.unchecked_into::<BytesBlob>().stream().pipe_through(&transform).get_reader();
    let mut out = Vec::new();
    loop {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read()).await.map_err(failed)?;
        if js_sys::Reflect::get(&chunk, &"done".into()).map_err(failed)?.is_truthy() {
            return Ok(out);
        }
        let bytes: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"value".into()).map_err(failed)?.dyn_into().map_err(failed)?;
        let at = out.len();
        out.resize(at + bytes.length() as usize, 0);
        bytes.copy_to(&mut out[at..]);
        if out.len() > limit {
            let _ = reader.cancel();
            return Ok(out);
        }
    }
}

/// Raw DEFLATE (RFC 1951) by the browser: a share link's `z1.` form.
pub async fn deflate_raw(input: &[u8]) -> Result<Vec<u8>, CodecError> {
    let transform = CompressionStream::new("deflate-raw").map_err(|_| CodecError::Missing)?;
    pipe(transform.into(), input, usize::MAX).await
}

/// Raw DEFLATE inflated by the browser, stopped once past `limit` bytes (the result is then longer than
/// `limit`, so the caller can refuse it as too large).
pub async fn inflate_raw(input: &[u8], limit: usize) -> Result<Vec<u8>, CodecError> {
    let transform = DecompressionStream::new("deflate-raw").map_err(|_| CodecError::Missing)?;
    pipe(transform.into(), input, limit).await
}

/// A gzip member (RFC 1952) made by the browser: the bundle's `.tar.gz`.
pub async fn gzip(input: &[u8]) -> Result<Vec<u8>, CodecError> {
    let transform = CompressionStream::new("gzip").map_err(|_| CodecError::Missing)?;
    pipe(transform.into(), input, usize::MAX).await
}

/// Offers `data` gzipped by the browser (`CompressionStream("gzip")`) as the download `name` (a `.tar.gz`), a
/// moment later; `failed` gets why not, as a notice's i18n key and detail: the browser refused the download of
/// `name`, or it has no CompressionStream.
pub fn download_gzipped(name: String, data: Vec<u8>, failed: impl FnOnce(&'static str, String) + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        match gzip(&data).await {
            Ok(gz) => {
                if download(&name, "application/gzip", &gz).is_err() {
                    failed("apply.download_failed", name);
                }
            }
            Err(CodecError::Missing) => failed("notice.no_compression", String::new()),
            Err(CodecError::Failed(_)) => failed("apply.download_failed", name),
        }
    });
}

/// Writes `text` to the clipboard; `Err` when the browser refuses (no permission, insecure context, iframe
/// without `allow="clipboard-write"`), so the caller can show the select-and-press-Ctrl+C fallback.
pub async fn copy_text(text: &str) -> Result<(), ()> {
    let w = window().ok_or(())?;
    let clipboard = w.navigator().clipboard();
    // `navigator.clipboard` is undefined outside secure contexts.
    if JsValue::from(clipboard.clone()).is_undefined() {
        return Err(());
    }
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text)).await.map(|_| ()).map_err(|_| ())
}

/// Selects the whole text of a textarea or input, for the copy fallback.
pub fn select_all(id: &str) {
    if let Some(el) = document().and_then(|d| d.get_element_by_id(id)) {
        if let Ok(t) = el.clone().dyn_into::<web_sys::HtmlTextAreaElement>() {
            let _ = t.focus();
            t.select();
        } else if let Ok(i) = el.dyn_into::<web_sys::HtmlInputElement>() {
            let _ = i.focus();
            i.select();
        }
    }
}

/// Milliseconds since navigation start (Performance API), for the in-page timings.
pub fn now_ms() -> f64 {
    window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Records a named mark on the Performance timeline (read by `make bench`).
pub fn mark(name: &str) {
    if let Some(p) = window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Whether the page has set the performance mark `name` (index.html's gate script sets `ccb-first-preview`).
pub fn has_mark(name: &str) -> bool {
    window().and_then(|w| w.performance()).is_some_and(|p| p.get_entries_by_name(name).length() > 0)
}

fn meta_content(name: &str) -> Option<String> {
    let el = document()?.query_selector(&format!("meta[name=\"{name}\"]")).ok()??;
    el.get_attribute("content").map(|c| c.trim().to_string())
}

/// True inside the offline single-file build (`containerd-config-builder.html`).
pub fn is_offline_file() -> bool {
    meta_content("ccb-offline").is_some_and(|v| v == "1")
}

/// Where share links point: the canonical URL set at build time (`CCB_CANONICAL_URL`), else — on the hosted
/// site only — the page's own address. `None` in an offline file built without a canonical URL: a local path is
/// no link to share (use the state code instead).
pub fn share_base() -> Option<String> {
    if let Some(c) = meta_content("ccb-canonical-url").filter(|c| !c.is_empty()) {
        return Some(c.split('#').next().unwrap_or("").to_string());
    }
    let protocol = window()?.location().protocol().ok()?;
    if is_offline_file() || !(protocol == "http:" || protocol == "https:") {
        return None;
    }
    Some(page_url_without_hash())
}

/// What makes a JavaScript closure or casts a value (wasm-bindgen's `wbg_cast`), for code of the split-off forms
/// (src/sections/split.rs). wasm-bindgen rewrites each cast's call in the main module only, so a chunk that made
/// its own call would fail at run time with "function signature mismatch" (wasm_split_cli 0.2.2 keeps such callers
/// in the main module only for the cast import of older wasm-bindgens). These functions are not inlined and are
/// held by [`main_only::KEEP`], which the app's start touches: `wasm_split_cli` puts what main code reaches in the
/// main module, so they stay there, casts included, and the chunk calls them through the table. `xtask split`
/// fails the build when the chunk still makes a cast itself.
pub mod main_only {
    use std::future::Future;
    use std::hint::black_box;
    use std::pin::Pin;

    type Read<T> = Pin<Box<dyn Future<Output = Result<T, String>>>>;

    /// The functions, as pointers the optimiser cannot see through (so no caller gets its own inlined copy).
    pub struct Keep {
        timeout: fn(Box<dyn FnOnce()>),
        bytes_of: fn(web_sys::File) -> Read<Vec<u8>>,
        text_of: fn(web_sys::File) -> Read<String>,
        relative_path: fn(&web_sys::File) -> Option<String>,
    }

    pub static KEEP: Keep = Keep { timeout, bytes_of, text_of, relative_path };

    /// Called once at the app's start, from the main module: makes [`KEEP`] (and so every function in it) part of it.
    pub fn keep() {
        black_box(&KEEP);
    }

    fn held() -> &'static Keep {
        black_box(&KEEP)
    }

    #[inline(never)]
    fn timeout(f: Box<dyn FnOnce()>) {
        gloo_timers::callback::Timeout::new(0, f).forget();
    }

    #[inline(never)]
    fn bytes_of(file: web_sys::File) -> Read<Vec<u8>> {
        Box::pin(async move { gloo_file::futures::read_as_bytes(&gloo_file::File::from(file)).await.map_err(|e| e.to_string()) })
    }

    #[inline(never)]
    fn text_of(file: web_sys::File) -> Read<String> {
        Box::pin(async move { gloo_file::futures::read_as_text(&gloo_file::File::from(file)).await.map_err(|e| e.to_string()) })
    }

    #[inline(never)]
    fn relative_path(file: &web_sys::File) -> Option<String> {
        js_sys::Reflect::get(file, &"webkitRelativePath".into()).ok()?.as_string().filter(|p| !p.is_empty())
    }

    /// Runs `f` once the current task is over (a zero timeout: the next render is on screen by then).
    pub fn after_this_task(f: impl FnOnce() + 'static) {
        (held().timeout)(Box::new(f));
    }

    /// A chosen file's bytes, or why they could not be read.
    pub async fn read_bytes(file: web_sys::File) -> Result<Vec<u8>, String> {
        (held().bytes_of)(file).await
    }

    /// A chosen file's text (UTF-8), or why it could not be read.
    pub async fn read_text(file: web_sys::File) -> Result<String, String> {
        (held().text_of)(file).await
    }

    /// A file's path inside the folder it was chosen with (`webkitRelativePath`), when it was.
    pub fn folder_path(file: &web_sys::File) -> Option<String> {
        (held().relative_path)(file)
    }
}
