//! Command-line arguments: one project file and the flags a command knows. Anything else is refused by name
//! (a mistyped `--mergeinto` must not be ignored silently, leaving the node's file out of the bundle).

use crate::messages::{shown, tr, usage};
use crate::Failure;

pub struct Args {
    positional: Vec<String>,
    values: Vec<(String, String)>,
}

impl Args {
    /// `flags` all take a value (`--out DIR`).
    pub fn parse(command: &str, args: &[String], flags: &[&str]) -> Result<Args, Failure> {
        let mut parsed = Args { positional: Vec::new(), values: Vec::new() };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a.starts_with('-') && a.len() > 1 {
                let flag = shown(a);
                if !flags.contains(&a.as_str()) {
                    return Err(Failure(tr(
                        format!("unknown option \"{flag}\" for {command}\n\n{}", usage()),
                        format!("{command} 不支持选项 \"{flag}\"\n\n{}", usage()),
                    )));
                }
                if parsed.values.iter().any(|(f, _)| f == a) {
                    return Err(Failure(tr(format!("{flag} is given twice"), format!("{flag} 重复出现"))));
                }
                match it.next() {
                    Some(v) if !v.starts_with("--") => parsed.values.push((a.clone(), v.clone())),
                    _ => return Err(Failure(tr(format!("{flag} needs a value\n\n{}", usage()), format!("{flag} 需要一个值\n\n{}", usage())))),
                }
            } else {
                parsed.positional.push(a.clone());
            }
        }
        Ok(parsed)
    }

    pub fn positional(&self) -> &[String] {
        &self.positional
    }

    pub fn value(&self, flag: &str) -> Option<&str> {
        self.values.iter().find(|(f, _)| f == flag).map(|(_, v)| v.as_str())
    }

    /// The one project file of `command`.
    pub fn project(&self, command: &str) -> Result<&str, Failure> {
        match self.positional.as_slice() {
            [one] => Ok(one),
            [] => Err(Failure(tr(format!("{command} needs a project file\n\n{}", usage()), format!("{command} 需要项目文件\n\n{}", usage())))),
            [_, extra @ ..] => Err(Failure(tr(
                format!("{command} takes one project file; unexpected \"{}\"\n\n{}", shown(&extra[0]), usage()),
                format!("{command} 只接受一个项目文件；多余的参数 \"{}\"\n\n{}", shown(&extra[0]), usage()),
            ))),
        }
    }

    pub fn no_positional(&self, command: &str) -> Result<(), Failure> {
        match self.positional.first() {
            None => Ok(()),
            Some(extra) => Err(Failure(tr(
                format!("{command} takes no arguments; unexpected \"{}\"\n\n{}", shown(extra), usage()),
                format!("{command} 不接受参数；多余的参数 \"{}\"\n\n{}", shown(extra), usage()),
            ))),
        }
    }
}
