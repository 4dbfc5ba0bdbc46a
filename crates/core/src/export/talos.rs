//! Talos: a machine-config patch (`machine.registries.mirrors` / `.config`, Talos ≤ 1.11) or the Talos 1.12+
//! documents `RegistryMirrorConfig`, `RegistryAuthConfig` and `RegistryTLSConfig`.
//!
//! Written from: the Talos docs "Pull Through Image Cache" and the machine configuration reference
//! (`machine.registries`: `endpoints`, `overridePath` for all endpoints of a mirror, `skipFallback`;
//! `config.<host>.tls.ca` and `clientIdentity.crt/.key` base64-encoded, `auth.username/password/auth/
//! identityToken`), the v1.12 reference pages of the three documents, and siderolabs/talos
//! `pkg/machinery/config/types/cri/registry_{mirror,auth,tls}.go` (per-endpoint `overridePath`, PEM given as is,
//! `clientIdentity.cert/.key`; only one of username/password, auth, identityToken). Talos implements
//! `skipFallback` by making the last endpoint containerd's `server`, which is what the plan's `server` is.
//! Talos nodes have no files of ours: every certificate must be inline PEM.

use crate::base64::{self, Form};
use saphyr::{Mapping, Yaml};

use super::yaml::{boolean, child, emit, seq, string, Map};
use super::*;
use crate::diagnostics::Diagnostic;

/// How the forms are named in diagnostics: by their configuration keys, the same in both languages.
pub const FORMAT_PATCH: &str = "Talos machine.registries";
pub const FORMAT_DOCUMENTS: &str = "Talos Registry*Config";

pub fn format_name(form: TalosForm) -> &'static str {
    match form {
        TalosForm::MachineConfig => FORMAT_PATCH,
        TalosForm::Documents => FORMAT_DOCUMENTS,
    }
}

/// A host's TLS settings as Talos takes them: the pasted CAs as one PEM text.
struct TalosTls {
    host: String,
    ca: Option<String>,
    skip_verify: bool,
}

pub fn export(p: &Project, form: TalosForm) -> Export {
    let format = format_name(form);
    let plan = export_plan(p);
    let routes = routes(&plan);
    let mut diags = common_diagnostics(p, &routes, format);
    // `skipFallback` makes the last endpoint hosts.toml's `server`, written without capabilities: containerd's
    // default, pull + resolve + push (+ referrers from 2.2), whatever the endpoint had (the implicit upstream and an explicit `server`
    // have none, so they keep theirs).
    for last in routes.iter().filter_map(|r| r.last()) {
        if !last.capabilities.is_empty() && !containerd_default(&last.capabilities) {
            let caps: Vec<&str> = last.capabilities.iter().map(|c| c.as_str()).collect();
            let caps = caps.join(", ");
            let url = &last.url;
            // Resolve added makes a mirror answer which image a tag names (X1's warning); push alone is harmless.
            let severity = if last.capabilities.contains(&Capability::Resolve) { Diagnostic::info } else { Diagnostic::warning };
            diags.push(severity(
                format!("{}.capabilities", last.origin),
                "X12-server-capabilities",
                format!("{format} writes the last endpoint of a registry without fallback as containerd's server, with containerd's default capabilities (pull, resolve and push; from 2.2 also referrers): {url} gets those instead of {caps}."),
                format!("{format} 把不回退的仓库的最后一个端点写成 containerd 的 server，使用 containerd 的默认能力（pull、resolve 和 push；从 2.2 起还有 referrers）：{url} 会得到这些能力，而不是 {caps}。"),
            ));
        }
    }
    let pems = shipped_pems(&plan);

    let mut tls_list = Vec::new();
    for t in tls_by_host(&routes, format, &mut diags) {
        let h = t.first;
        let mut pasted = String::new();
        for (_, c) in cas(h, &pems) {
            if let Ca::Pem(pem) = c {
                pasted.push_str(pem);
            }
        }
        // The host's settings are the first endpoint's; a later one on the same host with the same settings loses
        // the same parts, each said at its own field.
        for e in std::iter::once(h).chain(t.same.iter().copied()) {
            not_inline(e, &pems, format, &mut diags);
        }
        tls_list.push(TalosTls { host: t.host, ca: (!pasted.is_empty()).then_some(pasted), skip_verify: h.skip_verify });
    }
    let creds: Vec<(String, Cred)> =
        p.auth.iter().enumerate().map(|(i, c)| (c.host.trim().to_string(), credential(i, c, format, &mut diags))).collect();

    let docs = match form {
        TalosForm::MachineConfig => vec![machine_config(&routes, &tls_list, &creds, &mut diags)],
        TalosForm::Documents => documents(&routes, &tls_list, &creds),
    };
    Export { yaml: emit(&docs), files: Vec::new(), diagnostics: dedup(diags) }
}

/// What Talos cannot take of an endpoint's TLS settings: CA files on the node (`X5`), client certificates (`X6`).
fn not_inline(h: &PlannedHost, pems: &HashMap<String, &str>, format: &str, diags: &mut Vec<Diagnostic>) {
    for (field, c) in cas(h, pems) {
        if let Ca::NodePath(path) = c {
            diags.push(Diagnostic::error(
                field,
                "X5-talos-inline-ca",
                format!("{format} takes CA certificates inline, not as files on the node: paste the PEM of {path} instead."),
                format!("{format} 只接受内联的 CA 证书，不能引用节点上的文件：请改为粘贴 {path} 的 PEM 内容。"),
            ));
        }
    }
    for i in 0..h.client.len() {
        diags.push(Diagnostic::error(
            format!("{}.client[{i}]", tls_path(&h.origin)),
            "X6-client-cert",
            format!("{format} takes the client certificate and key inline; the project names files on the node, which Talos cannot read. It is left out: add it to the Talos config by hand."),
            format!("{format} 只接受内联的客户端证书和私钥；项目中写的是节点上的文件路径，Talos 无法读取。已略去：请手动加入 Talos 配置。"),
        ));
    }
}

fn cred_fields(c: &Cred) -> Vec<(&'static str, &str)> {
    [("username", &c.username), ("password", &c.password), ("auth", &c.auth), ("identityToken", &c.identity_token)]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
}

/// `machine.registries`: one `overridePath` per mirror, so where any endpoint needs its path verbatim every
/// endpoint is written with its full API root (`https://m.example.com/v2` is what containerd derives from
/// `https://m.example.com` anyway).
fn machine_config(routes: &[Route], tls: &[TalosTls], creds: &[(String, Cred)], diags: &mut Vec<Diagnostic>) -> Yaml<'static> {
    let mut mirrors = Map::new();
    for r in routes {
        let all = r.endpoints();
        if all.is_empty() {
            // The registry itself only: its TLS and auth are in `config`; where its directory is needed, the
            // registry as its one endpoint without fallback, which Talos makes the `server`.
            if let Some(url) = r.own_dir() {
                mirrors.insert(&r.name, Map::new().with("endpoints", seq(vec![string(&url)])).with("skipFallback", boolean(true)).build());
            }
            continue;
        }
        let roots: Vec<Option<(String, String)>> = all
            .iter()
            .map(|h| net::parse_url(&h.url).ok().map(|u| (format!("{}://{}", u.scheme, u.host_port), u.api_root(h.override_path))))
            .collect();
        let override_path = roots.iter().any(|r| matches!(r, Some((_, root)) if root != "/v2"));
        let written = all
            .iter()
            .zip(&roots)
            .map(|(h, root)| match root {
                Some((base, root)) if override_path => (*h, format!("{base}{root}")),
                Some((base, _)) => (*h, base.clone()),
                None => (*h, h.url.clone()),
            })
            .collect();
        let endpoints = once_each(written, !r.falls_back, FORMAT_PATCH, diags).into_iter().map(|(_, u)| string(&u)).collect();
        let mut m = Map::new().with("endpoints", seq(endpoints));
        if override_path {
            m.insert("overridePath", boolean(true));
        }
        if !r.falls_back {
            m.insert("skipFallback", boolean(true));
        }
        mirrors.insert(&r.name, m.build());
    }
    let mut config = Mapping::new();
    for t in tls {
        let mut m = Map::new();
        if t.skip_verify {
            m.insert("insecureSkipVerify", boolean(true));
        }
        if let Some(ca) = &t.ca {
            // Base64Bytes in the v1alpha1 machine config: the PEM text, base64-encoded.
            m.insert("ca", string(&base64::encode(ca.as_bytes(), Form::Standard)));
        }
        if !m.is_empty() {
            child(&mut config, &t.host).insert(string("tls"), m.build());
        }
    }
    for (host, c) in creds {
        let fields = cred_fields(c);
        if !fields.is_empty() {
            let mut m = Map::new();
            for (k, v) in fields {
                m.insert(k, string(v));
            }
            child(&mut config, host).insert(string("auth"), m.build());
        }
    }
    let mut registries = Map::new().with("mirrors", mirrors.build());
    if !config.is_empty() {
        registries.insert("config", Yaml::Mapping(config));
    }
    Map::new().with("machine", Map::new().with("registries", registries.build()).build()).build()
}

fn document(kind: &str, name: &str) -> Map {
    Map::new().with("apiVersion", string("v1alpha1")).with("kind", string(kind)).with("name", string(name))
}

/// The Talos 1.12+ documents: one `RegistryMirrorConfig` per mirror (endpoints as planned, `overridePath` per
/// endpoint), one `RegistryTLSConfig` per host with TLS settings, one `RegistryAuthConfig` per credential.
fn documents(routes: &[Route], tls: &[TalosTls], creds: &[(String, Cred)]) -> Vec<Yaml<'static>> {
    let mut docs = Vec::new();
    for r in routes {
        let all = r.endpoints();
        if all.is_empty() {
            if let Some(url) = r.own_dir() {
                let endpoint = Map::new().with("url", string(&url)).build();
                docs.push(document("RegistryMirrorConfig", &r.name).with("endpoints", seq(vec![endpoint])).with("skipFallback", boolean(true)).build());
            }
            continue;
        }
        let endpoints = all
            .into_iter()
            .map(|h| {
                let mut e = Map::new().with("url", string(&h.url));
                if h.override_path {
                    e.insert("overridePath", boolean(true));
                }
                e.build()
            })
            .collect();
        let mut m = document("RegistryMirrorConfig", &r.name).with("endpoints", seq(endpoints));
        if !r.falls_back {
            m.insert("skipFallback", boolean(true));
        }
        docs.push(m.build());
    }
    for t in tls {
        let mut m = document("RegistryTLSConfig", &t.host);
        if let Some(ca) = &t.ca {
            m.insert("ca", string(ca));
        }
        if t.skip_verify {
            m.insert("insecureSkipVerify", boolean(true));
        }
        if m.contains("ca") || m.contains("insecureSkipVerify") {
            docs.push(m.build());
        }
    }
    for (host, c) in creds {
        let fields = cred_fields(c);
        if !fields.is_empty() {
            let mut m = document("RegistryAuthConfig", host);
            for (k, v) in fields {
                m.insert(k, string(v));
            }
            docs.push(m.build());
        }
    }
    docs
}
