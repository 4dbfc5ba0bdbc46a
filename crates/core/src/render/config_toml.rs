//! The config.toml settings this tool manages, applied to a toml_edit document: an empty one for the fragment,
//! or the node's own file for a merge. Everything else in the document — runtimes, `SystemdCgroup`, comments,
//! formatting — is left exactly as it was.
//!
//! In the node's file every place a managed setting goes is checked first ([`Edits`]): a value where a table is
//! needed (`registry = 5`, `[[plugins]]`), a key of another type (`config_path = 5`) is an error at that line and
//! is left as it is; a value replaced or removed on purpose is reported with its line. Nothing changes silently.
//! Inline tables (`registry = { … }`) and dotted keys (`registry.config_path = …`) are written in their own form.

use crate::zh::zh;
use std::ops::Range;

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::diagnostics::Diagnostic;
use crate::merge::line_col;
use crate::model::{AuthMethod, OutputStyle, Project, CERTS_D};
use crate::plan::Plan;
use crate::secrets::{basic_auth, display_secret, is_secret_header};

/// Field path of every diagnostic about the node's file (the web app shows them at its config.toml box).
pub const EXISTING_PATH: &str = "existing_config";

/// Where the CRI image settings live for a config file of this version (spec §1.2, §1.10).
pub struct PluginPaths {
    pub images: [&'static str; 2],
}

impl PluginPaths {
    pub fn for_version(version: i64) -> PluginPaths {
        if version <= 1 {
            // Version 1 names plugins by their short ID (spec §1.1); the merge refuses such files, the importer
            // reads them.
            PluginPaths { images: ["plugins", "cri"] }
        } else if version >= 3 {
            PluginPaths { images: ["plugins", "io.containerd.cri.v1.images"] }
        } else {
            PluginPaths { images: ["plugins", "io.containerd.grpc.v1.cri"] }
        }
    }
    pub fn registry(&self) -> Vec<&'static str> {
        vec![self.images[0], self.images[1], "registry"]
    }
    /// The TOML header of the registry table, for messages.
    pub fn registry_header(&self) -> String {
        format!("[plugins.\"{}\".registry]", self.images[1])
    }
}

/// Where the daemon's debug and metrics listeners are configured for a config file of this version: top-level
/// `[debug]` / `[metrics]` up to version 3, the server plugins from version 4 on (containerd 2.3,
/// `cmd/containerd/server/config/config.go`, `serviceMigrate`).
pub struct ServerPaths {
    pub debug: Vec<&'static str>,
    pub metrics: Vec<&'static str>,
}

impl ServerPaths {
    pub fn for_version(version: i64) -> ServerPaths {
        if version >= 4 {
            ServerPaths {
                debug: vec!["plugins", "io.containerd.server.v1.debug"],
                metrics: vec!["plugins", "io.containerd.server.v1.metrics"],
            }
        } else {
            ServerPaths { debug: vec!["debug"], metrics: vec!["metrics"] }
        }
    }
}

/// Reads the table at `path` without creating anything.
pub fn get_table<'a>(root: &'a Table, path: &[&str]) -> Option<&'a dyn TableLike> {
    let mut cur: &dyn TableLike = root;
    for key in path {
        cur = cur.get(key)?.as_table_like()?;
    }
    Some(cur)
}

// ---------------------------------------------------------------------------------------------------------------
// Locations and kinds, for messages about the node's file
// ---------------------------------------------------------------------------------------------------------------

/// Byte range in the node's file of the item at `path` (its key, or its `[header]`), looked up in the document
/// as parsed from text (toml_edit keeps spans only there).
pub fn span_at(original: &Table, path: &[&str]) -> Option<Range<usize>> {
    let (last, parents) = path.split_last()?;
    let parent = get_table(original, parents)?;
    let (key, item) = parent.get_key_value(last)?;
    match item {
        Item::Table(t) if !t.is_dotted() && !t.is_implicit() => t.span().or_else(|| key.span()),
        Item::ArrayOfTables(a) => a.iter().next().and_then(|t| t.span()).or_else(|| key.span()),
        _ => key.span().or_else(|| item.span()),
    }
    .or_else(|| first_span_within(item))
}

/// An implicit table has no text of its own: point at the first thing written inside it.
fn first_span_within(item: &Item) -> Option<Range<usize>> {
    let t = item.as_table_like()?;
    t.iter().find_map(|(k, v)| t.key(k).and_then(|k| k.span()).or_else(|| v.span()).or_else(|| first_span_within(v)))
}

/// "line 12, column 5 of your config.toml" / "config.toml 第 12 行第 5 列", or without a position.
pub fn at_line(lc: Option<(usize, usize)>) -> (String, String) {
    match lc {
        Some((l, c)) => (format!("line {l}, column {c} of your config.toml"), zh!("config.toml 第 {l} 行第 {c} 列")),
        None => ("your config.toml".to_string(), "config.toml".to_string()),
    }
}

/// `plugins."io.containerd.grpc.v1.cri".registry`: a key path as TOML writes it.
pub fn dotted(path: &[&str]) -> String {
    path.iter()
        .map(|k| {
            if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                k.to_string()
            } else {
                Value::from(*k).to_string().trim().to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// What an item is, in both languages.
pub fn kind_of(item: &Item) -> (&'static str, &'static str) {
    match item {
        Item::None => ("nothing", zh!("空")),
        Item::Table(t) if t.is_dotted() => ("a table (dotted keys)", zh!("表（点分键）")),
        Item::Table(_) => ("a table", zh!("表")),
        Item::ArrayOfTables(_) => ("an array of tables ([[…]])", zh!("表数组（[[…]]）")),
        Item::Value(v) => value_kind(v),
    }
}

fn value_kind(v: &Value) -> (&'static str, &'static str) {
    match v {
        Value::String(_) => ("a string", zh!("字符串")),
        Value::Integer(_) => ("an integer", zh!("整数")),
        Value::Float(_) => ("a float", zh!("浮点数")),
        Value::Boolean(_) => ("a boolean", zh!("布尔值")),
        Value::Datetime(_) => ("a date-time", zh!("日期时间")),
        Value::Array(_) => ("an array", zh!("数组")),
        Value::InlineTable(_) => ("an inline table", zh!("内联表")),
    }
}

/// A value without its formatting: what containerd reads. Equal canonical forms are equal settings.
pub fn canonical(v: &Value) -> String {
    match v {
        Value::String(s) => Value::from(s.value().as_str()).to_string().trim().to_string(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => format!("{:?}", f.value()),
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => d.value().to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(canonical).collect::<Vec<_>>().join(", ")),
        Value::InlineTable(t) => {
            format!("{{{}}}", t.iter().map(|(k, v)| format!("{} = {}", dotted(&[k]), canonical(v))).collect::<Vec<_>>().join(", "))
        }
    }
}

fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

// ---------------------------------------------------------------------------------------------------------------
// Edits: writing into a document and saying what was met there
// ---------------------------------------------------------------------------------------------------------------

/// What writing the managed settings met in the document.
pub struct Edits<'a> {
    /// The node's file as parsed (with spans, for line numbers); `None` for a fresh document.
    original: Option<&'a toml_edit::Document<String>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Key paths of the node's file whose value was replaced or removed on purpose (each one reported, or
    /// reported by the caller). Everything else in the file must read back unchanged.
    pub touched: Vec<Vec<String>>,
    /// Places where the file holds something other than what must be written there: left as they are.
    blocked: Vec<Vec<String>>,
}

impl<'a> Edits<'a> {
    pub fn new(original: Option<&'a toml_edit::Document<String>>) -> Self {
        Edits { original, diagnostics: Vec::new(), touched: Vec::new(), blocked: Vec::new() }
    }

    /// 1-based line and column of the item at `path` in the node's file.
    pub fn line_of(&self, path: &[&str]) -> Option<(usize, usize)> {
        let o = self.original?;
        span_at(o.as_table(), path).map(|s| line_col(o.raw(), s.start))
    }

    fn touch(&mut self, path: &[&str]) {
        if self.original.is_some() {
            self.touched.push(path.iter().map(|s| s.to_string()).collect());
        }
    }

    fn is_blocked(&self, path: &[&str]) -> bool {
        self.blocked.iter().any(|b| b.len() <= path.len() && b.iter().zip(path).all(|(a, b)| a == b))
    }

    /// The file has `found` at `path` where `wanted` must be written: an error at that line; the item stays.
    fn conflict(&mut self, path: &[&str], found: &Item, wanted: (&str, &str)) {
        if self.is_blocked(path) {
            return;
        }
        self.blocked.push(path.iter().map(|s| s.to_string()).collect());
        let (at_en, at_zh) = at_line(self.line_of(path));
        let (found_en, found_zh) = kind_of(found);
        let key = dotted(path);
        self.diagnostics.push(Diagnostic::error(
            EXISTING_PATH,
            "M12-existing-conflict",
            format!("{at_en}: `{key}` is {found_en}, but the merge has to write {} there. It was left as it is (the merge never replaces a value of another kind): correct or remove that line, then merge again.", wanted.0),
            zh!("{at_zh}：`{key}` 是{found_zh}，但合并需要在此写入{}。该项已保持原样（合并不会替换不同类型的值）：请修改或删除该行后重新合并。", wanted.1),
        ));
    }

    fn replaced(&mut self, path: &[&str], old: &Value, new: &Value) {
        self.touch(path);
        if self.original.is_none() {
            return;
        }
        let (at_en, at_zh) = at_line(self.line_of(path));
        let (key, old, new) = (dotted(path), shown_value(old), shown_value(new));
        self.diagnostics.push(Diagnostic::info(
            EXISTING_PATH,
            "M13-existing-value-replaced",
            format!("{at_en}: changed `{key}` from {old} to {new}."),
            zh!("{at_zh}：已将 `{key}` 由 {old} 改为 {new}。"),
        ));
    }
}

/// `s` as a message may quote it: credentials in a URL (`https://robot:PW@host`) or an image reference
/// (`robot:PW@registry/pause:3.9`) cut out, since messages are printed to terminals and logs.
pub fn hide_userinfo(s: &str) -> String {
    let span = if s.contains("://") { crate::net::userinfo_span(s) } else { crate::net::image_userinfo_span(s) };
    match span {
        Some(r) => format!("{}***@{}", &s[..r.start], &s[r.end..]),
        None => s.to_string(),
    }
}

/// A value as a message quotes it: canonical, with userinfo hidden in every string.
fn shown_value(v: &Value) -> String {
    fn scrub(v: &Value) -> Value {
        match v {
            Value::String(s) => Value::from(hide_userinfo(s.value())),
            Value::Array(a) => Value::Array(a.iter().map(scrub).collect()),
            Value::InlineTable(t) => {
                let mut out = InlineTable::new();
                for (k, x) in t.iter() {
                    out.insert(k, scrub(x));
                }
                Value::InlineTable(out)
            }
            other => other.clone(),
        }
    }
    short(&canonical(&scrub(v)))
}

fn short(s: &str) -> String {
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s.to_string()
    }
}

/// "a table", in both languages (a function: the page looks the Chinese word up).
fn table() -> (&'static str, &'static str) {
    ("a table", zh!("表"))
}

/// Gets or creates the table at `path` (new tables are implicit: no header of their own unless they get keys;
/// inside an inline table they are inline too). `None` when something other than a table is in the way.
fn ensure<'t>(root: &'t mut Table, path: &[&str], ed: &mut Edits) -> Option<&'t mut dyn TableLike> {
    if ed.is_blocked(path) {
        return None;
    }
    let mut cur: &mut dyn TableLike = root;
    let mut inline = false;
    for i in 0..path.len() {
        let key = path[i];
        let state = match cur.get(key) {
            None => 0,
            Some(Item::Table(_)) | Some(Item::Value(Value::InlineTable(_))) => 1,
            Some(_) => 2,
        };
        match state {
            0 => {
                let new = if inline {
                    Item::Value(Value::InlineTable(InlineTable::new()))
                } else {
                    let mut t = Table::new();
                    t.set_implicit(true);
                    Item::Table(t)
                };
                cur.insert(key, new);
            }
            2 => {
                let found = cur.get(key).expect("present");
                ed.conflict(&path[..=i], found, table());
                return None;
            }
            _ => {}
        }
        let item = cur.get_mut(key).expect("present");
        inline = matches!(item, Item::Value(_));
        cur = item.as_table_like_mut().expect("a table");
    }
    Some(cur)
}

/// Sets `key` in the table `t` at `at`. A value of the same type is replaced in place (its comment and
/// spacing kept) and reported if it differs; anything else there is a conflict and stays.
fn set_in(t: &mut dyn TableLike, at: &[&str], key: &str, new: Value, ed: &mut Edits) {
    let path: Vec<&str> = at.iter().copied().chain([key]).collect();
    match t.get_mut(key) {
        None => {
            t.insert(key, Item::Value(new));
        }
        Some(Item::Value(old)) if same_type(old, &new) => {
            if canonical(old) != canonical(&new) {
                ed.replaced(&path, old, &new);
                let decor = old.decor().clone();
                let mut new = new;
                *new.decor_mut() = decor;
                *old = new;
            }
        }
        Some(other) => {
            let wanted = value_kind(&new);
            let other = other.clone();
            ed.conflict(&path, &other, wanted);
        }
    }
}

fn set_at(root: &mut Table, at: &[&str], key: &str, new: impl Into<Value>, ed: &mut Edits) {
    if let Some(t) = ensure(root, at, ed) {
        set_in(t, at, key, new.into(), ed);
    }
}

fn strings(items: impl IntoIterator<Item = String>) -> Value {
    let mut a = Array::new();
    for s in items {
        a.push(s);
    }
    Value::Array(a)
}

/// Whether the project puts credentials into config.toml (then the file must be mode 0600).
pub fn writes_credentials(p: &Project) -> bool {
    !p.auth.is_empty()
}

/// Keys that hold a credential wherever they appear in a config.toml (`configs.*.auth`, the deprecated `auths`,
/// plugins of any version).
const CREDENTIAL_KEYS: &[&str] = &["password", "auth", "identitytoken", "registrytoken"];

/// Whether the document holds credentials anywhere: a non-empty `password` / `auth` / `identitytoken` /
/// `registrytoken` string, or a secret header (`Authorization`, …) under a `headers` table. The mode of the file
/// written follows its content, not only the project: a node's own file may hold credentials the project does
/// not set.
pub fn holds_credentials(root: &Table) -> bool {
    fn table(t: &dyn TableLike, headers: bool) -> bool {
        t.iter().any(|(k, v)| item(k, v, headers))
    }
    fn value(key: &str, v: &Value, headers: bool) -> bool {
        let non_empty = |v: &Value| match v {
            Value::String(s) => !s.value().trim().is_empty(),
            Value::Array(a) => a.iter().any(|x| x.as_str().is_some_and(|s| !s.trim().is_empty())),
            _ => false,
        };
        match v {
            Value::InlineTable(t) => table(t, key == "headers"),
            _ if headers && is_secret_header(key) => non_empty(v),
            Value::String(_) => CREDENTIAL_KEYS.contains(&key.to_ascii_lowercase().as_str()) && non_empty(v),
            Value::Array(a) => a.iter().any(|x| value(key, x, headers)),
            _ => false,
        }
    }
    fn item(key: &str, it: &Item, headers: bool) -> bool {
        match it {
            Item::Table(t) => table(t, key == "headers"),
            Item::ArrayOfTables(a) => a.iter().any(|t| table(t, false)),
            Item::Value(v) => value(key, v, headers),
            Item::None => false,
        }
    }
    table(root, false)
}

// ---------------------------------------------------------------------------------------------------------------
// Legacy entries in the node's file that the hosts-dir style moves out
// ---------------------------------------------------------------------------------------------------------------

/// Something in a legacy entry the migration cannot carry over: the entry stays where it is.
pub struct LegacyProblem {
    /// Key path of the offending item.
    pub path: Vec<String>,
    pub found: (&'static str, &'static str),
    pub wanted: (&'static str, &'static str),
}

/// The endpoints of a legacy `mirrors."<ns>"` entry, if it is a table holding only `endpoint = [strings]`.
pub fn legacy_mirror_endpoints(entry: &Item, at: &[&str]) -> Result<Vec<String>, LegacyProblem> {
    let problem = |path: Vec<&str>, found, wanted| LegacyProblem { path: path.iter().map(|s| s.to_string()).collect(), found, wanted };
    let Some(t) = entry.as_table_like() else { return Err(problem(at.to_vec(), kind_of(entry), table())) };
    let mut out = Vec::new();
    for (k, v) in t.iter() {
        let path: Vec<&str> = at.iter().copied().chain([k]).collect();
        let list = ("an array of URL strings (endpoint = [\"https://…\"])", zh!("URL 字符串数组（endpoint = [\"https://…\"]）"));
        if k != "endpoint" {
            // containerd 1.x's mirror has no other field; an unknown key is not carried over silently.
            return Err(problem(path, kind_of(v), ("no other key than endpoint", zh!("除 endpoint 以外的键"))));
        }
        let Some(a) = v.as_array() else { return Err(problem(path, kind_of(v), list)) };
        for x in a.iter() {
            match x.as_str() {
                Some(s) => out.push(s.to_string()),
                None => return Err(problem(path, value_kind(x), list)),
            }
        }
    }
    Ok(out)
}

/// Checks a legacy `configs."<host>".tls` table: only `ca_file` / `cert_file` / `key_file` strings and an
/// `insecure_skip_verify` boolean (containerd 1.x's TLSConfig) can be carried over.
pub fn legacy_tls_check(tls: &Item, at: &[&str]) -> Result<(), LegacyProblem> {
    let problem = |path: Vec<&str>, found, wanted| LegacyProblem { path: path.iter().map(|s| s.to_string()).collect(), found, wanted };
    let Some(t) = tls.as_table_like() else { return Err(problem(at.to_vec(), kind_of(tls), table())) };
    for (k, v) in t.iter() {
        let path: Vec<&str> = at.iter().copied().chain([k]).collect();
        let ok = match k {
            "ca_file" | "cert_file" | "key_file" => v.as_str().is_some(),
            "insecure_skip_verify" => v.as_bool().is_some(),
            _ => return Err(problem(path, kind_of(v), ("only ca_file, cert_file, key_file, insecure_skip_verify", zh!("仅 ca_file、cert_file、key_file、insecure_skip_verify")))),
        };
        if !ok {
            let wanted = if k == "insecure_skip_verify" { ("a boolean", zh!("布尔值")) } else { ("a string", zh!("字符串")) };
            return Err(problem(path, kind_of(v), wanted));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// The managed settings
// ---------------------------------------------------------------------------------------------------------------

/// Applies every managed setting to a fresh document whose config version is `version`.
pub fn apply_managed(doc: &mut DocumentMut, p: &Project, plan: &Plan, version: i64) {
    apply_managed_with(doc, p, plan, version, &mut Edits::new(None));
}

/// Applies every managed setting to `doc`, whose config version is `version`, checking each place it writes.
pub fn apply_managed_with(doc: &mut DocumentMut, p: &Project, plan: &Plan, version: i64, ed: &mut Edits) {
    let paths = PluginPaths::for_version(version);
    let root = doc.as_table_mut();
    let d = &p.daemon;
    if let Some(v) = &d.root {
        set_at(root, &[], "root", v.trim(), ed);
    }
    if let Some(v) = &d.state {
        set_at(root, &[], "state", v.trim(), ed);
    }
    if let Some(v) = d.oom_score {
        set_at(root, &[], "oom_score", v, ed);
    }
    if !d.imports.is_empty() {
        add_imports(root, &d.imports, ed);
    }
    // Version 4 reads the debug and metrics listeners from server plugins only (containerd 2.3's
    // `serviceMigrate` moves them there for older files); `[debug] level` stays where it was.
    let server = ServerPaths::for_version(version);
    if let Some(dbg) = &d.debug {
        if let Some(a) = &dbg.address {
            set_at(root, &server.debug, "address", a.trim(), ed);
        }
        if let Some(l) = &dbg.level {
            set_at(root, &["debug"], "level", l.trim(), ed);
        }
    }
    if let Some(m) = &d.metrics_address {
        set_at(root, &server.metrics, "address", m.trim(), ed);
    }

    let images = paths.images;
    if let Some(img) = &p.sandbox_image {
        if version >= 3 {
            set_at(root, &[images[0], images[1], "pinned_images"], "sandbox", img.trim(), ed);
        } else {
            set_at(root, &images, "sandbox_image", img.trim(), ed);
        }
    }
    if let Some(s) = d.snapshotter {
        if version >= 3 {
            set_at(root, &images, "snapshotter", s.as_str(), ed);
        } else {
            set_at(root, &[images[0], images[1], "containerd"], "snapshotter", s.as_str(), ed);
        }
    }

    let reg = paths.registry();
    match plan.style {
        OutputStyle::HostsDir => {
            warn_config_path_list(root, &reg, ed);
            set_at(root, &reg, "config_path", CERTS_D, ed);
            if let Some(registry) = ensure(root, &reg, ed) {
                drop_legacy_entries(registry, &reg, ed);
            }
        }
        OutputStyle::Legacy => {
            if let Some(registry) = ensure(root, &reg, ed) {
                // The caller reports a non-empty config_path cleared here (spec C3).
                let cp = registry.get("config_path").cloned();
                let cp_path: Vec<&str> = reg.iter().copied().chain(["config_path"]).collect();
                match cp {
                    Some(Item::Value(Value::String(s))) => {
                        if p.target.touches((2, 2, 0), (2, 2, 1)) {
                            // 2.2.0/2.2.1 fill in a default config_path when it is empty *and absent*; an explicit
                            // empty value keeps `mirrors` legal there (spec C6).
                            if !s.value().is_empty() {
                                ed.touch(&cp_path);
                                set_in(registry, &reg, "config_path", "".into(), &mut Edits::new(None));
                            }
                        } else {
                            ed.touch(&cp_path);
                            registry.remove("config_path");
                        }
                    }
                    None if p.target.touches((2, 2, 0), (2, 2, 1)) => {
                        registry.insert("config_path", Item::Value("".into()));
                    }
                    None => {}
                    Some(other) => ed.conflict(&cp_path, &other, ("a string (or nothing)", zh!("字符串（或不设置）"))),
                }
            }
            for m in &plan.mirrors {
                let at: Vec<&str> = reg.iter().copied().chain(["mirrors", m.namespace.as_str()]).collect();
                set_at(root, &at, "endpoint", strings(m.endpoints.iter().cloned()), ed);
            }
            for tls in &plan.legacy_tls {
                let at: Vec<&str> = reg.iter().copied().chain(["configs", tls.host.as_str(), "tls"]).collect();
                if let Some(ca) = &tls.ca_file {
                    set_at(root, &at, "ca_file", ca.as_str(), ed);
                }
                if let Some(c) = &tls.cert_file {
                    set_at(root, &at, "cert_file", c.as_str(), ed);
                }
                if let Some(k) = &tls.key_file {
                    set_at(root, &at, "key_file", k.as_str(), ed);
                }
                if tls.insecure_skip_verify {
                    set_at(root, &at, "insecure_skip_verify", true, ed);
                }
            }
        }
    }

    for c in &p.auth {
        let mut auth: Vec<(&str, String)> = Vec::new();
        match &c.method {
            AuthMethod::Basic { username, password, encode_as_auth } => {
                if *encode_as_auth {
                    auth.push(("auth", basic_auth(username, &display_secret(password))));
                } else {
                    auth.push(("username", username.clone()));
                    auth.push(("password", display_secret(password)));
                }
            }
            AuthMethod::Auth { auth: a } => auth.push(("auth", display_secret(a).trim().to_string())),
            AuthMethod::IdentityToken { token } => auth.push(("identitytoken", display_secret(token))),
        }
        let at: Vec<&str> = reg.iter().copied().chain(["configs", c.host.trim()]).collect();
        set_auth(root, &at, &auth, ed);
    }
}

/// The node's `config_path` lists several directories (`a:b`, split with `filepath.SplitList`): on the
/// transfer-service pull path (CRI's default since 2.1) the whole string is one directory, so every hosts.toml is
/// ignored (`internal/cri/server/images/image_pull.go` passes it to `WithHostDir`, `core/transfer/registry` calls
/// `HostDirFromRoot` on it unsplit; containerd#12415 on 2.1.4, #12636 on 2.2.0, unchanged in 2.3.4). The merge
/// writes one directory; this says what the list broke and what to move.
pub(crate) fn warn_config_path_list(root: &Table, reg: &[&str], ed: &mut Edits) {
    let Some(list) = get_table(root, reg).and_then(|t| t.get("config_path")).and_then(|v| v.as_str()) else { return };
    let dirs: Vec<&str> = list.split(':').map(str::trim).filter(|d| !d.is_empty()).collect();
    if dirs.len() < 2 {
        return;
    }
    let path: Vec<&str> = reg.iter().copied().chain(["config_path"]).collect();
    let (at_en, at_zh) = at_line(ed.line_of(&path));
    let shown = short(&hide_userinfo(list));
    let others: Vec<&str> = dirs.iter().copied().filter(|d| d.trim_end_matches('/') != CERTS_D).collect();
    let others = if others.is_empty() { shown.clone() } else { others.join(", ") };
    ed.diagnostics.push(Diagnostic::warning(
        EXISTING_PATH,
        "M18-config-path-list",
        format!("{at_en}: config_path lists several directories ({shown}). containerd 2.1 and later pull through the transfer service by default, which does not split the list: it looks for \"{list}/<registry>/hosts.toml\", finds nothing and ignores every hosts.toml (containerd#12415, #12636; unchanged in 2.3.4). Only the local-pull path splits it, and there a _default in the first directory hides <registry>/ in the later ones. The merge writes the single directory {CERTS_D}: move the host directories you still need from {others} there.", list = shown),
        zh!("{at_zh}：config_path 列出了多个目录（{shown}）。containerd 2.1 及以上默认经由 transfer 服务拉取，它不会拆分该列表：会去找 \"{list}/<仓库>/hosts.toml\"，找不到，于是忽略所有 hosts.toml（containerd#12415、#12636；2.3.4 仍未修复）。只有本地拉取路径会拆分列表，而那里第一个目录中的 _default 会遮住后面目录中的 <仓库>/。合并将写入单一目录 {CERTS_D}：请把 {others} 中仍需要的主机目录移到那里。", list = shown),
    ));
}

/// Appends the project's imports to the file's list, in place (its layout and comments stay).
fn add_imports(root: &mut Table, imports: &[String], ed: &mut Edits) {
    let wanted: Vec<&str> = imports.iter().map(|i| i.trim()).collect();
    match root.get_mut("imports") {
        None => {
            let mut have: Vec<String> = Vec::new();
            for i in wanted {
                if !have.iter().any(|h| h == i) {
                    have.push(i.to_string());
                }
            }
            root.insert("imports", Item::Value(strings(have)));
        }
        Some(Item::Value(Value::Array(a))) if a.iter().all(|v| v.as_str().is_some()) => {
            let before = Value::Array(a.clone());
            for i in wanted {
                if !a.iter().any(|h| h.as_str() == Some(i)) {
                    push_keeping_layout(a, i);
                }
            }
            let after = Value::Array(a.clone());
            if canonical(&before) != canonical(&after) {
                ed.touch(&["imports"]);
                if ed.original.is_some() {
                    let (at_en, at_zh) = at_line(ed.line_of(&["imports"]));
                    let (old, new) = (shown_value(&before), shown_value(&after));
                    ed.diagnostics.push(Diagnostic::info(
                        EXISTING_PATH,
                        "M13-existing-value-replaced",
                        format!("{at_en}: added to `imports`: {old} is now {new}."),
                        zh!("{at_zh}：已向 `imports` 添加条目：{old} 现为 {new}。"),
                    ));
                }
            }
        }
        Some(other) => {
            let other = other.clone();
            ed.conflict(&["imports"], &other, ("an array of strings", zh!("字符串数组")));
        }
    }
}

/// Appends `v` to an array; in a list written one item per line, the new item gets a line of its own after
/// the last one (a comment after the last item stays on that item's line).
fn push_keeping_layout(a: &mut Array, v: &str) {
    let indent = a.iter().last().and_then(|x| x.decor().prefix()).and_then(|p| p.as_str()).and_then(|p| p.rsplit_once('\n')).map(|(_, i)| i.to_string());
    match indent {
        Some(indent) => {
            // What followed the last item (its comment, the newline before `]`) now follows it and its comma.
            let last = a.len() - 1;
            let item = a.get_mut(last).expect("non-empty");
            let suffix = item.decor().suffix().and_then(|s| s.as_str()).unwrap_or("").to_string();
            item.decor_mut().set_suffix("");
            let gap = format!("{suffix}{}", a.trailing().as_str().unwrap_or(""));
            let head = gap.rsplit_once('\n').map(|(h, _)| h.to_string()).unwrap_or_else(|| gap.trim_end().to_string());
            let mut new = Value::from(v);
            new.decor_mut().set_prefix(format!("{head}\n{indent}"));
            a.push_formatted(new);
            a.set_trailing("\n");
            a.set_trailing_comma(true);
        }
        None => a.push(v),
    }
}

/// Hosts-dir style: the legacy `mirrors` entries and `configs.*.tls` tables cannot stay next to `config_path`
/// (spec C3, C4; 2.x ignores the TLS). The caller has moved their content into hosts.toml files and reported
/// each one; entries it could not read ([`legacy_mirror_endpoints`], [`legacy_tls_check`]) stay where they are.
fn drop_legacy_entries(registry: &mut dyn TableLike, reg: &[&str], ed: &mut Edits) {
    let mirrors_path: Vec<&str> = reg.iter().copied().chain(["mirrors"]).collect();
    match registry.get_mut("mirrors") {
        None => {}
        Some(item) => match item.as_table_like_mut() {
            Some(mirrors) => {
                let names: Vec<String> = mirrors.iter().map(|(k, _)| k.to_string()).collect();
                for ns in &names {
                    let at: Vec<&str> = mirrors_path.iter().copied().chain([ns.as_str()]).collect();
                    let entry = mirrors.get(ns).expect("listed");
                    if legacy_mirror_endpoints(entry, &at).is_ok() {
                        mirrors.remove(ns);
                        ed.touch(&at);
                    }
                }
                if mirrors.is_empty() {
                    registry.remove("mirrors");
                    ed.touch(&mirrors_path);
                }
            }
            None => {
                let found = item.clone();
                ed.conflict(&mirrors_path, &found, ("a table of mirrors (or nothing)", zh!("mirrors 表（或不设置）")));
            }
        },
    }
    if let Some(configs) = registry.get_mut("configs").and_then(|c| c.as_table_like_mut()) {
        let hosts: Vec<String> = configs.iter().map(|(k, _)| k.to_string()).collect();
        for h in &hosts {
            if let Some(c) = configs.get_mut(h).and_then(|c| c.as_table_like_mut()) {
                let at: Vec<&str> = reg.iter().copied().chain(["configs", h.as_str(), "tls"]).collect();
                let Some(tls) = c.get("tls") else { continue };
                if legacy_tls_check(tls, &at).is_ok() {
                    c.remove("tls");
                    ed.touch(&at);
                }
            }
        }
    }
}

/// Writes the credentials of one host into `configs."<host>".auth`. An existing auth table is rewritten in
/// place (same form, same position) and reported; an equal one is left untouched.
fn set_auth(root: &mut Table, at: &[&str], entries: &[(&str, String)], ed: &mut Edits) {
    let Some(host) = ensure(root, at, ed) else { return };
    let path: Vec<&str> = at.iter().copied().chain(["auth"]).collect();
    match host.get_mut("auth") {
        None => {
            let mut t = Table::new();
            for (k, v) in entries {
                t.insert(k, Item::Value(v.as_str().into()));
            }
            // Inside an inline host table, TableLike::insert turns this into an inline table.
            host.insert("auth", Item::Table(t));
        }
        Some(item) => match item.as_table_like_mut() {
            Some(old) => {
                let same = old.len() == entries.len()
                    && entries.iter().all(|(k, v)| old.get(k).and_then(|x| x.as_str()) == Some(v.as_str()));
                if !same {
                    old.clear();
                    for (k, v) in entries {
                        old.insert(k, Item::Value(v.as_str().into()));
                    }
                    ed.touch(&path);
                    if ed.original.is_some() {
                        let (at_en, at_zh) = at_line(ed.line_of(&path));
                        let h = at.last().copied().unwrap_or_default();
                        ed.diagnostics.push(Diagnostic::info(
                            EXISTING_PATH,
                            "M14-existing-credentials-replaced",
                            format!("{at_en}: replaced the credentials for {h} with the ones configured here; the old ones are not in the merged file."),
                            zh!("{at_zh}：已用此处配置的凭据替换 {h} 的原有凭据；合并后的文件中不再包含旧凭据。"),
                        ));
                    }
                }
            }
            None => {
                let found = item.clone();
                ed.conflict(&path, &found, table());
            }
        },
    }
}
