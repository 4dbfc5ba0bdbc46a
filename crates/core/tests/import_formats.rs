//! Import of the other tools' files: k3s / RKE2 `registries.yaml`, Talos machine config and 1.12+ documents,
//! Docker `daemon.json`. Each folder under tests/import_formats/ holds one input file (written from the format's
//! documentation or the seed note), recognised by name or content as the CLI does, and optionally `assume` (one
//! word a line: `no_default_endpoint`, `embedded_registry`, `upstream_unreachable`: what the CLI's flags say);
//! `expected/` holds the imported project and the report in English and Chinese. UPDATE_GOLDEN=1 rewrites them
//! after a reviewed change.

use std::fs;
use std::path::{Path, PathBuf};

use ccb_core::import::formats::Assumptions;
#[path = "support/report_lines.rs"]
mod report_lines;

use ccb_core::import::{import, Finding, Options};
use report_lines::lines;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import_formats");
    let mut v: Vec<PathBuf> = fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    v.sort();
    v
}

fn input(dir: &Path) -> (String, Vec<u8>) {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "assume"))
        .collect();
    assert_eq!(files.len(), 1, "{}: one input file", dir.display());
    let p = files.remove(0);
    (p.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap())
}

fn assumptions(dir: &Path) -> Assumptions {
    let text = fs::read_to_string(dir.join("assume")).unwrap_or_default();
    let has = |w: &str| text.lines().any(|l| l.trim() == w);
    Assumptions {
        no_default_endpoint: has("no_default_endpoint").then_some(true),
        embedded_registry: has("embedded_registry").then_some(true),
        upstream_reachable: has("upstream_unreachable").then_some(false),
    }
}


/// Every finding is in the file given and at a place inside it.
fn positions_inside(name: &str, text: &str, report: &[Finding]) -> Result<(), String> {
    let rows: Vec<usize> = text.split('\n').map(|l| l.chars().count()).collect();
    for f in report {
        if f.file.is_empty() {
            continue;
        }
        if f.file != name {
            return Err(format!("finding in {} for input {name}", f.file));
        }
        if let Some((l, c)) = f.at {
            let ok = l >= 1 && l <= rows.len() && c >= 1 && c <= rows[l - 1] + 1;
            if !ok {
                return Err(format!("{name}:{l}:{c} is outside the input ({} lines)", rows.len()));
            }
        }
    }
    Ok(())
}

#[test]
fn import_formats_golden_cases() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let all = cases();
    assert!(all.len() >= 8, "expected the k3s, Talos and Docker cases, found {}", all.len());
    let mut failures = Vec::new();
    for dir in all {
        let (name, bytes) = input(&dir);
        let options = Options { assume: assumptions(&dir), ..Default::default() };
        let imported = import(&[(name.clone(), bytes.clone())], &options);
        if let Err(e) = positions_inside(&name, &String::from_utf8_lossy(&bytes), &imported.report) {
            failures.push(format!("{}: {e}", dir.display()));
        }
        let got = [
            ("project.json", serde_json::to_string_pretty(&imported.project).unwrap() + "\n"),
            ("report.txt", lines(&imported.report)),
        ];
        let expected = dir.join("expected");
        for (file, text) in got {
            let path = expected.join(file);
            if update {
                fs::create_dir_all(&expected).unwrap();
                fs::write(&path, &text).unwrap();
            } else if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                failures.push(format!("{} differs:\n{text}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

mod no_panic {
    use super::*;
    use ccb_core::import::formats::Format;
    use proptest::prelude::*;

    /// Pieces of the three formats, put together at random: keys of each, YAML and JSON punctuation, URLs
    /// good and bad, anchors, tags, tabs, multi-byte text.
    const PIECES: &[&str] = &[
        "mirrors:", "configs:", "endpoint:", "rewrite:", "auth:", "tls:", "machine:", "registries:", "endpoints:",
        "overridePath: true", "skipFallback: yes", "kind: RegistryMirrorConfig", "kind: RegistryTLSConfig", "name: docker.io",
        "ca: LS0t", "url: ", "identity_token: x", "\"*\":", "docker.io:", "- ", "  ", "\n", "\t", "  - https://m.example.com/v2/p",
        "localhost:5000", "https://", "//", "@", "&a", "*a", "!!str", "---", "...", "{", "}", "[", "]", ",", ":", "\"", "'", "#",
        "\"registry-mirrors\"", "\"insecure-registries\"", "\"10.0.0.0/8\"", "null", "true", "1e400", "\"\\u00e9\"", "镜像",
        "\"^(.*)$\": \"p/$1\"", "insecure_skip_verify: true", "clientIdentity:", "\u{feff}", "\r\n",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::collection::vec(proptest::sample::select(PIECES), 0..60).prop_map(|v| v.concat()),
            1 => any::<String>(),
        ]
    }

    /// Inputs the property found: an empty last document after `---` was placed on the line after the input.
    #[test]
    fn found_inputs_point_inside() {
        for t in ["mirrors:\r\n---", "mirrors:\n---", "---\n---"] {
            for (name, format) in [("registries.yaml", Format::K3s), ("machine.yaml", Format::Talos)] {
                let imported = import(&[(name.to_string(), t.as_bytes().to_vec())], &Options { format: Some(format), ..Default::default() });
                if format == Format::K3s {
                    assert!(!imported.report.is_empty(), "{t:?}: the second document is reported");
                }
                positions_inside(name, t, &imported.report).unwrap();
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        /// No input makes any of the three readers panic, and every finding is at a place inside the input.
        #[test]
        fn foreign_imports_never_panic_and_point_inside_the_input(t in text()) {
            for (name, format) in [("registries.yaml", Format::K3s), ("machine.yaml", Format::Talos), ("daemon.json", Format::Docker)] {
                let imported = import(&[(name.to_string(), t.clone().into_bytes())], &Options { format: Some(format), ..Default::default() });
                if let Err(e) = positions_inside(name, &t, &imported.report) {
                    return Err(TestCaseError::fail(format!("{e}\ninput: {t:?}")));
                }
            }
        }
    }
}
