//! The text form of the page's "Open your files" (import) and "Check my files" (lint). The page's main module has
//! no TOML parser: it sends [`request`] — what the user pasted, picked or dropped, as [`Source`]s — and the lazily
//! loaded tools module answers with [`answer`]: the files read, the imported project (import only) and every
//! [`Finding`] at its file and `line:col`, in English and 简体中文. The page reads it with [`decode`]. Every
//! (de)serialisation of this boundary is in this file, tested natively.
//!
//! Both directions are the merge's length-prefixed fields (`merge_result`). A file's bytes cross as text when
//! they are UTF-8, else as base64; a `.tar.gz` crosses as it is and is unpacked in the tools module
//! ([`crate::untar`]). The project crosses as the project file's JSON, secrets included (it is the user's own,
//! and never leaves the page; the page's exports strip them as for any project).

use crate::base64::{self, Form};

use crate::diagnostics::Diagnostic;
use crate::import::formats::{Assumptions, Format};
use crate::import::{self, Finding, Options};
pub use crate::merge_result::DecodeError;
use crate::merge_result::{Reader, Writer};
use crate::model::{Project, Target};

/// Names the text form; a page and a tools module from different builds refuse each other's text.
const FORMAT: &str = "ccb-import/2";

/// Import into a project, or lint without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Import,
    Lint,
}

/// Something the user gave the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Pasted text: a config.toml, or a hosts.toml (then the registry's, see [`Request::hosts_for`]).
    Pasted(String),
    /// One picked file, by its name (a `hosts.toml` is the registry's of [`Request::hosts_for`]).
    File(String, Vec<u8>),
    /// A file of a chosen folder, its path starting with the folder's name (the browser's `webkitRelativePath`).
    InFolder(String, Vec<u8>),
    /// A `.tar.gz` of /etc/containerd (or of a certs.d folder), by its name.
    Archive(String, Vec<u8>),
}

/// What the page asks.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub mode: Mode,
    /// The releases the files are read for (the lint's range); `None`: from config.toml's version.
    pub target: Option<Target>,
    /// The registry a pasted or lone picked hosts.toml is for (its folder name in certs.d).
    pub hosts_for: String,
    pub sources: Vec<Source>,
    /// What k3s / Docker decide outside their files, as the page's checkboxes say (`None`: the report assumes).
    pub assume: Assumptions,
}

/// What the tools module answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The format the files were read in (which of the importer's questions apply).
    pub format: Format,
    /// The files read, as the findings name them (relative to the layout's root).
    pub files: Vec<String>,
    /// The imported project (import only).
    pub project: Option<Project>,
    pub findings: Vec<Finding>,
}

/// Which part of an import report a finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// A setting taken over into the project.
    TakenOver,
    /// A setting the project cannot express (the message says why).
    NotExpressible,
    /// A problem of the files or of the imported project.
    Problem,
}

pub fn group(f: &Finding) -> Group {
    if import::TAKEN_OVER.contains(&f.code) {
        Group::TakenOver
    } else if f.code == "I19-not-expressible" {
        Group::NotExpressible
    } else {
        Group::Problem
    }
}

/// Whether pasted text is a config.toml rather than a hosts.toml (containerd's config has tables of plugins or
/// a `version`; a hosts.toml has `server` and `[host."…"]`).
pub fn is_config_text(text: &str) -> bool {
    text.lines().map(str::trim_start).any(|l| l.starts_with("[plugins") || l.starts_with("version") || l.starts_with("[debug") || l.starts_with("root ="))
}

/// The name a pasted text gets in the layout: a k3s / Talos / Docker file by its content, else containerd's.
fn pasted_name(text: &str, hosts: impl FnOnce() -> String) -> String {
    match import::formats::detect("pasted", text.as_bytes()) {
        Format::K3s => "registries.yaml".into(),
        Format::Talos => "talos.yaml".into(),
        Format::Docker => "daemon.json".into(),
        Format::Containerd if is_config_text(text) => "config.toml".into(),
        Format::Containerd => hosts(),
    }
}

/// The name the text form gives a format.
fn format_name(f: Format) -> &'static str {
    match f {
        Format::Containerd => "containerd",
        Format::K3s => "k3s",
        Format::Talos => "talos",
        Format::Docker => "docker",
    }
}

fn answer_flag(w: &mut Writer, b: Option<bool>) {
    w.field(match b {
        None => "",
        Some(true) => "1",
        Some(false) => "0",
    });
}

fn read_answer_flag(r: &mut Reader) -> Result<Option<bool>, DecodeError> {
    match r.field()? {
        "" => Ok(None),
        "1" => Ok(Some(true)),
        "0" => Ok(Some(false)),
        f => Err(DecodeError(format!("not a flag: {f:?}"))),
    }
}

fn bytes(w: &mut Writer, b: &[u8]) {
    match std::str::from_utf8(b) {
        Ok(t) => {
            w.field("t");
            w.field(t);
        }
        Err(_) => {
            w.field("b");
            w.field(&base64::encode(b, Form::UrlSafeNoPad));
        }
    }
}

/// The text the page sends.
pub fn request(r: &Request) -> String {
    let mut w = Writer::new(FORMAT);
    w.field(match r.mode {
        Mode::Import => "import",
        Mode::Lint => "lint",
    });
    w.field(&r.target.as_ref().map(crate::json::project::target_to_string).unwrap_or_default());
    w.field(&r.hosts_for);
    answer_flag(&mut w, r.assume.no_default_endpoint);
    answer_flag(&mut w, r.assume.embedded_registry);
    answer_flag(&mut w, r.assume.upstream_reachable);
    w.count(r.sources.len());
    for s in &r.sources {
        let (kind, name, data) = match s {
            Source::Pasted(t) => ("paste", "", t.as_bytes()),
            Source::File(n, b) => ("file", n.as_str(), b.as_slice()),
            Source::InFolder(n, b) => ("folder", n.as_str(), b.as_slice()),
            Source::Archive(n, b) => ("archive", n.as_str(), b.as_slice()),
        };
        w.field(kind);
        w.field(name);
        bytes(&mut w, data);
    }
    w.0
}

fn read_bytes(r: &mut Reader) -> Result<Vec<u8>, DecodeError> {
    match r.field()? {
        "t" => Ok(r.field()?.as_bytes().to_vec()),
        "b" => base64::decode(r.field()?.as_bytes(), Form::UrlSafeNoPad, false).map_err(|e| DecodeError(format!("bad base64: {e}"))),
        k => Err(DecodeError(format!("unknown encoding {k:?}"))),
    }
}

fn read_request(text: &str) -> Result<Request, DecodeError> {
    let mut r = Reader(text);
    r.format(FORMAT)?;
    let mode = match r.field()? {
        "import" => Mode::Import,
        "lint" => Mode::Lint,
        m => return Err(DecodeError(format!("unknown mode {m:?}"))),
    };
    let target = match r.field()? {
        "" => None,
        t => Some(
            crate::json::parse(t)
                .map_err(crate::load::LoadError::Syntax)
                .and_then(|n| crate::json::project::read_target(&n))
                .map_err(|e| DecodeError(format!("bad target: {}", e.detail().en)))?,
        ),
    };
    let hosts_for = r.field()?.to_string();
    let assume = Assumptions { no_default_endpoint: read_answer_flag(&mut r)?, embedded_registry: read_answer_flag(&mut r)?, upstream_reachable: read_answer_flag(&mut r)? };
    let mut sources = Vec::new();
    for _ in 0..r.count(8)? {
        let kind = r.field()?;
        let name = r.field()?.to_string();
        let data = read_bytes(&mut r)?;
        sources.push(match kind {
            "paste" => Source::Pasted(String::from_utf8(data).map_err(|_| DecodeError("pasted text not UTF-8".into()))?),
            "file" => Source::File(name, data),
            "folder" => Source::InFolder(name, data),
            "archive" => Source::Archive(name, data),
            k => return Err(DecodeError(format!("unknown source {k:?}"))),
        });
    }
    r.end("request")?;
    Ok(Request { mode, target, hosts_for, sources, assume })
}

/// The `(path, bytes)` layout of what the user gave, and what could not be read (at the archive's name).
fn layout(r: &Request) -> (Vec<(String, Vec<u8>)>, Vec<Finding>) {
    let registry = if r.hosts_for.trim().is_empty() { "docker.io" } else { r.hosts_for.trim() };
    let hosts = || format!("{registry}/hosts.toml");
    let mut files = Vec::new();
    let mut folder = Vec::new();
    let mut problems = Vec::new();
    for s in &r.sources {
        match s {
            Source::Pasted(t) => files.push((pasted_name(t, hosts), t.clone().into_bytes())),
            Source::File(n, b) if n == "hosts.toml" => files.push((hosts(), b.clone())),
            Source::File(n, b) => files.push((n.clone(), b.clone())),
            Source::InFolder(n, b) => folder.push((n.clone(), b.clone())),
            Source::Archive(n, b) => match crate::untar::read_tar_gz(b) {
                Ok(inside) => files.extend(inside),
                Err(e) => problems.push(Finding::new(
                    n,
                    None,
                    Diagnostic::error(
                        "",
                        "I0-archive",
                        format!("This archive could not be read ({}). Make it with `tar -czf containerd.tar.gz -C /etc containerd`.", e.0),
                        format!("无法读取此归档（{}）。请用 `tar -czf containerd.tar.gz -C /etc containerd` 制作。", e.0),
                    ),
                )),
            },
        }
    }
    files.extend(crate::untar::layout_root(folder));
    (files, problems)
}

/// The report for a request (what [`answer`] writes).
pub fn report(request: &Request) -> Report {
    let (files, mut findings) = layout(request);
    let mut names: Vec<String> = Vec::new();
    for (p, _) in &files {
        if !names.contains(p) {
            names.push(p.clone());
        }
    }
    let options = Options { target: request.target.clone(), format: None, assume: request.assume.clone() };
    let format = import::format_of(&files, &options);
    let project = match request.mode {
        Mode::Import => {
            let imported = import::import(&files, &options);
            findings.extend(imported.report);
            Some(imported.project)
        }
        Mode::Lint => {
            findings.extend(crate::lint::lint(&files, &request.target.clone().unwrap_or_default()));
            None
        }
    };
    Report { format, files: names, project, findings }
}

/// The tools module's answer to [`request`]'s text.
pub fn answer(text: &str) -> String {
    let mut w = Writer::new(FORMAT);
    match read_request(text) {
        Err(e) => w.refusal(&e.0),
        Ok(r) => {
            let rep = report(&r);
            w.field("report");
            w.field(format_name(rep.format));
            w.count(rep.files.len());
            for f in &rep.files {
                w.field(f);
            }
            w.field(&rep.project.as_ref().map(crate::merge_result::project_text).unwrap_or_default());
            w.count(rep.findings.len());
            for f in &rep.findings {
                w.field(&f.file);
                let (line, col) = f.at.unwrap_or((0, 0));
                w.field(&line.to_string());
                w.field(&col.to_string());
                w.field(f.severity.as_str());
                w.coded_message(f.code, &f.message);
            }
        }
    }
    w.0
}

/// The report from [`answer`]'s text; `Err` for a refused request or a text this build cannot read.
pub fn decode(text: &str) -> Result<Report, DecodeError> {
    let mut r = Reader::answer_of(text, FORMAT, "report")?;
    let format = r.field()?;
    let format = Format::parse(format).filter(|f| format_name(*f) == format).ok_or_else(|| DecodeError(format!("unknown format {format:?}")))?;
    let files = (0..r.count(2)?).map(|_| r.field().map(str::to_string)).collect::<Result<Vec<_>, _>>()?;
    let project = match r.field()? {
        "" => None,
        json => Some(crate::merge_result::read_project(json)?),
    };
    let mut findings = Vec::new();
    for _ in 0..r.count(14)? {
        let file = r.field()?.to_string();
        let line: usize = r.number()?;
        let col: usize = r.number()?;
        let severity = r.severity()?;
        let (code, message) = r.coded_message()?;
        findings.push(Finding { file, at: (line > 0).then_some((line, col)), severity, code, message });
    }
    r.end("answer")?;
    Ok(Report { format, files, project, findings })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEGACY: &str = r#"version = 2
[plugins."io.containerd.grpc.v1.cri".registry]
  [plugins."io.containerd.grpc.v1.cri".registry.mirrors]
    [plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]
      endpoint = ["https://mirror.example.com", "https://registry-1.docker.io"]
  [plugins."io.containerd.grpc.v1.cri".registry.configs."mirror.example.com".auth]
    username = "alice"
    password = "s3cr3t"
"#;

    fn import_of(sources: Vec<Source>) -> Request {
        Request { mode: Mode::Import, target: None, hosts_for: "docker.io".into(), sources, assume: Assumptions::default() }
    }

    #[test]
    fn the_import_crosses_the_boundary_as_the_core_computed_it() {
        let req = import_of(vec![Source::Pasted(LEGACY.into())]);
        let text = request(&req);
        assert_eq!(read_request(&text).unwrap(), req, "the request reads back");
        let across = decode(&answer(&text)).expect("the page reads the answer");
        let direct = import::import(&[("config.toml".into(), LEGACY.as_bytes().to_vec())], &Options::default());
        assert_eq!((across.format, across.files.as_slice()), (Format::Containerd, ["config.toml".to_string()].as_slice()));
        assert_eq!(across.findings, direct.report);
        assert_eq!(across.project.as_ref(), Some(&direct.project));
        let p = across.project.unwrap();
        assert_eq!(p.registries[0].upstream, "docker.io");
        assert!(serde_json::to_string(&p).unwrap().contains("s3cr3t"), "the password is the user's own, kept in the page");
        let taken = across.findings.iter().filter(|f| group(f) == Group::TakenOver).collect::<Vec<_>>();
        assert!(!taken.is_empty() && taken.iter().all(|f| f.file == "config.toml" && f.at.is_some()), "{taken:?}");
    }

    #[test]
    fn a_pasted_hosts_toml_is_the_named_registrys_and_its_lint_says_where() {
        let hosts = "server = \"https://registry-1.docker.io\"\n\n[host.\"https://mirror.example.com\"]\n  capabilities = [\"pull\", \"resolve\"]\n  skip-verify = true\n";
        assert!(!is_config_text(hosts) && is_config_text(LEGACY));
        let req = Request { mode: Mode::Lint, target: Some(Target::default()), hosts_for: "quay.io".into(), sources: vec![Source::Pasted(hosts.into())], assume: Assumptions::default() };
        let rep = decode(&answer(&request(&req))).unwrap();
        assert_eq!(rep.files, ["quay.io/hosts.toml"]);
        assert_eq!(rep.project, None);
        let f = rep.findings.iter().find(|f| f.message.en.contains("skip-verify")).expect("skip-verify found");
        assert_eq!((f.file.as_str(), f.at.map(|a| a.0)), ("quay.io/hosts.toml", Some(5)));
        assert!(!f.message.zh.is_empty());
    }

    #[test]
    fn archives_folders_and_binary_files_cross_and_land_at_the_layouts_root() {
        let p = crate::load::project_from_json(r#"{"registries":[{"upstream":"docker.io","endpoints":[{"url":"https://mirror.example.com"}]}]}"#).unwrap();
        let tgz = crate::archive::tar_gz(&crate::render::render(&p), 0);
        let req = import_of(vec![
            Source::Archive("containerd.tar.gz".into(), tgz),
            Source::InFolder("certs/quay.io/hosts.toml".into(), b"[host.\"https://q.example.com\"]\n".to_vec()),
            Source::InFolder("certs/quay.io/ca.crt".into(), vec![0xff, 0, 1]),
        ]);
        let text = request(&req);
        assert_eq!(read_request(&text).unwrap(), req, "binary bytes cross as base64");
        let rep = decode(&answer(&text)).unwrap();
        assert!(rep.files.contains(&"certs.d/docker.io/hosts.toml".to_string()) && rep.files.contains(&"quay.io/hosts.toml".to_string()), "{:?}", rep.files);
        let ups: Vec<_> = rep.project.unwrap().registries.iter().map(|r| r.upstream.clone()).collect();
        assert!(ups.contains(&"docker.io".to_string()) && ups.contains(&"quay.io".to_string()), "{ups:?}");
    }

    #[test]
    fn a_damaged_archive_is_a_finding_and_other_text_is_refused_not_misread() {
        let rep = decode(&answer(&request(&import_of(vec![Source::Archive("x.tar.gz".into(), b"nope".to_vec())])))).unwrap();
        assert_eq!(rep.findings[0].code, "I0-archive");
        assert_eq!(rep.findings[0].file, "x.tar.gz");
        let good = answer(&request(&import_of(vec![Source::Pasted(LEGACY.into())])));
        for end in [0, 5, good.len() / 2, good.len() - 1] {
            let end = (0..=end).rev().find(|i| good.is_char_boundary(*i)).unwrap_or(0);
            assert!(decode(&good[..end]).is_err(), "cut at {end}");
        }
        assert!(decode(&format!("{good}1:x")).is_err(), "trailing bytes");
        assert!(decode(&answer("12:ccb-import/06:import")).unwrap_err().0.contains("ccb-import/0"));
        assert!(decode("12:ccb-import/26:report3:k3s9999999:x").is_err(), "a count larger than the text");
        assert!(decode("12:ccb-import/26:report4:rke20:0:0:").is_err(), "a format is named one way only");
    }

    const K3S: &str = "mirrors:\n  docker.io:\n    endpoint:\n      - \"https://mirror.example.com\"\n";

    #[test]
    fn a_pasted_registries_yaml_is_read_as_k3s_and_the_checkbox_answers_its_question() {
        let mut req = import_of(vec![Source::Pasted(K3S.into())]);
        let assumed = decode(&answer(&request(&req))).unwrap();
        assert_eq!((assumed.format, assumed.files.as_slice()), (Format::K3s, ["registries.yaml".to_string()].as_slice()));
        assert!(assumed.findings.iter().any(|f| f.code == "I46-k3s-default-endpoint" && f.message.en.starts_with("Assumed")), "{:?}", assumed.findings);
        let falls_back = |r: &Report| r.project.as_ref().unwrap().registries[0].fallback_to_upstream;
        assert!(falls_back(&assumed));
        req.assume.no_default_endpoint = Some(true);
        let text = request(&req);
        assert_eq!(read_request(&text).unwrap(), req, "the assumption crosses");
        let told = decode(&answer(&text)).unwrap();
        assert!(!told.findings.iter().any(|f| f.message.en.starts_with("Assumed")), "{:?}", told.findings);
        let direct = import::import(&[("registries.yaml".into(), K3S.as_bytes().to_vec())], &Options { assume: req.assume.clone(), ..Default::default() });
        assert_eq!(told.project.as_ref(), Some(&direct.project));
        assert_eq!(told.findings, direct.report);
    }

    #[test]
    fn pasted_talos_and_docker_files_are_named_by_their_format() {
        let talos = "machine:\n  registries:\n    mirrors:\n      docker.io:\n        endpoints:\n          - https://mirror.example.com\n";
        let docker = "{\"registry-mirrors\": [\"https://mirror.example.com\"]}";
        let t = decode(&answer(&request(&import_of(vec![Source::Pasted(talos.into())])))).unwrap();
        assert_eq!((t.format, t.files.as_slice()), (Format::Talos, ["talos.yaml".to_string()].as_slice()));
        let mut req = import_of(vec![Source::Pasted(docker.into())]);
        let d = decode(&answer(&request(&req))).unwrap();
        assert_eq!((d.format, d.files.as_slice()), (Format::Docker, ["daemon.json".to_string()].as_slice()));
        assert!(d.findings.iter().any(|f| f.code == "I62-docker-upstream-assumed"), "{:?}", d.findings);
        req.assume.upstream_reachable = Some(false);
        let told = decode(&answer(&request(&req))).unwrap();
        assert!(!told.findings.iter().any(|f| f.code == "I62-docker-upstream-assumed"));
        assert_ne!(told.project, d.project, "unreachable Docker Hub routes differently");
    }
}
