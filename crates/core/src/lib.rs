//! ccb-core: the pure core of containerd-config-builder.
//!
//! Data flow: [`Project`] (the JSON project file) → [`plan::plan`] (Harbor and air-gap expanded into the
//! directories and config settings containerd will read) → [`validate::validate`] (diagnostics with field paths)
//! and [`render::render`] (the [`Rendered`] bundle: every file with its kind and diagnostics, and the facts about
//! it — delivery, restart, verify commands). [`merge::merge`] applies the managed settings to a node's existing
//! config.toml instead of the fragment; [`paths`] names every path. Nothing here touches the network,
//! the file system or web APIs, so the CLI, the web app and the tests all share it.

// `zh!` names its runtime as `::ccb_core::zh`, here as in every other crate.
extern crate self as ccb_core;

pub mod archive;
pub mod base64;
// The core's own DEFLATE and gzip (share links, the bundle's `.tar.gz`, reading a `.tar.gz`): natively and in the
// tools module (feature `deflate`); the page's wasm compresses with the browser's CompressionStream instead.
#[cfg(any(not(target_arch = "wasm32"), feature = "deflate"))]
pub mod deflate;
pub mod diagnostics;
pub mod edit;
pub mod explain;
pub mod explain_result;
pub mod export_result;
pub mod export;
pub mod import;
pub mod import_result;
pub mod json;
pub mod lint;
pub mod load;
pub mod merge;
pub mod merge_result;
pub mod model;
pub mod net;
pub mod paths;
pub mod pem;
pub mod plan;
mod plan_text;
pub mod presets;
pub mod render;
pub mod schema;
pub mod scripts_result;
pub mod secrets;
pub mod share;
pub mod str_index;
pub mod textdiff;
pub mod untar;
pub mod validate;
pub mod version;
pub mod zh;

pub use diagnostics::{Diagnostic, Lang, Message, Severity};
pub use model::Project;
pub use render::{render, render_merged, Delivery, FileKind, Rendered, RenderedFile, Restart};
pub use validate::validate;

/// Generator version written into file headers.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");
