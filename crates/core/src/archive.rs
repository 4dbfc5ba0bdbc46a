//! The bundle as a `.tar.gz`, built in memory: a ustar archive written here (a few dozen lines instead of the
//! `tar` crate's general reader and writer in the web app's wasm), gzipped by [`crate::deflate`] natively and in
//! the tools module ([`tar_gz`]), by the browser's `CompressionStream("gzip")` in the page ([`tar`], then
//! `src/browser.rs`): the same tar either way, so the same files.

#[cfg(any(not(target_arch = "wasm32"), feature = "deflate"))]
use crate::deflate::gzip;
use crate::render::Rendered;

/// Top-level folder inside the archive.
pub const ARCHIVE_ROOT: &str = "containerd-bundle";

const BLOCK: usize = 512;

/// A reproducible tar.gz of every file: every entry dated `mtime` (seconds since 1970), owner root, each file's
/// own mode.
///
/// The pure core has no clock, so the caller says when the bundle was made (the page passes the time of the
/// download): extracted files dated 1970-01-01 looked broken and sorted wrong. The same time gives the same bytes.
#[cfg(any(not(target_arch = "wasm32"), feature = "deflate"))]
pub fn tar_gz(r: &Rendered, mtime: u64) -> Vec<u8> {
    gzip(&tar(r, mtime))
}

/// The uncompressed ustar archive of [`tar_gz`].
pub fn tar(r: &Rendered, mtime: u64) -> Vec<u8> {
    tar_of(&format!("{ARCHIVE_ROOT}/"), r.files.iter().map(|f| (f.path.as_str(), f.mode, f.content.as_bytes())), mtime)
}

/// A tar of `(path, mode, bytes)` files (relative paths), dated as [`tar_gz`]'s: the files an export ships
/// beside its YAML, at their paths on the node.
pub fn tar_files<'a>(files: impl IntoIterator<Item = (&'a str, u32, &'a [u8])>, mtime: u64) -> Vec<u8> {
    tar_of("", files, mtime)
}

/// [`tar_files`], gzipped.
#[cfg(any(not(target_arch = "wasm32"), feature = "deflate"))]
pub fn tar_gz_files<'a>(files: impl IntoIterator<Item = (&'a str, u32, &'a [u8])>, mtime: u64) -> Vec<u8> {
    gzip(&tar_files(files, mtime))
}

/// The entries of `files` under `root` (empty, or a folder name with its `/`).
fn tar_of<'a>(root: &str, files: impl IntoIterator<Item = (&'a str, u32, &'a [u8])>, mtime: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let mut dirs: Vec<String> = Vec::new();
    for (path, mode, data) in files {
        // Directory entries first, so that tools which do not create parents still extract cleanly.
        let mut acc = String::new();
        for part in path.split('/').take(path.split('/').count().saturating_sub(1)) {
            acc = if acc.is_empty() { part.to_string() } else { format!("{acc}/{part}") };
            if !dirs.contains(&acc) {
                dirs.push(acc.clone());
                entry(&mut out, &format!("{root}{acc}/"), b'5', 0o755, mtime, b"");
            }
        }
        entry(&mut out, &format!("{root}{path}"), b'0', mode, mtime, data);
    }
    // The end of the archive: two empty blocks.
    out.resize(out.len() + 2 * BLOCK, 0);
    out
}

/// Appends one entry: its header (a pax `path` record first when the path fits no ustar name and prefix), then
/// its data padded to whole blocks.
fn entry(out: &mut Vec<u8>, path: &str, kind: u8, mode: u32, mtime: u64, data: &[u8]) {
    let (prefix, name) = match ustar_split(path) {
        Some(split) => split,
        None => {
            let record = pax_record("path", path);
            entry(out, "PaxHeaders/path", b'x', 0o644, mtime, record.as_bytes());
            // The ustar fields keep a cut name for readers without pax.
            ("", cut(path, 100))
        }
    };
    let mut h = [0u8; BLOCK];
    h[..name.len()].copy_from_slice(name.as_bytes());
    octal(&mut h[100..108], u64::from(mode & 0o7777));
    octal(&mut h[108..116], 0); // uid: root
    octal(&mut h[116..124], 0); // gid: root
    octal(&mut h[124..136], data.len() as u64);
    octal(&mut h[136..148], mtime);
    h[156] = kind;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[345..345 + prefix.len()].copy_from_slice(prefix.as_bytes());
    // The checksum is computed with its own field as spaces, and written as six digits, NUL, space.
    h[148..156].fill(b' ');
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    octal(&mut h[148..155], sum);
    h[155] = b' ';
    out.extend_from_slice(&h);
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
}

/// Writes `v` as zero-padded octal digits followed by a NUL, filling `field`.
fn octal(field: &mut [u8], v: u64) {
    let digits = field.len() - 1;
    let text = format!("{v:0digits$o}");
    // Only a value too large for the field (not in a bundle: files are far below 8 GiB) is cut to its low digits.
    field[..digits].copy_from_slice(&text.as_bytes()[text.len() - digits..]);
    field[digits] = 0;
}

/// ustar's two name fields: `prefix` (155 bytes) `/` `name` (100 bytes), split at a `/`.
fn ustar_split(path: &str) -> Option<(&str, &str)> {
    if path.len() <= 100 {
        return Some(("", path));
    }
    path.char_indices()
        .filter(|&(i, c)| c == '/' && i <= 155 && path.len() - i - 1 <= 100 && i + 1 < path.len())
        .map(|(i, _)| (&path[..i], &path[i + 1..]))
        .next()
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A pax extended-header record, `"<length> <key>=<value>\n"`, whose length counts its own digits.
fn pax_record(key: &str, value: &str) -> String {
    let body = key.len() + value.len() + 3; // space, '=', newline
    let mut len = body + 1;
    while len != body + len.to_string().len() {
        len = body + len.to_string().len();
    }
    format!("{len} {key}={value}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use flate2::read::GzDecoder;
    use std::io::Read;

    /// `(path, is_dir, mode, content)` of every entry, as the `tar` crate reads the archive.
    fn read(bytes: &[u8]) -> Vec<(String, bool, u32, String)> {
        let mut archive = ::tar::Archive::new(GzDecoder::new(bytes));
        archive
            .entries()
            .unwrap()
            .map(|e| {
                let mut e = e.unwrap();
                let path = e.path().unwrap().to_string_lossy().into_owned();
                let mut content = String::new();
                e.read_to_string(&mut content).unwrap();
                (path, e.header().entry_type().is_dir(), e.header().mode().unwrap(), content)
            })
            .collect()
    }

    #[test]
    fn files_archive_at_their_own_paths_with_their_parents() {
        let entries = read(&tar_gz_files([("etc/rancher/registry-ca/a.crt", 0o644, b"A".as_slice()), ("etc/rancher/registry-ca/b.crt", 0o644, b"B".as_slice())], 0));
        let got: Vec<(&str, bool)> = entries.iter().map(|e| (e.0.as_str(), e.1)).collect();
        assert_eq!(got, [("etc/", true), ("etc/rancher/", true), ("etc/rancher/registry-ca/", true), ("etc/rancher/registry-ca/a.crt", false), ("etc/rancher/registry-ca/b.crt", false)]);
        assert_eq!((entries[4].2, entries[4].3.as_str()), (0o644, "B"));
    }

    #[test]
    fn long_paths_keep_their_full_name() {
        let host = format!("{}.example.com", "a".repeat(120));
        let mut p = Project::default();
        p.registries.push(Registry {
            upstream: host.clone(),
            endpoints: vec![Endpoint { url: format!("https://{}.example.com", "m".repeat(200)), ..Default::default() }],
            ..Default::default()
        });
        let r = crate::render(&p);
        let entries = read(&tar_gz(&r, 0));
        let want = format!("{ARCHIVE_ROOT}/certs.d/{host}/hosts.toml");
        let hosts = entries.iter().find(|e| e.0 == want).unwrap_or_else(|| panic!("{want} in {entries:?}"));
        assert_eq!(hosts.3, r.file(&format!("certs.d/{host}/hosts.toml")).unwrap().content);
        assert_eq!(pax_record("path", "x"), "9 path=x\n");
        assert_eq!(pax_record("path", &"y".repeat(93)), "103 path=".to_string() + &"y".repeat(93) + "\n");
    }

    #[test]
    fn archive_holds_every_file_with_its_mode() {
        let mut p = Project::default();
        p.registries.push(Registry {
            upstream: "registry.example.com:5000".into(),
            endpoints: vec![Endpoint { url: "https://m.example.com".into(), ..Default::default() }],
            ..Default::default()
        });
        p.auth.push(Credential {
            host: "m.example.com".into(),
            method: AuthMethod::Basic { username: "u".into(), password: Secret::literal("p"), encode_as_auth: false },
        });
        let r = crate::render(&p);
        const MTIME: u64 = 1_796_083_200; // 2026-12-01T00:00:00Z
        let bytes = tar_gz(&r, MTIME);
        assert_eq!(tar_gz(&r, MTIME), bytes, "reproducible");
        let mut archive = ::tar::Archive::new(GzDecoder::new(&bytes[..]));
        let mut seen = Vec::new();
        for e in archive.entries().unwrap() {
            let mut e = e.unwrap();
            let path = e.path().unwrap().to_string_lossy().into_owned();
            assert_eq!(e.header().mtime().unwrap(), MTIME, "{path}: dated when the bundle was made, not 1970");
            if e.header().entry_type().is_dir() {
                continue;
            }
            let mut content = String::new();
            e.read_to_string(&mut content).unwrap();
            let rel = path.strip_prefix(&format!("{ARCHIVE_ROOT}/")).unwrap().to_string();
            let f = r.file(&rel).unwrap();
            assert_eq!(content, f.content);
            assert_eq!(e.header().mode().unwrap(), f.mode, "{rel}");
            seen.push(rel);
        }
        let want: Vec<String> = r.files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(seen, want);
        assert!(seen.contains(&"certs.d/registry.example.com:5000/hosts.toml".to_string()));
    }
}
