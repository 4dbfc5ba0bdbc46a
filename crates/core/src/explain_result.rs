//! The text form of the page's "Try an image" question and answer: the page's main module has no explain (its
//! plan and host lookup live in the lazily loaded tools module, beside the merge), so it sends [`request`] — the
//! project, the image as typed and the spans of the target range ([`crate::explain::lines::spans`]) — and reads
//! the tools module's [`answer`] with [`decode`]: the grouped explanations, as the core computed them. Every
//! (de)serialisation of this boundary is in this file, tested natively below.
//!
//! JSON both ways (the page has serde_json already): the project as the project file writes it, secrets included
//! (credentials are shown redacted by the explanation itself; the text never leaves the page).

use serde::{Deserialize, Serialize};

use crate::explain::lines::{self, Group, Span};
use crate::model::Project;

/// Names the text form; a page and a tools module from different builds refuse each other's text.
const FORMAT: &str = "ccb-explain/1";

#[derive(Serialize)]
struct RequestOut<'a> {
    format: &'a str,
    project: &'a Project,
    image: &'a str,
    spans: &'a [Span],
}

#[derive(Deserialize)]
struct RequestIn {
    format: String,
    project: Project,
    image: String,
    spans: Vec<Span>,
}

#[derive(Serialize, Deserialize)]
struct Answer {
    format: String,
    /// Why the request could not be read (a page from another build).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refused: Option<String>,
    #[serde(default)]
    groups: Vec<Group>,
}

/// What the page sends: `image` explained for every span of the project's target range.
pub fn request(p: &Project, image: &str) -> String {
    request_for(p, image, &lines::spans(&p.target))
}

/// [`request`] for chosen spans.
pub fn request_for(p: &Project, image: &str, spans: &[Span]) -> String {
    serde_json::to_string(&RequestOut { format: FORMAT, project: p, image, spans }).expect("a request serializes")
}

/// The tools module's answer to [`request`].
pub fn answer(request: &str) -> String {
    let answer = match serde_json::from_str::<RequestIn>(request) {
        Ok(r) if r.format == FORMAT => Answer { format: FORMAT.into(), refused: None, groups: lines::explain_spans(&r.project, &r.image, &r.spans) },
        Ok(r) => Answer { format: FORMAT.into(), refused: Some(format!("request format {:?}, expected {FORMAT:?}", r.format)), groups: Vec::new() },
        Err(e) => Answer { format: FORMAT.into(), refused: Some(format!("unreadable request: {e}")), groups: Vec::new() },
    };
    serde_json::to_string(&answer).expect("an answer serializes")
}

/// Why a text is not an answer (a page and a tools module from different builds, or a bug).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

/// The grouped explanations from [`answer`]'s text.
pub fn decode(text: &str) -> Result<Vec<Group>, DecodeError> {
    let a: Answer = serde_json::from_str(text).map_err(|e| DecodeError(e.to_string()))?;
    if a.format != FORMAT {
        return Err(DecodeError(format!("format {:?}, expected {FORMAT:?}", a.format)));
    }
    match a.refused {
        Some(why) => Err(DecodeError(why)),
        None => Ok(a.groups),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::{HostRole, PullStatus};

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
        let across = decode(&answer(&request(&p, "nginx"))).expect("the page reads the tools module's answer");
        assert_eq!(across, direct);
        assert!(across.len() > 1, "1.6.20 to 2.3 do not all answer alike: {:?}", across.iter().map(|g| &g.label).collect::<Vec<_>>());
        let e = &across[0].explanation;
        assert_eq!(e.outcome.status, PullStatus::NoResolveHost, "upstream unreachable with a pull-only mirror");
        assert_eq!(e.fetch[0].role, HostRole::Host);
        let shown = &e.fetch[0].credentials.as_ref().expect("the mirror's credentials").shown;
        assert!(shown.contains("alice") && !shown.contains("s3cr3t"), "{shown}");
    }

    #[test]
    fn an_invalid_reference_is_an_answer_too() {
        let g = decode(&answer(&request(&Project::default(), "Nginx:latest"))).unwrap();
        assert_eq!(g.len(), 1, "the same refusal for every release");
        assert_eq!(g[0].explanation.outcome.status, PullStatus::InvalidReference);
        assert!(g[0].explanation.error.as_ref().is_some_and(|t| !t.en.is_empty() && !t.zh.is_empty()));
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
        assert!(decode(&answer("[1]")).unwrap_err().0.contains("unreadable request"));
    }
}
