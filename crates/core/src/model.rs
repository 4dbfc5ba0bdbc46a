//! The project file: everything the user decides, saved as JSON.
//!
//! The model says *what* the user wants (upstreams, mirrors, Harbor, air-gap, auth, daemon settings); the
//! generators decide *how* containerd must be told. Every field has a default so a project file only needs what
//! differs, and `deny_unknown_fields` turns a typo into an error instead of a silently ignored setting — the very
//! failure mode containerd itself has.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::version::ContainerdVersion;

/// Version of the project-file format. Bump it when a change is not backward compatible.
pub const SCHEMA_VERSION: u32 = 1;

/// The directory every generated `config_path` points at (one absolute directory: spec §1.5).
pub const CERTS_D: &str = "/etc/containerd/certs.d";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Project {
    /// Format version of this file; must be 1.
    pub schema_version: u32,
    pub target: Target,
    pub output: OutputStyle,
    /// Upstream registries and the endpoints that serve them, in no particular order. Within each registry,
    /// endpoint order is try order.
    pub registries: Vec<Registry>,
    pub harbor: Option<HarborProxy>,
    pub air_gap: Option<AirGap>,
    /// Credentials, each keyed by the host containerd actually contacts.
    pub auth: Vec<Credential>,
    /// Image used for the pod sandbox ("pause"); point it at a reachable registry on air-gapped nodes.
    pub sandbox_image: Option<String>,
    pub daemon: Daemon,
}

impl Default for Project {
    fn default() -> Self {
        Project {
            schema_version: SCHEMA_VERSION,
            target: Target::default(),
            output: OutputStyle::HostsDir,
            registries: Vec::new(),
            harbor: None,
            air_gap: None,
            auth: Vec::new(),
            sandbox_image: None,
            daemon: Daemon::default(),
        }
    }
}

/// The range of containerd releases the generated files must work on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Oldest release, e.g. "1.6.20".
    pub min: ContainerdVersion,
    /// Newest release; "1.7.x" means any patch of 1.7.
    pub max: ContainerdVersion,
}

impl Default for Target {
    fn default() -> Self {
        Target { min: crate::version::DEFAULT_MIN_1X, max: crate::version::DEFAULT_MAX_2X }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum OutputStyle {
    /// `config_path = "/etc/containerd/certs.d"` plus one `hosts.toml` per registry (containerd ≥ 1.5).
    #[default]
    HostsDir,
    /// Deprecated inline `registry.mirrors` / `registry.configs` in config.toml, for old nodes.
    Legacy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Registry {
    /// The registry host as written in image names: "docker.io", "quay.io", "registry.example.com:5000".
    pub upstream: String,
    /// Endpoints tried in this order before the upstream.
    pub endpoints: Vec<Endpoint>,
    /// Explicit last host ("server"); empty means the upstream itself.
    pub server: Option<String>,
    /// Whether containerd may fall back to the upstream (or `server`) after the endpoints.
    pub fallback_to_upstream: bool,
    /// Whether the nodes can reach the upstream (or `server`) at all. When false, tags can only be resolved by
    /// endpoints with the `resolve` capability. Omitted from the file when true, so older files and share links
    /// stay as they were.
    #[serde(skip_serializing_if = "is_true")]
    pub upstream_reachable: bool,
}

fn is_true(b: &bool) -> bool {
    *b
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            upstream: String::new(),
            endpoints: Vec::new(),
            server: None,
            fallback_to_upstream: true,
            upstream_reachable: true,
        }
    }
}

/// What an endpoint is; it sets the capability defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum EndpointKind {
    /// Somebody else's mirror: trusted to serve content by digest, not to resolve tags (pull only).
    PublicMirror,
    /// A mirror you run: pull + resolve.
    #[default]
    PrivateMirror,
    /// A registry you push to as well: pull + resolve + push.
    PrivateRegistry,
    /// A Harbor proxy-cache project, addressed as `https://<harbor>/v2/<project>` with `override_path`.
    HarborProject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    Pull,
    Resolve,
    Push,
    /// containerd ≥ 2.2.0 only.
    Referrers,
}

impl Capability {
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Pull => "pull",
            Capability::Resolve => "resolve",
            Capability::Push => "push",
            Capability::Referrers => "referrers",
        }
    }
}

impl EndpointKind {
    pub fn default_capabilities(self) -> Vec<Capability> {
        match self {
            EndpointKind::PublicMirror => vec![Capability::Pull],
            EndpointKind::PrivateMirror | EndpointKind::HarborProject => vec![Capability::Pull, Capability::Resolve],
            EndpointKind::PrivateRegistry => vec![Capability::Pull, Capability::Resolve, Capability::Push],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Endpoint {
    /// Full URL: "https://mirror.example.com", "https://harbor.example.com/v2/dockerhub".
    pub url: String,
    pub kind: EndpointKind,
    /// Empty means the defaults of `kind`.
    pub capabilities: Vec<Capability>,
    /// Use the URL path verbatim as the API root (no "/v2" appended); needed for Harbor projects.
    pub override_path: bool,
    pub tls: Tls,
    /// Extra HTTP headers sent to this endpoint, in order.
    pub headers: Vec<Header>,
    /// TCP connect timeout as a Go duration ("500ms", "3s"); containerd ≥ 2.0.7 / 2.1.0.
    pub dial_timeout: Option<String>,
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint {
            url: String::new(),
            kind: EndpointKind::PrivateMirror,
            capabilities: Vec::new(),
            override_path: false,
            tls: Tls::default(),
            headers: Vec::new(),
            dial_timeout: None,
        }
    }
}

impl Endpoint {
    /// The capabilities that will be written: the explicit list, else the defaults of the kind.
    pub fn effective_capabilities(&self) -> Vec<Capability> {
        if self.capabilities.is_empty() {
            self.kind.default_capabilities()
        } else {
            let mut caps: Vec<Capability> = Vec::new();
            for c in &self.capabilities {
                if !caps.contains(c) {
                    caps.push(*c);
                }
            }
            caps
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Tls {
    /// Extra CA certificates (appended to the system pool).
    pub ca: Vec<CaCert>,
    /// Client certificates for mutual TLS.
    pub client: Vec<ClientCert>,
    /// Skip server certificate verification (insecure).
    pub skip_verify: bool,
}

impl Tls {
    pub fn is_empty(&self) -> bool {
        self.ca.is_empty() && self.client.is_empty() && !self.skip_verify
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum CaCert {
    /// A CA file that already exists on the node (absolute path).
    Path(String),
    /// PEM text shipped in the bundle as `certs.d/<host>/<name>.crt`.
    Pem { name: String, pem: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientCert {
    /// One PEM file holding certificate and key.
    Combined(String),
    /// Certificate and key in two files.
    Pair { cert: String, key: String },
}

/// A header; `Authorization` values are secrets and may come from an environment variable.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub name: String,
    pub values: Vec<Secret>,
}

/// A string that may be given literally or read by the CLI from an environment variable, so project files can
/// live in git without secrets: `"s3cr3t"` or `{"env": "HARBOR_PASSWORD"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Secret {
    Literal(String),
    FromEnv(EnvRef),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvRef {
    pub env: String,
}

impl Secret {
    pub fn literal(s: &str) -> Secret {
        Secret::Literal(s.to_string())
    }
    /// The literal value; `None` while the value still names an environment variable.
    pub fn value(&self) -> Option<&str> {
        match self {
            Secret::Literal(s) => Some(s),
            Secret::FromEnv(_) => None,
        }
    }
}

impl Default for Secret {
    fn default() -> Self {
        Secret::Literal(String::new())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HarborProxy {
    /// Harbor's address: "https://cr.example.com" (no path).
    pub address: String,
    pub mode: HarborMode,
    /// Whether containerd may go to the real upstream when Harbor fails.
    pub fallback_to_upstream: bool,
    pub tls: Tls,
    /// upstream → Harbor proxy-cache project, in the order the directories are written.
    pub mappings: Vec<HarborMapping>,
}

impl Default for HarborProxy {
    fn default() -> Self {
        HarborProxy {
            address: String::new(),
            mode: HarborMode::Path,
            fallback_to_upstream: true,
            tls: Tls::default(),
            mappings: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum HarborMode {
    /// `https://<harbor>/v2/<project>` with `override_path = true` (containerd ≥ 1.6.0; no Harbor-side changes).
    #[default]
    Path,
    /// `https://<project>.<harbor>`: needs an ingress that rewrites `/v2/…` to `/v2/<project>/…` per subdomain.
    Subdomain,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HarborMapping {
    pub upstream: String,
    pub project: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AirGap {
    /// The one private registry every pull goes to: "https://registry.internal:5000".
    pub registry: String,
    pub tls: Tls,
    /// Whether containerd may still try the real upstream afterwards (normally not, in an air-gap).
    pub fallback_to_upstream: bool,
    /// Registries that get their own complete directory as well (needed where `_default` is unsupported,
    /// and harmless elsewhere).
    pub namespaces: Vec<String>,
}

/// The registries the seed lists for air-gapped nodes, plus registry.k8s.io where the pause image lives.
pub const SEED_AIR_GAP_NAMESPACES: [&str; 6] =
    ["docker.io", "gcr.io", "k8s.gcr.io", "quay.io", "ghcr.io", "registry.k8s.io"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// The host[:port] containerd contacts: "registry-1.docker.io" for Docker Hub, a mirror's own host.
    pub host: String,
    pub method: AuthMethod,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "type", deny_unknown_fields)]
pub enum AuthMethod {
    /// Username and password; written as `username`/`password`, or as `auth` (base64 of "user:password").
    Basic {
        username: String,
        password: Secret,
        #[serde(default)]
        encode_as_auth: bool,
    },
    /// A ready-made `auth` value: base64 of "user:password".
    Auth { auth: Secret },
    /// An OAuth2 refresh token (`identitytoken`).
    IdentityToken { token: Secret },
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Daemon {
    /// Persistent data directory (default /var/lib/containerd).
    pub root: Option<String>,
    /// Transient state directory (default /run/containerd).
    pub state: Option<String>,
    pub oom_score: Option<i64>,
    /// Extra config files to import (paths or globs).
    pub imports: Vec<String>,
    pub debug: Option<DebugSettings>,
    /// Prometheus metrics address "host:port".
    pub metrics_address: Option<String>,
    /// CRI snapshotter; `None` keeps containerd's default (overlayfs).
    pub snapshotter: Option<Snapshotter>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DebugSettings {
    pub address: Option<String>,
    pub level: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Snapshotter {
    Overlayfs,
    Native,
    Btrfs,
    Zfs,
    Devmapper,
}

impl Snapshotter {
    pub fn as_str(self) -> &'static str {
        match self {
            Snapshotter::Overlayfs => "overlayfs",
            Snapshotter::Native => "native",
            Snapshotter::Btrfs => "btrfs",
            Snapshotter::Zfs => "zfs",
            Snapshotter::Devmapper => "devmapper",
        }
    }
}
