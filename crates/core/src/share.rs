//! Share links: the project in the URL fragment — only what differs from the defaults, never a secret, with a
//! format version, compressed when long.
//!
//! Format: `c1.<base64url JSON>` or, when that is long and compression helps, `z1.<base64url raw-deflate JSON>`.
//! The JSON is `{"v":1,"lang":"zh-CN","p":<merge patch against Project::default()>}`.

use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use serde_json::{Map, Value};

use crate::model::Project;
use crate::secrets::strip_secrets;

pub const SHARE_FORMAT: u32 = 1;
/// Compress when the plain form is longer than this.
const COMPRESS_ABOVE: usize = 160;
/// Refuse fragments and decoded payloads larger than these (a link is no place for megabytes).
const MAX_FRAGMENT: usize = 256 * 1024;
const MAX_JSON: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub project: Project,
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    /// The fragment, without `#`.
    pub fragment: String,
    /// Field paths of secrets left out of the link.
    pub omitted: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Not one of our fragments at all (e.g. an in-page anchor): ignore it.
    NotOurs,
    TooLong,
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

/// The project as a JSON value. Goes through the text form on purpose: `to_value`/`from_value` would compile a
/// second serializer and deserializer for every model type into the web app (tens of KB of wasm).
pub fn project_value(p: &Project) -> Value {
    let text = serde_json::to_string(p).expect("serializable");
    serde_json::from_str(&text).expect("our own JSON parses")
}

fn default_value() -> Value {
    project_value(&Project::default())
}

pub fn encode(project: &Project, lang: Option<&str>) -> Encoded {
    let (clean, omitted) = strip_secrets(project);
    let cur = project_value(&clean);
    let patch = json_diff(&default_value(), &cur).unwrap_or(Value::Object(Map::new()));
    let mut doc = Map::new();
    doc.insert("v".into(), Value::from(SHARE_FORMAT));
    if let Some(l) = lang {
        doc.insert("lang".into(), Value::from(l));
    }
    doc.insert("p".into(), patch);
    let json = serde_json::to_string(&Value::Object(doc)).expect("serializable");
    let plain = format!("c1.{}", URL_SAFE_NO_PAD.encode(json.as_bytes()));
    let fragment = if plain.len() > COMPRESS_ABOVE {
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
        enc.write_all(json.as_bytes()).expect("in-memory write");
        let z = format!("z1.{}", URL_SAFE_NO_PAD.encode(enc.finish().expect("in-memory write")));
        if z.len() < plain.len() {
            z
        } else {
            plain
        }
    } else {
        plain
    };
    Encoded { fragment, omitted }
}

pub fn decode(fragment: &str) -> Result<Shared, ShareError> {
    let f = fragment.trim_start_matches('#');
    let (kind, payload) = f.split_once('.').ok_or(ShareError::NotOurs)?;
    if kind != "c1" && kind != "z1" {
        return Err(ShareError::NotOurs);
    }
    if f.len() > MAX_FRAGMENT {
        return Err(ShareError::TooLong);
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).map_err(|e| ShareError::Corrupt(e.to_string()))?;
    let json = if kind == "z1" {
        let mut out = Vec::new();
        DeflateDecoder::new(&bytes[..])
            .take(MAX_JSON as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| ShareError::Corrupt(e.to_string()))?;
        if out.len() > MAX_JSON {
            return Err(ShareError::TooLong);
        }
        out
    } else {
        bytes
    };
    let doc: Value = serde_json::from_slice(&json).map_err(|e| ShareError::Corrupt(e.to_string()))?;
    let v = doc.get("v").and_then(Value::as_u64).ok_or_else(|| ShareError::Corrupt("no format version".into()))?;
    if v != u64::from(SHARE_FORMAT) {
        return Err(ShareError::UnsupportedVersion(v));
    }
    let mut value = default_value();
    if let Some(p) = doc.get("p") {
        json_apply(&mut value, p);
    }
    let text = serde_json::to_string(&value).map_err(|e| ShareError::Corrupt(e.to_string()))?;
    let project: Project = serde_json::from_str(&text).map_err(|e| ShareError::Project(e.to_string()))?;
    let lang = doc.get("lang").and_then(Value::as_str).map(str::to_string);
    Ok(Shared { project, lang })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

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

    #[test]
    fn bad_links_say_why() {
        assert_eq!(decode("section-2"), Err(ShareError::NotOurs));
        assert!(matches!(decode("c1.%%%"), Err(ShareError::Corrupt(_))));
        assert!(matches!(decode("z1.AAAA"), Err(ShareError::Corrupt(_))));
        let v2 = format!("c1.{}", URL_SAFE_NO_PAD.encode(br#"{"v":2,"p":{}}"#));
        assert_eq!(decode(&v2), Err(ShareError::UnsupportedVersion(2)));
        let unknown = format!("c1.{}", URL_SAFE_NO_PAD.encode(br#"{"v":1,"p":{"registrys":[]}}"#));
        assert!(matches!(decode(&unknown), Err(ShareError::Project(_))));
        // A deflate bomb is cut off.
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
        enc.write_all(&vec![b' '; 8 * 1024 * 1024]).unwrap();
        let bomb = format!("z1.{}", URL_SAFE_NO_PAD.encode(enc.finish().unwrap()));
        assert_eq!(decode(&bomb), Err(ShareError::TooLong));
    }
}
