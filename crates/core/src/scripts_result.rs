//! install.sh and README.txt across the page's wasm modules. Both repeat every other file of the bundle, and their
//! writers and words are a good part of the core, so the page's first download leaves them out (ccb-core without
//! the `scripts` feature on wasm32): the page sends [`request`] — the [`ScriptsInput`] its own render made: the other
//! files as the page shows them, the delivery, the try orders, the language — and the lazily loaded tools module
//! writes both texts from exactly that ([`answer`]), planning and rendering nothing; the page reads them with
//! [`decode`] and shows them in the files' place. Natively, and in the tools module, [`crate::render`] writes them
//! from the same input itself; the tests below hold the answer equal to that.
//!
//! Both directions are the merge's length-prefixed fields (`merge_result`). The files cross as they are, secrets
//! included: install.sh carries them (credentials in config.toml), and the text never leaves the page.

use crate::diagnostics::Lang;
pub use crate::merge_result::DecodeError;
use crate::merge_result::{Reader, Writer};
use crate::render::{ConfigDelivery, ScriptsInput};

/// Names the text form; a page and a tools module from different builds refuse each other's text.
const FORMAT: &str = "ccb-scripts/2";

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

/// What the page sends: the input its render made for install.sh and README.txt (`Rendered::scripts`).
pub fn request(s: &ScriptsInput) -> String {
    let mut w = Writer::new(FORMAT);
    w.field(lang_name(s.lang));
    w.field(&s.header);
    w.style(s.style);
    match &s.config {
        ConfigDelivery::Merged { original_sha256, merged_sha256 } => {
            w.field("merged");
            w.field(original_sha256);
            w.field(merged_sha256);
        }
        ConfigDelivery::Fragment { path } => {
            w.field("fragment");
            w.field(path);
        }
        ConfigDelivery::DropIn { path } => {
            w.field("drop_in");
            w.field(path);
        }
    }
    w.field(&s.config_file.0);
    w.field(&s.config_file.1);
    w.count(s.other_files.len());
    for (path, content, mode) in &s.other_files {
        w.field(path);
        w.field(content);
        w.field(&mode.to_string());
    }
    w.flag(s.has_credentials);
    w.list(&s.verify_commands);
    w.list(&s.files);
    w.count(s.try_orders.len());
    for (namespace, hosts) in s.try_orders.iter() {
        w.field(namespace);
        w.list(hosts);
    }
    w.0
}

#[cfg(any(not(target_arch = "wasm32"), feature = "scripts"))]
fn read_request(text: &str) -> Result<ScriptsInput, DecodeError> {
    use crate::render::Text;
    let mut r = Reader(text);
    r.format(FORMAT)?;
    let lang = match r.field()? {
        "en" => Lang::En,
        "zh" => Lang::Zh,
        other => return Err(DecodeError(format!("unknown language {other:?}"))),
    };
    let header = r.field()?.to_string();
    let style = r.style()?;
    let config = match r.field()? {
        "merged" => ConfigDelivery::Merged { original_sha256: r.field()?.to_string(), merged_sha256: r.field()?.to_string() },
        "fragment" => ConfigDelivery::Fragment { path: r.field()?.to_string() },
        "drop_in" => ConfigDelivery::DropIn { path: r.field()?.to_string() },
        other => return Err(DecodeError(format!("unknown delivery {other:?}"))),
    };
    let config_file = (r.field()?.to_string(), Text::from(r.field()?));
    // Each file takes at least 6 bytes (three fields).
    let other_files = (0..r.count(6)?)
        .map(|_| Ok((r.field()?.to_string(), Text::from(r.field()?), r.number()?)))
        .collect::<Result<_, DecodeError>>()?;
    let has_credentials = r.flag()?;
    let verify_commands = r.list()?;
    let files = r.list()?;
    // Each directory takes at least 4 bytes (its namespace and its count).
    let try_orders = (0..r.count(4)?).map(|_| Ok((r.field()?.to_string(), r.list()?))).collect::<Result<_, DecodeError>>()?;
    r.end("request")?;
    Ok(ScriptsInput { header, style, config, config_file, other_files, has_credentials, verify_commands, files, try_orders: std::rc::Rc::new(try_orders), lang })
}

/// The tools module's answer to [`request`]'s text: install.sh and README.txt written from what it describes.
#[cfg(any(not(target_arch = "wasm32"), feature = "scripts"))]
pub fn answer(text: &str) -> String {
    let mut w = Writer::new(FORMAT);
    match read_request(text) {
        Err(e) => w.refusal(&e.0),
        Ok(input) => {
            w.field("scripts");
            w.field(&input.install_sh());
            w.field(&input.readme());
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
    use crate::merge_result::{merge_node, MergeResult};
    use crate::model::{OutputStyle, Project};
    use crate::render::{render_in, render_merging_in, FileKind, Rendered};

    /// The bundle rendered with `merge` as the merge's result (as the page renders with the tools module's).
    fn render_with_merge_in(p: &Project, merge: &MergeResult, lang: Lang) -> Rendered {
        render_merging_in(p, &|_, _| merge.clone(), lang, None)
    }

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

    /// What the tools module answers for the page's render `r`.
    fn crossed(r: &Rendered) -> Scripts {
        decode(&answer(&request(&r.scripts))).unwrap()
    }

    #[test]
    fn the_answer_is_what_the_render_writes_in_both_languages() {
        for p in projects() {
            for lang in [Lang::En, Lang::Zh] {
                let rendered = render_in(&p, lang);
                let got = crossed(&rendered);
                assert_eq!(got, texts(&rendered));
                assert!(got.install_sh.starts_with("#!/bin/sh"), "{}", got.install_sh);
            }
        }
        let zh = crossed(&render_in(&project(), Lang::Zh));
        assert_ne!(zh, crossed(&render_in(&project(), Lang::En)), "the language crosses");
    }

    #[test]
    fn the_request_round_trips_every_field() {
        let mut legacy = project();
        legacy.output = OutputStyle::Legacy;
        let mut styles = Vec::new();
        for p in projects().into_iter().chain([legacy]) {
            let input = &render_in(&p, Lang::Zh).scripts;
            assert_eq!(&read_request(&request(input)).unwrap(), input.as_ref());
            styles.push(input.style);
        }
        assert!(styles.contains(&OutputStyle::Legacy) && styles.contains(&OutputStyle::HostsDir), "{styles:?}");
    }

    #[test]
    fn both_texts_are_written_from_the_files_the_page_sent_not_from_a_render_of_their_own() {
        let rendered = render_in(&project(), Lang::En);
        let mut input = rendered.scripts.as_ref().clone();
        let (path, content, _) = input.other_files.iter_mut().find(|f| f.0.ends_with("hosts.toml")).unwrap();
        *content = crate::render::Text::from(format!("{}# as the page shows it\n", content.as_str()));
        let path = path.clone();
        let got = decode(&answer(&request(&input))).unwrap();
        assert!(got.install_sh.contains("# as the page shows it"), "install.sh carries the page's {path}");
        assert_ne!(got, texts(&rendered));
    }

    #[test]
    fn a_merged_bundle_crosses_with_its_merge_and_a_refused_merge_too() {
        let node = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  sandbox_image = \"registry.k8s.io/pause:3.9\"\n";
        let merged = merge_node(&project(), node);
        assert!(matches!(merged, MergeResult::Merged(_)));
        let rendered = render_with_merge_in(&project(), &merged, Lang::En);
        let got = crossed(&rendered);
        assert_eq!(got, texts(&rendered));
        assert!(matches!(rendered.scripts.config, ConfigDelivery::Merged { .. }));
        // A merged bundle installs config.toml itself, guarded by the node file's hash: not the fragment's script.
        assert_ne!(got.install_sh, texts(&render_in(&project(), Lang::En)).install_sh);

        let refused = merge_node(&project(), "this is [not toml");
        assert!(matches!(refused, MergeResult::Refused(_)));
        let rendered = render_with_merge_in(&project(), &refused, Lang::En);
        assert_eq!(crossed(&rendered), texts(&rendered));
    }

    #[test]
    fn a_request_this_build_cannot_read_is_refused_with_why() {
        let good = request(&render_in(&project(), Lang::En).scripts);
        let mut bad: Vec<String> = ["", "13:ccb-scripts/1", "13:ccb-scripts/22:fr0:9:hosts_dir"].map(String::from).to_vec();
        // Every cut of a real request is refused (none panics, none reads as a shorter request).
        bad.extend((0..good.len()).filter(|&n| good.is_char_boundary(n)).step_by(37).map(|n| good[..n].to_string()));
        for bad in &bad {
            let e = decode(&answer(bad)).unwrap_err();
            assert!(!e.0.is_empty(), "{bad:?}");
        }
        let mut extra = good.clone();
        extra.push_str("1:x");
        assert!(decode(&answer(&extra)).unwrap_err().0.contains("after the request"));
        // A count no text could hold is refused before anything is allocated for it.
        let mut huge = Writer::new(FORMAT);
        for f in ["en", "# h", "hosts_dir", "fragment", "config.toml", "config.toml", ""] {
            huge.field(f);
        }
        huge.count(usize::MAX / 2);
        assert!(decode(&answer(&huge.0)).unwrap_err().0.contains("items in"), "{}", huge.0);
        assert!(decode("13:ccb-scripts/27:scripts1:a").is_err(), "a truncated answer");
    }
}
