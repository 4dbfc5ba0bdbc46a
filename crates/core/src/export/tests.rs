//! Each lossy mapping's diagnostic, and the mappings that are exact (no diagnostic), per format.

use saphyr::{LoadableYamlNode, Yaml};

use super::*;
use crate::model::*;

const K3S: Format = Format::K3s;
const TALOS_11: Format = Format::Talos(TalosForm::MachineConfig);
const TALOS_12: Format = Format::Talos(TalosForm::Documents);

fn mirror(url: &str, kind: EndpointKind) -> Endpoint {
    Endpoint { url: url.into(), kind, ..Default::default() }
}

fn project(upstream: &str, endpoints: Vec<Endpoint>) -> Project {
    Project { registries: vec![Registry { upstream: upstream.into(), endpoints, ..Default::default() }], ..Default::default() }
}

fn codes(e: &Export) -> Vec<(Severity, &str, &str)> {
    e.diagnostics.iter().map(|d| (d.severity, d.code, d.path.as_str())).collect()
}

fn yaml(e: &Export) -> Vec<Yaml<'_>> {
    Yaml::load_from_str(&e.yaml).unwrap()
}

#[test]
fn pull_only_mirror_becomes_a_full_mirror_in_every_format() {
    let p = project("docker.io", vec![mirror("https://mirror.gcr.io", EndpointKind::PublicMirror)]);
    for f in [K3S, TALOS_11, TALOS_12] {
        let e = export(&p, f);
        assert_eq!(codes(&e), [(Severity::Warning, "X1-capabilities", "registries[0].endpoints[0].capabilities")], "{f:?}");
        assert!(e.diagnostics[0].message.zh.contains("pull + resolve：此端点"), "{f:?}");
    }
    // A private mirror is pull + resolve already: nothing lost.
    let p = project("docker.io", vec![mirror("https://m.example.com", EndpointKind::PrivateMirror)]);
    assert_eq!(codes(&export(&p, K3S)), []);
    // Push is an info: kubelet never pushes.
    let p = project("registry.example.com", vec![mirror("https://m.example.com", EndpointKind::PrivateRegistry)]);
    assert_eq!(codes(&export(&p, K3S)), [(Severity::Info, "X1-capabilities", "registries[0].endpoints[0].capabilities")]);
}

#[test]
fn headers_and_dial_timeout_are_left_out_with_a_warning() {
    let mut e = mirror("https://m.example.com", EndpointKind::PrivateMirror);
    e.headers = vec![Header { name: "X-Route".into(), values: vec![Secret::literal("a")] }];
    e.dial_timeout = Some("3s".into());
    let p = project("quay.io", vec![e]);
    for f in [K3S, TALOS_12] {
        let x = export(&p, f);
        assert_eq!(
            codes(&x),
            [
                (Severity::Warning, "X2-headers", "registries[0].endpoints[0].headers[0]"),
                (Severity::Warning, "X3-dial-timeout", "registries[0].endpoints[0].dial_timeout")
            ]
        );
        assert!(!x.yaml.contains("X-Route") && !x.yaml.contains("3s"));
    }
}

#[test]
fn k3s_cannot_stop_the_fallback_to_the_registry() {
    let mut p = project("quay.io", vec![mirror("https://a.example.com", EndpointKind::PrivateMirror), mirror("https://b.example.com", EndpointKind::PrivateMirror)]);
    p.registries[0].fallback_to_upstream = false;
    let e = export(&p, K3S);
    assert_eq!(codes(&e), [(Severity::Warning, "X4-k3s-fallback", "registries[0].fallback_to_upstream")]);
    assert!(e.diagnostics[0].message.en.contains("--disable-default-registry-endpoint"));
    // Both endpoints are listed: the plan's `server` (the last one) is the last endpoint.
    let y = yaml(&e);
    let eps: Vec<&str> = y[0]["mirrors"]["quay.io"]["endpoint"].as_sequence().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
    assert_eq!(eps, ["https://a.example.com", "https://b.example.com"]);
    // Talos says it with skipFallback: the last endpoint becomes containerd's server, written with the default
    // capabilities, so it gains push (said, not silently: export → import → render would differ there).
    let t = export(&p, TALOS_11);
    assert_eq!(codes(&t), [(Severity::Info, "X12-server-capabilities", "registries[0].endpoints[1].capabilities")]);
    let y = yaml(&t);
    assert_eq!(y[0]["machine"]["registries"]["mirrors"]["quay.io"]["skipFallback"].as_bool(), Some(true));
    // An explicit `server` is reported at that field.
    let mut p = project("quay.io", vec![mirror("https://a.example.com", EndpointKind::PrivateMirror)]);
    p.registries[0].server = Some("https://quay-proxy.example.com".into());
    assert_eq!(codes(&export(&p, K3S)), [(Severity::Warning, "X4-k3s-fallback", "registries[0].server")]);
}

#[test]
fn k3s_path_endpoints_carry_the_same_api_root() {
    // A plain prefix gets its /v2 written (k3s uses any other path verbatim); Harbor's project path stays.
    let mut harbor = mirror("https://harbor.example.com/v2/dockerhub", EndpointKind::HarborProject);
    harbor.override_path = true;
    let p = project("docker.io", vec![harbor, mirror("https://nexus.example.com/repository/docker", EndpointKind::PrivateMirror), mirror("https://m.example.com/", EndpointKind::PrivateMirror)]);
    let e = export(&p, K3S);
    let y = yaml(&e);
    let eps: Vec<&str> = y[0]["mirrors"]["docker.io"]["endpoint"].as_sequence().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
    assert_eq!(eps, ["https://harbor.example.com/v2/dockerhub", "https://nexus.example.com/repository/docker/v2", "https://m.example.com"]);
    // Talos ≤ 1.11 has one overridePath per mirror: every endpoint with its full API root.
    let t = export(&p, TALOS_11);
    let y = yaml(&t);
    let m = &y[0]["machine"]["registries"]["mirrors"]["docker.io"];
    let eps: Vec<&str> = m["endpoints"].as_sequence().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
    assert_eq!(eps, ["https://harbor.example.com/v2/dockerhub", "https://nexus.example.com/repository/docker/v2", "https://m.example.com/v2"]);
    assert_eq!(m["overridePath"].as_bool(), Some(true));
    assert_eq!(codes(&t), []);
    // The host's root as API root cannot be said to k3s.
    let mut root = mirror("https://m.example.com", EndpointKind::PrivateMirror);
    root.override_path = true;
    // (Validation calls it an error already: containerd would request /<repo>/manifests/… at the root.)
    assert_eq!(
        codes(&export(&project("quay.io", vec![root]), K3S)),
        [
            (Severity::Error, "U5-override-without-path", "registries[0].endpoints[0].override_path"),
            (Severity::Warning, "X11-root-api", "registries[0].endpoints[0].override_path")
        ]
    );
}

fn with_tls(url: &str, tls: Tls) -> Endpoint {
    Endpoint { tls, ..mirror(url, EndpointKind::PrivateMirror) }
}

/// A real certificate (validation walks its DER): the one example 05 pastes.
fn pem() -> String {
    let p: Project = serde_json::from_str(include_str!("../../../../examples/05-private-registry-ca-mtls.json")).unwrap();
    match &p.registries[0].endpoints[0].tls.ca[0] {
        CaCert::Pem { pem, .. } => pem.trim().to_string(),
        other => panic!("example 05 pastes its CA: {other:?}"),
    }
}

#[test]
fn k3s_ships_pasted_cas_as_one_file_and_keeps_one_node_path() {
    let pem = pem();
    let tls = Tls {
        ca: vec![CaCert::Pem { name: "a".into(), pem: pem.clone() }, CaCert::Path("/etc/pki/other.crt".into()), CaCert::Pem { name: "b".into(), pem: pem.clone() }],
        client: vec![ClientCert::Combined("/etc/pki/client.pem".into()), ClientCert::Pair { cert: "/c".into(), key: "/k".into() }],
        skip_verify: true,
    };
    let e = export(&project("registry.example.com:5000", vec![with_tls("https://registry.example.com:5000", tls)]), K3S);
    assert_eq!(
        codes(&e),
        [
            (Severity::Info, "X0-ship-file", "registries[0].endpoints[0].tls"),
            (Severity::Warning, "X7-one-ca-file", "registries[0].endpoints[0].tls.ca[1]"),
            (Severity::Warning, "X6-client-cert", "registries[0].endpoints[0].tls.client[1]"),
        ]
    );
    assert_eq!(e.files.len(), 1);
    assert_eq!(e.files[0].path, "/etc/rancher/registry-ca/registry.example.com:5000/ca.crt");
    assert_eq!(e.files[0].content, format!("{pem}\n{pem}\n"));
    let y = yaml(&e);
    let tls = &y[0]["configs"]["registry.example.com:5000"]["tls"];
    assert_eq!(tls["ca_file"].as_str(), Some("/etc/rancher/registry-ca/registry.example.com:5000/ca.crt"));
    assert_eq!(tls["cert_file"].as_str(), Some("/etc/pki/client.pem"));
    assert_eq!(tls["key_file"].as_str(), Some("/etc/pki/client.pem"));
    assert_eq!(tls["insecure_skip_verify"].as_bool(), Some(true));
}

#[test]
fn talos_wants_certificates_inline() {
    let pem = pem();
    let tls = Tls {
        ca: vec![CaCert::Path("/etc/pki/ca.crt".into()), CaCert::Pem { name: "a".into(), pem: pem.clone() }],
        client: vec![ClientCert::Pair { cert: "/c".into(), key: "/k".into() }],
        skip_verify: false,
    };
    let p = project("registry.example.com", vec![with_tls("https://registry.example.com", tls)]);
    for f in [TALOS_11, TALOS_12] {
        let e = export(&p, f);
        assert_eq!(
            codes(&e),
            [
                (Severity::Error, "X5-talos-inline-ca", "registries[0].endpoints[0].tls.ca[0]"),
                (Severity::Error, "X6-client-cert", "registries[0].endpoints[0].tls.client[0]"),
            ],
            "{f:?}"
        );
        assert!(e.has_errors());
    }
    // The pasted one is inline: base64 of the PEM in the machine config, the PEM itself in the 1.12 document.
    let y11 = export(&p, TALOS_11);
    let y = yaml(&y11);
    let ca = y[0]["machine"]["registries"]["config"]["registry.example.com"]["tls"]["ca"].as_str().unwrap();
    use base64::Engine;
    assert_eq!(base64::engine::general_purpose::STANDARD.decode(ca).unwrap(), format!("{pem}\n").as_bytes());
    let y12 = export(&p, TALOS_12);
    let docs = yaml(&y12);
    let tls_doc = docs.iter().find(|d| d["kind"].as_str() == Some("RegistryTLSConfig")).unwrap();
    assert_eq!(tls_doc["name"].as_str(), Some("registry.example.com"));
    assert_eq!(tls_doc["ca"].as_str(), Some(format!("{pem}\n").as_str()));
}

#[test]
fn different_tls_on_one_host_is_reported_once_keyed_by_host() {
    let a = with_tls("https://m.example.com/a", Tls { skip_verify: true, ..Default::default() });
    let b = with_tls("https://m.example.com/b", Tls::default());
    let e = export(&project("quay.io", vec![a, b]), K3S);
    assert_eq!(codes(&e), [(Severity::Warning, "X8-tls-per-host", "registries[0].endpoints[1].tls")]);
    assert!(e.diagnostics[0].message.zh.contains("按主机记录 TLS 设置：m.example.com 采用registries[0].endpoints[0] 的设置"));
}

#[test]
fn an_env_secret_cannot_be_resolved_at_export() {
    let mut p = project("docker.io", vec![]);
    p.auth = vec![
        Credential { host: "registry-1.docker.io".into(), method: AuthMethod::Basic { username: "u".into(), password: Secret::FromEnv(EnvRef { env: "HUB_PW".into() }), encode_as_auth: false } },
        Credential { host: "ghcr.io".into(), method: AuthMethod::IdentityToken { token: Secret::literal("tok") } },
    ];
    for f in [K3S, TALOS_11, TALOS_12] {
        let e = export(&p, f);
        let x9: Vec<_> = codes(&e).into_iter().filter(|c| c.1 == "X9-secret-env").collect();
        assert_eq!(x9, [(Severity::Error, "X9-secret-env", "auth[0].method.password")], "{f:?}");
        assert!(!e.yaml.contains("HUB_PW") && !e.yaml.contains("password"), "{f:?}: {}", e.yaml);
        assert!(e.diagnostics.iter().any(|d| d.message.en.contains("HUB_PW")));
    }
    // A literal secret is written where the format keeps it.
    let k = export(&p, K3S);
    assert_eq!(yaml(&k)[0]["configs"]["ghcr.io"]["auth"]["identity_token"].as_str(), Some("tok"));
    let t = export(&p, TALOS_11);
    assert_eq!(yaml(&t)[0]["machine"]["registries"]["config"]["ghcr.io"]["auth"]["identityToken"].as_str(), Some("tok"));
}

#[test]
fn basic_auth_encoded_as_auth_is_the_base64_of_user_and_password() {
    let mut p = project("docker.io", vec![]);
    p.auth = vec![Credential { host: "m.example.com".into(), method: AuthMethod::Basic { username: "robot".into(), password: Secret::literal("pw"), encode_as_auth: true } }];
    let e = export(&p, K3S);
    assert_eq!(yaml(&e)[0]["configs"]["m.example.com"]["auth"]["auth"].as_str(), Some(crate::secrets::basic_auth("robot", "pw").as_str()));
}

#[test]
fn air_gap_fills_the_wildcard_and_every_listed_namespace() {
    let p = Project {
        air_gap: Some(AirGap { registry: "https://registry.internal:5000".into(), namespaces: vec!["quay.io".into()], ..Default::default() }),
        ..Default::default()
    };
    let k = export(&p, K3S);
    let y = yaml(&k);
    let names: Vec<&str> = y[0]["mirrors"].as_mapping().unwrap().keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(names, ["*", "quay.io"]);
    // Reported once, not once per namespace.
    assert_eq!(codes(&k), [(Severity::Warning, "X4-k3s-fallback", "air_gap.fallback_to_upstream")]);
    let t = export(&p, TALOS_12);
    let docs = yaml(&t);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["name"].as_str(), Some("*"));
    assert_eq!(docs[0]["skipFallback"].as_bool(), Some(true));
}

#[test]
fn daemon_settings_and_sandbox_image_are_not_registry_settings() {
    let mut p = project("docker.io", vec![]);
    p.sandbox_image = Some("registry.internal/pause:3.10".into());
    p.daemon.snapshotter = Some(Snapshotter::Native);
    assert_eq!(
        codes(&export(&p, TALOS_12)),
        [(Severity::Warning, "X10-not-carried", "daemon"), (Severity::Warning, "X10-not-carried", "sandbox_image")]
    );
}

#[test]
fn the_projects_own_errors_come_first() {
    let p = project("docker.io", vec![mirror("ftp://m.example.com", EndpointKind::PrivateMirror)]);
    let e = export(&p, K3S);
    assert!(e.has_errors());
    assert!(e.diagnostics[0].code.starts_with('U'), "{:?}", codes(&e));
}

#[test]
fn talos_versions_choose_the_form() {
    assert_eq!(TalosForm::for_version("1.11"), Some(TalosForm::MachineConfig));
    assert_eq!(TalosForm::for_version("v1.11.5"), Some(TalosForm::MachineConfig));
    assert_eq!(TalosForm::for_version("1.12"), Some(TalosForm::Documents));
    assert_eq!(TalosForm::for_version("2.0"), Some(TalosForm::Documents));
    assert_eq!(TalosForm::for_version("1"), None);
    assert_eq!(TalosForm::for_version("1.x"), None);
}

#[test]
fn talos_says_at_every_endpoint_of_a_host_that_its_ca_file_is_not_taken() {
    // Found by the export → import property (`export_then_import_renders_the_same_bundle`): two registries reach
    // one host with the same CA file; Talos has one TLS entry per host and takes no CA file, so both lose it.
    let tls = Tls { ca: vec![CaCert::Path("/etc/ü/中.crt".into())], ..Default::default() };
    let p = Project {
        registries: vec![
            Registry { upstream: "docker.io".into(), endpoints: vec![with_tls("https://mirror1.example.com", tls.clone())], ..Default::default() },
            Registry { upstream: "quay.io".into(), endpoints: vec![with_tls("https://mirror1.example.com/", tls)], ..Default::default() },
        ],
        ..Default::default()
    };
    for f in [TALOS_11, TALOS_12] {
        let e = export(&p, f);
        let x5: Vec<&str> = e.diagnostics.iter().filter(|d| d.code == "X5-talos-inline-ca").map(|d| d.path.as_str()).collect();
        assert_eq!(x5, ["registries[0].endpoints[0].tls.ca[0]", "registries[1].endpoints[0].tls.ca[0]"], "{f:?}");
    }
}
