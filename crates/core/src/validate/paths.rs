//! Every path the bundle writes fits a Linux file system (P1, P2): at most 255 bytes per path component
//! (NAME_MAX) and at most 4096 bytes for the installed path, `/etc/containerd/` included (PATH_MAX).
//!
//! Without this a long CA name passes every other rule, and the CLI (or install.sh on the node) fails half-way
//! with "File name too long". The check runs on the plan, so it covers every file the bundle will contain —
//! registry directories from upstreams, Harbor mappings and air-gap namespaces, `_default`, shipped CA files in
//! both output styles — and reports each too-long name at the field that makes it.

use crate::zh::zh;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{HarborMode, OutputStyle, Project};
use crate::plan::{self, Plan};

/// Longest file or directory name (bytes), as on ext4, xfs, btrfs and tmpfs.
pub const NAME_MAX: usize = 255;
/// Longest path the kernel takes in one system call, in bytes: Linux's PATH_MAX is 4096 with the terminating
/// NUL, so the text itself has at most 4095.
pub const MAX_PATH_BYTES: usize = 4095;
/// Where install.sh puts the bundle's files.
pub const INSTALL_ROOT: &str = "/etc/containerd/";

#[derive(Debug, Clone, PartialEq)]
pub enum PathProblem {
    /// Component number `index` (0-based, in the bundle path) is `len` bytes long.
    NameTooLong { index: usize, len: usize },
    /// The installed path is `len` bytes long.
    PathTooLong { len: usize },
}

/// What is wrong with `bundle_path` (relative to /etc/containerd) as a file on the node.
pub fn path_problems(bundle_path: &str) -> Vec<PathProblem> {
    let mut out: Vec<PathProblem> = bundle_path
        .split('/')
        .enumerate()
        .filter(|(_, c)| c.len() > NAME_MAX)
        .map(|(index, c)| PathProblem::NameTooLong { index, len: c.len() })
        .collect();
    let len = INSTALL_ROOT.len() + bundle_path.len();
    if len > MAX_PATH_BYTES {
        out.push(PathProblem::PathTooLong { len });
    }
    out
}

pub fn check(p: &Project, plan: &Plan, out: &mut Vec<Diagnostic>) {
    let mut found: Vec<Diagnostic> = Vec::new();
    for d in &plan.dirs {
        let path = format!("{}/hosts.toml", plan::dir_path(&d.namespace));
        // The field only when a problem is found: finding it scans the air-gap namespaces.
        report(&path, |_| namespace_field(p, &d.origin, &d.namespace), &mut found);
    }
    for s in &plan.shipped {
        let components: Vec<&str> = s.path.split('/').collect();
        let last = components.len() - 1;
        report(
            &s.path,
            |index| {
                if index == last {
                    format!("{}.name", ca_field(&s.origin))
                } else {
                    dir_field(p, plan, &s.origin, components[index])
                }
            },
            &mut found,
        );
    }
    // One message per field: another rule (N8 at 253 bytes) may already refuse the same name.
    if found.is_empty() {
        return;
    }
    let refused: crate::str_index::StrSet = out.iter().filter(|o| o.severity == Severity::Error).map(|o| o.path.as_str()).collect();
    let found: Vec<Diagnostic> = found.into_iter().filter(|d| !refused.contains(&d.path)).collect();
    out.extend(found);
}

fn report(bundle_path: &str, field_of: impl Fn(usize) -> String, out: &mut Vec<Diagnostic>) {
    let installed = format!("{INSTALL_ROOT}{bundle_path}");
    let components: Vec<&str> = bundle_path.split('/').collect();
    for problem in path_problems(bundle_path) {
        let d = match problem {
            PathProblem::NameTooLong { index, len } => Diagnostic::error(
                field_of(index),
                "P1-name-too-long",
                format!(
                    "\"{}\" would be a {len}-byte file or directory name in {installed}; file systems allow at most {NAME_MAX} bytes. Use a shorter name.",
                    components[index]
                ),
                zh!("\"{}\" 在 {installed} 中将是 {len} 字节的文件或目录名；文件系统最多允许 {NAME_MAX} 字节。请使用更短的名称。", components[index]),
            ),
            PathProblem::PathTooLong { len } => {
                let longest = (0..components.len()).max_by_key(|&i| components[i].len()).unwrap_or(0);
                Diagnostic::error(
                    field_of(longest),
                    "P2-path-too-long",
                    format!("{installed} would be {len} bytes long; Linux paths are at most {MAX_PATH_BYTES} bytes. Use shorter names."),
                    zh!("{installed} 将长达 {len} 字节；Linux 路径最多 {MAX_PATH_BYTES} 字节。请使用更短的名称。"),
                )
            }
        };
        if !out.iter().any(|o| o.code == d.code && o.path == d.path) {
            out.push(d);
        }
    }
}

/// The field a registry directory's name comes from.
fn namespace_field(p: &Project, origin: &str, namespace: &str) -> String {
    if origin == "air_gap" {
        return match p.air_gap.as_ref().and_then(|a| a.namespaces.iter().position(|n| n.trim() == namespace)) {
            Some(j) => format!("air_gap.namespaces[{j}]"),
            None => "air_gap.namespaces".to_string(),
        };
    }
    // `registries[i]` and `harbor.mappings[k]` both name their directory by `upstream`.
    format!("{origin}.upstream")
}

/// `…tls.ca[k]` as a field of the project: Harbor's and the air-gap's TLS settings are shared by every
/// directory made from them, and the plan labels them by the mapping / registry they were expanded for.
fn ca_field(origin: &str) -> String {
    match origin.find(".tls.ca[") {
        Some(at) if origin.starts_with("harbor.") => format!("harbor{}", &origin[at..]),
        Some(at) if origin.starts_with("air_gap") => format!("air_gap{}", &origin[at..]),
        _ => origin.to_string(),
    }
}

/// The field that names the directory a shipped CA file lands in: the registry directory (hosts-dir style) or,
/// in legacy style, the host of the endpoint's URL (`certs/<host:port>/`).
fn dir_field(p: &Project, plan: &Plan, ca_origin: &str, component: &str) -> String {
    if plan.style == OutputStyle::HostsDir {
        if let Some(d) = plan.dirs.iter().find(|d| d.namespace == component) {
            return namespace_field(p, &d.origin, &d.namespace);
        }
    }
    let source = ca_origin.find(".tls.ca[").map_or(ca_origin, |at| &ca_origin[..at]);
    if source.starts_with("harbor.") {
        let subdomain = p.harbor.as_ref().is_some_and(|h| h.mode == HarborMode::Subdomain);
        return if subdomain { format!("{source}.project") } else { "harbor.address".to_string() };
    }
    if source.starts_with("air_gap") {
        return "air_gap.registry".to_string();
    }
    format!("{source}.url")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::validate::test_util::*;
    use crate::validate::validate;

    fn pem_ca(name: &str) -> CaCert {
        CaCert::Pem { name: name.to_string(), pem: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pem/ca.crt")).to_string() }
    }

    fn with_ca(names: &[&str]) -> Project {
        Project {
            registries: vec![Registry {
                upstream: "docker.io".into(),
                endpoints: vec![Endpoint {
                    url: "https://m.test".into(),
                    tls: Tls { ca: names.iter().map(|n| pem_ca(n)).collect(), ..Default::default() },
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_ca_name_longer_than_a_file_name_is_an_error_at_its_field() {
        // 251 + ".crt" = 255 bytes: the longest name that fits.
        let ok = "a".repeat(251);
        assert!(errors(&validate(&with_ca(&["short", &ok]))).is_empty(), "{:?}", errors(&validate(&with_ca(&[&ok]))));
        let long = "b".repeat(252);
        let d = validate(&with_ca(&["short", &long]));
        let e = find(&d, "P1-name-too-long", "registries[0].endpoints[0].tls.ca[1].name");
        assert_eq!(e.severity, Severity::Error);
        assert!(e.message.en.contains("256-byte") && e.message.en.contains("/etc/containerd/certs.d/docker.io/"), "{}", e.message.en);
        assert!(e.message.zh.contains("256 字节"), "{}", e.message.zh);
        assert_eq!(errors(&d).len(), 1, "{:?}", errors(&d));
    }

    #[test]
    fn harbor_and_air_gap_cas_are_reported_at_their_shared_tls_field() {
        let long = "c".repeat(300);
        let p = Project {
            target: Target { min: "1.7.0".parse().unwrap(), max: "2.1.x".parse().unwrap() },
            harbor: Some(HarborProxy {
                address: "https://cr.test".into(),
                tls: Tls { ca: vec![pem_ca("ok"), pem_ca(&long)], ..Default::default() },
                mappings: vec![HarborMapping { upstream: "docker.io".into(), project: "hub".into() }],
                ..Default::default()
            }),
            air_gap: Some(AirGap {
                registry: "https://reg.internal:5000".into(),
                tls: Tls { ca: vec![pem_ca(&long)], ..Default::default() },
                namespaces: vec!["quay.io".into()],
                ..Default::default()
            }),
            ..Default::default()
        };
        let d = validate(&p);
        find(&d, "P1-name-too-long", "harbor.tls.ca[1].name");
        find(&d, "P1-name-too-long", "air_gap.tls.ca[0].name");
        // Shipped into several directories, reported once per field.
        assert_eq!(d.iter().filter(|x| x.code == "P1-name-too-long").count(), 2, "{:?}", errors(&d));
    }

    #[test]
    fn legacy_style_ca_files_are_bounded_too() {
        let mut p = with_ca(&[&"d".repeat(260)]);
        p.output = OutputStyle::Legacy;
        p.target = Target { min: "1.6.0".parse().unwrap(), max: "1.7.x".parse().unwrap() };
        let d = validate(&p);
        let e = find(&d, "P1-name-too-long", "registries[0].endpoints[0].tls.ca[0].name");
        assert!(e.message.en.contains("/etc/containerd/certs/m.test/"), "{}", e.message.en);
    }

    #[test]
    fn a_too_long_registry_name_gets_one_error() {
        // 260 bytes of valid labels: N8 already refuses it; P1 does not repeat it at the same field.
        let name = format!("{}.io", ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(63)].join("."));
        let p = Project { registries: vec![Registry { upstream: name, ..Default::default() }], ..Default::default() };
        let d = validate(&p);
        assert_eq!(errors(&d), vec![("N8-too-long", "registries[0].upstream".to_string())]);
    }

    #[test]
    fn path_problems_bounds_components_and_the_installed_path() {
        assert_eq!(path_problems("certs.d/docker.io/hosts.toml"), vec![]);
        assert_eq!(path_problems(&format!("certs.d/{}/x.crt", "a".repeat(256))), vec![PathProblem::NameTooLong { index: 1, len: 256 }]);
        assert_eq!(path_problems(&"a".repeat(255)), vec![]);
        // Components that each fit but add up past PATH_MAX (the installed path counts /etc/containerd/).
        let deep = vec!["a".repeat(255); 16].join("/");
        assert_eq!(deep.len(), 16 * 256 - 1);
        assert_eq!(path_problems(&deep), vec![PathProblem::PathTooLong { len: INSTALL_ROOT.len() + deep.len() }]);
        let fits = "a/".repeat((MAX_PATH_BYTES - INSTALL_ROOT.len()) / 2) + "a";
        assert!(INSTALL_ROOT.len() + fits.len() <= MAX_PATH_BYTES);
        assert_eq!(path_problems(&fits), vec![]);
        assert_eq!(path_problems(&format!("{fits}b")), vec![PathProblem::PathTooLong { len: MAX_PATH_BYTES + 1 }]);
    }
}
