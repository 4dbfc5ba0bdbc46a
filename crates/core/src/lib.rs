//! ccb-core: the pure core of containerd-config-builder.
//!
//! Data flow: [`Project`] (the JSON project file) → [`plan::plan`] (Harbor and air-gap expanded into the
//! directories and config settings containerd will read) → [`validate::validate`] (diagnostics with field paths)
//! and [`render::render`] (the [`Bundle`]: every file, each with its diagnostics). [`merge::merge`] applies the
//! managed settings to a node's existing config.toml instead of the fragment. Nothing here touches the network,
//! the file system or web APIs, so the CLI, the web app and the tests all share it.

pub mod archive;
pub mod diagnostics;
pub mod load;
pub mod merge;
pub mod model;
pub mod net;
pub mod pem;
pub mod plan;
pub mod presets;
pub mod render;
pub mod schema;
pub mod secrets;
pub mod share;
pub mod textdiff;
pub mod validate;
pub mod version;

pub use diagnostics::{Diagnostic, Lang, Message, Severity};
pub use model::Project;
pub use render::{render, render_merged, Bundle, Rendered, RenderedFile};
pub use validate::validate;

/// Generator version written into file headers.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");
