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

/// A model type read from and written as its JSON.
trait Json: Sized {
    fn read(n: &Node, cx: &mut Cx) -> R<Self>;
    fn write(&self, w: &mut Writer);
}

/// A struct's field as the one struct walker ([`read_fields`], [`write_fields`]) sees it: read in place,
/// written. Through `dyn`, so each struct is a table of its fields rather than code of its own per field.
trait Field {
    fn read_into(&mut self, n: &Node, cx: &mut Cx) -> R<()>;
    fn write_to(&self, w: &mut Writer);
}

impl<T: Json> Field for T {
    fn read_into(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        *self = T::read(n, cx)?;
        Ok(())
    }
    fn write_to(&self, w: &mut Writer) {
        self.write(w)
    }
}

impl Json for u32 {
    fn read(n: &Node, _: &mut Cx) -> R<u32> {
        match &n.kind {
            Kind::Number(s) => match number(s) {
                Number::Unsigned(v) if v <= u64::from(u32::MAX) => Ok(v as u32),
                Number::Unsigned(_) | Number::Negative(_) => Err(out_of_range(n, s, "u32")),
                Number::Float => Err(invalid_type(n, "u32")),
            },
            _ => Err(invalid_type(n, "u32")),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.number(&self.to_string())
    }
}

impl Json for i64 {
    fn read(n: &Node, _: &mut Cx) -> R<i64> {
        match &n.kind {
            Kind::Number(s) => match number(s) {
                Number::Unsigned(v) if v <= i64::MAX as u64 => Ok(v as i64),
                Number::Negative(v) => Ok(v),
                Number::Unsigned(_) => Err(out_of_range(n, s, "i64")),
                Number::Float => Err(invalid_type(n, "i64")),
            },
            _ => Err(invalid_type(n, "i64")),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.number(&self.to_string())
    }
}

fn out_of_range(n: &Node, s: &str, ty: &str) -> LoadError {
    data(n, format!("invalid value: integer `{s}`, expected {ty}"))
}

impl Json for String {
    fn read(n: &Node, _: &mut Cx) -> R<String> {
        match &n.kind {
            Kind::String(s) => Ok(s.clone()),
            _ => Err(invalid_type(n, "a string")),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.str(self)
    }
}

impl Json for bool {
    fn read(n: &Node, _: &mut Cx) -> R<bool> {
        match &n.kind {
            Kind::Bool(b) => Ok(*b),
            _ => Err(invalid_type(n, "a boolean")),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.bool(*self)
    }
}

impl Json for ContainerdVersion {
    fn read(n: &Node, cx: &mut Cx) -> R<ContainerdVersion> {
        String::read(n, cx)?.parse().map_err(|e: crate::version::VersionParseError| data(n, e.to_string()))
    }
    fn write(&self, w: &mut Writer) {
        w.str(&self.to_string())
    }
}

impl<T: Json> Json for Option<T> {
    fn read(n: &Node, cx: &mut Cx) -> R<Option<T>> {
        match n.kind {
            Kind::Null => Ok(None),
            _ => T::read(n, cx).map(Some),
        }
    }
    fn write(&self, w: &mut Writer) {
        match self {
            Some(v) => v.write(w),
            None => w.null(),
        }
    }
}

impl<T: Json> Json for Vec<T> {
    fn read(n: &Node, cx: &mut Cx) -> R<Vec<T>> {
        let mut out = Vec::new();
        read_items(n, cx, &mut |item, cx| {
            out.push(T::read(item, cx)?);
            Ok(())
        })?;
        Ok(out)
    }
    fn write(&self, w: &mut Writer) {
        w.begin_array();
        for x in self {
            w.element();
            x.write(w);
        }
        w.end_array();
    }
}

/// A list's items, each with its index on the path (the generic part of reading a `Vec` is the `push` alone).
fn read_items(n: &Node, cx: &mut Cx, each: &mut dyn FnMut(&Node, &mut Cx) -> R<()>) -> R<()> {
    let Kind::Array(items) = &n.kind else { return Err(invalid_type(n, "a sequence")) };
    for (i, item) in items.iter().enumerate() {
        cx.steps.push(Step::Index(i));
        each(item, cx)?;
        cx.steps.pop();
    }
    Ok(())
}

/// The members of an object, for a struct (`what`, as serde names it).
fn members<'a>(n: &'a Node, cx: &Cx, what: &str) -> R<&'a [Member]> {
    match &n.kind {
        Kind::Object(m) => Ok(m),
        Kind::Array(_) => Err(cx.not_an_object(n)),
        _ => Err(invalid_type(n, what)),
    }
}

/// A struct read from an object into `fields` (in the order of `names`): each name at most once, no other name,
/// then each field found read in that order; a missing field keeps the value it has (the struct's default),
/// unless its bit in `required` is set.
fn read_struct(n: &Node, cx: &mut Cx, what: &str, names: &'static [&'static str], required: u32, fields: &mut [&mut dyn Field]) -> R<()> {
    let m = members(n, cx, what)?;
    read_fields(n, m, None, cx, names, required, fields)
}

/// [`read_struct`] on the members of `n` other than `skip` (an internally tagged variant's tag).
fn read_fields(
    n: &Node,
    members: &[Member],
    skip: Option<&str>,
    cx: &mut Cx,
    names: &'static [&'static str],
    required: u32,
    fields: &mut [&mut dyn Field],
) -> R<()> {
    let mut at = vec![None; names.len()];
    for m in members.iter().filter(|m| Some(m.key.as_str()) != skip) {
        let key = Node { line: m.line, column: m.column, kind: Kind::Null };
        let Some(i) = names.iter().position(|n| *n == m.key) else {
            return Err(data(&key, format!("unknown field `{}`, expected {}", m.key, one_of(names))));
        };
        if at[i].is_some() {
            return Err(data(&key, format!("duplicate field `{}`", m.key)));
        }
        at[i] = Some(&m.value);
    }
    for (i, (v, field)) in at.into_iter().zip(fields).enumerate() {
        match v {
            Some(v) => {
                cx.steps.push(Step::Key(names[i]));
                field.read_into(v, cx)?;
                cx.steps.pop();
            }
            None if required & 1 << i != 0 => return Err(data(n, format!("missing field `{}`", names[i]))),
            None => {}
        }
    }
    Ok(())
}

/// An object of `fields`, named by `names` in that order.
fn write_struct(w: &mut Writer, names: &[&str], fields: &[&dyn Field]) {
    w.begin_object();
    write_fields(w, names, fields);
    w.end_object();
}

fn write_fields(w: &mut Writer, names: &[&str], fields: &[&dyn Field]) {
    for (name, field) in names.iter().zip(fields) {
        w.key(name);
        field.write_to(w);
    }
}

/// A unit variant's index: `"name"`, or `{"name": null}`.
fn unit_variant(n: &Node, names: &[&str]) -> R<usize> {
    let name = match &n.kind {
        Kind::String(s) => s,
        Kind::Object(m) if m.len() == 1 => {
            if m[0].value.kind != Kind::Null {
                return Err(invalid_type(&m[0].value, "unit variant"));
            }
            &m[0].key
        }
        _ => return Err(invalid_type(n, &one_of(names))),
    };
    names.iter().position(|v| v == name).ok_or_else(|| unknown_variant(n, name, names))
}

fn unknown_variant(at: &Node, name: &str, names: &[&str]) -> LoadError {
    data(at, format!("unknown variant `{name}`, expected {}", one_of(names)))
}

/// The snake_case unit enums: read by [`unit_variant`], written as their name (`NAMES` in declaration order).
macro_rules! unit_enum {
    ($ty:ident, $names:ident, [$($variant:ident),*]) => {
        impl Json for $ty {
            fn read(n: &Node, _: &mut Cx) -> R<$ty> {
                Ok([$($ty::$variant),*][unit_variant(n, $names)?])
            }
            fn write(&self, w: &mut Writer) {
                w.str($names[*self as usize])
            }
        }
    };
}

const OUTPUTS: &[&str] = &["hosts_dir", "legacy"];
const KINDS: &[&str] = &["public_mirror", "private_mirror", "private_registry", "harbor_project"];
const CAPABILITIES: &[&str] = &["pull", "resolve", "push", "referrers"];
const MODES: &[&str] = &["path", "subdomain"];
const SNAPSHOTTERS: &[&str] = &["overlayfs", "native", "btrfs", "zfs", "devmapper"];

unit_enum!(OutputStyle, OUTPUTS, [HostsDir, Legacy]);
unit_enum!(EndpointKind, KINDS, [PublicMirror, PrivateMirror, PrivateRegistry, HarborProject]);
unit_enum!(Capability, CAPABILITIES, [Pull, Resolve, Push, Referrers]);
unit_enum!(HarborMode, MODES, [Path, Subdomain]);
unit_enum!(Snapshotter, SNAPSHOTTERS, [Overlayfs, Native, Btrfs, Zfs, Devmapper]);

/// An externally tagged variant with data: `{"name": …}`, the index and the data.
fn tagged_variant<'a>(n: &'a Node, cx: &Cx, what: &str, names: &[&str]) -> R<(usize, &'a Node)> {
    match &n.kind {
        Kind::Object(m) if m.len() == 1 => {
            let key = Node { line: m[0].line, column: m[0].column, kind: Kind::Null };
            let i = names.iter().position(|v| *v == m[0].key);
            let i = i.ok_or_else(|| unknown_variant(&key, &m[0].key, names))?;
            Ok((i, &m[0].value))
        }
        Kind::Object(_) => Err(data(n, format!("invalid {what}: expected an object with one key, {}", one_of(names)))),
        Kind::Array(_) => Err(cx.not_an_object(n)),
        _ => Err(invalid_type(n, what)),
    }
}

/// `CaCert` and `ClientCert`, alike: `{"<variants[0]>": "text"}`, or `{"<variants[1]>": {"<pair[0]>": "…",
/// "<pair[1]>": "…"}}` (the struct variant `pair_what`). Which variant, and its one or two texts.
fn text_or_pair(n: &Node, cx: &mut Cx, what: &str, variants: &'static [&'static str], pair_what: &str, pair: &'static [&'static str]) -> R<(usize, String, String)> {
    let (i, v) = tagged_variant(n, cx, what, variants)?;
    let (mut a, mut b) = (String::new(), String::new());
    cx.steps.push(Step::Key(variants[i]));
    match i {
        0 => a = String::read(v, cx)?,
        _ => read_struct(v, cx, pair_what, pair, 0b11, &mut [&mut a, &mut b])?,
    }
    cx.steps.pop();
    Ok((i, a, b))
}

/// `{"variant": …}`: an externally tagged variant's frame around its data.
fn write_variant(w: &mut Writer, name: &str, data: &dyn Fn(&mut Writer)) {
    w.begin_object();
    w.key(name);
    data(w);
    w.end_object();
}

const CA_CERTS: &[&str] = &["path", "pem"];
const PEM: &[&str] = &["name", "pem"];

impl Json for CaCert {
    fn read(n: &Node, cx: &mut Cx) -> R<CaCert> {
        Ok(match text_or_pair(n, cx, "enum CaCert", CA_CERTS, "struct variant CaCert::Pem", PEM)? {
            (0, path, _) => CaCert::Path(path),
            (_, name, pem) => CaCert::Pem { name, pem },
        })
    }
    fn write(&self, w: &mut Writer) {
        match self {
            CaCert::Path(p) => write_variant(w, CA_CERTS[0], &|w| w.str(p)),
            CaCert::Pem { name, pem } => write_variant(w, CA_CERTS[1], &|w| write_struct(w, PEM, &[name, pem])),
        }
    }
}

const CLIENT_CERTS: &[&str] = &["combined", "pair"];
const CERT_PAIR: &[&str] = &["cert", "key"];

impl Json for ClientCert {
    fn read(n: &Node, cx: &mut Cx) -> R<ClientCert> {
        Ok(match text_or_pair(n, cx, "enum ClientCert", CLIENT_CERTS, "struct variant ClientCert::Pair", CERT_PAIR)? {
            (0, combined, _) => ClientCert::Combined(combined),
            (_, cert, key) => ClientCert::Pair { cert, key },
        })
    }
    fn write(&self, w: &mut Writer) {
        match self {
            ClientCert::Combined(p) => write_variant(w, CLIENT_CERTS[0], &|w| w.str(p)),
            ClientCert::Pair { cert, key } => write_variant(w, CLIENT_CERTS[1], &|w| write_struct(w, CERT_PAIR, &[cert, key])),
        }
    }
}

impl Json for Secret {
    fn read(n: &Node, cx: &mut Cx) -> R<Secret> {
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
    fn write(&self, w: &mut Writer) {
        match self {
            Secret::Literal(s) => w.str(s),
            Secret::FromEnv(e) => write_variant(w, "env", &|w| w.str(&e.env)),
        }
    }
}

// ---- the model's structs: each its table of fields ---------------------------------------------------------

const PROJECT: &[&str] = &["schema_version", "target", "output", "registries", "harbor", "air_gap", "auth", "sandbox_image", "daemon"];

impl Json for Project {
    fn read(n: &Node, cx: &mut Cx) -> R<Project> {
        let mut p = Project::default();
        let Project { schema_version, target, output, registries, harbor, air_gap, auth, sandbox_image, daemon } = &mut p;
        read_struct(n, cx, "struct Project", PROJECT, 0, &mut [schema_version, target, output, registries, harbor, air_gap, auth, sandbox_image, daemon])?;
        Ok(p)
    }
    fn write(&self, w: &mut Writer) {
        let Project { schema_version, target, output, registries, harbor, air_gap, auth, sandbox_image, daemon } = self;
        write_struct(w, PROJECT, &[schema_version, target, output, registries, harbor, air_gap, auth, sandbox_image, daemon]);
    }
}

const TARGET: &[&str] = &["min", "max"];

impl Json for Target {
    fn read(n: &Node, cx: &mut Cx) -> R<Target> {
        let mut t = Target::default();
        read_struct(n, cx, "struct Target", TARGET, 0b11, &mut [&mut t.min, &mut t.max])?;
        Ok(t)
    }
    fn write(&self, w: &mut Writer) {
        write_struct(w, TARGET, &[&self.min, &self.max]);
    }
}

const REGISTRY: &[&str] = &["upstream", "endpoints", "server", "fallback_to_upstream", "upstream_reachable"];

impl Json for Registry {
    fn read(n: &Node, cx: &mut Cx) -> R<Registry> {
        let mut r = Registry::default();
        let Registry { upstream, endpoints, server, fallback_to_upstream, upstream_reachable } = &mut r;
        read_struct(n, cx, "struct Registry", REGISTRY, 0, &mut [upstream, endpoints, server, fallback_to_upstream, upstream_reachable])?;
        Ok(r)
    }
    fn write(&self, w: &mut Writer) {
        let Registry { upstream, endpoints, server, fallback_to_upstream, upstream_reachable } = self;
        let fields: [&dyn Field; 5] = [upstream, endpoints, server, fallback_to_upstream, upstream_reachable];
        // `upstream_reachable` left out while true, so older files and share links stay as they were.
        write_struct(w, REGISTRY, &fields[..if *upstream_reachable { 4 } else { 5 }]);
    }
}

const ENDPOINT: &[&str] = &["url", "kind", "capabilities", "override_path", "tls", "headers", "dial_timeout"];

impl Json for Endpoint {
    fn read(n: &Node, cx: &mut Cx) -> R<Endpoint> {
        let mut e = Endpoint::default();
        let Endpoint { url, kind, capabilities, override_path, tls, headers, dial_timeout } = &mut e;
        read_struct(n, cx, "struct Endpoint", ENDPOINT, 0, &mut [url, kind, capabilities, override_path, tls, headers, dial_timeout])?;
        Ok(e)
    }
    fn write(&self, w: &mut Writer) {
        let Endpoint { url, kind, capabilities, override_path, tls, headers, dial_timeout } = self;
        write_struct(w, ENDPOINT, &[url, kind, capabilities, override_path, tls, headers, dial_timeout]);
    }
}

const TLS: &[&str] = &["ca", "client", "skip_verify"];

impl Json for Tls {
    fn read(n: &Node, cx: &mut Cx) -> R<Tls> {
        let mut t = Tls::default();
        let Tls { ca, client, skip_verify } = &mut t;
        read_struct(n, cx, "struct Tls", TLS, 0, &mut [ca, client, skip_verify])?;
        Ok(t)
    }
    fn write(&self, w: &mut Writer) {
        let Tls { ca, client, skip_verify } = self;
        write_struct(w, TLS, &[ca, client, skip_verify]);
    }
}

const HEADER: &[&str] = &["name", "values"];

impl Json for Header {
    fn read(n: &Node, cx: &mut Cx) -> R<Header> {
        let mut h = Header::default();
        read_struct(n, cx, "struct Header", HEADER, 0b11, &mut [&mut h.name, &mut h.values])?;
        Ok(h)
    }
    fn write(&self, w: &mut Writer) {
        write_struct(w, HEADER, &[&self.name, &self.values]);
    }
}

const HARBOR: &[&str] = &["address", "mode", "fallback_to_upstream", "tls", "mappings"];

impl Json for HarborProxy {
    fn read(n: &Node, cx: &mut Cx) -> R<HarborProxy> {
        let mut h = HarborProxy::default();
        let HarborProxy { address, mode, fallback_to_upstream, tls, mappings } = &mut h;
        read_struct(n, cx, "struct HarborProxy", HARBOR, 0, &mut [address, mode, fallback_to_upstream, tls, mappings])?;
        Ok(h)
    }
    fn write(&self, w: &mut Writer) {
        let HarborProxy { address, mode, fallback_to_upstream, tls, mappings } = self;
        write_struct(w, HARBOR, &[address, mode, fallback_to_upstream, tls, mappings]);
    }
}

const MAPPING: &[&str] = &["upstream", "project"];

impl Json for HarborMapping {
    fn read(n: &Node, cx: &mut Cx) -> R<HarborMapping> {
        let mut m = HarborMapping::default();
        read_struct(n, cx, "struct HarborMapping", MAPPING, 0b11, &mut [&mut m.upstream, &mut m.project])?;
        Ok(m)
    }
    fn write(&self, w: &mut Writer) {
        write_struct(w, MAPPING, &[&self.upstream, &self.project]);
    }
}

const AIR_GAP: &[&str] = &["registry", "tls", "fallback_to_upstream", "namespaces"];

impl Json for AirGap {
    fn read(n: &Node, cx: &mut Cx) -> R<AirGap> {
        let mut a = AirGap::default();
        let AirGap { registry, tls, fallback_to_upstream, namespaces } = &mut a;
        read_struct(n, cx, "struct AirGap", AIR_GAP, 0, &mut [registry, tls, fallback_to_upstream, namespaces])?;
        Ok(a)
    }
    fn write(&self, w: &mut Writer) {
        let AirGap { registry, tls, fallback_to_upstream, namespaces } = self;
        write_struct(w, AIR_GAP, &[registry, tls, fallback_to_upstream, namespaces]);
    }
}

const CREDENTIAL: &[&str] = &["host", "method"];

impl Json for Credential {
    fn read(n: &Node, cx: &mut Cx) -> R<Credential> {
        // A placeholder method until the required one is read.
        let mut c = Credential { host: String::new(), method: AuthMethod::Auth { auth: Secret::default() } };
        read_struct(n, cx, "struct Credential", CREDENTIAL, 0b11, &mut [&mut c.host, &mut c.method])?;
        Ok(c)
    }
    fn write(&self, w: &mut Writer) {
        write_struct(w, CREDENTIAL, &[&self.host, &self.method]);
    }
}

const METHODS: &[&str] = &["basic", "auth", "identity_token"];
const BASIC: &[&str] = &["username", "password", "encode_as_auth"];

impl Json for AuthMethod {
    fn read(n: &Node, cx: &mut Cx) -> R<AuthMethod> {
        let all = members(n, cx, "internally tagged enum AuthMethod")?;
        let mut tags = all.iter().filter(|m| m.key == "type");
        let Some(tag) = tags.next() else { return Err(data(n, "missing field `type`".into())) };
        if let Some(again) = tags.next() {
            let at = Node { line: again.line, column: again.column, kind: Kind::Null };
            return Err(data(&at, "duplicate field `type`".into()));
        }
        let Kind::String(name) = &tag.value.kind else { return Err(invalid_type(&tag.value, "variant identifier")) };
        let variant = METHODS.iter().position(|m| m == name).ok_or_else(|| unknown_variant(&tag.value, name, METHODS))?;
        let skip = Some("type");
        let mut secret = Secret::default();
        match variant {
            0 => {
                let (mut username, mut encode_as_auth) = (String::new(), false);
                read_fields(n, all, skip, cx, BASIC, 0b011, &mut [&mut username, &mut secret, &mut encode_as_auth])?;
                Ok(AuthMethod::Basic { username, password: secret, encode_as_auth })
            }
            1 => {
                read_fields(n, all, skip, cx, &["auth"], 1, &mut [&mut secret])?;
                Ok(AuthMethod::Auth { auth: secret })
            }
            _ => {
                read_fields(n, all, skip, cx, &["token"], 1, &mut [&mut secret])?;
                Ok(AuthMethod::IdentityToken { token: secret })
            }
        }
    }
    fn write(&self, w: &mut Writer) {
        w.begin_object();
        w.key("type");
        match self {
            AuthMethod::Basic { username, password, encode_as_auth } => {
                w.str(METHODS[0]);
                write_fields(w, BASIC, &[username, password, encode_as_auth]);
            }
            AuthMethod::Auth { auth } => {
                w.str(METHODS[1]);
                write_fields(w, &["auth"], &[auth]);
            }
            AuthMethod::IdentityToken { token } => {
                w.str(METHODS[2]);
                write_fields(w, &["token"], &[token]);
            }
        }
        w.end_object();
    }
}

const DAEMON: &[&str] = &["root", "state", "oom_score", "imports", "debug", "metrics_address", "snapshotter"];

impl Json for Daemon {
    fn read(n: &Node, cx: &mut Cx) -> R<Daemon> {
        let mut d = Daemon::default();
        let Daemon { root, state, oom_score, imports, debug, metrics_address, snapshotter } = &mut d;
        read_struct(n, cx, "struct Daemon", DAEMON, 0, &mut [root, state, oom_score, imports, debug, metrics_address, snapshotter])?;
        Ok(d)
    }
    fn write(&self, w: &mut Writer) {
        let Daemon { root, state, oom_score, imports, debug, metrics_address, snapshotter } = self;
        write_struct(w, DAEMON, &[root, state, oom_score, imports, debug, metrics_address, snapshotter]);
    }
}

const DEBUG: &[&str] = &["address", "level"];

impl Json for DebugSettings {
    fn read(n: &Node, cx: &mut Cx) -> R<DebugSettings> {
        let mut d = DebugSettings::default();
        read_struct(n, cx, "struct DebugSettings", DEBUG, 0, &mut [&mut d.address, &mut d.level])?;
        Ok(d)
    }
    fn write(&self, w: &mut Writer) {
        write_struct(w, DEBUG, &[&self.address, &self.level]);
    }
}

// ---- the module's entry points -----------------------------------------------------------------------------

/// A whole project from its JSON tree.
pub fn read_project(n: &Node) -> Result<Project, LoadError> {
    Project::read(n, &mut Cx::default())
}

/// A target range (also what the page sends its import module).
pub fn read_target(n: &Node) -> Result<Target, LoadError> {
    Target::read(n, &mut Cx::default())
}

/// The project as compact JSON (share links, drafts, the text between the page's modules).
pub fn to_string(p: &Project) -> String {
    let mut w = Writer::new(false);
    p.write(&mut w);
    w.finish()
}

/// The project as pretty JSON (the project file).
pub fn to_string_pretty(p: &Project) -> String {
    let mut w = Writer::new(true);
    p.write(&mut w);
    w.finish()
}

pub fn write_project(w: &mut Writer, p: &Project) {
    p.write(w)
}

pub fn write_target(w: &mut Writer, t: &Target) {
    t.write(w)
}

/// A target range as compact JSON.
pub fn target_to_string(t: &Target) -> String {
    let mut w = Writer::new(false);
    t.write(&mut w);
    w.finish()
}
