//! Hosts-dir style: the `certs.d` directory containerd picks (`hostPaths`: `host_port_/`, `host:port/`,
//! `_default/`; the first that exists wins, nothing merges), then its hosts in file order and the root entry.

use super::steps::{self, read_capabilities, step, tls_use, Ctx, Raw};
use super::{CertsDirLookup, DirCandidate, HostRole, HostStep, Text};
use crate::net;
use crate::plan::{HostsDir, Plan, PlannedHost};
use crate::version::Feature;

/// `hostDirectory`: `host:port` → `host_port_`.
fn host_directory(host: &str) -> String {
    match host.rfind(':') {
        Some(i) if i > 0 => format!("{}_{}_", &host[..i], &host[i + 1..]),
        _ => host.to_string(),
    }
}

fn planned_step(h: &PlannedHost, role: HostRole, ctx: &Ctx, notes: &mut Vec<Text>) -> Option<HostStep> {
    let Ok(u) = net::parse_url(&h.url) else {
        notes.push(Text::new(
            format!("{} ({}) is not a valid URL; validation reports it and the bundle is not installable.", super::quote(&h.url), h.origin),
            format!("{}（{}）不是有效的 URL；校验会报告它，配置包不可安装。", super::quote(&h.url), h.origin),
        ));
        return None;
    };
    let override_path = h.override_path && ctx.has(Feature::OverridePath);
    if h.override_path && !override_path {
        notes.push(Text::new(
            format!("containerd {} ignores override_path ({}): /v2 is appended.", ctx.release, h.origin),
            format!("containerd {} 忽略 override_path（{}）：会追加 /v2。", ctx.release, h.origin),
        ));
    }
    Some(step(
        Raw {
            scheme: u.scheme.clone(),
            host: u.host_port.clone(),
            api_root: u.api_root(override_path),
            role,
            capabilities: read_capabilities(&h.capabilities, ctx),
            origin: h.origin.clone(),
            tls: tls_use(&h.ca, &h.client, h.skip_verify),
            headers: &h.headers,
        },
        ctx,
    ))
}

pub(super) fn hosts(plan: &Plan, ctx: &Ctx) -> (CertsDirLookup, Vec<HostStep>, Vec<Text>) {
    let registry = ctx.reference.registry.as_str();
    let find = |name: &str| -> Option<&HostsDir> { plan.dirs.iter().find(|d| d.namespace == name).map(|d| &**d) };
    let mut names = Vec::new();
    let alt = host_directory(registry);
    if alt != registry {
        names.push(alt);
    }
    names.push(registry.to_string());
    names.push("_default".to_string());
    let default_read = ctx.has(Feature::DefaultHostsDir);
    let mut chosen: Option<&HostsDir> = None;
    let mut candidates = Vec::new();
    for name in names {
        let read_by_release = name != "_default" || default_read;
        let dir = find(&name);
        let pick = chosen.is_none() && read_by_release && dir.is_some();
        if pick {
            chosen = dir;
        }
        candidates.push(DirCandidate { in_bundle: dir.is_some(), read_by_release, chosen: pick, name });
    }
    let mut notes = Vec::new();
    let mut out = Vec::new();
    let why = match chosen {
        None => {
            out.push(steps::implicit_upstream(ctx, HostRole::Uncovered, ""));
            let skipped_default = !default_read && find("_default").is_some();
            let (en_extra, zh_extra) = if skipped_default {
                (format!(" (containerd {} does not read _default: 1.6.17 / 1.7.0 and later only)", ctx.release), format!("（containerd {} 不读取 _default：仅 1.6.17 / 1.7.0 及以后版本）", ctx.release))
            } else {
                (String::new(), String::new())
            };
            Text::new(
                format!("No directory of the bundle covers {registry}{en_extra}: containerd goes straight to the registry itself."),
                format!("配置包中没有目录覆盖 {registry}{zh_extra}：containerd 直接访问镜像仓库本身。"),
            )
        }
        Some(d) => {
            let name = &d.namespace;
            let why = if name == "_default" {
                Text::new(
                    format!("No directory named after {registry} exists, so _default/ is used (the first existing directory wins; nothing merges)."),
                    format!("不存在以 {registry} 命名的目录，因此使用 _default/（第一个存在的目录生效；不合并）。"),
                )
            } else {
                Text::new(
                    format!("certs.d/{name}/ exists in the bundle and is the first of the directories containerd looks for (nothing merges with _default)."),
                    format!("配置包中有 certs.d/{name}/，它是 containerd 查找的目录中第一个存在的（不与 _default 合并）。"),
                )
            };
            for h in &d.hosts {
                out.extend(planned_step(h, HostRole::Host, ctx, &mut notes));
            }
            match &d.server {
                Some(s) => out.extend(planned_step(s, HostRole::Server, ctx, &mut notes)),
                None => out.push(steps::implicit_upstream(ctx, HostRole::ImplicitServer, &d.origin)),
            }
            why
        }
    };
    let lookup = CertsDirLookup { chosen: chosen.map(|d| d.namespace.clone()), candidates, why };
    (lookup, out, notes)
}
