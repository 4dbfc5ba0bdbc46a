//! Copy to the clipboard, with the fallback every caller needs: when the browser refuses (file://, an iframe
//! without `allow="clipboard-write"`, no permission), the text is selected in its field for Ctrl+C.

use yew::prelude::*;

use crate::browser;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Copied {
    Idle,
    Done,
    /// The clipboard refused: the text is selected in the field, the user presses Ctrl+C.
    Refused,
}

/// The copy state of `text` (reset whenever the text changes) and the click handler that copies it; on refusal
/// the element `fallback_id` (an input or textarea holding the same text) is selected.
#[hook]
pub fn use_copy(text: String, fallback_id: &'static str) -> (Copied, Callback<MouseEvent>) {
    let state = use_state(|| Copied::Idle);
    {
        let state = state.clone();
        use_effect_with(text.clone(), move |_| {
            if *state != Copied::Idle {
                state.set(Copied::Idle);
            }
        });
    }
    let on_copy = {
        let state = state.clone();
        Callback::from(move |_| {
            let state = state.clone();
            let text = text.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match browser::copy_text(&text).await {
                    Ok(()) => state.set(Copied::Done),
                    Err(()) => {
                        state.set(Copied::Refused);
                        browser::select_all(fallback_id);
                    }
                }
            });
        })
    };
    (*state, on_copy)
}
