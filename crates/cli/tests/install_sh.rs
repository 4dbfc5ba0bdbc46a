//! Runs the generated install.sh with `sh` against a scratch directory (`CONTAINERD_ETC`), for every kind of
//! bundle: merged config.toml, 1.x fragment, 2.x drop-in. Every generated script also passes `sh -n` (and
//! `shellcheck -s sh` when it is installed). Failures are provoked for real (a file where a directory must be,
//! a directory where a file must be, an unwritable directory for an unprivileged user) and, for the steps that
//! cannot fail on demand as root (a full disk, a failing cp or mv), by wrapper commands first in PATH.

mod common;

use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::{json, Value};

/// A rendered bundle plus a scratch /etc/containerd next to it.
struct Fixture {
    _tmp: tempfile::TempDir,
    bundle: PathBuf,
    etc: PathBuf,
    /// TMPDIR of every run: the old script left its temporary copy there when a write failed.
    tmpdir: PathBuf,
}

/// Renders `project` (merged into `merge_into` when given) and prepares `<tmp>/etc containerd` holding
/// `config_toml` (none when `None`). The scratch path has a space in it on purpose.
fn fixture(project: &Value, merge_into: Option<&str>, config_toml: Option<&str>, env: &[(&str, &str)]) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    // render_ok runs sh -n (and shellcheck when present) on the script.
    let bundle = render_ok(tmp.path(), project, "bundle", merge_into, env);
    scratch(tmp, bundle, config_toml)
}

/// `<tmp>/etc containerd` (holding `config_toml` when given) and `<tmp>/tmpdir` next to `bundle`.
fn scratch(tmp: tempfile::TempDir, bundle: PathBuf, config_toml: Option<&str>) -> Fixture {
    let etc = tmp.path().join("etc containerd");
    fs::create_dir_all(&etc).unwrap();
    if let Some(c) = config_toml {
        write(&etc.join("config.toml"), c);
        fs::set_permissions(etc.join("config.toml"), fs::Permissions::from_mode(0o644)).unwrap();
    }
    let tmpdir = tmp.path().join("tmpdir");
    fs::create_dir_all(&tmpdir).unwrap();
    Fixture { _tmp: tmp, bundle, etc, tmpdir }
}

/// How to run install.sh: which shell, which CONTAINERD_ETC, wrapper commands, as which user.
struct Runner<'a> {
    f: &'a Fixture,
    shell: &'a str,
    etc: OsString,
    env: Vec<(String, OsString)>,
    wrappers: Option<PathBuf>,
    as_nobody: bool,
}

impl Runner<'_> {
    fn shell(mut self, shell: &'static str) -> Self {
        self.shell = shell;
        self
    }
    fn etc(mut self, etc: impl Into<OsString>) -> Self {
        self.etc = etc.into();
        self
    }
    fn env(mut self, k: &str, v: impl Into<OsString>) -> Self {
        self.env.push((k.to_string(), v.into()));
        self
    }
    /// Puts `dir` (see [`wrap`]) first in PATH.
    fn wrappers(mut self, dir: &Path) -> Self {
        self.wrappers = Some(dir.to_path_buf());
        self
    }
    /// Runs as uid/gid 65534 (setpriv), so that permission bits really stop a write.
    fn unprivileged(mut self) -> Self {
        self.as_nobody = true;
        self
    }
    fn run(&self, args: &[&str]) -> Run {
        let script = self.f.bundle.join("install.sh");
        let mut c = if self.as_nobody {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", self.shell]);
            c
        } else {
            Command::new(self.shell)
        };
        c.arg(&script).args(args).current_dir(&self.f.bundle).env("CONTAINERD_ETC", &self.etc).env("LANG", "C");
        c.env_remove("LC_ALL").env("TMPDIR", &self.f.tmpdir);
        // The machine's own containerd (the real-containerd test installs one) must not decide what the script
        // says: the node of these tests has none, unless a test brings its own fake in `wrappers`.
        let mut path = std::ffi::OsString::new();
        if let Some(w) = &self.wrappers {
            path.push(w.as_os_str());
            path.push(":");
        }
        path.push(path_without_containerd().as_os_str());
        c.env("PATH", path);
        for (k, v) in &self.env {
            c.env(k, v);
        }
        // Its own process group: a wrapper may signal the whole group (the script, not this test).
        c.process_group(0);
        let o = c.output().expect("run install.sh");
        Run {
            code: o.status.code().expect("install.sh killed by a signal"),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// A directory of links to every program on PATH but containerd and ctr: the PATH of a node without containerd.
fn path_without_containerd() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("path-without-containerd-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        for d in std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()) {
            let Ok(entries) = fs::read_dir(&d) else { continue };
            for e in entries.flatten() {
                let name = e.file_name();
                let n = name.to_string_lossy();
                if n.starts_with("containerd") || n == "ctr" {
                    continue;
                }
                // The first one on PATH wins, as in a shell.
                let _ = std::os::unix::fs::symlink(e.path(), dir.join(&name));
            }
        }
        dir
    })
}

impl Fixture {
    fn runner(&self) -> Runner<'_> {
        Runner { f: self, shell: "sh", etc: self.etc.clone().into(), env: Vec::new(), wrappers: None, as_nobody: false }
    }
    fn install(&self, args: &[&str]) -> Run {
        self.runner().run(args)
    }
    /// Nothing left in TMPDIR, no `*.ccb-tmp.*` file left under the scratch /etc/containerd.
    fn assert_no_temp_files(&self, what: &str) {
        let left: Vec<String> = fs::read_dir(&self.tmpdir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(left.is_empty(), "{what}: left in TMPDIR: {left:?}");
        let left: Vec<String> = snapshot(&self.etc).into_keys().filter(|p| p.contains(".ccb-tmp.")).collect();
        assert!(left.is_empty(), "{what}: temporary files left: {left:?}");
    }
    fn bundle_file(&self, rel: &str) -> Vec<u8> {
        fs::read(self.bundle.join(rel)).unwrap_or_else(|e| panic!("bundle/{rel}: {e}"))
    }
    fn etc_file(&self, rel: &str) -> Vec<u8> {
        fs::read(self.etc.join(rel)).unwrap_or_else(|e| panic!("etc/{rel}: {e}"))
    }
    /// The bundle files install.sh installs as they are (hosts.toml and CA files).
    fn host_files(&self) -> Vec<String> {
        files_under(&self.bundle).into_iter().filter(|f| f.starts_with("certs.d/")).collect()
    }
    fn backups(&self, name: &str) -> Vec<String> {
        let prefix = format!("{name}.bak.");
        let mut v: Vec<String> = fs::read_dir(&self.etc)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&prefix))
            .collect();
        v.sort();
        v
    }
}

fn is_stamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 15 && b[8] == b'-' && b.iter().enumerate().all(|(i, c)| i == 8 || c.is_ascii_digit())
}

const RESTART: &str = "systemctl restart containerd";

/// A node file whose containerd reads certs.d (`config_path` set): a fragment bundle's hosts.toml files are then
/// in effect as soon as they are written, and install.sh exits 0.
const CP_TOML: &str = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = \"/etc/containerd/certs.d\"\n";

/// NODE_TOML with `config_path` set.
fn node_with_config_path() -> String {
    format!("{NODE_TOML}\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = \"/etc/containerd/certs.d\"\n")
}

// ---- merged bundle ----------------------------------------------------------------------------------------------

#[test]
fn merged_bundle_installs_over_the_node_file_it_was_merged_from() {
    let f = fixture(&project_1x_with_auth(), Some(NODE_TOML), Some(NODE_TOML), &[("MIRROR_PW", "pw-1")]);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");

    // config.toml is exactly the bundle's merged file, mode 0600 since it holds credentials.
    assert_eq!(f.etc_file("config.toml"), f.bundle_file("config.toml"));
    assert!(String::from_utf8(f.etc_file("config.toml")).unwrap().contains(r#"password = "pw-1""#));
    assert_eq!(mode(&f.etc.join("config.toml")), 0o600);
    // The node's old file is backed up as config.toml.bak.<YYYYmmdd-HHMMSS>.
    let backups = f.backups("config.toml");
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(is_stamp(backups[0].trim_start_matches("config.toml.bak.")), "{backups:?}");
    assert_eq!(read(&f.etc.join(&backups[0])), NODE_TOML);
    // hosts.toml and the CA file are installed as in the bundle, readable by all.
    let host_files = f.host_files();
    assert_eq!(host_files, vec!["certs.d/docker.io/hosts.toml", "certs.d/docker.io/mirror-ca.crt"]);
    for h in &host_files {
        assert_eq!(f.etc_file(h), f.bundle_file(h), "{h}");
        assert_eq!(mode(&f.etc.join(h)), 0o644, "{h}");
    }
    // The user is told that containerd must restart.
    assert!(r.stdout.contains(RESTART), "{r:?}");
    assert!(r.stdout.contains("config.toml changed"), "{r:?}");
}

#[test]
fn merged_bundle_second_run_says_everything_is_installed() {
    let f = fixture(&project_1x_with_auth(), Some(NODE_TOML), Some(NODE_TOML), &[("MIRROR_PW", "pw-1")]);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    let after_first = snapshot(&f.etc);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "second run: {r:?}");
    assert!(r.stdout.contains("Everything was already installed"), "{r:?}");
    assert!(!r.stdout.contains(RESTART), "{r:?}");
    assert_eq!(snapshot(&f.etc), after_first, "the second run changed files");
}

#[test]
fn merged_bundle_refuses_a_changed_node_file_and_changes_nothing() {
    let changed = format!("{NODE_TOML}\n[debug]\n  level = \"debug\"\n");
    let f = fixture(&project_1x_with_auth(), Some(NODE_TOML), Some(&changed), &[("MIRROR_PW", "pw-1")]);
    let before = snapshot(&f.etc);
    let r = f.install(&[]);
    assert_ne!(r.code, 0, "{r:?}");
    assert_eq!(snapshot(&f.etc), before, "install.sh changed files while refusing");
    assert!(r.all().contains("Nothing was changed"), "{r:?}");
    assert!(r.all().contains("--merge-into"), "no instruction to merge again: {r:?}");
    assert!(!r.all().contains(RESTART), "{r:?}");
}

#[test]
fn merged_bundle_refuses_when_the_node_has_no_config_toml() {
    let f = fixture(&project_1x_plain(), Some(NODE_TOML), None, &[]);
    let r = f.install(&[]);
    assert_ne!(r.code, 0, "{r:?}");
    assert!(snapshot(&f.etc).is_empty(), "{:?}", snapshot(&f.etc));
    assert!(r.stderr.contains("does not exist"), "{r:?}");
}

#[test]
fn identical_config_with_credentials_still_ends_up_0600() {
    // The node's file already holds exactly the merged settings (e.g. the credentials were added by hand).
    let tmp = tempfile::tempdir().unwrap();
    let first = render_ok(tmp.path(), &project_1x_with_auth(), "first", Some(NODE_TOML), &[("MIRROR_PW", "pw-1")]);
    let already = read(&first.join("config.toml"));
    let f = fixture(&project_1x_with_auth(), Some(&already), Some(&already), &[("MIRROR_PW", "pw-1")]);
    assert_eq!(mode(&f.etc.join("config.toml")), 0o644);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(mode(&f.etc.join("config.toml")), 0o600, "{r:?}");
}

// ---- dry run ----------------------------------------------------------------------------------------------------

#[test]
fn dry_run_writes_nothing_for_any_bundle() {
    // A fragment bundle on a node without config_path: installing would leave the settings inactive (exit 3).
    let cases: Vec<(&str, Value, Option<&str>, Option<&str>, i32)> = vec![
        ("merged", project_1x_with_auth(), Some(NODE_TOML), Some(NODE_TOML), 0),
        ("fragment", project_1x_with_auth(), None, Some(NODE_TOML), 3),
        ("fragment, config_path set", project_1x_with_auth(), None, Some(CP_TOML), 0),
        ("fragment, no config.toml", project_1x_plain(), None, None, 3),
        ("drop-in", project_2x(true), None, Some("version = 3\nimports = [\"/etc/containerd/conf.d/*.toml\"]\n"), 0),
        ("drop-in, no config.toml", project_2x(false), None, None, 0),
    ];
    for (name, project, merge, cfg, code) in cases {
        let f = fixture(&project, merge, cfg, &[("MIRROR_PW", "pw")]);
        let before = snapshot(&f.etc);
        let r = f.install(&["--dry-run"]);
        assert_eq!(r.code, code, "{name}: {r:?}");
        assert_eq!(snapshot(&f.etc), before, "{name}: --dry-run wrote something: {r:?}");
        assert!(r.stdout.contains("Dry run: nothing was written."), "{name}: {r:?}");
        assert!(r.stdout.contains("would create"), "{name}: {r:?}");
        if code == 0 {
            assert!(!r.stdout.contains(RESTART), "{name}: {r:?}");
        } else {
            // The restart it mentions is the one after merging config_path, not one this run would need.
            assert!(r.stdout.contains("After installing, the registry settings would NOT be active yet"), "{name}: {r:?}");
        }
    }
}

// ---- fragment bundle (1.x target, no merge) --------------------------------------------------------------------

#[test]
fn fragment_bundle_never_touches_config_toml_and_needs_no_restart() {
    let node = node_with_config_path();
    let f = fixture(&project_1x_plain(), None, Some(&node), &[]);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    // config.toml untouched: same bytes, same mode, no backup, the fragment not installed anywhere.
    assert_eq!(read(&f.etc.join("config.toml")), node);
    assert_eq!(mode(&f.etc.join("config.toml")), 0o644);
    assert!(f.backups("config.toml").is_empty());
    assert!(!f.etc.join("config-fragment.toml").exists());
    assert!(!f.etc.join("conf.d").exists());
    // The hosts.toml files are installed.
    let host_files = f.host_files();
    assert_eq!(host_files, vec!["certs.d/docker.io/hosts.toml", "certs.d/quay.io/hosts.toml"]);
    for h in &host_files {
        assert_eq!(f.etc_file(h), f.bundle_file(h), "{h}");
    }
    // It says how to merge the fragment, and that only host files changed: no restart.
    assert!(r.stdout.contains("--merge-into"), "{r:?}");
    assert!(r.stdout.contains("no restart needed"), "{r:?}");
    assert!(!r.stdout.contains(RESTART), "{r:?}");

    // Run again: nothing to do.
    let before = snapshot(&f.etc);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("Everything was already installed"), "{r:?}");
    assert_eq!(snapshot(&f.etc), before);
}

#[test]
fn fragment_bundle_backs_up_a_changed_hosts_toml() {
    let f = fixture(&project_1x_plain(), None, Some(&node_with_config_path()), &[]);
    let old = "server = \"https://old.test\"\n";
    write(&f.etc.join("certs.d/docker.io/hosts.toml"), old);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(f.etc_file("certs.d/docker.io/hosts.toml"), f.bundle_file("certs.d/docker.io/hosts.toml"));
    let backups: Vec<String> = fs::read_dir(f.etc.join("certs.d/docker.io"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("hosts.toml.bak."))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(read(&f.etc.join("certs.d/docker.io").join(&backups[0])), old);
    assert!(r.stdout.contains("no restart needed"), "{r:?}");
}

// ---- drop-in bundle (2.x-only target) --------------------------------------------------------------------------

#[test]
fn drop_in_bundle_refuses_a_version_2_config() {
    let f = fixture(&project_2x(false), None, Some(NODE_TOML), &[]);
    let before = snapshot(&f.etc);
    let r = f.install(&[]);
    assert_ne!(r.code, 0, "{r:?}");
    assert_eq!(snapshot(&f.etc), before, "install.sh changed files while refusing");
    assert!(r.stderr.contains("not a version 3 config"), "{r:?}");
}

#[test]
fn drop_in_bundle_refuses_a_config_that_does_not_import_conf_d() {
    for cfg in [
        "version = 3\n",
        "version = 3\n# imports = [\"/etc/containerd/conf.d/*.toml\"]\n",
        "version = 3\nimports = [\"/etc/containerd/other/*.toml\"]\n",
    ] {
        let f = fixture(&project_2x(false), None, Some(cfg), &[]);
        let before = snapshot(&f.etc);
        let r = f.install(&[]);
        assert_ne!(r.code, 0, "{cfg:?}: {r:?}");
        assert_eq!(snapshot(&f.etc), before, "{cfg:?}: install.sh changed files while refusing");
        assert!(r.stderr.contains("does not import"), "{cfg:?}: {r:?}");
    }
}

#[test]
fn drop_in_bundle_installs_into_a_version_3_config_that_imports_conf_d() {
    let cfg = "version = 3\nimports = [\"/etc/containerd/conf.d/*.toml\"]\n\n[plugins.\"io.containerd.cri.v1.runtime\"]\n  enable_selinux = false\n";
    let f = fixture(&project_2x(true), None, Some(cfg), &[("MIRROR_PW", "pw-2")]);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    let d = "conf.d/containerd-config-builder.toml";
    assert_eq!(f.etc_file(d), f.bundle_file(d));
    assert!(String::from_utf8(f.etc_file(d)).unwrap().contains(r#"password = "pw-2""#));
    assert_eq!(mode(&f.etc.join(d)), 0o600, "the drop-in holds credentials");
    assert_eq!(read(&f.etc.join("config.toml")), cfg, "config.toml must not change");
    assert!(f.backups("config.toml").is_empty());
    assert!(!f.etc.join("config-fragment.toml").exists());
    assert_eq!(f.etc_file("certs.d/docker.io/hosts.toml"), f.bundle_file("certs.d/docker.io/hosts.toml"));
    // A new drop-in is only read at start.
    assert!(r.stdout.contains(RESTART), "{r:?}");

    let before = snapshot(&f.etc);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("Everything was already installed"), "{r:?}");
    assert_eq!(snapshot(&f.etc), before);
}

#[test]
fn drop_in_bundle_on_a_node_without_config_toml_creates_one_that_imports_it() {
    let f = fixture(&project_2x(false), None, None, &[]);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    let cfg = read(&f.etc.join("config.toml"));
    assert!(cfg.lines().any(|l| l.trim() == "version = 3"), "{cfg}");
    assert!(cfg.contains(r#"imports = ["/etc/containerd/conf.d/*.toml"]"#), "{cfg}");
    assert!(f.etc.join("conf.d/containerd-config-builder.toml").exists());
    assert!(r.stdout.contains(RESTART), "{r:?}");
}

#[test]
fn drop_in_bundle_accepts_a_multi_line_imports_array() {
    let cfg = "version = 3\nimports = [\n  \"/etc/containerd/conf.d/*.toml\",\n]\n";
    let f = fixture(&project_2x(false), None, Some(cfg), &[]);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(f.etc.join("conf.d/containerd-config-builder.toml").exists());
}

// ---- heredoc safety ---------------------------------------------------------------------------------------------

#[test]
fn pasted_ca_with_delimiter_like_lines_is_installed_byte_for_byte() {
    // Fragment bundle: the CA is the 2nd heredoc (CCB_EOF_2); merged bundle: the 3rd. TRICKY_PEM holds both,
    // plus quotes, $, backticks and a backslash.
    let node = node_with_config_path();
    for (merge, cfg) in [(None, Some(node.as_str())), (Some(NODE_TOML), Some(NODE_TOML))] {
        let f = fixture(&project_1x_with_auth(), merge, cfg, &[("MIRROR_PW", "pw")]);
        let script = read(&f.bundle.join("install.sh"));
        assert!(script.contains("\nCCB_EOF_2\n"), "the CA content should be in the script as is");
        let r = f.install(&[]);
        assert_eq!(r.code, 0, "{r:?}");
        let ca = "certs.d/docker.io/mirror-ca.crt";
        assert_eq!(f.bundle_file(ca), TRICKY_PEM.as_bytes());
        assert_eq!(String::from_utf8(f.etc_file(ca)).unwrap(), TRICKY_PEM, "merged: {}", merge.is_some());
        // The file after it is intact too (a heredoc ending early would leave shell commands in it or fail).
        assert_eq!(f.etc_file("certs.d/docker.io/hosts.toml"), f.bundle_file("certs.d/docker.io/hosts.toml"));
    }
}

#[test]
fn node_config_with_delimiter_like_lines_is_installed_byte_for_byte() {
    let node = format!("{NODE_TOML}# CCB_EOF_1\n[plugins.\"io.containerd.grpc.v1.cri\".x]\n  note = '''\nCCB_EOF_1\nCCB_EOF_1X\n$(echo pwned)\n'''\n");
    let f = fixture(&project_1x_plain(), Some(&node), Some(&node), &[]);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(f.etc_file("config.toml"), f.bundle_file("config.toml"));
    assert!(read(&f.etc.join("config.toml")).contains("\nCCB_EOF_1\nCCB_EOF_1X\n$(echo pwned)\n"));
}

// ---- script hygiene ---------------------------------------------------------------------------------------------

#[test]
fn every_kind_of_bundle_has_a_syntactically_valid_script() {
    let air_gap = json!({
        "target": {"min": "1.7.0", "max": "2.1.x"},
        "air_gap": {"registry": "https://reg.internal:5000", "namespaces": ["docker.io", "quay.io"],
                    "tls": {"ca": [{"pem": {"name": "reg", "pem": TRICKY_PEM}}]}},
        "sandbox_image": "reg.internal:5000/pause:3.9"
    });
    let harbor = json!({
        "target": {"min": "1.6.20", "max": "2.1.x"},
        "harbor": {"address": "https://cr.test", "mappings": [{"upstream": "docker.io", "project": "hub"}, {"upstream": "quay.io", "project": "quay"}]},
        "auth": [{"host": "cr.test", "method": {"type": "basic", "username": "robot$it's", "password": "p'a\"s$s`w"}}]
    });
    let legacy = json!({
        "target": {"min": "1.6.20", "max": "1.7.x"}, "output": "legacy",
        "registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://mirror.test"}]}]
    });
    // No config.toml on the node: fragment bundles (hosts-dir style) would leave config_path unset (exit 3).
    for (p, code) in [(air_gap, 3), (harbor, 3), (legacy, 0), (project_2x(true), 0), (project_1x_plain(), 3)] {
        // fixture() runs sh -n (and shellcheck when present) on the script.
        let f = fixture(&p, None, None, &[("MIRROR_PW", "pw")]);
        let r = f.install(&["--dry-run"]);
        assert_eq!(r.code, code, "{p}: {r:?}");
    }
    let f = fixture(&project_1x_plain(), None, None, &[]);
    let r = f.install(&["--bogus"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("unknown option"), "{r:?}");
}

// ---- the bundle's language -------------------------------------------------------------------------------------

/// A bundle rendered in Chinese (here by the locale of the machine that renders it) speaks Chinese on a node whose
/// locale is C: install.sh never reads LANG. It still is valid sh and ends with the same exit statuses.
#[test]
fn a_chinese_bundle_speaks_chinese_whatever_the_node_locale() {
    let zh = [("LC_ALL", "zh_CN.UTF-8"), ("MIRROR_PW", "pw")];
    let script = |f: &Fixture| String::from_utf8(f.bundle_file("install.sh")).unwrap();

    // Fragment bundle, node without config_path: the hosts files go in, exit 3 (not active yet).
    let f = fixture(&project_1x_plain(), None, Some(NODE_TOML), &zh);
    assert!(!script(&f).contains("LANG"), "install.sh must not switch on the node's locale");
    let dry = f.install(&["--dry-run"]);
    assert_eq!(dry.code, 3, "{dry:?}");
    assert!(dry.stdout.contains("演练：没有写入任何文件。") && dry.stdout.contains("将创建"), "{dry:?}");
    assert!(dry.stdout.contains("安装之后，仓库设置仍【不会生效】"), "{dry:?}");
    let r = f.install(&[]);
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stdout.contains("已写入      "), "{r:?}");
    assert!(r.stdout.contains("注意：本脚本不会改动 config.toml"), "{r:?}");
    assert!(r.stdout.contains("仓库设置【尚未生效】"), "{r:?}");
    assert!(!r.stdout.contains("wrote") && !r.stdout.contains("Verify"), "English left in a Chinese run: {r:?}");
    for h in f.host_files() {
        assert_eq!(f.etc_file(&h), f.bundle_file(&h), "{h}");
    }

    // Merged bundle: the restart advice, then a refusal over a changed node file.
    let f = fixture(&project_1x_with_auth(), Some(NODE_TOML), Some(NODE_TOML), &zh);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("config.toml 已改动。containerd 无法重新加载配置") && r.stdout.contains(RESTART), "{r:?}");
    let again = f.install(&[]);
    assert!(again.stdout.contains("所有文件早已安装。"), "{again:?}");
    fs::write(f.etc.join("config.toml"), "version = 2\n# changed\n").unwrap();
    let refused = f.install(&[]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(refused.stdout.contains("没有改动任何文件") && refused.stdout.contains("--merge-into"), "{refused:?}");

    // Drop-in bundle over a version 2 config: refused, in Chinese, on stderr.
    let f = fixture(&project_2x(true), None, Some("version = 2\n"), &zh);
    let r = f.install(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("install.sh：错误：") && r.stderr.contains("不是 version 3 配置"), "{r:?}");

    // Usage and an unknown option.
    let r = f.install(&["--bogus"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("未知选项") && r.stderr.contains("退出码："), "{r:?}");
}

// ---- helpers for the failure and ownership tests ---------------------------------------------------------------

/// The absolute path of `cmd` in PATH (the real one, for a wrapper to hand over to).
fn real_command(cmd: &str) -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join(cmd))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{cmd} not in PATH"))
}

/// Writes `<dir>/<cmd>`, a wrapper that runs `body` (with `$REAL` the real command) instead of `cmd`.
fn wrap(dir: &Path, cmd: &str, body: &str) {
    fs::create_dir_all(dir).unwrap();
    let p = dir.join(cmd);
    let script = format!("#!/bin/sh\nREAL='{}'\n{body}\n", real_command(cmd).display());
    fs::write(&p, script).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
}

/// A wrapper that makes `cmd` fail once, like a full disk or an I/O error would, when one of its arguments, or
/// the file its output goes to (for `cat > file`), matches the shell pattern `$CCB_FAIL`. With `CCB_FAIL_HOW=term`
/// it sends SIGTERM to the script's process group instead (an interrupted run). `$CCB_FAILED` records it.
fn fault_injector(dir: &Path, cmd: &str) {
    let body = format!(
        r#"if [ ! -e "$CCB_FAILED" ]; then
  for a in "$@" "$(readlink /proc/$$/fd/1 2>/dev/null)"; do
    case "$a" in
      $CCB_FAIL)
        printf '%s\n' "$a" > "$CCB_FAILED"
        if [ "${{CCB_FAIL_HOW:-}}" = term ]; then kill -TERM 0; sleep 5; fi
        echo "{cmd}: injected failure: No space left on device" >&2
        exit 1 ;;
    esac
  done
fi
exec "$REAL" "$@""#
    );
    wrap(dir, cmd, &body);
}

/// Fails when `text` holds a control character other than a newline (ESC, BEL, CR, C1 controls...).
fn assert_no_controls(text: &str, what: &str) {
    let bad: Vec<char> = text.chars().filter(|c| c.is_control() && *c != '\n').collect();
    assert!(bad.is_empty(), "{what}: raw control characters {bad:?} in:\n{text}");
}

fn owner(p: &Path) -> u32 {
    fs::symlink_metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).uid()
}

fn chown_nobody(p: &Path) {
    std::os::unix::fs::chown(p, Some(65534), Some(65534)).unwrap();
}

/// A fragment bundle (docker.io, then quay.io) over a node where both hosts.toml files already exist with other
/// content: the 2nd file's failure comes after the 1st was replaced.
fn two_old_hosts_files() -> Fixture {
    let f = fixture(&project_1x_plain(), None, None, &[]);
    write(&f.etc.join("certs.d/docker.io/hosts.toml"), "server = \"https://old-docker.test\"\n");
    write(&f.etc.join("certs.d/quay.io/hosts.toml"), "server = \"https://old-quay.test\"\n");
    f
}

const SHELLS: [&str; 2] = ["dash", "bash"];

// ---- failures stop the script and undo the run (issue 7, case 6) -----------------------------------------------

#[test]
fn certs_d_being_a_regular_file_fails_without_claiming_success() {
    for shell in SHELLS {
        let f = fixture(&project_1x_plain(), None, Some(NODE_TOML), &[]);
        write(&f.etc.join("certs.d"), "not a directory\n");
        let before = snapshot(&f.etc);
        let r = f.runner().shell(shell).run(&[]);
        assert_eq!(r.code, 1, "{shell}: {r:?}");
        assert!(r.stderr.contains("certs.d is in the way: it is not a directory"), "{shell}: {r:?}");
        assert!(!r.stdout.contains("wrote"), "{shell}: {r:?}");
        assert!(!r.all().contains("no restart needed"), "{shell}: {r:?}");
        assert!(!r.all().contains("Everything was already installed"), "{shell}: {r:?}");
        assert_eq!(snapshot(&f.etc), before, "{shell}");
        f.assert_no_temp_files(shell);
    }
}

#[test]
fn a_blocked_second_file_restores_the_first_from_its_backup() {
    for shell in SHELLS {
        let f = two_old_hosts_files();
        // quay.io's directory is a regular file now: its hosts.toml cannot be written.
        fs::remove_dir_all(f.etc.join("certs.d/quay.io")).unwrap();
        write(&f.etc.join("certs.d/quay.io"), "in the way\n");
        fs::set_permissions(f.etc.join("certs.d/docker.io/hosts.toml"), fs::Permissions::from_mode(0o640)).unwrap();
        let before = snapshot(&f.etc);
        let r = f.runner().shell(shell).run(&[]);
        assert_eq!(r.code, 1, "{shell}: {r:?}");
        // docker.io's file was replaced (and backed up) first, then put back: same bytes, same mode, no backup left.
        assert!(r.stdout.contains("wrote       "), "{shell}: the first file should have been written: {r:?}");
        assert_eq!(snapshot(&f.etc), before, "{shell}: {r:?}");
        assert!(r.stderr.contains("certs.d/quay.io is in the way"), "{shell}: {r:?}");
        assert!(r.stderr.contains("restored    ") && r.stderr.contains("certs.d/docker.io/hosts.toml"), "{shell}: {r:?}");
        assert!(r.stderr.contains("Every file is as it was before this run."), "{shell}: {r:?}");
        assert!(!r.all().contains("no restart needed"), "{shell}: {r:?}");
        f.assert_no_temp_files(shell);
    }
}

#[test]
fn a_blocked_second_file_removes_the_files_and_directories_this_run_created() {
    for shell in SHELLS {
        let f = fixture(&project_1x_plain(), None, None, &[]);
        // certs.d/quay.io/hosts.toml is a directory: nothing may be moved into it.
        fs::create_dir_all(f.etc.join("certs.d/quay.io/hosts.toml")).unwrap();
        let before = snapshot(&f.etc);
        let r = f.runner().shell(shell).run(&[]);
        assert_eq!(r.code, 1, "{shell}: {r:?}");
        assert!(r.stderr.contains("certs.d/quay.io/hosts.toml is in the way: it is not a regular file"), "{shell}: {r:?}");
        // certs.d/docker.io and its hosts.toml were created, then removed again.
        assert!(r.stderr.contains("removed     ") && r.stderr.contains("certs.d/docker.io/hosts.toml"), "{shell}: {r:?}");
        assert_eq!(snapshot(&f.etc), before, "{shell}: {r:?}");
        assert!(fs::read_dir(f.etc.join("certs.d/quay.io/hosts.toml")).unwrap().next().is_none(), "{shell}: moved into the directory");
        f.assert_no_temp_files(shell);
    }
}

#[test]
fn a_merged_config_toml_is_restored_when_a_later_file_fails() {
    for shell in SHELLS {
        let f = fixture(&project_1x_with_auth(), Some(NODE_TOML), Some(NODE_TOML), &[("MIRROR_PW", "pw-1")]);
        write(&f.etc.join("certs.d/docker.io"), "in the way\n");
        let before = snapshot(&f.etc);
        let r = f.runner().shell(shell).run(&[]);
        assert_eq!(r.code, 1, "{shell}: {r:?}");
        assert!(r.stdout.contains("config.toml.bak."), "{shell}: config.toml should have been replaced first: {r:?}");
        assert_eq!(snapshot(&f.etc), before, "{shell}: {r:?}");
        assert_eq!(read(&f.etc.join("config.toml")), NODE_TOML);
        assert!(r.stderr.contains("restored    ") && r.stderr.contains("/config.toml"), "{shell}: {r:?}");
        assert!(!r.all().contains(RESTART), "{shell}: {r:?}");
        f.assert_no_temp_files(shell);
    }
}

#[test]
fn an_unwritable_directory_fails_for_an_unprivileged_user_and_is_undone() {
    // Root ignores permission bits, so this runs install.sh as uid 65534: the scratch etc is its own except
    // certs.d/quay.io, which stays root's (0755).
    for shell in SHELLS {
        let f = two_old_hosts_files();
        let root = f.etc.parent().unwrap();
        fs::set_permissions(root, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(&f.bundle, fs::Permissions::from_mode(0o755)).unwrap();
        for p in [&f.etc, &f.etc.join("certs.d"), &f.etc.join("certs.d/docker.io"), &f.etc.join("certs.d/docker.io/hosts.toml"), &f.tmpdir] {
            chown_nobody(p);
        }
        let before = snapshot(&f.etc);
        let r = f.runner().shell(shell).unprivileged().run(&[]);
        assert_eq!(r.code, 1, "{shell}: {r:?}");
        assert!(r.stdout.contains("wrote       "), "{shell}: the first file should have been written: {r:?}");
        assert!(r.stderr.contains("Permission denied"), "{shell}: {r:?}");
        assert!(r.stderr.contains("restored    ") && r.stderr.contains("certs.d/docker.io/hosts.toml"), "{shell}: {r:?}");
        assert_eq!(snapshot(&f.etc), before, "{shell}: {r:?}");
        assert_eq!(owner(&f.etc.join("certs.d/docker.io/hosts.toml")), 65534);
        f.assert_no_temp_files(shell);
    }
}

#[test]
fn every_failing_step_stops_the_script_and_undoes_the_run() {
    // (command, pattern of the argument or output file it fails on, whether certs.d/quay.io exists before).
    let steps = [
        ("mkdir", "*/certs.d/quay.io", false),
        ("mktemp", "*/certs.d/quay.io/hosts.toml.ccb-tmp.*", true),
        ("cat", "*/certs.d/quay.io/hosts.toml.ccb-tmp.*", true), // the disk is full
        ("cp", "*/certs.d/quay.io/hosts.toml", true),            // the backup cannot be made
        ("mv", "*/certs.d/quay.io/hosts.toml.bak.*", true),      // ... or not put in place
        ("chmod", "*/certs.d/quay.io/hosts.toml.ccb-tmp.*", true),
        ("mv", "*/certs.d/quay.io/hosts.toml", true), // the new file cannot be renamed into place
    ];
    for shell in SHELLS {
        for (cmd, pattern, quay_exists) in steps {
            let what = format!("{shell}, {cmd} failing on {pattern}");
            let f = two_old_hosts_files();
            if !quay_exists {
                fs::remove_dir_all(f.etc.join("certs.d/quay.io")).unwrap();
            }
            let wrappers = f.tmpdir.parent().unwrap().join("wrappers");
            fault_injector(&wrappers, cmd);
            let failed = f.tmpdir.parent().unwrap().join("failed");
            let before = snapshot(&f.etc);
            let r = f.runner().shell(shell).wrappers(&wrappers).env("CCB_FAIL", pattern).env("CCB_FAILED", &failed).run(&[]);
            assert!(failed.exists(), "{what}: the failure was never injected: {r:?}");
            assert_eq!(r.code, 1, "{what}: {r:?}");
            assert!(r.stderr.contains("install.sh: ERROR: could not"), "{what}: {r:?}");
            assert!(r.stderr.contains("injected failure"), "{what}: the command's own error is not shown: {r:?}");
            assert!(r.stderr.contains("restored    ") && r.stderr.contains("certs.d/docker.io/hosts.toml"), "{what}: {r:?}");
            assert!(!r.stdout.contains("no restart needed"), "{what}: {r:?}");
            assert_eq!(snapshot(&f.etc), before, "{what}: {r:?}");
            f.assert_no_temp_files(&what);
        }
    }
}

#[test]
fn an_interrupted_run_is_undone_too() {
    for shell in SHELLS {
        let f = two_old_hosts_files();
        let wrappers = f.tmpdir.parent().unwrap().join("wrappers");
        fault_injector(&wrappers, "mv");
        let failed = f.tmpdir.parent().unwrap().join("failed");
        let before = snapshot(&f.etc);
        let r = f
            .runner()
            .shell(shell)
            .wrappers(&wrappers)
            .env("CCB_FAIL", "*/certs.d/quay.io/hosts.toml")
            .env("CCB_FAILED", &failed)
            .env("CCB_FAIL_HOW", "term")
            .run(&[]);
        assert!(failed.exists(), "{shell}: never interrupted: {r:?}");
        assert_eq!(r.code, 143, "{shell}: {r:?}");
        assert!(r.stderr.contains("restored    ") && r.stderr.contains("certs.d/docker.io/hosts.toml"), "{shell}: {r:?}");
        assert_eq!(snapshot(&f.etc), before, "{shell}: {r:?}");
        f.assert_no_temp_files(shell);
    }
}

#[test]
fn dry_run_writes_nothing_and_fails_when_paths_are_blocked() {
    for (name, in_the_way, dir) in [
        ("certs.d is a file", "certs.d", false),
        ("a hosts.toml is a directory", "certs.d/quay.io/hosts.toml", true),
    ] {
        let f = fixture(&project_1x_plain(), None, None, &[]);
        if dir {
            fs::create_dir_all(f.etc.join(in_the_way)).unwrap();
        } else {
            write(&f.etc.join(in_the_way), "x\n");
        }
        let before = snapshot(&f.etc);
        let r = f.install(&["--dry-run"]);
        assert_eq!(r.code, 1, "{name}: {r:?}");
        assert!(r.stdout.contains("would FAIL  "), "{name}: {r:?}");
        assert!(r.stdout.contains("nothing was written, but installing would fail"), "{name}: {r:?}");
        assert_eq!(snapshot(&f.etc), before, "{name}");
        f.assert_no_temp_files(name);
    }
}

#[test]
fn a_backup_from_the_same_second_is_never_overwritten() {
    // A fixed clock: two runs within one second made the same backup name, and the 2nd backup replaced the 1st.
    let f = fixture(&project_1x_plain(), None, Some(CP_TOML), &[]);
    let wrappers = f.tmpdir.parent().unwrap().join("wrappers");
    wrap(&wrappers, "date", "echo 20260101-120000");
    let hosts = f.etc.join("certs.d/docker.io/hosts.toml");
    write(&hosts, "server = \"https://old.test\"\n");
    let earlier = f.etc.join("certs.d/docker.io/hosts.toml.bak.20260101-120000");
    write(&earlier, "an earlier backup\n");
    let r = f.runner().wrappers(&wrappers).run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(read(&earlier), "an earlier backup\n");
    assert_eq!(read(&f.etc.join("certs.d/docker.io/hosts.toml.bak.20260101-120000.1")), "server = \"https://old.test\"\n");
    assert_eq!(f.etc_file("certs.d/docker.io/hosts.toml"), f.bundle_file("certs.d/docker.io/hosts.toml"));
}

// ---- files are replaced, never reused (issue 7, case 3) ---------------------------------------------------------

#[test]
fn files_owned_by_another_user_are_replaced_by_root_owned_files_with_the_bundles_mode() {
    let f = fixture(&project_1x_with_auth(), Some(NODE_TOML), Some(NODE_TOML), &[("MIRROR_PW", "pw-1")]);
    let hosts = f.etc.join("certs.d/docker.io/hosts.toml");
    let ca = f.etc.join("certs.d/docker.io/mirror-ca.crt");
    write(&hosts, "server = \"https://old.test\"\n");
    // The CA already has the bundle's content: only its owner and mode are wrong.
    fs::write(&ca, f.bundle_file("certs.d/docker.io/mirror-ca.crt")).unwrap();
    for p in [&f.etc.join("config.toml"), &hosts, &ca] {
        chown_nobody(p);
        fs::set_permissions(p, fs::Permissions::from_mode(0o666)).unwrap();
    }
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    for (rel, want) in [("config.toml", 0o600), ("certs.d/docker.io/hosts.toml", 0o644), ("certs.d/docker.io/mirror-ca.crt", 0o644)] {
        let p = f.etc.join(rel);
        assert_eq!(f.etc_file(rel), f.bundle_file(rel), "{rel}");
        assert_eq!((owner(&p), mode(&p)), (0, want), "{rel}: {r:?}");
    }
    assert!(r.stdout.contains("fixed       ") && r.stdout.contains("mirror-ca.crt (same content"), "{r:?}");
    // A backup keeps the old file's owner and mode: it is the old file's content, no more readable than it was.
    let bak = f.etc.join(&f.backups("config.toml")[0]);
    assert_eq!((owner(&bak), mode(&bak)), (65534, 0o666));
    assert_eq!(read(&bak), NODE_TOML);
    f.assert_no_temp_files("install");

    let r = f.install(&[]);
    assert!(r.stdout.contains("Everything was already installed."), "second run: {r:?}");
}

#[test]
fn identical_credentials_owned_by_another_user_end_up_root_owned_0600() {
    let tmp = tempfile::tempdir().unwrap();
    let first = render_ok(tmp.path(), &project_1x_with_auth(), "first", Some(NODE_TOML), &[("MIRROR_PW", "pw-1")]);
    let already = read(&first.join("config.toml"));
    let f = fixture(&project_1x_with_auth(), Some(&already), Some(&already), &[("MIRROR_PW", "pw-1")]);
    chown_nobody(&f.etc.join("config.toml"));
    fs::set_permissions(f.etc.join("config.toml"), fs::Permissions::from_mode(0o600)).unwrap();
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    // Only chmod-ing it (the old way) left uid 65534 able to read the credentials.
    assert_eq!((owner(&f.etc.join("config.toml")), mode(&f.etc.join("config.toml"))), (0, 0o600), "{r:?}");
    assert_eq!(read(&f.etc.join("config.toml")), already);
    // Same content: no backup (it would be one more copy of the credentials), no restart.
    assert!(f.backups("config.toml").is_empty());
    assert!(!r.stdout.contains(RESTART), "{r:?}");
    // Once everything else is installed, that is all a run says it did.
    chown_nobody(&f.etc.join("config.toml"));
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(owner(&f.etc.join("config.toml")), 0, "{r:?}");
    assert!(r.stdout.contains("Everything was already installed; only owners or modes were corrected"), "{r:?}");
    assert!(!r.stdout.contains(RESTART), "{r:?}");
}

#[test]
fn a_0600_file_is_backed_up_as_0600() {
    let f = fixture(&project_1x_with_auth(), Some(NODE_TOML), Some(NODE_TOML), &[("MIRROR_PW", "pw-1")]);
    fs::set_permissions(f.etc.join("config.toml"), fs::Permissions::from_mode(0o600)).unwrap();
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    let bak = f.etc.join(&f.backups("config.toml")[0]);
    assert_eq!(mode(&bak), 0o600);
}

#[test]
fn content_is_written_into_a_new_root_only_file_next_to_its_target() {
    let f = fixture(&project_1x_with_auth(), Some(NODE_TOML), Some(NODE_TOML), &[("MIRROR_PW", "pw-1")]);
    let script = read(&f.bundle.join("install.sh"));
    let umask = script.find("\numask 077\n").expect("umask 077");
    assert!(script.find("mktemp").unwrap() > umask, "umask 077 must come before any file is created");
    // A chmod wrapper records each file before its mode is set: by then it holds all its content.
    let wrappers = f.tmpdir.parent().unwrap().join("wrappers");
    let log = f.tmpdir.parent().unwrap().join("chmod.log");
    wrap(&wrappers, "chmod", &format!("stat -c '%a %u %s %n' \"$2\" >> '{}'\nexec \"$REAL\" \"$@\"", log.display()));
    let r = f.runner().wrappers(&wrappers).run(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    let log = read(&log);
    let mut seen = Vec::new();
    for line in log.lines() {
        let mut w = line.splitn(4, ' ');
        let (m, uid, size, path) = (w.next().unwrap(), w.next().unwrap(), w.next().unwrap(), Path::new(w.next().unwrap()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let target = name.split(".ccb-tmp.").next().unwrap();
        let rel = path.parent().unwrap().join(target).strip_prefix(&f.etc).unwrap_or_else(|_| panic!("{line}: not under etc")).to_string_lossy().into_owned();
        assert!(name.contains(".ccb-tmp."), "{line}: not a temporary file next to its target");
        assert_eq!((m, uid), ("600", "0"), "{line}: the content was written into a file readable by others");
        assert_eq!(size.parse::<usize>().unwrap(), f.bundle_file(&rel).len(), "{line}");
        seen.push(rel);
    }
    seen.sort();
    assert_eq!(seen, vec!["certs.d/docker.io/hosts.toml", "certs.d/docker.io/mirror-ca.crt", "config.toml"], "{log}");
}

// ---- control characters are shown escaped (issue 7, case 10) -----------------------------------------------------

#[test]
fn containerd_etc_with_control_characters_is_printed_escaped() {
    for shell in SHELLS {
        let f = fixture(&project_1x_plain(), None, None, &[]);
        let evil = f.etc.parent().unwrap().join("etc\u{1b}]0;pwned\u{7}\u{9b}2J x");
        fs::create_dir_all(&evil).unwrap();
        write(&evil.join("config.toml"), CP_TOML);
        for args in [&[][..], &["--dry-run"][..]] {
            let r = f.runner().shell(shell).etc(&evil).run(args);
            assert_eq!(r.code, 0, "{shell} {args:?}: {r:?}");
            assert_no_controls(&r.all(), shell);
            assert!(r.stdout.contains("etc\\u{1b}]0;pwned\\u{7}\\u{9b}2J x/certs.d/docker.io/hosts.toml"), "{shell}: {r:?}");
        }
        assert_eq!(fs::read(evil.join("certs.d/docker.io/hosts.toml")).unwrap(), f.bundle_file("certs.d/docker.io/hosts.toml"));
        // A failure: the error, the commands' own messages and the rollback report.
        fs::remove_dir_all(evil.join("certs.d/quay.io")).unwrap();
        write(&evil.join("certs.d/quay.io"), "x\n");
        fs::write(evil.join("certs.d/docker.io/hosts.toml"), "old\n").unwrap();
        let r = f.runner().shell(shell).etc(&evil).run(&[]);
        assert_eq!(r.code, 1, "{shell}: {r:?}");
        assert_no_controls(&r.all(), shell);
        assert!(r.stderr.contains("restored    ") && r.stderr.contains("\\u{1b}]0;pwned"), "{shell}: {r:?}");
        // An unknown option is shown escaped as well.
        let r = f.runner().shell(shell).run(&["--\u{1b}[2J"]);
        assert_eq!(r.code, 2, "{r:?}");
        assert_no_controls(&r.all(), shell);
        assert!(r.stderr.contains("unknown option --\\u{1b}[2J"), "{r:?}");
    }
    // Bytes that are not UTF-8 (0x9b is CSI on an 8-bit terminal) come out as \x9b.
    let f = fixture(&project_1x_plain(), None, None, &[]);
    let evil = f.etc.parent().unwrap().join(OsStr::from_bytes(b"etc\x9b2J"));
    fs::create_dir_all(&evil).unwrap();
    let r = f.runner().etc(&evil).run(&["--dry-run"]);
    assert!(r.stdout.contains("etc\\x9b2J/certs.d/"), "{r:?}");
    assert!(!r.stdout.contains('\u{fffd}'), "{r:?}");
}

#[test]
fn names_from_the_bundle_are_printed_escaped_and_never_run() {
    use ccb_core::model::OutputStyle;
    use ccb_core::render::install_sh::{install_sh, ConfigDelivery, InstallPlan};
    // Validation rejects such names; the generator must not rely on it.
    let host = "certs.d/evil\u{1b}[31m\u{9b}.io/hosts.toml";
    let verify = vec![
        "crictl pull evil\u{1b}]0;pwned\u{7}.io/x:1 \"$(touch PWNED)\" `touch PWNED`".to_string(),
        "ctr pull --hosts-dir x '$(touch PWNED)'".to_string(),
    ];
    // In both languages: the words around a name differ, the escaping must not.
    let notes = [(ccb_core::Lang::En, "Merge fragment\\u{1b}[2J.toml into"), (ccb_core::Lang::Zh, "请先把 fragment\\u{1b}[2J.toml 合并进")];
    for (lang, merge_note) in notes {
        let script = install_sh(&InstallPlan {
            header: "test",
            style: OutputStyle::HostsDir,
            config: ConfigDelivery::Fragment { path: "fragment\u{1b}[2J.toml".into() },
            config_file: ("fragment\u{1b}[2J.toml", "version = 2\n"),
            other_files: vec![(host, "server = \"https://x.test\"\n", 0o644)],
            has_credentials: false,
            verify_commands: &verify,
            lang,
        });
        let tmp = tempfile::tempdir().unwrap();
        let bundle = tmp.path().join("bundle");
        write(&bundle.join("install.sh"), &script);
        lint_script(&bundle.join("install.sh"));
        let f = scratch(tmp, bundle, Some(CP_TOML));
        for shell in SHELLS {
            let r = f.runner().shell(shell).run(&[]);
            assert_eq!(r.code, 0, "{shell}: {r:?}");
            assert_no_controls(&r.all(), shell);
            assert!(r.stdout.contains("certs.d/evil\\u{1b}[31m\\u{9b}.io/hosts.toml"), "{shell}: {r:?}");
            assert!(r.stdout.contains(merge_note), "{shell}: {r:?}");
            assert!(r.stdout.contains("crictl pull evil\\u{1b}]0;pwned\\u{7}.io/x:1 \"$(touch PWNED)\" `touch PWNED`"), "{shell}: {r:?}");
            assert!(r.stdout.contains("ctr pull --hosts-dir x '$(touch PWNED)'"), "{shell}: {r:?}");
            assert!(!f.bundle.join("PWNED").exists(), "{shell}: a verify command was run");
            assert_eq!(read(&f.etc.join(host)), "server = \"https://x.test\"\n");
        }
    }
}

// ---- config_path not in effect (issue 8, item 4) ----------------------------------------------------------------

/// A fragment bundle leaves config.toml as it is: when the node's containerd does not read certs.d, the hosts.toml
/// files are written but unused. The old script said "no restart needed" and exited 0.
#[test]
fn fragment_bundle_on_a_node_without_config_path_says_the_settings_are_not_active_and_exits_3() {
    for shell in SHELLS {
        let f = fixture(&project_1x_plain(), None, Some(NODE_TOML), &[]);
        for run in ["first", "second"] {
            let r = f.runner().shell(shell).run(&[]);
            assert_eq!(r.code, 3, "{shell} {run}: {r:?}");
            assert!(r.stdout.contains("The registry settings are NOT active yet"), "{shell} {run}: {r:?}");
            assert!(r.stdout.contains("config.toml does not set config_path = \"/etc/containerd/certs.d\""), "{shell}: {r:?}");
            assert!(!r.stdout.contains("no restart needed") && !r.stdout.contains("Everything was already installed"), "{r:?}");
            // The files are in place all the same, and nothing was undone.
            for h in f.host_files() {
                assert_eq!(f.etc_file(&h), f.bundle_file(&h), "{h}");
            }
            assert!(!r.stderr.contains("undoing"), "{r:?}");
        }
    }
    // Documented in the script's usage text.
    let f = fixture(&project_1x_plain(), None, None, &[]);
    let usage = f.install(&["--help"]);
    assert!(usage.stdout.contains("3  the files are installed, but the registry settings are NOT active yet"), "{usage:?}");
}

/// The node's config.toml is read in each layout (version 1, 2, 3), with table headers or dotted keys and either
/// quote; a config_path that does not include /etc/containerd/certs.d, or an empty one, is not in effect.
#[test]
fn config_path_is_read_from_the_nodes_config_toml_in_every_layout() {
    let cases = [
        ("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = \"/etc/containerd/certs.d\"  # on\n", 0),
        ("version = 2\n[plugins.'io.containerd.grpc.v1.cri']\n  registry.config_path = '/etc/containerd/certs.d:/etc/docker/certs.d'\n", 0),
        ("version = 3\n[plugins.\"io.containerd.cri.v1.images\".registry]\nconfig_path = \"/etc/containerd/certs.d/\"\n", 0),
        ("[plugins.cri.registry]\nconfig_path = \"/etc/containerd/certs.d\"\n", 0),
        // The key of the other version's plugin is not read by this one.
        ("version = 3\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = \"/etc/containerd/certs.d\"\n", 3),
        ("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = \"\"\n", 3),
        ("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = \"/etc/docker/certs.d\"\n", 3),
        ("version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  # config_path = \"/etc/containerd/certs.d\"\n", 3),
    ];
    for (cfg, code) in cases {
        let f = fixture(&project_1x_plain(), None, Some(cfg), &[]);
        let r = f.install(&[]);
        assert_eq!(r.code, code, "{cfg}: {r:?}");
        if code == 0 {
            assert!(r.stdout.contains("config_path includes /etc/containerd/certs.d (in effect)"), "{cfg}: {r:?}");
            assert!(r.stdout.contains("no restart needed"), "{cfg}: {r:?}");
        }
    }
}

/// Where containerd is installed, `containerd config dump` (what containerd really loads) decides.
#[test]
fn containerd_config_dump_decides_where_containerd_is_installed() {
    let dump_with = "version = 2\n[plugins]\n  [plugins.\"io.containerd.grpc.v1.cri\".registry]\n    config_path = '/etc/containerd/certs.d'\n";
    for (file, dump, code) in [(NODE_TOML.to_string(), dump_with, 0), (node_with_config_path(), "version = 2\n", 3)] {
        let f = fixture(&project_1x_plain(), None, Some(&file), &[]);
        let bin = f.tmpdir.parent().unwrap().join("bin");
        fs::create_dir_all(&bin).unwrap();
        let fake = bin.join("containerd");
        fs::write(&fake, format!("#!/bin/sh\n[ \"$3 $4\" = 'config dump' ] || exit 9\ncat <<'EOF'\n{dump}EOF\n")).unwrap();
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
        let r = f.runner().wrappers(&bin).run(&[]);
        assert_eq!(r.code, code, "{r:?}");
        if code == 0 {
            assert!(r.stdout.contains("check       containerd config dump: config_path includes"), "{r:?}");
        } else {
            assert!(r.stdout.contains("containerd config dump does not set config_path"), "{r:?}");
        }
    }
}

// ---- --dry-run needs no root and shows a diff (issue 8, item 10) -----------------------------------------------

#[test]
fn dry_run_as_an_unprivileged_user_is_allowed_and_writes_nothing() {
    let f = fixture(&project_1x_plain(), None, None, &[]);
    let root = f.etc.parent().unwrap();
    fs::set_permissions(root, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&f.bundle, fs::Permissions::from_mode(0o755)).unwrap();
    chown_nobody(&f.tmpdir);
    // CONTAINERD_ETC unset: the node's own /etc/containerd, which a dry run only reads.
    let r = f.runner().unprivileged().etc("").run(&["--dry-run"]);
    assert!(!r.stderr.contains("run as root"), "{r:?}");
    assert!(r.code == 0 || r.code == 3, "{r:?}");
    assert!(r.stdout.contains("Dry run: nothing was written.") && r.stdout.contains("/etc/containerd/certs.d/docker.io/hosts.toml"), "{r:?}");
    // Installing for real still needs root.
    let r = f.runner().unprivileged().etc("").run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("run as root"), "{r:?}");
}

#[test]
fn dry_run_shows_a_unified_diff_of_each_file_that_would_change_with_controls_escaped() {
    let f = fixture(&project_1x_plain(), None, Some(CP_TOML), &[]);
    write(&f.etc.join("certs.d/docker.io/hosts.toml"), "server = \"https://old.test\"\n# \u{1b}[2J\n");
    let before = snapshot(&f.etc);
    let r = f.install(&["--dry-run"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(snapshot(&f.etc), before);
    assert!(r.stdout.contains("would update "), "{r:?}");
    assert!(r.stdout.contains("-server = \"https://old.test\"\n"), "{r:?}");
    assert!(r.stdout.contains("+server = \"https://registry-1.docker.io\"\n"), "{r:?}");
    assert!(r.stdout.contains("-# \\u{1b}[2J\n"), "{r:?}");
    // Tabs are kept (diff separates a header's name and date with one; a tab cannot rewrite the terminal).
    assert_no_controls(&r.all().replace('\t', " "), "dry run diff");
    // A file that would be created: its whole content, added.
    assert!(r.stdout.contains("would create ") && r.stdout.contains("--- /dev/null"), "{r:?}");
    assert!(r.stdout.contains("+server = \"https://quay.io\"\n"), "{r:?}");
}

/// Without diff on the node the dry run still works, and says why it shows no changes.
#[test]
fn dry_run_without_diff_says_it_cannot_show_the_changes() {
    let f = fixture(&project_1x_plain(), None, Some(CP_TOML), &[]);
    write(&f.etc.join("certs.d/docker.io/hosts.toml"), "server = \"https://old.test\"\n");
    // A PATH with the commands a dry run uses, but no diff.
    let bin = f.tmpdir.parent().unwrap().join("no-diff-bin");
    fs::create_dir_all(&bin).unwrap();
    for cmd in ["awk", "cat", "cmp", "cut", "date", "find", "grep", "id", "rm", "sed", "sha256sum", "tr"] {
        std::os::unix::fs::symlink(real_command(cmd), bin.join(cmd)).unwrap();
    }
    let r = f.runner().shell("/bin/sh").env("PATH", &bin).run(&["--dry-run"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("would update ") && r.stdout.contains("(diff is not installed: the changes cannot be shown)"), "{r:?}");
    assert!(!r.stdout.contains("+++ "), "{r:?}");
}
