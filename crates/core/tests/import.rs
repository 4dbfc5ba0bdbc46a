//! Import and lint of real node files. Each folder under tests/import/ holds `input/` (an /etc/containerd layout:
//! config.toml and/or certs.d/, as found on nodes: the seed note's blocks, containerd's default configs, hand-made
//! folders with each mistake) and optionally `target` ("1.6.20-2.3.x", for the lint; default: the project's range);
//! `expected/` holds the imported project, the import report and the lint, in English and Chinese. Run with
//! UPDATE_GOLDEN=1 to rewrite them after a reviewed change.

use std::fs;
use std::path::{Path, PathBuf};

#[path = "support/report_lines.rs"]
mod report_lines;

use ccb_core::import::{import, Finding, Options};
use report_lines::lines;
use ccb_core::model::Target;

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
        let imported = import(&files, &Options { target: target.clone(), ..Default::default() });
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

mod positions {
    //! Whatever the bytes, the importer and the linter never panic, and every position they report lies inside
    //! the file it names.
    use super::*;
    use proptest::prelude::*;

    /// Pieces of the files containerd reads, so random inputs reach deep into the readers.
    const PIECES: [&str; 32] = [
        "version = 2\n", "version = 3\n", "version = \"x\"\n", "[plugins.\"io.containerd.grpc.v1.cri\".registry]\n",
        "[plugins.\"io.containerd.cri.v1.images\".registry]\n", "config_path = \"/etc/containerd/certs.d\"\n",
        "config_path = \"/a:/b\"\n", "[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"docker.io\"]\n",
        "endpoint = [\"https://m.example.com\", 5]\n", "[plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"docker.io\".auth]\n",
        "username = \"u\"\npassword = \"p\"\n", "[plugins.\"io.containerd.grpc.v1.cri\".registry.configs.\"m.example.com\".tls]\n",
        "insecure_skip_verify = true\n", "server = \"https://r.example.com\"\n", "[host.\"https://m.example.com\"]\n",
        "[host.\"https://n.example.com\".header]\n", "capabilities = [\"pull\", \"resolve\"]\n", "capabilities = [\"fetch\"]\n",
        "ca = \"ca.crt\"\n", "ca = [\"/etc/x.pem\", 1]\n", "client = [[\"c.cert\", \"c.key\"]]\n", "skip-verify = true\n",
        "skip_verify = \"true\"\n", "X-A = [\"1\", 2]\n", "[host]\n\"https://d\".capabilities = [\"pull\"]\n", "host = 5\n",
        "dial_timeout = \"3s\"\n", "override_path = true\n", "中文 = \"值\"\n", "[[host]]\n", "\u{1b}[2J", "\"\n",
    ];
    const PATHS: [&str; 8] = [
        "config.toml", "certs.d/docker.io/hosts.toml", "certs.d/registry.example.com_5000_/hosts.toml",
        "certs.d/registry.example.com:5000/hosts.toml", "certs.d/_default/hosts.toml", "certs.d/quay.io/ca.crt",
        "certs.d/docker.io/ca.crt", "certs.d/bad name/hosts.toml",
    ];

    fn file() -> impl Strategy<Value = (String, Vec<u8>)> {
        (0..PATHS.len(), prop::collection::vec(prop_oneof![(0..PIECES.len()).prop_map(|i| PIECES[i].as_bytes().to_vec()), prop::collection::vec(any::<u8>(), 0..6)], 0..10))
            .prop_map(|(p, parts)| (PATHS[p].to_string(), parts.concat()))
    }

    fn inside(files: &[(String, Vec<u8>)], f: &Finding) -> bool {
        let Some((line, col)) = f.at else { return true };
        // Of a path given twice, the first counts.
        let Some((_, bytes)) = files.iter().find(|(p, _)| *p == f.file) else { return false };
        let text = String::from_utf8_lossy(bytes);
        let lines: Vec<&str> = text.split('\n').collect();
        line >= 1 && line <= lines.len() && col >= 1 && col <= lines[line - 1].chars().count() + 1
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
        #[test]
        fn never_panics_and_every_position_is_inside_its_file(files in prop::collection::vec(file(), 0..5)) {
            let imported = import(&files, &Options::default());
            for f in &imported.report {
                prop_assert!(f.file.is_empty() || f.at.is_none() || inside(&files, f), "{:?} lies outside its file", f);
            }
            for f in ccb_core::lint::lint(&files, &Target { min: "1.6.0".parse().unwrap(), max: "2.3.x".parse().unwrap() }) {
                prop_assert!(f.file.is_empty() || f.at.is_none() || inside(&files, &f), "{:?} lies outside its file", f);
            }
            // What was imported is a project like any other: it renders.
            let _ = ccb_core::render(&imported.project);
        }
    }
}
