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
pub mod startup;
pub mod state;
pub mod widgets;

pub use app::App;

/// Mounts the app on `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
