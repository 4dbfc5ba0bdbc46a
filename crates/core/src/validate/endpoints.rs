//! Endpoint URLs and hosts.toml fields (spec §7.2 U1–U13, §7.3 H1–H11), plus what legacy style can't express.

use crate::zh::zh;
use crate::str_index::{StrMap, StrSet};

use crate::diagnostics::{Diagnostic, Message, Severity};
use crate::model::*;
use crate::net::{self, UrlError};
use crate::plan::{Plan, PlannedHost};
use crate::version::Feature;

use super::names::name_error_message;

pub fn url_error_message(url: &str, e: &UrlError) -> (&'static str, Message) {
    match e {
        UrlError::Empty => ("U0-url-empty", Message::new("Enter the endpoint URL, e.g. https://mirror.example.com.", zh!("请输入端点 URL，例如 https://mirror.example.com。"))),
        UrlError::MissingScheme => (
            "U1-scheme",
            Message::new(
                format!("\"{url}\" needs http:// or https:// in front; containerd would guess, and guesses wrong for plain-HTTP registries."),
                zh!("\"{url}\" 需要以 http:// 或 https:// 开头；否则 containerd 会自行猜测，对纯 HTTP 仓库会猜错。"),
            ),
        ),
        UrlError::BadScheme(s) => (
            "U1-scheme",
            Message::new(
                format!("\"{s}://\" is not a scheme containerd understands: use lower-case http:// or https:// (containerd would turn \"{s}:\" into a host name)."),
                zh!("\"{s}://\" 不是 containerd 支持的协议：请使用小写的 http:// 或 https://（否则 containerd 会把 \"{s}:\" 当成主机名）。"),
            ),
        ),
        UrlError::Userinfo => (
            "U3-userinfo",
            Message::new(
                "An @ in a URL means credentials (user:password@): containerd silently drops them, and they would sit in plain text in the project. Remove everything up to and including the @ and add the credentials in the Auth section.",
                zh!("URL 中的 @ 表示凭据（user:password@）：containerd 会静默丢弃它们，而且它们会以明文留在项目中。请删除 @ 及其之前的凭据部分，并在“认证”部分填写凭据。"),
            ),
        ),
        UrlError::Query => ("U3-query", Message::new("containerd drops the ?query part of an endpoint URL. Remove it.", zh!("containerd 会丢弃端点 URL 中的 ?查询参数，请删除。"))),
        UrlError::Fragment => ("U3-fragment", Message::new("containerd drops the #fragment of an endpoint URL. Remove it.", zh!("containerd 会丢弃端点 URL 中的 #片段，请删除。"))),
        UrlError::Whitespace => ("U2-whitespace", Message::new(format!("\"{url}\" contains spaces or control characters."), zh!("\"{url}\" 含有空格或控制字符。"))),
        UrlError::Host(n) => ("U2-host", name_error_message(url.split("://").nth(1).unwrap_or(url).split('/').next().unwrap_or(url), n)),
    }
}

/// Checks a URL; returns it parsed when valid.
pub fn check_url(url: &str, path: &str, out: &mut Vec<Diagnostic>) -> Option<net::ParsedUrl> {
    match net::parse_url(url.trim()) {
        Ok(u) => {
            // Said once, at the field, for every URL the plan normalises (endpoint, server, Harbor, air-gap), so
            // the preview showing no slash is not a surprise.
            if net::is_root_slash(&u.path) {
                let written = net::normalize_url(url);
                out.push(Diagnostic::info(
                    path,
                    "U7-trailing-slash",
                    format!("The trailing / is dropped: {written} is written (the same registry root; with the slash it would be a second [host] entry, and a legacy endpoint would lose its /v2)."),
                    zh!("已去掉末尾的 /：写入的是 {written}（同一个仓库根路径；带斜杠会成为另一个 [host] 条目，旧式端点还会丢失 /v2）。"),
                ));
            }
            Some(u)
        }
        Err(e) => {
            let (code, msg) = url_error_message(url.trim(), &e);
            out.push(Diagnostic::new(Severity::Error, path, code, msg));
            None
        }
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn check_path_field(value: &str, path: &str, what: &str, out: &mut Vec<Diagnostic>) {
    let v = value.trim();
    // PEM pasted where a path belongs would be written into hosts.toml as a "path" — and a key, into a
    // world-readable file and every export of the project. Only pasted content is looked at: a path may well
    // say "private key".
    let pasted = v.contains("-----BEGIN") || v.contains('\n') || v.contains("PuTTY-User-Key-File");
    if pasted && crate::pem::holds_private_key(v) {
        out.push(Diagnostic::error(
            path,
            "H7-private-key-in-path",
            format!("This field takes the path of the {what} file on the node; what is here is a private key. Never paste a key into the project: remove it, treat it as leaked, and give the path of the key file on the node."),
            zh!("此处应填写节点上 {what} 文件的路径；这里却是一个私钥。切勿把私钥粘贴到项目中：请删除它、视其为已泄露，并填写节点上私钥文件的路径。"),
        ));
        return;
    }
    if pasted {
        out.push(Diagnostic::error(
            path,
            "H7-pem-in-path",
            format!("This field takes the path of the {what} file on the node, not the file's contents. Put the file on the node and give its absolute path here."),
            zh!("此处应填写节点上 {what} 文件的路径，而不是文件内容。请把文件放到节点上，并在此填写其绝对路径。"),
        ));
        return;
    }
    if v.is_empty() {
        out.push(Diagnostic::error(
            path,
            "H6-empty-path",
            format!("The {what} path is empty. containerd would join an empty path to the registry directory and fail every pull with \"is a directory\"."),
            zh!("{what} 路径为空。containerd 会把空路径拼接成仓库目录本身，导致每次拉取都因 \"is a directory\" 失败。"),
        ));
    } else if v.starts_with('~') || v.contains('$') {
        out.push(Diagnostic::error(
            path,
            "H7-unexpanded-path",
            format!("\"{v}\": containerd does not expand ~ or $VARIABLES. Write the absolute path."),
            zh!("\"{v}\"：containerd 不会展开 ~ 或 $变量，请写绝对路径。"),
        ));
    } else if !v.starts_with('/') {
        out.push(Diagnostic::error(
            path,
            "H7-relative-path",
            format!("\"{v}\" is relative: containerd resolves it against the registry's own certs.d directory (hosts.toml) or its working directory (config.toml). Write an absolute path."),
            zh!("\"{v}\" 是相对路径：containerd 会相对于该仓库的 certs.d 目录（hosts.toml）或其工作目录（config.toml）解析。请写绝对路径。"),
        ));
    }
}

pub fn check_tls(tls: &Tls, path: &str, url: Option<&net::ParsedUrl>, p: &Project, out: &mut Vec<Diagnostic>) {
    for (i, ca) in tls.ca.iter().enumerate() {
        let cp = format!("{path}.ca[{i}]");
        match ca {
            CaCert::Path(v) => check_path_field(v, &cp, "CA", out),
            CaCert::Pem { name, pem } => {
                let n = name.trim();
                if n.is_empty() || n.starts_with('.') || !n.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
                    out.push(Diagnostic::error(
                        format!("{cp}.name"),
                        "H5-ca-file-name",
                        format!("\"{n}\" cannot be a file name: use letters, digits, '.', '_' and '-' (it is written as <name>.crt)."),
                        zh!("\"{n}\" 不能作为文件名：只能使用字母、数字、'.'、'_' 和 '-'（将写成 <名称>.crt）。"),
                    ));
                }
                // Every block down to its DER: containerd skips what Go cannot parse without a word.
                for f in crate::pem::check_ca_text(pem) {
                    let (code, msg) = f.describe();
                    out.push(Diagnostic::new(f.severity(), format!("{cp}.pem"), code, msg));
                }
            }
        }
    }
    for (i, c) in tls.client.iter().enumerate() {
        let cp = format!("{path}.client[{i}]");
        match c {
            ClientCert::Combined(v) => check_path_field(v, &cp, "client certificate", out),
            ClientCert::Pair { cert, key } => {
                check_path_field(cert, &format!("{cp}.cert"), "client certificate", out);
                if key.trim().is_empty() {
                    out.push(Diagnostic::error(
                        format!("{cp}.key"),
                        "H6-client-pair-empty-key",
                        "The key path is empty. The documented [\"cert.pem\", \"\"] form does not work: containerd joins \"\" to the registry directory and fails every pull. Give the key file, or use one combined PEM file (certificate + key).",
                        zh!("私钥路径为空。文档中的 [\"cert.pem\", \"\"] 写法实际无效：containerd 会把 \"\" 拼成仓库目录，导致每次拉取失败。请填写私钥文件，或使用包含证书和私钥的单个 PEM 文件。"),
                    ));
                } else {
                    check_path_field(key, &format!("{cp}.key"), "client key", out);
                }
            }
        }
    }
    if tls.skip_verify {
        out.push(Diagnostic::warning(
            format!("{path}.skip_verify"),
            "H8-skip-verify",
            "skip_verify turns off certificate checks: anyone on the path can serve you images. Prefer adding the registry's CA.",
            zh!("skip_verify 会关闭证书校验：链路上的任何人都能向你提供镜像。建议改为添加该仓库的 CA。"),
        ));
    }
    match url {
        // HTTPS first for an http:// host with TLS settings is hosts.toml's (`ConfigureHosts`); the CRI plugin's
        // legacy mirrors client keeps the endpoint's scheme whatever configs.tls says (real containerd 1.6.20 and
        // 1.7.24, tests/real-containerd f-legacy-mirrors).
        Some(u) if u.scheme == "http" && !tls.is_empty() && p.output == OutputStyle::Legacy => out.push(Diagnostic::info(
            path,
            "L5-legacy-http-with-tls",
            "containerd fetches this legacy mirror over plain HTTP, as its URL says: unlike a hosts.toml host, it does not try HTTPS first, so these TLS settings do not protect it. Use https:// if the mirror serves TLS.",
            zh!("containerd 会按 URL 所写，以纯 HTTP 访问这个旧式镜像站：与 hosts.toml 中的主机不同，它不会先尝试 HTTPS，因此这些 TLS 设置起不到保护作用。若该镜像站提供 TLS，请改用 https://。"),
        )),
        Some(u) if u.scheme == "http" && !tls.is_empty() => {
            let since = Feature::HttpsFirstForHttpWithTls;
            out.push(Diagnostic::warning(
                path,
                "U10-tls-on-http",
                format!("TLS settings on an http:// endpoint: containerd {} tries HTTPS first and falls back to HTTP; older releases ignore them. Use https:// or remove the TLS settings.", since.since()),
                zh!("http:// 端点上设置了 TLS：containerd {} 会先尝试 HTTPS 再回退到 HTTP；更早的版本会忽略这些设置。请改用 https:// 或删除 TLS 设置。", since.since()),
            ));
        }
        _ => {}
    }
}

/// Every rule about one registry endpoint, in the order its diagnostics are shown.
fn check_endpoint(p: &Project, reg: &Registry, e: &Endpoint, path: &str, out: &mut Vec<Diagnostic>) {
    let url_path = format!("{path}.url");
    let parsed = check_url(&e.url, &url_path, out);
    if let Some(u) = &parsed {
        check_url_path(p, reg, e, u, path, &url_path, out);
    }
    check_gates_and_capabilities(p, reg, e, path, out);
    check_headers(e, path, out);
    check_dial_timeout(p, e, path, out);
    check_tls(&e.tls, &format!("{path}.tls"), parsed.as_ref(), p, out);
    if p.output == OutputStyle::Legacy {
        check_legacy_limits(p, e, path, out);
    }
}

/// What the URL's path and port mean for containerd's requests (U4–U6, U11), and an endpoint that is the upstream
/// itself (U12).
fn check_url_path(p: &Project, reg: &Registry, e: &Endpoint, u: &net::ParsedUrl, path: &str, url_path: &str, out: &mut Vec<Diagnostic>) {
    let clean = net::clean_path(&u.path);
    if e.kind == EndpointKind::HarborProject {
        let ok = clean.starts_with("/v2/") && clean.len() > 4 && e.override_path;
        if !ok {
            out.push(Diagnostic::error(
                url_path,
                "U6-harbor-path",
                format!("A Harbor proxy-cache project is reached as https://<harbor>/v2/<project> with override_path = true; otherwise containerd requests {} and Harbor answers 404 or its HTML portal.", u.example_request(e.override_path, "library/nginx", "latest")),
                zh!("Harbor 代理缓存项目应写成 https://<harbor>/v2/<项目> 并设置 override_path = true；否则 containerd 会请求 {}，Harbor 返回 404 或 HTML 门户页面。", u.example_request(e.override_path, "library/nginx", "latest")),
            ));
        }
    } else if clean.starts_with("/v2/") && !e.override_path && p.output == OutputStyle::HostsDir {
        out.push(Diagnostic::error(
            url_path,
            "U6-v2-path-without-override",
            format!("This path puts a project after /v2 (Harbor style) but override_path is off: containerd would request {}. Turn on override_path.", u.example_request(false, "library/nginx", "latest")),
            zh!("该路径在 /v2 之后带有项目名（Harbor 风格），但未开启 override_path：containerd 会请求 {}。请开启 override_path。", u.example_request(false, "library/nginx", "latest")),
        ));
    } else if !clean.is_empty() && clean != "/v2" && !e.override_path && p.output == OutputStyle::HostsDir {
        out.push(Diagnostic::info(
            url_path,
            "U4-prefix-path",
            format!("containerd appends /v2 to this path: requests go to {}. Right for Nexus/Artifactory-style prefixes; for a path that is already the API root, turn on override_path.", u.example_request(false, "library/nginx", "latest")),
            zh!("containerd 会在此路径后追加 /v2：请求将发往 {}。这适用于 Nexus/Artifactory 式前缀；若该路径本身就是 API 根路径，请开启 override_path。", u.example_request(false, "library/nginx", "latest")),
        ));
    }
    if e.override_path && clean.is_empty() {
        out.push(Diagnostic::error(
            format!("{path}.override_path"),
            "U5-override-without-path",
            format!("override_path without a path makes containerd request {} — without /v2, which no OCI registry serves. Add the API path or turn override_path off.", u.example_request(true, "library/nginx", "latest")),
            zh!("没有路径却开启了 override_path，containerd 会请求 {}（缺少 /v2），OCI 仓库不会响应。请补上 API 路径或关闭 override_path。", u.example_request(true, "library/nginx", "latest")),
        ));
    }
    if (u.scheme == "https" && u.port == Some(80)) || (u.scheme == "http" && u.port == Some(443)) {
        out.push(Diagnostic::warning(
            url_path,
            "U11-scheme-port",
            format!("{}:// on port {} is almost always a mistake.", u.scheme, u.port.unwrap_or(0)),
            zh!("{}:// 配合端口 {} 几乎总是写错了。", u.scheme, u.port.unwrap_or(0)),
        ));
    }
    let up = reg.upstream.trim();
    let is_upstream = net::check_namespace(up).is_ok()
        && format!("{}://{}", u.scheme, u.host_port) == net::upstream_url(up)
        && clean.is_empty();
    // Legacy mirrors drop the appended upstream when an endpoint has its host, so only hosts.toml tries it twice.
    if is_upstream && reg.fallback_to_upstream && reg.server.is_none() && p.output == OutputStyle::HostsDir {
        if e.tls.is_empty() && e.headers.is_empty() {
            out.push(Diagnostic::warning(
                url_path,
                "U12-upstream-as-endpoint",
                format!("{} is the upstream itself, which containerd already tries last. Remove this endpoint, or turn off the upstream fallback if this is meant to be its position.", u.host_port),
                zh!("{} 就是上游本身，containerd 已会在最后尝试它。请删除该端点；若想指定其位置，请关闭“回退到上游”。", u.host_port),
            ));
        } else {
            out.push(Diagnostic::warning(
                url_path,
                "U12-upstream-twice",
                format!("{} is the upstream itself: containerd tries it with these settings, then once more as the implicit last host without them (an x509 error there hides the real one). Turn off the upstream fallback so that it is the last host, with its settings.", u.host_port),
                zh!("{} 就是上游本身：containerd 先带这些设置尝试它，随后又作为隐式的最后一站不带这些设置再试一次（那里的 x509 错误会掩盖真正的错误）。请关闭“回退到上游”，让它带着这些设置成为最后一站。", u.host_port),
            ));
        }
    }
}

/// Release gates of the endpoint's settings (U8, H1) and capabilities that do not suit its kind (H4).
fn check_gates_and_capabilities(p: &Project, reg: &Registry, e: &Endpoint, path: &str, out: &mut Vec<Diagnostic>) {
    if e.override_path && !p.target.all_support(Feature::OverridePath) {
        out.push(Diagnostic::error(
            format!("{path}.override_path"),
            "U8-override-path-version",
            format!("override_path needs containerd {}; older releases ignore it and append /v2.", Feature::OverridePath.since()),
            zh!("override_path 需要 containerd {}；更早的版本会忽略它并追加 /v2。", Feature::OverridePath.since()),
        ));
    }
    let caps = e.effective_capabilities();
    if caps.contains(&Capability::Referrers) && !p.target.all_support(Feature::ReferrersCapability) {
        out.push(Diagnostic::error(
            format!("{path}.capabilities"),
            "H1-referrers-version",
            format!("Capability \"referrers\" needs containerd {}; older releases reject the whole hosts.toml (\"unknown capability referrers\") and silently pull from the upstream.", Feature::ReferrersCapability.since()),
            zh!("能力 \"referrers\" 需要 containerd {}；更早的版本会拒绝整个 hosts.toml（\"unknown capability referrers\"）并静默改从上游拉取。", Feature::ReferrersCapability.since()),
        ));
    }
    let is_mirror = matches!(e.kind, EndpointKind::PublicMirror | EndpointKind::PrivateMirror | EndpointKind::HarborProject);
    if is_mirror && caps.contains(&Capability::Push) {
        out.push(Diagnostic::warning(
            format!("{path}.capabilities"),
            "H4-push-on-mirror",
            "A mirror should not have the push capability: pushes for this registry would go to the mirror.",
            zh!("镜像站不应具有 push 能力：该仓库的推送会被发送到镜像站。"),
        ));
    }
    // Only a host with both resolves a tag (containerd's resolver.go `filterHosts(pull|resolve)`, `Has` wants
    // every bit); the fetcher asks every host in order for content by digest once any host has pull.
    let resolves_tags = caps.contains(&Capability::Pull) && caps.contains(&Capability::Resolve);
    if caps.contains(&Capability::Resolve) && !caps.contains(&Capability::Pull) && p.output == OutputStyle::HostsDir {
        out.push(Diagnostic::warning(
            format!("{path}.capabilities"),
            "H3-resolve-without-pull",
            "\"resolve\" without \"pull\": containerd asks a tag only of hosts with both, so this endpoint never resolves one; yet it is still asked, in its turn, for blobs and manifests by digest (the fetcher only checks that some host has \"pull\", then tries every host). Add \"pull\" if it should resolve tags, or remove the endpoint.",
            zh!("有 \"resolve\" 而没有 \"pull\"：containerd 只向两者兼有的主机解析标签，因此该端点从不解析标签；但它仍会按顺序被请求 blob 和按摘要的清单（获取器只检查是否有主机具备 \"pull\"，然后依次尝试每个主机）。若希望它解析标签，请加上 \"pull\"；否则请删除该端点。"),
        ));
    }
    if e.kind == EndpointKind::PublicMirror && resolves_tags && !reg.upstream_reachable {
        // The nodes cannot reach the registry: without a resolving mirror no tag pull works, so the trust is the
        // price of the setup, said once per mirror, not a mistake to fix.
        out.push(Diagnostic::info(
            format!("{path}.capabilities"),
            "H4-resolve-on-public-mirror",
            "resolve lets this public mirror decide which image a tag means. Needed here, as the nodes cannot reach the registry itself; pulls by digest are still checked against the digest.",
            zh!("resolve 让这个公共镜像站决定标签对应哪个镜像。这里需要它，因为节点无法访问仓库本身；按摘要拉取仍会按摘要校验。"),
        ));
    } else if e.kind == EndpointKind::PublicMirror && resolves_tags {
        out.push(Diagnostic::warning(
            format!("{path}.capabilities"),
            "H4-resolve-on-public-mirror",
            "resolve lets this public mirror decide which image a tag means. Someone else's mirror is safer as pull-only: tags are then resolved by a host you trust, and content is checked by digest.",
            zh!("resolve 让这个公共镜像站决定标签对应哪个镜像。别人的镜像站更安全的用法是只给 pull：标签由你信任的主机解析，内容按摘要校验。"),
        ));
    }
}

/// Header names and values (H9, H10).
fn check_headers(e: &Endpoint, path: &str, out: &mut Vec<Diagnostic>) {
    // Names so far, as a set: the duplicate checks here and below were quadratic in thousands of entries.
    let mut header_names = StrSet::new();
    for (k, h) in e.headers.iter().enumerate() {
        let hp = format!("{path}.headers[{k}]");
        let name = h.name.trim();
        if !header_names.insert(name) && !name.is_empty() {
            out.push(Diagnostic::warning(
                format!("{hp}.name"),
                "H9-header-duplicate",
                format!("{name} is already a header of this endpoint: the values of both are sent together."),
                zh!("{name} 已是该端点的 HTTP 头：两处的值会一起发送。"),
            ));
        }
        if name.is_empty() || !name.chars().all(is_token_char) {
            out.push(Diagnostic::error(
                format!("{hp}.name"),
                "H9-header-name",
                format!("\"{name}\" is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)."),
                zh!("\"{name}\" 不是合法的 HTTP 头名称（只能包含字母、数字和 !#$%&'*+-.^_`|~）。"),
            ));
        }
        if h.values.is_empty() {
            out.push(Diagnostic::error(format!("{hp}.values"), "H9-header-no-value", "Give the header at least one value.", zh!("请至少为该 HTTP 头填写一个值。")));
        }
        for (l, v) in h.values.iter().enumerate() {
            if let Secret::Literal(s) = v {
                if s.contains('\r') || s.contains('\n') {
                    out.push(Diagnostic::error(format!("{hp}.values[{l}]"), "H9-header-newline", "A header value cannot contain line breaks.", zh!("HTTP 头的值不能包含换行。")));
                } else if s.chars().any(|c| c.is_control() && c != '\t') {
                    out.push(Diagnostic::error(
                        format!("{hp}.values[{l}]"),
                        "H9-header-control",
                        "A header value cannot contain control characters: Go's HTTP client refuses to send it, so every request to this host would fail.",
                        zh!("HTTP 头的值不能包含控制字符：Go 的 HTTP 客户端会拒绝发送，导致对该主机的每个请求都失败。"),
                    ));
                }
            }
        }
        if crate::secrets::is_secret_header(name) && name.eq_ignore_ascii_case("authorization") {
            out.push(Diagnostic::warning(
                format!("{hp}.name"),
                "H10-authorization-header",
                "A static Authorization header is a plain-text secret in a world-readable file, and it does not do the token flow (Docker Hub ignores it). Prefer credentials in the Auth section.",
                zh!("静态 Authorization 头是明文密钥，且位于所有人可读的文件中；它也不会执行令牌流程（Docker Hub 会忽略）。建议在“认证”部分配置凭据。"),
            ));
        }
    }
}

/// `dial_timeout`: a Go duration, on releases that read it (H11).
fn check_dial_timeout(p: &Project, e: &Endpoint, path: &str, out: &mut Vec<Diagnostic>) {
    if let Some(d) = &e.dial_timeout {
        let dp = format!("{path}.dial_timeout");
        let d = d.trim();
        if !d.is_empty() {
            if !is_go_duration(d) {
                out.push(Diagnostic::error(
                    &dp,
                    "H11-dial-timeout-format",
                    format!("\"{d}\" is not a Go duration: write a number with a unit, e.g. 500ms, 3s, 1m30s. A bad value makes containerd reject the whole hosts.toml."),
                    zh!("\"{d}\" 不是 Go 时长格式：请写带单位的数字，例如 500ms、3s、1m30s。错误的值会使 containerd 拒绝整个 hosts.toml。"),
                ));
            } else if !p.target.all_support(Feature::DialTimeout) {
                out.push(Diagnostic::warning(
                    &dp,
                    "H11-dial-timeout-version",
                    format!("dial_timeout needs containerd {}; older releases in {} ignore it (30 s default).", Feature::DialTimeout.since(), p.target.describe()),
                    zh!("dial_timeout 需要 containerd {}；{} 中更早的版本会忽略它（默认 30 秒）。", Feature::DialTimeout.since(), p.target.describe()),
                ));
            }
        }
    }
}

/// What legacy-style mirrors cannot express (L1–L3, and legacy TLS).
fn check_legacy_limits(p: &Project, e: &Endpoint, path: &str, out: &mut Vec<Diagnostic>) {
    let default_caps = vec![Capability::Pull, Capability::Resolve];
    if !e.capabilities.is_empty() && e.effective_capabilities() != default_caps || e.kind == EndpointKind::PublicMirror {
        out.push(Diagnostic::warning(
            format!("{path}.capabilities"),
            "L1-legacy-capabilities",
            "Legacy mirrors cannot limit capabilities: containerd uses every endpoint for pull and resolve.",
            zh!("旧式 mirrors 无法限制能力：containerd 会把每个端点都用于 pull 和 resolve。"),
        ));
    }
    if !e.headers.is_empty() {
        out.push(Diagnostic::error(format!("{path}.headers"), "L2-legacy-headers", "Per-endpoint headers cannot be written in legacy style. Use the hosts directory.", zh!("旧式配置无法为单个端点设置 HTTP 头，请改用 hosts 目录。")));
    }
    if e.dial_timeout.as_deref().is_some_and(|d| !d.trim().is_empty()) {
        out.push(Diagnostic::error(format!("{path}.dial_timeout"), "L3-legacy-dial-timeout", "dial_timeout cannot be written in legacy style. Use the hosts directory.", zh!("旧式配置无法设置 dial_timeout，请改用 hosts 目录。")));
    }
    check_legacy_tls(p, &e.tls, &format!("{path}.tls"), out);
}

/// TLS in legacy style goes to `configs."<host>".tls`, which exists only in 1.x and holds one CA and one pair.
pub fn check_legacy_tls(p: &Project, tls: &Tls, path: &str, out: &mut Vec<Diagnostic>) {
    if tls.is_empty() {
        return;
    }
    if p.target.includes_2x() {
        out.push(Diagnostic::error(
            path,
            "C5-legacy-tls-on-2x",
            "containerd 2.x silently drops configs.<host>.tls (the field was removed in 2.0.0): these TLS settings would be ignored. Use the hosts directory, or limit the target to 1.x.",
            zh!("containerd 2.x 会静默丢弃 configs.<host>.tls（该字段已在 2.0.0 移除）：这些 TLS 设置将被忽略。请改用 hosts 目录，或把目标限制为 1.x。"),
        ));
    }
    if tls.ca.len() > 1 || tls.client.len() > 1 {
        out.push(Diagnostic::error(
            path,
            "C12-legacy-tls-one-each",
            "Legacy configs.<host>.tls holds one CA file and one certificate/key pair. Keep one of each, or use the hosts directory.",
            zh!("旧式 configs.<host>.tls 只能有一个 CA 文件和一对证书/私钥。请各保留一个，或改用 hosts 目录。"),
        ));
    }
}

/// Go's `time.ParseDuration` grammar, positive values only.
pub fn is_go_duration(s: &str) -> bool {
    let units = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"];
    let mut rest = s;
    let mut any = false;
    let mut nonzero = false;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let num = &rest[..num_len];
        if num.is_empty() || num.starts_with('.') && num.len() == 1 || num.matches('.').count() > 1 {
            return false;
        }
        if num.chars().any(|c| c.is_ascii_digit() && c != '0') {
            nonzero = true;
        }
        rest = &rest[num_len..];
        let Some(u) = units.iter().filter(|u| rest.starts_with(**u)).max_by_key(|u| u.len()) else { return false };
        rest = &rest[u.len()..];
        any = true;
    }
    any && nonzero
}

/// What [`check_registry`] reads of the project besides the registry itself: a registry checked in the same
/// context gets the same diagnostics (validate's `Memo` relies on it).
#[derive(Debug, Clone, PartialEq)]
pub struct RegistryContext {
    output: OutputStyle,
    target: crate::model::Target,
    air_gap: bool,
}

impl RegistryContext {
    pub fn of(p: &Project) -> RegistryContext {
        RegistryContext { output: p.output, target: p.target.clone(), air_gap: p.air_gap.is_some() }
    }
}

/// The checks of registry `i`'s own fields and endpoints. Reads of `p` only what [`RegistryContext`] holds.
pub fn check_registry(p: &Project, i: usize, r: &Registry, out: &mut Vec<Diagnostic>) {
    let rp = format!("registries[{i}]");
    // Compared as written into hosts.toml: `https://m.example.com/` and `https://m.example.com` are one host.
    let keys: Vec<String> = r.endpoints.iter().map(|e| net::normalize_url(&e.url)).collect();
    let mut urls = StrMap::new();
    for ((j, e), key) in r.endpoints.iter().enumerate().zip(&keys) {
        let path = format!("{rp}.endpoints[{j}]");
        check_endpoint(p, r, e, &path, out);
        if key.is_empty() {
            continue;
        }
        if let Some(first) = urls.get(key.as_str()) {
            out.push(Diagnostic::error(
                format!("{path}.url"),
                "U9-duplicate-endpoint",
                format!("{key} is already endpoint #{} of this registry; the same [host] table twice makes containerd reject the whole hosts.toml.", first + 1),
                zh!("{key} 已是该仓库的第 {} 个端点；同一个 [host] 表出现两次会使 containerd 拒绝整个 hosts.toml。", first + 1),
            ));
        } else {
            urls.insert(key.as_str(), j);
        }
    }
    if let Some(s) = r.server.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let sp = format!("{rp}.server");
        if let Some(u) = check_url(s, &sp, out) {
            if r.upstream.trim() == net::DOCKER_HUB && u.host_port == net::DOCKER_HUB {
                out.push(Diagnostic::warning(
                    &sp,
                    "U13-docker-io-server",
                    "server = https://docker.io contacts docker.io literally, not Docker Hub's registry host. Use https://registry-1.docker.io (or leave server empty).",
                    zh!("server = https://docker.io 会直接访问 docker.io，而不是 Docker Hub 的仓库主机。请使用 https://registry-1.docker.io（或留空 server）。"),
                ));
            }
        }
        if !r.fallback_to_upstream {
            out.push(Diagnostic::info(
                &sp,
                "R2-server-is-last",
                "With a server set, the server is the last host tried; the upstream itself is not contacted.",
                zh!("设置 server 后，server 是最后尝试的主机；不会再访问上游本身。"),
            ));
        }
    }
    if r.endpoints.is_empty() && r.server.as_deref().map(str::trim).unwrap_or("").is_empty() && p.air_gap.is_none() {
        if r.fallback_to_upstream {
            out.push(Diagnostic::info(
                format!("{rp}.endpoints"),
                "R1-no-endpoints",
                "No endpoints yet: this registry is pulled from the upstream as if it were not configured.",
                zh!("尚未添加端点：该仓库将像未配置一样直接从上游拉取。"),
            ));
        } else {
            out.push(Diagnostic::error(
                format!("{rp}.endpoints"),
                "R1-nowhere-to-pull",
                "No endpoints and no upstream fallback: there is nowhere to pull from. Add an endpoint or allow the fallback.",
                zh!("没有端点且不允许回退到上游：无处可拉取。请添加端点或允许回退。"),
            ));
        }
    }
    check_reachability(p, &rp, r, out);
    if p.output == OutputStyle::Legacy && !r.fallback_to_upstream && p.air_gap.is_none() {
        out.push(Diagnostic::warning(
            format!("{rp}.fallback_to_upstream"),
            "L4-legacy-always-upstream",
            "Legacy mirrors always try the upstream last; no-fallback cannot be expressed. Use the hosts directory to forbid it.",
            zh!("旧式 mirrors 总会在最后尝试上游，无法表达“不回退”。如需禁止，请改用 hosts 目录。"),
        ));
    }
}

/// The upstream (or `server`) unreachable from the nodes and no endpoint allowed to resolve: every pull by tag
/// fails. Hosts-dir style only (legacy mirrors resolve tags anyway); without any upstream host in the file, H3
/// already says no host may resolve. Pulls by digest still work, which validation cannot see.
fn check_reachability(p: &Project, rp: &str, r: &Registry, out: &mut Vec<Diagnostic>) {
    let server_set = r.server.as_deref().is_some_and(|s| !s.trim().is_empty());
    let upstream_tried = r.fallback_to_upstream || server_set;
    let mirror_resolves = r.endpoints.iter().any(|e| {
        let caps = e.effective_capabilities();
        caps.contains(&Capability::Pull) && caps.contains(&Capability::Resolve)
    });
    if r.upstream_reachable || p.output != OutputStyle::HostsDir || !upstream_tried || mirror_resolves {
        return;
    }
    let upstream = r.upstream.trim();
    out.push(Diagnostic::warning(
        format!("{rp}.upstream_reachable"),
        "R3-no-reachable-resolver",
        format!("Only {upstream} itself may resolve tags here, and the nodes cannot reach it: pulls by tag such as nginx:latest will fail on these nodes. Let a mirror you trust resolve tags (containerd asks a tag only of hosts with both \"pull\" and \"resolve\": give it both, or choose a mirror kind that resolves), or pull only by digest (image@sha256:…; this check cannot see whether you do)."),
        zh!("这里只有 {upstream} 本身能解析标签，而节点无法访问它：在这些节点上按标签拉取（如 nginx:latest）会失败。请让一个您信任的镜像站解析标签（containerd 只向同时具有 \"pull\" 和 \"resolve\" 的主机解析标签：请给它这两项能力，或选择可解析的镜像类型），或只按摘要拉取（image@sha256:…；此检查无法得知您是否这样做）。"),
    ));
}

fn host_has(h: &PlannedHost, c: Capability) -> bool {
    h.capabilities.is_empty() || h.capabilities.contains(&c)
}

/// Whether containerd asks this host for a tag: it must have both pull and resolve (resolver.go
/// `filterHosts(HostCapabilityPull | HostCapabilityResolve)`; `Has` wants every bit).
fn resolves_tags(h: &PlannedHost) -> bool {
    host_has(h, Capability::Pull) && host_has(h, Capability::Resolve)
}

/// Checks that need the expanded plan.
pub fn check_plan(p: &Project, plan: &Plan, out: &mut Vec<Diagnostic>) {
    if p.output != OutputStyle::HostsDir {
        return;
    }
    for d in &plan.dirs {
        // The implicit server (None) is the upstream itself, with every capability.
        let any_resolver = d.hosts.iter().any(resolves_tags) || d.server.as_ref().is_none_or(resolves_tags);
        if !any_resolver {
            out.push(Diagnostic::warning(
                &d.origin,
                "H3-no-resolve",
                format!("No host for {} may resolve tags: containerd asks a tag only of hosts with both \"pull\" and \"resolve\", so pulls by tag fail with \"no resolve hosts: not found\". Give one endpoint both capabilities, or allow the upstream fallback.", d.namespace),
                zh!("{} 没有任何主机可以解析标签：containerd 只向同时具有 \"pull\" 和 \"resolve\" 的主机解析标签，因此按标签拉取会失败（\"no resolve hosts: not found\"）。请给某个端点同时加上这两项能力，或允许回退到上游。", d.namespace),
            ));
        }
        // URL → the first host with it.
        let mut seen = StrMap::new();
        for (k, h) in d.hosts.iter().enumerate() {
            // Two endpoints of one registry are reported where they are typed (U9 in `check`).
            let dup = seen.get(h.url.as_str()).map(|&first| &d.hosts[first]);
            let both_typed = dup.is_some_and(|s| s.origin.starts_with("registries[") && h.origin.starts_with("registries["));
            if dup.is_some() && !both_typed {
                let at = if h.origin.starts_with("registries[") { format!("{}.url", h.origin) } else { h.origin.clone() };
                out.push(Diagnostic::error(
                    at,
                    "U9-duplicate-endpoint",
                    format!("{} appears twice in {}'s hosts.toml (here and as another endpoint); containerd would reject the file.", h.url, d.namespace),
                    zh!("{} 在 {} 的 hosts.toml 中出现了两次；containerd 会拒绝该文件。", h.url, d.namespace),
                ));
            }
            crate::str_index::insert_first(&mut seen, &h.url, k);
        }
    }
    for (origin, path) in &plan.shipped_conflicts {
        out.push(Diagnostic::error(
            format!("{origin}.name"),
            "H5-ca-name-clash",
            format!("Another, different CA certificate is already shipped as {path}: give this one another name."),
            zh!("另一张不同的 CA 证书已使用 {path}：请为这张证书换一个名称。"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::is_go_duration;
    use crate::diagnostics::Severity;
    use crate::model::*;
    use crate::validate::test_util::*;
    use crate::validate::validate;

    fn one(e: Endpoint) -> Project {
        let mut p = Project::default();
        p.registries.push(Registry { upstream: "docker.io".into(), endpoints: vec![e], ..Default::default() });
        p
    }
    fn ep(url: &str) -> Endpoint {
        Endpoint { url: url.into(), ..Default::default() }
    }

    #[test]
    fn unreachable_upstream_with_only_pull_only_mirrors_warns_at_the_field() {
        let mut p = one(Endpoint { kind: EndpointKind::PublicMirror, ..ep("https://mirror.example.com") });
        assert!(!codes(&validate(&p)).contains(&"R3-no-reachable-resolver"), "reachable by default");
        p.registries[0].upstream_reachable = false;
        let d = validate(&p);
        let w = find(&d, "R3-no-reachable-resolver", "registries[0].upstream_reachable");
        assert_eq!(w.severity, Severity::Warning);
        assert!(w.message.en.contains("nginx:latest") && w.message.en.contains("digest"), "{}", w.message.en);
        assert!(w.message.zh.contains("摘要") && w.message.zh.contains("："), "{}", w.message.zh);
        // A mirror allowed to resolve: tags resolve without the upstream.
        p.registries[0].endpoints[0].capabilities = vec![Capability::Pull, Capability::Resolve];
        assert!(!codes(&validate(&p)).contains(&"R3-no-reachable-resolver"));
        // So does a private mirror by its kind's defaults.
        let mut p = one(ep("https://mirror.example.com"));
        p.registries[0].upstream_reachable = false;
        assert!(!codes(&validate(&p)).contains(&"R3-no-reachable-resolver"));
    }

    /// containerd asks a tag only of hosts with both pull and resolve (real 1.6.20, 1.7.24 and 2.1.9,
    /// tests/real-containerd l-resolve-only): a resolve-only mirror beside pull-only ones resolves nothing.
    #[test]
    fn a_tag_needs_a_host_with_pull_and_resolve() {
        let resolve_only = Endpoint { capabilities: vec![Capability::Resolve], ..ep("https://mirror.example.com") };
        let pull_only = Endpoint { kind: EndpointKind::PublicMirror, ..ep("https://cache.example.com") };
        let mut p = one(resolve_only);
        p.registries[0].endpoints.push(pull_only);
        p.registries[0].fallback_to_upstream = false;
        let d = validate(&p);
        let h3 = find(&d, "H3-no-resolve", "registries[0]");
        assert_eq!(h3.severity, Severity::Warning);
        assert!(h3.message.en.contains("both \"pull\" and \"resolve\"") && h3.message.en.contains("no resolve hosts"), "{}", h3.message.en);
        assert!(h3.message.zh.contains("同时具有") && h3.message.zh.contains("："), "{}", h3.message.zh);
        let w = find(&d, "H3-resolve-without-pull", "registries[0].endpoints[0].capabilities");
        assert_eq!(w.severity, Severity::Warning);
        assert!(w.message.en.contains("never resolves") && w.message.en.contains("blobs and manifests by digest"), "{}", w.message.en);
        assert!(w.message.zh.contains("从不解析标签") && w.message.zh.contains("（"), "{}", w.message.zh);
        assert!(errors(&d).is_empty(), "{:?}", errors(&d));

        // The upstream, tried last with every capability, resolves the tag; the mirror is still never asked for it.
        p.registries[0].fallback_to_upstream = true;
        let d = validate(&p);
        assert!(!codes(&d).contains(&"H3-no-resolve"));
        find(&d, "H3-resolve-without-pull", "registries[0].endpoints[0].capabilities");

        // With pull and resolve the mirror resolves: nothing to say.
        p.registries[0].fallback_to_upstream = false;
        p.registries[0].endpoints[0].capabilities = vec![Capability::Pull, Capability::Resolve];
        let d = validate(&p);
        assert!(!d.iter().any(|x| x.code.starts_with("H3-")), "{:?}", codes(&d));

        // Legacy mirrors use every endpoint for pull and resolve (L1 says so): no resolve-only host there.
        let mut p = one(Endpoint { capabilities: vec![Capability::Resolve], ..ep("https://mirror.example.com") });
        p.output = OutputStyle::Legacy;
        p.target.max = "1.7.x".parse().unwrap();
        let d = validate(&p);
        assert!(!codes(&d).contains(&"H3-resolve-without-pull"));
        find(&d, "L1-legacy-capabilities", "registries[0].endpoints[0].capabilities");
    }

    /// A public mirror with resolve but no pull does not decide what a tag means: H4 would say it does.
    #[test]
    fn resolve_only_public_mirror_is_not_trusted_with_tags() {
        let p = one(Endpoint { kind: EndpointKind::PublicMirror, capabilities: vec![Capability::Resolve], ..ep("https://m.example.com") });
        let d = validate(&p);
        assert!(!codes(&d).contains(&"H4-resolve-on-public-mirror"), "{:?}", codes(&d));
        find(&d, "H3-resolve-without-pull", "registries[0].endpoints[0].capabilities");
    }

    #[test]
    fn a_resolve_only_mirror_is_no_reachable_resolver() {
        let mut p = one(Endpoint { capabilities: vec![Capability::Resolve], ..ep("https://mirror.example.com") });
        p.registries[0].endpoints.push(Endpoint { kind: EndpointKind::PublicMirror, ..ep("https://cache.example.com") });
        p.registries[0].upstream_reachable = false;
        let w = find(&validate(&p), "R3-no-reachable-resolver", "registries[0].upstream_reachable").clone();
        assert!(w.message.en.contains("both \"pull\" and \"resolve\""), "{}", w.message.en);
        assert!(w.message.zh.contains("\"pull\" 和 \"resolve\""), "{}", w.message.zh);
        p.registries[0].endpoints[0].capabilities.push(Capability::Pull);
        assert!(!codes(&validate(&p)).contains(&"R3-no-reachable-resolver"));
    }

    /// HTTPS first for an http:// host with TLS settings is hosts.toml's; a legacy mirror stays plain HTTP
    /// (real containerd 1.6.20 and 1.7.24 log no "host will try HTTPS first" for it, f-legacy-mirrors).
    #[test]
    fn https_first_is_said_for_hosts_toml_only() {
        let mut e = ep("http://m.example.com:5000");
        e.tls.ca.push(CaCert::Path("/etc/containerd/certs/ca.crt".into()));
        let mut p = one(e);
        let d = validate(&p);
        let u10 = find(&d, "U10-tls-on-http", "registries[0].endpoints[0].tls");
        assert!(u10.message.en.contains("tries HTTPS first"), "{}", u10.message.en);
        assert!(!codes(&d).contains(&"L5-legacy-http-with-tls"));

        p.output = OutputStyle::Legacy;
        p.target.max = "1.7.x".parse().unwrap();
        let d = validate(&p);
        assert!(!codes(&d).contains(&"U10-tls-on-http"), "{:?}", codes(&d));
        let info = find(&d, "L5-legacy-http-with-tls", "registries[0].endpoints[0].tls");
        assert_eq!(info.severity, Severity::Info);
        assert!(info.message.en.contains("plain HTTP") && info.message.en.contains("does not try HTTPS first"), "{}", info.message.en);
        assert!(info.message.zh.contains("纯 HTTP") && info.message.zh.contains("："), "{}", info.message.zh);
        assert!(errors(&d).is_empty(), "{:?}", errors(&d));

        // Harbor's and the air-gap registry's TLS go through the same check.
        let air_gap = AirGap {
            registry: "http://registry.internal:5000".into(),
            namespaces: vec!["quay.io".into()],
            tls: Tls { skip_verify: true, ..Default::default() },
            ..Default::default()
        };
        let mut p = Project { air_gap: Some(air_gap), ..Default::default() };
        find(&validate(&p), "U10-tls-on-http", "air_gap.tls");
        p.output = OutputStyle::Legacy;
        p.target.max = "1.7.x".parse().unwrap();
        let d = validate(&p);
        assert!(!codes(&d).contains(&"U10-tls-on-http"), "{:?}", codes(&d));
        find(&d, "L5-legacy-http-with-tls", "air_gap.tls");
    }

    #[test]
    fn url_forms() {
        for (url, code) in [
            ("mirror.example.com", "U1-scheme"),
            ("HTTPS://m.example.com", "U1-scheme"),
            ("ftp://m.example.com", "U1-scheme"),
            ("https://u:p@m.example.com", "U3-userinfo"),
            ("https://m.example.com/?x=1", "U3-query"),
            ("https://m.example.com/#x", "U3-fragment"),
            ("https://fd00::5:5000", "U2-host"),
            ("https://docker.i://registry-1.docker.io", "U2-host"),
        ] {
            find(&validate(&one(ep(url))), code, "registries[0].endpoints[0].url");
        }
    }

    #[test]
    fn harbor_path_without_override_path_is_an_error() {
        let d = validate(&one(ep("https://cr.example.com/v2/dockerhub")));
        let x = find(&d, "U6-v2-path-without-override", "registries[0].endpoints[0].url");
        assert!(x.message.en.contains("/v2/dockerhub/v2/library/nginx"), "{}", x.message.en);
        let ok = Endpoint { override_path: true, ..ep("https://cr.example.com/v2/dockerhub") };
        assert!(errors(&validate(&one(ok))).is_empty());
        let harbor = Endpoint { kind: EndpointKind::HarborProject, ..ep("https://cr.example.com/dockerhub") };
        find(&validate(&one(harbor)), "U6-harbor-path", "registries[0].endpoints[0].url");
    }

    #[test]
    fn override_path_needs_a_path_and_1_6() {
        let e = Endpoint { override_path: true, ..ep("https://cr.example.com") };
        find(&validate(&one(e)), "U5-override-without-path", "registries[0].endpoints[0].override_path");
        let mut p = one(Endpoint { override_path: true, ..ep("https://cr.example.com/v2/x") });
        p.target.min = "1.5.9".parse().unwrap();
        find(&validate(&p), "U8-override-path-version", "registries[0].endpoints[0].override_path");
    }

    #[test]
    fn duplicate_endpoints() {
        let mut p = one(ep("https://m.example.com"));
        p.registries[0].endpoints.push(ep("https://m.example.com"));
        find(&validate(&p), "U9-duplicate-endpoint", "registries[0].endpoints[1].url");
    }

    /// The same URL with and without its root slash is one endpoint: reported as a duplicate, and the slash is
    /// said to be dropped wherever a URL is typed. Before, both were accepted and written as two [host] tables.
    #[test]
    fn a_root_slash_is_dropped_and_duplicates_found_after_it() {
        let mut p = one(ep("https://m.example.com"));
        p.registries[0].endpoints.push(ep("https://m.example.com/"));
        let d = validate(&p);
        let dup = find(&d, "U9-duplicate-endpoint", "registries[0].endpoints[1].url");
        assert!(dup.message.en.starts_with("https://m.example.com is already endpoint #1"), "{}", dup.message.en);
        let info = find(&d, "U7-trailing-slash", "registries[0].endpoints[1].url");
        assert_eq!(info.severity, Severity::Info);
        assert!(info.message.en.contains("https://m.example.com is written"), "{}", info.message.en);
        assert!(info.message.zh.contains("https://m.example.com"));
        assert_eq!(d.iter().filter(|x| x.code == "U7-trailing-slash").count(), 1);

        let mut p = one(ep("https://m.example.com/"));
        p.registries[0].server = Some("https://r.example.com/".into());
        p.harbor = Some(HarborProxy { address: "https://harbor.example.com/".into(), ..Default::default() });
        p.air_gap = Some(AirGap { registry: "https://registry.internal:5000/".into(), namespaces: vec!["quay.io".into()], ..Default::default() });
        let d = validate(&p);
        for at in ["registries[0].endpoints[0].url", "registries[0].server", "harbor.address", "air_gap.registry"] {
            find(&d, "U7-trailing-slash", at);
        }
        assert!(!codes(&d).contains(&"HB1-address-path"));
        // A path of the user's is not a root slash.
        let d = validate(&one(Endpoint { override_path: true, ..ep("https://cr.example.com/v2/quay/") }));
        assert!(!codes(&d).contains(&"U7-trailing-slash"));
    }

    /// Every writer gets the URL without the root slash: hosts.toml keys and `server`, legacy mirrors.
    #[test]
    fn a_root_slash_is_not_written() {
        let mut p = one(ep("https://mirror.example.com/"));
        p.registries[0].server = Some("https://r.example.com/".into());
        let r = crate::render(&p);
        let hosts = r.files.iter().find(|f| f.path.ends_with("docker.io/hosts.toml")).expect("hosts.toml");
        assert!(hosts.content.contains("[host.\"https://mirror.example.com\"]"), "{}", hosts.content);
        assert!(hosts.content.contains("server = \"https://r.example.com\""), "{}", hosts.content);
        assert!(!hosts.content.contains(".com/"), "{}", hosts.content);
        let readme = r.files.iter().find(|f| f.path.ends_with("README.txt")).expect("README");
        assert!(!readme.content.contains("mirror.example.com/"), "{}", readme.content);

        let mut p = one(ep("https://mirror.example.com/"));
        p.air_gap = Some(AirGap { registry: "https://registry.internal:5000/".into(), namespaces: vec!["quay.io".into()], ..Default::default() });
        let r = crate::render(&p);
        let quay = r.files.iter().find(|f| f.path.ends_with("quay.io/hosts.toml")).expect("quay.io");
        assert!(quay.content.contains("\"https://registry.internal:5000\""), "{}", quay.content);
        assert!(!quay.content.contains(":5000/"), "{}", quay.content);
    }

    #[test]
    fn tls_rules() {
        let mut e = ep("http://m.example.com:5000");
        e.tls.skip_verify = true;
        let d = validate(&one(e));
        find(&d, "U10-tls-on-http", "registries[0].endpoints[0].tls");
        assert_eq!(find(&d, "H8-skip-verify", "registries[0].endpoints[0].tls.skip_verify").severity, Severity::Warning);

        let mut e = ep("https://m.example.com");
        e.tls.client.push(ClientCert::Pair { cert: "/etc/certs/c.pem".into(), key: "".into() });
        e.tls.client.push(ClientCert::Combined("".into()));
        e.tls.ca.push(CaCert::Path("ca.crt".into()));
        let d = validate(&one(e));
        find(&d, "H6-client-pair-empty-key", "registries[0].endpoints[0].tls.client[0].key");
        find(&d, "H6-empty-path", "registries[0].endpoints[0].tls.client[1]");
        find(&d, "H7-relative-path", "registries[0].endpoints[0].tls.ca[0]");

        let mut e = ep("https://m.example.com");
        e.tls.ca.push(CaCert::Pem { name: "../x".into(), pem: "hello".into() });
        let d = validate(&one(e));
        find(&d, "H5-ca-file-name", "registries[0].endpoints[0].tls.ca[0].name");
        find(&d, "H5-ca-not-pem", "registries[0].endpoints[0].tls.ca[0].pem");
    }

    macro_rules! pem_fixture {
        ($name:literal) => {
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pem/", $name))
        };
    }

    fn with_ca(pem: &str) -> Project {
        let mut e = ep("https://m.example.com");
        e.tls.ca.push(CaCert::Pem { name: "ca".into(), pem: pem.into() });
        one(e)
    }

    /// Each outcome of the DER check lands at the PEM field as an error (a non-CA certificate: a warning).
    /// The old check looked at the base64 alphabet only and let every one of the damaged certificates, the
    /// disguised key and the trailing bytes through.
    #[test]
    fn ca_pem_is_parsed_to_its_der() {
        const AT: &str = "registries[0].endpoints[0].tls.ca[0].pem";
        for (text, code) in [
            (pem_fixture!("truncated-line.crt"), "H5-ca-truncated"),
            (pem_fixture!("truncated-byte.crt"), "H5-ca-truncated"),
            (pem_fixture!("flipped-outer-length.crt"), "H5-ca-truncated"),
            (pem_fixture!("flipped-tbs-length.crt"), "H5-ca-malformed"),
            (pem_fixture!("base64-char-missing.crt"), "H5-ca-base64"),
            (pem_fixture!("trailing-bytes.crt"), "H5-ca-trailing-bytes"),
            (pem_fixture!("key-as-certificate.crt"), "H5-ca-private-key"),
            (pem_fixture!("pkcs8.key"), "H5-ca-private-key"),
            (pem_fixture!("rsa.key"), "H5-ca-private-key"),
            (pem_fixture!("ec.key"), "H5-ca-private-key"),
            (pem_fixture!("encrypted.key"), "H5-ca-private-key"),
            (pem_fixture!("openssh.key"), "H5-ca-private-key"),
            (pem_fixture!("csr.pem"), "H5-ca-csr"),
            (pem_fixture!("csr-as-certificate.crt"), "H5-ca-csr"),
            (pem_fixture!("trusted.crt"), "H5-ca-trusted-certificate"),
            ("hello", "H5-ca-not-pem"),
        ] {
            let d = validate(&with_ca(text));
            let x = find(&d, code, AT);
            assert_eq!(x.severity, Severity::Error, "{code}");
            assert!(!x.message.zh.is_empty());
        }
        let truncated = validate(&with_ca(pem_fixture!("truncated-line.crt")));
        assert!(find(&truncated, "H5-ca-truncated", AT).message.en.contains("cut off when copied"));
        let w = validate(&with_ca(pem_fixture!("leaf-not-ca.crt")));
        assert_eq!(find(&w, "H5-ca-not-a-ca", AT).severity, Severity::Warning);
        assert!(errors(&w).is_empty());
        for good in [pem_fixture!("ca.crt"), pem_fixture!("chain.crt"), pem_fixture!("with-text.crt"), pem_fixture!("rsa-ca.crt")] {
            assert!(validate(&with_ca(good)).iter().all(|d| !d.code.starts_with("H5-")), "{good}");
        }
    }

    /// A certificate followed by its key: the key is refused even though the certificate is fine.
    #[test]
    fn private_key_next_to_a_certificate_is_refused() {
        let text = format!("{}{}", pem_fixture!("ca.crt"), pem_fixture!("pkcs8.key"));
        let d = validate(&with_ca(&text));
        assert_eq!(find(&d, "H5-ca-private-key", "registries[0].endpoints[0].tls.ca[0].pem").severity, Severity::Error);
        assert!(!crate::render(&with_ca(&text)).installable);
    }

    /// Harbor's and the air-gap registry's TLS go through the same check.
    #[test]
    fn harbor_and_air_gap_ca_pem_are_parsed_too() {
        let ca = || Tls { ca: vec![CaCert::Pem { name: "ca".into(), pem: pem_fixture!("truncated-byte.crt").into() }], ..Default::default() };
        let harbor = HarborProxy { address: "https://harbor.example.com".into(), tls: ca(), ..Default::default() };
        let p = Project { harbor: Some(harbor), ..Default::default() };
        find(&validate(&p), "H5-ca-truncated", "harbor.tls.ca[0].pem");
        let air_gap = AirGap { registry: "https://registry.internal:5000".into(), namespaces: vec!["docker.io".into()], tls: ca(), ..Default::default() };
        let p = Project { air_gap: Some(air_gap), ..Default::default() };
        find(&validate(&p), "H5-ca-truncated", "air_gap.tls.ca[0].pem");
    }

    /// PEM pasted into a path field (CA path, client certificate or key): a key is refused as a key, any other
    /// PEM is told that the field wants a path. Before, both were a misleading "relative path".
    #[test]
    fn pem_pasted_into_a_path_field() {
        let mut e = ep("https://m.example.com");
        e.tls.ca.push(CaCert::Path(pem_fixture!("ca.crt").into()));
        e.tls.client.push(ClientCert::Combined(pem_fixture!("ec.key").into()));
        e.tls.client.push(ClientCert::Pair { cert: "/etc/c.pem".into(), key: pem_fixture!("rsa.key").into() });
        let d = validate(&one(e));
        find(&d, "H7-pem-in-path", "registries[0].endpoints[0].tls.ca[0]");
        find(&d, "H7-private-key-in-path", "registries[0].endpoints[0].tls.client[0]");
        find(&d, "H7-private-key-in-path", "registries[0].endpoints[0].tls.client[1].key");
        assert!(!codes(&d).contains(&"H7-relative-path"));
        // A path that merely names a key is a path.
        let mut e = ep("https://m.example.com");
        e.tls.client.push(ClientCert::Pair { cert: "/etc/c.pem".into(), key: "/etc/keys/my private key.pem".into() });
        assert!(errors(&validate(&one(e))).is_empty());
    }

    #[test]
    fn capabilities_rules() {
        let e = Endpoint { kind: EndpointKind::PublicMirror, capabilities: vec![Capability::Pull, Capability::Resolve], ..ep("https://m.example.com") };
        let mut p = one(e);
        assert_eq!(find(&validate(&p), "H4-resolve-on-public-mirror", "registries[0].endpoints[0].capabilities").severity, Severity::Warning);
        // Nodes that cannot reach the registry need the mirror to resolve: said, but not as a warning.
        p.registries[0].upstream_reachable = false;
        assert_eq!(find(&validate(&p), "H4-resolve-on-public-mirror", "registries[0].endpoints[0].capabilities").severity, Severity::Info);
        let e = Endpoint { capabilities: vec![Capability::Pull, Capability::Push], ..ep("https://m.example.com") };
        find(&validate(&one(e)), "H4-push-on-mirror", "registries[0].endpoints[0].capabilities");
        let e = Endpoint { capabilities: vec![Capability::Pull, Capability::Referrers], ..ep("https://m.example.com") };
        find(&validate(&one(e)), "H1-referrers-version", "registries[0].endpoints[0].capabilities");
        // A public mirror alone with no fallback cannot resolve tags.
        let mut p = one(Endpoint { kind: EndpointKind::PublicMirror, ..ep("https://m.example.com") });
        p.registries[0].fallback_to_upstream = false;
        find(&validate(&p), "H3-no-resolve", "registries[0]");
    }

    #[test]
    fn headers_and_dial_timeout() {
        let mut e = ep("https://m.example.com");
        e.headers.push(Header { name: "Bad Name".into(), values: vec![Secret::literal("x\ny")] });
        e.headers.push(Header { name: "Authorization".into(), values: vec![Secret::literal("Basic abc")] });
        e.dial_timeout = Some("3".into());
        let d = validate(&one(e));
        find(&d, "H9-header-name", "registries[0].endpoints[0].headers[0].name");
        find(&d, "H9-header-newline", "registries[0].endpoints[0].headers[0].values[0]");
        find(&d, "H10-authorization-header", "registries[0].endpoints[0].headers[1].name");
        find(&d, "H11-dial-timeout-format", "registries[0].endpoints[0].dial_timeout");
        let mut p = one(Endpoint { dial_timeout: Some("3s".into()), ..ep("https://m.example.com") });
        find(&validate(&p), "H11-dial-timeout-version", "registries[0].endpoints[0].dial_timeout");
        p.target = Target { min: "2.0.7".parse().unwrap(), max: "2.2.x".parse().unwrap() };
        assert!(!codes(&validate(&p)).contains(&"H11-dial-timeout-version"));
    }

    #[test]
    fn go_durations() {
        for ok in ["500ms", "3s", "1m30s", "1.5h", "10us", "2µs"] {
            assert!(is_go_duration(ok), "{ok}");
        }
        for bad in ["3", "s", "", "0s", "-1s", "3 s", "1x", "..5s"] {
            assert!(!is_go_duration(bad), "{bad}");
        }
    }

    #[test]
    fn legacy_style_limits() {
        let mut e = ep("https://m.example.com");
        e.tls.ca.push(CaCert::Path("/etc/ca.crt".into()));
        e.headers.push(Header { name: "X-A".into(), values: vec![Secret::literal("1")] });
        let mut p = one(e);
        p.output = OutputStyle::Legacy;
        let d = validate(&p);
        find(&d, "C5-legacy-tls-on-2x", "registries[0].endpoints[0].tls");
        find(&d, "L2-legacy-headers", "registries[0].endpoints[0].headers");
    }
}
