//! Image references as containerd's CRI plugin reads them: the grammar of `distribution/reference`, normalised
//! like `ParseDockerRef` (`nginx` → `docker.io/library/nginx:latest`; `index.docker.io` → `docker.io`; a tag
//! beside a digest dropped). Anything the grammar refuses is an error here too, never a guess.

use schemars::JsonSchema;
use serde::Serialize;

use super::Text;

/// A normalised image reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ImageRef {
    /// The full normalised reference: `docker.io/library/nginx:latest`.
    pub normalized: String,
    /// The registry as written in image names (the namespace containerd looks up): `docker.io`, `localhost:5000`.
    pub registry: String,
    /// The repository without the registry: `library/nginx`.
    pub repository: String,
    /// The tag resolved to a manifest (`latest` when none was written); `None` for a digest reference.
    pub tag: Option<String>,
    /// `sha256:…` for a digest reference.
    pub digest: Option<String>,
    /// A tag written beside the digest, which containerd ignores.
    pub dropped_tag: Option<String>,
}

const NAME_MAX: usize = 255;

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !is_lower_alnum(b[0]) || !is_lower_alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_lower_alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !is_lower_alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// A domain component `[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`, dotted, an optional `:port`; or a
/// bracketed IPv6 address.
fn valid_domain(d: &str) -> bool {
    let (host, port) = if d.starts_with('[') {
        let Some(end) = d.find(']') else { return false };
        let inner = &d[1..end];
        if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') || !inner.contains(':') {
            return false;
        }
        let rest = &d[end + 1..];
        match rest.strip_prefix(':') {
            Some(p) => (None, Some(p)),
            None if rest.is_empty() => (None, None),
            None => return false,
        }
    } else {
        match d.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(d), None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    match host {
        None => true,
        Some(h) => h.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        }),
    }
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    !b.is_empty() && b.len() <= 128 && word(b[0]) && b.iter().all(|&c| word(c) || c == b'.' || c == b'-')
}

/// A digest containerd accepts (`digest.Validate`): a registered algorithm and its hex length, lower case.
fn valid_digest(d: &str) -> Result<(), &'static str> {
    let Some((alg, hex)) = d.split_once(':') else { return Err("no-colon") };
    let len = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err("algorithm"),
    };
    if hex.len() != len || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err("hex");
    }
    Ok(())
}

fn err(en: String, zh: String) -> Text {
    Text::new(en, zh)
}

/// Parses and normalises `input` as the CRI plugin does.
pub fn parse(input: &str) -> Result<ImageRef, Text> {
    let s = input.trim();
    let q = super::quote(s);
    if s.is_empty() {
        return Err(err("the image reference is empty".into(), "镜像引用为空".into()));
    }
    if s.contains("://") {
        return Err(err(
            format!("{q} is a URL, not an image reference: write it without the scheme, e.g. registry.example.com/app:1"),
            format!("{q} 是 URL，不是镜像引用：请去掉协议部分，例如 registry.example.com/app:1"),
        ));
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err(format!("{q} contains white space"), format!("{q} 含有空白字符")));
    }
    let (name_tag, digest) = match s.split_once('@') {
        Some((n, d)) => {
            if let Err(why) = valid_digest(d) {
                let (en, zh) = match why {
                    "algorithm" => ("the digest's algorithm is not sha256, sha384 or sha512", "摘要算法不是 sha256、sha384 或 sha512"),
                    "hex" => ("the digest's hex part has the wrong length or characters (lower-case hex only)", "摘要的十六进制部分长度或字符不对（只能是小写十六进制）"),
                    _ => ("a digest is written algorithm:hex, e.g. sha256:…", "摘要应写成 <算法>:<十六进制>，例如 sha256:…"),
                };
                return Err(err(format!("{q}: {en}"), format!("{q}：{zh}")));
            }
            (n, Some(d.to_string()))
        }
        None => (s, None),
    };
    // The tag follows the last `:` after the last `/` (a `:` before it is a port).
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[last_slash..].rfind(':') {
        Some(i) => (&name_tag[..last_slash + i], Some(&name_tag[last_slash + i + 1..])),
        None => (name_tag, None),
    };
    if let Some(t) = tag {
        if !valid_tag(t) {
            return Err(err(
                format!("{q}: the tag {} is not valid (letters, digits, _ . -, at most 128, not starting with . or -)", super::quote(t)),
                format!("{q}：标签 {} 无效（只能含字母、数字、_ . -，最多 128 个字符，不能以 . 或 - 开头）", super::quote(t)),
            ));
        }
    }
    if name.is_empty() {
        return Err(err(format!("{q} has no repository name"), format!("{q} 没有仓库名")));
    }
    if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(err(
            format!("{q} is a 64-character hex string, which containerd refuses as a repository name"),
            format!("{q} 是 64 位十六进制字符串，containerd 不接受它作为仓库名"),
        ));
    }
    // splitDockerDomain: the first component is a registry only if it has a `.` or `:`, or is `localhost`.
    let (domain, remainder) = match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" || first.bytes().any(|b| b.is_ascii_uppercase()) => {
            (first.to_string(), rest.to_string())
        }
        _ => (crate::net::DOCKER_HUB.to_string(), name.to_string()),
    };
    if !valid_domain(&domain) {
        return Err(err(
            format!("{q}: {} is not a valid registry name", super::quote(&domain)),
            format!("{q}：{} 不是有效的镜像仓库名称", super::quote(&domain)),
        ));
    }
    let domain = if domain == "index.docker.io" { crate::net::DOCKER_HUB.to_string() } else { domain };
    let remainder =
        if domain == crate::net::DOCKER_HUB && !remainder.contains('/') { format!("library/{remainder}") } else { remainder };
    if remainder.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(err(
            format!("{q}: repository names must be lower case"),
            format!("{q}：仓库名必须是小写"),
        ));
    }
    if let Some(bad) = remainder.split('/').find(|c| !valid_path_component(c)) {
        return Err(err(
            format!("{q}: the path component {} is not valid (lower-case letters and digits, separated by . _ __ or -)", super::quote(bad)),
            format!("{q}：路径部分 {} 无效（只能是小写字母和数字，以 . _ __ 或 - 分隔）", super::quote(bad)),
        ));
    }
    let full_name = format!("{domain}/{remainder}");
    if full_name.len() > NAME_MAX {
        return Err(err(
            format!("{q}: the repository name is longer than {NAME_MAX} characters"),
            format!("{q}：仓库名超过 {NAME_MAX} 个字符"),
        ));
    }
    Ok(match digest {
        Some(d) => ImageRef {
            normalized: format!("{full_name}@{d}"),
            registry: domain,
            repository: remainder,
            tag: None,
            digest: Some(d),
            dropped_tag: tag.map(str::to_string),
        },
        None => {
            let tag = tag.unwrap_or("latest").to_string();
            ImageRef {
                normalized: format!("{full_name}:{tag}"),
                registry: domain,
                repository: remainder,
                tag: Some(tag),
                digest: None,
                dropped_tag: None,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        parse(s).unwrap().normalized
    }

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn short_names_are_docker_hub_library_images_with_latest() {
        assert_eq!(norm("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(norm("nginx:1.27"), "docker.io/library/nginx:1.27");
        assert_eq!(norm("bitnami/redis"), "docker.io/bitnami/redis:latest");
        assert_eq!(norm("index.docker.io/library/nginx"), "docker.io/library/nginx:latest");
        assert_eq!(norm("quay.io/prometheus/node-exporter:v1.8.2"), "quay.io/prometheus/node-exporter:v1.8.2");
        assert_eq!(norm("registry.k8s.io/pause:3.10"), "registry.k8s.io/pause:3.10");
    }

    #[test]
    fn ports_and_localhost_name_the_registry() {
        let r = parse("localhost:5000/app").unwrap();
        assert_eq!((r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()), ("localhost:5000", "app", Some("latest")));
        let r = parse("registry.example.com:5000/team/app:1.0").unwrap();
        assert_eq!((r.registry.as_str(), r.repository.as_str()), ("registry.example.com:5000", "team/app"));
        assert_eq!(parse("localhost/app").unwrap().registry, "localhost");
        assert_eq!(parse("[::1]:5000/app").unwrap().registry, "[::1]:5000");
    }

    #[test]
    fn digests_are_kept_and_a_tag_beside_one_is_dropped() {
        let r = parse(&format!("library/nginx@{D}")).unwrap();
        assert_eq!(r.normalized, format!("docker.io/library/nginx@{D}"));
        assert_eq!((r.tag, r.digest.as_deref()), (None, Some(D)));
        let r = parse(&format!("nginx:1.27@{D}")).unwrap();
        assert_eq!((r.normalized, r.dropped_tag.as_deref()), (format!("docker.io/library/nginx@{D}"), Some("1.27")));
    }

    #[test]
    fn invalid_references_are_refused_in_both_languages() {
        for bad in [
            "",
            "Nginx",
            "https://quay.io/app",
            "nginx:",
            "nginx:-x",
            "a//b",
            "nginx@sha256:abc",
            "nginx@md5:0123456789abcdef0123456789abcdef",
            "reg.example.com:port/app",
            "ngi nx",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "-bad.example.com/app",
        ] {
            let e = parse(bad).expect_err(bad);
            assert!(!e.en.is_empty() && !e.zh.is_empty(), "{bad}");
        }
    }
}
