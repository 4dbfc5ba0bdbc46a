//! Docker `daemon.json` → project: `registry-mirrors` and `insecure-registries`, the two registry settings
//! (docs.docker.com "dockerd" reference, "Registry mirror", "Test an insecure registry").
//!
//! What changes under containerd: Docker uses `registry-mirrors` for Docker Hub only and asks them for tags as well
//! as content; here they become docker.io endpoints with pull + resolve (a private mirror), which keeps both. Docker
//! then falls back to Docker Hub; so does the project, unless the nodes cannot reach it (`upstream_reachable`).
//! An insecure registry is one Docker reaches over HTTPS without verifying its certificate, and over plain HTTP
//! when HTTPS fails: containerd does one of the two, here `skip_verify` (use an `http://` endpoint for a registry
//! that speaks HTTP only). CIDR ranges have no equivalent.

use super::tree;
use super::{Assumptions, Reader};
use crate::diagnostics::Diagnostic;
use crate::model::{Endpoint, EndpointKind};
use crate::net;


pub(crate) fn read(r: &mut Reader, text: &str, assume: &Assumptions) {
    let doc = match tree::json(text) {
        Ok(d) => d,
        Err(e) => return r.syntax("JSON", &e),
    };
    let Some(doc) = r.map(Some(&doc), "daemon.json") else { return };
    let other: Vec<&str> = doc
        .entries()
        .iter()
        .map(|(k, _, _)| k.as_str())
        .filter(|k| !matches!(*k, "registry-mirrors" | "insecure-registries"))
        .collect();
    if !other.is_empty() {
        let list = other.join(", ");
        r.say(doc.at, Diagnostic::info("", "I60-docker-other-settings", format!("Only the registry settings are imported; {list} are Docker's own."), format!("只导入仓库设置；{list} 是 Docker 自己的设置。")));
    }
    let mirrors = r.strings(doc.field("registry-mirrors"), "registry-mirrors");
    let insecure = r.strings(doc.field("insecure-registries"), "insecure-registries");
    if !mirrors.is_empty() {
        let at = doc.get("registry-mirrors").and_then(|(a, _)| *a);
        let i = r.registry("docker.io", at);
        for (url, uat) in &mirrors {
            let url = url.trim().trim_end_matches('/').to_string();
            let j = r.w.project.registries[i].endpoints.len();
            r.w.project.registries[i].endpoints.push(Endpoint { url, kind: EndpointKind::PrivateMirror, ..Default::default() });
            r.origin(format!("registries[{i}].endpoints[{j}]"), *uat);
        }
        r.say(at, Diagnostic::info("", "I61-docker-mirrors", "Docker uses registry-mirrors for Docker Hub images only and asks them for tags too: they become docker.io endpoints with pull + resolve, so containerd does the same; images of other registries are not sent to them, as with Docker.", "Docker 只对 Docker Hub 镜像使用 registry-mirrors，并且也向它们解析标签：它们被导入为 docker.io 的 pull + resolve 端点，containerd 的行为相同；其他仓库的镜像不会发往这些镜像站，与 Docker 一致。"));
        match assume.upstream_reachable {
            Some(reachable) => r.w.project.registries[i].upstream_reachable = reachable,
            None => r.say(at, Diagnostic::info("", "I62-docker-upstream-assumed", "Assumed that the nodes reach Docker Hub themselves, as Docker falls back to it when a mirror fails. If they do not, say so (the page's checkbox, or the CLI's --upstream-reachable no): then the mirrors alone must answer.", "假定节点可以直接访问 Docker Hub，因为 Docker 在镜像站失败时会回退到它。如不能访问，请告知（页面上的复选框，或 CLI 的 --upstream-reachable no）：此时只能由镜像站应答。")),
        }
    }
    for (entry, at) in insecure {
        let e = entry.trim();
        if e.contains('/') && !e.contains("://") {
            r.say(at, Diagnostic::warning("", "I63-docker-insecure-cidr", format!("{e} is an address range: containerd has no per-range setting, so it is left out. Add the registries in it by name."), format!("{e} 是地址范围：containerd 没有按地址范围的设置，因此未导入。请按名称添加其中的仓库。")));
            continue;
        }
        let host = e.split_once("://").map(|(_, h)| h).unwrap_or(e).trim_end_matches('/').to_string();
        let url = format!("https://{host}");
        if net::parse_url(&url).is_err() {
            r.say(at, Diagnostic::warning("", "I63-docker-insecure-cidr", format!("{e} is not a registry host: left out."), format!("{e} 不是仓库主机：未导入。")));
            continue;
        }
        // A mirror on this host keeps its place; any other host is a registry of its own.
        let mut marked = false;
        for reg in r.w.project.registries.iter_mut() {
            for ep in reg.endpoints.iter_mut() {
                if net::parse_url(&ep.url).is_ok_and(|u| u.host_port == host) {
                    ep.tls.skip_verify = true;
                    marked = true;
                }
            }
        }
        if !marked {
            let upstream = if host == "registry-1.docker.io" { "docker.io".to_string() } else { host.clone() };
            let i = r.registry(&upstream, at);
            let j = r.w.project.registries[i].endpoints.len();
            let mut ep = Endpoint { url, kind: EndpointKind::PrivateRegistry, ..Default::default() };
            ep.tls.skip_verify = true;
            r.w.project.registries[i].endpoints.push(ep);
            // The registry itself as the last host, with its settings (not once more without them).
            r.w.project.registries[i].fallback_to_upstream = false;
            r.origin(format!("registries[{i}].endpoints[{j}]"), at);
        }
        r.say(at, Diagnostic::warning("", "I64-docker-insecure", format!("{host} is insecure: Docker tries HTTPS without checking the certificate, then plain HTTP. containerd does one of them: imported as HTTPS with skip_verify; if the registry speaks HTTP only, change the endpoint to http://{host}."), format!("{host} 被设为不安全：Docker 先尝试不校验证书的 HTTPS，再尝试明文 HTTP。containerd 只做其中一种：已导入为带 skip_verify 的 HTTPS；如果该仓库只支持 HTTP，请把端点改为 http://{host}。")));
    }
}
