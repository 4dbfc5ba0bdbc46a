//! The bundle as a `.tar.gz`, built in memory (the browser download and the CLI share it).

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::render::Rendered;

/// Top-level folder inside the archive.
pub const ARCHIVE_ROOT: &str = "containerd-bundle";

/// A reproducible tar.gz of every file: every entry dated `mtime` (seconds since 1970), owner root, each file's
/// own mode.
///
/// The pure core has no clock, so the caller says when the bundle was made (the page passes the time of the
/// download): extracted files dated 1970-01-01 looked broken and sorted wrong. The same time gives the same bytes.
pub fn tar_gz(r: &Rendered, mtime: u64) -> Vec<u8> {
    let gz = GzEncoder::new(Vec::new(), Compression::best());
    let mut tar = tar::Builder::new(gz);
    let mut dirs: Vec<String> = Vec::new();
    for f in &r.files {
        // Directory entries first, so that tools which do not create parents still extract cleanly.
        let mut acc = String::new();
        for part in f.path.split('/').take(f.path.split('/').count().saturating_sub(1)) {
            acc = if acc.is_empty() { part.to_string() } else { format!("{acc}/{part}") };
            if !dirs.contains(&acc) {
                dirs.push(acc.clone());
                let mut h = tar::Header::new_ustar();
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(0o755);
                h.set_size(0);
                h.set_mtime(mtime);
                tar.append_data(&mut h, format!("{ARCHIVE_ROOT}/{acc}/"), std::io::empty()).expect("in-memory write");
            }
        }
        let mut h = tar::Header::new_ustar();
        h.set_mode(f.mode);
        h.set_size(f.content.len() as u64);
        h.set_mtime(mtime);
        h.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut h, format!("{ARCHIVE_ROOT}/{}", f.path), f.content.as_bytes()).expect("in-memory write");
    }
    let gz = tar.into_inner().expect("in-memory write");
    let mut gz = gz;
    gz.flush().expect("in-memory write");
    gz.finish().expect("in-memory write")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use flate2::read::GzDecoder;
    use std::io::Read;

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
        let mut archive = tar::Archive::new(GzDecoder::new(&bytes[..]));
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
