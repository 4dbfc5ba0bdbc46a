//! Registry names (spec §7.1 N1–N8). A name becomes a directory under certs.d, so it can never hold `..`, `/`,
//! `\` or NUL.

use crate::zh::zh;
use crate::str_index::StrMap;

use crate::diagnostics::{Diagnostic, Message};
use crate::model::{OutputStyle, Project};
use crate::net::{self, NameError};
use crate::version::Feature;

/// The message for a bad registry name, in both languages.
pub fn name_error_message(name: &str, e: &NameError) -> Message {
    match e {
        NameError::Empty => Message::new("Enter the registry host, e.g. docker.io or registry.example.com:5000.", zh!("请输入镜像仓库主机名，例如 docker.io 或 registry.example.com:5000。")),
        NameError::Forbidden(c) => {
            let shown = match c {
                '\0' => "NUL".to_string(),
                c if c.is_whitespace() => "a space".to_string(),
                c => format!("'{c}'"),
            };
            let zh_shown = if c.is_whitespace() { zh!("空白字符").to_string() } else { shown.clone() };
            Message::new(
                format!("\"{name}\" contains {shown}: write only the host[:port] as in image names (no scheme, no path)."),
                zh!("\"{name}\" 含有 {zh_shown}：只填写镜像名中的 <主机>[:<端口>]（不带协议、不带路径）。"),
            )
        }
        NameError::DotDot => Message::new(
            format!("\"{name}\" contains \"..\": not a host name (and it would point outside certs.d)."),
            zh!("\"{name}\" 含有 \"..\"：不是合法主机名（且会指向 certs.d 之外）。"),
        ),
        NameError::HasScheme => Message::new(
            format!("\"{name}\" has a scheme: write only the host[:port]."),
            zh!("\"{name}\" 带有协议前缀：只填写 <主机>[:<端口>]。"),
        ),
        NameError::BadLabel(l) => Message::new(
            format!("\"{l}\" in \"{name}\" is not a valid host name part (letters, digits and inner hyphens only; no underscores)."),
            zh!("\"{name}\" 中的 \"{l}\" 不是合法的主机名片段（只能包含字母、数字和中间的连字符，不能有下划线）。"),
        ),
        NameError::BadIpv6 => Message::new(
            format!("\"{name}\": an IPv6 address must be in brackets, e.g. [fd00::1]:5000."),
            zh!("\"{name}\"：IPv6 地址必须用方括号括起来，例如 [fd00::1]:5000。"),
        ),
        NameError::BadPort(p) => Message::new(
            format!("Port \"{p}\" in \"{name}\" must be a number from 1 to 65535."),
            zh!("\"{name}\" 中的端口 \"{p}\" 必须是 1–65535 之间的数字。"),
        ),
        NameError::NotARegistry => Message::new(
            format!("\"{name}\" has no dot and no port, so in an image name it is read as a Docker Hub user, not a registry. Add the domain or the port (or use localhost)."),
            zh!("\"{name}\" 既没有点号也没有端口，在镜像名中会被当作 Docker Hub 用户名而不是仓库。请补全域名或端口（或使用 localhost）。"),
        ),
        // Only a name that passed the host grammar (ASCII letters, digits, `-`, `.`, `[`, `:`, `]`) is reported as
        // upper case, so ASCII lower-casing is exact; str::to_lowercase would bring Unicode tables into the page.
        NameError::UpperCase => Message::new(
            format!("\"{name}\" has upper-case letters; image names use lower case and the certs.d lookup is case-sensitive. Write \"{}\".", name.to_ascii_lowercase()),
            zh!("\"{name}\" 含有大写字母；镜像名使用小写，且 certs.d 目录匹配区分大小写。请写成 \"{}\"。", name.to_ascii_lowercase()),
        ),
        NameError::TooLong => Message::new(
            format!("\"{name}\" is longer than 253 characters."),
            zh!("\"{name}\" 超过 253 个字符。"),
        ),
        // The name is not quoted: what precedes the last @ is a password.
        NameError::Userinfo => {
            let host = name.rsplit('@').next().unwrap_or("");
            Message::new(
                format!("This looks like credentials (user:password@) in a host name. Write only the host[:port] (\"{host}\") and put the credentials in the Auth section; a host name is shared in links, a password never is."),
                zh!("主机名中似乎含有凭据（user:password@）。只填写 <主机>[:<端口>]（\"{host}\"），凭据请填在“认证”部分；主机名会出现在分享链接中，密码则永远不会。"),
            )
        }
    }
}

/// Checks one registry namespace at `path`; `_default` is accepted where the target supports it.
pub fn check_namespace_at(p: &Project, name: &str, path: &str, out: &mut Vec<Diagnostic>) {
    let name = name.trim();
    if name == "_default" {
        if p.output == OutputStyle::Legacy {
            out.push(Diagnostic::error(path, "N6-default-legacy", "_default is a hosts-directory name; in legacy style use the Air-gap section (mirrors.\"*\").", zh!("_default 是 hosts 目录的名称；旧式配置请使用“离线/Air-gap”部分（mirrors.\"*\"）。")));
        } else if !p.target.all_support(Feature::DefaultHostsDir) {
            out.push(Diagnostic::error(
                path,
                "N6-default-unsupported",
                format!("certs.d/_default needs containerd {}; {} includes releases that ignore it.", Feature::DefaultHostsDir.since(), p.target.describe()),
                zh!("certs.d/_default 需要 containerd {}；{} 中包含会忽略它的版本。", Feature::DefaultHostsDir.since(), p.target.describe()),
            ));
        }
        return;
    }
    if net::DOCKER_HUB_ALIASES.contains(&name) {
        out.push(Diagnostic::error(
            path,
            "N5-docker-hub-alias",
            format!("Images from Docker Hub are always named docker.io/… (\"nginx\" is docker.io/library/nginx), so a \"{name}\" directory is never used. Write docker.io."),
            zh!("Docker Hub 的镜像名总是 docker.io/…（\"nginx\" 即 docker.io/library/nginx），所以 \"{name}\" 目录永远不会被使用。请写 docker.io。"),
        ));
        return;
    }
    if let Err(e) = net::check_namespace(name) {
        let code = match e {
            NameError::UpperCase => "N3-lower-case",
            NameError::BadPort(_) => "N4-port",
            NameError::NotARegistry => "N2-not-a-registry",
            NameError::TooLong => "N8-too-long",
            NameError::Userinfo => "N1-userinfo",
            _ => "N1-registry-name",
        };
        out.push(Diagnostic::new(crate::Severity::Error, path, code, name_error_message(name, &e)));
    }
}

/// The registries' names: each one's own problems (`checked(i)`: what [`check_namespace_at`] found at registry
/// `i`, which the validation memo keeps), then whether it repeats an earlier one.
pub fn check<'a>(p: &Project, checked: impl Fn(usize) -> &'a [Diagnostic], out: &mut Vec<Diagnostic>) {
    // Name → index of its first registry (a map: thousands of registries made a list search quadratic).
    let mut seen = StrMap::new();
    for (i, r) in p.registries.iter().enumerate() {
        out.extend(checked(i).iter().cloned());
        let name = r.upstream.trim();
        if let Some(first) = seen.get(name) {
            out.push(Diagnostic::error(
                format!("registries[{i}].upstream"),
                "N9-duplicate-registry",
                format!("{name} is already configured as registry #{}: one registry has one hosts.toml. Add the endpoints there.", first + 1),
                zh!("{name} 已作为第 {} 个仓库配置过：每个仓库只有一个 hosts.toml，请把端点加到那里。", first + 1),
            ));
        } else {
            seen.insert(name, i);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::*;
    use crate::validate::test_util::*;
    use crate::validate::validate;

    fn reg(name: &str) -> Project {
        let mut p = Project::default();
        p.registries.push(Registry { upstream: name.into(), ..Default::default() });
        p
    }

    #[test]
    fn bad_names_error_at_the_field_in_both_languages() {
        for (name, code) in [
            ("../../etc", "N1-registry-name"),
            ("a/b", "N1-registry-name"),
            ("a\\b", "N1-registry-name"),
            ("a\0b", "N1-registry-name"),
            ("https://quay.io", "N1-registry-name"),
            ("registry", "N2-not-a-registry"),
            ("Quay.io", "N3-lower-case"),
            ("quay.io:99999", "N4-port"),
            ("index.docker.io", "N5-docker-hub-alias"),
        ] {
            let d = validate(&reg(name));
            let x = find(&d, code, "registries[0].upstream");
            assert!(!x.message.en.is_empty() && !x.message.zh.is_empty());
        }
    }

    #[test]
    fn upper_case_names_are_told_their_lower_case_form_and_non_ascii_names_their_bad_part() {
        let d = validate(&reg("Quay.IO:5000"));
        let x = find(&d, "N3-lower-case", "registries[0].upstream");
        assert!(x.message.en.contains("Write \"quay.io:5000\"."), "{}", x.message.en);
        assert!(x.message.zh.contains("请写成 \"quay.io:5000\"。"), "{}", x.message.zh);
        // Non-ASCII letters, upper case or not, are not a host name part: never "write it in lower case".
        for (name, part) in [("ÄRGER.example.com", "ÄRGER"), ("registry.bücher.de", "bücher")] {
            let d = validate(&reg(name));
            let x = find(&d, "N1-registry-name", "registries[0].upstream");
            assert!(x.message.en.contains(&format!("\"{part}\" in \"{name}\" is not a valid host name part")), "{}", x.message.en);
            assert!(d.iter().all(|d| d.code != "N3-lower-case"), "{name}: {d:?}");
        }
    }

    #[test]
    fn good_names_pass() {
        for name in ["docker.io", "registry.example.com:5000", "[::1]:5000", "localhost:5000", "10.1.2.3:5000"] {
            let d = validate(&reg(name));
            assert!(errors(&d).is_empty(), "{name}: {:?}", errors(&d));
        }
    }

    #[test]
    fn default_dir_needs_a_recent_target() {
        let mut p = reg("_default");
        p.target = Target { min: "1.6.16".parse().unwrap(), max: "1.7.x".parse().unwrap() };
        find(&validate(&p), "N6-default-unsupported", "registries[0].upstream");
        p.target.min = "1.6.17".parse().unwrap();
        assert!(errors(&validate(&p)).is_empty());
    }

    #[test]
    fn duplicate_registry() {
        let mut p = reg("quay.io");
        p.registries.push(Registry { upstream: "quay.io".into(), ..Default::default() });
        find(&validate(&p), "N9-duplicate-registry", "registries[1].upstream");
    }
}
