//! Talos → project: `machine.registries.mirrors.<name>` (`endpoints`, `overridePath` for every endpoint,
//! `skipFallback`) and `machine.registries.config.<host>` (`tls.insecureSkipVerify`, `tls.ca` base64-encoded PEM,
//! `tls.clientIdentity`, `auth.*`), and the Talos 1.12+ documents `RegistryMirrorConfig` (per-endpoint
//! `overridePath`), `RegistryAuthConfig` and `RegistryTLSConfig` (PEM as is), read by the same rules as the export
//! writes them (crates/core/src/export/talos.rs). Talos implements `skipFallback` by making the last endpoint
//! containerd's `server`: the project's `fallback_to_upstream = false`. TLS settings are keyed by host and apply to
//! every endpoint on that host.

use crate::base64::{self, Form};

use super::tree::{self, Node};
use super::{auth_method, Reader};
use crate::diagnostics::Diagnostic;
use crate::merge::LineCol;
use crate::model::{CaCert, Endpoint, EndpointKind, Tls};
use crate::net;

const FORMAT: &str = "Talos";

/// TLS settings of one host, applied to its endpoints once all mirrors are read.
struct HostTls {
    host: String,
    at: LineCol,
    tls: Tls,
}

pub(crate) fn read(r: &mut Reader, text: &str) {
    let docs = match tree::yaml(text) {
        Ok(d) => d,
        Err(e) => return r.syntax("YAML", &e),
    };
    let mut tls: Vec<HostTls> = Vec::new();
    for doc in &docs {
        if doc.is_null() {
            continue;
        }
        let kind = doc.field("kind").and_then(Node::text);
        match kind.as_deref() {
            Some("RegistryMirrorConfig") => mirror_document(r, doc),
            Some("RegistryAuthConfig") => auth_document(r, doc),
            Some("RegistryTLSConfig") => {
                r.unknown_keys(doc, &["apiVersion", "kind", "name", "ca", "insecureSkipVerify", "clientIdentity"], FORMAT);
                if let Some(host) = r.string(doc.field("name"), "name") {
                    let ca = r.string(doc.field("ca"), "ca").filter(|s| !s.trim().is_empty());
                    let t = host_tls(r, doc, &host, ca);
                    tls.push(HostTls { host, at: doc.at, tls: t });
                }
            }
            Some(_) => {} // Other Talos documents: not registry settings.
            None => machine_config(r, doc, &mut tls),
        }
    }
    apply_tls(r, tls);
}

fn machine_config(r: &mut Reader, doc: &Node, tls: &mut Vec<HostTls>) {
    let Some(machine) = r.map(doc.field("machine"), "machine") else { return };
    let Some(registries) = r.map(machine.field("registries"), "machine.registries") else { return };
    r.unknown_keys(registries, &["mirrors", "config"], FORMAT);
    if let Some(mirrors) = r.map(registries.field("mirrors"), "mirrors") {
        for (name, at, m) in mirrors.entries() {
            let Some(m) = r.map(Some(m), name) else { continue };
            r.unknown_keys(m, &["endpoints", "overridePath", "skipFallback"], FORMAT);
            let override_path = r.boolean(m.field("overridePath"), "overridePath").unwrap_or(false);
            let skip = r.boolean(m.field("skipFallback"), "skipFallback").unwrap_or(false);
            let endpoints: Vec<(String, LineCol, bool)> =
                r.strings(m.field("endpoints"), "endpoints").into_iter().map(|(u, a)| (u, a, override_path)).collect();
            add_mirror(r, name, *at, endpoints, skip);
        }
    }
    if let Some(config) = r.map(registries.field("config"), "config") {
        for (host, at, c) in config.entries() {
            let Some(c) = r.map(Some(c), host) else { continue };
            r.unknown_keys(c, &["tls", "auth"], FORMAT);
            if let Some(t) = r.map(c.field("tls"), "tls") {
                r.unknown_keys(t, &["insecureSkipVerify", "ca", "clientIdentity"], FORMAT);
                let ca = r.string(t.field("ca"), "ca").filter(|s| !s.trim().is_empty()).and_then(|b64| {
                    match base64::decode(b64.trim().as_bytes(), Form::Standard, true).ok().and_then(|b| String::from_utf8(b).ok()) {
                        Some(pem) => Some(pem),
                        None => {
                            let at = t.field("ca").and_then(|n| n.at);
                            r.say(at, Diagnostic::error("", "I50-talos-ca-base64", "tls.ca in the machine config is the PEM text base64-encoded: this is not base64 of text, so the CA is left out.", "机器配置中的 tls.ca 是经过 base64 编码的 PEM 文本：此值不是文本的 base64 编码，因此未导入该 CA。"));
                            None
                        }
                    }
                });
                let t = host_tls(r, t, host, ca);
                tls.push(HostTls { host: host.clone(), at: *at, tls: t });
            }
            if let Some(a) = r.map(c.field("auth"), "auth") {
                r.unknown_keys(a, &["username", "password", "auth", "identityToken"], FORMAT);
                if let Some(m) = auth_method(r, a, "identityToken", FORMAT) {
                    r.credential(host, m, *at, FORMAT);
                }
            }
        }
    }
}

fn mirror_document(r: &mut Reader, doc: &Node) {
    r.unknown_keys(doc, &["apiVersion", "kind", "name", "endpoints", "skipFallback"], FORMAT);
    let Some(name) = r.string(doc.field("name"), "name") else { return };
    let skip = r.boolean(doc.field("skipFallback"), "skipFallback").unwrap_or(false);
    let mut endpoints = Vec::new();
    if let Some(items) = doc.field("endpoints") {
        match items.items() {
            Some(items) => {
                for e in items {
                    let Some(e) = r.map(Some(e), "endpoints[]") else { continue };
                    r.unknown_keys(e, &["url", "overridePath"], FORMAT);
                    if let Some(url) = r.string(e.field("url"), "url") {
                        let o = r.boolean(e.field("overridePath"), "overridePath").unwrap_or(false);
                        endpoints.push((url, e.field("url").and_then(|n| n.at), o));
                    }
                }
            }
            None => r.wrong_type(items, "endpoints", "a list", "列表"),
        }
    }
    let at = doc.field("name").and_then(|n| n.at);
    add_mirror(r, &name, at, endpoints, skip);
}

fn auth_document(r: &mut Reader, doc: &Node) {
    r.unknown_keys(doc, &["apiVersion", "kind", "name", "username", "password", "auth", "identityToken"], FORMAT);
    let Some(host) = r.string(doc.field("name"), "name") else { return };
    if let Some(m) = auth_method(r, doc, "identityToken", FORMAT) {
        r.credential(&host, m, doc.field("name").and_then(|n| n.at), FORMAT);
    }
}

fn add_mirror(r: &mut Reader, name: &str, at: LineCol, endpoints: Vec<(String, LineCol, bool)>, skip_fallback: bool) {
    let upstream = if name == "*" { "_default" } else { name };
    let i = r.registry(upstream, at);
    for (url, eat, override_path) in endpoints {
        let j = r.w.project.registries[i].endpoints.len();
        r.w.project.registries[i].endpoints.push(Endpoint { url, kind: EndpointKind::PrivateMirror, override_path, ..Default::default() });
        r.origin(format!("registries[{i}].endpoints[{j}]"), eat);
    }
    if skip_fallback {
        r.w.project.registries[i].fallback_to_upstream = false;
    }
}

/// A host's TLS settings; its CA shipped as `<host>.crt` (`:`, `[`, `]` as `_`): one name per host, so that two
/// hosts of one registry with different CAs do not write one file.
fn host_tls(r: &mut Reader, t: &Node, host: &str, ca: Option<String>) -> Tls {
    let mut tls = Tls::default();
    if let Some(pem) = ca {
        let name: String = host.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect();
        tls.ca.push(CaCert::Pem { name, pem });
    }
    tls.skip_verify = r.boolean(t.field("insecureSkipVerify"), "insecureSkipVerify").unwrap_or(false);
    if let Some(ci) = t.get("clientIdentity") {
        r.say(*ci.0, Diagnostic::warning("", "I51-talos-client-identity", "The client certificate is given inline; the project names client certificate files on the node: left out (put the certificate and key into files and name them in the TLS settings).", "客户端证书以内联方式给出；本项目只引用节点上的客户端证书文件：未导入（请把证书和私钥存为文件，并在 TLS 设置中填写其路径）。"));
    }
    tls
}

/// Gives every endpoint on a host that host's TLS settings; settings for a host no endpoint is on belong to the
/// registry itself, as Talos writes them into its hosts.toml.
fn apply_tls(r: &mut Reader, tls: Vec<HostTls>) {
    for t in tls {
        if t.tls.is_empty() {
            continue;
        }
        let mut applied = false;
        for i in 0..r.w.project.registries.len() {
            for j in 0..r.w.project.registries[i].endpoints.len() {
                let url = r.w.project.registries[i].endpoints[j].url.clone();
                if net::parse_url(&url).is_ok_and(|u| u.host_port == t.host) {
                    r.w.project.registries[i].endpoints[j].tls = t.tls.clone();
                    r.origin(format!("registries[{i}].endpoints[{j}].tls"), t.at);
                    applied = true;
                }
            }
        }
        if !applied {
            if t.host == "*" {
                r.say(t.at, Diagnostic::warning("", "I52-talos-tls-no-host", "TLS settings for \"*\" apply to no host: left out.", "\"*\" 的 TLS 设置不作用于任何主机：未导入。"));
                continue;
            }
            let upstream = if t.host == "registry-1.docker.io" { "docker.io" } else { t.host.as_str() };
            let i = r.registry(upstream, t.at);
            let j = r.w.project.registries[i].endpoints.len();
            r.w.project.registries[i].endpoints.push(Endpoint { url: format!("https://{}", t.host), kind: EndpointKind::PrivateMirror, tls: t.tls, ..Default::default() });
            // The registry itself as the last host, with its settings (not once more without them).
            r.w.project.registries[i].fallback_to_upstream = false;
            r.origin(format!("registries[{i}].endpoints[{j}]"), t.at);
        }
    }
}
