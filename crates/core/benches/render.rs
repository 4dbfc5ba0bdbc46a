//! Benchmarks of the core's hot path: what the web app runs on every keystroke (`validate` + `render`) and what
//! the CLI runs with `--merge-into` (`render_merged` into a node's config.toml).
//!
//! Projects are a realistic mix: each registry has 2–3 endpoints, some with a CA (path or pasted PEM), client
//! certificates or headers; a Harbor proxy cache maps every fifth upstream; a few registries stop at their last
//! endpoint; about one host in four has credentials (all three methods).
//!
//! `render/half_filled/5000` and `render/one_endpoint_each/5000` are the budget for big projects (issue 7.11:
//! rendering was quadratic, 10,000 half-filled registries took 10 s): under 100 ms each, natively.
//! `render/full/5000` (12,500 endpoints, 2,000 pasted CAs, 1,250 credentials, 1,000 Harbor mappings) is a figure to
//! watch, not a budget: it is linear too, but about 3.5× the budget (README's security section has the numbers).
//!
//! `cargo bench -p ccb-core` (about a minute on 2 cores). `cargo bench -p ccb-core -- render/500` runs one.

use std::time::Duration;

use ccb_core::model::*;
use ccb_core::secrets::basic_auth;
use ccb_core::{render, render_merged, validate, Severity};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// A real (throw-away) CA certificate: validation walks its DER, so a fake would make the project invalid.
const PEM: &str = include_str!("../tests/fixtures/pem/bench.crt");

fn upstream(i: usize) -> String {
    const WELL_KNOWN: [&str; 6] = ["docker.io", "quay.io", "ghcr.io", "gcr.io", "registry.k8s.io", "k8s.gcr.io"];
    WELL_KNOWN.get(i).map(|s| s.to_string()).unwrap_or_else(|| format!("registry{i}.example.com:5000"))
}

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

/// `n` registries with 2–3 endpoints each, Harbor for every fifth upstream, credentials for every fourth.
fn project(n: usize) -> Project {
    let mut p = Project::default();
    let mut mappings = Vec::new();
    for i in 0..n {
        let endpoints = (0..2 + i % 2).map(|j| endpoint(i, j)).collect();
        p.registries.push(Registry {
            upstream: upstream(i),
            endpoints,
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

/// A kubeadm node's config.toml (version 2, ~150 lines) with legacy mirrors the merge has to move out.
const KUBEADM_CONFIG: &str = r#"# containerd config for kubeadm nodes, managed by hand
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
oom_score = -999
disabled_plugins = []
required_plugins = []
plugin_dir = ""
temp = ""
imports = []

[grpc]
  address = "/run/containerd/containerd.sock"
  tcp_address = ""
  tcp_tls_cert = ""
  tcp_tls_key = ""
  uid = 0
  gid = 0
  max_recv_message_size = 16777216
  max_send_message_size = 16777216

[ttrpc]
  address = ""
  uid = 0
  gid = 0

[debug]
  address = ""
  uid = 0
  gid = 0
  level = ""
  format = ""

[metrics]
  address = ""
  grpc_histogram = false

[cgroup]
  path = ""

[timeouts]
  "io.containerd.timeout.bolt.open" = "0s"
  "io.containerd.timeout.shim.cleanup" = "5s"
  "io.containerd.timeout.shim.load" = "5s"
  "io.containerd.timeout.shim.shutdown" = "3s"
  "io.containerd.timeout.task.state" = "2s"

[plugins]
  [plugins."io.containerd.gc.v1.scheduler"]
    pause_threshold = 0.02
    deletion_threshold = 0
    mutation_threshold = 100
    schedule_delay = "0s"
    startup_delay = "100ms"

  [plugins."io.containerd.grpc.v1.cri"]
    disable_tcp_service = true
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    stream_idle_timeout = "4h0m0s"
    enable_selinux = false
    selinux_category_range = 1024
    sandbox_image = "registry.k8s.io/pause:3.9"   # kubeadm's pause
    stats_collect_period = 10
    enable_tls_streaming = false
    max_container_log_line_size = 16384
    disable_cgroup = false
    disable_apparmor = false
    restrict_oom_score_adj = false
    max_concurrent_downloads = 3
    disable_proc_mount = false
    unset_seccomp_profile = ""
    tolerate_missing_hugetlb_controller = true
    disable_hugetlb_controller = true
    ignore_image_defined_volumes = false
    netns_mounts_under_state_dir = false
    enable_unprivileged_ports = false
    enable_unprivileged_icmp = false

    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      no_pivot = false
      disable_snapshot_annotations = true
      discard_unpacked_layers = false
      ignore_rdt_not_enabled_errors = false

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes]
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
          runtime_type = "io.containerd.runc.v2"
          runtime_engine = ""
          runtime_root = ""
          privileged_without_host_devices = false
          base_runtime_spec = ""
          [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
            BinaryName = ""
            CriuImagePath = ""
            CriuPath = ""
            CriuWorkPath = ""
            IoGid = 0
            IoUid = 0
            NoNewKeyring = false
            NoPivotRoot = false
            Root = ""
            ShimCgroup = ""
            SystemdCgroup = true   # must match the kubelet's cgroup driver

    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/opt/cni/bin"
      conf_dir = "/etc/cni/net.d"
      max_conf_num = 1
      conf_template = ""

    [plugins."io.containerd.grpc.v1.cri".image_decryption]
      key_model = "node"

    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = ""
      [plugins."io.containerd.grpc.v1.cri".registry.mirrors]
        [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
          endpoint = ["https://docker.mirrors.example.cn", "https://registry-1.docker.io"]
        [plugins."io.containerd.grpc.v1.cri".registry.mirrors."legacy.example.com"]
          endpoint = ["https://legacy-cache.example.com"]
      [plugins."io.containerd.grpc.v1.cri".registry.configs]
        [plugins."io.containerd.grpc.v1.cri".registry.configs."legacy-cache.example.com".tls]
          ca_file = "/etc/pki/cr-ca.crt"
        [plugins."io.containerd.grpc.v1.cri".registry.configs."legacy-cache.example.com".auth]
          username = "robot"
          password = "keep-me"

  [plugins."io.containerd.internal.v1.opt"]
    path = "/opt/containerd"

  [plugins."io.containerd.internal.v1.restart"]
    interval = "10s"

  [plugins."io.containerd.metadata.v1.bolt"]
    content_sharing_policy = "shared"

  [plugins."io.containerd.monitor.v1.cgroups"]
    no_prometheus = false

  [plugins."io.containerd.runtime.v2.task"]
    platforms = ["linux/amd64"]
    sched_core = false

  [plugins."io.containerd.service.v1.diff-service"]
    default = ["walking"]

  [plugins."io.containerd.snapshotter.v1.overlayfs"]
    root_path = ""
    upperdir_label = false
"#;

/// A filled-in form of the plain kind: `n` registries, each with one mirror endpoint.
fn one_endpoint_each(n: usize) -> Project {
    let mut p = half_filled(n);
    for (i, r) in p.registries.iter_mut().enumerate() {
        r.endpoints.push(Endpoint { url: format!("https://mirror{i}.example.com"), ..Default::default() });
    }
    p
}

/// A form half filled in: `n` registries without endpoints yet, each carrying a diagnostic (R1-no-endpoints).
fn half_filled(n: usize) -> Project {
    let mut p = Project::default();
    for i in 0..n {
        p.registries.push(Registry { upstream: upstream(i), ..Default::default() });
    }
    p
}

fn check_fixture(name: &str, p: &Project) {
    let errors: Vec<_> = validate(p).into_iter().filter(|d| d.severity == Severity::Error).map(|d| (d.code, d.path)).collect();
    assert!(errors.is_empty(), "{name}: the benchmark project must be valid: {errors:?}");
}

fn bench_validate_render(c: &mut Criterion) {
    let mut group = c.benchmark_group("core");
    for n in [1usize, 50, 500] {
        let p = project(n);
        check_fixture(&format!("project({n})"), &p);
        let files = render(&p).files.len();
        eprintln!("project({n}): {} registries, {files} files", p.registries.len());
        // 500 registries take ~25 ms per call: criterion's minimum of 10 samples keeps the run short.
        group.sample_size(if n >= 500 { 10 } else { 20 });
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("validate", n), &p, |b, p| b.iter(|| validate(black_box(p))));
        group.bench_with_input(BenchmarkId::new("render", n), &p, |b, p| b.iter(|| render(black_box(p))));
    }
    group.finish();
}

/// The budget: 5,000 registries, half filled in and with one endpoint each, under 100 ms each; and the heavy
/// `project(5000)` for comparison.
fn bench_big_projects(c: &mut Criterion) {
    const N: usize = 5_000;
    let half = half_filled(N);
    let r = render(&half);
    assert_eq!(r.diagnostics.iter().filter(|d| d.code == "R1-no-endpoints").count(), N, "one diagnostic per registry");
    assert!(r.files.iter().filter(|f| f.path.ends_with("hosts.toml")).all(|f| f.diagnostics.len() == 1));
    let plain = one_endpoint_each(N);
    check_fixture(&format!("one_endpoint_each({N})"), &plain);
    let full = project(N);
    check_fixture(&format!("project({N})"), &full);
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    group.throughput(Throughput::Elements(N as u64));
    group.bench_with_input(BenchmarkId::new("half_filled", N), &half, |b, p| b.iter(|| render(black_box(p))));
    group.bench_with_input(BenchmarkId::new("one_endpoint_each", N), &plain, |b, p| b.iter(|| render(black_box(p))));
    group.bench_with_input(BenchmarkId::new("full", N), &full, |b, p| b.iter(|| render(black_box(p))));
    group.bench_with_input(BenchmarkId::new("full_merged_kubeadm", N), &full, |b, p| {
        b.iter(|| render_merged(black_box(p), black_box(KUBEADM_CONFIG)))
    });
    group.finish();
}

fn bench_render_merged(c: &mut Criterion) {
    assert!((140..=170).contains(&KUBEADM_CONFIG.lines().count()), "{}", KUBEADM_CONFIG.lines().count());
    let p = project(50);
    let r = render_merged(&p, KUBEADM_CONFIG);
    let cfg = r.file("config.toml").expect("merged config.toml");
    assert!(cfg.content.contains("SystemdCgroup = true"), "the merge must keep the node's settings");
    assert!(r.installable, "{:?}", r.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect::<Vec<_>>());
    let mut group = c.benchmark_group("core");
    group.throughput(Throughput::Elements(50));
    group.bench_function(BenchmarkId::new("render_merged_kubeadm", 50), |b| {
        b.iter(|| render_merged(black_box(&p), black_box(KUBEADM_CONFIG)))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .without_plots()
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_validate_render, bench_render_merged, bench_big_projects
}
criterion_main!(benches);
