//! Harbor proxy cache (spec §3).

use crate::zh::zh;
use crate::str_index::StrSet;

use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::net;
use crate::version::Feature;

use super::endpoints::{check_legacy_tls, check_tls, check_url};
use super::names::check_namespace_at;

fn valid_project(name: &str) -> bool {
    // Harbor project names: lower-case letters, digits and . _ - , starting with a letter or digit.
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 255
        && b[0].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"._-".contains(c))
}

pub fn check(p: &Project, out: &mut Vec<Diagnostic>) {
    let Some(h) = &p.harbor else { return };
    let parsed = check_url(&h.address, "harbor.address", out);
    if let Some(u) = &parsed {
        if !net::clean_path(&u.path).is_empty() {
            out.push(Diagnostic::error(
                "harbor.address",
                "HB1-address-path",
                "Give Harbor's address without a path (https://cr.example.com): the /v2/<project> part is added per mapping.",
                zh!("Harbor 地址不要带路径（例如 https://cr.example.com）：/v2/<项目> 会按映射自动添加。"),
            ));
        }
    }
    if h.mappings.is_empty() {
        out.push(Diagnostic::warning(
            "harbor.mappings",
            "HB2-no-mappings",
            "No upstream is mapped to a Harbor project yet, so Harbor is not used.",
            zh!("尚未把任何上游映射到 Harbor 项目，因此不会使用 Harbor。"),
        ));
    }
    match h.mode {
        HarborMode::Path if !p.target.all_support(Feature::OverridePath) && p.output == OutputStyle::HostsDir => {
            out.push(Diagnostic::error(
                "harbor.mode",
                "U8-override-path-version",
                format!("Path mode needs override_path (containerd {}). Use subdomain mode for older nodes.", Feature::OverridePath.since()),
                zh!("路径模式需要 override_path（containerd {}）。旧节点请使用子域名模式。", Feature::OverridePath.since()),
            ));
        }
        HarborMode::Subdomain => {
            let host = parsed.as_ref().map(|u| u.host_port.clone()).unwrap_or_else(|| "<harbor>".into());
            out.push(Diagnostic::info(
                "harbor.mode",
                "HB3-subdomain-ingress",
                format!("Subdomain mode needs Harbor's ingress to map each <project>.{host} to {host}/v2/<project>/… (a rewrite of /v2/… per subdomain) and a certificate covering *.{host}. Path mode needs nothing on the Harbor side."),
                zh!("子域名模式需要 Harbor 的入口把每个 <项目>.{host} 映射到 {host}/v2/<项目>/…（按子域名重写 /v2/…），并且证书需覆盖 *.{host}。路径模式无需 Harbor 侧任何改动。"),
            ));
        }
        _ => {}
    }
    let mut seen = StrSet::new();
    for (k, m) in h.mappings.iter().enumerate() {
        let mp = format!("harbor.mappings[{k}]");
        check_namespace_at(p, &m.upstream, &format!("{mp}.upstream"), out);
        let up = m.upstream.trim();
        if !seen.insert(up) {
            out.push(Diagnostic::error(
                format!("{mp}.upstream"),
                "HB4-duplicate-mapping",
                format!("{up} is mapped twice; keep one Harbor project per upstream."),
                zh!("{up} 被映射了两次；每个上游只保留一个 Harbor 项目。"),
            ));
        }
        let proj = m.project.trim();
        let ok = valid_project(proj) && (h.mode == HarborMode::Path || net::check_host_port(proj).is_ok() && !proj.contains('.'));
        if !ok {
            out.push(Diagnostic::error(
                format!("{mp}.project"),
                "HB5-project-name",
                if h.mode == HarborMode::Subdomain {
                    format!("\"{proj}\" cannot be a subdomain: use lower-case letters, digits and inner hyphens.")
                } else {
                    format!("\"{proj}\" is not a Harbor project name: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit.")
                },
                if h.mode == HarborMode::Subdomain {
                    zh!("\"{proj}\" 不能作为子域名：只能使用小写字母、数字和中间的连字符。")
                } else {
                    zh!("\"{proj}\" 不是合法的 Harbor 项目名：只能使用小写字母、数字、'.'、'_'、'-'，且以字母或数字开头。")
                },
            ));
        }
    }
    check_tls(&h.tls, "harbor.tls", parsed.as_ref(), p, out);
    if p.output == OutputStyle::Legacy {
        check_legacy_tls(p, &h.tls, "harbor.tls", out);
        if !h.fallback_to_upstream {
            out.push(Diagnostic::warning(
                "harbor.fallback_to_upstream",
                "L4-legacy-always-upstream",
                "Legacy mirrors always try the upstream last; no-fallback cannot be expressed. Use the hosts directory to forbid it.",
                zh!("旧式 mirrors 总会在最后尝试上游，无法表达“不回退”。如需禁止，请改用 hosts 目录。"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::*;
    use crate::validate::test_util::*;
    use crate::validate::validate;

    fn harbor(mode: HarborMode) -> Project {
        Project {
            harbor: Some(HarborProxy {
                address: "https://cr.example.com".into(),
                mode,
                mappings: vec![
                    HarborMapping { upstream: "docker.io".into(), project: "dockerhub".into() },
                    HarborMapping { upstream: "quay.io".into(), project: "quay".into() },
                ],
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn clean_harbor_projects_validate() {
        assert!(errors(&validate(&harbor(HarborMode::Path))).is_empty());
        let d = validate(&harbor(HarborMode::Subdomain));
        assert!(errors(&d).is_empty());
        find(&d, "HB3-subdomain-ingress", "harbor.mode");
    }

    #[test]
    fn bad_harbor_input() {
        let mut p = harbor(HarborMode::Subdomain);
        let h = p.harbor.as_mut().unwrap();
        h.address = "https://cr.example.com/v2".into();
        h.mappings[1].project = "Quay_Proj".into();
        h.mappings.push(HarborMapping { upstream: "docker.io".into(), project: "x".into() });
        let d = validate(&p);
        find(&d, "HB1-address-path", "harbor.address");
        find(&d, "HB5-project-name", "harbor.mappings[1].project");
        find(&d, "HB4-duplicate-mapping", "harbor.mappings[2].upstream");
    }

    #[test]
    fn path_mode_needs_1_6() {
        let mut p = harbor(HarborMode::Path);
        p.target.min = "1.5.0".parse().unwrap();
        find(&validate(&p), "U8-override-path-version", "harbor.mode");
    }
}
