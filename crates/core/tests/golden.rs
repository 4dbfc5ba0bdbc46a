//! Golden tests: each folder under tests/golden/ holds a `project.json` (and optionally the node's
//! `existing-config.toml`) from the seed or the spec's §8 fixtures; `expected/` holds every file of the bundle and
//! `expected/diagnostics.txt`. Run with UPDATE_GOLDEN=1 to rewrite the expected files after a reviewed change.

use std::fs;
use std::path::{Path, PathBuf};

use ccb_core::model::Project;

fn scenarios() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut v: Vec<PathBuf> = fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    v.sort();
    v
}

fn diagnostics_text(r: &ccb_core::Rendered) -> String {
    r.diagnostics.iter().map(|d| format!("{} {} {}\n", d.severity.as_str(), d.code, d.path)).collect()
}

fn list_files(dir: &Path, base: &Path, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            list_files(&p, base, out);
        } else {
            out.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
        }
    }
}

#[test]
fn golden_scenarios() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let all = scenarios();
    assert!(all.len() >= 15, "expected at least 15 golden scenarios, found {}", all.len());
    let mut failures = Vec::new();
    for dir in all {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let project: Project = serde_json::from_str(&fs::read_to_string(dir.join("project.json")).unwrap())
            .unwrap_or_else(|e| panic!("{name}/project.json: {e}"));
        let existing = fs::read_to_string(dir.join("existing-config.toml")).ok();
        let r = match &existing {
            Some(text) => ccb_core::render_merged(&project, text),
            None => ccb_core::render(&project),
        };
        let mut actual: Vec<(String, String)> = r.files.iter().map(|f| (f.path.clone(), f.content.to_string())).collect();
        actual.push(("diagnostics.txt".into(), diagnostics_text(&r)));
        let expected_dir = dir.join("expected");
        if update {
            let _ = fs::remove_dir_all(&expected_dir);
            for (path, content) in &actual {
                let p = expected_dir.join(path);
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(p, content).unwrap();
            }
            continue;
        }
        let mut expected_files = Vec::new();
        list_files(&expected_dir, &expected_dir, &mut expected_files);
        expected_files.sort();
        let mut actual_files: Vec<String> = actual.iter().map(|(p, _)| p.clone()).collect();
        actual_files.sort();
        if expected_files != actual_files {
            failures.push(format!("{name}: files differ\n  expected {expected_files:?}\n  actual   {actual_files:?}"));
            continue;
        }
        for (path, content) in &actual {
            let want = fs::read_to_string(expected_dir.join(path)).unwrap();
            if &want != content {
                failures.push(format!("{name}/{path} differs:\n--- expected\n{want}\n--- actual\n{content}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} golden mismatch(es) (UPDATE_GOLDEN=1 rewrites after review):\n{}", failures.len(), failures.join("\n"));
}
