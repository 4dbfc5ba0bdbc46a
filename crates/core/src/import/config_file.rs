//! A node's config.toml (versions 1–4): the legacy registry settings through the merge's migration
//! ([`crate::merge::absorb`], the one code path for `mirrors` and `configs.*.tls`), then credentials, the sandbox
//! image and the daemon settings the model has, and what containerd does with the registry table as written.

use toml_edit::{Item, TableLike, Value};

use crate::diagnostics::{Diagnostic, Severity};
use crate::merge::{self, line_col, Existing, LineCol};
use crate::model::*;
use crate::net;
use crate::render::config_toml::{get_table, hide_userinfo, span_at, PluginPaths, ServerPaths};
use crate::Message;

use super::Work;

/// `version` of a config file that parses (1 when absent).
pub(super) fn version_of(text: &str) -> Option<i64> {
    merge::read_node_config(text).ok().map(|e| e.version)
}

/// The registry `config_path` of a config file that parses.
pub(super) fn config_path_of(text: &str) -> Option<String> {
    let ex = merge::read_node_config(text).ok()?;
    let reg = PluginPaths::for_version(ex.version).registry();
    get_table(ex.parsed.as_table(), &reg)?.get("config_path")?.as_str().map(str::to_string).filter(|s| !s.is_empty())
}

fn join<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<&'a str> {
    a.iter().chain(b).copied().collect()
}

fn at(ex: &Existing, path: &[&str]) -> LineCol {
    ex.line_of(path)
}

fn str_at(ex: &Existing, path: &[&str]) -> Option<(String, LineCol)> {
    let (last, parents) = path.split_last()?;
    let v = get_table(ex.parsed.as_table(), parents)?.get(last)?.as_str()?.to_string();
    Some((v, at(ex, path)))
}

fn taken(w: &mut Work, file: &str, at: LineCol, en: String, zh: String) {
    w.say(file, at, Diagnostic::info("", "I20-taken-over", en, zh));
}

pub(super) fn import(w: &mut Work, file: &str, text: &str) {
    let mut ex = match merge::read_node_config(text) {
        Ok(ex) => ex,
        Err(d) => {
            // The position of what stopped the reading: the TOML error, else the `version` line.
            let at = match toml_edit::Document::parse(text.to_string()) {
                Err(e) => e.span().map(|s| line_col(text, s.start)),
                Ok(doc) => span_at(doc.as_table(), &["version"]).map(|s| line_col(text, s.start)),
            };
            w.say(file, at, d);
            return;
        }
    };
    ex.settle_for(&w.project.target);
    for (at, d) in &ex.diagnostics {
        w.say(file, *at, d.clone());
    }
    let paths = PluginPaths::for_version(ex.version);
    let reg = paths.registry();
    if let Some(registry) = get_table(ex.parsed.as_table(), &reg) {
        registry_rules(w, file, &ex, registry, &reg);
    }
    // The legacy mirrors and TLS settings: the merge's migration, with what it says at each line.
    let planned = crate::plan::plan(&w.project);
    let absorbed = merge::absorb_planned(&w.project, &planned, &ex);
    w.project = absorbed.project;
    for (at, d) in absorbed.notes {
        w.say(file, at, d);
    }
    for m in &absorbed.migrated {
        w.origins.add(format!("registries[{}]", m.index), file, m.line);
        for (j, l) in m.tls_lines.iter().enumerate() {
            if l.is_some() {
                w.origins.add(format!("registries[{}].endpoints[{j}].tls", m.index), file, *l);
            }
        }
    }
    unused_certs_d(w, file, &ex, &reg);
    credentials(w, file, &ex, &join(&reg, &["configs"]), &join(&reg, &["auths"]));
    settings(w, file, &ex, &paths);
}

/// What containerd does with the registry table as written: `mirrors` next to `config_path`, `configs.*.tls`
/// on 2.x or next to `config_path` on 1.x, a `config_path` list, settings the project has no place for.
fn registry_rules(w: &mut Work, file: &str, ex: &Existing, registry: &dyn TableLike, reg: &[&str]) {
    let config_path = registry.get("config_path").and_then(Item::as_str).unwrap_or("").to_string();
    let mirrors = registry.get("mirrors").and_then(Item::as_table_like).filter(|m| !m.is_empty());
    if !config_path.is_empty() && mirrors.is_some() {
        let shown = hide_userinfo(&config_path);
        let first = mirrors.and_then(|m| m.iter().next().map(|(k, _)| k.to_string())).unwrap_or_default();
        w.say(file, at(ex, &join(reg, &["mirrors", first.as_str()])), Diagnostic::error(
            "",
            "I15-mirrors-with-config-path",
            format!("`mirrors` is set next to config_path = \"{shown}\": containerd does not load the CRI plugin at all (\"`mirrors` cannot be set when `config_path` is provided\"), so the kubelet cannot pull or run anything. The import moves the mirrors into certs.d."),
            format!("`mirrors` 与 config_path = \"{shown}\" 同时设置：containerd 根本不会加载 CRI 插件（\"`mirrors` cannot be set when `config_path` is provided\"），kubelet 因而无法拉取或运行任何东西。导入会把这些 mirrors 迁移到 certs.d。"),
        ));
    }
    if let Some(configs) = registry.get("configs").and_then(Item::as_table_like) {
        for (host, v) in configs.iter() {
            if v.as_table_like().and_then(|t| t.get("tls")).is_none() {
                continue;
            }
            let here = at(ex, &join(reg, &["configs", host, "tls"]));
            let host = hide_userinfo(host);
            if w.project.target.includes_1x() && !config_path.is_empty() {
                w.say(file, here, Diagnostic::error("", "I15-configs-tls-with-config-path", format!("configs.\"{host}\".tls is set next to config_path: containerd 1.x does not load the CRI plugin (\"`configs.tls` cannot be set when `config_path` is provided\")."), format!("configs.\"{host}\".tls 与 config_path 同时设置：containerd 1.x 不会加载 CRI 插件（\"`configs.tls` cannot be set when `config_path` is provided\"）。")));
            }
            if w.project.target.includes_2x() {
                w.say(file, here, Diagnostic::warning("", "I16-configs-tls-on-2x", format!("configs.\"{host}\".tls is ignored by containerd 2.x (the field was removed in 2.0.0; it only logs \"Ignoring unknown key\"): its CA, client certificate and skip_verify take no effect there. The import moves them into certs.d/{host}/hosts.toml."), format!("containerd 2.x 会忽略 configs.\"{host}\".tls（该字段已在 2.0.0 中移除，只会记录 \"Ignoring unknown key\"）：其中的 CA、客户端证书和 skip_verify 在 2.x 上不生效。导入会把它们迁移到 certs.d/{host}/hosts.toml。")));
            }
        }
    }
    let mut ed = crate::render::config_toml::Edits::new(Some(&ex.parsed));
    crate::render::config_toml::warn_config_path_list(ex.parsed.as_table(), reg, &mut ed);
    for d in ed.diagnostics {
        w.say(file, at(ex, &join(reg, &["config_path"])), d);
    }
    if !config_path.is_empty() && !config_path.contains(':') && config_path.trim_end_matches('/') != CERTS_D {
        let shown = hide_userinfo(&config_path);
        w.say(file, at(ex, &join(reg, &["config_path"])), Diagnostic::info("", "I19-not-expressible", format!("config_path = \"{shown}\": the project always writes {CERTS_D}; the directories found are imported as its registries, and the bundle installs them there."), format!("config_path = \"{shown}\"：本项目总是写入 {CERTS_D}；找到的目录会作为其仓库导入，配置包会把它们安装到那里。")));
    }
    if registry.get("headers").and_then(Item::as_table_like).is_some_and(|h| !h.is_empty()) {
        w.say(file, at(ex, &join(reg, &["headers"])), Diagnostic::warning("", "I19-not-expressible", "registry.headers (sent to every registry) has no place in the project, which sets headers per endpoint: not taken over. Add them to each endpoint that needs them.", "registry.headers（发送给所有仓库）在本项目中没有对应位置（本项目按端点设置请求头）：未导入。请在需要的端点上分别添加。"));
    }
}

/// A certs.d folder next to a config.toml without `config_path`: containerd does not read it (spec §1.4, §1.5).
fn unused_certs_d(w: &mut Work, file: &str, ex: &Existing, reg: &[&str]) {
    let registry = get_table(ex.parsed.as_table(), reg);
    let config_path = registry.and_then(|r| r.get("config_path")).and_then(Item::as_str).unwrap_or("");
    let has_mirrors = registry.and_then(|r| r.get("mirrors")).and_then(Item::as_table_like).is_some_and(|m| !m.is_empty());
    if !config_path.is_empty() || !w.files.iter().any(|(p, _)| p.starts_with("certs.d/")) {
        return;
    }
    let at = at(ex, &join(reg, &["config_path"]));
    let (en, zh) = if has_mirrors {
        ("with `mirrors` set, 2.2.2 and later fill in no default (2.2.0–2.2.1 fill one in and then refuse the mirrors: the CRI plugin does not load)", "设置了 `mirrors` 时，2.2.2 及以后不会补上默认值（2.2.0–2.2.1 会补上默认值，随后拒绝这些 mirrors：CRI 插件无法加载）")
    } else {
        ("2.2 and later default to \"/etc/containerd/certs.d:/etc/docker/certs.d\", a list the default transfer-service pull does not split (containerd#12415), so they miss it too", "2.2 及以后默认使用 \"/etc/containerd/certs.d:/etc/docker/certs.d\"，而默认的 transfer 服务拉取不会拆分该列表（containerd#12415），因此同样读不到")
    };
    w.say(file, at, Diagnostic::warning(
        "",
        "I14-certs-d-not-read",
        format!("config_path is not set, so containerd does not read the certs.d folder: 1.x, 2.0 and 2.1 look up no hosts.toml at all, and {en}. The imported project sets config_path = \"{CERTS_D}\"."),
        format!("未设置 config_path，containerd 不会读取 certs.d 目录：1.x、2.0 和 2.1 根本不查找 hosts.toml；{zh}。导入的项目会设置 config_path = \"{CERTS_D}\"。"),
    ));
}

/// A credential of `configs."<host>".auth` or the deprecated `auths."<url>"`.
fn method_of(t: &dyn TableLike) -> Result<Option<AuthMethod>, String> {
    let s = |k: &str| -> Result<String, String> {
        match t.get(k) {
            None => Ok(String::new()),
            Some(v) => v.as_str().map(str::to_string).ok_or_else(|| k.to_string()),
        }
    };
    let (user, password, auth, token) = (s("username")?, s("password")?, s("auth")?, s("identitytoken")?);
    Ok(if !user.is_empty() {
        Some(AuthMethod::Basic { username: user, password: Secret::Literal(password), encode_as_auth: false })
    } else if !auth.is_empty() {
        Some(AuthMethod::Auth { auth: Secret::Literal(auth) })
    } else if !token.is_empty() {
        Some(AuthMethod::IdentityToken { token: Secret::Literal(token) })
    } else {
        None
    })
}

fn credentials(w: &mut Work, file: &str, ex: &Existing, configs_path: &[&str], auths_path: &[&str]) {
    let mut found: Vec<(String, AuthMethod, LineCol, String)> = Vec::new();
    let root = ex.parsed.as_table();
    if let Some(configs) = get_table(root, configs_path) {
        for (host, v) in configs.iter() {
            let Some(auth) = v.as_table_like().and_then(|t| t.get("auth")) else { continue };
            let path: Vec<&str> = configs_path.iter().copied().chain([host, "auth"]).collect();
            collect(w, file, ex, host.to_string(), auth, &path, format!("configs.\"{}\".auth", hide_userinfo(host)), &mut found);
        }
    }
    if let Some(auths) = get_table(root, auths_path) {
        for (url, v) in auths.iter() {
            let path: Vec<&str> = auths_path.iter().copied().chain([url]).collect();
            // containerd strips the scheme and keys the credentials by the URL's host (spec §1.3).
            let host = url.split("://").last().unwrap_or(url).split('/').next().unwrap_or("").to_string();
            let what = format!("auths.\"{}\"", hide_userinfo(url));
            w.say(file, at(ex, &path), Diagnostic::info("", "I20-taken-over", format!("{what} is deprecated (containerd warns \"`auths` is deprecated\"); read as credentials for {}.", hide_userinfo(&host)), format!("{what} 已弃用（containerd 会警告 \"`auths` is deprecated\"）；按 {} 的凭据读取。", hide_userinfo(&host))));
            collect(w, file, ex, host, v, &path, what, &mut found);
        }
    }
    let lookup_plan = crate::plan::plan(&w.project);
    let lookup = lookup_plan.lookup();
    for (host, method, line, what) in found {
        let mut key = host.trim().to_string();
        // Docker Hub's names other than the host it is contacted as (docker.io, index.docker.io from docker's
        // config.json, hub.docker.com): credentials under them are never sent.
        let hub_alias = key == net::DOCKER_HUB || (net::DOCKER_HUB_ALIASES.contains(&key.as_str()) && key != net::DOCKER_HUB_HOST);
        if hub_alias && !lookup.contacts(&key) {
            w.say(file, line, Diagnostic::warning(
                "",
                "I17-docker-io-credentials-unused",
                format!("{what} was never used by containerd: it contacts Docker Hub as {} and looks credentials up by that host, so these were never sent (anonymous pulls, rate limits). Taken over for {}: from now on they are sent.", net::DOCKER_HUB_HOST, net::DOCKER_HUB_HOST),
                format!("containerd 从未使用 {what}：它以 {} 访问 Docker Hub，并按该主机查找凭据，因此这些凭据从未被发送（匿名拉取、触发限流）。已按 {} 导入：今后会发送它们。", net::DOCKER_HUB_HOST, net::DOCKER_HUB_HOST),
            ));
            key = net::DOCKER_HUB_HOST.to_string();
        }
        if w.project.auth.iter().any(|c| c.host == key) {
            w.say(file, line, Diagnostic::warning("", "I19-not-expressible", format!("{what}: {} already has credentials (configs wins over auths, the first entry over later ones); not taken over.", hide_userinfo(&key)), format!("{what}：{} 已有凭据（configs 优先于 auths，先出现的优先）；未导入。", hide_userinfo(&key))));
            continue;
        }
        let i = w.project.auth.len();
        w.origins.add(format!("auth[{i}]"), file, line);
        let shown = hide_userinfo(&key);
        taken(w, file, line, format!("{what}: credentials for {shown} taken over. The project now holds a secret: keep it private, or import with --secrets-as-env to write environment references instead."), format!("{what}：已导入 {shown} 的凭据。项目文件因此含有密钥：请妥善保管，或用 --secrets-as-env 导入以写成环境变量引用。"));
        w.project.auth.push(Credential { host: key, method });
    }
}

#[allow(clippy::too_many_arguments)]
fn collect(w: &mut Work, file: &str, ex: &Existing, host: String, item: &Item, path: &[&str], what: String, found: &mut Vec<(String, AuthMethod, LineCol, String)>) {
    let line = at(ex, path);
    let Some(t) = item.as_table_like() else {
        w.say(file, line, Diagnostic::error("", "I6-config-type", format!("{what} must be a table (username, password, auth, identitytoken): containerd refuses to start with this file."), format!("{what} 必须是表（username、password、auth、identitytoken）：containerd 会因此无法启动。")));
        return;
    };
    match method_of(t) {
        Err(k) => w.say(file, line, Diagnostic::error("", "I6-config-type", format!("{what}: `{k}` must be a string: containerd refuses to start with this file."), format!("{what}：`{k}` 必须是字符串：containerd 会因此无法启动。"))),
        Ok(None) => w.say(file, line, Diagnostic::info("", "I18-empty-credentials", format!("{what} holds no user name, auth or identitytoken: containerd sends nothing, and nothing was taken over."), format!("{what} 没有用户名、auth 或 identitytoken：containerd 不会发送任何凭据，未导入任何内容。"))),
        Ok(Some(m)) => found.push((host, m, line, what)),
    }
}

/// The sandbox image and the daemon settings the model has, as written (a value equal to containerd's default
/// too: the bundle then writes it again, the same file); empty strings mean "not set" to containerd.
fn settings(w: &mut Work, file: &str, ex: &Existing, paths: &PluginPaths) {
    let images = paths.images;
    let sandbox: Vec<&str> = if ex.version >= 3 { vec![images[0], images[1], "pinned_images", "sandbox"] } else { vec![images[0], images[1], "sandbox_image"] };
    if let Some((img, at)) = str_at(ex, &sandbox).filter(|(s, _)| !s.is_empty()) {
        w.origins.add("sandbox_image", file, at);
        taken(w, file, at, format!("sandbox image {} taken over.", hide_userinfo(&img)), format!("已导入沙箱镜像 {}。", hide_userinfo(&img)));
        w.project.sandbox_image = Some(img);
    }
    let d = &mut w.project.daemon.clone();
    let mut notes: Vec<(LineCol, Message, &'static str)> = Vec::new();
    let text = |path: &[&str]| -> Option<(String, LineCol)> { str_at(ex, path).filter(|(v, _)| !v.is_empty()) };
    if let Some((v, at)) = text(&["root"]) {
        notes.push((at, Message::new(format!("root = \"{v}\" taken over."), format!("已导入 root = \"{v}\"。")), "daemon.root"));
        d.root = Some(v);
    }
    if let Some((v, at)) = text(&["state"]) {
        notes.push((at, Message::new(format!("state = \"{v}\" taken over."), format!("已导入 state = \"{v}\"。")), "daemon.state"));
        d.state = Some(v);
    }
    let server = ServerPaths::for_version(ex.version);
    let debug_address: Vec<&str> = server.debug.iter().copied().chain(["address"]).collect();
    let metrics_address: Vec<&str> = server.metrics.iter().copied().chain(["address"]).collect();
    let debug_address = text(&debug_address);
    let debug_level = text(&["debug", "level"]);
    if debug_address.is_some() || debug_level.is_some() {
        let at = debug_address.as_ref().or(debug_level.as_ref()).and_then(|(_, at)| *at);
        notes.push((at, Message::new("debug settings taken over.", "已导入 debug 设置。"), "daemon.debug"));
        d.debug = Some(DebugSettings { address: debug_address.map(|x| x.0), level: debug_level.map(|x| x.0) });
    }
    if let Some((v, at)) = text(&metrics_address) {
        notes.push((at, Message::new(format!("metrics address \"{v}\" taken over."), format!("已导入 metrics 地址 \"{v}\"。")), "daemon.metrics_address"));
        d.metrics_address = Some(v);
    }
    let snapshotter: Vec<&str> = if ex.version >= 3 { vec![images[0], images[1], "snapshotter"] } else { vec![images[0], images[1], "containerd", "snapshotter"] };
    if let Some((v, at)) = text(&snapshotter) {
        let known = [Snapshotter::Overlayfs, Snapshotter::Native, Snapshotter::Btrfs, Snapshotter::Zfs, Snapshotter::Devmapper].into_iter().find(|s| s.as_str() == v);
        match known {
            Some(s) => {
                notes.push((at, Message::new(format!("snapshotter \"{v}\" taken over."), format!("已导入 snapshotter \"{v}\"。")), "daemon.snapshotter"));
                d.snapshotter = Some(s);
            }
            None => w.say(file, at, Diagnostic::warning("", "I19-not-expressible", format!("snapshotter \"{v}\" is not one the project offers (overlayfs, native, btrfs, zfs, devmapper): not taken over."), format!("snapshotter \"{v}\" 不在本项目提供的选项中（overlayfs、native、btrfs、zfs、devmapper）：未导入。"))),
        }
    }
    if let Some(Item::Value(Value::Integer(i))) = get_table(ex.parsed.as_table(), &[]).and_then(|t| t.get("oom_score")) {
        {
            let at = at(ex, &["oom_score"]);
            notes.push((at, Message::new(format!("oom_score = {} taken over.", i.value()), format!("已导入 oom_score = {}。", i.value())), "daemon.oom_score"));
            d.oom_score = Some(*i.value());
        }
    }
    if let Some(Item::Value(Value::Array(a))) = ex.parsed.as_table().get("imports") {
        let list: Vec<String> = a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
        if !list.is_empty() {
            let at = at(ex, &["imports"]);
            notes.push((at, Message::new("imports taken over (the files they name are not read here).", "已导入 imports（其中列出的文件不在此读取）。"), "daemon.imports"));
            d.imports = list;
        }
    }
    w.project.daemon = d.clone();
    for (at, m, field) in notes {
        w.origins.add(field, file, at);
        w.say(file, at, Diagnostic::new(Severity::Info, "", "I20-taken-over", m));
    }
}
