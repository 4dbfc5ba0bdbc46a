//! `ccb_core::json` against serde_json and the model's serde derives, which read and wrote the project format
//! before it: for any project, our writer's bytes are serde_json's (compact and pretty) and read back as the same
//! project; for any text — projects cut, patched and retyped, and model-shaped JSON with wrong types, odd numbers,
//! repeated and unknown keys — our reader accepts exactly what serde's reader with load.rs's array rule accepted,
//! as the same project.

use ccb_core::json;
use ccb_core::load::{project_from_json, LoadError};
use ccb_core::model::*;
use ccb_core::version::ContainerdVersion;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
        failure_persistence: None,
        ..Config::default()
    }
}

// ---- the oracle: serde_json + the derives + the array rule load.rs had -------------------------------------

/// Whether `input` has an array where the parsed model has an object (serde read a struct positionally).
fn array_for_object(input: &Value, parsed: &Value) -> bool {
    match (input, parsed) {
        (Value::Array(_), Value::Object(_)) => true,
        (Value::Object(i), Value::Object(o)) => i.iter().any(|(k, v)| o.get(k).is_some_and(|pv| array_for_object(v, pv))),
        (Value::Array(i), Value::Array(o)) => i.iter().zip(o).any(|(v, pv)| array_for_object(v, pv)),
        _ => false,
    }
}

fn serde_reads(text: &str) -> Option<Project> {
    if text.trim_start().starts_with('[') {
        return None;
    }
    let p: Project = serde_json::from_str(text).ok()?;
    let input: Value = serde_json::from_str(text).ok()?;
    (!array_for_object(&input, &serde_json::to_value(&p).unwrap())).then_some(p)
}

fn same_acceptance(text: &str) -> Result<(), TestCaseError> {
    let ours = project_from_json(text);
    let theirs = serde_reads(text);
    prop_assert_eq!(ours.as_ref().ok(), theirs.as_ref(), "{}\nours: {:?}", text, ours.as_ref().err().map(|e| e.message().en));
    Ok(())
}

// ---- projects ----------------------------------------------------------------------------------------------

/// Strings with everything a writer must escape or keep: quotes, backslashes, control characters, DEL,
/// non-ASCII, astral characters.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[a-z0-9.:/-]{0,10}",
        1 => "[\"\\\\\u{0}-\u{1f}\u{7f}é中😀/ a]{0,8}",
        1 => any::<String>(),
    ]
    .boxed()
}

fn opt<T: std::fmt::Debug + 'static>(s: BoxedStrategy<T>) -> BoxedStrategy<Option<T>> {
    prop::option::of(s).boxed()
}

fn version() -> BoxedStrategy<ContainerdVersion> {
    (0u32..4, 0u32..12, prop::option::of(0u32..40)).prop_map(|(major, minor, patch)| ContainerdVersion { major, minor, patch }).boxed()
}

fn secret() -> BoxedStrategy<Secret> {
    prop_oneof![text().prop_map(Secret::Literal), text().prop_map(|env| Secret::FromEnv(EnvRef { env }))].boxed()
}

fn tls() -> BoxedStrategy<Tls> {
    let ca = prop_oneof![text().prop_map(CaCert::Path), (text(), text()).prop_map(|(name, pem)| CaCert::Pem { name, pem })];
    let client = prop_oneof![text().prop_map(ClientCert::Combined), (text(), text()).prop_map(|(cert, key)| ClientCert::Pair { cert, key })];
    (prop::collection::vec(ca, 0..3), prop::collection::vec(client, 0..2), any::<bool>())
        .prop_map(|(ca, client, skip_verify)| Tls { ca, client, skip_verify })
        .boxed()
}

fn endpoint() -> BoxedStrategy<Endpoint> {
    use Capability::*;
    use EndpointKind::*;
    (
        text(),
        prop::sample::select(vec![PublicMirror, PrivateMirror, PrivateRegistry, HarborProject]),
        prop::collection::vec(prop::sample::select(vec![Pull, Resolve, Push, Referrers]), 0..4),
        any::<bool>(),
        tls(),
        prop::collection::vec((text(), prop::collection::vec(secret(), 0..3)).prop_map(|(name, values)| Header { name, values }), 0..3),
        opt(text()),
    )
        .prop_map(|(url, kind, capabilities, override_path, tls, headers, dial_timeout)| Endpoint {
            url,
            kind,
            capabilities,
            override_path,
            tls,
            headers,
            dial_timeout,
        })
        .boxed()
}

fn registry() -> BoxedStrategy<Registry> {
    (text(), prop::collection::vec(endpoint(), 0..3), opt(text()), any::<bool>(), any::<bool>())
        .prop_map(|(upstream, endpoints, server, fallback_to_upstream, upstream_reachable)| Registry {
            upstream,
            endpoints,
            server,
            fallback_to_upstream,
            upstream_reachable,
        })
        .boxed()
}

fn auth_method() -> BoxedStrategy<AuthMethod> {
    prop_oneof![
        (text(), secret(), any::<bool>()).prop_map(|(username, password, encode_as_auth)| AuthMethod::Basic { username, password, encode_as_auth }),
        secret().prop_map(|auth| AuthMethod::Auth { auth }),
        secret().prop_map(|token| AuthMethod::IdentityToken { token }),
    ]
    .boxed()
}

fn project() -> BoxedStrategy<Project> {
    use Snapshotter::*;
    let harbor = (text(), prop::sample::select(vec![HarborMode::Path, HarborMode::Subdomain]), any::<bool>(), tls(), prop::collection::vec((text(), text()), 0..3))
        .prop_map(|(address, mode, fallback_to_upstream, tls, m)| HarborProxy {
            address,
            mode,
            fallback_to_upstream,
            tls,
            mappings: m.into_iter().map(|(upstream, project)| HarborMapping { upstream, project }).collect(),
        });
    let air_gap = (text(), tls(), any::<bool>(), prop::collection::vec(text(), 0..3))
        .prop_map(|(registry, tls, fallback_to_upstream, namespaces)| AirGap { registry, tls, fallback_to_upstream, namespaces });
    let debug = (opt(text()), opt(text())).prop_map(|(address, level)| DebugSettings { address, level });
    let daemon = (
        opt(text()),
        opt(text()),
        opt(any::<i64>().boxed()),
        prop::collection::vec(text(), 0..2),
        opt(debug.boxed()),
        opt(text()),
        opt(prop::sample::select(vec![Overlayfs, Native, Btrfs, Zfs, Devmapper]).boxed()),
    )
        .prop_map(|(root, state, oom_score, imports, debug, metrics_address, snapshotter)| Daemon {
            root,
            state,
            oom_score,
            imports,
            debug,
            metrics_address,
            snapshotter,
        });
    (
        any::<u32>(),
        (version(), version()).prop_map(|(min, max)| Target { min, max }),
        prop::sample::select(vec![OutputStyle::HostsDir, OutputStyle::Legacy]),
        prop::collection::vec(registry(), 0..3),
        opt(harbor.boxed()),
        opt(air_gap.boxed()),
        prop::collection::vec((text(), auth_method()).prop_map(|(host, method)| Credential { host, method }), 0..3),
        opt(text()),
        daemon,
    )
        .prop_map(|(schema_version, target, output, registries, harbor, air_gap, auth, sandbox_image, daemon)| Project {
            schema_version,
            target,
            output,
            registries,
            harbor,
            air_gap,
            auth,
            sandbox_image,
            daemon,
        })
        .boxed()
}

#[test]
fn our_writer_writes_serde_jsons_bytes_and_our_reader_reads_them_back() {
    TestRunner::new(config())
        .run(&project(), |p| {
            let compact = json::project::to_string(&p);
            prop_assert_eq!(&compact, &serde_json::to_string(&p).unwrap());
            let pretty = json::project::to_string_pretty(&p);
            prop_assert_eq!(&pretty, &serde_json::to_string_pretty(&p).unwrap());
            prop_assert_eq!(project_from_json(&compact).map_err(|e| TestCaseError::fail(e.message().en))?, p.clone());
            prop_assert_eq!(project_from_json(&pretty).map_err(|e| TestCaseError::fail(e.message().en))?, p.clone());
            // The share links' sorted-key tree writes what serde_json's `Value` wrote.
            let sorted: Value = serde_json::from_str(&compact).unwrap();
            prop_assert_eq!(json::Value::parse(&compact).unwrap().to_json(), serde_json::to_string(&sorted).unwrap());
            Ok(())
        })
        .unwrap();
}

// ---- texts that may or may not be projects -----------------------------------------------------------------

const KEYS: &[&str] = &[
    "schema_version", "target", "min", "max", "output", "registries", "upstream", "endpoints", "url", "kind",
    "capabilities", "override_path", "tls", "ca", "path", "pem", "name", "client", "combined", "pair", "cert", "key",
    "skip_verify", "headers", "values", "env", "dial_timeout", "server", "fallback_to_upstream", "upstream_reachable",
    "harbor", "address", "mode", "mappings", "project", "air_gap", "registry", "namespaces", "auth", "host", "method",
    "type", "username", "password", "encode_as_auth", "token", "sandbox_image", "daemon", "root", "state",
    "oom_score", "imports", "debug", "level", "metrics_address", "snapshotter", "Type", "registrys", "schema\\u005fversion",
];

/// Leaves in JSON text: every kind of number serde_json tells apart, the model's words, versions good and bad.
const LEAVES: &[&str] = &[
    "null", "true", "false", "0", "1", "-1", "-0", "1.0", "1e2", "-1.5e-3", "4294967295", "4294967296",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "\"\"", "\"docker.io\"", "\"1.6.20\"", "\"2.1.x\"", "\"1.6\"",
    "\"v1.7.0\"", "\"legacy\"", "\"hosts_dir\"", "\"public_mirror\"", "\"harbor_project\"", "\"pull\"",
    "\"referrers\"", "\"basic\"", "\"auth\"", "\"identity_token\"", "\"zfs\"", "\"path\"", "\"subdomain\"",
    "\"a\\nb\\u0000\"", "\"\\ud83d\\ude00\"", "{\"env\": \"PW\"}", "{\"legacy\": null}", "{\"zfs\": null}", "{}", "[]",
];

fn json_text() -> BoxedStrategy<String> {
    let leaf = prop::sample::select(LEAVES).prop_map(str::to_string);
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6)
                .prop_map(|kv| format!("{{{}}}", kv.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect::<Vec<_>>().join(", "))),
        ]
    })
    .boxed()
}

/// A project file (compact or pretty, by serde_json) with one edit: a character taken out, a leaf or a key put
/// in, or a value swapped for another.
fn damaged_project() -> BoxedStrategy<String> {
    (project(), any::<bool>(), any::<prop::sample::Index>(), 0usize..4, prop::sample::select(LEAVES), prop::sample::select(KEYS))
        .prop_map(|(p, pretty, at, how, leaf, key)| {
            let text = if pretty { serde_json::to_string_pretty(&p).unwrap() } else { serde_json::to_string(&p).unwrap() };
            let chars: Vec<char> = text.chars().collect();
            let i = at.index(chars.len());
            let (before, after): (String, String) = (chars[..i].iter().collect(), chars[i..].iter().collect());
            match how {
                0 => format!("{before}{}", chars[i + 1..].iter().collect::<String>()),
                1 => format!("{before}{leaf}{after}"),
                2 => format!("{before}\"{key}\": {leaf}, {after}"),
                // The value after the i-th colon replaced by a leaf.
                _ => match after.find(": ") {
                    Some(c) => {
                        let rest = &after[c + 2..];
                        let end = rest.find([',', '}', '\n']).unwrap_or(rest.len());
                        format!("{before}{}: {leaf}{}", &after[..c], &rest[end..])
                    }
                    None => text,
                },
            }
        })
        .boxed()
}

#[test]
fn our_reader_accepts_what_serde_accepted_on_model_shaped_json() {
    TestRunner::new(config()).run(&json_text(), |t| same_acceptance(&t)).unwrap();
    // Inside a whole project too, where the shape around a value is right.
    const PLACES: &[&str] = &[
        "{\"registries\": [{\"upstream\": \"docker.io\", \"endpoints\": [@]}]}",
        "{\"registries\": [{\"endpoints\": [{\"url\": \"https://m\", \"tls\": @}]}]}",
        "{\"registries\": [{\"endpoints\": [{\"headers\": [{\"name\": \"A\", \"values\": [@]}]}]}]}",
        "{\"auth\": [{\"host\": \"h\", \"method\": @}]}",
        "{\"auth\": [{\"host\": \"h\", \"method\": {\"type\": \"basic\", \"username\": \"u\", \"password\": @}}]}",
        "{\"harbor\": @}",
        "{\"air_gap\": {\"registry\": \"r\", \"tls\": {\"ca\": [@]}}}",
        "{\"daemon\": @}",
        "{\"daemon\": {\"snapshotter\": @, \"oom_score\": @}}",
        "{\"target\": @, \"schema_version\": @}",
    ];
    let wrapped = (prop::sample::select(PLACES), json_text()).prop_map(|(place, t)| place.replace('@', &t));
    TestRunner::new(config()).run(&wrapped, |t| same_acceptance(&t)).unwrap();
}

#[test]
fn our_reader_accepts_what_serde_accepted_on_damaged_projects() {
    TestRunner::new(config()).run(&damaged_project(), |t| same_acceptance(&t)).unwrap();
}

#[test]
fn fixed_cases_read_as_serde_read_them() {
    for text in [
        "", " ", "{}", "{} ", "{}x", "{,}", "{\"output\": \"legacy\",}", "[1,]", "\u{a0}[]", "\n  []", "{\"output\": {\"legacy\": null}}",
        "{\"output\": {\"legacy\": null, \"hosts_dir\": null}}", "{\"output\": {\"legacy\": 1}}", "{\"schema_version\": -0}",
        "{\"schema_version\": 1, \"schema_version\": 1}", "{\"target\": {\"min\": \"1.6.0\"}}", "{\"target\": null}",
        "{\"harbor\": null, \"air_gap\": null, \"sandbox_image\": null}", "{\"daemon\": {\"oom_score\": -999}}",
        "{\"auth\": [{\"host\": \"h\", \"method\": {\"type\": \"auth\", \"auth\": \"a\", \"type\": \"auth\"}}]}",
        "{\"auth\": [{\"host\": \"h\", \"method\": {\"auth\": {\"env\": \"A\"}, \"type\": \"auth\"}}]}",
        "{\"auth\": [{\"host\": \"h\", \"method\": {\"type\": \"basic\", \"username\": \"u\", \"password\": {\"env\": \"P\", \"env\": \"Q\"}}}]}",
        "{\"registries\": [{\"endpoints\": [{\"tls\": {\"ca\": [{\"path\": \"/a\", \"pem\": {\"name\": \"n\", \"pem\": \"p\"}}]}}]}]}",
        "{\"registries\": [{\"endpoints\": [{\"tls\": {\"ca\": [\"path\"]}}]}]}",
        "{\"registries\": [{\"endpoints\": [{\"headers\": [{\"name\": \"A\", \"values\": [[\"x\"]]}]}]}]}",
        "{\"s\\u0063hema_version\": 1}", "{\"target\": {\"min\": \"1.6.0\", \"max\": \"2.x\"}}", "\"\\ud800\"", "{\"a\":\"\\ud800\\u0041\"}",
    ] {
        same_acceptance(text).unwrap();
    }
}

// ---- messages ----------------------------------------------------------------------------------------------

fn refusal(text: &str) -> LoadError {
    project_from_json(text).expect_err(text)
}

#[test]
fn an_unknown_field_is_named_with_the_fields_there_are_and_where_it_is() {
    let e = refusal("{\n  \"registries\": [{\"upstream\": \"docker.io\", \"insecure\": true}]\n}");
    assert!(matches!(e, LoadError::Format(_)), "{e:?}");
    let m = e.message();
    assert!(
        m.en.contains("unknown field `insecure`, expected one of `upstream`, `endpoints`, `server`, `fallback_to_upstream`, `upstream_reachable` at line 2 column 44"),
        "{}",
        m.en
    );
    assert!(m.zh.contains("第 2 行，第 44 列") && m.zh.contains("`insecure`"), "{}", m.zh);
    // Inside the internally tagged auth method, the tag itself not being one of its fields.
    let e = refusal("{\"auth\": [{\"host\": \"h\", \"method\": {\"type\": \"basic\", \"username\": \"u\", \"password\": \"p\", \"pasword\": \"x\"}}]}");
    assert!(e.message().en.contains("unknown field `pasword`, expected one of `username`, `password`, `encode_as_auth`"), "{}", e.message().en);
}

#[test]
fn a_wrong_type_says_what_was_found_and_what_belongs_there() {
    let e = refusal("{\"registries\": \"docker.io\"}");
    assert_eq!(e.detail().en, "invalid type: string \"docker.io\", expected a sequence at line 1 column 16");
    let e = refusal("{\"registries\": [{\"upstream\": \"docker.io\", \"fallback_to_upstream\": \"yes\"}]}");
    assert!(e.detail().en.starts_with("invalid type: string \"yes\", expected a boolean at line 1"), "{}", e.detail().en);
    let e = refusal("{\"schema_version\": 4294967296}");
    assert_eq!(e.detail().en, "invalid value: integer `4294967296`, expected u32 at line 1 column 20");
    let e = refusal("{\"daemon\": {\"oom_score\": 1.5}}");
    assert!(e.detail().en.starts_with("invalid type: floating point `1.5`, expected i64"), "{}", e.detail().en);
    let e = refusal("{\"target\": {\"min\": \"1.6.20\", \"max\": \"two\"}}");
    assert!(matches!(e, LoadError::Format(_)) && e.detail().en.contains("line 1 column 37"), "{:?}", e.detail().en);
}

#[test]
fn a_bad_variant_lists_the_variants() {
    let e = refusal("{\"output\": \"hostsdir\"}");
    assert_eq!(e.detail().en, "unknown variant `hostsdir`, expected `hosts_dir` or `legacy` at line 1 column 12");
    let e = refusal("{\"auth\": [{\"host\": \"h\", \"method\": {\"type\": \"bearer\"}}]}");
    assert!(e.detail().en.contains("unknown variant `bearer`, expected one of `basic`, `auth`, `identity_token`"), "{}", e.detail().en);
    let e = refusal("{\"auth\": [{\"host\": \"h\", \"method\": {\"token\": \"t\"}}]}");
    assert!(e.detail().en.contains("missing field `type`"), "{}", e.detail().en);
}

#[test]
fn an_array_where_an_object_belongs_is_refused_at_its_field_and_bracket() {
    let e = refusal("{\"registries\": [{\"upstream\": \"docker.io\",\n \"endpoints\": [{\"url\": \"https://m.test\", \"tls\": [[], [], true]}]}]}");
    assert!(matches!(&e, LoadError::NotAnObject { path, line: 2, column: 49 } if path == "registries[0].endpoints[0].tls"), "{e:?}");
    assert!(e.message().zh.contains("registries[0].endpoints[0].tls 必须是带字段名的 JSON 对象"), "{}", e.message().zh);
}

#[test]
fn syntax_errors_say_where_and_trailing_text_is_one() {
    let e = refusal("{\"output\": \"legacy\"} x");
    assert!(matches!(e, LoadError::Syntax(_)), "{e:?}");
    assert_eq!(e.detail().en, "trailing characters at line 1 column 22");
    let e = refusal("{\"output\": \"legacy\"");
    assert_eq!(e.detail().en, "EOF while parsing an object at line 1 column 19");
    assert_eq!(refusal("").detail().en, "EOF while parsing a value at line 1 column 0");
    assert!(refusal("{\"output\": 'legacy'}").detail().en.starts_with("expected value at line 1 column 12"));
}

#[test]
fn deep_nesting_is_refused_without_exhausting_the_stack() {
    for open in ["[", "{\"a\":", "{\"registries\":["] {
        let text = open.repeat(100_000);
        let e = refusal(&format!("{{\"x\": {text}"));
        assert!(e.detail().en.contains("recursion limit exceeded"), "{}", e.detail().en);
    }
    // What serde_json reads, we read: 126 levels inside the project's object.
    let text = format!("{{\"sandbox_image\": {}null{}}}", "[".repeat(126), "]".repeat(126));
    same_acceptance(&text).unwrap();
    assert!(json::parse(&format!("{}{}", "[".repeat(127), "]".repeat(127))).is_ok());
    assert!(json::parse(&format!("{}{}", "[".repeat(128), "]".repeat(128))).is_err());
}

#[test]
fn any_text_is_read_or_refused_without_a_panic() {
    TestRunner::new(config()).run(&any::<String>(), |t| {
        let _ = project_from_json(&t);
        let _ = json::parse(&t);
        Ok(())
    })
    .unwrap();
}
