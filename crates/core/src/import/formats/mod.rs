//! Import of the files other tools turn into containerd's: k3s / RKE2 `registries.yaml` ([`k3s`]), a Talos
//! machine config or its 1.12+ registry documents ([`talos`]) and Docker's `daemon.json` ([`docker`]). Each reader
//! applies its tool's own conversion rules, so that the project routes as the tool would have had containerd route,
//! and reports, at the file's `line:col`, what it assumed, what it changed and what has no place in containerd's
//! files. The report and the validation of the result are the containerd-files importer's ([`super::Finding`]).

pub mod docker;
pub mod k3s;
pub mod talos;
pub mod tree;

use crate::diagnostics::Diagnostic;
use crate::merge::LineCol;
use crate::model::{AuthMethod, Credential, Registry, Secret};

use super::Work;
use tree::{Node, Value};

/// The format of the files given to the importer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// containerd's own config.toml and certs.d.
    Containerd,
    /// k3s / RKE2 `registries.yaml`.
    K3s,
    /// A Talos machine config (`machine.registries`) or Talos 1.12+ `Registry*Config` documents.
    Talos,
    /// Docker's `daemon.json`.
    Docker,
}

impl Format {
    /// The names `--format` takes.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "containerd" => Some(Format::Containerd),
            "k3s" | "rke2" => Some(Format::K3s),
            "talos" => Some(Format::Talos),
            "docker" => Some(Format::Docker),
            _ => None,
        }
    }
}

/// What the tools decide outside the file, when the user says so; `None`: the report states what was assumed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assumptions {
    /// k3s / RKE2 run with `--disable-default-registry-endpoint` (assumed: no).
    pub no_default_endpoint: Option<bool>,
    /// k3s / RKE2 run with `--embedded-registry` (assumed: no).
    pub embedded_registry: Option<bool>,
    /// The nodes reach Docker Hub themselves (daemon.json; assumed: yes).
    pub upstream_reachable: Option<bool>,
}

/// The format of one file, from its name, else its content; `Containerd` for anything else.
pub fn detect(path: &str, bytes: &[u8]) -> Format {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "daemon.json" {
        return Format::Docker;
    }
    if name == "registries.yaml" || name == "registries.yml" {
        return Format::K3s;
    }
    let Ok(text) = std::str::from_utf8(bytes) else { return Format::Containerd };
    if name.ends_with(".toml") || path.contains('/') {
        return Format::Containerd;
    }
    if name.ends_with(".json") || text.trim_start().starts_with('{') {
        if let Ok(n) = tree::json(text) {
            if n.get("registry-mirrors").is_some() || n.get("insecure-registries").is_some() {
                return Format::Docker;
            }
        }
    }
    if let Ok(docs) = tree::yaml(text) {
        let talos = docs.iter().any(|d| {
            d.field("machine").is_some()
                || d.field("kind").and_then(Node::text).is_some_and(|k| k.starts_with("Registry") && k.ends_with("Config"))
        });
        if talos {
            return Format::Talos;
        }
        if docs.iter().any(|d| d.field("mirrors").is_some() || d.field("configs").is_some()) {
            return Format::K3s;
        }
    }
    if name.ends_with(".json") {
        return Format::Docker;
    }
    if name.ends_with(".yaml") || name.ends_with(".yml") {
        return Format::K3s;
    }
    Format::Containerd
}

/// Reads each file in the given format into the work's project.
pub(crate) fn import(w: &mut Work, format: Format, assume: &Assumptions) {
    let files: Vec<(String, Vec<u8>)> = w.files.to_vec();
    for (path, bytes) in &files {
        let Ok(text) = std::str::from_utf8(bytes) else {
            w.say(path, None, Diagnostic::error("", "I0-not-utf8", "This file is not UTF-8 text: the tool that reads it refuses it.", "此文件不是 UTF-8 文本：读取它的工具会拒绝它。"));
            continue;
        };
        let mut r = Reader { w, file: path };
        match format {
            Format::K3s => k3s::read(&mut r, text, assume),
            Format::Talos => talos::read(&mut r, text),
            Format::Docker => docker::read(&mut r, text, assume),
            Format::Containerd => {}
        }
    }
    for r in &mut w.project.registries {
        for e in &mut r.endpoints {
            drop_redundant_override(e);
        }
    }
    last_host_as_server(w, format);
}

/// A registry that does not fall back (Talos's `skipFallback`, k3s without its default endpoint) ends with its
/// last endpoint as containerd's `server`: written as the project's `server` where that endpoint has nothing
/// `server` cannot carry (TLS settings, a verbatim path), the plain `server = "…"` line Talos writes; else it
/// stays the last endpoint of a registry without fallback — for Talos one of the registry kind, whose capabilities
/// are containerd's default (pull, resolve, push; referrers, default too from 2.2, the project cannot write for a
/// host), as Talos writes its `server` without any.
fn last_host_as_server(w: &mut Work, format: Format) {
    for i in 0..w.project.registries.len() {
        let r = &mut w.project.registries[i];
        let plain = |e: &crate::model::Endpoint| e.tls.is_empty() && !e.override_path && e.headers.is_empty();
        if r.fallback_to_upstream || r.server.is_some() {
            continue;
        }
        if !r.endpoints.last().is_some_and(plain) {
            if let Some(last) = r.endpoints.last_mut().filter(|e| format == Format::Talos && e.capabilities.is_empty()) {
                last.kind = crate::model::EndpointKind::PrivateRegistry;
            }
            continue;
        }
        let j = r.endpoints.len() - 1;
        let Some(last) = r.endpoints.pop() else { continue };
        r.server = Some(last.url);
        r.fallback_to_upstream = true;
        let from = format!("registries[{i}].endpoints[{j}]");
        if let Some((_, file, at)) = w.origins.entries.iter().find(|(p, _, _)| *p == from).cloned() {
            w.origins.add(format!("registries[{i}].server"), &file, at);
        }
    }
}

/// An endpoint whose path ends in `/v2` has that API root with or without `override_path` (containerd appends
/// `/v2` only to a path without it): written without both, as containerd's own form of it. Talos's machine config
/// has one `overridePath` per mirror, so every endpoint of such a mirror comes with its full API root.
fn drop_redundant_override(e: &mut crate::model::Endpoint) {
    let Ok(u) = crate::net::parse_url(&e.url) else { return };
    let cleaned = crate::net::clean_path(&u.path);
    if e.override_path && cleaned.ends_with("/v2") {
        let root = &cleaned[..cleaned.len() - 3];
        e.url = format!("{}://{}{root}", u.scheme, u.host_port);
        e.override_path = false;
    }
}

/// What a format's reader writes with: the project, the report and the origins, all for one file.
pub(crate) struct Reader<'w, 'a> {
    pub w: &'w mut Work<'a>,
    pub file: &'w str,
}

impl Reader<'_, '_> {
    pub fn say(&mut self, at: LineCol, d: Diagnostic) {
        let file = self.file.to_string();
        self.w.say(&file, at, d);
    }
    pub fn origin(&mut self, path: impl Into<String>, at: LineCol) {
        let file = self.file.to_string();
        self.w.origins.add(path, &file, at);
    }
    pub fn syntax(&mut self, language: &str, e: &tree::SyntaxError) {
        let m = &e.message;
        self.say(
            e.at,
            Diagnostic::error("", "I30-syntax", format!("This file is not valid {language}: {m}. Nothing of it is imported."), format!("此文件不是有效的 {language}：{m}。未导入任何内容。")),
        );
    }
    /// Reports the keys of `node` that `format` does not have there (the tools ignore them: a typo is silent).
    pub fn unknown_keys(&mut self, node: &Node, known: &[&str], format: &str) {
        for (k, at, _) in node.entries() {
            if !known.contains(&k.as_str()) {
                self.say(
                    *at,
                    Diagnostic::warning("", "I32-unknown-field", format!("{format} has no field {k} here: it is ignored, so is its value (a typo?)."), format!("{format} 在此处没有字段 {k}：它及其值都会被忽略（拼写错误？）。")),
                );
            }
        }
    }
    /// Reports a value of the wrong kind, which the reader then ignores.
    pub fn wrong_type(&mut self, node: &Node, key: &str, en: &str, zh: &str) {
        self.say(
            node.at,
            Diagnostic::error("", "I33-wrong-type", format!("{key} must be {en}: this value is ignored."), format!("{key} 必须是{zh}：此值已忽略。")),
        );
    }
    /// A mapping, or `None` after reporting (null and absent are empty).
    pub fn map<'n>(&mut self, node: Option<&'n Node>, key: &str) -> Option<&'n Node> {
        let n = node?;
        match &n.value {
            Value::Map(_) => Some(n),
            Value::Null => None,
            _ => {
                self.wrong_type(n, key, "a mapping", "映射（mapping）");
                None
            }
        }
    }
    /// A string value, or `None` after reporting.
    pub fn string(&mut self, node: Option<&Node>, key: &str) -> Option<String> {
        let n = node?;
        match &n.value {
            Value::Str(s) => Some(s.clone()),
            Value::Null => None,
            Value::Num(_) | Value::Bool(_) => n.text(),
            _ => {
                self.wrong_type(n, key, "a string", "字符串");
                None
            }
        }
    }
    pub fn boolean(&mut self, node: Option<&Node>, key: &str) -> Option<bool> {
        let n = node?;
        match &n.value {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            _ => {
                self.wrong_type(n, key, "true or false", "true 或 false");
                None
            }
        }
    }
    /// The strings of a list (each with its position); other items are reported.
    pub fn strings(&mut self, node: Option<&Node>, key: &str) -> Vec<(String, LineCol)> {
        let Some(n) = node else { return Vec::new() };
        match &n.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| match i.text() {
                    Some(s) if matches!(i.value, Value::Str(_)) => Some((s, i.at)),
                    _ => {
                        self.wrong_type(i, key, "a list of strings", "字符串列表");
                        None
                    }
                })
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                self.wrong_type(n, key, "a list", "列表");
                Vec::new()
            }
        }
    }

    /// The project's registry for `upstream`, added (at `at`) when there is none yet; its index.
    pub fn registry(&mut self, upstream: &str, at: LineCol) -> usize {
        if let Some(i) = self.w.project.registries.iter().position(|r| r.upstream == upstream) {
            return i;
        }
        let i = self.w.project.registries.len();
        self.w.project.registries.push(Registry { upstream: upstream.to_string(), ..Default::default() });
        self.origin(format!("registries[{i}]"), at);
        i
    }

    /// Adds a credential for the host containerd contacts, unless one is there already (the first counts, as
    /// containerd keys credentials by host).
    pub fn credential(&mut self, host: &str, method: AuthMethod, at: LineCol, format: &str) {
        if self.w.project.auth.iter().any(|c| c.host == host) {
            self.say(
                at,
                Diagnostic::warning("", "I34-credential-twice", format!("{format} gives {host} a second credential: containerd keys credentials by host, the first one is kept."), format!("{format} 为 {host} 给出了第二份凭据：containerd 按主机记录凭据，保留第一份。")),
            );
            return;
        }
        let i = self.w.project.auth.len();
        self.w.project.auth.push(Credential { host: host.to_string(), method });
        self.origin(format!("auth[{i}]"), at);
    }
}

/// A credential from the fields every format shares (`username`/`password`, `auth`, an identity token); where
/// several are given, the one containerd's CRI uses first (`identitytoken`, then `auth`, then username and
/// password: `ParseAuth` in containerd's CRI) and a warning.
pub(crate) fn auth_method(
    r: &mut Reader,
    node: &Node,
    token_key: &str,
    format: &str,
) -> Option<AuthMethod> {
    let username = r.string(node.field("username"), "username").filter(|s| !s.is_empty());
    let password = r.string(node.field("password"), "password");
    let auth = r.string(node.field("auth"), "auth").filter(|s| !s.is_empty());
    let token = r.string(node.field(token_key), token_key).filter(|s| !s.is_empty());
    let given = [username.is_some() || password.is_some(), auth.is_some(), token.is_some()].iter().filter(|b| **b).count();
    let method = if let Some(t) = token {
        Some(AuthMethod::IdentityToken { token: Secret::Literal(t) })
    } else if let Some(a) = auth {
        Some(AuthMethod::Auth { auth: Secret::Literal(a) })
    } else if username.is_some() || password.is_some() {
        Some(AuthMethod::Basic { username: username.unwrap_or_default(), password: Secret::Literal(password.unwrap_or_default()), encode_as_auth: false })
    } else {
        None
    };
    if given > 1 {
        r.say(
            node.at,
            Diagnostic::warning("", "I35-credential-kinds", format!("{format} gives more than one kind of credential here: containerd uses the identity token first, then auth, then username and password; only that one is kept."), format!("{format} 在此处给出了多种凭据：containerd 先用 identity token，其次 auth，再次用户名和密码；只保留所用的那一种。")),
        );
    }
    method
}
