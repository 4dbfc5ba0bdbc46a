//! Runs the generated install.sh with `sh` against a scratch directory (`CONTAINERD_ETC`), for every kind of
//! bundle: merged config.toml, 1.x fragment, 2.x drop-in. Every generated script also passes `sh -n` (and
//! `shellcheck -s sh` when it is installed).

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::Command;

use common::*;
use serde_json::{json, Value};

/// A rendered bundle plus a scratch /etc/containerd next to it.
struct Fixture {
    _tmp: tempfile::TempDir,
    bundle: PathBuf,
    etc: PathBuf,
}

/// Renders `project` (merged into `merge_into` when given) and prepares `<tmp>/etc containerd` holding
/// `config_toml` (none when `None`). The scratch path has a space in it on purpose.
fn fixture(project: &Value, merge_into: Option<&str>, config_toml: Option<&str>, env: &[(&str, &str)]) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    // render_ok runs sh -n (and shellcheck when present) on the script.
    let bundle = render_ok(tmp.path(), project, "bundle", merge_into, env);
    let etc = tmp.path().join("etc containerd");
    fs::create_dir_all(&etc).unwrap();
    if let Some(c) = config_toml {
        write(&etc.join("config.toml"), c);
        fs::set_permissions(etc.join("config.toml"), fs::Permissions::from_mode(0o644)).unwrap();
    }
    Fixture { _tmp: tmp, bundle, etc }
}

impl Fixture {
    fn install(&self, args: &[&str]) -> Run {
        let o = Command::new("sh")
            .arg(self.bundle.join("install.sh"))
            .args(args)
            .current_dir(&self.bundle)
            .env("CONTAINERD_ETC", &self.etc)
            .env("LANG", "C")
            .output()
            .expect("run install.sh");
        Run {
            code: o.status.code().expect("install.sh killed by a signal"),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
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
    let cases: Vec<(&str, Value, Option<&str>, Option<&str>)> = vec![
        ("merged", project_1x_with_auth(), Some(NODE_TOML), Some(NODE_TOML)),
        ("fragment", project_1x_with_auth(), None, Some(NODE_TOML)),
        ("fragment, no config.toml", project_1x_plain(), None, None),
        ("drop-in", project_2x(true), None, Some("version = 3\nimports = [\"/etc/containerd/conf.d/*.toml\"]\n")),
        ("drop-in, no config.toml", project_2x(false), None, None),
    ];
    for (name, project, merge, cfg) in cases {
        let f = fixture(&project, merge, cfg, &[("MIRROR_PW", "pw")]);
        let before = snapshot(&f.etc);
        let r = f.install(&["--dry-run"]);
        assert_eq!(r.code, 0, "{name}: {r:?}");
        assert_eq!(snapshot(&f.etc), before, "{name}: --dry-run wrote something: {r:?}");
        assert!(r.stdout.contains("Dry run: nothing was written."), "{name}: {r:?}");
        assert!(r.stdout.contains("would create"), "{name}: {r:?}");
        assert!(!r.stdout.contains(RESTART), "{name}: {r:?}");
    }
}

// ---- fragment bundle (1.x target, no merge) --------------------------------------------------------------------

#[test]
fn fragment_bundle_never_touches_config_toml_and_needs_no_restart() {
    let f = fixture(&project_1x_plain(), None, Some(NODE_TOML), &[]);
    let r = f.install(&[]);
    assert_eq!(r.code, 0, "{r:?}");
    // config.toml untouched: same bytes, same mode, no backup, the fragment not installed anywhere.
    assert_eq!(read(&f.etc.join("config.toml")), NODE_TOML);
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
    let f = fixture(&project_1x_plain(), None, Some(NODE_TOML), &[]);
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
    for (merge, cfg) in [(None, Some(NODE_TOML)), (Some(NODE_TOML), Some(NODE_TOML))] {
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
    for p in [air_gap, harbor, legacy, project_2x(true), project_1x_plain()] {
        // fixture() runs sh -n (and shellcheck when present) on the script.
        let f = fixture(&p, None, None, &[("MIRROR_PW", "pw")]);
        let r = f.install(&["--dry-run"]);
        assert_eq!(r.code, 0, "{p}: {r:?}");
    }
    let f = fixture(&project_1x_plain(), None, None, &[]);
    let r = f.install(&["--bogus"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("unknown option"), "{r:?}");
}
