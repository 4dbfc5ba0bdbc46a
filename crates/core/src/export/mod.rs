//! Exports of a project to the formats other tools turn into containerd's files: k3s / RKE2 `registries.yaml`
//! ([`k3s`]) and a Talos machine-config patch or Talos 1.12+ registry documents ([`talos`]).
//!
//! Both read the same [`Plan`] the bundle is written from (Harbor and the air-gap expanded, try order kept, the
//! `server` chosen), planned for containerd 2.x: k3s and Talos ship their own containerd, so the project's target
//! range does not apply. What a format cannot carry is a [`Diagnostic`] at the project field it comes from, in
//! both languages, next to the project's own errors (a project with errors exports as badly as it renders).

pub mod k3s;
pub mod talos;
pub(crate) mod yaml;

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{AuthMethod, Capability, ClientCert, Credential, OutputStyle, Project, Secret, Target};
use crate::net;
use crate::plan::{Plan, PlannedHost};
use crate::version::{DEFAULT_MAX_2X, DEFAULT_MIN_2X};

/// What to export to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// k3s / RKE2 `registries.yaml`.
    K3s,
    Talos(TalosForm),
}

/// Which of Talos's two registry configurations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TalosForm {
    /// `machine.registries` in a machine-config patch (Talos ≤ 1.11; the documents replace it from 1.12 on).
    MachineConfig,
    /// The `RegistryMirrorConfig`, `RegistryAuthConfig` and `RegistryTLSConfig` documents (Talos ≥ 1.12).
    Documents,
}

impl TalosForm {
    /// The form a Talos release reads: "1.11" (or "v1.11.5") → machine config, "1.12" and later → documents.
    pub fn for_version(version: &str) -> Option<TalosForm> {
        let v = version.trim().trim_start_matches('v');
        let mut parts = v.split('.');
        let major: u32 = parts.next()?.parse().ok()?;
        let minor: u32 = parts.next()?.parse().ok()?;
        if parts.any(|p| p.parse::<u32>().is_err()) {
            return None;
        }
        Some(if (major, minor) >= (1, 12) { TalosForm::Documents } else { TalosForm::MachineConfig })
    }
}

/// A file the format refers to by its path on the node (k3s's `ca_file`), to be copied there with the YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// Absolute path on the node.
    pub path: String,
    pub content: String,
    /// The project field it comes from.
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// The YAML itself (`registries.yaml`, the machine-config patch, or the Talos documents).
    pub yaml: String,
    /// Files the YAML names by path, to ship alongside it.
    pub files: Vec<ExportFile>,
    /// The project's errors, then what the format cannot carry.
    pub diagnostics: Vec<Diagnostic>,
}

impl Export {
    pub fn has_errors(&self) -> bool {
        crate::diagnostics::has_errors(&self.diagnostics)
    }
}

pub fn export(p: &Project, format: Format) -> Export {
    match format {
        Format::K3s => k3s::export(p),
        Format::Talos(form) => talos::export(p, form),
    }
}

/// The plan as k3s and Talos would have containerd read it: hosts-dir style (both write certs.d), on the 2.x
/// releases they ship (so the air-gap also fills `_default`).
pub(crate) fn export_plan(p: &Project) -> Plan {
    let mut q = p.clone();
    q.output = OutputStyle::HostsDir;
    q.target = Target { min: DEFAULT_MIN_2X, max: DEFAULT_MAX_2X };
    crate::plan::plan(&q)
}

/// One namespace's route: the mirrors both formats key by registry name.
pub(crate) struct Route<'a> {
    /// The name in the format: the namespace, `*` for `_default`.
    pub name: String,
    /// Where the registry (or Harbor mapping, or air-gap) is in the project.
    pub origin: &'a str,
    pub hosts: &'a [PlannedHost],
    /// The plan's last host (its TLS settings count even where it is the registry itself).
    pub server: Option<&'a PlannedHost>,
    /// Whether containerd ends with the registry itself, as both formats do unless told otherwise.
    pub falls_back: bool,
    /// A route of the registry itself only that still needs its own directory: a `_default` directory with
    /// hosts would apply to the namespace in its place, so the format must name it (see [`Route::own_dir`]).
    pub shadowed: bool,
}

impl<'a> Route<'a> {
    /// The last host when it is not the registry itself: written as the last endpoint.
    pub fn last(&self) -> Option<&'a PlannedHost> {
        self.server.filter(|_| !self.falls_back)
    }
    /// The endpoints the format lists, in try order.
    pub fn endpoints(&self) -> Vec<&'a PlannedHost> {
        self.hosts.iter().chain(self.last()).collect()
    }
    /// A route of nothing but the registry itself (its directory says "the registry itself", as no directory
    /// does) that the format must still write, because a `_default` with hosts would take its place: the URL the
    /// registry is contacted at, with the namespace's implicit-server rules (`None` for localhost, whose implicit
    /// server is https and then http without verification, which no URL says).
    pub fn own_dir(&self) -> Option<String> {
        (self.shadowed && self.endpoints().is_empty() && !net::is_localhost(&self.name)).then(|| net::upstream_url(&self.name))
    }
}

pub(crate) fn routes(plan: &Plan) -> Vec<Route<'_>> {
    // containerd reads `_default` for every namespace without a directory of its own: one that routes anywhere
    // but to the namespace itself makes a left-out registry route there too.
    let default_routes = plan.dirs.iter().any(|d| d.namespace == "_default" && (!d.hosts.is_empty() || d.server.is_some()));
    plan.dirs
        .iter()
        .map(|d| Route {
            name: if d.namespace == "_default" { "*".to_string() } else { d.namespace.clone() },
            origin: &d.origin,
            hosts: &d.hosts,
            server: d.server.as_ref(),
            // The plan writes the upstream out as `server` where that is unambiguous: the same as leaving it out,
            // unless it is an endpoint's, with capabilities other than containerd's default (a registry whose one
            // endpoint is the registry itself, without fallback).
            falls_back: match &d.server {
                None => true,
                Some(s) => {
                    d.namespace != "_default"
                        && net::normalize_url(&s.url) == net::upstream_url(&d.namespace)
                        && (s.capabilities.is_empty() || containerd_default(&s.capabilities))
                }
            },
            shadowed: default_routes && d.namespace != "_default" && d.hosts.is_empty(),
        })
        .collect()
}

/// A route [`Route::own_dir`] cannot write (localhost without endpoints, while a `_default` with hosts would take
/// its place): the format leaves it out, and containerd then routes it through `_default` (`X13`).
pub(crate) fn shadowed_without_url(routes: &[Route], format: &str, diags: &mut Vec<Diagnostic>) {
    for r in routes.iter().filter(|r| r.shadowed && r.endpoints().is_empty() && r.own_dir().is_none()) {
        let ns = &r.name;
        diags.push(Diagnostic::warning(
            r.origin,
            "X13-default-takes-over",
            format!("{format} has no form for {ns} without endpoints: containerd's own rules for localhost (https, then http without verification) are no endpoint URL. Left out, {ns} is routed through the \"*\" mirror's hosts instead; give it an endpoint to keep it apart."),
            format!("{format} 无法表达没有端点的 {ns}：containerd 对 localhost 的默认规则（先用 https，再用不校验证书的 http）不是任何端点 URL。未导出时，{ns} 会改走 \"*\" 镜像的主机；如需分开，请为它添加一个端点。"),
        ));
    }
}

/// The endpoints as the format writes them, each text once: a repeat of an earlier text (the same API root,
/// typed another way: `https://m.example.com` and `…/v2`) is left out and reported (`X15`), as the format would
/// drop it (k3s) or containerd would refuse two `[host]` tables of one name (Talos). The first is kept, except
/// that the route's last host stays last where it is the `server` (`keep_last`: a registry without fallback).
pub(crate) fn once_each<'a>(
    written: Vec<(&'a PlannedHost, String)>,
    keep_last: bool,
    format: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(&'a PlannedHost, String)> {
    let n = written.len();
    let keep: Vec<bool> = (0..n)
        .map(|k| {
            if keep_last && k + 1 == n {
                true
            } else if keep_last && written[k].1 == written[n - 1].1 {
                false // A copy of the server-to-be: the last one stays.
            } else {
                !(0..k).any(|j| written[j].1 == written[k].1)
            }
        })
        .collect();
    let mut out = Vec::new();
    for (k, (h, url)) in written.iter().enumerate() {
        if keep[k] {
            out.push((*h, url.clone()));
            continue;
        }
        let kept = (0..written.len()).find(|&j| j != k && keep[j] && written[j].1 == *url).map(|j| written[j].0.url.as_str()).unwrap_or("");
        diags.push(Diagnostic::info(
            h.origin.clone(),
            "X15-endpoint-once",
            format!("{format} lists {url} once: this endpoint has the API root of another one ({kept}), so containerd tries it once, not twice."),
            format!("{format} 只列出一次 {url}：此端点与另一个端点（{kept}）API 根路径相同，因此 containerd 只尝试一次，而不是两次。"),
        ));
    }
    out
}

/// Whether capabilities are containerd's default for a host that names none: pull, resolve and push.
pub(crate) fn containerd_default(caps: &[Capability]) -> bool {
    let has = |c: Capability| caps.contains(&c);
    has(Capability::Pull) && has(Capability::Resolve) && has(Capability::Push) && !has(Capability::Referrers)
}

/// `host_port` of a URL, or the URL itself where it does not parse (validation reports it).
pub(crate) fn host_of(url: &str) -> String {
    net::parse_url(url).map(|u| u.host_port).unwrap_or_else(|_| url.to_string())
}

/// The TLS field of a planned host's origin: an endpoint's own, Harbor's or the air-gap registry's.
pub(crate) fn tls_path(origin: &str) -> String {
    if origin.starts_with("harbor.") {
        "harbor.tls".to_string()
    } else if origin.starts_with("air_gap") {
        "air_gap.tls".to_string()
    } else {
        format!("{origin}.tls")
    }
}

/// A CA of a planned host: pasted PEM (the plan ships it) or a file already on the node.
pub(crate) enum Ca<'a> {
    Pem(&'a str),
    NodePath(&'a str),
}

/// The plan's shipped CAs by their node path.
pub(crate) fn shipped_pems(plan: &Plan) -> HashMap<String, &str> {
    plan.shipped.iter().map(|f| (format!("{}/{}", crate::paths::NODE_ETC, f.path), f.content.as_str())).collect()
}

pub(crate) fn cas<'a>(h: &'a PlannedHost, pems: &HashMap<String, &'a str>) -> Vec<(String, Ca<'a>)> {
    let tls = tls_path(&h.origin);
    h.ca.iter()
        .enumerate()
        .map(|(i, path)| {
            let field = format!("{tls}.ca[{i}]");
            match pems.get(path) {
                Some(pem) => (field, Ca::Pem(pem)),
                None => (field, Ca::NodePath(path.as_str())),
            }
        })
        .collect()
}

/// TLS settings as both formats key them: by endpoint host, the first host's settings for every later one.
pub(crate) struct HostTls<'a> {
    pub host: String,
    pub first: &'a PlannedHost,
    /// The later endpoints on the host with the same settings: what a format cannot carry of the settings is lost
    /// for them too, and is said at their own fields.
    pub same: Vec<&'a PlannedHost>,
}

/// Each host with TLS settings once, in try order; a later endpoint on the same host with different settings
/// is reported (`X8`), since the format has one TLS entry per host.
pub(crate) fn tls_by_host<'a>(routes: &[Route<'a>], format: &str, diags: &mut Vec<Diagnostic>) -> Vec<HostTls<'a>> {
    let mut out: Vec<HostTls> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in routes {
        // The registry itself as `server` counts only with settings of its own (a registry whose one endpoint is
        // the registry, with its CA); the implicit upstream says nothing about the host's TLS.
        let own_server = r.server.filter(|s| r.last().is_some() || has_tls(s));
        for h in r.hosts.iter().chain(own_server) {
            let has_tls = has_tls(h);
            let host = host_of(&h.url);
            match index.get(&host) {
                None if has_tls => {
                    index.insert(host.clone(), out.len());
                    out.push(HostTls { host, first: h, same: Vec::new() });
                }
                None => {
                    // A host without TLS settings first: later settings for it would apply to it as well.
                    index.insert(host.clone(), usize::MAX);
                }
                Some(&k) => {
                    let same = if k == usize::MAX {
                        !has_tls
                    } else {
                        let f = out[k].first;
                        f.ca == h.ca && f.client == h.client && f.skip_verify == h.skip_verify
                    };
                    if !same {
                        let first = if k == usize::MAX { None } else { Some(out[k].first.origin.clone()) };
                        diags.push(tls_conflict(&tls_path(&h.origin), &host, first.as_deref(), format));
                    } else if k != usize::MAX {
                        out[k].same.push(h);
                    }
                }
            }
        }
    }
    // A registry written as its own only endpoint ([`Route::own_dir`]) has no TLS settings: it gets those of
    // its host all the same.
    for r in routes {
        let Some(url) = r.own_dir() else { continue };
        let host = host_of(&url);
        if let Some(t) = out.iter().find(|t| t.host == host) {
            diags.push(tls_conflict(r.origin, &host, Some(&t.first.origin), format));
        }
    }
    out
}

fn has_tls(h: &PlannedHost) -> bool {
    !h.ca.is_empty() || !h.client.is_empty() || h.skip_verify
}

fn tls_conflict(path: &str, host: &str, first: Option<&str>, format: &str) -> Diagnostic {
    let (en_first, zh_first) = match first {
        Some(f) => (format!("those of {f}"), format!("{f} 的设置")),
        None => ("none (the first endpoint on it has none)".to_string(), "无设置（该主机的第一个端点没有 TLS 设置）".to_string()),
    };
    Diagnostic::warning(
        path,
        "X8-tls-per-host",
        format!("{format} keys TLS settings by host: {host} gets {en_first}, not these."),
        format!("{format} 按主机记录 TLS 设置：{host} 采用{zh_first}，而不是这里的设置。"),
    )
}

/// What every export reports: the project's errors, then the settings neither format has a place for.
pub(crate) fn common_diagnostics(p: &Project, routes: &[Route], format: &str) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> =
        crate::validate(p).into_iter().filter(|d| d.severity == Severity::Error).collect();
    shadowed_without_url(routes, format, &mut out);
    for r in routes {
        // The last host of a registry without fallback too: it is written as an endpoint (k3s) or the server
        // (Talos), neither with headers or a timeout. Its capabilities are X4's (k3s) and X12's (Talos) concern.
        for (n, h) in r.hosts.iter().chain(r.last()).enumerate() {
            if n < r.hosts.len() {
                capabilities(h, format, &mut out);
            }
            for (k, (name, _)) in h.headers.iter().enumerate() {
                out.push(Diagnostic::warning(
                    format!("{}.headers[{k}]", h.origin),
                    "X2-headers",
                    format!("{format} cannot send HTTP headers: {name} is left out."),
                    format!("{format} 无法发送 HTTP 请求头：{name} 未导出。"),
                ));
            }
            if let Some(t) = &h.dial_timeout {
                out.push(Diagnostic::warning(
                    format!("{}.dial_timeout", h.origin),
                    "X3-dial-timeout",
                    format!("{format} has no connect timeout: {t} is left out (containerd's default applies)."),
                    format!("{format} 没有连接超时设置：{t} 未导出（使用 containerd 的默认值）。"),
                ));
            }
        }
    }
    if p.daemon != crate::model::Daemon::default() {
        out.push(Diagnostic::warning(
            "daemon",
            "X10-not-carried",
            format!("{format} holds registry settings only: the daemon settings are left out (set them in the tool's own configuration)."),
            format!("{format} 只包含仓库设置：守护进程设置未导出（请在该工具自己的配置中设置）。"),
        ));
    }
    if p.sandbox_image.is_some() {
        out.push(Diagnostic::warning(
            "sandbox_image",
            "X10-not-carried",
            format!("{format} holds registry settings only: the sandbox image is left out (set it in the tool's own configuration)."),
            format!("{format} 只包含仓库设置：沙箱镜像未导出（请在该工具自己的配置中设置）。"),
        ));
    }
    out
}

/// Both formats give every mirror endpoint `capabilities = ["pull", "resolve"]` (k3s's hosts.toml template,
/// Talos's generated hosts.toml): a pull-only mirror is then trusted to resolve tags too.
fn capabilities(h: &PlannedHost, format: &str, out: &mut Vec<Diagnostic>) {
    if !h.origin.starts_with("registries[") {
        return; // Harbor projects and the air-gap registry are pull + resolve already.
    }
    let caps = &h.capabilities;
    let path = format!("{}.capabilities", h.origin);
    if !caps.contains(&Capability::Resolve) || !caps.contains(&Capability::Pull) {
        out.push(Diagnostic::warning(
            path,
            "X1-capabilities",
            format!("{format} makes every mirror pull + resolve: this endpoint becomes a full mirror and is trusted to answer which image a tag names."),
            format!("{format} 把每个镜像端点都设为 pull + resolve：此端点会成为完整镜像，由它解析标签对应的镜像。"),
        ));
    } else if caps.iter().any(|c| matches!(c, Capability::Push | Capability::Referrers)) {
        let extra: Vec<&str> =
            caps.iter().filter(|c| matches!(c, Capability::Push | Capability::Referrers)).map(|c| c.as_str()).collect();
        let extra = extra.join(", ");
        out.push(Diagnostic::info(
            path,
            "X1-capabilities",
            format!("{format} makes every mirror pull + resolve: {extra} is left out."),
            format!("{format} 把每个镜像端点都设为 pull + resolve：{extra} 未导出。"),
        ));
    }
}

/// A credential as the formats write it; a secret still naming an environment variable is left out (`X9`).
pub(crate) struct Cred {
    pub username: Option<String>,
    pub password: Option<String>,
    pub auth: Option<String>,
    pub identity_token: Option<String>,
}

pub(crate) fn credential(i: usize, c: &Credential, format: &str, diags: &mut Vec<Diagnostic>) -> Cred {
    let mut value = |field: &str, s: &Secret| match s {
        Secret::Literal(v) => Some(v.clone()),
        Secret::FromEnv(e) => {
            let var = &e.env;
            diags.push(Diagnostic::error(
                format!("auth[{i}].method.{field}"),
                "X9-secret-env",
                format!("{format} cannot read environment variables: {var} is not resolved here, so this secret is left out. Export with the CLI, which reads {var} from the environment."),
                format!("{format} 无法读取环境变量：此处无法解析 {var}，该密钥未导出。请使用命令行导出，它会从环境中读取 {var}。"),
            ));
            None
        }
    };
    match &c.method {
        AuthMethod::Basic { username, password, encode_as_auth } => {
            let pw = value("password", password);
            if *encode_as_auth {
                Cred { username: None, password: None, auth: pw.map(|p| crate::secrets::basic_auth(username, &p)), identity_token: None }
            } else {
                Cred { username: Some(username.clone()), password: pw, auth: None, identity_token: None }
            }
        }
        AuthMethod::Auth { auth } => Cred { username: None, password: None, auth: value("auth", auth), identity_token: None },
        AuthMethod::IdentityToken { token } => {
            Cred { username: None, password: None, auth: None, identity_token: value("token", token) }
        }
    }
}

/// The client certificate files of a host: (certificate, key) paths on the node.
pub(crate) fn client_files(c: &ClientCert) -> (&str, &str) {
    match c {
        ClientCert::Pair { cert, key } => (cert, key),
        // Go's LoadX509KeyPair finds the certificate and the key blocks in one combined PEM.
        ClientCert::Combined(p) => (p, p),
    }
}

/// Each diagnostic once (the air-gap's settings are reported for every namespace it fills otherwise).
pub(crate) fn dedup(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    diags.into_iter().filter(|d| seen.insert(d.clone())).collect()
}

#[cfg(test)]
mod tests;
