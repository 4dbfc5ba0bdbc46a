//! `explain` over the shipped examples (golden text, UPDATE_GOLDEN=1 rewrites after review), its committed JSON
//! Schema, and that no string whatever makes it panic.

use std::fs;
use std::path::Path;

use ccb_core::explain::{default_release, explain, text, PullStatus};
use ccb_core::Lang;
use proptest::prelude::*;

const IMAGES: [&str; 6] = [
    "nginx",
    "library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "quay.io/prometheus/node-exporter:v1.8.2",
    "registry.k8s.io/pause:3.10",
    "localhost:5000/app",
    "registry.internal:5000/team/app:1.0",
];

#[test]
fn examples_explained_as_committed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let examples = root.join("../../examples");
    let golden = root.join("tests/golden-explain");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut names: Vec<_> = fs::read_dir(&examples).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    names.sort();
    let mut failures = Vec::new();
    for path in &names {
        let project: ccb_core::Project = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        let release = default_release(&project.target);
        let mut got = String::new();
        // The fixed images, then one image of every registry the project configures (its TLS, auth, headers).
        let own: Vec<String> = ccb_core::plan::plan(&project).namespaces().iter().map(|ns| format!("{ns}/team/app:1.0")).collect();
        for image in IMAGES.iter().copied().chain(own.iter().map(String::as_str)) {
            let e = explain(&project, image, &release);
            assert_ne!(e.outcome.status, PullStatus::InvalidReference, "{image}");
            got.push_str(&format!("$ explain {image}\n{}\n\n", text::render(&e, Lang::En)));
        }
        let file = golden.join(path.file_stem().unwrap()).with_extension("txt");
        if update {
            fs::create_dir_all(&golden).unwrap();
            fs::write(&file, &got).unwrap();
        }
        if fs::read_to_string(&file).unwrap_or_default() != got {
            failures.push(file.display().to_string());
        }
    }
    assert!(names.len() >= 6);
    assert!(failures.is_empty(), "explain golden mismatch (UPDATE_GOLDEN=1 rewrites after review): {failures:?}");
}

#[test]
fn committed_explain_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/explain.schema.json");
    let generated = ccb_core::explain::schema::explain_schema_text();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        fs::write(&path, &generated).unwrap();
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/explain.schema.json is stale: run `UPDATE_SCHEMA=1 cargo test -p ccb-core --test explain` and commit it"
    );
}

proptest! {
    #[test]
    fn any_string_is_an_answer_never_a_panic(s in "\\PC{0,80}|[a-z0-9:./@_-]{0,80}") {
        let project = ccb_core::Project::default();
        let e = explain(&project, &s, &default_release(&project.target));
        let _ = text::render(&e, Lang::Zh);
        prop_assert!(e.error.is_some() == (e.outcome.status == PullStatus::InvalidReference));
        prop_assert!(serde_json::to_string(&e).is_ok());
    }
}
