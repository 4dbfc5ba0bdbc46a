//! The bundle in 简体中文 is the English bundle with other words: every example and golden scenario rendered in
//! both languages has the same files, kinds, modes, diagnostics and facts, the same TOML values (parsed with the
//! toml crate: comments are all that may differ), the same certificates and project.json; README.txt and install.sh
//! are in Chinese, and the Chinese install.sh is valid sh.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use ccb_core::render::{render_in, render_merged_in};
use ccb_core::{FileKind, Lang, Project};

/// (name, project, node config.toml) of every example and golden scenario.
fn cases() -> Vec<(String, Project, Option<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for entry in fs::read_dir(root.join("../../examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let project: Project = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let project = ccb_core::secrets::resolve_env(&project, |_| Some("example-secret".into())).unwrap();
        out.push((path.display().to_string(), project, None));
    }
    for entry in fs::read_dir(root.join("tests/golden")).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let project: Project = serde_json::from_str(&fs::read_to_string(dir.join("project.json")).unwrap()).unwrap();
        let existing = fs::read_to_string(dir.join("existing-config.toml")).ok();
        out.push((dir.display().to_string(), project, existing));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn sh_n(script: &str) -> Result<(), String> {
    let mut child = Command::new("sh").arg("-n").stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(|e| e.to_string())?;
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    if o.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&o.stderr).into_owned())
    }
}

#[test]
fn every_example_means_the_same_in_both_languages() {
    let all = cases();
    assert!(all.len() >= 30, "expected the examples and golden scenarios, found {}", all.len());
    for (name, project, existing) in all {
        let render = |lang| match &existing {
            Some(node) => render_merged_in(&project, node, lang),
            None => render_in(&project, lang),
        };
        let (en, zh) = (render(Lang::En), render(Lang::Zh));
        let shape = |r: &ccb_core::Rendered| r.files.iter().map(|f| (f.path.clone(), f.kind, f.mode)).collect::<Vec<_>>();
        assert_eq!(shape(&en), shape(&zh), "{name}: other files");
        assert_eq!(en.diagnostics, zh.diagnostics, "{name}");
        assert_eq!((en.installable, en.delivery, en.restart), (zh.installable, zh.delivery, zh.restart), "{name}");
        assert_eq!(en.verify_commands, zh.verify_commands, "{name}");
        for (a, b) in en.files.iter().zip(&zh.files) {
            let what = format!("{name}: {}", a.path);
            match a.kind {
                k if k.is_toml() => {
                    let (ta, tb) = (a.content.parse::<toml::Table>(), b.content.parse::<toml::Table>());
                    assert_eq!(ta.map_err(|e| e.to_string()), tb.map_err(|e| e.to_string()), "{what}: values differ");
                    if existing.is_none() {
                        assert!(has_chinese(&b.content), "{what}: no Chinese comment");
                    }
                }
                FileKind::Certificate | FileKind::ProjectJson => assert_eq!(a.content, b.content, "{what}"),
                FileKind::Readme | FileKind::InstallScript => {
                    assert_ne!(a.content, b.content, "{what}: not translated");
                    assert!(has_chinese(&b.content), "{what}");
                }
                _ => {}
            }
        }
        let script = &zh.file("install.sh").expect("install.sh").content;
        if let Err(e) = sh_n(script) {
            panic!("{name}: the Chinese install.sh is not valid sh: {e}");
        }
        assert!(!script.contains("LANG"), "{name}: install.sh must not switch on the node's locale");
    }
}

/// `render` is the English bundle (the golden files hold it).
#[test]
fn render_is_english() {
    let p = Project::default();
    assert_eq!(ccb_core::render(&p), render_in(&p, Lang::En));
    assert!(!has_chinese(&ccb_core::render(&p).file("README.txt").unwrap().content));
}
