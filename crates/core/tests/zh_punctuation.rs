//! Chinese text uses full-width punctuation (，：；（）): an ASCII `,` `:` `;` `(` `)` written directly against a
//! Chinese character is a half-width mark in Chinese prose. Every diagnostic, merge report and generated-file text
//! of the core and the CLI is a literal in their `src/`, the presets' texts are in `core/presets/`: the check reads
//! those files, so no message can slip past it untested.
//! Technical notation keeps its ASCII form by not touching a character (`<主机>[:<端口>]`, `user:password@`).

use std::path::Path;

/// Lines of `text` where an ASCII `,:;()` touches a CJK ideograph, as `line: text`.
pub fn half_width_next_to_chinese(text: &str) -> Vec<String> {
    let cjk = |c: char| matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}');
    let ascii = |c: char| matches!(c, ',' | ':' | ';' | '(' | ')');
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        if chars.windows(2).any(|w| (cjk(w[0]) && ascii(w[1])) || (ascii(w[0]) && cjk(w[1]))) {
            found.push(format!("{}: {}", n + 1, line.trim()));
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn chinese_texts_of_the_core_and_the_cli_use_full_width_punctuation() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let mut files = Vec::new();
    rust_files(&crates.join("core/src"), &mut files);
    rust_files(&crates.join("cli/src"), &mut files);
    // The presets' names and descriptions are shown on the page as they are.
    files.extend(std::fs::read_dir(crates.join("core/presets")).unwrap().map(|e| e.unwrap().path()));
    files.sort();
    let mut bad = Vec::new();
    for f in &files {
        for hit in half_width_next_to_chinese(&std::fs::read_to_string(f).unwrap()) {
            bad.push(format!("{}:{hit}", f.strip_prefix(&crates).unwrap().display()));
        }
    }
    assert!(files.len() > 25, "the sources were not found under {}", crates.display());
    assert!(bad.is_empty(), "half-width punctuation next to Chinese (write ，：；（）):\n{}", bad.join("\n"));
}

#[test]
fn the_check_catches_half_width_marks_and_spares_notation() {
    assert_eq!(half_width_next_to_chinese("\"无法读取文件:{e}\"").len(), 1);
    assert_eq!(half_width_next_to_chinese("\"下载(配置包)\"").len(), 1);
    assert_eq!(half_width_next_to_chinese("\"主机,端口\"").len(), 1);
    assert!(half_width_next_to_chinese("\"无法读取文件：{e}（第 1 行）\"").is_empty());
    assert!(half_width_next_to_chinese("\"只填写 <主机>[:<端口>]，例如 user:password@\"").is_empty());
}
