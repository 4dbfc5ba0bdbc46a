//! "Open your files" (import) and "Check my files" (lint), run by the lazily loaded tools module
//! (`crates/web-tools`): the TOML parser, the importers and the archive reader are not in the page's first
//! download.
//!
//! [`run`] loads the module if needed (on the first use of the files box: never at startup) and answers once it
//! is ready; natively (the unit tests) the same boundary runs in-process.

use ccb_core::import_result::{self, Report, Request};

use super::TOOLS;

/// What the files box can show.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Report(Report),
    /// The module could not be loaded (the browser's words); the next try loads it again.
    NotLoaded(String),
    /// The module threw, or answered in a form this page cannot read (builds that differ).
    Broken(String),
}

/// The answer to `request` now, if the module is ready (always natively).
fn answer_now(request: &str) -> Option<Answer> {
    #[cfg(not(target_arch = "wasm32"))]
    let answer = Some(Ok::<String, String>(import_result::answer(request)));
    #[cfg(target_arch = "wasm32")]
    let answer = super::call(TOOLS, "read_files", &[request]).map(|r| r.and_then(|v| v.as_string().ok_or_else(|| "no text".to_string())));
    match answer? {
        Ok(text) => Some(import_result::decode(&text).map_or_else(|e| Answer::Broken(e.0), Answer::Report)),
        Err(thrown) => Some(Answer::Broken(thrown)),
    }
}

/// Runs `request` in the tools module, loading it first when needed; `done` gets the answer.
pub fn run(request: &Request, done: impl FnOnce(Answer) + 'static) {
    let text = import_result::request(request);
    super::answer_when_loaded(TOOLS, move || answer_now(&text), Answer::NotLoaded, done);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccb_core::import_result::{Mode, Source};

    #[test]
    fn natively_the_import_runs_through_the_same_boundary() {
        let got = std::rc::Rc::new(std::cell::RefCell::new(None));
        let put = got.clone();
        let req = Request { mode: Mode::Lint, target: None, hosts_for: "docker.io".into(), sources: vec![Source::Pasted("[host.\"https://m.example.com\"]\n  skip-verify = true\n".into())], assume: Default::default() };
        run(&req, move |a| *put.borrow_mut() = Some(a));
        let Some(Answer::Report(r)) = got.borrow_mut().take() else { panic!("answered at once") };
        assert!(r.findings.iter().any(|f| f.file == "docker.io/hosts.toml" && f.at.map(|a| a.0) == Some(2)), "{:?}", r.findings);
    }
}
