//! Finds every `zh!` template in the core's sources, as `xtask text-modules` writes them into the page's Chinese text
//! module and the tests check them: the literal after each `zh!(` not on a `//` comment line, read by
//! [`template::literal_value`], the reading the macro itself uses.

use std::path::{Path, PathBuf};

use super::template;

/// One `zh!` template: where it is and its value.
#[derive(Debug, Clone)]
pub struct Found {
    pub file: PathBuf,
    pub line: usize,
    pub value: String,
}

/// The `zh!` templates of one source text, with their line numbers; an error for a `zh!(` whose first argument is
/// not a string literal (the macro refuses it too).
pub fn templates_in(src: &str) -> Result<Vec<(usize, String)>, String> {
    let mut out = Vec::new();
    let mut from = 0;
    // Spelt in two parts, so that this line is not a `zh!` of its own.
    const MARK: &str = concat!("zh", "!");
    while let Some(i) = src[from..].find(MARK).map(|i| i + from) {
        from = i + MARK.len();
        let line_start = src[..i].rfind('\n').map_or(0, |n| n + 1);
        let line = src[..i].matches('\n').count() + 1;
        let before = &src[line_start..i];
        if before.trim_start().starts_with("//") || src[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        // Only `zh!(` is read: `zh![…]` or `zh! (…)` would be a template missing from the page.
        let rest = src[from..].strip_prefix('(').ok_or_else(|| format!("line {line}: write {MARK}(…)"))?.trim_start();
        let (value, _) = template::literal_value(rest).ok_or_else(|| format!("line {line}: {MARK}( without a string literal"))?;
        out.push((line, value));
    }
    Ok(out)
}

/// The `zh!` templates of every `.rs` file under `dir`.
pub fn templates_under(dir: &Path) -> Result<Vec<Found>, String> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let src = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        for (line, value) in templates_in(&src).map_err(|e| format!("{}: {e}", f.display()))? {
            out.push(Found { file: f.clone(), line, value });
        }
    }
    Ok(out)
}

/// The `zh!` templates of the core (this crate's `src/`, where it was built).
pub fn core_templates() -> Result<Vec<Found>, String> {
    templates_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}
