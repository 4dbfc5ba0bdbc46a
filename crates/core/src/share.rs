//! Share links: the project in the URL fragment — only what differs from the defaults, never a secret, with a
//! format version, compressed when long.
//!
//! Format: `c1.<base64url JSON>` or, when that is long and compression helps, `z1.<base64url raw-deflate JSON>`.
//! The JSON is `{"v":1,"lang":"zh-CN","p":<merge patch against Project::default()>}`.
//!
//! Every rule of the format is here, in two pure steps on each side, so that it holds the same wherever the bytes
//! are compressed: writing, [`payload`] (project → JSON and what was left out) then [`Payload::frame`] (`c1.` or
//! `z1.` given the deflated JSON); reading, [`unframe`] (fragment → its packing and bytes) then [`read_json`]
//! (JSON → [`Shared`], with every limit). Natively (and in the tools module) [`encode`] and [`decode`] put the
//! core's own DEFLATE between them; the page's wasm has no DEFLATE of its own (ccb-core's `deflate` feature is
//! off there) and uses the browser's `CompressionStream` / `DecompressionStream` instead (`src/sharing.rs`).

use crate::base64::{self, Form};
#[cfg(any(not(target_arch = "wasm32"), feature = "deflate"))]
use crate::deflate::{deflate, inflate};
use crate::json::{self, Map, Value};

use crate::model::Project;
use crate::secrets::{strip_secrets_detailed, Omitted};

pub const SHARE_FORMAT: u32 = 1;
/// Compress when the plain form is longer than this.
const COMPRESS_ABOVE: usize = 160;
/// Refuse fragments larger than this (a link is no place for megabytes).
pub const MAX_FRAGMENT: usize = 256 * 1024;
/// What a link may expand to. A fragment under [`MAX_FRAGMENT`] deflates from up to ~1000× its size, and what
/// freezes the tab is not decoding but validating and rendering the result (a 210 KB link once took 164 s), so
/// the decoded JSON and every list of the project are bounded before anything is built from them. The bounds are
/// far above any real cluster's needs and keep the page responsive (500 registries render in ~30 ms a keystroke).
pub const MAX_JSON: usize = 1024 * 1024;
/// Per list, by the name of its field (`registries`, `endpoints`, …): the most entries one list may hold.
pub const LIST_LIMITS: [(&str, usize); 11] = [
    ("registries", 1000),
    ("endpoints", 100),
    ("headers", 100),
    ("values", 100),
    ("ca", 100),
    ("client", 100),
    ("capabilities", 16),
    ("mappings", 1000),
    ("namespaces", 1000),
    ("auth", 1000),
    ("imports", 100),
];
/// A list the model does not name above (there is none today; the project is checked before it is typed).
const OTHER_LIST_LIMIT: usize = 1000;
/// All entries of all lists together (endpoints of every registry, headers of every endpoint, …).
pub const MAX_LIST_ENTRIES: usize = 20_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub project: Project,
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    /// The fragment, without `#`.
    pub fragment: String,
    /// Field paths of secrets left out of the link (the paths of `omissions`, as `strip_secrets` gives them).
    pub omitted: Vec<String>,
    /// The secrets left out of the link: field path and kind, for the page to say what kind each one was.
    pub omissions: Vec<Omitted>,
    /// Why [`decode`] would refuse this link (too long, or expanding to too much), so the page can say so
    /// instead of offering a link that opens nothing.
    pub refused: Option<ShareError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Not one of our fragments at all (e.g. an in-page anchor): ignore it.
    NotOurs,
    TooLong,
    /// Decodes, but to more than the page opens: the field path of the list (or `JSON` for the decoded size)
    /// and the most it may hold.
    TooLarge { what: String, max: usize },
    Corrupt(String),
    UnsupportedVersion(u64),
    /// Decoded, but not a valid project (e.g. made by a newer version with fields this one doesn't know).
    Project(String),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::NotOurs => write!(f, "not a containerd-config-builder link"),
            ShareError::TooLong => write!(f, "the link is too long"),
            ShareError::TooLarge { what, max } if what == "JSON" => {
                write!(f, "the link expands to more than {max} bytes of settings, more than this page opens")
            }
            ShareError::TooLarge { what, max } => write!(f, "the link holds more than {max} entries in {what}, more than this page opens"),
            ShareError::Corrupt(e) => write!(f, "the link is damaged ({e}); was it cut off when copied?"),
            ShareError::UnsupportedVersion(v) => write!(f, "the link uses format {v}, which this version cannot read"),
            ShareError::Project(e) => write!(f, "the link holds a project this version cannot read: {e}"),
        }
    }
}

/// What differs in `cur` from `base`: objects recursively, anything else as a whole. `None` when equal.
pub fn json_diff(base: &Value, cur: &Value) -> Option<Value> {
    match (base, cur) {
        (Value::Object(b), Value::Object(c)) => {
            let mut m = Map::new();
            for (k, cv) in c {
                match b.get(k) {
                    Some(bv) => {
                        if let Some(d) = json_diff(bv, cv) {
                            m.insert(k.clone(), d);
                        }
                    }
                    None => {
                        m.insert(k.clone(), cv.clone());
                    }
                }
            }
            (!m.is_empty()).then_some(Value::Object(m))
        }
        _ => (base != cur).then(|| cur.clone()),
    }
}

/// Applies a patch made by [`json_diff`].
pub fn json_apply(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, pv) in p {
                match b.get_mut(k) {
                    Some(bv) if bv.is_object() && pv.is_object() => json_apply(bv, pv),
                    _ => {
                        b.insert(k.clone(), pv.clone());
                    }
                }
            }
        }
        (b, p) => *b = p.clone(),
    }
}

/// The project as a JSON value, through its text: one writer of the model, the project file's.
pub fn project_value(p: &Project) -> Value {
    Value::parse(&json::project::to_string(p)).unwrap_or_default()
}

fn default_value() -> Value {
    project_value(&Project::default())
}

/// What a link says before it is packed: the JSON (no secret in it), the secrets left out, and whether its
/// lists are within what [`read_json`] opens.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    json: String,
    /// The `c1.` form, kept: it is the link whenever compression does not make it shorter.
    plain: String,
    omissions: Vec<Omitted>,
    lists: Result<(), ShareError>,
}

/// The link's payload for `project` (secrets stripped, only what differs from the defaults), in `lang`.
pub fn payload(project: &Project, lang: Option<&str>) -> Payload {
    let (clean, omissions) = strip_secrets_detailed(project);
    let cur = project_value(&clean);
    let patch = json_diff(&default_value(), &cur).unwrap_or(Value::Object(Map::new()));
    let mut doc = Map::new();
    doc.insert("v".into(), Value::from(SHARE_FORMAT));
    if let Some(l) = lang {
        doc.insert("lang".into(), Value::from(l));
    }
    doc.insert("p".into(), patch);
    let json = Value::Object(doc).to_json();
    let plain = format!("c1.{}", base64::encode(json.as_bytes(), Form::UrlSafeNoPad));
    let lists = check_lists(&cur, "", &mut 0);
    Payload { json, plain, omissions, lists }
}

impl Payload {
    /// The JSON to deflate (raw DEFLATE, RFC 1951) for the `z1.` form.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The secrets left out.
    pub fn omissions(&self) -> &[Omitted] {
        &self.omissions
    }

    /// Whether the `z1.` form is worth making: a short plain link is the link (no compression asked for).
    pub fn compresses(&self) -> bool {
        self.plain.len() > COMPRESS_ABOVE
    }

    /// The link, given `deflated` (the raw DEFLATE of [`Payload::json`], any encoder's; `None` when not made):
    /// `z1.` only when that is shorter than the plain `c1.` form, with what [`decode`] would refuse.
    pub fn frame(&self, deflated: Option<&[u8]>) -> Encoded {
        let zipped = deflated.filter(|_| self.compresses()).map(|z| format!("z1.{}", base64::encode(z, Form::UrlSafeNoPad)));
        let fragment = match zipped {
            Some(z) if z.len() < self.plain.len() => z,
            _ => self.plain.clone(),
        };
        let refused = if fragment.len() > MAX_FRAGMENT {
            Some(ShareError::TooLong)
        } else if self.json.len() > MAX_JSON {
            Some(ShareError::TooLarge { what: "JSON".into(), max: MAX_JSON })
        } else {
            self.lists.clone().err()
        };
        let omitted = self.omissions.iter().map(|o| o.path.clone()).collect();
        Encoded { fragment, omitted, omissions: self.omissions.clone(), refused }
    }
}

/// The project as a link, deflated by the core's own DEFLATE (the CLI, the tests; the page compresses in the
/// browser and calls [`Payload::frame`] itself).
#[cfg(any(not(target_arch = "wasm32"), feature = "deflate"))]
pub fn encode(project: &Project, lang: Option<&str>) -> Encoded {
    let p = payload(project, lang);
    let deflated = p.compresses().then(|| deflate(p.json().as_bytes()));
    p.frame(deflated.as_deref())
}

/// Checks the lists of a decoded project against [`LIST_LIMITS`] and [`MAX_LIST_ENTRIES`]; `path` is where
/// `v` sits (a field path as in diagnostics), `total` counts the entries seen so far.
fn check_lists(v: &Value, path: &str, total: &mut usize) -> Result<(), ShareError> {
    match v {
        Value::Array(items) => {
            let key = path.rsplit(['.', ']']).next().unwrap_or(path);
            let max = LIST_LIMITS.iter().find(|(k, _)| *k == key).map_or(OTHER_LIST_LIMIT, |(_, m)| *m);
            if items.len() > max {
                return Err(ShareError::TooLarge { what: path.to_string(), max });
            }
            *total += items.len();
            if *total > MAX_LIST_ENTRIES {
                return Err(ShareError::TooLarge { what: "all lists together".into(), max: MAX_LIST_ENTRIES });
            }
            for (i, item) in items.iter().enumerate() {
                check_lists(item, &format!("{path}[{i}]"), total)?;
            }
        }
        Value::Object(m) => {
            for (k, item) in m {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                check_lists(item, &p, total)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// How a fragment's bytes are packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// `c1.`: the JSON itself.
    Plain,
    /// `z1.`: the JSON as raw DEFLATE (RFC 1951), to be inflated to at most [`MAX_JSON`] (and a little more, so
    /// that [`read_json`] can tell a larger one apart) before [`read_json`].
    Deflated,
}

/// A fragment (with or without `#`) as its packing and bytes: not ours, too long, or not base64url is refused
/// here.
pub fn unframe(fragment: &str) -> Result<(Packing, Vec<u8>), ShareError> {
    let f = fragment.trim_start_matches('#');
    let (kind, payload) = f.split_once('.').ok_or(ShareError::NotOurs)?;
    let packing = match kind {
        "c1" => Packing::Plain,
        "z1" => Packing::Deflated,
        _ => return Err(ShareError::NotOurs),
    };
    if f.len() > MAX_FRAGMENT {
        return Err(ShareError::TooLong);
    }
    let bytes = base64::decode(payload.trim_end_matches('=').as_bytes(), Form::UrlSafeNoPad, false).map_err(|e| ShareError::Corrupt(e.to_string()))?;
    Ok((packing, bytes))
}

/// The link's JSON (inflated if it was deflated; an inflater may stop once past [`MAX_JSON`]) as the project it
/// shares, every bound checked before anything is built from it.
pub fn read_json(json: &[u8]) -> Result<Shared, ShareError> {
    // Both forms: a plain `c1.` link under MAX_FRAGMENT is ~190 KB of JSON, but the bound is on what it expands
    // to, not on how it is packed.
    if json.len() > MAX_JSON {
        return Err(ShareError::TooLarge { what: "JSON".into(), max: MAX_JSON });
    }
    let json = std::str::from_utf8(json).map_err(|e| ShareError::Corrupt(e.to_string()))?;
    let doc = Value::parse(json).map_err(|e| ShareError::Corrupt(e.to_string()))?;
    let v = doc.get("v").and_then(Value::as_u64).ok_or_else(|| ShareError::Corrupt("no format version".into()))?;
    if v != u64::from(SHARE_FORMAT) {
        return Err(ShareError::UnsupportedVersion(v));
    }
    let mut value = default_value();
    if let Some(p) = doc.get("p") {
        json_apply(&mut value, p);
    }
    // Before the project is typed, validated or rendered: that is what would freeze the tab.
    check_lists(&value, "", &mut 0)?;
    let text = value.to_json();
    // The project file's loader: a patch may put an array where the model has an object.
    let project: Project = crate::load::project_from_json(&text).map_err(|e| ShareError::Project(e.detail().en))?;
    let lang = doc.get("lang").and_then(Value::as_str).map(str::to_string);
    Ok(Shared { project, lang })
}

/// A fragment as the project it shares, inflated by the core's own DEFLATE (the page inflates in the browser
/// between [`unframe`] and [`read_json`]).
#[cfg(any(not(target_arch = "wasm32"), feature = "deflate"))]
pub fn decode(fragment: &str) -> Result<Shared, ShareError> {
    let (packing, bytes) = unframe(fragment)?;
    let json = match packing {
        Packing::Deflated => inflate(&bytes, MAX_JSON).map_err(|e| ShareError::Corrupt(e.to_string()))?,
        Packing::Plain => bytes,
    };
    read_json(&json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::secrets::strip_secrets;
    use flate2::write::DeflateEncoder;
    use flate2::Compression;
    // Links made by hand below are written by serde_json, as another tool would.
    use serde_json::Value;
    use std::io::Write;

    fn rich() -> Project {
        let mut p = Project::default();
        p.target.min = "1.6.20".parse().unwrap();
        p.registries.push(Registry {
            upstream: "docker.io".into(),
            endpoints: (0..8)
                .map(|i| Endpoint {
                    url: format!("https://mirror-{i}.example.com"),
                    kind: EndpointKind::PublicMirror,
                    headers: vec![Header { name: "Authorization".into(), values: vec![Secret::literal("Basic c2VjcmV0")] }],
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        });
        p.auth.push(Credential {
            host: "registry-1.docker.io".into(),
            method: AuthMethod::Basic { username: "me".into(), password: Secret::literal("hunter2"), encode_as_auth: false },
        });
        p
    }

    #[test]
    fn default_project_makes_a_tiny_link() {
        let e = encode(&Project::default(), None);
        assert!(e.fragment.len() < 30, "{}", e.fragment);
        assert_eq!(decode(&e.fragment).unwrap().project, Project::default());
    }

    #[test]
    fn round_trip_without_secrets_and_compressed_when_long() {
        let p = rich();
        let e = encode(&p, Some("zh-CN"));
        assert!(e.fragment.starts_with("z1."), "{}", e.fragment);
        assert!(!e.fragment.contains("hunter2"));
        let back = decode(&format!("#{}", e.fragment)).unwrap();
        assert_eq!(back.lang.as_deref(), Some("zh-CN"));
        let (stripped, omitted) = strip_secrets(&p);
        assert_eq!(back.project, stripped);
        assert_eq!(omitted.len(), 9);
        let json = serde_json::to_string(&back.project).unwrap();
        assert!(!json.contains("hunter2") && !json.contains("c2VjcmV0"));
    }

    /// `upstream_reachable` is left out at its default, so a link made before the field existed is the same link
    /// (still format 1), and one that turns it off carries it.
    #[test]
    fn upstream_reachable_is_in_a_link_only_when_off() {
        let payload = |p: &Project| {
            let f = encode(p, None).fragment;
            let bytes = base64::decode(f.split_once('.').unwrap().1.as_bytes(), Form::UrlSafeNoPad, false).unwrap();
            let json = if f.starts_with("z1.") { inflate(&bytes, MAX_JSON).unwrap() } else { bytes };
            String::from_utf8(json).unwrap()
        };
        let mut p = Project::default();
        p.registries.push(Registry { upstream: "docker.io".into(), ..Default::default() });
        let json = payload(&p);
        assert_eq!(json, r#"{"p":{"registries":[{"endpoints":[],"fallback_to_upstream":true,"server":null,"upstream":"docker.io"}]},"v":1}"#);
        p.registries[0].upstream_reachable = false;
        assert!(payload(&p).contains(r#""upstream_reachable":false"#));
        assert!(!decode(&encode(&p, None).fragment).unwrap().project.registries[0].upstream_reachable);
    }

    #[test]
    fn a_link_cannot_fill_a_struct_positionally() {
        // serde reads a struct from an array; a patch can put one where the model has an object.
        let positional = format!("c1.{}", base64::encode(br#"{"v":1,"p":{"target":["1.6.0","1.7.x"]}}"#, Form::UrlSafeNoPad));
        match decode(&positional) {
            Err(ShareError::Project(e)) => assert!(e.contains("target") && e.contains("object"), "{e}"),
            other => panic!("{other:?}"),
        }
        let named = format!("c1.{}", base64::encode(br#"{"v":1,"p":{"target":{"min":"1.6.0","max":"1.7.x"}}}"#, Form::UrlSafeNoPad));
        assert_eq!(decode(&named).unwrap().project.target.min.to_string(), "1.6.0");
    }

    #[test]
    fn bad_links_say_why() {
        assert_eq!(decode("section-2"), Err(ShareError::NotOurs));
        assert!(matches!(decode("c1.%%%"), Err(ShareError::Corrupt(_))));
        assert!(matches!(decode("z1.AAAA"), Err(ShareError::Corrupt(_))));
        let v2 = format!("c1.{}", base64::encode(br#"{"v":2,"p":{}}"#, Form::UrlSafeNoPad));
        assert_eq!(decode(&v2), Err(ShareError::UnsupportedVersion(2)));
        let unknown = format!("c1.{}", base64::encode(br#"{"v":1,"p":{"registrys":[]}}"#, Form::UrlSafeNoPad));
        assert!(matches!(decode(&unknown), Err(ShareError::Project(_))));
        // A deflate bomb is cut off.
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
        enc.write_all(&vec![b' '; 8 * 1024 * 1024]).unwrap();
        let bomb = format!("z1.{}", base64::encode(&enc.finish().unwrap(), Form::UrlSafeNoPad));
        assert_eq!(decode(&bomb), Err(ShareError::TooLarge { what: "JSON".into(), max: MAX_JSON }));
    }

    /// A link made by hand (or by another tool): `p` as given, deflated.
    fn link(p: &Value) -> String {
        let json = serde_json::to_string(&serde_json::json!({"v": 1, "p": p})).unwrap();
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
        enc.write_all(json.as_bytes()).unwrap();
        format!("z1.{}", base64::encode(&enc.finish().unwrap(), Form::UrlSafeNoPad))
    }

    fn registries(n: usize, endpoints: usize) -> Value {
        let eps: Vec<Value> = (0..endpoints).map(|j| serde_json::json!({"url": format!("https://m{j}.example.com")})).collect();
        Value::Array((0..n).map(|i| serde_json::json!({"upstream": format!("r{i}.example.com"), "endpoints": eps})).collect())
    }

    #[test]
    fn a_link_may_expand_to_at_most_1000_registries() {
        let ok = decode(&link(&serde_json::json!({"registries": registries(1000, 1)}))).unwrap();
        assert_eq!(ok.project.registries.len(), 1000);
        let big = link(&serde_json::json!({"registries": registries(1001, 1)}));
        assert!(big.len() < MAX_FRAGMENT, "small enough to be refused for what it expands to");
        assert_eq!(decode(&big), Err(ShareError::TooLarge { what: "registries".into(), max: 1000 }));
    }

    #[test]
    fn a_link_may_expand_to_at_most_1_mib_of_json() {
        // Just over 1 MiB of JSON in one string: deflates to a few KB.
        let upstream = "a".repeat(MAX_JSON);
        let big = link(&serde_json::json!({"registries": [{"upstream": upstream}]}));
        assert!(big.len() < 8 * 1024, "{}", big.len());
        assert_eq!(decode(&big), Err(ShareError::TooLarge { what: "JSON".into(), max: MAX_JSON }));
        let fits = link(&serde_json::json!({"registries": [{"upstream": "a".repeat(MAX_JSON - 100)}]}));
        assert!(decode(&fits).is_ok());
    }

    #[test]
    fn other_lists_are_bounded_too() {
        // One registry with 101 endpoints; 200 registries × 100 endpoints (20,000 + 200 entries in all).
        assert_eq!(
            decode(&link(&serde_json::json!({"registries": registries(1, 101)}))),
            Err(ShareError::TooLarge { what: "registries[0].endpoints".into(), max: 100 })
        );
        assert_eq!(
            decode(&link(&serde_json::json!({"registries": registries(200, 100)}))),
            Err(ShareError::TooLarge { what: "all lists together".into(), max: MAX_LIST_ENTRIES })
        );
        let headers: Vec<Value> = (0..101).map(|i| serde_json::json!({"name": format!("X-{i}"), "values": ["v"]})).collect();
        let p = serde_json::json!({"registries": [{"upstream": "r.io", "endpoints": [{"url": "https://m.io", "headers": headers}]}]});
        assert_eq!(decode(&link(&p)), Err(ShareError::TooLarge { what: "registries[0].endpoints[0].headers".into(), max: 100 }));
        let auth: Vec<Value> = (0..1001).map(|i| serde_json::json!({"host": format!("h{i}.io"), "method": {"type": "auth", "auth": ""}})).collect();
        assert_eq!(decode(&link(&serde_json::json!({"auth": auth}))), Err(ShareError::TooLarge { what: "auth".into(), max: 1000 }));
    }

    #[test]
    fn z1_only_when_the_deflated_form_is_shorter() {
        let p = payload(&rich(), Some("en"));
        assert!(p.compresses());
        let plain = p.frame(None);
        assert!(plain.fragment.starts_with("c1."), "no deflated bytes (a browser without CompressionStream): the plain link");
        assert_eq!(decode(&plain.fragment).unwrap().project, strip_secrets(&rich()).0);
        // Another encoder's stream (zlib's, as the browser's CompressionStream writes) is framed the same way.
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
        enc.write_all(p.json().as_bytes()).unwrap();
        let zlib = p.frame(Some(&enc.finish().unwrap()));
        assert!(zlib.fragment.starts_with("z1.") && zlib.fragment.len() < plain.fragment.len());
        assert_eq!(decode(&zlib.fragment).unwrap(), decode(&plain.fragment).unwrap());
        assert_eq!(zlib.omissions, plain.omissions);
        // Deflated bytes longer than the JSON itself: the plain link stays.
        assert_eq!(p.frame(Some(&vec![0u8; p.json().len() + 1])).fragment, plain.fragment);
        // A short link is never compressed, whatever it is given.
        let short = payload(&Project::default(), None);
        assert!(!short.compresses());
        assert!(short.frame(Some(b"x")).fragment.starts_with("c1."));
        assert_eq!(encode(&rich(), Some("en")), p.frame(Some(&deflate(p.json().as_bytes()))));
    }

    #[test]
    fn unframe_then_read_json_is_decode() {
        let e = encode(&rich(), None);
        let (packing, bytes) = unframe(&format!("#{}", e.fragment)).unwrap();
        assert_eq!(packing, Packing::Deflated);
        assert_eq!(read_json(&inflate(&bytes, MAX_JSON).unwrap()), decode(&e.fragment));
        let (packing, bytes) = unframe(&payload(&rich(), None).frame(None).fragment).unwrap();
        assert_eq!(packing, Packing::Plain);
        assert_eq!(read_json(&bytes), decode(&e.fragment));
        assert_eq!(unframe("x1.AAAA"), Err(ShareError::NotOurs));
        assert!(matches!(unframe("z1.%%%"), Err(ShareError::Corrupt(_))));
        // An inflater that stops just past the limit (the page reads DecompressionStream chunk by chunk) gives
        // the same refusal as a whole bomb.
        assert_eq!(read_json(&vec![b' '; MAX_JSON + 1]), Err(ShareError::TooLarge { what: "JSON".into(), max: MAX_JSON }));
    }

    #[test]
    fn encoding_says_when_its_link_would_be_refused() {
        let mut p = Project::default();
        assert_eq!(encode(&p, None).refused, None);
        p.registries = (0..1001).map(|i| Registry { upstream: format!("r{i}.example.com"), ..Default::default() }).collect();
        let e = encode(&p, None);
        assert_eq!(e.refused, Some(ShareError::TooLarge { what: "registries".into(), max: 1000 }));
        assert_eq!(decode(&e.fragment).err(), e.refused);
        p.registries.truncate(1000);
        let e = encode(&p, None);
        assert_eq!(e.refused, None);
        assert!(decode(&e.fragment).is_ok());
    }
}
