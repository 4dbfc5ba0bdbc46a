//! `explain PROJECT IMAGE [--containerd VERSION] [--json]`: what containerd will do with the bundle for one
//! image (ccb_core::explain), as text in the CLI's language or as the schema'd JSON.
//!
//! Exit codes: 0 the pull can succeed, 1 it cannot (no host may resolve the tag, or none may serve content),
//! 2 bad input (usage, project file, an invalid image reference or release).

use std::process::ExitCode;

use ccb_core::explain::{explain, PullStatus};
use ccb_core::version::ContainerdVersion;

use crate::args::Args;
use crate::messages::{lang, say, shown, tr, usage};
use crate::project::read_project;
use crate::Failure;

/// `raw`: the arguments after `explain`. `--json` is the one flag without a value.
pub fn run(raw: &[String]) -> Result<ExitCode, Failure> {
    let json_flags = raw.iter().filter(|a| *a == "--json").count();
    if json_flags > 1 {
        return Err(Failure(tr("--json is given twice".to_string(), "--json 重复出现".to_string())));
    }
    let json = json_flags == 1;
    let rest: Vec<String> = raw.iter().filter(|a| *a != "--json").cloned().collect();
    let args = crate::check_lang(Args::parse("explain", &rest, &["--containerd", "--lang"])?)?;
    let (project_path, image) = match args.positional() {
        [p, i] => (p.as_str(), i.as_str()),
        _ => {
            return Err(Failure(tr(
                format!("explain needs a project file and an image reference\n\n{}", usage()),
                format!("explain 需要一个项目文件和一个镜像引用\n\n{}", usage()),
            )))
        }
    };
    let project = read_project(project_path)?;
    let release = match args.value("--containerd") {
        None => ccb_core::explain::default_release(&project.target),
        Some(v) => {
            let parsed: ContainerdVersion = v.parse().map_err(|_| {
                let v = shown(v);
                Failure(tr(
                    format!("--containerd {v}: expected a release such as 2.3.4 or 1.7.24"),
                    format!("--containerd {v}：应为版本号，例如 2.3.4 或 1.7.24"),
                ))
            })?;
            if !parsed.is_known_line() {
                let v = shown(v);
                return Err(Failure(tr(
                    format!("--containerd {v}: this tool knows containerd 1.5 to 2.3 only"),
                    format!("--containerd {v}：本工具只了解 containerd 1.5 到 2.3"),
                )));
            }
            parsed
        }
    };
    let e = explain(&project, image, &release);
    if e.outcome.status == PullStatus::InvalidReference {
        let msg = e.error.as_ref().map(|t| t.get(lang()).to_string()).unwrap_or_default();
        return Err(Failure(msg));
    }
    if json {
        use std::io::Write;
        let mut text = serde_json::to_string_pretty(&e).expect("an explanation is JSON");
        text.push('\n');
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    } else {
        say(&ccb_core::explain::text::render(&e, lang()));
    }
    Ok(ExitCode::from(if e.outcome.status == PullStatus::Possible { 0 } else { 1 }))
}
