//! Merging into a node's existing config.toml.
//!
//! config.toml must never be replaced wholesale on a node: it holds runtimes, `SystemdCgroup`, the sandbox image
//! — settings we don't manage, whose loss breaks the kubelet. [`merge`] changes only the managed settings and
//! keeps every other key, comment and format (toml_edit). Legacy `mirrors` (and 1.x `configs.*.tls`) found in the
//! file cannot stay next to `config_path`, so in hosts-dir style they are moved out into hosts.toml entries.

use sha2::{Digest, Sha256};
use toml_edit::DocumentMut;

use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::net;
use crate::plan;
use crate::render::config_toml::{apply_managed, get_table, PluginPaths};

pub struct Existing {
    pub doc: DocumentMut,
    /// `version` of the file (1 when absent).
    pub version: i64,
    pub sha256: String,
    /// Problems with the file that do not stop the merge.
    pub diagnostics: Vec<Diagnostic>,
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

const PATH: &str = "existing_config";

/// Parses the node's config.toml and checks that its version fits the target.
pub fn parse_existing(text: &str, p: &Project) -> Result<Existing, Diagnostic> {
    let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        let msg = e.message().to_string();
        Diagnostic::error(
            PATH,
            "M1-existing-not-toml",
            format!("Your config.toml is not valid TOML (line {line}, column {col}): {msg}. containerd would refuse to start with it too."),
            format!("现有的 config.toml 不是合法的 TOML(第 {line} 行,第 {col} 列):{msg}。containerd 也会因此无法启动。"),
        )
    })?;
    let version = doc.get("version").and_then(|v| v.as_integer()).unwrap_or(1);
    let mut diagnostics = Vec::new();
    if version < 2 {
        return Err(Diagnostic::error(
            PATH,
            "M2-existing-version-1",
            "Your config.toml has no `version = 2` (or 3) line, so it is a version 1 file: containerd 1.x then ignores long plugin names such as plugins.\"io.containerd.grpc.v1.cri\". Convert it to version 2 first (`containerd config default` shows the layout).",
            "现有 config.toml 没有 `version = 2`(或 3)行,即版本 1 配置:containerd 1.x 会忽略 plugins.\"io.containerd.grpc.v1.cri\" 这类长插件名。请先改写为版本 2(可参考 `containerd config default`)。",
        ));
    }
    if version > 4 {
        return Err(Diagnostic::error(
            PATH,
            "M3-existing-version-unknown",
            format!("Your config.toml has version = {version}, which no known containerd release reads."),
            format!("现有 config.toml 的 version = {version},目前没有 containerd 版本能读取。"),
        ));
    }
    if version >= 3 && p.target.includes_1x() {
        return Err(Diagnostic::error(
            PATH,
            "M4-existing-version-vs-target",
            format!("Your config.toml is version {version}, which containerd 1.x cannot read, but the target includes 1.x. Raise the target's oldest release to 2.0 or use a version 2 file."),
            format!("现有 config.toml 为版本 {version},containerd 1.x 无法读取,但目标版本范围包含 1.x。请把最低版本提高到 2.0,或使用版本 2 的配置文件。"),
        ));
    }
    if version == 4 && p.daemon.debug.is_some() | p.daemon.metrics_address.is_some() {
        diagnostics.push(Diagnostic::error(
            "daemon",
            "M5-existing-v4-server-settings",
            "Your config.toml is version 4 (containerd 2.3+), where [debug] and [metrics] moved into server plugins; this tool does not write those yet. Clear the debug and metrics settings here and set them by hand.",
            "现有 config.toml 为版本 4(containerd 2.3+),[debug] 与 [metrics] 已移入 server 插件;本工具暂不生成这些设置。请在此清空 debug 与 metrics,手工设置。",
        ));
    }
    Ok(Existing { doc, version, sha256: sha256_hex(text), diagnostics })
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

/// In hosts-dir style, moves the file's legacy `mirrors` and `configs.*.tls` into the project as registries (for
/// namespaces the project does not configure itself), and says what moved.
pub fn absorb_legacy(p: &Project, ex: &Existing) -> (Project, Vec<Diagnostic>) {
    let mut out = p.clone();
    let mut notes = Vec::new();
    let paths = PluginPaths::for_version(ex.version);
    let Some(registry) = get_table(ex.doc.as_table(), &paths.registry()) else { return (out, notes) };
    if p.output == OutputStyle::Legacy {
        let cp = registry.get("config_path").and_then(|v| v.as_str()).unwrap_or("");
        if !cp.is_empty() {
            notes.push(Diagnostic::warning(
                PATH,
                "C3-config-path-removed",
                format!("Removed config_path = \"{cp}\" from your config.toml: legacy mirrors next to a config_path stop the CRI plugin from loading. Registries configured under {cp} are no longer used."),
                format!("已从 config.toml 删除 config_path = \"{cp}\":旧式 mirrors 与 config_path 共存会导致 CRI 插件无法加载。{cp} 下配置的仓库将不再生效。"),
            ));
        }
        return (out, notes);
    }
    let legacy_tls: Vec<(String, Tls)> = registry
        .get("configs")
        .and_then(|c| c.as_table_like())
        .map(|c| {
            c.iter()
                .filter_map(|(host, v)| {
                    let tls = v.as_table_like()?.get("tls")?.as_table_like()?;
                    let has = |k: &str| tls.get(k).and_then(|v| v.as_str()).is_some_and(|s| !s.is_empty());
                    if has("cert_file") != has("key_file") {
                        notes.push(Diagnostic::warning(
                            PATH,
                            "C12-cert-without-key",
                            format!("configs.\"{host}\".tls in your config.toml has a cert_file without key_file (or the reverse): containerd fails every pull from {host} with \"…was specified, but no corresponding … file was specified\". The client certificate was not carried over."),
                            format!("config.toml 中 configs.\"{host}\".tls 只有 cert_file 而没有 key_file(或相反):containerd 从 {host} 拉取时每次都会报错。该客户端证书未被迁移。"),
                        ));
                    }
                    Some((host.to_string(), tls_from_legacy(tls)))
                })
                .collect()
        })
        .unwrap_or_default();
    let planned = plan::plan(p);
    let configured: Vec<String> = planned.dirs.iter().map(|d| d.namespace.clone()).collect();
    let mut used_tls: Vec<String> = Vec::new();

    if let Some(mirrors) = registry.get("mirrors").and_then(|m| m.as_table_like()) {
        for (ns, v) in mirrors.iter() {
            let endpoints: Vec<String> = v
                .as_table_like()
                .and_then(|t| t.get("endpoint"))
                .and_then(|e| e.as_array())
                .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            let namespace = if ns == "*" { "_default".to_string() } else { ns.to_string() };
            let shown = endpoints.join(", ");
            if ns != "*" && net::check_namespace(ns).is_err() {
                notes.push(not_migrated(
                    &format!("mirrors.\"{ns}\" ({shown})"),
                    &format!("\"{ns}\" is not a registry host name"),
                    &format!("\"{ns}\" 不是合法的仓库主机名"),
                ));
                continue;
            }
            if configured.contains(&namespace) {
                notes.push(Diagnostic::warning(
                    PATH,
                    "M6-mirrors-replaced",
                    format!("Removed mirrors.\"{ns}\" ({shown}) from your config.toml: it cannot stay next to config_path, and this project configures {namespace} itself."),
                    format!("已从 config.toml 删除 mirrors.\"{ns}\"({shown}):它不能与 config_path 共存,且本项目已自行配置 {namespace}。"),
                ));
                continue;
            }
            let mut reg = Registry { upstream: namespace.clone(), ..Default::default() };
            for e in &endpoints {
                let mut ep = endpoint_from_legacy(e);
                let Ok(u) = net::parse_url(&ep.url) else {
                    notes.push(not_migrated(
                        &format!("endpoint \"{e}\" of mirrors.\"{ns}\""),
                        "it is not a valid http(s) URL",
                        "它不是合法的 http(s) URL",
                    ));
                    continue;
                };
                // The upstream itself is the implicit last host anyway.
                if ns != "*" && u.host_port == net::upstream_host(ns) && !ep.override_path {
                    continue;
                }
                if let Some((_, tls)) = legacy_tls.iter().find(|(h, _)| *h == u.host_port) {
                    ep.tls = tls.clone();
                    used_tls.push(u.host_port.clone());
                }
                reg.endpoints.push(ep);
            }
            notes.push(Diagnostic::info(
                PATH,
                "M7-mirrors-migrated",
                format!("Moved mirrors.\"{ns}\" ({shown}) out of config.toml into certs.d/{namespace}/hosts.toml: legacy mirrors stop the CRI plugin from loading when config_path is set."),
                format!("已把 mirrors.\"{ns}\"({shown})从 config.toml 迁移到 certs.d/{namespace}/hosts.toml:设置 config_path 时保留旧式 mirrors 会导致 CRI 插件无法加载。"),
            ));
            out.registries.push(reg);
        }
    }
    for (host, tls) in legacy_tls {
        if used_tls.contains(&host) {
            continue;
        }
        if configured.contains(&host) || net::check_namespace(&host).is_err() {
            notes.push(Diagnostic::warning(
                PATH,
                "M8-legacy-tls-dropped",
                format!("Removed configs.\"{host}\".tls from your config.toml (it stops the CRI plugin from loading next to config_path on 1.x, and 2.x ignores it). Add its CA / client certificate / skip_verify to the matching endpoint's TLS settings here."),
                format!("已从 config.toml 删除 configs.\"{host}\".tls(1.x 下与 config_path 共存会导致 CRI 插件无法加载,2.x 会忽略它)。请在此为对应端点补上 CA/客户端证书/skip_verify 设置。"),
            ));
            continue;
        }
        notes.push(Diagnostic::info(
            PATH,
            "M9-legacy-tls-migrated",
            format!("Moved configs.\"{host}\".tls out of config.toml into certs.d/{host}/hosts.toml."),
            format!("已把 configs.\"{host}\".tls 从 config.toml 迁移到 certs.d/{host}/hosts.toml。"),
        ));
        out.registries.push(Registry {
            upstream: host.clone(),
            endpoints: vec![Endpoint { url: format!("https://{host}"), tls, ..Default::default() }],
            ..Default::default()
        });
    }
    (out, notes)
}

fn not_migrated(what: &str, why_en: &str, why_zh: &str) -> Diagnostic {
    Diagnostic::warning(
        PATH,
        "M10-not-migrated",
        format!("Removed {what} from your config.toml without moving it into certs.d: {why_en}. Add it here properly if you still need it."),
        format!("已从 config.toml 删除 {what},但未迁移到 certs.d:{why_zh}。如仍需要,请在此正确添加。"),
    )
}

pub struct MergeOutput {
    pub content: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// `existing` with only the settings this project manages changed. Legacy mirrors in it are migrated into the
/// project's hosts.toml files (render with [`crate::render_merged`] to get those files too).
pub fn merge(existing: &str, p: &Project) -> Result<MergeOutput, Diagnostic> {
    let ex = parse_existing(existing, p)?;
    let (aug, mut diagnostics) = absorb_legacy(p, &ex);
    diagnostics.extend(ex.diagnostics.iter().cloned());
    let plan = plan::plan(&aug);
    let mut doc = ex.doc.clone();
    apply_managed(&mut doc, &aug, &plan, ex.version);
    Ok(MergeOutput { content: doc.to_string(), diagnostics })
}
