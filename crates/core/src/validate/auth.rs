//! Credentials (spec §5, C9, C10): keyed by the host containerd actually contacts, or they are never sent.

use crate::zh::zh;
use std::cell::OnceCell;
use crate::str_index::{StrMap, StrSet};

use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::net;
use crate::plan::{Lookup, Plan};
use crate::secrets::decode_auth;

fn check_secret(s: &Secret, path: &str, what: &str, what_zh: &str, out: &mut Vec<Diagnostic>) {
    match s {
        Secret::Literal(v) if v.is_empty() => out.push(Diagnostic::error(
            path,
            "S0-secret-empty",
            format!("Enter the {what}."),
            zh!("请填写{what_zh}。"),
        )),
        Secret::FromEnv(e) => out.push(Diagnostic::error(
            path,
            "S1-secret-from-env",
            format!("The {what} comes from the environment variable {} when the CLI renders this project; it is not set here, so this bundle cannot be installed. Render with the CLI, or type the value.", e.env),
            zh!("{what_zh}在 CLI 渲染时从环境变量 {} 读取；此处未设置，因此该配置包无法安装。请用 CLI 渲染，或直接填写。", e.env),
        )),
        _ => {}
    }
}

/// What the credential checks ask about the plan, indexed: a project may have thousands of registries and
/// credentials, and a scan of the plan per credential made validation quadratic. The two maps are built on first
/// use (most projects have no credential that needs them).
struct Contacts<'a> {
    plan: &'a Plan,
    lookup: &'a Lookup<'a>,
    /// Host name without the port → the smallest contacted host[:port] with that name.
    by_name: OnceCell<(StrMap<'a>, Vec<&'a str>)>,
    /// Host → the configured namespaces that are that host or reach it as their upstream, in plan order (as an
    /// index into the lists).
    namespaces_of: OnceCell<(StrMap<'a>, Vec<Vec<&'a str>>)>,
}

impl<'a> Contacts<'a> {
    fn new(plan: &'a Plan, lookup: &'a Lookup<'a>) -> Self {
        Contacts { plan, lookup, by_name: OnceCell::new(), namespaces_of: OnceCell::new() }
    }

    /// A host of the configured registries with the same name as `host` but another port (or none).
    fn same_host_other_port(&self, host: &str) -> Option<String> {
        if self.lookup.configured().contains(host) {
            return None;
        }
        let (by_name, smallest) = self.by_name.get_or_init(|| {
            let (mut m, mut smallest) = (StrMap::new(), Vec::new());
            for h in self.lookup.configured().iter() {
                let name = net::split_host_port(h).0;
                match m.get(name) {
                    Some(&k) if h < smallest[k] => smallest[k] = h,
                    Some(_) => {}
                    None => {
                        m.insert(name, smallest.len());
                        smallest.push(h);
                    }
                }
            }
            (m, smallest)
        });
        by_name.get(net::split_host_port(host).0).map(|&k| smallest[k].to_string())
    }

    /// The configured namespaces that are `host` or reach it as their upstream.
    fn namespaces_of(&self, host: &str) -> &[&'a str] {
        let (index, lists) = self.namespaces_of.get_or_init(|| {
            let (mut index, mut lists) = (StrMap::new(), Vec::<Vec<&str>>::new());
            let mut add = |key: &'a str, ns: &'a str| match index.get(key) {
                Some(&k) => lists[k].push(ns),
                None => {
                    index.insert(key, lists.len());
                    lists.push(vec![ns]);
                }
            };
            for ns in self.plan.namespaces() {
                add(ns, ns);
                // The one namespace whose upstream is another host (`net::upstream_host`).
                if ns == net::DOCKER_HUB {
                    add(net::DOCKER_HUB_HOST, ns);
                }
            }
            (index, lists)
        });
        index.get(host).map_or(&[], |&k| lists[k].as_slice())
    }
}

pub fn check(p: &Project, plan: &Plan, out: &mut Vec<Diagnostic>) {
    let mut seen = StrSet::new();
    // Computed once, and only when there are credentials to check.
    let lookup = (!p.auth.is_empty()).then(|| plan.lookup());
    let contacts = lookup.as_ref().map(|l| Contacts::new(plan, l));
    for (i, c) in p.auth.iter().enumerate() {
        let contacts = contacts.as_ref().expect("built when there are credentials");
        let hp = format!("auth[{i}].host");
        let host = c.host.trim();
        if host.contains("://") || host.contains('/') {
            let bare = host.split("://").last().unwrap_or(host).split('/').next().unwrap_or(host);
            out.push(Diagnostic::error(
                &hp,
                "C9-auth-key-form",
                format!("Credentials are keyed by host[:port] only, as containerd contacts it: write \"{bare}\"."),
                zh!("凭据只按 containerd 实际访问的 <主机>[:<端口>] 匹配：请写成 \"{bare}\"。"),
            ));
        } else if host == net::DOCKER_HUB {
            out.push(Diagnostic::error(
                &hp,
                "C9-auth-docker-io",
                "containerd contacts Docker Hub as registry-1.docker.io and looks credentials up by that host, so credentials keyed \"docker.io\" are never sent (anonymous pulls, rate limits). Write registry-1.docker.io.",
                zh!("containerd 访问 Docker Hub 时使用的主机是 registry-1.docker.io，并按该主机查找凭据，所以以 \"docker.io\" 为键的凭据永远不会被发送（匿名拉取、触发限流）。请写 registry-1.docker.io。"),
            ));
        } else if let Err(e) = net::check_host_port(host) {
            out.push(Diagnostic::new(crate::Severity::Error, &hp, "C9-auth-host", super::names::name_error_message(host, &e)));
        } else if let Some(other) = contacts.same_host_other_port(host) {
            out.push(Diagnostic::error(
                &hp,
                "C9-auth-port",
                format!("containerd contacts this registry as {other}: the port is part of the credentials key, so credentials for \"{host}\" would not be sent to it. Write {other}."),
                zh!("containerd 以 {other} 访问该仓库：端口是凭据键的一部分，所以 \"{host}\" 的凭据不会发给它。请写 {other}。"),
            ));
        } else if !contacts.lookup.contacts(host) {
            let via: Vec<String> = contacts
                .namespaces_of(host)
                .iter()
                .map(|ns| format!("{ns} → {}", contacts.lookup.contacted_for(ns).join(", ")))
                .collect();
            let why = if via.is_empty() {
                let to = contacts.lookup.contacted_for(host).join(", ");
                format!("images named {host}/… go to {to}")
            } else {
                via.join("; ")
            };
            out.push(Diagnostic::error(
                &hp,
                "C9-auth-never-contacted",
                format!("With this configuration containerd never contacts {host} ({why}), so these credentials would never be sent. Key them by a host that is contacted: a mirror's own host[:port], or the registry's."),
                zh!("按当前配置 containerd 永远不会访问 {host}（{why}），这些凭据不会被发送。请改用实际访问的主机：镜像站自身的 <主机>[:<端口>]，或仓库本身。"),
            ));
        }
        if !seen.insert(host) {
            out.push(Diagnostic::error(
                &hp,
                "C9-auth-duplicate",
                format!("{host} already has credentials; containerd keeps one set per host."),
                zh!("{host} 已有凭据；containerd 每个主机只使用一组凭据。"),
            ));
        }
        let mp = format!("auth[{i}].method");
        match &c.method {
            AuthMethod::Basic { username, password, .. } => {
                if username.trim().is_empty() {
                    out.push(Diagnostic::error(format!("{mp}.username"), "C10-username-empty", "Enter the user name: containerd ignores a password without one.", zh!("请填写用户名：没有用户名时 containerd 会忽略密码。")));
                } else if username.contains(':') {
                    out.push(Diagnostic::error(
                        format!("{mp}.username"),
                        "C10-username-colon",
                        "A user name cannot contain ':' — containerd splits user:password at the first colon.",
                        zh!("用户名不能包含 ':'——containerd 会在第一个冒号处拆分 <用户名>:<密码>。"),
                    ));
                }
                check_secret(password, &format!("{mp}.password"), "password", zh!("密码"), out);
            }
            AuthMethod::Auth { auth } => {
                check_secret(auth, &format!("{mp}.auth"), "auth value", zh!("auth 值"), out);
                if let Secret::Literal(v) = auth {
                    if !v.is_empty() {
                        if let Err(e) = decode_auth(v) {
                            out.push(Diagnostic::error(
                                format!("{mp}.auth"),
                                "C10-auth-base64",
                                format!("auth must be base64 of user:password (as in ~/.docker/config.json): {e}. Or choose user name + password and let the tool compute it."),
                                zh!("auth 必须是 <用户名>:<密码> 的 base64 编码（与 ~/.docker/config.json 相同）：{e}。也可以改用“用户名 + 密码”由本工具计算。"),
                            ));
                        }
                    }
                }
            }
            AuthMethod::IdentityToken { token } => check_secret(token, &format!("{mp}.token"), "identity token", zh!("身份令牌"), out),
        }
    }
    for (path, s) in crate::secrets::secret_fields(p) {
        if path.starts_with("registries[") {
            check_secret(s, &path, "header value", zh!("HTTP 头的值"), out);
        }
    }
    // Values of ordinary headers may name an environment variable too. (The paths already reported, as a set:
    // a search of every diagnostic per header value was quadratic.)
    let unresolved = crate::secrets::unresolved_env(p);
    let unresolved: Vec<(String, String)> = if unresolved.is_empty() {
        unresolved
    } else {
        let reported: StrSet = out.iter().map(|d| d.path.as_str()).collect();
        unresolved.into_iter().filter(|(path, _)| path.starts_with("registries[") && !reported.contains(path)).collect()
    };
    for (path, var) in unresolved {
        check_secret(&Secret::FromEnv(EnvRef { env: var }), &path, "header value", zh!("HTTP 头的值"), out);
    }
    if !p.auth.is_empty() {
        out.push(Diagnostic::info(
            "auth",
            "C11-plaintext-credentials",
            "Credentials are written in plain text into config.toml (install.sh makes it mode 0600). For Kubernetes, imagePullSecrets or a kubelet credential provider keep them off the node's disk.",
            zh!("凭据将以明文写入 config.toml（install.sh 会把权限设为 0600）。在 Kubernetes 中，使用 imagePullSecrets 或 kubelet 凭据提供程序可避免把凭据存放在节点磁盘上。"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::model::*;
    use crate::validate::test_util::*;
    use crate::validate::validate;

    fn with_auth(host: &str, method: AuthMethod) -> Project {
        Project { auth: vec![Credential { host: host.into(), method }], ..Default::default() }
    }
    fn basic(u: &str, pw: &str) -> AuthMethod {
        AuthMethod::Basic { username: u.into(), password: Secret::literal(pw), encode_as_auth: false }
    }

    #[test]
    fn docker_io_key_is_never_used() {
        let d = validate(&with_auth("docker.io", basic("u", "p")));
        let x = find(&d, "C9-auth-docker-io", "auth[0].host");
        assert!(x.message.en.contains("registry-1.docker.io"));
        assert!(errors(&validate(&with_auth("registry-1.docker.io", basic("u", "p")))).is_empty());
    }

    #[test]
    fn mirror_credentials_need_the_mirror_host() {
        let mut p = with_auth("mirror.example.com:5000", basic("u", "p"));
        p.registries.push(Registry {
            upstream: "docker.io".into(),
            endpoints: vec![Endpoint { url: "https://mirror.example.com:5000".into(), ..Default::default() }],
            ..Default::default()
        });
        assert!(errors(&validate(&p)).is_empty(), "{:?}", errors(&validate(&p)));
        // Without the port the key names a host containerd never contacts.
        p.auth[0].host = "mirror.example.com".into();
        find(&validate(&p), "C9-auth-port", "auth[0].host");
        // A host no image and no mirror leads to.
        p.auth[0].host = "registry-1.docker.io".into();
        p.registries[0].fallback_to_upstream = false;
        find(&validate(&p), "C9-auth-never-contacted", "auth[0].host");
    }

    #[test]
    fn air_gap_makes_unlisted_hosts_unreachable() {
        let mut p = with_auth("quay.io", basic("u", "p"));
        p.target.min = "1.7.0".parse().unwrap();
        p.air_gap = Some(AirGap { registry: "https://registry.internal:5000".into(), ..Default::default() });
        find(&validate(&p), "C9-auth-never-contacted", "auth[0].host");
        p.auth[0].host = "registry.internal:5000".into();
        assert!(errors(&validate(&p)).is_empty(), "{:?}", errors(&validate(&p)));
    }

    #[test]
    fn auth_values() {
        let d = validate(&with_auth("ghcr.io", AuthMethod::Auth { auth: Secret::literal("bm9jb2xvbg==") }));
        find(&d, "C10-auth-base64", "auth[0].method.auth");
        let d = validate(&with_auth("ghcr.io", basic("a:b", "")));
        find(&d, "C10-username-colon", "auth[0].method.username");
        find(&d, "S0-secret-empty", "auth[0].method.password");
        let d = validate(&with_auth("https://ghcr.io/x", basic("a", "b")));
        find(&d, "C9-auth-key-form", "auth[0].host");
        let env = AuthMethod::IdentityToken { token: Secret::FromEnv(EnvRef { env: "TOKEN".into() }) };
        find(&validate(&with_auth("ghcr.io", env)), "S1-secret-from-env", "auth[0].method.token");
    }
}
