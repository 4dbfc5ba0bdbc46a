//! User-facing strings in English and 简体中文. Each module of the UI owns a catalogue (two tables with the
//! same keys); `t` looks a key up in all of them. The tests fail when a catalogue's two languages differ in keys,
//! an entry is empty, or a key is defined twice.
//!
//! The page's wasm holds only the English tables: the Chinese ones (≈ 10 KB of the first download, brotli) are a
//! text module the page loads when it first speaks Chinese ([`load_zh`]; built by `crates/xtask`'s `zh-text`
//! from these same tables, and carried inline by the offline file). Until it is there, and if it cannot be
//! loaded, the page speaks English. The core's Chinese words (diagnostics, generated files) travel in the same
//! module and are installed into the core (`ccb_core::zh`). Native builds (tests, the generator) have both
//! tables compiled in.

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
    pub en: Table,
    #[cfg(not(target_arch = "wasm32"))]
    pub zh: Table,
}

pub const CATALOGUES: [&Catalogue; 16] = [
    &common::CATALOGUE,
    &registries::CATALOGUE,
    &statecode::CATALOGUE,
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
    &import::CATALOGUE,
    &export::CATALOGUE,
];

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
    let en = EN.with(|cell| {
        cell.borrow_mut().get_or_insert_with(|| CATALOGUES.iter().flat_map(|c| c.en.iter().copied()).collect()).get(key)
    });
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
    // Each part is an object of key → text; a repeated key keeps its last text, as a map read from JSON does.
    let strings = |part: ccb_core::json::Node| -> Result<Vec<(String, String)>, String> {
        let ccb_core::json::Kind::Object(members) = part.kind else { return Err("a part of the Chinese texts is not a JSON object".into()) };
        members
            .into_iter()
            .map(|m| match m.value.kind {
                ccb_core::json::Kind::String(text) => Ok((m.key, text)),
                _ => Err(format!("the Chinese text of {:?} is not a string", m.key)),
            })
            .collect()
    };
    let (mut page, mut core) = (None, None);
    for part in parts {
        match part.key.as_str() {
            "page" => page = Some(strings(part.value)?),
            "core" => core = Some(strings(part.value)?),
            _ => {}
        }
    }
    let (Some(page), Some(core)) = (page, core) else { return Err("the Chinese texts have no page or core part".to_string()) };
    if !ccb_core::zh::install(core) {
        return Err("the core's Chinese texts are not readable".to_string());
    }
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut index = Index::new();
    for (k, v) in page {
        index.insert(leak(k), leak(v));
    }
    ZH.with(|cell| *cell.borrow_mut() = Some(index));
    Ok(())
}

/// The Chinese texts as one JSON object, for the page's text module (`xtask zh-text`): `page`, this crate's
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
    crate::lazy::load(ZH_MODULE, move || done(installed_from_module()));
}

/// The lazy module that carries the Chinese texts (`<meta name="ccb-lazy-zh">`).
pub const ZH_MODULE: &str = "zh";

fn installed_from_module() -> Result<(), String> {
    match crate::lazy::call(ZH_MODULE, "texts", &[]) {
        Some(Ok(json)) => install_zh(&json.as_string().ok_or("the Chinese texts are not a string")?),
        Some(Err(e)) => Err(e),
        None => Err(match crate::lazy::status(ZH_MODULE) {
            crate::lazy::Status::Failed(why) => why,
            _ => "the Chinese texts are not loaded".to_string(),
        }),
    }
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

    #[test]
    fn lookup_and_fallback() {
        assert_eq!(t(Lang::En, "app.title"), "containerd config builder");
        assert_ne!(t(Lang::Zh, "app.title"), t(Lang::En, "app.title"));
        assert_eq!(t(Lang::En, "no.such.key"), "no.such.key");
        assert_eq!(from_tag("zh-TW"), Some(Lang::Zh));
        assert_eq!(from_tag("fr"), None);
    }
}
