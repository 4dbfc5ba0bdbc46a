//! Every shipped example project renders cleanly: no errors, an installable bundle.

use std::fs;
use std::path::Path;

#[test]
fn examples_render_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut n = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        n += 1;
        let text = fs::read_to_string(&path).unwrap();
        let project: ccb_core::Project = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // Secrets given as {"env": …} are what the CLI reads from the environment.
        let project = ccb_core::secrets::resolve_env(&project, |_| Some("example-secret".into())).unwrap();
        let r = ccb_core::render(&project);
        let errors: Vec<_> = r.diagnostics.iter().filter(|d| d.severity == ccb_core::Severity::Error).collect();
        assert!(errors.is_empty() && r.installable, "{}: {errors:#?}", path.display());
        assert!(r.files.iter().any(|f| f.path == "install.sh"));
    }
    assert!(n >= 6, "expected at least 6 examples, found {n}");
}

/// Every pasted CA certificate of the examples and presets is a certificate containerd can load: the DER of
/// each block is walked (the examples once shipped base64 that was not a certificate at all). The one preset
/// placeholder is the exception, and it must stay flagged until a real certificate replaces it.
#[test]
fn example_and_preset_certificates_parse() {
    use ccb_core::model::{CaCert, Project, Tls};
    fn pems(p: &Project) -> Vec<String> {
        let mut tls: Vec<&Tls> = p.registries.iter().flat_map(|r| r.endpoints.iter().map(|e| &e.tls)).collect();
        tls.extend(p.harbor.as_ref().map(|h| &h.tls));
        tls.extend(p.air_gap.as_ref().map(|a| &a.tls));
        tls.iter().flat_map(|t| &t.ca).filter_map(|c| if let CaCert::Pem { pem, .. } = c { Some(pem.clone()) } else { None }).collect()
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut checked = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let project: Project = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        for pem in pems(&project) {
            assert_eq!(ccb_core::pem::check_ca_text(&pem), vec![], "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 2, "the air-gap and private-CA examples paste certificates; found {checked}");
    for preset in ccb_core::presets::all() {
        for pem in pems(&preset.project) {
            let findings = ccb_core::pem::check_ca_text(&pem);
            if preset.id == "private-registry-ca" {
                assert_eq!(findings, vec![ccb_core::pem::Finding::NotBase64 { n: 1 }], "the placeholder to paste over");
            } else {
                assert_eq!(findings, vec![], "{}", preset.id);
            }
        }
    }
}
