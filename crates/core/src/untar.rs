//! Reading a `.tar.gz` of `/etc/containerd` (the page's "Open your files"): gzip framing over the core's own
//! [`crate::deflate::inflate`], and a ustar reader as small as the writer in [`crate::archive`] (plain files,
//! directories, pax `path` records and GNU long names; links and devices are skipped, as the CLI's import does
//! not follow links either). Bounded: at most [`MAX_BYTES`] unpacked and [`MAX_ENTRIES`] entries, so a hostile
//! archive costs little. [`layout_root`] finds the layout's root in the paths of an archive or a chosen folder.

#[cfg(any(not(target_arch = "wasm32"), feature = "deflate"))]
use crate::deflate::{crc32, inflate};

/// The most an archive may unpack to (an /etc/containerd is a few dozen small text files).
pub const MAX_BYTES: usize = 16 << 20;
/// The most entries an archive may hold.
pub const MAX_ENTRIES: usize = 10_000;

const BLOCK: usize = 512;

/// Why an archive could not be read (English; the page says it in its own words around it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveError(pub String);

/// The data of a gzip file (RFC 1952): one member, its CRC-32 and length checked.
#[cfg(any(not(target_arch = "wasm32"), feature = "deflate"))]
pub fn gunzip(data: &[u8], limit: usize) -> Result<Vec<u8>, ArchiveError> {
    let bad = |what: &str| ArchiveError(what.to_string());
    if data.len() < 18 || data[0] != 0x1f || data[1] != 0x8b {
        return Err(bad("not a gzip file"));
    }
    if data[2] != 8 {
        return Err(bad("gzip with an unknown compression method"));
    }
    let flags = data[3];
    let mut at = 10;
    if flags & 4 != 0 {
        let n = usize::from(*data.get(at).ok_or_else(|| bad("cut short"))?) | usize::from(*data.get(at + 1).ok_or_else(|| bad("cut short"))?) << 8;
        at += 2 + n;
    }
    for bit in [8u8, 16] {
        if flags & bit != 0 {
            let end = data.get(at..).and_then(|r| r.iter().position(|&b| b == 0)).ok_or_else(|| bad("cut short"))?;
            at += end + 1;
        }
    }
    if flags & 2 != 0 {
        at += 2;
    }
    if at + 8 > data.len() {
        return Err(bad("cut short"));
    }
    let out = inflate(&data[at..data.len() - 8], limit).map_err(|e| ArchiveError(format!("damaged gzip data: {e}")))?;
    let trailer = &data[data.len() - 8..];
    let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    if crc != crc32(&out) || size != out.len() as u32 {
        return Err(bad("damaged gzip data (checksum)"));
    }
    Ok(out)
}

fn octal(field: &[u8]) -> Option<u64> {
    // base-256 (GNU) for large values: high bit set.
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        return field[1..].iter().try_fold(u64::from(field[0] & 0x7f), |v, &b| v.checked_mul(256).map(|v| v + u64::from(b)));
    }
    let text: Vec<u8> = field.iter().copied().take_while(|&b| b != 0).filter(|b| *b != b' ').collect();
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(std::str::from_utf8(&text).ok()?, 8).ok()
}

fn name(field: &[u8]) -> String {
    String::from_utf8_lossy(&field[..field.iter().position(|&b| b == 0).unwrap_or(field.len())]).into_owned()
}

/// The `path` record of a pax extended header, if any.
fn pax_path(data: &[u8]) -> Option<String> {
    let mut rest = data;
    while !rest.is_empty() {
        let space = rest.iter().position(|&b| b == b' ')?;
        let len: usize = std::str::from_utf8(&rest[..space]).ok()?.parse().ok()?;
        let record = rest.get(space + 1..len)?;
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        if let Some(v) = record.strip_prefix(b"path=") {
            return Some(String::from_utf8_lossy(v).into_owned());
        }
        rest = &rest[len..];
    }
    None
}

/// The plain files of a ustar archive, `(path, bytes)` in archive order (paths as written, `./` and `/` at the
/// start removed).
pub fn read_tar(data: &[u8]) -> Result<Vec<(String, Vec<u8>)>, ArchiveError> {
    let mut files = Vec::new();
    let mut at = 0;
    let mut long_name: Option<String> = None;
    let mut total = 0usize;
    for _ in 0..MAX_ENTRIES {
        let Some(h) = data.get(at..at + BLOCK) else {
            // No end-of-archive blocks: what was read is kept (GNU tar warns the same way).
            return Ok(files);
        };
        if h.iter().all(|&b| b == 0) {
            return Ok(files);
        }
        let sum: u64 = h.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { u64::from(b) }).sum();
        if octal(&h[148..156]) != Some(sum) {
            return Err(ArchiveError(format!("not a tar archive (bad header checksum at byte {at})")));
        }
        let size = octal(&h[124..136]).ok_or_else(|| ArchiveError(format!("bad entry size at byte {at}")))? as usize;
        let start = at + BLOCK;
        let body = data.get(start..start.saturating_add(size)).ok_or_else(|| ArchiveError("cut short".into()))?;
        total = total.saturating_add(size);
        if total > MAX_BYTES {
            return Err(ArchiveError(format!("more than {} MiB unpacked", MAX_BYTES >> 20)));
        }
        at = start + size.div_ceil(BLOCK) * BLOCK;
        let mut path = match &h[257..262] {
            b"ustar" => {
                let prefix = name(&h[345..500]);
                let n = name(&h[..100]);
                if prefix.is_empty() { n } else { format!("{prefix}/{n}") }
            }
            _ => name(&h[..100]),
        };
        match h[156] {
            b'x' => {
                long_name = pax_path(body).or(long_name);
                continue;
            }
            b'L' => {
                long_name = Some(name(body));
                continue;
            }
            b'0' | 0 | b'7' => {
                if let Some(n) = long_name.take() {
                    path = n;
                }
                let path = path.trim_start_matches("./").trim_start_matches('/').to_string();
                if !path.is_empty() && !path.ends_with('/') {
                    files.push((path, body.to_vec()));
                }
            }
            _ => long_name = None,
        }
    }
    Err(ArchiveError(format!("more than {MAX_ENTRIES} entries")))
}

/// The files of a `.tar.gz`, paths relative to the layout's root ([`layout_root`]).
#[cfg(any(not(target_arch = "wasm32"), feature = "deflate"))]
pub fn read_tar_gz(data: &[u8]) -> Result<Vec<(String, Vec<u8>)>, ArchiveError> {
    let tar = gunzip(data, MAX_BYTES + MAX_ENTRIES * 2 * BLOCK)?;
    Ok(layout_root(read_tar(&tar)?))
}

/// In the page's wasm (no `deflate` feature) archives are read by the tools module, which has the feature: the
/// importer's code is compiled there too but never called, and this keeps it compiling without the inflater.
#[cfg(all(target_arch = "wasm32", not(feature = "deflate")))]
pub fn read_tar_gz(_: &[u8]) -> Result<Vec<(String, Vec<u8>)>, ArchiveError> {
    Err(ArchiveError("no gzip reader in this module".into()))
}

/// The paths made relative to the layout's root: the folder around everything (`etc/`, `containerd/`, the
/// chosen folder's own name) is removed while every file is inside it, but never `certs.d/` itself nor a
/// registry's folder (whose `hosts.toml` would lose its registry name).
pub fn layout_root(mut files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    loop {
        let Some(first) = files.first().and_then(|(p, _)| p.split_once('/')).map(|(d, _)| d.to_string()) else { return files };
        let all_inside = files.iter().all(|(p, _)| p.split_once('/').is_some_and(|(d, rest)| d == first && !rest.is_empty()));
        // A file right inside `first` that belongs to a registry's folder: `first` is that folder.
        let would_lose_name = files.iter().any(|(p, _)| {
            p.split_once('/').is_some_and(|(_, rest)| !rest.contains('/') && (rest == "hosts.toml" || [".crt", ".cert", ".key", ".pem"].iter().any(|e| rest.ends_with(e))))
        });
        if !all_inside || first == "certs.d" || would_lose_name {
            return files;
        }
        for (p, _) in &mut files {
            *p = p[first.len() + 1..].to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
        files.iter().map(|(p, _)| p.as_str()).collect()
    }

    fn paths(list: &[&str]) -> Vec<(String, Vec<u8>)> {
        list.iter().map(|p| (p.to_string(), Vec::new())).collect()
    }

    #[test]
    fn the_bundle_archive_reads_back_file_for_file() {
        let p = crate::load::project_from_json(r#"{"registries":[{"upstream":"docker.io","endpoints":[{"url":"https://mirror.example.com"}]}]}"#).unwrap();
        let r = crate::render::render(&p);
        let read = read_tar(&gunzip(&crate::archive::tar_gz(&r, 1_700_000_000), MAX_BYTES).unwrap()).unwrap();
        let expected: Vec<(String, Vec<u8>)> =
            r.files.iter().map(|f| (format!("{}/{}", crate::archive::ARCHIVE_ROOT, f.path), f.content.as_bytes().to_vec())).collect();
        assert_eq!(read, expected);
        // The bundle's folder is the root: its certs.d/ … stay as they are.
        let rooted = read_tar_gz(&crate::archive::tar_gz(&r, 0)).unwrap();
        assert!(names(&rooted).contains(&"certs.d/docker.io/hosts.toml"), "{:?}", names(&rooted));
    }

    #[test]
    fn the_root_is_found_around_etc_containerd_but_never_inside_a_registry_folder() {
        let etc = layout_root(paths(&["etc/containerd/config.toml", "etc/containerd/certs.d/docker.io/hosts.toml"]));
        assert_eq!(names(&etc), ["config.toml", "certs.d/docker.io/hosts.toml"]);
        let dot = layout_root(paths(&["containerd/certs.d/_default/hosts.toml"]));
        assert_eq!(names(&dot), ["certs.d/_default/hosts.toml"]);
        let certs = layout_root(paths(&["certs.d/docker.io/hosts.toml", "certs.d/quay.io/hosts.toml"]));
        assert_eq!(names(&certs), ["certs.d/docker.io/hosts.toml", "certs.d/quay.io/hosts.toml"]);
        let one = layout_root(paths(&["docker.io/hosts.toml", "docker.io/ca.crt"]));
        assert_eq!(names(&one), ["docker.io/hosts.toml", "docker.io/ca.crt"], "the registry's name stays");
        let chosen = layout_root(paths(&["my-certs/docker.io/hosts.toml", "my-certs/quay.io/hosts.toml"]));
        assert_eq!(names(&chosen), ["docker.io/hosts.toml", "quay.io/hosts.toml"], "a chosen certs.d folder of any name");
    }

    #[test]
    fn damaged_or_hostile_archives_are_refused_without_a_panic() {
        let p = crate::load::project_from_json(r#"{"registries":[{"upstream":"docker.io","endpoints":[{"url":"https://m.example.com"}]}]}"#).unwrap();
        let good = crate::archive::tar_gz(&crate::render::render(&p), 0);
        for end in [0, 10, 20, good.len() / 2, good.len() - 1] {
            assert!(read_tar_gz(&good[..end]).is_err(), "cut at {end}");
        }
        let mut flipped = good.clone();
        let i = flipped.len() - 5;
        flipped[i] ^= 1;
        assert!(read_tar_gz(&flipped).is_err(), "length trailer changed");
        assert!(read_tar_gz(b"config.toml").unwrap_err().0.contains("not a gzip"));
        let tar = crate::archive::tar(&crate::render::render(&p), 0);
        let mut bad = tar.clone();
        bad[0] ^= 1;
        assert!(read_tar(&bad).unwrap_err().0.contains("checksum"));
        // A size field claiming more than there is.
        let mut big = tar[..BLOCK].to_vec();
        big[124..136].copy_from_slice(b"77777777777\0");
        big[148..156].fill(b' ');
        let sum: u64 = big.iter().map(|&b| u64::from(b)).sum();
        big[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        assert!(read_tar(&big).is_err());
    }

    #[test]
    fn long_paths_come_back_from_their_pax_record() {
        let long = format!("etc/containerd/certs.d/{}.example.com/hosts.toml", "a".repeat(120));
        let p = crate::load::project_from_json(&format!(r#"{{"registries":[{{"upstream":"{}.example.com","endpoints":[{{"url":"https://m.example.com"}}]}}]}}"#, "a".repeat(120))).unwrap();
        let files = read_tar(&crate::archive::tar(&crate::render::render(&p), 0)).unwrap();
        assert!(names(&files).iter().any(|n| n.ends_with(&long["etc/containerd/".len()..])), "{:?}", names(&files));
    }
}
