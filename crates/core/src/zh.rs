//! The core's Chinese texts in the page: not in its wasm, but installed at run time from the page's Chinese text
//! module (`ccb-zh-HASH.js`, written by `xtask text-modules` from [`entries`]), before the page first speaks Chinese.
//!
//! Two kinds of text come this way: the generated files' words (`render::catalogue`, by key) and the Chinese
//! templates of the diagnostics and messages, each written `zh!("…{host}…", …)` (the macro of `crates/zh-macro`;
//! by the template's hash). Natively (the CLI, the tests) and in the tools module (the `zh-inline` feature) both
//! are compiled in and nothing here is used; with the `zh-lookup` feature a native build takes the page's path,
//! installing what [`entries`] finds on first use, so that the tests can run every Chinese text through it.

pub mod template;

#[cfg(not(target_arch = "wasm32"))]
pub mod scan;

pub use ccb_zh_macro::zh;

use std::sync::OnceLock;

use crate::str_index::Texts;

/// What the page installed: the catalogue's texts by key, and the `zh!` templates (in [`template::slots`]'s
/// form) by [`template_key`] (one table type: see `str_index`). Leaked once: they live as long as the page.
static INSTALLED: OnceLock<Texts> = OnceLock::new();

/// The key of a `zh!` template among [`entries`]: `#` and its hash in hex (a catalogue key never starts with `#`).
pub fn template_key(hash: u32) -> String {
    format!("#{hash:08x}")
}

/// [`template_key`] without an allocation, for the page's lookups.
fn template_key_in(hash: u32, buf: &mut [u8; 9]) -> &str {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    buf[0] = b'#';
    for (i, b) in buf[1..].iter_mut().enumerate() {
        *b = HEX[(hash >> (28 - 4 * i) & 0xf) as usize];
    }
    std::str::from_utf8(buf).unwrap_or_default()
}

/// Installs the core's Chinese texts, as [`entries`] wrote them (the first installation stays; the page installs
/// once). Returns whether the entries were all readable.
pub fn install(entries: impl IntoIterator<Item = (String, String)>) -> bool {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut installed = Texts::new();
    let mut readable = true;
    for (k, v) in entries {
        match k.strip_prefix('#') {
            Some(hex) => match u32::from_str_radix(hex, 16) {
                Ok(h) => installed.insert(leak(template_key(h)), leak(v)),
                Err(_) => readable = false,
            },
            None => installed.insert(leak(k), leak(v)),
        }
    }
    let _ = INSTALLED.set(installed);
    readable
}

/// Whether the core's Chinese texts are there to look up (natively they are compiled in instead).
pub fn installed() -> bool {
    tables().is_some()
}

fn tables() -> Option<&'static Texts> {
    #[cfg(all(feature = "zh-lookup", not(target_arch = "wasm32")))]
    if INSTALLED.get().is_none() {
        install(entries().expect("the templates of the core's sources read"));
    }
    INSTALLED.get()
}

/// The installed Chinese text of the catalogue's `key`.
pub(crate) fn catalogue(key: &str) -> Option<&'static str> {
    tables()?.get(key)
}

/// `zh!` without arguments in the page: the installed template. Empty when the Chinese texts are not installed —
/// a page that speaks English never loads them, and a page in Chinese installs them before its first render; an
/// empty Chinese text is shown as the English one (`Message::get`), never as nothing, and never panics.
#[doc(hidden)]
pub fn text(hash: u32) -> &'static str {
    tables().and_then(|t| t.get(template_key_in(hash, &mut [0; 9]))).unwrap_or("")
}

/// `zh!` with arguments in the page: the installed template filled in with `args` (an argument with a format spec
/// comes formatted by the call site); empty when not installed, as [`text`].
#[doc(hidden)]
pub fn fill(hash: u32, args: &[&dyn std::fmt::Display]) -> String {
    tables().and_then(|t| t.get(template_key_in(hash, &mut [0; 9]))).map(|t| template::fill(t, args)).unwrap_or_default()
}

/// Every Chinese text the page installs: the catalogue's (by key) and every `zh!` template of the core's sources
/// (by [`template_key`], in [`template::slots`]'s form), for the page's text module.
#[cfg(not(target_arch = "wasm32"))]
pub fn entries() -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> =
        crate::render::catalogue::rows().map(|(k, _, zh)| (k.to_string(), zh.to_string())).collect();
    for found in scan::core_templates()? {
        out.push((template_key(template::hash(&found.value)), template::slots(&found.value)?.0));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::template::{fill, hash, literal_value, slots, Arg, Slot};
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn template_keys_are_written_alike_with_and_without_an_allocation() {
        for h in [0, 1, 0xabcdef01, u32::MAX, 0x10000000] {
            assert_eq!(template_key_in(h, &mut [0; 9]), template_key(h));
        }
    }

    #[test]
    fn every_template_of_the_core_reads_and_no_two_share_a_hash() {
        let found = scan::core_templates().unwrap();
        assert!(found.len() > 150, "the scanner finds the core's templates: {}", found.len());
        let mut by_hash: HashMap<u32, &str> = HashMap::new();
        for f in &found {
            let (filled_in, slot_list) = slots(&f.value).unwrap_or_else(|e| panic!("{}:{}: {e}", f.file.display(), f.line));
            // Every slot is taken by an argument: the form the page fills in names each by its number.
            let args: Vec<String> = (0..slot_list.len()).map(|n| format!("<{n}>")).collect();
            let args: Vec<&dyn std::fmt::Display> = args.iter().map(|a| a as &dyn std::fmt::Display).collect();
            assert!(!fill(&filled_in, &args).contains("{"), "{}:{}: a slot left unfilled", f.file.display(), f.line);
            if let Some(other) = by_hash.insert(hash(&f.value), &f.value) {
                assert_eq!(other, f.value, "two templates with one hash");
            }
        }
    }

    #[test]
    fn templates_are_filled_in_as_format_would() {
        let (t, s) = slots("\"{name}\" 在 {} 中：{name:?}，{{x}}，{0}").unwrap();
        assert_eq!(t, "\"{0}\" 在 {1} 中：{2}，{{x}}，{1}");
        assert_eq!(
            s,
            vec![
                Slot { arg: Arg::Name("name".into()), spec: String::new() },
                Slot { arg: Arg::Index(0), spec: String::new() },
                Slot { arg: Arg::Name("name".into()), spec: "?".into() },
            ]
        );
        let name = "a{1}b";
        assert_eq!(fill(&t, &[&name, &"X", &format!("{name:?}")]), format!("\"{name}\" 在 {} 中：{name:?}，{{x}}，{0}", "X"));
        assert!(slots("{").is_err() && slots("a } b").is_err() && slots("{a.b}").is_err());
        assert_eq!(fill("{0} {9} {x", &[&"A"]), "A {9} {x", "a slot without an argument stays as it is");
    }

    #[test]
    fn literals_are_read_as_rust_reads_them() {
        let src = "\"a \\\"q\\\" \\n\\t\\\\ \\x41\\u{4e2d} \\\n     next\" rest";
        let (v, len) = literal_value(src).unwrap();
        assert_eq!(v, "a \"q\" \n\t\\ A中 next");
        assert_eq!(&src[len..], " rest");
        assert_eq!(literal_value("r#\"x \"y\"\"# z").unwrap(), ("x \"y\"".to_string(), 10));
        assert_eq!(literal_value("x"), None);
        assert_eq!(literal_value("\"unclosed"), None);
    }

    #[test]
    fn the_scanner_skips_comments_and_refuses_what_is_not_a_literal() {
        let m = concat!("zh", "!(");
        let src = format!("// {m}\"in a comment\")\nlet a = {m}\"第 {{n}} 行\", n = 1);\nlet b = x{m}\"not ours\");\n");
        assert_eq!(scan::templates_in(&src).unwrap(), vec![(2, "第 {n} 行".to_string())]);
        assert!(scan::templates_in(&format!("let a = {m}X);")).is_err());
        assert!(scan::templates_in(&format!("let a = {}[\"x\"];", &m[..3])).is_err(), "brackets are refused");
    }

    #[test]
    fn what_the_page_installs_is_what_is_compiled_in() {
        let entries = entries().unwrap();
        assert!(entries.iter().all(|(k, v)| !k.is_empty() && !v.is_empty()));
        install(entries.clone());
        for (k, _, zh) in crate::render::catalogue::rows() {
            assert_eq!(catalogue(k), Some(*zh), "{k}");
        }
        let template = "\"{name}\" 超过 253 个字符。";
        assert_eq!(super::fill(hash(template), &[&"x.io"]), "\"x.io\" 超过 253 个字符。");
        assert_eq!(super::fill(0, &[]), "", "an unknown template is empty (shown in English), never a panic");
    }
}
