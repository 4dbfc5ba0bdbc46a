//! Merging into a node's existing config.toml.
//!
//! config.toml must never be replaced wholesale on a node: it holds runtimes, `SystemdCgroup`, the sandbox image
//! — settings we don't manage, whose loss breaks the kubelet. [`merge`] changes only the managed settings and
//! keeps every other key, comment and format (toml_edit). Legacy `mirrors` (and 1.x `configs.*.tls`) found in the
//! file cannot stay next to `config_path`, so in hosts-dir style they are moved out into hosts.toml entries.

use sha2::{Digest, Sha256};
use toml_edit::{DocumentMut, Item, Value};

use crate::diagnostics::{Diagnostic, Message};
use crate::model::*;
use crate::net;
use crate::plan;
use crate::render::config_toml::{
    apply_managed_with, at_line, canonical, dotted, get_table, hide_userinfo, holds_credentials, kind_of, legacy_mirror_endpoints,
    legacy_tls_check, span_at, Edits, LegacyProblem, PluginPaths, EXISTING_PATH,
};

pub struct Existing {
    pub doc: DocumentMut,
    /// The file as parsed, with the spans of every key (for line numbers in messages).
    pub parsed: toml_edit::Document<String>,
    /// `version` of the file (1 when absent).
    pub version: i64,
    pub sha256: String,
    /// Problems with the file that do not stop the merge, each with its place in the file.
    pub diagnostics: Vec<(LineCol, Diagnostic)>,
}

impl Existing {
    /// The file's problems as they stand for `target`: a version 1 plugin name in a version 2 file stops only
    /// containerd 1.x, so without a 1.x release in the range it is a warning.
    pub fn settle_for(&mut self, target: &crate::model::Target) {
        if target.includes_1x() {
            return;
        }
        for (_, d) in &mut self.diagnostics {
            if d.code == "M15-registry-under-other-version" && d.severity == crate::diagnostics::Severity::Error {
                d.severity = crate::diagnostics::Severity::Warning;
            }
        }
    }

    /// 1-based line and column of the item at `path` in the file.
    pub fn line_of(&self, path: &[&str]) -> Option<(usize, usize)> {
        span_at(self.parsed.as_table(), path).map(|s| line_col(self.parsed.raw(), s.start))
    }
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    // An offset inside a character counts as that character's start (never a panic on a bad span).
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

const PATH: &str = EXISTING_PATH;

/// Parses the node's config.toml and checks that its version fits the target.
pub fn parse_existing(text: &str, p: &Project) -> Result<Existing, Diagnostic> {
    let mut ex = read_node_config(text)?;
    ex.settle_for(&p.target);
    let version = ex.version;
    if version < 2 {
        return Err(Diagnostic::error(
            PATH,
            "M2-existing-version-1",
            "Your config.toml has no `version = 2` (or 3) line, so it is a version 1 file: containerd 1.x then ignores long plugin names such as plugins.\"io.containerd.grpc.v1.cri\". Convert it to version 2 first (`containerd config default` shows the layout).",
            "现有 config.toml 没有 `version = 2`（或 3）行，即版本 1 配置：containerd 1.x 会忽略 plugins.\"io.containerd.grpc.v1.cri\" 这类长插件名。请先改写为版本 2（可参考 `containerd config default`）。",
        ));
    }
    if version >= 3 && p.target.includes_1x() {
        return Err(Diagnostic::error(
            PATH,
            "M4-existing-version-vs-target",
            format!("Your config.toml is version {version}, which containerd 1.x cannot read, but the target includes 1.x. Raise the target's oldest release to 2.0 or use a version 2 file."),
            format!("现有 config.toml 为版本 {version}，containerd 1.x 无法读取，但目标版本范围包含 1.x。请把最低版本提高到 2.0，或使用版本 2 的配置文件。"),
        ));
    }
    if version == 4 && p.target.touches((2, 0, 0), (2, 2, u32::MAX)) {
        // 2.0–2.2 refuse to start: "expected containerd config version equal to or less than `3`, got `4`" (spec §1.1).
        return Err(Diagnostic::error(
            PATH,
            "M4-existing-version-vs-target",
            format!("Your config.toml is version 4 (containerd 2.3+), which containerd 2.0–2.2 refuse to start with, but the target ({}) includes them. Raise the target's oldest release to 2.3 or use a version 3 file.", p.target.describe()),
            format!("现有 config.toml 为版本 4（containerd 2.3+），containerd 2.0–2.2 会因此拒绝启动，但目标版本范围（{}）包含这些版本。请把最低版本提高到 2.3，或使用版本 3 的配置文件。", p.target.describe()),
        ));
    }
    Ok(ex)
}

/// Parses a node's config.toml of any version containerd reads (1–4), whatever the target: the merge checks the
/// version against the target afterwards ([`parse_existing`]); the importer reads version 1 files too. Problems
/// that do not stop reading (settings containerd ignores in this version) are in `diagnostics`.
pub fn read_node_config(text: &str) -> Result<Existing, Diagnostic> {
    let parsed = toml_edit::Document::parse(text.to_string()).map_err(|e: toml_edit::TomlError| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        let msg = e.message().to_string();
        Diagnostic::error(
            PATH,
            "M1-existing-not-toml",
            format!("Your config.toml is not valid TOML (line {line}, column {col}): {msg}. containerd would refuse to start with it too."),
            format!("现有的 config.toml 不是合法的 TOML（第 {line} 行，第 {col} 列）：{msg}。containerd 也会因此无法启动。"),
        )
    })?;
    let version = match parsed.as_table().get("version") {
        None => 1,
        Some(Item::Value(Value::Integer(i))) => *i.value(),
        Some(other) => {
            let lc = span_at(parsed.as_table(), &["version"]).map(|s| line_col(text, s.start));
            let ((at_en, at_zh), (found_en, found_zh)) = (at_line(lc), kind_of(other));
            return Err(Diagnostic::error(
                PATH,
                "M11-existing-version-type",
                format!("{at_en}: `version` is {found_en}; containerd needs an integer (version = 2, or 3 on 2.x) and refuses to start with this file."),
                format!("{at_zh}：`version` 是{found_zh}；containerd 需要整数（version = 2，2.x 上也可为 3），否则无法启动。"),
            ));
        }
    };
    let mut diagnostics = Vec::new();
    if version > 4 {
        return Err(Diagnostic::error(
            PATH,
            "M3-existing-version-unknown",
            format!("Your config.toml has version = {version}, which no known containerd release reads."),
            format!("现有 config.toml 的 version = {version}，目前没有 containerd 版本能读取。"),
        ));
    }
    if version >= 4 {
        v4_ignored_server_settings(&parsed, text, &mut diagnostics);
    }
    // Registry settings under the other version's plugin are ignored by containerd (spec C2); the merge writes
    // to this version's table, so say where the old ones are instead of leaving two tables that look alike.
    let ours = PluginPaths::for_version(version);
    // A version 1 file is read with short plugin names (`plugins.cri`), later versions with long ones: a registry
    // table under another version's name is ignored.
    let others: &[i64] = match version {
        ..=1 => &[2, 3],
        2 => &[1, 3],
        _ => &[1, 2],
    };
    for &other_version in others {
        let other = PluginPaths::for_version(other_version);
        if get_table(parsed.as_table(), &other.registry()).is_some_and(|t| !t.is_empty()) {
            let lc = span_at(parsed.as_table(), &other.registry()).map(|s| line_col(text, s.start));
            let (at_en, at_zh) = at_line(lc);
            let (theirs, mine) = (other.registry_header(), ours.registry_header());
            if version == 2 && other_version == 1 {
                // Seen on real containerd: 1.6.20 and 1.7.24 check every plugin key of a version 2 file and stop
                // at a short name; 2.1.9 migrates the file and ignores the table. See `Existing::settle_for`.
                diagnostics.push((lc, Diagnostic::error(
                    PATH,
                    "M15-registry-under-other-version",
                    format!("{at_en}: {theirs} uses config version 1's short plugin name, but this file is version 2: containerd 1.6 and 1.7 refuse to start with it (containerd: invalid plugin key URI \"cri\" expect io.containerd.x.vx); 2.x starts and ignores the table. The merge writes to {mine} and leaves that table as it is: move anything you still need from it into this project, then delete it."),
                    format!("{at_zh}：{theirs} 使用的是配置版本 1 的短插件名，但此文件为版本 2：containerd 1.6 和 1.7 会因此拒绝启动（containerd：invalid plugin key URI \"cri\" expect io.containerd.x.vx）；2.x 能启动，但会忽略该表。合并写入 {mine}，不改动该表：请把仍需要的设置迁移到本项目中，然后删除该表。"),
                )));
                continue;
            }
            diagnostics.push((lc, Diagnostic::warning(
                PATH,
                "M15-registry-under-other-version",
                format!("{at_en}: {theirs} is where config version {other_version} keeps registry settings, but this file is version {version}: containerd does not read them there (spec C2). The merge writes to {mine}; move anything you still need from that table into this project, then delete it."),
                format!("{at_zh}：{theirs} 是配置版本 {other_version} 存放仓库设置的位置，但此文件为版本 {version}：containerd 不会读取那里的设置（规范 C2）。合并写入 {mine}；请把仍需要的设置迁移到本项目中，然后删除该表。"),
            )));
        }
    }
    let doc = parsed.clone().into_mut();
    Ok(Existing { doc, parsed, version, sha256: sha256_hex(text), diagnostics })
}

/// Top-level server settings a version 4 file may still hold: containerd 2.3 reads them only while migrating an
/// older file (`serviceMigrate`), so in a version 4 file they are silently ignored. Each gets a warning at its line,
/// with the plugin that is read instead.
fn v4_ignored_server_settings(parsed: &toml_edit::Document<String>, text: &str, out: &mut Vec<(LineCol, Diagnostic)>) {
    const MOVED: &[(&str, &str, &str)] = &[
        ("grpc", "address", "io.containerd.server.v1.grpc"),
        ("grpc", "uid", "io.containerd.server.v1.grpc"),
        ("grpc", "gid", "io.containerd.server.v1.grpc"),
        ("grpc", "max_recv_message_size", "io.containerd.server.v1.grpc"),
        ("grpc", "max_send_message_size", "io.containerd.server.v1.grpc"),
        ("grpc", "tcp_address", "io.containerd.server.v1.grpc-tcp"),
        ("grpc", "tcp_tls_ca", "io.containerd.server.v1.grpc-tcp"),
        ("grpc", "tcp_tls_cert", "io.containerd.server.v1.grpc-tcp"),
        ("grpc", "tcp_tls_key", "io.containerd.server.v1.grpc-tcp"),
        ("grpc", "tcp_tls_common_name", "io.containerd.server.v1.grpc-tcp"),
        ("ttrpc", "address", "io.containerd.server.v1.ttrpc"),
        ("ttrpc", "uid", "io.containerd.server.v1.ttrpc"),
        ("ttrpc", "gid", "io.containerd.server.v1.ttrpc"),
        ("debug", "address", "io.containerd.server.v1.debug"),
        ("debug", "uid", "io.containerd.server.v1.debug"),
        ("debug", "gid", "io.containerd.server.v1.debug"),
        ("metrics", "address", "io.containerd.server.v1.metrics"),
        ("metrics", "grpc_histogram", "io.containerd.metrics.v1.grpc-prometheus"),
    ];
    for (table, key, plugin) in MOVED {
        let Some(t) = get_table(parsed.as_table(), &[table]) else { continue };
        if t.get(key).is_none() {
            continue;
        }
        let lc = span_at(parsed.as_table(), &[table, key]).map(|s| line_col(text, s.start));
        let (at_en, at_zh) = at_line(lc);
        out.push((lc, Diagnostic::warning(
            PATH,
            "M17-v4-server-setting-ignored",
            format!("{at_en}: `{table}.{key}` is ignored by containerd in a version 4 file (2.3 reads it only when migrating a version 3 file); set `{key}` under [plugins.\"{plugin}\"] instead. The merge leaves the line as it is."),
            format!("{at_zh}：在版本 4 的配置中，containerd 会忽略 `{table}.{key}`（2.3 只在迁移版本 3 配置时读取它）；请改在 [plugins.\"{plugin}\"] 下设置 `{key}`。合并不改动该行。"),
        )));
    }
}

/// Converts a legacy endpoint URL (path used verbatim) into the equivalent hosts.toml endpoint.
fn endpoint_from_legacy(url: &str) -> Endpoint {
    let with_scheme = if url.contains("://") { url.to_string() } else { format!("https://{url}") };
    let path = net::parse_url(&with_scheme).map(|u| net::clean_path(&u.path)).unwrap_or_default();
    Endpoint {
        url: with_scheme,
        kind: EndpointKind::PrivateMirror,
        // The legacy path is the API root as written; `override_path` keeps exactly that meaning.
        override_path: !(path.is_empty() || path == "/v2"),
        ..Default::default()
    }
}

fn tls_from_legacy(t: &dyn toml_edit::TableLike) -> Tls {
    let s = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string).filter(|v| !v.is_empty());
    let mut tls = Tls::default();
    if let Some(ca) = s("ca_file") {
        tls.ca.push(CaCert::Path(ca));
    }
    match (s("cert_file"), s("key_file")) {
        (Some(c), Some(k)) if c == k => tls.client.push(ClientCert::Combined(c)),
        (Some(c), Some(k)) => tls.client.push(ClientCert::Pair { cert: c, key: k }),
        _ => {}
    }
    tls.skip_verify = t.get("insecure_skip_verify").and_then(|v| v.as_bool()).unwrap_or(false);
    tls
}

/// 1-based line and column in the node's file, when known.
pub type LineCol = Option<(usize, usize)>;

/// A registry the migration added to the project, and where in the node's file it came from.
#[derive(Debug, Clone)]
pub struct Migrated {
    /// Index in the effective project's `registries`.
    pub index: usize,
    /// `mirrors."*"` or `configs."host".tls`, as the file writes it.
    pub what: String,
    pub line: Option<(usize, usize)>,
    /// Per endpoint: the line of the `configs."<host>".tls` its TLS settings came from.
    pub tls_lines: Vec<Option<(usize, usize)>>,
}

/// The project with the node's legacy registry settings moved in, and what was said about them.
pub struct Absorbed {
    pub project: Project,
    /// What was said about the node's legacy settings, each with its place in the file (the importer reports
    /// it as `file:line:col`; the merge's messages say it in words).
    pub notes: Vec<(LineCol, Diagnostic)>,
    pub migrated: Vec<Migrated>,
}

/// In hosts-dir style, moves the file's legacy `mirrors` and `configs.*.tls` into the project as registries (for
/// namespaces the project does not configure itself), and says what moved.
pub fn absorb_legacy(p: &Project, ex: &Existing) -> (Project, Vec<Diagnostic>) {
    let a = absorb(p, ex);
    (a.project, a.notes.into_iter().map(|(_, d)| d).collect())
}

fn unreadable(ex: &Existing, what: &str, e: &LegacyProblem) -> (LineCol, Diagnostic) {
    let path: Vec<&str> = e.path.iter().map(String::as_str).collect();
    let line = ex.line_of(&path);
    let (at_en, at_zh) = at_line(line);
    let key = dotted(&path);
    (line, Diagnostic::error(
        PATH,
        "M17-legacy-unreadable",
        format!("{at_en}: `{key}` is {}, but {what} can only hold {} there. It cannot be moved into certs.d and was left as it is (next to config_path it stops the CRI plugin from loading): correct or remove it, then merge again.", e.found.0, e.wanted.0),
        format!("{at_zh}：`{key}` 是{}，但 {what} 在此只能为{}。它无法迁移到 certs.d，已保持原样（与 config_path 共存会导致 CRI 插件无法加载）：请修改或删除后重新合并。", e.found.1, e.wanted.1),
    ))
}

/// [`absorb_legacy`], with the origin of each migrated registry.
pub fn absorb(p: &Project, ex: &Existing) -> Absorbed {
    absorb_planned(p, &plan::plan(p), ex)
}

/// [`absorb`] with the project's plan already computed (`planned` must be `plan::plan(p)`).
pub(crate) fn absorb_planned(p: &Project, planned: &plan::Plan, ex: &Existing) -> Absorbed {
    let mut out = p.clone();
    let mut notes = Vec::new();
    let mut migrated = Vec::new();
    let paths = PluginPaths::for_version(ex.version);
    let reg = paths.registry();
    let Some(registry) = get_table(ex.doc.as_table(), &reg) else { return Absorbed { project: out, notes, migrated } };
    fn at<'k>(reg: &[&'k str], rest: &[&'k str]) -> Vec<&'k str> {
        reg.iter().chain(rest).copied().collect()
    }
    if p.output == OutputStyle::Legacy {
        let cp = registry.get("config_path").and_then(|v| v.as_str()).unwrap_or("");
        if !cp.is_empty() {
            let line = ex.line_of(&at(&reg, &["config_path"]));
            let (at_en, at_zh) = at_line(line);
            notes.push((line, Diagnostic::warning(
                PATH,
                "C3-config-path-removed",
                format!("{at_en}: removed config_path = \"{cp}\": legacy mirrors next to a config_path stop the CRI plugin from loading. Registries configured under {cp} are no longer used."),
                format!("{at_zh}：已删除 config_path = \"{cp}\"：旧式 mirrors 与 config_path 共存会导致 CRI 插件无法加载。{cp} 下配置的仓库将不再生效。"),
            )));
        }
        return Absorbed { project: out, notes, migrated };
    }
    let mut legacy_tls: Vec<(String, Tls, LineCol)> = Vec::new();
    if let Some(configs) = registry.get("configs").and_then(|c| c.as_table_like()) {
        for (host, v) in configs.iter() {
            let Some(tls_item) = v.as_table_like().and_then(|t| t.get("tls")) else { continue };
            let tls_path = at(&reg, &["configs", host, "tls"]);
            if let Err(e) = legacy_tls_check(tls_item, &tls_path) {
                notes.push(unreadable(ex, "a legacy TLS table", &e));
                continue;
            }
            let tls = tls_item.as_table_like().expect("checked");
            let line = ex.line_of(&tls_path);
            let has = |k: &str| tls.get(k).and_then(|v| v.as_str()).is_some_and(|s| !s.is_empty());
            if has("cert_file") != has("key_file") {
                let (at_en, at_zh) = at_line(line);
                notes.push((line, Diagnostic::warning(
                    PATH,
                    "C12-cert-without-key",
                    format!("{at_en}: configs.\"{host}\".tls has a cert_file without key_file (or the reverse): containerd fails every pull from {host} with \"…was specified, but no corresponding … file was specified\". The client certificate was not carried over."),
                    format!("{at_zh}：configs.\"{host}\".tls 只有 cert_file 而没有 key_file（或相反）：containerd 从 {host} 拉取时每次都会报错。该客户端证书未被迁移。"),
                )));
            }
            legacy_tls.push((host.to_string(), tls_from_legacy(tls), line));
        }
    }
    let configured: Vec<String> = planned.dirs.iter().map(|d| d.namespace.clone()).collect();
    let mut used_tls: Vec<String> = Vec::new();

    if let Some(mirrors) = registry.get("mirrors").and_then(|m| m.as_table_like()) {
        for (ns, v) in mirrors.iter() {
            let entry_path = at(&reg, &["mirrors", ns]);
            let endpoints = match legacy_mirror_endpoints(v, &entry_path) {
                Ok(e) => e,
                Err(e) => {
                    notes.push(unreadable(ex, "a legacy mirror entry", &e));
                    continue;
                }
            };
            let line = ex.line_of(&entry_path);
            let (at_en, at_zh) = at_line(line);
            let namespace = if ns == "*" { "_default".to_string() } else { ns.to_string() };
            // Messages go to terminals and logs: no credentials from the node's URLs in them.
            let shown = endpoints.iter().map(|e| hide_userinfo(e)).collect::<Vec<_>>().join(", ");
            if ns != "*" && net::check_namespace(ns).is_err() {
                let ns = hide_userinfo(ns);
                let what = format!("mirrors.\"{ns}\" ({shown})");
                notes.push(not_migrated(
                    line,
                    (&what, &what),
                    &format!("\"{ns}\" is not a registry host name"),
                    &format!("\"{ns}\" 不是合法的仓库主机名"),
                ));
                continue;
            }
            if configured.contains(&namespace) {
                notes.push((line, Diagnostic::warning(
                    PATH,
                    "M6-mirrors-replaced",
                    format!("{at_en}: removed mirrors.\"{ns}\" ({shown}): it cannot stay next to config_path, and this project configures {namespace} itself."),
                    format!("{at_zh}：已删除 mirrors.\"{ns}\"（{shown}）：它不能与 config_path 共存，且本项目已自行配置 {namespace}。"),
                )));
                continue;
            }
            let mut reg = Registry { upstream: namespace.clone(), ..Default::default() };
            let mut tls_lines = Vec::new();
            for e in &endpoints {
                let mut ep = endpoint_from_legacy(e);
                let Ok(u) = net::parse_url(&ep.url) else {
                    let e = hide_userinfo(e);
                    notes.push(not_migrated(
                        line,
                        (&format!("endpoint \"{e}\" of mirrors.\"{ns}\""), &format!("mirrors.\"{ns}\" 的端点 \"{e}\"")),
                        "it is not a valid http(s) URL",
                        "它不是合法的 http(s) URL",
                    ));
                    continue;
                };
                // The upstream itself is the implicit last host anyway.
                if ns != "*" && u.host_port == net::upstream_host(ns) && !ep.override_path {
                    continue;
                }
                let mut tls_line = None;
                if let Some((_, tls, l)) = legacy_tls.iter().find(|(h, _, _)| *h == u.host_port) {
                    ep.tls = tls.clone();
                    tls_line = *l;
                    used_tls.push(u.host_port.clone());
                }
                reg.endpoints.push(ep);
                tls_lines.push(tls_line);
            }
            notes.push((line, Diagnostic::info(
                PATH,
                "M7-mirrors-migrated",
                format!("{at_en}: moved mirrors.\"{ns}\" ({shown}) out of config.toml into certs.d/{namespace}/hosts.toml: legacy mirrors stop the CRI plugin from loading when config_path is set."),
                format!("{at_zh}：已把 mirrors.\"{ns}\"（{shown}）从 config.toml 迁移到 certs.d/{namespace}/hosts.toml：设置 config_path 时保留旧式 mirrors 会导致 CRI 插件无法加载。"),
            )));
            migrated.push(Migrated { index: out.registries.len(), what: format!("mirrors.{}", dotted(&[ns])), line, tls_lines });
            out.registries.push(reg);
        }
    }
    for (host, tls, line) in legacy_tls {
        if used_tls.contains(&host) {
            continue;
        }
        let (at_en, at_zh) = at_line(line);
        if host == net::DOCKER_HUB {
            // Docker Hub is contacted as registry-1.docker.io: settings keyed "docker.io" were never used, and a
            // directory for them would send docker.io images to the host docker.io first.
            notes.push((line, Diagnostic::warning(
                PATH,
                "M8-legacy-tls-dropped",
                format!("{at_en}: removed configs.\"docker.io\".tls without moving it: containerd contacts Docker Hub as {} and looks TLS settings up by that host, so these were never used.", net::DOCKER_HUB_HOST),
                format!("{at_zh}：已删除 configs.\"docker.io\".tls，未迁移：containerd 以 {} 访问 Docker Hub，并按该主机查找 TLS 设置，因此这些设置从未生效。", net::DOCKER_HUB_HOST),
            )));
            continue;
        }
        if configured.contains(&host) || net::check_namespace(&host).is_err() {
            notes.push((line, Diagnostic::warning(
                PATH,
                "M8-legacy-tls-dropped",
                format!("{at_en}: removed configs.\"{host}\".tls (it stops the CRI plugin from loading next to config_path on 1.x, and 2.x ignores it). Add its CA / client certificate / skip_verify to the matching endpoint's TLS settings here."),
                format!("{at_zh}：已删除 configs.\"{host}\".tls（1.x 下与 config_path 共存会导致 CRI 插件无法加载，2.x 会忽略它）。请在此为对应端点补上 CA/客户端证书/skip_verify 设置。"),
            )));
            continue;
        }
        // The settings apply where containerd contacts the host: as the upstream of its own images, after the
        // `mirrors."*"` endpoints, which a directory of its own must repeat (it hides `_default`).
        let mut endpoints: Vec<Endpoint> =
            out.registries.iter().find(|r| r.upstream == "_default").map(|r| r.endpoints.clone()).unwrap_or_default();
        let (via_en, via_zh) = if endpoints.is_empty() {
            (String::new(), String::new())
        } else {
            (" after the mirrors of mirrors.\"*\" (tried first, as before)".to_string(), "，排在 mirrors.\"*\" 的镜像站之后（与原先一样先尝试它们）".to_string())
        };
        notes.push((line, Diagnostic::info(
            PATH,
            "M9-legacy-tls-migrated",
            format!("{at_en}: moved configs.\"{host}\".tls out of config.toml into certs.d/{host}/hosts.toml{via_en}."),
            format!("{at_zh}：已把 configs.\"{host}\".tls 从 config.toml 迁移到 certs.d/{host}/hosts.toml{via_zh}。"),
        )));
        let mut tls_lines = vec![None; endpoints.len()];
        tls_lines.push(line);
        migrated.push(Migrated { index: out.registries.len(), what: format!("configs.{}.tls", dotted(&[&host])), line, tls_lines });
        endpoints.push(Endpoint { url: format!("https://{host}"), kind: EndpointKind::PrivateRegistry, tls, ..Default::default() });
        // The upstream with these settings is the last host: no second, implicit try without them (U12).
        out.registries.push(Registry { upstream: host.clone(), endpoints, fallback_to_upstream: false, ..Default::default() });
    }
    Absorbed { project: out, notes, migrated }
}

fn not_migrated(line: LineCol, what: (&str, &str), why_en: &str, why_zh: &str) -> (LineCol, Diagnostic) {
    let (at_en, at_zh) = at_line(line);
    let (what_en, what_zh) = what;
    (line, Diagnostic::warning(
        PATH,
        "M10-not-migrated",
        format!("{at_en}: removed {what_en} without moving it into certs.d: {why_en}. Add it here properly if you still need it."),
        format!("{at_zh}：已删除 {what_zh}，但未迁移到 certs.d：{why_zh}。如仍需要，请在此正确添加。"),
    ))
}

/// `registries[3].endpoints[0].tls.ca[0]` → (3, `.endpoints[0].tls.ca[0]`).
fn registry_index(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("registries[")?;
    let close = rest.find(']')?;
    Some((rest[..close].parse().ok()?, &rest[close + 1..]))
}

/// Validation of what will actually be written: the project with the migrated registries. Diagnostics about a
/// migrated registry point at its line in the node's file (keeping the rule's code and text); diagnostics the
/// user's own project already has are not repeated.
fn effective_diagnostics(effective: &Project, plan: &plan::Plan, migrated: &[Migrated], user: &[Diagnostic]) -> Vec<Diagnostic> {
    // Sets and maps, not list searches: a node file may migrate thousands of mirrors.
    let user: std::collections::HashSet<&Diagnostic> = user.iter().collect();
    let by_index: std::collections::HashMap<usize, &Migrated> = migrated.iter().map(|m| (m.index, m)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for d in crate::validate::validate_planned(effective, plan) {
        let origin = registry_index(&d.path).and_then(|(i, rest)| by_index.get(&i).map(|m| (*m, rest)));
        match origin {
            Some((m, rest)) => {
                let endpoint_tls = rest
                    .strip_prefix(".endpoints[")
                    .and_then(|r| r.split_once(']'))
                    .filter(|(_, tail)| tail.starts_with(".tls"))
                    .and_then(|(j, _)| j.parse::<usize>().ok())
                    .and_then(|j| m.tls_lines.get(j).copied().flatten());
                let (at_en, at_zh) = at_line(endpoint_tls.or(m.line));
                let what = &m.what;
                let message = Message::new(
                    format!("{at_en} ({what}, moved into certs.d): {}", d.message.en),
                    format!("{at_zh}（{what}，迁移到 certs.d）：{}", d.message.zh),
                );
                let moved = Diagnostic::new(d.severity, PATH, d.code, message);
                if seen.insert(moved.clone()) {
                    out.push(moved);
                }
            }
            None if !user.contains(&d) => out.push(d),
            None => {}
        }
    }
    out
}

/// A node's config.toml with the project merged in.
pub struct Merged {
    /// The file to install: the node's file with only the managed settings changed.
    pub content: String,
    /// The project plus the registries migrated out of the node's file: what the bundle's hosts.toml files hold.
    pub effective: Project,
    /// Everything about the node's file and the migration (path `existing_config`, with lines), plus the
    /// validation of the migrated registries.
    pub diagnostics: Vec<Diagnostic>,
    pub original_sha256: String,
    /// The merged file holds credentials (the project's or the node's own): install it 0600.
    pub has_credentials: bool,
    /// The plan of `effective`.
    pub plan: plan::Plan,
}

/// Merges the project into the node's file `text`. `user_diagnostics` are the project's own (from
/// [`crate::validate()`]), so that checking the effective project does not repeat them.
pub fn merge_into(p: &Project, text: &str, user_diagnostics: &[Diagnostic]) -> Result<Merged, Diagnostic> {
    merge_into_planned(p, &plan::plan(p), text, user_diagnostics)
}

/// [`merge_into`] with the project's plan already computed (`planned` must be `plan::plan(p)`): the project is
/// planned again only when registries were migrated out of the node's file.
pub fn merge_into_planned(p: &Project, planned: &plan::Plan, text: &str, user_diagnostics: &[Diagnostic]) -> Result<Merged, Diagnostic> {
    let ex = parse_existing(text, p)?;
    let ab = absorb_planned(p, planned, &ex);
    let mut diagnostics: Vec<Diagnostic> = ab.notes.into_iter().map(|(_, d)| d).collect();
    diagnostics.extend(ex.diagnostics.iter().map(|(_, d)| d.clone()));
    let mut plan = if ab.project == *p { planned.clone() } else { plan::plan(&ab.project) };
    // The merged file keeps the node's version (a version 3 file on a 2.3+-only target stays 3): say that one.
    plan.config_version = ex.version as u32;
    if !ab.migrated.is_empty() {
        diagnostics.extend(effective_diagnostics(&ab.project, &plan, &ab.migrated, user_diagnostics));
    }
    let mut doc = ex.doc.clone();
    let mut ed = Edits::new(Some(&ex.parsed));
    apply_managed_with(&mut doc, &ab.project, &plan, ex.version, &mut ed);
    let content = doc.to_string();
    let blocked = crate::diagnostics::has_errors(&ed.diagnostics);
    let check = self_check(&ex, &content, &ed.touched, (plan.style == OutputStyle::HostsDir && !blocked).then_some(ex.version));
    diagnostics.extend(ed.diagnostics);
    diagnostics.extend(check);
    let has_credentials = holds_credentials(doc.as_table());
    Ok(Merged { content, effective: ab.project, diagnostics, original_sha256: ex.sha256, has_credentials, plan })
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seg {
    Key(String),
    Index(usize),
}

/// A value of a document: key path, canonical value, span of its key.
type Leaf = (Vec<Seg>, String, Option<std::ops::Range<usize>>);

/// Every value of a document (inline tables opened up), with its key path and the span of its key.
fn leaves(t: &dyn toml_edit::TableLike, path: &mut Vec<Seg>, out: &mut Vec<Leaf>) {
    for (k, item) in t.iter() {
        path.push(Seg::Key(k.to_string()));
        match item {
            Item::Table(sub) => leaves(sub, path, out),
            Item::Value(Value::InlineTable(sub)) => leaves(sub, path, out),
            Item::ArrayOfTables(a) => {
                for (i, sub) in a.iter().enumerate() {
                    path.push(Seg::Index(i));
                    leaves(sub, path, out);
                    path.pop();
                }
            }
            Item::Value(v) => out.push((path.clone(), canonical(v), t.key(k).and_then(|k| k.span()))),
            Item::None => {}
        }
        path.pop();
    }
}

/// The merged text, read back: it must parse, every value of the node's file not replaced or removed on purpose
/// (`touched`, each reported) must read back unchanged, and (hosts-dir style, `check_config_path` = the file's
/// version) `config_path` must point at certs.d. Any failure is an error: a bundle that might have lost a
/// setting of the node is never installable.
fn self_check(ex: &Existing, content: &str, touched: &[Vec<String>], check_config_path: Option<i64>) -> Vec<Diagnostic> {
    let fail = |lc: Option<(usize, usize)>, en: String, zh: String| {
        let (at_en, at_zh) = at_line(lc);
        Diagnostic::error(
            PATH,
            "M16-merge-self-check",
            format!("{at_en}: {en} Nothing may be installed from this merge; please report this with your config.toml (secrets removed)."),
            format!("{at_zh}：{zh} 此次合并的结果不可安装；请附上 config.toml（去掉其中的密钥）报告此问题。"),
        )
    };
    let re: DocumentMut = match content.parse() {
        Ok(d) => d,
        Err(e) => {
            let e: toml_edit::TomlError = e;
            return vec![fail(None, format!("the merged file does not parse ({}).", e.message()), format!("合并结果无法解析（{}）。", e.message()))];
        }
    };
    let mut before = Vec::new();
    leaves(ex.parsed.as_table(), &mut Vec::new(), &mut before);
    let mut after = Vec::new();
    leaves(re.as_table(), &mut Vec::new(), &mut after);
    let after: std::collections::HashMap<Vec<Seg>, String> = after.into_iter().map(|(p, v, _)| (p, v)).collect();
    let is_touched = |p: &[Seg]| {
        touched.iter().any(|t| t.len() <= p.len() && t.iter().zip(p).all(|(a, b)| matches!(b, Seg::Key(k) if k == a)))
    };
    let mut out = Vec::new();
    for (path, value, span) in before {
        if is_touched(&path) || after.get(&path) == Some(&value) {
            continue;
        }
        let keys: Vec<&str> = path.iter().map(|s| match s { Seg::Key(k) => k.as_str(), Seg::Index(_) => "[]" }).collect();
        let shown = dotted(&keys);
        let lc = span.map(|s| line_col(ex.parsed.raw(), s.start));
        out.push(fail(lc, format!("the merge would change or lose `{shown}` without saying so."), format!("合并会在未说明的情况下改变或丢失 `{shown}`。")));
        if out.len() >= 5 {
            break;
        }
    }
    if let Some(version) = check_config_path {
        let reg = PluginPaths::for_version(version).registry();
        let cp = get_table(re.as_table(), &reg).and_then(|t| t.get("config_path")).and_then(|v| v.as_str()).map(str::to_string);
        if cp.as_deref() != Some(CERTS_D) {
            out.push(fail(None, format!("the merged file does not read back config_path = \"{CERTS_D}\"."), format!("合并结果中读不到 config_path = \"{CERTS_D}\"。")));
        }
    }
    out
}

pub struct MergeOutput {
    pub content: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// `existing` with only the settings this project manages changed. Legacy mirrors in it are migrated into the
/// project's hosts.toml files (render with [`crate::render_merged`] to get those files too).
pub fn merge(existing: &str, p: &Project) -> Result<MergeOutput, Diagnostic> {
    let planned = plan::plan(p);
    let m = merge_into_planned(p, &planned, existing, &crate::validate::validate_planned(p, &planned))?;
    Ok(MergeOutput { content: m.content, diagnostics: m.diagnostics })
}
