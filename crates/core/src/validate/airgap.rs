//! Air-gap: everything to one private registry (spec §4), and the sandbox image pods need to start.

use crate::zh::zh;
use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::net;
use crate::version::Feature;

use super::endpoints::{check_legacy_tls, check_tls, check_url};
use super::names::check_namespace_at;

fn check_sandbox_image(p: &Project, out: &mut Vec<Diagnostic>) {
    let Some(img) = &p.sandbox_image else { return };
    let img = img.trim();
    // Credentials first, and alone: the S2 message would echo the password back.
    if net::image_userinfo_span(img).is_some() {
        out.push(Diagnostic::error(
            "sandbox_image",
            "S3-sandbox-image-userinfo",
            "An image reference cannot carry credentials (user:password@): containerd would read them as part of the name. Remove everything up to and including the @ and add the credentials in the Auth section, keyed by the registry's host.",
            zh!("镜像引用不能携带凭据（user:password@）：containerd 会把它们当作名称的一部分。请删除 @ 及其之前的凭据部分，并在“认证”部分按仓库主机填写凭据。"),
        ));
        return;
    }
    let bad = img.is_empty() || img.contains("://") || img.chars().any(char::is_whitespace) || img.starts_with('/') || img.ends_with(':');
    if bad {
        out.push(Diagnostic::error(
            "sandbox_image",
            "S2-sandbox-image",
            format!("\"{img}\" is not an image reference: write it as in `crictl pull`, e.g. registry.internal:5000/pause:3.9 (no https://)."),
            zh!("\"{img}\" 不是镜像引用：请按 `crictl pull` 的写法填写，例如 registry.internal:5000/pause:3.9（不带 https://）。"),
        ));
    }
}

pub fn check(p: &Project, out: &mut Vec<Diagnostic>) {
    check_sandbox_image(p, out);
    let Some(a) = &p.air_gap else { return };
    let parsed = check_url(&a.registry, "air_gap.registry", out);
    check_tls(&a.tls, "air_gap.tls", parsed.as_ref(), p, out);
    for (i, n) in a.namespaces.iter().enumerate() {
        check_namespace_at(p, n, &format!("air_gap.namespaces[{i}]"), out);
    }
    match p.output {
        OutputStyle::HostsDir => {
            if !p.target.all_support(Feature::DefaultHostsDir) && a.namespaces.is_empty() {
                out.push(Diagnostic::error(
                    "air_gap.namespaces",
                    "N6-air-gap-needs-namespaces",
                    format!("certs.d/_default needs containerd {}; {} includes releases that ignore it, so they would pull from the internet. List the registries to redirect (docker.io, gcr.io, k8s.gcr.io, quay.io, ghcr.io, registry.k8s.io).", Feature::DefaultHostsDir.since(), p.target.describe()),
                    zh!("certs.d/_default 需要 containerd {}；{} 中包含会忽略它的版本，这些节点会从互联网拉取。请列出要重定向的仓库（docker.io、gcr.io、k8s.gcr.io、quay.io、ghcr.io、registry.k8s.io）。", Feature::DefaultHostsDir.since(), p.target.describe()),
                ));
            }
            if !p.registries.is_empty() || p.harbor.as_ref().is_some_and(|h| !h.mappings.is_empty()) {
                out.push(Diagnostic::info(
                    "air_gap",
                    "A2-explicit-dirs-completed",
                    "Registries with their own directory replace _default instead of merging with it, so each of them also ends with the air-gap registry (instead of its upstream).",
                    zh!("拥有独立目录的仓库会取代 _default 而不是与之合并，因此这些仓库的最后一站同样设为离线仓库（而不是其上游）。"),
                ));
            }
        }
        OutputStyle::Legacy => {
            out.push(Diagnostic::warning(
                "air_gap",
                "A1-legacy-upstream-appended",
                "With legacy mirrors containerd always appends the real upstream as the last endpoint, so air-gapped nodes still try the internet (failed DNS lookups and confusing final errors). Use the hosts directory to cut it off.",
                zh!("使用旧式 mirrors 时，containerd 总会把真实上游追加为最后一个端点，因此离线节点仍会尝试访问互联网（DNS 失败、最终报错令人困惑）。如需彻底切断，请使用 hosts 目录。"),
            ));
            check_legacy_tls(p, &a.tls, "air_gap.tls", out);
        }
    }
    if p.sandbox_image.is_none() {
        out.push(Diagnostic::info(
            "sandbox_image",
            "A3-sandbox-image",
            "Pods start from the sandbox (pause) image, by default registry.k8s.io/pause. In an air-gap it is pulled from your registry as the repository \"pause\": import it there, or set the sandbox image to one your registry serves.",
            zh!("Pod 启动需要 sandbox（pause）镜像，默认是 registry.k8s.io/pause。离线环境下它会以仓库名 \"pause\" 从你的仓库拉取：请预先导入，或把 sandbox 镜像设为你的仓库中已有的镜像。"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::model::*;
    use crate::validate::test_util::*;
    use crate::validate::validate;

    fn air(min: &str) -> Project {
        Project {
            target: Target { min: min.parse().unwrap(), max: "1.7.x".parse().unwrap() },
            air_gap: Some(AirGap { registry: "https://registry.internal:5000".into(), ..Default::default() }),
            ..Default::default()
        }
    }

    #[test]
    fn air_gap_on_old_1_6_needs_namespaces() {
        find(&validate(&air("1.6.10")), "N6-air-gap-needs-namespaces", "air_gap.namespaces");
        let mut p = air("1.6.10");
        p.air_gap.as_mut().unwrap().namespaces = SEED_AIR_GAP_NAMESPACES.iter().map(|s| s.to_string()).collect();
        assert!(errors(&validate(&p)).is_empty());
        assert!(errors(&validate(&air("1.6.17"))).is_empty());
    }

    #[test]
    fn legacy_air_gap_warns_about_the_appended_upstream() {
        let mut p = air("1.6.20");
        p.output = OutputStyle::Legacy;
        find(&validate(&p), "A1-legacy-upstream-appended", "air_gap");
    }

    #[test]
    fn sandbox_image_form() {
        let mut p = air("1.6.20");
        find(&validate(&p), "A3-sandbox-image", "sandbox_image");
        p.sandbox_image = Some("https://registry.internal:5000/pause:3.9".into());
        find(&validate(&p), "S2-sandbox-image", "sandbox_image");
        p.sandbox_image = Some("registry.internal:5000/pause:3.9".into());
        assert!(errors(&validate(&p)).is_empty());
        p.sandbox_image = Some(format!("registry.internal:5000/pause@sha256:{}", "0".repeat(64)));
        assert!(errors(&validate(&p)).is_empty());
    }

    #[test]
    fn credentials_in_the_sandbox_image_or_air_gap_registry_are_refused() {
        let mut p = air("1.6.20");
        p.sandbox_image = Some("robot:PW@registry.internal:5000/pause:3.9".into());
        let d = validate(&p);
        let e = find(&d, "S3-sandbox-image-userinfo", "sandbox_image");
        assert!(!e.message.en.contains("PW") && !e.message.zh.contains("PW"));
        assert!(!codes(&d).contains(&"S2-sandbox-image"));
        for registry in ["https://robot:PW@registry.internal:5000", "robot:PW@registry.internal:5000", "https://robot:P/W@registry.internal:5000"] {
            p.air_gap.as_mut().unwrap().registry = registry.into();
            find(&validate(&p), "U3-userinfo", "air_gap.registry");
        }
    }
}
