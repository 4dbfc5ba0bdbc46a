//! `certs.d/<namespace>/hosts.toml`, written with toml_edit.
//!
//! Layout rules (spec H12, H16, §2.8): root keys (`server` and its settings) first; then one `[host."<url>"]`
//! table per endpoint in try order, each followed directly by its `[host."<url>".header]`; the empty `[host]`
//! stub (for containerd 1.6 / 1.7.0–1.7.31) last. Never inline tables or dotted keys: containerd 2.x silently
//! drops hosts written that way.

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::diagnostics::{one_line, Lang};
use crate::model::ClientCert;
use crate::plan::{HostsDir, PlannedHost};
use crate::render::catalogue::{text, text_with};
use crate::secrets::display_secret;

fn string_array<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    let mut a = Array::new();
    for s in items {
        a.push(s);
    }
    Value::Array(a)
}

fn client_value(client: &[ClientCert]) -> Option<Value> {
    match client {
        [] => None,
        [ClientCert::Combined(p)] => Some(Value::from(p.trim())),
        many => {
            let mut outer = Array::new();
            for c in many {
                match c {
                    ClientCert::Combined(p) => outer.push(p.trim()),
                    ClientCert::Pair { cert, key } => outer.push(string_array([cert.trim(), key.trim()])),
                }
            }
            Some(Value::Array(outer))
        }
    }
}

/// Writes a host's fields into `t` (a `[host."…"]` table, or the document root for `server`).
fn write_fields(t: &mut Table, h: &PlannedHost) {
    if !h.capabilities.is_empty() {
        t.insert("capabilities", Item::Value(string_array(h.capabilities.iter().map(|c| c.as_str()))));
    }
    if h.override_path {
        t.insert("override_path", Item::Value(true.into()));
    }
    match h.ca.as_slice() {
        [] => {}
        [one] => {
            t.insert("ca", Item::Value(one.as_str().into()));
        }
        many => {
            t.insert("ca", Item::Value(string_array(many.iter().map(|s| s.as_str()))));
        }
    }
    if let Some(v) = client_value(&h.client) {
        t.insert("client", Item::Value(v));
    }
    if h.skip_verify {
        t.insert("skip_verify", Item::Value(true.into()));
    }
    if let Some(d) = &h.dial_timeout {
        t.insert("dial_timeout", Item::Value(d.as_str().into()));
    }
}

fn header_table(h: &PlannedHost, position: &mut isize) -> Option<Table> {
    if h.headers.is_empty() {
        return None;
    }
    let mut t = Table::new();
    // The same name twice is one header with all the values (a second `insert` would drop the first's).
    let mut merged: Vec<(&str, Vec<String>)> = Vec::new();
    for (name, values) in &h.headers {
        let shown = values.iter().map(display_secret);
        match merged.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => v.extend(shown),
            None => merged.push((name.as_str(), shown.collect())),
        }
    }
    for (name, values) in merged {
        t.insert(name, Item::Value(string_array(values.iter().map(|s| s.as_str()))));
    }
    t.set_position(Some(next(position)));
    Some(t)
}

fn next(p: &mut isize) -> isize {
    *p += 1;
    *p
}

/// The try order as text, for the file's header comment and README.txt: one line per host whatever the URL
/// holds (a line feed in a half-typed URL would otherwise end the comment and inject TOML).
pub fn try_order(dir: &HostsDir, lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = dir.hosts.iter().map(|h| one_line(&h.url)).collect();
    match &dir.server {
        Some(s) => out.push(text_with(lang, "hosts.server", &[("url", &one_line(&s.url))])),
        None => out.push(text(lang, "hosts.implicit_server").to_string()),
    }
    out
}

/// The file for `dir`; its comments (after `header`) in `lang`.
pub fn hosts_toml(dir: &HostsDir, header: &str, lang: Lang) -> String {
    let mut doc = DocumentMut::new();
    let mut pos: isize = 0;
    let mut comment = String::new();
    for line in header.lines() {
        comment.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
    }
    comment.push_str(&format!("# {}\n", text(lang, "hosts.try_order")));
    for (i, h) in try_order(dir, lang).iter().enumerate() {
        comment.push_str(&format!("#   {}. {}\n", i + 1, h));
    }
    comment.push('\n');
    if dir.server.as_ref().is_some_and(|s| s.override_path) {
        // Why this form (spec §2.2, §3.3): the usual Harbor form is a [host] entry, after which containerd tries the
        // upstream; without fallback the project must be `server` itself, and root-level override_path applies to it.
        comment.push_str(&format!("# {}\n", text(lang, "hosts.harbor_server")));
    }
    let root = doc.as_table_mut();
    if let Some(server) = &dir.server {
        root.insert("server", Item::Value(server.url.as_str().into()));
        write_fields(root, server);
    }

    let root_headers = dir.server.as_ref().and_then(|s| header_table(s, &mut pos));
    if let Some(t) = root_headers {
        root.insert("header", Item::Table(t));
    }
    if !dir.hosts.is_empty() || dir.needs_stub {
        let mut host = Table::new();
        host.set_implicit(!dir.needs_stub);
        for h in &dir.hosts {
            let mut t = Table::new();
            t.set_position(Some(next(&mut pos)));
            write_fields(&mut t, h);
            if let Some(ht) = header_table(h, &mut pos) {
                t.insert("header", Item::Table(ht));
            }
            host.insert(&h.url, Item::Table(t));
        }
        // The stub goes last: after the host tables it adds nothing to them.
        host.set_position(Some(next(&mut pos)));
        if dir.needs_stub {
            host.decor_mut().set_prefix(format!("\n# {}\n", text(lang, "hosts.stub")));
        }
        root.insert("host", Item::Table(host));
    }
    doc.decor_mut().set_prefix(comment);
    doc.to_string()
}

#[cfg(test)]
mod tests {
    use crate::model::{HarborMapping, HarborMode, HarborProxy, Project};

    /// Harbor without upstream fallback: the project is the root `server` with `override_path`, a form that
    /// looks like a mistake next to the usual `[host."…/v2/<project>"]`, so the file says why.
    #[test]
    fn harbor_as_server_says_why_in_one_comment_line() {
        let mut p = Project {
            harbor: Some(HarborProxy {
                address: "https://cr.example.com".into(),
                mode: HarborMode::Path,
                fallback_to_upstream: false,
                mappings: vec![HarborMapping { upstream: "quay.io".into(), project: "quay".into() }],
                ..Default::default()
            }),
            ..Default::default()
        };
        let r = crate::render(&p);
        let text = &r.file("certs.d/quay.io/hosts.toml").expect("hosts.toml").content;
        let lines: Vec<&str> = text.lines().collect();
        let server = lines.iter().position(|l| *l == "server = \"https://cr.example.com/v2/quay\"").expect(text);
        assert!(lines[server..].contains(&"override_path = true"), "{text}");
        assert!(lines[server - 1].starts_with("# server is the path-prefixed mirror itself") && lines[server - 1].contains("override_path"), "{text}");
        assert_eq!(text.matches("path-prefixed mirror itself").count(), 1);
        // The usual form (fallback on) has a [host] entry and no such comment.
        p.harbor.as_mut().unwrap().fallback_to_upstream = true;
        let r = crate::render(&p);
        assert!(!r.file("certs.d/quay.io/hosts.toml").unwrap().content.contains("path-prefixed mirror itself"));
    }
}
