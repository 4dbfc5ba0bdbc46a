//! Secrets: passwords, tokens, `auth` values, header values, credentials in URLs, private keys.
//!
//! They may be written literally or as `{"env": "NAME"}`, which only the CLI resolves, so project files can live
//! in git. [`strip_secrets`] is what every export that leaves the user's hands (share links, state codes, saved
//! drafts, project downloads without "include secrets") goes through.
//!
//! # The rule: nothing leaves unless it is known to be harmless
//!
//! A deny-list of "secret-looking" header names misses the ones nobody thought of (`Cookie`, `X-ApiKey`,
//! `X-Registry-Auth`, `X-Auth-Password`, …), so headers are the other way round: the values of every header are
//! secrets **unless** its name (case-insensitive, exact, no prefixes) is on [`HARMLESS_HEADERS`]:
//!
//! | header | why its value is harmless |
//! | --- | --- |
//! | `User-Agent` | identifies the client software |
//! | `Accept`, `Accept-Encoding`, `Accept-Language` | content negotiation: media types, encodings, languages |
//! | `X-Forwarded-Proto`, `X-Forwarded-Host`, `X-Forwarded-Port` | proxy routing: the public scheme, host and port |
//! | `X-Dragonfly-Registry` | Dragonfly mirror mode: the upstream registry URL to fetch from |
//! | `X-Dragonfly-Tag`, `X-Dragonfly-Application`, `X-Dragonfly-Filter`, `X-Dragonfly-Priority` | Dragonfly task grouping and scheduling hints |
//!
//! Prefixes (`X-Dragonfly-*`, `X-Meta-*`) are deliberately not allowed: `X-Dragonfly-Token` would match. A header
//! that is not listed still works; its value is just left out of exports (and its hosts.toml becomes mode 0600).
//!
//! Besides header values, an export never holds:
//! - URL userinfo (`https://robot:PW@host`, also without a scheme): everything up to the last `@` is removed
//!   from every URL- or host-shaped field (endpoint `url`, `server`, Harbor `address` and mappings, air-gap
//!   `registry` and namespaces, upstream names, credential hosts, allow-listed header values, the daemon's listen
//!   addresses), up to the `@digest` in the sandbox image, and `scheme://…@` in free text (CA and client
//!   certificate paths, imports, data directories). Validation refuses any `@` in a URL (U3-userinfo) and
//!   credentials in the sandbox image (S3-sandbox-image-userinfo).
//! - private keys: any field holding a `PRIVATE KEY` block (PKCS#8, encrypted, RSA/EC/DSA, OpenSSH, PGP) or a
//!   PuTTY key file is emptied as a whole (a CA PEM is public, but a key pasted next to it is not).
//! - header names that are not HTTP tokens (`Authorization: Bearer …` typed into the name box).

use crate::base64::{self, Form};
use crate::model::{AuthMethod, CaCert, ClientCert, Project, Secret, Tls};
use crate::net;

/// base64 of `user:password`, padded, as containerd's `ParseAuth` expects (spec §5.3).
pub fn basic_auth(username: &str, password: &str) -> String {
    base64::encode(format!("{username}:{password}").as_bytes(), Form::Standard)
}

/// Decodes an `auth` value the way containerd does; `Err` carries the reason.
pub fn decode_auth(auth: &str) -> Result<(String, String), String> {
    let bytes = base64::decode(auth.trim().as_bytes(), Form::Standard, false).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| "not UTF-8 after decoding".to_string())?;
    let text = text.trim_end_matches('\0');
    match text.split_once(':') {
        Some((u, p)) => Ok((u.to_string(), p.to_string())),
        None => Err("no ':' between user and password after decoding".to_string()),
    }
}

/// How a secret appears in generated files: its value, or a visible placeholder while it is still unresolved
/// (validation reports that as an error, so such a bundle is never installable).
pub fn display_secret(s: &Secret) -> String {
    match s {
        Secret::Literal(v) => v.clone(),
        Secret::FromEnv(e) => format!("${{{}}}", e.env),
    }
}

/// Header names (lower-case) whose values are not secrets; see the module documentation for why each is here.
pub const HARMLESS_HEADERS: [&str; 12] = [
    "user-agent",
    "accept",
    "accept-encoding",
    "accept-language",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-port",
    "x-dragonfly-registry",
    "x-dragonfly-tag",
    "x-dragonfly-application",
    "x-dragonfly-filter",
    "x-dragonfly-priority",
];

/// Whether a header's values are secrets: every header not on [`HARMLESS_HEADERS`].
pub fn is_secret_header(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    !HARMLESS_HEADERS.contains(&n.as_str())
}

/// Whether a text holds a private key: a PEM `… PRIVATE KEY` block of any kind (PKCS#8 `PRIVATE KEY`,
/// `ENCRYPTED PRIVATE KEY`, `RSA`/`EC`/`DSA`/`OPENSSH PRIVATE KEY`, PGP's `PRIVATE KEY BLOCK`) or a PuTTY key file.
/// Case-insensitive and without the dashes, so a mangled paste still counts. Also the keys only their DER
/// reveals (a key under a `CERTIFICATE` label, bare base64 of a key): validation refuses those (`pem.rs`), so an
/// export must not carry them either. No key fits in fewer than 64 characters, so short fields skip the parse.
pub fn holds_private_key(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    upper.contains("PRIVATE KEY") || upper.contains("PUTTY-USER-KEY-FILE") || (text.len() >= 64 && crate::pem::holds_private_key(text))
}

/// What kind of secret an export left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// A password, `auth` value or identity token of a credential.
    Credential,
    /// The value of a header that is not on [`HARMLESS_HEADERS`].
    HeaderValue,
    /// A header name that is not an HTTP token (it may be a whole `Name: value` line).
    HeaderName,
    /// `user:password@` in a URL or host name; the rest of the field is kept.
    UrlUserinfo,
    /// A field that held a private key, emptied.
    PrivateKey,
}

/// One field an export changed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Omitted {
    pub path: String,
    pub kind: SecretKind,
}

/// Every value still naming an environment variable, with its field path and the variable.
pub fn unresolved_env(p: &Project) -> Vec<(String, String)> {
    let mut copy = p.clone();
    secret_values_mut(&mut copy)
        .into_iter()
        .filter_map(|(path, s)| match s {
            Secret::FromEnv(e) => Some((path, e.env.clone())),
            Secret::Literal(_) => None,
        })
        .collect()
}

/// Every secret in the project with its field path.
pub fn secret_fields(p: &Project) -> Vec<(String, &Secret)> {
    let mut out = Vec::new();
    for (i, r) in p.registries.iter().enumerate() {
        for (j, e) in r.endpoints.iter().enumerate() {
            for (k, h) in e.headers.iter().enumerate() {
                if is_secret_header(&h.name) {
                    for (l, v) in h.values.iter().enumerate() {
                        out.push((format!("registries[{i}].endpoints[{j}].headers[{k}].values[{l}]"), v));
                    }
                }
            }
        }
    }
    for (i, c) in p.auth.iter().enumerate() {
        match &c.method {
            AuthMethod::Basic { password, .. } => out.push((format!("auth[{i}].method.password"), password)),
            AuthMethod::Auth { auth } => out.push((format!("auth[{i}].method.auth"), auth)),
            AuthMethod::IdentityToken { token } => out.push((format!("auth[{i}].method.token"), token)),
        }
    }
    out
}

/// Every `Secret`-typed field: credentials and the values of all headers (any of them may name a variable).
fn secret_values_mut(p: &mut Project) -> Vec<(String, &mut Secret)> {
    let mut out = Vec::new();
    for (i, r) in p.registries.iter_mut().enumerate() {
        for (j, e) in r.endpoints.iter_mut().enumerate() {
            for (k, h) in e.headers.iter_mut().enumerate() {
                for (l, v) in h.values.iter_mut().enumerate() {
                    out.push((format!("registries[{i}].endpoints[{j}].headers[{k}].values[{l}]"), v));
                }
            }
        }
    }
    for (i, c) in p.auth.iter_mut().enumerate() {
        match &mut c.method {
            AuthMethod::Basic { password, .. } => out.push((format!("auth[{i}].method.password"), password)),
            AuthMethod::Auth { auth } => out.push((format!("auth[{i}].method.auth"), auth)),
            AuthMethod::IdentityToken { token } => out.push((format!("auth[{i}].method.token"), token)),
        }
    }
    out
}

/// Replaces every `{"env": …}` secret by the variable's value. Returns the paths and names of unset variables.
pub fn resolve_env(p: &Project, lookup: impl Fn(&str) -> Option<String>) -> Result<Project, Vec<(String, String)>> {
    let mut out = p.clone();
    let mut missing = Vec::new();
    for (path, s) in secret_values_mut(&mut out) {
        if let Secret::FromEnv(e) = s {
            match lookup(&e.env) {
                Some(v) => *s = Secret::Literal(v),
                None => missing.push((path, e.env.clone())),
            }
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// The project with every literal secret emptied (environment references are kept: they hold no secret),
/// and the paths of the fields that were changed.
pub fn strip_secrets(p: &Project) -> (Project, Vec<String>) {
    let (out, omitted) = strip_secrets_detailed(p);
    (out, omitted.into_iter().map(|o| o.path).collect())
}

/// How a string field is shaped, which decides where credentials can hide in it.
#[derive(Clone, Copy)]
enum Shape {
    /// A URL: everything between `scheme://` and the last `@` may be userinfo.
    Url,
    /// A host or registry name: an `@` has no meaning there, so everything up to the last one goes.
    Host,
    /// An image reference: `@sha256:…` at the end is a digest, any other `@` ends userinfo.
    Image,
    /// A listen address (`host:port`, a socket path): an `@` after the start ends userinfo; a leading one names
    /// an abstract socket and stays.
    Address,
    /// Free text (file paths, globs, levels): only a `scheme://…@` inside is a URL's userinfo (a file may well be
    /// called `x@y.toml`).
    Text,
}

/// Scrubs one string field in place: a private key empties it, userinfo is cut out of it.
fn scrub(s: &mut String, path: String, shape: Shape, out: &mut Vec<Omitted>) {
    if holds_private_key(s) {
        s.clear();
        out.push(Omitted { path, kind: SecretKind::PrivateKey });
        return;
    }
    let span = match shape {
        Shape::Url => net::userinfo_span(s),
        Shape::Host => s.rfind('@').map(|i| 0..i + 1),
        Shape::Image => net::image_userinfo_span(s),
        Shape::Address => net::userinfo_span(s).filter(|r| r.end > 1),
        Shape::Text => s.contains("://").then(|| net::userinfo_span(s)).flatten(),
    };
    if let Some(r) = span {
        s.replace_range(r, "");
        out.push(Omitted { path, kind: SecretKind::UrlUserinfo });
    }
}

fn scrub_tls(tls: &mut Tls, path: &str, out: &mut Vec<Omitted>) {
    for (i, ca) in tls.ca.iter_mut().enumerate() {
        match ca {
            CaCert::Path(v) => scrub(v, format!("{path}.ca[{i}]"), Shape::Text, out),
            CaCert::Pem { name, pem } => {
                scrub(name, format!("{path}.ca[{i}].name"), Shape::Text, out);
                scrub(pem, format!("{path}.ca[{i}].pem"), Shape::Text, out);
            }
        }
    }
    for (i, c) in tls.client.iter_mut().enumerate() {
        match c {
            ClientCert::Combined(v) => scrub(v, format!("{path}.client[{i}]"), Shape::Text, out),
            ClientCert::Pair { cert, key } => {
                scrub(cert, format!("{path}.client[{i}].cert"), Shape::Text, out);
                scrub(key, format!("{path}.client[{i}].key"), Shape::Text, out);
            }
        }
    }
}

fn is_header_token(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
}

/// [`strip_secrets`] with the kind of each omission, for the page to say what was left out.
///
/// Every string field of the model is visited here on purpose (not only the ones known to hold secrets): a field
/// added to the model must be added here too, and `tests/secrets_properties.rs` plants secrets in all of them.
pub fn strip_secrets_detailed(p: &Project) -> (Project, Vec<Omitted>) {
    let mut out = p.clone();
    let mut omitted = Vec::new();
    let o = &mut omitted;
    for (i, r) in out.registries.iter_mut().enumerate() {
        let rp = format!("registries[{i}]");
        scrub(&mut r.upstream, format!("{rp}.upstream"), Shape::Host, o);
        if let Some(s) = &mut r.server {
            scrub(s, format!("{rp}.server"), Shape::Url, o);
        }
        for (j, e) in r.endpoints.iter_mut().enumerate() {
            let ep = format!("{rp}.endpoints[{j}]");
            scrub(&mut e.url, format!("{ep}.url"), Shape::Url, o);
            scrub_tls(&mut e.tls, &format!("{ep}.tls"), o);
            if let Some(d) = &mut e.dial_timeout {
                scrub(d, format!("{ep}.dial_timeout"), Shape::Text, o);
            }
            for (k, h) in e.headers.iter_mut().enumerate() {
                let hp = format!("{ep}.headers[{k}]");
                if !h.name.is_empty() && !is_header_token(h.name.trim()) {
                    h.name.clear();
                    o.push(Omitted { path: format!("{hp}.name"), kind: SecretKind::HeaderName });
                }
                let secret = is_secret_header(&h.name);
                for (l, v) in h.values.iter_mut().enumerate() {
                    let Secret::Literal(v) = v else { continue };
                    if secret {
                        if !v.is_empty() {
                            v.clear();
                            o.push(Omitted { path: format!("{hp}.values[{l}]"), kind: SecretKind::HeaderValue });
                        }
                    } else {
                        // Harmless headers carry URLs and hosts (X-Dragonfly-Registry, X-Forwarded-Host), with or
                        // without a scheme: any `@` ends credentials.
                        scrub(v, format!("{hp}.values[{l}]"), Shape::Url, o);
                    }
                }
            }
        }
    }
    if let Some(h) = &mut out.harbor {
        scrub(&mut h.address, "harbor.address".into(), Shape::Url, o);
        scrub_tls(&mut h.tls, "harbor.tls", o);
        for (k, m) in h.mappings.iter_mut().enumerate() {
            scrub(&mut m.upstream, format!("harbor.mappings[{k}].upstream"), Shape::Host, o);
            scrub(&mut m.project, format!("harbor.mappings[{k}].project"), Shape::Host, o);
        }
    }
    if let Some(a) = &mut out.air_gap {
        scrub(&mut a.registry, "air_gap.registry".into(), Shape::Url, o);
        scrub_tls(&mut a.tls, "air_gap.tls", o);
        for (k, n) in a.namespaces.iter_mut().enumerate() {
            scrub(n, format!("air_gap.namespaces[{k}]"), Shape::Host, o);
        }
    }
    for (i, c) in out.auth.iter_mut().enumerate() {
        let ap = format!("auth[{i}]");
        scrub(&mut c.host, format!("{ap}.host"), Shape::Host, o);
        let (field, secret) = match &mut c.method {
            AuthMethod::Basic { username, password, .. } => {
                // A user name is not a secret (and may well contain an `@`), but not a place for a key either.
                if holds_private_key(username) {
                    username.clear();
                    o.push(Omitted { path: format!("{ap}.method.username"), kind: SecretKind::PrivateKey });
                }
                ("password", password)
            }
            AuthMethod::Auth { auth } => ("auth", auth),
            AuthMethod::IdentityToken { token } => ("token", token),
        };
        if let Secret::Literal(v) = secret {
            if !v.is_empty() {
                v.clear();
                o.push(Omitted { path: format!("{ap}.method.{field}"), kind: SecretKind::Credential });
            }
        }
    }
    if let Some(s) = &mut out.sandbox_image {
        scrub(s, "sandbox_image".into(), Shape::Image, o);
    }
    let d = &mut out.daemon;
    for (name, v) in [("root", &mut d.root), ("state", &mut d.state)] {
        if let Some(v) = v {
            scrub(v, format!("daemon.{name}"), Shape::Text, o);
        }
    }
    if let Some(v) = &mut d.metrics_address {
        scrub(v, "daemon.metrics_address".into(), Shape::Address, o);
    }
    for (k, v) in d.imports.iter_mut().enumerate() {
        scrub(v, format!("daemon.imports[{k}]"), Shape::Text, o);
    }
    if let Some(dbg) = &mut d.debug {
        if let Some(v) = &mut dbg.address {
            scrub(v, "daemon.debug.address".into(), Shape::Address, o);
        }
        if let Some(v) = &mut dbg.level {
            scrub(v, "daemon.debug.level".into(), Shape::Text, o);
        }
    }
    (out, omitted)
}

/// The project with every non-empty literal secret (credentials, values of headers not known to be harmless)
/// replaced by `{"env": "NAME"}`, and each (field path, NAME): what `import --secrets-as-env PREFIX` writes, so
/// an imported project can go into git. Names are `PREFIX_` + the host or registry and the field, upper-case,
/// every other character `_`, made unique with `_2`, `_3`….
pub fn literals_to_env(p: &Project, prefix: &str) -> (Project, Vec<(String, String)>) {
    let mut out = p.clone();
    let mut named: Vec<(String, String)> = Vec::new();
    let label = |parts: &[&str]| -> String {
        let raw = std::iter::once(prefix).chain(parts.iter().copied()).collect::<Vec<_>>().join("_");
        raw.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
    };
    let take = |path: String, base: String, s: &mut Secret, named: &mut Vec<(String, String)>| {
        if !matches!(s, Secret::Literal(v) if !v.is_empty()) {
            return;
        }
        let mut name = base.clone();
        let mut n = 1;
        while named.iter().any(|(_, v)| *v == name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        *s = Secret::FromEnv(crate::model::EnvRef { env: name.clone() });
        named.push((path, name));
    };
    for (i, r) in out.registries.iter_mut().enumerate() {
        let upstream = r.upstream.clone();
        for (j, e) in r.endpoints.iter_mut().enumerate() {
            for (k, h) in e.headers.iter_mut().enumerate() {
                if !is_secret_header(&h.name) {
                    continue;
                }
                let base = label(&[&upstream, &h.name]);
                for (l, v) in h.values.iter_mut().enumerate() {
                    take(format!("registries[{i}].endpoints[{j}].headers[{k}].values[{l}]"), base.clone(), v, &mut named);
                }
            }
        }
    }
    for (i, c) in out.auth.iter_mut().enumerate() {
        let host = c.host.clone();
        match &mut c.method {
            AuthMethod::Basic { password, .. } => take(format!("auth[{i}].method.password"), label(&[&host, "PASSWORD"]), password, &mut named),
            AuthMethod::Auth { auth } => take(format!("auth[{i}].method.auth"), label(&[&host, "AUTH"]), auth, &mut named),
            AuthMethod::IdentityToken { token } => take(format!("auth[{i}].method.token"), label(&[&host, "TOKEN"]), token, &mut named),
        }
    }
    (out, named)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn project_with_secrets() -> Project {
        let mut p = Project::default();
        p.auth.push(Credential {
            host: "registry-1.docker.io".into(),
            method: AuthMethod::Basic { username: "u".into(), password: Secret::literal("pw1"), encode_as_auth: false },
        });
        p.auth.push(Credential {
            host: "cr.example.com".into(),
            method: AuthMethod::IdentityToken { token: Secret::FromEnv(EnvRef { env: "CR_TOKEN".into() }) },
        });
        p.registries.push(Registry {
            upstream: "docker.io".into(),
            endpoints: vec![Endpoint {
                url: "https://m.example.com".into(),
                headers: vec![Header { name: "Authorization".into(), values: vec![Secret::literal("Basic abc")] }],
                ..Default::default()
            }],
            ..Default::default()
        });
        p
    }

    #[test]
    fn literals_become_env_references_named_after_host_and_field() {
        let (p, named) = literals_to_env(&project_with_secrets(), "node1");
        assert_eq!(
            named,
            [
                ("registries[0].endpoints[0].headers[0].values[0]".to_string(), "NODE1_DOCKER_IO_AUTHORIZATION".to_string()),
                ("auth[0].method.password".to_string(), "NODE1_REGISTRY_1_DOCKER_IO_PASSWORD".to_string()),
            ]
        );
        assert!(secret_fields(&p).iter().all(|(_, s)| s.value().is_none()), "no literal secret left");
        let values = |n: &str| match n {
            "NODE1_DOCKER_IO_AUTHORIZATION" => Some("Basic abc".to_string()),
            "NODE1_REGISTRY_1_DOCKER_IO_PASSWORD" => Some("pw1".to_string()),
            "CR_TOKEN" => Some("t".to_string()),
            _ => None,
        };
        let back = resolve_env(&p, values).unwrap();
        assert_eq!(back, resolve_env(&project_with_secrets(), values).unwrap(), "the references give back the secrets");
    }

    #[test]
    fn basic_auth_round_trips() {
        let a = basic_auth("robot$pull", "s3cr3t");
        assert_eq!(a, "cm9ib3QkcHVsbDpzM2NyM3Q=");
        assert_eq!(decode_auth(&a).unwrap(), ("robot$pull".to_string(), "s3cr3t".to_string()));
        assert!(decode_auth("bm9jb2xvbg==").is_err()); // "nocolon"
        assert!(decode_auth("***").is_err());
    }

    #[test]
    fn strip_removes_every_literal_secret_and_says_where() {
        let (s, paths) = strip_secrets(&project_with_secrets());
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("pw1") && !json.contains("Basic abc"), "{json}");
        assert!(json.contains("CR_TOKEN"));
        assert_eq!(paths, vec!["registries[0].endpoints[0].headers[0].values[0]", "auth[0].method.password"]);
    }

    #[test]
    fn env_references_in_plain_headers_resolve_too() {
        let mut p = Project::default();
        p.registries.push(Registry {
            upstream: "docker.io".into(),
            endpoints: vec![Endpoint {
                url: "https://m.example.com".into(),
                headers: vec![Header { name: "X-Mirror-Key".into(), values: vec![Secret::FromEnv(EnvRef { env: "K".into() })] }],
                ..Default::default()
            }],
            ..Default::default()
        });
        assert_eq!(unresolved_env(&p), vec![("registries[0].endpoints[0].headers[0].values[0]".to_string(), "K".to_string())]);
        let ok = resolve_env(&p, |_| Some("v".into())).unwrap();
        assert_eq!(ok.registries[0].endpoints[0].headers[0].values[0], Secret::literal("v"));
        assert!(unresolved_env(&ok).is_empty());
    }

    #[test]
    fn env_secrets_resolve_or_name_the_missing_variable() {
        let p = project_with_secrets();
        let err = resolve_env(&p, |_| None).unwrap_err();
        assert_eq!(err, vec![("auth[1].method.token".to_string(), "CR_TOKEN".to_string())]);
        let ok = resolve_env(&p, |n| (n == "CR_TOKEN").then(|| "tok".to_string())).unwrap();
        assert!(matches!(&ok.auth[1].method, AuthMethod::IdentityToken { token: Secret::Literal(t) } if t == "tok"));
    }
}
