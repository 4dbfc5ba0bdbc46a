//! Copy to the clipboard, with the fallback every caller needs: when the browser refuses (file://, an iframe
//! without `allow="clipboard-write"`, no permission), the text is selected in its field for Ctrl+C. The one copy
//! mechanism of the page: the share link, the state code and the preview's file all use it.

use yew::prelude::*;

use crate::browser;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Copied {
    #[default]
    Idle,
    /// Copied; back to `Idle` after a moment, so the confirmation does not outlive what it confirms.
    Done,
    /// The clipboard refused: the text is selected in the field, the user presses Ctrl+C.
    Refused,
}

/// What `use_copy` gives a view: the state, the click handler that copies, and one that dismisses the fallback.
pub struct UseCopy {
    pub state: Copied,
    pub on_copy: Callback<MouseEvent>,
    pub on_dismiss: Callback<MouseEvent>,
}

/// How long "copied" is shown.
const DONE_FOR_MS: u32 = 2500;

/// Copies `text` to the clipboard; `report` hears `Done` (and `Idle` a moment later) or `Refused`, when the element
/// `fallback_id` (an input or textarea holding the same text, possibly shown only in the `Refused` state) is
/// selected once the render that shows it is on screen. One body for every copy button, with or without a hook.
pub fn copy_then(text: String, fallback_id: &'static str, report: Callback<Copied>) {
    wasm_bindgen_futures::spawn_local(async move {
        match browser::copy_text(&text).await {
            Ok(()) => {
                report.emit(Copied::Done);
                gloo_timers::callback::Timeout::new(DONE_FOR_MS, move || report.emit(Copied::Idle)).forget();
            }
            Err(()) => {
                report.emit(Copied::Refused);
                // yew renders in a microtask, before the next frame: the field is there by then.
                browser::next_frame(move || browser::select_all(fallback_id));
            }
        }
    });
}

/// The copy state of `text` (reset whenever the text changes), for a view that is a component; the preview keeps
/// its file's copy state in the page's state instead and calls [`copy_then`] itself.
#[hook]
pub fn use_copy(text: String, fallback_id: &'static str) -> UseCopy {
    let state = use_state(|| Copied::Idle);
    {
        let state = state.clone();
        use_effect_with(text.clone(), move |_| {
            if *state != Copied::Idle {
                state.set(Copied::Idle);
            }
        });
    }
    let report = {
        let state = state.clone();
        Callback::from(move |copied| state.set(copied))
    };
    let on_copy = {
        let report = report.clone();
        Callback::from(move |_| copy_then(text.clone(), fallback_id, report.clone()))
    };
    let on_dismiss = Callback::from(move |_| report.emit(Copied::Idle));
    UseCopy { state: *state, on_copy, on_dismiss }
}
