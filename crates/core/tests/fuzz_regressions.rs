//! The fuzz targets' invariants on stable: every committed input of `fuzz/regressions/<target>/` (inputs that
//! found bugs, minimised, plus a few seeds) goes through the very checks the cargo-fuzz targets run
//! (`tests/support/fuzz_checks.rs`), and so do the examples, the golden projects and the real default configs.
//!
//! Campaigns are run by hand (`make fuzz`, fuzz/README.md); what they find becomes a file here.

#[path = "support/fuzz_checks.rs"]
mod fuzz_checks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Inputs that still break an invariant, with the bug they show. The test passes while they fail, and says so
/// when one starts passing (then remove it from this list).
const KNOWN_FAILING: &[(&str, &str, &str)] = &[];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// Runs `target` on `data`; the panic message if an invariant broke.
fn run(target: impl Fn(&[u8]), data: &[u8]) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| target(data))).map_err(|e| {
        e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()
    })
}

#[test]
fn committed_fuzz_inputs_keep_their_invariants() {
    let root = repo().join("fuzz/regressions");
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, target) in fuzz_checks::TARGETS {
        let dir = root.join(name);
        let files = files_in(&dir);
        assert!(!files.is_empty(), "no regression inputs in {}", dir.display());
        for f in files {
            let file_name = f.file_name().unwrap().to_string_lossy().into_owned();
            let data = std::fs::read(&f).unwrap();
            count += 1;
            let known = KNOWN_FAILING.iter().find(|(t, n, _)| t == name && *n == file_name);
            match (run(*target, &data), known) {
                (Ok(()), None) => {}
                (Ok(()), Some((_, _, why))) => {
                    eprintln!("NOTE {name}/{file_name} passes now ({why}): remove it from KNOWN_FAILING");
                }
                (Err(msg), Some((_, _, why))) => eprintln!("known failing {name}/{file_name} ({why}): {msg}"),
                (Err(msg), None) => failures.push(format!("{name}/{file_name}: {msg}")),
            }
        }
    }
    for (t, n, _) in KNOWN_FAILING {
        assert!(root.join(t).join(n).is_file(), "KNOWN_FAILING names a missing file {t}/{n}");
    }
    eprintln!("{count} committed fuzz inputs checked");
    assert!(failures.is_empty(), "{} fuzz regression input(s) break an invariant:\n{}", failures.len(), failures.join("\n\n"));
}

/// The seed corpora themselves: every example and golden project through the render, share and CLI checks, every
/// real config through the merge check with every fixed project.
#[test]
fn seed_corpora_keep_the_invariants() {
    let mut failures = Vec::new();
    let mut projects: Vec<PathBuf> = files_in(&repo().join("examples"));
    for d in std::fs::read_dir(repo().join("crates/core/tests/golden")).unwrap() {
        let p = d.unwrap().path().join("project.json");
        if p.is_file() {
            projects.push(p);
        }
    }
    for p in &projects {
        let data = std::fs::read(p).unwrap();
        for (name, target) in fuzz_checks::TARGETS {
            if *name == "merge" {
                continue;
            }
            if let Err(msg) = run(*target, &data) {
                failures.push(format!("{name} on {}: {msg}", p.display()));
            }
        }
        // The render target merges into the config picked by the input's length: here into each.
        let project = fuzz_checks::load_project(std::str::from_utf8(&data).unwrap()).expect("seed project parses");
        for (cfg_name, cfg) in fuzz_checks::CONFIGS {
            let r = ccb_core::render_merged(&project, cfg);
            if let Err(msg) = run(|_: &[u8]| fuzz_checks::check_bundle_with(&project, &r, Some(cfg), true), b"") {
                failures.push(format!("render_merged({}, {cfg_name}): {msg}", p.display()));
            }
        }
    }
    for (cfg_name, cfg) in fuzz_checks::CONFIGS {
        for (p_name, p) in fuzz_checks::PROJECTS {
            let input = format!("{cfg}\0{p}");
            if let Err(msg) = run(fuzz_checks::merge_target, input.as_bytes()) {
                failures.push(format!("merge {cfg_name} with {p_name}: {msg}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} seed(s) break an invariant:\n{}", failures.len(), failures.join("\n\n"));
}
