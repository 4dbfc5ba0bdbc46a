//! containerd-config-builder, web front end.
//!
//! A thin Yew layer over `ccb-core`: the page holds the project as JSON, and every edit is parsed and handed to
//! [`ccb_core::render`], whose files and diagnostics are shown as they are. Nothing here generates or formats
//! TOML; the core decides every byte of every file.

mod app;
mod components;
mod state;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
