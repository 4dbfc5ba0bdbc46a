//! Raw DEFLATE (RFC 1951), gzip framing (RFC 1952) and CRC-32, with no dependency: the share link's `z1.` form
//! and the bundle's `.tar.gz`.
//!
//! Why not flate2/miniz: the web app ships this code, and a general-purpose codec weighed ≈ 30 KB of wasm
//! (compressor levels, streaming state, `std::io` adapters). What the page needs is small: links are at most
//! [`crate::share::MAX_JSON`] of JSON and bundles a few dozen small text files, both compressed in one call.
//! The encoder ([`encode`]) writes one block after a greedy LZ77 pass (hash chains, 32 KiB window), with Huffman
//! codes made for the data (or the fixed ones when shorter); any inflater reads it (browsers, zlib, flate2). The
//! decoder ([`inflate`]) reads every valid stream, including the dynamic-Huffman ones that flate2 and zlib write
//! (links made by earlier versions), and stops at a size limit.

/// Why a stream could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InflateError(pub &'static str);

impl std::fmt::Display for InflateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

const LENGTH_BASE: [u16; 29] =
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA: [u8; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/// The order in which a dynamic block gives the code lengths of the code-length alphabet.
const CLEN_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
const MAX_BITS: usize = 15;

/// The code lengths of the fixed Huffman codes (RFC 1951 3.2.6): literal/length, distance.
fn fixed_lengths() -> ([u8; 288], [u8; 30]) {
    let mut lit = [8u8; 288];
    lit[144..256].fill(9);
    lit[256..280].fill(7);
    (lit, [5u8; 30])
}

mod encode;
mod inflate;

pub use encode::deflate;
pub use inflate::inflate;

/// CRC-32 (IEEE 802.3, as gzip uses it).
pub fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (n, slot) in table.iter_mut().enumerate() {
        let mut c = n as u32;
        for _ in 0..8 {
            c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
        *slot = c;
    }
    !data.iter().fold(!0u32, |c, &b| table[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8))
}

/// `data` as a gzip member: no name, no timestamp (the tar entries carry the dates), so equal input gives equal
/// bytes.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    // Magic, deflate, no flags, mtime 0, no extra flags, OS "unknown".
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    out.extend_from_slice(&deflate(data));
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::encode::{code_lengths, dynamic_block, fixed_block, lz77};
    use super::*;
    use std::io::{Read, Write};

    fn samples() -> Vec<Vec<u8>> {
        let json: String = (0..500)
            .map(|i| format!(r#"{{"upstream":"r{i}.example.com","endpoints":[{{"url":"https://m{i}.example.com"}}]}},"#))
            .collect();
        let mut noise = Vec::new();
        let mut x: u32 = 12345;
        for _ in 0..70_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            noise.push((x >> 16) as u8);
        }
        vec![
            Vec::new(),
            b"a".to_vec(),
            b"abcabcabcabcabcabc".to_vec(),
            vec![b' '; 100_000],
            json.into_bytes(),
            noise,
            "中文，：；（）".repeat(300).into_bytes(),
        ]
    }

    #[test]
    fn what_we_deflate_any_inflater_reads_back() {
        for s in samples() {
            let tokens = lz77(&s);
            for (kind, z) in [("fixed", fixed_block(&tokens)), ("dynamic", dynamic_block(&tokens)), ("chosen", deflate(&s))] {
                let mut back = Vec::new();
                flate2::read::DeflateDecoder::new(&z[..]).read_to_end(&mut back).unwrap();
                assert_eq!(back, s, "flate2 reads our {kind} stream ({} bytes)", s.len());
                assert_eq!(inflate(&z, usize::MAX).unwrap(), s, "and so do we ({kind})");
            }
        }
    }

    #[test]
    fn we_inflate_what_zlib_writes_at_every_level() {
        for s in samples() {
            for level in [0, 1, 6, 9] {
                let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
                enc.write_all(&s).unwrap();
                let z = enc.finish().unwrap();
                assert_eq!(inflate(&z, usize::MAX).unwrap(), s, "level {level}, {} bytes", s.len());
            }
        }
    }

    #[test]
    fn repeated_json_compresses_about_as_well_as_zlib() {
        // Share links are this JSON: a longer link is what a user would notice.
        let json = &samples()[4];
        let z = deflate(json);
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(json).unwrap();
        let best = enc.finish().unwrap().len();
        assert!(z.len() * 100 <= best * 115, "{} bytes → ours {}, zlib's best {best}", json.len(), z.len());
    }

    #[test]
    fn code_lengths_fit_their_limit_and_make_a_prefix_code() {
        // Fibonacci frequencies give the deepest Huffman tree: 30 symbols would need 29 bits unflattened.
        let mut freq = vec![1u32, 1];
        while freq.len() < 30 {
            let n = freq.len();
            freq.push(freq[n - 1] + freq[n - 2]);
        }
        for max in [7u8, 15] {
            let lens = code_lengths(&freq, max);
            assert!(lens.iter().all(|&l| (1..=max).contains(&l)), "{lens:?}");
            let kraft: f64 = lens.iter().map(|&l| 0.5f64.powi(i32::from(l))).sum();
            assert!(kraft <= 1.0, "{kraft}");
        }
        assert_eq!(code_lengths(&[0, 5, 0], 15), vec![0, 1, 0]);
    }

    #[test]
    fn inflating_stops_at_the_limit_and_refuses_damage() {
        let z = deflate(&vec![b' '; 1 << 20]);
        let cut = inflate(&z, 1000).unwrap();
        assert!(cut.len() > 1000 && cut.len() < 1000 + 258 + 1, "{}", cut.len());
        assert!(inflate(&[], 10).is_err());
        assert!(inflate(&[0x07], 10).is_err(), "block type 3");
        assert!(inflate(&z[..z.len() / 2], usize::MAX).is_err(), "cut off");
        // Every prefix and every one-byte change of a stream either reads or says why: nothing panics.
        let z = deflate(&samples()[4]);
        for n in 0..z.len().min(400) {
            let _ = inflate(&z[..n], 1 << 20);
            let mut bad = z.clone();
            bad[n] ^= 0x5a;
            let _ = inflate(&bad, 1 << 20);
        }
    }

    #[test]
    fn gzip_reads_back_with_its_checksum() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        for s in samples() {
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&gzip(&s)[..]).read_to_end(&mut back).unwrap();
            assert_eq!(back, s);
        }
    }
}
