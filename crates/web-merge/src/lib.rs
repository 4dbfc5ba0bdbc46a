//! The web page's merge module: the TOML parser, the merge and SHA-256, kept out of the page's first download and
//! loaded (by `src/lazy.rs`) when a config.toml is pasted. Built by `scripts/build-lazy.sh` during `trunk build`.
//!
//! One call, synchronous once loaded: the page sends the project (`ccb_core::merge_result::request`) and the pasted
//! file, and gets the merge's result in the text form `ccb_core::merge_result::decode` reads. Nothing here but the
//! binding: what crosses, and how, is `ccb_core::merge_result`'s, tested natively.

use wasm_bindgen::prelude::*;

/// Merges the project (`request`) into the node's config.toml (`node`); the answer never fails to be written: a
/// file that cannot be merged is an answer too.
#[wasm_bindgen]
pub fn merge(request: &str, node: &str) -> String {
    ccb_core::merge_result::answer(request, node)
}
