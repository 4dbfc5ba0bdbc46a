//! What the first screen does not need until the user acts, in a wasm module of its own, split off the page's main
//! module at build time by `wasm_split_cli` (scripts/build-lazy.sh; the split point is [`entry`], a `#[wasm_split]`
//! function of the `wasm_split_helpers` crate): the forms but the list of registries (target, Harbor, air-gap, auth,
//! TLS, daemon, Apply), an open registry card's fields (a page opens with no registry), the rules of every edit, the
//! diffs, and the reading of "Try an image"'s and the merge's answers ([`Forms`]). The chunk is fetched right after
//! the first render ([`use_split_module`]), with the forms' English texts (`i18n::load_forms_en`), so it is there
//! before anyone opens one of those tabs or adds a registry. Until then a form says it is loading, an edit waits in
//! the state (`AppState::waiting_edits`), and a focus asked for is given once the form is drawn
//! ([`focus_when_loaded`]); a failed load says why, and opening a tab again (or another edit) retries.
//!
//! Without the cargo feature `split` (native tests, the wasm component tests, which are not split) all of it is
//! compiled in and [`entry`] is an ordinary function.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::fields::Ctx;
use crate::i18n::t;
use crate::state::{Action, AppState, Applied, Stash};
use ccb_core::edit::Edit;
use ccb_core::explain::view::Shown;
use ccb_core::{Lang, Project};

use crate::lazy::explain::Answer;

/// The forms of the split-off module, as function pointers: every render after the load calls them synchronously.
#[derive(Clone, Copy)]
pub struct Forms {
    /// The open section's form (Harbor, air-gap, auth, TLS, daemon, Apply).
    section: fn(&Ctx) -> Html,
    /// The fields of registry `i`'s open card.
    registry_body: fn(&Ctx, usize) -> Html,
    /// The rules of every edit (`state::applied`).
    edit: EditRules,
    /// The lines an edit changed in a file (the preview's highlight: changes wait for the chunk anyway).
    changed_lines: fn(&str, &str) -> Vec<usize>,
    /// The merged config.toml's diff against the node's file (the file is pasted in Apply, a form of the chunk).
    diff_view: fn(&Ctx, &str, &str) -> Html,
    /// "Try an image": the tools module's answer read, and one stretch of it laid out.
    explain: fn(&Project, &str) -> Answer,
    try_group: fn(Lang, &Project, &Shown) -> Html,
    /// The merge into the node's config.toml, as the tools module answers it (`lazy::merge::by_tools`).
    merge: crate::lazy::merge::Merger,
}

/// What an edit does to the project (and the state's stash).
pub type EditRules = fn(&Project, &Stash, &Edit) -> Option<Applied>;

#[derive(Clone, Copy)]
enum Chunk {
    NotLoaded,
    Loading,
    // Read only in the split page: without it, `forms` calls the entry itself.
    #[cfg_attr(not(feature = "split"), allow(dead_code))]
    Ready(Forms),
    Failed,
}

thread_local! {
    static CHUNK: RefCell<Chunk> = const { RefCell::new(Chunk::NotLoaded) };
    /// The element to focus once the chunk is there (an "add" or a jump to a field before it arrived).
    static PENDING_FOCUS: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn chunk() -> Chunk {
    CHUNK.with(|c| *c.borrow())
}

#[cfg(feature = "split")]
type LoadError = wasm_split_helpers::SplitLoaderError;
#[cfg(not(feature = "split"))]
type LoadError = std::convert::Infallible;

/// The split point: the call that needs the chunk. It hands back the forms' entries as function pointers.
#[cfg_attr(feature = "split", wasm_split_helpers::wasm_split(forms, fallible))]
fn entry() -> Result<Forms, LoadError> {
    Ok(Forms {
        section: super::later_section,
        registry_body: super::registries::body,
        edit: crate::state::applied,
        changed_lines: ccb_core::textdiff::changed_lines,
        diff_view: crate::preview::code::diff_view,
        explain: crate::lazy::explain::explain,
        try_group: crate::preview::try_image::group,
        merge: crate::lazy::merge::by_tools,
    })
}

/// Starts loading the chunk and the forms' English texts (`i18n::load_forms_en`) side by side unless they are
/// loaded or loading (then `done` is dropped: whoever started the load renders the page); `done` runs once both
/// are there or one has failed, then the focus asked for meanwhile is given. The forms show only with both: a form
/// without its texts would show its keys.
pub fn load(done: impl FnOnce() + 'static) {
    if matches!(chunk(), Chunk::Ready(_) | Chunk::Loading) {
        return;
    }
    CHUNK.with(|c| *c.borrow_mut() = Chunk::Loading);
    let join = Rc::new(RefCell::new(Join { left: 2, forms: None, failed: false, done: Some(Box::new(done)) }));
    let texts = Rc::clone(&join);
    crate::i18n::load_forms_en(move |loaded| Join::part(&texts, None, loaded.is_err()));
    #[cfg(feature = "split")]
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = entry().await;
        Join::part(&join, loaded.as_ref().ok().copied(), loaded.is_err());
    });
    #[cfg(not(feature = "split"))]
    {
        let Ok(forms) = entry();
        Join::part(&join, Some(forms), false);
    }
}

/// The two parts of a load (the chunk's code, the forms' texts) meeting.
struct Join {
    left: u8,
    forms: Option<Forms>,
    failed: bool,
    done: Option<Box<dyn FnOnce()>>,
}

impl Join {
    fn part(join: &Rc<RefCell<Join>>, forms: Option<Forms>, failed: bool) {
        let done = {
            let mut j = join.borrow_mut();
            j.left -= 1;
            j.forms = j.forms.or(forms);
            j.failed |= failed;
            if j.left > 0 {
                return;
            }
            let state = match j.forms {
                Some(forms) if !j.failed => Chunk::Ready(forms),
                _ => Chunk::Failed,
            };
            CHUNK.with(|c| *c.borrow_mut() = state);
            j.done.take()
        };
        if let Some(done) = done {
            done();
        }
        // After the render `done` asked for: the focus asked for meanwhile.
        if let Some(id) = PENDING_FOCUS.with(|p| p.borrow_mut().take()) {
            crate::widgets::focus_soon(id);
        }
    }
}

/// The chunk's entries: at once without the split (they are compiled in), once it is loaded with it.
fn forms() -> Option<Forms> {
    #[cfg(not(feature = "split"))]
    {
        let Ok(forms) = entry();
        Some(forms)
    }
    #[cfg(feature = "split")]
    match chunk() {
        Chunk::Ready(forms) => Some(forms),
        _ => None,
    }
}

/// The open section's form from the chunk, or what the page says while it loads or after it failed.
pub fn section(ctx: &Ctx) -> Html {
    forms().map_or_else(|| waiting(ctx), |f| (f.section)(ctx))
}

/// Registry `i`'s fields from the chunk, or what the page says while it loads or after it failed.
pub fn registry_body(ctx: &Ctx, i: usize) -> Html {
    forms().map_or_else(|| waiting(ctx), |f| (f.registry_body)(ctx, i))
}

/// The rules of the edits once the chunk is there; until then the state keeps the edits made
/// ([`AppState::waiting_edits`]).
pub fn edit_rules() -> Option<EditRules> {
    forms().map(|f| f.edit)
}

/// The lines of `new` changed from `old`; none while the chunk is not there (no edit was made then: only a preset
/// or an undo can change the files, and their change is then not highlighted).
pub fn changed_lines(old: &str, new: &str) -> Vec<usize> {
    forms().map_or_else(Vec::new, |f| (f.changed_lines)(old, new))
}

/// The diff of the merged config.toml (`new`) against the node's file (`old`), or what the page says while the
/// chunk loads or after it failed.
pub fn diff_view(ctx: &Ctx, old: &str, new: &str) -> Html {
    forms().map_or_else(|| waiting(ctx), |f| (f.diff_view)(ctx, old, new))
}

/// "Try an image"'s answer for `image`; loading while the chunk is not there (it is asked again when it is).
pub fn explain(lang: Lang, project: &Project, image: &str) -> Answer {
    match forms() {
        Some(f) => (f.explain)(project, image),
        None if failed() => Answer::NotLoaded(t(lang, "lazy.part_missing").to_string()),
        None => Answer::Loading,
    }
}

/// What merges into a pasted config.toml: `None` while the chunk loads or after it failed ([`failed`] tells).
pub fn merge_reader() -> Option<crate::lazy::merge::Merger> {
    forms().map(|f| f.merge)
}

/// The chunk's last load failed (the next tab opened or edit made tries again).
pub fn failed() -> bool {
    matches!(chunk(), Chunk::Failed)
}

/// One stretch of an answer [`explain`] gave (so the chunk is there).
pub fn try_group(lang: Lang, project: &Project, shown: &Shown) -> Html {
    forms().map_or_else(Html::default, |f| (f.try_group)(lang, project, shown))
}

/// The note in place of a form of the chunk that is not there: loading, or why not after a failed load.
fn waiting(ctx: &Ctx) -> Html {
    let (key, class) = if failed() { ("lazy.forms_failed", "note lazy-wait error") } else { ("lazy.forms_loading", "note lazy-wait") };
    html! { <p class={class} role="status">{ t(ctx.lang, key) }</p> }
}

/// Remembers `id` to focus once the chunk is there, unless it is there already (then the element is simply not on
/// the page, and nothing is remembered). The newest wish wins.
pub fn focus_when_loaded(id: String) {
    if forms().is_none() {
        PENDING_FOCUS.with(|p| *p.borrow_mut() = Some(id));
    }
}

/// Fetches the chunk after the first render (off the first preview's path), and again when a tab is opened or an
/// edit made after a failed load; renders the page again once the load has ended (the state then applies the edits
/// made meanwhile, and [`load`] gives the focus asked for meanwhile).
#[hook]
pub fn use_split_module(state: &UseReducerHandle<AppState>) {
    let handle = state.clone();
    use_effect_with((state.section, state.waiting_edits()), move |_| {
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
        let runs = Rc::new(Cell::new(0));
        for _ in 0..2 {
            let runs = Rc::clone(&runs);
            load(move || runs.set(runs.get() + 1));
        }
        assert!(matches!(chunk(), Chunk::Ready(_)));
        assert_eq!(runs.get(), 1, "a loaded chunk is not loaded again");
    }
}
