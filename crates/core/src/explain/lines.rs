//! One answer per stretch of the target range where containerd behaves alike (the page's "Try an image" box):
//! the range cut into [`Span`]s at each release line and at each patch where a feature gate opens
//! (`version::Feature`), every span explained at its first release, and neighbouring spans with the same answer
//! merged into one [`Group`] ("1.6–1.7", "2.0–2.3"; "1.6.0–1.6.16" where a line splits).
//!
//! The explanation depends on the release only through those gates, so any release of a span gives its answer.

use serde::{Deserialize, Serialize};

use super::Explanation;
use crate::model::{Project, Target};
use crate::version::{self, ContainerdVersion, Feature};

/// Releases `from` ..= `to` of one line, which behave alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub from: ContainerdVersion,
    pub to: ContainerdVersion,
    /// `from` is the line's first release in the target range.
    pub line_start: bool,
    /// `to` is the line's last release in the target range.
    pub line_end: bool,
}

/// Neighbouring spans with one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub from: ContainerdVersion,
    pub to: ContainerdVersion,
    /// The releases in words: `1.6–1.7` for whole lines of the range, `1.6.0–1.6.16` or `1.7.16–2.1` for part of one.
    pub label: String,
    /// The answer, for the group's first release.
    pub explanation: Explanation,
}

/// The target range's releases, cut at release lines and feature gates, oldest first. A line's last release is
/// the target's own maximum when it names a patch, else the newest release known (`RELEASE_LINES`).
pub fn spans(target: &Target) -> Vec<Span> {
    let mut out = Vec::new();
    for line in target.lines() {
        let lo = if line == target.min.line() { target.min.patch.unwrap_or(0) } else { 0 };
        let newest = version::release_line(line).and_then(|l| l.latest.patch).unwrap_or(lo);
        let hi = match (line == target.max.line(), target.max.patch) {
            (true, Some(p)) => p,
            _ => newest,
        }
        .max(lo);
        let mut cuts = vec![lo];
        cuts.extend(Feature::gates_within(line).into_iter().filter(|g| *g > lo && *g <= hi));
        for (i, &from) in cuts.iter().enumerate() {
            let to = cuts.get(i + 1).map_or(hi, |next| next - 1);
            let at = |p| ContainerdVersion::new(line.0, line.1, p);
            out.push(Span { from: at(from), to: at(to), line_start: i == 0, line_end: to == hi });
        }
    }
    out
}

/// `image` explained for each span, neighbours with the same answer grouped.
pub fn explain_spans(project: &Project, image: &str, spans: &[Span]) -> Vec<Group> {
    let plan = crate::plan::plan(project);
    let mut groups: Vec<(Span, Span, Explanation)> = Vec::new();
    for span in spans {
        let e = super::explain_planned(project, &plan, image, &span.from);
        match groups.last_mut() {
            Some((_, last, first)) if same_answer(first, &e) => *last = *span,
            _ => groups.push((*span, *span, e)),
        }
    }
    groups.into_iter().map(|(first, last, explanation)| Group { from: first.from, to: last.to, label: label(&first, &last), explanation }).collect()
}

/// Two answers that differ only in the release they name (a note says "containerd 1.6.0 does not read …").
fn same_answer(a: &Explanation, b: &Explanation) -> bool {
    let neutral = |e: &Explanation| {
        let mut e = e.clone();
        let release = e.release.to_string();
        e.release = ContainerdVersion::new(0, 0, 0);
        serde_json::to_string(&e).expect("an explanation serializes").replace(&release, "<release>")
    };
    neutral(a) == neutral(b)
}

fn label(first: &Span, last: &Span) -> String {
    // Each end as a line where the group holds all of that line in range, else as a release.
    let end = |v: &ContainerdVersion, whole: bool| if whole { format!("{}.{}", v.major, v.minor) } else { v.to_string() };
    let (from, to) = if first.from.line() == last.to.line() && !(first.line_start && last.line_end) {
        (first.from.to_string(), last.to.to_string())
    } else {
        (end(&first.from, first.line_start), end(&last.to, last.line_end))
    };
    if from == to {
        from
    } else {
        format!("{from}–{to}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::ContainerdVersion as V;

    fn target(min: &str, max: &str) -> Target {
        Target { min: min.parse().unwrap(), max: max.parse().unwrap() }
    }

    fn project(json: serde_json::Value) -> Project {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn the_range_is_cut_at_lines_and_at_the_patches_where_a_gate_opens() {
        let s = spans(&target("1.6.0", "1.7.x"));
        let shown: Vec<String> = s.iter().map(|s| format!("{}..{}", s.from, s.to)).collect();
        // 1.6.17: _default; 1.6.32: HTTPS first; 1.7.16: HTTPS first; 1.7.32: root-only hosts.toml.
        assert_eq!(shown, ["1.6.0..1.6.16", "1.6.17..1.6.31", "1.6.32..1.6.39", "1.7.0..1.7.15", "1.7.16..1.7.31", "1.7.32..1.7.34"]);
        assert!(s[0].line_start && !s[0].line_end && s[2].line_end && s[3].line_start);
        // A maximum with a patch ends the range there; a minimum past a gate starts after it.
        let s = spans(&target("1.6.20", "2.0.5"));
        assert_eq!(s.first().unwrap().from, V::new(1, 6, 20));
        assert_eq!(s.last().unwrap().to, V::new(2, 0, 5), "2.0.7's dial_timeout is past the maximum");
    }

    #[test]
    fn identical_answers_are_grouped_and_differences_split_the_range() {
        // An http:// mirror with a CA: from 1.6.32 / 1.7.16 / 2.0 containerd tries HTTPS first.
        let p = project(serde_json::json!({"target": {"min": "1.7.0", "max": "2.3.x"}, "registries": [{"upstream": "docker.io",
            "endpoints": [{"url": "http://mirror.example.com", "tls": {"ca": [{"path": "/etc/ssl/mirror.pem"}]}}]}]}));
        let g = explain_spans(&p, "nginx", &spans(&p.target));
        let labels: Vec<&str> = g.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, ["1.7.0–1.7.15", "1.7.16–2.1", "2.2–2.3"], "2.2 adds referrers to the registry's capabilities");
        assert!(!g[0].explanation.resolve[0].http_fallback && g[1].explanation.resolve[0].http_fallback);
        // Nothing release-dependent: one group for the whole range.
        let plain = project(serde_json::json!({"target": {"min": "1.7.0", "max": "2.1.x"}, "registries": [{"upstream": "quay.io",
            "endpoints": [{"url": "https://mirror.example.com"}]}]}));
        let g = explain_spans(&plain, "quay.io/prometheus/node-exporter:v1.8.2", &spans(&plain.target));
        assert_eq!(g.iter().map(|g| g.label.as_str()).collect::<Vec<_>>(), ["1.7–2.1"]);
        assert_eq!((g[0].from, g[0].to), (V::new(1, 7, 0), V::new(2, 1, 9)));
    }

    #[test]
    fn answers_that_only_name_their_release_differently_are_one_group() {
        // 1.6.0–1.6.16 do not read _default: each span's note names its own release, the answers are the same.
        let p = project(serde_json::json!({"target": {"min": "1.6.0", "max": "1.7.x"},
            "air_gap": {"registry": "https://registry.internal:5000", "namespaces": ["docker.io"]}}));
        let g = explain_spans(&p, "ghcr.io/owner/tool:1", &[Span { from: V::new(1, 6, 0), to: V::new(1, 6, 9), line_start: true, line_end: false }, Span { from: V::new(1, 6, 10), to: V::new(1, 6, 16), line_start: false, line_end: true }]);
        assert_eq!(g.len(), 1, "{g:?}");
        assert_eq!(g[0].label, "1.6");
        assert!(g[0].explanation.certs_d.as_ref().unwrap().why.en.contains("containerd 1.6.0 does not read _default"));
    }
}
