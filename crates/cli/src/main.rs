//! containerd-config-builder: render, check and schema, over ccb-core.
//!
//! Exit codes: 0 success (check: no warnings or errors), 1 the project has errors (render writes nothing),
//! 2 bad input or usage (missing file, invalid JSON, unset secret variable), 3 check found warnings only.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use ccb_core::diagnostics::{Diagnostic, Lang, Severity};
use ccb_core::model::Project;
use ccb_core::secrets::resolve_env;

const USAGE: &str = "\
Usage:
  containerd-config-builder render PROJECT.json --out DIR [--merge-into CONFIG.toml] [--lang en|zh]
  containerd-config-builder check PROJECT.json [--lang en|zh]
  containerd-config-builder schema

render  writes the bundle (config fragment or merged config.toml, certs.d/<host>/hosts.toml, CA files,
        install.sh, README.txt) into DIR; while the project has errors it writes nothing and exits 1.
        --merge-into FILE merges the registry settings into a copy of that config.toml (the node's own
        file), keeping everything else; FILE itself is never modified.
check   prints the diagnostics; exit 0 clean, 1 errors, 3 warnings only.
schema  prints the JSON Schema of the project file.
Secrets written as {\"env\": \"NAME\"} in the project are read from environment variable NAME.";

const USAGE_ZH: &str = "\
用法:
  containerd-config-builder render PROJECT.json --out DIR [--merge-into CONFIG.toml] [--lang en|zh]
  containerd-config-builder check PROJECT.json [--lang en|zh]
  containerd-config-builder schema

render  把配置包(配置片段或合并后的 config.toml、certs.d/<host>/hosts.toml、CA 文件、install.sh、README.txt)
        写入 DIR;项目有错误时不写任何文件,退出码 1。
        --merge-into FILE 把仓库设置合并进该 config.toml(节点自己的文件)的副本,其余内容保持不变;
        FILE 本身不会被修改。
check   输出诊断信息;退出码 0 无问题,1 有错误,3 只有警告。
schema  输出项目文件的 JSON Schema。
项目中写成 {\"env\": \"NAME\"} 的密钥从环境变量 NAME 读取。";

struct Failure(String);

static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The CLI's own messages in the language of `--lang` / `LANG`, like the diagnostics.
fn tr(en: String, zh: String) -> String {
    match LANG.get() {
        Some(Lang::Zh) => zh,
        _ => en,
    }
}

fn usage() -> &'static str {
    match LANG.get() {
        Some(Lang::Zh) => USAGE_ZH,
        _ => USAGE,
    }
}

fn lang_from(args: &[String]) -> Lang {
    if let Some(i) = args.iter().position(|a| a == "--lang") {
        if args.get(i + 1).is_some_and(|l| l.starts_with("zh")) {
            return Lang::Zh;
        }
        return Lang::En;
    }
    match std::env::var("LANG") {
        Ok(l) if l.starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

fn load_project(path: &str) -> Result<Project, Failure> {
    let text = fs::read_to_string(path)
        .map_err(|e| Failure(tr(format!("cannot read project file {path}: {e}"), format!("无法读取项目文件 {path}:{e}"))))?;
    let project: Project = serde_json::from_str(&text).map_err(|e| {
        let syntax = matches!(e.classify(), serde_json::error::Category::Syntax | serde_json::error::Category::Eof);
        // serde_json's message already ends with "at line L column C".
        Failure(if syntax {
            tr(format!("{path} is not valid JSON: {e}"), format!("{path} 不是合法的 JSON(第 {} 行,第 {} 列):{e}", e.line(), e.column()))
        } else {
            tr(
                format!("{path} does not match the project format: {e}"),
                format!("{path} 不符合项目文件格式(第 {} 行,第 {} 列):{e}", e.line(), e.column()),
            )
        })
    })?;
    resolve_env(&project, |name| std::env::var(name).ok()).map_err(|missing| {
        let list: Vec<String> = missing
            .iter()
            .map(|(field, var)| {
                tr(format!("  environment variable {var} is not set (for {field})"), format!("  未设置环境变量 {var}(用于 {field})"))
            })
            .collect();
        Failure(tr(format!("{path}: secrets could not be read:\n{}", list.join("\n")), format!("{path}:无法读取密钥:\n{}", list.join("\n"))))
    })
}

fn print_diagnostics(diags: &[Diagnostic], lang: Lang) {
    for d in diags {
        let at = if d.path.is_empty() { String::new() } else { format!(" {}", d.path) };
        eprintln!("{}[{}]{}: {}", d.severity.as_str(), d.code, at, d.message.get(lang));
    }
}

fn flag_value<'a>(args: &'a [String], flag: &str) -> Result<Option<&'a str>, Failure> {
    match args.iter().position(|a| a == flag) {
        None => Ok(None),
        Some(i) => match args.get(i + 1) {
            Some(v) if !v.starts_with("--") => Ok(Some(v)),
            _ => Err(Failure(tr(format!("{flag} needs a value\n\n{}", usage()), format!("{flag} 需要一个值\n\n{}", usage())))),
        },
    }
}

/// A bundle path as a relative path with only normal components: nothing can land outside `--out`.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    if path.is_empty() || p.is_absolute() || path.contains('\0') {
        return None;
    }
    p.components().all(|c| matches!(c, Component::Normal(_))).then(|| p.to_path_buf())
}

fn render(args: &[String]) -> Result<ExitCode, Failure> {
    let lang = lang_from(args);
    let project_path = args.first().filter(|a| !a.starts_with("--")).ok_or_else(|| Failure(tr(format!("render needs a project file\n\n{}", usage()), format!("render 需要项目文件\n\n{}", usage()))))?;
    let out = flag_value(args, "--out")?.ok_or_else(|| Failure(tr(format!("render needs --out DIR\n\n{}", usage()), format!("render 需要 --out DIR\n\n{}", usage()))))?;
    let project = load_project(project_path)?;
    let rendered = match flag_value(args, "--merge-into")? {
        Some(cfg) => {
            let existing =
                fs::read_to_string(cfg).map_err(|e| Failure(tr(format!("cannot read {cfg}: {e}"), format!("无法读取 {cfg}:{e}"))))?;
            ccb_core::render_merged(&project, &existing)
        }
        None => ccb_core::render(&project),
    };
    print_diagnostics(&rendered.diagnostics, lang);
    if !rendered.installable {
        let n = rendered.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        eprintln!("{}", tr(format!("{n} error(s): nothing was written."), format!("{n} 个错误:未写入任何文件。")));
        return Ok(ExitCode::from(1));
    }
    let root = Path::new(out);
    let mut planned = Vec::new();
    for f in &rendered.files {
        let rel = safe_relative(&f.path).ok_or_else(|| Failure(format!("refusing to write unsafe path {:?}", f.path)))?;
        planned.push((root.join(rel), f));
    }
    for (path, f) in planned {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Failure(format!("cannot create {}: {e}", parent.display())))?;
        }
        fs::write(&path, &f.content).map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(f.mode))
                .map_err(|e| Failure(format!("cannot chmod {}: {e}", path.display())))?;
        }
        println!("{}", tr(format!("wrote {}", path.display()), format!("已写入 {}", path.display())));
    }
    Ok(ExitCode::SUCCESS)
}

fn check(args: &[String]) -> Result<ExitCode, Failure> {
    let lang = lang_from(args);
    let project_path = args.first().filter(|a| !a.starts_with("--")).ok_or_else(|| Failure(tr(format!("check needs a project file\n\n{}", usage()), format!("check 需要项目文件\n\n{}", usage()))))?;
    let project = load_project(project_path)?;
    let diags = ccb_core::validate(&project);
    print_diagnostics(&diags, lang);
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.iter().filter(|d| d.severity == Severity::Warning).count();
    println!("{}", tr(format!("{errors} error(s), {warnings} warning(s)"), format!("{errors} 个错误,{warnings} 个警告")));
    Ok(ExitCode::from(if errors > 0 {
        1
    } else if warnings > 0 {
        3
    } else {
        0
    }))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let _ = LANG.set(lang_from(&args));
    let result = match args.first().map(String::as_str) {
        Some("render") => render(&args[1..]),
        Some("check") => check(&args[1..]),
        Some("schema") => {
            print!("{}", ccb_core::schema::project_schema_text());
            Ok(ExitCode::SUCCESS)
        }
        Some("-h") | Some("--help") | Some("help") => {
            println!("{}", usage());
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(Failure(tr(format!("unknown command {other:?}\n\n{}", usage()), format!("未知命令 {other:?}\n\n{}", usage())))),
        None => Err(Failure(usage().to_string())),
    };
    match result {
        Ok(code) => code,
        Err(Failure(msg)) => {
            eprintln!("containerd-config-builder: {msg}");
            ExitCode::from(2)
        }
    }
}
