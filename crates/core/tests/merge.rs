//! Merging into real-world config.toml files: only the managed settings change; every other key, comment and
//! format survives (a node whose runc options or sandbox image are lost breaks the kubelet).

use std::path::Path;

use ccb_core::merge::merge;
use ccb_core::model::*;
use toml_edit::DocumentMut;

fn config(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/configs").join(name)).unwrap()
}

fn project(min: &str, max: &str) -> Project {
    Project {
        target: Target { min: min.parse().unwrap(), max: max.parse().unwrap() },
        registries: vec![Registry {
            upstream: "docker.io".into(),
            endpoints: vec![Endpoint { url: "https://mirror.example.com".into(), ..Default::default() }],
            ..Default::default()
        }],
        auth: vec![Credential {
            host: "mirror.example.com".into(),
            method: AuthMethod::Basic { username: "u".into(), password: Secret::literal("p"), encode_as_auth: false },
        }],
        ..Default::default()
    }
}

/// Non-blank lines of `original` that do not carry a managed setting must all appear in `merged`, in order.
fn assert_unmanaged_lines_kept(original: &str, merged: &str, managed: &[&str]) {
    let mut rest = merged.lines();
    for line in original.lines() {
        if line.trim().is_empty() || managed.iter().any(|m| line.contains(m)) {
            continue;
        }
        assert!(rest.any(|l| l == line), "line lost or reordered: {line:?}\n--- merged:\n{merged}");
    }
}

fn get<'a>(doc: &'a DocumentMut, path: &[&str]) -> Option<&'a toml_edit::Item> {
    let mut item = doc.as_item();
    for k in path {
        item = item.get(k)?;
    }
    Some(item)
}

#[test]
fn kubeadm_config_keeps_systemd_cgroup_and_comments() {
    let original = config("kubeadm-systemd-cgroup.toml");
    let out = merge(&original, &project("1.6.20", "2.1.x")).unwrap();
    assert_unmanaged_lines_kept(&original, &out.content, &[]);
    let doc: DocumentMut = out.content.parse().unwrap();
    let cri = ["plugins", "io.containerd.grpc.v1.cri"];
    let runc = [&cri[..], &["containerd", "runtimes", "runc", "options", "SystemdCgroup"]].concat();
    assert_eq!(get(&doc, &runc).and_then(|i| i.as_bool()), Some(true));
    assert_eq!(get(&doc, &[&cri[..], &["sandbox_image"]].concat()).and_then(|i| i.as_str()), Some("registry.k8s.io/pause:3.9"));
    let reg = [&cri[..], &["registry"]].concat();
    assert_eq!(get(&doc, &[&reg[..], &["config_path"]].concat()).and_then(|i| i.as_str()), Some(CERTS_D));
    assert_eq!(
        get(&doc, &[&reg[..], &["configs", "mirror.example.com", "auth", "username"]].concat()).and_then(|i| i.as_str()),
        Some("u")
    );
    assert!(out.content.contains("SystemdCgroup = true # must match kubelet"));
}

#[test]
fn containerd_1_6_default_config_merges_with_only_registry_changes() {
    let original = config("containerd-1.6.20-default.toml");
    let out = merge(&original, &project("1.6.20", "1.7.x")).unwrap();
    // The empty legacy `mirrors` table goes (it must not sit next to config_path); `config_path = ""` changes.
    assert_unmanaged_lines_kept(&original, &out.content, &["config_path", "registry.mirrors]"]);
    assert!(!out.content.contains("registry.mirrors"));
    assert!(out.content.contains("config_path = \"/etc/containerd/certs.d\""));
    assert!(out.content.contains("SystemdCgroup = false"), "unmanaged runtime options must stay");
}

#[test]
fn containerd_2_1_default_config_uses_the_v3_plugin() {
    let original = config("containerd-2.1.9-default.toml");
    let out = merge(&original, &project("2.0.7", "2.2.x")).unwrap();
    assert_unmanaged_lines_kept(&original, &out.content, &["config_path"]);
    let doc: DocumentMut = out.content.parse().unwrap();
    let reg = ["plugins", "io.containerd.cri.v1.images", "registry"];
    assert_eq!(get(&doc, &[&reg[..], &["config_path"]].concat()).and_then(|i| i.as_str()), Some(CERTS_D));
    assert!(get(&doc, &["plugins", "io.containerd.grpc.v1.cri", "registry"]).is_none());
}

#[test]
fn version_2_file_on_a_2x_target_keeps_the_v2_layout() {
    // A node upgraded to 2.x often still runs its version 2 file; containerd migrates it on load, so the settings
    // must go where that file keeps them.
    let original = config("kubeadm-systemd-cgroup.toml");
    let out = merge(&original, &project("2.0.0", "2.1.x")).unwrap();
    let doc: DocumentMut = out.content.parse().unwrap();
    assert!(get(&doc, &["plugins", "io.containerd.grpc.v1.cri", "registry", "config_path"]).is_some());
    assert!(get(&doc, &["plugins", "io.containerd.cri.v1.images"]).is_none());
}

#[test]
fn merging_twice_changes_nothing_more() {
    let p = project("1.6.20", "2.1.x");
    let once = merge(&config("kubeadm-systemd-cgroup.toml"), &p).unwrap().content;
    let twice = merge(&once, &p).unwrap().content;
    assert_eq!(once, twice);
}

#[test]
fn legacy_mirrors_are_migrated_out_and_reported() {
    let original = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"quay.io\"]\nendpoint = [\"https://quay.cr.example.com\"]\n";
    let p = project("1.6.20", "1.7.x");
    let r = ccb_core::render_merged(&p, original);
    let cfg = r.file("config.toml").unwrap();
    assert!(!cfg.content.contains("mirrors"), "{}", cfg.content);
    let quay = r.file("certs.d/quay.io/hosts.toml").expect("quay.io mirror moved into hosts.toml");
    assert!(quay.content.contains("[host.\"https://quay.cr.example.com\"]"));
    assert!(r.diagnostics.iter().any(|d| d.code == "M7-mirrors-migrated"));
}

#[test]
fn inline_registry_table_is_handled() {
    let original = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\nregistry = { config_path = \"\" }\n";
    let out = merge(original, &project("1.6.20", "1.7.x")).unwrap();
    let doc: DocumentMut = out.content.parse().unwrap();
    assert_eq!(
        get(&doc, &["plugins", "io.containerd.grpc.v1.cri", "registry", "config_path"]).and_then(|i| i.as_str()),
        Some(CERTS_D)
    );
}

#[test]
fn bad_existing_files_are_refused_with_a_reason() {
    let p = project("1.6.20", "1.7.x");
    let e = merge("version = 2\n[plugins\nx = 1\n", &p).err().unwrap();
    assert_eq!(e.code, "M1-existing-not-toml");
    assert!(e.message.en.contains("line 2"), "{}", e.message.en);
    assert_eq!(merge("[plugins.cri]\n", &p).err().unwrap().code, "M2-existing-version-1");
    assert_eq!(merge("version = 3\n", &p).err().unwrap().code, "M4-existing-version-vs-target");
}
