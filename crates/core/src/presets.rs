//! Presets, kept as data (`crates/core/presets/*.json`): each fills the whole form. Public mirror lists carry the
//! date they were last checked, because public mirrors come and go.

use crate::diagnostics::Message;
use crate::json::{Kind, Node};
use crate::model::Project;

/// Upstreams offered while typing a registry name, in the order "Add a registry" takes them.
pub const COMMON_UPSTREAMS: [&str; 6] = ["docker.io", "registry.k8s.io", "k8s.gcr.io", "gcr.io", "quay.io", "ghcr.io"];

/// The usual upstream → Harbor proxy-cache project table (spec §3.3); project names are the user's choice in Harbor.
pub const COMMON_HARBOR_MAPPINGS: [(&str, &str); 5] =
    [("docker.io", "dockerhub"), ("registry.k8s.io", "k8s"), ("quay.io", "quay"), ("ghcr.io", "ghcr"), ("gcr.io", "gcr")];

#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    pub id: String,
    pub name: Message,
    pub description: Message,
    /// When the values (e.g. public mirror URLs) were last checked, YYYY-MM-DD.
    pub checked: String,
    pub project: Project,
}

/// A preset file's text in both languages: `{"en": …, "zh": …}`.
fn text(n: &Node) -> Option<(&str, &str)> {
    let Kind::Object(m) = &n.kind else { return None };
    let mut en = None;
    let mut zh = None;
    for f in m {
        let slot = match f.key.as_str() {
            "en" => &mut en,
            "zh" => &mut zh,
            _ => return None,
        };
        *slot = Some(string(&f.value)?);
    }
    Some((en?, zh?))
}

fn string(n: &Node) -> Option<&str> {
    match &n.kind {
        Kind::String(s) => Some(s),
        _ => None,
    }
}

fn message((en, zh): (&str, &str)) -> Message {
    Message::new(en, zh)
}

/// A preset file: `id`, `name`, `description`, `checked` and `project`, nothing else; `None` when it is not
/// (the tests read every file). With `whole` false the description and the project are left unread. Checked by
/// reference first and owned at the end, so a refusal has nothing to drop.
fn read(file: &str, whole: bool) -> Option<Preset> {
    let tree = crate::json::parse(file).ok()?;
    let Kind::Object(m) = &tree.kind else { return None };
    let (mut id, mut name, mut description, mut checked, mut project) = (None, None, None, None, None);
    for f in m {
        match f.key.as_str() {
            "id" => id = Some(string(&f.value)?),
            "name" => name = Some(text(&f.value)?),
            "checked" => checked = Some(string(&f.value)?),
            "description" if whole => description = Some(text(&f.value)?),
            // The last is read below; a repeated one before it must be a project too.
            "project" if whole => {
                if let Some(earlier) = project.replace(&f.value) {
                    crate::json::project::read_project(earlier).ok()?;
                }
            }
            "description" | "project" => {}
            _ => return None,
        }
    }
    let (id, name, checked) = (id?, name?, checked?);
    let (description, project) = match whole {
        true => (message(description?), crate::json::project::read_project(project?).ok()?),
        false => (Message::new(String::new(), String::new()), Project::default()),
    };
    Some(Preset { id: id.to_string(), name: message(name), description, checked: checked.to_string(), project })
}

const FILES: [&str; 4] = [
    include_str!("../presets/dockerhub-mirrors.json"),
    include_str!("../presets/harbor-proxy-cache.json"),
    include_str!("../presets/air-gap.json"),
    include_str!("../presets/private-registry-ca.json"),
];

pub fn all() -> Vec<Preset> {
    FILES
        .iter()
        .map(|text| read(text, true).expect("presets are checked by tests"))
        .collect()
}

/// What the page's preset menu shows of a preset.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuEntry {
    pub id: String,
    pub name: Message,
    /// As [`Preset::checked`].
    pub checked: String,
}

/// The presets' menu entries, read once and without their projects: the menu is part of every render of the
/// page, and parsing four whole projects there cost each keystroke and the first preview a few milliseconds.
pub fn menu() -> &'static [MenuEntry] {
    // The description and the project are not read.
    static MENU: std::sync::OnceLock<Vec<MenuEntry>> = std::sync::OnceLock::new();
    MENU.get_or_init(|| {
        FILES
            .iter()
            .map(|text| {
                let h = read(text, false).expect("presets are checked by tests");
                MenuEntry { id: h.id, name: h.name, checked: h.checked }
            })
            .collect()
    })
}

pub fn by_id(id: &str) -> Option<Preset> {
    all().into_iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    #[test]
    fn the_menu_lists_every_preset_as_it_is() {
        let listed: Vec<_> = menu().iter().map(|m| (m.id.clone(), m.name.clone(), m.checked.clone())).collect();
        let full: Vec<_> = all().into_iter().map(|p| (p.id, p.name, p.checked)).collect();
        assert_eq!(listed, full);
    }

    #[test]
    fn presets_load_and_have_both_languages() {
        let all = all();
        assert_eq!(all.len(), 4);
        for p in &all {
            assert!(!p.name.en.is_empty() && !p.name.zh.is_empty() && !p.description.zh.is_empty(), "{}", p.id);
            assert_eq!(p.checked.len(), 10, "{}: checked date YYYY-MM-DD", p.id);
        }
        assert!(by_id("harbor-proxy-cache").is_some());
    }

    #[test]
    fn presets_have_no_errors_except_the_ca_to_paste() {
        for p in all() {
            let errors: Vec<_> =
                crate::validate(&p.project).into_iter().filter(|d| d.severity == Severity::Error).map(|d| d.code).collect();
            if p.id == "private-registry-ca" {
                // The placeholder is there to be replaced: it must be flagged until a real PEM is pasted.
                assert_eq!(errors, vec!["H5-ca-not-pem"], "{}", p.id);
            } else {
                assert!(errors.is_empty(), "{}: {errors:?}", p.id);
            }
        }
    }

    /// The ops note (`shared/seed`) lists exactly these three docker.io mirrors, in this order; the banner speaks
    /// of the ops note (users never saw a "seed") and does not claim the mirrors were checked.
    #[test]
    fn dockerhub_preset_is_the_ops_note_list() {
        let p = by_id("dockerhub-mirrors").expect("preset");
        let urls: Vec<&str> = p.project.registries[0].endpoints.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://fogjl973.mirror.aliyuncs.com", "https://8x40wsit.mirror.aliyuncs.com", "https://docker.mirrors.ustc.edu.cn"]
        );
        for text in [&p.description.en, &p.description.zh] {
            assert!(!text.to_lowercase().contains("seed") && !text.contains("种子"), "{text}");
        }
        assert!(p.description.en.contains("As listed in the ops note"), "{}", p.description.en);
        assert!(p.description.zh.contains("运维笔记"), "{}", p.description.zh);
    }

    /// The ops note is for nodes in China, where Docker Hub is often unreachable: pull-only mirrors would leave
    /// every tag to Docker Hub, so the mirrors resolve, and the banner says what that trusts them with.
    #[test]
    fn dockerhub_preset_is_for_nodes_that_cannot_reach_docker_hub() {
        let p = by_id("dockerhub-mirrors").expect("preset");
        let r = &p.project.registries[0];
        assert!(!r.upstream_reachable);
        assert!(r.endpoints.iter().all(|e| e.effective_capabilities().contains(&crate::model::Capability::Resolve)));
        let d = crate::validate::validate(&p.project);
        let warned: Vec<&str> = d.iter().filter(|d| d.severity > crate::Severity::Info).map(|d| d.code).collect();
        assert!(warned.is_empty(), "a preset opens clean: {warned:?}");
        let trust = d.iter().filter(|d| d.code == "H4-resolve-on-public-mirror").count();
        assert_eq!(trust, 3, "the trust is said at each mirror");
        assert!(p.description.en.contains("trust") && p.description.zh.contains("信任"), "{:?}", p.description);
    }
}
