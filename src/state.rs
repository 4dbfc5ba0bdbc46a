//! The page's state as a `Reducible` (as in yew's `examples/function_todomvc`): components dispatch actions,
//! the reducer applies them to the project, keeps undo/redo history and re-renders the bundle through the core.

use std::rc::Rc;

use ccb_core::edit::Edit;
use ccb_core::model::{AirGap, HarborProxy, Project, Tls};
use ccb_core::{Diagnostic, Lang, Rendered, Severity};
use yew::Reducible;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Target,
    Registries,
    Harbor,
    AirGap,
    Auth,
    Tls,
    Daemon,
    Apply,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Target,
        Section::Registries,
        Section::Harbor,
        Section::AirGap,
        Section::Auth,
        Section::Tls,
        Section::Daemon,
        Section::Apply,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Section::Target => "target",
            Section::Registries => "registries",
            Section::Harbor => "harbor",
            Section::AirGap => "airgap",
            Section::Auth => "auth",
            Section::Tls => "tls",
            Section::Daemon => "daemon",
            Section::Apply => "apply",
        }
    }

    /// The section whose form holds the field at `path` (a diagnostic's path).
    pub fn of_path(path: &str) -> Section {
        let head = path.split(['.', '[']).next().unwrap_or("");
        if path.contains(".tls") {
            return Section::Tls;
        }
        match head {
            "target" | "output" | "schema_version" | "" => Section::Target,
            "registries" => Section::Registries,
            "harbor" => Section::Harbor,
            "air_gap" | "sandbox_image" => Section::AirGap,
            "auth" => Section::Auth,
            "daemon" => Section::Daemon,
            _ => Section::Apply,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub fn key(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    pub fn from_key(s: &str) -> Option<Theme> {
        match s {
            "auto" => Some(Theme::Auto),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// A message shown at the top of the page until dismissed; `key` is an i18n key, `detail` is shown as is.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub key: &'static str,
    pub detail: String,
    pub severity: Severity,
}

pub enum Action {
    /// Edit the project (applied by `ccb_core::edit::apply`). Consecutive edits with the same
    /// [`Edit::undo_key`] are one undo step, so typing a host name is undone as a whole.
    Edit(Edit),
    /// [`Action::Edit`] of an edit a button applies on every press, shared by the presses rather than copied for
    /// each (`fields::on_add`, `widgets::on_click_edit`).
    EditShared(Rc<Edit>),
    /// Replace the whole project (preset, opened file, share link, reset): always its own undo step.
    Replace(Project),
    Undo,
    Redo,
    /// The node's current config.toml (pasted or uploaded), or `None` to go back to the fragment.
    SetExisting(Option<String>),
    SetLang(Lang),
    SetTheme(Theme),
    SetSection(Section),
    SelectFile(String),
    /// What a view of the shell remembers (the preview, the "Try an image" box, the tab strip): `app::ViewState`.
    View(crate::app::ViewAction),
    SetRemember(bool),
    Notify(Option<Notice>),
    /// Render the bundle again with the same inputs: a lazily loaded module (the merge) is ready or has failed.
    Rerender,
    /// The tools module is ready (or has failed) after the page's first render: install.sh and README.txt are
    /// written now (or say why not). No line is marked as changed: the user changed nothing.
    ScriptsLoaded,
    /// The split-off forms (`sections::split`) are ready or have failed: the open section shows its form (or why not).
    SplitLoaded,
    /// Change what the Apply section's cards show (`sections::cards`).
    Cards(crate::sections::cards::Change),
}

#[derive(Clone)]
pub struct AppState {
    pub project: Rc<Project>,
    pub rendered: Rc<Rendered>,
    /// The bundle before the last change: the preview highlights the lines that changed since.
    pub previous: Rc<Rendered>,
    pub existing: Option<Rc<String>>,
    pub undo: Vec<Rc<Project>>,
    pub redo: Vec<Rc<Project>>,
    last_edit_key: Option<ccb_core::edit::UndoKey>,
    pub lang: Lang,
    pub theme: Theme,
    pub section: Section,
    pub selected_file: Option<String>,
    /// The shell's views' own state (`app::ViewState`), so that they are functions of the state, not components.
    pub view: crate::app::ViewState,
    pub remember: bool,
    pub notice: Option<Notice>,
    /// Embedded in a docs portal (`?embed=1`): no page header or footer, height posted to the parent.
    pub embed: bool,
    /// How many loads of the split-off module (`sections::split`) have ended, ready or failed: compared by
    /// `PartialEq`, so that the components reading the state (an open registry card's fields) are drawn again.
    pub split_loads: u32,
    /// Bumped on every change of the project or of the existing config: effects key on it.
    pub revision: u64,
    /// Per section (in `Section::ALL` order): values changed from the defaults.
    changes: [usize; 8],
    stash: Stash,
    /// Edits made before the split-off module, which holds the rules of every edit, arrived (an "Add a registry"
    /// clicked at once): applied in order when it is there (`Action::SplitLoaded`).
    waiting_edits: Vec<Rc<Edit>>,
    /// What the Apply section's cards show (`sections::cards`); emptied when another section opens.
    pub cards: Rc<crate::sections::cards::Cards>,
}

/// What Harbor and the air-gap held when they were last turned off: turning one on again brings it back (until
/// the page is reloaded), whichever section is open in between. Kept in the state, so that the two sections are
/// plain functions of it rather than components with a memory of their own.
#[derive(Clone, Default)]
pub struct Stash {
    harbor: Option<Rc<HarborProxy>>,
    air_gap: Option<Rc<AirGap>>,
}

impl Stash {
    /// What to apply to `p` instead of `edit` (`Some` for an enable without settings of its own when some are
    /// stashed) and the stash after it.
    fn around(&self, edit: &Edit, p: &Project) -> (Option<Edit>, Stash) {
        let mut s = self.clone();
        let instead = match edit {
            Edit::EnableHarbor { restore: None } => s.harbor.take().map(|rc| Edit::EnableHarbor { restore: Some(Box::new(Rc::unwrap_or_clone(rc))) }),
            Edit::EnableAirGap { restore: None } => s.air_gap.take().map(|rc| Edit::EnableAirGap { restore: Some(Box::new(Rc::unwrap_or_clone(rc))) }),
            Edit::DisableHarbor => {
                s.harbor = p.harbor.clone().map(Rc::new);
                None
            }
            Edit::DisableAirGap => {
                s.air_gap = p.air_gap.clone().map(Rc::new);
                None
            }
            _ => None,
        };
        (instead, s)
    }
}

/// A project after an edit: the stash after it and the edit's undo key.
pub struct Applied {
    project: Project,
    stash: Stash,
    key: Option<ccb_core::edit::UndoKey>,
}

/// The rules of every edit, given the project and the stash before it; `None` when it changes nothing. In the split
/// page, code of the split-off module (reached through `sections::split::edit_rules` alone): nothing before the first
/// change needs `ccb_core::edit::apply`.
pub fn applied(project: &Project, stash: &Stash, edit: &Edit) -> Option<Applied> {
    let (instead, stash) = stash.around(edit, project);
    let edit = instead.as_ref().unwrap_or(edit);
    let mut after = project.clone();
    ccb_core::edit::apply(&mut after, edit);
    // Structural verbs and choices have no key: always their own step.
    (after != *project).then(|| Applied { project: after, stash, key: edit.undo_key() })
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
            && self.lang == other.lang
            && self.theme == other.theme
            && self.section == other.section
            && self.selected_file == other.selected_file
            && self.remember == other.remember
            && self.notice == other.notice
            && self.embed == other.embed
            && self.split_loads == other.split_loads
    }
}

const HISTORY_LIMIT: usize = 200;

/// The bundle in the page's language (README.txt, install.sh's messages, the files' comments). The merge runs in
/// a lazily loaded module (`lazy::merge`); until it is ready, the bundle says why the file is not merged yet.
/// install.sh and README.txt come from the same module (`lazy::scripts`), written from this very render's files.
fn render(project: &Rc<Project>, existing: Option<&Rc<String>>, lang: Lang) -> Rendered {
    render_after(project, existing, lang, None)
}

/// [`render`] after an edit (`previous` given): the files the edit left as they were are taken over from it.
fn render_after(project: &Rc<Project>, existing: Option<&Rc<String>>, lang: Lang, previous: Option<&Rendered>) -> Rendered {
    let mut rendered = match existing {
        Some(text) => {
            let merge_by = |plan: &ccb_core::plan::Plan, diagnostics: &[Diagnostic]| crate::lazy::merge::merge(project, plan, diagnostics, text);
            ccb_core::render::render_merging_in(project, &merge_by, lang, previous)
        }
        None => match previous {
            Some(previous) => ccb_core::render::render_again(project, lang, previous),
            None => ccb_core::render::render_in(project, lang),
        },
    };
    crate::lazy::scripts::attach(&mut rendered);
    rendered
}

impl AppState {
    pub fn new(project: Project, lang: Lang) -> Self {
        let project = Rc::new(project);
        let rendered = Rc::new(render(&project, None, lang));
        let changes = count_changes(&project);
        AppState {
            project,
            previous: Rc::clone(&rendered),
            rendered,
            existing: None,
            undo: Vec::new(),
            redo: Vec::new(),
            last_edit_key: None,
            lang,
            theme: Theme::Auto,
            section: Section::Registries,
            selected_file: None,
            view: Default::default(),
            remember: false,
            notice: None,
            embed: false,
            split_loads: 0,
            revision: 0,
            changes,
            stash: Stash::default(),
            waiting_edits: Vec::new(),
            cards: Rc::default(),
        }
    }

    /// The bundle written again in the state's language, no line marked as changed: after a language switch, and
    /// after the page's Chinese texts arrived (the first state is made before them, so its files' comments fell back
    /// to the core's English).
    pub fn render_words_again(&mut self) {
        self.rendered = Rc::new(render(&self.project, self.existing.as_ref(), self.lang));
        self.previous = Rc::clone(&self.rendered);
    }

    /// `project` in place of the state's (the bundle re-rendered from the last one), keeping everything else.
    fn set_project(&mut self, project: Rc<Project>) {
        let rendered = Rc::new(render_after(&project, self.existing.as_ref(), self.lang, Some(&self.rendered)));
        self.previous = std::mem::replace(&mut self.rendered, rendered);
        self.changes = count_changes(&project);
        self.project = project;
        self.revision += 1;
    }

    /// Applies `edit` to the project (a state copied from the one before it); `false` when it changed nothing. Before
    /// the split-off module, which holds the rules of every edit, is there, the edit waits for it (and the state
    /// changed, though nothing it shows did).
    fn edit(&mut self, edit: Rc<Edit>) -> bool {
        let Some(rules) = crate::sections::split::edit_rules() else {
            self.waiting_edits.push(edit);
            return true;
        };
        let Some(Applied { project, stash, key }) = rules(&self.project, &self.stash, &edit) else { return false };
        let coalesce = key.is_some() && self.last_edit_key == key && !self.undo.is_empty();
        let before = Rc::clone(&self.project);
        self.set_project(Rc::new(project));
        self.stash = stash;
        if !coalesce {
            self.undo.push(before);
            if self.undo.len() > HISTORY_LIMIT {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last_edit_key = key;
        true
    }

    /// The section a freshly loaded project is best shown in (Harbor or air-gap when it uses them).
    pub fn natural_section(project: &Project) -> Section {
        if project.harbor.is_some() && project.registries.is_empty() {
            Section::Harbor
        } else if project.air_gap.is_some() && project.registries.is_empty() {
            Section::AirGap
        } else {
            Section::Registries
        }
    }

    /// The bundle rendered again from the same project and pasted file (a lazy module it needs has arrived);
    /// `before` is the bundle the change marks are taken against.
    fn render_anew(&mut self, before: &Rc<Rendered>) {
        self.previous = Rc::clone(before);
        self.rendered = Rc::new(render(&self.project, self.existing.as_ref(), self.lang));
        self.revision += 1;
    }

    /// How many edits wait for the split-off module.
    pub fn waiting_edits(&self) -> usize {
        self.waiting_edits.len()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Diagnostics about the field at `path` exactly.
    pub fn diagnostics_at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.rendered.diagnostics.iter().filter(move |d| d.path == path)
    }

    /// The worst severity among the section's diagnostics.
    pub fn section_problem(&self, section: Section) -> Option<Severity> {
        self.rendered
            .diagnostics
            .iter()
            .filter(|d| d.severity > Severity::Info && Section::of_path(&d.path) == section)
            .map(|d| d.severity)
            .max()
    }

    /// How many values in the section differ from the defaults (computed once per change of the project).
    pub fn section_changes(&self, section: Section) -> usize {
        let i = Section::ALL.iter().position(|s| *s == section).unwrap_or(0);
        self.changes[i]
    }
}

/// Per section, how many of its values differ from a new project's: one per changed setting, and a list counts
/// its entries (a registry, a mapping), not every field inside them. TLS settings count under TLS only.
/// Compared field by field (no serialisation): this runs on every keystroke, at 500 registries too.
fn count_changes(project: &Project) -> [usize; 8] {
    Section::ALL.map(|section| section_changes_of(project, section))
}

fn section_changes_of(p: &Project, section: Section) -> usize {
    let n = |changed: bool| usize::from(changed);
    let list = |len: usize, changed: bool| if changed { len.max(1) } else { 0 };
    let default = Project::default();
    match section {
        Section::Target => n(p.target.min != default.target.min) + n(p.target.max != default.target.max) + n(p.output != default.output),
        Section::Registries => p.registries.len(),
        Section::Harbor => p.harbor.as_ref().map_or(0, |h| {
            let d = ccb_core::model::HarborProxy::default();
            // Turned on counts, even with every value as it came.
            1 + n(h.address != d.address) + n(h.mode != d.mode) + n(h.fallback_to_upstream != d.fallback_to_upstream) + h.mappings.len()
        }),
        Section::AirGap => {
            let air = p.air_gap.as_ref().map_or(0, |a| {
                let d = ccb_core::model::AirGap::default();
                1 + n(a.registry != d.registry) + n(a.fallback_to_upstream != d.fallback_to_upstream) + a.namespaces.len()
            });
            air + n(p.sandbox_image != default.sandbox_image)
        }
        Section::Auth => p.auth.len(),
        Section::Tls => tls_settings_count(p),
        Section::Daemon => {
            let (d, x) = (&p.daemon, &default.daemon);
            let debug = d.debug.clone().unwrap_or_default();
            n(d.root != x.root)
                + n(d.state != x.state)
                + n(d.oom_score != x.oom_score)
                + list(d.imports.len(), d.imports != x.imports)
                + n(debug.address.is_some())
                + n(debug.level.is_some())
                + n(d.metrics_address != x.metrics_address)
                + n(d.snapshotter != x.snapshotter)
        }
        Section::Apply => 0,
    }
}

/// How many TLS settings the project has (CAs, client certificates, skip_verify), over every TLS owner.
pub fn tls_settings_count(p: &Project) -> usize {
    fn count(tls: &Tls) -> usize {
        tls.ca.len() + tls.client.len() + usize::from(tls.skip_verify)
    }
    p.registries.iter().flat_map(|r| r.endpoints.iter()).map(|e| count(&e.tls)).sum::<usize>()
        + p.harbor.as_ref().map_or(0, |h| count(&h.tls))
        + p.air_gap.as_ref().map_or(0, |a| count(&a.tls))
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // One copy of the state for every action, changed in place (not one `AppState { .., ..clone() }` each).
        let mut s = (*self).clone();
        match action {
            Action::Edit(edit) => {
                if !s.edit(Rc::new(edit)) {
                    return self;
                }
            }
            Action::EditShared(edit) => {
                if !s.edit(edit) {
                    return self;
                }
            }
            Action::Replace(project) => {
                s.set_project(Rc::new(project));
                s.undo.push(Rc::clone(&self.project));
                s.redo.clear();
                s.last_edit_key = None;
            }
            Action::Undo | Action::Redo => {
                let (from, to) = if matches!(action, Action::Undo) { (&mut s.undo, &mut s.redo) } else { (&mut s.redo, &mut s.undo) };
                let Some(project) = from.pop() else { return self };
                to.push(Rc::clone(&self.project));
                // The history's own project, shared: it is never changed in place.
                s.set_project(project);
                s.last_edit_key = None;
            }
            Action::SetExisting(text) => {
                s.existing = text.filter(|t| !t.trim().is_empty()).map(Rc::new);
                s.previous = Rc::clone(&self.rendered);
                // The first paste starts loading the merge (`lazy::merge::use_merge_module`): the bundle stays as it
                // was until `Rerender`, so a fast load shows no "not merged yet" in between.
                if s.existing.is_none() || crate::lazy::ready(crate::lazy::TOOLS) {
                    s.rendered = Rc::new(render(&s.project, s.existing.as_ref(), s.lang));
                }
                s.revision += 1;
            }
            Action::Rerender => s.render_anew(&self.rendered),
            // The forms read the chunk's state when drawn again (a failed load is followed by a later one).
            Action::SplitLoaded => {
                s.split_loads += 1;
                // The merge's answer is read by the chunk: a config.toml pasted before it was there merges now.
                if s.existing.is_some() {
                    s.render_anew(&self.rendered);
                }
                // Kept again if the module failed to load: the next load applies them.
                for edit in std::mem::take(&mut s.waiting_edits) {
                    s.edit(edit);
                }
            }
            Action::ScriptsLoaded => {
                s.rendered = Rc::new(render(&s.project, s.existing.as_ref(), s.lang));
                s.previous = Rc::clone(&s.rendered);
                s.revision += 1;
            }
            Action::SetLang(lang) => {
                // The bundle speaks the page's language; only words change, so no line is marked as changed.
                s.lang = lang;
                s.render_words_again();
                s.revision += 1;
            }
            Action::SetTheme(theme) => s.theme = theme,
            Action::SetSection(section) => {
                if section != s.section {
                    s.cards = Rc::default();
                }
                s.section = section;
            }
            Action::SelectFile(path) => s.selected_file = Some(path),
            Action::View(action) => {
                if !crate::app::reduce_view(&mut s, action) {
                    return self;
                }
            }
            Action::SetRemember(remember) => s.remember = remember,
            Action::Notify(notice) => s.notice = notice,
            Action::Cards(change) => change(Rc::make_mut(&mut s.cards)),
        }
        crate::app::follow_view(&self, &mut s);
        Rc::new(s)
    }
}

/// Dispatches an edit of the project.
pub fn edit(handle: &yew::UseReducerHandle<AppState>, edit: Edit) {
    handle.dispatch(Action::Edit(edit));
}

/// Dispatches an edit that a button applies on every press ([`Action::EditShared`]).
pub fn edit_shared(handle: &yew::UseReducerHandle<AppState>, edit: &Rc<Edit>) {
    handle.dispatch(Action::EditShared(Rc::clone(edit)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccb_core::edit::RegistryField;

    fn start() -> Rc<AppState> {
        Rc::new(AppState::new(Project::default(), Lang::En))
    }
    #[test]
    fn harbor_and_air_gap_come_back_when_turned_on_again_after_another_section() {
        use ccb_core::edit::{AirGapField, HarborField};
        let s = start()
            .reduce(Action::Edit(Edit::EnableHarbor { restore: None }))
            .reduce(Action::Edit(Edit::SetHarbor(HarborField::Address("https://cr.example.com".into()))))
            .reduce(Action::Edit(Edit::EnableAirGap { restore: None }))
            .reduce(Action::Edit(Edit::SetAirGap(AirGapField::Registry("https://registry.internal".into()))))
            .reduce(Action::Edit(Edit::DisableHarbor))
            .reduce(Action::Edit(Edit::DisableAirGap));
        assert!(s.project.harbor.is_none() && s.project.air_gap.is_none());
        let s = s.reduce(Action::SetSection(Section::Auth)).reduce(Action::SetSection(Section::Harbor));
        let s = s.reduce(Action::Edit(Edit::EnableHarbor { restore: None }));
        assert_eq!(s.project.harbor.as_ref().map(|h| h.address.as_str()), Some("https://cr.example.com"));
        let s = s.reduce(Action::Edit(Edit::EnableAirGap { restore: None }));
        assert_eq!(s.project.air_gap.as_ref().map(|a| a.registry.as_str()), Some("https://registry.internal"));
        // Brought back once: off and on again without edits in between gives the same; a fresh start is empty.
        let s = s.reduce(Action::Edit(Edit::DisableHarbor)).reduce(Action::Edit(Edit::EnableHarbor { restore: None }));
        assert_eq!(s.project.harbor.as_ref().map(|h| h.address.as_str()), Some("https://cr.example.com"));
        let fresh = start().reduce(Action::Edit(Edit::EnableHarbor { restore: None }));
        assert_eq!(fresh.project.harbor.as_ref().map(|h| h.address.as_str()), Some(""));
    }

    fn set_upstream(s: Rc<AppState>, v: &str) -> Rc<AppState> {
        let s = if s.project.registries.is_empty() { s.reduce(Action::Edit(Edit::AddRegistry)) } else { s };
        s.reduce(Action::Edit(Edit::SetRegistry { registry: 0, field: RegistryField::Upstream(v.to_string()) }))
    }

    #[test]
    fn typing_in_one_field_is_one_undo_step() {
        let s = start();
        let s = set_upstream(s, "q");
        let s = set_upstream(s, "qu");
        let s = set_upstream(s, "quay.io");
        assert_eq!(s.undo.len(), 2, "adding the registry, then the typing");
        let s = s.reduce(Action::Undo);
        assert_eq!(s.project.registries[0].upstream, "docker.io", "the added registry's upstream is back");
        let s = s.reduce(Action::Undo);
        assert_eq!(*s.project, Project::default());
        let s = s.reduce(Action::Redo).reduce(Action::Redo);
        assert_eq!(s.project.registries[0].upstream, "quay.io");
    }

    #[test]
    fn edits_re_render_and_keep_the_previous_bundle() {
        let s = set_upstream(start(), "Quay.io");
        assert!(s.rendered.diagnostics.iter().any(|d| d.code == "N3-lower-case" && d.path == "registries[0].upstream"));
        assert!(s.rendered.file(&ccb_core::paths::hosts_toml("Quay.io")).is_some(), "the preview shows files even with errors");
        assert!(s.previous.file(&ccb_core::paths::hosts_toml("Quay.io")).is_none());
        assert_eq!(Section::of_path("registries[0].upstream"), Section::Registries);
        assert_eq!(s.section_problem(Section::Registries), Some(Severity::Error));
        assert!(s.section_changes(Section::Registries) >= 1);
        assert_eq!(s.section_changes(Section::Harbor), 0);
    }

    #[test]
    fn a_shared_edit_applies_on_every_press_and_brings_back_the_stash() {
        let add = Rc::new(Edit::AddRegistry);
        let s = start().reduce(Action::EditShared(Rc::clone(&add))).reduce(Action::EditShared(Rc::clone(&add)));
        assert_eq!(s.project.registries.len(), 2);
        assert_eq!(s.undo.len(), 2, "each press is its own step");
        let on = Rc::new(Edit::EnableHarbor { restore: None });
        let s = s
            .reduce(Action::EditShared(Rc::clone(&on)))
            .reduce(Action::Edit(Edit::SetHarbor(ccb_core::edit::HarborField::Address("https://cr.example.com".into()))))
            .reduce(Action::Edit(Edit::DisableHarbor))
            .reduce(Action::EditShared(on));
        assert_eq!(s.project.harbor.as_ref().map(|h| h.address.as_str()), Some("https://cr.example.com"));
    }

    #[test]
    fn a_new_edit_after_undo_drops_the_redo_history() {
        let s = set_upstream(start(), "quay.io").reduce(Action::Undo);
        assert!(s.can_redo());
        let s = set_upstream(s, "ghcr.io");
        assert!(!s.can_redo());
    }

    #[test]
    fn pasting_the_node_config_merges_it() {
        let s = start().reduce(Action::SetExisting(Some("version = 2\n# keep me\n".into())));
        let cfg = s.rendered.file(ccb_core::paths::CONFIG_TOML).expect("merged config.toml");
        assert!(cfg.content.contains("# keep me"));
        let s = s.reduce(Action::SetExisting(None));
        assert!(s.rendered.file(ccb_core::paths::CONFIG_TOML).is_none());
    }

    #[test]
    fn change_counts_follow_each_section_without_serialising() {
        use ccb_core::edit::{CaKind, DaemonField, TlsOwner};
        let s = start();
        assert_eq!(Section::ALL.map(|x| s.section_changes(x)), [0; 8]);
        let s = s
            .reduce(Action::Edit(Edit::AddRegistry))
            .reduce(Action::Edit(Edit::AddCa { owner: TlsOwner::Endpoint { registry: 0, endpoint: 0 }, kind: CaKind::Path }))
            .reduce(Action::Edit(Edit::SetDaemon(DaemonField::OomScore(Some(-999)))))
            .reduce(Action::Edit(Edit::SetDaemon(DaemonField::DebugLevel("debug".into()))))
            .reduce(Action::Edit(Edit::EnableHarbor { restore: None }));
        assert_eq!(s.section_changes(Section::Registries), 1);
        assert_eq!(s.section_changes(Section::Tls), 1, "the CA counts under TLS, not under Registries");
        assert_eq!(s.section_changes(Section::Daemon), 2);
        assert_eq!(s.section_changes(Section::Harbor), 1 + ccb_core::presets::COMMON_HARBOR_MAPPINGS.len());
        assert_eq!(s.section_changes(Section::Target), 0);
    }

    #[test]
    fn paths_map_to_sections() {
        assert_eq!(Section::of_path("registries[1].endpoints[0].tls.ca[0].pem"), Section::Tls);
        assert_eq!(Section::of_path("sandbox_image"), Section::AirGap);
        assert_eq!(Section::of_path("existing_config"), Section::Apply);
        assert_eq!(Section::of_path("auth[0].host"), Section::Auth);
    }

    #[test]
    fn the_bundle_speaks_the_page_language() {
        let readme = |s: &AppState| s.rendered.file(ccb_core::paths::README).expect("README.txt").content.clone();
        let en = start();
        assert!(readme(&en).contains("\nAPPLY\n"));
        let zh = en.clone().reduce(Action::SetLang(Lang::Zh));
        assert!(readme(&zh).contains("\n应用\n") && !readme(&zh).contains("APPLY"), "{}", readme(&zh));
        assert!(Rc::ptr_eq(&zh.previous, &zh.rendered), "a language switch marks no line as changed");
        assert!(zh.revision > en.revision, "the preview shows the new words");
        let back = zh.reduce(Action::SetLang(Lang::En));
        assert_eq!(readme(&back), readme(&en));
    }
}
