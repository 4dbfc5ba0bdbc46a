//! `import` and `lint` as a user runs them: exit codes (0 clean, 1 errors, 3 warnings only, 2 unreadable input),
//! the report as `file:line:col: severity[code] message` with the paths given, the project on stdout or in
//! `--out` (0600 with a secret), `--secrets-as-env`.

mod common;

use common::*;

fn certs_d(root: &std::path::Path, files: &[(&str, &str)]) -> std::path::PathBuf {
    for (path, text) in files {
        write(&root.join(path), text);
    }
    root.to_path_buf()
}

#[test]
fn lint_exit_codes_follow_the_worst_finding() {
    let t = tempfile::tempdir().unwrap();
    let clean = certs_d(&t.path().join("clean"), &[("certs.d/docker.io/hosts.toml", "[host.\"https://m.example.com\"]\n  capabilities = [\"pull\"]\n")]);
    let r = ccb(&["lint", s(&clean), "--target", "2.0.0-2.3.x"], &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("0 error(s), 0 warning(s)"), "{r:?}");

    let warned = certs_d(&t.path().join("warned"), &[("certs.d/docker.io/hosts.toml", "[host.\"https://m.example.com\"]\n  capabilities = [\"pull\"]\n  skip-verify = true\n")]);
    let r = ccb(&["lint", s(&warned), "--target", "2.0.0-2.3.x"], &[]);
    assert_eq!(r.code, 3, "{r:?}");
    let file = warned.join("certs.d/docker.io/hosts.toml");
    assert!(r.stderr.contains(&format!("{}:3:3: warning[I3-hosts-unknown-key]", file.display())), "{r:?}");

    let broken = certs_d(&t.path().join("broken"), &[("certs.d/quay.io/hosts.toml", "[host.\"https://m.example.com\"]\n  capabilities = [\"pull\", \"fetch\"]\n")]);
    let r = ccb(&["lint", s(&broken), "--target", "2.0.0-2.3.x", "--lang", "zh"], &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains(":2:3: error[I5-unknown-capability]") && r.stderr.contains("不是有效的能力"), "{r:?}");

    // The same root-only file: an error where 1.6 is in range, clean on 2.x only.
    let root_only = certs_d(&t.path().join("root-only"), &[("certs.d/r.example.com/hosts.toml", "server = \"https://r.example.com\"\n")]);
    assert_eq!(ccb(&["lint", s(&root_only), "--target", "1.6.20-2.3.x"], &[]).code, 1);
    assert_eq!(ccb(&["lint", s(&root_only), "--target", "2.0.0-2.3.x"], &[]).code, 0);

    let r = ccb(&["lint", s(&t.path().join("missing"))], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(ccb(&["lint", s(&clean), "--target", "2.3.x-1.7.0"], &[]).code, 2, "a reversed range is refused");
}

#[test]
fn import_prints_the_project_and_keeps_secrets_out_of_the_file_on_request() {
    let t = tempfile::tempdir().unwrap();
    let etc = certs_d(
        &t.path().join("etc"),
        &[
            ("config.toml", "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"docker.io\"]\n  endpoint = [\"https://mirror.example.com\"]\n[plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"mirror.example.com\".auth]\n  username = \"robot\"\n  password = \"hunter2\"\n"),
            ("certs.d/quay.io/hosts.toml", "[host.\"https://quay-mirror.example.com\"]\n  capabilities = [\"pull\", \"resolve\"]\n"),
        ],
    );
    let r = ccb(&["import", s(&etc)], &[]);
    // The only problem: without config_path, containerd reads none of the certs.d folder.
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("warning[I14-certs-d-not-read]"), "{r:?}");
    let p: serde_json::Value = serde_json::from_str(&r.stdout).expect("the project on stdout");
    let upstreams: Vec<&str> = p["registries"].as_array().unwrap().iter().map(|r| r["upstream"].as_str().unwrap()).collect();
    assert_eq!(upstreams, ["quay.io", "docker.io"]);
    assert_eq!(p["auth"][0]["method"]["password"], "hunter2");
    assert!(r.stderr.contains(&format!("{}:2:1: info[M7-mirrors-migrated]", etc.join("config.toml").display())), "{r:?}");

    let out = t.path().join("project.json");
    let r = ccb(&["import", s(&etc), "--out", s(&out)], &[]);
    assert_eq!(r.code, 3, "{r:?}");
    assert_eq!(mode(&out) & 0o777, 0o600, "a project holding a password is private");

    let shared = t.path().join("shared.json");
    let r = ccb(&["import", s(&etc), "--out", s(&shared), "--secrets-as-env", "NODE"], &[]);
    assert!(!read(&shared).contains("hunter2"), "{r:?}");
    assert!(read(&shared).contains("NODE_MIRROR_EXAMPLE_COM_PASSWORD"));
    assert!(r.stderr.contains("set NODE_MIRROR_EXAMPLE_COM_PASSWORD"), "{r:?}");
    assert!(!r.all().contains("hunter2"), "no secret in the output: {r:?}");
    // The project renders once the variable is set.
    let bundle = t.path().join("bundle");
    let r = ccb(&["render", s(&shared), "--out", s(&bundle)], &[("NODE_MIRROR_EXAMPLE_COM_PASSWORD", "hunter2")]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(read(&bundle.join("certs.d/docker.io/hosts.toml")).contains("https://mirror.example.com"));
}

#[test]
fn import_of_unreadable_input_exits_2() {
    let t = tempfile::tempdir().unwrap();
    let r = ccb(&["import"], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    let r = ccb(&["import", s(&t.path().join("nope.toml"))], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    let bad = write(&t.path().join("config.toml"), "version = [\n");
    let r = ccb(&["import", s(&bad)], &[]);
    assert_eq!(r.code, 1, "a file that is not TOML is an error in the report: {r:?}");
    assert!(r.stderr.contains("error[M1-existing-not-toml]"), "{r:?}");
}

#[test]
fn a_certs_d_folder_or_one_registry_directory_imports_alone() {
    let t = tempfile::tempdir().unwrap();
    let folder = certs_d(
        &t.path().join("certs.d"),
        &[
            ("registry.example.com_5000_/hosts.toml", "[host.\"https://registry.example.com:5000\"]\n  capabilities = [\"pull\", \"resolve\", \"push\"]\n  ca = \"ca.crt\"\n"),
            ("registry.example.com_5000_/ca.crt", "not a certificate\n"),
        ],
    );
    let r = ccb(&["import", s(&folder)], &[]);
    let p: serde_json::Value = serde_json::from_str(&r.stdout).expect("project on stdout");
    assert_eq!(p["registries"][0]["upstream"], "registry.example.com:5000", "host_port_ is the registry's port");
    assert_eq!(p["registries"][0]["endpoints"][0]["tls"]["ca"][0]["pem"]["pem"], "not a certificate\n", "the CA comes back as PEM");
    // The CA is checked as the project's pasted CAs are, at the hosts.toml line that names it.
    let hosts = folder.join("registry.example.com_5000_/hosts.toml");
    assert!(r.stderr.contains(&format!("{}:3:3: error[H5-ca-not-pem]", hosts.display())), "{r:?}");
    assert_eq!(r.code, 1);
    let one = ccb(&["import", s(&folder.join("registry.example.com_5000_"))], &[]);
    assert_eq!(one.stdout, r.stdout, "one registry directory reads the same");
}
