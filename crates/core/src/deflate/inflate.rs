//! Reading raw DEFLATE: every block type, with a limit on the output.

use super::{fixed_lengths, InflateError, CLEN_ORDER, DIST_BASE, DIST_EXTRA, LENGTH_BASE, LENGTH_EXTRA, MAX_BITS};

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
