//! User-facing strings in English and 简体中文. Each module of the UI owns a catalogue (two tables with the
//! same keys); `t` looks a key up in all of them. The tests fail when a catalogue's two languages differ in keys,
//! an entry is empty, or a key is defined twice.
//!
//! The page's wasm holds only the English tables: the Chinese ones (≈ 10 KB of the first download, brotli) are a
//! text module the page loads when it first speaks Chinese ([`load_zh`]; built by `crates/xtask`'s `text-modules`
//! from these same tables, and carried inline by the offline file). Until it is there, and if it cannot be
//! loaded, the page speaks English. The core's Chinese words (diagnostics, generated files) travel in the same
//! module and are installed into the core (`ccb_core::zh`). Native builds (tests, the generator) have both
//! tables compiled in.
//!
//! In the split page (cargo feature `split`), the English texts of the forms split off the main module
//! (`sections::split`) are not in the wasm either: each catalogue has a main part (`forms: false`: what the first
//! screen can show, such as a Harbor field's label in the Problems list) and a forms part, whose English table is
//! a text module loaded with the forms ([`load_forms_en`]).

mod airgap;
mod apply;
mod auth;
mod common;
mod daemon;
mod explain;
mod export;
mod harbor;
mod import;
mod lazy;
mod places;
mod preview;
mod registries;
mod statecode;
mod target;
mod tls;

use std::cell::RefCell;
use ccb_core::str_index::Texts;
use ccb_core::Lang;

pub type Table = &'static [(&'static str, &'static str)];

pub struct Catalogue {
    pub name: &'static str,
    /// Shown by the split-off forms alone (`sections::split`): in the split page its English texts are not in the
    /// main module but in the forms' text module, loaded with the forms ([`load_forms_en`]). A key the rest of
    /// the page shows belongs to a catalogue without this mark (held by a test over `src/`).
    pub forms: bool,
    pub en: Table,
    #[cfg(not(target_arch = "wasm32"))]
    pub zh: Table,
}

pub const CATALOGUES: [&Catalogue; 23] = [
    &common::CATALOGUE,
    &registries::CATALOGUE,
    &target::CATALOGUE,
    &harbor::CATALOGUE,
    &airgap::CATALOGUE,
    &auth::CATALOGUE,
    &tls::CATALOGUE,
    &daemon::CATALOGUE,
    &preview::CATALOGUE,
    &apply::CATALOGUE,
    &places::CATALOGUE,
    &lazy::CATALOGUE,
    &explain::CATALOGUE,
    &export::CATALOGUE,
    &harbor::FORMS,
    &airgap::FORMS,
    &auth::FORMS,
    &tls::FORMS,
    &daemon::FORMS,
    &apply::FORMS,
    &import::FORMS,
    &export::FORMS,
    &statecode::FORMS,
];

/// Whether the forms' English texts are a text module of their own (the split page) rather than compiled in.
const FORMS_TEXT_MODULE: bool = cfg!(all(target_arch = "wasm32", feature = "split"));

/// A forms catalogue's English table: empty in the split page (the const's table is then not in the wasm at all:
/// only what a const evaluates to is), where [`load_forms_en`] installs it from the text module.
pub const fn forms_only(en: Table) -> Table {
    if FORMS_TEXT_MODULE {
        &[]
    } else {
        en
    }
}

/// Key → text (the core's one table type of texts: no hash table code of its own in the page's wasm).
type Index = Texts;

thread_local! {
    /// Missing keys, each leaked once and shown as itself.
    static MISSING: RefCell<Index> = RefCell::new(Texts::new());
    static EN: RefCell<Option<Index>> = const { RefCell::new(None) };
    /// The Chinese texts: compiled in natively, installed by [`install_zh`] in the page.
    static ZH: RefCell<Option<Index>> = const { RefCell::new(None) };
}

/// The text for `key` in `lang`; in English while the Chinese texts are not loaded; the key itself if it is
/// missing (the tests make sure none is).
pub fn t(lang: Lang, key: &str) -> &'static str {
    let found = match lang {
        Lang::Zh => ZH.with(|cell| {
            #[cfg(not(target_arch = "wasm32"))]
            cell.borrow_mut().get_or_insert_with(|| CATALOGUES.iter().flat_map(|c| c.zh.iter().copied()).collect());
            cell.borrow().as_ref().and_then(|zh| zh.get(key))
        }),
        Lang::En => None,
    };
    if let Some(v) = found {
        return v;
    }
    let en = EN.with(|cell| cell.borrow_mut().get_or_insert_with(english).get(key));
    // A missing key shows itself (the catalogue tests keep this from happening); leaked once per key.
    en.unwrap_or_else(|| {
        MISSING.with(|m| {
            let mut missing = m.borrow_mut();
            if let Some(shown) = missing.get(key) {
                return shown;
            }
            let shown: &'static str = Box::leak(key.to_string().into_boxed_str());
            missing.insert(shown, shown);
            shown
        })
    })
}

/// The English texts compiled in (all of them but, in the split page, the forms' until [`install_forms_en`]).
fn english() -> Index {
    CATALOGUES.iter().flat_map(|c| c.en.iter().copied()).collect()
}

/// Whether the Chinese texts are there (always, natively).
pub fn zh_ready() -> bool {
    cfg!(not(target_arch = "wasm32")) || ZH.with(|cell| cell.borrow().is_some())
}

/// Installs the Chinese texts from the text module's JSON object, as [`zh_json`] wrote it: the page's (`page`: key
/// → text) and the core's (`core`: the generated files' words and the diagnostics' templates, installed into the
/// core, `ccb_core::zh::install`). The texts live as long as the page.
pub fn install_zh(json: &str) -> Result<(), String> {
    let tree = ccb_core::json::parse(json).map_err(|e| e.to_string())?;
    let ccb_core::json::Kind::Object(parts) = tree.kind else { return Err("the Chinese texts are not a JSON object".into()) };
    let (mut page, mut core) = (None, None);
    for part in parts {
        match part.key.as_str() {
            "page" => page = Some(strings(part.value, "the Chinese texts")?),
            "core" => core = Some(strings(part.value, "the Chinese texts")?),
            _ => {}
        }
    }
    let (Some(page), Some(core)) = (page, core) else { return Err("the Chinese texts have no page or core part".to_string()) };
    if !ccb_core::zh::install(core) {
        return Err("the core's Chinese texts are not readable".to_string());
    }
    let mut index = Index::new();
    for (k, v) in page {
        index.insert(leak(k), leak(v));
    }
    ZH.with(|cell| *cell.borrow_mut() = Some(index));
    Ok(())
}

/// The Chinese texts as one JSON object, for the page's text module (`xtask text-modules`): `page`, this crate's
/// catalogues (key → text), and `core`, what the core looks up in the page (`ccb_core::zh::entries`).
#[cfg(not(target_arch = "wasm32"))]
pub fn zh_json() -> Result<String, String> {
    let page: std::collections::BTreeMap<&str, &str> = CATALOGUES.iter().flat_map(|c| c.zh.iter().copied()).collect();
    let core: std::collections::BTreeMap<String, String> = ccb_core::zh::entries()?.into_iter().collect();
    let mut w = ccb_core::json::Writer::new(false);
    w.begin_object();
    w.key("page");
    w.begin_object();
    for (k, v) in page {
        w.key(k);
        w.str(v);
    }
    w.end_object();
    w.key("core");
    w.begin_object();
    for (k, v) in &core {
        w.key(k);
        w.str(v);
    }
    w.end_object();
    w.end_object();
    Ok(w.finish())
}

/// Makes sure the Chinese texts are there, then runs `done` with whether they are (at once when they were).
/// The text module is loaded once; a failed load is tried again on the next call.
pub fn load_zh(done: impl FnOnce(Result<(), String>) + 'static) {
    load_zh_then(Box::new(done));
}

/// [`load_zh`]'s body, once for all its callers (not once per caller's closure).
fn load_zh_then(done: Box<dyn FnOnce(Result<(), String>)>) {
    if zh_ready() {
        return done(Ok(()));
    }
    crate::lazy::load(ZH_MODULE, move || done(installed_from(ZH_MODULE, "the Chinese texts", install_zh)));
}

/// The lazy module that carries the Chinese texts (`<meta name="ccb-lazy-zh">`).
pub const ZH_MODULE: &str = "zh";

/// The lazy module that carries the split-off forms' English texts (`<meta name="ccb-lazy-forms-en">`).
pub const FORMS_EN_MODULE: &str = "forms-en";

/// The forms' English texts as one JSON object of key → text, for their text module (`xtask text-modules`).
#[cfg(not(target_arch = "wasm32"))]
pub fn forms_en_json() -> String {
    let mut w = ccb_core::json::Writer::new(false);
    w.begin_object();
    for (k, v) in CATALOGUES.iter().filter(|c| c.forms).flat_map(|c| c.en.iter()) {
        w.key(k);
        w.str(v);
    }
    w.end_object();
    w.finish()
}

/// Installs the forms' English texts from their text module's JSON (as [`forms_en_json`] wrote it); they live
/// as long as the page.
pub fn install_forms_en(json: &str) -> Result<(), String> {
    let tree = ccb_core::json::parse(json).map_err(|e| e.to_string())?;
    let texts = strings(tree, "the forms' texts")?;
    EN.with(|cell| {
        let mut cell = cell.borrow_mut();
        let en = cell.get_or_insert_with(english);
        for (k, v) in texts {
            en.insert(leak(k), leak(v));
        }
    });
    Ok(())
}

/// Runs `done` once the forms' English texts are there (at once natively and in a page that is not split,
/// where they are compiled in): loads their text module once; a failed load is tried again on the next call.
pub fn load_forms_en(done: impl FnOnce(Result<(), String>) + 'static) {
    if !FORMS_TEXT_MODULE {
        return done(Ok(()));
    }
    let done: Box<dyn FnOnce(Result<(), String>)> = Box::new(done);
    if crate::lazy::ready(FORMS_EN_MODULE) {
        return done(Ok(()));
    }
    crate::lazy::load(FORMS_EN_MODULE, move || done(installed_from(FORMS_EN_MODULE, "the forms' texts", install_forms_en)));
}

/// A JSON object of key → text (`what` names it in the error); a repeated key keeps its last text, as a map read
/// from JSON does.
fn strings(part: ccb_core::json::Node, what: &str) -> Result<Vec<(String, String)>, String> {
    let ccb_core::json::Kind::Object(members) = part.kind else { return Err(format!("a part of {what} is not a JSON object")) };
    members
        .into_iter()
        .map(|m| match m.value.kind {
            ccb_core::json::Kind::String(text) => Ok((m.key, text)),
            _ => Err(format!("the text of {:?} in {what} is not a string", m.key)),
        })
        .collect()
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Installs the texts of the loaded text module `module` (its `texts()`, a JSON string) with `install`; `what`
/// names them in the errors. One body for both text modules.
fn installed_from(module: &'static str, what: &str, install: fn(&str) -> Result<(), String>) -> Result<(), String> {
    match crate::lazy::call(module, "texts", &[]) {
        Some(Ok(json)) => install(&json.as_string().ok_or_else(|| format!("{what} are not a string"))?),
        Some(Err(e)) => Err(e),
        None => Err(match crate::lazy::status(module) {
            crate::lazy::Status::Failed(why) => why,
            _ => format!("{what} are not loaded"),
        }),
    }
}

/// The releases a hint may name, as `{since.NAME}` holes: the core's gates (`version::Feature::since`), so that no
/// text of the page states a containerd release of its own that could drift from the rules.
fn release_gates() -> [(&'static str, &'static str); 5] {
    use ccb_core::version::{Feature, CONFIG_VERSION_4_SINCE};
    [
        ("since.hosts_dir", Feature::HostsDir.since()),
        ("since.override_path", Feature::OverridePath.since()),
        ("since.default_dir", Feature::DefaultHostsDir.since()),
        ("since.dial_timeout", Feature::DialTimeout.since()),
        ("since.version_4", CONFIG_VERSION_4_SINCE),
    ]
}

/// `t` with the releases it names ([`release_gates`]) filled in.
pub fn t_gated(lang: Lang, key: &str) -> std::borrow::Cow<'static, str> {
    let text = t(lang, key);
    if !text.contains("{since.") {
        return text.into();
    }
    tf(lang, key, &release_gates()).into()
}

/// `t` with `{name}` placeholders replaced.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key).to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// `t` with its `{n}` replaced by the number `n` (one body for every count the page shows).
#[inline(never)]
pub fn tn(lang: Lang, key: &str, n: usize) -> String {
    tf(lang, key, &[("n", &n.to_string())])
}

/// BCP 47 tag for `<html lang>` and share links.
pub fn tag(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    }
}

pub fn from_tag(tag: &str) -> Option<Lang> {
    let t = tag.trim().to_ascii_lowercase();
    if t.starts_with("zh") {
        Some(Lang::Zh)
    } else if t.starts_with("en") {
        Some(Lang::En)
    } else {
        None
    }
}

// Natively only: the page's wasm has no Chinese tables to check.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalogues_have_the_same_keys_in_both_languages_and_no_empty_entry() {
        let mut all: HashSet<&str> = HashSet::new();
        for c in CATALOGUES {
            let en: Vec<&str> = c.en.iter().map(|(k, _)| *k).collect();
            let zh: Vec<&str> = c.zh.iter().map(|(k, _)| *k).collect();
            let en_set: HashSet<&str> = en.iter().copied().collect();
            let zh_set: HashSet<&str> = zh.iter().copied().collect();
            assert_eq!(en.len(), en_set.len(), "{}: a key is repeated in English", c.name);
            assert_eq!(zh.len(), zh_set.len(), "{}: a key is repeated in Chinese", c.name);
            let only_en: Vec<_> = en_set.difference(&zh_set).collect();
            let only_zh: Vec<_> = zh_set.difference(&en_set).collect();
            assert!(only_en.is_empty() && only_zh.is_empty(), "{}: only in en {only_en:?}, only in zh {only_zh:?}", c.name);
            for (k, v) in c.en.iter().chain(c.zh.iter()) {
                assert!(!v.trim().is_empty(), "{}: empty text for {k}", c.name);
            }
            for k in en {
                assert!(all.insert(k), "{k} is defined in two catalogues");
            }
        }
    }

    #[test]
    fn placeholders_match_between_languages() {
        for c in CATALOGUES {
            for (k, en) in c.en {
                let zh = c.zh.iter().find(|(z, _)| z == k).map(|(_, v)| *v).unwrap_or("");
                let holes = |s: &str| {
                    let mut v: Vec<String> = s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|x| x.0.to_string())).collect();
                    v.sort();
                    v
                };
                assert_eq!(holes(en), holes(zh), "{}: placeholders of {k} differ", c.name);
            }
        }
    }

    #[test]
    fn chinese_texts_use_full_width_punctuation() {
        // Chinese prose takes ，：；（）; an ASCII mark touching a Chinese character is a half-width slip.
        // Notation stays ASCII by not touching one: `<主机>[:<端口>]`, `user:password@`.
        let cjk = |c: char| matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}');
        let ascii = |c: char| matches!(c, ',' | ':' | ';' | '(' | ')');
        let mut bad = Vec::new();
        for c in CATALOGUES {
            for (k, v) in c.zh {
                let chars: Vec<char> = v.chars().collect();
                if chars.windows(2).any(|w| (cjk(w[0]) && ascii(w[1])) || (ascii(w[0]) && cjk(w[1]))) {
                    bad.push(format!("{}: {k} = {v}", c.name));
                }
            }
        }
        assert!(bad.is_empty(), "half-width punctuation next to Chinese (write ，：；（）):\n{}", bad.join("\n"));
    }

    #[test]
    fn the_chinese_texts_the_page_loads_are_the_catalogues() {
        let before: Vec<(&str, &str)> = CATALOGUES.iter().flat_map(|c| c.zh.iter().map(|(k, _)| (*k, t(Lang::Zh, k)))).collect();
        install_zh(&zh_json().unwrap()).unwrap();
        for (k, v) in before {
            assert_eq!(t(Lang::Zh, k), v, "{k}");
        }
        assert!(install_zh("[1]").is_err(), "a module that is not a table is refused");
        assert!(install_zh("{\"page\": {}}").is_err(), "a module without the core's texts is refused");
    }

    /// The files whose code the split page fetches with the forms (`sections::later_section` and what only it
    /// reaches); the rest of `src/` is the main module, which shows its texts before the forms' arrive.
    const FORMS_FILES: [&str; 10] = [
        "sections/target.rs",
        "sections/harbor.rs",
        "sections/airgap.rs",
        "sections/auth.rs",
        "sections/tls.rs",
        "sections/daemon.rs",
        "sections/apply.rs",
        "sections/import.rs",
        "sections/export.rs",
        "sections/statecode.rs",
    ];

    /// The string literals of Rust source `text` (comments skipped; no raw strings are needed here).
    fn string_literals(text: &str) -> Vec<String> {
        let (mut out, mut chars) = (Vec::new(), text.chars().peekable());
        while let Some(c) = chars.next() {
            match c {
                '/' if chars.peek() == Some(&'/') => {
                    chars.by_ref().find(|&c| c == '\n');
                }
                // A char literal of a quote, not a string's start.
                '\'' if chars.peek() == Some(&'"') => {
                    chars.next();
                }
                '"' => {
                    let mut lit = String::new();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => lit.extend(chars.next()),
                            '"' => break,
                            c => lit.push(c),
                        }
                    }
                    out.push(lit);
                }
                _ => {}
            }
        }
        out
    }

    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn what_the_main_module_shows_is_not_in_the_forms_text_module() {
        let forms: HashSet<&str> = CATALOGUES.iter().filter(|c| c.forms).flat_map(|c| c.en.iter().map(|(k, _)| *k)).collect();
        assert!(forms.contains("harbor.intro") && !forms.contains("harbor.address"));
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut bad = Vec::new();
        let mut scanned = 0;
        for path in files {
            let rel = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            if rel.starts_with("i18n/") || FORMS_FILES.contains(&rel.as_str()) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Tests run natively, where every text is compiled in.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            scanned += 1;
            for lit in string_literals(code) {
                // A key, or keys in a label path ("section.harbor @mapping harbor.upstream", "#place.import_n").
                for token in lit.split_whitespace().map(|t| t.trim_start_matches(['@', '#'])) {
                    if forms.contains(token) {
                        bad.push(format!("{rel}: the key {token}"));
                    }
                }
                // A key made at run time ("kind.{…}").
                if let Some((prefix, _)) = lit.split_once('{') {
                    if prefix.contains('.') && !prefix.contains(' ') && forms.iter().any(|k| k.starts_with(prefix)) {
                        bad.push(format!("{rel}: keys {prefix}…"));
                    }
                }
            }
            // The forms' own functions and constants are reached through the split point alone (sections/mod.rs);
            // their types (`Cards` holds the Apply cards' answers) are no code to fetch.
            if rel != "sections/mod.rs" {
                for file in FORMS_FILES {
                    let m = file.trim_start_matches("sections/").trim_end_matches(".rs");
                    let path = format!("{m}::");
                    let used = code.match_indices(&path).any(|(i, _)| {
                        let before = &code[..i];
                        let qualified = before.ends_with("sections::") || (rel.starts_with("sections/") && before.ends_with("super::"));
                        let bare = rel.starts_with("sections/") && before.chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'));
                        let mut item = code[i + path.len()..].chars();
                        let is_type = item.next().is_some_and(char::is_uppercase) && item.next().is_some_and(char::is_lowercase);
                        (qualified || bare) && !is_type
                    });
                    if used {
                        bad.push(format!("{rel}: uses sections::{m}"));
                    }
                }
            }
        }
        assert!(scanned > 30, "the main module's files are found ({scanned})");
        assert!(bad.is_empty(), "shown by the main module before the forms' texts arrive, or a way into the forms around the split point (move the key to the catalogue's main part, the function out of the forms):\n{}", bad.join("\n"));
    }

    /// A containerd release written out in `text` ("containerd 1.6.0", "containerd ≥ 2.0.7"): `containerd`, then
    /// within a few words a number with a dot between digits.
    fn names_a_release(text: &str) -> bool {
        text.match_indices("containerd").any(|(at, _)| {
            let near: Vec<char> = text[at + "containerd".len()..].chars().take(16).collect();
            near.windows(3).any(|w| w[0].is_ascii_digit() && w[1] == '.' && w[2].is_ascii_digit())
        })
    }

    #[test]
    fn release_gates_in_texts_come_from_the_core() {
        use ccb_core::version::{Feature, CONFIG_VERSION_4_SINCE};
        assert!(names_a_release("needs containerd 1.6.0 or later") && names_a_release("(containerd ≥ 2.0.7)"));
        assert!(!names_a_release("containerd 2.x merges it") && !names_a_release("containerd#4478"));
        let mut bad = Vec::new();
        for c in CATALOGUES {
            for (k, v) in c.en.iter().chain(c.zh.iter()) {
                if names_a_release(v) {
                    bad.push(format!("{k}: {v}"));
                }
                for hole in v.split("{since.").skip(1) {
                    let name = ["since.", hole.split('}').next().unwrap_or("")].concat();
                    assert!(release_gates().iter().any(|(g, _)| *g == name), "{k}: unknown release gate {name:?}");
                }
            }
        }
        assert!(bad.is_empty(), "texts stating a containerd release of their own (write {{since.NAME}}):\n{}", bad.join("\n"));
        for lang in [Lang::En, Lang::Zh] {
            install_zh(&zh_json().unwrap()).unwrap();
            for (key, release) in [
                ("harbor.mode.path_hint", Feature::OverridePath.since()),
                ("airgap.namespaces_hint", Feature::DefaultHostsDir.since()),
                ("registries.dial_timeout_hint", Feature::DialTimeout.since()),
                ("target.output.hosts_dir_hint", Feature::HostsDir.since()),
                ("target.output.legacy_hint", Feature::HostsDir.since()),
                ("target.version_4", CONFIG_VERSION_4_SINCE),
            ] {
                let shown = t_gated(lang, key);
                assert!(shown.contains(release) && !shown.contains('{'), "{lang:?} {key}: {shown}");
            }
        }
        assert_eq!(t_gated(Lang::En, "app.title"), t(Lang::En, "app.title"), "a text without a gate is unchanged");
    }

    /// A word that is a release: `1.6`, `2.0.7`, `v1.7.x` (an image tag such as `pause:3.10` is no word of its own).
    fn release_word(word: &str) -> bool {
        let number = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = word.trim_start_matches('v').split('.').collect();
        (2..=3).contains(&parts.len()) && parts[..2].iter().all(number) && parts.get(2).is_none_or(|p| *p == "x" || number(p))
    }

    #[test]
    fn the_shell_names_no_containerd_file_or_release_of_its_own() {
        assert!(["1.6", "2.0.7", "v1.7.x"].iter().all(|w| release_word(w)) && !["pause:3.10", "127.0.0.1", "3s"].iter().any(|w| release_word(w)));
        // ARCHITECTURE's check: the page reads paths, kinds, deliveries and release gates from the core
        // (`ccb_core::paths`, `FileKind`, `Rendered`, `version`); a literal of its own would be a second copy.
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut bad = Vec::new();
        for path in files {
            let rel = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            // The catalogues are words, checked by `release_gates_in_texts_come_from_the_core`.
            if rel.starts_with("i18n/") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for lit in string_literals(code) {
                // A path or a name matched on is one word; a sentence (a message kept in the code) names files in prose.
                let named = !lit.contains(' ') && ["config.toml", "conf.d", "certs.d"].iter().any(|name| lit.contains(name));
                if named || lit.split_whitespace().any(release_word) {
                    bad.push(format!("{rel}: {lit:?}"));
                }
            }
        }
        assert!(bad.is_empty(), "literals the core owns:\n{}", bad.join("\n"));
    }

    #[test]
    fn lookup_and_fallback() {
        assert_eq!(t(Lang::En, "app.title"), "containerd config builder");
        assert_ne!(t(Lang::Zh, "app.title"), t(Lang::En, "app.title"));
        assert_eq!(t(Lang::En, "no.such.key"), "no.such.key");
        assert_eq!(from_tag("zh-TW"), Some(Lang::Zh));
        assert_eq!(from_tag("fr"), None);
    }
}
