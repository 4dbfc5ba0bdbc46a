//! The traps of containerd 2.1–2.3 (verified in containerd's source, see each test): a `config_path` listing
//! several directories, the unconditional default `config_path` of 2.2.0–2.2.1 against legacy `mirrors`, and the
//! `referrers` capability that older releases reject.

use ccb_core::model::Project;
use toml_edit::DocumentMut;

const DEFAULT_2_2_7: &str = include_str!("configs/containerd-2.2.7-default.toml");

fn project(v: serde_json::Value) -> Project {
    serde_json::from_value(v).unwrap()
}

fn mirror(min: &str, max: &str, output: &str) -> Project {
    project(serde_json::json!({
        "target": {"min": min, "max": max},
        "output": output,
        "registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://mirror.internal.example.com"}]}]
    }))
}

fn registry_of(r: &ccb_core::Rendered, path: &str, plugin: &str) -> toml_edit::Table {
    let doc: DocumentMut = r.files.iter().find(|f| f.path == path).unwrap().content.parse().unwrap();
    doc["plugins"][plugin]["registry"].as_table().cloned().unwrap_or_default()
}

#[test]
fn every_bundle_writes_one_config_path_directory() {
    for (min, max, path, plugin) in [
        ("1.7.0", "2.3.x", "config-fragment.toml", "io.containerd.grpc.v1.cri"),
        ("2.0.0", "2.2.x", "conf.d/containerd-config-builder.toml", "io.containerd.cri.v1.images"),
        ("2.3.0", "2.3.x", "conf.d/containerd-config-builder.toml", "io.containerd.cri.v1.images"),
    ] {
        let r = ccb_core::render(&mirror(min, max, "hosts_dir"));
        assert_eq!(registry_of(&r, path, plugin)["config_path"].as_str(), Some("/etc/containerd/certs.d"), "{min}–{max}");
    }
}

#[test]
fn merging_over_a_config_path_list_says_what_breaks_and_writes_one_directory() {
    // 2.2.0–2.2.1's default, which many nodes carry in their file.
    let node = DEFAULT_2_2_7.replacen("      config_path = ''\n", "      config_path = '/etc/containerd/certs.d:/etc/docker/certs.d'\n", 1);
    let line = node.lines().position(|l| l.contains("certs.d:/etc/docker")).unwrap() + 1;
    let r = ccb_core::render_merged(&mirror("2.2.2", "2.3.x", "hosts_dir"), &node);
    assert!(r.installable, "{:#?}", r.diagnostics);
    let w = r.diagnostics.iter().find(|d| d.code == "M18-config-path-list").expect("a warning about the list");
    assert!(w.message.en.starts_with(&format!("line {line}, column 7 of your config.toml: config_path lists several directories")), "{}", w.message.en);
    assert!(w.message.en.contains("ignores every hosts.toml"), "{}", w.message.en);
    assert!(w.message.en.contains("move the host directories you still need from /etc/docker/certs.d there"), "{}", w.message.en);
    assert!(w.message.zh.contains("/etc/docker/certs.d"), "{}", w.message.zh);
    assert_eq!(registry_of(&r, "config.toml", "io.containerd.cri.v1.images")["config_path"].as_str(), Some("/etc/containerd/certs.d"));
    // A single directory is not a list.
    let single = DEFAULT_2_2_7.replacen("      config_path = ''\n", "      config_path = '/etc/containerd/certs.d'\n", 1);
    let r = ccb_core::render_merged(&mirror("2.2.2", "2.3.x", "hosts_dir"), &single);
    assert!(!r.diagnostics.iter().any(|d| d.code == "M18-config-path-list"));
}

#[test]
fn legacy_mirrors_on_2_2_0_and_2_2_1_need_an_explicit_empty_config_path() {
    // 2.2.0/2.2.1 default config_path to "/etc/containerd/certs.d:/etc/docker/certs.d" (DefaultImageConfig) and
    // then refuse `mirrors` unless the file sets config_path = "" itself (v2.2.2, a20dead7c, made it conditional).
    let r = ccb_core::render(&mirror("2.0.0", "2.2.x", "legacy"));
    let reg = registry_of(&r, "conf.d/containerd-config-builder.toml", "io.containerd.cri.v1.images");
    assert_eq!(reg.get("config_path").and_then(|v| v.as_str()), Some(""), "explicit empty config_path for 2.2.0–2.2.1");
    assert!(reg.get("mirrors").is_some());
    // Not needed once the range starts at 2.2.2.
    let r = ccb_core::render(&mirror("2.2.2", "2.3.x", "legacy"));
    let reg = registry_of(&r, "conf.d/containerd-config-builder.toml", "io.containerd.cri.v1.images");
    assert!(reg.get("config_path").is_none());
    // A version 2 file (1.x in range) is migrated on 2.2.0/2.2.1, which fills the default in even over "": refused.
    let r = ccb_core::render(&mirror("1.7.0", "2.3.x", "legacy"));
    assert!(r.diagnostics.iter().any(|d| d.code == "C6-legacy-on-2.2.0" && d.severity.as_str() == "error"));
    assert!(!r.installable);
}

#[test]
fn referrers_stays_refused_below_2_2() {
    let with_referrers = |min: &str| {
        project(serde_json::json!({
            "target": {"min": min, "max": "2.3.x"},
            "registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://mirror.internal.example.com", "capabilities": ["pull", "resolve", "referrers"]}]}]
        }))
    };
    let r = ccb_core::render(&with_referrers("2.1.0"));
    assert!(!r.installable, "2.1 rejects the unknown capability and ignores the whole hosts.toml");
    let r = ccb_core::render(&with_referrers("2.2.0"));
    assert!(r.installable, "{:#?}", r.diagnostics);
}
