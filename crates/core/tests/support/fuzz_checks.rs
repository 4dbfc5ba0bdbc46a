//! The invariants the fuzz targets check, shared by `fuzz/fuzz_targets/*.rs` (nightly, cargo-fuzz) and the stable
//! regression test `crates/core/tests/fuzz_regressions.rs`, which runs every committed input of
//! `fuzz/regressions/<target>/` through the same function. Every check panics on a broken invariant, which is
//! what libFuzzer reports as a crash.
//!
//! Targets (one entry point each, [`TARGETS`]):
//! - `render`: bytes → JSON project → `render` and `render_merged` (with each real default config in turn):
//!   [`check_bundle`].
//! - `merge`: bytes → a node's config.toml (and a fixed or given project) → `render_merged`: [`check_bundle`],
//!   plus every unmanaged setting of the node's file survives the merge.
//! - `share`: bytes → `share::decode` (never panics; decoded links re-encode to the same project), and a JSON
//!   project → `encode` → `decode` gives the project without its secrets.
//! - `cli`: the CLI's project-file path in-process: JSON → `Project` (error classified like the CLI does) →
//!   `resolve_env` → `check` / `render [--merge-into]`: the two commands agree, and `render` never hits the CLI's
//!   "refusing to write unsafe path" on an installable bundle.
//! - `import`: bytes → the files of an /etc/containerd layout ([`import_files`]) → `import` and `lint`: never
//!   panic, every reported position lies inside the file it names, and the imported project renders a bundle
//!   that passes [`check_bundle`].
//! - `import_formats`: a first byte picking k3s / Talos / Docker (or detection by content), then the file: the
//!   same three checks ([`import_formats_target`]).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io::Read;

use ccb_core::model::{AuthMethod, CaCert, OutputStyle, Project, Secret, CERTS_D};
use ccb_core::plan::{self, Plan};
use ccb_core::render::{Rendered, DROP_IN_PATH, FRAGMENT_PATH};
use ccb_core::{archive, merge, secrets, share, Lang, Severity};

/// Real default configs (and a kubeadm file) the `render` target merges every project into.
pub const CONFIGS: &[(&str, &str)] = &[
    ("containerd-1.6.20-default.toml", include_str!("../configs/containerd-1.6.20-default.toml")),
    ("containerd-2.1.9-default.toml", include_str!("../configs/containerd-2.1.9-default.toml")),
    ("kubeadm-systemd-cgroup.toml", include_str!("../configs/kubeadm-systemd-cgroup.toml")),
];

/// Small projects the `merge` target merges a fuzzed config.toml with (chosen by the input's length).
pub const PROJECTS: &[(&str, &str)] = &[
    ("01-seed-dockerhub-mirrors", include_str!("../../../../examples/01-seed-dockerhub-mirrors.json")),
    ("02-harbor-path-mode", include_str!("../../../../examples/02-harbor-path-mode.json")),
    ("04-air-gap", include_str!("../../../../examples/04-air-gap.json")),
    ("06-basic-auth", include_str!("../../../../examples/06-basic-auth.json")),
    ("07-legacy-inline-mirrors", include_str!("../../../../examples/07-legacy-inline-mirrors.json")),
    ("f04a-default-only-mirror-2x", include_str!("../golden/f04a-default-only-mirror-2x/project.json")),
    ("f17-legacy-tls-1x", include_str!("../golden/f17-legacy-tls-1x/project.json")),
];

pub type Target = fn(&[u8]);

pub const TARGETS: &[(&str, Target)] = &[
    ("render", render_target),
    ("merge", merge_target),
    ("share", share_target),
    ("cli", cli_target),
    ("import", import_target),
    ("import_formats", import_formats_target),
];

/// Where the `import` target puts each file: the first byte of a record picks one.
pub const IMPORT_PATHS: [&str; 10] = [
    "config.toml",
    "certs.d/docker.io/hosts.toml",
    "certs.d/docker.io/ca.crt",
    "certs.d/registry.example.com_5000_/hosts.toml",
    "certs.d/registry.example.com:5000/hosts.toml",
    "certs.d/_default/hosts.toml",
    "certs.d/quay.io/client.cert",
    "certs.d/quay.io/client.key",
    "certs.d/not a registry/hosts.toml",
    "docker.io/hosts.toml",
];

/// The files of a layout from fuzz input: NUL-separated records, each a path index byte and the file's bytes.
pub fn import_files(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    data.split(|b| *b == 0)
        .filter_map(|r| r.split_first())
        .map(|(i, rest)| (IMPORT_PATHS[*i as usize % IMPORT_PATHS.len()].to_string(), rest.to_vec()))
        .collect()
}

/// Whether a finding's position lies inside the (first) file of that path.
pub fn finding_inside(files: &[(String, Vec<u8>)], f: &ccb_core::import::Finding) -> bool {
    let Some((line, col)) = f.at else { return true };
    let Some((_, bytes)) = files.iter().find(|(p, _)| *p == f.file) else { return false };
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.split('\n').collect();
    line >= 1 && line <= lines.len() && col >= 1 && col <= lines[line - 1].chars().count() + 1
}

pub fn import_target(data: &[u8]) {
    if data.len() > MAX_INPUT {
        return;
    }
    let files = import_files(data);
    let imported = ccb_core::import::import(&files, &ccb_core::import::Options::default());
    let range = ccb_core::model::Target { min: "1.6.0".parse().unwrap(), max: "2.3.x".parse().unwrap() };
    for f in imported.report.iter().chain(ccb_core::lint::lint(&files, &range).iter()) {
        assert!(f.file.is_empty() || finding_inside(&files, f), "{f:?} lies outside its file");
    }
    let r = ccb_core::render(&imported.project);
    check_bundle(&imported.project, &r, None);
}

/// The `import_formats` target: the first byte picks the format and the file's name (k3s `registries.yaml`,
/// Talos `machine.yaml`, Docker `daemon.json`, or by content from an unnamed file), the rest is the file. The
/// reader never panics, every position lies inside the file, and the project renders a bundle that passes every
/// `render` check.
pub fn import_formats_target(data: &[u8]) {
    use ccb_core::import::formats::Format;
    if data.len() > MAX_INPUT {
        return;
    }
    let Some((pick, bytes)) = data.split_first() else { return };
    let (name, format) = [
        ("registries.yaml", Some(Format::K3s)),
        ("machine.yaml", Some(Format::Talos)),
        ("daemon.json", Some(Format::Docker)),
        ("settings", None),
    ][*pick as usize % 4];
    let files = vec![(name.to_string(), bytes.to_vec())];
    let options = ccb_core::import::Options { format, ..Default::default() };
    let imported = ccb_core::import::import(&files, &options);
    for f in &imported.report {
        assert!(f.file.is_empty() || finding_inside(&files, f), "{f:?} lies outside its file");
    }
    let r = ccb_core::render(&imported.project);
    check_bundle(&imported.project, &r, None);
}

/// Inputs larger than this are ignored (the fuzzer's `-max_len` keeps them far smaller anyway).
const MAX_INPUT: usize = 256 * 1024;

/// The project loader the CLI and the web app use.
pub fn load_project(text: &str) -> Option<Project> {
    ccb_core::load::project_from_json(text).ok()
}

// -------------------------------------------------------------------------------------------------------------
// Targets
// -------------------------------------------------------------------------------------------------------------

pub fn render_target(data: &[u8]) {
    let Some(text) = utf8(data) else { return };
    let Some(p) = load_project(text) else { return };
    let r = ccb_core::render(&p);
    check_bundle_with(&p, &r, None, true);
    let (_, cfg) = CONFIGS[data.len() % CONFIGS.len()];
    let m = ccb_core::render_merged(&p, cfg);
    check_bundle(&p, &m, Some(cfg));
}

pub fn merge_target(data: &[u8]) {
    let Some(text) = utf8(data) else { return };
    // `config.toml` alone, or `config.toml NUL project.json`.
    let (cfg, p) = match text.split_once('\0') {
        Some((cfg, json)) => match load_project(json) {
            Some(p) => (cfg, p),
            None => return,
        },
        None => {
            let (_, json) = PROJECTS[data.len() % PROJECTS.len()];
            (text, load_project(json).expect("fixed projects parse"))
        }
    };
    let r = ccb_core::render_merged(&p, cfg);
    check_bundle(&p, &r, Some(cfg));
}

pub fn share_target(data: &[u8]) {
    let Some(text) = utf8(data) else { return };
    // Any string: decode never panics; what decodes re-encodes to the same (secret-free) project.
    if let Ok(shared) = share::decode(text) {
        check_share_round_trip(&shared.project, shared.lang.as_deref());
        // A decoded link is rendered by the web app at once.
        let r = ccb_core::render(&shared.project);
        check_bundle(&shared.project, &r, None);
    }
    // A project file: its link decodes to the project without secrets.
    if let Some(p) = load_project(text) {
        let lang = match data.len() % 3 {
            0 => None,
            1 => Some("zh-CN"),
            _ => Some("en"),
        };
        check_share_round_trip(&p, lang);
    }
}

pub fn cli_target(data: &[u8]) {
    let Some(text) = utf8(data) else { return };
    // `project.json` alone (`render P --out D`, `check P`), or `project.json NUL config.toml` (`--merge-into`).
    let (json, existing) = match text.split_once('\0') {
        Some((j, c)) => (j, Some(c)),
        None => (text, None),
    };
    // The CLI's load_project (crates/cli/src/project.rs): the core loader, its error as the CLI prints it.
    let p: Project = match ccb_core::load::project_from_json(json) {
        Ok(p) => p,
        Err(e) => {
            let _ = (e.line(), e.column(), e.to_string(), e.message().get(Lang::En).len(), e.message().get(Lang::Zh).len());
            return;
        }
    };
    // Secrets from the environment: variables whose name has an even length are set.
    let lookup = |name: &str| (name.len() % 2 == 0).then(|| format!("value-of-{name}"));
    let project = match secrets::resolve_env(&p, lookup) {
        Ok(project) => project,
        Err(missing) => {
            assert!(!missing.is_empty(), "resolve_env failed without naming a variable");
            for (field, var) in &missing {
                assert!(var.len() % 2 == 1, "{var} (for {field}) is set but reported missing");
            }
            return;
        }
    };
    for (field, s) in secrets::secret_fields(&project) {
        assert!(!matches!(s, Secret::FromEnv(_)), "{field} still refers to the environment after resolve_env");
    }
    // `check`: the diagnostics and the exit code, in both languages.
    let diags = ccb_core::validate(&project);
    for d in &diags {
        let _ = format!("{}[{}] {}: {} / {}", d.severity.as_str(), d.code, d.path, d.message.get(Lang::En), d.message.get(Lang::Zh));
    }
    let check_errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    // `render`: writes only an installable bundle, and only safe relative paths.
    let r = match existing {
        Some(cfg) => ccb_core::render_merged(&project, cfg),
        None => ccb_core::render(&project),
    };
    if existing.is_none() {
        assert_eq!(r.installable, check_errors == 0, "`check` finds {check_errors} error(s) but `render` installable = {}", r.installable);
    } else if check_errors > 0 {
        assert!(!r.installable, "`check` finds errors but `render --merge-into` would write the bundle");
    }
    if r.installable {
        for f in &r.files {
            assert!(cli_safe_relative(&f.path), "the CLI would refuse to write the installable bundle's path {:?}", f.path);
        }
    }
    check_bundle(&project, &r, existing);
}

// -------------------------------------------------------------------------------------------------------------
// The bundle
// -------------------------------------------------------------------------------------------------------------

/// Everything a rendered bundle must satisfy. `existing`: the node's config.toml it was merged with.
///
/// For every bundle: no panic anywhere, every file present, every TOML file re-parses with toml_edit and the
/// `toml` crate, every file install.sh installs is a quoted heredoc that reads back byte for byte as the
/// bundle's file (with its mode), and the tar.gz holds exactly the bundle. For installable bundles also: every
/// path is relative with only normal components (no `..`, NUL, backslash or control character), and the TOML
/// files carry the plan's values (hosts.toml `server` and `[host."…"]` in try order, `config_path`, mirrors,
/// credentials), and a merge keeps every setting of the node's file it does not manage.
pub fn check_bundle(p: &Project, r: &Rendered, existing: Option<&str>) {
    check_bundle_with(p, r, existing, false)
}

/// [`check_bundle`], and with `archive` also the tar.gz (the slowest check: the `render` target runs it once per
/// input, on the plain render).
pub fn check_bundle_with(p: &Project, r: &Rendered, existing: Option<&str>, archive: bool) {
    let paths: Vec<&str> = r.files.iter().map(|f| f.path.as_str()).collect();
    let n = paths.len();
    assert!(n >= 4, "bundle too small: {paths:?}");
    assert_eq!(&paths[n - 3..], &["install.sh", "README.txt", "project.json"], "install.sh, README.txt and project.json come last");
    let unique: BTreeSet<&str> = paths.iter().copied().collect();
    let duplicates = unique.len() != n;
    // A known bug can be skipped during a campaign (CCB_FUZZ_SKIP=duplicate-paths) so that it does not drown the others.
    if !(duplicates && !r.installable && skipped("duplicate-paths")) {
        assert_eq!(unique.len(), n, "a path appears twice: {paths:?}");
    }
    assert_eq!(r.installable, !r.diagnostics.iter().any(|d| d.severity == Severity::Error), "installable ⇔ no error");
    for f in &r.files {
        assert!(!f.content.is_empty(), "{} is empty", f.path);
        assert!(f.mode == 0o644 || f.mode == 0o600 || f.mode == 0o755 || f.mode == 0o700, "{}: mode {:o}", f.path, f.mode);
    }
    // The bundle's project.json reads back (with the CLI's loader) as the project without its secrets.
    let pj = &file(r, "project.json").content;
    let back = ccb_core::load::project_from_json(pj).unwrap_or_else(|e| panic!("the bundle's project.json does not load: {e}\n{pj}"));
    assert!(back == secrets::strip_secrets(p).0, "the bundle's project.json is another project:\n{pj}");

    // The effective project and plan, as render_inner builds them.
    let parsed_existing = existing.map(|text| merge::parse_existing(text, p));
    let effective = match &parsed_existing {
        Some(Ok(ex)) => merge::absorb_legacy(p, ex).0,
        _ => p.clone(),
    };
    if let Some(Err(_)) = &parsed_existing {
        assert!(!r.installable, "the node's config.toml was refused, yet the bundle is installable");
        assert!(r.file("config.toml").is_none(), "config.toml without a parsable node file");
    }
    if let Some(Ok(_)) = &parsed_existing {
        assert!(r.file("config.toml").is_some(), "merged with the node's file, but no config.toml in the bundle");
    }
    let pl = plan::plan(&effective);

    // Every TOML file, parsed once by each parser.
    let parsed: Parsed = r.files.iter().filter(|f| f.path.ends_with(".toml")).map(|f| (f.path.clone(), reparse(&f.path, &f.content))).collect();
    if r.installable {
        for f in &r.files {
            check_path(&f.path);
        }
        check_values(p, &effective, &pl, r, &parsed);
        if let (Some(text), Some(Ok(ex))) = (existing, &parsed_existing) {
            check_merge_keeps_unmanaged(p, text, ex.version, &parsed["config.toml"].1);
            let script = &file(r, "install.sh").content;
            assert!(script.contains(&format!("ORIGINAL_SHA256='{}'", merge::sha256_hex(text))), "install.sh guards another file");
        }
    }
    // Heredocs and the archive need paths a shell line and a tar header can carry.
    let plain_paths = r.files.iter().all(|f| !f.path.chars().any(char::is_control));
    if plain_paths && !duplicates {
        check_heredocs(r);
    }
    if archive && r.installable {
        check_archive(r);
    }
}

/// Whether `CCB_FUZZ_SKIP` (comma-separated) names this known bug. Never set in the stable test.
fn skipped(bug: &str) -> bool {
    static SKIP: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SKIP.get_or_init(|| std::env::var("CCB_FUZZ_SKIP").unwrap_or_default().split(',').map(str::to_string).collect()).iter().any(|s| s == bug)
}

fn utf8(data: &[u8]) -> Option<&str> {
    if data.len() > MAX_INPUT {
        return None;
    }
    std::str::from_utf8(data).ok()
}

fn file<'a>(r: &'a Rendered, path: &str) -> &'a ccb_core::RenderedFile {
    r.file(path).unwrap_or_else(|| panic!("no {path} in the bundle"))
}

/// The CLI's `safe_relative` (crates/cli/src/main.rs): relative, no NUL, only normal components.
pub fn cli_safe_relative(path: &str) -> bool {
    use std::path::{Component, Path};
    let p = Path::new(path);
    !(path.is_empty() || p.is_absolute() || path.contains('\0')) && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Relative, inside the bundle root, nothing a shell line, a tar header or a file tree would choke on.
fn check_path(path: &str) {
    assert!(!path.is_empty() && !path.starts_with('/'), "{path:?} is not relative");
    assert!(!path.contains('\\'), "{path:?} has a backslash");
    assert!(!path.chars().any(char::is_control), "{path:?} has a control character (or NUL)");
    for c in path.split('/') {
        assert!(!c.is_empty() && c != "." && c != "..", "{path:?} has a {c:?} component");
        assert!(c.trim() == c, "{path:?}: component {c:?} has leading or trailing white space");
    }
    assert!(cli_safe_relative(path), "{path:?}: the CLI refuses to write it");
}

/// Bundle path → the file as toml_edit and the `toml` crate read it.
type Parsed = std::collections::HashMap<String, (toml_edit::DocumentMut, toml::Table)>;

fn reparse(path: &str, text: &str) -> (toml_edit::DocumentMut, toml::Table) {
    let doc = text.parse::<toml_edit::DocumentMut>().unwrap_or_else(|e| panic!("{path} does not re-parse with toml_edit: {e}\n{text}"));
    let table = toml::from_str::<toml::Table>(text).unwrap_or_else(|e| panic!("{path} does not parse with the toml crate: {e}\n{text}"));
    (doc, table)
}

fn get<'a>(t: &'a toml::Table, path: &[&str]) -> Option<&'a toml::Value> {
    let (first, rest) = path.split_first()?;
    let mut v = t.get(*first)?;
    for k in rest {
        v = v.as_table()?.get(*k)?;
    }
    Some(v)
}

fn strs(v: Option<&toml::Value>) -> Option<Vec<String>> {
    v?.as_array()?.iter().map(|x| x.as_str().map(str::to_string)).collect()
}

fn registry_path(version: i64) -> [&'static str; 3] {
    if version >= 3 {
        ["plugins", "io.containerd.cri.v1.images", "registry"]
    } else {
        ["plugins", "io.containerd.grpc.v1.cri", "registry"]
    }
}

/// The values we meant are in the files: hosts.toml per planned directory, the config file's registry settings.
fn check_values(p: &Project, effective: &Project, pl: &Plan, r: &Rendered, parsed: &Parsed) {
    for d in &pl.dirs {
        let path = format!("{}/hosts.toml", plan::dir_path(&d.namespace));
        let _ = file(r, &path);
        let (doc, t) = &parsed[&path];
        // Order: toml_edit keeps it.
        let server = doc.get("server").map(|v| v.as_str().unwrap_or_else(|| panic!("{path}: server is not a string")));
        assert_eq!(server, d.server.as_ref().map(|s| s.url.as_str()), "{path}: server");
        let hosts: Vec<String> = match doc.get("host") {
            None => Vec::new(),
            Some(h) => h.as_table_like().unwrap_or_else(|| panic!("{path}: host is not a table")).iter().map(|(k, _)| k.to_string()).collect(),
        };
        let want: Vec<String> = d.hosts.iter().map(|h| h.url.clone()).collect();
        assert_eq!(hosts, want, "{path}: [host.\"…\"] tables in try order");
        // Values: the toml crate reads the same.
        assert_eq!(t.get("server").and_then(|v| v.as_str()), server, "{path}: server (toml crate)");
        let host_t = t.get("host").and_then(|v| v.as_table()).cloned().unwrap_or_default();
        assert_eq!(host_t.keys().cloned().collect::<BTreeSet<_>>(), want.iter().cloned().collect::<BTreeSet<_>>(), "{path}: hosts (toml crate)");
        for h in &d.hosts {
            let ht = host_t.get(&h.url).and_then(|v| v.as_table()).unwrap_or_else(|| panic!("{path}: {} is not a table", h.url));
            let caps: Vec<String> = h.capabilities.iter().map(|c| c.as_str().to_string()).collect();
            if !caps.is_empty() {
                assert_eq!(strs(ht.get("capabilities")), Some(caps), "{path}: capabilities of {}", h.url);
            }
            assert_eq!(ht.get("override_path").and_then(|v| v.as_bool()).unwrap_or(false), h.override_path, "{path}: override_path of {}", h.url);
            assert_eq!(ht.get("skip_verify").and_then(|v| v.as_bool()).unwrap_or(false), h.skip_verify, "{path}: skip_verify of {}", h.url);
            let ca: Vec<String> = match ht.get("ca") {
                None => Vec::new(),
                Some(toml::Value::String(s)) => vec![s.clone()],
                Some(v) => strs(Some(v)).unwrap_or_else(|| panic!("{path}: ca of {} is not strings", h.url)),
            };
            assert_eq!(ca, h.ca, "{path}: ca of {}", h.url);
            // Every CA path under /etc/containerd that the project pasted is shipped.
            for c in &h.ca {
                if let Some(rel) = c.strip_prefix("/etc/containerd/") {
                    if pl.shipped.iter().any(|s| s.path == rel) {
                        assert!(r.file(rel).is_some(), "{path}: CA {c} is not in the bundle");
                    }
                }
            }
        }
    }
    for s in &pl.shipped {
        assert_eq!(file(r, &s.path).content, s.content, "{}: shipped CA", s.path);
        assert!(s.content.ends_with('\n'));
    }

    // The config file(s).
    let v = p.target.config_version() as i64;
    let mut configs: Vec<(&str, i64)> = Vec::new();
    if let Some(f) = r.file("config.toml") {
        let _ = f;
        let t = &parsed["config.toml"].1;
        configs.push(("config.toml", t.get("version").and_then(|x| x.as_integer()).expect("merged config.toml keeps version")));
    } else {
        configs.push((FRAGMENT_PATH, v));
        if v >= 3 {
            configs.push((DROP_IN_PATH, v));
        }
    }
    for (path, version) in configs {
        let f = file(r, path);
        let t = &parsed[path].1;
        assert_eq!(t.get("version").and_then(|x| x.as_integer()), Some(version), "{path}: version");
        let rp = registry_path(version);
        match pl.style {
            OutputStyle::HostsDir => {
                assert_eq!(get(&t, &[rp[0], rp[1], rp[2], "config_path"]).and_then(|x| x.as_str()), Some(CERTS_D), "{path}: config_path");
                assert!(get(&t, &[rp[0], rp[1], rp[2], "mirrors"]).is_none(), "{path}: mirrors next to config_path");
            }
            OutputStyle::Legacy => {
                for m in &pl.mirrors {
                    let got = strs(get(&t, &[rp[0], rp[1], rp[2], "mirrors", &m.namespace, "endpoint"]));
                    assert_eq!(got.as_ref(), Some(&m.endpoints), "{path}: mirrors.{:?}.endpoint", m.namespace);
                }
            }
        }
        for c in &effective.auth {
            let a = get(&t, &[rp[0], rp[1], rp[2], "configs", c.host.trim(), "auth"]).and_then(|x| x.as_table());
            let a = a.unwrap_or_else(|| panic!("{path}: no auth for {:?}", c.host));
            let s = |k: &str| a.get(k).and_then(|x| x.as_str()).map(str::to_string);
            match &c.method {
                AuthMethod::Basic { username, encode_as_auth: false, .. } => assert_eq!(s("username").as_ref(), Some(username), "{path}: username"),
                AuthMethod::Basic { encode_as_auth: true, .. } | AuthMethod::Auth { .. } => assert!(s("auth").is_some(), "{path}: auth"),
                AuthMethod::IdentityToken { .. } => assert!(s("identitytoken").is_some(), "{path}: identitytoken"),
            }
        }
        if !p.auth.is_empty() {
            assert_eq!(f.mode, 0o600, "{path} holds credentials");
        }
    }
    let _ = CaCert::Path(String::new());
}

/// TOML value equality where `nan` equals `nan` (a node file may hold `x = nan`; kept as is, it is still "not
/// equal" to itself under `PartialEq`, which is what the fuzzer found).
fn same_value(a: Option<&toml::Value>, b: Option<&toml::Value>) -> bool {
    use toml::Value::*;
    match (a, b) {
        (Some(Float(x)), Some(Float(y))) => x == y || (x.is_nan() && y.is_nan()),
        (Some(Array(x)), Some(Array(y))) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(Some(x), Some(y))),
        (Some(Table(x)), Some(Table(y))) => x.len() == y.len() && x.iter().all(|(k, v)| same_value(Some(v), y.get(k))),
        (a, b) => a == b,
    }
}

/// A merge changes only what it manages: every other top-level key, every other plugin, every other key of the
/// CRI tables (runtimes, SystemdCgroup…) keeps its value.
fn check_merge_keeps_unmanaged(p: &Project, before: &str, version: i64, new: &toml::Table) {
    let Ok(old) = toml::from_str::<toml::Table>(before) else { return }; // toml_edit-only syntax: nothing to compare
    let d = &p.daemon;
    let managed_top = |k: &str| match k {
        "plugins" => true,
        "root" => d.root.is_some(),
        "state" => d.state.is_some(),
        "oom_score" => d.oom_score.is_some(),
        "imports" => !d.imports.is_empty(),
        "debug" => d.debug.as_ref().is_some_and(|x| x.address.is_some() || x.level.is_some()),
        "metrics" => d.metrics_address.is_some(),
        _ => false,
    };
    for (k, v) in &old {
        if !managed_top(k) {
            assert!(same_value(new.get(k), Some(v)), "config.toml: the node's top-level {k:?} changed in the merge: {:?} → {:?}", v, new.get(k));
        }
    }
    if let Some(imports) = old.get("imports").and_then(|x| x.as_array()) {
        let got = new.get("imports").and_then(|x| x.as_array()).cloned().unwrap_or_default();
        for i in imports {
            assert!(got.contains(i), "config.toml: import {i} dropped");
        }
    }
    let Some(old_plugins) = old.get("plugins").and_then(|x| x.as_table()) else { return };
    let images = registry_path(version)[1];
    let new_plugins = new.get("plugins").and_then(|x| x.as_table()).expect("plugins kept");
    for (k, v) in old_plugins {
        if k != images {
            assert!(same_value(new_plugins.get(k), Some(v)), "config.toml: plugin {k:?} changed in the merge: {:?} → {:?}", v, new_plugins.get(k));
        }
    }
    let Some(old_images) = old_plugins.get(images).and_then(|x| x.as_table()) else { return };
    let new_images = new_plugins.get(images).and_then(|x| x.as_table()).expect("images table kept");
    for (k, v) in old_images {
        let managed = match k.as_str() {
            "registry" => true,
            "sandbox_image" => version < 3 && p.sandbox_image.is_some(),
            "pinned_images" => version >= 3 && p.sandbox_image.is_some(),
            "snapshotter" => version >= 3 && d.snapshotter.is_some(),
            "containerd" => version < 3 && d.snapshotter.is_some(),
            _ => false,
        };
        if !managed {
            assert!(same_value(new_images.get(k), Some(v)), "config.toml: plugins.{images:?}.{k} changed in the merge: {:?} → {:?}", v, new_images.get(k));
        } else if k == "containerd" {
            // 1.x/2.0 CRI: only the snapshotter changes; runtimes (SystemdCgroup) stay.
            if let (Some(o), Some(n)) = (v.as_table(), new_images.get(k).and_then(|x| x.as_table())) {
                for (kk, vv) in o {
                    if kk != "snapshotter" {
                        assert!(same_value(n.get(kk), Some(vv)), "config.toml: plugins.{images:?}.containerd.{kk} changed in the merge: {:?} → {:?}", vv, n.get(kk));
                    }
                }
            }
        }
    }
}

// -------------------------------------------------------------------------------------------------------------
// install.sh heredocs
// -------------------------------------------------------------------------------------------------------------

/// One `<<'DELIM'` heredoc of a script as sh reads it: the command line that opens it, and the body.
#[derive(Debug)]
pub struct Heredoc {
    pub command: String,
    pub delimiter: String,
    pub body: String,
}

/// Heredocs as a POSIX shell reads them: a `<<` outside quotes and comments opens one (its delimiter word with the
/// quotes removed); the body starts on the line after the end of that command line (which a quoted string may
/// carry over several lines) and ends at the first line that is exactly the delimiter. Panics on an unterminated
/// heredoc or quote.
pub fn heredocs(script: &str) -> Vec<Heredoc> {
    let lines: Vec<&str> = script.split('\n').collect();
    let mut out = Vec::new();
    let (mut sq, mut dq) = (false, false);
    let mut logical = String::new(); // the command line so far (several lines while a quote is open)
    let mut pending: Vec<(String, String)> = Vec::new(); // (command before `<<`, delimiter)
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut j = 0;
        while j < chars.len() {
            let (at, c) = chars[j];
            if sq {
                sq = c != '\'';
                j += 1;
                continue;
            }
            if dq {
                match c {
                    '\\' => j += 1,
                    '"' => dq = false,
                    _ => {}
                }
                j += 1;
                continue;
            }
            match c {
                '\'' => sq = true,
                '"' => dq = true,
                '\\' => j += 1,
                '#' if j == 0 || chars[j - 1].1.is_whitespace() => break,
                '<' if chars.get(j + 1).map(|x| x.1) == Some('<') => {
                    let mut k = j + 2;
                    if chars.get(k).map(|x| x.1) == Some('-') {
                        k += 1;
                    }
                    while chars.get(k).is_some_and(|x| x.1 == ' ' || x.1 == '\t') {
                        k += 1;
                    }
                    let mut delim = String::new();
                    let mut quote: Option<char> = None;
                    while let Some(&(_, ch)) = chars.get(k) {
                        match quote {
                            Some(q) if ch == q => quote = None,
                            Some(_) => delim.push(ch),
                            None if ch == '\'' || ch == '"' => quote = Some(ch),
                            None if ch.is_whitespace() || ";&|<>()".contains(ch) => break,
                            None => delim.push(ch),
                        }
                        k += 1;
                    }
                    assert!(quote.is_none(), "install.sh: unterminated heredoc delimiter in {line:?}");
                    pending.push((format!("{logical}{}", &line[..at]).trim().to_string(), delim));
                    j = k;
                    continue;
                }
                _ => {}
            }
            j += 1;
        }
        if sq || dq {
            logical.push_str(line);
            logical.push('\n');
            continue;
        }
        logical.clear();
        for (command, delimiter) in pending.drain(..) {
            let mut body = String::new();
            let mut closed = false;
            while i < lines.len() {
                let l = lines[i];
                i += 1;
                if l == delimiter {
                    closed = true;
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            assert!(closed, "install.sh: heredoc {delimiter:?} is never closed");
            out.push(Heredoc { command, delimiter, body });
        }
    }
    assert!(!sq && !dq, "install.sh ends inside a quoted string");
    out
}

/// Reads one shell word (plain or single-quoted with `'\''` escapes) from the start of `s`; returns it and the rest.
fn sh_word(s: &str) -> (String, &str) {
    let s = s.trim_start();
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    let mut in_quote = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => in_quote = !in_quote,
            '\\' if !in_quote => {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            ' ' | '\t' if !in_quote => return (out, &s[i..]),
            c => out.push(c),
        }
    }
    (out, "")
}

/// Every file install.sh installs is one of the bundle's files, byte for byte and with its mode; every bundle file
/// but the fragment, install.sh and README.txt is installed exactly once.
fn check_heredocs(r: &Rendered) {
    let script = &file(r, "install.sh").content;
    let mut installed: Vec<String> = Vec::new();
    let has_config = r.file("config.toml").is_some();
    for h in heredocs(script) {
        let Some(args) = h.command.strip_prefix("if install_file ") else {
            assert!(h.command.starts_with("cat") && h.delimiter == "CCB_USAGE", "install.sh: unexpected heredoc command {:?}", h.command);
            continue;
        };
        let (dest, rest) = sh_word(args);
        let (mode, _) = sh_word(rest);
        if h.delimiter == "CCB_EOF_MIN" && dest == "config.toml" && !has_config {
            continue; // the minimal config.toml a 2.x node without one gets, next to the drop-in
        }
        let f = r.file(&dest).unwrap_or_else(|| panic!("install.sh installs {dest:?}, which is not in the bundle"));
        assert!(
            h.body == f.content,
            "install.sh's heredoc {} for {dest:?} reads back differently from the bundle file:\n--- heredoc\n{:?}\n--- file\n{:?}",
            h.delimiter,
            h.body,
            f.content
        );
        assert_eq!(mode, format!("{:o}", f.mode), "install.sh installs {dest:?} with another mode");
        assert!(!installed.contains(&dest), "install.sh installs {dest:?} twice");
        installed.push(dest);
    }
    let want: Vec<String> = r
        .files
        .iter()
        .map(|f| f.path.clone())
        .filter(|p| p != FRAGMENT_PATH && p != "install.sh" && p != "README.txt" && p != "project.json")
        .collect();
    let mut got_sorted = installed.clone();
    got_sorted.sort();
    let mut want_sorted = want.clone();
    want_sorted.sort();
    assert_eq!(got_sorted, want_sorted, "install.sh installs other files than the bundle's");
}

// -------------------------------------------------------------------------------------------------------------
// tar.gz
// -------------------------------------------------------------------------------------------------------------

/// The archive lists exactly the bundle's files, in order, with their contents and modes, under one root folder,
/// each parent directory entry before its files.
fn check_archive(r: &Rendered) {
    let bytes = archive::tar_gz(r, 1_796_083_200);
    let mut a = tar::Archive::new(flate2::read::GzDecoder::new(&bytes[..]));
    let root = format!("{}/", archive::ARCHIVE_ROOT);
    let mut files: Vec<String> = Vec::new();
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    for e in a.entries().expect("tar.gz reads back") {
        let mut e = e.expect("tar entry reads back");
        let path = e.path().expect("entry path").to_string_lossy().into_owned();
        let rel = path.strip_prefix(&root).unwrap_or_else(|| panic!("archive entry {path:?} outside {root}")).to_string();
        if e.header().entry_type().is_dir() {
            dirs.insert(rel.trim_end_matches('/').to_string());
            continue;
        }
        assert!(e.header().entry_type().is_file(), "{rel}: not a regular file");
        if let Some((parent, _)) = rel.rsplit_once('/') {
            assert!(dirs.contains(parent), "{rel}: its directory entry does not come first");
        }
        let mut content = Vec::new();
        e.read_to_end(&mut content).expect("entry content");
        let f = file(r, &rel);
        assert!(content == f.content.as_bytes(), "{rel}: archived content differs");
        assert_eq!(e.header().mode().expect("mode"), f.mode, "{rel}: archived mode");
        files.push(rel);
    }
    let want: Vec<String> = r.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(files, want, "the archive lists other files than the bundle");
}

// -------------------------------------------------------------------------------------------------------------
// Share links
// -------------------------------------------------------------------------------------------------------------

/// `decode(encode(p))` is `p` without its secrets, in the same language; and encoding is stable.
pub fn check_share_round_trip(p: &Project, lang: Option<&str>) {
    let enc = share::encode(p, lang);
    assert!(enc.fragment.starts_with("c1.") || enc.fragment.starts_with("z1."), "link format: {}", enc.fragment);
    let back = match share::decode(&enc.fragment) {
        Ok(back) => back,
        // A project file may hold more than a link opens (TooLong / TooLarge): refusing it is right.
        Err(e) if format!("{e:?}").starts_with("TooL") => return,
        Err(e) => panic!("our own link does not decode: {e:?}\n{}", enc.fragment),
    };
    let (clean, _) = secrets::strip_secrets(p);
    assert!(back.project == clean, "share round trip changes the project:\nwant {clean:?}\ngot  {:?}", back.project);
    assert_eq!(back.lang.as_deref(), lang, "share round trip changes the language");
    assert_eq!(share::encode(&back.project, lang).fragment, enc.fragment, "re-encoding the decoded project differs");
}
