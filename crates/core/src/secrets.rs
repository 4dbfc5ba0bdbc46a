//! Secrets: passwords, tokens, `auth` values and `Authorization` header values.
//!
//! They may be written literally or as `{"env": "NAME"}`, which only the CLI resolves, so project files can live
//! in git. [`strip_secrets`] is what every export that leaves the user's hands (share links, saved drafts,
//! project downloads without "include secrets") goes through.

use base64::Engine;

use crate::model::{AuthMethod, Project, Secret};

/// base64 of `user:password`, padded, as containerd's `ParseAuth` expects (spec §5.3).
pub fn basic_auth(username: &str, password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
}

/// Decodes an `auth` value the way containerd does; `Err` carries the reason.
pub fn decode_auth(auth: &str) -> Result<(String, String), String> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(auth.trim()).map_err(|e| e.to_string())?;
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

/// Whether a header carries a secret.
pub fn is_secret_header(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    n == "authorization" || n == "proxy-authorization" || n.contains("token") || n.contains("api-key")
}

/// Every value still naming an environment variable, with its field path and the variable.
pub fn unresolved_env(p: &Project) -> Vec<(String, String)> {
    let mut copy = p.clone();
    secret_values_mut(&mut copy, true)
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

/// Every `Secret`-typed field (`all_headers`: also the values of headers that are not secrets).
fn secret_values_mut(p: &mut Project, all_headers: bool) -> Vec<(String, &mut Secret)> {
    let mut out = Vec::new();
    for (i, r) in p.registries.iter_mut().enumerate() {
        for (j, e) in r.endpoints.iter_mut().enumerate() {
            for (k, h) in e.headers.iter_mut().enumerate() {
                if all_headers || is_secret_header(&h.name) {
                    for (l, v) in h.values.iter_mut().enumerate() {
                        out.push((format!("registries[{i}].endpoints[{j}].headers[{k}].values[{l}]"), v));
                    }
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
    for (path, s) in secret_values_mut(&mut out, true) {
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
/// and the paths of the fields that were emptied.
pub fn strip_secrets(p: &Project) -> (Project, Vec<String>) {
    let mut out = p.clone();
    let mut stripped = Vec::new();
    for (path, s) in secret_values_mut(&mut out, false) {
        if let Secret::Literal(v) = s {
            if !v.is_empty() {
                v.clear();
                stripped.push(path);
            }
        }
    }
    (out, stripped)
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
