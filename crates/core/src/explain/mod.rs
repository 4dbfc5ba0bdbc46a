//! What containerd will do with the bundle for one image: the normalised reference, the `certs.d` directory it
//! picks (or the legacy `mirrors` entry), the hosts it asks for the manifest and for blobs, each with its request
//! URL, `ns` query, capabilities, TLS, headers and credentials, and where a failure falls through.
//!
//! Derived only from [`crate::plan::plan`], the same plan the bundle's files are written from, and containerd's
//! code (`core/remotes/docker/config/hosts.go`, `resolver.go`, `registry.go`; the same in 1.6, 1.7 and 2.x).

mod hosts_dir;
mod legacy;
pub mod lines;
pub mod reference;
pub mod schema;
mod steps;
pub mod text;
pub mod view;

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::{Capability, OutputStyle, Project};
use crate::version::ContainerdVersion;

pub use reference::ImageRef;

/// A text in both languages (the explanation's own words; values quoted from the project are escaped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Text {
        let m = crate::diagnostics::Message::new(en, zh);
        Text { en: m.en, zh: m.zh }
    }
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En => &self.en,
            crate::Lang::Zh => &self.zh,
        }
    }
}

/// A value from the user, quoted on one line.
pub(crate) fn quote(s: &str) -> String {
    format!("\"{}\"", crate::diagnostics::one_line(s))
}

/// The answer for one image and one release.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Explanation {
    /// The image reference as given.
    pub input: String,
    /// The release the answer is for.
    pub release: ContainerdVersion,
    pub style: OutputStyle,
    /// `None` when the reference is invalid (see `error`).
    pub reference: Option<ImageRef>,
    pub error: Option<Text>,
    /// Hosts-dir style: the `certs.d` lookup.
    pub certs_d: Option<CertsDirLookup>,
    /// Legacy style: the `registry.mirrors` entry the CRI plugin uses.
    pub legacy: Option<LegacyLookup>,
    /// Whether the tag is resolved (manifest by tag); `false` for a digest reference.
    pub resolves_tag: bool,
    /// In order: the hosts asked for the manifest (by tag: hosts with both `pull` and `resolve`, as
    /// `filterHosts(pull|resolve)` demands all bits; by digest: hosts with `pull`).
    pub resolve: Vec<HostStep>,
    /// In order: the hosts blobs (layers, config) and manifests by digest may be fetched from: every host, whatever
    /// its capabilities, once one host has `pull` (the fetcher checks `filterHosts(pull)` is not empty, then
    /// tries `r.hosts` in order; the same from 1.6 to 2.3).
    pub fetch: Vec<HostStep>,
    /// Whether the registry itself is the last host: `server` omitted (or written as the registry's own URL, as
    /// the bundle does where that is unambiguous), or nothing covers the image.
    pub registry_contacted_last: bool,
    pub outcome: Outcome,
    /// Facts about this answer (digest references, features this release lacks, …).
    pub notes: Vec<Text>,
    /// What the answer assumes about the node.
    pub assumptions: Vec<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CertsDirLookup {
    /// The directories containerd looks for, in order (under /etc/containerd/certs.d).
    pub candidates: Vec<DirCandidate>,
    /// The directory used; `None` when none exists (containerd then uses the registry itself).
    pub chosen: Option<String>,
    pub why: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DirCandidate {
    /// Directory name: `registry.example.com_5000_`, `registry.example.com:5000`, `_default`.
    pub name: String,
    /// Whether the bundle writes this directory.
    pub in_bundle: bool,
    /// Whether this release looks for it at all (`_default`: 1.6.17 / 1.7.0 and later).
    pub read_by_release: bool,
    pub chosen: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LegacyLookup {
    /// The `registry.mirrors` key used: the registry, `*`, or `None` (no entry: the registry itself only).
    pub key: Option<String>,
    pub why: Text,
}

/// Why a host is in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HostRole {
    /// A `[host."…"]` table of hosts.toml.
    Host,
    /// The root `server` of hosts.toml.
    Server,
    /// `server` omitted: containerd adds the registry itself.
    ImplicitServer,
    /// No directory (or no mirrors entry) covers the image: the registry itself only.
    Uncovered,
    /// A legacy `registry.mirrors` endpoint.
    LegacyEndpoint,
    /// The registry itself, which the CRI plugin always appends to legacy mirrors.
    LegacyUpstream,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct HostStep {
    /// host[:port] contacted (also the key of its credentials).
    pub host: String,
    pub scheme: String,
    /// An `http://` host with TLS settings on 1.6.32 / 1.7.16 / 2.0 and later: HTTPS is tried first (the
    /// request shown), and a TLS error repeats it over HTTP.
    pub http_fallback: bool,
    /// The API root requested under (`/v2`, or the path as written with `override_path`).
    pub api_root: String,
    /// The first request to this host: `https://mirror.example.com/v2/library/nginx/manifests/latest?ns=docker.io`.
    pub request: String,
    /// The `ns` query value (unencoded), present whenever the host is not the registry itself.
    pub ns: Option<String>,
    pub role: HostRole,
    /// The capabilities of this host as containerd reads them (an empty list in hosts.toml means all three).
    pub capabilities: Vec<Capability>,
    /// The project field the host comes from (`registries[0].endpoints[1]`, `harbor.mappings[0]`, `air_gap.registry`).
    pub origin: String,
    pub tls: TlsUse,
    pub headers: Vec<HeaderUse>,
    pub credentials: Option<CredentialUse>,
    /// What happens when this host fails.
    pub on_failure: Text,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, JsonSchema)]
pub struct TlsUse {
    /// CA files on the node, added to the system pool.
    pub ca: Vec<String>,
    /// Client certificates (`cert` or `cert + key`).
    pub client: Vec<String>,
    pub skip_verify: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct HeaderUse {
    pub name: String,
    /// Values; secret ones shown as `<redacted>`.
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CredentialUse {
    /// The config.toml entry: `registry.configs."registry-1.docker.io".auth`.
    pub entry: String,
    /// The project field: `auth[0]`.
    pub origin: String,
    /// What is sent, secrets redacted: `username alice, password <redacted>`.
    pub shown: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PullStatus {
    /// Some host may answer: the pull can succeed.
    Possible,
    /// No host may resolve the tag: containerd fails with "no resolve hosts".
    NoResolveHost,
    /// No host may serve content.
    NoPullHost,
    /// The reference is invalid: containerd refuses it before any request.
    InvalidReference,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Outcome {
    pub status: PullStatus,
    pub message: Text,
}

/// Redaction mark for secret values.
pub const REDACTED: &str = "<redacted>";

/// The release to explain for by default: the newest release of the target range's newest line.
pub fn default_release(target: &crate::model::Target) -> ContainerdVersion {
    match target.max.patch {
        Some(_) => target.max,
        None => crate::version::release_line(target.max.line()).map_or(target.max, |l| l.latest),
    }
}

/// What containerd `release` does with the project's bundle for `image`.
pub fn explain(project: &Project, image: &str, release: &ContainerdVersion) -> Explanation {
    explain_planned(project, &crate::plan::plan(project), image, release)
}

/// [`explain`] with the project's plan already made (one plan for every release asked about).
pub(crate) fn explain_planned(project: &Project, plan: &crate::plan::Plan, image: &str, release: &ContainerdVersion) -> Explanation {
    let assumptions = steps::assumptions(project.output);
    let reference = match reference::parse(image) {
        Ok(r) => r,
        Err(e) => {
            return Explanation {
                input: image.to_string(),
                release: *release,
                style: project.output,
                reference: None,
                outcome: Outcome { status: PullStatus::InvalidReference, message: e.clone() },
                error: Some(e),
                certs_d: None,
                legacy: None,
                resolves_tag: false,
                resolve: Vec::new(),
                fetch: Vec::new(),
                registry_contacted_last: false,
                notes: Vec::new(),
                assumptions,
            }
        }
    };
    let ctx = steps::Ctx { project, reference: &reference, release: *release };
    let (certs_d, legacy, hosts, mut notes) = match project.output {
        OutputStyle::HostsDir => {
            let (lookup, hosts, notes) = hosts_dir::hosts(plan, &ctx);
            (Some(lookup), None, hosts, notes)
        }
        OutputStyle::Legacy => {
            let (lookup, hosts, notes) = legacy::hosts(plan, &ctx);
            (None, Some(lookup), hosts, notes)
        }
    };
    let t = &project.target;
    if release.lowest() < t.min.lowest() || release.highest() > t.max.highest() {
        notes.push(Text::new(
            format!("containerd {release} is outside the project's target range ({} – {}): the bundle is not made for it.", t.min, t.max),
            format!("containerd {release} 不在项目的目标范围（{} – {}）内：配置包并非为它生成。", t.min, t.max),
        ));
    }
    let resolves_tag = reference.digest.is_none();
    if let Some(d) = &reference.digest {
        notes.push(Text::new(
            format!("{d} is a digest: no tag is resolved, so hosts with only \"pull\" are asked for the manifest too (by digest; after 404s everywhere, again as a blob)."),
            format!("{d} 是摘要：不解析标签，因此只有 \"pull\" 的主机也会被请求清单（按摘要；若处处 404，再按 blob 请求一次）。"),
        ));
        if let Some(t) = &reference.dropped_tag {
            notes.push(Text::new(format!("The tag {} beside the digest is ignored.", quote(t)), format!("摘要旁的标签 {} 被忽略。", quote(t))));
        }
    }
    let has = |h: &HostStep, c: Capability| h.capabilities.contains(&c);
    // A tag is resolved only by hosts with both pull and resolve (`HostCapabilities.Has` wants every bit asked).
    let resolves = |h: &HostStep| has(h, Capability::Pull) && (!resolves_tag || has(h, Capability::Resolve));
    if resolves_tag {
        for h in hosts.iter().filter(|h| has(h, Capability::Resolve) && !has(h, Capability::Pull)) {
            notes.push(Text::new(
                format!("{} has \"resolve\" without \"pull\": containerd asks only hosts with both for a tag, so it never resolves one.", h.host),
                format!("{} 有 \"resolve\" 而没有 \"pull\"：containerd 只向两者兼有的主机解析标签，因此它从不解析标签。", h.host),
            ));
        }
    }
    let any_pull = hosts.iter().any(|h| has(h, Capability::Pull));
    if any_pull {
        for h in hosts.iter().filter(|h| !has(h, Capability::Pull)) {
            notes.push(Text::new(
                format!("{} has no \"pull\", yet containerd asks it for blobs and manifests by digest in its turn: the fetcher only checks that some host has \"pull\", then tries every host in order.", h.host),
                format!("{} 没有 \"pull\"，但 containerd 仍会按顺序向它请求 blob 和按摘要的清单：获取器只检查是否有主机具备 \"pull\"，然后依次尝试每个主机。", h.host),
            ));
        }
    }
    let mut resolve = steps::finish(hosts.iter().filter(|h| resolves(h)).cloned().collect(), &ctx, true);
    let mut fetch = steps::finish(if any_pull { hosts.clone() } else { Vec::new() }, &ctx, false);
    // Hosts the project says the nodes cannot reach stay in the lists (containerd still tries them, and waits),
    // but no answer can come from them.
    let unreachable_resolver = steps::mark_unreachable(project, &mut resolve);
    let unreachable = steps::mark_unreachable(project, &mut fetch).or(unreachable_resolver);
    if let Some(host) = &unreachable {
        notes.push(Text::new(
            format!("The project says the nodes cannot reach {host} (upstream_reachable is off): requests to it fail."),
            format!("项目声明节点无法访问 {host}（upstream_reachable 已关闭）：对它的请求会失败。"),
        ));
    }
    let reachable = |hs: &[HostStep]| hs.iter().filter(|h| !steps::is_unreachable(project, h)).cloned().collect::<Vec<_>>();
    // The plan writes the registry's own URL as `server` where that is unambiguous: the same as omitting it.
    let upstream = crate::net::upstream_host(&reference.registry);
    let registry_contacted_last = hosts.last().is_some_and(|h| h.host == upstream || h.host == reference.registry);
    let outcome = steps::outcome(&reachable(&resolve), &reachable(&fetch), resolves_tag, unreachable.is_some());
    Explanation {
        input: image.to_string(),
        release: *release,
        style: project.output,
        reference: Some(reference),
        error: None,
        certs_d,
        legacy,
        resolves_tag,
        resolve,
        fetch,
        registry_contacted_last,
        outcome,
        notes,
        assumptions,
    }
}

#[cfg(test)]
mod tests;
