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
