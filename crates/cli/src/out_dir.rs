//! Where `--out` really is, to tell whether a file lies inside it before anything is written.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// Whether the existing `file` is inside `dir` once links, `.` and `..` are resolved; `dir` need not exist
/// yet. A `file` that cannot be resolved is not inside (reading it will report why).
pub fn lies_inside(file: &Path, dir: &Path) -> bool {
    let Ok(file) = fs::canonicalize(file) else { return false };
    file.starts_with(resolve(dir))
}

/// `path` made absolute with links resolved as far as it exists; the rest (to be created) is appended with `.`
/// and `..` applied by name, as creating it would.
fn resolve(path: &Path) -> PathBuf {
    let absolute = match std::env::current_dir() {
        Ok(cwd) => cwd.join(path),
        Err(_) => path.to_path_buf(),
    };
    let mut existing = absolute.as_path();
    let mut rest: Vec<Component> = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            let mut out = real;
            for c in rest.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(up), Some(last)) => {
                rest.push(last);
                existing = up;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_inside_out_are_found_through_links_dots_and_missing_parts() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("d");
        fs::create_dir(&d).unwrap();
        fs::write(d.join("config.toml"), "x").unwrap();
        std::os::unix::fs::symlink(&d, t.path().join("link")).unwrap();
        let cfg = d.join("config.toml");
        assert!(lies_inside(&cfg, &d));
        assert!(lies_inside(&t.path().join("link/config.toml"), &d));
        assert!(lies_inside(&cfg, &t.path().join("link")));
        assert!(lies_inside(&cfg, &t.path().join("d/../d/.")));
        assert!(lies_inside(&cfg, t.path()));
        assert!(lies_inside(&cfg, &t.path().join("new/../d")));
        assert!(!lies_inside(&cfg, &t.path().join("d/sub")));
        assert!(!lies_inside(&cfg, &t.path().join("dd")));
        assert!(!lies_inside(&t.path().join("gone.toml"), t.path()));
    }
}
