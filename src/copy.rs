//! Copy to the clipboard, with the fallback every caller needs: when the browser refuses (file://, an iframe
//! without `allow="clipboard-write"`, no permission), the text is selected in its field for Ctrl+C. The preview's
//! file uses this hook; the share link and the state code (plain functions) keep the same outcome in the state
//! (`sections::cards::on_copy`).

use yew::prelude::*;

use crate::browser;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Copied {
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

/// The copy state of `text` (reset whenever the text changes). On refusal the element `fallback_id` (an input or
/// textarea holding the same text, possibly shown only in the `Refused` state) is selected once it is rendered.
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
    // After the render that shows the fallback field: selecting it before would find nothing.
    use_effect_with(*state == Copied::Refused, move |refused| {
        if *refused {
            browser::select_all(fallback_id);
        }
    });
    let on_copy = {
        let state = state.clone();
        Callback::from(move |_| {
            let state = state.clone();
            let text = text.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match browser::copy_text(&text).await {
                    Ok(()) => {
                        state.set(Copied::Done);
                        let state = state.clone();
                        gloo_timers::callback::Timeout::new(DONE_FOR_MS, move || state.set(Copied::Idle)).forget();
                    }
                    Err(()) => state.set(Copied::Refused),
                }
            });
        })
    };
    let on_dismiss = {
        let state = state.clone();
        Callback::from(move |_| state.set(Copied::Idle))
    };
    UseCopy { state: *state, on_copy, on_dismiss }
}
