//! Raw DEFLATE (RFC 1951), gzip framing (RFC 1952) and CRC-32, with no dependency: the share link's `z1.` form
//! and the bundle's `.tar.gz`.
//!
//! Why not flate2/miniz: the web app ships this code, and a general-purpose codec weighed ≈ 30 KB of wasm
//! (compressor levels, streaming state, `std::io` adapters). What the page needs is small: links are at most
//! [`crate::share::MAX_JSON`] of JSON and bundles a few dozen small text files, both compressed in one call.
//! The encoder writes one block after a greedy LZ77 pass (hash chains, 32 KiB window), with Huffman codes made
//! for the data (or the fixed ones when shorter); any inflater reads it (browsers, zlib, flate2). The decoder reads every valid stream, including the
//! dynamic-Huffman ones that flate2 and zlib write (links made by earlier versions), and stops at a size limit.

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

// ---------------------------------------------------------------------------------------------------- inflate

struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u32,
    count: u32,
}

impl BitReader<'_> {
    fn bits(&mut self, n: u32) -> Result<u32, InflateError> {
        while self.count < n {
            let byte = *self.data.get(self.pos).ok_or(InflateError("the stream ends too early"))?;
            self.pos += 1;
            self.buf |= u32::from(byte) << self.count;
            self.count += 8;
        }
        let v = self.buf & ((1u32 << n) - 1);
        self.buf = if n == 32 { 0 } else { self.buf >> n };
        self.count -= n;
        Ok(v)
    }
}

/// A canonical Huffman code: how many codes of each length, and the symbols in code order.
struct Huffman {
    count: [u16; MAX_BITS + 1],
    symbol: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Result<Huffman, InflateError> {
        let mut count = [0u16; MAX_BITS + 1];
        for &l in lengths {
            count[usize::from(l)] += 1;
        }
        // Over-subscribed codes cannot be decoded; incomplete ones can (a distance code with one symbol is one).
        let mut left: i32 = 1;
        for c in &count[1..] {
            left = (left << 1) - i32::from(*c);
            if left < 0 {
                return Err(InflateError("an over-subscribed Huffman code"));
            }
        }
        let mut offs = [0u16; MAX_BITS + 2];
        for len in 1..=MAX_BITS {
            offs[len + 1] = offs[len] + count[len];
        }
        let mut symbol = vec![0u16; usize::from(offs[MAX_BITS + 1])];
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbol[usize::from(offs[usize::from(l)])] = sym as u16;
                offs[usize::from(l)] += 1;
            }
        }
        count[0] = 0;
        Ok(Huffman { count, symbol })
    }

    fn decode(&self, r: &mut BitReader) -> Result<u16, InflateError> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..=MAX_BITS {
            code |= r.bits(1)? as i32;
            let count = i32::from(self.count[len]);
            if code - count < first {
                return Ok(self.symbol[(index + (code - first)) as usize]);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(InflateError("an invalid Huffman code"))
    }
}

fn fixed_lengths() -> ([u8; 288], [u8; 30]) {
    let mut lit = [8u8; 288];
    lit[144..256].fill(9);
    lit[256..280].fill(7);
    (lit, [5u8; 30])
}

/// Decompresses a raw DEFLATE stream. Stops once the output is longer than `limit` and returns what it has
/// (`limit + 1` bytes or a little more), so a caller can refuse a bomb without inflating it.
pub fn inflate(input: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let mut r = BitReader { data: input, pos: 0, buf: 0, count: 0 };
    let mut out: Vec<u8> = Vec::new();
    loop {
        let last = r.bits(1)? == 1;
        match r.bits(2)? {
            0 => {
                // Stored: to the next byte boundary, then LEN and its complement.
                r.buf = 0;
                r.count = 0;
                let header = input.get(r.pos..r.pos + 4).ok_or(InflateError("the stream ends too early"))?;
                let len = usize::from(u16::from_le_bytes([header[0], header[1]]));
                let nlen = u16::from_le_bytes([header[2], header[3]]);
                if nlen != !(len as u16) {
                    return Err(InflateError("a stored block's length does not match its complement"));
                }
                r.pos += 4;
                let data = input.get(r.pos..r.pos + len).ok_or(InflateError("the stream ends too early"))?;
                out.extend_from_slice(data);
                r.pos += len;
            }
            1 => {
                let (lit, dist) = fixed_lengths();
                codes(&mut r, &mut out, &Huffman::new(&lit)?, &Huffman::new(&dist)?, limit)?;
            }
            2 => {
                let (lit, dist) = dynamic_codes(&mut r)?;
                codes(&mut r, &mut out, &lit, &dist, limit)?;
            }
            _ => return Err(InflateError("an invalid block type")),
        }
        if out.len() > limit || last {
            return Ok(out);
        }
    }
}

fn dynamic_codes(r: &mut BitReader) -> Result<(Huffman, Huffman), InflateError> {
    let nlit = r.bits(5)? as usize + 257;
    let ndist = r.bits(5)? as usize + 1;
    let nclen = r.bits(4)? as usize + 4;
    if nlit > 286 || ndist > 30 {
        return Err(InflateError("too many codes in a dynamic block"));
    }
    let mut clen = [0u8; 19];
    for &i in &CLEN_ORDER[..nclen] {
        clen[i] = r.bits(3)? as u8;
    }
    let clen = Huffman::new(&clen)?;
    let mut lengths = vec![0u8; nlit + ndist];
    let mut i = 0;
    while i < lengths.len() {
        let sym = clen.decode(r)?;
        let (value, repeat) = match sym {
            0..=15 => (sym as u8, 1),
            16 => {
                let prev = *lengths[..i].last().ok_or(InflateError("a repeated length with none before it"))?;
                (prev, 3 + r.bits(2)? as usize)
            }
            17 => (0, 3 + r.bits(3)? as usize),
            _ => (0, 11 + r.bits(7)? as usize),
        };
        let end = i + repeat;
        if end > lengths.len() {
            return Err(InflateError("too many code lengths"));
        }
        lengths[i..end].fill(value);
        i = end;
    }
    if lengths[256] == 0 {
        return Err(InflateError("no end-of-block code"));
    }
    Ok((Huffman::new(&lengths[..nlit])?, Huffman::new(&lengths[nlit..])?))
}

fn codes(r: &mut BitReader, out: &mut Vec<u8>, lit: &Huffman, dist: &Huffman, limit: usize) -> Result<(), InflateError> {
    loop {
        let sym = usize::from(lit.decode(r)?);
        if sym < 256 {
            out.push(sym as u8);
        } else if sym == 256 {
            return Ok(());
        } else {
            let i = sym - 257;
            if i >= LENGTH_BASE.len() {
                return Err(InflateError("an invalid length code"));
            }
            let len = usize::from(LENGTH_BASE[i]) + r.bits(u32::from(LENGTH_EXTRA[i]))? as usize;
            let d = usize::from(dist.decode(r)?);
            if d >= DIST_BASE.len() {
                return Err(InflateError("an invalid distance code"));
            }
            let back = usize::from(DIST_BASE[d]) + r.bits(u32::from(DIST_EXTRA[d]))? as usize;
            if back > out.len() {
                return Err(InflateError("a distance before the start of the output"));
            }
            let start = out.len() - back;
            for k in 0..len {
                out.push(out[start + k]);
            }
        }
        if out.len() > limit {
            return Ok(());
        }
    }
}

// ---------------------------------------------------------------------------------------------------- deflate

struct BitWriter {
    out: Vec<u8>,
    buf: u64,
    count: u32,
}

impl BitWriter {
    fn new(capacity: usize) -> BitWriter {
        BitWriter { out: Vec::with_capacity(capacity), buf: 0, count: 0 }
    }

    /// Writes the low `n` bits of `v`, first bit first.
    fn put(&mut self, v: u32, n: u32) {
        self.buf |= u64::from(v) << self.count;
        self.count += n;
        while self.count >= 8 {
            self.out.push(self.buf as u8);
            self.buf >>= 8;
            self.count -= 8;
        }
    }

    /// A Huffman code `(code, length)`, which DEFLATE packs starting from its most significant bit.
    fn code(&mut self, (code, len): (u32, u8)) {
        let len = u32::from(len);
        if len > 0 {
            self.put(code.reverse_bits() >> (32 - len), len);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.out.push(self.buf as u8);
        }
        self.out
    }
}

const WINDOW: usize = 32 * 1024;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
const HASH_BITS: u32 = 15;
/// How many earlier positions with the same hash are tried: enough for the repeated shapes of a project's JSON.
const MAX_CHAIN: usize = 64;

#[derive(Clone, Copy)]
enum Token {
    Literal(u8),
    /// A copy of `len` bytes from `dist` bytes back.
    Match { len: u16, dist: u16 },
}

fn hash3(data: &[u8], i: usize) -> usize {
    let v = u32::from(data[i]) | u32::from(data[i + 1]) << 8 | u32::from(data[i + 2]) << 16;
    (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
}

/// Index of the last entry of `base` that is at most `v`.
fn bucket(base: &[u16], v: u16) -> usize {
    base.iter().rposition(|&b| b <= v).unwrap_or(0)
}

/// Greedy LZ77: at each position the longest earlier match within the window (hash chains), else a literal.
fn lz77(data: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(data.len() / 4 + 1);
    let mut head = vec![u32::MAX; 1 << HASH_BITS];
    let mut prev = vec![u32::MAX; WINDOW];
    let insert = |head: &mut Vec<u32>, prev: &mut Vec<u32>, i: usize| {
        if i + MIN_MATCH <= data.len() {
            let h = hash3(data, i);
            prev[i % WINDOW] = head[h];
            head[h] = i as u32;
        }
    };
    let mut i = 0;
    while i < data.len() {
        let (mut best_len, mut best_dist) = (0, 0);
        if i + MIN_MATCH <= data.len() {
            let max = MAX_MATCH.min(data.len() - i);
            let mut cand = head[hash3(data, i)];
            let mut chain = MAX_CHAIN;
            while cand != u32::MAX && chain > 0 {
                let c = cand as usize;
                if i - c >= WINDOW {
                    break;
                }
                let probe = best_len.min(max - 1);
                if data[c + probe] == data[i + probe] {
                    let len = data[c..c + max].iter().zip(&data[i..i + max]).take_while(|(a, b)| a == b).count();
                    if len > best_len {
                        best_len = len;
                        best_dist = i - c;
                        if len == max {
                            break;
                        }
                    }
                }
                // Positions in the window are never overwritten, so the chain only goes back in time.
                let next = prev[c % WINDOW];
                if next == u32::MAX || next as usize >= c {
                    break;
                }
                cand = next;
                chain -= 1;
            }
        }
        if best_len >= MIN_MATCH {
            tokens.push(Token::Match { len: best_len as u16, dist: best_dist as u16 });
            for k in i..i + best_len {
                insert(&mut head, &mut prev, k);
            }
            i += best_len;
        } else {
            tokens.push(Token::Literal(data[i]));
            insert(&mut head, &mut prev, i);
            i += 1;
        }
    }
    tokens
}

/// Huffman code lengths for `freq`, none longer than `max_bits`: Huffman's construction, with the frequencies
/// flattened (halved, kept above zero) until the deepest code fits. Unused symbols get length 0; a lone symbol 1.
fn code_lengths(freq: &[u32], max_bits: u8) -> Vec<u8> {
    let mut freq = freq.to_vec();
    loop {
        let lens = huffman_lengths(&freq);
        if lens.iter().all(|&l| l <= max_bits) {
            return lens;
        }
        for f in freq.iter_mut().filter(|f| **f > 0) {
            *f = (*f >> 1) | 1;
        }
    }
}

fn huffman_lengths(freq: &[u32]) -> Vec<u8> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut lens = vec![0u8; freq.len()];
    // Node ids: the symbols, then the inner nodes in the order they are made.
    let mut parent = vec![usize::MAX; freq.len()];
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> =
        freq.iter().enumerate().filter(|(_, &f)| f > 0).map(|(s, &f)| Reverse((u64::from(f), s))).collect();
    if heap.len() == 1 {
        let Reverse((_, s)) = heap.pop().expect("one symbol");
        lens[s] = 1;
        return lens;
    }
    while heap.len() > 1 {
        let (Some(Reverse((fa, a))), Some(Reverse((fb, b)))) = (heap.pop(), heap.pop()) else { break };
        let id = parent.len();
        parent.push(usize::MAX);
        parent[a] = id;
        parent[b] = id;
        heap.push(Reverse((fa + fb, id)));
    }
    for (s, len) in lens.iter_mut().enumerate() {
        if freq[s] > 0 {
            let (mut depth, mut n) = (0u8, s);
            while parent[n] != usize::MAX {
                n = parent[n];
                depth += 1;
            }
            *len = depth;
        }
    }
    lens
}

/// The canonical codes (RFC 1951 3.2.2) of the given lengths, as `(code, length)` per symbol.
fn canonical(lens: &[u8]) -> Vec<(u32, u8)> {
    let mut count = [0u32; MAX_BITS + 1];
    for &l in lens {
        count[usize::from(l)] += 1;
    }
    count[0] = 0;
    let mut first = [0u32; MAX_BITS + 1];
    let mut code = 0u32;
    for bits in 1..=MAX_BITS {
        code = (code + count[bits - 1]) << 1;
        first[bits] = code;
    }
    lens.iter()
        .map(|&l| {
            if l == 0 {
                (0, 0)
            } else {
                let c = first[usize::from(l)];
                first[usize::from(l)] += 1;
                (c, l)
            }
        })
        .collect()
}

fn write_tokens(w: &mut BitWriter, tokens: &[Token], lit: &[(u32, u8)], dist: &[(u32, u8)]) {
    for t in tokens {
        match *t {
            Token::Literal(b) => w.code(lit[usize::from(b)]),
            Token::Match { len, dist: d } => {
                let l = bucket(&LENGTH_BASE, len);
                w.code(lit[257 + l]);
                w.put(u32::from(len - LENGTH_BASE[l]), u32::from(LENGTH_EXTRA[l]));
                let k = bucket(&DIST_BASE, d);
                w.code(dist[k]);
                w.put(u32::from(d - DIST_BASE[k]), u32::from(DIST_EXTRA[k]));
            }
        }
    }
    w.code(lit[256]);
}

/// The code lengths of a dynamic block, run-length coded: `(symbol, extra bits, extra bit count)`.
fn rle_lengths(lens: &[u8]) -> Vec<(u8, u8, u8)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lens.len() {
        let l = lens[i];
        let run = lens[i..].iter().take_while(|&&x| x == l).count();
        if l == 0 && run >= 11 {
            let n = run.min(138);
            out.push((18, (n - 11) as u8, 7));
            i += n;
        } else if l == 0 && run >= 3 {
            let n = run.min(10);
            out.push((17, (n - 3) as u8, 3));
            i += n;
        } else if l != 0 && run >= 4 {
            out.push((l, 0, 0));
            let n = (run - 1).min(6);
            out.push((16, (n - 3) as u8, 2));
            i += 1 + n;
        } else {
            out.push((l, 0, 0));
            i += 1;
        }
    }
    out
}

fn dynamic_block(tokens: &[Token]) -> Vec<u8> {
    let mut lit_freq = [0u32; 286];
    let mut dist_freq = [0u32; 30];
    lit_freq[256] = 1;
    for t in tokens {
        match *t {
            Token::Literal(b) => lit_freq[usize::from(b)] += 1,
            Token::Match { len, dist } => {
                lit_freq[257 + bucket(&LENGTH_BASE, len)] += 1;
                dist_freq[bucket(&DIST_BASE, dist)] += 1;
            }
        }
    }
    if dist_freq.iter().all(|&f| f == 0) {
        // A block without matches still gives one distance code (of one bit).
        dist_freq[0] = 1;
    }
    let lit_lens = code_lengths(&lit_freq, 15);
    let dist_lens = code_lengths(&dist_freq, 15);
    let nlit = 257 + lit_lens[257..].iter().rposition(|&l| l > 0).map_or(0, |p| p + 1);
    let ndist = 1 + dist_lens.iter().rposition(|&l| l > 0).unwrap_or(0);
    let all: Vec<u8> = lit_lens[..nlit].iter().chain(&dist_lens[..ndist]).copied().collect();
    let rle = rle_lengths(&all);
    let mut clen_freq = [0u32; 19];
    for &(sym, _, _) in &rle {
        clen_freq[usize::from(sym)] += 1;
    }
    let clen_lens = code_lengths(&clen_freq, 7);
    let clen_codes = canonical(&clen_lens);
    let nclen = 4.max(1 + CLEN_ORDER.iter().rposition(|&i| clen_lens[i] > 0).unwrap_or(0));

    let mut w = BitWriter::new(tokens.len() + 64);
    w.put(1, 1); // the last block
    w.put(2, 2); // dynamic codes
    w.put((nlit - 257) as u32, 5);
    w.put((ndist - 1) as u32, 5);
    w.put((nclen - 4) as u32, 4);
    for &i in &CLEN_ORDER[..nclen] {
        w.put(u32::from(clen_lens[i]), 3);
    }
    for &(sym, extra, bits) in &rle {
        w.code(clen_codes[usize::from(sym)]);
        w.put(u32::from(extra), u32::from(bits));
    }
    write_tokens(&mut w, tokens, &canonical(&lit_lens), &canonical(&dist_lens));
    w.finish()
}

fn fixed_block(tokens: &[Token]) -> Vec<u8> {
    let (lit, dist) = fixed_lengths();
    let mut w = BitWriter::new(tokens.len() + 16);
    w.put(1, 1); // the last block
    w.put(1, 2); // fixed codes
    write_tokens(&mut w, tokens, &canonical(&lit), &canonical(&dist));
    w.finish()
}

/// Compresses `data` as one raw DEFLATE block: greedy LZ77 matches, then Huffman codes made for this data, or
/// the fixed codes when those come out shorter (short inputs, where the code tables would cost more).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let tokens = lz77(data);
    let fixed = fixed_block(&tokens);
    let dynamic = dynamic_block(&tokens);
    if dynamic.len() < fixed.len() {
        dynamic
    } else {
        fixed
    }
}

// ---------------------------------------------------------------------------------------------------- gzip

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
        assert!(cut.len() > 1000 && cut.len() < 1000 + MAX_MATCH + 1, "{}", cut.len());
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
