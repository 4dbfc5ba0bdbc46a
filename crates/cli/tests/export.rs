//! `export`: the YAML on stdout or in --out, the report on stderr, the exit codes of `check` (0 clean, 1 errors
//! with nothing written, 3 warnings only, 2 unreadable input or a bad flag), secrets from the environment, and
//! the CA files k3s reads by path written under --files-dir.

mod common;

use std::fs;

use common::*;
use serde_json::json;

fn project(t: &std::path::Path, v: serde_json::Value) -> std::path::PathBuf {
    write(&t.join("p.json"), &v.to_string())
}

#[test]
fn a_clean_project_exits_0_with_the_yaml_on_stdout() {
    let t = tempfile::tempdir().unwrap();
    let p = project(t.path(), json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://m.example.com"}]}]}));
    let r = ccb(&["export", "--format", "k3s", s(&p)], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("docker.io:\n    endpoint:\n      - \"https://m.example.com\""), "{}", r.stdout);
    assert!(r.stderr.contains("0 error(s), 0 warning(s)"), "{}", r.stderr);
    let r = ccb(&["export", "--format", "talos", s(&p)], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("kind: RegistryMirrorConfig"), "{}", r.stdout);
    let r = ccb(&["export", "--format", "talos", "--talos-version", "1.11", s(&p)], &[]);
    assert!(r.stdout.starts_with("---\nmachine:\n  registries:\n"), "{}", r.stdout);
}

#[test]
fn warnings_only_exit_3_and_errors_exit_1_writing_nothing() {
    let t = tempfile::tempdir().unwrap();
    // A pull-only public mirror becomes a full mirror: a warning.
    let p = project(t.path(), json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://mirror.gcr.io", "kind": "public_mirror"}]}]}));
    let out = t.path().join("registries.yaml");
    let r = ccb(&["export", "--format", "k3s", s(&p), "--out", s(&out)], &[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("warning[X1-capabilities] registries[0].endpoints[0].capabilities:"), "{}", r.stderr);
    assert!(fs::read_to_string(&out).unwrap().contains("https://mirror.gcr.io"));
    assert_eq!(r.stdout, "", "with --out nothing goes to stdout");
    // A CA given as a node path cannot go to Talos: an error, and no file.
    let p = project(t.path(), json!({"registries": [{"upstream": "r.example.com", "endpoints": [{"url": "https://r.example.com", "tls": {"ca": [{"path": "/etc/pki/ca.crt"}]}}]}]}));
    let out = t.path().join("talos.yaml");
    let r = ccb(&["export", "--format", "talos", s(&p), "--out", s(&out), "--lang", "zh"], &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[X5-talos-inline-ca] registries[0].endpoints[0].tls.ca[0]: Talos Registry*Config 只接受内联的 CA 证书"), "{}", r.stderr);
    assert!(!out.exists(), "nothing written while errors remain");
}

#[test]
fn bad_input_exits_2() {
    let t = tempfile::tempdir().unwrap();
    let p = project(t.path(), json!({}));
    for args in [
        vec!["export", s(&p)],
        vec!["export", "--format", "docker", s(&p)],
        vec!["export", "--format", "talos", "--talos-version", "one", s(&p)],
        vec!["export", "--format", "k3s", "--talos-version", "1.12", s(&p)],
        vec!["export", "--format", "k3s", "/nonexistent/p.json"],
    ] {
        let r = ccb(&args, &[]);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{args:?}");
    }
    // An unset secret variable: the CLI reads {"env": …} like render does.
    let p = project(t.path(), json!({"auth": [{"host": "m.example.com", "method": {"type": "basic", "username": "u", "password": {"env": "MIRROR_PW"}}}]}));
    let r = ccb(&["export", "--format", "k3s", s(&p)], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("MIRROR_PW"), "{}", r.stderr);
    let r = ccb(&["export", "--format", "k3s", s(&p)], &[("MIRROR_PW", "s3cr3t")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("password: s3cr3t"), "{}", r.stdout);
    // In --out, a file with credentials is the owner's only; a symbolic link there is refused.
    let out = t.path().join("registries.yaml");
    let r = ccb(&["export", "--format", "k3s", s(&p), "--out", s(&out)], &[("MIRROR_PW", "s3cr3t")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(mode(&out), 0o600);
    let link = t.path().join("link.yaml");
    std::os::unix::fs::symlink(t.path().join("elsewhere.yaml"), &link).unwrap();
    let r = ccb(&["export", "--format", "k3s", s(&p), "--out", s(&link)], &[("MIRROR_PW", "s3cr3t")]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!t.path().join("elsewhere.yaml").exists());
}

#[test]
fn k3s_ca_files_are_listed_or_written_under_files_dir() {
    let t = tempfile::tempdir().unwrap();
    let p = project(
        t.path(),
        json!({"registries": [{"upstream": "r.example.com:5000", "endpoints": [{"url": "https://r.example.com:5000", "tls": {"ca": [{"pem": {"name": "ca", "pem": TRICKY_PEM}}]}}]}]}),
    );
    let r = ccb(&["export", "--format", "k3s", s(&p)], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("ca_file: \"/etc/rancher/registry-ca/r.example.com:5000/ca.crt\""), "{}", r.stdout);
    assert!(r.stderr.contains("  /etc/rancher/registry-ca/r.example.com:5000/ca.crt"), "{}", r.stderr);
    let files = t.path().join("files");
    let r = ccb(&["export", "--format", "k3s", s(&p), "--files-dir", s(&files)], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(fs::read_to_string(files.join("etc/rancher/registry-ca/r.example.com:5000/ca.crt")).unwrap(), TRICKY_PEM);
}
