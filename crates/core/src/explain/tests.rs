//! One test per branch of the lookup, each on a project as the user writes it.

use super::*;
use crate::version::ContainerdVersion as V;

fn project(json: serde_json::Value) -> Project {
    serde_json::from_value(json).unwrap()
}

fn requests(hosts: &[HostStep]) -> Vec<&str> {
    hosts.iter().map(|h| h.request.as_str()).collect()
}

const R2: V = V::new(2, 1, 5);

#[test]
fn pull_only_mirror_serves_blobs_but_the_registry_resolves_the_tag() {
    let p = project(serde_json::json!({"registries": [{"upstream": "docker.io",
        "endpoints": [{"url": "https://mirror.example.com", "kind": "public_mirror"}]}]}));
    let e = explain(&p, "nginx", &R2);
    assert_eq!(e.reference.as_ref().unwrap().normalized, "docker.io/library/nginx:latest");
    assert_eq!(e.certs_d.as_ref().unwrap().chosen.as_deref(), Some("docker.io"));
    assert_eq!(requests(&e.resolve), ["https://registry-1.docker.io/v2/library/nginx/manifests/latest"]);
    assert_eq!(
        requests(&e.fetch),
        ["https://mirror.example.com/v2/library/nginx/blobs/<digest>?ns=docker.io", "https://registry-1.docker.io/v2/library/nginx/blobs/<digest>"]
    );
    assert!(e.registry_contacted_last);
    // The bundle writes Docker Hub's own URL as server: the same as omitting it.
    assert_eq!(e.resolve[0].role, HostRole::Server);
    assert_eq!(e.resolve[0].capabilities, [Capability::Pull, Capability::Resolve, Capability::Push]);
    // 2.2 and later add referrers to an entry without capabilities.
    let e = explain(&p, "nginx", &V::new(2, 2, 0));
    assert!(e.resolve[0].capabilities.contains(&Capability::Referrers));
    assert_eq!(e.outcome.status, PullStatus::Possible);
}

#[test]
fn a_tag_needs_pull_and_resolve_and_blobs_are_asked_of_every_host_in_order() {
    // As the real-containerd scenario l-resolve-only saw on 1.6.20, 1.7.24 and 2.1.9: the resolve-only mirror
    // never resolves the tag (filterHosts(pull|resolve)), yet it serves the blobs, before the pull-only cache
    // (the fetcher walks every host once one has pull).
    let p = project(serde_json::json!({"registries": [{"upstream": "docker.io", "endpoints": [
        {"url": "https://mirror.example.com", "kind": "private_mirror", "capabilities": ["resolve"]},
        {"url": "https://cache.example.com", "kind": "private_mirror", "capabilities": ["pull"]}]}]}));
    for release in [V::new(1, 6, 20), V::new(1, 7, 24), R2] {
        let e = explain(&p, "busybox:1", &release);
        assert_eq!(requests(&e.resolve), ["https://registry-1.docker.io/v2/library/busybox/manifests/1"], "{release}");
        assert_eq!(
            requests(&e.fetch),
            [
                "https://mirror.example.com/v2/library/busybox/blobs/<digest>?ns=docker.io",
                "https://cache.example.com/v2/library/busybox/blobs/<digest>?ns=docker.io",
                "https://registry-1.docker.io/v2/library/busybox/blobs/<digest>",
            ]
        );
        assert!(e.notes.iter().any(|n| n.en.contains("mirror.example.com has \"resolve\" without \"pull\"")));
        assert!(e.notes.iter().any(|n| n.en.contains("mirror.example.com has no \"pull\"")));
        assert_eq!(e.outcome.status, PullStatus::Possible);
    }
    // By digest the pull-only cache is the first host asked for the manifest.
    let d = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let e = explain(&p, &format!("busybox@{d}"), &R2);
    assert_eq!(e.resolve[0].host, "cache.example.com");
}

#[test]
fn server_set_means_the_registry_is_never_contacted() {
    let p = project(serde_json::json!({"registries": [{"upstream": "quay.io", "server": "https://backup.example.com",
        "endpoints": [{"url": "https://mirror.example.com:5000"}]}]}));
    let e = explain(&p, "quay.io/prometheus/node-exporter:v1.8.2", &R2);
    assert_eq!(
        requests(&e.resolve),
        [
            "https://mirror.example.com:5000/v2/prometheus/node-exporter/manifests/v1.8.2?ns=quay.io",
            "https://backup.example.com/v2/prometheus/node-exporter/manifests/v1.8.2?ns=quay.io"
        ]
    );
    assert_eq!(e.resolve[1].role, HostRole::Server);
    assert!(!e.registry_contacted_last);
    assert!(e.resolve[0].on_failure.en.contains("next host") && e.resolve[1].on_failure.en.contains("last host"));
}

#[test]
fn no_fallback_and_only_pull_only_mirrors_cannot_resolve_a_tag() {
    let p = project(serde_json::json!({"registries": [{"upstream": "docker.io", "fallback_to_upstream": false,
        "endpoints": [{"url": "https://a.example.com", "kind": "public_mirror"}, {"url": "https://b.example.com", "kind": "public_mirror"}]}]}));
    let e = explain(&p, "nginx:1.27", &R2);
    assert!(e.resolve.is_empty(), "{:?}", requests(&e.resolve));
    assert_eq!(e.outcome.status, PullStatus::NoResolveHost);
    assert!(e.outcome.message.zh.contains("no resolve hosts"));
    // By digest the same mirrors work: no tag is resolved.
    let d = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let e = explain(&p, &format!("nginx@{d}"), &R2);
    assert!(!e.resolves_tag);
    assert_eq!(e.resolve[0].request, format!("https://a.example.com/v2/library/nginx/manifests/{d}?ns=docker.io"));
    assert_eq!(e.outcome.status, PullStatus::Possible);
}

#[test]
fn harbor_path_mode_requests_the_path_as_written_with_override_path() {
    let p = project(serde_json::json!({"harbor": {"address": "https://cr.example.com",
        "mappings": [{"upstream": "docker.io", "project": "dockerhub"}, {"upstream": "quay.io", "project": "quay"}]}}));
    let e = explain(&p, "quay.io/coreos/etcd:v3.5.0", &R2);
    assert_eq!(e.resolve[0].request, "https://cr.example.com/v2/quay/coreos/etcd/manifests/v3.5.0?ns=quay.io");
    assert_eq!(e.resolve[0].origin, "harbor.mappings[1]");
    assert_eq!(e.resolve[1].request, "https://quay.io/v2/coreos/etcd/manifests/v3.5.0");
    assert!(e.notes.is_empty(), "{:?}", e.notes);
    // 1.5 has no override_path: /v2 is appended and the answer says so (and that 1.5 is outside the target).
    let e = explain(&p, "nginx", &V::new(1, 5, 18));
    assert!(e.notes.iter().any(|n| n.en.contains("outside the project's target range")));
    assert_eq!(e.resolve[0].request, "https://cr.example.com/v2/dockerhub/v2/library/nginx/manifests/latest?ns=docker.io");
    assert!(e.notes.iter().any(|n| n.en.contains("ignores override_path")));
}

#[test]
fn air_gap_default_directory_catches_every_other_registry() {
    let p = project(serde_json::json!({"air_gap": {"registry": "https://registry.internal:5000", "namespaces": ["docker.io"]}}));
    let e = explain(&p, "ghcr.io/owner/tool:1", &V::new(1, 7, 24));
    let c = e.certs_d.as_ref().unwrap();
    assert_eq!(c.chosen.as_deref(), Some("_default"));
    assert_eq!(requests(&e.resolve), ["https://registry.internal:5000/v2/owner/tool/manifests/1?ns=ghcr.io"]);
    assert!(!e.registry_contacted_last);
    // 1.6.16 does not read _default: the registry itself is contacted.
    let e = explain(&p, "ghcr.io/owner/tool:1", &V::new(1, 6, 16));
    assert_eq!(e.certs_d.as_ref().unwrap().chosen, None);
    assert!(e.certs_d.as_ref().unwrap().candidates.iter().any(|d| d.name == "_default" && !d.read_by_release && d.in_bundle));
    assert_eq!(requests(&e.resolve), ["https://ghcr.io/v2/owner/tool/manifests/1"]);
    // The namespace listed gets its own complete directory.
    let e = explain(&p, "nginx", &V::new(1, 6, 16));
    assert_eq!(e.certs_d.unwrap().chosen.as_deref(), Some("docker.io"));
    assert_eq!(e.resolve.len(), 1);
}

#[test]
fn host_port_directory_is_looked_for_first_and_the_bundle_writes_host_colon_port() {
    let p = project(serde_json::json!({"registries": [{"upstream": "registry.example.com:5000",
        "endpoints": [{"url": "https://cache.example.com"}]}]}));
    let e = explain(&p, "registry.example.com:5000/team/app:1.0", &R2);
    let c = e.certs_d.unwrap();
    let names: Vec<_> = c.candidates.iter().map(|d| (d.name.as_str(), d.in_bundle, d.chosen)).collect();
    assert_eq!(names, [("registry.example.com_5000_", false, false), ("registry.example.com:5000", true, true), ("_default", false, false)]);
    assert_eq!(e.resolve[0].request, "https://cache.example.com/v2/team/app/manifests/1.0?ns=registry.example.com%3A5000");
    assert_eq!(e.resolve[1].request, "https://registry.example.com:5000/v2/team/app/manifests/1.0");
}

#[test]
fn uncovered_image_goes_straight_to_the_registry() {
    let p = project(serde_json::json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://m.example.com"}]}]}));
    let e = explain(&p, "localhost:5001/app", &R2);
    assert_eq!(e.certs_d.as_ref().unwrap().chosen, None);
    // containerd's own entry for localhost:5001: http with TLS unverified, hence HTTPS first, then HTTP.
    assert_eq!(requests(&e.resolve), ["https://localhost:5001/v2/app/manifests/latest"]);
    assert!(e.resolve[0].http_fallback && e.resolve[0].tls.skip_verify);
    // Before HTTPS-first (1.7.15): plain http.
    let e = explain(&p, "localhost:5001/app", &V::new(1, 7, 15));
    assert_eq!(requests(&e.resolve), ["http://localhost:5001/v2/app/manifests/latest"]);
    assert_eq!(e.resolve[0].role, HostRole::Uncovered);
    assert_eq!(e.resolve[0].ns, None);
    assert!(e.registry_contacted_last);
}

#[test]
fn a_legacy_http_mirror_with_tls_settings_stays_http() {
    // Real containerd 1.7.24 (f-legacy-mirrors) logs no "host will try HTTPS first" for it: that is hosts.toml's.
    let p = project(serde_json::json!({"output": "legacy", "target": {"min": "1.6.20", "max": "1.7.x"},
        "registries": [{"upstream": "docker.io", "endpoints": [{"url": "http://mirror.example.com:5000", "tls": {"skip_verify": true}}]}]}));
    let e = explain(&p, "busybox:1", &V::new(1, 7, 24));
    assert_eq!(e.resolve[0].request, "http://mirror.example.com:5000/v2/library/busybox/manifests/1?ns=docker.io");
    assert!(!e.resolve[0].http_fallback && !e.fetch[0].http_fallback);
    assert!(e.resolve[0].tls.skip_verify);
    // The same host in a hosts.toml is tried over HTTPS first.
    let mut p = p;
    p.output = OutputStyle::HostsDir;
    let e = explain(&p, "busybox:1", &V::new(1, 7, 24));
    assert!(e.resolve[0].http_fallback);
    assert_eq!(e.resolve[0].request, "https://mirror.example.com:5000/v2/library/busybox/manifests/1?ns=docker.io");
}

#[test]
fn legacy_mirrors_end_with_the_registry_and_use_the_star_entry_otherwise() {
    let p = project(serde_json::json!({"output": "legacy", "target": {"min": "1.6.20", "max": "1.7.x"},
        "registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://m.example.com", "tls": {"skip_verify": true}}]}],
        "air_gap": {"registry": "https://registry.internal", "fallback_to_upstream": true}}));
    let e = explain(&p, "nginx", &V::new(1, 7, 24));
    assert_eq!(e.legacy.as_ref().unwrap().key.as_deref(), Some("docker.io"));
    assert_eq!(
        requests(&e.resolve),
        [
            "https://m.example.com/v2/library/nginx/manifests/latest?ns=docker.io",
            "https://registry.internal/v2/library/nginx/manifests/latest?ns=docker.io",
            "https://registry-1.docker.io/v2/library/nginx/manifests/latest"
        ]
    );
    assert!(e.resolve[0].tls.skip_verify);
    assert!(e.assumptions.iter().any(|a| a.en.contains("only by the CRI plugin")));
    let e = explain(&p, "quay.io/a/b", &V::new(1, 7, 24));
    assert_eq!(e.legacy.unwrap().key.as_deref(), Some("*"));
    assert_eq!(e.resolve.last().unwrap().role, HostRole::LegacyUpstream);
}

#[test]
fn headers_and_credentials_are_shown_redacted() {
    let p = project(serde_json::json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://m.example.com",
        "headers": [{"name": "Authorization", "values": ["Basic c2VjcmV0"]}, {"name": "X-Dragonfly-Tag", "values": ["t1"]}]}]}],
        "auth": [{"host": "m.example.com", "method": {"type": "basic", "username": "alice", "password": "pw-s3cr3t"}}]}));
    let e = explain(&p, "nginx", &R2);
    let json = serde_json::to_string(&e).unwrap();
    assert!(!json.contains("c2VjcmV0") && !json.contains("pw-s3cr3t"), "{json}");
    let h = &e.resolve[0];
    assert_eq!(h.headers[0].values, [REDACTED]);
    assert_eq!(h.headers[1].values, ["t1"]);
    let c = h.credentials.as_ref().unwrap();
    assert_eq!(c.origin, "auth[0]");
    assert!(c.entry.ends_with("registry.configs.\"m.example.com\".auth") && c.shown.contains("alice"), "{c:?}");
    assert!(e.resolve[1].credentials.is_none());
}

#[test]
fn invalid_reference_is_an_answer_not_a_panic() {
    let e = explain(&Project::default(), "Nginx:latest", &R2);
    assert_eq!(e.outcome.status, PullStatus::InvalidReference);
    assert!(e.error.as_ref().unwrap().zh.contains("小写"));
    assert!(e.resolve.is_empty() && e.reference.is_none());
}

#[test]
fn default_release_is_the_newest_patch_of_the_newest_line() {
    let t = crate::model::Target::default();
    assert_eq!(default_release(&t).to_string(), crate::version::release_line(t.max.line()).unwrap().latest.to_string());
    let fixed = crate::model::Target { min: V::new(1, 6, 20), max: V::new(1, 7, 20) };
    assert_eq!(default_release(&fixed), V::new(1, 7, 20));
}

#[test]
fn text_output_speaks_both_languages() {
    let p = project(serde_json::json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://m.example.com",
        "headers": [{"name": "X-Dragonfly-Tag", "values": ["t"]}]}]}],
        "auth": [{"host": "m.example.com", "method": {"type": "auth", "auth": "c2VjcmV0"}}]}));
    let e = explain(&p, "nginx", &R2);
    let en = text::render(&e, crate::Lang::En);
    let zh = text::render(&e, crate::Lang::Zh);
    assert!(en.contains("https://m.example.com/v2/library/nginx/manifests/latest?ns=docker.io") && en.contains("Assumptions"), "{en}");
    assert!(zh.contains("前提：") && zh.contains("解析标签"), "{zh}");
    // Full-width punctuation beside Chinese, in the assembled lines too.
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    for line in zh.lines() {
        let chars: Vec<char> = line.chars().collect();
        let bad = chars.windows(2).any(|w| (cjk(w[0]) && ",:;()".contains(w[1])) || (",:;()".contains(w[0]) && cjk(w[1])));
        assert!(!bad, "{line}");
    }
}

#[test]
fn localhost_registry_with_a_mirror_falls_back_to_the_implicit_server() {
    // The plan leaves server implicit for localhost (its default has its own http/https rules).
    let p = project(serde_json::json!({"registries": [{"upstream": "localhost:5001", "endpoints": [{"url": "https://m.example.com"}]}]}));
    let e = explain(&p, "localhost:5001/app:1", &R2);
    assert_eq!(e.resolve[0].request, "https://m.example.com/v2/app/manifests/1?ns=localhost%3A5001");
    assert_eq!(e.resolve[1].role, HostRole::ImplicitServer);
    assert_eq!((e.resolve[1].host.as_str(), e.resolve[1].ns.as_ref()), ("localhost:5001", None));
    assert!(e.registry_contacted_last);
}

#[test]
fn without_fallback_the_last_mirror_is_server_and_the_registry_is_never_asked() {
    let p = project(serde_json::json!({"registries": [{"upstream": "ghcr.io", "fallback_to_upstream": false,
        "endpoints": [{"url": "https://a.example.com"}, {"url": "https://b.example.com/prefix"}]}]}));
    let e = explain(&p, "ghcr.io/o/x:1", &R2);
    assert_eq!(
        requests(&e.resolve),
        ["https://a.example.com/v2/o/x/manifests/1?ns=ghcr.io", "https://b.example.com/prefix/v2/o/x/manifests/1?ns=ghcr.io"]
    );
    assert_eq!(e.resolve[1].role, HostRole::Server);
    assert!(!e.registry_contacted_last);
}

#[test]
fn legacy_endpoint_naming_registry_1_does_not_stop_the_default_being_appended() {
    let p = project(serde_json::json!({"output": "legacy", "target": {"min": "1.6.20", "max": "1.7.x"},
        "registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://registry-1.docker.io"}]}]}));
    let e = explain(&p, "nginx", &V::new(1, 7, 24));
    // CRI compares endpoint hosts with "docker.io": registry-1.docker.io is appended a second time.
    assert_eq!(e.resolve.len(), 2);
    assert_eq!(e.resolve[1].role, HostRole::LegacyUpstream);
}

#[test]
fn an_unreachable_registry_with_only_pull_only_mirrors_cannot_resolve_a_tag() {
    let p = project(serde_json::json!({"registries": [{"upstream": "docker.io", "upstream_reachable": false,
        "endpoints": [{"url": "https://mirror.example.com", "kind": "public_mirror"}]}]}));
    let e = explain(&p, "nginx:latest", &R2);
    // containerd still asks registry-1.docker.io (and waits for it), but it cannot answer.
    assert_eq!(requests(&e.resolve), ["https://registry-1.docker.io/v2/library/nginx/manifests/latest"]);
    assert!(e.resolve[0].on_failure.en.contains("unreachable"), "{:?}", e.resolve[0].on_failure);
    assert_eq!(e.outcome.status, PullStatus::NoResolveHost);
    assert!(e.outcome.message.en.contains("cannot reach") && e.outcome.message.zh.contains("无法访问"));
    assert!(e.notes.iter().any(|n| n.en.contains("registry-1.docker.io")));
    // By digest the pull-only mirror is asked for the manifest: the pull can succeed.
    let digest = format!("nginx@sha256:{}", "a".repeat(64));
    assert_eq!(explain(&p, &digest, &R2).outcome.status, PullStatus::Possible);
    // A mirror allowed to resolve makes the tag pull possible again.
    let p = project(serde_json::json!({"registries": [{"upstream": "docker.io", "upstream_reachable": false,
        "endpoints": [{"url": "https://mirror.example.com", "kind": "public_mirror", "capabilities": ["pull", "resolve"]}]}]}));
    assert_eq!(explain(&p, "nginx:latest", &R2).outcome.status, PullStatus::Possible);
}
