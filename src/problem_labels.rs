//! Where a diagnostic is, in the words of the form: `registries[0].endpoints[0].url` becomes
//! "docker.io › endpoint 1 › URL" (the registry by its name, items counted from 1, each field by the label it
//! has in its section), and counts of problems with their plural forms ("1 error", "2 errors", "1 个错误").
//!
//! Pure (no DOM), so every path the core emits is checked natively; the raw path stays in the page as a
//! `title` / `data-path` for support.

use ccb_core::model::Project;
use ccb_core::Lang;

use crate::i18n::{t, tf, tn};

/// Between the parts of a place.
pub const SEPARATOR: &str = " › ";

/// `a.b[0][1].c` → the template `a.b[][].c` and the indices 0, 1; `None` for anything that is not such a path.
fn template(path: &str) -> Option<(String, Vec<usize>)> {
    let (mut shape, mut indices) = (String::new(), Vec::new());
    if path.is_empty() {
        return Some((shape, indices));
    }
    for piece in path.split('.') {
        let (name, mut rest) = piece.split_at(piece.find('[').unwrap_or(piece.len()));
        if name.is_empty() && shape.is_empty() {
            return None;
        }
        if !name.is_empty() {
            if !shape.is_empty() {
                shape.push('.');
            }
            shape.push_str(name);
        }
        while !rest.is_empty() {
            let inner = rest.strip_prefix('[')?;
            let close = inner.find(']')?;
            indices.push(inner[..close].parse().ok()?);
            shape.push_str("[]");
            rest = &inner[close + 1..];
        }
    }
    Some((shape, indices))
}

/// Every known place, as data: a path's template and its parts, each an i18n key; `#key` is the key's numbered
/// item ("endpoint 2") and `@…` an item by what the user typed into it, both taking the path's next index.
/// Data, not match arms: a place has some seventy of them.
const PLACES: &[(&str, &str)] = &[
    ("", "summary.project"),
    ("schema_version", "summary.project place.schema_version"),
    ("target", "section.target"),
    ("target.min", "section.target target.min"),
    ("target.max", "section.target target.max"),
    ("output", "section.target target.output"),
    ("registries", "section.registries"),
    ("registries[]", "@registry"),
    ("registries[].upstream", "@registry place.upstream"),
    ("registries[].server", "@registry registries.server"),
    ("registries[].fallback_to_upstream", "@registry registries.fallback"),
    ("registries[].endpoints", "@registry place.endpoints"),
    ("registries[].endpoints[]", "@registry #place.endpoint_n"),
    ("registries[].endpoints[].url", "@registry #place.endpoint_n registries.url"),
    ("registries[].endpoints[].kind", "@registry #place.endpoint_n registries.kind"),
    ("registries[].endpoints[].capabilities", "@registry #place.endpoint_n registries.capabilities"),
    ("registries[].endpoints[].override_path", "@registry #place.endpoint_n registries.override_path"),
    ("registries[].endpoints[].dial_timeout", "@registry #place.endpoint_n registries.dial_timeout"),
    ("registries[].endpoints[].headers", "@registry #place.endpoint_n registries.headers"),
    ("registries[].endpoints[].headers[]", "@registry #place.endpoint_n #place.header_n"),
    ("registries[].endpoints[].headers[].name", "@registry #place.endpoint_n #place.header_n place.header_name"),
    ("registries[].endpoints[].headers[].values", "@registry #place.endpoint_n #place.header_n place.header_values"),
    ("registries[].endpoints[].headers[].values[]", "@registry #place.endpoint_n #place.header_n #place.value_n"),
    ("harbor", "section.harbor"),
    ("harbor.address", "section.harbor harbor.address"),
    ("harbor.mode", "section.harbor harbor.mode"),
    ("harbor.fallback_to_upstream", "section.harbor harbor.fallback"),
    ("harbor.mappings", "section.harbor harbor.mappings"),
    ("harbor.mappings[]", "section.harbor @mapping"),
    ("harbor.mappings[].upstream", "section.harbor @mapping harbor.upstream"),
    ("harbor.mappings[].project", "section.harbor @mapping harbor.project"),
    // The Harbor endpoint this mapping becomes (found by the checks on the bundle's paths).
    ("harbor.mappings[].url", "section.harbor @mapping harbor.endpoint"),
    ("air_gap", "section.airgap"),
    ("air_gap.registry", "section.airgap airgap.registry"),
    ("air_gap.fallback_to_upstream", "section.airgap airgap.fallback"),
    ("air_gap.namespaces", "section.airgap airgap.namespaces"),
    ("air_gap.namespaces[]", "section.airgap airgap.namespaces @namespace"),
    ("sandbox_image", "section.airgap airgap.sandbox_image"),
    ("auth", "section.auth"),
    ("auth[]", "section.auth @credential"),
    ("auth[].host", "section.auth @credential auth.host"),
    ("auth[].method", "section.auth @credential auth.method"),
    ("auth[].method.username", "section.auth @credential auth.username"),
    ("auth[].method.password", "section.auth @credential auth.password"),
    ("auth[].method.auth", "section.auth @credential auth.auth_value"),
    ("auth[].method.token", "section.auth @credential auth.token"),
    ("daemon", "section.daemon"),
    ("daemon.root", "section.daemon daemon.root"),
    ("daemon.state", "section.daemon daemon.state"),
    ("daemon.oom_score", "section.daemon daemon.oom_score"),
    ("daemon.imports", "section.daemon daemon.imports"),
    ("daemon.imports[]", "section.daemon daemon.imports #place.import_n"),
    ("daemon.debug", "section.daemon daemon.observe"),
    ("daemon.debug.address", "section.daemon daemon.debug_address"),
    ("daemon.debug.level", "section.daemon daemon.debug_level"),
    ("daemon.metrics_address", "section.daemon daemon.metrics"),
    ("daemon.snapshotter", "section.daemon daemon.snapshotter"),
    ("existing_config", "section.apply apply.existing_label"),
];

/// Whose `tls` a path can be under (the plan labels Harbor's shared TLS by the mapping it was expanded for, and
/// the air-gap registry's as the air-gap's), and the place of the owner.
const TLS_OWNERS: &[(&str, &str)] = &[
    ("registries[].endpoints[]", "registries[].endpoints[]"),
    ("harbor", "harbor"),
    ("harbor.mappings[]", "harbor.mappings[]"),
    ("air_gap", "air_gap"),
    ("air_gap.registry", "air_gap"),
];

/// The places inside a `tls`, after its owner's.
const TLS_PLACES: &[(&str, &str)] = &[
    ("", "section.tls"),
    (".ca", "section.tls tls.ca.title"),
    (".ca[]", "section.tls #place.ca_n"),
    (".ca[].name", "section.tls #place.ca_n tls.ca.name"),
    (".ca[].pem", "section.tls #place.ca_n tls.ca.pem_label"),
    (".ca[].path", "section.tls #place.ca_n tls.ca.path_label"),
    (".client", "section.tls tls.client.title"),
    (".client[]", "section.tls #tls.client.n"),
    (".client[].cert", "section.tls #tls.client.n tls.client.cert"),
    (".client[].key", "section.tls #tls.client.n tls.client.key"),
    (".skip_verify", "section.tls place.skip_verify"),
];

fn lookup(table: &[(&'static str, &'static str)], shape: &str) -> Option<&'static str> {
    table.iter().find(|(s, _)| *s == shape).map(|(_, parts)| *parts)
}

/// The parts of `shape`'s place: its own, or its TLS owner's followed by the TLS part's.
fn place_spec(shape: &str) -> Option<String> {
    if let Some(parts) = lookup(PLACES, shape) {
        return Some(parts.to_string());
    }
    let at = shape.match_indices(".tls").map(|(at, _)| at).find(|at| matches!(shape.as_bytes().get(at + 4), None | Some(b'.')))?;
    let owner = lookup(PLACES, lookup(TLS_OWNERS, &shape[..at])?)?;
    Some([owner, " ", lookup(TLS_PLACES, &shape[at + 4..])?].concat())
}

fn n(lang: Lang, key: &str, i: usize) -> String {
    tn(lang, key, i + 1)
}

/// A list item by what the user typed into it (trimmed), or "<kind> 2" while it is empty.
fn named(lang: Lang, typed: Option<&str>, key: &str, i: usize) -> String {
    match typed.map(str::trim).filter(|s| !s.is_empty()) {
        // One line, controls escaped as everywhere on the page: the place is shown inline.
        Some(s) => ccb_core::diagnostics::one_line(s),
        None => n(lang, key, i),
    }
}

/// The parts of the place of `path`, or `None` for a path this function does not know (the test below keeps
/// every path the core emits known).
pub fn place_parts(path: &str, p: &Project, lang: Lang) -> Option<Vec<String>> {
    let (shape, indices) = template(path)?;
    let spec = place_spec(&shape)?;
    let mut next = indices.into_iter();
    let parts = spec.split(' ').map(|part| {
        if let Some(key) = part.strip_prefix('#') {
            return n(lang, key, next.next().unwrap_or(0));
        }
        let Some(item) = part.strip_prefix('@') else { return t(lang, part).to_string() };
        let i = next.next().unwrap_or(0);
        match item {
            "registry" => named(lang, p.registries.get(i).map(|r| r.upstream.as_str()), "place.registry_n", i),
            "namespace" => named(lang, p.air_gap.as_ref().and_then(|a| a.namespaces.get(i)).map(String::as_str), "place.registry_n", i),
            "credential" => named(lang, p.auth.get(i).map(|c| c.host.as_str()), "place.credentials_n", i),
            _ => match p.harbor.as_ref().and_then(|h| h.mappings.get(i)).map(|m| m.upstream.trim()).filter(|u| !u.is_empty()) {
                Some(u) => tf(lang, "place.mapping_of", &[("upstream", &ccb_core::diagnostics::one_line(u))]),
                None => n(lang, "place.mapping_n", i),
            },
        }
    });
    Some(parts.collect())
}

/// The place of `path` as one line. A path not (yet) known here is shown by its longest known beginning, and
/// as itself only when not even that is known, so a new rule in the core never shows a blank.
pub fn place(path: &str, p: &Project, lang: Lang) -> String {
    if let Some(parts) = place_parts(path, p, lang) {
        return parts.join(SEPARATOR);
    }
    let mut cut = path;
    while let Some(at) = cut.rfind(['.', '[']) {
        cut = &cut[..at];
        if cut.is_empty() {
            break;
        }
        if let Some(parts) = place_parts(cut, p, lang) {
            return parts.join(SEPARATOR);
        }
    }
    path.to_string()
}

/// "1 error", "2 errors" (English has two forms; Chinese one: "1 个错误"). `what`: `errors`, `warnings`,
/// `endpoints`, `files` (keys `count.<what>.one|other` in i18n/places.rs).
pub fn count(lang: Lang, what: &str, n: usize) -> String {
    let form = if n == 1 { "one" } else { "other" };
    tn(lang, &["count.", what, ".", form].concat(), n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_counts_are_singular_and_plural() {
        assert_eq!(count(Lang::En, "lines", 1), "1 line");
        assert_eq!(count(Lang::En, "lines", 376), "376 lines");
        assert_eq!(count(Lang::Zh, "lines", 1), "1 行");
    }
    use ccb_core::model::*;

    fn credential(host: &str) -> Credential {
        Credential { host: host.into(), method: AuthMethod::Basic { username: "".into(), password: Secret::literal(""), encode_as_auth: false } }
    }

    fn project() -> Project {
        let mut p = Project::default();
        p.registries.push(Registry { upstream: "docker.io".into(), endpoints: vec![Endpoint::default(), Endpoint::default()], ..Default::default() });
        p.registries.push(Registry { upstream: " ".into(), ..Default::default() });
        p.auth.push(credential("harbor.example.com"));
        p.harbor = Some(HarborProxy {
            address: "https://harbor.example.com".into(),
            mappings: vec![HarborMapping { upstream: "quay.io".into(), project: "quay".into() }, HarborMapping::default()],
            ..Default::default()
        });
        p.air_gap = Some(AirGap { registry: "https://r.internal".into(), namespaces: vec!["gcr.io".into(), "".into()], ..Default::default() });
        p
    }

    #[test]
    fn places_read_like_the_form() {
        let p = project();
        let en = |path: &str| place(path, &p, Lang::En);
        let zh = |path: &str| place(path, &p, Lang::Zh);
        assert_eq!(en("registries[0].endpoints[0].url"), "docker.io › endpoint 1 › URL");
        assert_eq!(zh("registries[0].endpoints[0].url"), "docker.io › 端点 1 › URL");
        assert_eq!(en("registries[1].upstream"), "registry 2 › registry name");
        assert_eq!(zh("registries[1].upstream"), "仓库 2 › 仓库名称");
        assert_eq!(en("registries[0].endpoints[1].tls.ca[0].pem"), "docker.io › endpoint 2 › TLS › CA certificate 1 › Certificate (PEM)");
        assert_eq!(zh("registries[0].endpoints[1].tls.ca[0].pem"), "docker.io › 端点 2 › TLS › CA 证书 1 › 证书（PEM）");
        assert_eq!(en("registries[0].endpoints[0].headers[1].values[0]"), "docker.io › endpoint 1 › header 2 › value 1");
        assert_eq!(en("auth[0].method.password"), "Auth › harbor.example.com › Password");
        assert_eq!(zh("auth[0].method.password"), "认证 › harbor.example.com › 密码");
        assert_eq!(en("auth[3].host"), "Auth › credentials 4 › Host");
        assert_eq!(en("harbor.mappings[0].project"), "Harbor proxy cache › mapping for quay.io › Harbor project");
        assert_eq!(en("harbor.mappings[1].upstream"), "Harbor proxy cache › mapping 2 › Upstream");
        assert_eq!(zh("harbor.mappings[0].project"), "Harbor 代理缓存 › quay.io 的映射 › Harbor 项目");
        assert_eq!(en("air_gap.namespaces[0]"), "Air-gap › Registries with a complete directory of their own › gcr.io");
        assert_eq!(en("air_gap.namespaces[1]"), "Air-gap › Registries with a complete directory of their own › registry 2");
        assert_eq!(en("daemon.imports[2]"), "Daemon › Imported files › import 3");
        assert_eq!(en(""), "project");
        assert_eq!(zh(""), "项目");
        assert_eq!(en("output"), "Target › Output style");
        assert_eq!(en("existing_config"), "Apply › config.toml of the node");
        let mut evil = project();
        evil.registries[0].upstream = "docker.io\u{1b}[2J\nx".into();
        assert_eq!(place("registries[0]", &evil, Lang::En), "docker.io\\u{1b}[2J\\u{a}x");
    }

    /// A path this module does not know yet is shown by what it knows, then raw; never blank.
    #[test]
    fn unknown_paths_fall_back_to_their_known_beginning() {
        let p = project();
        assert_eq!(place_parts("registries[0].endpoints[0].new_field", &p, Lang::En), None);
        assert_eq!(place("registries[0].endpoints[0].new_field", &p, Lang::En), "docker.io › endpoint 1");
        assert_eq!(place("something_new.x", &p, Lang::En), "something_new.x");
        assert_eq!(place("registries[x]", &p, Lang::En), "Registries & mirrors");
        assert_eq!(place("[0]", &p, Lang::En), "[0]");
    }

    #[test]
    fn counts_have_their_plural_forms() {
        assert_eq!(count(Lang::En, "errors", 1), "1 error");
        assert_eq!(count(Lang::En, "errors", 2), "2 errors");
        assert_eq!(count(Lang::En, "errors", 0), "0 errors");
        assert_eq!(count(Lang::En, "warnings", 1), "1 warning");
        assert_eq!(count(Lang::En, "warnings", 3), "3 warnings");
        assert_eq!(count(Lang::Zh, "errors", 1), "1 个错误");
        assert_eq!(count(Lang::Zh, "errors", 2), "2 个错误");
        assert_eq!(count(Lang::Zh, "warnings", 1), "1 个警告");
        // The folded registry card and the preview's file count ("1 endpoints" was shown).
        assert_eq!(count(Lang::En, "endpoints", 1), "1 endpoint");
        assert_eq!(count(Lang::En, "endpoints", 2), "2 endpoints");
        assert_eq!(count(Lang::En, "files", 1), "1 file");
        assert_eq!(count(Lang::En, "files", 17), "17 files");
        assert_eq!(count(Lang::Zh, "endpoints", 1), "1 个端点");
        assert_eq!(count(Lang::Zh, "files", 3), "3 个文件");
    }

    /// Every diagnostic path the core emits, taken from its rules (validate/*.rs, merge.rs, the bundle's path
    /// checks), gets a place of its own: none falls back, in either language.
    #[test]
    fn every_path_the_core_emits_has_a_place() {
        let p = project();
        let e = "registries[0].endpoints[0]";
        let mut paths: Vec<String> = [
            "", "target", "target.min", "target.max", "output", "registries", "registries[0]", "registries[0].upstream",
            "registries[0].server", "registries[0].fallback_to_upstream", "registries[0].endpoints", "harbor",
            "harbor.address", "harbor.mode", "harbor.fallback_to_upstream", "harbor.mappings", "harbor.mappings[0]",
            "harbor.mappings[0].project", "harbor.mappings[0].upstream", "harbor.mappings[0].url", "harbor.mappings[0].tls.ca[0].name",
            "harbor.tls", "harbor.tls.ca[0].pem", "harbor.tls.ca[1].name", "air_gap", "air_gap.registry", "air_gap.namespaces",
            "air_gap.namespaces[0]", "air_gap.tls", "air_gap.tls.ca[0].name", "air_gap.tls.ca[0].pem", "air_gap.registry.tls.ca[0].name",
            "sandbox_image", "auth", "auth[0].host", "auth[0].method", "auth[0].method.username", "auth[0].method.password",
            "auth[0].method.auth", "auth[0].method.token", "daemon", "daemon.root", "daemon.state", "daemon.oom_score",
            "daemon.imports[0]", "daemon.debug.address", "daemon.debug.level", "daemon.metrics_address", "daemon.snapshotter",
            "existing_config",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for tail in [
            "", ".url", ".override_path", ".capabilities", ".dial_timeout", ".headers", ".headers[0].name", ".headers[0].values",
            ".headers[0].values[0]", ".tls", ".tls.skip_verify", ".tls.ca[0]", ".tls.ca[0].name", ".tls.ca[0].pem",
            ".tls.client[0]", ".tls.client[0].cert", ".tls.client[0].key",
        ] {
            paths.push(format!("{e}{tail}"));
        }
        // And whatever the core reports for projects that break many rules at once.
        for bad in rule_breakers() {
            paths.extend(ccb_core::render(&bad).diagnostics.iter().map(|d| d.path.clone()));
        }
        // A key missing from the catalogues would show as itself.
        let keys: std::collections::HashSet<&str> = crate::i18n::CATALOGUES.iter().flat_map(|c| c.en.iter().map(|(k, _)| *k)).collect();
        assert!(paths.len() > 100, "{}", paths.len());
        for path in &paths {
            for lang in [Lang::En, Lang::Zh] {
                let parts = place_parts(path, &p, lang).unwrap_or_else(|| panic!("no place for {path:?}"));
                for part in &parts {
                    assert!(!part.is_empty() && !part.contains('[') && !keys.contains(part.as_str()), "{path:?} → {parts:?}");
                }
            }
        }
    }

    fn rule_breakers() -> Vec<Project> {
        let mut out = Vec::new();
        for json in [
            include_str!("../crates/core/tests/golden/f10-broken-harbor-no-override/project.json"),
            include_str!("../crates/core/tests/golden/f19b-dockerhub-credentials-wrong-key/project.json"),
            include_str!("../crates/core/tests/golden/f16-legacy-mirrors-wildcard/project.json"),
            include_str!("../crates/core/tests/golden/seed-03-airgap-legacy/project.json"),
            include_str!("../crates/core/tests/golden/f07-multi-host-mtls-headers/project.json"),
        ] {
            out.push(ccb_core::load::project_from_json(json).expect("golden project"));
        }
        let mut p = project();
        p.target.min = "1.5.9".parse().unwrap();
        p.registries[0].endpoints[0] = Endpoint {
            url: "https://m.example.com/v2/x".into(),
            kind: EndpointKind::HarborProject,
            capabilities: vec![Capability::Push, Capability::Referrers],
            dial_timeout: Some("3".into()),
            headers: vec![Header { name: "Bad Name".into(), values: vec![] }, Header { name: "Authorization".into(), values: vec![Secret::literal("a\nb")] }],
            tls: Tls {
                ca: vec![CaCert::Path("ca.crt".into()), CaCert::Pem { name: "../x".into(), pem: "hello".into() }],
                client: vec![ClientCert::Pair { cert: "".into(), key: "".into() }, ClientCert::Combined("~/c.pem".into())],
                skip_verify: true,
            },
            override_path: true,
        };
        p.registries[0].endpoints[1].url = "https://m.example.com/v2/x".into();
        p.registries[0].server = Some("https://docker.io/".into());
        p.registries[1].fallback_to_upstream = false;
        p.auth.push(credential("https://x"));
        p.auth.push(Credential { host: "".into(), method: AuthMethod::Auth { auth: Secret::literal("!!") } });
        p.sandbox_image = Some("https://r/pause".into());
        p.daemon.root = Some("var/lib".into());
        p.daemon.oom_score = Some(5000);
        p.daemon.imports = vec!["".into()];
        p.daemon.metrics_address = Some("u:p@x".into());
        p.daemon.debug = Some(DebugSettings { address: Some("rel".into()), level: Some("loud".into()) });
        out.push(p.clone());
        p.output = OutputStyle::Legacy;
        p.target.max = "2.1.x".parse().unwrap();
        out.push(p);
        out
    }
}

