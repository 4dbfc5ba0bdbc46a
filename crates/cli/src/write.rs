//! Writing the bundle into `--out`: every file or none, never through a symbolic link, each file created new
//! with its final mode.
//!
//! 1. Look before writing: every path the bundle writes, and every directory on the way to it below `--out`,
//!    must be a real directory / a regular file or not exist yet. A symbolic link there would carry the write
//!    (and the chmod) to wherever it points, so it is refused by name, as is anything else in the way.
//! 2. Stage: create the missing directories, then write each file under a temporary name next to its target,
//!    created exclusively (`O_CREAT|O_EXCL` never follows a link) with its final mode, set once more on the
//!    open file so the umask cannot loosen or tighten it.
//! 3. Commit: move what was there aside, rename the new file into place. A rename replaces the directory
//!    entry: the new file is owned by whoever runs the CLI and no earlier owner, mode or hard link carries over.
//! 4. Any failure undoes everything done so far (the originals are moved back), so `--out` is as it was.
//!
//! Not covered: another process that can write into `--out` *while* the CLI runs can still swap a directory
//! for a link between the look and the write. `--out` itself, and the directories above it, are the user's
//! choice and are followed.

use std::collections::BTreeSet;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

use crate::messages::{shown, tr};

/// One file of the bundle: its path relative to `--out`, content and Unix mode.
pub struct BundleFile<'a> {
    pub path: &'a str,
    pub content: &'a [u8],
    pub mode: u32,
}

#[derive(Debug)]
pub struct Written {
    /// The files written, as `--out` joined with their bundle path.
    pub files: Vec<PathBuf>,
    /// Files (and links) in `--out` that are not part of this bundle: left alone.
    pub stale: Vec<PathBuf>,
    /// Originals moved aside that could not be removed afterwards.
    pub leftovers: Vec<PathBuf>,
}

#[derive(Debug)]
pub enum WriteError {
    /// Found before anything was written; one message per problem.
    Refused(Vec<String>),
    /// A write failed and everything done before it was undone; `not_undone` lists what could not be.
    Failed { message: String, not_undone: Vec<String> },
}

/// The step about to happen, for the tests' fault injection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Op {
    CreateDir,
    CreateFile,
    MoveAside,
    Place,
}

pub fn write_bundle(out: &Path, files: &[BundleFile]) -> Result<Written, WriteError> {
    write_bundle_with(out, files, &mut |_, _| Ok(()))
}

/// A bundle path as a relative path with only normal components: nothing can land outside `--out`.
pub fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    if path.is_empty() || p.is_absolute() || path.contains('\0') {
        return None;
    }
    p.components().all(|c| matches!(c, Component::Normal(_))).then(|| p.to_path_buf())
}

struct Target<'a> {
    /// The target's directory relative to `--out`.
    rel_dir: PathBuf,
    path: PathBuf,
    exists: bool,
    tmp: PathBuf,
    aside: PathBuf,
    file: &'a BundleFile<'a>,
}

enum State {
    Planned,
    Staged,
    /// The original is at `aside`, the new file still at `tmp`.
    Aside,
    Placed,
}

/// Like [`write_bundle`]; `before` runs ahead of every change to the file system and can make it fail.
pub(crate) fn write_bundle_with(
    out: &Path,
    files: &[BundleFile],
    before: &mut dyn FnMut(Op, &Path) -> io::Result<()>,
) -> Result<Written, WriteError> {
    let mut refusals = Vec::new();
    let refuse_link = |p: &Path| {
        let p = shown(p);
        tr(
            format!("{p} is a symbolic link: refusing to write through it (remove it, or choose another --out)"),
            format!("{p} 是符号链接：拒绝经由它写入（请删除它，或另选 --out）"),
        )
    };
    let cannot_inspect = |p: &Path, e: &io::Error| {
        let (p, e) = (shown(p), shown(e.to_string()));
        tr(format!("cannot inspect {p}: {e}"), format!("无法检查 {p}：{e}"))
    };

    // `--out` and the directories above it that do not exist yet, outermost first.
    let mut missing_root: Vec<PathBuf> = Vec::new();
    let mut at = out.to_path_buf();
    loop {
        match fs::metadata(&at) {
            Ok(m) if m.is_dir() => break,
            Ok(_) => {
                let p = shown(&at);
                refusals.push(tr(format!("{p} is not a directory"), format!("{p} 不是目录")));
                break;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if fs::symlink_metadata(&at).is_ok() {
                    let p = shown(&at);
                    refusals.push(tr(format!("{p} is a symbolic link to nothing"), format!("{p} 是指向不存在目标的符号链接")));
                    break;
                }
                missing_root.push(at.clone());
                match at.parent() {
                    Some(up) if !up.as_os_str().is_empty() => at = up.to_path_buf(),
                    _ => break,
                }
            }
            Err(e) => {
                refusals.push(cannot_inspect(&at, &e));
                break;
            }
        }
    }
    missing_root.reverse();
    let out_exists = missing_root.is_empty();

    let pid = std::process::id();
    let mut targets: Vec<Target> = Vec::new();
    let mut new_dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    'files: for (i, f) in files.iter().enumerate() {
        let Some(rel) = safe_relative(f.path) else {
            let p = shown(f.path);
            refusals.push(tr(format!("refusing to write unsafe path {p}"), format!("拒绝写入不安全的路径 {p}")));
            continue;
        };
        if !seen.insert(rel.clone()) {
            let p = shown(f.path);
            refusals.push(tr(format!("the bundle holds {p} twice"), format!("配置包中 {p} 出现了两次")));
            continue;
        }
        let parts: Vec<Component> = rel.components().collect();
        let mut path = out.to_path_buf();
        let mut exists = out_exists;
        for (k, part) in parts.iter().enumerate() {
            path.push(part);
            let last = k + 1 == parts.len();
            if exists {
                match fs::symlink_metadata(&path) {
                    Err(e) if e.kind() == io::ErrorKind::NotFound => exists = false,
                    Err(e) => {
                        refusals.push(cannot_inspect(&path, &e));
                        continue 'files;
                    }
                    Ok(m) if m.file_type().is_symlink() => {
                        refusals.push(refuse_link(&path));
                        continue 'files;
                    }
                    Ok(m) if !last && !m.is_dir() => {
                        let p = shown(&path);
                        refusals.push(tr(
                            format!("{p} is in the way: the bundle needs a directory there"),
                            format!("{p} 挡住了路径：配置包在此处需要一个目录"),
                        ));
                        continue 'files;
                    }
                    Ok(m) if last && !m.is_file() => {
                        let p = shown(&path);
                        refusals.push(tr(
                            format!("{p} is in the way: it is not a regular file (a directory or special file)"),
                            format!("{p} 挡住了路径：它不是普通文件（而是目录或特殊文件）"),
                        ));
                        continue 'files;
                    }
                    Ok(_) => {}
                }
            }
            if !exists && !last {
                new_dirs.insert(path.clone());
            }
        }
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        targets.push(Target {
            rel_dir: rel.parent().map(Path::to_path_buf).unwrap_or_default(),
            tmp: dir.join(format!(".ccb-{pid}-{i}.tmp")),
            aside: dir.join(format!(".ccb-{pid}-{i}.old")),
            path,
            exists,
            file: f,
        });
    }
    if !refusals.is_empty() {
        return Err(WriteError::Refused(refusals));
    }

    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut states: Vec<State> = targets.iter().map(|_| State::Planned).collect();
    let result = stage_and_commit(out, &missing_root, &new_dirs, &targets, &mut created_dirs, &mut states, before);
    if let Err(message) = result {
        let not_undone = undo(&targets, &states, &created_dirs);
        return Err(WriteError::Failed { message, not_undone });
    }

    let mut leftovers = Vec::new();
    for t in targets.iter().filter(|t| t.exists) {
        if fs::remove_file(&t.aside).is_err() {
            leftovers.push(t.aside.clone());
        }
    }
    let stale = stale_files(out, &seen);
    Ok(Written { files: targets.iter().map(|t| t.path.clone()).collect(), stale, leftovers })
}

fn stage_and_commit(
    out: &Path,
    missing_root: &[PathBuf],
    new_dirs: &BTreeSet<PathBuf>,
    targets: &[Target],
    created_dirs: &mut Vec<PathBuf>,
    states: &mut [State],
    before: &mut dyn FnMut(Op, &Path) -> io::Result<()>,
) -> Result<(), String> {
    let failed = |what: &Path, e: io::Error| {
        let (p, e) = (shown(what), shown(e.to_string()));
        tr(format!("cannot write {p}: {e}"), format!("无法写入 {p}：{e}"))
    };
    // BTreeSet order puts a directory before the directories inside it.
    for dir in missing_root.iter().chain(new_dirs) {
        before(Op::CreateDir, dir).and_then(|_| fs::create_dir(dir)).map_err(|e| failed(dir, e))?;
        created_dirs.push(dir.clone());
    }
    for (t, state) in targets.iter().zip(states.iter_mut()) {
        before(Op::CreateFile, &t.tmp).map_err(|e| failed(&t.path, e))?;
        let mut f = OpenOptions::new().write(true).create_new(true).mode(t.file.mode).open(&t.tmp).map_err(|e| failed(&t.path, e))?;
        *state = State::Staged;
        f.write_all(t.file.content).map_err(|e| failed(&t.path, e))?;
        // The umask only narrows the mode given at creation; fchmod sets it exactly.
        f.set_permissions(fs::Permissions::from_mode(t.file.mode)).map_err(|e| failed(&t.path, e))?;
        let mode = f.metadata().map_err(|e| failed(&t.path, e))?.permissions().mode() & 0o7777;
        if mode != t.file.mode {
            let p = shown(&t.path);
            return Err(tr(
                format!("cannot give {p} mode {:o}: it has {mode:o}", t.file.mode),
                format!("无法把 {p} 的权限设为 {:o}：实际为 {mode:o}", t.file.mode),
            ));
        }
        f.sync_all().map_err(|e| failed(&t.path, e))?;
    }
    // Every staged file must still sit where the look said: a directory swapped for a link since then would
    // show here. (The renames below never follow a link in their last component.)
    let real_out = fs::canonicalize(out).map_err(|e| failed(out, e))?;
    for t in targets {
        let dir = t.tmp.parent().unwrap_or(out);
        if fs::canonicalize(dir).map_err(|e| failed(&t.path, e))? != real_out.join(&t.rel_dir) {
            let d = shown(dir);
            return Err(tr(
                format!("{d} changed while the bundle was being written: a symbolic link appeared on the way"),
                format!("写入配置包期间 {d} 发生了变化：路径上出现了符号链接"),
            ));
        }
    }
    for (t, state) in targets.iter().zip(states.iter_mut()) {
        if t.exists {
            before(Op::MoveAside, &t.path).and_then(|_| fs::rename(&t.path, &t.aside)).map_err(|e| failed(&t.path, e))?;
            *state = State::Aside;
        }
        before(Op::Place, &t.path).and_then(|_| fs::rename(&t.tmp, &t.path)).map_err(|e| failed(&t.path, e))?;
        *state = State::Placed;
    }
    Ok(())
}

/// Puts `--out` back as it was: originals back in place, new files and directories removed. Returns what
/// could not be undone.
fn undo(targets: &[Target], states: &[State], created_dirs: &[PathBuf]) -> Vec<String> {
    let mut not_undone = Vec::new();
    let mut note = |r: io::Result<()>, p: &Path| {
        if let Err(e) = r {
            not_undone.push(format!("{}: {}", shown(p), shown(e.to_string())));
        }
    };
    for (t, state) in targets.iter().zip(states).rev() {
        match state {
            State::Planned => {}
            State::Staged => note(fs::remove_file(&t.tmp), &t.tmp),
            State::Aside => {
                note(fs::rename(&t.aside, &t.path), &t.path);
                note(fs::remove_file(&t.tmp), &t.tmp);
            }
            State::Placed if t.exists => note(fs::rename(&t.aside, &t.path), &t.path),
            State::Placed => note(fs::remove_file(&t.path), &t.path),
        }
    }
    for d in created_dirs.iter().rev() {
        note(fs::remove_dir(d), d);
    }
    not_undone
}

/// Everything in `out` that is not a directory and not one of `bundle` (relative paths), sorted; links are
/// listed, never followed.
fn stale_files(out: &Path, bundle: &BTreeSet<PathBuf>) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, bundle: &BTreeSet<PathBuf>, found: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(m) = fs::symlink_metadata(&p) else { continue };
            if m.is_dir() {
                walk(root, &p, bundle, found);
            } else if !p.strip_prefix(root).is_ok_and(|rel| bundle.contains(rel)) {
                found.push(p);
            }
        }
    }
    let mut found = Vec::new();
    walk(out, out, bundle, &mut found);
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn bundle() -> Vec<BundleFile<'static>> {
        vec![
            BundleFile { path: "config-fragment.toml", content: b"new fragment\n", mode: 0o600 },
            BundleFile { path: "certs.d/docker.io/hosts.toml", content: b"new hosts\n", mode: 0o644 },
            BundleFile { path: "certs.d/quay.io/hosts.toml", content: b"new quay\n", mode: 0o644 },
            BundleFile { path: "install.sh", content: b"#!/bin/sh\n", mode: 0o700 },
        ]
    }

    /// Path → (mode, content, inode) of everything under `root`.
    fn state(root: &Path) -> BTreeMap<PathBuf, (u32, Vec<u8>, u64)> {
        use std::os::unix::fs::MetadataExt;
        let mut out = BTreeMap::new();
        let mut todo = vec![root.to_path_buf()];
        while let Some(d) = todo.pop() {
            for e in fs::read_dir(&d).unwrap().flatten() {
                let m = fs::symlink_metadata(e.path()).unwrap();
                let content = if m.is_file() { fs::read(e.path()).unwrap() } else { Vec::new() };
                if m.is_dir() {
                    todo.push(e.path());
                }
                out.insert(e.path().strip_prefix(root).unwrap().to_path_buf(), (m.mode() & 0o7777, content, m.ino()));
            }
        }
        out
    }

    fn old_bundle(root: &Path) {
        fs::create_dir_all(root.join("certs.d/docker.io")).unwrap();
        fs::write(root.join("config-fragment.toml"), "old fragment\n").unwrap();
        fs::write(root.join("certs.d/docker.io/hosts.toml"), "old hosts\n").unwrap();
        fs::write(root.join("install.sh"), "old script\n").unwrap();
        fs::write(root.join("notes.txt"), "mine\n").unwrap();
    }

    #[test]
    fn a_failure_at_any_step_leaves_out_exactly_as_it_was() {
        // Count the steps of a clean run, then fail at each one in turn.
        let t = tempfile::tempdir().unwrap();
        old_bundle(t.path());
        let mut steps = Vec::new();
        write_bundle_with(t.path(), &bundle(), &mut |op, _| {
            steps.push(op);
            Ok(())
        })
        .unwrap();
        for op in [Op::CreateDir, Op::CreateFile, Op::MoveAside, Op::Place] {
            assert!(steps.contains(&op), "{steps:?}");
        }
        for (fail_at, step) in steps.iter().enumerate() {
            let t = tempfile::tempdir().unwrap();
            old_bundle(t.path());
            let before = state(t.path());
            let mut n = 0;
            let r = write_bundle_with(t.path(), &bundle(), &mut |_, _| {
                n += 1;
                if n == fail_at + 1 {
                    Err(io::Error::other("injected"))
                } else {
                    Ok(())
                }
            });
            match r {
                Err(WriteError::Failed { message, not_undone }) => {
                    assert!(message.contains("injected"), "{message}");
                    assert!(not_undone.is_empty(), "{not_undone:?}");
                }
                other => panic!("step {fail_at} ({step:?}): {other:?}"),
            }
            // Same files, same content and modes, and the very same inodes: the originals were moved back.
            assert_eq!(state(t.path()), before, "after a failure at step {fail_at} ({step:?})");
        }
    }

    #[test]
    fn a_new_out_directory_is_removed_again_after_a_failure() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("a/b/out");
        let mut n = 0;
        let r = write_bundle_with(&out, &bundle(), &mut |op, _| {
            n += 1;
            if op == Op::Place && n > 8 {
                Err(io::Error::other("injected"))
            } else {
                Ok(())
            }
        });
        assert!(matches!(r, Err(WriteError::Failed { .. })), "{r:?}");
        assert!(fs::read_dir(t.path()).unwrap().next().is_none(), "left {:?}", state(t.path()));
    }

    #[test]
    fn a_folder_swapped_for_a_link_while_writing_stops_the_commit() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("out");
        old_bundle(&out);
        let elsewhere = t.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        let before = state(&out);
        // Just before the last file is staged, certs.d/docker.io becomes a link to another folder.
        let r = write_bundle_with(&out, &bundle(), &mut |op, path| {
            if op == Op::CreateFile && path.ends_with(format!(".ccb-{}-3.tmp", std::process::id())) {
                fs::rename(out.join("certs.d/docker.io"), elsewhere.join("docker.io"))?;
                std::os::unix::fs::symlink(elsewhere.join("docker.io"), out.join("certs.d/docker.io"))?;
            }
            Ok(())
        });
        match r {
            Err(WriteError::Failed { message, .. }) => assert!(message.contains("symbolic link appeared"), "{message}"),
            other => panic!("{other:?}"),
        }
        // Nothing was placed: the old files are untouched (behind the link too) and no temporary file is left.
        assert_eq!(fs::read(elsewhere.join("docker.io/hosts.toml")).unwrap(), b"old hosts\n");
        assert_eq!(fs::read_dir(elsewhere.join("docker.io")).unwrap().count(), 1);
        let after = state(&out);
        for f in ["config-fragment.toml", "install.sh", "notes.txt"] {
            assert_eq!(after[Path::new(f)], before[Path::new(f)], "{f}");
        }
        assert!(!out.join("certs.d/quay.io").exists());
    }

    #[test]
    fn success_replaces_files_and_lists_the_stale_ones() {
        let t = tempfile::tempdir().unwrap();
        old_bundle(t.path());
        let w = write_bundle(t.path(), &bundle()).unwrap();
        assert_eq!(w.stale, vec![t.path().join("notes.txt")]);
        assert!(w.leftovers.is_empty());
        let s = state(t.path());
        assert_eq!(s[Path::new("config-fragment.toml")].0, 0o600);
        assert_eq!(s[Path::new("install.sh")].0, 0o700);
        assert_eq!(s[Path::new("certs.d/quay.io/hosts.toml")].1, b"new quay\n");
        assert_eq!(s[Path::new("notes.txt")].1, b"mine\n");
        // No temporary or moved-aside file is left.
        assert_eq!(s.len(), 8, "{:?}", s.keys().collect::<Vec<_>>());
    }

    #[test]
    fn unsafe_and_duplicate_paths_are_refused_before_anything_is_written() {
        let t = tempfile::tempdir().unwrap();
        let files = [
            BundleFile { path: "ok.txt", content: b"x", mode: 0o644 },
            BundleFile { path: "../escape", content: b"x", mode: 0o644 },
            BundleFile { path: "/abs", content: b"x", mode: 0o644 },
            BundleFile { path: "ok.txt", content: b"y", mode: 0o644 },
        ];
        match write_bundle(t.path(), &files) {
            Err(WriteError::Refused(r)) => assert_eq!(r.len(), 3, "{r:?}"),
            other => panic!("{other:?}"),
        }
        assert!(fs::read_dir(t.path()).unwrap().next().is_none());
    }
}
