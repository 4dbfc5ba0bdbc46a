//! Reading the project file: the core loader (a project is a JSON object, the format's checks), then secrets from
//! the environment.

use std::fs;

use ccb_core::load::{project_from_json, LoadError};
use ccb_core::model::Project;
use ccb_core::secrets::resolve_env;

use crate::messages::{lang, shown, tr};
use crate::Failure;

/// The project as written, secrets still `{"env": …}` (`explain` shows none of them, so needs none).
pub fn read_project(path: &str) -> Result<Project, Failure> {
    let file = shown(path);
    let text = fs::read_to_string(path).map_err(|e| {
        let e = shown(e.to_string());
        Failure(tr(format!("cannot read project file {file}: {e}"), format!("无法读取项目文件 {file}：{e}")))
    })?;
    let project = project_from_json(&text).map_err(|err| {
        // The reader's text quotes the file (an unknown field's name, a bad token): shown as one escaped line.
        let (l, c) = (err.line(), err.column());
        Failure(match &err {
            LoadError::Syntax(e) => {
                let e = shown(e.to_string());
                tr(format!("{file} is not valid JSON: {e}"), format!("{file} 不是合法的 JSON（第 {l} 行，第 {c} 列）：{e}"))
            }
            LoadError::Format(e) => {
                let e = shown(e.to_string());
                tr(format!("{file} does not match the project format: {e}"), format!("{file} 不符合项目文件格式（第 {l} 行，第 {c} 列）：{e}"))
            }
            LoadError::NotAnObject { .. } => format!("{file} {}", err.message().get(lang())),
        })
    })?;
    Ok(project)
}

/// The project with its secrets read from the environment.
pub fn load_project(path: &str) -> Result<Project, Failure> {
    let project = read_project(path)?;
    let file = shown(path);
    // std's lookup may panic on a name that is empty or holds `=` or NUL; no such variable can exist anyway.
    let lookup = |name: &str| if name.is_empty() || name.contains(['=', '\0']) { None } else { std::env::var(name).ok() };
    resolve_env(&project, lookup).map_err(|missing| {
        let list: Vec<String> = missing
            .iter()
            .map(|(field, var)| {
                let (field, var) = (shown(field), shown(var));
                tr(format!("  environment variable {var} is not set (for {field})"), format!("  未设置环境变量 {var}（用于 {field}）"))
            })
            .collect();
        Failure(tr(format!("{file}: secrets could not be read:\n{}", list.join("\n")), format!("{file}：无法读取密钥：\n{}", list.join("\n"))))
    })
}
