//! From the user's intent to what containerd will read: Harbor mappings and the air-gap are expanded into
//! per-registry host lists, each with its final (`server`) host, before any file is written.
//!
//! Every planned item keeps the field path it came from, so a diagnostic can be shown at the right input and
//! attached to the right file.

use crate::str_index::{insert_first, StrMap, StrSet, StringMap, StringSet};
use std::rc::Rc;

use crate::model::*;
use crate::net;
use crate::version::Feature;

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub config_version: u32,
    pub style: OutputStyle,
    /// Hosts-dir style: one `certs.d/<namespace>/hosts.toml` each. Shared: a plan taken over after an edit
    /// ([`plan_again`]) copies no directory but the edited one.
    pub dirs: Vec<Rc<HostsDir>>,
    /// Legacy style: `registry.mirrors."<ns>".endpoint`.
    pub mirrors: Vec<LegacyMirror>,
    /// Legacy style, 1.x: `registry.configs."<host>".tls`.
    pub legacy_tls: Vec<LegacyTls>,
    /// CA certificates pasted as PEM, shipped in the bundle.
    pub shipped: Vec<ShippedFile>,
    /// Pasted CAs that would land on a path already taken by a different certificate: (origin, path).
    pub shipped_conflicts: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HostsDir {
    /// Directory name: the namespace as written in image names, or `_default`.
    pub namespace: String,
    pub origin: String,
    /// Root-level entry, tried last. `None` leaves it implicit: containerd then uses the upstream itself.
    pub server: Option<PlannedHost>,
    /// `[host."…"]` tables in try order.
    pub hosts: Vec<PlannedHost>,
    /// Append an empty `[host]` table so containerd 1.6.x / 1.7.0–1.7.31 accept a file without host tables.
    pub needs_stub: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlannedHost {
    pub url: String,
    /// Empty: not written (containerd's default: all capabilities).
    pub capabilities: Vec<Capability>,
    pub override_path: bool,
    /// Absolute paths on the node.
    pub ca: Vec<String>,
    pub client: Vec<ClientCert>,
    pub skip_verify: bool,
    pub headers: Vec<(String, Vec<Secret>)>,
    pub dial_timeout: Option<String>,
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegacyMirror {
    /// Namespace or `*`.
    pub namespace: String,
    pub endpoints: Vec<String>,
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegacyTls {
    pub host: String,
    pub ca_file: Option<String>,
    pub cert_file: Option<String>,
    pub key_file: Option<String>,
    pub insecure_skip_verify: bool,
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShippedFile {
    /// Path relative to /etc/containerd.
    pub path: String,
    pub content: String,
    pub origin: String,
}

/// Where a namespace's files and shipped CAs live, relative to /etc/containerd.
pub fn dir_path(namespace: &str) -> String {
    crate::paths::hosts_dir(namespace)
}

/// One endpoint as the user described it, with its origin path; Harbor mappings and the air-gap registry are
/// turned into the same shape.
#[derive(Debug, Clone)]
struct Source<'a> {
    url: String,
    capabilities: Vec<Capability>,
    override_path: bool,
    tls: &'a Tls,
    headers: &'a [Header],
    dial_timeout: Option<&'a str>,
    origin: String,
}

/// A registry after Harbor expansion.
#[derive(Debug, Clone)]
struct Effective<'a> {
    namespace: String,
    origin: String,
    /// Harbor's projects first (in mapping order), then the registry's own endpoints.
    sources: Vec<Source<'a>>,
    server: Option<String>,
    fallback: bool,
}

fn endpoint_source<'a>(e: &'a Endpoint, origin: String) -> Source<'a> {
    Source {
        url: net::normalize_url(&e.url),
        capabilities: e.effective_capabilities(),
        override_path: e.override_path,
        tls: &e.tls,
        headers: &e.headers,
        dial_timeout: e.dial_timeout.as_deref(),
        origin,
    }
}

/// The URL of a Harbor project endpoint in the chosen mode.
pub fn harbor_endpoint_url(address: &str, mode: HarborMode, project: &str) -> String {
    let address = address.trim().trim_end_matches('/');
    match mode {
        HarborMode::Path => format!("{address}/v2/{}", project.trim()),
        HarborMode::Subdomain => match address.split_once("://") {
            Some((scheme, host)) => format!("{scheme}://{}.{host}", project.trim()),
            None => format!("https://{}.{address}", project.trim()),
        },
    }
}

const NO_HEADERS: &[Header] = &[];

/// Registry `i` as the user wrote it, before Harbor's projects are put in front.
fn effective_registry(i: usize, r: &Registry) -> Effective<'_> {
    Effective {
        namespace: r.upstream.trim().to_string(),
        origin: format!("registries[{i}]"),
        sources: r
            .endpoints
            .iter()
            .enumerate()
            .map(|(j, e)| endpoint_source(e, format!("registries[{i}].endpoints[{j}]")))
            .collect(),
        server: r.server.as_deref().map(net::normalize_url).filter(|s| !s.is_empty()),
        fallback: r.fallback_to_upstream,
    }
}

/// Harbor's project endpoint for mapping `k`.
fn harbor_source<'a>(h: &'a HarborProxy, k: usize, m: &HarborMapping) -> Source<'a> {
    Source {
        url: harbor_endpoint_url(&h.address, h.mode, &m.project),
        capabilities: EndpointKind::HarborProject.default_capabilities(),
        override_path: h.mode == HarborMode::Path,
        tls: &h.tls,
        headers: NO_HEADERS,
        dial_timeout: None,
        origin: format!("harbor.mappings[{k}]"),
    }
}

fn effective_registries(p: &Project) -> Vec<Effective<'_>> {
    let mut out: Vec<Effective> = p.registries.iter().enumerate().map(|(i, r)| effective_registry(i, r)).collect();
    if let Some(h) = &p.harbor {
        // Looked up by namespace (the first registry of that name, as a scan would find), and Harbor's sources
        // gathered apart and put in front once: thousands of mappings made both quadratic.
        let mut by_namespace = StrMap::new();
        for (i, e) in out.iter().enumerate() {
            insert_first(&mut by_namespace, &e.namespace, i);
        }
        let mut harbor_sources: Vec<Vec<Source>> = vec![Vec::new(); out.len()];
        // Registries of upstreams only Harbor maps, put after the others once the index (which borrows their
        // names) is done with.
        let mut added: Vec<Effective> = Vec::new();
        for (k, m) in h.mappings.iter().enumerate() {
            let src = harbor_source(h, k, m);
            let ns = m.upstream.trim();
            match by_namespace.get(ns) {
                // Harbor goes first: it is the cache the user set up for exactly this upstream.
                Some(&i) => harbor_sources[i].push(src),
                None => {
                    by_namespace.insert(ns, out.len() + added.len());
                    added.push(Effective {
                        namespace: ns.to_string(),
                        origin: format!("harbor.mappings[{k}]"),
                        sources: Vec::new(),
                        server: None,
                        fallback: h.fallback_to_upstream,
                    });
                    harbor_sources.push(vec![src]);
                }
            }
        }
        drop(by_namespace);
        out.append(&mut added);
        for (e, mut harbor) in out.iter_mut().zip(harbor_sources) {
            if !harbor.is_empty() {
                harbor.append(&mut e.sources);
                e.sources = harbor;
            }
        }
    }
    out
}

/// The CA files pasted as PEM, shipped in the bundle: each path once, looked up by path.
#[derive(Default)]
struct Shipped {
    files: Vec<ShippedFile>,
    /// Path → index in `files` of the first file shipped there.
    by_path: StringMap,
}

fn ca_paths(tls: &Tls, dir: &str, shipped: &mut Shipped, origin: &str) -> Vec<String> {
    tls.ca
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            CaCert::Path(p) => p.trim().to_string(),
            CaCert::Pem { name, pem } => {
                let file = format!("{dir}/{}.crt", name.trim());
                let mut content = pem.trim().to_string();
                content.push('\n');
                let here = format!("{origin}.tls.ca[{i}]");
                match shipped.by_path.get(&file) {
                    None => {
                        shipped.by_path.insert(file.clone(), shipped.files.len());
                        shipped.files.push(ShippedFile { path: file.clone(), content, origin: here });
                    }
                    // The same certificate pasted twice is shipped once; a different one under the same name
                    // is a conflict that validation reports.
                    Some(&k) if shipped.files[k].content != content => {
                        shipped.files.push(ShippedFile { path: file.clone(), content, origin: format!("!conflict {here}") })
                    }
                    Some(_) => {}
                }
                format!("/etc/containerd/{file}")
            }
        })
        .collect()
}

fn planned(src: &Source, dir: &str, shipped: &mut Shipped) -> PlannedHost {
    PlannedHost {
        url: src.url.clone(),
        capabilities: src.capabilities.clone(),
        override_path: src.override_path,
        ca: ca_paths(src.tls, dir, shipped, &src.origin),
        client: src.tls.client.clone(),
        skip_verify: src.tls.skip_verify,
        headers: src.headers.iter().map(|h| (h.name.trim().to_string(), h.values.clone())).collect(),
        dial_timeout: src.dial_timeout.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        origin: src.origin.clone(),
    }
}

fn air_gap_source(a: &AirGap) -> Source<'_> {
    Source {
        url: net::normalize_url(&a.registry),
        capabilities: vec![Capability::Pull, Capability::Resolve],
        override_path: false,
        tls: &a.tls,
        headers: NO_HEADERS,
        dial_timeout: None,
        origin: "air_gap.registry".to_string(),
    }
}

/// The implicit upstream server, written explicitly where that is unambiguous (never for localhost, whose
/// implicit default has its own http/https rules, and never for `_default`).
fn upstream_server(namespace: &str, origin: &str) -> Option<PlannedHost> {
    if namespace == "_default" || net::is_localhost(namespace) {
        return None;
    }
    Some(PlannedHost { url: net::upstream_url(namespace), origin: origin.to_string(), ..Default::default() })
}

/// The hosts.toml directory of a registry (hosts-dir style).
fn registry_dir(p: &Project, r: &Effective, shipped: &mut Shipped) -> HostsDir {
    let dir = dir_path(&r.namespace);
    let mut hosts: Vec<PlannedHost> = r.sources.iter().map(|s| planned(s, &dir, shipped)).collect();
    let server = if let Some(url) = &r.server {
        Some(PlannedHost { url: url.clone(), origin: format!("{}.server", r.origin), ..Default::default() })
    } else if let Some(a) = &p.air_gap {
        // A registry directory replaces `_default`: make it complete, or the air-gap has a hole.
        let ag = planned(&air_gap_source(a), &dir, shipped);
        if a.fallback_to_upstream {
            if !hosts.iter().any(|h| h.url == ag.url) {
                hosts.push(ag);
            }
            upstream_server(&r.namespace, &r.origin)
        } else {
            Some(PlannedHost { capabilities: Vec::new(), ..ag })
        }
    } else if r.fallback {
        upstream_server(&r.namespace, &r.origin)
    } else {
        hosts.pop()
    };
    HostsDir {
        namespace: r.namespace.clone(),
        origin: r.origin.clone(),
        needs_stub: hosts.is_empty() && !p.target.all_support(Feature::RootOnlyHostsToml),
        server,
        hosts,
    }
}

/// What a plan reads of a project besides its registries: [`plan_again`] takes a plan over only when these are
/// the same.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanContext {
    target: Target,
    output: OutputStyle,
    harbor: Option<HarborProxy>,
    air_gap: Option<AirGap>,
}

impl PlanContext {
    pub fn of(p: &Project) -> PlanContext {
        PlanContext { target: p.target.clone(), output: p.output, harbor: p.harbor.clone(), air_gap: p.air_gap.clone() }
    }

    /// Whether `p` has this context (compared in place: no copy of Harbor's mappings per keystroke).
    pub fn matches(&self, p: &Project) -> bool {
        self.target == p.target && self.output == p.output && self.harbor == p.harbor && self.air_gap == p.air_gap
    }
}

/// [`plan`] of `p`, written faster when `before` is the plan of a project that differs from `p` only in registry
/// `changed` (same context, same number of registries, same upstream there): that registry's directory is planned
/// again and every other one taken over (with 500 registries, each keystroke planned 500 directories). `None`
/// when the shortcut would not be exact — the legacy style, a directory not at its registry's position (an
/// upstream given twice), or CA certificates pasted as PEM, whose files are shared between directories — and
/// the caller plans from scratch.
pub fn plan_again(p: &Project, before: &Plan, changed: usize, was: &Registry) -> Option<Plan> {
    let r = p.registries.get(changed)?;
    let origin = format!("registries[{changed}]");
    let aligned = before.dirs.get(changed).is_some_and(|d| d.origin == origin);
    if p.output != OutputStyle::HostsDir || !aligned || r.upstream.trim() != was.upstream.trim() {
        return None;
    }
    if !before.shipped.is_empty() || !before.shipped_conflicts.is_empty() {
        return None;
    }
    let mut effective = effective_registry(changed, r);
    if let Some(h) = &p.harbor {
        // As in `effective_registries`: this registry is the first of its name (its directory is its own), so
        // every mapping of that name puts its project in front, in mapping order.
        let mut harbor: Vec<Source> =
            h.mappings.iter().enumerate().filter(|(_, m)| m.upstream.trim() == effective.namespace).map(|(k, m)| harbor_source(h, k, m)).collect();
        if !harbor.is_empty() {
            harbor.append(&mut effective.sources);
            effective.sources = harbor;
        }
    }
    let mut shipped = Shipped::default();
    let dir = registry_dir(p, &effective, &mut shipped);
    if !shipped.files.is_empty() {
        return None;
    }
    let mut plan = before.clone();
    plan.dirs[changed] = Rc::new(dir);
    Some(plan)
}

pub fn plan(p: &Project) -> Plan {
    let mut shipped = Shipped::default();
    let regs = effective_registries(p);
    let air = p.air_gap.as_ref();
    let mut dirs = Vec::new();
    let mut mirrors = Vec::new();
    let mut legacy_tls = Vec::new();

    match p.output {
        OutputStyle::HostsDir => {
            // One directory per namespace: a second registry with the same upstream is an error (N9) and gets
            // no file of its own, so the bundle never holds one path twice (found by the render fuzzer).
            let mut planned_namespaces = StrSet::new();
            for r in &regs {
                if !planned_namespaces.insert(r.namespace.as_str()) {
                    continue;
                }
                dirs.push(Rc::new(registry_dir(p, r, &mut shipped)));
            }
            if let Some(a) = air {
                let mut names: Vec<String> = Vec::new();
                // Namespaces that have a directory already (a set: there may be thousands of both).
                let mut taken: StrSet = dirs.iter().map(|d| d.namespace.as_str()).collect();
                // A `_default` the user configured already got the air-gap registry as its last host.
                if p.target.any_support(Feature::DefaultHostsDir) && taken.insert("_default") {
                    names.push("_default".to_string());
                }
                for n in &a.namespaces {
                    let n = n.trim();
                    if taken.insert(n) {
                        names.push(n.to_string());
                    }
                }
                drop(taken);
                for ns in names {
                    let dir = dir_path(&ns);
                    let ag = planned(&air_gap_source(a), &dir, &mut shipped);
                    let (server, hosts) = if a.fallback_to_upstream {
                        (upstream_server(&ns, "air_gap"), vec![ag])
                    } else {
                        (Some(PlannedHost { capabilities: Vec::new(), ..ag }), Vec::new())
                    };
                    dirs.push(Rc::new(HostsDir {
                        needs_stub: hosts.is_empty() && !p.target.all_support(Feature::RootOnlyHostsToml),
                        namespace: ns,
                        origin: "air_gap".to_string(),
                        server,
                        hosts,
                    }));
                }
            }
        }
        OutputStyle::Legacy => {
            let mut tls_hosts = StringSet::new();
            let mut planned_namespaces = StrSet::new();
            for r in &regs {
                if !planned_namespaces.insert(r.namespace.as_str()) {
                    continue; // As in hosts-dir style: N9 refuses the duplicate, the first one is written.
                }
                let mut endpoints: Vec<String> = r.sources.iter().map(|s| legacy_endpoint(&s.url, s.override_path)).collect();
                if let Some(s) = &r.server {
                    endpoints.push(legacy_endpoint(s, false));
                } else if let Some(a) = air {
                    endpoints.push(legacy_endpoint(&a.registry, false));
                }
                for s in &r.sources {
                    push_legacy_tls(&mut legacy_tls, &mut tls_hosts, &s.url, s.tls, &s.origin, &mut shipped);
                }
                mirrors.push(LegacyMirror { namespace: r.namespace.clone(), endpoints, origin: r.origin.clone() });
            }
            if let Some(a) = air {
                mirrors.push(LegacyMirror {
                    namespace: "*".to_string(),
                    endpoints: vec![legacy_endpoint(&a.registry, false)],
                    origin: "air_gap".to_string(),
                });
                push_legacy_tls(&mut legacy_tls, &mut tls_hosts, &a.registry, &a.tls, "air_gap.registry", &mut shipped);
            }
        }
    }
    let mut shipped = shipped.files;
    let shipped_conflicts = shipped
        .iter()
        .filter_map(|s| s.origin.strip_prefix("!conflict ").map(|o| (o.to_string(), s.path.clone())))
        .collect();
    shipped.retain(|s| !s.origin.starts_with("!conflict "));
    Plan { config_version: p.target.config_version(), style: p.output, dirs, mirrors, legacy_tls, shipped, shipped_conflicts }
}

/// A legacy `endpoint` entry with the same meaning as the hosts.toml entry: the path is used verbatim there,
/// so a plain prefix needs its `/v2` written out, and a trailing slash (which drops `/v2`) is removed (U7).
pub fn legacy_endpoint(url: &str, override_path: bool) -> String {
    let url = url.trim();
    match net::parse_url(url) {
        Ok(u) => {
            let path = net::clean_path(&u.path);
            let path = if path.is_empty() || override_path || path.ends_with("/v2") { path } else { format!("{path}/v2") };
            format!("{}://{}{}", u.scheme, u.host_port, path)
        }
        Err(_) => url.to_string(),
    }
}

/// `hosts`: the hosts of `out` (the first settings for a host win).
fn push_legacy_tls(
    out: &mut Vec<LegacyTls>,
    hosts: &mut StringSet,
    url: &str,
    tls: &Tls,
    origin: &str,
    shipped: &mut Shipped,
) {
    if tls.is_empty() {
        return;
    }
    let Ok(u) = net::parse_url(url.trim()) else { return };
    if !hosts.insert(u.host_port.clone()) {
        return;
    }
    let dir = format!("certs/{}", u.host_port);
    let ca = ca_paths(tls, &dir, shipped, origin);
    let (cert_file, key_file) = match tls.client.first() {
        Some(ClientCert::Pair { cert, key }) => (Some(cert.clone()), Some(key.clone())),
        // Go's LoadX509KeyPair reads the certificate and the key blocks from one combined PEM just as well.
        Some(ClientCert::Combined(p)) => (Some(p.clone()), Some(p.clone())),
        None => (None, None),
    };
    out.push(LegacyTls {
        host: u.host_port,
        ca_file: ca.into_iter().next(),
        cert_file,
        key_file,
        insecure_skip_verify: tls.skip_verify,
        origin: origin.to_string(),
    });
}

impl Plan {
    /// Hosts containerd contacts when pulling an image of `namespace`. (Scans the plan; for many questions
    /// about one plan use [`Plan::lookup`].)
    pub fn contacted_for(&self, namespace: &str) -> Vec<String> {
        let dir = |ns: &str| self.dirs.iter().find(|d| d.namespace == ns).map(|d| &**d);
        let mirror = |ns: &str| self.mirrors.iter().find(|m| m.namespace == ns);
        self.contacted_via(namespace, dir, mirror)
    }

    /// `contacted_for` with the directory / mirror of a namespace found by `dir` / `mirror` (the first of that
    /// name, as in the files containerd reads).
    fn contacted_via<'a>(
        &'a self,
        namespace: &str,
        dir: impl Fn(&str) -> Option<&'a HostsDir>,
        mirror: impl Fn(&str) -> Option<&'a LegacyMirror>,
    ) -> Vec<String> {
        let host_of = |url: &str| net::parse_url(url).ok().map(|u| u.host_port);
        let mut out = Vec::new();
        match self.style {
            OutputStyle::HostsDir => match dir(namespace).or_else(|| dir("_default")) {
                None => out.push(net::upstream_host(namespace)),
                Some(d) => {
                    out.extend(d.hosts.iter().filter_map(|h| host_of(&h.url)));
                    match &d.server {
                        Some(s) => out.extend(host_of(&s.url)),
                        None => out.push(net::upstream_host(namespace)),
                    }
                }
            },
            OutputStyle::Legacy => {
                if let Some(m) = mirror(namespace).or_else(|| mirror("*")) {
                    out.extend(m.endpoints.iter().filter_map(|e| host_of(e)));
                }
                // Legacy mirrors always end with the upstream itself, unless an endpoint already has the
                // namespace's host (spec §1.7).
                if !out.iter().any(|h| h == namespace) {
                    out.push(net::upstream_host(namespace));
                }
            }
        }
        out
    }

    /// Namespaces the plan configures explicitly.
    pub fn namespaces(&self) -> Vec<&str> {
        match self.style {
            OutputStyle::HostsDir => self.dirs.iter().map(|d| d.namespace.as_str()).filter(|n| *n != "_default").collect(),
            OutputStyle::Legacy => self.mirrors.iter().map(|m| m.namespace.as_str()).filter(|n| *n != "*").collect(),
        }
    }

    /// Every host contacted for the configured namespaces, then for Docker Hub (registry-1.docker.io unless its
    /// pulls go elsewhere), in plan order without repeats: the hosts a credential can be keyed by.
    pub fn contacted_hosts(&self) -> Vec<String> {
        let lookup = self.lookup();
        let all: Vec<String> =
            self.namespaces().into_iter().chain([net::DOCKER_HUB]).flat_map(|ns| lookup.contacted_for(ns)).collect();
        let mut seen = StrSet::new();
        all.iter().filter(|h| !h.is_empty() && seen.insert(h)).cloned().collect()
    }

    /// Every host contacted for the configured namespaces (and Docker Hub), computed once.
    pub fn configured_contacts(&self) -> StringSet {
        self.lookup().configured
    }

    /// Whether containerd contacts `host` for some image (`configured`: [`Plan::configured_contacts`]).
    pub fn contacts(&self, host: &str, configured: &StringSet) -> bool {
        contacts_with(host, configured, |h| self.contacted_for(h))
    }

    /// The plan indexed by namespace, for answering many questions about it (one per credential, say) in
    /// constant time each instead of a scan of every directory.
    pub fn lookup(&self) -> Lookup<'_> {
        // Namespace → the index of its first directory / mirror.
        let mut dirs = StrMap::new();
        for (i, d) in self.dirs.iter().enumerate() {
            insert_first(&mut dirs, &d.namespace, i);
        }
        let mut mirrors = StrMap::new();
        for (i, m) in self.mirrors.iter().enumerate() {
            insert_first(&mut mirrors, &m.namespace, i);
        }
        let mut l = Lookup { plan: self, dirs, mirrors, configured: StringSet::new() };
        let mut configured: StringSet = self.namespaces().iter().flat_map(|ns| l.contacted_for(ns)).collect();
        configured.extend(l.contacted_for(net::DOCKER_HUB));
        l.configured = configured;
        l
    }
}

fn contacts_with(host: &str, configured: &StringSet, contacted_for: impl Fn(&str) -> Vec<String>) -> bool {
    configured.contains(host)
        // Images named after the host itself (Docker Hub's aliases are not used in image names).
        || (net::check_namespace(host).is_ok()
            && !net::DOCKER_HUB_ALIASES.contains(&host)
            && contacted_for(host).iter().any(|h| h == host))
}

/// A [`Plan`] indexed by namespace: the same answers as its methods, each without scanning the plan.
pub struct Lookup<'a> {
    plan: &'a Plan,
    /// Namespace → index in `plan.dirs` / `plan.mirrors`.
    dirs: StrMap<'a>,
    mirrors: StrMap<'a>,
    configured: StringSet,
}

impl Lookup<'_> {
    /// [`Plan::contacted_for`].
    pub fn contacted_for(&self, namespace: &str) -> Vec<String> {
        self.plan.contacted_via(namespace, |ns| self.dirs.get(ns).map(|&i| &*self.plan.dirs[i]), |ns| self.mirrors.get(ns).map(|&i| &self.plan.mirrors[i]))
    }

    /// [`Plan::configured_contacts`].
    pub fn configured(&self) -> &StringSet {
        &self.configured
    }

    /// [`Plan::contacts`].
    pub fn contacts(&self, host: &str) -> bool {
        contacts_with(host, &self.configured, |h| self.contacted_for(h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every project of the presets and of `extra`, each registry edited in place (its upstream kept):
    /// `plan_again` gives the full plan whenever it gives one, and gives one for the projects made to allow it.
    #[test]
    fn planning_again_after_an_edit_of_one_registry_equals_planning_from_scratch() {
        let registry = |upstream: &str, url: &str| Registry {
            upstream: upstream.into(),
            endpoints: vec![Endpoint { url: url.into(), ..Default::default() }],
            ..Default::default()
        };
        // Harbor's project goes in front of the edited registry's own endpoints.
        let harbor = Project {
            registries: vec![registry("quay.io", "https://q.example.com"), registry("docker.io", "https://m.example.com")],
            harbor: Some(HarborProxy {
                address: "https://harbor.example.com".into(),
                mappings: vec![HarborMapping { upstream: "docker.io".into(), project: "dockerhub".into() }],
                ..Default::default()
            }),
            ..Default::default()
        };
        let air_gap = Project {
            registries: vec![registry("docker.io", "https://m.example.com")],
            air_gap: Some(AirGap { registry: "https://registry.internal".into(), ..Default::default() }),
            ..Default::default()
        };
        let pem = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pem/ca.crt")).to_string();
        let mut shipping = Project { registries: vec![registry("docker.io", "https://m.example.com")], ..Default::default() };
        shipping.registries[0].endpoints[0].tls.ca = vec![CaCert::Pem { name: "mirror".into(), pem }];
        let mut taken_over = 0;
        let projects: Vec<Project> = crate::presets::all().into_iter().map(|p| p.project).chain([harbor, air_gap, shipping]).collect();
        for p in &projects {
            let before = plan(p);
            for i in 0..p.registries.len() {
                let mut q = p.clone();
                let r = &mut q.registries[i];
                match r.endpoints.first_mut() {
                    Some(e) => e.url.push_str("x"),
                    None => r.endpoints.push(Endpoint { url: "https://new.example.com".into(), ..Default::default() }),
                }
                if let Some(fast) = plan_again(&q, &before, i, &p.registries[i]) {
                    assert_eq!(fast, plan(&q), "registry {i} of {p:?}");
                    taken_over += 1;
                }
            }
        }
        assert!(taken_over >= 4, "the shortcut was taken {taken_over} times");
        // Harbor's docker.io (its project in front) and the air-gap's docker.io (the air-gap registry last) are
        // among them.
        let n = projects.len();
        for (p, i) in [(&projects[n - 3], 1), (&projects[n - 2], 0)] {
            let mut q = p.clone();
            q.registries[i].endpoints[0].url.push_str("x");
            assert_eq!(plan_again(&q, &plan(p), i, &p.registries[i]).as_ref(), Some(&plan(&q)));
        }
        // Pasted CAs are shared between directories: never taken over, whether they were there or come with the edit.
        let shipping = projects.last().unwrap();
        let mut q = shipping.clone();
        q.registries[0].endpoints[0].url.push_str("x");
        assert_eq!(plan_again(&q, &plan(shipping), 0, &shipping.registries[0]), None);
        let plain = &projects[n - 2];
        let mut q = plain.clone();
        q.registries[0].endpoints[0].tls = shipping.registries[0].endpoints[0].tls.clone();
        assert_eq!(plan_again(&q, &plan(plain), 0, &plain.registries[0]), None);
    }

    #[test]
    fn contacted_hosts_are_endpoint_hosts_then_docker_hub() {
        let p = Project {
            registries: vec![Registry {
                upstream: "quay.io".into(),
                endpoints: vec![Endpoint { url: "https://mirror.example.com:5000".into(), ..Default::default() }],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(plan(&p).contacted_hosts(), ["mirror.example.com:5000", "quay.io", "registry-1.docker.io"]);
        assert_eq!(plan(&Project::default()).contacted_hosts(), ["registry-1.docker.io"]);
    }
}
