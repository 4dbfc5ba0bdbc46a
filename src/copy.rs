//! Copy to the clipboard, with the fallback every caller needs: when the browser refuses (file://, an iframe
//! without `allow="clipboard-write"`, no permission), the text is selected in its field for Ctrl+C. One mechanism,
//! [`copy_then`]; each caller keeps the outcome in the page's state (the preview's file in `AppState::view`, the
//! share link and the state code in `sections::cards`).

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

/// How long "copied" is shown.
const DONE_FOR_MS: u32 = 2500;

/// Copies `text` to the clipboard; `report` hears `Done` (and `Idle` a moment later) or `Refused`, when the element
/// `fallback_id` (an input or textarea holding the same text, possibly shown only in the `Refused` state) is
/// selected once the render that shows it is on screen. One body for every copy button.
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

