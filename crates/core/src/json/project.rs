//! The project file's format, read and written by hand: every rule the model's serde attributes state, kept
//! here the same way (the tests hold both to each other). `deny_unknown_fields` (a misspelt field is an error
//! naming the fields there are), a repeated field is an error, a missing field takes the struct's default where
//! the struct has one, `upstream_reachable` is left out while true, enums are snake_case (a unit variant also as
//! `{"legacy": null}`, as serde_json reads it), `AuthMethod` is tagged by `"type"`, `Secret` is a string or
//! `{"env": …}`, `CaCert` / `ClientCert` are `{"variant": …}`, a version is its text, numbers are integers in
//! their type's range. Where the format has an object an array is refused, with its field path and position
//! ([`LoadError::NotAnObject`]); serde would read it positionally.
//!
//! Each struct is a table of its field names and its fields as `dyn Field`, read by one walker and written by
//! another: code per struct, per field, per generic instance is what this module cost the page's wasm (issue 8).

use super::{Error, Kind, Member, Node, Writer};
use crate::load::LoadError;
use crate::model::*;
use crate::version::ContainerdVersion;

/// The reader's result: the error boxed, so that every `?` on the way out moves a pointer, not a `LoadError`.
type R<T> = Result<T, Box<LoadError>>;

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

    fn not_an_object(&self, n: &Node) -> Box<LoadError> {
        Box::new(LoadError::NotAnObject { path: self.path(), line: n.line, column: n.column })
    }
}

fn data(n: &Node, message: String) -> Box<LoadError> {
    Box::new(LoadError::Format(Error::data(message, n)))
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

fn invalid_type(n: &Node, expected: &str) -> Box<LoadError> {
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

/// A model value as the one struct walker ([`read_fields`], [`write_struct`]) sees a field: read in place,
/// written. Through `dyn`, so each struct is a table of its fields rather than code of its own per field.
trait Field {
    /// Reads `n` into `self`, which holds the field's default (what a missing field keeps). A struct is read
    /// into its parent's default, which is the struct's own (`a_present_struct_starts_from_its_own_default`).
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()>;
    fn write(&self, w: &mut Writer);
}

/// What a list item or an option's value is read into: the type's default, or for the types without one a
/// placeholder that reading replaces whole.
trait Fresh: Field + Sized {
    fn fresh() -> Self;
}

impl<T: Field + Default> Fresh for T {
    fn fresh() -> T {
        T::default()
    }
}

impl Field for u32 {
    fn read(&mut self, n: &Node, _: &mut Cx) -> R<()> {
        *self = match &n.kind {
            Kind::Number(s) => match number(s) {
                Number::Unsigned(v) if v <= u64::from(u32::MAX) => v as u32,
                Number::Unsigned(_) | Number::Negative(_) => return Err(out_of_range(n, s, "u32")),
                Number::Float => return Err(invalid_type(n, "u32")),
            },
            _ => return Err(invalid_type(n, "u32")),
        };
        Ok(())
    }
    fn write(&self, w: &mut Writer) {
        w.number(&self.to_string())
    }
}

impl Field for i64 {
    fn read(&mut self, n: &Node, _: &mut Cx) -> R<()> {
        *self = match &n.kind {
            Kind::Number(s) => match number(s) {
                Number::Unsigned(v) if v <= i64::MAX as u64 => v as i64,
                Number::Negative(v) => v,
                Number::Unsigned(_) => return Err(out_of_range(n, s, "i64")),
                Number::Float => return Err(invalid_type(n, "i64")),
            },
            _ => return Err(invalid_type(n, "i64")),
        };
        Ok(())
    }
    fn write(&self, w: &mut Writer) {
        w.number(&self.to_string())
    }
}

fn out_of_range(n: &Node, s: &str, ty: &str) -> Box<LoadError> {
    data(n, format!("invalid value: integer `{s}`, expected {ty}"))
}

impl Field for String {
    fn read(&mut self, n: &Node, _: &mut Cx) -> R<()> {
        let Kind::String(s) = &n.kind else { return Err(invalid_type(n, "a string")) };
        self.clone_from(s);
        Ok(())
    }
    fn write(&self, w: &mut Writer) {
        w.str(self)
    }
}

impl Field for bool {
    fn read(&mut self, n: &Node, _: &mut Cx) -> R<()> {
        let Kind::Bool(b) = n.kind else { return Err(invalid_type(n, "a boolean")) };
        *self = b;
        Ok(())
    }
    fn write(&self, w: &mut Writer) {
        w.bool(*self)
    }
}

impl Field for ContainerdVersion {
    fn read(&mut self, n: &Node, _: &mut Cx) -> R<()> {
        let Kind::String(s) = &n.kind else { return Err(invalid_type(n, "a string")) };
        *self = s.parse().map_err(|e: crate::version::VersionParseError| data(n, e.to_string()))?;
        Ok(())
    }
    fn write(&self, w: &mut Writer) {
        w.str(&self.to_string())
    }
}

impl<T: Fresh> Field for Option<T> {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        match n.kind {
            Kind::Null => *self = None,
            _ => self.insert(T::fresh()).read(n, cx)?,
        }
        Ok(())
    }
    fn write(&self, w: &mut Writer) {
        match self {
            Some(v) => v.write(w),
            None => w.null(),
        }
    }
}

impl<T: Fresh> Field for Vec<T> {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        self.clear();
        read_items(n, cx, &mut |item, cx| {
            let mut v = T::fresh();
            v.read(item, cx)?;
            self.push(v);
            Ok(())
        })
    }
    fn write(&self, w: &mut Writer) {
        write_items(w, &|i| self.get(i).map(|x| x as &dyn Field));
    }
}

/// A list, its items by index until `item` has none (the generic part of writing a `Vec` is the indexing).
fn write_items<'a>(w: &mut Writer, item: &dyn Fn(usize) -> Option<&'a dyn Field>) {
    w.begin_array();
    let mut i = 0;
    while let Some(x) = item(i) {
        w.element();
        x.write(w);
        i += 1;
    }
    w.end_array();
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
                field.read(v, cx)?;
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
        field.write(w);
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

fn unknown_variant(at: &Node, name: &str, names: &[&str]) -> Box<LoadError> {
    data(at, format!("unknown variant `{name}`, expected {}", one_of(names)))
}

/// The snake_case unit enums: read by [`unit_variant`], written as their name (`NAMES` in declaration order).
macro_rules! unit_enum {
    ($ty:ident, $names:ident, [$($variant:ident),*]) => {
        impl Field for $ty {
            fn read(&mut self, n: &Node, _: &mut Cx) -> R<()> {
                *self = [$($ty::$variant),*][unit_variant(n, $names)?];
                Ok(())
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

impl Fresh for Capability {
    fn fresh() -> Capability {
        Capability::Pull
    }
}

impl Fresh for Snapshotter {
    fn fresh() -> Snapshotter {
        Snapshotter::Overlayfs
    }
}

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
        0 => a.read(v, cx)?,
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

impl Field for CaCert {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        *self = match text_or_pair(n, cx, "enum CaCert", CA_CERTS, "struct variant CaCert::Pem", PEM)? {
            (0, path, _) => CaCert::Path(path),
            (_, name, pem) => CaCert::Pem { name, pem },
        };
        Ok(())
    }
    fn write(&self, w: &mut Writer) {
        match self {
            CaCert::Path(p) => write_variant(w, CA_CERTS[0], &|w| w.str(p)),
            CaCert::Pem { name, pem } => write_variant(w, CA_CERTS[1], &|w| write_struct(w, PEM, &[name, pem])),
        }
    }
}

impl Fresh for CaCert {
    fn fresh() -> CaCert {
        CaCert::Path(String::new())
    }
}

const CLIENT_CERTS: &[&str] = &["combined", "pair"];
const CERT_PAIR: &[&str] = &["cert", "key"];

impl Field for ClientCert {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        *self = match text_or_pair(n, cx, "enum ClientCert", CLIENT_CERTS, "struct variant ClientCert::Pair", CERT_PAIR)? {
            (0, combined, _) => ClientCert::Combined(combined),
            (_, cert, key) => ClientCert::Pair { cert, key },
        };
        Ok(())
    }
    fn write(&self, w: &mut Writer) {
        match self {
            ClientCert::Combined(p) => write_variant(w, CLIENT_CERTS[0], &|w| w.str(p)),
            ClientCert::Pair { cert, key } => write_variant(w, CLIENT_CERTS[1], &|w| write_struct(w, CERT_PAIR, &[cert, key])),
        }
    }
}

impl Fresh for ClientCert {
    fn fresh() -> ClientCert {
        ClientCert::Combined(String::new())
    }
}

impl Field for Secret {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        let no_match = || data(n, "data did not match any variant of untagged enum Secret (a string, or {\"env\": \"NAME\"})".into());
        *self = match &n.kind {
            Kind::String(s) => Secret::Literal(s.clone()),
            Kind::Array(_) => return Err(cx.not_an_object(n)),
            Kind::Object(m) => match m.as_slice() {
                [Member { key, value: Node { kind: Kind::String(env), .. }, .. }] if key == "env" => Secret::FromEnv(EnvRef { env: env.clone() }),
                _ => return Err(no_match()),
            },
            _ => return Err(no_match()),
        };
        Ok(())
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

impl Field for Project {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        let Project { schema_version, target, output, registries, harbor, air_gap, auth, sandbox_image, daemon } = self;
        read_struct(n, cx, "struct Project", PROJECT, 0, &mut [schema_version, target, output, registries, harbor, air_gap, auth, sandbox_image, daemon])
    }
    fn write(&self, w: &mut Writer) {
        let Project { schema_version, target, output, registries, harbor, air_gap, auth, sandbox_image, daemon } = self;
        write_struct(w, PROJECT, &[schema_version, target, output, registries, harbor, air_gap, auth, sandbox_image, daemon]);
    }
}

const TARGET: &[&str] = &["min", "max"];

impl Field for Target {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        read_struct(n, cx, "struct Target", TARGET, 0b11, &mut [&mut self.min, &mut self.max])
    }
    fn write(&self, w: &mut Writer) {
        write_struct(w, TARGET, &[&self.min, &self.max]);
    }
}

const REGISTRY: &[&str] = &["upstream", "endpoints", "server", "fallback_to_upstream", "upstream_reachable"];

impl Field for Registry {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        let Registry { upstream, endpoints, server, fallback_to_upstream, upstream_reachable } = self;
        read_struct(n, cx, "struct Registry", REGISTRY, 0, &mut [upstream, endpoints, server, fallback_to_upstream, upstream_reachable])
    }
    fn write(&self, w: &mut Writer) {
        let Registry { upstream, endpoints, server, fallback_to_upstream, upstream_reachable } = self;
        let fields: [&dyn Field; 5] = [upstream, endpoints, server, fallback_to_upstream, upstream_reachable];
        // `upstream_reachable` left out while true, so older files and share links stay as they were.
        write_struct(w, REGISTRY, &fields[..if *upstream_reachable { 4 } else { 5 }]);
    }
}

const ENDPOINT: &[&str] = &["url", "kind", "capabilities", "override_path", "tls", "headers", "dial_timeout"];

impl Field for Endpoint {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        let Endpoint { url, kind, capabilities, override_path, tls, headers, dial_timeout } = self;
        read_struct(n, cx, "struct Endpoint", ENDPOINT, 0, &mut [url, kind, capabilities, override_path, tls, headers, dial_timeout])
    }
    fn write(&self, w: &mut Writer) {
        let Endpoint { url, kind, capabilities, override_path, tls, headers, dial_timeout } = self;
        write_struct(w, ENDPOINT, &[url, kind, capabilities, override_path, tls, headers, dial_timeout]);
    }
}

const TLS: &[&str] = &["ca", "client", "skip_verify"];

impl Field for Tls {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        let Tls { ca, client, skip_verify } = self;
        read_struct(n, cx, "struct Tls", TLS, 0, &mut [ca, client, skip_verify])
    }
    fn write(&self, w: &mut Writer) {
        let Tls { ca, client, skip_verify } = self;
        write_struct(w, TLS, &[ca, client, skip_verify]);
    }
}

const HEADER: &[&str] = &["name", "values"];

impl Field for Header {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        read_struct(n, cx, "struct Header", HEADER, 0b11, &mut [&mut self.name, &mut self.values])
    }
    fn write(&self, w: &mut Writer) {
        write_struct(w, HEADER, &[&self.name, &self.values]);
    }
}

const HARBOR: &[&str] = &["address", "mode", "fallback_to_upstream", "tls", "mappings"];

impl Field for HarborProxy {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        let HarborProxy { address, mode, fallback_to_upstream, tls, mappings } = self;
        read_struct(n, cx, "struct HarborProxy", HARBOR, 0, &mut [address, mode, fallback_to_upstream, tls, mappings])
    }
    fn write(&self, w: &mut Writer) {
        let HarborProxy { address, mode, fallback_to_upstream, tls, mappings } = self;
        write_struct(w, HARBOR, &[address, mode, fallback_to_upstream, tls, mappings]);
    }
}

const MAPPING: &[&str] = &["upstream", "project"];

impl Field for HarborMapping {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        read_struct(n, cx, "struct HarborMapping", MAPPING, 0b11, &mut [&mut self.upstream, &mut self.project])
    }
    fn write(&self, w: &mut Writer) {
        write_struct(w, MAPPING, &[&self.upstream, &self.project]);
    }
}

const AIR_GAP: &[&str] = &["registry", "tls", "fallback_to_upstream", "namespaces"];

impl Field for AirGap {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        let AirGap { registry, tls, fallback_to_upstream, namespaces } = self;
        read_struct(n, cx, "struct AirGap", AIR_GAP, 0, &mut [registry, tls, fallback_to_upstream, namespaces])
    }
    fn write(&self, w: &mut Writer) {
        let AirGap { registry, tls, fallback_to_upstream, namespaces } = self;
        write_struct(w, AIR_GAP, &[registry, tls, fallback_to_upstream, namespaces]);
    }
}

const CREDENTIAL: &[&str] = &["host", "method"];

impl Field for Credential {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        read_struct(n, cx, "struct Credential", CREDENTIAL, 0b11, &mut [&mut self.host, &mut self.method])
    }
    fn write(&self, w: &mut Writer) {
        write_struct(w, CREDENTIAL, &[&self.host, &self.method]);
    }
}

impl Fresh for Credential {
    fn fresh() -> Credential {
        // `method` is required: reading replaces this placeholder.
        Credential { host: String::new(), method: AuthMethod::Auth { auth: Secret::default() } }
    }
}

const METHODS: &[&str] = &["basic", "auth", "identity_token"];
const BASIC: &[&str] = &["username", "password", "encode_as_auth"];

impl Field for AuthMethod {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
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
        *self = match variant {
            0 => {
                let (mut username, mut encode_as_auth) = (String::new(), false);
                read_fields(n, all, skip, cx, BASIC, 0b011, &mut [&mut username, &mut secret, &mut encode_as_auth])?;
                AuthMethod::Basic { username, password: secret, encode_as_auth }
            }
            1 => {
                read_fields(n, all, skip, cx, &["auth"], 1, &mut [&mut secret])?;
                AuthMethod::Auth { auth: secret }
            }
            _ => {
                read_fields(n, all, skip, cx, &["token"], 1, &mut [&mut secret])?;
                AuthMethod::IdentityToken { token: secret }
            }
        };
        Ok(())
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

impl Field for Daemon {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        let Daemon { root, state, oom_score, imports, debug, metrics_address, snapshotter } = self;
        read_struct(n, cx, "struct Daemon", DAEMON, 0, &mut [root, state, oom_score, imports, debug, metrics_address, snapshotter])
    }
    fn write(&self, w: &mut Writer) {
        let Daemon { root, state, oom_score, imports, debug, metrics_address, snapshotter } = self;
        write_struct(w, DAEMON, &[root, state, oom_score, imports, debug, metrics_address, snapshotter]);
    }
}

const DEBUG: &[&str] = &["address", "level"];

impl Field for DebugSettings {
    fn read(&mut self, n: &Node, cx: &mut Cx) -> R<()> {
        read_struct(n, cx, "struct DebugSettings", DEBUG, 0, &mut [&mut self.address, &mut self.level])
    }
    fn write(&self, w: &mut Writer) {
        write_struct(w, DEBUG, &[&self.address, &self.level]);
    }
}

// ---- the module's entry points -----------------------------------------------------------------------------

/// A whole project from its JSON tree.
pub fn read_project(n: &Node) -> Result<Project, LoadError> {
    let mut p = Project::default();
    p.read(n, &mut Cx::default()).map_err(|e| *e)?;
    Ok(p)
}

/// A target range (also what the page sends its import module).
pub fn read_target(n: &Node) -> Result<Target, LoadError> {
    let mut t = Target::default();
    t.read(n, &mut Cx::default()).map_err(|e| *e)?;
    Ok(t)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct given in a file is read into its parent's default field: that must be the struct's own
    /// default, as serde starts a present struct from its own `Default`, or a missing field inside it would
    /// take the parent's idea of it.
    #[test]
    fn a_present_struct_starts_from_its_own_default() {
        let (p, e, h) = (Project::default(), Endpoint::default(), HarborProxy::default());
        assert_eq!(p.target, Target::default());
        assert_eq!(p.daemon, Daemon::default());
        assert_eq!(e.tls, Tls::default());
        assert_eq!(h.tls, Tls::default());
        assert_eq!(AirGap::default().tls, Tls::default());
        let tree = crate::json::parse(r#"{"daemon": {"debug": {}}, "registries": [{"endpoints": [{"tls": {}}]}]}"#).unwrap();
        let read = read_project(&tree).unwrap();
        assert_eq!(read.daemon, Daemon { debug: Some(DebugSettings::default()), ..Daemon::default() });
        assert_eq!(read.registries, vec![Registry { endpoints: vec![Endpoint::default()], ..Registry::default() }]);
    }
}
