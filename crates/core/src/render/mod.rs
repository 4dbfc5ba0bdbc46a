//! Project → [`Rendered`]: every file to install, each with its [`FileKind`] and the diagnostics that concern it,
//! plus the facts a shell shows about the bundle (how config.toml is delivered, whether containerd must restart,
//! how to verify), so that no shell re-derives them from file names.
//!
//! The bundle is always complete — the preview must never go blank while the user types — and only
//! [`Rendered::installable`] (zero errors) says whether it may be downloaded or installed.

pub mod catalogue;
pub mod config_toml;
pub mod hosts_toml;
// install.sh and README.txt: not in the page's wasm, which asks the tools module for them (`scripts_result`).
#[cfg(any(not(target_arch = "wasm32"), feature = "scripts"))]
pub mod install_sh;
#[cfg(any(not(target_arch = "wasm32"), feature = "scripts"))]
pub mod readme;
pub mod scripts_input;
pub mod text;

use crate::str_index::StrMap;
use std::rc::Rc;

use serde::Serialize;
use toml_edit::DocumentMut;

use crate::diagnostics::{has_errors, Diagnostic, Lang};
use crate::merge_result::{self, MergeResult};
use crate::model::{OutputStyle, Project, CERTS_D};
use crate::net;
use crate::paths;
use crate::plan::{self, Plan};
use crate::validate;
use crate::GENERATOR_VERSION;

pub use scripts_input::ScriptsInput;
pub use text::Text;

pub const FRAGMENT_PATH: &str = paths::CONFIG_FRAGMENT;
pub const DROP_IN_PATH: &str = paths::DROP_IN;
pub const PROJECT_PATH: &str = paths::PROJECT_JSON;
/// The command that restarts containerd on a systemd node.
pub const RESTART_COMMAND: &str = "sudo systemctl restart containerd";
/// How install.sh is run on the node, as root: first to show what it would change, then to install.
pub const INSTALL_DRY_RUN_COMMAND: &str = "sudo sh install.sh --dry-run";
pub const INSTALL_COMMAND: &str = "sudo sh install.sh";
/// Shows whether the node's containerd reads certs.d (hosts-dir style).
pub const CONFIG_PATH_CHECK_COMMAND: &str = "containerd config dump | grep config_path";

/// What a file of the bundle is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// The managed settings, to merge into config.toml by hand; never installed.
    ConfigFragment,
    /// The managed settings as a containerd 2.x drop-in in conf.d/.
    DropIn,
    /// The node's config.toml with the managed settings merged in.
    MergedConfig,
    /// `certs.d/<namespace>/hosts.toml`.
    HostsToml,
    /// A pasted CA certificate shipped next to its hosts.toml.
    Certificate,
    InstallScript,
    Readme,
    /// The project (secrets left out); never installed.
    ProjectJson,
}

impl FileKind {
    /// One of the three forms of config.toml settings.
    pub fn is_config(self) -> bool {
        matches!(self, FileKind::ConfigFragment | FileKind::DropIn | FileKind::MergedConfig)
    }
    /// Holds TOML (the preview colours it as such).
    pub fn is_toml(self) -> bool {
        self.is_config() || self == FileKind::HostsToml
    }
}

/// How the bundle delivers the config.toml settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// A fragment the user merges by hand (install.sh leaves config.toml alone).
    Fragment,
    /// A containerd 2.x drop-in that install.sh installs into conf.d/.
    DropIn,
    /// The node's config.toml, merged; install.sh replaces it only if unchanged since.
    Merged,
}

/// Whether containerd must restart after install.sh: it reads hosts.toml on every pull, config.toml only at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Restart {
    /// Nothing of config.toml changes (the merged file equals the node's).
    NotNeeded,
    /// install.sh changes config.toml (merged file) or installs the drop-in.
    AfterInstall,
    /// After the fragment is merged into config.toml by hand.
    AfterManualMerge,
}

/// What the bundle does with config.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigDelivery {
    /// The node's file merged; install only over a file with this SHA-256. `merged_sha256` is the merged file's
    /// (computed with the merge, so that rendering a bundle needs no SHA-256 of its own).
    Merged { original_sha256: String, merged_sha256: String },
    /// A fragment the user merges by hand (or with `--merge-into`); the script leaves config.toml alone.
    Fragment { path: String },
    /// A drop-in for `/etc/containerd/conf.d/` (2.x-only targets).
    DropIn { path: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenderedFile {
    pub path: String,
    pub kind: FileKind,
    pub content: Text,
    pub diagnostics: Vec<Diagnostic>,
    /// Unix mode to install with: 0600 for files holding credentials (and 0700 for an install.sh embedding them).
    pub mode: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rendered {
    pub files: Vec<RenderedFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// No errors: the bundle may be downloaded and installed.
    pub installable: bool,
    pub delivery: Delivery,
    pub restart: Restart,
    /// How to check the result on the node: `crictl pull …`, then (hosts-dir style) `ctr … --hosts-dir …`.
    pub verify_commands: Vec<String>,
    /// Hosts-dir style: the command showing that containerd reads certs.d ([`CONFIG_PATH_CHECK_COMMAND`]).
    pub config_path_check: Option<&'static str>,
    /// The plan the files were written from (of the project with the node file's registries migrated in).
    #[serde(skip)]
    pub plan: Plan,
    /// The header and language the files were written with: [`render_again`] takes a hosts.toml over from this
    /// bundle only when both are the same.
    #[serde(skip)]
    written_with: (String, Lang),
    /// What install.sh and README.txt are written from (the page sends it to the tools module); its try orders
    /// are taken over by [`render_again`] like the hosts.toml files.
    #[serde(skip)]
    pub scripts: Rc<ScriptsInput>,
    /// The project's per-registry diagnostics, taken over by [`render_again`] like the hosts.toml files.
    #[serde(skip)]
    validation: validate::Memo,
    /// When `plan` is the project's own plan (no merge changed it): what it was planned in, so that
    /// [`render_again`] can take it over ([`plan::plan_again`]).
    #[serde(skip)]
    planned_in: Option<plan::PlanContext>,
}

impl Rendered {
    pub fn file(&self, path: &str) -> Option<&RenderedFile> {
        self.files.iter().find(|f| f.path == path)
    }
    /// The first file of `kind`.
    pub fn file_of(&self, kind: FileKind) -> Option<&RenderedFile> {
        self.files.iter().find(|f| f.kind == kind)
    }
    /// The file holding the config.toml settings (merged config.toml, drop-in or fragment).
    pub fn config_file(&self) -> Option<&RenderedFile> {
        let kind = match self.delivery {
            Delivery::Merged => FileKind::MergedConfig,
            Delivery::DropIn => FileKind::DropIn,
            Delivery::Fragment => FileKind::ConfigFragment,
        };
        self.file_of(kind)
    }
}

/// The first line of every generated file; `config_version` is the one config.toml has (the node's own after a merge).
pub fn header(p: &Project, config_version: u32, lang: Lang) -> String {
    catalogue::text_with(
        lang,
        "header",
        &[
            ("version", GENERATOR_VERSION),
            ("target", &p.target.describe()),
            ("config_version", &config_version.to_string()),
        ],
    )
}

/// Renders the bundle without a node's config.toml: config settings go into a fragment or drop-in.
pub fn render(p: &Project) -> Rendered {
    render_in(p, Lang::En)
}

/// [`render`] with the generated files' words (README.txt, install.sh's messages, comments) in `lang`.
pub fn render_in(p: &Project, lang: Lang) -> Rendered {
    render_inner(p, None, lang, None)
}

/// Renders the bundle with `existing` (the node's config.toml) merged: the bundle's `config.toml` is that file
/// with only the managed settings changed.
pub fn render_merged(p: &Project, existing: &str) -> Rendered {
    render_merged_in(p, existing, Lang::En)
}

/// [`render_merged`] with the generated files' words in `lang`.
pub fn render_merged_in(p: &Project, existing: &str, lang: Lang) -> Rendered {
    let merge = |plan: &Plan, diagnostics: &[Diagnostic]| merge_result::merge_planned(p, plan, existing, diagnostics);
    render_inner(p, Some(&merge), lang, None)
}

/// The bundle with the node's config.toml merged by `merge_by` — given the project's plan and diagnostics, as this
/// render made them — and, with `previous`, written as [`render_again`] does: the web page's path, whose merge runs
/// in its tools module (`merge_result::request`, which carries that plan across: the project is planned once).
/// This path has neither the TOML parser nor the merge.
pub fn render_merging_in(p: &Project, merge_by: &dyn Fn(&Plan, &[Diagnostic]) -> MergeResult, lang: Lang, previous: Option<&Rendered>) -> Rendered {
    render_inner(p, Some(&|plan: &Plan, diagnostics: &[Diagnostic]| (merge_by(plan, diagnostics), None)), lang, previous)
}

/// The same bundle as [`render_in`], written faster after a small edit (with a node's file merged:
/// [`render_merging_in`] given `previous`): each hosts.toml whose directory is planned exactly as in `previous`, and
/// each registry's own diagnostics when the registry is unchanged, are taken over instead of worked out again
/// (typing into one of 500 registries rewrote 500 files per keystroke). The result equals a full render.
pub fn render_again(p: &Project, lang: Lang, previous: &Rendered) -> Rendered {
    render_inner(p, None, lang, Some(previous))
}

/// The merge step of a render: given the project's plan and diagnostics, the merge's result and, when it ran in
/// this process and migrated registries, the effective project's plan. A function rather than the node's text,
/// so that only callers that merge here (the CLI, tests, the merge module) link the TOML parser.
type MergeStep<'a> = &'a dyn Fn(&Plan, &[Diagnostic]) -> (MergeResult, Option<Plan>);

/// The config file from the merge, when a node's file was given and could be read.
struct MergedConfig {
    content: String,
    original_sha256: String,
    merged_sha256: String,
    /// The node's file held credentials of its own.
    node_credentials: bool,
    unchanged: bool,
}

/// The hosts.toml files of an earlier render that a new one may take over: those of `previous` when it was written
/// with the same header and language. Looked up by position first (an edit seldom moves a directory), by
/// namespace only after a directory was added, removed or moved.
struct ReusableHosts<'a> {
    /// (directory, hosts.toml, try order), in plan order.
    by_position: Vec<Reusable<'a>>,
    by_namespace: Option<StrMap<'a>>,
}

/// A directory's files as an earlier render wrote them.
struct Reusable<'a> {
    dir: &'a plan::HostsDir,
    content: &'a Text,
    try_order: &'a Vec<String>,
}

impl<'a> ReusableHosts<'a> {
    fn of(previous: Option<&'a Rendered>, head: &str, lang: Lang) -> ReusableHosts<'a> {
        let mut by_position = Vec::new();
        if let Some(r) = previous.filter(|r| r.written_with.0 == head && r.written_with.1 == lang) {
            // The hosts.toml files are written in plan order, one per directory, as are the try orders.
            let contents = r.files.iter().filter(|f| f.kind == FileKind::HostsToml).map(|f| &f.content);
            if r.plan.dirs.len() == r.scripts.try_orders.len() {
                by_position = r
                    .plan
                    .dirs
                    .iter()
                    .zip(contents)
                    .zip(r.scripts.try_orders.iter())
                    .map(|((dir, content), (_, try_order))| Reusable { dir, content, try_order })
                    .collect();
            }
        }
        ReusableHosts { by_position, by_namespace: None }
    }

    /// What was written for the directory now at position `k`, if it is planned exactly as `d` was.
    fn get(&mut self, k: usize, d: &plan::HostsDir) -> Option<&Reusable<'a>> {
        if self.by_position.get(k).is_some_and(|r| r.dir == d) {
            return self.by_position.get(k);
        }
        let by_position = &self.by_position;
        let index = self.by_namespace.get_or_insert_with(|| by_position.iter().enumerate().map(|(i, r)| (r.dir.namespace.as_str(), i)).collect());
        index.get(d.namespace.as_str()).map(|&i| &self.by_position[i]).filter(|r| r.dir == d)
    }
}

/// The plan of `p` taken over from `previous` when that was planned in the same context for the same registries
/// but at most one (edited in place): the plan itself, or [`plan::plan_again`] for the edited registry.
fn plan_taken_over(p: &Project, previous: &Rendered) -> Option<Plan> {
    if !previous.planned_in.as_ref()?.matches(p) {
        return None;
    }
    let was = previous.validation.registries();
    if was.len() != p.registries.len() {
        return None;
    }
    let mut changed = p.registries.iter().zip(was).enumerate().filter(|(_, (r, w))| r != w);
    match (changed.next(), changed.next()) {
        (None, _) => Some(previous.plan.clone()),
        (Some((i, (_, was))), None) => plan::plan_again(p, &previous.plan, i, was),
        _ => None,
    }
}

fn render_inner(p: &Project, merge: Option<MergeStep>, lang: Lang, previous: Option<&Rendered>) -> Rendered {
    // Planned once: validation, the merge and every writer read this plan (or, when the merge migrated
    // registries out of the node's file, the plan of that effective project).
    let user_plan = previous.and_then(|r| plan_taken_over(p, r)).unwrap_or_else(|| plan::plan(p));
    let no_memo = validate::Memo::default();
    let (mut diagnostics, validation) = validate::validate_reusing(p, &user_plan, previous.map_or(&no_memo, |r| &r.validation));

    // With a node's file: legacy mirrors / TLS in it become hosts.toml entries of the effective project, which is
    // validated too (what will actually be written), its diagnostics pointing at the node file's lines.
    let mut effective: Option<Project> = None;
    let mut plan = None;
    let mut merged: Option<MergedConfig> = None;
    match merge.map(|step| step(&user_plan, &diagnostics)) {
        Some((MergeResult::Merged(m), effective_plan)) => {
            diagnostics.extend(m.diagnostics);
            merged = Some(MergedConfig {
                content: m.content,
                original_sha256: m.original_sha256,
                merged_sha256: m.merged_sha256,
                node_credentials: m.has_credentials,
                unchanged: m.unchanged,
            });
            let mut planned = if m.added_registries.is_empty() {
                user_plan.clone()
            } else {
                let mut e = p.clone();
                e.registries.extend(m.added_registries);
                let planned = effective_plan.unwrap_or_else(|| plan::plan(&e));
                effective = Some(e);
                planned
            };
            // The merged file keeps the node's version (a version 3 file on a 2.3+-only target stays 3): say that one.
            planned.config_version = m.config_version;
            plan = Some(planned);
        }
        Some((MergeResult::Refused(d), _)) => diagnostics.push(d),
        None => {}
    }
    let planned_in = plan.is_none().then(|| plan::PlanContext::of(p));
    let plan = plan.unwrap_or(user_plan);
    let effective = effective.as_ref().unwrap_or(p);
    let head = header(p, plan.config_version, lang);

    let mut files: Vec<RenderedFile> = Vec::new();
    // Indexed once: matching every diagnostic against every file's origins was quadratic (10,000 half-filled
    // registries, each with a diagnostic, took 10 s).
    let index = DiagIndex::new(&diagnostics);
    let config_diags = index.attach(&config_origins(&plan));
    // The mode follows the content of the file written: a merged file keeps the node's own credentials even when
    // the project has none.
    let has_credentials = merged.as_ref().is_some_and(|m| m.node_credentials) || config_toml::writes_credentials(p);
    let config_mode = if has_credentials { 0o600 } else { 0o644 };
    let mut merged_unchanged = false;
    let config = match merged {
        Some(m) => {
            let content = newline_ended(m.content);
            merged_unchanged = m.unchanged;
            files.push(RenderedFile {
                path: paths::CONFIG_TOML.into(),
                kind: FileKind::MergedConfig,
                content,
                diagnostics: config_diags.clone(),
                mode: config_mode,
            });
            ConfigDelivery::Merged { original_sha256: m.original_sha256, merged_sha256: m.merged_sha256 }
        }
        None => {
            // Always the fragment (to merge by hand, or with --merge-into); for 2.x-only targets also the same
            // settings as a drop-in, which containerd 2.x merges deeply (1.x would replace the CRI section).
            let v = p.target.config_version() as i64;
            let fragment_note = catalogue::text(lang, "config.fragment_note");
            files.push(RenderedFile {
                path: FRAGMENT_PATH.into(),
                kind: FileKind::ConfigFragment,
                content: newline_ended(settings_file(effective, &plan, v, &format!("{head}\n{fragment_note}"))),
                diagnostics: config_diags.clone(),
                mode: config_mode,
            });
            if v >= 3 {
                let note = catalogue::text(lang, "config.drop_in_note");
                files.push(RenderedFile {
                    path: DROP_IN_PATH.into(),
                    kind: FileKind::DropIn,
                    content: newline_ended(settings_file(effective, &plan, v, &format!("{head}\n{note}"))),
                    diagnostics: config_diags.clone(),
                    mode: config_mode,
                });
                ConfigDelivery::DropIn { path: DROP_IN_PATH.to_string() }
            } else {
                ConfigDelivery::Fragment { path: FRAGMENT_PATH.to_string() }
            }
        }
    };
    let (delivery, restart) = match &config {
        ConfigDelivery::Merged { .. } if merged_unchanged => (Delivery::Merged, Restart::NotNeeded),
        ConfigDelivery::Merged { .. } => (Delivery::Merged, Restart::AfterInstall),
        ConfigDelivery::DropIn { .. } => (Delivery::DropIn, Restart::AfterInstall),
        ConfigDelivery::Fragment { .. } => (Delivery::Fragment, Restart::AfterManualMerge),
    };

    let mut try_orders = Vec::new();
    let mut reusable = ReusableHosts::of(previous, &head, lang);
    for (k, d) in plan.dirs.iter().enumerate() {
        let mut origins = vec![d.origin.clone(), "target".to_string(), "output".to_string()];
        origins.extend(d.hosts.iter().map(|h| h.origin.clone()));
        origins.extend(d.server.iter().map(|h| h.origin.clone()));
        // Planned exactly as before: the same file (and try order) as before.
        let (content, try_order) = match reusable.get(k, d) {
            Some(r) => (r.content.clone(), r.try_order.clone()),
            None => (newline_ended(hosts_toml::hosts_toml(d, &head, lang)), hosts_toml::try_order(d, lang)),
        };
        files.push(RenderedFile {
            path: paths::hosts_toml(&d.namespace),
            kind: FileKind::HostsToml,
            content,
            diagnostics: index.attach(&origins),
            mode: if dir_has_secret_header(d) { 0o600 } else { 0o644 },
        });
        try_orders.push((d.namespace.clone(), try_order));
    }
    for s in &plan.shipped {
        files.push(RenderedFile {
            path: s.path.clone(),
            kind: FileKind::Certificate,
            content: newline_ended(s.content.clone()),
            diagnostics: index.attach(std::slice::from_ref(&s.origin)),
            mode: 0o644,
        });
    }

    let verify_commands = verify_commands(&plan, p);
    let config_path_check = (plan.style == OutputStyle::HostsDir).then_some(CONFIG_PATH_CHECK_COMMAND);
    // The config file install.sh handles specially; the fragment is never installed (it is merged).
    let config_kind = match delivery {
        Delivery::Merged => FileKind::MergedConfig,
        Delivery::DropIn => FileKind::DropIn,
        Delivery::Fragment => FileKind::ConfigFragment,
    };
    // What install.sh and README.txt say, as data: written from it on first read here, and in the page by the
    // tools module, which is sent it (`scripts_result`) rather than the project, so nothing is planned twice.
    let config_file = files.iter().find(|f| f.kind == config_kind).expect("config file rendered");
    let mut names: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    names.push(paths::INSTALL_SH.to_string());
    names.push(paths::README.to_string());
    let scripts = Rc::new(ScriptsInput {
        header: head.clone(),
        style: plan.style,
        config,
        config_file: (config_file.path.clone(), config_file.content.clone()),
        other_files: files.iter().filter(|f| !f.kind.is_config()).map(|f| (f.path.clone(), f.content.clone(), f.mode)).collect(),
        has_credentials,
        verify_commands: verify_commands.clone(),
        files: names,
        try_orders: Rc::new(try_orders),
        lang,
    });
    // Written on first read; in the page's wasm not written here at all: the page asks the tools module for them
    // (`lazy::scripts`) and puts its answer in their place.
    #[cfg(any(not(target_arch = "wasm32"), feature = "scripts"))]
    let (script, readme_text) = {
        let (a, b) = (Rc::clone(&scripts), Rc::clone(&scripts));
        (Text::later(move || a.install_sh()), Text::later(move || b.readme()))
    };
    #[cfg(all(target_arch = "wasm32", not(feature = "scripts")))]
    let (script, readme_text) = (Text::from(String::new()), Text::from(String::new()));
    let script_mode = if files.iter().any(|f| f.mode == 0o600 && f.kind != FileKind::ConfigFragment) { 0o700 } else { 0o755 };
    let project = p.clone();
    let project_text = Text::later(move || project_json(&project));
    let unattached = |path: &str, kind, content, mode| RenderedFile { path: path.into(), kind, content, diagnostics: Vec::new(), mode };
    files.push(unattached(paths::INSTALL_SH, FileKind::InstallScript, script, script_mode));
    files.push(unattached(paths::README, FileKind::Readme, readme_text, 0o644));
    files.push(unattached(PROJECT_PATH, FileKind::ProjectJson, project_text, 0o644));

    let installable = !has_errors(&diagnostics);
    Rendered {
        files,
        diagnostics,
        installable,
        delivery,
        restart,
        verify_commands,
        config_path_check,
        plan,
        written_with: (head, lang),
        scripts,
        validation,
        planned_in,
    }
}

/// install.sh writes each file from a heredoc, which always ends in a line feed: a file that did not (a node's
/// config.toml without a final newline, a pasted CA) would be installed with other bytes than the bundle's, so its
/// hash check would refuse the second run. The bundle's file is what gets installed (found by the merge fuzzer).
fn newline_ended(mut content: String) -> Text {
    if !content.is_empty() && !content.ends_with('\n') {
        content.push('\n');
    }
    Text::from(content)
}

/// The project as the CLI reads it (pretty JSON, the project-file format), every secret left out: the bundle's
/// instructions say "render project.json --merge-into …", so a bundle downloaded from the page must carry it.
pub fn project_json(p: &Project) -> String {
    let (stripped, _) = crate::secrets::strip_secrets(p);
    let mut json = crate::json::project::to_string_pretty(&stripped);
    json.push('\n');
    json
}

/// A config.toml-shaped file holding only the managed settings, with a comment saying how to use it.
fn settings_file(p: &Project, plan: &Plan, version: i64, comment: &str) -> String {
    let mut doc = DocumentMut::new();
    doc.as_table_mut().insert("version", toml_edit::value(version));
    config_toml::apply_managed(&mut doc, p, plan, version);
    let mut prefix: String = comment.lines().map(|l| format!("# {l}\n")).collect();
    prefix.push('\n');
    doc.decor_mut().set_prefix(prefix);
    doc.to_string()
}

fn dir_has_secret_header(d: &plan::HostsDir) -> bool {
    d.hosts.iter().chain(d.server.iter()).any(|h| h.headers.iter().any(|(n, _)| crate::secrets::is_secret_header(n)))
}

fn config_origins(plan: &Plan) -> Vec<String> {
    let mut o: Vec<String> =
        ["auth", "daemon", "sandbox_image", "target", "output", "existing_config"].iter().map(|s| s.to_string()).collect();
    if plan.style == OutputStyle::Legacy {
        o.extend(["registries", "harbor", "air_gap"].iter().map(|s| s.to_string()));
    }
    o
}

/// Byte offsets where a field path can be cut into a parent path: before each `.` or `[`
/// (`registries[0].url` → `registries`, `registries[0]`).
fn cuts(path: &str) -> impl Iterator<Item = usize> + '_ {
    path.bytes().enumerate().filter(|(_, b)| matches!(b, b'.' | b'[')).map(|(k, _)| k)
}

/// The diagnostics indexed by field path, so that each file finds its own without scanning them all.
///
/// A diagnostic concerns a file when it is about the whole project (empty path), about one of the file's
/// origins or a sub-field of one (`registries[0].endpoints[1].url` for `registries[0].endpoints[1]`), or about
/// a field that contains an origin (`registries[0]` concerns every file made from that registry).
struct DiagIndex<'a> {
    all: &'a [Diagnostic],
    whole_project: Vec<usize>,
    /// Every path and each of its parent paths → the diagnostics at or under it (an index into `lists`).
    at_or_under: StrMap<'a>,
    /// Exact path → the diagnostics at it (an index into `lists`).
    at: StrMap<'a>,
    lists: Vec<Vec<usize>>,
}

impl<'a> DiagIndex<'a> {
    fn new(all: &'a [Diagnostic]) -> Self {
        let mut index = DiagIndex { all, whole_project: Vec::new(), at_or_under: StrMap::new(), at: StrMap::new(), lists: Vec::new() };
        for (i, d) in all.iter().enumerate() {
            let path = d.path.as_str();
            if path.is_empty() {
                index.whole_project.push(i);
                continue;
            }
            let lists = &mut index.lists;
            let mut push = |map: &mut StrMap<'a>, key: &'a str| {
                match map.get(key) {
                    Some(&k) => lists[k].push(i),
                    None => {
                        map.insert(key, lists.len());
                        lists.push(vec![i]);
                    }
                }
            };
            push(&mut index.at, path);
            for k in cuts(path).chain(std::iter::once(path.len())) {
                push(&mut index.at_or_under, &path[..k]);
            }
        }
        index
    }

    /// The diagnostics about any of `origins` (or about the whole project), in their original order.
    fn attach(&self, origins: &[String]) -> Vec<Diagnostic> {
        // Marks rather than a sort of the indices (a sort is one more copy of the standard library's in the wasm).
        let mut hit = vec![false; self.all.len()];
        for &i in &self.whole_project {
            hit[i] = true;
        }
        for o in origins {
            for &i in self.list(&self.at_or_under, o) {
                hit[i] = true;
            }
            for k in cuts(o) {
                for &i in self.list(&self.at, &o[..k]) {
                    hit[i] = true;
                }
            }
        }
        self.all.iter().zip(hit).filter(|(_, h)| *h).map(|(d, _)| d.clone()).collect()
    }

    fn list(&self, map: &StrMap, key: &str) -> &[usize] {
        map.get(key).map_or(&[], |&k| self.lists[k].as_slice())
    }
}

/// `crictl pull IMAGE` (the kubelet's path), and in hosts-dir style the `ctr` equivalent, which needs
/// `--hosts-dir` and, since ctr never reads config.toml credentials, `--user`.
fn verify_commands(plan: &Plan, p: &Project) -> Vec<String> {
    let image = verify_image(plan);
    let mut out = vec![format!("crictl pull {image}")];
    if plan.style == OutputStyle::HostsDir {
        let user = p
            .auth
            .iter()
            .find_map(|c| match &c.method {
                crate::model::AuthMethod::Basic { username, .. } => Some(format!(" --user {username}:<password>")),
                _ => None,
            })
            .unwrap_or_default();
        out.push(format!("ctr -n k8s.io images pull --hosts-dir {CERTS_D}{user} {image}"));
    }
    out
}

fn verify_image(plan: &Plan) -> String {
    let ns = plan.namespaces().into_iter().next().map(str::to_string);
    match ns.as_deref() {
        None | Some(net::DOCKER_HUB) => "docker.io/library/busybox:latest".to_string(),
        Some(ns) => format!("{ns}/<repository>:<tag>"),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::Registry;

    /// The attachment rule as first written (every diagnostic against every origin): the index must agree.
    fn attach_naive(all: &[Diagnostic], origins: &[String]) -> Vec<Diagnostic> {
        let is_prefix_path =
            |prefix: &str, path: &str| path.starts_with(prefix) && matches!(path.as_bytes().get(prefix.len()), Some(b'.') | Some(b'['));
        all.iter()
            .filter(|d| d.path.is_empty() || origins.iter().any(|o| d.is_under(o) || is_prefix_path(&d.path, o)))
            .cloned()
            .collect()
    }

    /// Field paths from a few parts, so that paths often are parents, children or near misses
    /// (`registries[1]` vs `registries[10]`, `auth` vs `authx`) of each other; odd ones (leading `.`, `[[`) too.
    fn path() -> impl Strategy<Value = String> {
        const PARTS: [&str; 14] = [
            "registries", "[0]", "[1]", "[10]", ".endpoints", ".url", ".tls", ".ca", "auth", "x", "air_gap", ".", "[", "harbor",
        ];
        proptest::collection::vec(proptest::sample::select(&PARTS[..]), 0..6).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn index_attaches_what_the_full_scan_did(
            paths in proptest::collection::vec(path(), 0..40),
            files in proptest::collection::vec(proptest::collection::vec(path(), 0..6), 1..8),
        ) {
            let all: Vec<Diagnostic> = paths.iter().enumerate().map(|(i, p)| Diagnostic::info(p.clone(), "T0", format!("{i}"), format!("{i}"))).collect();
            let index = DiagIndex::new(&all);
            for origins in &files {
                prop_assert_eq!(index.attach(origins), attach_naive(&all, origins), "origins {:?}", origins);
            }
        }
    }

    fn kinds(r: &Rendered) -> Vec<(&str, FileKind)> {
        r.files.iter().map(|f| (f.path.as_str(), f.kind)).collect()
    }

    #[test]
    fn a_1x_target_gets_a_fragment_to_merge_by_hand_then_a_restart() {
        let mut p = Project::default();
        p.registries.push(Registry { upstream: "quay.io".into(), ..Default::default() });
        p.registries[0].endpoints.push(crate::model::Endpoint { url: "https://m.example.com".into(), ..Default::default() });
        let r = render(&p);
        assert_eq!(r.delivery, Delivery::Fragment);
        assert_eq!(r.restart, Restart::AfterManualMerge);
        assert_eq!(
            kinds(&r),
            [
                (paths::CONFIG_FRAGMENT, FileKind::ConfigFragment),
                ("certs.d/quay.io/hosts.toml", FileKind::HostsToml),
                (paths::INSTALL_SH, FileKind::InstallScript),
                (paths::README, FileKind::Readme),
                (paths::PROJECT_JSON, FileKind::ProjectJson),
            ]
        );
        assert_eq!(r.config_file().map(|f| f.path.as_str()), Some(paths::CONFIG_FRAGMENT));
        assert_eq!(r.config_path_check, Some(CONFIG_PATH_CHECK_COMMAND));
        assert!(r.verify_commands[0].starts_with("crictl pull "));
    }

    #[test]
    fn a_2x_only_target_installs_the_drop_in_and_restarts() {
        let target = crate::model::Target { min: "2.0.0".parse().unwrap(), max: "2.1.9".parse().unwrap() };
        let p = Project { target, ..Default::default() };
        let r = render(&p);
        assert_eq!(r.delivery, Delivery::DropIn);
        assert_eq!(r.restart, Restart::AfterInstall);
        assert_eq!(r.config_file().map(|f| (f.path.as_str(), f.kind)), Some((paths::DROP_IN, FileKind::DropIn)));
        assert!(r.file_of(FileKind::ConfigFragment).is_some(), "the fragment is always there to merge by hand");
    }

    #[test]
    fn a_merge_that_changes_nothing_needs_no_restart() {
        let p = Project::default();
        let first = render_merged(&p, "version = 2\n");
        assert_eq!(first.delivery, Delivery::Merged);
        assert_eq!(first.restart, Restart::AfterInstall, "config_path is added");
        let merged = first.config_file().expect("merged config.toml");
        assert_eq!((merged.path.as_str(), merged.kind), (paths::CONFIG_TOML, FileKind::MergedConfig));
        let again = render_merged(&p, &merged.content);
        assert_eq!(again.restart, Restart::NotNeeded);
        assert!(again.file_of(FileKind::ConfigFragment).is_none());
    }

    #[test]
    fn the_legacy_style_has_no_config_path_check() {
        let p = Project { output: OutputStyle::Legacy, ..Default::default() };
        let r = render(&p);
        assert_eq!(r.config_path_check, None);
        assert_eq!(r.verify_commands.len(), 1);
    }

    #[test]
    fn a_pasted_ca_is_a_certificate_file() {
        let mut p = Project::default();
        let pem = include_str!("../../tests/fixtures/pem/ca.crt");
        p.registries.push(Registry { upstream: "quay.io".into(), ..Default::default() });
        p.registries[0].endpoints.push(crate::model::Endpoint { url: "https://m.example.com".into(), ..Default::default() });
        p.registries[0].endpoints[0].tls.ca.push(crate::model::CaCert::Pem { name: "ca".into(), pem: pem.into() });
        let r = render(&p);
        let ca = r.file_of(FileKind::Certificate).expect("shipped CA");
        assert_eq!(paths::namespace_of(&ca.path), Some("quay.io"));
    }

    #[test]
    fn each_half_filled_registry_file_carries_its_own_diagnostic() {
        let mut p = Project::default();
        for name in ["a.example.com", "b.example.com", "c.example.com"] {
            p.registries.push(Registry { upstream: name.into(), ..Default::default() });
        }
        p.registries[1].fallback_to_upstream = false;
        p.daemon.oom_score = Some(-5000);
        let r = render(&p);
        for (i, name) in ["a.example.com", "b.example.com", "c.example.com"].iter().enumerate() {
            let f = r.file(&format!("certs.d/{name}/hosts.toml")).expect("hosts.toml");
            let paths: Vec<&str> = f.diagnostics.iter().map(|d| d.path.as_str()).collect();
            assert_eq!(paths, [format!("registries[{i}].endpoints")], "{name}");
        }
        let config = r.file(FRAGMENT_PATH).expect("fragment");
        let paths: Vec<&str> = config.diagnostics.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["daemon.oom_score"]);
        assert_eq!(config.diagnostics, attach_naive(&r.diagnostics, &config_origins(&plan::plan(&p))));
    }
}
