//! Registry names and endpoint URLs, parsed as strictly as containerd *should* (spec §2.4, §7.1, §7.2).
//!
//! containerd itself accepts garbage such as `HTTPS://x` (host `HTTPS:`) or `*` and then silently pulls from
//! somewhere else; these parsers reject it up front with a reason the user can act on.

/// Docker Hub's namespace and the host containerd actually contacts for it.
pub const DOCKER_HUB: &str = "docker.io";
pub const DOCKER_HUB_HOST: &str = "registry-1.docker.io";
/// Names people write for Docker Hub that are not its namespace (spec N5).
pub const DOCKER_HUB_ALIASES: [&str; 3] = ["index.docker.io", "registry-1.docker.io", "hub.docker.com"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Empty,
    /// A character that may never appear, e.g. `/`, `\`, NUL, whitespace, `..`: the name becomes a directory.
    Forbidden(char),
    DotDot,
    HasScheme,
    BadLabel(String),
    BadIpv6,
    BadPort(String),
    /// A single label without port or dot, e.g. `registry`: containerd reads it as a Docker Hub user.
    NotARegistry,
    UpperCase,
    TooLong,
    /// `user:password@host`: credentials typed into a host name. Checked first, and never quoted back, since
    /// the password may hold any character.
    Userinfo,
}

/// Host and optional port, split (IPv6 keeps its brackets).
pub fn split_host_port(s: &str) -> (&str, Option<&str>) {
    if s.starts_with('[') {
        if let Some(end) = s.find(']') {
            let host = &s[..=end];
            let rest = &s[end + 1..];
            return match rest.strip_prefix(':') {
                Some(p) => (host, Some(p)),
                None => (host, if rest.is_empty() { None } else { Some(rest) }),
            };
        }
        return (s, None);
    }
    match s.rfind(':') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

fn valid_label(l: &str) -> bool {
    let b = l.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

fn valid_port(p: &str) -> bool {
    !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) && matches!(p.parse::<u32>(), Ok(1..=65535))
}

fn valid_ipv6_literal(h: &str) -> bool {
    // `[` hex and colons `]`, no zone id, at most one `::`, 2..=8 groups (distribution's reference grammar).
    let Some(inner) = h.strip_prefix('[').and_then(|x| x.strip_suffix(']')) else { return false };
    if inner.is_empty() || !inner.bytes().all(|c| c.is_ascii_hexdigit() || c == b':') {
        return false;
    }
    if inner.matches("::").count() > 1 || inner.contains(":::") {
        return false;
    }
    let groups: Vec<&str> = inner.split(':').collect();
    groups.len() <= 8 && groups.iter().all(|g| g.len() <= 4) && (groups.len() == 8 || inner.contains("::"))
}

/// Checks a host[:port] (no scheme, no path): grammar of image-reference domains.
pub fn check_host_port(s: &str) -> Result<(), NameError> {
    if s.is_empty() {
        return Err(NameError::Empty);
    }
    if s.contains('@') {
        return Err(NameError::Userinfo);
    }
    if s.contains("..") {
        return Err(NameError::DotDot);
    }
    if let Some(c) = s.chars().find(|c| matches!(c, '/' | '\\' | '\0') || c.is_whitespace() || c.is_control()) {
        return Err(NameError::Forbidden(c));
    }
    if s.contains("://") {
        return Err(NameError::HasScheme);
    }
    if s.len() > 253 {
        return Err(NameError::TooLong);
    }
    let (host, port) = split_host_port(s);
    if let Some(p) = port {
        if !valid_port(p) {
            return Err(NameError::BadPort(p.to_string()));
        }
    }
    if host.starts_with('[') {
        if !valid_ipv6_literal(host) {
            return Err(NameError::BadIpv6);
        }
        return Ok(());
    }
    if host.contains(':') {
        return Err(NameError::BadIpv6);
    }
    for label in host.split('.') {
        if !valid_label(label) {
            return Err(NameError::BadLabel(label.to_string()));
        }
    }
    Ok(())
}

/// Checks a registry namespace as written in image names ("docker.io", "registry.example.com:5000").
pub fn check_namespace(s: &str) -> Result<(), NameError> {
    check_host_port(s)?;
    let (host, port) = split_host_port(s);
    if port.is_none() && !host.contains('.') && host != "localhost" && !host.starts_with('[') {
        return Err(NameError::NotARegistry);
    }
    if s.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(NameError::UpperCase);
    }
    Ok(())
}

pub fn is_localhost(host_port: &str) -> bool {
    let (h, _) = split_host_port(host_port);
    h == "localhost" || h == "[::1]" || h.starts_with("127.")
}

/// The URL containerd falls back to for a namespace when `server` is not set (spec §2.2).
pub fn upstream_url(namespace: &str) -> String {
    if namespace == DOCKER_HUB {
        format!("https://{DOCKER_HUB_HOST}")
    } else {
        format!("https://{namespace}")
    }
}

/// The host[:port] containerd contacts for a namespace's own upstream (and keys its credentials by).
pub fn upstream_host(namespace: &str) -> String {
    if namespace == DOCKER_HUB {
        DOCKER_HUB_HOST.to_string()
    } else {
        namespace.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUrl {
    pub scheme: String,
    /// host[:port] exactly as written (the key containerd uses for credentials).
    pub host_port: String,
    pub port: Option<u16>,
    /// Path as written, "" when absent.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    Empty,
    MissingScheme,
    /// Scheme other than http/https, or not lower-case.
    BadScheme(String),
    Userinfo,
    Query,
    Fragment,
    Whitespace,
    Host(NameError),
}

/// Where credentials could be in a URL-shaped string: from just after `scheme://` (or the start, without one) up
/// to and including the *last* `@`. The last one, not the first: a password may hold `@`, `/` or `:` (pasted
/// unencoded), and cutting up to the last `@` removes all of it whatever else the string holds. `None` without `@`.
pub fn userinfo_span(s: &str) -> Option<std::ops::Range<usize>> {
    let start = s.find("://").map_or(0, |i| i + 3);
    let at = start + s[start..].rfind('@')?;
    Some(start..at + 1)
}

/// Whether `s` (what follows an `@`) is a digest as image references end with: a registered algorithm of the OCI
/// image spec, `:`, and `[A-Za-z0-9=_-]+`. Only registered algorithms, so `robot:PW@registry.internal:5000` (host
/// `registry.internal`, "encoded" `5000`) is not taken for one.
fn is_digest(s: &str) -> bool {
    let Some((alg, enc)) = s.split_once(':') else { return false };
    matches!(alg, "sha256" | "sha384" | "sha512" | "blake3")
        && !enc.is_empty()
        && enc.bytes().all(|b| b.is_ascii_alphanumeric() || b"=_-".contains(&b))
}

/// Credentials in an image reference (`robot:PW@registry/pause:3.9`, or with a `scheme://` in front): the span
/// from the start (or after `://`) to the last `@` that does not begin the trailing `@digest`.
pub fn image_userinfo_span(s: &str) -> Option<std::ops::Range<usize>> {
    let start = s.find("://").map_or(0, |i| i + 3);
    let mut body = &s[start..];
    if let Some(i) = body.rfind('@') {
        if is_digest(body[i + 1..].trim_end()) {
            body = &body[..i];
        }
    }
    let at = start + body.rfind('@')?;
    Some(start..at + 1)
}

pub fn parse_url(s: &str) -> Result<ParsedUrl, UrlError> {
    if s.is_empty() {
        return Err(UrlError::Empty);
    }
    // Before anything else, so `robot:PW@host` (no scheme), `https://robot:p/w@host` (a `/` in the password) or
    // one with spaces are refused as credentials too, and no other message echoes the password. An `@` has no
    // other use in a registry URL, so any `@` counts.
    if s.contains('@') {
        return Err(UrlError::Userinfo);
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlError::Whitespace);
    }
    let Some((scheme, rest)) = s.split_once("://") else { return Err(UrlError::MissingScheme) };
    if scheme != "http" && scheme != "https" {
        return Err(UrlError::BadScheme(scheme.to_string()));
    }
    if rest.contains('#') {
        return Err(UrlError::Fragment);
    }
    if rest.contains('?') {
        return Err(UrlError::Query);
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    check_host_port(authority).map_err(UrlError::Host)?;
    if path.contains("..") || path.contains('\\') {
        return Err(UrlError::Host(NameError::DotDot));
    }
    let (_, port) = split_host_port(authority);
    Ok(ParsedUrl {
        scheme: scheme.to_string(),
        host_port: authority.to_string(),
        port: port.and_then(|p| p.parse().ok()),
        path: path.to_string(),
    })
}

/// Whether a URL's path is nothing but slashes (`https://m.example.com/`): the registry's root, written with a
/// slash. Only that: any other path (`/v2/project/`) is the user's and stays as typed.
pub fn is_root_slash(path: &str) -> bool {
    !path.is_empty() && path.bytes().all(|b| b == b'/')
}

/// An endpoint, `server` or air-gap URL as it is written into every file, and compared for duplicates: trimmed,
/// and a root-only path (`https://m.example.com/`) dropped. In hosts.toml containerd cleans that `/` away (the same
/// requests either way), yet `…/` and `…` are two `[host]` keys; in a legacy `endpoint` the `/` would even cost
/// the `/v2` (spec §1.8). Other paths are kept: containerd cleans `/v2/project/` itself, and the text is the user's.
/// A URL that does not parse is only trimmed (validation reports it).
pub fn normalize_url(s: &str) -> String {
    let s = s.trim();
    match parse_url(s) {
        Ok(u) if is_root_slash(&u.path) => format!("{}://{}", u.scheme, u.host_port),
        _ => s.to_string(),
    }
}

impl ParsedUrl {
    /// The API root containerd derives for a hosts.toml entry (spec §2.4).
    pub fn api_root(&self, override_path: bool) -> String {
        let cleaned = clean_path(&self.path);
        if cleaned.is_empty() {
            if override_path {
                String::new()
            } else {
                "/v2".to_string()
            }
        } else if cleaned.ends_with("/v2") || override_path {
            cleaned
        } else {
            format!("{cleaned}/v2")
        }
    }

    /// Example request containerd makes for `repo:tag` through this endpoint.
    pub fn example_request(&self, override_path: bool, repo: &str, tag: &str) -> String {
        format!("{}://{}{}/{}/manifests/{}", self.scheme, self.host_port, self.api_root(override_path), repo, tag)
    }
}

/// `path.Clean` for the shapes we accept: drops duplicate and trailing slashes; "/" and "" become "".
pub fn clean_path(p: &str) -> String {
    let parts: Vec<&str> = p.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("/{}", parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces() {
        for ok in ["docker.io", "registry.example.com:5000", "localhost", "localhost:5000", "[::1]:5000", "[fd00::1]", "10.0.0.1:5000", "my-registry:2524"] {
            assert_eq!(check_namespace(ok), Ok(()), "{ok}");
        }
        assert_eq!(check_namespace(""), Err(NameError::Empty));
        assert_eq!(check_namespace("../etc"), Err(NameError::DotDot));
        assert_eq!(check_namespace("a/b"), Err(NameError::Forbidden('/')));
        assert_eq!(check_namespace("a\\b.io"), Err(NameError::Forbidden('\\')));
        assert_eq!(check_namespace("a\0.io"), Err(NameError::Forbidden('\0')));
        assert_eq!(check_namespace("https://docker.io"), Err(NameError::Forbidden('/')));
        assert_eq!(check_namespace("registry"), Err(NameError::NotARegistry));
        assert_eq!(check_namespace("Docker.io"), Err(NameError::UpperCase));
        assert_eq!(check_namespace("r.io:0"), Err(NameError::BadPort("0".into())));
        assert_eq!(check_namespace("r.io:70000"), Err(NameError::BadPort("70000".into())));
        assert_eq!(check_namespace("my_registry.io"), Err(NameError::BadLabel("my_registry".into())));
        assert_eq!(check_namespace("fd00::5:5000"), Err(NameError::BadIpv6));
        assert_eq!(check_namespace("*"), Err(NameError::BadLabel("*".into())));
    }

    #[test]
    fn urls() {
        let u = parse_url("https://cr.example.com/v2/quay").unwrap();
        assert_eq!(u.host_port, "cr.example.com");
        assert_eq!(u.path, "/v2/quay");
        assert_eq!(parse_url("HTTPS://x.io"), Err(UrlError::BadScheme("HTTPS".into())));
        assert_eq!(parse_url("ftp://x.io"), Err(UrlError::BadScheme("ftp".into())));
        assert_eq!(parse_url("x.io"), Err(UrlError::MissingScheme));
        assert_eq!(parse_url("https://u:p@x.io"), Err(UrlError::Userinfo));
        assert_eq!(parse_url("https://x.io/?a=b"), Err(UrlError::Query));
        assert_eq!(parse_url("https://x.io/#f"), Err(UrlError::Fragment));
        assert!(matches!(parse_url("https://docker.i://registry-1.docker.io"), Err(UrlError::Host(_))));
        assert!(matches!(parse_url("https://r.example.com:abc"), Err(UrlError::Host(NameError::BadPort(_)))));
        assert!(matches!(parse_url("https:/x"), Err(UrlError::MissingScheme)));
        assert_eq!(parse_url("https://[fd00::5]:5000").unwrap().port, Some(5000));
    }

    #[test]
    fn userinfo_is_refused_whatever_else_is_wrong() {
        for url in [
            "https://robot:PW@harbor.example.com",
            "https://robot@harbor.example.com",
            "robot:PW@harbor.example.com",
            "https://robot:p/w@harbor.example.com/v2",
            "https://robot:p w@harbor.example.com",
            "https://robot:PW@harbor.example.com/?x=1",
            "HTTPS://robot:PW@harbor.example.com",
            "https://harbor.example.com/v2/p@x",
        ] {
            assert_eq!(parse_url(url), Err(UrlError::Userinfo), "{url}");
        }
    }

    #[test]
    fn userinfo_spans_cover_every_credential() {
        let cut = |s: &str, f: fn(&str) -> Option<std::ops::Range<usize>>| {
            let mut s = s.to_string();
            if let Some(r) = f(&s) {
                s.replace_range(r, "");
            }
            s
        };
        assert_eq!(cut("https://robot:PW@h.io/v2", userinfo_span), "https://h.io/v2");
        assert_eq!(cut("https://robot:p@ss/w@h.io", userinfo_span), "https://h.io");
        assert_eq!(cut("robot:PW@h.io", userinfo_span), "h.io");
        assert_eq!(cut("https://h.io", userinfo_span), "https://h.io");
        let digest = format!("sha256:{}", "a".repeat(64));
        assert_eq!(cut("robot:PW@r.io/pause:3.9", image_userinfo_span), "r.io/pause:3.9");
        assert_eq!(cut(&format!("r.io/pause@{digest}"), image_userinfo_span), format!("r.io/pause@{digest}"));
        assert_eq!(cut(&format!("u:p@r.io/pause:3.9@{digest}"), image_userinfo_span), format!("r.io/pause:3.9@{digest}"));
        assert_eq!(cut("https://u:p@r.io/pause", image_userinfo_span), "https://r.io/pause");
        assert_eq!(cut("r.io/pause@notadigest", image_userinfo_span), "notadigest");
        assert_eq!(cut("robot:PW@registry.internal:5000", image_userinfo_span), "registry.internal:5000");
        assert_eq!(cut(" quay.io/x/pause@sha256:abc ", image_userinfo_span), " quay.io/x/pause@sha256:abc ");
    }

    #[test]
    fn a_root_slash_is_dropped_and_nothing_else() {
        assert_eq!(normalize_url("https://mirror.example.com/"), "https://mirror.example.com");
        assert_eq!(normalize_url(" https://mirror.example.com// "), "https://mirror.example.com");
        assert_eq!(normalize_url("http://10.0.0.2:5000/"), "http://10.0.0.2:5000");
        assert_eq!(normalize_url("https://[fd00::5]:5000/"), "https://[fd00::5]:5000");
        assert_eq!(normalize_url("https://mirror.example.com"), "https://mirror.example.com");
        // A path of the user's is kept as typed (containerd cleans it when it reads hosts.toml).
        assert_eq!(normalize_url("https://cr.example.com/v2/quay/"), "https://cr.example.com/v2/quay/");
        assert_eq!(normalize_url("https://nexus.example.com/repo/"), "https://nexus.example.com/repo/");
        // Not a URL: only trimmed, so the error is shown for what was typed.
        assert_eq!(normalize_url(" mirror.example.com/ "), "mirror.example.com/");
        assert_eq!(normalize_url("https://u:p@m.example.com/"), "https://u:p@m.example.com/");
    }

    #[test]
    fn api_roots_match_the_spec_table() {
        let r = |u: &str, o: bool| parse_url(u).unwrap().api_root(o);
        assert_eq!(r("https://cr.example.com", false), "/v2");
        assert_eq!(r("https://cr.example.com/", false), "/v2");
        assert_eq!(r("https://cr.example.com/v2/", false), "/v2");
        assert_eq!(r("https://cr.example.com", true), "");
        assert_eq!(r("https://mirror-bak.registry/us", false), "/us/v2");
        assert_eq!(r("https://cr.example.com/v2/quay", false), "/v2/quay/v2");
        assert_eq!(r("https://cr.example.com/v2/quay", true), "/v2/quay");
        assert_eq!(r("https://cr.example.com/v2/dockerhub/", true), "/v2/dockerhub");
    }
}
