//! Property tests for the pure core: random projects, including hostile ones, through `validate` and `render`.
//!
//! Two generators share one set of strategies:
//! - [`Mode::Hostile`] mixes quotes, backslashes, control characters, unicode, `#`, `]`, `=`, path tricks and
//!   broken versions into every field: `render` must never panic on it and must always return every file.
//! - [`Mode::Clean`] keeps every field within what validation accepts (still with quotes, backslashes, unicode,
//!   `#`, `]`, `=` wherever they are legal): the projects without error diagnostics must render into files that
//!   parse, keep the layout containerd needs (one `[host."<url>"]` header per endpoint, in try order) and carry
//!   exactly the values of the project.
//!
//! Secrets are always generated as distinctive `Zs<number>…` strings so a leak can be searched for.
//!
//! `generator_covers_the_model` keeps the clean generator honest: most of its projects must validate without
//! errors, and those must cover Harbor, air-gap, auth, TLS, headers and both output styles.

use std::collections::BTreeSet;
use std::ops::Range;

use ccb_core::diagnostics::has_errors;
use ccb_core::model::*;
use ccb_core::plan::{self, HostsDir, PlannedHost};
use ccb_core::render::{Rendered, DROP_IN_PATH, FRAGMENT_PATH};
use ccb_core::{net, render, secrets, validate, Severity};
use proptest::prelude::*;
use proptest::sample::{select, subsequence, Index};
use proptest::test_runner::{Config, TestRunner};

const CASES: u32 = 256;

fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(CASES),
        // The clean properties skip projects with error diagnostics (about a third of the clean generator's).
        max_global_rejects: 100_000,
        max_local_rejects: 100_000,
        // Only this file and the bench may be created: no proptest-regressions/ directory next to it.
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Values validation accepts (the project can still be invalid through combinations).
    Clean,
    /// Any field may also hold a hostile string.
    Hostile,
}

const HOSTILE: &[&str] = &[
    "",
    " ",
    "\"",
    "\\",
    "'",
    "#",
    "]",
    "[",
    "=",
    "\n",
    "\r\n",
    "\t",
    "\0",
    "\u{7f}",
    "\u{1b}[31m",
    "é",
    "中文",
    "🦀",
    "\u{202e}rtl",
    "\u{feff}",
    "${HOME}",
    "..",
    "../../etc",
    "/",
    "a\"b\\c#d]e=f",
    "'''",
    "\"\"\"",
    "[host]",
    "[[host]]",
    "x = 1",
    "}",
    "{",
    "*",
    "_default",
    "HTTPS://X.IO",
    "https://",
    "https://a b",
    "https://u:p@h.io",
    "https://h.io/?q#f",
    "https://[::1",
    "https://h.io/../x",
    "https://h.io/a\\b",
    "https://ünï.example",
    "https://h.io:99999",
    "ftp://h.io",
    "docker.io",
    "index.docker.io",
    "Quay.io",
    "my_registry.io",
    "registry",
    "fd00::5:5000",
    "\u{2028}",
    "a\u{0}b",
];

fn hostile() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(HOSTILE).prop_map(String::from),
        1 => "(?s).{0,12}",
        1 => (select(HOSTILE), select(HOSTILE)).prop_map(|(a, b)| format!("{a}{b}")),
    ]
    .boxed()
}

fn pick(pool: &'static [&'static str]) -> BoxedStrategy<String> {
    select(pool).prop_map(String::from).boxed()
}

/// A value from `pool`, or in hostile mode sometimes a hostile string.
fn text(mode: Mode, pool: &'static [&'static str]) -> BoxedStrategy<String> {
    match mode {
        Mode::Clean => pick(pool),
        Mode::Hostile => prop_oneof![3 => pick(pool), 1 => hostile()].boxed(),
    }
}

fn opt<T: std::fmt::Debug + 'static>(s: BoxedStrategy<T>, p_some: f64) -> BoxedStrategy<Option<T>> {
    proptest::option::weighted(p_some, s).boxed()
}

const RANGES: &[(&str, &str)] =
    &[("1.6.20", "1.7.x"), ("1.7.0", "2.1.x"), ("2.0.7", "2.2.x"), ("1.6.0", "2.3.x"), ("2.2.2", "2.3.x")];
const BAD_RANGES: &[(&str, &str)] =
    &[("2.1.0", "1.7.x"), ("1.4.0", "1.7.x"), ("9.9.9", "9.9.x"), ("1.5.0", "1.6.x"), ("1.6.16", "1.7.31"), ("0.0.0", "0.0.0")];

fn target(mode: Mode) -> BoxedStrategy<Target> {
    let to = |(a, b): (&str, &str)| Target { min: a.parse().unwrap(), max: b.parse().unwrap() };
    match mode {
        Mode::Clean => select(RANGES).prop_map(to).boxed(),
        Mode::Hostile => prop_oneof![3 => select(RANGES).prop_map(to), 1 => select(BAD_RANGES).prop_map(to)].boxed(),
    }
}

const UPSTREAMS: &[&str] = &[
    "docker.io",
    "quay.io",
    "ghcr.io",
    "gcr.io",
    "registry.k8s.io",
    "k8s.gcr.io",
    "registry.example.com:5000",
    "localhost:5000",
    "[::1]:5000",
    "10.1.2.3:5000",
    "_default",
    " docker.io ",
    "xn--bcher-kva.example",
];

const SECRET_SUFFIX: &[&str] = &["", "\"q\"", "\\", "ü€🦀", "#]=", "'", "x y", "[host]"];
const SECRET_SUFFIX_HOSTILE: &[&str] = &["\n", "\r\n", "\0", "\"\"\"", "'''"];
const ENV_NAMES: &[&str] = &["HARBOR_PASSWORD", "TOKEN", "X"];

fn secret_literal(mode: Mode) -> BoxedStrategy<String> {
    let suffix = match mode {
        Mode::Clean => pick(SECRET_SUFFIX),
        Mode::Hostile => prop_oneof![3 => pick(SECRET_SUFFIX), 1 => pick(SECRET_SUFFIX_HOSTILE)].boxed(),
    };
    (100u32..100_000_000, suffix).prop_map(|(n, s)| format!("Zs{n}{s}")).boxed()
}

fn env_ref() -> BoxedStrategy<Secret> {
    select(ENV_NAMES).prop_map(|e| Secret::FromEnv(EnvRef { env: e.to_string() })).boxed()
}

fn secret(mode: Mode) -> BoxedStrategy<Secret> {
    match mode {
        Mode::Clean => prop_oneof![19 => secret_literal(mode).prop_map(Secret::Literal), 1 => env_ref()].boxed(),
        Mode::Hostile => prop_oneof![
            6 => secret_literal(mode).prop_map(Secret::Literal),
            1 => env_ref(),
            1 => Just(Secret::Literal(String::new())),
        ]
        .boxed(),
    }
}

const CA_PATHS: &[&str] = &[
    "/etc/pki/ca.crt",
    "/etc/ssl/certs/\"quoted\".pem",
    "/etc/ü/中.crt",
    "/etc/x#y]z=.pem",
    " /etc/padded.crt ",
    "/etc/back\\slash.pem",
];
const PEM_NAMES: &[&str] = &["ca", "my-ca", "root.v2", "ca_1"];
/// A real (throw-away) CA certificate: validation walks its DER. Variants differ by a line after the END line,
/// which Go skips, so two of them are different files with the same certificate.
const CA_PEM: &str = include_str!("fixtures/pem/ca.crt");
const PEM_NAMES_HOSTILE: &[&str] = &["../x", "a/b", "", ".hidden", "a b", "ü", "a\"b"];

fn pem(mode: Mode) -> BoxedStrategy<String> {
    let good = (0u32..1_000_000)
        .prop_map(|n| format!("  {CA_PEM}# {n}\n\n"))
        .boxed();
    match mode {
        Mode::Clean => good,
        Mode::Hostile => prop_oneof![
            3 => good,
            1 => hostile(),
            1 => Just("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n".to_string()),
        ]
        .boxed(),
    }
}

fn ca_cert(mode: Mode) -> BoxedStrategy<CaCert> {
    let name = match mode {
        Mode::Clean => pick(PEM_NAMES),
        Mode::Hostile => prop_oneof![3 => pick(PEM_NAMES), 1 => pick(PEM_NAMES_HOSTILE)].boxed(),
    };
    prop_oneof![
        text(mode, CA_PATHS).prop_map(CaCert::Path),
        (name, pem(mode)).prop_map(|(name, pem)| CaCert::Pem { name, pem }),
    ]
    .boxed()
}

fn client_cert(mode: Mode) -> BoxedStrategy<ClientCert> {
    prop_oneof![
        text(mode, CA_PATHS).prop_map(ClientCert::Combined),
        (text(mode, CA_PATHS), text(mode, CA_PATHS)).prop_map(|(cert, key)| ClientCert::Pair { cert, key }),
    ]
    .boxed()
}

fn tls(mode: Mode) -> BoxedStrategy<Tls> {
    prop_oneof![
        2 => Just(Tls::default()),
        1 => (
            proptest::collection::vec(ca_cert(mode), 0..3),
            proptest::collection::vec(client_cert(mode), 0..3),
            proptest::bool::weighted(0.2),
        )
            .prop_map(|(ca, client, skip_verify)| Tls { ca, client, skip_verify }),
    ]
    .boxed()
}

const HEADER_NAMES: &[&str] =
    &["X-Custom", "Authorization", "X-Auth-Token", "X-Api-Key", "X-#'|~!$%&*+.^_`", "x-custom", "Accept", "header"];
const HEADER_NAMES_HOSTILE: &[&str] =
    &["X \"q\"", "a]b", "a=b", "ü", "back\\slash", "", "new\nline", " Authorization ", "proxy-authorization"];
const HEADER_VALUES: &[&str] = &[
    "plain",
    "with \"quotes\"",
    "back\\slash",
    "ünïcödé 🦀 中文",
    "hash # ] = [",
    "'single'",
    "  spaced  ",
    "",
    "${NOT_EXPANDED}",
    "'''",
    "\"\"\"",
    "[host.\"x\"]",
    "\u{7f}\t",
];

fn header(mode: Mode) -> BoxedStrategy<Header> {
    let name = match mode {
        Mode::Clean => pick(HEADER_NAMES),
        Mode::Hostile => prop_oneof![3 => pick(HEADER_NAMES), 1 => pick(HEADER_NAMES_HOSTILE)].boxed(),
    };
    name.prop_flat_map(move |name| {
        let value = if secrets::is_secret_header(&name) {
            secret(mode)
        } else {
            let plain = text(mode, HEADER_VALUES).prop_map(Secret::Literal);
            prop_oneof![24 => plain, 1 => env_ref()].boxed()
        };
        let len = if mode == Mode::Hostile { 0..4 } else { 1..4 };
        proptest::collection::vec(value, len).prop_map(move |values| Header { name: name.clone(), values })
    })
    .boxed()
}

const DIAL_TIMEOUTS: &[&str] = &["500ms", "3s", "1m30s", "1.5h", "2µs", " 3s "];

const KINDS: &[EndpointKind] =
    &[EndpointKind::PublicMirror, EndpointKind::PrivateMirror, EndpointKind::PrivateRegistry, EndpointKind::HarborProject];
const CAPS: &[Capability] = &[Capability::Pull, Capability::Resolve, Capability::Push, Capability::Referrers];

fn capabilities() -> BoxedStrategy<Vec<Capability>> {
    prop_oneof![
        2 => Just(Vec::new()),
        2 => subsequence(&CAPS[..3], 1..=3).prop_shuffle(),
        1 => proptest::collection::vec(select(CAPS), 1..5),
    ]
    .boxed()
}

/// Host part of the j-th endpoint (unique per j, so clean registries have no duplicate endpoints).
fn endpoint_host(choice: usize, j: usize) -> String {
    match choice % 8 {
        0 => format!("mirror{j}.example.com"),
        1 => format!("m{j}.example.com:5000"),
        2 => format!("[fd00::{:x}]:5000", j + 1),
        3 => format!("10.0.0.{}:5000", j + 1),
        4 => format!("localhost:{}", 5000 + j),
        5 => format!("xn--bcher-kva{j}.example"),
        6 => "cr.example.com".to_string(),
        _ => "registry-1.docker.io".to_string(),
    }
}

const PREFIX_PATHS: &[&str] = &[
    "",
    "/",
    "/v2",
    "/v2/",
    "/nexus/repository/docker-proxy",
    "/a\"b]c=d",
    "/ü/中/🦀",
    "/x'y",
    "/p%20q;s",
    "//double//",
];
const HARBOR_PROJECTS: &[&str] = &["dockerhub", "quay", "pro\"j", "a]b=c", "ü", "my_proj", "a.b-c"];

fn endpoint(mode: Mode, j: usize) -> BoxedStrategy<Endpoint> {
    let url = (
        any::<usize>(),
        proptest::bool::weighted(0.8),
        prop_oneof![2 => pick(PREFIX_PATHS).prop_map(|p| (p, false)), 1 => pick(HARBOR_PROJECTS).prop_map(|p| (format!("/v2/{p}"), true))],
        proptest::bool::weighted(0.1),
    )
        .prop_map(move |(h, https, (path, harbor_style), pad)| {
            let scheme = if https { "https" } else { "http" };
            let url = format!("{scheme}://{}{path}", endpoint_host(h, j));
            (if pad { format!("  {url}\t") } else { url }, harbor_style)
        });
    let url: BoxedStrategy<(String, bool)> = match mode {
        Mode::Clean => url.boxed(),
        Mode::Hostile => prop_oneof![4 => url, 1 => hostile().prop_map(|u| (u, false))].boxed(),
    };
    (
        url,
        select(KINDS),
        capabilities(),
        proptest::bool::weighted(0.05), // flip override_path: usually an error
        tls(mode),
        proptest::collection::vec(header(mode), 0..3),
        opt(text(mode, DIAL_TIMEOUTS), 0.2),
    )
        .prop_map(|((url, harbor_style), kind, capabilities, flip, tls, headers, dial_timeout)| {
            // A Harbor project needs its /v2/<project> path; the other kinds follow the path chosen.
            let kind = if kind == EndpointKind::HarborProject && !harbor_style { EndpointKind::PrivateMirror } else { kind };
            Endpoint { url, kind, capabilities, override_path: harbor_style != flip, tls, headers, dial_timeout }
        })
        .boxed()
}

fn endpoints(mode: Mode) -> BoxedStrategy<Vec<Endpoint>> {
    (0usize..=6)
        .prop_flat_map(move |n| (0..n).map(|j| endpoint(mode, j)).collect::<Vec<_>>())
        .boxed()
}

const SERVERS: &[&str] =
    &["https://registry-1.docker.io", "https://upstream.example.com", " https://s.example.com:8443/prefix ", "", "http://localhost:5000"];

fn registry(mode: Mode) -> BoxedStrategy<Registry> {
    (
        text(mode, UPSTREAMS),
        endpoints(mode),
        opt(text(mode, SERVERS), 0.2),
        proptest::bool::weighted(0.75),
        proptest::bool::weighted(0.8),
    )
        .prop_map(|(upstream, endpoints, server, fallback_to_upstream, upstream_reachable)| Registry {
            upstream,
            endpoints,
            server,
            fallback_to_upstream,
            upstream_reachable,
        })
        .boxed()
}

const HARBOR_ADDRESSES: &[&str] =
    &["https://cr.example.com", "https://harbor.example.com:8443", "http://harbor.local:8080", " https://cr.example.com/ "];
const HARBOR_PROJECT_NAMES: &[&str] = &["dockerhub", "quay", "ghcr", "k8s", "my_proj", "a.b-c"];

fn harbor(mode: Mode) -> BoxedStrategy<HarborProxy> {
    let mapping = (text(mode, UPSTREAMS), text(mode, HARBOR_PROJECT_NAMES))
        .prop_map(|(upstream, project)| HarborMapping { upstream, project });
    (
        text(mode, HARBOR_ADDRESSES),
        prop_oneof![Just(HarborMode::Path), Just(HarborMode::Subdomain)],
        proptest::bool::weighted(0.7),
        tls(mode),
        proptest::collection::vec(mapping, 0..4),
    )
        .prop_map(|(address, mode, fallback_to_upstream, tls, mappings)| HarborProxy {
            address,
            mode,
            fallback_to_upstream,
            tls,
            mappings,
        })
        .boxed()
}

const AIR_GAP_REGISTRIES: &[&str] =
    &["https://registry.internal:5000", "http://10.0.0.9:5000", "https://[fd00::9]", "https://airgap.example.com/prefix"];
const AIR_GAP_NAMESPACES: &[&str] =
    &["docker.io", "gcr.io", "k8s.gcr.io", "quay.io", "ghcr.io", "registry.k8s.io", "registry.example.com:5000"];

fn air_gap(mode: Mode) -> BoxedStrategy<AirGap> {
    let namespaces: BoxedStrategy<Vec<String>> = match mode {
        Mode::Clean => subsequence(AIR_GAP_NAMESPACES, 0..=7).prop_map(|v| v.into_iter().map(String::from).collect()).boxed(),
        Mode::Hostile => proptest::collection::vec(text(mode, AIR_GAP_NAMESPACES), 0..5).boxed(),
    };
    (text(mode, AIR_GAP_REGISTRIES), tls(mode), proptest::bool::weighted(0.3), namespaces)
        .prop_map(|(registry, tls, fallback_to_upstream, namespaces)| AirGap { registry, tls, fallback_to_upstream, namespaces })
        .boxed()
}

const USERNAMES: &[&str] = &["robot$pull", "u", "ü-ser", "a\"b\\c", "#]="];
const AUTH_HOSTS_HOSTILE: &[&str] = &["docker.io", "https://ghcr.io/x", "", "registry-1.docker.io", "quay.io:443", "a b"];

fn auth_method(mode: Mode) -> BoxedStrategy<AuthMethod> {
    let auth_value = match mode {
        Mode::Clean => (pick(USERNAMES), secret_literal(mode))
            .prop_map(|(u, p)| Secret::Literal(secrets::basic_auth(&u, &p)))
            .boxed(),
        Mode::Hostile => prop_oneof![
            3 => (pick(USERNAMES), secret_literal(mode)).prop_map(|(u, p)| Secret::Literal(secrets::basic_auth(&u, &p))),
            1 => secret(mode),
            1 => (100u32..1000).prop_map(|n| Secret::Literal(format!("Zs{n}***"))),
        ]
        .boxed(),
    };
    let username = match mode {
        Mode::Clean => pick(USERNAMES),
        Mode::Hostile => prop_oneof![3 => pick(USERNAMES), 1 => hostile(), 1 => Just("a:b".to_string())].boxed(),
    };
    prop_oneof![
        (username, secret(mode), any::<bool>())
            .prop_map(|(username, password, encode_as_auth)| AuthMethod::Basic { username, password, encode_as_auth }),
        auth_value.prop_map(|auth| AuthMethod::Auth { auth }),
        secret(mode).prop_map(|token| AuthMethod::IdentityToken { token }),
    ]
    .boxed()
}

#[derive(Debug, Clone)]
enum AuthHost {
    /// A host the plan contacts (chosen after the rest of the project is known).
    Contacted(Index),
    Given(String),
}

fn auth_entries(mode: Mode) -> BoxedStrategy<Vec<(AuthHost, AuthMethod)>> {
    let host = match mode {
        Mode::Clean => any::<Index>().prop_map(AuthHost::Contacted).boxed(),
        Mode::Hostile => prop_oneof![
            2 => any::<Index>().prop_map(AuthHost::Contacted),
            1 => text(mode, AUTH_HOSTS_HOSTILE).prop_map(AuthHost::Given),
        ]
        .boxed(),
    };
    proptest::collection::vec((host, auth_method(mode)), 0..3).boxed()
}

const DIRS: &[&str] = &["/var/lib/containerd", "/data/containerd", "/mnt/ü \"x\"/containerd", "/run/containerd", "/run/containerd-2"];
const IMPORTS: &[&str] = &["/etc/containerd/conf.d/*.toml", "/etc/containerd/x\"y]=.toml", " /etc/containerd/ü.toml "];
const LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error", " info "];
const METRICS: &[&str] = &["127.0.0.1:1338", ":1338", "[::1]:9100", "metrics.example.com:9100"];
const SNAPSHOTTERS: &[Snapshotter] =
    &[Snapshotter::Overlayfs, Snapshotter::Native, Snapshotter::Btrfs, Snapshotter::Zfs, Snapshotter::Devmapper];

fn daemon(mode: Mode) -> BoxedStrategy<Daemon> {
    let oom: BoxedStrategy<i64> = match mode {
        Mode::Clean => (-1000i64..=1000).boxed(),
        Mode::Hostile => prop_oneof![(-1000i64..=1000), any::<i64>()].boxed(),
    };
    let debug = (opt(text(mode, &["/run/containerd/debug.sock", "/run/ü \"d\".sock"]), 0.5), opt(text(mode, LEVELS), 0.5))
        .prop_map(|(address, level)| DebugSettings { address, level });
    (
        opt(text(mode, DIRS), 0.3),
        opt(text(mode, DIRS), 0.3),
        opt(oom, 0.3),
        proptest::collection::vec(text(mode, IMPORTS), 0..3),
        opt(debug.boxed(), 0.3),
        opt(text(mode, METRICS), 0.3),
        opt(select(SNAPSHOTTERS).boxed(), 0.3),
    )
        .prop_map(|(root, state, oom_score, imports, debug, metrics_address, snapshotter)| Daemon {
            root,
            state,
            oom_score,
            imports,
            debug,
            metrics_address,
            snapshotter,
        })
        .boxed()
}

const SANDBOX_IMAGES: &[&str] = &["registry.k8s.io/pause:3.9", "registry.internal:5000/pause:3.9", " quay.io/x/pause@sha256:abc "];

fn dedup_by<T>(v: &mut Vec<T>, key: impl Fn(&T) -> String) {
    let mut seen = BTreeSet::new();
    v.retain(|x| seen.insert(key(x)));
}

/// Hosts that the plan makes containerd contact, as auth keys.
fn contacted_hosts(p: &Project) -> Vec<String> {
    let pl = plan::plan(p);
    let mut out: Vec<String> = Vec::new();
    let mut cand: Vec<String> = pl.namespaces().iter().flat_map(|ns| pl.contacted_for(ns)).collect();
    cand.extend(pl.contacted_for(net::DOCKER_HUB));
    for h in cand {
        if h != net::DOCKER_HUB && net::check_host_port(&h).is_ok() && pl.contacts(&h, &pl.configured_contacts()) && !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

fn project(mode: Mode) -> BoxedStrategy<Project> {
    let schema = match mode {
        Mode::Clean => Just(SCHEMA_VERSION).boxed(),
        Mode::Hostile => prop_oneof![9 => Just(SCHEMA_VERSION), 1 => any::<u32>()].boxed(),
    };
    let output = prop_oneof![3 => Just(OutputStyle::HostsDir), 1 => Just(OutputStyle::Legacy)];
    (
        (schema, target(mode), output),
        proptest::collection::vec(registry(mode), 0..=4),
        opt(harbor(mode), 0.35),
        opt(air_gap(mode), 0.25),
        auth_entries(mode),
        opt(text(mode, SANDBOX_IMAGES), 0.3),
        daemon(mode),
    )
        .prop_map(move |((schema_version, target, output), mut registries, mut harbor, air_gap, auth, sandbox_image, daemon)| {
            if mode == Mode::Clean {
                dedup_by(&mut registries, |r| r.upstream.trim().to_string());
                if let Some(h) = &mut harbor {
                    dedup_by(&mut h.mappings, |m| m.upstream.trim().to_string());
                }
            }
            let mut p = Project {
                schema_version,
                target,
                output,
                registries,
                harbor,
                air_gap,
                auth: Vec::new(),
                sandbox_image,
                daemon,
            };
            let hosts = contacted_hosts(&p);
            for (host, method) in auth {
                let host = match host {
                    AuthHost::Contacted(_) if hosts.is_empty() => continue,
                    AuthHost::Contacted(i) => i.get(&hosts).clone(),
                    AuthHost::Given(h) => h,
                };
                if mode == Mode::Clean && p.auth.iter().any(|c| c.host == host) {
                    continue;
                }
                p.auth.push(Credential { host, method });
            }
            p
        })
        .boxed()
}


// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

fn errors(p: &Project) -> Vec<String> {
    validate(p).into_iter().filter(|d| d.severity == Severity::Error).map(|d| format!("{} at {}", d.code, d.path)).collect()
}

/// The config files of a bundle rendered without a node's config.toml: the fragment, plus for 2.x-only targets
/// the drop-in with the same settings.
fn config_paths_of(p: &Project) -> Vec<&'static str> {
    if p.target.config_version() >= 3 {
        vec![FRAGMENT_PATH, DROP_IN_PATH]
    } else {
        vec![FRAGMENT_PATH]
    }
}

fn hosts_path(ns: &str) -> String {
    format!("{}/hosts.toml", plan::dir_path(ns))
}

fn file<'a>(r: &'a Rendered, path: &str) -> Result<&'a str, TestCaseError> {
    r.file(path).map(|f| f.content.as_str()).ok_or_else(|| TestCaseError::fail(format!("no file {path}")))
}

/// The comment block every file starts with: `#` lines (shebang included), or README.txt's header paragraph.
fn first_comment_block(path: &str, content: &str) -> String {
    let lines: Vec<&str> = if path == "README.txt" {
        content.lines().take_while(|l| !l.trim().is_empty()).collect()
    } else {
        content.lines().take_while(|l| l.starts_with('#')).collect()
    };
    lines.join("\n")
}

/// Every literal secret of the project, and the `auth` values derived from user name + password.
fn secret_needles(p: &Project) -> Vec<String> {
    let mut out: Vec<String> = secrets::secret_fields(p)
        .into_iter()
        .filter_map(|(_, s)| s.value().map(str::to_string))
        .filter(|s| !s.trim().is_empty())
        .collect();
    for c in &p.auth {
        if let AuthMethod::Basic { username, password: Secret::Literal(pw), .. } = &c.method {
            if !pw.is_empty() {
                out.push(secrets::basic_auth(username, pw));
            }
        }
    }
    out
}

/// A control character Go's net/http refuses in a header value (all but HTAB).
fn is_ctl(c: char) -> bool {
    (c < ' ' && c != '\t') || c == '\u{7f}'
}

fn strs(v: &toml::Value) -> Option<Vec<String>> {
    v.as_array()?.iter().map(|x| x.as_str().map(str::to_string)).collect()
}

fn str_array(items: impl IntoIterator<Item = String>) -> toml::Value {
    toml::Value::Array(items.into_iter().map(toml::Value::String).collect())
}

/// The fields `hosts_toml` writes for a host (everything but `header`), as the `toml` crate reads them.
fn expected_fields(h: &PlannedHost) -> toml::Table {
    let mut t = toml::Table::new();
    if !h.capabilities.is_empty() {
        t.insert("capabilities".into(), str_array(h.capabilities.iter().map(|c| c.as_str().to_string())));
    }
    if h.override_path {
        t.insert("override_path".into(), toml::Value::Boolean(true));
    }
    match h.ca.as_slice() {
        [] => {}
        [one] => {
            t.insert("ca".into(), toml::Value::String(one.clone()));
        }
        many => {
            t.insert("ca".into(), str_array(many.iter().cloned()));
        }
    }
    match h.client.as_slice() {
        [] => {}
        [ClientCert::Combined(p)] => {
            t.insert("client".into(), toml::Value::String(p.trim().to_string()));
        }
        many => {
            let v = many
                .iter()
                .map(|c| match c {
                    ClientCert::Combined(p) => toml::Value::String(p.trim().to_string()),
                    ClientCert::Pair { cert, key } => str_array([cert.trim().to_string(), key.trim().to_string()]),
                })
                .collect();
            t.insert("client".into(), toml::Value::Array(v));
        }
    }
    if h.skip_verify {
        t.insert("skip_verify".into(), toml::Value::Boolean(true));
    }
    if let Some(d) = &h.dial_timeout {
        t.insert("dial_timeout".into(), toml::Value::String(d.clone()));
    }
    t
}

/// Standard-table headers of a parsed document (path and span of `[...]`), plus layout problems: inline tables,
/// dotted keys, arrays of tables.
fn table_headers(t: &toml_edit::Table, prefix: &[String], out: &mut Vec<(Vec<String>, Range<usize>)>, bad: &mut Vec<String>) {
    fn no_inline(v: &toml_edit::Value, path: &[String], bad: &mut Vec<String>) {
        match v {
            toml_edit::Value::InlineTable(_) => bad.push(format!("inline table at {path:?}")),
            toml_edit::Value::Array(a) => a.iter().for_each(|x| no_inline(x, path, bad)),
            _ => {}
        }
    }
    for (k, item) in t.iter() {
        let mut path = prefix.to_vec();
        path.push(k.to_string());
        match item {
            toml_edit::Item::Table(sub) => {
                if sub.is_dotted() {
                    bad.push(format!("dotted key at {path:?}"));
                }
                // Implicit tables (`host` above `[host."…"]`) carry the span of their key, not a header.
                if let (false, Some(span)) = (sub.is_implicit(), sub.span()) {
                    out.push((path.clone(), span));
                }
                table_headers(sub, &path, out, bad);
            }
            toml_edit::Item::Value(v) => no_inline(v, &path, bad),
            toml_edit::Item::ArrayOfTables(_) => bad.push(format!("array of tables at {path:?}")),
            toml_edit::Item::None => {}
        }
    }
}

fn origin_index(origin: &str, prefix: &str) -> Option<usize> {
    origin.strip_prefix(prefix)?.split(']').next()?.parse().ok()
}

/// The endpoint a planned host came from, if it came from one.
fn source_endpoint<'a>(p: &'a Project, origin: &str) -> Option<&'a Endpoint> {
    let i = origin_index(origin, "registries[")?;
    let rest = origin.split_once("].endpoints[")?.1;
    let j: usize = rest.split(']').next()?.parse().ok()?;
    p.registries.get(i)?.endpoints.get(j)
}

/// The TLS settings a planned host came from (`None` for the implicit upstream written as `server`, which
/// carries the origin of its directory).
fn source_tls<'a>(p: &'a Project, h: &PlannedHost) -> Option<&'a Tls> {
    let origin = h.origin.as_str();
    let upstream_server = h.capabilities.is_empty() && origin != "air_gap.registry";
    if upstream_server {
        return None;
    }
    if let Some(e) = source_endpoint(p, origin) {
        return Some(&e.tls);
    }
    if origin.starts_with("harbor.mappings[") {
        return p.harbor.as_ref().map(|h| &h.tls);
    }
    if origin == "air_gap.registry" {
        return p.air_gap.as_ref().map(|a| &a.tls);
    }
    None
}

fn check_host_values(
    p: &Project,
    r: &Rendered,
    dir: &HostsDir,
    h: &PlannedHost,
    table: &toml::Table,
    ignore: &[&str],
) -> Result<(), TestCaseError> {
    let where_ = format!("{} in {}", h.url, hosts_path(&dir.namespace));
    // Everything but the header table equals what the plan says.
    let mut got = table.clone();
    for k in ignore.iter().chain(["header"].iter()) {
        got.remove(*k);
    }
    prop_assert_eq!(&got, &expected_fields(h), "fields of {}", where_);

    // Header values as the user wrote them (a later header of the same name must not drop an earlier one).
    let file_headers = table.get("header").and_then(|v| v.as_table()).cloned().unwrap_or_default();
    let mut want_headers: Vec<(String, Vec<String>)> = Vec::new();
    for (name, values) in &h.headers {
        let lits: Vec<String> = values.iter().map(secrets::display_secret).collect();
        match want_headers.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => v.extend(lits),
            None => want_headers.push((name.clone(), lits)),
        }
    }
    let got_names: BTreeSet<&str> = file_headers.keys().map(String::as_str).collect();
    let want_names: BTreeSet<&str> = want_headers.iter().map(|(n, _)| n.as_str()).collect();
    prop_assert_eq!(got_names, want_names, "header names of {}", where_);
    for (name, values) in &want_headers {
        let got = file_headers.get(name).and_then(strs);
        prop_assert_eq!(got.as_ref(), Some(values), "header {:?} of {}", name, where_);
    }
    // No placeholder for an environment variable in a file that may be installed, and only values Go's net/http
    // sends (it fails the whole request on a control character other than HTAB: httpguts.ValidHeaderFieldValue).
    for (name, values) in &h.headers {
        for v in values {
            prop_assert!(v.value().is_some(), "header {:?} of {} is written as the placeholder {:?}", name, where_, secrets::display_secret(v));
            let bad = v.value().unwrap_or_default().chars().find(|c| is_ctl(*c));
            prop_assert!(bad.is_none(), "header {:?} of {} has the control character {:?}: Go refuses to send it", name, where_, bad);
        }
    }

    // Independently of the plan: what the endpoint in the project says.
    if let Some(e) = source_endpoint(p, &h.origin) {
        // As written in every file: trimmed, and a root-only `/` dropped (`https://m.example.com/`).
        prop_assert_eq!(&h.url, &net::normalize_url(&e.url));
        let caps: Vec<String> = e.effective_capabilities().iter().map(|c| c.as_str().to_string()).collect();
        if !caps.is_empty() && !h.capabilities.is_empty() {
            prop_assert_eq!(table.get("capabilities").and_then(strs), Some(caps), "capabilities of {}", where_);
        }
        prop_assert_eq!(table.get("override_path").and_then(|v| v.as_bool()).unwrap_or(false), e.override_path);
        prop_assert_eq!(table.get("skip_verify").and_then(|v| v.as_bool()).unwrap_or(false), e.tls.skip_verify);
        for hd in &e.headers {
            let got = file_headers.get(hd.name.trim()).and_then(strs).unwrap_or_default();
            for v in &hd.values {
                prop_assert!(got.contains(&secrets::display_secret(v)), "header {:?} value {:?} missing at {}: {:?}", hd.name, v, where_, got);
            }
        }
    }

    // Every pasted CA is shipped with exactly the PEM it was pasted as, at the path the host names.
    if let Some(tls) = source_tls(p, h) {
        prop_assert_eq!(tls.ca.len(), h.ca.len());
        for (ca, path) in tls.ca.iter().zip(&h.ca) {
            match ca {
                CaCert::Path(v) => prop_assert_eq!(path, &v.trim().to_string()),
                CaCert::Pem { name, pem } => {
                    let rel = format!("{}/{}.crt", plan::dir_path(&dir.namespace), name.trim());
                    prop_assert_eq!(path, &format!("/etc/containerd/{rel}"));
                    let shipped = file(r, &rel)?;
                    prop_assert_eq!(shipped, format!("{}\n", pem.trim()), "{} (for {}) holds another certificate", rel, where_);
                }
            }
        }
    }
    Ok(())
}

fn check_hosts_file(p: &Project, r: &Rendered, dir: &HostsDir) -> Result<(), TestCaseError> {
    let path = hosts_path(&dir.namespace);
    let text = file(r, &path)?;
    prop_assert!(text.parse::<toml_edit::DocumentMut>().is_ok(), "{} does not re-parse with toml_edit:\n{}", path, text);
    let parsed: toml::Table =
        toml::from_str(text).map_err(|e| TestCaseError::fail(format!("{path} does not parse with toml: {e}\n{text}")))?;
    let spanned = toml_edit::Document::parse(text.to_string()).map_err(|e| TestCaseError::fail(format!("{path}: {e}")))?;

    // Layout: standard table headers only, in the expected order.
    let mut headers = Vec::new();
    let mut bad = Vec::new();
    table_headers(spanned.as_table(), &[], &mut headers, &mut bad);
    prop_assert!(bad.is_empty(), "{}: {:?}\n{}", path, bad, text);
    headers.sort_by_key(|(_, s)| s.start);
    for (hp, span) in &headers {
        let h = &text[span.clone()];
        prop_assert!(h.starts_with('[') && !h.starts_with("[[") && h.ends_with(']'), "{}: {:?} is not a table header", path, h);
        let _ = hp;
    }
    let got: Vec<Vec<String>> = headers.iter().map(|(p, _)| p.clone()).collect();
    let mut want: Vec<Vec<String>> = Vec::new();
    if dir.server.as_ref().is_some_and(|s| !s.headers.is_empty()) {
        want.push(vec!["header".into()]);
    }
    for h in &dir.hosts {
        want.push(vec!["host".into(), h.url.clone()]);
        if !h.headers.is_empty() {
            want.push(vec!["host".into(), h.url.clone(), "header".into()]);
        }
    }
    if dir.needs_stub {
        want.push(vec!["host".into()]);
    }
    prop_assert_eq!(&got, &want, "table headers of {}:\n{}", path, text);

    // Root keys (server and its settings) come before the first table header.
    if let Some((_, first)) = headers.first() {
        for (k, item) in spanned.as_table().iter() {
            if item.is_value() {
                let end = spanned.as_table().key(k).and_then(|k| k.span()).map(|s| s.end).unwrap_or(usize::MAX);
                prop_assert!(end <= first.start, "{}: root key {} after a table header", path, k);
            }
        }
    }

    // The same order, independently of the plan: Harbor first, then the registry's endpoints in order.
    let mut try_order: Vec<String> = dir.hosts.iter().map(|h| h.url.clone()).collect();
    if let Some(s) = &dir.server {
        try_order.push(s.url.clone());
    }
    if let Some(i) = origin_index(&dir.origin, "registries[") {
        let reg = &p.registries[i];
        let eps: Vec<String> = reg.endpoints.iter().map(|e| net::normalize_url(&e.url)).collect();
        if let Some(first) = eps.first() {
            let at = try_order.iter().position(|u| u == first).unwrap_or(usize::MAX);
            prop_assert!(at != usize::MAX && try_order.get(at..at + eps.len()) == Some(&eps[..]), "endpoints of {} out of order: {:?} vs {:?}", path, eps, try_order);
        }
        if let Some(h) = &p.harbor {
            if h.mappings.iter().any(|m| m.upstream.trim() == dir.namespace) {
                let m = h.mappings.iter().find(|m| m.upstream.trim() == dir.namespace).unwrap();
                prop_assert_eq!(&try_order[0], &plan::harbor_endpoint_url(&h.address, h.mode, &m.project));
            }
        }
    }

    // Values.
    let root_ignore = ["server", "host"];
    match &dir.server {
        Some(s) => {
            prop_assert_eq!(parsed.get("server").and_then(|v| v.as_str()), Some(s.url.as_str()), "server of {}", path);
            check_host_values(p, r, dir, s, &parsed, &root_ignore)?;
        }
        None => {
            let keys: Vec<&String> = parsed.keys().filter(|k| *k != "host").collect();
            prop_assert!(keys.is_empty(), "{}: root keys {:?} without a server", path, keys);
        }
    }
    let host_table = parsed.get("host").and_then(|v| v.as_table()).cloned().unwrap_or_default();
    let got_urls: BTreeSet<&str> = host_table.keys().map(String::as_str).collect();
    let want_urls: BTreeSet<&str> = dir.hosts.iter().map(|h| h.url.as_str()).collect();
    prop_assert_eq!(got_urls, want_urls, "hosts of {}", path);
    for h in &dir.hosts {
        let t = host_table.get(&h.url).and_then(|v| v.as_table()).cloned().unwrap_or_default();
        check_host_values(p, r, dir, h, &t, &[])?;
    }
    Ok(())
}

fn registry_table<'a>(cfg: &'a toml::Table, p: &Project) -> Option<&'a toml::Table> {
    let plugin = if p.target.config_version() >= 3 { "io.containerd.cri.v1.images" } else { "io.containerd.grpc.v1.cri" };
    cfg.get("plugins")?.as_table()?.get(plugin)?.as_table()?.get("registry")?.as_table()
}

fn check_config_files(p: &Project, r: &Rendered) -> Result<(), TestCaseError> {
    for path in config_paths_of(p) {
        check_config_file(p, r, path)?;
    }
    Ok(())
}

fn check_config_file(p: &Project, r: &Rendered, path: &str) -> Result<(), TestCaseError> {
    let text = file(r, path)?;
    prop_assert!(text.parse::<toml_edit::DocumentMut>().is_ok(), "{} does not re-parse with toml_edit:\n{}", path, text);
    let cfg: toml::Table =
        toml::from_str(text).map_err(|e| TestCaseError::fail(format!("{path} does not parse with toml: {e}\n{text}")))?;
    prop_assert_eq!(cfg.get("version").and_then(|v| v.as_integer()), Some(p.target.config_version() as i64));
    let pl = plan::plan(p);
    let empty = toml::Table::new();
    let nothing_to_write =
        p.output == OutputStyle::Legacy && pl.mirrors.is_empty() && pl.legacy_tls.is_empty() && p.auth.is_empty();
    let reg = match registry_table(&cfg, p) {
        Some(t) => t,
        None if nothing_to_write => &empty,
        None => return Err(TestCaseError::fail(format!("{path}: no registry table\n{text}"))),
    };
    match p.output {
        OutputStyle::HostsDir => {
            prop_assert_eq!(reg.get("config_path").and_then(|v| v.as_str()), Some(CERTS_D));
            prop_assert!(reg.get("mirrors").is_none());
        }
        OutputStyle::Legacy => {
            let mirrors = reg.get("mirrors").and_then(|v| v.as_table()).cloned().unwrap_or_default();
            prop_assert_eq!(mirrors.len(), pl.mirrors.len(), "{}", text);
            for m in &pl.mirrors {
                let got = mirrors.get(&m.namespace).and_then(|t| t.get("endpoint")).and_then(strs);
                prop_assert_eq!(got.as_ref(), Some(&m.endpoints), "mirrors.{:?}", m.namespace);
            }
        }
    }
    // Credentials round-trip, keyed by the host as written.
    for c in &p.auth {
        let auth = reg
            .get("configs")
            .and_then(|v| v.get(c.host.trim()))
            .and_then(|v| v.get("auth"))
            .and_then(|v| v.as_table())
            .ok_or_else(|| TestCaseError::fail(format!("{path}: no auth for {}\n{text}", c.host)))?;
        let s = |k: &str| auth.get(k).and_then(|v| v.as_str()).map(str::to_string);
        match &c.method {
            AuthMethod::Basic { username, password, encode_as_auth: true } => {
                let pw = password.value().unwrap_or_default();
                prop_assert_eq!(s("auth"), Some(secrets::basic_auth(username, pw)));
                prop_assert_eq!(secrets::decode_auth(&s("auth").unwrap()), Ok((username.clone(), pw.to_string())));
            }
            AuthMethod::Basic { username, password, encode_as_auth: false } => {
                prop_assert_eq!(s("username"), Some(username.clone()));
                prop_assert_eq!(s("password"), password.value().map(str::to_string));
            }
            AuthMethod::Auth { auth: a } => prop_assert_eq!(s("auth"), a.value().map(|v| v.trim().to_string())),
            AuthMethod::IdentityToken { token } => prop_assert_eq!(s("identitytoken"), token.value().map(str::to_string)),
        }
    }
    Ok(())
}

/// Relative, no `..`, no empty or `.` component, no backslash or NUL; hosts files only for valid namespaces.
fn check_paths(p: &Project, r: &Rendered) -> Result<(), TestCaseError> {
    let pl = plan::plan(p);
    let mut seen = BTreeSet::new();
    for f in &r.files {
        let path = f.path.as_str();
        prop_assert!(seen.insert(path), "{} appears twice in the bundle", path);
        prop_assert!(!path.is_empty() && !path.starts_with('/'), "{:?} is not relative", path);
        prop_assert!(!path.contains('\\') && !path.contains('\0'), "{:?}", path);
        for c in path.split('/') {
            prop_assert!(!c.is_empty() && c != "." && c != "..", "{:?} has a {:?} component", path, c);
        }
        if let Some(rest) = path.strip_prefix("certs.d/") {
            let (ns, name) = rest.split_once('/').ok_or_else(|| TestCaseError::fail(format!("{path}")))?;
            prop_assert!(ns == "_default" || net::check_namespace(ns).is_ok(), "{:?}: namespace {:?} is not valid", path, ns);
            prop_assert!(!name.contains('/'), "{:?}", path);
            if name == "hosts.toml" {
                prop_assert!(pl.dirs.iter().any(|d| d.namespace == ns), "{:?} is not a planned directory", path);
            } else {
                prop_assert!(name.ends_with(".crt"), "{:?}", path);
            }
        } else if let Some(rest) = path.strip_prefix("certs/") {
            prop_assert!(p.output == OutputStyle::Legacy, "{:?}", path);
            let (host, name) = rest.split_once('/').ok_or_else(|| TestCaseError::fail(format!("{path}")))?;
            prop_assert!(net::check_host_port(host).is_ok(), "{:?}", path);
            prop_assert!(!name.contains('/') && name.ends_with(".crt"), "{:?}", path);
        } else {
            prop_assert!(
                [FRAGMENT_PATH, DROP_IN_PATH, "install.sh", "README.txt", "project.json"].contains(&path),
                "unexpected file {:?}",
                path
            );
        }
    }
    Ok(())
}

fn check_every_file(p: &Project, r: &Rendered) -> Result<(), TestCaseError> {
    let pl = plan::plan(p);
    let mut want: Vec<String> = config_paths_of(p).iter().map(|s| s.to_string()).collect();
    if p.output == OutputStyle::HostsDir {
        want.extend(pl.dirs.iter().map(|d| hosts_path(&d.namespace)));
    }
    let got: Vec<String> = r.files.iter().map(|f| f.path.clone()).collect();
    prop_assert!(got.len() >= want.len() + 3, "files: {:?}", got);
    prop_assert_eq!(&got[..want.len()], &want[..]);
    prop_assert_eq!(&got[got.len() - 3..], &["install.sh".to_string(), "README.txt".to_string(), "project.json".to_string()][..]);
    for f in &r.files {
        prop_assert!(!f.content.is_empty(), "{} is empty", f.path);
        if !f.path.ends_with(".crt") {
            prop_assert!(!f.content.trim().is_empty(), "{} is blank", f.path);
        }
    }
    prop_assert_eq!(r.installable, !has_errors(&r.diagnostics));
    prop_assert!(serde_json::to_string(r).is_ok());
    Ok(())
}

fn check_no_leaks(p: &Project, r: &Rendered) -> Result<(), TestCaseError> {
    let needles = secret_needles(p);
    for f in &r.files {
        let block = first_comment_block(&f.path, &f.content);
        for s in &needles {
            prop_assert!(!block.contains(s.as_str()), "secret {:?} in the first comment block of {}:\n{}", s, f.path, block);
        }
    }
    let (stripped, _) = secrets::strip_secrets(p);
    let json = serde_json::to_string(&stripped).unwrap();
    let json_plain = serde_json::to_string(&serde_json::to_value(&stripped).unwrap()).unwrap();
    for s in &needles {
        let escaped = serde_json::to_string(s).unwrap();
        let escaped = &escaped[1..escaped.len() - 1];
        prop_assert!(!json.contains(escaped) && !json_plain.contains(escaped), "secret {:?} survives strip_secrets: {}", s, json);
    }
    prop_assert!(secret_needles(&stripped).iter().all(|s| !needles.contains(s)));
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    /// Any project, valid or not: no panic, every file present and non-blank, so the preview never goes blank.
    #[test]
    fn render_never_panics_and_returns_every_file(p in project(Mode::Hostile)) {
        let r = render(&p);
        check_every_file(&p, &r)?;
    }

    /// Also for clean-looking projects, whose combinations can still be invalid.
    #[test]
    fn render_returns_every_file_for_clean_projects(p in project(Mode::Clean)) {
        let r = render(&p);
        check_every_file(&p, &r)?;
    }

    #[test]
    fn render_is_deterministic(p in project(Mode::Hostile)) {
        let a = render(&p);
        let b = render(&p.clone());
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(validate(&p), validate(&p));
        // Through the project file format too.
        let json = serde_json::to_string(&p).unwrap();
        let back: Project = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&render(&back), &a);
    }

    /// The page renders each keystroke with `render_again`, taking unchanged hosts.toml files and registry
    /// diagnostics (and the plan of the other registries) over from the bundle before: after any edit of one
    /// registry (with its upstream kept or not), its removal, an edit of the target /
    /// output / air-gap only, or of anything (another project), in either language, with or without a node's config.toml, the
    /// bundle is exactly the full render's.
    #[test]
    fn rendering_again_after_an_edit_equals_a_full_render(
        before in project(Mode::Hostile),
        other in project(Mode::Hostile),
        changed in registry(Mode::Hostile),
        at in any::<Index>(),
        how in 0..6u8,
        zh in any::<bool>(),
        node in select(vec![None, Some("version = 2\n"), Some("version = 3\n[plugins]\n")]),
    ) {
        let lang = if zh { ccb_core::Lang::Zh } else { ccb_core::Lang::En };
        let after = match how {
            0 => other,
            // The same registries in another context (what a registry's diagnostics depend on besides itself).
            3 => Project { target: other.target, output: other.output, air_gap: other.air_gap, ..before.clone() },
            // A registry removed: the directories after it move up one place.
            4 if !before.registries.is_empty() => {
                let mut q = before.clone();
                q.registries.remove(at.index(q.registries.len()));
                q
            }
            // A registry edited in place, its upstream kept (typing into one of its fields): the plan of the
            // others is taken over (`plan::plan_again`).
            5 if !before.registries.is_empty() => {
                let mut q = before.clone();
                let i = at.index(q.registries.len());
                q.registries[i] = ccb_core::model::Registry { upstream: q.registries[i].upstream.clone(), ..changed };
                q
            }
            _ => {
                let mut q = before.clone();
                if how == 1 && !q.registries.is_empty() {
                    let i = at.index(q.registries.len());
                    q.registries[i] = changed;
                } else {
                    q.registries.push(changed);
                }
                q
            }
        };
        let full = |p: &Project| match node {
            Some(text) => ccb_core::render::render_merged_in(p, text, lang),
            None => ccb_core::render::render_in(p, lang),
        };
        // The page merges in its lazily loaded module, sent the render's plan and diagnostics as text, and renders
        // with the module's answer read back.
        let page = |p: &Project, previous: &ccb_core::render::Rendered| match node {
            Some(text) => {
                use ccb_core::merge_result::{answer, decode, request};
                let merge_by = |plan: &ccb_core::plan::Plan, d: &[ccb_core::Diagnostic]| decode(&answer(&request(p, plan, d), text)).unwrap();
                ccb_core::render::render_merging_in(p, &merge_by, lang, Some(previous))
            }
            None => ccb_core::render::render_again(p, lang, previous),
        };
        let previous = full(&before);
        prop_assert_eq!(&page(&after, &previous), &full(&after));
        // And after no edit at all (every file taken over).
        prop_assert_eq!(&page(&before, &previous), &previous);
    }

    /// No literal secret in any file's header comment, and none left after strip_secrets — for any project.
    #[test]
    fn secrets_stay_out_of_header_comments_and_stripped_projects(p in project(Mode::Hostile)) {
        check_no_leaks(&p, &render(&p))?;
    }

    #[test]
    fn secrets_stay_out_of_header_comments_for_clean_projects(p in project(Mode::Clean)) {
        check_no_leaks(&p, &render(&p))?;
    }

    /// Projects without errors: every TOML file parses with both parsers; hosts.toml has one table header per host
    /// in try order, root keys first, each header table after its host, and the project's values.
    #[test]
    fn valid_projects_render_exact_well_formed_toml(p in project(Mode::Clean)) {
        prop_assume!(errors(&p).is_empty());
        let r = render(&p);
        prop_assert!(r.installable);
        check_config_files(&p, &r)?;
        if p.output == OutputStyle::HostsDir {
            for d in &plan::plan(&p).dirs {
                check_hosts_file(&p, &r, d)?;
            }
        }
    }


    /// Projects without errors: every bundle path is safe to join to /etc/containerd.
    #[test]
    fn valid_projects_have_safe_bundle_paths(p in project(Mode::Clean)) {
        prop_assume!(errors(&p).is_empty());
        check_paths(&p, &render(&p))?;
    }

}

/// The clean generator must mostly produce projects without errors, and those must cover the whole model.
#[test]
fn generator_covers_the_model() {
    let mut runner = TestRunner::deterministic();
    let strategy = project(Mode::Clean);
    let n = 600;
    let mut valid = 0;
    let mut codes: std::collections::BTreeMap<String, usize> = Default::default();
    let mut features: std::collections::BTreeMap<&str, usize> = Default::default();
    for _ in 0..n {
        let p = strategy.new_tree(&mut runner).unwrap().current();
        let errs = validate(&p).into_iter().filter(|d| d.severity == Severity::Error).collect::<Vec<_>>();
        for e in &errs {
            *codes.entry(e.code.to_string()).or_default() += 1;
        }
        if !errs.is_empty() {
            continue;
        }
        valid += 1;
        let mut f = |k: &'static str, on: bool| {
            if on {
                *features.entry(k).or_default() += 1;
            }
        };
        let eps = || p.registries.iter().flat_map(|r| r.endpoints.iter());
        f("hosts_dir", p.output == OutputStyle::HostsDir);
        f("legacy", p.output == OutputStyle::Legacy);
        f("harbor_path", p.harbor.as_ref().is_some_and(|h| h.mode == HarborMode::Path && !h.mappings.is_empty()));
        f("harbor_subdomain", p.harbor.as_ref().is_some_and(|h| h.mode == HarborMode::Subdomain && !h.mappings.is_empty()));
        f("air_gap", p.air_gap.is_some());
        f("auth_basic", p.auth.iter().any(|c| matches!(c.method, AuthMethod::Basic { .. })));
        f("auth_auth", p.auth.iter().any(|c| matches!(c.method, AuthMethod::Auth { .. })));
        f("auth_token", p.auth.iter().any(|c| matches!(c.method, AuthMethod::IdentityToken { .. })));
        f("endpoints_4+", p.registries.iter().any(|r| r.endpoints.len() >= 4));
        f("harbor_kind_endpoint", eps().any(|e| e.kind == EndpointKind::HarborProject));
        f("public_mirror", eps().any(|e| e.kind == EndpointKind::PublicMirror));
        f("private_registry", eps().any(|e| e.kind == EndpointKind::PrivateRegistry));
        f("override_path", eps().any(|e| e.override_path));
        f("ca_path", eps().any(|e| e.tls.ca.iter().any(|c| matches!(c, CaCert::Path(_)))));
        f("ca_pem", eps().any(|e| e.tls.ca.iter().any(|c| matches!(c, CaCert::Pem { .. }))));
        f("client_pair", eps().any(|e| e.tls.client.iter().any(|c| matches!(c, ClientCert::Pair { .. }))));
        f("headers", eps().any(|e| !e.headers.is_empty()));
        f("secret_header", eps().any(|e| e.headers.iter().any(|h| secrets::is_secret_header(&h.name))));
        f("hostile_header_value", eps().any(|e| e.headers.iter().any(|h| h.values.iter().any(|v| v.value().is_some_and(|v| v.contains('"') || v.contains('\\'))))));
        f("explicit_caps", eps().any(|e| !e.capabilities.is_empty()));
        f("dial_timeout", eps().any(|e| e.dial_timeout.is_some()));
        f("no_fallback", p.registries.iter().any(|r| !r.fallback_to_upstream));
        f("server", p.registries.iter().any(|r| r.server.as_deref().is_some_and(|s| !s.trim().is_empty())));
        f("daemon", p.daemon != Daemon::default());
        f("version_3", p.target.config_version() == 3);
        f("stub", plan::plan(&p).dirs.iter().any(|d| d.needs_stub));
        f("_default", plan::plan(&p).dirs.iter().any(|d| d.namespace == "_default"));
    }
    eprintln!("clean generator: {valid}/{n} projects without errors");
    eprintln!("error codes in the rest: {codes:?}");
    eprintln!("features among the valid ones: {features:?}");
    assert!(valid * 100 >= n * 25, "only {valid}/{n} clean projects validate; errors: {codes:?}");
    for k in [
        "hosts_dir", "legacy", "harbor_path", "harbor_subdomain", "air_gap", "auth_basic", "auth_auth", "auth_token",
        "endpoints_4+", "harbor_kind_endpoint", "public_mirror", "private_registry", "override_path", "ca_path",
        "ca_pem", "client_pair", "headers", "secret_header", "hostile_header_value", "explicit_caps", "dial_timeout",
        "no_fallback", "server", "daemon", "version_3", "stub", "_default",
    ] {
        assert!(features.get(k).copied().unwrap_or(0) > 0, "no valid project has {k}: {features:?}");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Regression cases for bugs the properties found (minimal reproducers), all fixed.
// ---------------------------------------------------------------------------------------------------------------

fn ep(url: &str) -> Endpoint {
    Endpoint { url: url.into(), ..Default::default() }
}

fn reg(upstream: &str, endpoints: Vec<Endpoint>) -> Registry {
    Registry { upstream: upstream.into(), endpoints, ..Default::default() }
}

fn run_clean_checks(p: &Project) -> Result<(), TestCaseError> {
    let r = render(p);
    check_every_file(p, &r)?;
    check_paths(p, &r)?;
    check_config_files(p, &r)?;
    if p.output == OutputStyle::HostsDir {
        for d in &plan::plan(p).dirs {
            check_hosts_file(p, &r, d)?;
        }
    }
    check_no_leaks(p, &r)
}

/// Asserts that `p` validates without errors and yet renders a broken bundle (i.e. that the bug is still there
/// when the test is not ignored, this fails once it is fixed, either way: by a diagnostic or by a correct file).
fn assert_fixed(p: &Project) {
    let errs = errors(p);
    if !errs.is_empty() {
        return; // Fixed by a diagnostic: the bundle is not installable.
    }
    if let Err(e) = run_clean_checks(p) {
        panic!("{e}\n\nbundle:\n{}", render(p).files.iter().map(|f| format!("== {}\n{}", f.path, f.content)).collect::<String>());
    }
}

#[test]
fn regression_default_registry_with_air_gap() {
    let p = Project {
        registries: vec![reg("_default", vec![ep("https://mirror.example.com")])],
        air_gap: Some(AirGap { registry: "https://registry.internal:5000".into(), ..Default::default() }),
        ..Default::default()
    };
    assert_fixed(&p);
}

#[test]
fn regression_duplicate_header_name() {
    let mut e = ep("https://mirror.example.com");
    e.headers = vec![
        // X-Tenant is not on the allow-list, so its values count as secrets: values that no header comment has.
        Header { name: "X-Tenant".into(), values: vec![Secret::literal("tenant-alpha")] },
        Header { name: "X-Tenant".into(), values: vec![Secret::literal("tenant-beta")] },
    ];
    let p = Project { registries: vec![reg("docker.io", vec![e])], ..Default::default() };
    assert_fixed(&p);
}

#[test]
fn regression_pem_name_clash() {
    let pem = |n: u32| format!("{CA_PEM}# {n}\n");
    let mut a = ep("https://a.example.com");
    a.tls.ca = vec![CaCert::Pem { name: "ca".into(), pem: pem(1) }];
    let mut b = ep("https://b.example.com");
    b.tls.ca = vec![CaCert::Pem { name: "ca".into(), pem: pem(2) }];
    let p = Project { registries: vec![reg("registry.example.com:5000", vec![a, b])], ..Default::default() };
    assert_fixed(&p);
}

/// Was a bug (an `{"env": …}` value of an ordinary header rendered as the placeholder `${TENANT}` into an
/// installable bundle); fixed by the S1 rule for all header values. Kept as a regression test.
#[test]
fn regression_env_value_in_plain_header() {
    let mut e = ep("https://mirror.example.com");
    e.headers = vec![Header { name: "X-Tenant".into(), values: vec![Secret::FromEnv(EnvRef { env: "TENANT".into() })] }];
    let p = Project { registries: vec![reg("docker.io", vec![e])], ..Default::default() };
    assert_fixed(&p);
}

#[test]
fn regression_harbor_mapping_equals_endpoint() {
    let p = Project {
        registries: vec![reg(
            "docker.io",
            vec![Endpoint { kind: EndpointKind::HarborProject, override_path: true, ..ep("https://cr.example.com/v2/dockerhub") }],
        )],
        harbor: Some(HarborProxy {
            address: "https://cr.example.com".into(),
            tls: Tls { ca: vec![CaCert::Path("/etc/pki/harbor-ca.crt".into())], ..Default::default() },
            mappings: vec![HarborMapping { upstream: "docker.io".into(), project: "dockerhub".into() }],
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_fixed(&p);
}

#[test]
fn regression_header_value_with_control_character() {
    let mut e = ep("https://mirror.example.com");
    e.headers = vec![Header { name: "X-Tenant".into(), values: vec![Secret::literal("a\u{7f}b")] }];
    let p = Project { registries: vec![reg("docker.io", vec![e])], ..Default::default() };
    assert_fixed(&p);
}

proptest! {
    #![proptest_config(config())]

    /// Any project, valid or not: every export returns YAML that reads back, whose mirror names are the
    /// namespaces the plan configures (hostile text survives the emitter's quoting exactly), and what the format loses
    /// said at a field.
    #[test]
    fn exports_never_panic_and_read_back(p in project(Mode::Hostile)) {
        use ccb_core::export::{export, Format, TalosForm};
        use saphyr::{LoadableYamlNode, Yaml};
        let mut hosts_dir = p.clone();
        hosts_dir.output = OutputStyle::HostsDir;
        hosts_dir.target = Target { min: ccb_core::version::DEFAULT_MIN_2X, max: ccb_core::version::DEFAULT_MAX_2X };
        let names: Vec<String> = ccb_core::plan::plan(&hosts_dir)
            .dirs
            .iter()
            .map(|d| if d.namespace == "_default" { "*".to_string() } else { d.namespace.clone() })
            .collect();
        for format in [Format::K3s, Format::Talos(TalosForm::MachineConfig), Format::Talos(TalosForm::Documents)] {
            let e = export(&p, format);
            let docs = Yaml::load_from_str(&e.yaml).map_err(|err| TestCaseError::fail(format!("{format:?}: {err}\n{}", e.yaml)))?;
            let mirrors = match format {
                Format::K3s => docs[0]["mirrors"].as_mapping().map(|m| m.keys().filter_map(|k| k.as_str()).map(str::to_string).collect()),
                Format::Talos(TalosForm::MachineConfig) => docs[0]["machine"]["registries"]["mirrors"].as_mapping().map(|m| m.keys().filter_map(|k| k.as_str()).map(str::to_string).collect()),
                Format::Talos(TalosForm::Documents) => Some(
                    docs.iter().filter(|d| d["kind"].as_str() == Some("RegistryMirrorConfig")).filter_map(|d| d["name"].as_str()).map(str::to_string).collect::<Vec<_>>(),
                ),
            };
            let mirrors: Vec<String> = mirrors.unwrap_or_default();
            for m in &mirrors {
                prop_assert!(names.contains(m), "{:?}: mirror {:?} is not a planned namespace {:?}", format, m, names);
            }
            for d in e.diagnostics.iter().filter(|d| d.code.starts_with('X')) {
                prop_assert!(!d.path.is_empty() && !d.message.en.is_empty() && !d.message.zh.is_empty(), "{:?}", d);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Round trip through the other tools' formats
// ---------------------------------------------------------------------------------------------------------------

/// containerd's capabilities for a host whose hosts.toml names none (docs/hosts.md, `parseHostConfig`) — on
/// 2.0–2.1; from 2.2 referrers too, which the project cannot write for a host (the importers' I19), so the
/// comparison takes an explicit pull + resolve + push for the default and does not see referrers.
const DEFAULT_CAPABILITIES: [&str; 3] = ["pull", "push", "resolve"];

/// The strings of a TOML string or array of strings.
fn toml_strs(v: &toml_edit::Value) -> Option<Vec<String>> {
    match v.as_str() {
        Some(s) => Some(vec![s.to_string()]),
        None => v.as_array()?.iter().map(|x| x.as_str().map(str::to_string)).collect(),
    }
}

/// One host of a hosts.toml as containerd reads it (see [`routing`]); `None` where the file is not what
/// `hosts_toml` writes.
fn host_routing(url: &str, t: &toml_edit::Table, ca_text: &dyn Fn(&str) -> String) -> Option<String> {
    let value = |key: &str| t.get(key).and_then(|i| i.as_value());
    let override_path = value("override_path").and_then(|v| v.as_bool()).unwrap_or(false);
    let root = match net::parse_url(url) {
        Ok(u) => format!("{}://{}{}", u.scheme, u.host_port, u.api_root(override_path)),
        Err(_) => format!("{url} override_path={override_path}"),
    };
    let mut capabilities = match value("capabilities") {
        Some(c) => toml_strs(c)?,
        None => DEFAULT_CAPABILITIES.iter().map(|s| s.to_string()).collect(),
    };
    capabilities.sort();
    capabilities.dedup();
    let ca: Vec<String> = match value("ca") {
        Some(c) => toml_strs(c)?.iter().map(|p| ca_text(p)).collect(),
        None => Vec::new(),
    };
    let client: Vec<(String, String)> = match value("client") {
        None => Vec::new(),
        Some(c) => match c.as_str() {
            Some(p) => vec![(p.to_string(), p.to_string())],
            None => c
                .as_array()?
                .iter()
                .map(|x| match x.as_str() {
                    Some(p) => Some((p.to_string(), p.to_string())),
                    None => {
                        let pair = toml_strs(x)?;
                        Some((pair.first()?.clone(), pair.get(1)?.clone()))
                    }
                })
                .collect::<Option<_>>()?,
        },
    };
    let skip_verify = value("skip_verify").and_then(|v| v.as_bool()).unwrap_or(false);
    let dial_timeout = value("dial_timeout").and_then(|v| v.as_str()).map(str::to_string);
    let headers: Vec<(String, Vec<String>)> = match t.get("header").and_then(|h| h.as_table()) {
        Some(h) => h.iter().map(|(k, v)| Some((k.to_string(), toml_strs(v.as_value()?)?))).collect::<Option<_>>()?,
        None => Vec::new(),
    };
    Some(format!(
        "{root} capabilities={capabilities:?} ca={:?} client={client:?} skip_verify={skip_verify} dial_timeout={dial_timeout:?} header={headers:?}",
        ca.join("\n")
    ))
}

/// A hosts.toml as its hosts in containerd's try order: the `[host]` entries, then `server`.
fn hosts_routing(text: &str, ca_text: &dyn Fn(&str) -> String) -> Option<Vec<String>> {
    let doc: toml_edit::DocumentMut = text.parse().ok()?;
    let root = doc.as_table();
    let mut out = Vec::new();
    if let Some(hosts) = root.get("host").and_then(|h| h.as_table()) {
        for (url, t) in hosts.iter() {
            out.push(format!("host {}", host_routing(url, t.as_table()?, ca_text)?));
        }
    }
    if let Some(server) = root.get("server").and_then(|s| s.as_str()) {
        out.push(format!("server {}", host_routing(server, root, ca_text)?));
    }
    Some(out)
}

/// What containerd reads of a bundle, by file path (containerd finds files by path, not in the bundle's order;
/// install.sh, README.txt and project.json repeat the others and are left out), in containerd's own terms where
/// the text has several forms of one meaning (containerd 2.x `core/remotes/docker/config/hosts.go`):
/// - a hosts.toml as its hosts in try order, each with the API root containerd derives (`path.Clean` of the path,
///   then `/v2` unless `override_path` or already there): the formats carry the root, not the path as typed
///   (`https://m//p//`, `https://m/p/v2` and `https://m/p` are one root, and k3s's importer, like k3s, writes
///   the cleaned one);
/// - capabilities as a set, none written = containerd's default pull + resolve + push ([`DEFAULT_CAPABILITIES`]);
/// - `ca` as the text of the certificates its files hold (a shipped file resolved from the bundle, or from the
///   files the export lists: k3s's `ca_file`), in order, as one text: containerd puts every certificate of every
///   file into one pool, so one file holding two certificates (Talos's one inline `ca`, k3s's one `ca_file`)
///   trusts the same as two files;
/// - `client` as (certificate, key) files: a single path is one PEM holding both, from which containerd reads the
///   key as well, the same as k3s's `cert_file` and `key_file` both naming that file;
/// - no comments (the try-order comment repeats the URLs as typed);
/// - no hosts.toml that routes as no file does (no hosts, or only the registry itself as `server` with nothing
///   else), unless a `_default` directory would apply in its place;
/// - certificate files only through the `ca` that names them; config settings as TOML values (containerd reads
///   its tables as maps; the formats key credentials by host and do not keep the project's order of them).
fn routing(r: &Rendered, export_files: &[ccb_core::export::ExportFile]) -> Routing {
    use ccb_core::FileKind;
    let bundle = |path: &str| r.files.iter().find(|f| f.path == path).map(|f| f.content.to_string());
    let ca_text = |path: &str| -> String {
        let shipped = path.strip_prefix("/etc/containerd/").and_then(|p| bundle(p));
        let listed = || export_files.iter().find(|f| f.path == path).map(|f| f.content.clone());
        match shipped.or_else(listed) {
            Some(text) => text.trim().to_string(),
            None => format!("file {path}"),
        }
    };
    // Each hosts.toml as its hosts; one without any has containerd's implicit `server`: `https://<namespace>`
    // (registry-1.docker.io for docker.io), except for `_default` and localhost, whose implicit server has rules
    // of its own (https, then http without verification).
    let bare_upstream = |ns: &str| -> Option<String> {
        (ns != "_default" && !net::is_localhost(ns))
            .then(|| host_routing(&net::upstream_url(ns), &toml_edit::Table::new(), &ca_text))
            .flatten()
            .map(|s| format!("server {s}"))
    };
    let mut dirs: Vec<(&str, &str, Option<Vec<String>>, String)> = Vec::new();
    for f in r.files.iter().filter(|f| f.kind == FileKind::HostsToml) {
        let ns = ccb_core::paths::namespace_of(&f.path).unwrap_or_default();
        let text = f.content.to_string();
        let hosts = hosts_routing(&text, &ca_text).map(|h| if h.is_empty() { bare_upstream(ns).into_iter().collect() } else { h });
        dirs.push((f.path.as_str(), ns, hosts, text));
    }
    // A directory that routes as no directory does (no hosts, or only the implicit server) still matters where a
    // `_default` directory with hosts of its own would apply in its place.
    let like_no_dir = |ns: &str, hosts: &[String]| hosts.is_empty() || (hosts.len() == 1 && Some(&hosts[0]) == bare_upstream(ns).as_ref());
    let has_default = dirs.iter().any(|(_, ns, h, _)| *ns == "_default" && h.as_ref().is_none_or(|h| !like_no_dir(ns, h)));
    let mut out = std::collections::BTreeMap::new();
    for (path, ns, hosts, text) in &dirs {
        match hosts {
            Some(h) if like_no_dir(ns, h) && !has_default => {}
            Some(h) => {
                out.insert(path.to_string(), h.clone());
            }
            None => {
                out.insert(path.to_string(), vec![text.clone()]);
            }
        }
    }
    for f in &r.files {
        let text = f.content.to_string();
        let shown = match f.kind {
            FileKind::InstallScript | FileKind::Readme | FileKind::ProjectJson | FileKind::Certificate | FileKind::HostsToml => continue,
            k if k.is_config() => text.parse::<toml::Table>().map(|t| format!("{t:?}")).unwrap_or(text),
            _ => text,
        };
        out.insert(f.path.clone(), vec![shown]);
    }
    out
}

/// What containerd reads of a bundle: per file path, a hosts.toml's hosts (one line each, in try order) or a
/// file's text.
type Routing = std::collections::BTreeMap<String, Vec<String>>;

/// The project field a plan origin belongs to: `registries[i]`, `harbor` or `air_gap`.
fn top_field(origin: &str) -> String {
    match origin.find(']') {
        Some(i) if origin.starts_with("registries[") => origin[..=i].to_string(),
        _ => origin.split(['.', '[']).next().unwrap_or(origin).to_string(),
    }
}

/// Whether a diagnostic path is at `field` or inside it.
fn under(path: &str, field: &str) -> bool {
    path.strip_prefix(field).is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// The project fields a bundle file is written from: a hosts.toml from its directory's registry, Harbor and
/// air-gap settings (per planned host); the config settings from the daemon settings, the sandbox image and the
/// credentials. A directory the project does not have comes from no field.
fn fields_behind(path: &str, plan: &plan::Plan) -> Vec<String> {
    let Some(ns) = ccb_core::paths::namespace_of(path) else {
        return vec!["daemon".to_string(), "sandbox_image".to_string(), "auth".to_string()];
    };
    let Some(d) = plan.dirs.iter().find(|d| d.namespace == ns) else { return Vec::new() };
    let mut out: Vec<String> = std::iter::once(&d.origin)
        .chain(d.hosts.iter().map(|h| &h.origin))
        .chain(d.server.iter().map(|s| &s.origin))
        .map(|o| top_field(o))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Where a planned host's settings are in the project: its endpoint (or the `server` field), a Harbor mapping
/// with Harbor's TLS settings, the air-gap; none for the implicit upstream, which is its directory's alone.
fn host_fields(h: &PlannedHost, dir_origin: &str) -> Vec<String> {
    let origin = h.origin.as_str();
    // The implicit upstream is the only host planned with its directory's origin and no capabilities.
    if h.capabilities.is_empty() && (origin == dir_origin || origin == "air_gap") {
        Vec::new()
    } else if origin.starts_with("harbor.") {
        vec![origin.to_string(), "harbor.tls".to_string()]
    } else if origin.starts_with("air_gap") {
        vec!["air_gap".to_string()]
    } else {
        vec![origin.to_string()]
    }
}

/// The files that differ without an export diagnostic (an `X` code, not the X0 note about a file to copy) at
/// the field the difference comes from:
/// - a hosts.toml: at the directory as a whole (the registry, Harbor or the air-gap itself, its fallback, its
///   `server`), else each host of the project's file that the imported one lacks needs one at that host's own
///   field ([`host_fields`]); where the hosts cannot be matched to planned ones (no host lacking, only order or
///   extra hosts), one under a field the directory comes from ([`fields_behind`]);
/// - a config file: under the daemon settings, the sandbox image or the credentials.
fn unexplained_differences(want: &Routing, got: &Routing, plan: &plan::Plan, diagnostics: &[ccb_core::Diagnostic]) -> Vec<String> {
    let losses: Vec<&str> = diagnostics.iter().filter(|d| d.code.starts_with('X') && !d.code.starts_with("X0-")).map(|d| d.path.as_str()).collect();
    let any_under = |fields: &[String]| losses.iter().any(|p| fields.iter().any(|f| under(p, f)));
    let paths: BTreeSet<&String> = want.keys().chain(got.keys()).collect();
    let mut out = Vec::new();
    for path in paths {
        if want.get(path) == got.get(path) {
            continue;
        }
        let (w, g) = (want.get(path).cloned().unwrap_or_default(), got.get(path).cloned().unwrap_or_default());
        let fields = fields_behind(path, plan);
        let dir = ccb_core::paths::namespace_of(path).and_then(|ns| plan.dirs.iter().find(|d| d.namespace == ns));
        let explained = match dir {
            None => any_under(&fields),
            Some(d) => {
                let whole = losses.iter().any(|p| {
                    fields.iter().any(|t| p == t || under(p, &format!("{t}.fallback_to_upstream")) || under(p, &format!("{t}.server")))
                });
                let origins: Vec<&PlannedHost> = d.hosts.iter().chain(d.server.as_ref()).collect();
                let lacking: Vec<usize> = (0..w.len()).filter(|&k| !g.contains(&w[k])).collect();
                if whole {
                    true
                } else if origins.len() == w.len() && !lacking.is_empty() {
                    // The implicit upstream has no field of its own. Where the imported bundle has no file for the
                    // directory at all (its one endpoint, the registry itself, became k3s's default: X14), the
                    // upstream went with the hosts that have fields, and is explained when they are.
                    let own: Vec<usize> = lacking.iter().copied().filter(|&k| !host_fields(origins[k], &d.origin).is_empty()).collect();
                    let judged = if g.is_empty() && !own.is_empty() { &own } else { &lacking };
                    judged.iter().all(|&k| any_under(&host_fields(origins[k], &d.origin)))
                } else {
                    any_under(&fields)
                }
            }
        };
        if !explained {
            out.push(format!("{path} (from {fields:?}):\n  want: {w:#?}\n  got:  {g:#?}"));
        }
    }
    out
}

/// The project without what the issue lets the formats drop as a whole, each reported by every export: daemon
/// settings and the sandbox image (X10), headers (X2), connect timeouts (X3), capabilities other than pull +
/// resolve (X1), secrets named by environment variables (X9). Half the generated projects go through it, so that
/// the property meets many projects the formats carry whole, and also many that lose something.
fn without_what_no_format_carries(mut p: Project) -> Project {
    p.daemon = Daemon::default();
    p.sandbox_image = None;
    for r in &mut p.registries {
        for e in &mut r.endpoints {
            e.headers.clear();
            e.dial_timeout = None;
            e.capabilities.clear();
            if e.kind != EndpointKind::HarborProject {
                e.kind = EndpointKind::PrivateMirror;
            }
        }
    }
    for c in &mut p.auth {
        let literal = |s: &mut Secret| {
            if let Secret::FromEnv(e) = s {
                *s = Secret::Literal(format!("Zs{}", e.env.len()));
            }
        };
        match &mut c.method {
            AuthMethod::Basic { password, .. } => literal(password),
            AuthMethod::Auth { auth } => literal(auth),
            AuthMethod::IdentityToken { token } => literal(token),
        }
    }
    p
}

/// One format's round trip of a project: export, import, render.
struct RoundTrip {
    format: ccb_core::export::Format,
    yaml: String,
    /// The files route the same as the project's own ([`routing`]).
    same: bool,
    /// The differing files no export diagnostic explains ([`unexplained_differences`]).
    unexplained: Vec<String>,
    /// The export's diagnostics as `code path`.
    reported: Vec<String>,
    /// The importer's report, for failure messages.
    report: String,
}

/// Each format's round trip of `p`, compared with `p` rendered for the containerd k3s and Talos ship (2.x,
/// hosts-dir style).
fn round_trips(p: &Project) -> Vec<RoundTrip> {
    use ccb_core::export::{export, Format, TalosForm};
    use ccb_core::import::{formats, import, Options};
    let mut expected = p.clone();
    expected.output = OutputStyle::HostsDir;
    expected.target = Target { min: ccb_core::version::DEFAULT_MIN_2X, max: ccb_core::version::DEFAULT_MAX_2X };
    let rendered = render(&expected);
    let want = routing(&rendered, &[]);
    [
        (Format::K3s, "registries.yaml", formats::Format::K3s),
        (Format::Talos(TalosForm::MachineConfig), "config.yaml", formats::Format::Talos),
        (Format::Talos(TalosForm::Documents), "registry.yaml", formats::Format::Talos),
    ]
    .into_iter()
    .map(|(format, name, read_as)| {
        let e = export(p, format);
        let imported = import(&[(name.to_string(), e.yaml.clone().into_bytes())], &Options { format: Some(read_as), ..Default::default() });
        let got = routing(&render(&imported.project), &e.files);
        RoundTrip {
            format,
            same: got == want,
            unexplained: unexplained_differences(&want, &got, &rendered.plan, &e.diagnostics),
            reported: e.diagnostics.iter().map(|d| format!("{} {}", d.code, d.path)).collect(),
            report: format!("{:#?}", imported.report),
            yaml: e.yaml,
        }
    })
    .collect()
}

proptest! {
    #![proptest_config(config())]

    /// Export → import → render routes as the project rendered for the containerd k3s and Talos ship (2.x,
    /// hosts-dir style) does, file by file ([`routing`]); where a file differs, the export's report names a field
    /// it is written from ([`fields_behind`]). `CCB_RT_STATS=1` (with `--nocapture`) prints one line per case and
    /// format: whether the export reported anything (and which codes) and whether the files route the same.
    #[test]
    fn export_then_import_renders_the_same_bundle(
        p in prop_oneof![project(Mode::Clean), project(Mode::Clean).prop_map(without_what_no_format_carries)]
    ) {
        prop_assume!(!has_errors(&validate(&p)));
        for rt in round_trips(&p) {
            if std::env::var_os("CCB_RT_STATS").is_some() {
                let codes: BTreeSet<&str> = rt.reported.iter().filter_map(|c| c.split_once(' ')).map(|(c, _)| c).filter(|c| c.starts_with('X')).collect();
                eprintln!("RT {:?} reported={} same={} codes={:?}", rt.format, !codes.is_empty(), rt.same, codes);
            }
            prop_assert!(
                rt.unexplained.is_empty(),
                "{:?} lost something without saying so at the field it comes from:\n{}\nexport:\n{}\nreport: {}\nexport diagnostics: {:#?}",
                rt.format, rt.unexplained.join("\n"), rt.yaml, rt.report, rt.reported
            );
        }
    }
}

// What the generator's former narrowing (`expressible`) rewrote, case by case: each is now carried exactly, the
// same to containerd ([`routing`]), or reported at its field.

/// Per format (k3s, Talos 1.11, Talos 1.12): whether the round trip routes the same, with every difference
/// explained; and the export's diagnostics.
fn round_trip_outcome(p: &Project) -> Vec<(bool, Vec<String>)> {
    assert!(!has_errors(&validate(p)), "{:?}", errors(p));
    round_trips(p)
        .into_iter()
        .map(|rt| {
            assert!(rt.unexplained.is_empty(), "{:?}: {}\n{}\n{:?}\n{}", rt.format, rt.unexplained.join("\n"), rt.yaml, rt.reported, rt.report);
            (rt.same, rt.reported)
        })
        .collect()
}

fn same_everywhere(p: &Project) {
    for (k, (same, reported)) in round_trip_outcome(p).into_iter().enumerate() {
        assert!(same, "format {k} does not route the same: {reported:?}");
    }
}

/// Whether format `k`'s export reported `code` at `path`.
fn reports(outcome: &[(bool, Vec<String>)], k: usize, code: &str, path: &str) -> bool {
    outcome[k].1.iter().any(|d| d.starts_with(code) && d.ends_with(&format!(" {path}")))
}

#[test]
fn round_trip_carries_the_api_root_whatever_the_path_as_typed() {
    // `//double//` and `/double/v2` are the root `/double/v2`, `/v2/` the root `/v2`: containerd cleans the path.
    let p = Project {
        registries: vec![reg("docker.io", vec![ep("https://m.example.com//double//"), ep("https://n.example.com/double/v2"), ep("https://o.example.com/v2/")])],
        ..Default::default()
    };
    same_everywhere(&p);
    // One root typed twice is two [host] tables, tried twice: the Talos 1.12 documents keep the URLs as typed; k3s
    // and the machine config write roots, so the second would repeat the first (k3s drops it, containerd refuses
    // two tables of one name): left out, reported.
    let p = Project { registries: vec![reg("docker.io", vec![ep("https://cr.example.com"), ep("https://cr.example.com/v2")])], ..Default::default() };
    let outcome = round_trip_outcome(&p);
    for k in 0..2 {
        assert!(!outcome[k].0 && reports(&outcome, k, "X15-endpoint-once", "registries[0].endpoints[1]"), "{outcome:?}");
    }
    assert!(outcome[2].0, "{outcome:?}");
}

#[test]
fn round_trip_carries_a_registry_of_itself_alone_where_default_would_take_over() {
    let mut p = Project { registries: vec![reg("_default", vec![ep("https://mirror0.example.com")]), reg("quay.io", vec![])], ..Default::default() };
    same_everywhere(&p);
    // The same with an explicit `server` that is the registry, and for Docker Hub.
    p.registries[1] = Registry { server: Some("https://registry-1.docker.io".into()), ..reg("docker.io", vec![]) };
    same_everywhere(&p);
    // localhost has its own implicit rules, which no URL says.
    p.registries[1] = reg("localhost:5000", vec![]);
    let outcome = round_trip_outcome(&p);
    for k in 0..3 {
        assert!(!outcome[k].0 && reports(&outcome, k, "X13-default-takes-over", "registries[1]"), "{outcome:?}");
    }
}

#[test]
fn k3s_tries_a_last_endpoint_equal_to_the_registry_once() {
    let p = Project { registries: vec![reg("docker.io", vec![ep("https://mirror0.example.com"), ep("https://registry-1.docker.io")])], ..Default::default() };
    let outcome = round_trip_outcome(&p);
    assert!(!outcome[0].0 && reports(&outcome, 0, "X14-k3s-default-once", "registries[0].endpoints[1]"), "{outcome:?}");
    assert!(outcome[1].0 && outcome[2].0, "Talos lists it as it is: {outcome:?}");
    // Found by the property: the registry itself as the one endpoint. k3s makes it its default endpoint, the
    // imported project has no endpoint and so no hosts.toml: the implicit upstream goes with the directory, and
    // X14 at the endpoint explains both (round_trip_outcome asserts that nothing is unexplained).
    for reachable in [true, false] {
        let p = Project { registries: vec![Registry { upstream_reachable: reachable, ..reg("docker.io", vec![ep("https://registry-1.docker.io")]) }], ..Default::default() };
        let outcome = round_trip_outcome(&p);
        assert!(!outcome[0].0 && reports(&outcome, 0, "X14-k3s-default-once", "registries[0].endpoints[0]"), "{outcome:?}");
    }
}

#[test]
fn without_fallback_the_last_endpoint_becomes_a_server_with_default_capabilities() {
    // A private mirror (pull + resolve) as the last host: Talos's server gets containerd's default, push added.
    let p = Project { registries: vec![Registry { fallback_to_upstream: false, ..reg("docker.io", vec![ep("https://mirror0.example.com")]) }], ..Default::default() };
    let outcome = round_trip_outcome(&p);
    assert!(reports(&outcome, 0, "X4-k3s-fallback", "registries[0].fallback_to_upstream"), "{outcome:?}");
    for k in 1..3 {
        assert!(!outcome[k].0 && reports(&outcome, k, "X12-server-capabilities", "registries[0].endpoints[0].capabilities"), "{outcome:?}");
    }
    // A registry-kind endpoint has those capabilities already: exact.
    let mut q = p.clone();
    q.registries[0].endpoints[0].kind = EndpointKind::PrivateRegistry;
    let outcome = round_trip_outcome(&q);
    assert!(outcome[1].0 && outcome[2].0, "{outcome:?}");
    // Harbor without fallback: its last project is that server.
    let h = Project {
        harbor: Some(HarborProxy {
            address: "https://cr.example.com".into(),
            fallback_to_upstream: false,
            mappings: vec![HarborMapping { upstream: "docker.io".into(), project: "dockerhub".into() }],
            ..Default::default()
        }),
        ..Default::default()
    };
    let outcome = round_trip_outcome(&h);
    assert!(reports(&outcome, 0, "X4-k3s-fallback", "harbor.fallback_to_upstream"), "{outcome:?}");
    for k in 1..3 {
        assert!(!outcome[k].0 && reports(&outcome, k, "X12-server-capabilities", "harbor.mappings[0].capabilities"), "{outcome:?}");
    }
}

#[test]
fn air_gap_without_fallback_keeps_its_tls_settings_on_the_server() {
    let p = Project {
        air_gap: Some(AirGap {
            registry: "https://registry.internal:5000".into(),
            tls: Tls { skip_verify: true, ..Default::default() },
            fallback_to_upstream: false,
            namespaces: vec!["quay.io".into()],
        }),
        ..Default::default()
    };
    let outcome = round_trip_outcome(&p);
    assert!(reports(&outcome, 0, "X4-k3s-fallback", "air_gap.fallback_to_upstream"), "{outcome:?}");
    assert!(outcome[1].0 && outcome[2].0, "Talos: the server with its TLS settings and no capabilities: {outcome:?}");
}

#[test]
fn client_certificates_and_pasted_cas_trust_the_same() {
    let pem = |n: u32| format!("{CA_PEM}# {n}\n");
    let mut e = ep("https://mirror0.example.com");
    e.tls.ca = vec![CaCert::Pem { name: "my-ca".into(), pem: pem(1) }, CaCert::Pem { name: "root.v2".into(), pem: pem(2) }];
    let p = Project { registries: vec![reg("docker.io", vec![e.clone()])], ..Default::default() };
    // Two pasted CAs: one k3s ca_file, one Talos `ca` text, holding both.
    same_everywhere(&p);
    // A combined client PEM is k3s's cert_file and key_file both naming it; Talos takes no files (X6).
    e.tls.ca.clear();
    e.tls.client = vec![ClientCert::Combined("/etc/pki/client.pem".into())];
    let q = Project { registries: vec![reg("docker.io", vec![e])], ..Default::default() };
    let outcome = round_trip_outcome(&q);
    assert!(outcome[0].0, "{outcome:?}");
    assert!(reports(&outcome, 1, "X6-client-cert", "registries[0].endpoints[0].tls.client[0]"), "{outcome:?}");
}

#[test]
fn one_api_root_twice_without_fallback_keeps_the_last_as_the_server() {
    let p = Project {
        registries: vec![Registry { fallback_to_upstream: false, ..reg("docker.io", vec![ep("https://cr.example.com"), ep("https://cr.example.com/v2")]) }],
        ..Default::default()
    };
    let outcome = round_trip_outcome(&p);
    for k in 0..2 {
        assert!(reports(&outcome, k, "X15-endpoint-once", "registries[0].endpoints[0]"), "{outcome:?}");
    }
}
