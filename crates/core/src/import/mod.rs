//! Importing a node's own files (`config.toml`, a `certs.d` folder, or an `/etc/containerd` layout) into a
//! [`Project`], with a report of everything taken over, everything that cannot be expressed and every problem,
//! each at its file and `line:col`.
//!
//! Pure: the caller reads the files and hands over `(path, bytes)` pairs, the path relative to the layout's root
//! (`config.toml`, `certs.d/docker.io/hosts.toml`, or `docker.io/hosts.toml` for a bare certs.d folder). The
//! legacy settings of config.toml go through the merge's own migration ([`crate::merge::absorb`]); the project
//! is then checked by the project's validation, each diagnostic shown at the place in the files it came from.
//! [`crate::lint`] is the same reading, for a given target, without the project.

mod certs_d;
mod config_file;
pub mod formats;
pub mod hosts_file;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Message, Severity};
use crate::merge::LineCol;
use crate::model::{Project, Target};

/// One line of the import report or of the lint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Path of the file (as given) the finding is about; empty for the project as a whole.
    pub file: String,
    /// 1-based line and column in that file (columns count characters); `None` for the file as a whole.
    pub at: LineCol,
    pub severity: Severity,
    pub code: &'static str,
    pub message: Message,
}

impl Finding {
    pub fn new(file: &str, at: LineCol, d: Diagnostic) -> Finding {
        Finding { file: file.to_string(), at, severity: d.severity, code: d.code, message: d.message }
    }

    /// `file:line:col: severity[code] message`, as compilers print it.
    pub fn to_line(&self, lang: crate::Lang) -> String {
        let place = match (self.file.is_empty(), self.at) {
            (true, _) => String::new(),
            (false, Some((l, c))) => format!("{}:{l}:{c}: ", crate::diagnostics::one_line(&self.file)),
            (false, None) => format!("{}: ", crate::diagnostics::one_line(&self.file)),
        };
        format!("{place}{}[{}] {}", self.severity.as_str(), self.code, self.message.get(lang))
    }
}

pub struct Imported {
    pub project: Project,
    pub report: Vec<Finding>,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The releases the files are read for; `None`: from config.toml's version (2: 1.7.0–2.3.x, 3: 2.0.0–2.3.x,
    /// 4: 2.3.0–2.3.x), else the project's default range.
    pub target: Option<Target>,
    /// The files' format; `None`: recognised per file by name or content ([`formats::detect`]).
    pub format: Option<formats::Format>,
    /// What k3s / Docker decide outside their files, where the user said it.
    pub assume: formats::Assumptions,
}

/// Where in the files a part of the project came from: a diagnostic about `path` (or below it) is shown there.
pub(crate) struct Origins {
    entries: Vec<(String, String, LineCol)>,
}

impl Origins {
    pub(crate) fn add(&mut self, path: impl Into<String>, file: &str, at: LineCol) {
        self.entries.push((path.into(), file.to_string(), at));
    }
    /// The place of the longest recorded path that `d` is about.
    fn place(&self, d: &Diagnostic) -> Option<(&str, LineCol)> {
        self.entries
            .iter()
            .filter(|(p, _, _)| d.is_under(p))
            .max_by_key(|(p, _, _)| p.len())
            .map(|(_, f, at)| (f.as_str(), *at))
    }
}

/// What the import of one layout collects.
pub(crate) struct Work<'a> {
    pub project: Project,
    pub report: Vec<Finding>,
    pub origins: Origins,
    pub files: &'a [(String, Vec<u8>)],
}

impl Work<'_> {
    pub(crate) fn say(&mut self, file: &str, at: LineCol, d: Diagnostic) {
        self.report.push(Finding::new(file, at, d));
    }
    pub(crate) fn file(&self, path: &str) -> Option<&[u8]> {
        self.files.iter().find(|(p, _)| p == path).map(|(_, b)| b.as_slice())
    }
}

/// Whether `path` (relative to the layout's root) is a config.toml: a `.toml` file at the root that is not a
/// hosts.toml.
fn is_config(path: &str) -> bool {
    !path.contains('/') && path.ends_with(".toml") && path != "hosts.toml"
}

/// Imports the files of one layout (paths are unique: of a path given twice, the first counts).
/// The format [`import`] reads `files` in: `Options::format`, else the one every file is recognised as
/// ([`formats::detect`]), else containerd's.
pub fn format_of(files: &[(String, Vec<u8>)], options: &Options) -> formats::Format {
    options.format.unwrap_or_else(|| {
        let mut found = files.iter().map(|(p, b)| formats::detect(p, b));
        match found.next() {
            Some(first) if found.all(|f| f == first) => first,
            _ => formats::Format::Containerd,
        }
    })
}

pub fn import(files: &[(String, Vec<u8>)], options: &Options) -> Imported {
    let mut unique: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.len());
    for (p, b) in files {
        if !unique.iter().any(|(q, _)| q == p) {
            unique.push((p.clone(), b.clone()));
        }
    }
    let files = unique.as_slice();
    let format = format_of(files, options);
    if format != formats::Format::Containerd {
        return import_foreign(files, format, options);
    }
    let configs: Vec<&(String, Vec<u8>)> = files.iter().filter(|(p, _)| is_config(p)).collect();
    let texts: Vec<(String, Option<String>)> =
        configs.iter().map(|(p, b)| (p.clone(), String::from_utf8(b.clone()).ok())).collect();
    let target = options.target.clone().unwrap_or_else(|| {
        texts.iter().find_map(|(_, t)| t.as_deref().and_then(config_file::version_of)).map(target_for_version).unwrap_or_default()
    });
    let project = Project { target, ..Default::default() };
    let mut w = Work { project, report: Vec::new(), origins: Origins { entries: Vec::new() }, files };
    let config_path = texts.iter().find_map(|(_, t)| t.as_deref().and_then(config_file::config_path_of));
    certs_d::import_dirs(&mut w, config_path.as_deref());
    for (path, text) in &texts {
        match text {
            Some(t) => config_file::import(&mut w, path, t),
            None => w.say(
                path,
                None,
                Diagnostic::error("", "I0-not-utf8", "This file is not UTF-8 text, so it is not TOML: containerd refuses to start with it.", "此文件不是 UTF-8 文本，因而不是 TOML：containerd 会因此无法启动。"),
            ),
        }
    }
    let validation = crate::validate(&w.project);
    for d in validation {
        let (file, at) = w.origins.place(&d).map(|(f, at)| (f.to_string(), at)).unwrap_or_default();
        w.report.push(Finding::new(&file, at, d));
    }
    Imported { project: w.project, report: w.report }
}

/// Files of k3s, Talos or Docker: each read by its tool's rules, the project then validated for the containerd
/// those tools ship (2.x for k3s and Talos; Docker's own: the default range), unless a target is given.
fn import_foreign(files: &[(String, Vec<u8>)], format: formats::Format, options: &Options) -> Imported {
    use crate::version::{DEFAULT_MAX_2X, DEFAULT_MIN_2X};
    let target = options.target.clone().unwrap_or_else(|| match format {
        formats::Format::K3s | formats::Format::Talos => Target { min: DEFAULT_MIN_2X, max: DEFAULT_MAX_2X },
        _ => Target::default(),
    });
    let project = Project { target, ..Default::default() };
    let mut w = Work { project, report: Vec::new(), origins: Origins { entries: Vec::new() }, files };
    formats::import(&mut w, format, &options.assume);
    for d in crate::validate(&w.project) {
        let (file, at) = w.origins.place(&d).map(|(f, at)| (f.to_string(), at)).unwrap_or_default();
        w.report.push(Finding::new(&file, at, d));
    }
    Imported { project: w.project, report: w.report }
}

/// The range a config file of this version runs on (a version 1 or 2 file: the default range).
fn target_for_version(version: i64) -> Target {
    use crate::version::{ContainerdVersion, DEFAULT_MAX_2X};
    match version {
        3 => Target { min: ContainerdVersion::new(2, 0, 0), max: DEFAULT_MAX_2X },
        4 => Target { min: ContainerdVersion::new(2, 3, 0), max: DEFAULT_MAX_2X },
        _ => Target::default(),
    }
}

/// Codes of the report that say what was taken over into the project: not problems, so not part of a lint.
pub(crate) const TAKEN_OVER: [&str; 6] =
    ["I20-taken-over", "M6-mirrors-replaced", "M7-mirrors-migrated", "M9-legacy-tls-migrated", "M8-legacy-tls-dropped", "C3-config-path-removed"];

/// Counts of errors and warnings, for exit codes.
pub fn counts(report: &[Finding]) -> (usize, usize) {
    let errors = report.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = report.iter().filter(|f| f.severity == Severity::Warning).count();
    (errors, warnings)
}
