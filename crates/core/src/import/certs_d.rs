//! A certs.d folder: one registry per directory, as containerd looks them up (`host_port_/`, then `host:port/`,
//! then `_default/`; the first that exists wins, nothing merges), each from its hosts.toml — or, only when that is
//! missing, empty or ignored, from the docker-style certificate files beside it.

use crate::diagnostics::Diagnostic;
use crate::merge::LineCol;
use crate::model::*;
use crate::net;
use crate::render::config_toml::hide_userinfo;

use super::hosts_file::{self, Entry};
use super::Work;

/// A registry directory of the input.
struct Dir {
    /// Layout-relative path of the directory (`certs.d/docker.io`, or `docker.io` for a bare folder).
    rel: String,
    /// The folder it is in (`certs.d` or ``): lookups never cross folders.
    root: String,
    name: String,
}

fn is_registry_file(name: &str) -> bool {
    name == "hosts.toml" || name.ends_with(".crt") || name.ends_with(".cert") || name.ends_with(".key")
}

/// `registry.example.com_5000_` → `registry.example.com:5000` (containerd's `hostDirectory`, reversed).
fn namespace_of(dir: &str) -> (String, bool) {
    if let Some(inner) = dir.strip_suffix('_') {
        if let Some((host, port)) = inner.rsplit_once('_') {
            if !host.is_empty() && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
                return (format!("{host}:{port}"), true);
            }
        }
    }
    (dir.to_string(), false)
}

fn dirs(w: &Work) -> Vec<Dir> {
    let mut out: Vec<Dir> = Vec::new();
    for (path, _) in w.files {
        let (root, rest) = match path.strip_prefix("certs.d/") {
            Some(rest) => ("certs.d", rest),
            None => ("", path.as_str()),
        };
        let Some((dir, name)) = rest.split_once('/') else { continue };
        if name.contains('/') || dir.is_empty() || !is_registry_file(name) {
            continue;
        }
        let rel = if root.is_empty() { dir.to_string() } else { format!("{root}/{dir}") };
        if !out.iter().any(|d| d.rel == rel) {
            out.push(Dir { rel, root: root.to_string(), name: dir.to_string() });
        }
    }
    out
}

/// `a/./b/../c` → `a/c`.
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Where containerd reads a directory's files from: `config_path` (a single directory) or certs.d.
struct Place<'a> {
    node_root: &'a str,
    dir: &'a Dir,
}

impl Place<'_> {
    fn node_dir(&self) -> String {
        format!("{}/{}", self.node_root.trim_end_matches('/'), self.dir.name)
    }
    /// The node path of a path as hosts.toml writes it (relative ones are relative to the directory).
    fn node_path(&self, p: &str) -> String {
        if p.starts_with('/') {
            p.to_string()
        } else {
            format!("/{}", clean(&format!("{}/{p}", self.node_dir())))
        }
    }
    /// The layout-relative path of a node path, when it lies in the folder given.
    fn input_path(&self, node: &str) -> Option<String> {
        let root = self.node_root.trim_end_matches('/');
        let rest = node.strip_prefix(root)?.strip_prefix('/')?;
        let rest = clean(rest);
        Some(if self.dir.root.is_empty() { rest } else { format!("{}/{rest}", self.dir.root) })
    }
}

pub(super) fn import_dirs(w: &mut Work, config_path: Option<&str>) {
    let node_root = config_path.filter(|c| c.starts_with('/') && !c.contains(':')).unwrap_or(CERTS_D).to_string();
    let all = dirs(w);
    for d in &all {
        let (ns, underscored) = namespace_of(&d.name);
        let hosts_path = format!("{}/hosts.toml", d.rel);
        if d.name != "_default" && net::check_namespace(&ns).is_err() {
            w.say(
                &d.rel,
                None,
                Diagnostic::warning(
                    "",
                    "I11-dir-not-a-registry",
                    format!("directory \"{}\" is not named after a registry (host[:port] as in image names, host_port_ or _default): containerd never looks it up, so nothing in it is used.", d.name),
                    format!("目录 \"{}\" 不是按仓库命名的（应为镜像名中的 <主机>[:<端口>]、<主机>_<端口>_ 或 _default）：containerd 永远不会查找它，其中的内容都不会生效。", d.name),
                ),
            );
            continue;
        }
        // `host:port/` is looked up after `host_port_/`: when both exist, it is never read.
        if !underscored && ns.contains(':') {
            let live = all.iter().find(|o| o.root == d.root && o.name != d.name && namespace_of(&o.name) == (ns.clone(), true));
            if let Some(live) = live {
                w.say(
                    &d.rel,
                    None,
                    Diagnostic::warning(
                        "",
                        "I10-dead-directory",
                        format!("both {}/ and {}/ exist for {ns}: containerd looks up {}/ first and uses only the first directory that exists, so this one is never read (nothing merges). It was not imported; delete it or move what you need into {}/.", live.name, d.name, live.name, live.name),
                        format!("{ns} 同时存在 {}/ 和 {}/：containerd 先查找 {}/，只使用第一个存在的目录，因此这个目录永远不会被读取（不会合并）。它未被导入；请删除它，或把需要的内容移到 {}/。", live.name, d.name, live.name, live.name),
                    ),
                );
                continue;
            }
        }
        let place = Place { node_root: &node_root, dir: d };
        let index = w.project.registries.len();
        let from_hosts = match w.file(&hosts_path).map(<[u8]>::to_vec) {
            None => None,
            Some(b) if b.is_empty() => {
                w.say(&hosts_path, None, Diagnostic::info("", "I22-hosts-empty", "This hosts.toml is empty: containerd treats it as missing and reads the docker-style certificate files of the directory.", "此 hosts.toml 为空：containerd 视同不存在，改为读取该目录中 docker 式的证书文件。"));
                None
            }
            Some(b) => match String::from_utf8(b) {
                Err(_) => {
                    w.say(&hosts_path, None, Diagnostic::error("", "I1-hosts-not-toml", "This hosts.toml is not UTF-8 text, so not TOML: containerd ignores the whole file and falls back to the docker-style certificate files of this directory.", "此 hosts.toml 不是 UTF-8 文本，因而不是 TOML：containerd 会忽略整个文件，改用该目录中 docker 式的证书文件。"));
                    None
                }
                Ok(text) => {
                    let read = hosts_file::read(&text, &w.project.target);
                    for (at, f) in read.findings {
                        w.say(&hosts_path, at, f);
                    }
                    read.file
                }
            },
        };
        let shown_file = if from_hosts.is_some() { hosts_path.clone() } else { d.rel.clone() };
        let registry = match from_hosts {
            Some(file) => {
                // Files the hosts.toml names are read as what it says; the others are docker-style leftovers.
                let named: Vec<String> = std::iter::once(&file.root)
                    .chain(&file.hosts)
                    .flat_map(|e| e.ca.iter().map(|(p, _)| p.clone()).chain(e.client.iter().flat_map(|(c, k)| [c.clone(), k.clone()])))
                    .map(|p| place.node_path(&p))
                    .collect();
                let certs: Vec<String> =
                    docker_files(w, d).into_iter().filter(|n| !named.contains(&format!("{}/{n}", place.node_dir()))).collect();
                if !certs.is_empty() {
                    w.say(&d.rel, None, Diagnostic::info("", "I12-docker-files-unread", format!("{} (docker-style certificate files) are not read: containerd reads them only when the directory has no hosts.toml, an empty one, or one it cannot parse. They were not imported.", certs.join(", ")), format!("{}（docker 式证书文件）不会被读取：只有目录中没有 hosts.toml、其为空或无法解析时 containerd 才会读取它们。它们未被导入。", certs.join("、"))));
                }
                Some(from_file(w, &place, &ns, &file, index, &hosts_path))
            }
            None => from_docker_files(w, &place, &ns, index, &all),
        };
        if let Some(r) = registry {
            w.origins.add(format!("registries[{index}]"), &shown_file, None);
            w.say(&shown_file, None, Diagnostic::info("", "I20-taken-over", format!("taken over as registry {ns} ({} endpoint(s)).", r.endpoints.len()), format!("已导入为仓库 {ns}（{} 个端点）。", r.endpoints.len())));
            w.project.registries.push(r);
        }
    }
}

/// The docker-style certificate files of a directory (`*.crt`, `*.cert`, `*.key`), by name.
fn docker_files(w: &Work, d: &Dir) -> Vec<String> {
    let prefix = format!("{}/", d.rel);
    w.files
        .iter()
        .filter_map(|(p, _)| p.strip_prefix(&prefix))
        .filter(|n| !n.contains('/') && (n.ends_with(".crt") || n.ends_with(".cert") || n.ends_with(".key")))
        .map(str::to_string)
        .collect()
}

/// Capabilities as the model keeps them: the kind whose defaults they are, else the explicit list.
fn kind_and_capabilities(caps: &Option<Vec<Capability>>) -> (EndpointKind, Vec<Capability>) {
    let Some(caps) = caps else { return (EndpointKind::PrivateRegistry, Vec::new()) };
    for kind in [EndpointKind::PublicMirror, EndpointKind::PrivateMirror, EndpointKind::PrivateRegistry] {
        if kind.default_capabilities() == *caps {
            return (kind, Vec::new());
        }
    }
    (EndpointKind::PrivateMirror, caps.clone())
}

/// A CA path of the hosts.toml: the file itself (shipped again as PEM) when it is in the folder given, else the
/// path on the node.
fn ca_cert(w: &mut Work, place: &Place, written: &str, at: LineCol, hosts_path: &str) -> CaCert {
    let node = place.node_path(written);
    let Some(input) = place.input_path(&node) else {
        return CaCert::Path(node);
    };
    match w.file(&input).map(<[u8]>::to_vec) {
        Some(bytes) => match String::from_utf8(bytes) {
            Ok(pem) => {
                let file_name = input.rsplit('/').next().unwrap_or(&input);
                let name = file_name.strip_suffix(".crt").or_else(|| file_name.strip_suffix(".pem")).unwrap_or(file_name);
                CaCert::Pem { name: name.to_string(), pem }
            }
            Err(_) => {
                w.say(hosts_path, at, Diagnostic::error("", "I13-ca-file", format!("CA file {node} is not a PEM text file: every pull from this host fails with \"unable to load CA cert\"."), format!("CA 文件 {node} 不是 PEM 文本文件：从该主机拉取时每次都会报 \"unable to load CA cert\"。")));
                CaCert::Path(node)
            }
        },
        None => {
            w.say(hosts_path, at, Diagnostic::error("", "I13-ca-file", format!("CA file {node} is not in the folder: containerd reads it at every pull and fails it with \"unable to read CA cert\" if it is missing. Kept as a path on the node."), format!("CA 文件 {node} 不在该目录中：containerd 每次拉取时都会读取它，缺失时会报 \"unable to read CA cert\" 而失败。已按节点上的路径保留。")));
            CaCert::Path(node)
        }
    }
}

fn endpoint(w: &mut Work, place: &Place, e: &Entry, url: &str, hosts_path: &str, path: &str) -> Endpoint {
    let url = if url.starts_with("http") { url.to_string() } else { format!("https://{url}") };
    let (kind, capabilities) = kind_and_capabilities(&e.capabilities);
    let mut tls = Tls { skip_verify: e.skip_verify.unwrap_or(false), ..Default::default() };
    for (k, (written, at)) in e.ca.iter().enumerate() {
        w.origins.add(format!("{path}.tls.ca[{k}]"), hosts_path, *at);
        let ca = ca_cert(w, place, written, *at, hosts_path);
        tls.ca.push(ca);
    }
    for (cert, key) in &e.client {
        tls.client.push(if key.is_empty() {
            ClientCert::Combined(place.node_path(cert))
        } else {
            ClientCert::Pair { cert: place.node_path(cert), key: place.node_path(key) }
        });
    }
    if e.capabilities.is_none() && w.project.target.any_support(crate::version::Feature::ReferrersCapability) {
        w.say(hosts_path, e.at, Diagnostic::info("", "I19-not-expressible", "No capabilities line means every capability, on 2.2 and later referrers too; the project writes pull, resolve, push (referrers only when listed).", "不写 capabilities 表示拥有全部能力，在 2.2 及以后还包括 referrers；本项目会写出 pull、resolve、push（referrers 只在列出时写入）。"));
    }
    if !e.client.is_empty() {
        w.say(hosts_path, e.client_at, Diagnostic::info("", "I19-not-expressible", "Client certificates stay files on the node: the project keeps their paths and does not ship them.", "客户端证书仍是节点上的文件：本项目只保留其路径，不会随配置包分发。"));
    }
    if e.skip_verify == Some(false) && url.starts_with("http://") {
        w.say(hosts_path, e.skip_verify_at, Diagnostic::info("", "I19-not-expressible", "`skip_verify = false` on an http:// host makes containerd try HTTPS first (1.6.32, 1.7.16, 2.0.0 and later); the project cannot say false explicitly, so it will use plain HTTP only.", "http:// 主机上的 `skip_verify = false` 会让 containerd 先尝试 HTTPS（1.6.32、1.7.16、2.0.0 及以后）；本项目无法显式写出 false，因此只会使用 HTTP。"));
    }
    w.origins.add(path.to_string(), hosts_path, e.at);
    for (field, at) in [("capabilities", e.capabilities_at), ("kind", e.capabilities_at), ("headers", e.header_at), ("dial_timeout", e.dial_timeout_at), ("tls.skip_verify", e.skip_verify_at), ("tls.client", e.client_at)] {
        if at.is_some() {
            w.origins.add(format!("{path}.{field}"), hosts_path, at);
        }
    }
    Endpoint {
        url,
        kind,
        capabilities,
        override_path: e.override_path,
        tls,
        headers: e.headers.iter().map(|(n, v)| Header { name: n.clone(), values: v.iter().map(|s| Secret::literal(s)).collect() }).collect(),
        dial_timeout: e.dial_timeout.clone(),
    }
}

/// The registry a parsed hosts.toml describes. The root entry becomes the implicit upstream (nothing set), the
/// `server` (only a URL), or the last endpoint with no fallback (a root entry with settings of its own).
fn from_file(w: &mut Work, place: &Place, ns: &str, file: &hosts_file::HostsFile, index: usize, hosts_path: &str) -> Registry {
    let mut r = Registry { upstream: ns.to_string(), ..Default::default() };
    for h in &file.hosts {
        if r.endpoints.iter().any(|e| e.url == h.url || e.url == format!("https://{}", h.url)) {
            // containerd 2.x tries it twice (reported by the reader); a project lists an endpoint once.
            let url = hide_userinfo(&h.url);
            w.say(hosts_path, h.at, Diagnostic::info("", "I19-not-expressible", format!("{url} is tried a second time here by containerd 2.x; the project lists it once, at its first place."), format!("containerd 2.x 会在此第二次尝试 {url}；本项目只在其第一次出现的位置列出它。")));
            continue;
        }
        let path = format!("registries[{index}].endpoints[{}]", r.endpoints.len());
        let e = endpoint(w, place, h, &h.url, hosts_path, &path);
        r.endpoints.push(e);
    }
    let root = &file.root;
    let server = root.url.trim();
    let upstream = net::upstream_url(ns);
    let normal = |s: &str| net::normalize_url(if s.starts_with("http") { s.to_string() } else { format!("https://{s}") }.as_str());
    if root.has_settings() {
        if server.is_empty() && (ns == "_default" || net::is_localhost(ns)) {
            w.say(hosts_path, root.at, Diagnostic::warning("", "I19-not-expressible", "Root-level settings without `server` apply to the implicit upstream, which the project cannot name here (_default or localhost): they were not taken over.", "没有 `server` 时，根级设置作用于隐式上游，而本项目无法在此（_default 或 localhost）指明它：这些设置未被导入。"));
        } else {
            let url = if server.is_empty() { upstream } else { server.to_string() };
            let path = format!("registries[{index}].endpoints[{}]", r.endpoints.len());
            let e = endpoint(w, place, root, &url, hosts_path, &path);
            r.endpoints.push(e);
            r.fallback_to_upstream = false;
        }
    } else if !server.is_empty() && normal(server) != normal(&upstream) {
        w.origins.add(format!("registries[{index}].server"), hosts_path, root.at);
        r.server = Some(if server.starts_with("http") { server.to_string() } else { format!("https://{server}") });
    }
    r
}

/// The registry of a directory containerd reads through its docker-style certificate files (no usable
/// hosts.toml): one host, the upstream, with every capability.
fn from_docker_files(w: &mut Work, place: &Place, ns: &str, index: usize, all: &[Dir]) -> Option<Registry> {
    let d = place.dir;
    let names = docker_files(w, d);
    let mut tls = Tls::default();
    for n in &names {
        let rel = format!("{}/{n}", d.rel);
        let node = format!("{}/{n}", place.node_dir());
        if let Some(stem) = n.strip_suffix(".crt") {
            match w.file(&rel).map(<[u8]>::to_vec).map(String::from_utf8) {
                Some(Ok(pem)) => tls.ca.push(CaCert::Pem { name: stem.to_string(), pem }),
                _ => {
                    w.say(&rel, None, Diagnostic::error("", "I13-ca-file", format!("{n} is not a PEM text file: every pull from {ns} fails with \"unable to load CA cert\"."), format!("{n} 不是 PEM 文本文件：从 {ns} 拉取时每次都会报 \"unable to load CA cert\"。")));
                    tls.ca.push(CaCert::Path(node));
                }
            }
            w.origins.add(format!("registries[{index}].endpoints[0].tls.ca[{}]", tls.ca.len() - 1), &rel, None);
        } else if let Some(stem) = n.strip_suffix(".cert") {
            let key = format!("{stem}.key");
            tls.client.push(if names.contains(&key) {
                ClientCert::Pair { cert: node, key: format!("{}/{key}", place.node_dir()) }
            } else {
                ClientCert::Combined(node)
            });
        } else if let Some(stem) = n.strip_suffix(".key") {
            if !names.contains(&format!("{stem}.cert")) {
                w.say(&rel, None, Diagnostic::info("", "I21-key-alone", format!("{n} has no {stem}.cert beside it: containerd reads a .key only as the key of a .cert of the same name, so it means nothing here."), format!("{n} 旁边没有 {stem}.cert：containerd 只把 .key 当作同名 .cert 的私钥读取，因此它在这里没有作用。")));
            }
        }
    }
    if tls.is_empty() {
        // An empty directory still hides `_default` for this registry (the first directory that exists wins).
        let hides_default = ns != "_default" && all.iter().any(|o| o.root == d.root && o.name == "_default");
        if !hides_default {
            return None;
        }
        w.say(&d.rel, None, Diagnostic::info("", "I20-taken-over", format!("this directory configures nothing, but its existence keeps {ns} out of _default/ (the first directory that exists wins): taken over as a registry that goes to the upstream."), format!("该目录没有任何配置，但它的存在使 {ns} 不使用 _default/（第一个存在的目录生效）：已导入为直接访问上游的仓库。")));
        return Some(Registry { upstream: ns.to_string(), ..Default::default() });
    }
    if ns == "_default" {
        w.say(&d.rel, None, Diagnostic::warning("", "I19-not-expressible", "Certificate files in _default/ apply to the upstream of every registry without a directory of its own; the project cannot say that: they were not taken over.", "_default/ 中的证书文件作用于所有没有自己目录的仓库的上游；本项目无法表达这一点：它们未被导入。"));
        return None;
    }
    if !tls.client.is_empty() {
        w.say(&d.rel, None, Diagnostic::info("", "I19-not-expressible", "Client certificates stay files on the node: the project keeps their paths and does not ship them.", "客户端证书仍是节点上的文件：本项目只保留其路径，不会随配置包分发。"));
    }
    w.origins.add(format!("registries[{index}].endpoints[0]"), &d.rel, None);
    let endpoint = Endpoint { url: net::upstream_url(ns), kind: EndpointKind::PrivateRegistry, tls, ..Default::default() };
    Some(Registry { upstream: ns.to_string(), endpoints: vec![endpoint], fallback_to_upstream: false, ..Default::default() })
}
