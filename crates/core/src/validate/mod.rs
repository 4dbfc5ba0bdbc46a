//! `validate(&Project) -> Vec<Diagnostic>`: the spec's §0.1 and §7 rules, one file per concern.
//!
//! Rules run on the project as the user wrote it (so each diagnostic points at a field they can edit) and, where
//! the effect only shows after Harbor / air-gap expansion, on the plan (whose items carry their origin path).

mod airgap;
mod auth;
mod daemon;
mod endpoints;
mod harbor;
mod names;
mod paths;
mod target;

use crate::diagnostics::Diagnostic;
use crate::model::Project;
use crate::plan;

pub use names::name_error_message;
pub use paths::{path_problems, PathProblem, INSTALL_ROOT, MAX_PATH_BYTES, NAME_MAX};

pub fn validate(p: &Project) -> Vec<Diagnostic> {
    validate_planned(p, &plan::plan(p))
}

/// [`validate`] with the project's plan already computed (`plan` must be `plan::plan(p)`): the render plans once.
pub fn validate_planned(p: &Project, plan: &plan::Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    target::check(p, &mut out);
    names::check(p, &mut out);
    endpoints::check(p, &mut out);
    harbor::check(p, &mut out);
    airgap::check(p, &mut out);
    endpoints::check_plan(p, plan, &mut out);
    auth::check(p, plan, &mut out);
    daemon::check(p, &mut out);
    paths::check(p, plan, &mut out);
    out
}

#[cfg(test)]
pub(crate) mod test_util {
    use crate::diagnostics::{Diagnostic, Severity};

    /// Finds the diagnostic with `code` at `path`, or fails listing what there was.
    pub fn find<'a>(d: &'a [Diagnostic], code: &str, path: &str) -> &'a Diagnostic {
        d.iter().find(|x| x.code == code && x.path == path).unwrap_or_else(|| {
            panic!("no {code} at {path}; got: {:#?}", d.iter().map(|x| (x.code, x.path.as_str())).collect::<Vec<_>>())
        })
    }

    pub fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
        d.iter().map(|x| x.code).collect()
    }

    pub fn errors(d: &[Diagnostic]) -> Vec<(&'static str, String)> {
        d.iter().filter(|x| x.severity == Severity::Error).map(|x| (x.code, x.path.clone())).collect()
    }
}
