//! Lint of an `/etc/containerd` layout (config.toml and certs.d) as containerd reads it, for every release of a
//! target range: the importer's reading ([`crate::import`]) with the same rules and messages, and the project's
//! validation of what was read, without the lines that only say what was taken over.

use crate::import::{import, Finding, Options, TAKEN_OVER};
use crate::model::Target;

/// The problems of the layout `files` (paths relative to its root, as for [`import`]) on the releases of `target`.
pub fn lint(files: &[(String, Vec<u8>)], target: &Target) -> Vec<Finding> {
    let imported = import(files, &Options { target: Some(target.clone()), format: Some(crate::import::formats::Format::Containerd), ..Default::default() });
    imported.report.into_iter().filter(|f| !TAKEN_OVER.contains(&f.code) && f.code != "I19-not-expressible").collect()
}
