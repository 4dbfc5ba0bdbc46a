//! The config.toml settings this tool manages, applied to a toml_edit document: an empty one for the fragment,
//! or the node's own file for a merge. Everything else in the document — runtimes, `SystemdCgroup`, comments,
//! formatting — is left exactly as it was.

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::model::{AuthMethod, OutputStyle, Project, CERTS_D};
use crate::plan::Plan;
use crate::secrets::{basic_auth, display_secret};

/// Where the CRI image settings live for a config file of this version (spec §1.2, §1.10).
pub struct PluginPaths {
    pub images: [&'static str; 2],
}

impl PluginPaths {
    pub fn for_version(version: i64) -> PluginPaths {
        if version >= 3 {
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

/// Gets or creates the table at `path`. Missing parents are implicit (not printed); an inline table found on
/// the way is turned into a standard table so that sub-tables can be added to it.
pub fn table_at<'a>(root: &'a mut Table, path: &[&str]) -> &'a mut Table {
    let mut t = root;
    for key in path {
        let needs_new = !matches!(t.get(key), Some(Item::Table(_)) | Some(Item::Value(Value::InlineTable(_))));
        if needs_new {
            let mut nt = Table::new();
            nt.set_implicit(true);
            t.insert(key, Item::Table(nt));
        }
        let item = t.get_mut(key).expect("just ensured");
        if let Item::Value(Value::InlineTable(_)) = item {
            let inline = match std::mem::take(item) {
                Item::Value(Value::InlineTable(i)) => i.into_table(),
                _ => Table::new(),
            };
            *item = Item::Table(inline);
        }
        t = item.as_table_mut().expect("a table");
    }
    t
}

/// Reads the table at `path` without creating anything.
pub fn get_table<'a>(root: &'a Table, path: &[&str]) -> Option<&'a dyn toml_edit::TableLike> {
    let mut cur: &dyn toml_edit::TableLike = root;
    for key in path {
        cur = cur.get(key)?.as_table_like()?;
    }
    Some(cur)
}

fn set(t: &mut Table, key: &str, v: impl Into<Value>) {
    match t.get_mut(key) {
        // Keep the comment and spacing around an existing value.
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            let mut new: Value = v.into();
            *new.decor_mut() = decor;
            *old = new;
        }
        _ => {
            t.insert(key, Item::Value(v.into()));
        }
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

/// Applies every managed setting to `doc`, whose config version is `version`.
pub fn apply_managed(doc: &mut DocumentMut, p: &Project, plan: &Plan, version: i64) {
    let paths = PluginPaths::for_version(version);
    let root = doc.as_table_mut();
    let d = &p.daemon;
    if let Some(v) = &d.root {
        set(root, "root", v.trim());
    }
    if let Some(v) = &d.state {
        set(root, "state", v.trim());
    }
    if let Some(v) = d.oom_score {
        set(root, "oom_score", v);
    }
    if !d.imports.is_empty() {
        let mut have: Vec<String> = root
            .get("imports")
            .and_then(|i| i.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        for i in &d.imports {
            if !have.iter().any(|h| h == i.trim()) {
                have.push(i.trim().to_string());
            }
        }
        set(root, "imports", strings(have));
    }
    if let Some(dbg) = &d.debug {
        if dbg.address.is_some() || dbg.level.is_some() {
            let t = table_at(root, &["debug"]);
            t.set_implicit(false);
            if let Some(a) = &dbg.address {
                set(t, "address", a.trim());
            }
            if let Some(l) = &dbg.level {
                set(t, "level", l.trim());
            }
        }
    }
    if let Some(m) = &d.metrics_address {
        let t = table_at(root, &["metrics"]);
        t.set_implicit(false);
        set(t, "address", m.trim());
    }

    let images = table_at(root, &paths.images);
    if let Some(img) = &p.sandbox_image {
        if version >= 3 {
            let t = table_at(images, &["pinned_images"]);
            t.set_implicit(false);
            set(t, "sandbox", img.trim());
        } else {
            images.set_implicit(false);
            set(images, "sandbox_image", img.trim());
        }
    }
    if let Some(s) = d.snapshotter {
        if version >= 3 {
            images.set_implicit(false);
            set(images, "snapshotter", s.as_str());
        } else {
            let t = table_at(images, &["containerd"]);
            t.set_implicit(false);
            set(t, "snapshotter", s.as_str());
        }
    }

    let registry = table_at(images, &["registry"]);
    match plan.style {
        OutputStyle::HostsDir => {
            registry.set_implicit(false);
            set(registry, "config_path", CERTS_D);
            // `mirrors` next to `config_path` stops the CRI plugin from loading (spec C3). The caller has moved
            // their content into hosts.toml files.
            registry.remove("mirrors");
            if let Some(configs) = registry.get_mut("configs").and_then(|c| c.as_table_like_mut()) {
                let hosts: Vec<String> = configs.iter().map(|(k, _)| k.to_string()).collect();
                for h in hosts {
                    if let Some(c) = configs.get_mut(&h).and_then(|c| c.as_table_like_mut()) {
                        c.remove("tls");
                    }
                }
            }
        }
        OutputStyle::Legacy => {
            if p.target.touches((2, 2, 0), (2, 2, 1)) {
                // 2.2.0/2.2.1 fill in a default config_path when it is empty *and absent*; an explicit empty value
                // keeps `mirrors` legal there (spec C6).
                registry.set_implicit(false);
                set(registry, "config_path", "");
            } else {
                registry.remove("config_path");
            }
            let mirrors = table_at(registry, &["mirrors"]);
            for m in &plan.mirrors {
                let t = table_at(mirrors, &[m.namespace.as_str()]);
                t.set_implicit(false);
                set(t, "endpoint", strings(m.endpoints.iter().cloned()));
            }
            for tls in &plan.legacy_tls {
                let t = table_at(registry, &["configs", tls.host.as_str(), "tls"]);
                t.set_implicit(false);
                if let Some(ca) = &tls.ca_file {
                    set(t, "ca_file", ca.as_str());
                }
                if let Some(c) = &tls.cert_file {
                    set(t, "cert_file", c.as_str());
                }
                if let Some(k) = &tls.key_file {
                    set(t, "key_file", k.as_str());
                }
                if tls.insecure_skip_verify {
                    set(t, "insecure_skip_verify", true);
                }
            }
        }
    }

    for c in &p.auth {
        let mut auth = Table::new();
        match &c.method {
            AuthMethod::Basic { username, password, encode_as_auth } => {
                if *encode_as_auth {
                    auth.insert("auth", Item::Value(basic_auth(username, &display_secret(password)).into()));
                } else {
                    auth.insert("username", Item::Value(username.as_str().into()));
                    auth.insert("password", Item::Value(display_secret(password).into()));
                }
            }
            AuthMethod::Auth { auth: a } => {
                auth.insert("auth", Item::Value(display_secret(a).trim().into()));
            }
            AuthMethod::IdentityToken { token } => {
                auth.insert("identitytoken", Item::Value(display_secret(token).into()));
            }
        }
        let host = table_at(registry, &["configs", c.host.trim()]);
        // Replace only the auth of the hosts we manage; other hosts' settings stay.
        host.insert("auth", Item::Table(auth));
    }
}
