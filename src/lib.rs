//! containerd-config-builder, web front end: a thin Yew layer over `ccb-core`.
//!
//! Events become actions on a `Reducible` state ([`state`]); the state is rendered as HTML. Every file in the
//! preview comes from `ccb_core::render`; nothing here formats TOML.

pub mod app;
pub mod browser;
pub mod copy;
pub mod fields;
pub mod i18n;
pub mod lazy;
pub mod preview;
pub mod problem_labels;
pub mod sections;
pub mod sharing;
pub mod startup;
pub mod state;
pub mod widgets;

pub use app::App;

/// Mounts the app on `<body>` once its first state is ready: a share link or saved draft inflated by the browser
/// (`startup::initial_state`), so the defaults never show first; a page that opens in Chinese first loads the
/// Chinese texts (`i18n::load_zh`), so that it never shows English for a moment. Should they fail to load, it
/// opens in English and says why.
pub fn start() {
    // The casts the split-off forms make through the main module (see `browser::main_only`).
    browser::main_only::keep();
    wasm_bindgen_futures::spawn_local(async {
        let mut state = startup::initial_state().await;
        if state.lang == ccb_core::Lang::Zh && !i18n::zh_ready() {
            i18n::load_zh(move |loaded| {
                if let Err(why) = loaded {
                    state.lang = ccb_core::Lang::En;
                    state.notice = Some(state::Notice { key: "notice.zh_failed", detail: why, severity: ccb_core::Severity::Warning });
                }
                // In Chinese now (the core's words came with the texts), or in English after the failure.
                state.render_words_again();
                startup::mount(state);
            });
        } else {
            startup::mount(state);
        }
    });
}
