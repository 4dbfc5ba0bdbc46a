//! `containerd-config-builder explain`: text and JSON answers, the default release, exit codes, refusals.

mod common;

use common::*;
use serde_json::{json, Value};

fn project(dir: &std::path::Path, v: &Value) -> String {
    s(&write_json(&dir.join("project.json"), v)).to_string()
}

fn pull_only_docker_hub() -> Value {
    json!({"target": {"min": "1.7.0", "max": "2.2.x"},
        "registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://mirror.example.com", "kind": "public_mirror"}]}],
        "auth": [{"host": "registry-1.docker.io", "method": {"type": "basic", "username": "alice", "password": {"env": "HUB_PW"}}}]})
}

#[test]
fn text_answer_names_the_directory_the_hosts_and_the_default_release() {
    let t = tempfile::tempdir().unwrap();
    let p = project(t.path(), &pull_only_docker_hub());
    // The password's variable is not needed: explain shows no secret.
    let r = ccb(&["explain", &p, "nginx"], &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    // The newest release of the range's newest line (2.2.x) is the default.
    assert!(r.stdout.contains("image docker.io/library/nginx:latest (containerd 2.2."), "{}", r.stdout);
    assert!(r.stdout.contains("certs.d: docker.io/ (used)"), "{}", r.stdout);
    let resolve = r.stdout.split("Blobs may be fetched").next().unwrap();
    assert!(resolve.contains("1. https://registry-1.docker.io/v2/library/nginx/manifests/latest"), "{}", r.stdout);
    assert!(!resolve.contains("mirror.example.com"), "a pull-only mirror does not resolve tags: {}", r.stdout);
    assert!(r.stdout.contains("https://mirror.example.com/v2/library/nginx/blobs/<digest>?ns=docker.io"), "{}", r.stdout);
    assert!(r.stdout.contains("registry.configs.\"registry-1.docker.io\".auth"), "{}", r.stdout);
    assert!(r.stdout.contains("password <redacted>"), "{}", r.stdout);
    let r = ccb(&["explain", &p, "nginx", "--json"], &[("HUB_PW", "hub-s3cr3t")]);
    assert!(r.code == 0 && !r.all().contains("hub-s3cr3t"), "{}", r.all());
}

#[test]
fn json_answer_follows_the_release_given_and_speaks_chinese_on_request() {
    let t = tempfile::tempdir().unwrap();
    let p = project(t.path(), &json!({"air_gap": {"registry": "https://registry.internal:5000", "namespaces": ["docker.io"]}}));
    let r = ccb(&["explain", &p, "ghcr.io/o/tool:1", "--json", "--containerd", "1.7.24"], &[]);
    assert_eq!(r.code, 0, "{}", r.all());
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["release"], "1.7.24");
    assert_eq!(v["certs_d"]["chosen"], "_default");
    assert_eq!(v["resolve"][0]["request"], "https://registry.internal:5000/v2/o/tool/manifests/1?ns=ghcr.io");
    assert_eq!(v["registry_contacted_last"], false);
    let r = ccb(&["explain", &p, "ghcr.io/o/tool:1", "--lang", "zh"], &[]);
    assert!(r.stdout.contains("前提：") && r.stdout.contains("_default/（使用）"), "{}", r.stdout);
}

#[test]
fn a_pull_no_host_can_resolve_exits_1() {
    let t = tempfile::tempdir().unwrap();
    let p = project(t.path(), &json!({"registries": [{"upstream": "docker.io", "fallback_to_upstream": false,
        "endpoints": [{"url": "https://a.example.com", "kind": "public_mirror"}, {"url": "https://b.example.com", "kind": "public_mirror"}]}]}));
    let r = ccb(&["explain", &p, "nginx:1.27"], &[]);
    assert_eq!(r.code, 1, "{}", r.all());
    assert!(r.stdout.contains("PULL FAILS") && r.stdout.contains("no resolve hosts"), "{}", r.stdout);
}

#[test]
fn bad_references_releases_and_arguments_exit_2_with_a_reason() {
    let t = tempfile::tempdir().unwrap();
    let p = project(t.path(), &json!({}));
    for (args, says) in [
        (vec!["explain", &p, "Nginx"], "lower case"),
        (vec!["explain", &p, "https://quay.io/app"], "is a URL"),
        (vec!["explain", &p, "nginx", "--containerd", "3.0.0"], "1.5 to 2.3"),
        (vec!["explain", &p, "nginx", "--containerd", "latest"], "expected a release"),
        (vec!["explain", &p], "needs a project file and an image"),
        (vec!["explain", &p, "nginx", "--json", "--json"], "twice"),
        (vec!["explain", &p, "nginx", "--out", "x"], "unknown option"),
    ] {
        let r = ccb(&args, &[]);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    let r = ccb(&["explain", &p, "Nginx", "--lang", "zh"], &[]);
    assert!(r.stderr.contains("仓库名必须是小写"), "{}", r.stderr);
}
