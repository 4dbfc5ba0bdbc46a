//! The explanation as terminal text, in one language (the CLI's `explain`; the page can show the same lines).

use super::{Explanation, HostStep, PullStatus};
use crate::Lang;

fn caps(h: &HostStep) -> String {
    h.capabilities.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
}

/// `registry`: the host[:port] of the registry itself (a `server` that is it is named so).
fn host_lines(out: &mut Vec<String>, hosts: &[HostStep], registry: &str, lang: Lang) {
    let zh = lang == Lang::Zh;
    for (i, h) in hosts.iter().enumerate() {
        out.push(format!("  {}. {}", i + 1, h.request));
        let origin = if h.origin.is_empty() { String::new() } else { format!(" · {}", h.origin) };
        let role = match (h.role, zh) {
            (super::HostRole::Host, false) => "[host] table",
            (super::HostRole::Host, true) => "[host] 表",
            (super::HostRole::Server, false) if h.host == registry => "server (the registry itself)",
            (super::HostRole::Server, true) if h.host == registry => "server（镜像仓库本身）",
            (super::HostRole::Server, _) => "server",
            (super::HostRole::ImplicitServer, false) => "the registry itself (server omitted)",
            (super::HostRole::ImplicitServer, true) => "镜像仓库本身（省略了 server）",
            (super::HostRole::Uncovered, false) => "the registry itself (not covered)",
            (super::HostRole::Uncovered, true) => "镜像仓库本身（未被覆盖）",
            (super::HostRole::LegacyEndpoint, false) => "registry.mirrors endpoint",
            (super::HostRole::LegacyEndpoint, true) => "registry.mirrors 端点",
            (super::HostRole::LegacyUpstream, false) => "the registry itself (always appended)",
            (super::HostRole::LegacyUpstream, true) => "镜像仓库本身（总是追加）",
        };
        let cap_word = if zh { "能力：" } else { "capabilities: " };
        let ns = h.ns.as_ref().map(|n| format!(" · ns={n}")).unwrap_or_default();
        out.push(format!("     {role}{origin} · {cap_word}{}{ns}", caps(h)));
        if h.http_fallback {
            out.push(format!("     {}", if zh { "先试 HTTPS，TLS 出错时改用 HTTP 重发" } else { "HTTPS first; on a TLS error the request is repeated over HTTP" }));
        }
        if !h.tls.ca.is_empty() || !h.tls.client.is_empty() || h.tls.skip_verify {
            let mut parts = Vec::new();
            if !h.tls.ca.is_empty() {
                parts.push(format!("ca {}", h.tls.ca.join(", ")));
            }
            if !h.tls.client.is_empty() {
                parts.push(format!("client {}", h.tls.client.join(", ")));
            }
            if h.tls.skip_verify {
                parts.push("skip_verify".to_string());
            }
            out.push(format!("     TLS: {}", parts.join(" · ")));
        }
        for hd in &h.headers {
            out.push(format!("     {}{}: {}", if zh { "请求头：" } else { "header: " }, hd.name, hd.values.join(", ")));
        }
        if let Some(c) = &h.credentials {
            let (word, open, close) = if zh { ("凭据：", "（", "）") } else { ("credentials: ", " (", ") ") };
            out.push(format!("     {word}{}{open}{}{close}{}", c.entry, c.origin, c.shown));
        }
        out.push(format!("     → {}", h.on_failure.get(lang)));
    }
}

/// Lines for a terminal (no trailing newline).
pub fn render(e: &Explanation, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = Vec::new();
    let Some(r) = &e.reference else {
        return e.error.as_ref().map(|t| t.get(lang).to_string()).unwrap_or_default();
    };
    out.push(if zh {
        format!("镜像 {}（containerd {}）", r.normalized, e.release)
    } else {
        format!("image {} (containerd {})", r.normalized, e.release)
    });
    if let Some(c) = &e.certs_d {
        let list: Vec<String> = c
            .candidates
            .iter()
            .map(|d| {
                let mark = match (d.chosen, d.in_bundle, d.read_by_release) {
                    (true, _, _) => if zh { "使用" } else { "used" },
                    (_, _, false) => if zh { "此版本不读取" } else { "not read by this release" },
                    (_, true, _) => if zh { "存在" } else { "exists" },
                    _ => if zh { "不存在" } else { "absent" },
                };
                if zh { format!("{}/（{mark}）", d.name) } else { format!("{}/ ({mark})", d.name) }
            })
            .collect();
        out.push(format!("certs.d: {}", list.join(" → ")));
        out.push(format!("  {}", c.why.get(lang)));
    }
    if let Some(l) = &e.legacy {
        out.push(format!("registry.mirrors: {}", l.key.as_deref().unwrap_or("-")));
        out.push(format!("  {}", l.why.get(lang)));
    }
    out.push(String::new());
    out.push(if e.resolves_tag {
        (if zh { "解析标签（清单请求），按顺序：" } else { "Resolving the tag (manifest requests), in order:" }).to_string()
    } else {
        (if zh { "按摘要请求清单，按顺序：" } else { "Manifest by digest, in order:" }).to_string()
    });
    let registry = crate::net::upstream_host(&r.registry);
    host_lines(&mut out, &e.resolve, &registry, lang);
    out.push(String::new());
    out.push((if zh { "可提供 blob 的主机，按顺序：" } else { "Blobs may be fetched from, in order:" }).to_string());
    host_lines(&mut out, &e.fetch, &registry, lang);
    out.push(String::new());
    out.push(if e.registry_contacted_last {
        (if zh { "镜像仓库本身最后被访问。" } else { "The registry itself is contacted last." }).to_string()
    } else {
        (if zh { "镜像仓库本身不会被访问。" } else { "The registry itself is never contacted." }).to_string()
    });
    let mark = if e.outcome.status == PullStatus::Possible { "" } else if zh { "拉取失败：" } else { "PULL FAILS: " };
    out.push(format!("{mark}{}", e.outcome.message.get(lang)));
    for n in &e.notes {
        out.push(format!("{}{}", if zh { "注：" } else { "note: " }, n.get(lang)));
    }
    out.push(String::new());
    out.push((if zh { "前提：" } else { "Assumptions:" }).to_string());
    for a in &e.assumptions {
        out.push(format!("  - {}", a.get(lang)));
    }
    out.join("\n")
}
