//! Secrets never leave the page: for any project, what the share link, the state code, the saved draft and the
//! project download without "include secrets" hold — **decoded** (they are deflated and base64url-encoded, so
//! searching the encoded text would prove nothing) — contains none of the secrets planted in it.
//!
//! The generator plants a distinctive `Zk<number>` needle in every place a secret can hide: values of headers
//! that are not on the allow-list (random names as well as the ones from issue 7: `Cookie`, `X-ApiKey`, …),
//! credentials, `user:password@` in every URL- and host-shaped field (with `@`, `/` and `:` inside the
//! password), private keys of every PEM kind in CA and client-certificate fields, and a whole `Name: value` line
//! typed into a header's name. The link, the state code and the draft are all `share::encode`'s fragment (the page
//! writes that one string to the address bar, the state-code box and localStorage), so decoding it covers all
//! three; the project download is `strip_secrets` pretty-printed.

use std::io::Read;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ccb_core::model::*;
use ccb_core::secrets::{self, SecretKind};
use ccb_core::share::{self, ShareError};
use ccb_core::{render, validate, Severity};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Planting secrets
// ---------------------------------------------------------------------------------------------------------------

/// A needle: `Zk` and a number, so neither JSON escaping nor the defaults can produce it by accident.
fn needle() -> BoxedStrategy<String> {
    (100_000u32..100_000_000).prop_map(|n| format!("Zk{n}")).boxed()
}

/// The headers of issue 7 whose values leaked, and other names nobody would think of listing.
const SECRET_HEADER_NAMES: &[&str] = &[
    "Cookie",
    "X-ApiKey",
    "X-Registry-Auth",
    "X-Api_Key",
    "X-Auth-Password",
    "Authorization",
    "Proxy-Authorization",
    "X-Dragonfly-Token",
    "X-Forwarded-Authorization",
    "x-custom-2",
    "Set-Cookie",
    "X-Session",
];

/// A header name that is not on the allow-list: a known one or a random token.
fn secret_header_name() -> BoxedStrategy<String> {
    prop_oneof![
        2 => select(SECRET_HEADER_NAMES).prop_map(String::from),
        1 => "X-[A-Za-z0-9_-]{1,12}".prop_filter("not allow-listed", |n| secrets::is_secret_header(n)),
    ]
    .boxed()
}

/// A password as people paste them: with `@`, `/`, `:` around the needle.
fn password() -> BoxedStrategy<String> {
    (needle(), select(&["", "@x", "/y", ":z", "@a/b:c@"][..])).prop_map(|(n, s)| format!("{n}{s}")).boxed()
}

/// `user:password@` (or `password@`, the user being a token) to put in front of a host.
fn userinfo() -> BoxedStrategy<String> {
    (password(), select(&["robot", "robot$pull", ""][..]))
        .prop_map(|(pw, user)| if user.is_empty() { format!("{pw}@") } else { format!("{user}:{pw}@") })
        .boxed()
}

/// A URL with credentials: with a scheme, without one, with a path.
fn url_with_userinfo(host: &'static str) -> BoxedStrategy<String> {
    (userinfo(), select(&["https://", "http://", ""][..]), select(&["", "/v2", "/v2/dockerhub"][..]))
        .prop_map(move |(ui, scheme, path)| format!("{scheme}{ui}{host}{path}"))
        .boxed()
}

const KEY_KINDS: &[&str] =
    &["PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY"];
const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIBCAZz==\n-----END CERTIFICATE-----\n";

/// A PEM text holding a private key (whose body is the needle), alone or next to a certificate.
fn pem_with_key() -> BoxedStrategy<String> {
    (needle(), select(KEY_KINDS), any::<bool>(), any::<bool>())
        .prop_map(|(n, kind, with_cert, lower)| {
            let kind = if lower { kind.to_lowercase() } else { kind.to_string() };
            let key = format!("-----BEGIN {kind}-----\nMIIE{n}AAAA==\n-----END {kind}-----\n");
            if with_cert {
                format!("{CERT}{key}")
            } else {
                key
            }
        })
        .boxed()
}

/// What was planted where, and what the field must become.
#[derive(Debug, Clone, Default)]
struct Planted {
    needles: Vec<String>,
}

fn planted_project() -> BoxedStrategy<(Project, Planted)> {
    let header = (secret_header_name(), proptest::collection::vec(needle(), 1..3));
    let harmless_header = (
        select(&["X-Dragonfly-Registry", "User-Agent", "X-Forwarded-Host"][..]),
        url_with_userinfo("index.docker.io"),
    );
    let endpoint = (
        url_with_userinfo("mirror.example.com"),
        proptest::collection::vec(header, 0..3),
        proptest::option::of(harmless_header),
        proptest::option::of(pem_with_key()),
        proptest::option::of(pem_with_key()),
        proptest::option::of(needle()),
    );
    let registry = (
        proptest::option::of(userinfo()),
        proptest::option::of(url_with_userinfo("upstream.example.com")),
        proptest::collection::vec(endpoint, 0..3),
    );
    let harbor = (url_with_userinfo("cr.example.com"), proptest::option::of(userinfo()), proptest::option::of(pem_with_key()));
    let air_gap = (url_with_userinfo("registry.internal:5000"), proptest::option::of(userinfo()));
    let auth = (proptest::option::of(userinfo()), needle(), 0u8..3);
    let daemon = (
        proptest::option::of(url_with_userinfo("cfg.example.com")),
        proptest::option::of(url_with_userinfo("metrics.example.com:9100")),
        proptest::option::of(url_with_userinfo("127.0.0.1:1338")),
    );
    (
        proptest::collection::vec(registry, 0..4),
        proptest::option::of(harbor),
        proptest::option::of(air_gap),
        proptest::collection::vec(auth, 0..3),
        proptest::option::of((userinfo(), any::<bool>())),
        daemon,
    )
        .prop_map(|(regs, harbor, air_gap, auth, sandbox, (import, metrics, debug))| {
            let mut planted = Planted::default();
            let mut plant = |s: &str| {
                // The needle is the `Zk…` run in the planted text.
                let start = s.find("Zk").expect("planted text has a needle");
                let end = s[start + 2..].find(|c: char| !c.is_ascii_digit()).map_or(s.len(), |i| start + 2 + i);
                planted.needles.push(s[start..end].to_string());
            };
            let mut p = Project::default();
            for (i, (up_ui, server, eps)) in regs.into_iter().enumerate() {
                let mut r = Registry { upstream: format!("r{i}.example.com"), ..Default::default() };
                if let Some(ui) = up_ui {
                    plant(&ui);
                    r.upstream = format!("{ui}{}", r.upstream);
                }
                if let Some(s) = server {
                    plant(&s);
                    r.server = Some(s);
                }
                for (url, headers, harmless, ca_pem, client_pem, name_line) in eps {
                    plant(&url);
                    let mut e = Endpoint { url, ..Default::default() };
                    for (name, values) in headers {
                        values.iter().for_each(|v| plant(v));
                        e.headers.push(Header { name, values: values.into_iter().map(Secret::Literal).collect() });
                    }
                    if let Some((name, value)) = harmless {
                        plant(&value);
                        e.headers.push(Header { name: name.to_string(), values: vec![Secret::Literal(value)] });
                    }
                    if let Some(n) = name_line {
                        plant(&n);
                        e.headers.push(Header { name: format!("Authorization: Bearer {n}"), values: vec![] });
                    }
                    if let Some(pem) = ca_pem {
                        plant(&pem);
                        e.tls.ca.push(CaCert::Pem { name: "ca".into(), pem });
                    }
                    if let Some(pem) = client_pem {
                        plant(&pem);
                        e.tls.client.push(ClientCert::Pair { cert: "/etc/certs/client.pem".into(), key: pem });
                    }
                    r.endpoints.push(e);
                }
                p.registries.push(r);
            }
            if let Some((address, mapping_ui, pem)) = harbor {
                plant(&address);
                let mut h = HarborProxy { address, ..Default::default() };
                let mut upstream = "quay.io".to_string();
                if let Some(ui) = mapping_ui {
                    plant(&ui);
                    upstream = format!("{ui}{upstream}");
                }
                h.mappings.push(HarborMapping { upstream, project: "quay".into() });
                if let Some(pem) = pem {
                    plant(&pem);
                    h.tls.ca.push(CaCert::Pem { name: "harbor".into(), pem });
                }
                p.harbor = Some(h);
            }
            if let Some((registry, ns_ui)) = air_gap {
                plant(&registry);
                let mut a = AirGap { registry, ..Default::default() };
                if let Some(ui) = ns_ui {
                    plant(&ui);
                    a.namespaces.push(format!("{ui}docker.io"));
                }
                p.air_gap = Some(a);
            }
            for (host_ui, secret, kind) in auth {
                plant(&secret);
                let mut host = "registry-1.docker.io".to_string();
                if let Some(ui) = host_ui {
                    plant(&ui);
                    host = format!("{ui}{host}");
                }
                let method = match kind {
                    0 => AuthMethod::Basic { username: "me".into(), password: Secret::Literal(secret), encode_as_auth: false },
                    1 => AuthMethod::Auth { auth: Secret::Literal(secret) },
                    _ => AuthMethod::IdentityToken { token: Secret::Literal(secret) },
                };
                p.auth.push(Credential { host, method });
            }
            if let Some((ui, digest)) = sandbox {
                plant(&ui);
                let d = if digest { format!("@sha256:{}", "0".repeat(64)) } else { String::new() };
                p.sandbox_image = Some(format!("{ui}registry.internal:5000/pause:3.9{d}"));
            }
            if let Some(i) = import {
                // An import is a file path or glob (a file may be called x@y.toml): only a URL-shaped one,
                // `scheme://…@`, has credentials to strip.
                let i = if i.contains("://") { i } else { format!("https://{i}") };
                plant(&i);
                p.daemon.imports.push(i);
            }
            if let Some(m) = metrics {
                plant(&m);
                p.daemon.metrics_address = Some(m);
            }
            if let Some(d) = debug {
                plant(&d);
                p.daemon.debug = Some(DebugSettings { address: Some(d), level: None });
            }
            (p, planted)
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding what leaves the page
// ---------------------------------------------------------------------------------------------------------------

/// The JSON text a fragment carries, decoded by hand (not by `share::decode`, so a bug there cannot hide one in
/// the encoder): `c1.` is base64url JSON, `z1.` base64url raw deflate.
fn fragment_json(fragment: &str) -> String {
    let (kind, payload) = fragment.split_once('.').expect("kind.payload");
    let bytes = URL_SAFE_NO_PAD.decode(payload).expect("base64url");
    match kind {
        "c1" => String::from_utf8(bytes).expect("UTF-8"),
        "z1" => {
            let mut out = String::new();
            flate2::read::DeflateDecoder::new(&bytes[..]).read_to_string(&mut out).expect("deflate");
            out
        }
        k => panic!("unknown kind {k}"),
    }
}

/// Every decoded form of every export of `p`, named.
fn exports(p: &Project) -> Vec<(&'static str, String)> {
    let link = share::encode(p, Some("zh-CN"));
    let code = share::encode(p, None);
    let decoded = share::decode(&link.fragment).expect("our own link opens");
    let (stripped, _) = secrets::strip_secrets(p);
    vec![
        ("share link / draft (raw JSON)", fragment_json(&link.fragment)),
        ("state code (raw JSON)", fragment_json(&code.fragment)),
        ("share link, opened", serde_json::to_string(&decoded.project).unwrap()),
        ("project download", serde_json::to_string_pretty(&stripped).unwrap()),
    ]
}

/// Every string in a JSON value, with its path.
fn strings<'a>(v: &'a Value, path: String, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::String(s) => out.push((path, s)),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| strings(x, format!("{path}[{i}]"), out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| strings(x, format!("{path}.{k}"), out)),
        _ => {}
    }
}

fn check_no_secret_leaves(p: &Project, planted: &Planted) -> Result<(), TestCaseError> {
    for (what, json) in exports(p) {
        for n in &planted.needles {
            prop_assert!(!json.contains(n.as_str()), "{} holds the planted secret {}:\n{}", what, n, json);
        }
        // The class, not just the needles: no string of any export holds a key or a URL's credentials.
        let value: Value = serde_json::from_str(&json).unwrap();
        let mut all = Vec::new();
        strings(&value, String::new(), &mut all);
        for (path, s) in all {
            prop_assert!(!s.to_ascii_uppercase().contains("PRIVATE KEY"), "{} keeps a private key at {}: {:?}", what, path, s);
            let url_like = s.contains("://") || path.ends_with(".url") || path.ends_with(".server") || path.ends_with(".address") || path.ends_with(".registry");
            let digest_at = s.rfind("@sha256:");
            let before_digest = digest_at.map_or(s, |i| &s[..i]);
            let keeps_userinfo = (url_like && s.contains('@')) || before_digest.contains('@');
            prop_assert!(!keeps_userinfo, "{} keeps credentials at {}: {:?}", what, path, s);
        }
    }
    Ok(())
}

#[test]
fn no_planted_secret_survives_any_export() {
    let mut runner = TestRunner::new(config());
    runner.run(&planted_project(), |(p, planted)| check_no_secret_leaves(&p, &planted)).unwrap();
}

#[test]
fn every_planted_secret_is_listed_as_omitted() {
    // Each planted field (a header's values count once per value) is reported, so the page never says
    // "nothing omitted" while it left something out.
    let mut runner = TestRunner::new(config());
    runner
        .run(&planted_project(), |(p, planted)| {
            let e = share::encode(&p, None);
            prop_assert!(planted.needles.is_empty() || !e.omitted.is_empty(), "secrets planted, none reported");
            let (_, paths) = secrets::strip_secrets(&p);
            prop_assert_eq!(&paths, &e.omitted);
            prop_assert_eq!(paths, e.omissions.iter().map(|o| o.path.clone()).collect::<Vec<_>>());
            // No path twice: each is a field the user can find.
            let mut seen = std::collections::HashSet::new();
            for o in &e.omissions {
                prop_assert!(seen.insert(o.path.clone()), "{} reported twice", o.path);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn what_is_not_a_secret_survives_the_link() {
    // Stripping keeps the rest of each field: the host of a URL, the image of the sandbox, the registries.
    let mut runner = TestRunner::new(config());
    runner
        .run(&planted_project(), |(p, _)| {
            let back = share::decode(&share::encode(&p, None).fragment).unwrap().project;
            prop_assert_eq!(back.registries.len(), p.registries.len());
            for (r, b) in p.registries.iter().zip(&back.registries) {
                prop_assert!(r.upstream.ends_with(&b.upstream) && b.upstream.ends_with(".example.com"), "{:?} → {:?}", r.upstream, b.upstream);
                for (e, f) in r.endpoints.iter().zip(&b.endpoints) {
                    prop_assert!(f.url.contains("mirror.example.com") && !f.url.contains('@'), "{:?} → {:?}", e.url, f.url);
                }
            }
            if let Some(img) = &back.sandbox_image {
                prop_assert!(img.starts_with("registry.internal:5000/pause:3.9"), "{}", img);
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------------------------------------------
// The cases of issue 7, one by one
// ---------------------------------------------------------------------------------------------------------------

fn one_endpoint(e: Endpoint) -> Project {
    Project { registries: vec![Registry { upstream: "docker.io".into(), endpoints: vec![e], ..Default::default() }], ..Default::default() }
}

fn with_header(name: &str, value: &str) -> Project {
    one_endpoint(Endpoint {
        url: "https://m.example.com".into(),
        headers: vec![Header { name: name.into(), values: vec![Secret::literal(value)] }],
        ..Default::default()
    })
}

fn link_json(p: &Project) -> String {
    fragment_json(&share::encode(p, Some("en")).fragment)
}

#[test]
fn values_of_the_headers_from_the_issue_never_leave() {
    for name in ["Cookie", "X-ApiKey", "X-Registry-Auth", "X-Api_Key", "X-Auth-Password"] {
        let p = with_header(name, "s3cr3t-value");
        assert!(secrets::is_secret_header(name), "{name}");
        let e = share::encode(&p, None);
        assert!(!fragment_json(&e.fragment).contains("s3cr3t-value"), "{name}");
        assert_eq!(e.omissions.len(), 1, "{name}");
        assert_eq!(e.omissions[0].path, "registries[0].endpoints[0].headers[0].values[0]");
        assert_eq!(e.omissions[0].kind, SecretKind::HeaderValue);
        let (json, _) = secrets::strip_secrets(&p);
        assert!(!serde_json::to_string(&json).unwrap().contains("s3cr3t-value"), "{name}");
        // The header still works, in a file only root can read.
        let r = render(&p);
        let f = r.file("certs.d/docker.io/hosts.toml").unwrap();
        assert!(f.content.contains("s3cr3t-value"), "{name}");
        assert_eq!(f.mode, 0o600, "{name}");
    }
}

#[test]
fn allow_listed_headers_keep_their_values() {
    for name in ["User-Agent", "accept", "Accept-Encoding", "Accept-Language", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Dragonfly-Registry"] {
        let p = with_header(name, "https://index.docker.io");
        assert!(!secrets::is_secret_header(name), "{name}");
        assert!(link_json(&p).contains("https://index.docker.io"), "{name}");
        assert!(share::encode(&p, None).omitted.is_empty(), "{name}");
        assert_eq!(render(&p).file("certs.d/docker.io/hosts.toml").unwrap().mode, 0o644, "{name}");
    }
    // No prefixes: a Dragonfly-looking token is still a secret.
    assert!(secrets::is_secret_header("X-Dragonfly-Token"));
    // ... and an allow-listed value keeps its URL, not the credentials in it.
    let p = with_header("X-Dragonfly-Registry", "https://robot:PW123@index.docker.io");
    let e = share::encode(&p, None);
    assert!(!fragment_json(&e.fragment).contains("PW123") && link_json(&p).contains("https://index.docker.io"));
    assert_eq!(e.omissions[0].kind, SecretKind::UrlUserinfo);
}

/// The project with `url` in one URL field, the path of that field, and the field read back.
type UrlField = (&'static str, fn(&str) -> Project, fn(&Project) -> String);

const URL_FIELDS: &[UrlField] = &[
    (
        "registries[0].endpoints[0].url",
        |u| one_endpoint(Endpoint { url: u.into(), ..Default::default() }),
        |p| p.registries[0].endpoints[0].url.clone(),
    ),
    (
        "registries[0].server",
        |u| Project { registries: vec![Registry { upstream: "docker.io".into(), server: Some(u.into()), ..Default::default() }], ..Default::default() },
        |p| p.registries[0].server.clone().unwrap(),
    ),
    (
        "harbor.address",
        |u| Project {
            harbor: Some(HarborProxy {
                address: u.into(),
                mappings: vec![HarborMapping { upstream: "docker.io".into(), project: "dockerhub".into() }],
                ..Default::default()
            }),
            ..Default::default()
        },
        |p| p.harbor.as_ref().unwrap().address.clone(),
    ),
    (
        "air_gap.registry",
        |u| Project { air_gap: Some(AirGap { registry: u.into(), ..Default::default() }), ..Default::default() },
        |p| p.air_gap.as_ref().unwrap().registry.clone(),
    ),
];

#[test]
fn userinfo_in_each_url_field_is_refused_and_never_exported() {
    for (path, make, read) in URL_FIELDS {
        for (url, clean) in [
            ("https://robot:PW123@cr.example.com", "https://cr.example.com"),
            ("https://robot@cr.example.com", "https://cr.example.com"),
            ("robot:PW123@cr.example.com", "cr.example.com"),
            ("https://robot:PW/123@cr.example.com", "https://cr.example.com"),
            ("https://robot:PW@123@cr.example.com", "https://cr.example.com"),
            ("https://robot:PW 123@cr.example.com/?q", "https://cr.example.com/?q"),
        ] {
            let p = make(url);
            let d = validate(&p);
            let hit = d.iter().find(|d| d.path == *path && d.code == "U3-userinfo" && d.severity == Severity::Error);
            assert!(hit.is_some(), "{url} at {path}: {:?}", d.iter().map(|d| (d.code, &d.path)).collect::<Vec<_>>());
            // No message anywhere repeats the password.
            assert!(d.iter().all(|d| !d.message.en.contains("PW") && !d.message.zh.contains("PW")), "{url}");
            let e = share::encode(&p, None);
            assert!(!fragment_json(&e.fragment).contains("PW"), "{url} at {path}");
            assert!(e.omissions.iter().any(|o| o.path == *path && o.kind == SecretKind::UrlUserinfo), "{url}: {:?}", e.omissions);
            assert_eq!(read(&share::decode(&e.fragment).unwrap().project), clean, "{url}");
            let (stripped, _) = secrets::strip_secrets(&p);
            assert_eq!(read(&stripped), clean, "{url}");
        }
    }
}

#[test]
fn credentials_in_the_sandbox_image_and_host_names_never_leave() {
    let mut p = Project { sandbox_image: Some("robot:PW123@registry.internal:5000/pause:3.9".into()), ..Default::default() };
    p.auth.push(Credential { host: "robot:PW456@registry-1.docker.io".into(), method: AuthMethod::Auth { auth: Secret::literal("") } });
    p.daemon.imports.push("https://robot:PW789@cfg.example.com/extra.toml".into());
    p.registries.push(Registry { upstream: "robot:PW000@docker.io".into(), ..Default::default() });
    let json = link_json(&p);
    for pw in ["PW123", "PW456", "PW789", "PW000"] {
        assert!(!json.contains(pw), "{pw}: {json}");
    }
    let back = share::decode(&share::encode(&p, None).fragment).unwrap().project;
    assert_eq!(back.sandbox_image.as_deref(), Some("registry.internal:5000/pause:3.9"));
    assert_eq!(back.auth[0].host, "registry-1.docker.io");
    assert_eq!(back.daemon.imports[0], "https://cfg.example.com/extra.toml");
    assert_eq!(back.registries[0].upstream, "docker.io");
    assert!(validate(&p).iter().any(|d| d.code == "S3-sandbox-image-userinfo"));
    // A digest is not credentials.
    let digest = format!("registry.internal:5000/pause@sha256:{}", "0".repeat(64));
    let p = Project { sandbox_image: Some(digest.clone()), ..Default::default() };
    assert!(share::encode(&p, None).omitted.is_empty());
    assert!(link_json(&p).contains(&digest));
}

#[test]
fn a_private_key_pasted_into_a_pem_field_is_never_exported() {
    for kind in KEY_KINDS.iter().chain(&["PGP PRIVATE KEY BLOCK"]) {
        let pem = format!("{CERT}-----BEGIN {kind}-----\nMIIEsecretKEYbody==\n-----END {kind}-----\n");
        let mut e = Endpoint { url: "https://m.example.com".into(), ..Default::default() };
        e.tls.ca.push(CaCert::Pem { name: "ca".into(), pem: pem.clone() });
        e.tls.ca.push(CaCert::Pem { name: "ok".into(), pem: CERT.into() });
        let p = one_endpoint(e);
        let enc = share::encode(&p, None);
        let json = fragment_json(&enc.fragment);
        assert!(!json.contains("secretKEYbody") && !json.contains("PRIVATE KEY"), "{kind}: {json}");
        assert_eq!(enc.omissions.len(), 1, "{kind}");
        assert_eq!(enc.omissions[0].path, "registries[0].endpoints[0].tls.ca[0].pem");
        assert_eq!(enc.omissions[0].kind, SecretKind::PrivateKey);
        // The certificate without a key travels unchanged.
        let back = share::decode(&enc.fragment).unwrap().project;
        assert_eq!(back.registries[0].endpoints[0].tls.ca[1], CaCert::Pem { name: "ok".into(), pem: CERT.into() });
        assert_eq!(back.registries[0].endpoints[0].tls.ca[0], CaCert::Pem { name: "ca".into(), pem: String::new() });
    }
    let putty = "PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\nAAAAsecret\n";
    assert!(secrets::holds_private_key(putty));
    assert!(!secrets::holds_private_key(CERT));
}

#[test]
fn no_message_quotes_a_password_typed_into_a_host_name() {
    // Messages are shown in the page, printed by the CLI and pasted into tickets: none may repeat a password.
    let mut p = Project::default();
    p.registries.push(Registry { upstream: "robot:PWa1/x y@docker.io".into(), ..Default::default() });
    p.auth.push(Credential { host: "robot:PWa2@registry-1.docker.io".into(), method: AuthMethod::Auth { auth: Secret::literal("") } });
    p.harbor = Some(HarborProxy {
        address: "https://robot:PWa3@cr.example.com".into(),
        mappings: vec![HarborMapping { upstream: "u:PWa4@ghcr.io".into(), project: "gh".into() }],
        ..Default::default()
    });
    p.air_gap = Some(AirGap { registry: "https://u:PWa5@r.example.com".into(), namespaces: vec!["u:PWa6@quay.io".into()], ..Default::default() });
    p.daemon.metrics_address = Some("u:PWa7@127.0.0.1:1338".into());
    p.registries.push(Registry {
        upstream: "quay.io".into(),
        endpoints: vec![Endpoint { url: "https://u:PWa8@m.example.com".into(), ..Default::default() }],
        server: Some("https://u:PWa9@quay.io".into()),
        ..Default::default()
    });
    let diags = validate(&p);
    for pw in ["PWa1", "PWa2", "PWa3", "PWa4", "PWa5", "PWa6", "PWa7", "PWa8", "PWa9"] {
        for d in &diags {
            assert!(!d.message.en.contains(pw) && !d.message.zh.contains(pw), "{pw}: {} {}", d.code, d.message.en);
        }
    }
    for path in ["registries[0].upstream", "auth[0].host", "harbor.mappings[0].upstream", "air_gap.namespaces[0]", "daemon.metrics_address"] {
        assert!(diags.iter().any(|d| d.path == path && d.severity == Severity::Error), "no error at {path}: {diags:#?}");
    }
}

#[test]
fn a_key_only_its_der_reveals_is_never_exported() {
    // A PKCS#8 key relabelled CERTIFICATE, and the bare base64 of a key: no "PRIVATE KEY" text, yet validation
    // refuses both (pem.rs), so the link must not carry them either.
    let disguised = include_str!("fixtures/pem/key-as-certificate.crt");
    let bare: String = include_str!("fixtures/pem/pkcs8.key").lines().filter(|l| !l.starts_with("-----")).collect::<Vec<_>>().join("\n");
    for (what, pem) in [("relabelled", disguised.to_string()), ("bare base64", bare)] {
        assert!(!pem.to_ascii_uppercase().contains("PRIVATE KEY"), "{what}");
        let mut e = Endpoint { url: "https://m.example.com".into(), ..Default::default() };
        e.tls.ca.push(CaCert::Pem { name: "ca".into(), pem: pem.clone() });
        let enc = share::encode(&one_endpoint(e), None);
        let body = pem.lines().find(|l| l.len() > 40 && !l.starts_with("-----")).unwrap();
        assert!(!fragment_json(&enc.fragment).contains(body), "{what}");
        assert_eq!(enc.omissions.len(), 1, "{what}");
        assert_eq!(enc.omissions[0].kind, SecretKind::PrivateKey, "{what}");
    }
}

#[test]
fn a_header_line_typed_into_the_name_never_leaves() {
    let p = one_endpoint(Endpoint {
        url: "https://m.example.com".into(),
        headers: vec![Header { name: "Authorization: Bearer tok3n".into(), values: vec![] }],
        ..Default::default()
    });
    let e = share::encode(&p, None);
    assert!(!fragment_json(&e.fragment).contains("tok3n"));
    assert_eq!(e.omissions[0].kind, SecretKind::HeaderName);
}

#[test]
fn environment_references_are_kept() {
    // `{"env": …}` names a variable, not a secret: the link keeps it, so the CLI can still resolve it.
    let mut p = with_header("Cookie", "");
    p.registries[0].endpoints[0].headers[0].values = vec![Secret::FromEnv(EnvRef { env: "MIRROR_COOKIE".into() })];
    assert!(link_json(&p).contains("MIRROR_COOKIE"));
    assert!(share::encode(&p, None).omitted.is_empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Issue 11 (part): what a link may expand to
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn a_link_that_expands_too_far_opens_nothing() {
    let registries = (0..1001).map(|i| Registry { upstream: format!("r{i}.example.com"), ..Default::default() }).collect();
    let p = Project { registries, ..Default::default() };
    let e = share::encode(&p, None);
    assert!(e.fragment.len() < share::MAX_FRAGMENT);
    let refused = ShareError::TooLarge { what: "registries".into(), max: 1000 };
    assert_eq!(share::decode(&e.fragment), Err(refused.clone()));
    assert_eq!(e.refused, Some(refused));
    // 1 MiB of JSON after decoding, however small the link.
    let p = Project { sandbox_image: Some("a".repeat(share::MAX_JSON)), ..Default::default() };
    let e = share::encode(&p, None);
    assert!(e.fragment.len() < 16 * 1024, "{}", e.fragment.len());
    assert_eq!(share::decode(&e.fragment), Err(ShareError::TooLarge { what: "JSON".into(), max: share::MAX_JSON }));
}
