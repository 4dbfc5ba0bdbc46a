//! Property tests for `render_merged`: random projects merged into random node files.
//!
//! Node files start from the real default configs (containerd 1.6.20 and 2.1.9, a kubeadm file), small files in
//! the shapes the merge must not overwrite (`registry = 5`, `[[plugins]]`, inline tables, dotted keys, a string
//! `version`), and get random additions: root keys, tables and arrays of tables anywhere (dotted keys, inline
//! tables, comments), legacy `mirrors` and `configs.*.tls` entries, and the node's own credentials. Properties:
//! - `render_merged` never panics; a file it cannot merge is refused with an `existing_config` error;
//! - the merged config.toml parses, and every key the merge does not manage keeps its value (read back with the
//!   `toml` crate, independently of toml_edit), even when the merge reports conflicts;
//! - merging the merged file again gives the same file (idempotent);
//! - when installable, the merged file has `config_path` (hosts-dir style) and no `mirrors` next to it;
//! - the file's mode is 0600 exactly when its content holds credentials (the project's or the node's), and
//!   install.sh installs it with that mode;
//! - the merge's own read-back check (`M16-merge-self-check`) never fires.

use std::path::Path;

use ccb_core::model::*;
use ccb_core::{net, plan, render_merged, secrets, Rendered, Severity};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

const CASES: u32 = 192;

fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(CASES),
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Projects
// ---------------------------------------------------------------------------------------------------------------

const RANGES: &[(&str, &str)] =
    &[("1.6.20", "1.7.x"), ("1.7.0", "2.1.x"), ("2.0.7", "2.2.x"), ("1.6.0", "1.7.x"), ("2.2.0", "2.2.x"), ("2.2.2", "2.3.x")];
const UPSTREAMS: &[&str] = &["docker.io", "quay.io", "ghcr.io", "registry.k8s.io", "registry.example.com:5000", "_default"];
/// Strings that have broken TOML writers: quotes, backslashes, `#`, `]`, `=`, newlines, unicode.
const NASTY: &[&str] = &["a\"b", "back\\slash", "#]=", "x\ny", "ü中🦀", "'''", "\"\"\""];
const SANDBOX: &[&str] = &["registry.k8s.io/pause:3.9", "registry.internal:5000/pause:3.9"];
const DIRS: &[&str] = &["/var/lib/containerd", "/data/containerd", "/run/containerd-x"];
const IMPORTS: &[&str] = &["/etc/containerd/conf.d/*.toml", "/etc/containerd/x.toml"];
const SNAPSHOTTERS: &[Snapshotter] = &[Snapshotter::Overlayfs, Snapshotter::Native, Snapshotter::Zfs];

fn endpoint(j: usize) -> BoxedStrategy<Endpoint> {
    (any::<bool>(), proptest::option::weighted(0.15, select(NASTY)), proptest::bool::weighted(0.2))
        .prop_map(move |(https, nasty, ca)| {
            let scheme = if https { "https" } else { "http" };
            let url = match nasty {
                Some(n) => format!("{scheme}://m{j}.example.com/{n}"),
                None => format!("{scheme}://m{j}.example.com"),
            };
            let tls = if ca { Tls { ca: vec![CaCert::Path("/etc/pki/m.crt".into())], ..Default::default() } } else { Tls::default() };
            Endpoint { url, tls, ..Default::default() }
        })
        .boxed()
}

fn registry(i: usize) -> BoxedStrategy<Registry> {
    (select(UPSTREAMS), (0usize..3).prop_flat_map(move |n| (0..n).map(|j| endpoint(i * 10 + j)).collect::<Vec<_>>()))
        .prop_map(|(upstream, endpoints)| Registry { upstream: upstream.to_string(), endpoints, ..Default::default() })
        .boxed()
}

fn auth_method() -> BoxedStrategy<AuthMethod> {
    let secret = (100u32..1_000_000).prop_map(|n| format!("Zs{n}\"#"));
    prop_oneof![
        (secret.clone(), any::<bool>()).prop_map(|(pw, encode_as_auth)| AuthMethod::Basic {
            username: "robot$pull".into(),
            password: Secret::literal(&pw),
            encode_as_auth
        }),
        secret.clone().prop_map(|pw| AuthMethod::Auth { auth: Secret::literal(&secrets::basic_auth("u", &pw)) }),
        secret.prop_map(|t| AuthMethod::IdentityToken { token: Secret::literal(&t) }),
    ]
    .boxed()
}

fn project() -> BoxedStrategy<Project> {
    let daemon = (
        proptest::option::weighted(0.2, select(DIRS)),
        proptest::option::weighted(0.2, select(DIRS)),
        proptest::option::weighted(0.2, -1000i64..=1000),
        proptest::collection::vec(select(IMPORTS), 0..2),
        proptest::option::weighted(0.2, select(&["info", "debug"][..])),
        proptest::option::weighted(0.2, select(SNAPSHOTTERS)),
    )
        .prop_map(|(root, state, oom_score, imports, level, snapshotter)| Daemon {
            root: root.map(String::from),
            state: state.map(String::from),
            oom_score,
            imports: imports.into_iter().map(String::from).collect(),
            debug: level.map(|l| DebugSettings { address: None, level: Some(l.to_string()) }),
            metrics_address: None,
            snapshotter,
        });
    (
        select(RANGES),
        prop_oneof![3 => Just(OutputStyle::HostsDir), 1 => Just(OutputStyle::Legacy)],
        (0usize..3).prop_flat_map(|n| (0..n).map(registry).collect::<Vec<_>>()),
        proptest::collection::vec((any::<prop::sample::Index>(), auth_method()), 0..2),
        proptest::option::weighted(0.3, select(SANDBOX)),
        daemon,
    )
        .prop_map(|((min, max), output, mut registries, auth, sandbox, daemon)| {
            let mut seen = Vec::new();
            registries.retain(|r| {
                let new = !seen.contains(&r.upstream);
                seen.push(r.upstream.clone());
                new
            });
            let hosts: Vec<String> = registries
                .iter()
                .flat_map(|r| r.endpoints.iter())
                .filter_map(|e| e.url.split("://").nth(1).and_then(|h| h.split('/').next()).map(str::to_string))
                .collect();
            let mut creds: Vec<Credential> = Vec::new();
            for (i, method) in auth {
                if hosts.is_empty() {
                    break;
                }
                let host = i.get(&hosts).clone();
                if !creds.iter().any(|c| c.host == host) {
                    creds.push(Credential { host, method });
                }
            }
            Project {
                target: Target { min: min.parse().unwrap(), max: max.parse().unwrap() },
                output,
                registries,
                auth: creds,
                sandbox_image: sandbox.map(String::from),
                daemon,
                ..Default::default()
            }
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------------------------
// Node files
// ---------------------------------------------------------------------------------------------------------------

fn read_config(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs").join(name)).unwrap()
}

/// A starting file: (text, whether it holds credentials).
fn bases() -> Vec<(String, bool)> {
    let cri = "[plugins.\"io.containerd.grpc.v1.cri\"]";
    vec![
        (read_config("containerd-1.6.20-default.toml"), false),
        (read_config("kubeadm-systemd-cgroup.toml"), false),
        (read_config("containerd-2.1.9-default.toml"), false),
        ("version = 2\n".into(), false),
        ("version = 3\n".into(), false),
        (format!("version = 2\n{cri}\n  registry = 5\n"), false),
        ("version = 2\nplugins = \"x\"\n".into(), false),
        ("version = 2\n\n[[plugins]]\n  name = \"a\"\n".into(), false),
        ("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = 5\n".into(), false),
        (
            format!("version = 2\n{cri}\n  registry = {{ config_path = \"\", configs = {{ \"n.example.com\" = {{ auth = {{ password = \"Znode\" }} }} }} }} # inline\n"),
            true,
        ),
        (format!("version = 2\n{cri}\n  registry.config_path = \"\"\n  registry.mirrors.\"quay.io\".endpoint = [\"https://q.example.com\"]\n"), false),
        ("version = \"2\"\n".into(), false),
        ("version = 2\nimports = [\n  \"/etc/a.toml\", # first\n]\n".into(), false),
    ]
}

#[derive(Debug, Clone)]
enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    Float,
    Strings(Vec<String>),
    Inline(i64, String),
}

impl Val {
    fn toml(&self) -> String {
        let s = |x: &str| toml_edit::Value::from(x).to_string().trim().to_string();
        match self {
            Val::Str(x) => s(x),
            Val::Int(i) => i.to_string(),
            Val::Bool(b) => b.to_string(),
            Val::Float => "0.5".into(),
            Val::Strings(v) => format!("[{}]", v.iter().map(|x| s(x)).collect::<Vec<_>>().join(", ")),
            Val::Inline(i, x) => format!("{{ n = {i}, s = {} }}", s(x)),
        }
    }
}

fn val() -> BoxedStrategy<Val> {
    let text = prop_oneof![select(NASTY).prop_map(String::from), "[a-z ]{0,8}"];
    prop_oneof![
        text.clone().prop_map(Val::Str),
        any::<i64>().prop_map(Val::Int),
        any::<bool>().prop_map(Val::Bool),
        Just(Val::Float),
        proptest::collection::vec(text.clone(), 0..3).prop_map(Val::Strings),
        (any::<i64>(), text).prop_map(|(i, s)| Val::Inline(i, s)),
    ]
    .boxed()
}

/// Parents of added tables; `{cri}` is the CRI image plugin of the file's version.
const PARENTS: &[&str] = &[
    "plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes",
    "plugins.\"{cri}\"",
    "plugins.\"{cri}\".registry",
    "plugins.\"{cri}\".registry.configs.\"other.example.com\"",
    "plugins.\"io.containerd.x.v1.custom\"",
    "grpc",
    "\"ü ber\".x",
];
const MIRROR_NS: &[&str] = &["docker.io", "quay.io", "*", "registry.example.com:5000", "ghcr.io", "bad_ns!"];
const TLS_HOSTS: &[&str] = &["nm0.example.com", "nm1.example.com", "tls.example.com"];

#[derive(Debug, Clone)]
enum Piece {
    RootKey(Val),
    Table { parent: usize, values: Vec<Val>, dotted: bool },
    ArrayOfTables { parent: usize, values: Vec<Val> },
    Comment,
    Mirror { ns: usize, endpoints: Vec<usize> },
    LegacyTls { host: usize, relative: bool, skip_verify: bool },
    /// 0: username + password, 1: auth, 2: identitytoken, 3: an empty password (no credential).
    NodeAuth(usize),
    SecretHeader,
}

fn piece() -> BoxedStrategy<Piece> {
    prop_oneof![
        2 => val().prop_map(Piece::RootKey),
        3 => (0..PARENTS.len(), proptest::collection::vec(val(), 1..4), any::<bool>())
            .prop_map(|(parent, values, dotted)| Piece::Table { parent, values, dotted }),
        1 => (0..PARENTS.len(), proptest::collection::vec(val(), 1..3)).prop_map(|(parent, values)| Piece::ArrayOfTables { parent, values }),
        1 => Just(Piece::Comment),
        2 => (0..MIRROR_NS.len(), proptest::collection::vec(0usize..4, 0..3)).prop_map(|(ns, endpoints)| Piece::Mirror { ns, endpoints }),
        1 => (0..TLS_HOSTS.len(), proptest::bool::weighted(0.2), any::<bool>())
            .prop_map(|(host, relative, skip_verify)| Piece::LegacyTls { host, relative, skip_verify }),
        1 => (0usize..4).prop_map(Piece::NodeAuth),
        1 => Just(Piece::SecretHeader),
    ]
    .boxed()
}

#[derive(Debug, Clone)]
struct NodeFile {
    text: String,
    /// The file holds credentials (a non-empty password / auth / identitytoken, or a secret header).
    credentials: bool,
}

/// Builds the node's file: each piece that keeps the file valid TOML is added (appended, or for root keys
/// put before the first table).
fn node_file() -> BoxedStrategy<NodeFile> {
    let bases = bases();
    (0..bases.len(), proptest::collection::vec(piece(), 0..8))
        .prop_map(move |(b, pieces)| {
            let (mut text, mut credentials) = bases[b].clone();
            let v3 = text.contains("version = 3");
            let cri = if v3 { "io.containerd.cri.v1.images" } else { "io.containerd.grpc.v1.cri" };
            let reg = format!("plugins.\"{cri}\".registry");
            for (i, piece) in pieces.iter().enumerate() {
                let parent = |p: usize| PARENTS[p].replace("{cri}", cri);
                let (add, creds): (String, bool) = match piece {
                    Piece::RootKey(v) => {
                        let candidate = format!("extra_{i} = {} # root {i}\n{text}", v.toml());
                        if candidate.parse::<toml_edit::DocumentMut>().is_ok() {
                            text = candidate;
                        }
                        continue;
                    }
                    Piece::Table { parent: p, values, dotted } => {
                        let mut s = format!("\n[{}.x_{i}] # table {i}\n", parent(*p));
                        for (j, v) in values.iter().enumerate() {
                            if *dotted {
                                s.push_str(&format!("  d{j}.e = {}\n", v.toml()));
                            } else {
                                s.push_str(&format!("  k{j} = {} # value {j}\n", v.toml()));
                            }
                        }
                        (s, false)
                    }
                    Piece::ArrayOfTables { parent: p, values } => {
                        let mut s = String::new();
                        for v in values {
                            s.push_str(&format!("\n[[{}.aot_{i}]]\n  v = {}\n", parent(*p), v.toml()));
                        }
                        (s, false)
                    }
                    Piece::Comment => (format!("# a comment {i} with \"quotes\" and = signs\n"), false),
                    Piece::Mirror { ns, endpoints } => {
                        let list: Vec<String> = endpoints
                            .iter()
                            .map(|e| match e {
                                3 => "\"not a url\"".to_string(),
                                e => format!("\"https://nm{e}.example.com\""),
                            })
                            .collect();
                        (format!("\n[{reg}.mirrors.{}]\n  endpoint = [{}]\n", toml_edit::Value::from(MIRROR_NS[*ns]).to_string().trim(), list.join(", ")), false)
                    }
                    Piece::LegacyTls { host, relative, skip_verify } => {
                        let ca = if *relative { "certs/ca.crt" } else { "/etc/pki/ca.crt" };
                        (format!("\n[{reg}.configs.\"{}\".tls]\n  ca_file = \"{ca}\"\n  insecure_skip_verify = {skip_verify}\n", TLS_HOSTS[*host]), false)
                    }
                    Piece::NodeAuth(kind) => {
                        let body = match kind {
                            0 => "  username = \"robot\"\n  password = \"Znode-pw\"\n",
                            1 => "  auth = \"cm9ib3Q6Wm5vZGU=\"\n",
                            2 => "  identitytoken = \"Znode-token\"\n",
                            _ => "  username = \"robot\"\n  password = \"\"\n",
                        };
                        (format!("\n[{reg}.configs.\"cred{i}.example.com\".auth]\n{body}"), *kind < 3)
                    }
                    Piece::SecretHeader => (format!("\n[{reg}.headers]\n  Authorization = [\"Bearer Znode-header\"]\n"), true),
                };
                let candidate = format!("{text}{add}");
                if candidate.parse::<toml_edit::DocumentMut>().is_ok() {
                    text = candidate;
                    credentials |= creds;
                }
            }
            NodeFile { text, credentials }
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------------------------
// Oracles (the `toml` crate, not toml_edit)
// ---------------------------------------------------------------------------------------------------------------

fn leaves(t: &toml::Table, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, toml::Value)>) {
    for (k, v) in t {
        prefix.push(k.clone());
        match v {
            toml::Value::Table(sub) => leaves(sub, prefix, out),
            _ => out.push((prefix.clone(), v.clone())),
        }
        prefix.pop();
    }
}

fn lookup<'a>(t: &'a toml::Table, path: &[String]) -> Option<&'a toml::Value> {
    let (last, parents) = path.split_last()?;
    let mut cur = t;
    for k in parents {
        cur = cur.get(k)?.as_table()?;
    }
    cur.get(last)
}

/// Whether the merge manages `path` (for a file of `version`): the project's daemon settings, the CRI image
/// settings it sets, `config_path`, the legacy entries (moved out in hosts-dir style, written in legacy style)
/// and the auth of the project's hosts. `imports` is checked apart (appended to).
fn managed(p: &Project, version: i64, path: &[String]) -> bool {
    let s: Vec<&str> = path.iter().map(String::as_str).collect();
    let cri = if version >= 3 { "io.containerd.cri.v1.images" } else { "io.containerd.grpc.v1.cri" };
    let d = &p.daemon;
    let hosts_dir = p.output == OutputStyle::HostsDir;
    // Legacy style writes only the project's own mirrors and TLS tables; the node's other entries stay.
    let pl = plan::plan(p);
    let legacy_mirror = |ns: &str| pl.mirrors.iter().any(|m| m.namespace == ns);
    let legacy_tls = |h: &str| pl.legacy_tls.iter().any(|t| t.host == h);
    match s.as_slice() {
        ["root"] => d.root.is_some(),
        ["state"] => d.state.is_some(),
        ["oom_score"] => d.oom_score.is_some(),
        ["imports"] => true,
        ["debug", "level"] => d.debug.is_some(),
        ["plugins", c, "sandbox_image"] if *c == cri => p.sandbox_image.is_some() && version < 3,
        ["plugins", c, "pinned_images", "sandbox"] if *c == cri => p.sandbox_image.is_some() && version >= 3,
        ["plugins", c, "containerd", "snapshotter"] if *c == cri => d.snapshotter.is_some() && version < 3,
        ["plugins", c, "snapshotter"] if *c == cri => d.snapshotter.is_some() && version >= 3,
        ["plugins", c, "registry", "config_path"] if *c == cri => true,
        ["plugins", c, "registry", "mirrors", ..] if *c == cri && hosts_dir => true,
        ["plugins", c, "registry", "configs", _, "tls", ..] if *c == cri && hosts_dir => true,
        ["plugins", c, "registry", "mirrors", ns, "endpoint"] if *c == cri => legacy_mirror(ns),
        ["plugins", c, "registry", "configs", h, "tls", _] if *c == cri => legacy_tls(h),
        ["plugins", c, "registry", "configs", h, "auth", ..] if *c == cri => p.auth.iter().any(|a| a.host.trim() == *h),
        _ => false,
    }
}

fn config_file(r: &Rendered) -> Option<&ccb_core::RenderedFile> {
    r.file("config.toml")
}

/// The mode install.sh installs config.toml with.
fn installed_mode(r: &Rendered) -> Option<String> {
    let script = &r.file("install.sh")?.content;
    script.lines().find_map(|l| {
        let w: Vec<&str> = l.split_whitespace().collect();
        (w.len() > 3 && w[0] == "if" && w[1] == "install_file" && w[2].trim_matches('\'') == "config.toml").then(|| w[3].to_string())
    })
}

fn check(p: &Project, node: &NodeFile) -> Result<(), TestCaseError> {
    let r = render_merged(p, &node.text);
    prop_assert!(r.diagnostics.iter().all(|d| d.code != "M16-merge-self-check"), "self-check fired: {:?}", r.diagnostics);
    let Some(cfg) = config_file(&r) else {
        // Refused as a whole: an error about the node's file says why, and nothing is installable.
        prop_assert!(!r.installable);
        prop_assert!(r.diagnostics.iter().any(|d| d.path == "existing_config" && d.severity == Severity::Error), "{:?}", r.diagnostics);
        return Ok(());
    };
    let before: toml::Table = toml::from_str(&node.text).map_err(|e| TestCaseError::fail(format!("toml crate: {e}")))?;
    let after: toml::Table = toml::from_str(&cfg.content).map_err(|e| TestCaseError::fail(format!("merged file does not parse: {e}\n{}", cfg.content)))?;
    let version = before.get("version").and_then(|v| v.as_integer()).unwrap_or(1);

    // Every unmanaged value is kept, conflicts or not.
    let mut old = Vec::new();
    leaves(&before, &mut Vec::new(), &mut old);
    for (path, v) in &old {
        if managed(p, version, path) {
            continue;
        }
        prop_assert_eq!(lookup(&after, path), Some(v), "{:?} changed or lost\n--- merged:\n{}", path, cfg.content);
    }
    if let Some(imports) = before.get("imports").and_then(|v| v.as_array()) {
        let got = after.get("imports").and_then(|v| v.as_array());
        prop_assert!(got.is_some_and(|g| g.starts_with(imports)), "imports: {imports:?} no longer a prefix of {got:?}");
    }

    // Idempotent.
    let again = render_merged(p, &cfg.content);
    let again_cfg = config_file(&again).map(|f| f.content.as_str());
    prop_assert_eq!(again_cfg, Some(cfg.content.as_str()), "merging the merged file changed it");

    // Installable: config_path (hosts-dir) and no mirrors next to it.
    if r.installable && p.output == OutputStyle::HostsDir {
        let cri = if version >= 3 { "io.containerd.cri.v1.images" } else { "io.containerd.grpc.v1.cri" };
        let reg = after.get("plugins").and_then(|x| x.get(cri)).and_then(|x| x.get("registry")).and_then(|x| x.as_table());
        let reg = reg.ok_or_else(|| TestCaseError::fail("no registry table"))?;
        prop_assert_eq!(reg.get("config_path").and_then(|v| v.as_str()), Some(CERTS_D));
        prop_assert!(reg.get("mirrors").is_none(), "mirrors next to config_path\n{}", cfg.content);
        // Each node mirror the project does not configure itself now has its hosts.toml.
        let configured: Vec<String> = plan::plan(p).dirs.iter().map(|d| d.namespace.clone()).collect();
        let old_reg = before.get("plugins").and_then(|x| x.get(cri)).and_then(|x| x.get("registry"));
        if let Some(mirrors) = old_reg.and_then(|x| x.get("mirrors")).and_then(|x| x.as_table()) {
            for (ns, _) in mirrors {
                let dir = if ns == "*" { "_default".to_string() } else { ns.clone() };
                if (ns == "*" || net::check_namespace(ns).is_ok()) && !configured.contains(&dir) {
                    prop_assert!(r.file(&format!("{}/hosts.toml", plan::dir_path(&dir))).is_some(), "mirrors.{ns:?} not migrated");
                }
            }
        }
    }

    // The mode follows the content.
    let credentials = node.credentials || !p.auth.is_empty();
    prop_assert_eq!(cfg.mode, if credentials { 0o600 } else { 0o644 }, "node credentials {}, project auth {}", node.credentials, p.auth.len());
    prop_assert_eq!(installed_mode(&r), Some(if credentials { "600" } else { "644" }.to_string()));
    Ok(())
}

#[test]
fn render_merged_keeps_the_node_file() {
    let mut runner = TestRunner::new(config());
    runner.run(&(project(), node_file()), |(p, node)| check(&p, &node)).unwrap();
}

/// The generator reaches the shapes it is meant to: merges that are installable, ones refused for a conflict,
/// migrations, node credentials.
#[test]
fn generator_covers_the_shapes() {
    let mut runner = TestRunner::new(Config { cases: 300, ..config() });
    let (mut installable, mut conflict, mut migrated, mut node_creds, mut refused) = (0, 0, 0, 0, 0);
    for _ in 0..300 {
        let (p, node) = (project(), node_file()).new_tree(&mut runner).unwrap().current();
        let r = render_merged(&p, &node.text);
        installable += r.installable as u32;
        conflict += r.diagnostics.iter().any(|d| d.code == "M12-existing-conflict" || d.code == "M17-legacy-unreadable") as u32;
        migrated += r.diagnostics.iter().any(|d| d.code == "M7-mirrors-migrated") as u32;
        node_creds += node.credentials as u32;
        refused += config_file(&r).is_none() as u32;
    }
    for (what, n) in [("installable", installable), ("conflict", conflict), ("migrated", migrated), ("node credentials", node_creds), ("refused", refused)] {
        assert!(n >= 10, "only {n} of 300 cases: {what}");
    }
}
