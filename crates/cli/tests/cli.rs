//! End-to-end tests of the `containerd-config-builder` binary: render, check, schema, exit codes, file modes,
//! and that nothing is written while errors remain or outside `--out`.

mod common;

use std::fs;

use common::*;
use serde_json::{json, Value};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

// ---- render: the bundle ---------------------------------------------------------------------------------------

#[test]
fn render_1x_target_writes_fragment_hosts_ca_installer_and_readme() {
    let t = tmp();
    let out = render_ok(t.path(), &project_1x_with_auth(), "bundle", None, &[("MIRROR_PW", "s3cr3t-pw")]);

    assert_eq!(
        files_under(&out),
        vec![
            "README.txt",
            "certs.d/docker.io/hosts.toml",
            "certs.d/docker.io/mirror-ca.crt",
            "config-fragment.toml",
            "install.sh",
            "project.json",
        ]
    );
    // The fragment carries config_path and the credentials, in the version 2 layout 1.x reads.
    let frag = read(&out.join("config-fragment.toml"));
    assert!(frag.contains("version = 2"), "{frag}");
    assert!(frag.contains(r#"[plugins."io.containerd.grpc.v1.cri".registry]"#), "{frag}");
    assert!(frag.contains(r#"config_path = "/etc/containerd/certs.d""#), "{frag}");
    // hosts.toml: the mirror first, pointing at the shipped CA by its absolute path on the node.
    let hosts = read(&out.join("certs.d/docker.io/hosts.toml"));
    assert!(hosts.contains(r#"[host."https://mirror.test"]"#), "{hosts}");
    assert!(hosts.contains(r#"ca = "/etc/containerd/certs.d/docker.io/mirror-ca.crt""#), "{hosts}");
    // The pasted CA is shipped as it was pasted.
    assert_eq!(read(&out.join("certs.d/docker.io/mirror-ca.crt")), TRICKY_PEM);
    // install.sh is executable and a shell script; README lists the files.
    let m = mode(&out.join("install.sh"));
    assert_eq!(m & 0o100, 0o100, "install.sh mode {m:o}");
    assert!(read(&out.join("install.sh")).starts_with("#!/bin/sh\n"));
    let readme = read(&out.join("README.txt"));
    for f in ["config-fragment.toml", "certs.d/docker.io/hosts.toml", "certs.d/docker.io/mirror-ca.crt", "install.sh"] {
        assert!(readme.contains(f), "README.txt does not list {f}:\n{readme}");
    }
}

#[test]
fn render_2x_only_target_writes_a_conf_d_drop_in() {
    let t = tmp();
    let out = render_ok(t.path(), &project_2x(false), "bundle", None, &[]);
    let files = files_under(&out);
    for f in ["README.txt", "certs.d/docker.io/hosts.toml", "conf.d/containerd-config-builder.toml", "install.sh"] {
        assert!(files.contains(&f.to_string()), "missing {f}: {files:?}");
    }
    // Never a whole config.toml without the node's own file; anything else is the (optional) fragment.
    assert!(!files.contains(&"config.toml".to_string()), "{files:?}");
    let extra: Vec<&String> = files
        .iter()
        .filter(|f| !["README.txt", "certs.d/docker.io/hosts.toml", "conf.d/containerd-config-builder.toml", "install.sh", "config-fragment.toml", "project.json"].contains(&f.as_str()))
        .collect();
    assert!(extra.is_empty(), "unexpected files {extra:?}");
    let drop_in = read(&out.join("conf.d/containerd-config-builder.toml"));
    assert!(drop_in.contains("version = 3"), "{drop_in}");
    assert!(drop_in.contains(r#"[plugins."io.containerd.cri.v1.images".registry]"#), "{drop_in}");
    assert!(drop_in.contains(r#"config_path = "/etc/containerd/certs.d""#), "{drop_in}");
    assert!(!drop_in.contains("io.containerd.grpc.v1.cri"), "v2 plugin name in a v3 drop-in:\n{drop_in}");
}

#[test]
fn render_merge_into_keeps_the_node_settings_and_comments_and_never_touches_the_input() {
    let t = tmp();
    let node = write(&t.path().join("node.toml"), NODE_TOML);
    let before = fs::metadata(&node).unwrap().modified().unwrap();
    let proj = write_json(&t.path().join("p.json"), &project_1x_with_auth());
    let out = t.path().join("bundle");
    let r = ccb(&["render", s(&proj), "--out", s(&out), "--merge-into", s(&node)], &[("MIRROR_PW", "pw-123")]);
    assert_eq!(r.code, 0, "{r:?}");

    assert!(files_under(&out).contains(&"config.toml".to_string()), "{:?}", files_under(&out));
    assert!(!out.join("config-fragment.toml").exists(), "a merged bundle needs no fragment");
    let merged = read(&out.join("config.toml"));
    // Every unrelated line of the node's file survives, comments included, in order.
    let mut at = 0;
    for line in NODE_TOML.lines() {
        let found = merged[at..].find(line).unwrap_or_else(|| panic!("lost {line:?} from the node's file:\n{merged}"));
        at += found + line.len();
    }
    assert!(merged.contains(r#"config_path = "/etc/containerd/certs.d""#), "{merged}");
    assert!(merged.contains(r#"password = "pw-123""#), "{merged}");
    // The input file itself is unchanged, byte for byte.
    assert_eq!(read(&node), NODE_TOML);
    assert_eq!(fs::metadata(&node).unwrap().modified().unwrap(), before);
}

// ---- render: errors write nothing ------------------------------------------------------------------------------

fn assert_render_refused(project: &Value, code: &str, path: &str) {
    let t = tmp();
    let proj = write_json(&t.path().join("p.json"), project);
    let out = t.path().join("out");
    let r = ccb(&["render", s(&proj), "--out", s(&out)], &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains(&format!("error[{code}] {path}")), "expected error[{code}] {path}: {r:?}");
    assert!(r.stderr.contains("nothing was written"), "{r:?}");
    assert!(!out.exists() || fs::read_dir(&out).unwrap().next().is_none(), "render wrote into --out: {:?}", snapshot(&out));
    assert_eq!(files_under(t.path()), vec!["p.json"], "render wrote something");
}

#[test]
fn render_with_a_path_traversal_registry_name_exits_1_and_writes_nothing() {
    assert_render_refused(&json!({"registries": [{"upstream": "../../etc"}]}), "N1-registry-name", "registries[0].upstream");
}

#[test]
fn render_with_a_url_without_scheme_exits_1_and_writes_nothing() {
    assert_render_refused(
        &json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "mirror.test"}]}]}),
        "U1-scheme",
        "registries[0].endpoints[0].url",
    );
}

#[test]
fn render_with_a_bad_ca_file_name_exits_1_and_writes_nothing() {
    assert_render_refused(
        &json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://mirror.test",
            "tls": {"ca": [{"pem": {"name": "../../../etc/ssl/evil", "pem": TRICKY_PEM}}]}}]}]}),
        "H5-ca-file-name",
        "registries[0].endpoints[0].tls.ca[0].name",
    );
}

#[test]
fn render_errors_in_the_existing_config_exit_1_and_write_nothing() {
    // A version 1 config.toml (no `version` line) cannot be merged: 1.x ignores the long plugin names in it.
    let t = tmp();
    let node = write(&t.path().join("node.toml"), "root = \"/var/lib/containerd\"\n");
    let proj = write_json(&t.path().join("p.json"), &project_1x_plain());
    let out = t.path().join("out");
    let r = ccb(&["render", s(&proj), "--out", s(&out), "--merge-into", s(&node)], &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("error[M2-existing-version-1] existing_config"), "{r:?}");
    assert!(!out.exists(), "render wrote {:?}", snapshot(&out));
}

// ---- exit 2: bad input or usage -------------------------------------------------------------------------------

#[test]
fn missing_project_file_exits_2_and_names_it() {
    let t = tmp();
    let missing = t.path().join("no-such-project.json");
    for args in [vec!["check", s(&missing)], vec!["render", s(&missing), "--out", s(&t.path().join("o"))]] {
        let r = ccb(&args, &[]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.stderr.contains("no-such-project.json"), "{r:?}");
        assert!(r.stderr.contains("cannot read"), "{r:?}");
    }
    assert!(!t.path().join("o").exists());
    // The CLI's own messages follow --lang like the diagnostics.
    let r = ccb(&["check", s(&missing), "--lang", "zh"], &[]);
    assert!(r.stderr.contains("无法读取项目文件"), "{r:?}");
}

#[test]
fn invalid_json_exits_2_with_line_and_column() {
    let t = tmp();
    let proj = write(&t.path().join("p.json"), "{\n  \"registries\": [\n    {\"upstream\": \"docker.io\",}\n  ]\n}\n");
    let r = ccb(&["check", s(&proj)], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("not valid JSON"), "{r:?}");
    assert!(r.stderr.contains("line 3"), "no line number: {r:?}");
    assert!(r.stderr.contains("column 30"), "no column number: {r:?}");
}

#[test]
fn unknown_field_exits_2_and_names_the_field() {
    let t = tmp();
    let proj = write_json(
        &t.path().join("p.json"),
        &json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://m.test", "insecure": true}]}]}),
    );
    let out = t.path().join("out");
    let r = ccb(&["render", s(&proj), "--out", s(&out)], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("unknown field `insecure`"), "{r:?}");
    assert!(!out.exists());

    // A typo at the top level and inside an internally tagged auth method too.
    let proj = write_json(&t.path().join("p2.json"), &json!({"registry": []}));
    let r = ccb(&["check", s(&proj)], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("`registry`"), "{r:?}");
    let proj = write_json(
        &t.path().join("p3.json"),
        &json!({"auth": [{"host": "m.test", "method": {"type": "basic", "username": "u", "password": "p", "pasword": "x"}}]}),
    );
    let r = ccb(&["check", s(&proj)], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("`pasword`"), "{r:?}");
}

#[test]
fn wrong_type_exits_2_with_a_clear_message() {
    let t = tmp();
    let proj = write_json(&t.path().join("p.json"), &json!({"registries": "docker.io"}));
    let r = ccb(&["check", s(&proj)], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("does not match the project format"), "{r:?}");
    assert!(r.stderr.contains("invalid type"), "{r:?}");
    assert!(r.stderr.contains("expected a sequence"), "{r:?}");

    let proj = write_json(
        &t.path().join("p2.json"),
        &json!({"registries": [{"upstream": "docker.io", "fallback_to_upstream": "yes"}]}),
    );
    let r = ccb(&["check", s(&proj)], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("expected a boolean"), "{r:?}");
}

#[test]
fn unset_secret_variable_exits_2_naming_the_variable_and_the_field() {
    let t = tmp();
    let proj = write_json(&t.path().join("p.json"), &project_1x_with_auth());
    let out = t.path().join("out");
    let r = ccb(&["render", s(&proj), "--out", s(&out)], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("MIRROR_PW"), "{r:?}");
    assert!(r.stderr.contains("auth[0].method.password"), "{r:?}");
    assert!(!out.exists(), "render wrote {:?}", snapshot(&out));
    let r = ccb(&["check", s(&proj)], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("MIRROR_PW") && r.stderr.contains("auth[0].method.password"), "{r:?}");
}

#[test]
fn render_without_out_exits_2() {
    let t = tmp();
    let proj = write_json(&t.path().join("p.json"), &project_1x_plain());
    let r = ccb_in(t.path(), &["render", s(&proj)], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--out"), "{r:?}");
    let r = ccb_in(t.path(), &["render", s(&proj), "--out"], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--out needs a value"), "{r:?}");
    assert_eq!(files_under(t.path()), vec!["p.json"]);
}

#[test]
fn missing_merge_into_file_exits_2_and_writes_nothing() {
    let t = tmp();
    let proj = write_json(&t.path().join("p.json"), &project_1x_plain());
    let out = t.path().join("out");
    let r = ccb(&["render", s(&proj), "--out", s(&out), "--merge-into", s(&t.path().join("gone.toml"))], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("gone.toml"), "{r:?}");
    assert!(!out.exists());
}

// ---- secrets and file modes -------------------------------------------------------------------------------------

#[test]
fn env_secret_lands_in_the_config_file_which_is_mode_0600() {
    let t = tmp();
    let out = render_ok(t.path(), &project_1x_with_auth(), "frag", None, &[("MIRROR_PW", "pa55-from-env")]);
    let frag = out.join("config-fragment.toml");
    let text = read(&frag);
    assert!(text.contains(r#"[plugins."io.containerd.grpc.v1.cri".registry.configs."mirror.test".auth]"#), "{text}");
    assert!(text.contains(r#"username = "robot$pull""#), "{text}");
    assert!(text.contains(r#"password = "pa55-from-env""#), "{text}");
    assert!(!text.contains("MIRROR_PW"), "the variable name instead of its value:\n{text}");
    assert_eq!(mode(&frag), 0o600);

    let out = render_ok(t.path(), &project_1x_with_auth(), "merged", Some(NODE_TOML), &[("MIRROR_PW", "pa55-from-env")]);
    assert!(read(&out.join("config.toml")).contains(r#"password = "pa55-from-env""#));
    assert_eq!(mode(&out.join("config.toml")), 0o600);

    let out = render_ok(t.path(), &project_2x(true), "dropin", None, &[("MIRROR_PW", "pa55-from-env")]);
    let d = out.join("conf.d/containerd-config-builder.toml");
    assert!(read(&d).contains(r#"password = "pa55-from-env""#));
    assert_eq!(mode(&d), 0o600);
}

#[test]
fn config_files_without_credentials_stay_world_readable() {
    let t = tmp();
    let out = render_ok(t.path(), &project_1x_plain(), "b", None, &[]);
    assert_eq!(mode(&out.join("config-fragment.toml")), 0o644);
    assert_eq!(mode(&out.join("certs.d/docker.io/hosts.toml")), 0o644);
}

#[test]
fn no_world_readable_bundle_file_holds_the_password() {
    let t = tmp();
    for (name, project, merge) in [
        ("merged", project_1x_with_auth(), Some(NODE_TOML)),
        ("dropin", project_2x(true), None),
        ("frag", project_1x_with_auth(), None),
    ] {
        let out = render_ok(t.path(), &project, name, merge, &[("MIRROR_PW", "pa55-from-env")]);
        for f in files_under(&out) {
            let p = out.join(&f);
            if read(&p).contains("pa55-from-env") {
                assert_eq!(mode(&p) & 0o077, 0, "{name}/{f} holds the password but has mode {:o}", mode(&p));
            }
        }
    }
}

#[test]
fn env_reference_in_any_header_is_resolved_or_rejected() {
    let t = tmp();
    let project = json!({
        "target": {"min": "1.7.0", "max": "2.1.x"},
        "registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://mirror.test",
            "headers": [{"name": "X-Mirror-Key", "values": [{"env": "MIRROR_KEY"}]}]}]}]
    });
    let proj = write_json(&t.path().join("p.json"), &project);
    let out = t.path().join("out");
    let r = ccb(&["render", s(&proj), "--out", s(&out)], &[("MIRROR_KEY", "k-123")]);
    if r.code == 0 {
        let hosts = read(&out.join("certs.d/docker.io/hosts.toml"));
        assert!(hosts.contains(r#"X-Mirror-Key = ["k-123"]"#), "env reference not resolved:\n{hosts}");
    } else {
        assert!(r.code == 1 || r.code == 2, "{r:?}");
        assert!(r.stderr.contains("headers[0]"), "rejected without naming the field: {r:?}");
    }
}

// ---- check ------------------------------------------------------------------------------------------------------

fn check_code(project: &Value) -> Run {
    let t = tmp();
    let proj = write_json(&t.path().join("p.json"), project);
    ccb(&["check", s(&proj)], &[])
}

#[test]
fn check_exit_codes_clean_errors_warnings() {
    let clean = check_code(&json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://m.test"}]}]}));
    assert_eq!(clean.code, 0, "{clean:?}");
    assert!(clean.stdout.contains("0 error(s), 0 warning(s)"), "{clean:?}");

    let errors = check_code(&json!({"registries": [{"upstream": "../../etc"}]}));
    assert_eq!(errors.code, 1, "{errors:?}");
    assert!(errors.stderr.contains("error[N1-registry-name] registries[0].upstream"), "{errors:?}");

    let warnings = check_code(&json!({"registries": [{"upstream": "docker.io",
        "endpoints": [{"url": "https://m.test", "tls": {"skip_verify": true}}]}]}));
    assert_eq!(warnings.code, 3, "{warnings:?}");
    assert!(warnings.stderr.contains("warning[H8-skip-verify] registries[0].endpoints[0].tls.skip_verify"), "{warnings:?}");
    assert!(warnings.stdout.contains("0 error(s), 1 warning(s)"), "{warnings:?}");

    // Errors win over warnings.
    let both = check_code(&json!({"registries": [{"upstream": "docker.io",
        "endpoints": [{"url": "https://m.test", "tls": {"skip_verify": true}}, {"url": "m2.test"}]}]}));
    assert_eq!(both.code, 1, "{both:?}");
}

#[test]
fn check_with_warnings_only_still_renders() {
    let t = tmp();
    let project = json!({"registries": [{"upstream": "docker.io",
        "endpoints": [{"url": "https://m.test", "tls": {"skip_verify": true}}]}]});
    let out = render_ok(t.path(), &project, "b", None, &[]);
    assert!(read(&out.join("certs.d/docker.io/hosts.toml")).contains("skip_verify = true"));
}

// ---- schema -----------------------------------------------------------------------------------------------------

#[test]
fn schema_prints_parsable_json_with_the_project_sections() {
    let r = ccb(&["schema"], &[]);
    assert_eq!(r.code, 0, "{r:?}");
    let v: Value = serde_json::from_str(&r.stdout).expect("schema is JSON");
    let props = v["properties"].as_object().expect("properties");
    for k in ["registries", "harbor", "air_gap", "auth", "daemon", "target"] {
        assert!(props.contains_key(k), "schema lacks {k}: {:?}", props.keys().collect::<Vec<_>>());
    }
}

// ---- language ---------------------------------------------------------------------------------------------------

#[test]
fn lang_zh_prints_the_chinese_message() {
    let t = tmp();
    let proj = write_json(&t.path().join("p.json"), &json!({"registries": [{"upstream": "../../etc"}]}));
    let zh = ccb(&["check", s(&proj), "--lang", "zh"], &[]);
    assert_eq!(zh.code, 1, "{zh:?}");
    assert!(zh.stderr.contains("error[N1-registry-name] registries[0].upstream"), "{zh:?}");
    assert!(zh.stderr.contains("不是合法主机名"), "{zh:?}");
    assert!(!zh.stderr.contains("not a host name"), "{zh:?}");

    let en = ccb(&["check", s(&proj)], &[]);
    assert!(en.stderr.contains("not a host name"), "{en:?}");
    assert!(!en.stderr.contains("不是合法主机名"), "{en:?}");

    // LANG=zh_* selects Chinese too; --lang en overrides it.
    let by_env = ccb(&["check", s(&proj)], &[("LANG", "zh_CN.UTF-8")]);
    assert!(by_env.stderr.contains("不是合法主机名"), "{by_env:?}");
    let forced = ccb(&["check", s(&proj), "--lang", "en"], &[("LANG", "zh_CN.UTF-8")]);
    assert!(forced.stderr.contains("not a host name"), "{forced:?}");
    // The locale as POSIX reads it: LC_ALL before LC_MESSAGES before LANG.
    let c_locale = ccb(&["check", s(&proj)], &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")]);
    assert!(c_locale.stderr.contains("not a host name"), "LC_ALL=C wins over LANG: {c_locale:?}");
    let messages = ccb(&["check", s(&proj)], &[("LANG", "C"), ("LC_MESSAGES", "zh_CN.UTF-8")]);
    assert!(messages.stderr.contains("不是合法主机名"), "LC_MESSAGES wins over LANG: {messages:?}");

    let out = t.path().join("out");
    let r = ccb(&["render", s(&proj), "--out", s(&out), "--lang", "zh"], &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("不是合法主机名"), "{r:?}");
}

/// `--lang zh` gives the same bundle in Chinese words: the same files with the same modes and, in every TOML file,
/// the same values; README.txt and install.sh in Chinese. LC_ALL=zh_* chooses it too; an unknown --lang is refused.
#[test]
fn render_lang_zh_writes_the_same_bundle_in_chinese() {
    let t = tmp();
    let proj = write_json(&t.path().join("p.json"), &project_1x_plain());
    let files = |dir: &std::path::Path| -> Vec<(String, u32)> { files_under(dir).into_iter().map(|p| (p.clone(), mode(&dir.join(&p)))).collect() };
    // Only comments may differ: the TOML without its comment lines is the same text.
    let without_comments = |text: &str| -> String { text.lines().filter(|l| !l.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n") };
    let (en, zh, by_locale) = (t.path().join("en"), t.path().join("zh"), t.path().join("locale"));
    assert_eq!(ccb(&["render", s(&proj), "--out", s(&en)], &[]).code, 0);
    assert_eq!(ccb(&["render", s(&proj), "--out", s(&zh), "--lang", "zh"], &[]).code, 0);
    assert_eq!(ccb(&["render", s(&proj), "--out", s(&by_locale)], &[("LC_ALL", "zh_CN.UTF-8")]).code, 0);
    assert_eq!(files(&en), files(&zh));
    for (f, _) in files(&en) {
        let (a, b) = (fs::read_to_string(en.join(&f)).unwrap(), fs::read_to_string(zh.join(&f)).unwrap());
        assert_eq!(b, fs::read_to_string(by_locale.join(&f)).unwrap(), "{f}: LC_ALL=zh_CN.UTF-8 is --lang zh");
        if f.ends_with(".toml") {
            assert_eq!(without_comments(&a), without_comments(&b), "{f}: values changed with the language");
            assert!(b.contains("由 containerd-config-builder"), "{f}: {b}");
        }
    }
    let readme = fs::read_to_string(zh.join("README.txt")).unwrap();
    assert!(readme.contains("\n应用\n") && readme.contains("\n验证\n") && !readme.contains("APPLY"), "{readme}");
    let hosts = fs::read_to_string(zh.join("certs.d/docker.io/hosts.toml")).unwrap();
    assert!(hosts.contains("# 尝试顺序：") && !hosts.contains("Try order"), "{hosts}");
    let script = fs::read_to_string(zh.join("install.sh")).unwrap();
    assert!(script.contains("已写入") && !script.contains("say \"wrote"), "install.sh is not in Chinese");

    let r = ccb(&["render", s(&proj), "--out", s(&t.path().join("fr")), "--lang", "fr"], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--lang fr: the languages are en and zh"), "{r:?}");
    assert!(!t.path().join("fr").exists());
}

// ---- nothing outside --out --------------------------------------------------------------------------------------

/// Renders in `<root>/a/b/c` with a relative `--out out` and checks that nothing changed in `root` outside that
/// out directory. Returns the run and the files written into out.
fn render_confined(project: &Value, node_toml: Option<&str>) -> (Run, Vec<String>) {
    let root = tmp();
    let work = root.path().join("a/b/c");
    fs::create_dir_all(&work).unwrap();
    write_json(&work.join("p.json"), project);
    let mut args = vec!["render", "p.json", "--out", "out"];
    if let Some(n) = node_toml {
        write(&work.join("node.toml"), n);
        args.extend(["--merge-into", "node.toml"]);
    }
    // Bystanders a stray write could hit.
    write(&root.path().join("a/etc/passwd"), "root:x:0:0\n");
    write(&root.path().join("a/b/config.toml"), "version = 2\n");
    let before = snapshot(root.path());
    let r = ccb_in(&work, &args, &[("MIRROR_PW", "pw")]);
    let mut after = snapshot(root.path());
    let out_files = files_under(&work.join("out"));
    after.retain(|k, _| !(k == "a/b/c/out" || k.starts_with("a/b/c/out/")));
    assert_eq!(before, after, "render changed something outside --out: {r:?}");
    (r, out_files)
}

#[test]
fn rejected_tricky_names_write_nothing_anywhere() {
    let pem = |name: &str| json!({"pem": {"name": name, "pem": TRICKY_PEM}});
    for project in [
        json!({"registries": [{"upstream": "../../etc"}]}),
        json!({"registries": [{"upstream": "../../../../a"}]}),
        json!({"registries": [{"upstream": "a/../../b.io"}]}),
        json!({"registries": [{"upstream": "/abs.io"}]}),
        json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://m.test", "tls": {"ca": [pem("../../../passwd")]}}]}]}),
        json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://m.test", "tls": {"ca": [pem("x/../../y")]}}]}]}),
        json!({"harbor": {"address": "https://cr.test", "mappings": [{"upstream": "../../../etc", "project": "p"}]}}),
        json!({"harbor": {"address": "https://cr.test", "tls": {"ca": [pem("../../ca")]}, "mappings": [{"upstream": "docker.io", "project": "hub"}]}}),
        json!({"target": {"min": "1.7.0", "max": "2.1.x"},
               "air_gap": {"registry": "https://reg.internal:5000", "namespaces": ["../../../x", "ok.io"], "tls": {"ca": [pem("../ca")]}}}),
    ] {
        let (r, out) = render_confined(&project, None);
        assert_eq!(r.code, 1, "{project}: {r:?}");
        assert!(out.is_empty(), "{project}: wrote {out:?}");
    }
}

#[test]
fn merge_with_a_traversal_mirror_name_is_dropped_not_migrated() {
    // A legacy mirror whose name is no registry host is removed from config.toml (it cannot stay next to
    // config_path) and reported; it never becomes a certs.d directory.
    let node = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"../../../../evil\"]\n  endpoint = [\"https://m.test\"]\n";
    // render_confined also checks that nothing outside --out changed.
    let (r, out) = render_confined(&project_1x_plain(), Some(node));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("warning[M10-not-migrated] existing_config"), "{r:?}");
    assert!(out.iter().any(|f| f.ends_with("config.toml")), "{out:?}");
    assert!(!out.iter().any(|f| f.contains("evil")), "{out:?}");
}

#[test]
fn accepted_tricky_names_stay_inside_out() {
    let project = json!({
        "target": {"min": "1.7.0", "max": "2.1.x"},
        "registries": [
            {"upstream": "[fd00::1]:5000", "endpoints": [{"url": "https://[fd00::2]:5000",
                "tls": {"ca": [{"pem": {"name": "ca.v1_x-y", "pem": TRICKY_PEM}}]}}]},
            {"upstream": "localhost:5000", "endpoints": [{"url": "http://localhost:5001"}]},
            {"upstream": "registry.example.com:5000", "endpoints": [{"url": "https://m.test/v2/x", "override_path": true}]}
        ],
        "air_gap": {"registry": "https://reg.internal:5000", "namespaces": ["quay.io"]},
        "auth": [{"host": "reg.internal:5000", "method": {"type": "basic", "username": "u", "password": {"env": "MIRROR_PW"}}}]
    });
    let (r, out) = render_confined(&project, None);
    assert_eq!(r.code, 0, "{r:?}");
    for f in [
        "certs.d/[fd00::1]:5000/hosts.toml",
        "certs.d/[fd00::1]:5000/ca.v1_x-y.crt",
        "certs.d/localhost:5000/hosts.toml",
        "certs.d/registry.example.com:5000/hosts.toml",
        "certs.d/_default/hosts.toml",
        "certs.d/quay.io/hosts.toml",
        "config-fragment.toml",
        "install.sh",
        "README.txt",
    ] {
        assert!(out.contains(&f.to_string()), "missing {f}: {out:?}");
    }
}

#[test]
fn rerender_into_an_existing_out_dir_replaces_the_files() {
    let t = tmp();
    let proj = write_json(&t.path().join("p.json"), &project_1x_with_auth());
    let out = t.path().join("out");
    let r = ccb(&["render", s(&proj), "--out", s(&out)], &[("MIRROR_PW", "first")]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = ccb(&["render", s(&proj), "--out", s(&out)], &[("MIRROR_PW", "second")]);
    assert_eq!(r.code, 0, "{r:?}");
    let frag = read(&out.join("config-fragment.toml"));
    assert!(frag.contains(r#"password = "second""#) && !frag.contains("first"), "{frag}");
    assert_eq!(mode(&out.join("config-fragment.toml")), 0o600);
}

// ---- writing into --out: links, owners, all or nothing ----------------------------------------------------------

use std::os::unix::fs::{MetadataExt, PermissionsExt};

/// The user this test (and the CLI it starts) runs as.
fn my_uid() -> u32 {
    fs::metadata("/proc/self").unwrap().uid()
}

/// Renders `project` into `out`; returns the run.
fn render_into(dir: &std::path::Path, project: &Value, out: &std::path::Path, env: &[(&str, &str)]) -> Run {
    let proj = write_json(&dir.join("p.json"), project);
    ccb(&["render", s(&proj), "--out", s(out)], env)
}

#[test]
fn render_refuses_to_write_through_a_symlinked_install_sh_and_writes_nothing() {
    let t = tmp();
    let victim = write(&t.path().join("victim.txt"), "precious\n");
    fs::set_permissions(&victim, fs::Permissions::from_mode(0o600)).unwrap();
    let out = t.path().join("out");
    fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&victim, out.join("install.sh")).unwrap();
    let before = snapshot(t.path());

    let r = render_into(t.path(), &project_1x_plain(), &out, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains(&format!("{} is a symbolic link", s(&out.join("install.sh")))), "{r:?}");
    assert!(r.stderr.contains("Nothing was written"), "{r:?}");
    let mut after = snapshot(t.path());
    after.remove("p.json");
    assert_eq!(after, before, "render changed something");
    assert_eq!((read(&victim).as_str(), mode(&victim)), ("precious\n", 0o600));
}

#[test]
fn render_refuses_a_symlinked_certs_d_folder_and_writes_nothing() {
    let t = tmp();
    let elsewhere = t.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let out = t.path().join("out");
    fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("certs.d")).unwrap();
    // A link deeper down is refused too, with every problem named at once.
    fs::create_dir_all(t.path().join("real-conf")).unwrap();
    let project = project_2x(false);
    std::os::unix::fs::symlink(t.path().join("real-conf"), out.join("conf.d")).unwrap();
    let before = snapshot(t.path());

    let r = render_into(t.path(), &project, &out, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains(&format!("{} is a symbolic link", s(&out.join("certs.d")))), "{r:?}");
    assert!(r.stderr.contains(&format!("{} is a symbolic link", s(&out.join("conf.d")))), "{r:?}");
    let mut after = snapshot(t.path());
    after.remove("p.json");
    assert_eq!(after, before, "render changed something");
    assert!(fs::read_dir(&elsewhere).unwrap().next().is_none(), "hosts.toml landed behind the link");

    let zh = ccb(&["render", s(&t.path().join("p.json")), "--out", s(&out), "--lang", "zh"], &[]);
    assert!(zh.stderr.contains("是符号链接") && zh.stderr.contains("未写入任何文件"), "{zh:?}");
}

#[test]
fn render_lists_stale_files_and_leaves_them_alone() {
    let t = tmp();
    let out = t.path().join("out");
    write(&out.join("certs.d/gone.example.com/hosts.toml"), "server = \"https://gone.example.com\"\n");
    write(&out.join("notes.txt"), "mine\n");
    // A link that is on no bundle path is somebody's business: listed, not followed, not refused.
    std::os::unix::fs::symlink("/etc", out.join("etc-link")).unwrap();

    let r = render_into(t.path(), &project_1x_plain(), &out, &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("3 file(s)"), "{r:?}");
    for stale in ["certs.d/gone.example.com/hosts.toml", "notes.txt", "etc-link"] {
        assert!(r.stderr.contains(&format!("  {}", s(&out.join(stale)))), "{stale} not listed: {r:?}");
    }
    assert!(!r.stderr.contains("docker.io/hosts.toml"), "a bundle file listed as stale: {r:?}");
    assert_eq!(read(&out.join("notes.txt")), "mine\n");
    assert_eq!(read(&out.join("certs.d/gone.example.com/hosts.toml")), "server = \"https://gone.example.com\"\n");
    assert_eq!(fs::read_link(out.join("etc-link")).unwrap(), std::path::Path::new("/etc"));
    assert!(out.join("certs.d/docker.io/hosts.toml").exists());
}

#[test]
fn render_replaces_an_existing_file_with_a_new_one_of_its_own() {
    // A credential file left by another user, world-readable, with a second name outside --out: the old code
    // truncated and rewrote that very inode, so the other owner and the other name both saw the password.
    let t = tmp();
    let out = t.path().join("out");
    let frag = write(&out.join("config-fragment.toml"), "old\n");
    fs::set_permissions(&frag, fs::Permissions::from_mode(0o644)).unwrap();
    let other_name = t.path().join("other-name.toml");
    fs::hard_link(&frag, &other_name).unwrap();
    if my_uid() == 0 {
        std::os::unix::fs::chown(&frag, Some(65534), Some(65534)).unwrap();
    }
    let old_ino = fs::metadata(&frag).unwrap().ino();

    let r = render_into(t.path(), &project_1x_with_auth(), &out, &[("MIRROR_PW", "pw-new")]);
    assert_eq!(r.code, 0, "{r:?}");
    let m = fs::metadata(&frag).unwrap();
    assert_ne!(m.ino(), old_ino, "the old file was reused");
    assert_eq!(m.uid(), my_uid(), "the earlier owner kept the file");
    assert_eq!(m.mode() & 0o7777, 0o600);
    assert!(read(&frag).contains("pw-new"));
    assert_eq!(read(&other_name), "old\n", "the password reached the file's other name");
    for f in files_under(&out) {
        assert!(!f.contains(".ccb-"), "temporary file left: {f}");
    }
}

#[test]
fn render_creates_files_with_their_mode_whatever_the_umask() {
    let t = tmp();
    let proj = write_json(&t.path().join("p.json"), &project_1x_with_auth());
    let modes = |out: &std::path::Path| -> Vec<(String, u32)> { files_under(out).into_iter().map(|f| (f.clone(), mode(&out.join(&f)))).collect() };
    let reference = render_ok(t.path(), &project_1x_with_auth(), "reference", None, &[("MIRROR_PW", "pw")]);
    assert_eq!(mode(&reference.join("config-fragment.toml")), 0o600);
    for umask in ["0777", "0000"] {
        let out = t.path().join(format!("umask-{umask}"));
        let o = std::process::Command::new("sh")
            .args(["-c", &format!("umask {umask} && exec \"$0\" \"$@\""), BIN, "render", s(&proj), "--out", s(&out)])
            .env("MIRROR_PW", "pw")
            .env("LANG", "C")
            .output()
            .unwrap();
        assert!(o.status.success(), "umask {umask}: {}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(modes(&out), modes(&reference), "umask {umask}");
    }
}

#[test]
fn render_with_a_directory_in_the_way_writes_nothing() {
    let t = tmp();
    let out = t.path().join("out");
    fs::create_dir_all(out.join("install.sh")).unwrap();
    write(&out.join("certs.d"), "a file where a directory goes\n");
    let before = snapshot(&out);
    let r = render_into(t.path(), &project_1x_plain(), &out, &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains(&format!("{} is in the way", s(&out.join("install.sh")))), "{r:?}");
    assert!(r.stderr.contains(&format!("{} is in the way", s(&out.join("certs.d")))), "{r:?}");
    assert_eq!(snapshot(&out), before, "render wrote part of the bundle");
}

/// Runs the CLI as an unprivileged user (root ignores directory permissions), owning `tree`.
fn ccb_unprivileged(tree: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    if my_uid() != 0 {
        return ccb(args, env);
    }
    let o = std::process::Command::new("chown").args(["-R", "65534:65534"]).arg(tree).output().expect("chown");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut c = std::process::Command::new("setpriv");
    c.args(["--reuid", "65534", "--regid", "65534", "--clear-groups", BIN]).args(args).current_dir("/").env("LANG", "C");
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().expect("run setpriv (util-linux) to drop root");
    Run { code: o.status.code().unwrap(), stdout: String::from_utf8_lossy(&o.stdout).into(), stderr: String::from_utf8_lossy(&o.stderr).into() }
}

#[test]
fn a_write_that_fails_half_way_leaves_out_as_it_was() {
    let t = tmp();
    let proj = s(&write_json(&t.path().join("p.json"), &project_1x_with_auth())).to_string();
    // Into a fresh --out whose docker.io folder cannot be written: not even the files before it stay.
    let out = t.path().join("fresh");
    fs::create_dir_all(out.join("certs.d/docker.io")).unwrap();
    fs::set_permissions(out.join("certs.d/docker.io"), fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(&out);
    let r = ccb_unprivileged(t.path(), &["render", &proj, "--out", s(&out)], &[("MIRROR_PW", "pw")]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("cannot write") && r.stderr.contains("docker.io"), "{r:?}");
    assert!(r.stderr.contains("every change made before the failure was undone"), "{r:?}");
    assert_eq!(snapshot(&out), before, "render left part of the bundle");

    // Over an earlier bundle: every old file stays as it was.
    let out = t.path().join("old");
    let r = ccb_unprivileged(t.path(), &["render", &proj, "--out", s(&out)], &[("MIRROR_PW", "first")]);
    assert_eq!(r.code, 0, "{r:?}");
    fs::set_permissions(out.join("certs.d/docker.io"), fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(&out);
    let r = ccb_unprivileged(t.path(), &["render", &proj, "--out", s(&out)], &[("MIRROR_PW", "second")]);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(snapshot(&out), before, "render replaced part of the bundle");
    assert!(read(&out.join("config-fragment.toml")).contains("first"));
}

#[test]
fn render_with_a_ca_name_too_long_for_a_file_name_exits_1_and_writes_nothing() {
    // 252 + ".crt" is 256 bytes: `check` used to pass it and `render` stopped half-way (File name too long).
    let name = "c".repeat(252);
    let project = json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://mirror.test",
        "tls": {"ca": [{"pem": {"name": "ok", "pem": TRICKY_PEM}}, {"pem": {"name": name, "pem": TRICKY_PEM}}]}}]}]});
    assert_render_refused(&project, "P1-name-too-long", "registries[0].endpoints[0].tls.ca[1].name");
    let r = check_code(&project);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("error[P1-name-too-long] registries[0].endpoints[0].tls.ca[1].name"), "{r:?}");
    // 251 bytes still fit.
    let t = tmp();
    let fits = json!({"registries": [{"upstream": "docker.io", "endpoints": [{"url": "https://mirror.test",
        "tls": {"ca": [{"pem": {"name": "c".repeat(251), "pem": TRICKY_PEM}}]}}]}]});
    let out = render_ok(t.path(), &fits, "b", None, &[]);
    assert!(out.join(format!("certs.d/docker.io/{}.crt", "c".repeat(251))).exists());
}

// ---- --merge-into never inside --out ----------------------------------------------------------------------------

#[test]
fn merge_into_a_file_inside_out_is_refused_and_the_file_kept() {
    let t = tmp();
    let d = t.path().join("d");
    let node = write(&d.join("config.toml"), NODE_TOML);
    fs::set_permissions(&node, fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink(&d, t.path().join("link")).unwrap();
    let proj = write_json(&t.path().join("p.json"), &project_1x_plain());
    let before = snapshot(t.path());
    for (merge, out) in [
        ("d/config.toml", "d"),
        ("link/config.toml", "d"),
        ("d/config.toml", "link"),
        ("./d/../d/config.toml", "d/."),
        ("d/config.toml", "."),
    ] {
        let r = ccb_in(t.path(), &["render", s(&proj), "--merge-into", merge, "--out", out], &[]);
        assert_eq!(r.code, 2, "--merge-into {merge} --out {out}: {r:?}");
        assert!(r.stderr.contains(&format!("--merge-into {merge} lies inside --out {out}")), "{r:?}");
        assert_eq!(snapshot(t.path()), before, "--merge-into {merge} --out {out} changed something");
    }
    assert_eq!((read(&node).as_str(), mode(&node)), (NODE_TOML, 0o600));
    // Next to it is fine.
    let r = ccb_in(t.path(), &["render", s(&proj), "--merge-into", "d/config.toml", "--out", "d2"], &[]);
    assert_eq!(r.code, 0, "{r:?}");
}

// ---- what reaches the terminal ----------------------------------------------------------------------------------

fn assert_no_raw_controls(r: &Run, what: &str) {
    for (name, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        let bad: Vec<char> = text.chars().filter(|c| c.is_control() && *c != '\n').collect();
        assert!(bad.is_empty(), "{what}: raw control characters {bad:?} on {name}: {r:?}");
    }
}

#[test]
fn control_characters_in_input_reach_the_terminal_escaped() {
    let evil = "\u{1b}[2J\u{1b}]0;pwned\u{7}";
    let t = tmp();
    let project = json!({"registries": [{"upstream": evil, "endpoints": [{"url": format!("https://m.test/{evil}")}]}]});
    let proj = write_json(&t.path().join("p.json"), &project);
    let r = ccb(&["check", s(&proj)], &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_no_raw_controls(&r, "check with the issue's upstream");
    assert!(r.stderr.contains("\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"), "{r:?}");
    let r = render_into(t.path(), &project, &t.path().join("out"), &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_no_raw_controls(&r, "render with the issue's upstream");

    // Paths, arguments, serde_json's quotes of the file, variable names, the files written.
    let dir = t.path().join(format!("dir{evil}\n"));
    fs::create_dir(&dir).unwrap();
    let ok = write_json(&dir.join("p.json"), &project_1x_plain());
    let unknown_key = write(&t.path().join("k.json"), "{\"regis\\u001b[2Jtries\": []}");
    let env_name = write_json(
        &t.path().join("e.json"),
        &json!({"auth": [{"host": "m.test", "method": {"type": "basic", "username": "u", "password": {"env": format!("PW{evil}")}}}]}),
    );
    let missing = t.path().join(format!("gone{evil}.json"));
    let runs = [
        ("missing project file", ccb(&["check", s(&missing)], &[])),
        ("unknown command", ccb(&[evil], &[])),
        ("unknown option", ccb(&["check", s(&ok), &format!("--x{evil}")], &[])),
        ("extra argument", ccb(&["check", s(&ok), evil], &[])),
        ("unknown field", ccb(&["check", s(&unknown_key)], &[])),
        ("unset variable", ccb(&["check", s(&env_name)], &[])),
        ("written paths", ccb(&["render", s(&ok), "--out", s(&dir.join("out"))], &[])),
        ("merge file", ccb(&["render", s(&ok), "--out", s(&dir.join("o2")), "--merge-into", s(&missing)], &[])),
    ];
    for (what, r) in &runs {
        assert_no_raw_controls(r, what);
        assert!(r.all().contains("\\u{1b}"), "{what}: the input is not shown at all: {r:?}");
    }
    assert_eq!(runs[6].1.code, 0, "{:?}", runs[6].1);
    assert!(runs[6].1.stdout.contains("\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\u{a}/out/install.sh"), "{:?}", runs[6].1);
}

// ---- arguments --------------------------------------------------------------------------------------------------

#[test]
fn unknown_options_and_extra_arguments_exit_2() {
    let t = tmp();
    let proj = write_json(&t.path().join("p.json"), &project_1x_plain());
    let node = write(&t.path().join("node.toml"), NODE_TOML);
    let out = t.path().join("out");
    // A typo must not silently drop the node's file from the bundle.
    let r = ccb(&["render", s(&proj), "--out", s(&out), "--mergeinto", s(&node)], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("unknown option \"--mergeinto\""), "{r:?}");
    let r = ccb(&["render", s(&proj), "other.json", "--out", s(&out)], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("unexpected \"other.json\""), "{r:?}");
    let r = ccb(&["render", s(&proj), "--out", s(&out), "--out", s(&t.path().join("o2"))], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(!out.exists());
}

// ---- only an object is a project ----------------------------------------------------------------------------------

#[test]
fn a_project_file_that_is_a_json_array_is_refused() {
    let t = tmp();
    for (text, says) in [
        ("[]", "a project file is a JSON object"),
        ("[1, {\"min\": \"1.6.20\", \"max\": \"2.1.x\"}, \"legacy\", [], null, null, []]", "a project file is a JSON object"),
        ("{\"target\": [\"1.6.0\", \"1.7.x\"]}", "target must be a JSON object ({ … }) with named fields, not an array, at line 1 column 12"),
        (
            "{\"registries\": [{\"upstream\": \"docker.io\", \"endpoints\": [[\"https://m.test\", \"public_mirror\"]]}]}",
            "registries[0].endpoints[0] must be a JSON object",
        ),
    ] {
        let proj = write(&t.path().join("p.json"), text);
        let r = ccb(&["check", s(&proj)], &[]);
        assert_eq!(r.code, 2, "{text}: {r:?}");
        assert!(r.stderr.contains("does not match the project format"), "{text}: {r:?}");
        assert!(r.stderr.contains(says), "{text}: {r:?}");
        let out = t.path().join("out");
        let r = ccb(&["render", s(&proj), "--out", s(&out)], &[]);
        assert_eq!(r.code, 2, "{text}: {r:?}");
        assert!(!out.exists(), "{text}: render wrote something");
        let zh = ccb(&["check", s(&proj), "--lang", "zh"], &[]);
        assert!(zh.stderr.contains("不能是数组"), "{text}: {zh:?}");
    }
}

// ---- project.json in the bundle (issue 8, item 4) --------------------------------------------------------------

/// Every bundle carries its project as project.json, so that "render project.json --merge-into …" (what
/// README.txt and install.sh tell a user with only the web app's download) works from the bundle alone.
#[test]
fn the_bundles_project_json_renders_the_same_bundle_again() {
    let t = tmp();
    for (name, merge) in [("fragment", None), ("merged", Some(NODE_TOML))] {
        let out = render_ok(t.path(), &project_1x_plain(), name, merge, &[]);
        let again = t.path().join(format!("{name}-again"));
        let project = out.join("project.json");
        let node = t.path().join(format!("{name}.node.toml"));
        let mut args = vec!["render", s(&project), "--out", s(&again)];
        if merge.is_some() {
            args.extend(["--merge-into", s(&node)]);
        }
        let r = ccb(&args, &[]);
        assert_eq!(r.code, 0, "{name}: {r:?}");
        assert_eq!(snapshot(&again), snapshot(&out), "{name}: the bundle's own project.json renders the same bundle");
    }
}

/// The bundle's project.json never holds a secret, and the CLI reads it back (the password must be given again).
#[test]
fn the_bundles_project_json_has_no_secrets_and_loads() {
    let t = tmp();
    let out = render_ok(t.path(), &project_1x_with_auth(), "bundle", None, &[("MIRROR_PW", "s3cr3t-pw")]);
    let json = read(&out.join("project.json"));
    assert!(!json.contains("s3cr3t-pw"), "{json}");
    let v: Value = serde_json::from_str(&json).expect("project.json is JSON");
    assert_eq!(v["registries"][0]["upstream"], "docker.io", "{json}");
    let r = ccb(&["check", s(&out.join("project.json"))], &[]);
    assert_ne!(r.code, 2, "the CLI loads the bundle's project.json: {r:?}");
    // It is not installed: install.sh never mentions it.
    assert!(!read(&out.join("install.sh")).contains("install_file 'project.json'"), "install.sh must not install project.json");
    assert!(read(&out.join("README.txt")).contains("project.json"));
}
