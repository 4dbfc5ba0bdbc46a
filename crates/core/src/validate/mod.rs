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
use std::rc::Rc;

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

/// What a validation found per registry (its name, its own fields and endpoints), kept so that the next
/// validation of an edited project takes it over for every registry the edit did not touch (with 500 registries,
/// a keystroke re-checked 500 registries' names and URLs). Whole-project rules always run. The entries are shared
/// with the memo before: an unchanged registry costs no copy.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Memo {
    context: Option<endpoints::RegistryContext>,
    registries: Vec<Rc<MemoEntry>>,
}

#[derive(Debug, PartialEq)]
struct MemoEntry {
    registry: Registry,
    /// What [`names::check_namespace_at`] found at its upstream.
    name: Vec<Diagnostic>,
    /// What [`endpoints::check_registry`] found.
    found: Vec<Diagnostic>,
}

impl Memo {
    /// The registries the memo was made for, in order.
    pub(crate) fn registries(&self) -> impl ExactSizeIterator<Item = &Registry> {
        self.registries.iter().map(|e| &e.registry)
    }
}

/// [`validate_planned`], taking over from `before` the diagnostics of each registry that is unchanged, at the same
/// index, in the same context; returns the diagnostics (the same as [`validate_planned`]'s) and the new memo.
pub fn validate_reusing(p: &Project, plan: &plan::Plan, before: &Memo) -> (Vec<Diagnostic>, Memo) {
    let mut out = Vec::new();
    target::check(p, &mut out);
    let context = endpoints::RegistryContext::of(p);
    let same_context = before.context.as_ref() == Some(&context);
    // Both what a registry's name and what its fields get depend on the registry and the context only.
    let entries: Vec<Rc<MemoEntry>> = p
        .registries
        .iter()
        .enumerate()
        .map(|(i, r)| match before.registries.get(i) {
            Some(e) if same_context && e.registry == *r => Rc::clone(e),
            _ => {
                let mut name = Vec::new();
                names::check_namespace_at(p, &r.upstream, &format!("registries[{i}].upstream"), &mut name);
                let mut found = Vec::new();
                endpoints::check_registry(p, i, r, &mut found);
                Rc::new(MemoEntry { registry: r.clone(), name, found })
            }
        })
        .collect();
    names::check(p, |i| &entries[i].name, &mut out);
    for e in &entries {
        out.extend(e.found.iter().cloned());
    }
    let memo = Memo { context: Some(context), registries: entries };
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
