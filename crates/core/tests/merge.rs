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
    // Version 4 (2.3+) on a target that includes 2.0–2.2, which refuse to start with it.
    assert_eq!(merge("version = 4\n", &project("2.1.0", "2.3.x")).err().unwrap().code, "M4-existing-version-vs-target");
    assert!(merge("version = 4\n", &project("2.3.0", "2.3.x")).is_ok());
}

// ---------------------------------------------------------------------------------------------------------------
// Nothing changes silently (issue 7, case 7): every place a managed setting goes is checked first.
// ---------------------------------------------------------------------------------------------------------------

const CRI: &str = "[plugins.\"io.containerd.grpc.v1.cri\"]";
/// The CRI plugin's key, to build longer headers: `[{CRI_KEY}.registry]`.
const CRI_KEY: &str = "plugins.\"io.containerd.grpc.v1.cri\"";

fn find<'a>(d: &'a [ccb_core::Diagnostic], code: &str) -> &'a ccb_core::Diagnostic {
    d.iter().find(|x| x.code == code).unwrap_or_else(|| panic!("no {code}; got {:?}", d.iter().map(|x| (x.code, &x.message.en)).collect::<Vec<_>>()))
}

/// Merges `original` with `p` through render_merged (what the CLI and the web app run) and returns the bundle.
fn merged(p: &Project, original: &str) -> ccb_core::Rendered {
    ccb_core::render_merged(p, original)
}

/// The merge refused to write over `what` (an error at `line` of the node's file) and left it as it is.
fn assert_conflict(original: &str, p: &Project, line: usize, kept: &str) {
    let r = merged(p, original);
    let d = find(&r.diagnostics, "M12-existing-conflict");
    assert_eq!(d.severity, ccb_core::Severity::Error);
    assert_eq!(d.path, "existing_config");
    assert!(d.message.en.starts_with(&format!("line {line}, column ")), "{}", d.message.en);
    assert!(d.message.zh.contains(&format!("第 {line} 行")), "{}", d.message.zh);
    assert!(!r.installable, "a conflict must block the install");
    let cfg = &r.file("config.toml").unwrap().content;
    assert!(cfg.contains(kept), "the conflicting item must stay as it was: {kept:?}\n{cfg}");
    cfg.parse::<DocumentMut>().expect("the merged file still parses");
}

#[test]
fn a_value_where_the_registry_table_goes_is_an_error_and_stays() {
    let original = format!("version = 2\n{CRI}\n  sandbox_image = \"registry.k8s.io/pause:3.9\"\n  registry = 5\n");
    assert_conflict(&original, &project("1.6.20", "1.7.x"), 4, "registry = 5");
}

#[test]
fn plugins_as_a_string_or_an_array_of_tables_is_an_error_and_stays() {
    let p = project("1.6.20", "1.7.x");
    assert_conflict("version = 2\nplugins = \"x\"\n", &p, 2, "plugins = \"x\"");
    let aot = "version = 2\n\n[[plugins]]\n  name = \"a\"\n[[plugins]]\n  name = \"b\"\n";
    assert_conflict(aot, &p, 3, "[[plugins]]\n  name = \"a\"\n[[plugins]]\n  name = \"b\"\n");
    let r = merged(&p, aot);
    assert!(find(&r.diagnostics, "M12-existing-conflict").message.en.contains("array of tables"));
}

#[test]
fn a_key_of_another_type_is_an_error_and_stays() {
    let mut p = project("1.6.20", "1.7.x");
    assert_conflict(&format!("version = 2\n[{CRI_KEY}.registry]\n  config_path = 5\n"), &p, 3, "config_path = 5");
    p.sandbox_image = Some("registry.internal/pause:3.9".into());
    assert_conflict(&format!("version = 2\n{CRI}\n  sandbox_image = [\"x\"]\n"), &p, 3, "sandbox_image = [\"x\"]");
    p.daemon.imports = vec!["/etc/containerd/conf.d/*.toml".into()];
    assert_conflict("version = 2\nimports = \"/etc/x.toml\"\n", &p, 2, "imports = \"/etc/x.toml\"");
    // A list with a non-string in it: appending would have dropped the 5.
    assert_conflict("version = 2\nimports = [\"/a.toml\", 5]\n", &p, 2, "imports = [\"/a.toml\", 5]");
    p.daemon.oom_score = Some(-999);
    assert_conflict("version = 2\noom_score = \"0\"\n", &p, 2, "oom_score = \"0\"");
    p.daemon = Daemon { debug: Some(DebugSettings { address: None, level: Some("info".into()) }), ..Default::default() };
    assert_conflict("version = 2\ndebug = \"on\"\n", &p, 2, "debug = \"on\"");
}

#[test]
fn credentials_of_another_kind_are_an_error_and_stay() {
    let original = format!("version = 2\n[{CRI_KEY}.registry.configs.\"mirror.example.com\"]\n  auth = \"dTpw\"\n");
    assert_conflict(&original, &project("1.6.20", "1.7.x"), 3, "auth = \"dTpw\"");
}

#[test]
fn imports_are_appended_in_place() {
    let mut p = project("1.6.20", "1.7.x");
    p.daemon.imports = vec!["/etc/containerd/conf.d/*.toml".into()];
    let original = "version = 2\nimports = [\n  \"/etc/a.toml\", # first\n]\n";
    let r = merged(&p, original);
    let cfg = &r.file("config.toml").unwrap().content;
    assert!(cfg.contains("\"/etc/a.toml\", # first"), "{cfg}");
    let doc: DocumentMut = cfg.parse().unwrap();
    let got: Vec<&str> = doc["imports"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert_eq!(got, ["/etc/a.toml", "/etc/containerd/conf.d/*.toml"]);
    assert!(r.installable, "{:?}", r.diagnostics);
    let d = find(&r.diagnostics, "M13-existing-value-replaced");
    assert!(d.message.en.starts_with("line 2, ") && d.message.en.contains("added"), "{}", d.message.en);
    // Without a trailing comma, and on one line.
    for (original, want) in [
        ("version = 2\nimports = [\n  \"/etc/a.toml\"\n]\n", "imports = [\n  \"/etc/a.toml\",\n  \"/etc/containerd/conf.d/*.toml\",\n]\n"),
        ("version = 2\nimports = [\"/etc/a.toml\"] # one\n", "imports = [\"/etc/a.toml\", \"/etc/containerd/conf.d/*.toml\"] # one\n"),
    ] {
        let cfg = merged(&p, original).file("config.toml").unwrap().content.clone();
        assert!(cfg.contains(want), "{cfg}");
    }
}

#[test]
fn inline_tables_are_written_inline_keeping_their_comment() {
    // Converting `registry = { … }` into a [section] lost the comment after it.
    let original = format!("version = 2\n{CRI}\n  registry = {{ config_path = \"\" }} # managed by ansible\n  other = 1\n");
    let r = merged(&project("1.6.20", "1.7.x"), &original);
    let cfg = &r.file("config.toml").unwrap().content;
    assert!(cfg.contains("# managed by ansible"), "{cfg}");
    assert!(cfg.contains("  registry = { config_path = \"/etc/containerd/certs.d\""), "{cfg}");
    let doc: DocumentMut = cfg.parse().unwrap();
    let reg = ["plugins", "io.containerd.grpc.v1.cri", "registry"];
    assert_eq!(get(&doc, &[&reg[..], &["configs", "mirror.example.com", "auth", "password"]].concat()).and_then(|i| i.as_str()), Some("p"));
    assert!(r.installable, "{:?}", r.diagnostics);
}

#[test]
fn dotted_keys_are_written_as_dotted_keys() {
    let original = format!("version = 2\n{CRI}\n  registry.config_path = \"\"\n  registry.configs.\"mirror.example.com\".auth.username = \"old\"\n");
    let r = merged(&project("1.6.20", "1.7.x"), &original);
    let cfg = &r.file("config.toml").unwrap().content;
    assert!(cfg.contains("registry.config_path = \"/etc/containerd/certs.d\""), "{cfg}");
    let doc: DocumentMut = cfg.parse().unwrap();
    let auth = ["plugins", "io.containerd.grpc.v1.cri", "registry", "configs", "mirror.example.com", "auth"];
    assert_eq!(get(&doc, &[&auth[..], &["username"]].concat()).and_then(|i| i.as_str()), Some("u"));
    assert_eq!(get(&doc, &[&auth[..], &["password"]].concat()).and_then(|i| i.as_str()), Some("p"));
    let d = find(&r.diagnostics, "M14-existing-credentials-replaced");
    assert!(d.message.en.starts_with("line 4, column "), "{}", d.message.en);
    assert!(r.installable, "{:?}", r.diagnostics);
}

#[test]
fn replaced_values_are_reported_at_their_line() {
    let mut p = project("1.6.20", "1.7.x");
    p.sandbox_image = Some("registry.internal/pause:3.9".into());
    let original = config("kubeadm-systemd-cgroup.toml").replace("pause:3.9\"", "pause:3.9\"   # kubeadm's pause");
    let line = original.lines().position(|l| l.contains("sandbox_image")).unwrap() + 1;
    let r = merged(&p, &original);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "M13-existing-value-replaced" && d.message.en.contains("sandbox_image"))
        .expect("sandbox_image replacement reported");
    assert!(d.message.en.starts_with(&format!("line {line}, ")), "{}", d.message.en);
    assert!(d.message.en.contains("\"registry.k8s.io/pause:3.9\" to \"registry.internal/pause:3.9\""), "{}", d.message.en);
    assert!(d.message.zh.contains(&format!("第 {line} 行")), "{}", d.message.zh);
    // The comment after the replaced value stays.
    assert!(r.file("config.toml").unwrap().content.contains("sandbox_image = \"registry.internal/pause:3.9\"   # kubeadm's pause"));
}

#[test]
fn replaced_credentials_are_reported_without_their_secret() {
    let original = format!("version = 2\n[{CRI_KEY}.registry.configs.\"mirror.example.com\".auth]\n  username = \"old\"\n  password = \"Zold-secret\"\n");
    let r = merged(&project("1.6.20", "1.7.x"), &original);
    let d = find(&r.diagnostics, "M14-existing-credentials-replaced");
    assert!(d.message.en.starts_with("line 2, "), "{}", d.message.en);
    assert!(r.diagnostics.iter().all(|d| !d.message.en.contains("Zold-secret") && !d.message.zh.contains("Zold-secret")));
    assert!(!r.file("config.toml").unwrap().content.contains("Zold-secret"));
    // The same credentials again: nothing to replace, nothing said.
    let again = merged(&project("1.6.20", "1.7.x"), &r.file("config.toml").unwrap().content);
    assert!(again.diagnostics.iter().all(|d| d.code != "M14-existing-credentials-replaced"), "{:?}", again.diagnostics);
}

#[test]
fn removals_are_reported_at_their_line() {
    let original = config("kubeadm-systemd-cgroup.toml");
    // kubeadm-systemd-cgroup.toml has no legacy mirrors: add some, and a legacy TLS table.
    let original = format!(
        "{original}\n[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"quay.io\"]\n  endpoint = [\"https://quay.cr.example.com\"]\n\
         [plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"docker.io\"]\n  endpoint = [\"https://old.example.com\"]\n\
         [plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"cr.example.com\".tls]\n  ca_file = \"/etc/pki/cr.crt\"\n"
    );
    let line = |needle: &str| original.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let r = merged(&project("1.6.20", "1.7.x"), &original);
    let at = |code: &str, needle: &str| {
        let d = r.diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("no {code}: {:?}", r.diagnostics));
        let l = line(needle);
        assert!(d.message.en.starts_with(&format!("line {l}, ")), "{code}: {}", d.message.en);
        assert!(d.message.zh.contains(&format!("第 {l} 行")), "{code}: {}", d.message.zh);
    };
    at("M7-mirrors-migrated", "mirrors.\"quay.io\"]");
    at("M6-mirrors-replaced", "mirrors.\"docker.io\"]");
    at("M9-legacy-tls-migrated", "\"cr.example.com\".tls]");
    let cfg = &r.file("config.toml").unwrap().content;
    assert!(!cfg.contains("mirrors") && !cfg.contains(".tls]"), "{cfg}");

    // Legacy style removes a config_path.
    let mut p = project("1.6.20", "1.7.x");
    p.output = OutputStyle::Legacy;
    p.auth.clear();
    let original = format!("version = 2\n[{CRI_KEY}.registry]\n  config_path = \"/etc/containerd/certs.d\"\n");
    let r = merged(&p, &original);
    let d = find(&r.diagnostics, "C3-config-path-removed");
    assert!(d.message.en.starts_with("line 3, "), "{}", d.message.en);
    assert!(!r.file("config.toml").unwrap().content.contains("config_path"));
}

#[test]
fn legacy_entries_that_cannot_be_moved_stay_and_are_errors() {
    let p = project("1.6.20", "1.7.x");
    let reg = "[plugins.\"io.containerd.grpc.v1.cri\".registry";
    for (original, line, kept) in [
        // endpoint as a string, not a list: it used to be migrated as "no endpoints" and deleted.
        (format!("version = 2\n{reg}.mirrors.\"quay.io\"]\n  endpoint = \"https://q.example.com\"\n"), 3, "endpoint = \"https://q.example.com\""),
        (format!("version = 2\n{reg}.mirrors.\"quay.io\"]\n  endpoint = [\"https://q.example.com\", 5]\n"), 3, "5]"),
        (format!("version = 2\n{reg}.mirrors.\"quay.io\"]\n  endpoint = [\"https://q.example.com\"]\n  rewrite = \"x\"\n"), 4, "rewrite = \"x\""),
        (format!("version = 2\n{reg}.mirrors]\n  \"quay.io\" = 5\n"), 3, "\"quay.io\" = 5"),
        // ca_file as a number was dropped, then the whole tls table deleted.
        (format!("version = 2\n{reg}.configs.\"q.example.com\".tls]\n  ca_file = 5\n"), 3, "ca_file = 5"),
        (format!("version = 2\n{reg}.configs.\"q.example.com\".tls]\n  insecure_skip_verify = \"true\"\n"), 3, "insecure_skip_verify = \"true\""),
        (format!("version = 2\n{reg}.configs.\"q.example.com\"]\n  tls = 5\n"), 3, "tls = 5"),
    ] {
        let r = merged(&p, &original);
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.code == "M17-legacy-unreadable" || d.code == "M12-existing-conflict")
            .unwrap_or_else(|| panic!("{original}: no error; {:?}", r.diagnostics));
        assert_eq!(d.severity, ccb_core::Severity::Error, "{original}");
        assert!(d.message.en.starts_with(&format!("line {line}, ")), "{original}: {}", d.message.en);
        assert!(!r.installable, "{original}");
        assert!(r.file("config.toml").unwrap().content.contains(kept), "{original}: {kept} lost");
    }
    // mirrors itself not a table.
    assert_conflict(&format!("version = 2\n{reg}]\n  mirrors = 5\n"), &p, 3, "mirrors = 5");
}

#[test]
fn version_of_another_type_is_named_as_such() {
    let p = project("1.6.20", "1.7.x");
    let e = merge("version = \"2\"\n", &p).err().unwrap();
    assert_eq!(e.code, "M11-existing-version-type");
    assert!(e.message.en.starts_with("line 1, column 1") && e.message.en.contains("a string"), "{}", e.message.en);
}

#[test]
fn registry_settings_under_the_other_versions_plugin_are_pointed_out() {
    let p = project("2.0.7", "2.1.x");
    // A version 3 file still carrying the version 2 location: containerd 2.x reads neither its mirrors nor auth.
    let original = "version = 3\n\n[plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"q.io\".auth]\n  username = \"x\"\n";
    let r = merged(&p, original);
    let d = find(&r.diagnostics, "M15-registry-under-other-version");
    assert!(d.message.en.starts_with("line 3, "), "{}", d.message.en);
    assert!(d.message.en.contains("[plugins.\"io.containerd.cri.v1.images\".registry]"), "{}", d.message.en);
    let v2 = "version = 2\n[plugins.\"io.containerd.cri.v1.images\".registry]\n  config_path = \"/x\"\n";
    find(&merged(&project("1.6.20", "1.7.x"), v2).diagnostics, "M15-registry-under-other-version");
}

#[test]
fn a_version_1_plugin_name_in_a_version_2_file_stops_containerd_1x_from_starting() {
    // Seen by the real-containerd test (m-import-seed-legacy, from the seed note): 1.6.20 and 1.7.24 exit with
    // "invalid plugin key URI \"cri\" expect io.containerd.x.vx"; 2.1.9 starts and ignores the table.
    let v2 = "version = 2\n\n[plugins.cri.registry.mirrors.\"docker.io\"]\n  endpoint = [\"https://m.example.com\"]\n";
    let on_1x = merged(&project("1.6.20", "2.1.x"), v2);
    let d = find(&on_1x.diagnostics, "M15-registry-under-other-version");
    assert_eq!(d.severity, ccb_core::Severity::Error);
    assert!(d.message.en.starts_with("line 3, ") && d.message.en.contains("refuse to start"), "{}", d.message.en);
    assert!(!on_1x.installable, "the merged file would not start on 1.x");
    let on_2x = merged(&project("2.0.7", "2.1.x"), v2);
    assert_eq!(find(&on_2x.diagnostics, "M15-registry-under-other-version").severity, ccb_core::Severity::Warning);
    // The import says the same at the table's line.
    let files = vec![("config.toml".to_string(), v2.as_bytes().to_vec())];
    let report = ccb_core::import::import(&files, &Default::default()).report;
    let f = report.iter().find(|f| f.code == "M15-registry-under-other-version").expect("M15 in the report");
    assert_eq!((f.severity, f.at), (ccb_core::Severity::Error, Some((3, 14))));
}

/// Every value of a document, by key path (the `toml` crate reads it, independently of toml_edit).
fn values(t: &toml::Table, prefix: &str, out: &mut Vec<(String, toml::Value)>) {
    for (k, v) in t {
        let path = format!("{prefix}/{k}");
        match v {
            toml::Value::Table(sub) => values(sub, &path, out),
            _ => out.push((path, v.clone())),
        }
    }
}

#[test]
fn every_unmanaged_key_of_the_default_configs_survives() {
    let mut full = project("1.6.20", "1.7.x");
    full.sandbox_image = Some("registry.internal/pause:3.9".into());
    full.daemon = Daemon {
        root: Some("/data/containerd".into()),
        state: Some("/run/containerd-x".into()),
        oom_score: Some(-500),
        imports: vec!["/etc/containerd/conf.d/*.toml".into()],
        debug: Some(DebugSettings { address: Some("/run/containerd/debug.sock".into()), level: Some("info".into()) }),
        metrics_address: Some("127.0.0.1:1338".into()),
        snapshotter: Some(Snapshotter::Native),
    };
    let mut legacy = full.clone();
    legacy.output = OutputStyle::Legacy;
    for (name, range) in [
        ("containerd-1.6.20-default.toml", ("1.6.20", "1.7.x")),
        ("kubeadm-systemd-cgroup.toml", ("1.6.20", "2.1.x")),
        ("containerd-2.1.9-default.toml", ("2.0.7", "2.1.x")),
    ] {
        let original = config(name);
        for base in [&full, &legacy, &project(range.0, range.1)] {
            let mut p = base.clone();
            p.target = Target { min: range.0.parse().unwrap(), max: range.1.parse().unwrap() };
            let r = merged(&p, &original);
            assert!(r.installable, "{name}: {:?}", r.diagnostics);
            let cri = if original.contains("version = 3") { "io.containerd.cri.v1.images" } else { "io.containerd.grpc.v1.cri" };
            let managed = [
                "/root".to_string(),
                "/state".into(),
                "/oom_score".into(),
                "/imports".into(),
                "/debug/address".into(),
                "/debug/level".into(),
                "/metrics/address".into(),
                format!("/plugins/{cri}/sandbox_image"),
                format!("/plugins/{cri}/pinned_images/sandbox"),
                format!("/plugins/{cri}/snapshotter"),
                format!("/plugins/{cri}/containerd/snapshotter"),
                format!("/plugins/{cri}/registry/config_path"),
                format!("/plugins/{cri}/registry/mirrors/"),
                format!("/plugins/{cri}/registry/configs/mirror.example.com/auth/"),
            ];
            let before: toml::Table = toml::from_str(&original).unwrap();
            let after: toml::Table = toml::from_str(&r.file("config.toml").unwrap().content).unwrap();
            let (mut b, mut a) = (Vec::new(), Vec::new());
            values(&before, "", &mut b);
            values(&after, "", &mut a);
            let is_managed = |k: &str| managed.iter().any(|m| k == m || (m.ends_with('/') && k.starts_with(m.as_str())));
            let mut kept = 0;
            for (k, v) in &b {
                if is_managed(k) {
                    continue;
                }
                assert_eq!(a.iter().find(|(ak, _)| ak == k).map(|(_, av)| av), Some(v), "{name}: {k} changed or lost");
                kept += 1;
            }
            assert!(kept >= 5, "{name}: only {kept} unmanaged values compared");
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The file's mode follows its content (issue 7, case 5)
// ---------------------------------------------------------------------------------------------------------------

/// The mode install.sh gives config.toml: `if install_file [']config.toml['] MODE <<…`.
fn installed_mode(r: &ccb_core::Rendered) -> String {
    let script = &r.file("install.sh").unwrap().content;
    let modes: Vec<&str> = script
        .lines()
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (w.len() > 3 && w[0] == "if" && w[1] == "install_file" && w[2].trim_matches('\'') == "config.toml").then(|| w[3])
        })
        .collect();
    assert_eq!(modes.len(), 1, "one install_file line for config.toml: {modes:?}");
    modes[0].to_string()
}

#[test]
fn node_credentials_keep_the_merged_file_private() {
    let mut p = project("1.6.20", "1.7.x");
    p.auth.clear();
    let reg = format!("[{CRI_KEY}.registry");
    for original in [
        format!("version = 2\n{reg}.configs.\"quay.io\".auth]\n  username = \"robot\"\n  password = \"keep-me\"\n"),
        format!("version = 2\n{reg}.configs.\"quay.io\".auth]\n  auth = \"cm9ib3Q6a2VlcC1tZQ==\"\n"),
        format!("version = 2\n{reg}.configs]\n  \"quay.io\" = {{ auth = {{ identitytoken = \"tok\" }} }}\n"),
        format!("version = 2\n{reg}.auths.\"https://quay.io\"]\n  password = \"keep-me\"\n"),
        format!("version = 2\n{reg}.headers]\n  Authorization = [\"Bearer keep-me\"]\n"),
        // The other version's location still lands on the node's disk.
        "version = 3\n[plugins.\"io.containerd.cri.v1.images\".registry.configs.\"quay.io\".auth]\n  password = \"x\"\n".to_string(),
    ] {
        let mut p = p.clone();
        if original.starts_with("version = 3") {
            p.target = Target { min: "2.0.7".parse().unwrap(), max: "2.1.x".parse().unwrap() };
        }
        let r = merged(&p, &original);
        assert!(r.installable, "{original}: {:?}", r.diagnostics);
        let cfg = r.file("config.toml").unwrap();
        assert_eq!(cfg.mode, 0o600, "{original}");
        assert_eq!(installed_mode(&r), "600", "{original}: install.sh must install it 0600");
        assert_eq!(r.file("install.sh").unwrap().mode, 0o700, "{original}: install.sh embeds the credentials");
    }
    // Without credentials anywhere: 0644, and an empty password is none.
    for original in [
        format!("version = 2\n{reg}.configs.\"quay.io\".auth]\n  username = \"\"\n  password = \"\"\n"),
        format!("version = 2\n{reg}.headers]\n  X-Dragonfly-Registry = [\"https://r.example.com\"]\n"),
        config("containerd-1.6.20-default.toml"),
    ] {
        let r = merged(&p, &original);
        assert_eq!(r.file("config.toml").unwrap().mode, 0o644, "{original}");
        assert_eq!(installed_mode(&r), "644", "{original}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Settings migrated out of the node's file are validated like typed ones (issue 7, case 8)
// ---------------------------------------------------------------------------------------------------------------

fn plain(min: &str, max: &str) -> Project {
    Project { target: Target { min: min.parse().unwrap(), max: max.parse().unwrap() }, ..Default::default() }
}

#[test]
fn a_wildcard_mirror_on_releases_that_ignore_default_is_refused_at_its_line() {
    let original = format!("version = 2\n\n[{CRI_KEY}.registry.mirrors.\"*\"]\n  endpoint = [\"https://mirror.example.com\"]\n");
    let p = plain("1.6.0", "1.7.x");
    // Typed into the project, the same registry is refused.
    let typed = Project { registries: vec![Registry { upstream: "_default".into(), ..Default::default() }], ..p.clone() };
    let typed_d = ccb_core::validate(&typed);
    let rule = typed_d.iter().find(|d| d.code == "N6-default-unsupported").expect("typed _default refused");
    let r = merged(&p, &original);
    assert!(!r.installable, "1.6.0–1.6.16 ignore certs.d/_default: {:?}", r.diagnostics);
    let d = find(&r.diagnostics, "N6-default-unsupported");
    assert_eq!(d.severity, ccb_core::Severity::Error);
    assert_eq!(d.path, "existing_config");
    assert!(d.message.en.starts_with("line 3, "), "{}", d.message.en);
    assert!(d.message.en.contains("mirrors.\"*\""), "{}", d.message.en);
    assert!(d.message.en.ends_with(&rule.message.en), "keeps the rule's text: {}", d.message.en);
    assert!(d.message.zh.contains("第 3 行") && d.message.zh.ends_with(&rule.message.zh), "{}", d.message.zh);
    let cfg = r.file("config.toml").unwrap();
    assert!(cfg.diagnostics.iter().any(|x| x.code == "N6-default-unsupported"), "shown at config.toml");
    // From 1.6.17 on the same file migrates cleanly.
    let ok = merged(&plain("1.6.17", "1.7.x"), &original);
    assert!(ok.installable, "{:?}", ok.diagnostics);
    assert!(ok.file("certs.d/_default/hosts.toml").is_some());
}

#[test]
fn a_relative_legacy_ca_file_is_refused_at_its_line() {
    let original = format!(
        "version = 2\n[{CRI_KEY}.registry.mirrors.\"quay.io\"]\n  endpoint = [\"https://q.example.com\"]\n\
         [{CRI_KEY}.registry.configs.\"q.example.com\".tls]\n  ca_file = \"certs/q.crt\"\n"
    );
    let r = merged(&plain("1.6.20", "1.7.x"), &original);
    assert!(!r.installable, "{:?}", r.diagnostics);
    let d = find(&r.diagnostics, "H7-relative-path");
    assert_eq!(d.path, "existing_config");
    assert!(d.message.en.starts_with("line 4, "), "points at the tls table: {}", d.message.en);
    assert!(d.message.en.contains("\"certs/q.crt\" is relative"), "{}", d.message.en);
    // A TLS table of its own (no mirror) too.
    let only_tls = format!("version = 2\n[{CRI_KEY}.registry.configs.\"q.example.com\".tls]\n  ca_file = \"q.crt\"\n");
    let r = merged(&plain("1.6.20", "1.7.x"), &only_tls);
    assert!(find(&r.diagnostics, "H7-relative-path").message.en.starts_with("line 2, "));
    assert!(!r.installable);
}

#[test]
fn a_clean_migration_passes_without_repeating_the_users_diagnostics() {
    let original = format!(
        "version = 2\n[{CRI_KEY}.registry.mirrors.\"quay.io\"]\n  endpoint = [\"https://q.example.com\"]\n\
         [{CRI_KEY}.registry.configs.\"q.example.com\".tls]\n  ca_file = \"/etc/pki/q.crt\"\n"
    );
    // The user's own project has a warning of its own; it must appear once, at the user's field.
    let mut p = project("1.6.20", "1.7.x");
    p.registries[0].endpoints[0].url = "http://mirror.example.com".into();
    let alone = ccb_core::validate(&p);
    let r = merged(&p, &original);
    assert!(r.installable, "{:?}", r.diagnostics);
    for d in &alone {
        assert_eq!(r.diagnostics.iter().filter(|x| *x == d).count(), 1, "{} repeated or lost", d.code);
    }
    let effective_only: Vec<_> = r.diagnostics.iter().filter(|d| d.path == "existing_config" && d.code.starts_with(['H', 'N', 'U'])).collect();
    assert!(effective_only.is_empty(), "{effective_only:?}");
    let quay = r.file("certs.d/quay.io/hosts.toml").unwrap();
    assert!(quay.content.contains("ca = \"/etc/pki/q.crt\""), "{}", quay.content);
}

#[test]
fn credentials_in_a_node_mirror_url_are_never_written_or_quoted() {
    // containerd drops userinfo; moved into hosts.toml as it was, robot:Zpw would have sat in a 0644 file.
    let original = format!("version = 2\n[{CRI_KEY}.registry.mirrors.\"quay.io\"]\n  endpoint = [\"https://robot:Zpw@q.example.com\"]\n");
    let r = merged(&plain("1.6.20", "1.7.x"), &original);
    let d = find(&r.diagnostics, "M10-not-migrated");
    assert!(d.message.en.starts_with("line 2, ") && d.message.en.contains("https://***@q.example.com"), "{}", d.message.en);
    assert!(d.message.zh.contains("的端点"), "{}", d.message.zh);
    for d in &r.diagnostics {
        assert!(!d.message.en.contains("Zpw") && !d.message.zh.contains("Zpw"), "{}: {}", d.code, d.message.en);
    }
    for f in &r.files {
        assert!(!f.content.contains("Zpw"), "{} holds the password", f.path);
    }
    // Legacy style replaces the node's endpoint list: the message shows it without the password.
    let mut p = project("1.6.20", "1.7.x");
    p.output = OutputStyle::Legacy;
    p.auth.clear();
    let original = format!("version = 2\n[{CRI_KEY}.registry.mirrors.\"docker.io\"]\n  endpoint = [\"https://robot:Zpw@old.example.com\"]\n");
    let r = merged(&p, &original);
    let d = find(&r.diagnostics, "M13-existing-value-replaced");
    assert!(d.message.en.contains("[\"https://***@old.example.com\"]") && !d.message.en.contains("Zpw"), "{}", d.message.en);
}

#[test]
fn a_node_file_without_a_final_newline_is_installed_byte_for_byte() {
    // install.sh writes files from heredocs, which end in a line feed: the bundle's config.toml must too, or the
    // installed file's hash differs from MERGED_SHA256 and the second run refuses (found by the merge fuzzer).
    let node = "version = 2\n\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  # the end, no newline";
    let p = project("1.6.20", "1.7.x");
    let r = ccb_core::render_merged(&p, node);
    let config = &r.file("config.toml").expect("merged").content;
    assert!(config.ends_with('\n'), "{config:?}");
    let script = &r.file("install.sh").unwrap().content;
    let merged_sha = ccb_core::merge::sha256_hex(config);
    assert!(script.contains(&format!("MERGED_SHA256='{merged_sha}'")), "{script}");
    for f in &r.files {
        assert!(f.content.ends_with('\n'), "{} has no final newline", f.path);
    }
}

#[test]
fn legacy_tls_of_a_namespace_keeps_the_wildcard_mirror_in_front_and_docker_io_tls_is_dropped() {
    // The seed's air-gap block: every registry to registry:5000 (mirrors."*"), skip_verify keyed by namespace.
    let node = "version = 2\n\
        [plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"*\"]\n  endpoint = [\"https://registry:5000\"]\n\
        [plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"docker.io\".tls]\n  insecure_skip_verify = true\n\
        [plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"gcr.io\".tls]\n  insecure_skip_verify = true\n";
    let p = Project { target: Target { min: "1.7.0".parse().unwrap(), max: "1.7.x".parse().unwrap() }, ..Default::default() };
    let r = ccb_core::render_merged(&p, node);
    let file = |path: &str| r.files.iter().find(|f| f.path == path).map(|f| f.content.to_string());
    // gcr.io images went to registry:5000 first, then to gcr.io with skip_verify: a directory of its own (which
    // hides _default) must say both, the upstream last and only once.
    let gcr = file("certs.d/gcr.io/hosts.toml").expect("gcr.io gets a directory");
    let doc: DocumentMut = gcr.parse().unwrap();
    assert_eq!(doc["server"].as_str(), Some("https://gcr.io"));
    assert_eq!(doc["skip_verify"].as_bool(), Some(true));
    let hosts: Vec<&str> = doc["host"].as_table().unwrap().iter().map(|(k, _)| k).collect();
    assert_eq!(hosts, ["https://registry:5000"]);
    // Docker Hub is contacted as registry-1.docker.io: TLS keyed docker.io was never used and gets no directory
    // (one would send docker.io images to the host docker.io first).
    assert!(file("certs.d/docker.io/hosts.toml").is_none());
    assert!(r.diagnostics.iter().any(|d| d.code == "M8-legacy-tls-dropped" && d.message.en.contains("never used")), "{:?}", r.diagnostics);
    assert!(file("certs.d/_default/hosts.toml").is_some_and(|t| t.contains("https://registry:5000")));
}
