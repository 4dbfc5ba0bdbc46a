//! `import PATH… [--out project.json] [--secrets-as-env PREFIX] [--format …]` and `lint DIR [--target MIN-MAX]`:
//! the files are read here, the core's importer and linter do the rest. A PATH is a config.toml, a certs.d folder
//! (or one registry directory of it), an /etc/containerd directory holding config.toml and certs.d/, or a k3s /
//! RKE2 registries.yaml, a Talos machine config or registry documents, a Docker daemon.json (by name or content,
//! or `--format`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ccb_core::import::formats::{detect, Assumptions, Format};
use ccb_core::import::{counts, import, Finding, Options};
use ccb_core::model::Target;

use crate::args::Args;
use crate::messages::{complain, lang, say, shown, tr, usage};
use crate::Failure;

/// Bounds on what is read: a node's /etc/containerd is a few dozen small files.
const MAX_FILE_BYTES: u64 = 4 << 20;
const MAX_FILES: usize = 10_000;

/// The files of the layout: (path relative to the layout's root, bytes), and where each came from.
#[derive(Default)]
struct Layout {
    files: Vec<(String, Vec<u8>)>,
    /// Layout-relative path (file or directory) → the path as the user gave it.
    shown: Vec<(String, PathBuf)>,
}

fn unreadable(path: &Path, e: impl std::fmt::Display) -> Failure {
    let (p, e) = (shown(path), shown(e.to_string()));
    Failure(tr(format!("cannot read {p}: {e}"), format!("无法读取 {p}：{e}")))
}

impl Layout {
    fn add_file(&mut self, rel: String, path: &Path) -> Result<(), Failure> {
        if self.files.len() >= MAX_FILES {
            return Err(Failure(tr(format!("more than {MAX_FILES} files under the given paths: not an /etc/containerd layout"), format!("给定路径下的文件超过 {MAX_FILES} 个：这不是 /etc/containerd 的目录结构"))));
        }
        let meta = fs::metadata(path).map_err(|e| unreadable(path, e))?;
        if meta.len() > MAX_FILE_BYTES {
            let p = shown(path);
            return Err(Failure(tr(format!("{p} is larger than {} MiB: not a containerd file", MAX_FILE_BYTES >> 20), format!("{p} 大于 {} MiB：不是 containerd 的文件", MAX_FILE_BYTES >> 20))));
        }
        let bytes = fs::read(path).map_err(|e| unreadable(path, e))?;
        if self.files.iter().any(|(r, _)| *r == rel) {
            let p = shown(path);
            return Err(Failure(tr(format!("{p} is given twice (as {rel})"), format!("{p} 重复给出（作为 {rel}）"))));
        }
        self.shown.push((rel.clone(), path.to_path_buf()));
        self.files.push((rel, bytes));
        Ok(())
    }

    /// The files of a registry directory (`rel` = `certs.d/<name>`), and below it (CA files in subdirectories).
    fn add_dir(&mut self, rel: &str, dir: &Path, depth: usize) -> Result<(), Failure> {
        self.shown.push((rel.to_string(), dir.to_path_buf()));
        for (name, path, is_dir) in entries(dir)? {
            let sub = format!("{rel}/{name}");
            if is_dir {
                if depth > 0 {
                    self.add_dir(&sub, &path, depth - 1)?;
                }
            } else {
                self.add_file(sub, &path)?;
            }
        }
        Ok(())
    }

    /// A certs.d folder: every directory in it is a registry directory.
    fn add_certs_d(&mut self, dir: &Path) -> Result<(), Failure> {
        self.shown.push(("certs.d".to_string(), dir.to_path_buf()));
        for (name, path, is_dir) in entries(dir)? {
            if is_dir {
                self.add_dir(&format!("certs.d/{name}"), &path, 2)?;
            }
        }
        Ok(())
    }

    fn add(&mut self, given: &str, format: Option<Format>) -> Result<(), Failure> {
        let path = Path::new(given);
        let meta = fs::metadata(path).map_err(|e| unreadable(path, e))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if meta.is_file() {
            // A k3s, Talos or Docker file is known by its own name.
            let foreign = match format {
                Some(f) => f != Format::Containerd,
                None if meta.len() <= MAX_FILE_BYTES => detect(&name, &fs::read(path).map_err(|e| unreadable(path, e))?) != Format::Containerd,
                None => false,
            };
            if foreign {
                return self.add_file(name, path);
            }
            let parent = path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.ends_with(".toml") && name != "hosts.toml" {
                return self.add_file("config.toml".to_string(), path);
            }
            // One file of a registry directory: known by its directory's name.
            return self.add_file(format!("certs.d/{parent}/{name}"), path);
        }
        let has = |n: &str| path.join(n).exists();
        if has("config.toml") || has("certs.d") {
            if has("config.toml") {
                self.add_file("config.toml".to_string(), &path.join("config.toml"))?;
            }
            if path.join("certs.d").is_dir() {
                self.add_certs_d(&path.join("certs.d"))?;
            }
            Ok(())
        } else if has("hosts.toml") {
            self.add_dir(&format!("certs.d/{name}"), path, 2)
        } else {
            self.add_certs_d(path)
        }
    }

    /// The path of a finding's file as the user gave it.
    fn show(&self, rel: &str) -> String {
        match self.shown.iter().find(|(r, _)| r == rel) {
            Some((_, p)) => p.to_string_lossy().into_owned(),
            None => rel.to_string(),
        }
    }
}

/// (name, path, is a directory) of the entries of `dir`, sorted by name; symbolic links to directories are not
/// followed (no loops), links to files are.
fn entries(dir: &Path) -> Result<Vec<(String, PathBuf, bool)>, Failure> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).map_err(|e| unreadable(dir, e))? {
        let e = e.map_err(|e| unreadable(dir, e))?;
        let path = e.path();
        let link = fs::symlink_metadata(&path).map_err(|err| unreadable(&path, err))?;
        let is_dir = link.is_dir();
        if link.file_type().is_symlink() && path.is_dir() {
            continue;
        }
        let Some(name) = e.file_name().to_str().map(str::to_string) else {
            let p = shown(&path);
            complain(&tr(format!("note: {p} is skipped: its name is not UTF-8"), format!("注意：已跳过 {p}：其名称不是 UTF-8")));
            continue;
        };
        out.push((name, path, is_dir));
    }
    out.sort();
    Ok(out)
}

fn read_layout(paths: &[String], command: &str, format: Option<Format>) -> Result<Layout, Failure> {
    if paths.is_empty() {
        return Err(Failure(tr(format!("{command} needs a path (config.toml, a certs.d folder or /etc/containerd)\n\n{}", usage()), format!("{command} 需要路径（config.toml、certs.d 目录或 /etc/containerd）\n\n{}", usage()))));
    }
    let mut layout = Layout::default();
    for p in paths {
        layout.add(p, format)?;
    }
    Ok(layout)
}

fn print_report(layout: &Layout, report: &[Finding]) {
    for f in report {
        let f = Finding { file: if f.file.is_empty() { String::new() } else { layout.show(&f.file) }, ..f.clone() };
        complain(&f.to_line(lang()));
    }
}

fn exit_code(report: &[Finding]) -> ExitCode {
    let (errors, warnings) = counts(report);
    ExitCode::from(if errors > 0 {
        1
    } else if warnings > 0 {
        3
    } else {
        0
    })
}

fn summary(report: &[Finding]) -> String {
    let (errors, warnings) = counts(report);
    tr(format!("{errors} error(s), {warnings} warning(s)"), format!("{errors} 个错误，{warnings} 个警告"))
}

pub fn run_import(args: &Args) -> Result<ExitCode, Failure> {
    let format = match args.value("--format") {
        None => None,
        Some(f) => Some(Format::parse(f).ok_or_else(|| {
            let v = shown(f);
            Failure(tr(format!("--format {v}: use containerd, k3s, talos or docker"), format!("--format {v}：请使用 containerd、k3s、talos 或 docker")))
        })?),
    };
    let assume = Assumptions {
        no_default_endpoint: yes_no(args, "--disable-default-registry-endpoint")?,
        embedded_registry: yes_no(args, "--embedded-registry")?,
        upstream_reachable: yes_no(args, "--upstream-reachable")?,
    };
    let layout = read_layout(args.positional(), "import", format)?;
    let imported = import(&layout.files, &Options { format, assume, ..Default::default() });
    let mut project = imported.project;
    print_report(&layout, &imported.report);
    if let Some(prefix) = args.value("--secrets-as-env") {
        let (with_refs, named) = ccb_core::secrets::literals_to_env(&project, prefix);
        project = with_refs;
        for (field, var) in named {
            let (field, var) = (shown(field), shown(var));
            complain(&tr(format!("secret {field} is now {{\"env\": \"{var}\"}}: set {var} when rendering"), format!("密钥 {field} 已写成 {{\"env\": \"{var}\"}}：渲染时请设置 {var}")));
        }
    }
    let text = ccb_core::json::project::to_string_pretty(&project) + "\n";
    let secret = ccb_core::secrets::secret_fields(&project).iter().any(|(_, s)| s.value().is_some_and(|v| !v.is_empty()));
    match args.value("--out") {
        None => {
            use std::io::Write;
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
        Some(out) => {
            write_project(Path::new(out), &text, secret)?;
            say(&tr(format!("wrote {}", shown(out)), format!("已写入 {}", shown(out))));
        }
    }
    complain(&summary(&imported.report));
    Ok(exit_code(&imported.report))
}

/// A flag that says what a tool decides outside its file: `yes` or `no`.
fn yes_no(args: &Args, flag: &str) -> Result<Option<bool>, Failure> {
    match args.value(flag) {
        None => Ok(None),
        Some("yes") => Ok(Some(true)),
        Some("no") => Ok(Some(false)),
        Some(v) => {
            let v = shown(v);
            Err(Failure(tr(format!("{flag} {v}: write yes or no"), format!("{flag} {v}：请写 yes 或 no"))))
        }
    }
}

/// Writes the project file; one holding a literal secret is created mode 0600 (and never through a link).
fn write_project(path: &Path, text: &str, secret: bool) -> Result<(), Failure> {
    use std::io::Write;
    let fail = |e: std::io::Error| {
        let (p, e) = (shown(path), shown(e.to_string()));
        Failure(tr(format!("cannot write {p}: {e}"), format!("无法写入 {p}：{e}")))
    };
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        let p = shown(path);
        return Err(Failure(tr(format!("{p} is a symbolic link: not written through"), format!("{p} 是符号链接：不会经由它写入"))));
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(if secret { 0o600 } else { 0o644 });
        let mut f = options.open(path).map_err(fail)?;
        if secret {
            // An existing file keeps its mode on open: narrow it before the secret goes in.
            f.set_permissions(fs::Permissions::from_mode(0o600)).map_err(fail)?;
        }
        f.write_all(text.as_bytes()).map_err(fail)?;
    }
    #[cfg(not(unix))]
    {
        let _ = secret;
        options.open(path).and_then(|mut f| f.write_all(text.as_bytes())).map_err(fail)?;
    }
    Ok(())
}

/// `MIN-MAX`, e.g. `1.7.0-2.3.x`.
fn parse_target(s: &str) -> Result<Target, Failure> {
    let bad = || {
        let v = shown(s);
        Failure(tr(format!("--target {v}: write the oldest and newest release, e.g. 1.7.0-2.3.x"), format!("--target {v}：请写出最旧和最新的版本，例如 1.7.0-2.3.x")))
    };
    let (min, max) = s.split_once('-').ok_or_else(bad)?;
    let t = Target { min: min.parse().map_err(|_| bad())?, max: max.parse().map_err(|_| bad())? };
    if t.min.lowest() > t.max.highest() {
        return Err(bad());
    }
    Ok(t)
}

pub fn run_lint(args: &Args) -> Result<ExitCode, Failure> {
    let target = match args.value("--target") {
        Some(t) => parse_target(t)?,
        None => Target::default(),
    };
    let layout = read_layout(args.positional(), "lint", Some(Format::Containerd))?;
    let report = ccb_core::lint::lint(&layout.files, &target);
    print_report(&layout, &report);
    say(&summary(&report));
    Ok(exit_code(&report))
}
