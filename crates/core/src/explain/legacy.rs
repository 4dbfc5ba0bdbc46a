//! Legacy style: the CRI plugin's `registry.mirrors."<registry>"` (else `"*"`, never both) endpoints in order,
//! each with pull + resolve, then the registry itself unless an endpoint already is it (`image_pull.go`).

use super::steps::{self, step, tls_use, Ctx, Raw};
use super::{HostRole, HostStep, LegacyLookup, Text};
use crate::model::Capability;
use crate::net;
use crate::plan::Plan;
use crate::version::Feature;

pub(super) fn hosts(plan: &Plan, ctx: &Ctx) -> (LegacyLookup, Vec<HostStep>, Vec<Text>) {
    let registry = ctx.reference.registry.as_str();
    let mirror = plan.mirrors.iter().find(|m| m.namespace == registry).or_else(|| plan.mirrors.iter().find(|m| m.namespace == "*"));
    let mut notes = Vec::new();
    let mut out: Vec<HostStep> = Vec::new();
    let legacy_tls = ctx.has(Feature::LegacyTls);
    if let Some(m) = mirror {
        for e in &m.endpoints {
            let Ok(u) = net::parse_url(e) else {
                notes.push(Text::new(
                    format!("{} ({}) is not a valid URL; validation reports it.", super::quote(e), m.origin),
                    format!("{}（{}）不是有效的 URL；校验会报告它。", super::quote(e), m.origin),
                ));
                continue;
            };
            // The path is used verbatim; only an empty one becomes /v2.
            let api_root = if u.path.is_empty() { "/v2".to_string() } else { net::clean_path(&u.path) };
            let tls = plan
                .legacy_tls
                .iter()
                .find(|t| t.host == u.host_port && legacy_tls)
                .map(|t| {
                    let client: Vec<String> = match (&t.cert_file, &t.key_file) {
                        (Some(c), Some(k)) if c == k => vec![c.clone()],
                        (Some(c), Some(k)) => vec![format!("{c} + {k}")],
                        _ => Vec::new(),
                    };
                    super::TlsUse { ca: t.ca_file.iter().cloned().collect(), client, skip_verify: t.insecure_skip_verify }
                })
                .unwrap_or_else(|| tls_use(&[], &[], false));
            let mut h = step(
                Raw {
                    scheme: u.scheme.clone(),
                    host: u.host_port.clone(),
                    api_root,
                    role: HostRole::LegacyEndpoint,
                    capabilities: vec![Capability::Pull, Capability::Resolve],
                    origin: m.origin.clone(),
                    tls,
                    headers: &[],
                },
                ctx,
            );
            // HTTPS first for an http:// host with TLS settings is hosts.toml's (`ConfigureHosts`); the CRI
            // plugin's own mirrors client keeps the endpoint's scheme whatever configs.tls says.
            h.http_fallback = false;
            h.scheme = u.scheme.clone();
            out.push(h);
        }
    }
    if !legacy_tls && !plan.legacy_tls.is_empty() {
        notes.push(Text::new(
            format!("containerd {} does not read registry.configs.\"<host>\".tls (removed in 2.0): the TLS settings of the legacy mirrors are ignored.", ctx.release),
            format!("containerd {} 不读取 registry.configs.\"<host>\".tls（2.0 起已移除）：旧式镜像的 TLS 设置被忽略。", ctx.release),
        ));
    }
    // `registryEndpoints`: only an endpoint whose host is the namespace itself (not registry-1.docker.io for
    // docker.io) keeps the default from being appended; the default is http for localhost, else https.
    if !out.iter().any(|h| h.host == registry) {
        let mut up = steps::implicit_upstream(ctx, HostRole::LegacyUpstream, "");
        up.capabilities = vec![Capability::Pull, Capability::Resolve];
        if net::is_localhost(registry) {
            up.scheme = "http".to_string();
            up.http_fallback = false;
            up.tls.skip_verify = false;
        }
        out.push(up);
    }
    let why = match mirror {
        Some(m) if m.namespace == "*" => Text::new(
            format!("config.toml has no registry.mirrors.\"{registry}\", so registry.mirrors.\"*\" is used (no merging); the registry itself is always tried last."),
            format!("config.toml 中没有 registry.mirrors.\"{registry}\"，因此使用 registry.mirrors.\"*\"（不合并）；镜像仓库本身总是最后尝试。"),
        ),
        Some(_) => Text::new(
            format!("registry.mirrors.\"{registry}\" lists the endpoints in order; the registry itself is always tried last."),
            format!("registry.mirrors.\"{registry}\" 按顺序列出端点；镜像仓库本身总是最后尝试。"),
        ),
        None => Text::new(
            format!("No registry.mirrors entry covers {registry}: containerd goes straight to the registry itself."),
            format!("没有 registry.mirrors 条目覆盖 {registry}：containerd 直接访问镜像仓库本身。"),
        ),
    };
    (LegacyLookup { key: mirror.map(|m| m.namespace.clone()), why }, out, notes)
}
