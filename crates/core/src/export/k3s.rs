//! k3s / RKE2 `registries.yaml`: `mirrors.<name>.endpoint[]` (`"*"` for `_default`) and `configs.<host>` with
//! `auth` and `tls`.
//!
//! Written from: docs.k3s.io "Private Registry Configuration" and docs.rke2.io "Containerd Registry Configuration"
//! (the file's fields; the default endpoint is always tried last unless the node runs with
//! `--disable-default-registry-endpoint`); k3s-io/k3s `pkg/agent/containerd/config.go` (`getHostConfigs`,
//! `normalizeEndpointAddress`: an endpoint path other than "", "/" or "/v2" is used verbatim with
//! `override_path`, `configs` are looked up by the endpoint's host, a last endpoint equal to the default becomes
//! `server`) and `pkg/agent/templates` (every mirror endpoint is written with `capabilities = ["pull",
//! "resolve"]`); rancher/wharfie `pkg/registries` (the YAML field names: `identity_token`,
//! `insecure_skip_verify`).

use saphyr::Mapping;

use super::yaml::{boolean, child, emit, seq, string, Map};
use super::*;
use crate::diagnostics::Diagnostic;

/// How the format is named in its diagnostics.
pub const FORMAT: &str = "k3s/RKE2 registries.yaml";

/// Where pasted CA certificates go on the node: k3s reads `ca_file` by path. Not under k3s's own certs.d, which
/// k3s rewrites on every start.
pub const CA_DIR: &str = "/etc/rancher/registry-ca";

/// The `ca_file` path of a host's pasted CAs (all of them in one file: Go reads every certificate of a PEM file).
pub fn ca_file(host: &str) -> String {
    format!("{CA_DIR}/{host}/ca.crt")
}

pub fn export(p: &Project) -> Export {
    let plan = export_plan(p);
    let routes = routes(&plan);
    let mut diags = common_diagnostics(p, &routes, FORMAT);
    let pems = shipped_pems(&plan);

    let mut mirrors = Map::new();
    // Last endpoints that are the registry itself, written before the registry falls back to itself.
    let mut default_last: Vec<(&PlannedHost, String)> = Vec::new();
    for r in &routes {
        let written: Vec<(&PlannedHost, String)> = r.endpoints().into_iter().map(|h| (h, endpoint(h, &mut diags))).collect();
        let written = once_each(written, !r.falls_back, FORMAT, &mut diags);
        if let (Some((h, url)), true) = (written.last(), r.falls_back) {
            let key = |u: &str| crate::import::formats::k3s::normalize(u).map(|e| e.key);
            if r.name != "*" && key(url).is_some() && key(url) == key(&r.name) {
                default_last.push((h, url.clone()));
            }
        }
        let mut endpoints: Vec<_> = written.iter().map(|(_, u)| string(u)).collect();
        if let Some(url) = r.own_dir() {
            // The registry as its only endpoint: k3s takes a last endpoint equal to the registry for its default
            // endpoint and writes the namespace's directory with it alone.
            endpoints.push(string(&url));
        }
        if !r.falls_back {
            diags.push(no_fallback(r));
        }
        // A mirror without endpoints would mean "the embedded registry only" to a k3s running it; the
        // registry's own TLS and auth are in `configs`, which k3s applies to its default endpoint.
        if !endpoints.is_empty() {
            mirrors.insert(&r.name, Map::new().with("endpoint", seq(endpoints)).build());
        }
    }

    let mut configs = Mapping::new();
    let mut files: Vec<ExportFile> = Vec::new();
    for t in tls_by_host(&routes, FORMAT, &mut diags) {
        let mut tls = Map::new();
        let h = t.first;
        let cas = cas(h, &pems);
        let pasted: Vec<&str> = cas.iter().filter_map(|(_, c)| if let Ca::Pem(p) = c { Some(*p) } else { None }).collect();
        let mut ca_set = false;
        if !pasted.is_empty() {
            let path = ca_file(&t.host);
            let field = tls_path(&h.origin);
            diags.push(Diagnostic::info(
                field.clone(),
                "X0-ship-file",
                format!("{FORMAT} reads CA files by path: copy {path} (listed with the export) to every node."),
                format!("{FORMAT} 按路径读取 CA 文件：请把 {path}（随导出列出）复制到每个节点。"),
            ));
            files.push(ExportFile { path: path.clone(), content: pasted.concat(), origin: format!("{field}.ca") });
            tls.insert("ca_file", string(&path));
            ca_set = true;
        }
        for (field, c) in &cas {
            if let Ca::NodePath(path) = c {
                if ca_set {
                    diags.push(Diagnostic::warning(
                        field.clone(),
                        "X7-one-ca-file",
                        format!("{FORMAT} takes one ca_file per host: {path} is left out. Put its certificates into one file with the others."),
                        format!("{FORMAT} 每个主机只有一个 ca_file：{path} 未导出。请把其中的证书与其他证书合并到一个文件中。"),
                    ));
                } else {
                    tls.insert("ca_file", string(path));
                    ca_set = true;
                }
            }
        }
        for (i, c) in h.client.iter().enumerate() {
            if i == 0 {
                let (cert, key) = client_files(c);
                tls.insert("cert_file", string(cert));
                tls.insert("key_file", string(key));
            } else {
                diags.push(Diagnostic::warning(
                    format!("{}.client[{i}]", tls_path(&h.origin)),
                    "X6-client-cert",
                    format!("{FORMAT} takes one client certificate per host: this one is left out."),
                    format!("{FORMAT} 每个主机只有一个客户端证书：此证书未导出。"),
                ));
            }
        }
        if h.skip_verify {
            tls.insert("insecure_skip_verify", boolean(true));
        }
        child(&mut configs, &t.host).insert(string("tls"), tls.build());
    }
    for (i, c) in p.auth.iter().enumerate() {
        let cred = credential(i, c, FORMAT, &mut diags);
        let mut auth = Map::new();
        for (key, v) in [("username", cred.username), ("password", cred.password), ("auth", cred.auth), ("identity_token", cred.identity_token)] {
            if let Some(v) = v {
                auth.insert(key, string(&v));
            }
        }
        if !auth.is_empty() {
            // Keyed as the project keys it: the host containerd contacts (k3s also finds Docker Hub's
            // registry-1.docker.io for docker.io).
            child(&mut configs, c.host.trim()).insert(string("auth"), auth.build());
        }
    }

    for (h, url) in default_last {
        // k3s's rule, where no TLS settings keep the endpoint apart (`getHostConfigs`; the importer's too).
        if !configs.get(&string(&host_of(url.as_str()))).is_some_and(|c| c.as_mapping().is_some_and(|m| m.contains_key(&string("tls")))) {
            diags.push(Diagnostic::info(
                h.origin.clone(),
                "X14-k3s-default-once",
                format!("{FORMAT}: k3s takes a last endpoint equal to the registry itself for its default endpoint, so {url} is tried once, as the registry itself, not also as a mirror before it."),
                format!("{FORMAT}：k3s 把与仓库本身相同的最后一个端点当作默认端点，因此 {url} 只会作为仓库本身尝试一次，不会先作为镜像再尝试一次。"),
            ));
        }
    }

    let mut doc = Map::new().with("mirrors", mirrors.build());
    if !configs.is_empty() {
        doc.insert("configs", saphyr::Yaml::Mapping(configs));
    }
    Export { yaml: emit(&[doc.build()]), files, diagnostics: dedup(diags) }
}

/// An endpoint as k3s must be given it to contact the same API root: k3s appends `/v2` only to an empty, `/` or
/// `/v2` path and uses any other path verbatim (`override_path`), so a plain path prefix is written with its
/// `/v2` and a Harbor project path as it is.
fn endpoint(h: &PlannedHost, diags: &mut Vec<Diagnostic>) -> String {
    let Ok(u) = net::parse_url(&h.url) else { return h.url.clone() };
    let root = u.api_root(h.override_path);
    if root.is_empty() {
        diags.push(Diagnostic::warning(
            format!("{}.override_path", h.origin),
            "X11-root-api",
            format!("{FORMAT} cannot serve the API at the host's root: k3s requests {}://{}/v2/… instead.", u.scheme, u.host_port),
            format!("{FORMAT} 无法使用主机根路径作为 API 根：k3s 会改为请求 {}://{}/v2/…。", u.scheme, u.host_port),
        ));
    }
    if root.is_empty() || root == "/v2" {
        format!("{}://{}", u.scheme, u.host_port)
    } else {
        format!("{}://{}{}", u.scheme, u.host_port, root)
    }
}

/// k3s always appends the registry's default endpoint: a `server` other than the registry, or no fallback, needs
/// the node's `--disable-default-registry-endpoint`.
fn no_fallback(r: &Route) -> Diagnostic {
    let server = r.last().map(|s| s.origin.as_str()).unwrap_or("");
    let path = if server.ends_with(".server") {
        server.to_string()
    } else if r.origin.starts_with("harbor.") {
        "harbor.fallback_to_upstream".to_string()
    } else if r.origin.starts_with("air_gap") {
        "air_gap.fallback_to_upstream".to_string()
    } else {
        format!("{}.fallback_to_upstream", r.origin)
    };
    Diagnostic::warning(
        path,
        "X4-k3s-fallback",
        format!("{FORMAT} always tries the registry itself after the endpoints (the last one is written as an endpoint). Start k3s / RKE2 with --disable-default-registry-endpoint (k3s v1.26.13+, v1.27.10+, v1.28.6+, v1.29.1+) to stop that: the flag applies to every registry in the file."),
        format!("{FORMAT} 总会在这些端点之后再尝试仓库本身（最后一个主机作为普通端点写出）。如需避免，请以 --disable-default-registry-endpoint 启动 k3s / RKE2（k3s v1.26.13+、v1.27.10+、v1.28.6+、v1.29.1+）：该选项作用于文件中的所有仓库。"),
    )
}
