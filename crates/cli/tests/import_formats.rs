//! `import` of the other tools' files as a user runs it: recognised by name or content or `--format`, the
//! report at the file given with `line:col`, what the tools decide outside their files asked by flags, exit codes
//! (0 clean, 1 errors, 3 warnings only, 2 bad input), and an exported file imported again.

mod common;

use common::*;

#[test]
fn a_registries_yaml_is_imported_by_k3s_rules_and_its_assumptions_are_stated() {
    let t = tempfile::tempdir().unwrap();
    let file = write(&t.path().join("registries.yaml"), "mirrors:\n  docker.io:\n    endpoint:\n      - \"mirror.example.com\"\n      - \"mirror.example.com\"\n");
    let r = ccb(&["import", s(&file), "--lang", "en"], &[]);
    assert_eq!(r.code, 0, "{r:?}");
    let f = file.display();
    assert!(r.stderr.contains(&format!("{f}:4:9: info[I43-k3s-scheme] k3s contacts mirror.example.com as https://mirror.example.com.")), "{r:?}");
    assert!(r.stderr.contains(&format!("{f}:5:9: info[I42-k3s-duplicate]")), "{r:?}");
    assert!(r.stderr.contains("info[I46-k3s-default-endpoint] Assumed that k3s runs without --disable-default-registry-endpoint"), "{r:?}");
    let p: serde_json::Value = serde_json::from_str(&r.stdout).expect("the project on stdout");
    assert_eq!(p["registries"][0]["endpoints"].as_array().unwrap().len(), 1, "the duplicate is dropped");
    assert_eq!(p["registries"][0]["endpoints"][0]["url"], "https://mirror.example.com");

    // Told instead of assumed: the mirror is then the last host, with no fallback to Docker Hub.
    let r = ccb(&["import", s(&file), "--disable-default-registry-endpoint", "yes", "--lang", "zh"], &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!r.stderr.contains("假定"), "{r:?}");
    let p: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(p["registries"][0]["server"], "https://mirror.example.com", "{p}");

    assert_eq!(ccb(&["import", s(&file), "--embedded-registry", "maybe"], &[]).code, 2, "yes or no only");
}

#[test]
fn talos_and_docker_files_are_recognised_by_content_or_told_by_format() {
    let t = tempfile::tempdir().unwrap();
    let talos = write(&t.path().join("worker.yaml"), "machine:\n  registries:\n    mirrors:\n      docker.io:\n        endpoints: [\"https://m.example.com\"]\n        skipFallbak: true\n");
    let r = ccb(&["import", s(&talos)], &[]);
    assert_eq!(r.code, 3, "a typo is a warning: {r:?}");
    assert!(r.stderr.contains(&format!("{}:6:9: warning[I32-unknown-field]", talos.display())), "{r:?}");

    let docker = write(&t.path().join("my-daemon-settings"), "{\"registry-mirrors\": [\"https://m.example.com\"]}");
    let r = ccb(&["import", s(&docker), "--format", "docker", "--upstream-reachable", "no"], &[]);
    assert_eq!(r.code, 0, "{r:?}");
    let p: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(p["registries"][0]["upstream"], "docker.io");
    assert_eq!(p["registries"][0]["upstream_reachable"], false, "{p}");

    let broken = write(&t.path().join("daemon.json"), "{\n  \"insecure-registries\": [\"r:5000\",]\n}\n");
    let r = ccb(&["import", s(&broken)], &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains(&format!("{}:2:35: error[I30-syntax]", broken.display())), "{r:?}");

    assert_eq!(ccb(&["import", s(&docker), "--format", "podman"], &[]).code, 2);
}

#[test]
fn an_exported_registries_yaml_imports_back_to_the_same_routes() {
    let t = tempfile::tempdir().unwrap();
    let project = project_2x(false);
    let pj = write_json(&t.path().join("project.json"), &project);
    let yaml = t.path().join("registries.yaml");
    let e = ccb(&["export", "--format", "k3s", s(&pj), "--out", s(&yaml)], &[]);
    assert!(e.code == 0 || e.code == 3, "{e:?}");
    let r = ccb(&["import", s(&yaml)], &[]);
    assert!(r.code == 0 || r.code == 3, "{r:?}");
    let back: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let urls = |p: &serde_json::Value| -> Vec<String> {
        p["registries"].as_array().unwrap().iter().flat_map(|r| r["endpoints"].as_array().unwrap().iter().map(|e| e["url"].as_str().unwrap().to_string())).collect()
    };
    assert_eq!(urls(&back), urls(&project), "exported {}\nimported {}", read(&yaml), r.stdout);
}
