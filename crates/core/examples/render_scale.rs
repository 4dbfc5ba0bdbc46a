//! How render time grows with the size of a project: validate, plan and render timed separately, per shape.
//!
//! `cargo run --release -p ccb-core --example render_scale -- [SHAPE…] [-n 1000,5000,…] [-r RUNS]` (the best of
//! RUNS, default 1).
//! Shapes: half (registries without endpoints, each with a diagnostic), full (the benchmark's mix: endpoints,
//! CAs, headers, Harbor, credentials), endpoints (one registry with n endpoints), auth (n registries, n
//! credentials), harbor (n Harbor mappings), airgap (n air-gap namespaces), legacy (full in legacy style),
//! envheaders (n headers naming an environment variable), merged (full, merged into a node's config.toml),
//! diff (the preview's changed lines of every file after an edit of the first and the last registry of full:
//! two far-apart changes, so trimming the common prefix and suffix leaves almost the whole install.sh; shown in
//! the render column).
//! Doubling n should roughly double every column; a column that quadruples is quadratic. Times are CPU time of
//! the thread (Linux; wall time elsewhere), so a busy machine changes them less.

use std::time::{Duration, Instant};

use ccb_core::model::*;
use ccb_core::secrets::basic_auth;
use ccb_core::{plan, render, render_merged, validate};

/// A real (throw-away) CA certificate: validation walks its DER.
const PEM: &str = include_str!("../tests/fixtures/pem/bench.crt");

fn upstream(i: usize) -> String {
    format!("registry{i}.example.com:5000")
}

fn half(n: usize) -> Project {
    let mut p = Project::default();
    for i in 0..n {
        p.registries.push(Registry { upstream: upstream(i), ..Default::default() });
    }
    p
}

/// The mix of `benches/render.rs`.
fn endpoint(i: usize, j: usize) -> Endpoint {
    let host = format!("m{j}.r{i}.mirror.example.com");
    let mut e = Endpoint { url: format!("https://{host}"), ..Default::default() };
    match (i + j) % 6 {
        0 => e.kind = EndpointKind::PublicMirror,
        1 => e.tls.ca.push(CaCert::Path("/etc/pki/ca-trust/source/anchors/corp-ca.crt".into())),
        2 => e.tls.ca.push(CaCert::Pem { name: format!("ca-{j}"), pem: PEM.into() }),
        3 => {
            e.tls.client.push(ClientCert::Pair { cert: "/etc/pki/node.crt".into(), key: "/etc/pki/node.key".into() });
            e.headers.push(Header { name: "X-Tenant".into(), values: vec![Secret::literal("team \"a\"")] });
        }
        4 => {
            e.url = format!("https://{host}/nexus/repository/docker-proxy");
            e.headers.push(Header { name: "Authorization".into(), values: vec![Secret::literal("Bearer s3cr3t")] });
        }
        _ => {
            e.kind = EndpointKind::PrivateRegistry;
            e.dial_timeout = Some("3s".into());
        }
    }
    e
}

/// The benchmark's project: 2–3 endpoints per registry, Harbor for every fifth upstream, credentials for every
/// fourth.
fn full(n: usize) -> Project {
    let mut p = Project::default();
    let mut mappings = Vec::new();
    for i in 0..n {
        p.registries.push(Registry {
            upstream: upstream(i),
            endpoints: (0..2 + i % 2).map(|j| endpoint(i, j)).collect(),
            fallback_to_upstream: i % 7 != 3,
            ..Default::default()
        });
        if i % 5 == 0 {
            mappings.push(HarborMapping { upstream: upstream(i), project: format!("proxy-{i}") });
        }
        if i % 4 == 0 {
            let host = format!("m0.r{i}.mirror.example.com");
            let method = match i % 3 {
                0 => AuthMethod::Basic { username: "robot$pull".into(), password: Secret::literal("pw"), encode_as_auth: i % 2 == 0 },
                1 => AuthMethod::Auth { auth: Secret::literal(&basic_auth("robot", "pw")) },
                _ => AuthMethod::IdentityToken { token: Secret::literal("refresh-token") },
            };
            p.auth.push(Credential { host, method });
        }
    }
    p.harbor = Some(HarborProxy {
        address: "https://cr.example.com".into(),
        tls: Tls { ca: vec![CaCert::Path("/etc/pki/harbor-ca.crt".into())], ..Default::default() },
        mappings,
        ..Default::default()
    });
    p.sandbox_image = Some("registry.k8s.io/pause:3.9".into());
    p
}

fn endpoints(n: usize) -> Project {
    let mut p = Project::default();
    p.registries.push(Registry { upstream: "docker.io".into(), endpoints: (0..n).map(|j| endpoint(0, j)).collect(), ..Default::default() });
    p
}

fn auth(n: usize) -> Project {
    let mut p = half(n);
    for (i, r) in p.registries.iter_mut().enumerate() {
        r.endpoints.push(Endpoint { url: format!("https://m.r{i}.example.com"), ..Default::default() });
    }
    for i in 0..n {
        // Every other key names a host that is never contacted, or one with the wrong port.
        let host = match i % 3 {
            0 => format!("m.r{i}.example.com"),
            1 => format!("registry{i}.example.com"),
            _ => format!("nowhere{i}.example.com"),
        };
        let method = AuthMethod::Basic { username: "robot".into(), password: Secret::literal("pw"), encode_as_auth: false };
        p.auth.push(Credential { host, method });
    }
    p
}

fn harbor(n: usize) -> Project {
    let mut p = half(n / 2);
    let mappings = (0..n).map(|i| HarborMapping { upstream: upstream(i), project: format!("proxy-{i}") }).collect();
    p.harbor = Some(HarborProxy { address: "https://cr.example.com".into(), mappings, ..Default::default() });
    p
}

fn airgap(n: usize) -> Project {
    let mut p = half(n / 2);
    p.air_gap = Some(AirGap {
        registry: "https://registry.internal:5000".into(),
        namespaces: (0..n).map(upstream).collect(),
        tls: Tls { ca: vec![CaCert::Pem { name: "internal".into(), pem: PEM.into() }], ..Default::default() },
        ..Default::default()
    });
    p
}

fn legacy(n: usize) -> Project {
    let mut p = full(n);
    p.output = OutputStyle::Legacy;
    p.target = Target { min: "1.6.0".parse().unwrap(), max: "1.7.x".parse().unwrap() };
    p
}

fn envheaders(n: usize) -> Project {
    let mut p = Project::default();
    for i in 0..n {
        let mut e = Endpoint { url: format!("https://m.r{i}.example.com"), ..Default::default() };
        e.headers.push(Header { name: "X-Tenant".into(), values: vec![Secret::FromEnv(EnvRef { env: format!("TENANT_{i}") })] });
        p.registries.push(Registry { upstream: upstream(i), endpoints: vec![e], ..Default::default() });
    }
    p
}

const NODE_CONFIG: &str = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"docker.io\"]\n  endpoint = [\"https://legacy.example.com\"]\n";

/// Time on the CPU so far (Linux), so that other processes on a busy machine do not count; wall time elsewhere.
fn cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
}

/// CPU time of `f` where the system says, else wall time.
fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let (t, c) = (Instant::now(), cpu_time());
    let v = f();
    let spent = match (c, cpu_time()) {
        (Some(a), Some(b)) => b - a,
        _ => t.elapsed(),
    };
    (spent, v)
}

fn main() {
    let mut shapes: Vec<String> = Vec::new();
    let mut sizes = vec![1_000, 5_000, 10_000, 20_000];
    let mut runs = 1;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "-n" {
            sizes = args.next().expect("-n 1000,2000").split(',').map(|s| s.parse().expect("a number")).collect();
        } else if a == "-r" {
            runs = args.next().and_then(|r| r.parse().ok()).expect("-r 5");
        } else {
            shapes.push(a);
        }
    }
    if shapes.is_empty() {
        shapes = ["half", "full", "endpoints", "auth", "harbor", "airgap", "legacy", "envheaders", "merged"].map(String::from).to_vec();
    }
    println!("{:<11} {:>7} {:>10} {:>10} {:>10} {:>7} {:>7}", "shape", "n", "validate", "plan", "render", "files", "diags");
    for shape in &shapes {
        for &n in &sizes {
            let p = match shape.as_str() {
                "half" => half(n),
                "full" | "merged" | "diff" => full(n),
                "endpoints" => endpoints(n),
                "auth" => auth(n),
                "harbor" => harbor(n),
                "airgap" => airgap(n),
                "legacy" => legacy(n),
                "envheaders" => envheaders(n),
                other => panic!("unknown shape {other}"),
            };
            let best = |f: &dyn Fn()| (0..runs).map(|_| time(f).0).min().expect("runs > 0");
            let tv = best(&|| drop(validate(&p)));
            let tp = best(&|| drop(plan::plan(&p)));
            let go = || if shape == "merged" { render_merged(&p, NODE_CONFIG) } else { render(&p) };
            let r = go();
            let tr = if shape == "diff" {
                let mut q = p.clone();
                for i in [0, n - 1] {
                    q.registries[i].endpoints[0].url.push_str(":8443");
                }
                let after = render(&q);
                best(&|| {
                    for (old, new) in r.files.iter().zip(&after.files) {
                        drop(ccb_core::textdiff::changed_lines(&old.content, &new.content));
                    }
                })
            } else {
                best(&|| drop(go()))
            };
            let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
            println!("{:<11} {:>7} {:>10} {:>10} {:>10} {:>7} {:>7}", shape, n, ms(tv), ms(tp), ms(tr), r.files.len(), r.diagnostics.len());
        }
    }
}
