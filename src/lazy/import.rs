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

/// What the tools module answered a call of one of its functions: its text, or why there is none.
pub(super) enum Reply {
    Text(String),
    /// The module could not be loaded (the browser's words).
    NotLoaded(String),
    /// The module threw.
    Thrown(String),
}

/// The tools module's answer to `function(request)` now, if the module is ready (always natively).
fn reply_now(function: &'static str, request: &str) -> Option<Reply> {
    #[cfg(not(target_arch = "wasm32"))]
    let answer = Some(Ok::<String, String>(match function {
        "read_files" => import_result::answer(request),
        _ => ccb_core::export_result::answer(request),
    }));
    #[cfg(target_arch = "wasm32")]
    let answer = super::call(TOOLS, function, &[request]).map(|r| r.and_then(|v| v.as_string().ok_or_else(|| "no text".to_string())));
    Some(match answer? {
        Ok(text) => Reply::Text(text),
        Err(thrown) => Reply::Thrown(thrown),
    })
}

/// Calls `function(request)` in the tools module, loading it first when needed; `done` gets the reply. The
/// import and the export (`lazy::export`) both come through here, so the page's wasm holds one copy of the
/// waiting for the module, not one per feature.
pub(super) fn call_tools(function: &'static str, request: String, done: Box<dyn FnOnce(Reply)>) {
    super::answer_when_loaded(TOOLS, move || reply_now(function, &request), Reply::NotLoaded, done);
}

/// Runs `request` in the tools module, loading it first when needed; `done` gets the answer.
pub fn run(request: &Request, done: impl FnOnce(Answer) + 'static) {
    call_tools("read_files", import_result::request(request), Box::new(move |reply| {
        done(match reply {
            Reply::Text(text) => import_result::decode(&text).map_or_else(|e| Answer::Broken(e.0), Answer::Report),
            Reply::NotLoaded(why) => Answer::NotLoaded(why),
            Reply::Thrown(why) => Answer::Broken(why),
        })
    }));
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
