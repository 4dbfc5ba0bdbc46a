//! One host as containerd uses it: request URL with the `ns` query, TLS, headers, credentials; where a
//! failure leads; the pull's outcome; the stated assumptions.

use super::{quote, CredentialUse, HeaderUse, HostRole, HostStep, ImageRef, Outcome, PullStatus, Text, TlsUse, REDACTED};
use crate::model::{AuthMethod, Capability, ClientCert, OutputStyle, Project, Secret};
use crate::net;
use crate::version::ContainerdVersion;

pub(super) struct Ctx<'a> {
    pub project: &'a Project,
    pub reference: &'a ImageRef,
    pub release: ContainerdVersion,
}

impl Ctx<'_> {
    /// Whether the release has the feature (a `x` release: its first patch).
    pub fn has(&self, f: crate::version::Feature) -> bool {
        let v = self.release;
        let t = crate::model::Target { min: v, max: v };
        t.all_support(f)
    }
}

/// Capabilities as containerd reads an entry: none written means pull, resolve and push (and referrers on
/// 2.2 and later).
pub(super) fn read_capabilities(written: &[Capability], ctx: &Ctx) -> Vec<Capability> {
    if written.is_empty() {
        let mut all = vec![Capability::Pull, Capability::Resolve, Capability::Push];
        if ctx.has(crate::version::Feature::ReferrersCapability) {
            all.push(Capability::Referrers);
        }
        all
    } else {
        written.to_vec()
    }
}

pub(super) struct Raw<'a> {
    pub scheme: String,
    pub host: String,
    pub api_root: String,
    pub role: HostRole,
    pub capabilities: Vec<Capability>,
    pub origin: String,
    pub tls: TlsUse,
    pub headers: &'a [(String, Vec<Secret>)],
}

pub(super) fn tls_use(ca: &[String], client: &[ClientCert], skip_verify: bool) -> TlsUse {
    TlsUse {
        ca: ca.to_vec(),
        client: client
            .iter()
            .map(|c| match c {
                ClientCert::Combined(p) => p.trim().to_string(),
                ClientCert::Pair { cert, key } => format!("{} + {}", cert.trim(), key.trim()),
            })
            .collect(),
        skip_verify,
    }
}

fn credentials(p: &Project, host: &str, config_version: u32) -> Option<CredentialUse> {
    let (i, c) = p.auth.iter().enumerate().find(|(_, c)| c.host.trim() == host)?;
    // The same table the render writes the credentials into.
    let [plugins, images] = crate::render::config_toml::PluginPaths::for_version(i64::from(config_version)).images;
    let plugin = format!("{plugins}.\"{images}\"");
    let shown = match &c.method {
        AuthMethod::Basic { username, .. } => format!("username {}, password {REDACTED}", quote(username)),
        AuthMethod::Auth { .. } => format!("auth {REDACTED}"),
        AuthMethod::IdentityToken { .. } => format!("identitytoken {REDACTED}"),
    };
    Some(CredentialUse { entry: format!("{plugin}.registry.configs.\"{host}\".auth"), origin: format!("auth[{i}]"), shown })
}

pub(super) fn step(raw: Raw, ctx: &Ctx) -> HostStep {
    let headers = raw
        .headers
        .iter()
        .map(|(name, values)| HeaderUse {
            name: name.clone(),
            values: values
                .iter()
                .map(|v| if crate::secrets::is_secret_header(name) { REDACTED.to_string() } else { crate::secrets::display_secret(v) })
                .collect(),
        })
        .collect();
    let (_, port) = net::split_host_port(&raw.host);
    let tls_set = !raw.tls.ca.is_empty() || !raw.tls.client.is_empty() || raw.tls.skip_verify;
    let http_fallback =
        raw.scheme == "http" && tls_set && port != Some("80") && ctx.has(crate::version::Feature::HttpsFirstForHttpWithTls);
    let scheme = if http_fallback { "https".to_string() } else { raw.scheme };
    let ns = registry_host_is_proxy(&ctx.reference.registry, &raw.host).then(|| ctx.reference.registry.clone());
    HostStep {
        credentials: credentials(ctx.project, &raw.host, ctx.project.target.config_version()),
        host: raw.host,
        scheme,
        http_fallback,
        api_root: raw.api_root,
        request: String::new(),
        ns,
        role: raw.role,
        capabilities: raw.capabilities,
        origin: raw.origin,
        tls: raw.tls,
        headers,
        on_failure: Text::new("", ""),
    }
}

/// `RegistryHost.isProxy`: the host is not the registry itself (Docker Hub served by registry-1.docker.io is).
fn registry_host_is_proxy(registry: &str, host: &str) -> bool {
    registry != host && !(registry == net::DOCKER_HUB && host == net::DOCKER_HUB_HOST)
}

/// `url.QueryEscape`: everything but `A-Za-z0-9-_.~` percent-encoded, space as `+`.
pub(super) fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The request URL, `on_failure` per position. `manifests`: the manifest request (by tag or digest); else a blob.
pub(super) fn finish(mut hosts: Vec<HostStep>, ctx: &Ctx, manifests: bool) -> Vec<HostStep> {
    let r = ctx.reference;
    let object = match (&r.tag, &r.digest) {
        (_, Some(d)) => d.clone(),
        (Some(t), None) => t.clone(),
        (None, None) => String::new(),
    };
    let (kind, object) = if manifests { ("manifests", object) } else { ("blobs", "<digest>".to_string()) };
    let n = hosts.len();
    for (i, h) in hosts.iter_mut().enumerate() {
        let path = net::clean_path(&format!("{}/{}/{kind}/{object}", h.api_root, r.repository));
        let query = h.ns.as_ref().map(|ns| format!("?ns={}", query_escape(ns))).unwrap_or_default();
        h.request = format!("{}://{}{path}{query}", h.scheme, h.host);
        h.on_failure = if i + 1 < n {
            if manifests {
                Text::new(
                    "a transport error, 404 or any other status ≥ 400 falls through to the next host; a 2xx answer is used (a redirect not followed stops the pull)",
                    "传输错误、404 或其他 ≥ 400 的状态码会转到下一个主机；2xx 应答即被采用（未被跟随的重定向会使拉取停止）",
                )
            } else {
                Text::new("an error falls through to the next host", "出错时转到下一个主机")
            }
        } else {
            Text::new("last host: its failure fails the pull", "最后一个主机：它失败则拉取失败")
        };
    }
    hosts
}

/// Whether `h` is the registry itself (or its `server`) of a registry whose nodes cannot reach it.
pub(super) fn is_unreachable(p: &Project, h: &HostStep) -> bool {
    if !matches!(h.role, HostRole::Server | HostRole::ImplicitServer) {
        return false;
    }
    let index = h.origin.strip_prefix("registries[").and_then(|rest| rest.split(']').next()).and_then(|i| i.parse::<usize>().ok());
    index.and_then(|i| p.registries.get(i)).is_some_and(|r| !r.upstream_reachable)
}

/// Says at each unreachable host that its requests fail; returns the host when there is one.
pub(super) fn mark_unreachable(p: &Project, hosts: &mut [HostStep]) -> Option<String> {
    let mut found = None;
    for h in hosts.iter_mut().filter(|h| is_unreachable(p, h)) {
        // No field path in the words: the host's own line already says which registry it is.
        h.on_failure = Text::new(
            "unreachable from the nodes, as the project says (\"can the nodes reach the registry itself\" is off): the request fails",
            "节点无法访问，项目中如此设置（“节点能否直接访问仓库本身”已关闭）：请求失败",
        );
        found = Some(h.host.clone());
    }
    found
}

/// The outcome over the hosts that can answer; `unreachable`: some host was left out because the nodes cannot
/// reach it.
pub(super) fn outcome(resolve: &[HostStep], fetch: &[HostStep], resolves_tag: bool, unreachable: bool) -> Outcome {
    if resolve.is_empty() && resolves_tag && unreachable {
        return Outcome {
            status: PullStatus::NoResolveHost,
            message: Text::new(
                "No reachable host may resolve the tag: the registry itself is the only one that may, and the nodes cannot reach it, so the pull fails. Let a mirror you trust resolve tags (capability \"resolve\"), or pull by digest.",
                "没有可访问的主机能解析该标签：只有镜像仓库本身可以解析，而节点无法访问它，因此拉取失败。请让一个您信任的镜像站解析标签（\"resolve\" 能力），或按摘要拉取。",
            ),
        };
    }
    if resolve.is_empty() && resolves_tag {
        return Outcome {
            status: PullStatus::NoResolveHost,
            message: Text::new(
                "No host may resolve the tag: containerd fails the pull with \"no resolve hosts: not found\". Give a host both the \"pull\" and \"resolve\" capabilities, or omit server so the registry itself resolves it.",
                "没有主机可以解析该标签：containerd 以 \"no resolve hosts: not found\" 使拉取失败。请给某个主机同时加上 \"pull\" 和 \"resolve\" 能力，或省略 server 让镜像仓库本身解析。",
            ),
        };
    }
    if fetch.is_empty() || resolve.is_empty() {
        return Outcome {
            status: PullStatus::NoPullHost,
            message: Text::new(
                "No host may serve content (none has the \"pull\" capability): the pull fails.",
                "没有主机可以提供内容（都没有 \"pull\" 能力）：拉取失败。",
            ),
        };
    }
    let first = &resolve[0];
    Outcome {
        status: PullStatus::Possible,
        message: Text::new(
            format!("The manifest is asked of {} first; blobs come from the first of {} host(s) that has them.", first.host, fetch.len()),
            format!("清单首先向 {} 请求；blob 来自 {} 个主机中第一个拥有它们的主机。", first.host, fetch.len()),
        ),
    }
}

pub(super) fn assumptions(style: OutputStyle) -> Vec<Text> {
    let first = match style {
        OutputStyle::HostsDir => Text::new(
            "/etc/containerd/certs.d holds only the bundle's directories (any other directory there changes the answer).",
            "/etc/containerd/certs.d 中只有配置包的目录（其中的其他目录会改变结论）。",
        ),
        OutputStyle::Legacy => Text::new(
            "The node's config.toml sets no config_path: the legacy mirrors are used only without it.",
            "节点的 config.toml 未设置 config_path：只有在没有它时才使用旧式 mirrors。",
        ),
    };
    let mut out = vec![
        first,
        Text::new(
            "The pull is made by the CRI plugin (kubelet, crictl): with the transfer service, or the local pull when the node's config.toml sets use_local_image_pull or has legacy mirrors / configs, which force it; credentials from the Pod's imagePullSecrets take precedence over configs.",
            "拉取由 CRI 插件发起（kubelet、crictl）：走 transfer 服务；若节点的 config.toml 设置了 use_local_image_pull 或含有旧式 mirrors / configs，则强制走本地拉取；Pod 的 imagePullSecrets 凭据优先于 configs。",
        ),
        Text::new(
            "ctr reads no config.toml registry settings: `ctr images pull --hosts-dir /etc/containerd/certs.d` with a fully qualified reference reads the same hosts.toml (but not configs credentials).",
            "ctr 不读取 config.toml 中的镜像仓库设置：`ctr images pull --hosts-dir /etc/containerd/certs.d` 加完整的镜像引用时读取同样的 hosts.toml（但不读 configs 凭据）。",
        ),
    ];
    if style == OutputStyle::Legacy {
        out.push(Text::new(
            "Legacy registry.mirrors are read only by the CRI plugin: ctr and nerdctl ignore them.",
            "旧式 registry.mirrors 只由 CRI 插件读取：ctr 和 nerdctl 会忽略它们。",
        ));
    }
    out
}

/// The registry's own entry as containerd fills it in when `server` is omitted (`ConfigureHosts`): Docker Hub
/// → registry-1.docker.io; localhost → https when the port is empty or 443, else http, and TLS verification
/// skipped unless the port is 80 (so HTTPS first on the releases that do that); anything else https.
pub(super) fn implicit_upstream(ctx: &Ctx, role: HostRole, origin: &str) -> HostStep {
    let registry = &ctx.reference.registry;
    let scheme = if net::is_localhost(registry) {
        let (_, port) = net::split_host_port(registry);
        // Before 1.6.32 / 1.7.16 / 2.0 (no HTTPS-first), always http.
        if matches!(port, None | Some("443")) && ctx.has(crate::version::Feature::HttpsFirstForHttpWithTls) { "https" } else { "http" }
    } else {
        "https"
    };
    let skip_verify = net::is_localhost(registry) && net::split_host_port(registry).1 != Some("80");
    step(
        Raw {
            scheme: scheme.to_string(),
            host: net::upstream_host(registry),
            api_root: "/v2".to_string(),
            role,
            capabilities: read_capabilities(&[], ctx),
            origin: origin.to_string(),
            tls: TlsUse { skip_verify, ..TlsUse::default() },
            headers: &[],
        },
        ctx,
    )
}
