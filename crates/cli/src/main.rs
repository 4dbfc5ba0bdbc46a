//! containerd-config-builder: render, check, explain, export, import, lint and schema, over ccb-core.
//!
//! Exit codes: 0 success (check: no warnings or errors), 1 the project has errors (render writes nothing),
//! 2 bad input or usage (missing file, invalid JSON, unset secret variable, a link or a file in the way in
//! `--out`, `--merge-into` inside `--out`, an unreadable file to import), 3 check / import / lint found warnings
//! only (import and lint: 1 when they found errors).

mod args;
mod explain;
mod export;
mod import;
mod messages;
mod out_dir;
mod project;
mod write;

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use ccb_core::diagnostics::Severity;

use args::Args;
use messages::{complain, lang, print_diagnostics, say, shown, tr, usage};
use project::load_project;
use write::{write_bundle, BundleFile, WriteError};

/// A message for stderr; the run exits 2.
pub struct Failure(String);

fn render(args: &Args) -> Result<ExitCode, Failure> {
    let project_path = args.project("render")?;
    let out = args.value("--out").ok_or_else(|| Failure(tr(format!("render needs --out DIR\n\n{}", usage()), format!("render 需要 --out DIR\n\n{}", usage()))))?;
    let merge_into = args.value("--merge-into");
    if let Some(cfg) = merge_into {
        // The node's file is only read; writing the bundle must not replace it either.
        if out_dir::lies_inside(Path::new(cfg), Path::new(out)) {
            let (cfg, out) = (shown(cfg), shown(out));
            return Err(Failure(tr(
                format!("--merge-into {cfg} lies inside --out {out}: the bundle would replace the very file it merges into. Choose an --out directory that does not contain it."),
                format!("--merge-into {cfg} 位于 --out {out} 之内：配置包会覆盖它要合并的那个文件。请选择不包含该文件的 --out 目录。"),
            )));
        }
    }
    let project = load_project(project_path)?;
    let rendered = match merge_into {
        Some(cfg) => {
            let existing = fs::read_to_string(cfg).map_err(|e| {
                let (cfg, e) = (shown(cfg), shown(e.to_string()));
                Failure(tr(format!("cannot read {cfg}: {e}"), format!("无法读取 {cfg}：{e}")))
            })?;
            ccb_core::render::render_merged_in(&project, &existing, lang())
        }
        None => ccb_core::render::render_in(&project, lang()),
    };
    print_diagnostics(&rendered.diagnostics);
    if !rendered.installable {
        let n = rendered.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        complain(&tr(format!("{n} error(s): nothing was written."), format!("{n} 个错误：未写入任何文件。")));
        return Ok(ExitCode::from(1));
    }
    let files: Vec<BundleFile> =
        rendered.files.iter().map(|f| BundleFile { path: &f.path, content: f.content.as_bytes(), mode: f.mode }).collect();
    match write_bundle(Path::new(out), &files) {
        Ok(w) => {
            for p in &w.files {
                let p = shown(p);
                say(&tr(format!("wrote {p}"), format!("已写入 {p}")));
            }
            if !w.stale.is_empty() {
                let list: Vec<String> = w.stale.iter().map(|p| format!("  {}", shown(p))).collect();
                complain(&tr(
                    format!("note: {} file(s) in {} are not part of this bundle (stale?) and were left alone:\n{}", w.stale.len(), shown(out), list.join("\n")),
                    format!("注意：{} 中有 {} 个文件不属于本配置包（可能已过时），未做改动：\n{}", shown(out), w.stale.len(), list.join("\n")),
                ));
            }
            for p in &w.leftovers {
                let p = shown(p);
                complain(&tr(format!("warning: could not remove the replaced file {p}"), format!("警告：无法删除被替换的旧文件 {p}")));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(WriteError::Refused(problems)) => Err(Failure(format!(
            "{}\n{}",
            problems.join("\n"),
            tr("Nothing was written.".to_string(), "未写入任何文件。".to_string())
        ))),
        Err(WriteError::Failed { message, not_undone }) if not_undone.is_empty() => Err(Failure(format!(
            "{message}\n{}",
            tr(
                "Nothing was written: every change made before the failure was undone.".to_string(),
                "未写入任何文件：失败前所做的改动均已撤销。".to_string()
            )
        ))),
        Err(WriteError::Failed { message, not_undone }) => Err(Failure(format!(
            "{message}\n{}\n  {}",
            tr("These changes could not be undone:".to_string(), "以下改动无法撤销：".to_string()),
            not_undone.join("\n  ")
        ))),
    }
}

fn check(args: &Args) -> Result<ExitCode, Failure> {
    let project = load_project(args.project("check")?)?;
    let diags = ccb_core::validate(&project);
    print_diagnostics(&diags);
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.iter().filter(|d| d.severity == Severity::Warning).count();
    say(&tr(format!("{errors} error(s), {warnings} warning(s)"), format!("{errors} 个错误，{warnings} 个警告")));
    Ok(ExitCode::from(if errors > 0 {
        1
    } else if warnings > 0 {
        3
    } else {
        0
    }))
}

/// `--lang` takes only a language this tool speaks: a typo must not silently give an English bundle.
pub(crate) fn check_lang(args: Args) -> Result<Args, Failure> {
    if let Some(v) = args.value("--lang") {
        if messages::parse_lang(v).is_none() {
            let v = shown(v);
            return Err(Failure(tr(
                format!("--lang {v}: the languages are en and zh\n\n{}", usage()),
                format!("--lang {v}：可用的语言是 en 和 zh\n\n{}", usage()),
            )));
        }
    }
    Ok(args)
}

fn run(raw: Vec<String>) -> Result<ExitCode, Failure> {
    match raw.first().map(String::as_str) {
        Some("render") => render(&check_lang(Args::parse("render", &raw[1..], &["--out", "--merge-into", "--lang"])?)?),
        Some("check") => check(&check_lang(Args::parse("check", &raw[1..], &["--lang"])?)?),
        Some("explain") => explain::run(&raw[1..]),
        Some("export") => {
            export::run(&check_lang(Args::parse("export", &raw[1..], &["--format", "--out", "--talos-version", "--files-dir", "--lang"])?)?)
        }
        Some("import") => import::run_import(&check_lang(Args::parse("import", &raw[1..], &["--out", "--secrets-as-env", "--lang", "--format", "--disable-default-registry-endpoint", "--embedded-registry", "--upstream-reachable"])?)?),
        Some("lint") => import::run_lint(&check_lang(Args::parse("lint", &raw[1..], &["--target", "--lang"])?)?),
        Some("schema") => {
            check_lang(Args::parse("schema", &raw[1..], &["--lang"])?)?.no_positional("schema")?;
            use std::io::Write;
            let _ = std::io::stdout().lock().write_all(ccb_core::schema::project_schema_text().as_bytes());
            Ok(ExitCode::SUCCESS)
        }
        Some("-h") | Some("--help") | Some("help") => {
            say(usage());
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => {
            let other = shown(other);
            Err(Failure(tr(format!("unknown command \"{other}\"\n\n{}", usage()), format!("未知命令 \"{other}\"\n\n{}", usage()))))
        }
        None => Err(Failure(usage().to_string())),
    }
}

fn main() -> ExitCode {
    // Arguments that are not UTF-8 cannot name a project or flag here; say so instead of panicking.
    let raw: Result<Vec<String>, _> = std::env::args_os().skip(1).map(|a| a.into_string()).collect();
    let raw = match raw {
        Ok(raw) => raw,
        Err(bad) => {
            messages::set_lang(messages::lang_from(&[]));
            let bad = shown(&bad);
            complain(&tr(
                format!("containerd-config-builder: argument \"{bad}\" is not valid UTF-8"),
                format!("containerd-config-builder：参数 \"{bad}\" 不是合法的 UTF-8"),
            ));
            return ExitCode::from(2);
        }
    };
    messages::set_lang(messages::lang_from(&raw));
    match run(raw) {
        Ok(code) => code,
        Err(Failure(msg)) => {
            complain(&format!("containerd-config-builder: {msg}"));
            ExitCode::from(2)
        }
    }
}
