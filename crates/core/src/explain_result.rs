//! The text form of the page's "Try an image" question and answer. The page's main module has no explain (the
//! plan and the host lookup live in the lazily loaded tools module, beside the merge), so it sends [`request`] —
//! the project, the image as typed and the spans of the target range ([`crate::explain::lines::spans`]) — and
//! reads the tools module's [`answer`] with [`decode`]: per group of releases, the explanation as the box shows
//! it ([`crate::explain::view::Shown`]). Every (de)serialisation of this boundary is in this file, tested natively.
//!
//! The request is JSON (the project as the project file writes it, secrets included: credentials are shown
//! redacted by the explanation itself, and the text never leaves the page). The answer is length-prefixed fields,
//! as the merge's (`merge_result`), so the page reads it with the reader it has already, not with one generated
//! for every type of the explanation.

use crate::explain::lines::{self, Span};
use crate::explain::view::{self, Kind, Line, Shown};
use crate::explain::Text;
use crate::json::{Kind as JsonKind, Node, Writer as JsonWriter};
use crate::merge_result::{Reader, Writer};
pub use crate::merge_result::DecodeError;
use crate::model::Project;

/// Names the text form; a page and a tools module from different builds refuse each other's text.
const FORMAT: &str = "ccb-explain/2";

/// What the page sends: `image` explained for every span of the project's target range.
pub fn request(p: &Project, image: &str) -> String {
    request_for(p, image, &lines::spans(&p.target))
}

/// [`request`] for chosen spans.
pub fn request_for(p: &Project, image: &str, spans: &[Span]) -> String {
    let mut w = JsonWriter::new(false);
    w.begin_object();
    w.key("format");
    w.str(FORMAT);
    w.key("project");
    crate::json::project::write_project(&mut w, p);
    w.key("image");
    w.str(image);
    w.key("spans");
    w.list(spans, |w, s| {
        w.begin_object();
        w.key("from");
        w.str(&s.from.to_string());
        w.key("to");
        w.str(&s.to.to_string());
        w.key("line_start");
        w.bool(s.line_start);
        w.key("line_end");
        w.bool(s.line_end);
        w.end_object();
    });
    w.end_object();
    w.finish()
}

/// A request as [`request_for`] writes it: format, project, image, spans.
fn read_request(request: &str) -> Result<(String, Project, String, Vec<Span>), String> {
    let tree = crate::json::parse(request).map_err(|e| e.to_string())?;
    let JsonKind::Object(members) = &tree.kind else { return Err("not an object".into()) };
    let field = |name: &str| members.iter().find(|m| m.key == name).map(|m| &m.value).ok_or(format!("no {name}"));
    let string = |n: &Node| match &n.kind {
        JsonKind::String(s) => Ok(s.clone()),
        _ => Err("not a string".to_string()),
    };
    let format = string(field("format")?)?;
    let project = crate::json::project::read_project(field("project")?).map_err(|e| e.detail().en)?;
    let image = string(field("image")?)?;
    let JsonKind::Array(items) = &field("spans")?.kind else { return Err("spans: not a list".into()) };
    let mut spans = Vec::new();
    for item in items {
        let JsonKind::Object(m) = &item.kind else { return Err("span: not an object".into()) };
        let get = |name: &str| m.iter().find(|f| f.key == name).map(|f| &f.value.kind);
        let version = |name: &str| match get(name) {
            Some(JsonKind::String(s)) => s.parse().map_err(|e| format!("span {name}: {e}")),
            _ => Err(format!("span: no {name}")),
        };
        let flag = |name: &str| match get(name) {
            Some(JsonKind::Bool(b)) => Ok(*b),
            _ => Err(format!("span: no {name}")),
        };
        spans.push(Span { from: version("from")?, to: version("to")?, line_start: flag("line_start")?, line_end: flag("line_end")? });
    }
    Ok((format, project, image, spans))
}

/// The groups the tools module computes for a request (what [`answer`] writes).
pub fn explained(request: &str) -> Result<Vec<Shown>, DecodeError> {
    match read_request(request) {
        Ok((format, project, image, spans)) if format == FORMAT => {
            Ok(lines::explain_spans(&project, &image, &spans).iter().map(view::show).collect())
        }
        Ok((format, ..)) => Err(DecodeError(format!("request format {format:?}, expected {FORMAT:?}"))),
        Err(e) => Err(DecodeError(format!("unreadable request: {e}"))),
    }
}

/// The tools module's answer to [`request`].
pub fn answer(request: &str) -> String {
    encode(&explained(request))
}

fn text(w: &mut Writer, t: &Text) {
    w.field(&t.en);
    w.field(&t.zh);
}

fn encode(r: &Result<Vec<Shown>, DecodeError>) -> String {
    let mut w = Writer::new(FORMAT);
    match r {
        Err(e) => w.refusal(&e.0),
        Ok(groups) => {
            w.field("groups");
            w.count(groups.len());
            for g in groups {
                w.field(&g.label);
                w.field(g.reference.as_deref().unwrap_or(""));
                w.flag(g.error.is_some());
                if let Some(e) = &g.error {
                    text(&mut w, e);
                }
                w.count(g.lines.len());
                for l in &g.lines {
                    w.field(l.kind.as_str());
                    text(&mut w, &l.text);
                    w.field(l.place.as_deref().unwrap_or(""));
                }
                w.count(g.assumptions.len());
                for a in &g.assumptions {
                    text(&mut w, a);
                }
            }
        }
    }
    w.0
}

fn read_text(r: &mut Reader) -> Result<Text, DecodeError> {
    // Escaped by the sender already (`Text::new`): kept as they are.
    Ok(Text { en: r.field()?.to_string(), zh: r.field()?.to_string() })
}

/// The groups from [`answer`]'s text; `Err` for a refused request or a text this build cannot read.
pub fn decode(text: &str) -> Result<Vec<Shown>, DecodeError> {
    let mut r = Reader::answer_of(text, FORMAT, "groups")?;
    let n = r.count(8)?;
    let mut groups = Vec::with_capacity(n);
    for _ in 0..n {
        let label = r.field()?.to_string();
        let reference = Some(r.field()?.to_string()).filter(|s| !s.is_empty());
        let error = if r.flag()? { Some(read_text(&mut r)?) } else { None };
        let lines = (0..r.count(6)?)
            .map(|_| {
                let kind = r.field()?;
                let kind = Kind::parse(kind).ok_or_else(|| DecodeError(format!("unknown line kind {kind:?}")))?;
                let text = read_text(&mut r)?;
                let place = Some(r.field()?.to_string()).filter(|p| !p.is_empty());
                Ok(Line { kind, text, place })
            })
            .collect::<Result<Vec<_>, DecodeError>>()?;
        let assumptions = (0..r.count(4)?).map(|_| read_text(&mut r)).collect::<Result<Vec<_>, _>>()?;
        groups.push(Shown { label, reference, error, lines, assumptions });
    }
    r.end("answer")?;
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::PullStatus;

    fn project(json: serde_json::Value) -> Project {
        serde_json::from_value(json).unwrap()
    }

    /// The Docker Hub preset's situation: nodes that cannot reach docker.io, a pull-only mirror, credentials.
    fn hub() -> Project {
        project(serde_json::json!({"target": {"min": "1.6.20", "max": "2.3.x"},
            "registries": [{"upstream": "docker.io", "upstream_reachable": false,
                "endpoints": [{"url": "https://mirror.example.com", "kind": "public_mirror"}]}],
            "auth": [{"host": "mirror.example.com", "method": {"type": "basic", "username": "alice", "password": "pw:\"s3cr3t\"\n中"}}]}))
    }

    #[test]
    fn the_answer_crosses_the_boundary_as_the_core_computed_it() {
        let p = hub();
        let direct = lines::explain_spans(&p, "nginx", &lines::spans(&p.target));
        assert!(direct.len() > 1, "1.6.20 to 2.3 do not all answer alike: {:?}", direct.iter().map(|g| &g.label).collect::<Vec<_>>());
        assert_eq!(direct[0].explanation.outcome.status, PullStatus::NoResolveHost, "upstream unreachable with a pull-only mirror");
        let across = decode(&answer(&request(&p, "nginx"))).expect("the page reads the tools module's answer");
        assert_eq!(across, direct.iter().map(view::show).collect::<Vec<_>>());
        let g = &across[0];
        assert_eq!((g.label.as_str(), g.reference.as_deref()), (direct[0].label.as_str(), Some("docker.io/library/nginx:latest")));
        assert_eq!(g.lines[0].kind, Kind::Fails);
        assert!(g.lines[0].text.en.starts_with("The pull fails: ") && g.lines[0].text.zh.starts_with("拉取失败："));
        let credentials = g.lines.iter().find(|l| l.text.en.starts_with("credentials: ")).expect("the mirror's credentials");
        assert!(credentials.text.en.contains("alice") && !across.iter().any(|g| g.lines.iter().any(|l| l.text.en.contains("s3cr3t"))));
        // Field paths cross as places for the page to name, never inside the words.
        assert_eq!(credentials.place.as_deref(), Some("auth[0]"));
        assert!(credentials.text.en.contains("({place})") && credentials.text.zh.contains("（{place}）"));
        let mirror = g.lines.iter().find(|l| l.place.as_deref() == Some("registries[0].endpoints[0]")).expect("the mirror's facts");
        assert!(mirror.text.en.contains("{place}") && mirror.text.zh.contains("{place}"));
        let paths: Vec<&str> = across.iter().flat_map(|g| &g.lines).map(|l| l.text.en.as_str()).filter(|t| t.contains("registries[") || t.contains("auth[")).collect();
        assert!(paths.is_empty(), "{paths:#?}");
    }

    #[test]
    fn an_invalid_reference_is_an_answer_too() {
        let g = decode(&answer(&request(&Project::default(), "Nginx:latest"))).unwrap();
        assert_eq!(g.len(), 1, "the same refusal for every release");
        assert_eq!(g[0].reference, None);
        assert!(g[0].lines.is_empty());
        assert!(g[0].error.as_ref().is_some_and(|t| !t.en.is_empty() && !t.zh.is_empty()));
    }

    #[test]
    fn text_from_another_build_or_cut_short_is_refused_not_misread() {
        let good = answer(&request(&hub(), "quay.io/prometheus/node-exporter:v1.8.2"));
        assert!(decode(&good).is_ok());
        for end in [0, 5, good.len() / 2, good.len() - 1] {
            let end = (0..=end).rev().find(|i| good.is_char_boundary(*i)).unwrap_or(0);
            assert!(decode(&good[..end]).is_err(), "cut at {end}");
        }
        assert!(decode(&good.replacen(FORMAT, "ccb-explain/0", 1)).is_err(), "other format");
        let other = request(&hub(), "nginx").replacen(FORMAT, "ccb-explain/0", 1);
        assert!(decode(&answer(&other)).unwrap_err().0.contains("ccb-explain/0"));
        assert!(decode(&format!("{good}1:x")).is_err(), "trailing bytes");
        assert!(decode("13:ccb-explain/16:groups9999999:x").is_err(), "a count larger than the text");
        assert!(decode(&answer("[1]")).unwrap_err().0.contains("unreadable request"));
    }
}
