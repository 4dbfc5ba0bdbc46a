//! Every change a user can make to a [`Project`], as a value: the web app's form dispatches an [`Edit`] and
//! [`apply`] performs it, so the model rules that go with a change live here, tested natively, and not in view
//! code:
//! - a Harbor-project endpoint is only reachable with `override_path`, so choosing that kind turns it on;
//! - a capability choice equal to the endpoint kind's defaults is stored as "the kind's defaults" (empty), so the
//!   kind keeps driving it;
//! - switching a CA between a node path and pasted PEM gives the PEM a file name from the endpoint's host;
//!   switching a client certificate between one file and a pair keeps the certificate path;
//! - switching an auth method carries user + password over to an `auth` value and back;
//! - an emptied optional text (server, dial timeout, daemon paths) is "not set", and an emptied `[debug]` table is
//!   dropped.
//!
//! An edit of an index that does not exist (a stale click after an undo) changes nothing.
//!
//! [`Edit::undo_key`] says how edits group into undo steps: typing in one text field is one step; every other edit
//! (a structural verb, a choice) is its own step.

use crate::model::*;
use crate::net;
use crate::presets::{COMMON_HARBOR_MAPPINGS, COMMON_UPSTREAMS};
use crate::secrets::{basic_auth, decode_auth};
use crate::version::{with_lines, ContainerdVersion, Lines};

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Which release lines the target covers; what already fits is kept.
    SetTargetLines(Lines),
    SetTargetMin(ContainerdVersion),
    SetTargetMax(ContainerdVersion),
    SetOutput(OutputStyle),

    /// A registry for the first common upstream not configured yet, with one empty endpoint.
    AddRegistry,
    RemoveRegistry { registry: usize },
    SetRegistry { registry: usize, field: RegistryField },
    AddEndpoint { registry: usize },
    RemoveEndpoint { registry: usize, endpoint: usize },
    /// Endpoint order is try order.
    MoveEndpoint { registry: usize, from: usize, to: usize },
    SetEndpoint { registry: usize, endpoint: usize, field: EndpointField },
    AddHeader { registry: usize, endpoint: usize },
    RemoveHeader { registry: usize, endpoint: usize, header: usize },
    SetHeaderName { registry: usize, endpoint: usize, header: usize, name: String },
    /// The header's first value.
    SetHeaderValue { registry: usize, endpoint: usize, header: usize, value: Secret },

    /// Turns Harbor on with `restore` (what was there before it was turned off) or the common mappings.
    EnableHarbor { restore: Option<Box<HarborProxy>> },
    DisableHarbor,
    SetHarbor(HarborField),
    /// The first common mapping whose upstream is not mapped yet, else an empty row.
    AddHarborMapping,
    RemoveHarborMapping { mapping: usize },
    SetHarborMapping { mapping: usize, field: MappingField },

    /// Turns the air-gap on with `restore` (what was there before it was turned off) or an empty one.
    EnableAirGap { restore: Option<Box<AirGap>> },
    DisableAirGap,
    SetAirGap(AirGapField),
    AddAirGapNamespace,
    /// Adds the usual registries not listed yet, dropping empty rows.
    AddCommonAirGapNamespaces,
    RemoveAirGapNamespace { index: usize },
    SetAirGapNamespace { index: usize, value: String },
    /// Empty = not set.
    SetSandboxImage(String),

    /// A basic-auth credential with no host yet.
    AddCredential,
    RemoveCredential { credential: usize },
    SetCredential { credential: usize, field: CredentialField },

    AddCa { owner: TlsOwner, kind: CaKind },
    RemoveCa { owner: TlsOwner, ca: usize },
    SetCa { owner: TlsOwner, ca: usize, field: CaField },
    /// A combined certificate + key file with no path yet.
    AddClientCert { owner: TlsOwner },
    RemoveClientCert { owner: TlsOwner, cert: usize },
    SetClientCert { owner: TlsOwner, cert: usize, field: ClientField },
    SetSkipVerify { owner: TlsOwner, value: bool },

    SetDaemon(DaemonField),
    AddImport,
    RemoveImport { index: usize },
    SetImport { index: usize, value: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum RegistryField {
    Upstream(String),
    FallbackToUpstream(bool),
    /// Empty = not set.
    Server(String),
    UpstreamReachable(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub enum EndpointField {
    Url(String),
    Kind(EndpointKind),
    OverridePath(bool),
    /// Empty = not set.
    DialTimeout(String),
    /// Turns one capability on or off.
    Capability(Capability, bool),
}

#[derive(Debug, Clone, PartialEq)]
pub enum HarborField {
    Address(String),
    Mode(HarborMode),
    FallbackToUpstream(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub enum MappingField {
    Upstream(String),
    Project(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum AirGapField {
    Registry(String),
    FallbackToUpstream(bool),
}

/// The three auth methods, as a choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    Basic,
    Auth,
    IdentityToken,
}

impl MethodKind {
    pub fn of(m: &AuthMethod) -> MethodKind {
        match m {
            AuthMethod::Basic { .. } => MethodKind::Basic,
            AuthMethod::Auth { .. } => MethodKind::Auth,
            AuthMethod::IdentityToken { .. } => MethodKind::IdentityToken,
        }
    }
    /// The method's `type` in the project file.
    pub fn key(self) -> &'static str {
        match self {
            MethodKind::Basic => "basic",
            MethodKind::Auth => "auth",
            MethodKind::IdentityToken => "identity_token",
        }
    }
    pub fn from_key(s: &str) -> Option<MethodKind> {
        [MethodKind::Basic, MethodKind::Auth, MethodKind::IdentityToken].into_iter().find(|k| k.key() == s)
    }
    /// The field name of the method's secret (`password`, `auth`, `token`).
    pub fn secret_field(self) -> &'static str {
        match self {
            MethodKind::Basic => "password",
            MethodKind::Auth => "auth",
            MethodKind::IdentityToken => "token",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CredentialField {
    Host(String),
    Method(MethodKind),
    /// Basic auth only.
    Username(String),
    /// The current method's secret (password, auth value or token).
    Secret(Secret),
    /// Basic auth only.
    EncodeAsAuth(bool),
}

/// Whose TLS settings an edit changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TlsOwner {
    Endpoint { registry: usize, endpoint: usize },
    Harbor,
    AirGap,
}

impl TlsOwner {
    /// The field path of the owner's `tls`.
    pub fn path(self) -> String {
        match self {
            TlsOwner::Endpoint { registry, endpoint } => format!("registries[{registry}].endpoints[{endpoint}].tls"),
            TlsOwner::Harbor => "harbor.tls".to_string(),
            TlsOwner::AirGap => "air_gap.tls".to_string(),
        }
    }
    pub fn tls(self, p: &Project) -> Option<&Tls> {
        match self {
            TlsOwner::Endpoint { registry, endpoint } => p.registries.get(registry)?.endpoints.get(endpoint).map(|e| &e.tls),
            TlsOwner::Harbor => p.harbor.as_ref().map(|h| &h.tls),
            TlsOwner::AirGap => p.air_gap.as_ref().map(|a| &a.tls),
        }
    }
    fn tls_mut(self, p: &mut Project) -> Option<&mut Tls> {
        match self {
            TlsOwner::Endpoint { registry, endpoint } => p.registries.get_mut(registry)?.endpoints.get_mut(endpoint).map(|e| &mut e.tls),
            TlsOwner::Harbor => p.harbor.as_mut().map(|h| &mut h.tls),
            TlsOwner::AirGap => p.air_gap.as_mut().map(|a| &mut a.tls),
        }
    }
    /// The URL the settings are for, as typed.
    pub fn url(self, p: &Project) -> String {
        match self {
            TlsOwner::Endpoint { registry, endpoint } => p.registries.get(registry).and_then(|r| r.endpoints.get(endpoint)).map(|e| e.url.trim().to_string()),
            TlsOwner::Harbor => p.harbor.as_ref().map(|h| h.address.trim().to_string()),
            TlsOwner::AirGap => p.air_gap.as_ref().map(|a| a.registry.trim().to_string()),
        }
        .unwrap_or_default()
    }
    /// Every owner the project has, in page order.
    pub fn all(p: &Project) -> Vec<TlsOwner> {
        let mut out: Vec<TlsOwner> = Vec::new();
        for (registry, r) in p.registries.iter().enumerate() {
            out.extend((0..r.endpoints.len()).map(|endpoint| TlsOwner::Endpoint { registry, endpoint }));
        }
        if p.harbor.is_some() {
            out.push(TlsOwner::Harbor);
        }
        if p.air_gap.is_some() {
            out.push(TlsOwner::AirGap);
        }
        out
    }
}

/// A CA on the node, or pasted PEM shipped in the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaKind {
    Path,
    Pem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CaField {
    Kind(CaKind),
    /// A node path (path kind only).
    Path(String),
    /// The shipped file's name (PEM kind only).
    Name(String),
    Pem(String),
    /// A file read from disk: its PEM text, and a name from its file name (kept as is when empty).
    Loaded { name: String, pem: String },
}

/// One file holding certificate and key, or two files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    Combined,
    Pair,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClientField {
    Kind(ClientKind),
    Combined(String),
    Cert(String),
    Key(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum DaemonField {
    /// Empty = not set, for every text here.
    Root(String),
    State(String),
    MetricsAddress(String),
    DebugAddress(String),
    DebugLevel(String),
    OomScore(Option<i64>),
    Snapshotter(Option<Snapshotter>),
}

/// Where a typed value goes, as [`Edit::undo_key`] compares it: the text field and the indices that place it (a
/// TLS owner takes two). A plain value rather than the field's path: it is made and compared on every keystroke,
/// and formatting a path each time would be code and work for nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UndoKey {
    field: TypedField,
    at: [usize; 3],
}

/// The text fields a user types into, one undo step per stretch of typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypedField {
    Upstream,
    Server,
    EndpointUrl,
    DialTimeout,
    HeaderName,
    HeaderValue,
    HarborAddress,
    MappingUpstream,
    MappingProject,
    AirGapRegistry,
    AirGapNamespace,
    SandboxImage,
    CredentialHost,
    Username,
    Secret,
    CaPath,
    CaName,
    CaPem,
    ClientCombined,
    ClientCert,
    ClientKey,
    DaemonRoot,
    DaemonState,
    MetricsAddress,
    DebugAddress,
    OomScore,
    Import,
    TargetMin,
    TargetMax,
}

impl TlsOwner {
    /// The owner as two indices of an [`UndoKey`]: an endpoint's own, Harbor's and the air-gap's past any registry.
    fn at(self) -> (usize, usize) {
        match self {
            TlsOwner::Endpoint { registry, endpoint } => (registry, endpoint),
            TlsOwner::Harbor => (usize::MAX, 0),
            TlsOwner::AirGap => (usize::MAX, 1),
        }
    }
}

impl Edit {
    /// Consecutive edits with the same key are one undo step (typing a host name is undone as a whole); `None`:
    /// always its own step (structural verbs, choices).
    pub fn undo_key(&self) -> Option<UndoKey> {
        use Edit::*;
        use TypedField as F;
        let key = |field, a: usize, b: usize, c: usize| UndoKey { field, at: [a, b, c] };
        let tls = |field, owner: &TlsOwner, i: usize| {
            let (a, b) = owner.at();
            key(field, a, b, i)
        };
        Some(match self {
            SetRegistry { registry, field: RegistryField::Upstream(_) } => key(F::Upstream, *registry, 0, 0),
            SetRegistry { registry, field: RegistryField::Server(_) } => key(F::Server, *registry, 0, 0),
            SetEndpoint { registry, endpoint, field: EndpointField::Url(_) } => key(F::EndpointUrl, *registry, *endpoint, 0),
            SetEndpoint { registry, endpoint, field: EndpointField::DialTimeout(_) } => key(F::DialTimeout, *registry, *endpoint, 0),
            SetHeaderName { registry, endpoint, header, .. } => key(F::HeaderName, *registry, *endpoint, *header),
            SetHeaderValue { registry, endpoint, header, .. } => key(F::HeaderValue, *registry, *endpoint, *header),
            SetHarbor(HarborField::Address(_)) => key(F::HarborAddress, 0, 0, 0),
            SetHarborMapping { mapping, field: MappingField::Upstream(_) } => key(F::MappingUpstream, *mapping, 0, 0),
            SetHarborMapping { mapping, field: MappingField::Project(_) } => key(F::MappingProject, *mapping, 0, 0),
            SetAirGap(AirGapField::Registry(_)) => key(F::AirGapRegistry, 0, 0, 0),
            SetAirGapNamespace { index, .. } => key(F::AirGapNamespace, *index, 0, 0),
            SetSandboxImage(_) => key(F::SandboxImage, 0, 0, 0),
            SetCredential { credential, field: CredentialField::Host(_) } => key(F::CredentialHost, *credential, 0, 0),
            SetCredential { credential, field: CredentialField::Username(_) } => key(F::Username, *credential, 0, 0),
            SetCredential { credential, field: CredentialField::Secret(_) } => key(F::Secret, *credential, 0, 0),
            SetCa { owner, ca, field: CaField::Path(_) } => tls(F::CaPath, owner, *ca),
            SetCa { owner, ca, field: CaField::Name(_) } => tls(F::CaName, owner, *ca),
            SetCa { owner, ca, field: CaField::Pem(_) } => tls(F::CaPem, owner, *ca),
            SetClientCert { owner, cert, field: ClientField::Combined(_) } => tls(F::ClientCombined, owner, *cert),
            SetClientCert { owner, cert, field: ClientField::Cert(_) } => tls(F::ClientCert, owner, *cert),
            SetClientCert { owner, cert, field: ClientField::Key(_) } => tls(F::ClientKey, owner, *cert),
            SetDaemon(f) => key(
                match f {
                    DaemonField::Root(_) => F::DaemonRoot,
                    DaemonField::State(_) => F::DaemonState,
                    DaemonField::MetricsAddress(_) => F::MetricsAddress,
                    DaemonField::DebugAddress(_) => F::DebugAddress,
                    DaemonField::OomScore(_) => F::OomScore,
                    DaemonField::DebugLevel(_) | DaemonField::Snapshotter(_) => return None,
                },
                0,
                0,
                0,
            ),
            SetImport { index, .. } => key(F::Import, *index, 0, 0),
            // A typed version is text too, but only a valid one reaches the model: still one step per field.
            SetTargetMin(_) => key(F::TargetMin, 0, 0, 0),
            SetTargetMax(_) => key(F::TargetMax, 0, 0, 0),
            _ => return None,
        })
    }
}

fn optional(v: &str) -> Option<String> {
    if v.trim().is_empty() {
        None
    } else {
        Some(v.to_string())
    }
}

fn remove_at<T>(v: &mut Vec<T>, i: usize) {
    if i < v.len() {
        v.remove(i);
    }
}

fn endpoint_mut(p: &mut Project, registry: usize, endpoint: usize) -> Option<&mut Endpoint> {
    p.registries.get_mut(registry)?.endpoints.get_mut(endpoint)
}

/// The first common upstream no registry configures yet (empty when all are).
pub fn next_upstream(p: &Project) -> String {
    COMMON_UPSTREAMS.iter().find(|u| !p.registries.iter().any(|r| r.upstream == **u)).map(|u| u.to_string()).unwrap_or_default()
}

/// The common Harbor mappings (upstream → proxy-cache project).
pub fn common_mappings() -> Vec<HarborMapping> {
    COMMON_HARBOR_MAPPINGS.iter().map(|(u, p)| HarborMapping { upstream: u.to_string(), project: p.to_string() }).collect()
}

/// The row "Add a mapping" offers: a common upstream not mapped yet, else an empty row.
pub fn next_mapping(h: &HarborProxy) -> HarborMapping {
    COMMON_HARBOR_MAPPINGS
        .iter()
        .find(|(u, _)| !h.mappings.iter().any(|m| m.upstream.trim() == *u))
        .map(|(u, p)| HarborMapping { upstream: u.to_string(), project: p.to_string() })
        .unwrap_or_default()
}

/// The usual air-gap registries not in `list` yet.
pub fn missing_air_gap_namespaces(list: &[String]) -> Vec<String> {
    SEED_AIR_GAP_NAMESPACES.iter().filter(|n| !list.iter().any(|x| x.trim() == **n)).map(|n| n.to_string()).collect()
}

/// A file name for a pasted CA: from the host of the URL, so two hosts in one directory do not collide.
pub fn default_ca_name(url: &str, k: usize) -> String {
    let host = net::parse_url(url).ok().map(|u| u.host_port).unwrap_or_default();
    let base: String = host.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
    let base = if base.is_empty() { "registry".to_string() } else { base };
    if k == 0 {
        format!("{base}-ca")
    } else {
        format!("{base}-ca{}", k + 1)
    }
}

/// The method after choosing `kind`, carrying over what can be carried: user + password ⇄ `auth` value.
pub fn convert_method(m: &AuthMethod, kind: MethodKind) -> AuthMethod {
    match (m, kind) {
        (m, k) if MethodKind::of(m) == k => m.clone(),
        (AuthMethod::Auth { auth: Secret::Literal(a) }, MethodKind::Basic) => match decode_auth(a) {
            Ok((username, password)) => AuthMethod::Basic { username, password: Secret::Literal(password), encode_as_auth: true },
            Err(_) => AuthMethod::Basic { username: String::new(), password: Secret::default(), encode_as_auth: true },
        },
        (_, MethodKind::Basic) => AuthMethod::Basic { username: String::new(), password: Secret::default(), encode_as_auth: false },
        (AuthMethod::Basic { username, password: Secret::Literal(pw), .. }, MethodKind::Auth) if !username.is_empty() && !pw.is_empty() => {
            AuthMethod::Auth { auth: Secret::Literal(basic_auth(username, pw)) }
        }
        (_, MethodKind::Auth) => AuthMethod::Auth { auth: Secret::default() },
        (_, MethodKind::IdentityToken) => AuthMethod::IdentityToken { token: Secret::default() },
    }
}

/// Sets the endpoint's capability `c` on or off; a result equal to the kind's defaults is stored as empty.
fn set_capability(e: &mut Endpoint, c: Capability, on: bool) {
    let mut caps = e.effective_capabilities();
    if on && !caps.contains(&c) {
        caps.push(c);
    } else if !on {
        caps.retain(|x| *x != c);
    }
    // In the declaration order (pull, resolve, push, referrers): a filter over the four, not a sort, which would
    // be one more copy of the standard library's sort in the wasm.
    let caps: Vec<Capability> = [Capability::Pull, Capability::Resolve, Capability::Push, Capability::Referrers]
        .into_iter().filter(|x| caps.contains(x)).collect();
    e.capabilities = if caps == e.kind.default_capabilities() { Vec::new() } else { caps };
}

/// Sets a debug field, dropping the `[debug]` table when nothing is left in it.
fn set_debug(p: &mut Project, f: impl FnOnce(&mut DebugSettings)) {
    let mut d = p.daemon.debug.clone().unwrap_or_default();
    f(&mut d);
    p.daemon.debug = if d == DebugSettings::default() { None } else { Some(d) };
}

/// Performs `edit` on `p`.
pub fn apply(p: &mut Project, edit: &Edit) {
    use Edit::*;
    match edit {
        SetTargetLines(lines) => p.target = with_lines(&p.target, *lines),
        SetTargetMin(v) => p.target.min = *v,
        SetTargetMax(v) => p.target.max = *v,
        SetOutput(style) => p.output = *style,

        AddRegistry => {
            let upstream = next_upstream(p);
            p.registries.push(Registry { upstream, endpoints: vec![Endpoint::default()], ..Default::default() });
        }
        RemoveRegistry { registry } => remove_at(&mut p.registries, *registry),
        SetRegistry { registry, field } => {
            let Some(r) = p.registries.get_mut(*registry) else { return };
            match field {
                RegistryField::Upstream(v) => r.upstream = v.clone(),
                RegistryField::FallbackToUpstream(v) => r.fallback_to_upstream = *v,
                RegistryField::Server(v) => r.server = optional(v),
                RegistryField::UpstreamReachable(v) => r.upstream_reachable = *v,
            }
        }
        AddEndpoint { registry } => {
            if let Some(r) = p.registries.get_mut(*registry) {
                r.endpoints.push(Endpoint::default());
            }
        }
        RemoveEndpoint { registry, endpoint } => {
            if let Some(r) = p.registries.get_mut(*registry) {
                remove_at(&mut r.endpoints, *endpoint);
            }
        }
        MoveEndpoint { registry, from, to } => {
            if let Some(r) = p.registries.get_mut(*registry) {
                if *from < r.endpoints.len() && *to < r.endpoints.len() {
                    let e = r.endpoints.remove(*from);
                    r.endpoints.insert(*to, e);
                }
            }
        }
        SetEndpoint { registry, endpoint, field } => {
            let Some(e) = endpoint_mut(p, *registry, *endpoint) else { return };
            match field {
                EndpointField::Url(v) => e.url = v.clone(),
                EndpointField::Kind(k) => {
                    e.kind = *k;
                    // A Harbor project is only reachable with override_path.
                    if e.kind == EndpointKind::HarborProject {
                        e.override_path = true;
                    }
                }
                EndpointField::OverridePath(v) => e.override_path = *v,
                EndpointField::DialTimeout(v) => e.dial_timeout = optional(v),
                EndpointField::Capability(c, on) => set_capability(e, *c, *on),
            }
        }
        AddHeader { registry, endpoint } => {
            if let Some(e) = endpoint_mut(p, *registry, *endpoint) {
                e.headers.push(Header { name: String::new(), values: vec![Secret::literal("")] });
            }
        }
        RemoveHeader { registry, endpoint, header } => {
            if let Some(e) = endpoint_mut(p, *registry, *endpoint) {
                remove_at(&mut e.headers, *header);
            }
        }
        SetHeaderName { registry, endpoint, header, name } => {
            if let Some(h) = endpoint_mut(p, *registry, *endpoint).and_then(|e| e.headers.get_mut(*header)) {
                h.name = name.clone();
            }
        }
        SetHeaderValue { registry, endpoint, header, value } => {
            if let Some(h) = endpoint_mut(p, *registry, *endpoint).and_then(|e| e.headers.get_mut(*header)) {
                match h.values.first_mut() {
                    Some(first) => *first = value.clone(),
                    None => h.values.push(value.clone()),
                }
            }
        }

        EnableHarbor { restore } => {
            if p.harbor.is_none() {
                p.harbor = Some(restore.as_deref().cloned().unwrap_or_else(|| HarborProxy { mappings: common_mappings(), ..Default::default() }));
            }
        }
        DisableHarbor => p.harbor = None,
        SetHarbor(field) => {
            let Some(h) = p.harbor.as_mut() else { return };
            match field {
                HarborField::Address(v) => h.address = v.clone(),
                HarborField::Mode(m) => h.mode = *m,
                HarborField::FallbackToUpstream(v) => h.fallback_to_upstream = *v,
            }
        }
        AddHarborMapping => {
            if let Some(h) = p.harbor.as_mut() {
                let row = next_mapping(h);
                h.mappings.push(row);
            }
        }
        RemoveHarborMapping { mapping } => {
            if let Some(h) = p.harbor.as_mut() {
                remove_at(&mut h.mappings, *mapping);
            }
        }
        SetHarborMapping { mapping, field } => {
            let Some(m) = p.harbor.as_mut().and_then(|h| h.mappings.get_mut(*mapping)) else { return };
            match field {
                MappingField::Upstream(v) => m.upstream = v.clone(),
                MappingField::Project(v) => m.project = v.clone(),
            }
        }

        EnableAirGap { restore } => {
            if p.air_gap.is_none() {
                p.air_gap = Some(restore.as_deref().cloned().unwrap_or_default());
            }
        }
        DisableAirGap => p.air_gap = None,
        SetAirGap(field) => {
            let Some(a) = p.air_gap.as_mut() else { return };
            match field {
                AirGapField::Registry(v) => a.registry = v.clone(),
                AirGapField::FallbackToUpstream(v) => a.fallback_to_upstream = *v,
            }
        }
        AddAirGapNamespace => {
            if let Some(a) = p.air_gap.as_mut() {
                a.namespaces.push(String::new());
            }
        }
        AddCommonAirGapNamespaces => {
            if let Some(a) = p.air_gap.as_mut() {
                let missing = missing_air_gap_namespaces(&a.namespaces);
                // Empty rows are filled first, so the list does not keep holes.
                a.namespaces.retain(|n| !n.trim().is_empty());
                a.namespaces.extend(missing);
            }
        }
        RemoveAirGapNamespace { index } => {
            if let Some(a) = p.air_gap.as_mut() {
                remove_at(&mut a.namespaces, *index);
            }
        }
        SetAirGapNamespace { index, value } => {
            if let Some(n) = p.air_gap.as_mut().and_then(|a| a.namespaces.get_mut(*index)) {
                *n = value.clone();
            }
        }
        SetSandboxImage(v) => p.sandbox_image = if v.is_empty() { None } else { Some(v.clone()) },

        AddCredential => p.auth.push(Credential {
            host: String::new(),
            method: AuthMethod::Basic { username: String::new(), password: Secret::default(), encode_as_auth: false },
        }),
        RemoveCredential { credential } => remove_at(&mut p.auth, *credential),
        SetCredential { credential, field } => {
            let Some(c) = p.auth.get_mut(*credential) else { return };
            match (field, &mut c.method) {
                (CredentialField::Host(v), _) => c.host = v.clone(),
                (CredentialField::Method(k), m) => *m = convert_method(m, *k),
                (CredentialField::Username(v), AuthMethod::Basic { username, .. }) => *username = v.clone(),
                (CredentialField::EncodeAsAuth(v), AuthMethod::Basic { encode_as_auth, .. }) => *encode_as_auth = *v,
                (CredentialField::Secret(s), AuthMethod::Basic { password, .. }) => *password = s.clone(),
                (CredentialField::Secret(s), AuthMethod::Auth { auth }) => *auth = s.clone(),
                (CredentialField::Secret(s), AuthMethod::IdentityToken { token }) => *token = s.clone(),
                (CredentialField::Username(_) | CredentialField::EncodeAsAuth(_), _) => {}
            }
        }

        AddCa { owner, kind } => {
            let url = owner.url(p);
            let Some(t) = owner.tls_mut(p) else { return };
            let ca = match kind {
                CaKind::Path => CaCert::Path(String::new()),
                CaKind::Pem => CaCert::Pem { name: default_ca_name(&url, t.ca.len()), pem: String::new() },
            };
            t.ca.push(ca);
        }
        RemoveCa { owner, ca } => {
            if let Some(t) = owner.tls_mut(p) {
                remove_at(&mut t.ca, *ca);
            }
        }
        SetCa { owner, ca, field } => {
            let url = owner.url(p);
            let Some(c) = owner.tls_mut(p).and_then(|t| t.ca.get_mut(*ca)) else { return };
            match (field, &mut *c) {
                (CaField::Kind(CaKind::Pem), CaCert::Path(_)) => *c = CaCert::Pem { name: default_ca_name(&url, *ca), pem: String::new() },
                (CaField::Kind(CaKind::Path), CaCert::Pem { .. }) => *c = CaCert::Path(String::new()),
                (CaField::Path(v), CaCert::Path(path)) => *path = v.clone(),
                (CaField::Name(v), CaCert::Pem { name, .. }) => *name = v.clone(),
                (CaField::Pem(v), CaCert::Pem { pem, .. }) => *pem = v.clone(),
                (CaField::Loaded { name: n, pem: text }, CaCert::Pem { name, pem }) => {
                    *pem = text.clone();
                    if !n.is_empty() {
                        *name = n.clone();
                    }
                }
                _ => {}
            }
        }
        AddClientCert { owner } => {
            if let Some(t) = owner.tls_mut(p) {
                t.client.push(ClientCert::Combined(String::new()));
            }
        }
        RemoveClientCert { owner, cert } => {
            if let Some(t) = owner.tls_mut(p) {
                remove_at(&mut t.client, *cert);
            }
        }
        SetClientCert { owner, cert, field } => {
            let Some(c) = owner.tls_mut(p).and_then(|t| t.client.get_mut(*cert)) else { return };
            match (field, &mut *c) {
                // The combined file holds the certificate, so its path is the likeliest certificate path.
                (ClientField::Kind(ClientKind::Pair), ClientCert::Combined(path)) => {
                    *c = ClientCert::Pair { cert: std::mem::take(path), key: String::new() }
                }
                (ClientField::Kind(ClientKind::Combined), ClientCert::Pair { cert, .. }) => *c = ClientCert::Combined(std::mem::take(cert)),
                (ClientField::Combined(v), ClientCert::Combined(path)) => *path = v.clone(),
                (ClientField::Cert(v), ClientCert::Pair { cert, .. }) => *cert = v.clone(),
                (ClientField::Key(v), ClientCert::Pair { key, .. }) => *key = v.clone(),
                _ => {}
            }
        }
        SetSkipVerify { owner, value } => {
            if let Some(t) = owner.tls_mut(p) {
                t.skip_verify = *value;
            }
        }

        SetDaemon(field) => match field {
            DaemonField::Root(v) => p.daemon.root = optional(v),
            DaemonField::State(v) => p.daemon.state = optional(v),
            DaemonField::MetricsAddress(v) => p.daemon.metrics_address = optional(v),
            DaemonField::DebugAddress(v) => {
                let v = optional(v);
                set_debug(p, |d| d.address = v)
            }
            DaemonField::DebugLevel(v) => {
                let v = optional(v);
                set_debug(p, |d| d.level = v)
            }
            DaemonField::OomScore(v) => p.daemon.oom_score = *v,
            DaemonField::Snapshotter(v) => p.daemon.snapshotter = *v,
        },
        AddImport => p.daemon.imports.push(String::new()),
        RemoveImport { index } => remove_at(&mut p.daemon.imports, *index),
        SetImport { index, value } => {
            if let Some(x) = p.daemon.imports.get_mut(*index) {
                *x = value.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(mut p: Project, edits: &[Edit]) -> Project {
        for e in edits {
            apply(&mut p, e);
        }
        p
    }

    fn one_endpoint() -> Project {
        applied(Project::default(), &[Edit::AddRegistry])
    }

    const E00: (usize, usize) = (0, 0);

    fn set_endpoint(field: EndpointField) -> Edit {
        Edit::SetEndpoint { registry: E00.0, endpoint: E00.1, field }
    }

    #[test]
    fn added_registries_take_the_next_common_upstream_with_one_endpoint() {
        let p = applied(Project::default(), &[Edit::AddRegistry, Edit::AddRegistry]);
        let ups: Vec<&str> = p.registries.iter().map(|r| r.upstream.as_str()).collect();
        assert_eq!(ups, &COMMON_UPSTREAMS[..2]);
        assert_eq!(p.registries[1].endpoints, vec![Endpoint::default()]);
    }

    #[test]
    fn a_harbor_project_endpoint_gets_override_path() {
        let p = applied(one_endpoint(), &[set_endpoint(EndpointField::Kind(EndpointKind::HarborProject))]);
        assert!(p.registries[0].endpoints[0].override_path);
        // Turning it off again is the user's choice.
        let p = applied(p, &[set_endpoint(EndpointField::OverridePath(false))]);
        assert!(!p.registries[0].endpoints[0].override_path);
    }

    #[test]
    fn capabilities_equal_to_the_kind_defaults_are_stored_as_defaults() {
        let p = applied(one_endpoint(), &[set_endpoint(EndpointField::Capability(Capability::Push, true))]);
        assert_eq!(p.registries[0].endpoints[0].capabilities, [Capability::Pull, Capability::Resolve, Capability::Push]);
        let p = applied(p, &[set_endpoint(EndpointField::Capability(Capability::Push, false))]);
        assert!(p.registries[0].endpoints[0].capabilities.is_empty(), "back to the private mirror's defaults");
        // The kind then drives them: a private registry's defaults include push.
        let p = applied(p, &[set_endpoint(EndpointField::Kind(EndpointKind::PrivateRegistry))]);
        assert!(p.registries[0].endpoints[0].effective_capabilities().contains(&Capability::Push));
    }

    #[test]
    fn endpoints_move_and_stale_indexes_change_nothing() {
        let mut p = applied(one_endpoint(), &[Edit::AddEndpoint { registry: 0 }, Edit::AddEndpoint { registry: 0 }]);
        for (j, url) in ["https://a", "https://b", "https://c"].iter().enumerate() {
            apply(&mut p, &Edit::SetEndpoint { registry: 0, endpoint: j, field: EndpointField::Url(url.to_string()) });
        }
        let p = applied(p, &[Edit::MoveEndpoint { registry: 0, from: 2, to: 0 }]);
        let urls: Vec<&str> = p.registries[0].endpoints.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(urls, ["https://c", "https://a", "https://b"]);
        let before = p.clone();
        let p = applied(
            p,
            &[
                Edit::MoveEndpoint { registry: 0, from: 0, to: 3 },
                Edit::RemoveEndpoint { registry: 0, endpoint: 9 },
                Edit::RemoveRegistry { registry: 4 },
                Edit::SetEndpoint { registry: 1, endpoint: 0, field: EndpointField::Url("x".into()) },
                Edit::SetHarbor(HarborField::Address("h".into())),
            ],
        );
        assert_eq!(p, before);
    }

    #[test]
    fn upstream_reachable_is_set_and_left_out_of_the_file_at_its_default() {
        let set = |v| Edit::SetRegistry { registry: 0, field: RegistryField::UpstreamReachable(v) };
        let p = applied(one_endpoint(), &[set(false)]);
        assert!(!p.registries[0].upstream_reachable);
        assert!(serde_json::to_string(&p).unwrap().contains(r#""upstream_reachable":false"#));
        let p = applied(p, &[set(true)]);
        assert!(p.registries[0].upstream_reachable);
        assert!(!serde_json::to_string(&p).unwrap().contains("upstream_reachable"), "the default is not written");
    }

    #[test]
    fn emptied_optional_texts_are_not_set() {
        let p = applied(
            one_endpoint(),
            &[
                Edit::SetRegistry { registry: 0, field: RegistryField::Server("https://s".into()) },
                Edit::SetRegistry { registry: 0, field: RegistryField::Server("  ".into()) },
                set_endpoint(EndpointField::DialTimeout("3s".into())),
                set_endpoint(EndpointField::DialTimeout(String::new())),
                Edit::SetDaemon(DaemonField::DebugLevel("debug".into())),
                Edit::SetDaemon(DaemonField::DebugLevel(String::new())),
            ],
        );
        assert_eq!(p.registries[0].server, None);
        assert_eq!(p.registries[0].endpoints[0].dial_timeout, None);
        assert_eq!(p.daemon.debug, None, "an empty [debug] table is dropped");
    }

    #[test]
    fn harbor_starts_with_the_common_mappings_and_comes_back_as_it_was() {
        let p = applied(Project::default(), &[Edit::EnableHarbor { restore: None }]);
        assert_eq!(p.harbor.as_ref().unwrap().mappings, common_mappings());
        let p = applied(p, &[Edit::RemoveHarborMapping { mapping: 0 }, Edit::AddHarborMapping]);
        let last = p.harbor.as_ref().unwrap().mappings.last().unwrap().clone();
        assert_eq!(last.upstream, COMMON_HARBOR_MAPPINGS[0].0, "the unmapped common upstream is offered again");
        let kept = p.harbor.clone();
        let p = applied(p, &[Edit::DisableHarbor, Edit::EnableHarbor { restore: kept.clone().map(Box::new) }]);
        assert_eq!(p.harbor, kept);
    }

    #[test]
    fn added_mapping_rows_offer_the_next_common_upstream() {
        let mut h = HarborProxy { mappings: common_mappings(), ..Default::default() };
        assert_eq!(next_mapping(&h), HarborMapping::default(), "every common upstream is mapped: an empty row");
        h.mappings.remove(2);
        assert_eq!(next_mapping(&h), HarborMapping { upstream: "quay.io".into(), project: "quay".into() });
    }

    #[test]
    fn common_air_gap_namespaces_fill_empty_rows() {
        let p = applied(
            Project::default(),
            &[
                Edit::EnableAirGap { restore: None },
                Edit::AddAirGapNamespace,
                Edit::AddAirGapNamespace,
                Edit::SetAirGapNamespace { index: 1, value: "quay.io".into() },
                Edit::AddCommonAirGapNamespaces,
            ],
        );
        let ns = &p.air_gap.as_ref().unwrap().namespaces;
        assert_eq!(ns[0], "quay.io");
        assert_eq!(ns.len(), SEED_AIR_GAP_NAMESPACES.len());
        assert!(ns.iter().all(|n| !n.is_empty()));
    }

    #[test]
    fn switching_auth_methods_carries_the_credentials_over() {
        let basic = AuthMethod::Basic { username: "robot$pull".into(), password: Secret::literal("s3cr3t"), encode_as_auth: false };
        let auth = convert_method(&basic, MethodKind::Auth);
        assert_eq!(auth, AuthMethod::Auth { auth: Secret::literal("cm9ib3QkcHVsbDpzM2NyM3Q=") });
        assert_eq!(
            convert_method(&auth, MethodKind::Basic),
            AuthMethod::Basic { username: "robot$pull".into(), password: Secret::literal("s3cr3t"), encode_as_auth: true }
        );
        assert_eq!(convert_method(&basic, MethodKind::IdentityToken), AuthMethod::IdentityToken { token: Secret::default() });
        assert_eq!(convert_method(&basic, MethodKind::Basic), basic);
        // The secret edit sets whichever secret the current method has.
        let p = applied(
            Project::default(),
            &[
                Edit::AddCredential,
                Edit::SetCredential { credential: 0, field: CredentialField::Method(MethodKind::IdentityToken) },
                Edit::SetCredential { credential: 0, field: CredentialField::Secret(Secret::literal("tok")) },
                Edit::SetCredential { credential: 0, field: CredentialField::Username("ignored".into()) },
            ],
        );
        assert_eq!(p.auth[0].method, AuthMethod::IdentityToken { token: Secret::literal("tok") });
        assert_eq!(MethodKind::from_key("identity_token"), Some(MethodKind::IdentityToken));
    }

    #[test]
    fn a_pem_ca_is_named_after_the_endpoint_host_and_switching_kinds_resets_it() {
        let owner = TlsOwner::Endpoint { registry: 0, endpoint: 0 };
        let p = applied(
            one_endpoint(),
            &[
                set_endpoint(EndpointField::Url("https://reg.example.com:5000".into())),
                Edit::AddCa { owner, kind: CaKind::Pem },
                Edit::AddCa { owner, kind: CaKind::Path },
                Edit::SetCa { owner, ca: 1, field: CaField::Kind(CaKind::Pem) },
            ],
        );
        let names: Vec<String> = owner
            .tls(&p)
            .unwrap()
            .ca
            .iter()
            .map(|c| match c {
                CaCert::Pem { name, .. } => name.clone(),
                CaCert::Path(p) => p.clone(),
            })
            .collect();
        assert_eq!(names, ["reg.example.com_5000-ca", "reg.example.com_5000-ca2"]);
        let p = applied(p, &[Edit::SetCa { owner, ca: 0, field: CaField::Loaded { name: "corp".into(), pem: "PEM".into() } }]);
        assert_eq!(owner.tls(&p).unwrap().ca[0], CaCert::Pem { name: "corp".into(), pem: "PEM".into() });
        let p = applied(p, &[Edit::SetCa { owner, ca: 0, field: CaField::Kind(CaKind::Path) }]);
        assert_eq!(owner.tls(&p).unwrap().ca[0], CaCert::Path(String::new()));
    }

    #[test]
    fn tls_owners_are_every_endpoint_then_harbor_and_air_gap() {
        let p = Project {
            registries: vec![Registry { endpoints: vec![Endpoint::default(), Endpoint::default()], ..Default::default() }],
            harbor: Some(HarborProxy::default()),
            air_gap: Some(AirGap::default()),
            ..Default::default()
        };
        let e = |endpoint| TlsOwner::Endpoint { registry: 0, endpoint };
        assert_eq!(TlsOwner::all(&p), vec![e(0), e(1), TlsOwner::Harbor, TlsOwner::AirGap]);
        assert_eq!(e(1).path(), "registries[0].endpoints[1].tls");
        assert!(TlsOwner::all(&Project::default()).is_empty());
        assert_eq!(default_ca_name("", 1), "registry-ca2");
        assert_eq!(missing_air_gap_namespaces(&["docker.io".into(), " quay.io ".into()]).len(), SEED_AIR_GAP_NAMESPACES.len() - 2);
    }

    #[test]
    fn a_client_certificate_keeps_its_certificate_path_across_kinds() {
        let owner = TlsOwner::Harbor;
        let p = applied(
            Project::default(),
            &[
                Edit::EnableHarbor { restore: None },
                Edit::AddClientCert { owner },
                Edit::SetClientCert { owner, cert: 0, field: ClientField::Combined("/c.pem".into()) },
                Edit::SetClientCert { owner, cert: 0, field: ClientField::Kind(ClientKind::Pair) },
            ],
        );
        assert_eq!(owner.tls(&p).unwrap().client[0], ClientCert::Pair { cert: "/c.pem".into(), key: String::new() });
        let p = applied(p, &[Edit::SetClientCert { owner, cert: 0, field: ClientField::Kind(ClientKind::Combined) }]);
        assert_eq!(owner.tls(&p).unwrap().client[0], ClientCert::Combined("/c.pem".into()));
    }

    #[test]
    fn typing_coalesces_per_field_and_verbs_are_their_own_step() {
        let url = |v: &str| set_endpoint(EndpointField::Url(v.into()));
        assert_eq!(url("a").undo_key(), url("ab").undo_key());
        assert!(url("a").undo_key().is_some());
        assert_ne!(url("a").undo_key(), Edit::SetEndpoint { registry: 0, endpoint: 1, field: EndpointField::Url("a".into()) }.undo_key());
        assert_ne!(url("a").undo_key(), set_endpoint(EndpointField::DialTimeout("a".into())).undo_key(), "another field of the same endpoint");
        // Each TLS owner's fields are its own: typing in Harbor's CA path does not continue the air-gap's.
        let ca = |owner| Edit::SetCa { owner, ca: 0, field: CaField::Path("/a".into()) }.undo_key();
        assert_ne!(ca(TlsOwner::Harbor), ca(TlsOwner::AirGap));
        assert_ne!(ca(TlsOwner::Harbor), ca(TlsOwner::Endpoint { registry: 0, endpoint: 0 }));
        assert_eq!(ca(TlsOwner::AirGap), ca(TlsOwner::AirGap));
        for verb in [
            Edit::AddRegistry,
            Edit::RemoveRegistry { registry: 0 },
            Edit::MoveEndpoint { registry: 0, from: 0, to: 1 },
            set_endpoint(EndpointField::Kind(EndpointKind::PublicMirror)),
            set_endpoint(EndpointField::Capability(Capability::Push, true)),
            Edit::EnableHarbor { restore: None },
        ] {
            assert_eq!(verb.undo_key(), None, "{verb:?}");
        }
    }

    #[test]
    fn target_lines_keep_what_fits() {
        let p = applied(Project::default(), &[Edit::SetTargetLines(Lines::TwoX)]);
        assert_eq!(p.target.min.major, 2);
        assert!(!p.target.includes_1x());
    }
}
