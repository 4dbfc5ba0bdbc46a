//! Writing raw DEFLATE: greedy LZ77, then one block with codes made for the data or the fixed ones.

use super::{fixed_lengths, CLEN_ORDER, DIST_BASE, DIST_EXTRA, LENGTH_BASE, LENGTH_EXTRA, MAX_BITS};

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
pub(super) enum Token {
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
pub(super) fn lz77(data: &[u8]) -> Vec<Token> {
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
pub(super) fn code_lengths(freq: &[u32], max_bits: u8) -> Vec<u8> {
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

pub(super) fn dynamic_block(tokens: &[Token]) -> Vec<u8> {
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

pub(super) fn fixed_block(tokens: &[Token]) -> Vec<u8> {
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
