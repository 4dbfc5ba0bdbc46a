//! Round trip: importing a bundle this tool rendered gives back a project that renders the same files. Every
//! golden scenario in hosts-dir style is rendered, its certs.d files and config fragment (or drop-in) imported as
//! a node's /etc/containerd, and the import rendered again: the hosts.toml files, the shipped CAs and the config
//! file must be byte for byte the same, but for two differences the import report names: a root entry without a
//! capabilities line (every capability) comes back with `capabilities = ["pull", "resolve", "push"]`, and
//! credentials keyed "docker.io" (never sent) come back keyed by the host containerd contacts.

use std::fs;
use std::path::Path;

use ccb_core::import::{import, Options};
use ccb_core::model::{OutputStyle, Project};
use ccb_core::paths;

/// The files of a bundle as they lie on the node, relative to /etc/containerd.
fn node_files(r: &ccb_core::Rendered) -> Vec<(String, Vec<u8>)> {
    // A bundle for 2.x only carries the fragment and the drop-in, the same settings: the fragment stands for
    // the node's config.toml.
    let config = [paths::CONFIG_TOML, paths::CONFIG_FRAGMENT, paths::DROP_IN].into_iter().find(|c| r.files.iter().any(|f| f.path == *c));
    r.files
        .iter()
        .filter_map(|f| {
            let path = if Some(f.path.as_str()) == config {
                paths::CONFIG_TOML.to_string()
            } else if f.path.starts_with("certs.d/") {
                f.path.clone()
            } else {
                return None;
            };
            Some((path, f.content.to_string().into_bytes()))
        })
        .collect()
}

#[test]
fn an_imported_bundle_renders_the_same_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut dirs: Vec<_> = fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if dir.join("existing-config.toml").exists() {
            continue; // a merged config.toml holds the node's own settings too: not a bundle of the project alone
        }
        let project: Project = serde_json::from_str(&fs::read_to_string(dir.join("project.json")).unwrap()).unwrap();
        if project.output == OutputStyle::Legacy {
            continue; // legacy mirrors are imported into hosts-dir style on purpose
        }
        let first = ccb_core::render(&project);
        let mut files = node_files(&first);
        let imported = import(&files, &Options { target: Some(project.target.clone()), ..Default::default() });
        let again = ccb_core::render(&imported.project);
        let mut again_files = node_files(&again);
        let all_capabilities = "capabilities = [\"pull\", \"resolve\", \"push\"]\n";
        for ((_, first), (_, again)) in files.iter().zip(again_files.iter_mut()) {
            let (first, text) = (String::from_utf8_lossy(first), String::from_utf8_lossy(again).into_owned());
            if !first.contains(all_capabilities) && text.contains(all_capabilities) {
                *again = text.replacen(all_capabilities, "", 1).into_bytes();
            }
        }
        if imported.report.iter().any(|f| f.code == "I17-docker-io-credentials-unused") {
            // The one intended change: the same credentials, under the host Docker Hub is contacted as.
            for (_, content) in files.iter_mut().filter(|(p, _)| p == paths::CONFIG_TOML) {
                let text = String::from_utf8_lossy(content).replace("configs.\"docker.io\".auth", "configs.\"registry-1.docker.io\".auth");
                *content = text.into_bytes();
            }
        }
        if files != again_files {
            let diff: Vec<String> = files
                .iter()
                .map(|(p, c)| (p, Some(c), again_files.iter().find(|(q, _)| q == p).map(|(_, c)| c)))
                .filter(|(_, a, b)| *a != *b)
                .map(|(p, a, b)| format!("  {p}:\n--- first\n{}\n--- again\n{}", String::from_utf8_lossy(a.unwrap()), b.map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_else(|| "(missing)".into())))
                .collect();
            let extra: Vec<&String> = again_files.iter().map(|(p, _)| p).filter(|p| !files.iter().any(|(q, _)| q == *p)).collect();
            failures.push(format!("{name}:\n{}\n  new files: {extra:?}", diff.join("\n")));
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} scenarios checked");
    assert!(failures.is_empty(), "{} of {checked} scenarios differ after import:\n{}", failures.len(), failures.join("\n\n"));
}
