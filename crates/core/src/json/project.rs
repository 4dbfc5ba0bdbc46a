//! The project file's format, read and written by hand: every rule the model's serde attributes state, kept
//! here the same way (the tests hold both to each other). `deny_unknown_fields` (a misspelt field is an error
//! naming the fields there are), a repeated field is an error, a missing field takes the struct's default where
//! the struct has one, `upstream_reachable` is left out while true, enums are snake_case (a unit variant also as
//! `{"legacy": null}`, as serde_json reads it), `AuthMethod` is tagged by `"type"`, `Secret` is a string or
//! `{"env": …}`, `CaCert` / `ClientCert` are `{"variant": …}`, a version is its text, numbers are integers in
//! their type's range. Where the format has an object an array is refused, with its field path and position
//! ([`LoadError::NotAnObject`]); serde would read it positionally.

use super::{Error, Kind, Member, Node, Writer};
use crate::load::LoadError;
use crate::model::*;
use crate::version::ContainerdVersion;

type R<T> = Result<T, LoadError>;

/// Where the reader is, for the path of an array found where an object belongs.
#[derive(Default)]
pub struct Cx {
    steps: Vec<Step>,
}

enum Step {
    Key(&'static str),
    Index(usize),
}

impl Cx {
    /// `registries[0].endpoints[1].tls`: the project's field path notation.
    fn path(&self) -> String {
        let mut out = String::new();
        for s in &self.steps {
            match s {
                Step::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    fn not_an_object(&self, n: &Node) -> LoadError {
        LoadError::NotAnObject { path: self.path(), line: n.line, column: n.column }
    }
}

fn data(n: &Node, message: String) -> LoadError {
    LoadError::Format(Error::data(message, n))
}

/// What serde calls the value found, for "invalid type: …".
fn unexpected(n: &Node) -> String {
    match &n.kind {
        Kind::Null => "null".into(),
        Kind::Bool(b) => format!("boolean `{b}`"),
        Kind::Number(s) => match number(s) {
            Number::Float => format!("floating point `{s}`"),
            _ => format!("integer `{s}`"),
        },
        Kind::String(s) => format!("string {s:?}"),
        Kind::Array(_) => "sequence".into(),
        Kind::Object(_) => "map".into(),
    }
}

fn invalid_type(n: &Node, expected: &str) -> LoadError {
    data(n, format!("invalid type: {}, expected {expected}", unexpected(n)))
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`", as serde lists what it expected.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".into(),
        [a] => format!("`{a}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => format!("one of {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
    }
}

/// How serde_json reads a JSON number: an unsigned or negative integer, or (a fraction, an exponent, `-0`, or
/// an integer beyond 64 bits) a float.
enum Number {
    Unsigned(u64),
    Negative(i64),
    Float,
}

fn number(s: &str) -> Number {
    if s.contains(['.', 'e', 'E']) {
        return Number::Float;
    }
    match s.strip_prefix('-') {
        Some(d) => match d.parse::<u64>() {
            Ok(n) if n != 0 && n <= 1 << 63 => Number::Negative((n as i64).wrapping_neg()),
            _ => Number::Float,
        },
        None => s.parse().map_or(Number::Float, Number::Unsigned),
    }
}

fn read_u32(n: &Node, _: &mut Cx) -> R<u32> {
    match &n.kind {
        Kind::Number(s) => match number(s) {
            Number::Unsigned(v) if v <= u64::from(u32::MAX) => Ok(v as u32),
            Number::Unsigned(_) | Number::Negative(_) => Err(data(n, format!("invalid value: integer `{s}`, expected u32"))),
            Number::Float => Err(invalid_type(n, "u32")),
        },
        _ => Err(invalid_type(n, "u32")),
    }
}

fn read_i64(n: &Node, _: &mut Cx) -> R<i64> {
    match &n.kind {
        Kind::Number(s) => match number(s) {
            Number::Unsigned(v) if v <= i64::MAX as u64 => Ok(v as i64),
            Number::Negative(v) => Ok(v),
            Number::Unsigned(_) => Err(data(n, format!("invalid value: integer `{s}`, expected i64"))),
            Number::Float => Err(invalid_type(n, "i64")),
        },
        _ => Err(invalid_type(n, "i64")),
    }
}

fn read_string(n: &Node, _: &mut Cx) -> R<String> {
    match &n.kind {
        Kind::String(s) => Ok(s.clone()),
        _ => Err(invalid_type(n, "a string")),
    }
}

fn read_bool(n: &Node, _: &mut Cx) -> R<bool> {
    match &n.kind {
        Kind::Bool(b) => Ok(*b),
        _ => Err(invalid_type(n, "a boolean")),
    }
}

fn read_version(n: &Node, cx: &mut Cx) -> R<ContainerdVersion> {
    let s = read_string(n, cx)?;
    s.parse().map_err(|e: crate::version::VersionParseError| data(n, e.to_string()))
}

fn read_option<T>(n: &Node, cx: &mut Cx, read: fn(&Node, &mut Cx) -> R<T>) -> R<Option<T>> {
    match n.kind {
        Kind::Null => Ok(None),
        _ => read(n, cx).map(Some),
    }
}

fn opt_string(n: &Node, cx: &mut Cx) -> R<Option<String>> {
    read_option(n, cx, read_string)
}

fn read_list<T>(n: &Node, cx: &mut Cx, read: fn(&Node, &mut Cx) -> R<T>) -> R<Vec<T>> {
    let Kind::Array(items) = &n.kind else { return Err(invalid_type(n, "a sequence")) };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        cx.steps.push(Step::Index(i));
        out.push(read(item, cx)?);
        cx.steps.pop();
    }
    Ok(out)
}

fn strings(n: &Node, cx: &mut Cx) -> R<Vec<String>> {
    read_list(n, cx, read_string)
}

/// The members of an object, for a struct with the fields `names`.
fn members<'a>(n: &'a Node, cx: &Cx, what: &str) -> R<&'a [Member]> {
    match &n.kind {
        Kind::Object(m) => Ok(m),
        Kind::Array(_) => Err(cx.not_an_object(n)),
        _ => Err(invalid_type(n, what)),
    }
}

/// A struct's fields found in an object: each name at most once, no other name.
struct Fields<'a> {
    node: &'a Node,
    names: &'static [&'static str],
    at: Vec<Option<&'a Node>>,
}

impl<'a> Fields<'a> {
    fn of(node: &'a Node, cx: &Cx, what: &str, names: &'static [&'static str]) -> R<Fields<'a>> {
        Fields::among(node, members(node, cx, what)?.iter(), names)
    }

    fn among(node: &'a Node, members: impl Iterator<Item = &'a Member>, names: &'static [&'static str]) -> R<Fields<'a>> {
        let mut at = vec![None; names.len()];
        for m in members {
            let key = Node { line: m.line, column: m.column, kind: Kind::Null };
            let Some(i) = names.iter().position(|n| *n == m.key) else {
                return Err(data(&key, format!("unknown field `{}`, expected {}", m.key, one_of(names))));
            };
            if at[i].is_some() {
                return Err(data(&key, format!("duplicate field `{}`", m.key)));
            }
            at[i] = Some(&m.value);
        }
        Ok(Fields { node, names, at })
    }

    fn read<T>(&self, i: usize, cx: &mut Cx, read: fn(&Node, &mut Cx) -> R<T>) -> R<Option<T>> {
        let Some(v) = self.at[i] else { return Ok(None) };
        cx.steps.push(Step::Key(self.names[i]));
        let r = read(v, cx)?;
        cx.steps.pop();
        Ok(Some(r))
    }

    /// A field the struct's default fills in when it is missing.
    fn or<T>(&self, i: usize, cx: &mut Cx, default: T, read: fn(&Node, &mut Cx) -> R<T>) -> R<T> {
        Ok(self.read(i, cx, read)?.unwrap_or(default))
    }

    fn req<T>(&self, i: usize, cx: &mut Cx, read: fn(&Node, &mut Cx) -> R<T>) -> R<T> {
        self.read(i, cx, read)?.ok_or_else(|| data(self.node, format!("missing field `{}`", self.names[i])))
    }
}

/// A unit variant's index: `"name"`, or `{"name": null}`.
fn unit_variant(n: &Node, names: &[&str]) -> R<usize> {
    let (name, at) = match &n.kind {
        Kind::String(s) => (s, n),
        Kind::Object(m) if m.len() == 1 => {
            if m[0].value.kind != Kind::Null {
                return Err(invalid_type(&m[0].value, "unit variant"));
            }
            (&m[0].key, n)
        }
        _ => return Err(invalid_type(n, &one_of(names))),
    };
    names.iter().position(|v| v == name).ok_or_else(|| data(at, format!("unknown variant `{name}`, expected {}", one_of(names))))
}

/// An externally tagged variant with data: `{"name": …}`, the index and the data.
fn tagged_variant<'a>(n: &'a Node, cx: &Cx, what: &str, names: &[&str]) -> R<(usize, &'a Node)> {
    match &n.kind {
        Kind::Object(m) if m.len() == 1 => {
            let key = Node { line: m[0].line, column: m[0].column, kind: Kind::Null };
            let i = names.iter().position(|v| *v == m[0].key);
            let i = i.ok_or_else(|| data(&key, format!("unknown variant `{}`, expected {}", m[0].key, one_of(names))))?;
            Ok((i, &m[0].value))
        }
        Kind::Object(_) => Err(data(n, format!("invalid {what}: expected an object with one key, {}", one_of(names)))),
        Kind::Array(_) => Err(cx.not_an_object(n)),
        _ => Err(invalid_type(n, what)),
    }
}

fn with_key<T>(cx: &mut Cx, key: &'static str, n: &Node, read: fn(&Node, &mut Cx) -> R<T>) -> R<T> {
    cx.steps.push(Step::Key(key));
    let r = read(n, cx)?;
    cx.steps.pop();
    Ok(r)
}

// ---- the model, read ---------------------------------------------------------------------------------------

/// A whole project from its JSON tree.
pub fn read_project(n: &Node) -> Result<Project, LoadError> {
    project(n, &mut Cx::default())
}

const PROJECT: &[&str] = &["schema_version", "target", "output", "registries", "harbor", "air_gap", "auth", "sandbox_image", "daemon"];

fn project(n: &Node, cx: &mut Cx) -> R<Project> {
    let f = Fields::of(n, cx, "struct Project", PROJECT)?;
    let d = Project::default();
    Ok(Project {
        schema_version: f.or(0, cx, d.schema_version, read_u32)?,
        target: f.or(1, cx, d.target, target)?,
        output: f.or(2, cx, d.output, output)?,
        registries: f.or(3, cx, d.registries, |n, cx| read_list(n, cx, registry))?,
        harbor: f.or(4, cx, d.harbor, |n, cx| read_option(n, cx, harbor))?,
        air_gap: f.or(5, cx, d.air_gap, |n, cx| read_option(n, cx, air_gap))?,
        auth: f.or(6, cx, d.auth, |n, cx| read_list(n, cx, credential))?,
        sandbox_image: f.or(7, cx, d.sandbox_image, opt_string)?,
        daemon: f.or(8, cx, d.daemon, daemon)?,
    })
}

/// A target range (also what the page sends its import module).
pub fn read_target(n: &Node) -> Result<Target, LoadError> {
    target(n, &mut Cx::default())
}

fn target(n: &Node, cx: &mut Cx) -> R<Target> {
    let f = Fields::of(n, cx, "struct Target", &["min", "max"])?;
    Ok(Target { min: f.req(0, cx, read_version)?, max: f.req(1, cx, read_version)? })
}

fn output(n: &Node, _: &mut Cx) -> R<OutputStyle> {
    Ok([OutputStyle::HostsDir, OutputStyle::Legacy][unit_variant(n, &["hosts_dir", "legacy"])?])
}

const REGISTRY: &[&str] = &["upstream", "endpoints", "server", "fallback_to_upstream", "upstream_reachable"];

fn registry(n: &Node, cx: &mut Cx) -> R<Registry> {
    let f = Fields::of(n, cx, "struct Registry", REGISTRY)?;
    let d = Registry::default();
    Ok(Registry {
        upstream: f.or(0, cx, d.upstream, read_string)?,
        endpoints: f.or(1, cx, d.endpoints, |n, cx| read_list(n, cx, endpoint))?,
        server: f.or(2, cx, d.server, opt_string)?,
        fallback_to_upstream: f.or(3, cx, d.fallback_to_upstream, read_bool)?,
        upstream_reachable: f.or(4, cx, d.upstream_reachable, read_bool)?,
    })
}

const KINDS: &[&str] = &["public_mirror", "private_mirror", "private_registry", "harbor_project"];

fn endpoint_kind(n: &Node, _: &mut Cx) -> R<EndpointKind> {
    use EndpointKind::*;
    Ok([PublicMirror, PrivateMirror, PrivateRegistry, HarborProject][unit_variant(n, KINDS)?])
}

fn capability(n: &Node, _: &mut Cx) -> R<Capability> {
    use Capability::*;
    Ok([Pull, Resolve, Push, Referrers][unit_variant(n, &["pull", "resolve", "push", "referrers"])?])
}

const ENDPOINT: &[&str] = &["url", "kind", "capabilities", "override_path", "tls", "headers", "dial_timeout"];

fn endpoint(n: &Node, cx: &mut Cx) -> R<Endpoint> {
    let f = Fields::of(n, cx, "struct Endpoint", ENDPOINT)?;
    let d = Endpoint::default();
    Ok(Endpoint {
        url: f.or(0, cx, d.url, read_string)?,
        kind: f.or(1, cx, d.kind, endpoint_kind)?,
        capabilities: f.or(2, cx, d.capabilities, |n, cx| read_list(n, cx, capability))?,
        override_path: f.or(3, cx, d.override_path, read_bool)?,
        tls: f.or(4, cx, d.tls, tls)?,
        headers: f.or(5, cx, d.headers, |n, cx| read_list(n, cx, header))?,
        dial_timeout: f.or(6, cx, d.dial_timeout, opt_string)?,
    })
}

fn tls(n: &Node, cx: &mut Cx) -> R<Tls> {
    let f = Fields::of(n, cx, "struct Tls", &["ca", "client", "skip_verify"])?;
    Ok(Tls {
        ca: f.or(0, cx, Vec::new(), |n, cx| read_list(n, cx, ca_cert))?,
        client: f.or(1, cx, Vec::new(), |n, cx| read_list(n, cx, client_cert))?,
        skip_verify: f.or(2, cx, false, read_bool)?,
    })
}

fn ca_cert(n: &Node, cx: &mut Cx) -> R<CaCert> {
    match tagged_variant(n, cx, "enum CaCert", &["path", "pem"])? {
        (0, v) => Ok(CaCert::Path(with_key(cx, "path", v, read_string)?)),
        (_, v) => with_key(cx, "pem", v, |v, cx| {
            let f = Fields::of(v, cx, "struct variant CaCert::Pem", &["name", "pem"])?;
            Ok(CaCert::Pem { name: f.req(0, cx, read_string)?, pem: f.req(1, cx, read_string)? })
        }),
    }
}

fn client_cert(n: &Node, cx: &mut Cx) -> R<ClientCert> {
    match tagged_variant(n, cx, "enum ClientCert", &["combined", "pair"])? {
        (0, v) => Ok(ClientCert::Combined(with_key(cx, "combined", v, read_string)?)),
        (_, v) => with_key(cx, "pair", v, |v, cx| {
            let f = Fields::of(v, cx, "struct variant ClientCert::Pair", &["cert", "key"])?;
            Ok(ClientCert::Pair { cert: f.req(0, cx, read_string)?, key: f.req(1, cx, read_string)? })
        }),
    }
}

fn header(n: &Node, cx: &mut Cx) -> R<Header> {
    let f = Fields::of(n, cx, "struct Header", &["name", "values"])?;
    Ok(Header { name: f.req(0, cx, read_string)?, values: f.req(1, cx, |n, cx| read_list(n, cx, secret))? })
}

fn secret(n: &Node, cx: &mut Cx) -> R<Secret> {
    let no_match = || data(n, "data did not match any variant of untagged enum Secret (a string, or {\"env\": \"NAME\"})".into());
    match &n.kind {
        Kind::String(s) => Ok(Secret::Literal(s.clone())),
        Kind::Array(_) => Err(cx.not_an_object(n)),
        Kind::Object(m) => match m.as_slice() {
            [Member { key, value: Node { kind: Kind::String(env), .. }, .. }] if key == "env" => {
                Ok(Secret::FromEnv(EnvRef { env: env.clone() }))
            }
            _ => Err(no_match()),
        },
        _ => Err(no_match()),
    }
}

const HARBOR: &[&str] = &["address", "mode", "fallback_to_upstream", "tls", "mappings"];

fn harbor(n: &Node, cx: &mut Cx) -> R<HarborProxy> {
    let f = Fields::of(n, cx, "struct HarborProxy", HARBOR)?;
    let d = HarborProxy::default();
    Ok(HarborProxy {
        address: f.or(0, cx, d.address, read_string)?,
        mode: f.or(1, cx, d.mode, |n, _| Ok([HarborMode::Path, HarborMode::Subdomain][unit_variant(n, &["path", "subdomain"])?]))?,
        fallback_to_upstream: f.or(2, cx, d.fallback_to_upstream, read_bool)?,
        tls: f.or(3, cx, d.tls, tls)?,
        mappings: f.or(4, cx, d.mappings, |n, cx| {
            read_list(n, cx, |n, cx| {
                let f = Fields::of(n, cx, "struct HarborMapping", &["upstream", "project"])?;
                Ok(HarborMapping { upstream: f.req(0, cx, read_string)?, project: f.req(1, cx, read_string)? })
            })
        })?,
    })
}

fn air_gap(n: &Node, cx: &mut Cx) -> R<AirGap> {
    let f = Fields::of(n, cx, "struct AirGap", &["registry", "tls", "fallback_to_upstream", "namespaces"])?;
    Ok(AirGap {
        registry: f.or(0, cx, String::new(), read_string)?,
        tls: f.or(1, cx, Tls::default(), tls)?,
        fallback_to_upstream: f.or(2, cx, false, read_bool)?,
        namespaces: f.or(3, cx, Vec::new(), strings)?,
    })
}

fn credential(n: &Node, cx: &mut Cx) -> R<Credential> {
    let f = Fields::of(n, cx, "struct Credential", &["host", "method"])?;
    Ok(Credential { host: f.req(0, cx, read_string)?, method: f.req(1, cx, auth_method)? })
}

const METHODS: &[&str] = &["basic", "auth", "identity_token"];

fn auth_method(n: &Node, cx: &mut Cx) -> R<AuthMethod> {
    let all = members(n, cx, "internally tagged enum AuthMethod")?;
    let mut tags = all.iter().filter(|m| m.key == "type");
    let Some(tag) = tags.next() else { return Err(data(n, "missing field `type`".into())) };
    if let Some(again) = tags.next() {
        let at = Node { line: again.line, column: again.column, kind: Kind::Null };
        return Err(data(&at, "duplicate field `type`".into()));
    }
    let Kind::String(name) = &tag.value.kind else { return Err(invalid_type(&tag.value, "variant identifier")) };
    let variant = METHODS.iter().position(|m| m == name);
    let variant = variant.ok_or_else(|| data(&tag.value, format!("unknown variant `{name}`, expected {}", one_of(METHODS))))?;
    let rest = all.iter().filter(|m| m.key != "type");
    match variant {
        0 => {
            let f = Fields::among(n, rest, &["username", "password", "encode_as_auth"])?;
            Ok(AuthMethod::Basic { username: f.req(0, cx, read_string)?, password: f.req(1, cx, secret)?, encode_as_auth: f.or(2, cx, false, read_bool)? })
        }
        1 => Ok(AuthMethod::Auth { auth: Fields::among(n, rest, &["auth"])?.req(0, cx, secret)? }),
        _ => Ok(AuthMethod::IdentityToken { token: Fields::among(n, rest, &["token"])?.req(0, cx, secret)? }),
    }
}

const DAEMON: &[&str] = &["root", "state", "oom_score", "imports", "debug", "metrics_address", "snapshotter"];
const SNAPSHOTTERS: &[&str] = &["overlayfs", "native", "btrfs", "zfs", "devmapper"];

fn daemon(n: &Node, cx: &mut Cx) -> R<Daemon> {
    let f = Fields::of(n, cx, "struct Daemon", DAEMON)?;
    Ok(Daemon {
        root: f.or(0, cx, None, opt_string)?,
        state: f.or(1, cx, None, opt_string)?,
        oom_score: f.or(2, cx, None, |n, cx| read_option(n, cx, read_i64))?,
        imports: f.or(3, cx, Vec::new(), strings)?,
        debug: f.or(4, cx, None, |n, cx| {
            read_option(n, cx, |n, cx| {
                let f = Fields::of(n, cx, "struct DebugSettings", &["address", "level"])?;
                Ok(DebugSettings { address: f.or(0, cx, None, opt_string)?, level: f.or(1, cx, None, opt_string)? })
            })
        })?,
        metrics_address: f.or(5, cx, None, opt_string)?,
        snapshotter: f.or(6, cx, None, |n, cx| {
            read_option(n, cx, |n, _| {
                use Snapshotter::*;
                Ok([Overlayfs, Native, Btrfs, Zfs, Devmapper][unit_variant(n, SNAPSHOTTERS)?])
            })
        })?,
    })
}

// ---- the model, written -----------------------------------------------------------------------------------

/// The project as compact JSON (share links, drafts, the text between the page's modules).
pub fn to_string(p: &Project) -> String {
    let mut w = Writer::new(false);
    write_project(&mut w, p);
    w.finish()
}

/// The project as pretty JSON (the project file).
pub fn to_string_pretty(p: &Project) -> String {
    let mut w = Writer::new(true);
    write_project(&mut w, p);
    w.finish()
}

pub fn write_project(w: &mut Writer, p: &Project) {
    w.begin_object();
    w.key("schema_version");
    w.number(&p.schema_version.to_string());
    w.key("target");
    write_target(w, &p.target);
    w.key("output");
    w.str(match p.output {
        OutputStyle::HostsDir => "hosts_dir",
        OutputStyle::Legacy => "legacy",
    });
    w.key("registries");
    w.list(&p.registries, write_registry);
    w.key("harbor");
    match &p.harbor {
        Some(h) => write_harbor(w, h),
        None => w.null(),
    }
    w.key("air_gap");
    match &p.air_gap {
        Some(a) => {
            w.begin_object();
            w.key("registry");
            w.str(&a.registry);
            w.key("tls");
            write_tls(w, &a.tls);
            w.key("fallback_to_upstream");
            w.bool(a.fallback_to_upstream);
            w.key("namespaces");
            w.list(&a.namespaces, |w, s| w.str(s));
            w.end_object();
        }
        None => w.null(),
    }
    w.key("auth");
    w.list(&p.auth, write_credential);
    w.key("sandbox_image");
    w.opt_str(&p.sandbox_image);
    w.key("daemon");
    write_daemon(w, &p.daemon);
    w.end_object();
}

pub fn write_target(w: &mut Writer, t: &Target) {
    w.begin_object();
    w.key("min");
    w.str(&t.min.to_string());
    w.key("max");
    w.str(&t.max.to_string());
    w.end_object();
}

/// A target range as compact JSON.
pub fn target_to_string(t: &Target) -> String {
    let mut w = Writer::new(false);
    write_target(&mut w, t);
    w.finish()
}

fn write_registry(w: &mut Writer, r: &Registry) {
    w.begin_object();
    w.key("upstream");
    w.str(&r.upstream);
    w.key("endpoints");
    w.list(&r.endpoints, write_endpoint);
    w.key("server");
    w.opt_str(&r.server);
    w.key("fallback_to_upstream");
    w.bool(r.fallback_to_upstream);
    // Left out while true, so older files and share links stay as they were.
    if !r.upstream_reachable {
        w.key("upstream_reachable");
        w.bool(false);
    }
    w.end_object();
}

fn write_endpoint(w: &mut Writer, e: &Endpoint) {
    w.begin_object();
    w.key("url");
    w.str(&e.url);
    w.key("kind");
    w.str(KINDS[e.kind as usize]);
    w.key("capabilities");
    w.list(&e.capabilities, |w, c| w.str(c.as_str()));
    w.key("override_path");
    w.bool(e.override_path);
    w.key("tls");
    write_tls(w, &e.tls);
    w.key("headers");
    w.list(&e.headers, |w, h| {
        w.begin_object();
        w.key("name");
        w.str(&h.name);
        w.key("values");
        w.list(&h.values, write_secret);
        w.end_object();
    });
    w.key("dial_timeout");
    w.opt_str(&e.dial_timeout);
    w.end_object();
}

/// `{"variant": …}`: an externally tagged variant's frame around its data.
fn variant(w: &mut Writer, name: &str, data: impl FnOnce(&mut Writer)) {
    w.begin_object();
    w.key(name);
    data(w);
    w.end_object();
}

fn pair(w: &mut Writer, a: (&str, &str), b: (&str, &str)) {
    w.begin_object();
    w.key(a.0);
    w.str(a.1);
    w.key(b.0);
    w.str(b.1);
    w.end_object();
}

fn write_tls(w: &mut Writer, t: &Tls) {
    w.begin_object();
    w.key("ca");
    w.list(&t.ca, |w, c| match c {
        CaCert::Path(p) => variant(w, "path", |w| w.str(p)),
        CaCert::Pem { name, pem } => variant(w, "pem", |w| pair(w, ("name", name), ("pem", pem))),
    });
    w.key("client");
    w.list(&t.client, |w, c| match c {
        ClientCert::Combined(p) => variant(w, "combined", |w| w.str(p)),
        ClientCert::Pair { cert, key } => variant(w, "pair", |w| pair(w, ("cert", cert), ("key", key))),
    });
    w.key("skip_verify");
    w.bool(t.skip_verify);
    w.end_object();
}

fn write_secret(w: &mut Writer, s: &Secret) {
    match s {
        Secret::Literal(s) => w.str(s),
        Secret::FromEnv(e) => variant(w, "env", |w| w.str(&e.env)),
    }
}

fn write_harbor(w: &mut Writer, h: &HarborProxy) {
    w.begin_object();
    w.key("address");
    w.str(&h.address);
    w.key("mode");
    w.str(match h.mode {
        HarborMode::Path => "path",
        HarborMode::Subdomain => "subdomain",
    });
    w.key("fallback_to_upstream");
    w.bool(h.fallback_to_upstream);
    w.key("tls");
    write_tls(w, &h.tls);
    w.key("mappings");
    w.list(&h.mappings, |w, m| pair(w, ("upstream", &m.upstream), ("project", &m.project)));
    w.end_object();
}

fn write_credential(w: &mut Writer, c: &Credential) {
    w.begin_object();
    w.key("host");
    w.str(&c.host);
    w.key("method");
    w.begin_object();
    w.key("type");
    match &c.method {
        AuthMethod::Basic { username, password, encode_as_auth } => {
            w.str("basic");
            w.key("username");
            w.str(username);
            w.key("password");
            write_secret(w, password);
            w.key("encode_as_auth");
            w.bool(*encode_as_auth);
        }
        AuthMethod::Auth { auth } => {
            w.str("auth");
            w.key("auth");
            write_secret(w, auth);
        }
        AuthMethod::IdentityToken { token } => {
            w.str("identity_token");
            w.key("token");
            write_secret(w, token);
        }
    }
    w.end_object();
    w.end_object();
}

fn write_daemon(w: &mut Writer, d: &Daemon) {
    w.begin_object();
    w.key("root");
    w.opt_str(&d.root);
    w.key("state");
    w.opt_str(&d.state);
    w.key("oom_score");
    match d.oom_score {
        Some(n) => w.number(&n.to_string()),
        None => w.null(),
    }
    w.key("imports");
    w.list(&d.imports, |w, s| w.str(s));
    w.key("debug");
    match &d.debug {
        Some(s) => {
            w.begin_object();
            w.key("address");
            w.opt_str(&s.address);
            w.key("level");
            w.opt_str(&s.level);
            w.end_object();
        }
        None => w.null(),
    }
    w.key("metrics_address");
    w.opt_str(&d.metrics_address);
    w.key("snapshotter");
    match d.snapshotter {
        Some(s) => w.str(s.as_str()),
        None => w.null(),
    }
    w.end_object();
}
