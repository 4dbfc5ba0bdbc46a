//! The "Try an image" box's explain, run by the lazily loaded tools module (`crates/web-tools`): the plan and
//! the host lookup are not in the page's first download.
//!
//! [`explain`] is what the box calls as it renders: the core's grouped explanations (as lines to show) once the
//! module is ready, or where the module is (loading, failed). [`start`] loads it on the box's first focus or
//! keystroke (never at startup), and again after a failure. Natively (the unit tests) the same boundary runs
//! in-process.

use ccb_core::explain::view::Shown;
use ccb_core::explain_result;
use ccb_core::Project;

use super::TOOLS;

/// What the box can show for an image.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// One entry per stretch of the target range where containerd answers alike.
    Groups(Vec<Shown>),
    /// The module is loading (or about to: the load starts with the first focus).
    Loading,
    /// The module could not be loaded (the browser's words); the next keystroke tries again.
    NotLoaded(String),
    /// The module threw, or answered in a form this page cannot read (builds that differ).
    Broken(String),
}

/// `image` explained for every stretch of the project's target range.
pub fn explain(project: &Project, image: &str) -> Answer {
    let request = explain_result::request(project, image);
    #[cfg(not(target_arch = "wasm32"))]
    let answer = Some(Ok::<String, String>(explain_result::answer(&request)));
    #[cfg(target_arch = "wasm32")]
    let answer = super::call(TOOLS, "explain", &[&request]).map(|r| r.and_then(|v| v.as_string().ok_or_else(|| "no text".to_string())));
    match answer {
        Some(Ok(text)) => explain_result::decode(&text).map_or_else(|e| Answer::Broken(e.0), Answer::Groups),
        Some(Err(thrown)) => Answer::Broken(thrown),
        None => match super::status(TOOLS) {
            super::Status::Failed(why) => Answer::NotLoaded(why),
            _ => Answer::Loading,
        },
    }
}

/// Starts loading the tools module unless it is ready or loading; `done` runs when it is ready or failed.
pub fn start(done: impl FnOnce() + 'static) {
    if cfg!(target_arch = "wasm32") && !matches!(super::status(TOOLS), super::Status::Ready(_) | super::Status::Loading) {
        super::load(TOOLS, done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natively_the_explain_runs_through_the_same_boundary() {
        let Answer::Groups(g) = explain(&Project::default(), "nginx") else { panic!("explained") };
        assert_eq!(g[0].reference.as_deref(), Some("docker.io/library/nginx:latest"));
    }
}
