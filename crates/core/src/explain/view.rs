//! An explanation as the page's "Try an image" box shows it: a flat list of [`Line`]s in both languages, each of
//! a [`Kind`] the page styles (the outcome, the certs.d lookup, the ordered hosts with their facts, notes). Made
//! in the page's tools module, so the page's first download carries neither the explain nor a reader of its
//! types: it reads these lines (`explain_result::decode`) and draws them. The CLI's terminal text is `text.rs`.

use super::lines::Group;
use super::{quote, Explanation, HostRole, HostStep, PullStatus, Text};

/// What a line is, for the page's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The pull can succeed: how.
    Outcome,
    /// The pull fails: why.
    Fails,
    /// The directories (or legacy entry) looked for.
    Lookup,
    /// Why that directory.
    Why,
    /// The heading of the hosts asked for the manifest, in order (a list of hosts follows).
    Resolve,
    /// The heading of the hosts blobs may come from, in order.
    Fetch,
    /// A host of the list above: its first request URL.
    Host,
    /// A fact about the host above (role, capabilities, `ns`, TLS, headers, credentials).
    Fact,
    /// What a failure of the host above does.
    Fall,
    /// A list above without hosts.
    NoHost,
    /// Whether the registry itself is contacted.
    Registry,
    Note,
}

impl Kind {
    const ALL: [Kind; 12] =
        [Kind::Outcome, Kind::Fails, Kind::Lookup, Kind::Why, Kind::Resolve, Kind::Fetch, Kind::Host, Kind::Fact, Kind::Fall, Kind::NoHost, Kind::Registry, Kind::Note];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Outcome => "outcome",
            Kind::Fails => "fails",
            Kind::Lookup => "lookup",
            Kind::Why => "why",
            Kind::Resolve => "resolve",
            Kind::Fetch => "fetch",
            Kind::Host => "host",
            Kind::Fact => "fact",
            Kind::Fall => "fall",
            Kind::NoHost => "no-host",
            Kind::Registry => "registry",
            Kind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub kind: Kind,
    /// May hold `{place}`: where [`Line::place`] is in the form, in the page's words.
    pub text: Text,
    /// A field path of the project (`registries[0].endpoints[1]`, `auth[0]`) the page names by its label and
    /// place (`docker.io › endpoint 2`) where the text says `{place}`.
    pub place: Option<String>,
}

/// One group of releases as the box shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// `1.6–1.7`, `1.7.16–2.1` (see `lines::Group::label`).
    pub label: String,
    /// The normalised reference; `None` when the reference is invalid (`error` says why).
    pub reference: Option<String>,
    pub error: Option<Text>,
    pub lines: Vec<Line>,
    pub assumptions: Vec<Text>,
}

fn line(out: &mut Vec<Line>, kind: Kind, en: impl Into<String>, zh: impl Into<String>) {
    out.push(Line { kind, text: Text::new(en, zh), place: None });
}

pub fn show(g: &Group) -> Shown {
    let e = &g.explanation;
    let mut lines = Vec::new();
    if let Some(r) = &e.reference {
        let registry = crate::net::upstream_host(&r.registry);
        let (kind, en, zh) = match e.outcome.status {
            PullStatus::Possible => (Kind::Outcome, "", ""),
            _ => (Kind::Fails, "The pull fails: ", "拉取失败："),
        };
        line(&mut lines, kind, [en, &e.outcome.message.en].concat(), [zh, &e.outcome.message.zh].concat());
        lookup(&mut lines, e);
        let (en, zh) = if e.resolves_tag {
            ("Resolving the tag (manifest requests), in order", "解析标签（清单请求），按顺序")
        } else {
            ("Manifest by digest, in order", "按摘要请求清单，按顺序")
        };
        line(&mut lines, Kind::Resolve, en, zh);
        hosts(&mut lines, &e.resolve, &registry);
        line(&mut lines, Kind::Fetch, "Blobs may be fetched from, in order", "可提供 blob 的主机，按顺序");
        hosts(&mut lines, &e.fetch, &registry);
        if e.registry_contacted_last {
            line(&mut lines, Kind::Registry, "The registry itself is contacted last.", "镜像仓库本身最后被访问。");
        } else {
            line(&mut lines, Kind::Registry, "The registry itself is never contacted.", "镜像仓库本身不会被访问。");
        }
        lines.extend(e.notes.iter().map(|n| Line { kind: Kind::Note, text: n.clone(), place: None }));
    }
    Shown {
        label: g.label.clone(),
        reference: e.reference.as_ref().map(|r| r.normalized.clone()),
        error: e.error.clone(),
        lines,
        assumptions: e.assumptions.clone(),
    }
}

fn lookup(out: &mut Vec<Line>, e: &Explanation) {
    if let Some(c) = &e.certs_d {
        let dir = |zh: bool| {
            c.candidates
                .iter()
                .map(|d| {
                    let mark = match (d.chosen, d.in_bundle, d.read_by_release, zh) {
                        (true, _, _, false) => " (used)",
                        (true, _, _, true) => "（使用）",
                        (_, _, false, false) => " (not read by this release)",
                        (_, _, false, true) => "（此版本不读取）",
                        (_, true, _, false) => " (exists)",
                        (_, true, _, true) => "（存在）",
                        (_, _, _, false) => " (absent)",
                        (_, _, _, true) => "（不存在）",
                    };
                    format!("{}/{mark}", d.name)
                })
                .collect::<Vec<_>>()
                .join(" → ")
        };
        line(out, Kind::Lookup, format!("certs.d: {}", dir(false)), format!("certs.d：{}", dir(true)));
        out.push(Line { kind: Kind::Why, text: c.why.clone(), place: None });
    }
    if let Some(l) = &e.legacy {
        let key = l.key.as_deref().map_or_else(|| "-".to_string(), quote);
        line(out, Kind::Lookup, format!("registry.mirrors: {key}"), format!("registry.mirrors：{key}"));
        out.push(Line { kind: Kind::Why, text: l.why.clone(), place: None });
    }
}

fn role(h: &HostStep, registry: &str) -> (&'static str, &'static str) {
    match h.role {
        HostRole::Host => ("[host] table", "[host] 表"),
        HostRole::Server if h.host == registry => ("server (the registry itself)", "server（镜像仓库本身）"),
        HostRole::Server => ("server", "server"),
        HostRole::ImplicitServer => ("the registry itself (server omitted)", "镜像仓库本身（省略了 server）"),
        HostRole::Uncovered => ("the registry itself (not covered)", "镜像仓库本身（未被覆盖）"),
        HostRole::LegacyEndpoint => ("registry.mirrors endpoint", "registry.mirrors 端点"),
        HostRole::LegacyUpstream => ("the registry itself (always appended)", "镜像仓库本身（总是追加）"),
    }
}

fn hosts(out: &mut Vec<Line>, hosts: &[HostStep], registry: &str) {
    if hosts.is_empty() {
        line(out, Kind::NoHost, "No host.", "没有主机。");
    }
    for h in hosts {
        line(out, Kind::Host, h.request.clone(), h.request.clone());
        let (role_en, role_zh) = role(h, registry);
        let caps = h.capabilities.iter().map(|c| c.as_str()).collect::<Vec<_>>();
        let mut en = vec![role_en.to_string()];
        let mut zh = vec![role_zh.to_string()];
        if !h.origin.is_empty() {
            en.push("{place}".to_string());
            zh.push("{place}".to_string());
        }
        en.push(format!("capabilities: {}", caps.join(", ")));
        zh.push(format!("能力：{}", caps.join("、")));
        if let Some(ns) = &h.ns {
            en.push(format!("ns={ns}"));
            zh.push(format!("ns={ns}"));
        }
        out.push(Line { kind: Kind::Fact, text: Text::new(en.join(" · "), zh.join(" · ")), place: Some(h.origin.clone()).filter(|o| !o.is_empty()) });
        if h.http_fallback {
            line(out, Kind::Fact, "HTTPS first; on a TLS error the request is repeated over HTTP.", "先试 HTTPS，TLS 出错时改用 HTTP 重发。");
        }
        let mut tls: Vec<String> = h.tls.ca.iter().map(|c| format!("ca {c}")).collect();
        tls.extend(h.tls.client.iter().map(|c| format!("client {c}")));
        if h.tls.skip_verify {
            tls.push("skip_verify".to_string());
        }
        if !tls.is_empty() {
            let tls = tls.join(" · ");
            line(out, Kind::Fact, format!("TLS: {tls}"), format!("TLS：{tls}"));
        }
        for hd in &h.headers {
            line(out, Kind::Fact, format!("header {}: {}", hd.name, hd.values.join(", ")), format!("请求头 {}：{}", hd.name, hd.values.join("、")));
        }
        if let Some(c) = &h.credentials {
            out.push(Line {
                kind: Kind::Fact,
                text: Text::new(format!("credentials: {} ({{place}}): {}", c.entry, c.shown), format!("凭据：{}（{{place}}）：{}", c.entry, c.shown)),
                place: Some(c.origin.clone()),
            });
        }
        line(out, Kind::Fall, ["→ ", &h.on_failure.en].concat(), ["→ ", &h.on_failure.zh].concat());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::lines::{explain_spans, spans};

    #[test]
    fn every_line_is_in_both_languages_and_hosts_keep_their_order() {
        let p: crate::Project = serde_json::from_value(serde_json::json!({"target": {"min": "2.0.0", "max": "2.1.x"},
            "registries": [{"upstream": "docker.io", "upstream_reachable": false,
                "endpoints": [{"url": "https://a.example.com", "kind": "public_mirror"}, {"url": "https://b.example.com"}]}],
            "auth": [{"host": "b.example.com", "method": {"type": "basic", "username": "alice", "password": "pw-s3cr3t"}}]}))
        .unwrap();
        let g = explain_spans(&p, "nginx", &spans(&p.target));
        let s = show(&g[0]);
        assert_eq!(s.reference.as_deref(), Some("docker.io/library/nginx:latest"));
        let hosts: Vec<&str> = s.lines.iter().filter(|l| l.kind == Kind::Host).map(|l| l.text.en.as_str()).collect();
        assert_eq!(
            hosts,
            [
                "https://b.example.com/v2/library/nginx/manifests/latest?ns=docker.io",
                "https://registry-1.docker.io/v2/library/nginx/manifests/latest",
                "https://a.example.com/v2/library/nginx/blobs/<digest>?ns=docker.io",
                "https://b.example.com/v2/library/nginx/blobs/<digest>?ns=docker.io",
                "https://registry-1.docker.io/v2/library/nginx/blobs/<digest>"
            ]
        );
        assert!(s.lines.iter().any(|l| l.kind == Kind::Fact && l.text.en.contains("credentials: ") && l.text.en.contains("alice")));
        assert!(!s.lines.iter().any(|l| l.text.en.contains("s3cr3t") || l.text.zh.contains("s3cr3t")), "credentials are redacted");
        for l in &s.lines {
            assert!(!l.text.en.is_empty() && !l.text.zh.is_empty(), "{l:?}");
            if !matches!(l.kind, Kind::Host) {
                assert!(!l.text.zh.contains(": ") && !l.text.zh.contains(" ("), "full-width punctuation in Chinese: {l:?}");
            }
        }
    }

    #[test]
    fn kinds_are_read_back_by_name() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("other"), None);
    }
}
