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
use crate::model::{Project, Registry};
use crate::plan;

pub use endpoints::is_go_duration;
pub use names::name_error_message;
pub use paths::{path_problems, PathProblem, INSTALL_ROOT, MAX_PATH_BYTES, NAME_MAX};

pub fn validate(p: &Project) -> Vec<Diagnostic> {
    validate_planned(p, &plan::plan(p))
}

/// [`validate`] with the project's plan already computed (`plan` must be `plan::plan(p)`): the render plans once.
pub fn validate_planned(p: &Project, plan: &plan::Plan) -> Vec<Diagnostic> {
    validate_reusing(p, plan, &Memo::default()).0
}

/// What a validation found per registry (its own fields and endpoints), kept so that the next validation of an
/// edited project takes it over for every registry the edit did not touch (with 500 registries, a keystroke
/// re-checked 500 registries' URLs). Whole-project rules always run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Memo {
    context: Option<endpoints::RegistryContext>,
    registries: Vec<(Registry, Vec<Diagnostic>)>,
}

/// [`validate_planned`], taking over from `before` the diagnostics of each registry that is unchanged, at the same
/// index, in the same context; returns the diagnostics (the same as [`validate_planned`]'s) and the new memo.
pub fn validate_reusing(p: &Project, plan: &plan::Plan, before: &Memo) -> (Vec<Diagnostic>, Memo) {
    let mut out = Vec::new();
    target::check(p, &mut out);
    names::check(p, &mut out);
    let context = endpoints::RegistryContext::of(p);
    let same_context = before.context.as_ref() == Some(&context);
    let mut registries = Vec::with_capacity(p.registries.len());
    for (i, r) in p.registries.iter().enumerate() {
        let found = match before.registries.get(i) {
            Some((was, found)) if same_context && was == r => found.clone(),
            _ => {
                let mut found = Vec::new();
                endpoints::check_registry(p, i, r, &mut found);
                found
            }
        };
        out.extend(found.iter().cloned());
        registries.push((r.clone(), found));
    }
    let memo = Memo { context: Some(context), registries };
    harbor::check(p, &mut out);
    airgap::check(p, &mut out);
    endpoints::check_plan(p, plan, &mut out);
    auth::check(p, plan, &mut out);
    daemon::check(p, &mut out);
    paths::check(p, plan, &mut out);
    (out, memo)
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
