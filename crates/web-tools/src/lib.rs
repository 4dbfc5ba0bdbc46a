//! The web page's tools module: what needs the core's planning, validation and parsers beyond the page's first
//! download, in one lazily loaded wasm module (loaded by `src/lazy.rs` on the first paste of a config.toml or the
//! first use of the "Try an image" box or of the files card), so that the core is repeated once, not once per feature. Built by
//! `scripts/build-lazy.sh` during `trunk build`.
//!
//! Each export is one synchronous call of strings once loaded. Nothing here but the bindings: what crosses, and
//! how, is the core's (`ccb_core::merge_result`, `ccb_core::explain_result`, `ccb_core::import_result`,
//! `ccb_core::export_result`, `ccb_core::scripts_result`), tested natively.

use wasm_bindgen::prelude::*;

/// Merges the project (`request`, `ccb_core::merge_result::request`) into the node's config.toml (`node`); the
/// answer never fails to be written: a file that cannot be merged is an answer too.
#[wasm_bindgen]
pub fn merge(request: &str, node: &str) -> String {
    ccb_core::merge_result::answer(request, node)
}

/// What containerd does with the bundle for an image, per stretch of the target range
/// (`ccb_core::explain_result::request` → the grouped explanations).
#[wasm_bindgen]
pub fn explain(request: &str) -> String {
    ccb_core::explain_result::answer(request)
}

/// Imports or lints what the page was given (not named `import`: a word JavaScript keeps for itself) (`ccb_core::import_result::request`: pasted text, files, a folder,
/// a `.tar.gz`) → the files read, the project (import) and the findings at their `line:col`.
#[wasm_bindgen]
pub fn read_files(request: &str) -> String {
    ccb_core::import_result::answer(request)
}

/// The project exported for k3s / RKE2 or Talos (not named `export`: a word JavaScript keeps for itself)
/// (`ccb_core::export_result::request`) → the YAML, the files it names and what the format cannot carry.
#[wasm_bindgen]
pub fn export_to(request: &str) -> String {
    ccb_core::export_result::answer(request)
}

/// install.sh and README.txt of the bundle the page rendered (`ccb_core::scripts_result::request`: the project,
/// the page's merge, the language): their writers are not in the page's first download.
#[wasm_bindgen]
pub fn scripts(request: &str) -> String {
    ccb_core::scripts_result::answer(request)
}
