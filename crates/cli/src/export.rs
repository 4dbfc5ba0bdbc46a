//! `export --format k3s|talos PROJECT [--out FILE] [--talos-version 1.12] [--files-dir DIR]`: the project as a
//! k3s / RKE2 `registries.yaml` or a Talos patch / documents (ccb_core::export). The YAML goes to stdout or FILE,
//! the report to stderr; exit 0 clean, 1 errors (nothing written), 3 warnings only, 2 unreadable input.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use ccb_core::diagnostics::Severity;
use ccb_core::export::{export, Format, TalosForm};

use crate::args::Args;
use crate::messages::{complain, print_diagnostics, shown, tr, usage};
use crate::project::load_project;
use crate::write::{write_bundle, BundleFile, WriteError};
use crate::Failure;

fn format_of(args: &Args) -> Result<Format, Failure> {
    let talos_version = args.value("--talos-version");
    let format = match args.value("--format") {
        Some("k3s") | Some("rke2") => Format::K3s,
        Some("talos") => {
            let v = talos_version.unwrap_or("1.12");
            let form = TalosForm::for_version(v).ok_or_else(|| {
                let v = shown(v);
                Failure(tr(
                    format!("--talos-version {v}: give a Talos release such as 1.11 or 1.12\n\n{}", usage()),
                    format!("--talos-version {v}：请给出 Talos 版本，例如 1.11 或 1.12\n\n{}", usage()),
                ))
            })?;
            return Ok(Format::Talos(form));
        }
        Some(other) => {
            let other = shown(other);
            return Err(Failure(tr(
                format!("--format {other}: the formats are k3s and talos\n\n{}", usage()),
                format!("--format {other}：可用的格式是 k3s 和 talos\n\n{}", usage()),
            )));
        }
        None => return Err(Failure(tr(format!("export needs --format k3s|talos\n\n{}", usage()), format!("export 需要 --format k3s|talos\n\n{}", usage())))),
    };
    if talos_version.is_some() {
        return Err(Failure(tr("--talos-version is for --format talos".to_string(), "--talos-version 只用于 --format talos".to_string())));
    }
    Ok(format)
}

pub fn run(args: &Args) -> Result<ExitCode, Failure> {
    let format = format_of(args)?;
    let project = load_project(args.project("export")?)?;
    let e = export(&project, format);
    print_diagnostics(&e.diagnostics);
    let errors = e.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = e.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
    if errors > 0 {
        complain(&tr(format!("{errors} error(s): nothing was written."), format!("{errors} 个错误：未写入任何文件。")));
        return Ok(ExitCode::from(1));
    }
    match args.value("--out") {
        Some(out) => write_out(out, &e.yaml, !project.auth.is_empty())?,
        None => {
            use std::io::Write;
            let _ = std::io::stdout().lock().write_all(e.yaml.as_bytes());
        }
    }
    if !e.files.is_empty() {
        ship_files(&e.files, args.value("--files-dir"))?;
    }
    complain(&tr(format!("{errors} error(s), {warnings} warning(s)"), format!("{errors} 个错误，{warnings} 个警告")));
    Ok(ExitCode::from(if warnings > 0 { 3 } else { 0 }))
}

/// `--out FILE`: never through a symbolic link (as `render`); a new file holding credentials is readable by its
/// owner only.
fn write_out(out: &str, yaml: &str, credentials: bool) -> Result<(), Failure> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let shown_out = shown(out);
    if fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Failure(tr(
            format!("{shown_out} is a symbolic link: refusing to write through it"),
            format!("{shown_out} 是符号链接：拒绝经由它写入"),
        )));
    }
    let mode = if credentials { 0o600 } else { 0o644 };
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(out)
        .and_then(|mut f| f.write_all(yaml.as_bytes()))
        .map_err(|err| {
            let err = shown(err.to_string());
            Failure(tr(format!("cannot write {shown_out}: {err}"), format!("无法写入 {shown_out}：{err}")))
        })
}

/// The files the YAML names by path (k3s's `ca_file`): written under DIR as they lie on the node, all or none,
/// or listed when there is no DIR.
fn ship_files(files: &[ccb_core::export::ExportFile], dir: Option<&str>) -> Result<(), Failure> {
    let Some(dir) = dir else {
        let list: Vec<String> = files.iter().map(|f| format!("  {}", shown(&f.path))).collect();
        complain(&tr(
            format!("The YAML names {} file(s) to copy to every node (--files-dir DIR writes them):\n{}", files.len(), list.join("\n")),
            format!("该 YAML 引用了 {} 个需要复制到每个节点的文件（--files-dir DIR 可写出它们）：\n{}", files.len(), list.join("\n")),
        ));
        return Ok(());
    };
    let bundle: Vec<BundleFile> =
        files.iter().map(|f| BundleFile { path: f.path.trim_start_matches('/'), content: f.content.as_bytes(), mode: 0o644 }).collect();
    match write_bundle(Path::new(dir), &bundle) {
        Ok(w) => {
            for p in &w.files {
                let p = shown(p);
                complain(&tr(format!("wrote {p}"), format!("已写入 {p}")));
            }
            Ok(())
        }
        Err(WriteError::Refused(problems)) => Err(Failure(problems.join("\n"))),
        Err(WriteError::Failed { message, .. }) => Err(Failure(message)),
    }
}
