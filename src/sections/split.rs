//! The forms after the first screen (Harbor, air-gap, auth, TLS, daemon, Apply) in a wasm module of their own,
//! split off the page's main module at build time by `wasm_split_cli` (scripts/build-lazy.sh; the split point is
//! [`entry`], a `#[wasm_split]` function of the `wasm_split_helpers` crate). The chunk is fetched right after the
//! first render ([`use_split_module`]), so it is there before anyone opens one of those tabs; a tab opened before
//! says it is loading, and one whose load failed says why and tries again when opened again.
//!
//! Without the cargo feature `split` (native tests, the wasm component tests, which are not split) the forms are
//! compiled in and [`entry`] is an ordinary function.

use std::cell::RefCell;

use yew::prelude::*;

use crate::fields::Ctx;
use crate::i18n::t;
use crate::state::{Action, AppState};

/// A form of the split-off module.
type Form = fn(&Ctx) -> Html;

#[derive(Clone, Copy)]
enum Chunk {
    NotLoaded,
    Loading,
    Ready(Form),
    // Only a split build can fail to load its chunk.
    #[cfg_attr(not(feature = "split"), allow(dead_code))]
    Failed,
}

thread_local! {
    static CHUNK: RefCell<Chunk> = const { RefCell::new(Chunk::NotLoaded) };
}

fn chunk() -> Chunk {
    CHUNK.with(|c| *c.borrow())
}

#[cfg(feature = "split")]
type LoadError = wasm_split_helpers::SplitLoaderError;
#[cfg(not(feature = "split"))]
type LoadError = std::convert::Infallible;

/// The split point: the call that needs the chunk. It hands back the forms' entry as a function pointer, so every
/// later render calls it synchronously.
#[cfg_attr(feature = "split", wasm_split_helpers::wasm_split(forms, fallible))]
fn entry() -> Result<Form, LoadError> {
    Ok(super::later_section)
}

/// Starts loading the chunk unless it is loaded or loading; `done` runs once it is ready or has failed.
pub fn load(done: impl FnOnce() + 'static) {
    if matches!(chunk(), Chunk::Ready(_) | Chunk::Loading) {
        return;
    }
    CHUNK.with(|c| *c.borrow_mut() = Chunk::Loading);
    #[cfg(feature = "split")]
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = entry().await;
        CHUNK.with(|c| *c.borrow_mut() = loaded.map_or(Chunk::Failed, Chunk::Ready));
        done();
    });
    #[cfg(not(feature = "split"))]
    {
        let Ok(form) = entry();
        CHUNK.with(|c| *c.borrow_mut() = Chunk::Ready(form));
        done();
    }
}

/// The open section's form from the chunk, or what the page says while it loads or after it failed.
pub fn section(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let (key, class) = match chunk() {
        Chunk::Ready(form) => return form(ctx),
        Chunk::NotLoaded | Chunk::Loading => ("lazy.forms_loading", "note lazy-wait"),
        Chunk::Failed => ("lazy.forms_failed", "note lazy-wait error"),
    };
    html! { <p class={class} role="status">{ t(lang, key) }</p> }
}

/// Fetches the chunk after the first render (off the first preview's path), and again when a tab of it is opened
/// after a failed load; renders the page again once it is there (or has failed).
#[hook]
pub fn use_split_module(state: &UseReducerHandle<AppState>) {
    let wanted = !matches!(state.section, crate::state::Section::Target | crate::state::Section::Registries);
    let handle = state.clone();
    use_effect_with(wanted.then_some(state.section), move |_| {
        if !matches!(chunk(), Chunk::Ready(_)) {
            load(move || handle.dispatch(Action::SplitLoaded));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_the_split_feature_the_forms_are_ready_at_once_and_loaded_once() {
        use std::cell::Cell;
        use std::rc::Rc;
        let runs = Rc::new(Cell::new(0));
        for _ in 0..2 {
            let runs = Rc::clone(&runs);
            load(move || runs.set(runs.get() + 1));
        }
        assert!(matches!(chunk(), Chunk::Ready(_)));
        assert_eq!(runs.get(), 1, "a loaded chunk is not loaded again");
    }
}
