//! Config version 4 (containerd 2.3+): what the bundle writes for 2.3+-only targets, merges into the real
//! `containerd config default` files of 2.3.4 (version 4) and 2.2.7 (version 3), the warnings for top-level server
//! settings a version 4 file no longer reads, and install.sh's drop-in version check run against a scratch
//! directory (containerd 2.3+ refuses a drop-in whose version is higher than config.toml's).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use ccb_core::model::Project;
use toml_edit::DocumentMut;

const DEFAULT_2_3_4: &str = include_str!("configs/containerd-2.3.4-default.toml");
const DEFAULT_2_2_7: &str = include_str!("configs/containerd-2.2.7-default.toml");

fn project(min: &str, max: &str) -> Project {
    serde_json::from_value(serde_json::json!({
        "target": {"min": min, "max": max},
        "registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://mirror.internal.example.com"}]}],
        "daemon": {"debug": {"address": "/run/containerd/debug.sock", "level": "info"}, "metrics_address": "127.0.0.1:1338"}
    }))
    .unwrap()
}

fn file<'a>(r: &'a ccb_core::Rendered, path: &str) -> &'a str {
    &r.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path} in the bundle")).content
}

fn str_at<'a>(doc: &'a DocumentMut, path: &[&str]) -> Option<&'a str> {
    let (last, parents) = path.split_last().unwrap();
    let mut t: &dyn toml_edit::TableLike = doc.as_table();
    for k in parents {
        t = t.get(k)?.as_table_like()?;
    }
    t.get(last)?.as_str()
}

#[test]
fn a_2_3_only_target_writes_version_4_with_the_daemon_listeners_in_server_plugins() {
    let r = ccb_core::render(&project("2.3.0", "2.3.x"));
    assert!(r.installable, "{:#?}", r.diagnostics);
    for path in ["config-fragment.toml", "conf.d/containerd-config-builder.toml"] {
        let doc: DocumentMut = file(&r, path).parse().unwrap();
        assert_eq!(doc["version"].as_integer(), Some(4), "{path}");
        assert_eq!(str_at(&doc, &["plugins", "io.containerd.server.v1.debug", "address"]), Some("/run/containerd/debug.sock"));
        assert_eq!(str_at(&doc, &["plugins", "io.containerd.server.v1.metrics", "address"]), Some("127.0.0.1:1338"));
        assert_eq!(str_at(&doc, &["debug", "level"]), Some("info"), "the level stays top-level in version 4");
        assert!(str_at(&doc, &["debug", "address"]).is_none() && doc.get("metrics").is_none(), "{path}: v4 ignores these");
        assert_eq!(str_at(&doc, &["plugins", "io.containerd.cri.v1.images", "registry", "config_path"]), Some("/etc/containerd/certs.d"));
    }
    // A range that still includes 2.2 (which refuses version 4) stays at version 3, listeners top-level.
    let r = ccb_core::render(&project("2.2.2", "2.3.x"));
    let doc: DocumentMut = file(&r, "conf.d/containerd-config-builder.toml").parse().unwrap();
    assert_eq!(doc["version"].as_integer(), Some(3));
    assert_eq!(str_at(&doc, &["metrics", "address"]), Some("127.0.0.1:1338"));
}

#[test]
fn merging_into_2_3_4_default_keeps_version_4_and_writes_where_it_reads() {
    let r = ccb_core::render_merged(&project("2.3.0", "2.3.x"), DEFAULT_2_3_4);
    assert!(r.installable, "{:#?}", r.diagnostics);
    let doc: DocumentMut = file(&r, "config.toml").parse().unwrap();
    assert_eq!(doc["version"].as_integer(), Some(4));
    assert_eq!(str_at(&doc, &["plugins", "io.containerd.server.v1.metrics", "address"]), Some("127.0.0.1:1338"));
    assert_eq!(str_at(&doc, &["plugins", "io.containerd.server.v1.debug", "address"]), Some("/run/containerd/debug.sock"));
    assert!(doc.get("metrics").is_none(), "no top-level [metrics] added to a version 4 file");
    assert_eq!(str_at(&doc, &["plugins", "io.containerd.cri.v1.images", "pinned_images", "sandbox"]), Some("registry.k8s.io/pause:3.10.2"));
}

#[test]
fn merging_a_version_3_file_for_a_2_3_only_target_keeps_version_3() {
    // Bumping it to 4 would skip containerd's migration: its top-level [grpc], [ttrpc], [debug] address and
    // [metrics] would then be ignored.
    let r = ccb_core::render_merged(&project("2.3.0", "2.3.x"), DEFAULT_2_2_7);
    assert!(r.installable, "{:#?}", r.diagnostics);
    let doc: DocumentMut = file(&r, "config.toml").parse().unwrap();
    assert_eq!(doc["version"].as_integer(), Some(3));
    assert_eq!(str_at(&doc, &["metrics", "address"]), Some("127.0.0.1:1338"));
    assert_eq!(str_at(&doc, &["debug", "address"]), Some("/run/containerd/debug.sock"));
    assert_eq!(str_at(&doc, &["grpc", "address"]), Some("/run/containerd/containerd.sock"), "the node's [grpc] kept");
    assert!(doc["plugins"].get("io.containerd.server.v1.metrics").is_none());
    assert!(file(&r, "README.txt").lines().next().unwrap().ends_with("(config version 3)."), "the bundle names the file's own version");
}

#[test]
fn top_level_server_settings_in_a_version_4_file_are_flagged_at_their_line() {
    let node = "version = 4\n\n[debug]\n  address = '/run/containerd/debug.sock'\n  level = 'info'\n\n[metrics]\n  address = '127.0.0.1:1338'\n";
    let p: Project = serde_json::from_value(serde_json::json!({"target": {"min": "2.3.0", "max": "2.3.x"}})).unwrap();
    let r = ccb_core::render_merged(&p, node);
    let warned: Vec<&str> =
        r.diagnostics.iter().filter(|d| d.code == "M17-v4-server-setting-ignored").map(|d| d.message.en.as_str()).collect();
    assert_eq!(warned.len(), 2, "{warned:#?}");
    assert!(warned[0].starts_with("line 4, column 3 of your config.toml: `debug.address` is ignored"), "{}", warned[0]);
    assert!(warned[0].contains("io.containerd.server.v1.debug"));
    assert!(warned[1].starts_with("line 8, column 3") && warned[1].contains("io.containerd.server.v1.metrics"), "{}", warned[1]);
    assert!(r.installable, "a warning, not an error: the merge leaves those lines alone");
    // The same settings in a version 3 file are read (migrated): no warning.
    let v3 = node.replace("version = 4", "version = 3");
    let p3: Project = serde_json::from_value(serde_json::json!({"target": {"min": "2.2.2", "max": "2.3.x"}})).unwrap();
    assert!(!ccb_core::render_merged(&p3, &v3).diagnostics.iter().any(|d| d.code == "M17-v4-server-setting-ignored"));
}

// ---- install.sh's drop-in version check, run with sh against a scratch CONTAINERD_ETC -----------------------

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ccb-v4-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn write_bundle(r: &ccb_core::Rendered, dir: &Path) {
    for f in &r.files {
        let p = dir.join(&f.path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, &f.content).unwrap();
    }
}

fn run_install(bundle: &Path, etc: &Path) -> (i32, String) {
    let out = Command::new("sh")
        .arg(bundle.join("install.sh"))
        .current_dir(bundle)
        .env("CONTAINERD_ETC", etc)
        .env("LANG", "C")
        .output()
        .expect("sh runs");
    (out.status.code().unwrap_or(-1), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn install_sh_refuses_a_version_4_drop_in_over_a_version_3_config_with_containerds_reason() {
    let root = scratch("dropin");
    let bundle = root.join("bundle");
    write_bundle(&ccb_core::render(&project("2.3.0", "2.3.x")), &bundle);
    let etc = root.join("etc");
    fs::create_dir_all(&etc).unwrap();
    fs::write(etc.join("config.toml"), DEFAULT_2_2_7).unwrap();
    let (code, out) = run_install(&bundle, &etc);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("is version 3, but this drop-in is version 4"), "{out}");
    assert!(out.contains("drop-in config version 4 higher than root config version 3"), "{out}");
    assert!(!etc.join("conf.d").exists(), "nothing installed: {out}");
    // Over 2.3.4's own default (version 4, imports conf.d) it installs.
    fs::write(etc.join("config.toml"), DEFAULT_2_3_4).unwrap();
    let (code, out) = run_install(&bundle, &etc);
    assert_eq!(code, 0, "{out}");
    assert!(etc.join("conf.d/containerd-config-builder.toml").exists(), "{out}");
    // No config.toml at all: the minimal one it creates has the drop-in's version.
    let fresh = root.join("fresh");
    fs::create_dir_all(&fresh).unwrap();
    let (code, out) = run_install(&bundle, &fresh);
    assert_eq!(code, 0, "{out}");
    let created = fs::read_to_string(fresh.join("config.toml")).unwrap();
    assert!(created.contains("\nversion = 4\n"), "{created}");
    // A version 3 drop-in (range including 2.2) goes over a version 4 file: containerd migrates it in memory.
    let b3 = root.join("bundle3");
    write_bundle(&ccb_core::render(&project("2.2.2", "2.3.x")), &b3);
    let etc4 = root.join("etc4");
    fs::create_dir_all(&etc4).unwrap();
    fs::write(etc4.join("config.toml"), DEFAULT_2_3_4).unwrap();
    let (code, out) = run_install(&b3, &etc4);
    assert_eq!(code, 0, "{out}");
    let _ = fs::remove_dir_all(&root);
}
