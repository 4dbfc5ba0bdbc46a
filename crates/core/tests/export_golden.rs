//! Golden tests of the k3s / Talos exports: the seed note's situations (the seed-* golden projects: Docker Hub
//! mirrors, Harbor proxy-cache mapping, air-gap), a few more render goldens, every example and every preset, and
//! the export-only cases of `tests/export/<scenario>/project.json` (what a format loses), each exported to k3s
//! `registries.yaml`, a Talos 1.11 machine-config patch and Talos 1.12 documents. Expected output lives in
//! `tests/export/<scenario>/` (`k3s.yaml`, `talos-1.11.yaml`, `talos-1.12.yaml`, `diagnostics.txt`, and the files
//! k3s reads by path under `files/`); UPDATE_GOLDEN=1 rewrites it after review.
//!
//! Each YAML is also read back with saphyr and held to its format's rules: only the fields the format has, URLs
//! with a scheme, every `ca_file` shipped, Talos's CA base64 of PEM (1.11) or PEM (1.12), one auth method each.

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine;
use ccb_core::export::{export, Export, Format, TalosForm};
use ccb_core::model::Project;
use saphyr::{LoadableYamlNode, Yaml};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Render goldens that exercise what the seed does not: a `_default` mirror, Harbor path mode, TLS with auth,
/// several hosts with mTLS and headers, a pull-only public mirror's Docker Hub credentials.
const MORE_GOLDENS: [&str; 5] = [
    "f04a-default-only-mirror-2x",
    "f07-multi-host-mtls-headers",
    "f09-harbor-path-mode",
    "f14-mirror-tls-and-auth",
    "f19-dockerhub-credentials",
];

/// (scenario name, project) for every input.
fn scenarios() -> Vec<(String, Project)> {
    let mut out = Vec::new();
    let read = |p: &Path| -> Project {
        let project: Project = serde_json::from_str(&fs::read_to_string(p).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        // Secrets given as {"env": …} are what the CLI reads from the environment.
        ccb_core::secrets::resolve_env(&project, |_| Some("example-secret".into())).unwrap()
    };
    let mut seeds: Vec<PathBuf> = fs::read_dir(root().join("tests/golden"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("seed-") || MORE_GOLDENS.contains(&name.as_str())
        })
        .collect();
    seeds.sort();
    for dir in seeds {
        out.push((dir.file_name().unwrap().to_string_lossy().into_owned(), read(&dir.join("project.json"))));
    }
    let mut examples: Vec<PathBuf> = fs::read_dir(root().join("../../examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
        .collect();
    examples.sort();
    for p in examples {
        out.push((format!("example-{}", p.file_stem().unwrap().to_string_lossy()), read(&p)));
    }
    for preset in ccb_core::presets::all() {
        out.push((format!("preset-{}", preset.id), preset.project));
    }
    // What a format loses (or carries only by a rule of its own), each with its project next to the expected
    // output: the cases the round-trip property (tests/properties.rs) found.
    let mut losses: Vec<PathBuf> = fs::read_dir(root().join("tests/export"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join(OWN_PROJECT).is_file())
        .collect();
    losses.sort();
    for dir in losses {
        out.push((dir.file_name().unwrap().to_string_lossy().into_owned(), read(&dir.join(OWN_PROJECT))));
    }
    out
}

/// The project of a scenario that exists for the exports alone, in its expected-output directory.
const OWN_PROJECT: &str = "project.json";

const FORMATS: [(&str, Format); 3] = [
    ("k3s.yaml", Format::K3s),
    ("talos-1.11.yaml", Format::Talos(TalosForm::MachineConfig)),
    ("talos-1.12.yaml", Format::Talos(TalosForm::Documents)),
];

fn diagnostics_text(e: &Export) -> String {
    e.diagnostics.iter().map(|d| format!("{} {} {}\n", d.severity.as_str(), d.code, d.path)).collect()
}

#[test]
fn export_goldens() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let all = scenarios();
    assert!(all.len() >= 15, "seeds, examples and presets: found {}", all.len());
    let mut failures = Vec::new();
    for (name, project) in &all {
        let dir = root().join("tests/export").join(name);
        let mut actual: Vec<(String, String)> = Vec::new();
        let mut diags = String::new();
        for (file, format) in FORMATS {
            let e = export(project, format);
            check_format(name, format, &e);
            actual.push((file.to_string(), e.yaml.clone()));
            diags.push_str(&format!("# {file}\n{}", diagnostics_text(&e)));
            for f in &e.files {
                actual.push((format!("files{}", f.path), f.content.clone()));
            }
        }
        actual.push(("diagnostics.txt".to_string(), diags));
        if update {
            let own = fs::read(dir.join(OWN_PROJECT)).ok();
            let _ = fs::remove_dir_all(&dir);
            if let Some(own) = own {
                fs::create_dir_all(&dir).unwrap();
                fs::write(dir.join(OWN_PROJECT), own).unwrap();
            }
            for (path, content) in &actual {
                let p = dir.join(path);
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(p, content).unwrap();
            }
            continue;
        }
        for (path, content) in &actual {
            match fs::read_to_string(dir.join(path)) {
                Ok(want) if &want == content => {}
                Ok(want) => failures.push(format!("{name}/{path} differs:\n--- expected\n{want}\n--- actual\n{content}")),
                Err(_) => failures.push(format!("{name}/{path} is missing (UPDATE_GOLDEN=1 writes it)")),
            }
        }
    }
    assert!(failures.is_empty(), "{} export golden mismatch(es):\n{}", failures.len(), failures.join("\n"));
}

fn keys(y: &Yaml) -> Vec<String> {
    y.as_mapping().map(|m| m.keys().map(|k| k.as_str().unwrap_or("?").to_string()).collect()).unwrap_or_default()
}

fn only(name: &str, what: &str, y: &Yaml, allowed: &[&str]) {
    assert!(y.is_mapping(), "{name}: {what} is a mapping");
    for k in keys(y) {
        assert!(allowed.contains(&k.as_str()), "{name}: {what} has no field {k:?} in the format (allowed: {allowed:?})");
    }
}

fn is_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// The YAML read back and held to the format's rules.
fn check_format(name: &str, format: Format, e: &Export) {
    let docs = Yaml::load_from_str(&e.yaml).unwrap_or_else(|err| panic!("{name}: {format:?} is not YAML: {err}"));
    match format {
        Format::K3s => {
            assert_eq!(docs.len(), 1, "{name}: one registries.yaml");
            let doc = &docs[0];
            only(name, "registries.yaml", doc, &["mirrors", "configs"]);
            for (ns, m) in doc["mirrors"].as_mapping().unwrap() {
                let ns = ns.as_str().unwrap();
                only(name, &format!("mirrors.{ns}"), m, &["endpoint"]);
                let eps = m["endpoint"].as_sequence().unwrap();
                assert!(!eps.is_empty(), "{name}: mirrors.{ns} has endpoints");
                assert!(eps.iter().all(|e| is_url(e.as_str().unwrap())), "{name}: mirrors.{ns} endpoints are URLs");
            }
            if let Some(configs) = doc.as_mapping_get("configs").and_then(|c| c.as_mapping()) {
                for (host, c) in configs {
                    let host = host.as_str().unwrap();
                    only(name, &format!("configs.{host}"), c, &["auth", "tls"]);
                    if c.contains_mapping_key("auth") {
                        only(name, "auth", &c["auth"], &["username", "password", "auth", "identity_token"]);
                    }
                    if c.contains_mapping_key("tls") {
                        only(name, "tls", &c["tls"], &["ca_file", "cert_file", "key_file", "insecure_skip_verify"]);
                        if let Some(ca) = c["tls"].as_mapping_get("ca_file").and_then(|v| v.as_str()) {
                            assert!(ca.starts_with('/'), "{name}: ca_file is a node path");
                            if ca.starts_with(ccb_core::export::k3s::CA_DIR) {
                                let f = e.files.iter().find(|f| f.path == ca).unwrap_or_else(|| panic!("{name}: {ca} is shipped"));
                                assert!(f.content.starts_with("-----BEGIN CERTIFICATE-----"), "{name}: {ca} holds PEM");
                            }
                        }
                    }
                }
            }
        }
        Format::Talos(TalosForm::MachineConfig) => {
            assert_eq!(docs.len(), 1, "{name}: one patch");
            only(name, "patch", &docs[0], &["machine"]);
            only(name, "machine", &docs[0]["machine"], &["registries"]);
            let reg = &docs[0]["machine"]["registries"];
            only(name, "machine.registries", reg, &["mirrors", "config"]);
            for (ns, m) in reg["mirrors"].as_mapping().unwrap() {
                let ns = ns.as_str().unwrap();
                only(name, &format!("mirrors.{ns}"), m, &["endpoints", "overridePath", "skipFallback"]);
                assert!(m["endpoints"].as_sequence().unwrap().iter().all(|e| is_url(e.as_str().unwrap())));
            }
            if let Some(config) = reg.as_mapping_get("config").and_then(|c| c.as_mapping()) {
                for (host, c) in config {
                    let host = host.as_str().unwrap();
                    only(name, &format!("config.{host}"), c, &["auth", "tls"]);
                    if c.contains_mapping_key("auth") {
                        only(name, "auth", &c["auth"], &["username", "password", "auth", "identityToken"]);
                    }
                    if c.contains_mapping_key("tls") {
                        only(name, "tls", &c["tls"], &["insecureSkipVerify", "ca", "clientIdentity"]);
                        if let Some(ca) = c["tls"].as_mapping_get("ca").and_then(|v| v.as_str()) {
                            let pem = base64::engine::general_purpose::STANDARD.decode(ca).expect("ca is base64");
                            assert!(String::from_utf8(pem).unwrap().starts_with("-----BEGIN CERTIFICATE-----"), "{name}: ca is base64 of PEM");
                        }
                    }
                }
            }
            assert!(e.files.is_empty(), "{name}: Talos takes everything inline");
        }
        Format::Talos(TalosForm::Documents) => {
            for d in &docs {
                assert_eq!(d["apiVersion"].as_str(), Some("v1alpha1"), "{name}: apiVersion");
                assert!(d["name"].as_str().is_some_and(|n| !n.is_empty()), "{name}: every document is named");
                match d["kind"].as_str().unwrap() {
                    "RegistryMirrorConfig" => {
                        only(name, "RegistryMirrorConfig", d, &["apiVersion", "kind", "name", "endpoints", "skipFallback"]);
                        for ep in d["endpoints"].as_sequence().unwrap() {
                            only(name, "endpoint", ep, &["url", "overridePath"]);
                            assert!(is_url(ep["url"].as_str().unwrap()));
                        }
                    }
                    "RegistryTLSConfig" => {
                        only(name, "RegistryTLSConfig", d, &["apiVersion", "kind", "name", "ca", "clientIdentity", "insecureSkipVerify"]);
                        if let Some(ca) = d.as_mapping_get("ca").and_then(|v| v.as_str()) {
                            assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{name}: ca is PEM");
                        }
                    }
                    "RegistryAuthConfig" => {
                        only(name, "RegistryAuthConfig", d, &["apiVersion", "kind", "name", "username", "password", "auth", "identityToken"]);
                        let user = d.contains_mapping_key("username");
                        let auth = d.contains_mapping_key("auth");
                        let token = d.contains_mapping_key("identityToken");
                        assert!([user, auth, token].iter().filter(|b| **b).count() == 1, "{name}: one auth method per document");
                    }
                    other => panic!("{name}: unknown document kind {other}"),
                }
            }
            assert!(e.files.is_empty(), "{name}: Talos takes everything inline");
        }
    }
}
