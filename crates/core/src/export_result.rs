//! The text form of the page's k3s / Talos downloads. The export writes YAML with saphyr, which the page's first
//! download does not carry: the page sends [`request`] — the format and the project — and the lazily loaded tools
//! module answers with [`answer`]: the YAML, the files it names by path (k3s's pasted CAs) and every diagnostic of
//! what the format cannot carry, at its project field, in English and 简体中文. The page reads it with [`decode`].
//! Every (de)serialisation of this boundary is in this file, tested natively.
//!
//! Both directions are the merge's length-prefixed fields (`merge_result`). The project crosses as the project
//! file's JSON, secrets included: the export carries credentials exactly as the project holds them (as the
//! bundle does, and the CLI's `export`), and the text never leaves the page.

use crate::export::{self, Export, ExportFile, Format, TalosForm};
pub use crate::merge_result::DecodeError;
use crate::merge_result::{Reader, Writer};
use crate::model::Project;

/// Names the text form; a page and a tools module from different builds refuse each other's text.
const FORMAT: &str = "ccb-export/1";

/// The name the text form gives a format.
fn format_name(f: Format) -> &'static str {
    match f {
        Format::K3s => "k3s",
        Format::Talos(TalosForm::MachineConfig) => "talos-machine-config",
        Format::Talos(TalosForm::Documents) => "talos-documents",
    }
}

fn format_named(name: &str) -> Option<Format> {
    [Format::K3s, Format::Talos(TalosForm::MachineConfig), Format::Talos(TalosForm::Documents)].into_iter().find(|f| format_name(*f) == name)
}

/// What the page sends: `p` exported to `format`.
pub fn request(p: &Project, format: Format) -> String {
    let mut w = Writer::new(FORMAT);
    w.field(format_name(format));
    w.field(&crate::merge_result::project_text(p));
    w.0
}

fn read_request(text: &str) -> Result<(Project, Format), DecodeError> {
    let mut r = Reader(text);
    r.format(FORMAT)?;
    let name = r.field()?;
    let format = format_named(name).ok_or_else(|| DecodeError(format!("unknown export format {name:?}")))?;
    let project = r.project()?;
    r.end("request")?;
    Ok((project, format))
}

/// The tools module's answer to [`request`]'s text.
pub fn answer(text: &str) -> String {
    let mut w = Writer::new(FORMAT);
    match read_request(text) {
        Err(e) => w.refusal(&e.0),
        Ok((p, format)) => {
            let e = export::export(&p, format);
            w.field("export");
            w.field(&e.yaml);
            w.count(e.files.len());
            for f in &e.files {
                w.field(&f.path);
                w.field(&f.content);
                w.field(&f.origin);
            }
            w.diagnostics(&e.diagnostics);
        }
    }
    w.0
}

/// The export from [`answer`]'s text; `Err` for a refused request or a text this build cannot read.
pub fn decode(text: &str) -> Result<Export, DecodeError> {
    let mut r = Reader::answer_of(text, FORMAT, "export")?;
    let yaml = r.field()?.to_string();
    let mut files = Vec::new();
    for _ in 0..r.count(6)? {
        files.push(ExportFile { path: r.field()?.to_string(), content: r.field()?.to_string(), origin: r.field()?.to_string() });
    }
    let diagnostics = r.diagnostics()?;
    r.end("answer")?;
    Ok(Export { yaml, files, diagnostics })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    fn project(json: &str) -> Project {
        crate::load::project_from_json(json).unwrap()
    }

    const CA: &str = include_str!("../tests/fixtures/pem/ca.crt");

    #[test]
    fn every_format_crosses_the_boundary_as_the_core_exported_it() {
        let p = project(r#"{"registries":[{"upstream":"docker.io","endpoints":[{"url":"https://mirror.example.com","capabilities":["pull"]}]}],
            "auth":[{"host":"mirror.example.com","method":{"type":"basic","username":"alice","password":"s3cr3t"}}]}"#);
        for format in [Format::K3s, Format::Talos(TalosForm::MachineConfig), Format::Talos(TalosForm::Documents)] {
            let text = request(&p, format);
            assert_eq!(read_request(&text).unwrap(), (p.clone(), format), "the request reads back");
            let across = decode(&answer(&text)).expect("the page reads the answer");
            assert_eq!(across, export::export(&p, format), "{format:?}");
            assert!(across.yaml.contains("s3cr3t"), "credentials as the project has them: {format:?}");
        }
        let k3s = decode(&answer(&request(&p, Format::K3s))).unwrap();
        assert!(k3s.diagnostics.iter().any(|d| d.severity == Severity::Warning && d.path.starts_with("registries[0].endpoints[0]")), "{:?}", k3s.diagnostics);
    }

    #[test]
    fn k3s_ships_pasted_cas_beside_the_yaml() {
        let p = project(&format!(
            r#"{{"registries":[{{"upstream":"quay.io","endpoints":[{{"url":"https://mirror.example.com","tls":{{"ca":[{{"pem":{{"name":"corp","pem":{}}}}}]}}}}]}}]}}"#,
            serde_json::to_string(CA).unwrap()
        ));
        let e = decode(&answer(&request(&p, Format::K3s))).unwrap();
        assert_eq!(e, export::export(&p, Format::K3s));
        assert!(!e.files.is_empty() && e.files.iter().all(|f| f.path.starts_with("/etc/rancher/registry-ca/") && f.content == CA), "{:?}", e.files);
    }

    #[test]
    fn other_text_is_refused_not_misread() {
        let good = answer(&request(&Project::default(), Format::K3s));
        for end in [0, 5, good.len() / 2, good.len() - 1] {
            assert!(decode(&good[..end]).is_err(), "cut at {end}");
        }
        assert!(decode(&format!("{good}1:x")).is_err(), "trailing bytes");
        assert!(decode(&answer("12:ccb-export/03:k3s2:{}")).unwrap_err().0.contains("ccb-export/0"));
        assert!(decode(&answer("12:ccb-export/15:talos2:{}")).unwrap_err().0.contains("talos"), "a format is named one way only");
        assert!(decode("12:ccb-export/16:export0:9999999:x").is_err(), "a count larger than the text");
    }
}
