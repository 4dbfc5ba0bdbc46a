//! k3s / RKE2 `registries.yaml` → project, by k3s's own rules (k3s-io/k3s `pkg/agent/containerd/config.go`:
//! `getHostConfigs`, `normalizeEndpointAddress`, `configForHost`; field names from rancher/wharfie
//! `pkg/registries`): a missing scheme is `https://` (`http://` for localhost on a port other than 443);
//! `docker.io` is contacted as `registry-1.docker.io`; a path other than "", "/" or "/v2" is used verbatim
//! (`override_path`); a repeated endpoint is skipped; a last endpoint equal to the registry's default is the
//! default (`server`), which k3s appends anyway unless started with `--disable-default-registry-endpoint`;
//! `configs` are looked up by the endpoint's host (`registry-1.docker.io` before `docker.io`); `mirrors."*"` is
//! `_default`. Every endpoint gets pull + resolve (k3s's hosts.toml template), the project's private mirror.

use super::tree::{self, Node};
use super::{auth_method, Assumptions, Reader};
use crate::diagnostics::Diagnostic;
use crate::merge::LineCol;
use crate::model::{CaCert, ClientCert, Endpoint, EndpointKind, Tls};
use crate::net;

const FORMAT: &str = crate::export::k3s::FORMAT;

/// An endpoint as k3s normalises it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct K3sEndpoint {
    /// The URL written into the project: without the `/v2` k3s adds itself.
    pub url: String,
    /// The URL k3s compares for duplicates and the default: with its `/v2`.
    pub key: String,
    /// The host `configs` are looked up by (`docker.io` for `registry-1.docker.io`).
    pub registry: String,
    /// The host[:port] containerd contacts.
    pub host: String,
    pub override_path: bool,
}

/// `normalizeEndpointAddress`: `None` where there is no host.
pub fn normalize(endpoint: &str) -> Option<K3sEndpoint> {
    let e = endpoint.trim();
    let (scheme, rest) = match e.split_once("://") {
        Some((s, r)) => (Some(s.to_string()), r),
        None => (None, e.trim_start_matches("//")),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return None;
    }
    let port = authority.rsplit_once(':').map(|(_, p)| p).filter(|p| p.bytes().all(|b| b.is_ascii_digit()) && !authority.ends_with(']'));
    let scheme = scheme.unwrap_or_else(|| {
        if net::is_localhost(authority) && port.is_some_and(|p| p != "443") {
            "http".to_string()
        } else {
            "https".to_string()
        }
    });
    let host = if authority == "docker.io" { "registry-1.docker.io".to_string() } else { authority.to_string() };
    let registry = if host == "registry-1.docker.io" { "docker.io".to_string() } else { authority.to_string() };
    let verbatim = !matches!(path, "" | "/" | "/v2");
    let base = format!("{scheme}://{host}");
    let (url, key) = if verbatim { (format!("{base}{path}"), format!("{base}{path}")) } else { (base.clone(), format!("{base}/v2")) };
    Some(K3sEndpoint { url, key, registry, host, override_path: verbatim })
}

pub(crate) fn read(r: &mut Reader, text: &str, assume: &Assumptions) {
    let docs = match tree::yaml(text) {
        Ok(d) => d,
        Err(e) => return r.syntax("YAML", &e),
    };
    let Some(doc) = docs.first() else { return };
    if docs.len() > 1 {
        r.say(docs[1].at, Diagnostic::warning("", "I32-unknown-field", format!("{FORMAT} is one YAML document: k3s reads the first one only, the others are ignored."), format!("{FORMAT} 只有一个 YAML 文档：k3s 只读取第一个，其余的会被忽略。")));
    }
    let Some(doc) = r.map(Some(doc), "registries.yaml") else { return };
    r.unknown_keys(doc, &["mirrors", "configs"], FORMAT);
    let configs = r.map(doc.field("configs"), "configs").cloned();
    let config_for = |registry: &str| -> Option<(String, LineCol, Node)> {
        let c = configs.as_ref()?;
        let find = |h: &str| c.entries().iter().find(|(k, _, _)| k == h).cloned();
        if registry == "docker.io" {
            find("registry-1.docker.io").or_else(|| find("docker.io"))
        } else {
            find(registry)
        }
    };
    let no_default = assume.no_default_endpoint.unwrap_or(false);
    let mut used_configs: Vec<String> = Vec::new();
    let mut empty_mirrors: Vec<(String, LineCol)> = Vec::new();

    if let Some(mirrors) = r.map(doc.field("mirrors"), "mirrors") {
        for (name, at, mirror) in mirrors.entries() {
            let upstream = if name == "*" { "_default".to_string() } else { name.clone() };
            let default = if name == "*" { None } else { normalize(name).map(|e| e.key) };
            let mirror_map = r.map(Some(mirror), name);
            if let Some(m) = mirror_map {
                r.unknown_keys(m, &["endpoint", "rewrite"], FORMAT);
            }
            let listed = r.strings(mirror_map.and_then(|m| m.field("endpoint")), "endpoint");
            let i = r.registry(&upstream, *at);
            if listed.is_empty() {
                empty_mirrors.push((name.clone(), *at));
            }
            let mut seen: Vec<String> = Vec::new();
            let mut endpoints: Vec<(K3sEndpoint, LineCol)> = Vec::new();
            let count = listed.len();
            for (k, (raw, eat)) in listed.into_iter().enumerate() {
                let Some(e) = normalize(&raw) else {
                    r.say(eat, Diagnostic::warning("", "I41-k3s-endpoint", format!("k3s ignores the endpoint {raw}: it names no host."), format!("k3s 会忽略端点 {raw}：它没有主机名。")));
                    continue;
                };
                if seen.contains(&e.key) {
                    r.say(eat, Diagnostic::info("", "I42-k3s-duplicate", format!("k3s skips {raw}: the same endpoint is listed before it."), format!("k3s 会跳过 {raw}：前面已列出同一端点。")));
                    continue;
                }
                seen.push(e.key.clone());
                if raw.trim() != e.url && !raw.contains("://") {
                    r.say(eat, Diagnostic::info("", "I43-k3s-scheme", format!("k3s contacts {raw} as {}.", e.url), format!("k3s 会以 {} 访问 {raw}。", e.url)));
                }
                let is_default = k + 1 == count && default.as_deref() == Some(e.key.as_str());
                if is_default && config_for(&e.registry).is_none_or(|(_, _, c)| c.field("tls").is_none()) {
                    // k3s makes it the default endpoint, which it appends anyway: the project's own fallback.
                    if no_default {
                        endpoints.push((e, eat));
                    } else {
                        r.say(eat, Diagnostic::info("", "I44-k3s-default-last", format!("{raw} is the registry itself: k3s tries it last as the default endpoint, as the project does."), format!("{raw} 就是仓库本身：k3s 把它作为默认端点最后尝试，与本项目相同。")));
                    }
                    continue;
                }
                endpoints.push((e, eat));
            }
            let rewrite = mirror_map.and_then(|m| m.get("rewrite"));
            let prefix = match rewrite {
                Some((rat, rw)) => rewrite_prefix(r, *rat, rw, endpoints.is_empty()),
                None => None,
            };
            for (e, eat) in endpoints {
                let j = r.w.project.registries[i].endpoints.len();
                let mut ep = Endpoint { url: e.url.clone(), kind: EndpointKind::PrivateMirror, override_path: e.override_path, ..Default::default() };
                if let Some(p) = &prefix {
                    if let Ok(u) = net::parse_url(&e.url) {
                        ep.url = format!("{}://{}{}/{p}", u.scheme, u.host_port, u.api_root(e.override_path));
                        ep.override_path = true;
                    }
                }
                if let Some((host, cat, c)) = config_for(&e.registry) {
                    if let Some(tls) = c.field("tls") {
                        ep.tls = read_tls(r, tls);
                        r.origin(format!("registries[{i}].endpoints[{j}].tls"), tls.at.or(cat));
                    }
                    if !used_configs.contains(&host) {
                        used_configs.push(host);
                    }
                }
                r.w.project.registries[i].endpoints.push(ep);
                r.origin(format!("registries[{i}].endpoints[{j}]"), eat);
            }
            // k3s leaves out a registry that ends up with no endpoints: containerd then pulls from it directly.
            if no_default && !r.w.project.registries[i].endpoints.is_empty() {
                r.w.project.registries[i].fallback_to_upstream = false;
            }
        }
    }
    for (name, at) in &empty_mirrors {
        let (en, zh) = match assume.embedded_registry {
            Some(true) => (
                format!("{name} has no endpoints: with --embedded-registry k3s asks the other nodes first (its embedded mirror), which the project does not carry; then the registry itself."),
                format!("{name} 没有端点：启用 --embedded-registry 时 k3s 先向其他节点（内置镜像）请求，本项目不包含这一点；然后访问仓库本身。"),
            ),
            Some(false) => (format!("{name} has no endpoints: pulls go to the registry itself."), format!("{name} 没有端点：拉取直接访问仓库本身。")),
            None => (
                format!("{name} has no endpoints: assumed that k3s runs without --embedded-registry, so pulls go to the registry itself (with it, the other nodes are asked first; if it is on, say so to be told what that changes: the page's checkbox, or the CLI's --embedded-registry yes)."),
                format!("{name} 没有端点：假定 k3s 未启用 --embedded-registry，拉取直接访问仓库本身（若启用，会先向其他节点请求；如已启用，请告知以查看影响：页面上的复选框，或 CLI 的 --embedded-registry yes）。"),
            ),
        };
        let sev = if assume.embedded_registry == Some(true) { Diagnostic::warning } else { Diagnostic::info };
        r.say(*at, sev("", "I45-k3s-embedded-registry", en, zh));
    }
    if assume.embedded_registry == Some(true) && empty_mirrors.len() < r.w.project.registries.len() {
        r.say(doc.at, Diagnostic::warning("", "I45-k3s-embedded-registry", "With --embedded-registry k3s puts its embedded mirror before every listed mirror's endpoints: the project does not carry it.", "启用 --embedded-registry 时，k3s 会把内置镜像放在每个镜像的端点之前：本项目不包含它。"));
    }
    match assume.no_default_endpoint {
        None if !r.w.project.registries.is_empty() => r.say(doc.at, Diagnostic::info("", "I46-k3s-default-endpoint", "Assumed that k3s runs without --disable-default-registry-endpoint: every registry falls back to itself after its endpoints. If it runs with it, say so (the page's checkbox, or the CLI's --disable-default-registry-endpoint yes).", "假定 k3s 未使用 --disable-default-registry-endpoint：每个仓库在其端点之后回退到仓库本身。如已使用，请告知（页面上的复选框，或 CLI 的 --disable-default-registry-endpoint yes）。")),
        Some(true) => r.say(doc.at, Diagnostic::info("", "I46-k3s-default-endpoint", "With --disable-default-registry-endpoint: no registry falls back to itself; the last endpoint is the last host tried.", "使用 --disable-default-registry-endpoint：各仓库不回退到仓库本身；最后一个端点是最后尝试的主机。")),
        _ => {}
    }

    // The rest of `configs`: credentials for the host contacted, TLS for the registry itself.
    let Some(configs) = configs else { return };
    for (host, at, c) in configs.entries() {
        let Some(c) = r.map(Some(c), host) else { continue };
        r.unknown_keys(c, &["auth", "tls"], FORMAT);
        if let Some(a) = r.map(c.field("auth"), "auth") {
            r.unknown_keys(a, &["username", "password", "auth", "identity_token"], FORMAT);
            if let Some(m) = auth_method(r, a, "identity_token", FORMAT) {
                let contacted = if host == "docker.io" { "registry-1.docker.io".to_string() } else { host.clone() };
                r.credential(&contacted, m, *at, FORMAT);
            }
        }
        if let Some(t) = r.map(c.field("tls"), "tls") {
            if used_configs.contains(host) {
                continue;
            }
            // k3s writes the registry's own hosts.toml with these settings for its default endpoint.
            let upstream = if host == "registry-1.docker.io" { "docker.io".to_string() } else { host.clone() };
            let upstream = if upstream == "*" { "_default".to_string() } else { upstream };
            let Some(e) = normalize(&upstream).filter(|_| upstream != "_default") else {
                r.say(t.at, Diagnostic::warning("", "I47-k3s-default-tls", "TLS settings for \"*\" apply to no host in containerd's files: left out.", "\"*\" 的 TLS 设置在 containerd 的文件中不作用于任何主机：未导入。"));
                continue;
            };
            let i = r.registry(&upstream, *at);
            let j = r.w.project.registries[i].endpoints.len();
            let tls = read_tls(r, t);
            r.w.project.registries[i].endpoints.push(Endpoint { url: e.url, kind: EndpointKind::PrivateMirror, tls, ..Default::default() });
            // The registry itself as the last host, with its settings (not once more without them).
            r.w.project.registries[i].fallback_to_upstream = false;
            r.origin(format!("registries[{i}].endpoints[{j}]"), *at);
            r.origin(format!("registries[{i}].endpoints[{j}].tls"), t.at);
        }
    }
}

fn read_tls(r: &mut Reader, t: &Node) -> Tls {
    r.unknown_keys(t, &["ca_file", "cert_file", "key_file", "insecure_skip_verify"], FORMAT);
    let mut tls = Tls::default();
    if let Some(ca) = r.string(t.field("ca_file"), "ca_file").filter(|s| !s.is_empty()) {
        tls.ca.push(CaCert::Path(ca));
    }
    let cert = r.string(t.field("cert_file"), "cert_file").filter(|s| !s.is_empty());
    let key = r.string(t.field("key_file"), "key_file").filter(|s| !s.is_empty());
    match (cert, key) {
        (Some(cert), Some(key)) => tls.client.push(ClientCert::Pair { cert, key }),
        (Some(_), None) | (None, Some(_)) => r.say(t.at, Diagnostic::warning("", "I48-k3s-client-half", "cert_file and key_file go together: containerd ignores one without the other, so it is left out.", "cert_file 与 key_file 必须同时给出：containerd 会忽略单独的一个，因此未导入。")),
        (None, None) => {}
    }
    tls.skip_verify = r.boolean(t.field("insecure_skip_verify"), "insecure_skip_verify").unwrap_or(false);
    tls
}

/// `rewrite` needs k3s's own containerd. A single rewrite that puts a fixed prefix before every repository
/// (`"^(.*)$": "prefix/$1"`) is exactly an endpoint whose path ends with that prefix (`override_path`): the
/// prefix, or `None` after reporting what is lost.
fn rewrite_prefix(r: &mut Reader, at: LineCol, rw: &Node, no_endpoints: bool) -> Option<String> {
    let rules = rw.entries();
    if rules.is_empty() {
        return None;
    }
    let exact = match rules {
        [(pattern, _, to)] if matches!(pattern.as_str(), "^(.*)$" | "^(.*)" | "(.*)") && !no_endpoints => to
            .text()
            .and_then(|t| t.strip_suffix("/$1").map(str::to_string))
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(&b)) && !p.starts_with('/') && !p.ends_with('/')),
        _ => None,
    };
    match exact {
        Some(p) => {
            r.say(at, Diagnostic::info("", "I40-k3s-rewrite", format!("rewrite needs k3s's own containerd; this one puts {p}/ before every repository, which is the same as each endpoint's path ending in /{p} with override_path: imported so."), format!("rewrite 需要 k3s 自带的 containerd；此规则在每个仓库名前加上 {p}/，等同于每个端点的路径以 /{p} 结尾并设置 override_path：已按此导入。")));
            Some(p)
        }
        None => {
            r.say(at, Diagnostic::warning("", "I40-k3s-rewrite", "rewrite has no equivalent in upstream containerd (only k3s's own containerd applies it): left out, so images are requested under their own names.", "rewrite 在上游 containerd 中没有对应设置（只有 k3s 自带的 containerd 支持）：未导入，镜像将按原名请求。"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_normalised_as_k3s_does() {
        let e = normalize("mirror.example.com").unwrap();
        assert_eq!((e.url.as_str(), e.override_path), ("https://mirror.example.com", false));
        assert_eq!(normalize("localhost:5000").unwrap().url, "http://localhost:5000");
        assert_eq!(normalize("localhost:443").unwrap().url, "https://localhost:443");
        let d = normalize("docker.io").unwrap();
        assert_eq!((d.url.as_str(), d.registry.as_str()), ("https://registry-1.docker.io", "docker.io"));
        let p = normalize("https://harbor.example.com/v2/dockerhub").unwrap();
        assert_eq!((p.url.as_str(), p.override_path), ("https://harbor.example.com/v2/dockerhub", true));
        assert!(!normalize("https://m.example.com/v2").unwrap().override_path);
        assert!(!normalize("https://m.example.com/").unwrap().override_path);
        assert!(normalize("https://").is_none());
    }
}
