//! Wasm modules the page loads on demand, once, by name: features that not every visit needs stay out of the
//! first download. Today there is one, the tools module ([`TOOLS`], `crates/web-tools`): the merge into a pasted
//! config.toml, the "Try an image" explain, the import / lint of the user's own files and the k3s / Talos
//! exports, and install.sh and README.txt of every
//! bundle (loaded when the page is first idle), which all need the core's planning, so they share one module rather than each repeating the core.
//!
//! A lazy module is a wasm-bindgen crate that `scripts/build-lazy.sh` builds into dist/ during `trunk build`. Its
//! glue registers it as `globalThis.ccbLazy[NAME] = { init, exports }`, and index.html names its file in
//! `<meta name="ccb-lazy-NAME">`. [`load`] adds that file as a module script (resolved against the page's
//! address, so dist/ works from any folder), waits for it, runs `init` (which fetches its wasm) and keeps the
//! exports; the offline single file registers its modules inline instead (`crates/xtask`), and [`load`] then only
//! runs `init`. Once [`status`] is [`Status::Ready`], [`call`] is synchronous, so the render path stays
//! synchronous. A failed load is remembered, and the next [`load`] tries again.
//!
//! Each feature gets a typed wrapper beside this file (`lazy/merge.rs`, `lazy/explain.rs`, `lazy/import.rs`,
//! `lazy/export.rs`, `lazy/scripts.rs`) that turns calls into
//! core values and says in the page's words what is happening while it loads or when it failed.

pub mod explain;
pub mod export;
pub mod import;
pub mod merge;
pub mod scripts;

/// The tools module: `merge(request, node)`, `explain(request)`, `read_files(request)`, `export_to(request)` and
/// `scripts(request)`, strings in and out.
pub const TOOLS: &str = "tools";

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

/// Where a lazy module is.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    NotLoaded,
    Loading,
    /// Its exported functions (an object of name → function).
    Ready(JsValue),
    /// Why it could not be loaded (the browser's words, for the message shown).
    Failed(String),
}

/// One lazy module: where it is, and who asked for it while it was loading (run once it is ready or failed).
struct Module {
    name: &'static str,
    status: Status,
    waiting: Vec<Box<dyn FnOnce()>>,
}

thread_local! {
    // A list, not a map: the page has two lazy modules (the tools and the Chinese texts), and a map type of its
    // own would add its hash table code to the page's wasm.
    static MODULES: RefCell<Vec<Module>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` on the module `name` (not loaded until said otherwise); no callback runs inside it.
fn with_module<R>(name: &'static str, f: impl FnOnce(&mut Module) -> R) -> R {
    MODULES.with(|modules| {
        let mut modules = modules.borrow_mut();
        let i = match modules.iter().position(|m| m.name == name) {
            Some(i) => i,
            None => {
                modules.push(Module { name, status: Status::NotLoaded, waiting: Vec::new() });
                modules.len() - 1
            }
        };
        f(&mut modules[i])
    })
}

pub fn status(name: &'static str) -> Status {
    with_module(name, |m| m.status.clone())
}

fn set_status(name: &'static str, status: Status) {
    with_module(name, |m| m.status = status);
}

/// The module `name` is loaded (always natively, where the wrappers run the boundary in-process).
pub fn ready(name: &'static str) -> bool {
    cfg!(not(target_arch = "wasm32")) || matches!(status(name), Status::Ready(_))
}

/// Starts loading `name` unless it is ready or already loading; `done` runs when it is ready or has failed
/// (not at all when it was ready already).
pub fn load(name: &'static str, done: impl FnOnce() + 'static) {
    // Boxed here, so that the loading below is one function, not a copy per caller's closure type.
    load_boxed(name, Box::new(done));
}

fn load_boxed(name: &'static str, done: Box<dyn FnOnce()>) {
    match status(name) {
        Status::Ready(_) => return,
        Status::Loading => {
            with_module(name, |m| m.waiting.push(done));
            return;
        }
        Status::NotLoaded | Status::Failed(_) => {}
    }
    with_module(name, |m| {
        m.status = Status::Loading;
        m.waiting.push(done);
    });
    wasm_bindgen_futures::spawn_local(async move {
        let result = fetch(name).await;
        set_status(name, result.unwrap_or_else(Status::Failed));
        for done in with_module(name, |m| std::mem::take(&mut m.waiting)) {
            done();
        }
    });
}

/// Answers a call of the module `name` at once when it is ready (`answer_now` gives `Some`), else once it has been
/// loaded; `not_loaded` makes the answer of a module that failed to load from the reason.
pub fn answer_when_loaded<A: 'static>(
    name: &'static str,
    answer_now: impl Fn() -> Option<A> + 'static,
    not_loaded: fn(String) -> A,
    done: impl FnOnce(A) + 'static,
) {
    if let Some(a) = answer_now() {
        return done(a);
    }
    load(name, move || {
        let a = answer_now().unwrap_or_else(|| {
            not_loaded(match status(name) {
                Status::Failed(why) => why,
                other => format!("{other:?}"),
            })
        });
        done(a);
    });
}

/// Calls the ready module's function `function` with string arguments; `None` while it is not ready, `Err` with
/// the error the module threw.
pub fn call(name: &'static str, function: &str, args: &[&str]) -> Option<Result<JsValue, String>> {
    let Status::Ready(exports) = status(name) else { return None };
    let f = match js_sys::Reflect::get(&exports, &JsValue::from_str(function)) {
        Ok(f) if f.is_function() => js_sys::Function::from(f),
        _ => return Some(Err(format!("the module {name} has no function {function}"))),
    };
    let args: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    Some(f.apply(&JsValue::NULL, &args).map_err(|e| describe(&e)))
}

/// The error's own text (`RuntimeError: unreachable`, `TypeError: Failed to fetch …`).
fn describe(e: &JsValue) -> String {
    use wasm_bindgen::JsCast;
    e.as_string().or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.to_string()))).unwrap_or_else(|| format!("{e:?}"))
}

fn registered(name: &str) -> Option<JsValue> {
    let registry = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("ccbLazy")).ok().filter(|r| r.is_object())?;
    js_sys::Reflect::get(&registry, &JsValue::from_str(name)).ok().filter(|m| m.is_object())
}

async fn fetch(name: &'static str) -> Result<Status, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    if registered(name).is_none() {
        let meta = document
            .query_selector(&format!("meta[name=\"ccb-lazy-{name}\"]"))
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"))
            .ok_or_else(|| format!("this build has no {name} module (no <meta name=\"ccb-lazy-{name}\">)"))?;
        let script = document.create_element("script").map_err(|e| describe(&e))?.unchecked_into::<web_sys::HtmlElement>();
        script.set_attribute("type", "module").map_err(|e| describe(&e))?;
        let loaded = js_sys::Promise::new(&mut |resolve, reject| {
            script.set_onload(Some(&resolve));
            script.set_onerror(Some(&reject));
        });
        // A relative address resolves against the page's, wherever dist/ is served from.
        script.set_attribute("src", &meta).map_err(|e| describe(&e))?;
        document.body().ok_or("no <body>")?.append_child(&script).map_err(|e| describe(&e))?;
        JsFuture::from(loaded).await.map_err(|_| format!("{meta} could not be loaded"))?;
    }
    let module = registered(name).ok_or_else(|| format!("the {name} module did not register itself"))?;
    let init = js_sys::Reflect::get(&module, &JsValue::from_str("init")).ok().filter(|f| f.is_function()).ok_or("no init")?;
    let started = js_sys::Function::from(init).call0(&JsValue::NULL).map_err(|e| describe(&e))?;
    JsFuture::from(js_sys::Promise::resolve(&started)).await.map_err(|e| describe(&e))?;
    let exports = js_sys::Reflect::get(&module, &JsValue::from_str("exports")).map_err(|e| describe(&e))?;
    Ok(Status::Ready(exports))
}
