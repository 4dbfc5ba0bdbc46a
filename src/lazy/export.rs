//! The k3s / RKE2 and Talos downloads, exported by the lazily loaded tools module (`crates/web-tools`): the export
//! writes YAML with saphyr, which is not in the page's first download.
//!
//! [`run`] loads the module if needed (on the first press of an export button: never at startup) and answers once
//! it is ready; natively (the unit tests) the same boundary runs in-process.

use ccb_core::export::{Export, Format};
use ccb_core::export_result;
use ccb_core::Project;

use super::import::Reply;

/// What the export card can show.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Exported(Export),
    /// The module could not be loaded (the browser's words); the next try loads it again.
    NotLoaded(String),
    /// The module threw, or answered in a form this page cannot read (builds that differ).
    Broken(String),
}

/// Exports `p` to `format` in the tools module, loading it first when needed; `done` gets the answer.
pub fn run(p: &Project, format: Format, done: impl FnOnce(Answer) + 'static) {
    super::import::call_tools("export_to", export_result::request(p, format), Box::new(move |reply| {
        done(match reply {
            Reply::Text(text) => export_result::decode(&text).map_or_else(|e| Answer::Broken(e.0), Answer::Exported),
            Reply::NotLoaded(why) => Answer::NotLoaded(why),
            Reply::Thrown(why) => Answer::Broken(why),
        })
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natively_the_export_runs_through_the_same_boundary() {
        let got = std::rc::Rc::new(std::cell::RefCell::new(None));
        let put = got.clone();
        let p = ccb_core::load::project_from_json(r#"{"registries":[{"upstream":"docker.io","endpoints":[{"url":"https://mirror.example.com"}]}]}"#).unwrap();
        run(&p, Format::K3s, move |a| *put.borrow_mut() = Some(a));
        let Some(Answer::Exported(e)) = got.borrow_mut().take() else { panic!("answered at once") };
        assert_eq!(e, ccb_core::export::export(&p, Format::K3s));
        assert!(e.yaml.contains("https://mirror.example.com"), "{}", e.yaml);
    }
}
