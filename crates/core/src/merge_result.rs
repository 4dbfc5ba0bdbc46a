//! What the bundle needs of a merge into the node's config.toml ([`MergeResult`]), and its text form for the one
//! boundary it crosses: the web page runs the merge in a second wasm module, loaded when a config.toml is pasted,
//! so that the TOML parser, the merge and SHA-256 stay out of the page's first download.
//!
//! The page's render hands its merge step the project's plan and diagnostics; the step sends [`request`] (the
//! project, that plan and those diagnostics: the merge module plans nothing again, `plan_text`) and the pasted
//! text; the merge module answers with [`answer`]; the page reads that with [`decode`]
//! ([`crate::render::render_merging_in`]). The CLI and the tests skip the text form
//! ([`crate::render::render_merged_in`]), but run the same [`merge_planned`], so the bundle is written by one code
//! path. Every (de)serialisation of this boundary is in this file and `plan_text.rs`, tested natively.
//!
//! The text form is a list of length-prefixed fields (`<bytes>:<text>`), so any content — newlines, quotes,
//! Chinese — passes unchanged without a JSON library; the project inside is the project file's JSON
//! ([`project_text`], [`crate::load::project_from_json`]).

use std::cell::RefCell;

use crate::diagnostics::{Diagnostic, Message, Severity};
use crate::merge;
use crate::model::{Project, Registry};
use crate::plan::Plan;

/// Names the text form; a page and a merge module from different builds refuse each other's text.
const FORMAT: &str = "ccb-merge-result/1";
/// Names the request's text form.
const REQUEST_FORMAT: &str = "ccb-merge-request/2";

/// A node's config.toml merged with the project.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedNode {
    /// The file to install: the node's file with only the managed settings changed; ends with a line feed.
    pub content: String,
    /// SHA-256 (hex) of the node's file: install.sh installs only over that file.
    pub original_sha256: String,
    /// SHA-256 (hex) of `content`: install.sh checks its own copy before installing it.
    pub merged_sha256: String,
    /// The merged file holds credentials (the project's or the node's own): install it 0600.
    pub has_credentials: bool,
    /// `content` equals the node's file: containerd need not restart.
    pub unchanged: bool,
    /// The node file's `version` (the merged file keeps it).
    pub config_version: u32,
    /// Registries migrated out of the node's legacy `mirrors` / `configs.*.tls`, appended to the project's own.
    pub added_registries: Vec<Registry>,
    /// Everything said about the node's file and the migration (path `existing_config`, with the file's lines).
    pub diagnostics: Vec<Diagnostic>,
}

/// The outcome of a merge: the merged file, or why the node's file cannot be merged (the bundle then carries the
/// fragment, and this diagnostic says why).
#[derive(Debug, Clone, PartialEq)]
pub enum MergeResult {
    Merged(MergedNode),
    Refused(Diagnostic),
}

/// Merges `p` into the node's file `text`, planning and validating `p` itself (the tests' reference; the merge
/// module is sent the page's plan instead, [`request`], and the CLI merges within its render).
#[cfg(test)]
pub(crate) fn merge_node(p: &Project, text: &str) -> MergeResult {
    let planned = crate::plan::plan(p);
    let diagnostics = crate::validate::validate_planned(p, &planned);
    merge_planned(p, &planned, text, &diagnostics).0
}

/// [`merge_node`] with the project's plan and diagnostics already computed; also returns the plan of the effective
/// project when registries were migrated (so a caller in the same process need not plan it again).
pub(crate) fn merge_planned(p: &Project, planned: &Plan, text: &str, user_diagnostics: &[Diagnostic]) -> (MergeResult, Option<Plan>) {
    match merge::merge_into_planned(p, planned, text, user_diagnostics) {
        Ok(m) => {
            let mut content = m.content;
            // install.sh writes each file from a heredoc, which always ends in a line feed.
            if !content.is_empty() && !content.ends_with('\n') {
                content.push('\n');
            }
            let added_registries = m.effective.registries.get(p.registries.len()..).unwrap_or_default().to_vec();
            let plan = (!added_registries.is_empty()).then_some(m.plan.clone());
            let node = MergedNode {
                merged_sha256: merge::sha256_hex(&content),
                unchanged: content == text,
                content,
                original_sha256: m.original_sha256,
                has_credentials: m.has_credentials,
                config_version: m.plan.config_version,
                added_registries,
                diagnostics: m.diagnostics,
            };
            (MergeResult::Merged(node), plan)
        }
        Err(d) => (MergeResult::Refused(d), None),
    }
}

/// The project as the merge module reads it: the project file's JSON, secrets included (the merged file may hold
/// credentials; the text never leaves the page). The one place this boundary serialises a project.
pub fn project_text(p: &Project) -> String {
    crate::json::project::to_string(p)
}

/// A project as [`project_text`] writes it.
pub(crate) fn read_project(text: &str) -> Result<Project, DecodeError> {
    crate::load::project_from_json(text).map_err(|e| DecodeError(format!("unreadable project: {}", e.message().en)))
}

/// What the page sends the merge module (with the pasted text beside it): the project, the plan its render made
/// of it and the diagnostics found with that plan (what a merge step is given, `render::render_merging_in`).
pub fn request(p: &Project, plan: &Plan, diagnostics: &[Diagnostic]) -> String {
    let mut w = Writer::new(REQUEST_FORMAT);
    w.field(&project_text(p));
    crate::plan_text::write_plan(&mut w, plan);
    w.diagnostics(diagnostics);
    w.0
}

fn read_request(text: &str) -> Result<(Project, Plan, Vec<Diagnostic>), DecodeError> {
    let mut r = Reader(text);
    r.format(REQUEST_FORMAT)?;
    let p = r.project()?;
    let plan = crate::plan_text::read_plan(&mut r)?;
    let diagnostics = r.diagnostics()?;
    r.end("request")?;
    Ok((p, plan, diagnostics))
}

/// The merge module's answer to [`request`] and the node's `text`, in the text form [`decode`] reads.
pub fn answer(request: &str, text: &str) -> String {
    match read_request(request) {
        Ok((p, plan, diagnostics)) => encode(&merge_planned(&p, &plan, text, &diagnostics).0),
        // Only a page from another build could send this; say so rather than merge a different project.
        Err(e) => encode(&MergeResult::Refused(Diagnostic::error(
            merge_path(),
            "M0-merge-request",
            format!("The merge could not read the project it was sent ({}). Reload the page.", e.0),
            format!("合并无法读取发送给它的项目（{}）。请重新加载页面。", e.0),
        ))),
    }
}

fn merge_path() -> &'static str {
    crate::render::config_toml::EXISTING_PATH
}

/// Writes length-prefixed fields (also every other boundary's text: `explain_result`, `import_result`,
/// `export_result`, `scripts_result`).
pub(crate) struct Writer(pub(crate) String);

impl Writer {
    /// A text of the form `format`: its name first, which [`Reader::format`] checks.
    pub(crate) fn new(format: &str) -> Writer {
        let mut w = Writer(String::new());
        w.field(format);
        w
    }
    pub(crate) fn field(&mut self, s: &str) {
        self.0.push_str(&s.len().to_string());
        self.0.push(':');
        self.0.push_str(s);
    }
    /// A refused request and why, as [`Reader::answer`] reads it.
    pub(crate) fn refusal(&mut self, why: &str) {
        self.field("refused");
        self.field(why);
    }
    pub(crate) fn flag(&mut self, b: bool) {
        self.field(if b { "1" } else { "0" });
    }
    /// How many items follow, as [`Reader::count`] reads it.
    pub(crate) fn count(&mut self, n: usize) {
        self.field(&n.to_string());
    }
    /// An output style, as [`Reader::style`] reads it.
    pub(crate) fn style(&mut self, style: crate::model::OutputStyle) {
        self.field(match style {
            crate::model::OutputStyle::HostsDir => "hosts_dir",
            crate::model::OutputStyle::Legacy => "legacy",
        });
    }
    /// A list of texts, as [`Reader::list`] reads it.
    pub(crate) fn list(&mut self, items: &[String]) {
        self.count(items.len());
        for item in items {
            self.field(item);
        }
    }
    pub(crate) fn diagnostic(&mut self, d: &Diagnostic) {
        self.field(d.severity.as_str());
        self.field(&d.path);
        self.coded_message(d.code, &d.message);
    }
    pub(crate) fn diagnostics(&mut self, ds: &[Diagnostic]) {
        self.count(ds.len());
        for d in ds {
            self.diagnostic(d);
        }
    }
    /// A rule code and its message in both languages (a diagnostic's, an import finding's).
    pub(crate) fn coded_message(&mut self, code: &str, m: &Message) {
        self.field(code);
        self.field(&m.en);
        self.field(&m.zh);
    }
}

/// The text form of `r`.
pub fn encode(r: &MergeResult) -> String {
    let mut w = Writer::new(FORMAT);
    match r {
        MergeResult::Refused(d) => {
            w.field("refused");
            w.diagnostic(d);
        }
        MergeResult::Merged(m) => {
            w.field("merged");
            w.field(&m.content);
            w.field(&m.original_sha256);
            w.field(&m.merged_sha256);
            w.flag(m.has_credentials);
            w.flag(m.unchanged);
            w.field(&m.config_version.to_string());
            w.field(&project_text(&Project { registries: m.added_registries.clone(), ..Default::default() }));
            w.diagnostics(&m.diagnostics);
        }
    }
    w.0
}

/// Why a text is not a [`MergeResult`] (a page and a merge module from different builds, or a bug).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

/// Reads what [`Writer`] wrote.
pub(crate) struct Reader<'a>(pub(crate) &'a str);

impl<'a> Reader<'a> {
    /// An answer written by [`Writer::new`]`(format)` whose kind is `kind` ([`Reader::format`], [`Reader::answer`]).
    pub(crate) fn answer_of(text: &'a str, format: &str, kind: &str) -> Result<Reader<'a>, DecodeError> {
        let mut r = Reader(text);
        r.format(format)?;
        r.answer(kind)?;
        Ok(r)
    }
    /// The end of the text (`what`: the request or the answer): anything after it is another build's, or corrupt.
    pub(crate) fn end(&self, what: &str) -> Result<(), DecodeError> {
        match self.0.len() {
            0 => Ok(()),
            n => Err(DecodeError(format!("{n} bytes after the {what}"))),
        }
    }
    /// A project as [`project_text`] writes it.
    pub(crate) fn project(&mut self) -> Result<Project, DecodeError> {
        read_project(self.field()?)
    }
    /// The text form's name and version first: a text of another form (or version) is refused.
    pub(crate) fn format(&mut self, expected: &str) -> Result<(), DecodeError> {
        match self.field()? {
            f if f == expected => Ok(()),
            f => Err(DecodeError(format!("format {f:?}, expected {expected:?}"))),
        }
    }
    /// An answer's kind: `kind`, or the module's refusal with its reason.
    pub(crate) fn answer(&mut self, kind: &str) -> Result<(), DecodeError> {
        match self.field()? {
            "refused" => Err(DecodeError(self.field()?.to_string())),
            k if k == kind => Ok(()),
            k => Err(DecodeError(format!("unknown answer {k:?}"))),
        }
    }
    /// A count of items that follow, each at least `min` bytes long: a count the rest of the text cannot hold is
    /// corrupt (and no huge allocation is made for it).
    pub(crate) fn count(&mut self, min: usize) -> Result<usize, DecodeError> {
        let n: usize = self.number()?;
        if n > self.0.len() / min {
            return Err(DecodeError(format!("{n} items in {} bytes", self.0.len())));
        }
        Ok(n)
    }
    /// What [`Writer::style`] wrote.
    pub(crate) fn style(&mut self) -> Result<crate::model::OutputStyle, DecodeError> {
        match self.field()? {
            "hosts_dir" => Ok(crate::model::OutputStyle::HostsDir),
            "legacy" => Ok(crate::model::OutputStyle::Legacy),
            other => Err(DecodeError(format!("unknown style {other:?}"))),
        }
    }
    /// What [`Writer::list`] wrote.
    pub(crate) fn list(&mut self) -> Result<Vec<String>, DecodeError> {
        // Each text takes at least 2 bytes ("0:").
        (0..self.count(2)?).map(|_| self.field().map(str::to_string)).collect()
    }
    pub(crate) fn field(&mut self) -> Result<&'a str, DecodeError> {
        let bad = |what: &str| DecodeError(what.to_string());
        let colon = self.0.find(':').ok_or_else(|| bad("no field"))?;
        let len: usize = self.0[..colon].parse().map_err(|_| bad("bad field length"))?;
        let rest = &self.0[colon + 1..];
        if len > rest.len() || !rest.is_char_boundary(len) {
            return Err(bad("field longer than the text"));
        }
        self.0 = &rest[len..];
        Ok(&rest[..len])
    }
    pub(crate) fn number<T: std::str::FromStr>(&mut self) -> Result<T, DecodeError> {
        let f = self.field()?;
        f.parse().map_err(|_| DecodeError(format!("not a number: {f:?}")))
    }
    pub(crate) fn flag(&mut self) -> Result<bool, DecodeError> {
        match self.field()? {
            "1" => Ok(true),
            "0" => Ok(false),
            f => Err(DecodeError(format!("not a flag: {f:?}"))),
        }
    }
    pub(crate) fn severity(&mut self) -> Result<Severity, DecodeError> {
        match self.field()? {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            f => Err(DecodeError(format!("not a severity: {f:?}"))),
        }
    }
    /// What [`Writer::coded_message`] wrote.
    pub(crate) fn coded_message(&mut self) -> Result<(&'static str, Message), DecodeError> {
        let code = intern(self.field()?)?;
        // Escaped by the sender already (`Message::new`): kept as they are.
        Ok((code, Message { en: self.field()?.to_string(), zh: self.field()?.to_string() }))
    }
    pub(crate) fn diagnostic(&mut self) -> Result<Diagnostic, DecodeError> {
        let severity = self.severity()?;
        let path = self.field()?.to_string();
        let (code, message) = self.coded_message()?;
        Ok(Diagnostic { severity, path, code, message })
    }
    /// What [`Writer::diagnostics`] wrote.
    pub(crate) fn diagnostics(&mut self) -> Result<Vec<Diagnostic>, DecodeError> {
        // Each diagnostic takes at least 10 bytes (five fields).
        (0..self.count(10)?).map(|_| self.diagnostic()).collect()
    }
}

/// Reads the text form written by [`encode`].
pub fn decode(text: &str) -> Result<MergeResult, DecodeError> {
    let mut r = Reader(text);
    r.format(FORMAT)?;
    let result = match r.field()? {
        "refused" => MergeResult::Refused(r.diagnostic()?),
        "merged" => {
            let content = r.field()?.to_string();
            let original_sha256 = r.field()?.to_string();
            let merged_sha256 = r.field()?.to_string();
            let has_credentials = r.flag()?;
            let unchanged = r.flag()?;
            let config_version = r.number()?;
            let added = r.project()?;
            let diagnostics = r.diagnostics()?;
            MergeResult::Merged(MergedNode {
                content,
                original_sha256,
                merged_sha256,
                has_credentials,
                unchanged,
                config_version,
                added_registries: added.registries,
                diagnostics,
            })
        }
        kind => return Err(DecodeError(format!("unknown result {kind:?}"))),
    };
    r.end("result")?;
    Ok(result)
}

/// Rule codes are `&'static str` in [`Diagnostic`]; a code read back is stored once per distinct code (they come
/// from the rules' own constants, a few hundred at most; more is refused rather than kept growing).
pub(crate) fn intern(code: &str) -> Result<&'static str, DecodeError> {
    const MAX_CODES: usize = 2000;
    thread_local! {
        static CODES: RefCell<crate::str_index::Texts> = RefCell::new(crate::str_index::Texts::new());
    }
    CODES.with(|codes| {
        let mut codes = codes.borrow_mut();
        if let Some(c) = codes.get(code) {
            return Ok(c);
        }
        if codes.len() >= MAX_CODES || code.len() > 100 {
            return Err(DecodeError(format!("too many distinct rule codes (at {code:?})")));
        }
        let c: &'static str = Box::leak(code.to_string().into_boxed_str());
        codes.insert(c, c);
        Ok(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan;
    use crate::validate::validate_planned;
    use crate::model::{Credential, Endpoint};

    const LEGACY_NODE: &str = r#"version = 2
[plugins."io.containerd.grpc.v1.cri".registry.mirrors."quay.io"]
  endpoint = ["https://quay-mirror.example.com"]
[plugins."io.containerd.grpc.v1.cri".registry.configs."quay-mirror.example.com".tls]
  ca_file = "/etc/ssl/quay-mirror-ca.pem"
# the node's own comment
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = true"#;

    fn project() -> Project {
        let mut p = Project::default();
        p.registries.push(Registry {
            upstream: "docker.io".into(),
            endpoints: vec![Endpoint { url: "https://mirror.example.com".into(), ..Default::default() }],
            ..Default::default()
        });
        p
    }

    /// The request the page's render sends for `p`: its plan and the diagnostics found with it.
    fn request_of(p: &Project) -> String {
        let planned = plan::plan(p);
        request(p, &planned, &validate_planned(p, &planned))
    }

    /// Through the text form and back, as the page receives it from the merge module.
    fn across(p: &Project, text: &str) -> MergeResult {
        decode(&answer(&request_of(p), text)).expect("the page reads the merge module's answer")
    }

    #[test]
    fn a_merge_with_migrated_registries_crosses_the_boundary_unchanged() {
        let p = project();
        let direct = merge_node(&p, LEGACY_NODE);
        let MergeResult::Merged(m) = &direct else { panic!("merged: {direct:?}") };
        assert_eq!(m.added_registries.len(), 1, "quay.io moved out of the node's mirrors");
        assert_eq!(m.added_registries[0].endpoints[0].tls.ca.len(), 1, "with its CA path");
        assert!(m.diagnostics.iter().any(|d| d.code == "M7-mirrors-migrated" && d.message.en.starts_with("line 2,") && d.message.zh.contains("第 2 行")), "{:?}", m.diagnostics);
        assert!(m.content.contains("# the node's own comment") && m.content.ends_with('\n'));
        assert_eq!(m.merged_sha256, merge::sha256_hex(&m.content));
        assert!(!m.unchanged);
        assert_eq!(m.config_version, 2);
        assert_eq!(across(&p, LEGACY_NODE), direct);
    }

    #[test]
    fn the_merge_module_merges_with_the_plan_it_is_sent() {
        // Legacy style: the plan's mirrors are written into config.toml itself.
        let p = Project { output: crate::model::OutputStyle::Legacy, target: crate::presets::by_id("dockerhub-mirrors").unwrap().project.target, ..project() };
        let mut planned = plan::plan(&p);
        assert_eq!(planned.mirrors.len(), 1, "{planned:?}");
        planned.mirrors[0].endpoints = vec!["https://as-the-page-planned.example.com".into()];
        let answer = decode(&answer(&request(&p, &planned, &validate_planned(&p, &planned)), "version = 2\n")).unwrap();
        let MergeResult::Merged(m) = answer else { panic!("merged: {answer:?}") };
        assert!(m.content.contains("https://as-the-page-planned.example.com") && !m.content.contains("mirror.example.com\""), "{}", m.content);
    }

    #[test]
    fn a_refused_file_crosses_with_its_line_and_both_languages() {
        let r = across(&project(), "version = 2\n[broken\n");
        let MergeResult::Refused(d) = r else { panic!("refused") };
        assert_eq!((d.code, d.path.as_str(), d.severity), ("M1-existing-not-toml", "existing_config", Severity::Error));
        assert!(d.message.en.contains("line 2") && d.message.zh.contains("第 2 行"), "{d:?}");
    }

    #[test]
    fn secrets_and_odd_text_survive_the_text_form() {
        let mut p = project();
        p.auth.push(Credential {
            host: "mirror.example.com".into(),
            method: crate::model::AuthMethod::Basic {
                username: "u:1".into(),
                password: crate::model::Secret::Literal("p\n\"'3:".into()),
                encode_as_auth: false,
            },
        });
        let node = "version = 2\n# 注释（中文）\n# \"quotes\" and 12:34 colons\n";
        let direct = merge_node(&p, node);
        assert_eq!(across(&p, node), direct);
        let MergeResult::Merged(m) = direct else { panic!("merged") };
        assert!(m.has_credentials, "the project's credentials are in the merged file");
        let again = across(&p, &m.content);
        assert!(matches!(again, MergeResult::Merged(MergedNode { unchanged: true, .. })), "{again:?}");
    }

    #[test]
    fn text_from_another_build_or_cut_short_is_refused_not_misread() {
        let good = answer(&request_of(&project()), LEGACY_NODE);
        assert!(decode(&good).is_ok());
        for end in [0, 5, good.len() / 2, good.len() - 1] {
            let end = (0..=end).rev().find(|i| good.is_char_boundary(*i)).unwrap_or(0);
            assert!(decode(&good[..end]).is_err(), "cut at {end}");
        }
        assert!(decode(&format!("{good}1:x")).is_err(), "trailing bytes");
        assert!(decode(&good.replacen(FORMAT, "ccb-merge-result/0", 1)).is_err(), "other format");
        assert!(decode("18:ccb-merge-result/16:merged99999999:x").is_err());
        let request = request_of(&project());
        for bad in ["[1]", &request[..request.len() / 2], &request.replacen(REQUEST_FORMAT, "ccb-merge-request/1", 1)] {
            let refused = decode(&answer(bad, "version = 2\n")).unwrap();
            assert!(matches!(refused, MergeResult::Refused(Diagnostic { code: "M0-merge-request", .. })), "{bad}");
        }
    }

    #[test]
    fn codes_read_back_are_the_same_static_strings() {
        let a = intern("M7-mirrors-migrated").unwrap();
        let b = intern(&String::from("M7-mirrors-migrated")).unwrap();
        assert!(std::ptr::eq(a, b));
    }
}
