//! The state code: the settings as a short text (the share link's `#` part, e.g. `z1.…`) to copy, and a box to
//! paste one into. It is how settings travel from the offline file, whose own address is no link to share, and
//! between any two copies of the tool (hosted page, docs-portal iframe, offline file).
//!
//! Every browser API here is guarded (`browser::copy_text` may be refused on file:// or in an iframe without
//! `allow="clipboard-write"`): the fallback selects the code and asks for Ctrl+C.

use ccb_core::model::Project;
use ccb_core::secrets::{Omitted, SecretKind};
use ccb_core::share::ShareError;
use ccb_core::{Lang, Severity};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser;
use crate::fields::{bool_attr, button, titled_card, labelled, para, Ctx, div};
use crate::i18n::{t, tf};
use crate::widgets::cardkit::{code, el, frag, lit, none, owned, text};
use crate::sections::cards;
use crate::sharing::Unopened;
use crate::state::{Action, Notice};

/// DOM ids (the e2e tests use them).
pub const CODE_ID: &str = "state-code";
pub const INPUT_ID: &str = "state-code-input";

/// Why a pasted code could not be opened: an i18n key, its `{v}` argument and a technical detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeError {
    pub key: &'static str,
    pub v: String,
    pub detail: String,
    /// For a code that expands to too much: the refusal, put into words in the page's language when shown.
    pub refusal: Option<ShareError>,
}

impl CodeError {
    fn new(key: &'static str) -> Self {
        CodeError { key, v: String::new(), detail: String::new(), refusal: None }
    }

    /// The `{v}` argument in `lang`.
    fn v(&self, lang: Lang) -> String {
        self.refusal.as_ref().map_or_else(|| self.v.clone(), |r| refusal_reason(lang, r))
    }
}

/// Why a link or code is refused for its size, in words (the limits are `share::MAX_JSON` and
/// `share::LIST_LIMITS`: 1 MiB of settings, 1,000 registries, …).
pub fn refusal_reason(lang: Lang, e: &ShareError) -> String {
    match e {
        ShareError::TooLarge { what, max } if what == "JSON" => {
            let size = if max % (1024 * 1024) == 0 { format!("{} MiB", max / (1024 * 1024)) } else { format!("{} KiB", max / 1024) };
            tf(lang, "share.too_large_json", &[("max", &size)])
        }
        ShareError::TooLarge { what, max } if what == "all lists together" => tf(lang, "share.too_large_total", &[("max", &max.to_string())]),
        ShareError::TooLarge { what, max } => tf(lang, "share.too_large_list", &[("what", what), ("max", &max.to_string())]),
        _ => t(lang, "share.too_long_reason").to_string(),
    }
}

/// "Too large to share" under a link or code (`id` for the tests): `key` with the refusal's reason as `{v}`.
pub fn too_large_note(lang: Lang, id: &'static str, key: &str, refused: Option<&ShareError>) -> Html {
    let Some(r) = refused else { return html! {} };
    html! { <p class="note error small" {id} role="status">{ tf(lang, key, &[("v", &refusal_reason(lang, r))]) }</p> }
}

/// The secrets an export left out, grouped by kind, each with the fields it came from (`id` for the tests).
/// What an export left out, by kind, each field named as the form names it ("Auth › harbor.example.com › Password";
/// the project path in `data-path` and the tooltip). `p`: the project the paths are about.
pub fn omitted_list(lang: Lang, p: &Project, id: &'static str, intro: &'static str, omitted: &[Omitted]) -> Html {
    let kinds = [SecretKind::Credential, SecretKind::HeaderValue, SecretKind::HeaderName, SecretKind::UrlUserinfo, SecretKind::PrivateKey];
    let items = kinds.iter().filter(|k| omitted.iter().any(|o| o.kind == **k)).map(|k| {
        let mut parts = vec![text(lang, omitted_key(*k)), lit(": ")];
        for (i, o) in omitted.iter().filter(|o| o.kind == *k).enumerate() {
            let place = owned(crate::problem_labels::place(&o.path, p, lang));
            parts.push(frag(vec![
                lit(if i > 0 { crate::widgets::list_sep(lang) } else { "" }),
                html! { <span class="place" data-path={o.path.clone()} title={tf(lang, "place.raw_path", &[("path", &o.path)])}>{ place }</span> },
            ]));
        }
        el("li", "", "", parts)
    });
    el("div", "note warning small", id, vec![text(lang, intro), el("ul", "", "", items.collect())])
}

/// The i18n key naming a kind of omitted secret.
pub fn omitted_key(kind: SecretKind) -> &'static str {
    match kind {
        SecretKind::Credential => "omitted.credential",
        SecretKind::HeaderValue => "omitted.header_value",
        SecretKind::HeaderName => "omitted.header_name",
        SecretKind::UrlUserinfo => "omitted.userinfo",
        SecretKind::PrivateKey => "omitted.private_key",
    }
}

/// Reads what the user pasted: a code (`z1.…` / `c1.…`, with or without `#`) or a whole share link. Whitespace
/// anywhere is ignored (chat tools and e-mail wrap long codes; the code's alphabet has none). The code itself,
/// to be opened by [`crate::sharing::decode`].
pub fn code_of(pasted: &str) -> Result<String, CodeError> {
    let compact: String = pasted.chars().filter(|c| !c.is_whitespace()).collect();
    let code = compact.split_once('#').map_or(compact.as_str(), |(_, fragment)| fragment);
    if code.is_empty() {
        return Err(CodeError::new("statecode.empty"));
    }
    Ok(code.to_string())
}

/// Why a code did not open, as the card says it.
pub fn code_error(e: Unopened) -> CodeError {
    match e {
        Unopened::NoDecompression => CodeError::new("notice.no_decompression"),
        Unopened::Refused(ShareError::NotOurs) => CodeError::new("statecode.not_ours"),
        Unopened::Refused(ShareError::TooLong) => CodeError::new("statecode.too_long"),
        Unopened::Refused(e @ ShareError::TooLarge { .. }) => CodeError { refusal: Some(e), ..CodeError::new("statecode.too_large") },
        Unopened::Refused(ShareError::Corrupt(d)) => CodeError { detail: d, ..CodeError::new("statecode.corrupt") },
        Unopened::Refused(ShareError::UnsupportedVersion(v)) => CodeError { v: v.to_string(), ..CodeError::new("statecode.version") },
        Unopened::Refused(ShareError::Project(d)) => CodeError { detail: d, ..CodeError::new("statecode.project") },
    }
}

/// The card; the error of the last code opened is in `ctx.cards`. The pasted text stays in its input (read when
/// "Open" is pressed), so typing into it re-renders nothing.
pub fn card(ctx: &Ctx) -> Html {
    let lang = ctx.lang;
    let error = &ctx.cards.code_error;
    let encoded = cards::encoded(ctx);
    let fragment = encoded.fragment.clone();
    let copied = cards::copied(ctx, "copy-state", &fragment);
    let on_copy = cards::on_copy(ctx, "copy-state", CODE_ID, fragment.clone());
    let select = Callback::from(|_| browser::select_all(CODE_ID));
    let on_input = {
        let ctx = ctx.clone();
        Callback::from(move |_: InputEvent| {
            if ctx.cards.code_error.is_some() {
                cards::set(&ctx, Box::new(|c: &mut cards::Cards| c.code_error = None));
            }
        })
    };
    let on_open = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| open_code(&ctx))
    };
    let on_key = {
        let ctx = ctx.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                open_code(&ctx);
            }
        })
    };
    let status = crate::widgets::copy_status(lang, copied, "state-code-status", "statecode.copied", "statecode.refused");
    let omitted = if encoded.omissions.is_empty() { none() } else { omitted_list(lang, &ctx.project, "state-code-omitted", "statecode.omitted", &encoded.omissions) };
    let error_note = match error {
        Some(e) => crate::widgets::alert_error(lang, "state-code-error", frag(vec![
            owned(tf(lang, e.key, &[("v", &e.v(lang))])),
            if e.detail.is_empty() { none() } else { frag(vec![lit(" "), code(e.detail.clone())]) },
            if e.key == "statecode.empty" { none() } else { frag(vec![lit(" "), text(lang, "statecode.unchanged")]) },
        ])),
        None => none(),
    };
    titled_card(lang, "statecode", "statecode-title", "statecode.title", false, frag(vec![
        para("hint", "", t(lang, "statecode.intro").into()),
        labelled(lang, CODE_ID, "statecode.label", None, html! {
            <textarea id={CODE_ID} rows="3" readonly=true spellcheck="false" autocomplete="off" value={fragment} onclick={select} />
        }),
        // Empty while the browser compresses the code (`cards::encoded`): nothing to copy yet.
        div("row tools", frag(vec![button("copy-state".into(), "primary", t(lang, "statecode.copy"), encoded.fragment.is_empty(), on_copy)])),
        status,
        too_large_note(lang, "state-code-too-large", "statecode.code_too_large", encoded.refused.as_ref()),
        omitted,
        labelled(lang, INPUT_ID, "statecode.open_label", Some("statecode.open_hint"), frag(vec![
            div("row inline-row", frag(vec![
                html! {
                    <input type="text" id={INPUT_ID} oninput={on_input} onkeydown={on_key}
                        spellcheck="false" autocomplete="off" placeholder="z1.…"
                        aria-invalid={bool_attr(error.is_some())} aria-describedby={error.is_some().then_some("state-code-error")} />
                },
                button("open-state".into(), "", t(lang, "statecode.open"), false, on_open),
            ])),
            error_note,
        ])),
    ]))
}

/// "Open": reads the pasted code from its input and opens it (inflated by the browser, a moment later), or keeps
/// why not in the cards (focus back on the input).
fn open_code(ctx: &Ctx) {
    let Some(input) = browser::document().and_then(|d| d.get_element_by_id(INPUT_ID)).and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    let code = match code_of(&input.value()) {
        Ok(code) => code,
        Err(e) => return refuse(ctx, e),
    };
    let ctx = ctx.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match crate::sharing::decode(&code).await {
            Ok(shared) => {
                input.set_value("");
                ctx.dispatch(Action::Replace(shared.project));
                ctx.dispatch(Action::Notify(Some(Notice { key: "statecode.opened", detail: String::new(), severity: Severity::Info })));
                cards::set(&ctx, Box::new(|c: &mut cards::Cards| c.code_error = None));
            }
            Err(e) => refuse(&ctx, code_error(e)),
        }
    });
}

fn refuse(ctx: &Ctx, error: CodeError) {
    cards::set(ctx, Box::new(move |c: &mut cards::Cards| c.code_error = Some(error)));
    browser::focus(INPUT_ID);
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccb_core::share;
    use ccb_core::model::{Endpoint, Registry};

    /// What "Open" does with a pasted text, with the core's inflater where the page has the browser's (both read
    /// any raw-DEFLATE stream; `sharing::decode` is covered by the component tests).
    fn read_code(pasted: &str) -> Result<Project, CodeError> {
        let code = code_of(pasted)?;
        share::decode(&code).map(|shared| shared.project).map_err(|e| code_error(Unopened::Refused(e)))
    }

    fn project() -> Project {
        let mut p = Project::default();
        p.registries.push(Registry {
            upstream: "docker.io".into(),
            endpoints: vec![Endpoint { url: "https://m.example.com".into(), ..Default::default() }],
            ..Default::default()
        });
        p
    }

    #[test]
    fn a_code_a_fragment_and_a_whole_link_all_open() {
        let p = project();
        let code = share::encode(&p, Some("en")).fragment;
        assert_eq!(read_code(&code).unwrap(), p);
        assert_eq!(read_code(&format!("#{code}")).unwrap(), p);
        assert_eq!(read_code(&format!("  https://tools.example.com/containerd/#{code}\n")).unwrap(), p);
        // Wrapped by a mail client.
        let (a, b) = code.split_at(code.len() / 2);
        assert_eq!(read_code(&format!("{a}\n  {b}")).unwrap(), p);
    }

    #[test]
    fn bad_codes_say_why() {
        assert_eq!(read_code("  ").unwrap_err().key, "statecode.empty");
        assert_eq!(read_code("https://example.com/").unwrap_err().key, "statecode.not_ours");
        assert_eq!(read_code("hello").unwrap_err().key, "statecode.not_ours");
        let code = share::encode(&project(), None).fragment;
        let cut = read_code(&code[..code.len() / 2]).unwrap_err();
        assert!(cut.key == "statecode.corrupt" && !cut.detail.is_empty(), "{cut:?}");
        let v2 = format!("c1.{}", base64_url(br#"{"v":2,"p":{}}"#));
        assert_eq!(read_code(&v2).unwrap_err(), CodeError { key: "statecode.version", v: "2".into(), detail: String::new(), refusal: None });
        for key in ["statecode.empty", "statecode.not_ours", "statecode.corrupt", "statecode.version", "statecode.project", "statecode.too_large", "notice.no_decompression"] {
            assert_ne!(t(ccb_core::Lang::Zh, key), key, "{key} has a text");
        }
    }

    #[test]
    fn a_code_that_expands_too_far_opens_nothing_and_says_why() {
        let registries = (0..1001).map(|i| Registry { upstream: format!("r{i}.example.com"), ..Default::default() }).collect();
        let code = share::encode(&Project { registries, ..Default::default() }, None).fragment;
        let e = read_code(&code).unwrap_err();
        assert_eq!(e.key, "statecode.too_large");
        assert_eq!(e.v(Lang::En), "registries has more than 1000 entries");
        assert_eq!(e.v(Lang::Zh), "registries 超过 1000 项");
        let json = ShareError::TooLarge { what: "JSON".into(), max: share::MAX_JSON };
        assert_eq!(refusal_reason(Lang::En, &json), "it expands to more than 1 MiB of settings");
        assert_ne!(refusal_reason(Lang::Zh, &json), refusal_reason(Lang::En, &json));
        let total = ShareError::TooLarge { what: "all lists together".into(), max: share::MAX_LIST_ENTRIES };
        assert!(refusal_reason(Lang::Zh, &total).contains("20000"));
        assert!(!refusal_reason(Lang::En, &ShareError::TooLong).is_empty());
    }

    #[test]
    fn every_kind_of_omitted_secret_has_a_name_in_both_languages() {
        for k in [SecretKind::Credential, SecretKind::HeaderValue, SecretKind::HeaderName, SecretKind::UrlUserinfo, SecretKind::PrivateKey] {
            let key = omitted_key(k);
            assert_ne!(t(Lang::En, key), key, "{key}");
            assert_ne!(t(Lang::Zh, key), key, "{key}");
            assert_ne!(t(Lang::Zh, key), t(Lang::En, key), "{key}");
        }
    }

    #[test]
    fn the_code_leaves_out_header_values_urls_credentials_and_keys() {
        // The state code is the share link's fragment: open it again and look for the secrets.
        let mut p = project();
        let e = &mut p.registries[0].endpoints[0];
        e.url = "https://robot:PW1@m.example.com".into();
        e.headers.push(ccb_core::model::Header { name: "Cookie".into(), values: vec![ccb_core::model::Secret::literal("PW2")] });
        e.tls.ca.push(ccb_core::model::CaCert::Pem { name: "ca".into(), pem: "-----BEGIN EC PRIVATE KEY-----\nPW3\n-----END EC PRIVATE KEY-----\n".into() });
        let encoded = share::encode(&p, Some("en"));
        let back = read_code(&encoded.fragment).unwrap();
        let json = ccb_core::json::project::to_string(&back);
        for pw in ["PW1", "PW2", "PW3"] {
            assert!(!json.contains(pw), "{pw}: {json}");
        }
        let kinds: Vec<SecretKind> = encoded.omissions.iter().map(|o| o.kind).collect();
        assert_eq!(kinds, [SecretKind::UrlUserinfo, SecretKind::PrivateKey, SecretKind::HeaderValue]);
    }

    fn base64_url(bytes: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }
}
