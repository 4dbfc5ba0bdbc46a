//! install.sh and README.txt across the page's wasm modules. Both repeat every other file of the bundle, and their
//! writers and words are a good part of the core, so the page's first download leaves them out (ccb-core without
//! the `scripts` feature on wasm32): the page sends [`request`] — the language, the project and, when a
//! config.toml was merged, that very merge — and the lazily loaded tools module renders the same bundle and
//! answers with both texts ([`answer`]); the page reads them with [`decode`] and shows them in the files' place.
//! Natively, and in the tools module, [`crate::render`] writes them itself; the tests below hold the answer equal
//! to that.
//!
//! Both directions are the merge's length-prefixed fields (`merge_result`). The project crosses as the project
//! file's JSON, secrets included: install.sh carries the files as they are (credentials in config.toml), and the
//! text never leaves the page.

use crate::diagnostics::Lang;
pub use crate::merge_result::DecodeError;
use crate::merge_result::{MergeResult, Reader, Writer};
use crate::model::Project;

/// Names the text form; a page and a tools module from different builds refuse each other's text.
const FORMAT: &str = "ccb-scripts/1";

/// The two texts the page does not write itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scripts {
    pub install_sh: String,
    pub readme: String,
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

/// What the page sends: `p` rendered in `lang`, with `merge` (the node's config.toml merged) when there is one.
/// `merge` is the page's own, so that both texts describe exactly the files the page shows, a refused merge
/// included.
pub fn request(p: &Project, merge: Option<&MergeResult>, lang: Lang) -> String {
    let mut w = Writer::new(FORMAT);
    w.field(lang_name(lang));
    w.field(&crate::merge_result::project_text(p));
    match merge {
        Some(m) => w.field(&crate::merge_result::encode(m)),
        None => w.field(""),
    }
    w.0
}

#[cfg(any(not(target_arch = "wasm32"), feature = "scripts"))]
fn read_request(text: &str) -> Result<(Project, Option<MergeResult>, Lang), DecodeError> {
    let mut r = Reader(text);
    r.format(FORMAT)?;
    let lang = match r.field()? {
        "en" => Lang::En,
        "zh" => Lang::Zh,
        other => return Err(DecodeError(format!("unknown language {other:?}"))),
    };
    let project = r.project()?;
    let merge = match r.field()? {
        "" => None,
        m => Some(crate::merge_result::decode(m)?),
    };
    r.end("request")?;
    Ok((project, merge, lang))
}

/// The tools module's answer to [`request`]'s text: install.sh and README.txt of the bundle it describes.
#[cfg(any(not(target_arch = "wasm32"), feature = "scripts"))]
pub fn answer(text: &str) -> String {
    use crate::render::{render_in, render_with_merge_in, FileKind};
    let mut w = Writer::new(FORMAT);
    match read_request(text) {
        Err(e) => w.refusal(&e.0),
        Ok((p, merge, lang)) => {
            let rendered = match &merge {
                Some(m) => render_with_merge_in(&p, m, lang),
                None => render_in(&p, lang),
            };
            let text_of = |kind| rendered.file_of(kind).map_or("", |f| f.content.as_str());
            w.field("scripts");
            w.field(text_of(FileKind::InstallScript));
            w.field(text_of(FileKind::Readme));
        }
    }
    w.0
}

/// Both texts from [`answer`]'s text; `Err` for a refused request or a text this build cannot read.
pub fn decode(text: &str) -> Result<Scripts, DecodeError> {
    let mut r = Reader::answer_of(text, FORMAT, "scripts")?;
    let install_sh = r.field()?.to_string();
    let readme = r.field()?.to_string();
    r.end("answer")?;
    Ok(Scripts { install_sh, readme })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge_result::merge_node;
    use crate::render::{render_in, render_with_merge_in, FileKind, Rendered};

    /// The presets: a Docker Hub mirror list, Harbor, air-gap, a private CA with credentials.
    fn projects() -> Vec<Project> {
        crate::presets::all().into_iter().map(|p| p.project).collect()
    }

    fn project() -> Project {
        crate::presets::by_id("dockerhub-mirrors").expect("preset").project
    }

    fn texts(r: &Rendered) -> Scripts {
        let of = |kind| r.file_of(kind).unwrap().content.as_str().to_string();
        Scripts { install_sh: of(FileKind::InstallScript), readme: of(FileKind::Readme) }
    }

    #[test]
    fn the_answer_is_what_the_render_writes_in_both_languages() {
        for p in projects() {
            for lang in [Lang::En, Lang::Zh] {
                let got = decode(&answer(&request(&p, None, lang))).unwrap();
                assert_eq!(got, texts(&render_in(&p, lang)));
                assert!(got.install_sh.starts_with("#!/bin/sh"), "{}", got.install_sh);
            }
        }
        let zh = decode(&answer(&request(&project(), None, Lang::Zh))).unwrap();
        assert_ne!(zh, decode(&answer(&request(&project(), None, Lang::En))).unwrap(), "the language crosses");
    }

    #[test]
    fn a_merged_bundle_crosses_with_its_merge_and_a_refused_merge_too() {
        let node = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  sandbox_image = \"registry.k8s.io/pause:3.9\"\n";
        let merged = merge_node(&project(), node);
        assert!(matches!(merged, MergeResult::Merged(_)));
        let got = decode(&answer(&request(&project(), Some(&merged), Lang::En))).unwrap();
        let expected = texts(&render_with_merge_in(&project(), &merged, Lang::En));
        assert_eq!(got, expected);
        // A merged bundle installs config.toml itself, guarded by the node file's hash: not the fragment's script.
        assert_ne!(got.install_sh, texts(&render_in(&project(), Lang::En)).install_sh);

        let refused = merge_node(&project(), "this is [not toml");
        assert!(matches!(refused, MergeResult::Refused(_)));
        let got = decode(&answer(&request(&project(), Some(&refused), Lang::En))).unwrap();
        assert_eq!(got, texts(&render_with_merge_in(&project(), &refused, Lang::En)));
    }

    #[test]
    fn a_request_this_build_cannot_read_is_refused_with_why() {
        for bad in ["", "12:ccb-scripts/9", "13:ccb-scripts/12:fr2:{}0:", "13:ccb-scripts/12:en5:nope!0:"] {
            let e = decode(&answer(bad)).unwrap_err();
            assert!(!e.0.is_empty(), "{bad:?}");
        }
        let mut extra = request(&project(), None, Lang::En);
        extra.push_str("1:x");
        assert!(decode(&answer(&extra)).unwrap_err().0.contains("after the request"));
        assert!(decode("13:ccb-scripts/17:scripts1:a").is_err(), "a truncated answer");
    }
}
