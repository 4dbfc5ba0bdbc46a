//! One `hosts.toml` read as containerd reads it (`core/remotes/docker/config/hosts.go`, spec §2.2–§2.8), for
//! every release line of a target: the importer takes the hosts over from it, the linter reports what it says.
//! Parsed with toml_edit (spans for every position); nothing here is parsed by hand.

use toml_edit::{Item, TableLike, Value};

use crate::diagnostics::{Diagnostic, Severity};
use crate::merge::{line_col, LineCol};
use crate::model::{Capability, Target};
use crate::render::config_toml::hide_userinfo;
use crate::version::Feature;

/// A `[host."…"]` table or the root entry (the `server`), as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// The table's key (a URL, maybe without scheme); for the root entry the `server` value, or empty.
    pub url: String,
    pub at: LineCol,
    /// `None`: not written (containerd: every capability).
    pub capabilities: Option<Vec<Capability>>,
    pub capabilities_at: LineCol,
    /// CA paths as written, each with its position.
    pub ca: Vec<(String, LineCol)>,
    /// Client certificates as written: (cert, key) with an empty key for a combined file.
    pub client: Vec<(String, String)>,
    pub client_at: LineCol,
    pub skip_verify: Option<bool>,
    pub skip_verify_at: LineCol,
    pub override_path: bool,
    pub headers: Vec<(String, Vec<String>)>,
    pub header_at: LineCol,
    pub dial_timeout: Option<String>,
    pub dial_timeout_at: LineCol,
}

impl Entry {
    /// Whether the entry sets anything besides its URL (then a root entry is more than "the upstream").
    pub fn has_settings(&self) -> bool {
        self.capabilities.is_some()
            || !self.ca.is_empty()
            || !self.client.is_empty()
            || self.skip_verify.is_some()
            || self.override_path
            || !self.headers.is_empty()
            || self.dial_timeout.is_some()
    }
}

/// What containerd makes of the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostsFile {
    /// The root entry: `server` (its URL, or empty) and the root-level settings, tried last.
    pub root: Entry,
    /// `[host."…"]` entries in try order: containerd 2.x's (table headers only, a host twice when a subtable of it
    /// follows another host's table) when the target has a 2.x release, else 1.x's (every host once, by position).
    pub hosts: Vec<Entry>,
}

/// The reading, and whether every release of the target ignores the file (then containerd falls back to the
/// docker-style certificate files of the directory).
pub struct Read {
    pub file: Option<HostsFile>,
    pub ignored_everywhere: bool,
    /// Problems with the file, each at its place (path `""`).
    pub findings: Vec<(LineCol, Diagnostic)>,
}

struct Ctx<'a> {
    text: &'a str,
    target: &'a Target,
    findings: Vec<(LineCol, Diagnostic)>,
    /// Set by a problem that makes every release reject the file.
    rejected: bool,
}

const IGNORED: &str = "containerd then ignores the whole file and falls back to the docker-style certificate files (*.crt, *.cert/*.key) of this directory, i.e. to the plain upstream";
const IGNORED_ZH: &str = "containerd 随后会忽略整个文件，改用该目录中 docker 式的证书文件（*.crt、*.cert/*.key），即直接访问上游";

impl Ctx<'_> {
    fn at(&self, span: Option<std::ops::Range<usize>>) -> LineCol {
        span.map(|s| line_col(self.text, s.start))
    }
    fn push(&mut self, at: LineCol, severity: Severity, code: &'static str, en: String, zh: String) {
        self.findings.push((at, Diagnostic::new(severity, "", code, crate::Message::new(en, zh))));
    }
    /// A problem that makes containerd reject the file on every release.
    fn reject(&mut self, at: LineCol, code: &'static str, en: String, zh: String) {
        self.rejected = true;
        self.push(at, Severity::Error, code, format!("{en}: {IGNORED}."), format!("{zh}：{IGNORED_ZH}。"));
    }
}

/// The releases of the target that lack `f`, for messages ("1.6.x and 1.7.0–1.7.31").
fn lacking(f: Feature) -> (&'static str, &'static str) {
    match f {
        Feature::RootOnlyHostsToml => ("on every 1.6.x and 1.7.0–1.7.31", "在所有 1.6.x 及 1.7.0–1.7.31 上，"),
        Feature::ReferrersCapability => ("before 2.2.0", "在 2.2.0 之前的版本上，"),
        _ => ("on older releases", "在较旧的版本上，"),
    }
}

/// Reads `text`, a non-empty hosts.toml, for the releases of `target`.
pub fn read(text: &str, target: &Target) -> Read {
    let mut cx = Ctx { text, target, findings: Vec::new(), rejected: false };
    let doc = match toml_edit::Document::parse(text.to_string()) {
        Ok(d) => d,
        Err(e) => {
            let at = cx.at(e.span());
            let msg = crate::diagnostics::one_line(e.message().trim());
            let duplicate = msg.contains("duplicate key");
            if duplicate {
                cx.reject(
                    at,
                    "I2-hosts-duplicate-table",
                    format!("the same table is written twice ({msg}), a TOML error (containerd 2.x: \"toml: table … already exists\")"),
                    format!("同一个表写了两次（{msg}），这是 TOML 错误（containerd 2.x：\"toml: table … already exists\"）"),
                );
            } else {
                cx.reject(at, "I1-hosts-not-toml", format!("this is not valid TOML ({msg})"), format!("这不是合法的 TOML（{msg}）"));
            }
            return Read { file: None, ignored_everywhere: true, findings: cx.findings };
        }
    };
    let root_table = doc.as_table();
    let mut file = HostsFile::default();
    let mut root = entry(&mut cx, root_table, true);
    root.at = Some((1, 1));
    if let Some((k, v)) = root_table.get_key_value("server") {
        let at = cx.at(k.span());
        match v.as_str() {
            Some(s) => {
                root.url = s.to_string();
                root.at = at;
            }
            None => cx.reject(at, "I6-hosts-type", "`server` must be a string".into(), "`server` 必须是字符串".into()),
        }
    }
    file.root = root;

    let host_item = root_table.iter().find(|(k, _)| k.eq_ignore_ascii_case("host")).map(|(k, v)| (k.to_string(), v));
    match &host_item {
        None => {
            if !target.all_support(Feature::RootOnlyHostsToml) {
                let (en, zh) = lacking(Feature::RootOnlyHostsToml);
                if !target.any_support(Feature::RootOnlyHostsToml) {
                    cx.rejected = true;
                }
                cx.push(
                    None,
                    Severity::Error,
                    "I7-hosts-no-host-table",
                    format!("this hosts.toml has no [host] table: {en} containerd fails with \"invalid `host` tree\" and ignores the whole file (server and root-level ca, client, skip_verify included), falling back to the plain upstream (fixed in 1.7.32 and 2.0.0; an empty [host] table at the end works everywhere)."),
                    format!("此 hosts.toml 没有 [host] 表：{zh}containerd 会报 \"invalid `host` tree\" 并忽略整个文件（包括 server 及根级的 ca、client、skip_verify），退回直接访问上游（1.7.32 和 2.0.0 已修复；在文件末尾加一个空的 [host] 表在所有版本上都可行）。"),
                );
            }
        }
        Some((key, item)) => hosts(&mut cx, &doc, key, item, &mut file),
    }
    let ignored_everywhere = cx.rejected;
    Read { file: (!ignored_everywhere).then_some(file), ignored_everywhere, findings: cx.findings }
}

/// The `[host."…"]` entries in containerd's try order, with what each release does with them.
fn hosts(cx: &mut Ctx, doc: &toml_edit::Document<String>, key: &str, item: &Item, file: &mut HostsFile) {
    let Some(table) = item.as_table_like() else {
        let at = cx.at(doc.as_table().key(key).and_then(|k| k.span()));
        cx.reject(at, "I6-hosts-type", "`host` must be a table of [host.\"…\"] tables".into(), "`host` 必须是由 [host.\"…\"] 表组成的表".into());
        return;
    };
    // Every entry as a table, with the position of its first appearance (1.x sorts by it).
    let mut entries: Vec<(String, usize, Entry, bool)> = Vec::new();
    for (name, v) in table.iter() {
        let key_span = table.key(name).and_then(|k| k.span());
        // Messages go to terminals and logs: no credentials from a URL in them.
        let shown = hide_userinfo(name);
        let Some(t) = v.as_table_like() else {
            let at = cx.at(key_span);
            cx.reject(at, "I6-hosts-type", format!("host \"{shown}\" must be a table"), format!("host \"{shown}\" 必须是表"));
            continue;
        };
        let header = matches!(v, Item::Table(t) if !t.is_dotted());
        let span = match v {
            Item::Table(t) if !t.is_dotted() && !t.is_implicit() => t.span().or(key_span),
            _ => key_span,
        };
        let pos = span.clone().map(|s| s.start).unwrap_or(usize::MAX);
        let mut e = entry(cx, t, false);
        e.url = name.to_string();
        e.at = cx.at(span.clone());
        if !header && cx.target.includes_2x() {
            cx.push(
                e.at,
                Severity::Warning,
                "I8-host-not-a-table-header",
                format!("host \"{shown}\" is written as a dotted key or an inline table: containerd 2.x takes hosts from [host.\"…\"] table headers only and drops it silently (1.x reads it). Write it as [host.\"{shown}\"]."),
                format!("host \"{shown}\" 写成了点分键或内联表：containerd 2.x 只从 [host.\"…\"] 表头读取主机，会悄悄丢弃它（1.x 会读取）。请写成 [host.\"{shown}\"]。"),
            );
        }
        entries.push((name.to_string(), pos, e, header));
    }
    if cx.target.includes_2x() && key != "host" {
        let at = cx.at(doc.as_table().key(key).and_then(|k| k.span()));
        cx.push(at, Severity::Warning, "I8-host-not-a-table-header", format!("`{key}` is read as `host` by the decoder, but containerd 2.x orders hosts by table headers spelled exactly `host.…`: it tries none of them. Write `host` in lower case."), format!("解码器会把 `{key}` 当作 `host` 读取，但 containerd 2.x 只按严格写作 `host.…` 的表头排列主机：一个也不会尝试。请写成小写的 `host`。"));
    }
    if cx.target.includes_2x() {
        // containerd 2.x's getSortedHosts: table headers in file order; a header `host.X…` starts host X unless
        // the previous header was already X's.
        let mut headers: Vec<(isize, Vec<String>, LineCol)> = Vec::new();
        collect_headers(cx, doc.as_table(), &mut Vec::new(), &mut headers);
        headers.sort_by_key(|h| h.0);
        let mut last: Option<String> = None;
        let mut seen: Vec<String> = Vec::new();
        for (_, parts, at) in headers {
            if parts.len() < 2 || parts[0] != "host" || last.as_deref() == Some(parts[1].as_str()) {
                continue;
            }
            let name = parts[1].clone();
            if seen.contains(&name) {
                let name = hide_userinfo(&name);
                cx.push(
                    at,
                    Severity::Warning,
                    "I9-host-tried-twice",
                    format!("this table of host \"{name}\" comes after another host's table: containerd 2.x starts a new entry at every change of host, so it tries \"{name}\" twice (1.x once). Keep each host's subtables (header) right below its [host.\"{name}\"]."),
                    format!("主机 \"{name}\" 的这个表位于另一个主机的表之后：containerd 2.x 每遇到主机变化就新开一项，因此会尝试 \"{name}\" 两次（1.x 只一次）。请把每个主机的子表（header）紧跟在其 [host.\"{name}\"] 之下。"),
                );
            }
            seen.push(name.clone());
            if let Some((_, _, e, _)) = entries.iter().find(|(n, _, _, _)| *n == name) {
                file.hosts.push(e.clone());
            }
            last = Some(name);
        }
    } else {
        entries.sort_by_key(|e| e.1);
        file.hosts = entries.into_iter().map(|(_, _, e, _)| e).collect();
    }
}

/// Every `[table]` header of the document with its key path and position.
fn collect_headers(cx: &Ctx, t: &dyn TableLike, path: &mut Vec<String>, out: &mut Vec<(isize, Vec<String>, LineCol)>) {
    for (k, v) in t.iter() {
        if let Item::Table(sub) = v {
            path.push(k.to_string());
            if !sub.is_implicit() && !sub.is_dotted() {
                if let Some(pos) = sub.position() {
                    out.push((pos, path.clone(), cx.at(sub.span())));
                }
            }
            collect_headers(cx, sub, path, out);
            path.pop();
        }
    }
}

/// Keys containerd reads in an entry (go-toml matches them case-insensitively).
const FIELDS: [&str; 7] = ["capabilities", "ca", "client", "skip_verify", "header", "override_path", "dial_timeout"];

/// What a key that containerd ignores probably meant.
fn hint(key: &str) -> Option<(&'static str, &'static str)> {
    let k = key.to_ascii_lowercase();
    Some(match k.as_str() {
        "skip-verify" | "skipverify" | "insecure_skip_verify" | "insecure" | "insecure-skip-verify" => ("skip_verify", "skip_verify"),
        "overridepath" | "override-path" => ("override_path", "override_path"),
        "capability" | "caps" => ("capabilities", "capabilities"),
        "headers" => ("header", "header"),
        "dial-timeout" | "dialtimeout" | "timeout" => ("dial_timeout", "dial_timeout"),
        "ca_file" | "cacert" | "ca-file" | "cafile" => ("ca", "ca"),
        "cert_file" | "key_file" | "cert" | "key" => ("client", "client"),
        _ => return None,
    })
}

fn is_credential_key(key: &str) -> bool {
    matches!(key.to_ascii_lowercase().as_str(), "username" | "password" | "auth" | "token" | "identitytoken" | "registrytoken")
}

fn entry(cx: &mut Ctx, t: &dyn TableLike, root: bool) -> Entry {
    let mut e = Entry::default();
    for (k, v) in t.iter() {
        let at = cx.at(t.key(k).and_then(|key| key.span()));
        let lower = k.to_ascii_lowercase();
        if root && (lower == "server" || lower == "host") {
            continue;
        }
        if !FIELDS.contains(&lower.as_str()) {
            if is_credential_key(k) {
                cx.push(
                    at,
                    Severity::Warning,
                    "I4-hosts-credentials",
                    format!("`{k}` is ignored: containerd reads no credentials from hosts.toml. Put them in config.toml's registry configs.\"<host>\".auth (the project's credentials, keyed by the host contacted)."),
                    format!("`{k}` 会被忽略：containerd 不从 hosts.toml 读取凭据。请放到 config.toml 的 registry configs.\"<主机>\".auth 中（即本项目的凭据，按实际访问的主机填写）。"),
                );
            } else if let Some((en, zh)) = hint(k) {
                cx.push(at, Severity::Warning, "I3-hosts-unknown-key", format!("`{k}` is not a hosts.toml key; containerd ignores it silently. Did you mean `{en}`?"), format!("`{k}` 不是 hosts.toml 的键，containerd 会悄悄忽略它。是否想写 `{zh}`？"));
            } else {
                cx.push(at, Severity::Warning, "I3-hosts-unknown-key", format!("`{k}` is not a hosts.toml key; containerd ignores it silently."), format!("`{k}` 不是 hosts.toml 的键，containerd 会悄悄忽略它。"));
            }
            continue;
        }
        let value = v.as_value();
        match lower.as_str() {
            "capabilities" => {
                e.capabilities_at = at;
                match value.and_then(Value::as_array) {
                    Some(a) => {
                        let mut caps = Vec::new();
                        for c in a.iter() {
                            match c.as_str() {
                                Some(s) => caps.extend(capability(cx, s, at)),
                                None => cx.reject(at, "I6-hosts-type", "`capabilities` must be an array of strings".into(), "`capabilities` 必须是字符串数组".into()),
                            }
                        }
                        e.capabilities = (!caps.is_empty()).then_some(caps);
                    }
                    None => cx.reject(at, "I6-hosts-type", format!("`{k}` must be an array of strings (capabilities = [\"pull\", \"resolve\"])"), format!("`{k}` 必须是字符串数组（capabilities = [\"pull\", \"resolve\"]）")),
                }
            }
            "ca" => match value {
                Some(Value::String(s)) => e.ca.push((s.value().clone(), at)),
                Some(Value::Array(a)) if a.iter().all(|x| x.as_str().is_some()) => {
                    e.ca.extend(a.iter().filter_map(|x| x.as_str()).map(|s| (s.to_string(), at)))
                }
                _ => cx.reject(at, "I6-hosts-type", "`ca` must be a path or an array of paths (containerd: invalid type … for \"ca\")".into(), "`ca` 必须是路径或路径数组（containerd：invalid type … for \"ca\"）".into()),
            },
            "client" => {
                e.client_at = at;
                match value {
                    Some(Value::String(s)) => e.client.push((s.value().clone(), String::new())),
                    Some(Value::Array(a)) => {
                        for x in a.iter() {
                            match x {
                                Value::String(s) => e.client.push((s.value().clone(), String::new())),
                                Value::Array(pair) if pair.len() == 2 && pair.iter().all(|p| p.as_str().is_some()) => {
                                    let mut it = pair.iter().filter_map(|p| p.as_str());
                                    let (c, k) = (it.next().unwrap_or_default(), it.next().unwrap_or_default());
                                    e.client.push((c.to_string(), k.to_string()));
                                }
                                _ => cx.reject(at, "I6-hosts-type", "`client` must be a path, an array of paths or of [cert, key] pairs (containerd: invalid pair … for \"client\")".into(), "`client` 必须是路径、路径数组或 [cert, key] 对的数组（containerd：invalid pair … for \"client\"）".into()),
                            }
                        }
                    }
                    _ => cx.reject(at, "I6-hosts-type", "`client` must be a path, an array of paths or of [cert, key] pairs".into(), "`client` 必须是路径、路径数组或 [cert, key] 对的数组".into()),
                }
            }
            "skip_verify" => {
                e.skip_verify_at = at;
                match value.and_then(Value::as_bool) {
                    Some(b) => e.skip_verify = Some(b),
                    None => cx.reject(at, "I6-hosts-type", "`skip_verify` must be true or false (not a string)".into(), "`skip_verify` 必须是 true 或 false（不能是字符串）".into()),
                }
            }
            "override_path" => match value.and_then(Value::as_bool) {
                Some(b) => e.override_path = b,
                None => cx.reject(at, "I6-hosts-type", "`override_path` must be true or false".into(), "`override_path` 必须是 true 或 false".into()),
            },
            "dial_timeout" => {
                e.dial_timeout_at = at;
                match value.and_then(Value::as_str) {
                    // Where every release reads dial_timeout, a bad one rejects the file ("time: invalid
                    // duration"); where some ignore it, the project keeps it and validation (H11) says so.
                    Some(s) if !s.is_empty() && !crate::validate::is_go_duration(s) && cx.target.all_support(Feature::DialTimeout) => {
                        let shown = crate::diagnostics::one_line(s);
                        cx.reject(at, "I6-hosts-type", format!("dial_timeout \"{shown}\" is not a Go duration (containerd: time: invalid duration)"), format!("dial_timeout \"{shown}\" 不是 Go 时长（containerd：time: invalid duration）"));
                    }
                    Some(s) => e.dial_timeout = Some(s.to_string()),
                    None => cx.reject(at, "I6-hosts-type", "`dial_timeout` must be a Go duration string (\"3s\")".into(), "`dial_timeout` 必须是 Go 时长字符串（\"3s\"）".into()),
                }
            }
            "header" => {
                e.header_at = at;
                let Some(h) = v.as_table_like() else {
                    cx.reject(at, "I6-hosts-type", "`header` must be a table of name = \"value\" or [\"values\"]".into(), "`header` 必须是 name = \"value\" 或 [\"values\"] 形式的表".into());
                    continue;
                };
                for (name, hv) in h.iter() {
                    let hat = cx.at(h.key(name).and_then(|key| key.span()));
                    match hv.as_value() {
                        Some(Value::String(s)) => e.headers.push((name.to_string(), vec![s.value().clone()])),
                        Some(Value::Array(a)) if a.iter().all(|x| x.as_str().is_some()) => {
                            e.headers.push((name.to_string(), a.iter().filter_map(|x| x.as_str()).map(str::to_string).collect()))
                        }
                        _ => cx.reject(hat, "I6-hosts-type", format!("header \"{name}\" must be a string or an array of strings (containerd: invalid type … for header)"), format!("header \"{name}\" 必须是字符串或字符串数组（containerd：invalid type … for header）")),
                    }
                }
            }
            _ => {}
        }
    }
    e
}

/// A capability as containerd reads it (lower-cased); an unknown one makes it reject the file.
fn capability(cx: &mut Ctx, s: &str, at: LineCol) -> Option<Capability> {
    match s.to_ascii_lowercase().as_str() {
        "pull" => Some(Capability::Pull),
        "resolve" => Some(Capability::Resolve),
        "push" => Some(Capability::Push),
        "referrers" => {
            if !cx.target.all_support(Feature::ReferrersCapability) {
                let (en, zh) = lacking(Feature::ReferrersCapability);
                if !cx.target.any_support(Feature::ReferrersCapability) {
                    cx.rejected = true;
                }
                cx.push(at, Severity::Error, "I5-unknown-capability", format!("capability \"referrers\" exists from containerd 2.2.0 on: {en} containerd fails with \"unknown capability referrers\"; {IGNORED}."), format!("capability \"referrers\" 从 containerd 2.2.0 起才有：{zh}containerd 会报 \"unknown capability referrers\"；{IGNORED_ZH}。"));
            }
            Some(Capability::Referrers)
        }
        _ => {
            let shown = crate::diagnostics::one_line(s);
            cx.reject(at, "I5-unknown-capability", format!("\"{shown}\" is not a capability (pull, resolve, push, referrers): containerd fails with \"unknown capability {shown}\""), format!("\"{shown}\" 不是有效的能力（pull、resolve、push、referrers）：containerd 会报 \"unknown capability {shown}\""));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::ContainerdVersion;

    fn target(min: &str, max: &str) -> Target {
        Target { min: min.parse::<ContainerdVersion>().unwrap(), max: max.parse().unwrap() }
    }

    fn codes(r: &Read) -> Vec<&'static str> {
        r.findings.iter().map(|(_, d)| d.code).collect()
    }

    #[test]
    fn hosts_come_in_table_header_order_then_the_root_server() {
        let r = read("server = \"https://r.example.com\"\n[host.\"https://b\"]\ncapabilities = [\"pull\"]\n[host.\"https://a\"]\n", &target("2.0.0", "2.3.x"));
        let f = r.file.unwrap();
        assert_eq!(f.hosts.iter().map(|h| h.url.as_str()).collect::<Vec<_>>(), ["https://b", "https://a"]);
        assert_eq!(f.root.url, "https://r.example.com");
        assert_eq!(f.hosts[0].capabilities, Some(vec![Capability::Pull]));
        assert_eq!(f.hosts[0].at, Some((2, 1)));
    }

    #[test]
    fn a_header_table_after_another_host_makes_containerd_2_try_it_twice() {
        let text = "[host.\"https://a\"]\n[host.\"https://b\"]\n[host.\"https://a\".header]\nX-A = \"1\"\n";
        let r = read(text, &target("2.0.0", "2.3.x"));
        assert_eq!(codes(&r), ["I9-host-tried-twice"]);
        assert_eq!(r.findings[0].0, Some((3, 1)));
        let urls: Vec<String> = r.file.unwrap().hosts.into_iter().map(|h| h.url).collect();
        assert_eq!(urls, ["https://a", "https://b", "https://a"]);
        // 1.x reads the host tree: each host once.
        let r = read(text, &target("1.7.0", "1.7.x"));
        assert_eq!(r.file.unwrap().hosts.len(), 2);
    }

    #[test]
    fn dotted_and_inline_hosts_are_dropped_on_2x() {
        let r = read("[host]\n\"https://m\".capabilities = [\"pull\"]\n", &target("2.0.0", "2.3.x"));
        assert_eq!(codes(&r), ["I8-host-not-a-table-header"]);
        assert!(r.file.unwrap().hosts.is_empty());
    }

    #[test]
    fn unknown_capability_and_duplicate_table_make_containerd_ignore_the_file() {
        let r = read("[host.\"https://m\"]\ncapabilities = [\"fetch\"]\n", &target("1.7.0", "2.3.x"));
        assert!(r.ignored_everywhere);
        assert_eq!(codes(&r), ["I5-unknown-capability"]);
        let r = read("[host.\"https://m\"]\n[host.\"https://m\"]\n", &target("1.7.0", "2.3.x"));
        assert!(r.ignored_everywhere);
        assert_eq!(codes(&r), ["I2-hosts-duplicate-table"]);
        assert_eq!(r.findings[0].0.map(|p| p.0), Some(2));
    }

    #[test]
    fn root_only_file_is_rejected_by_old_1x_only() {
        let text = "server = \"https://r.example.com\"\nca = \"ca.crt\"\n";
        let r = read(text, &target("1.6.20", "2.3.x"));
        assert_eq!(codes(&r), ["I7-hosts-no-host-table"]);
        assert!(!r.ignored_everywhere, "2.x reads it");
        assert!(read(text, &target("1.6.0", "1.6.x")).ignored_everywhere);
        assert!(read(text, &target("1.7.32", "2.3.x")).findings.is_empty());
    }

    #[test]
    fn keys_containerd_ignores_are_named_with_what_was_meant() {
        let r = read("[host.\"https://m\"]\nskip-verify = true\noverridePath = true\nusername = \"u\"\nSkip_Verify = false\n", &target("2.0.0", "2.3.x"));
        assert_eq!(codes(&r), ["I3-hosts-unknown-key", "I3-hosts-unknown-key", "I4-hosts-credentials"]);
        assert!(r.findings[0].1.message.en.contains("`skip_verify`"));
        assert!(r.findings[1].1.message.en.contains("`override_path`"));
        // go-toml matches field names case-insensitively.
        assert_eq!(r.file.unwrap().hosts[0].skip_verify, Some(false));
    }

    #[test]
    fn referrers_is_unknown_before_2_2() {
        let text = "[host.\"https://m\"]\ncapabilities = [\"pull\", \"referrers\"]\n";
        assert!(read(text, &target("2.2.0", "2.3.x")).findings.is_empty());
        let r = read(text, &target("2.1.0", "2.3.x"));
        assert_eq!(codes(&r), ["I5-unknown-capability"]);
        assert!(!r.ignored_everywhere);
        assert!(read(text, &target("2.0.0", "2.1.x")).ignored_everywhere);
    }
}
