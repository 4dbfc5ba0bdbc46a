//! Import and lint of real node files. Each folder under tests/import/ holds `input/` (an /etc/containerd layout:
//! config.toml and/or certs.d/, as found on nodes: the seed note's blocks, containerd's default configs, hand-made
//! folders with each mistake) and optionally `target` ("1.6.20-2.3.x", for the lint; default: the project's range);
//! `expected/` holds the imported project, the import report and the lint, in English and Chinese. Run with
//! UPDATE_GOLDEN=1 to rewrite them after a reviewed change.

use std::fs;
use std::path::{Path, PathBuf};

use ccb_core::import::{import, Finding, Options};
use ccb_core::model::Target;
use ccb_core::Lang;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import");
    let mut v: Vec<PathBuf> = fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    v.sort();
    v
}

fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, base, out);
        } else {
            out.push((p.strip_prefix(base).unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap()));
        }
    }
}

pub fn layout(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files
}

fn parse_target(s: &str) -> Target {
    let (min, max) = s.trim().split_once('-').expect("target MIN-MAX");
    Target { min: min.parse().unwrap(), max: max.parse().unwrap() }
}

fn lines(report: &[Finding]) -> String {
    let mut out = String::new();
    for lang in [Lang::En, Lang::Zh] {
        for f in report {
            out.push_str(&f.to_line(lang));
            out.push('\n');
        }
    }
    out
}

#[test]
fn import_and_lint_golden_cases() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 9, "expected the seed, default-config and mistake cases, found {}", all.len());
    for dir in all {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let files = layout(&dir.join("input"));
        let target = fs::read_to_string(dir.join("target")).ok().map(|t| parse_target(&t));
        let imported = import(&files, &Options { target: target.clone() });
        let lint = ccb_core::lint::lint(&files, target.as_ref().unwrap_or(&imported.project.target));
        let actual = [
            ("project.json", serde_json::to_string_pretty(&imported.project).unwrap() + "\n"),
            ("report.txt", lines(&imported.report)),
            ("lint.txt", lines(&lint)),
        ];
        let expected_dir = dir.join("expected");
        for (file, content) in actual {
            let path = expected_dir.join(file);
            if update {
                fs::create_dir_all(&expected_dir).unwrap();
                fs::write(&path, &content).unwrap();
            } else if fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
                failures.push(format!("{name}/expected/{file} differs (UPDATE_GOLDEN=1 rewrites it after review):\n{content}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
