//! base64, the three ways the core reads and writes it: Go's `StdEncoding` (containerd's `auth` values, padded;
//! PEM bodies, where Go tolerates non-zero trailing bits) and the share link's URL-safe form without padding.
//!
//! Our own rather than the `base64` crate's engines: each engine configuration was its own copy of the crate's
//! generic code in the page's wasm. The tests hold every result equal to the crate's (kept as a dev-dependency)
//! for the three configurations.

/// Which 64 characters, and whether `=` pads the last group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `A–Z a–z 0–9 + /`, padded (Go's `StdEncoding`).
    Standard,
    /// `A–Z a–z 0–9 - _`, never padded (`RawURLEncoding`).
    UrlSafeNoPad,
}

/// Why a text is not base64; the texts are those the `base64` crate gave before (they appear in messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A character outside the alphabet (or padding where none may be).
    InvalidByte { offset: usize, byte: u8 },
    /// A last group of one character: no whole byte in it.
    InvalidLength(usize),
    /// The last group's unused bits are not zero (another text would encode the same bytes).
    InvalidLastSymbol { offset: usize, byte: u8 },
    /// Padding missing, or more of it than the last group needs.
    InvalidPadding,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::InvalidByte { offset, byte } => write!(f, "Invalid symbol {byte}, offset {offset}."),
            DecodeError::InvalidLength(len) => write!(f, "Invalid input length: {len}"),
            DecodeError::InvalidLastSymbol { offset, byte } => write!(f, "Invalid last symbol {byte}, offset {offset}."),
            DecodeError::InvalidPadding => f.write_str("Invalid padding"),
        }
    }
}

fn alphabet(form: Form) -> &'static [u8; 64] {
    match form {
        Form::Standard => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        Form::UrlSafeNoPad => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    }
}

fn value_of(form: Form, c: u8) -> Option<u8> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' if form == Form::Standard => 62,
        b'/' if form == Form::Standard => 63,
        b'-' if form == Form::UrlSafeNoPad => 62,
        b'_' if form == Form::UrlSafeNoPad => 63,
        _ => return None,
    };
    Some(v)
}

pub fn encode(bytes: &[u8], form: Form) -> String {
    let table = alphabet(form);
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8) | u32::from(*chunk.get(2).unwrap_or(&0));
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(char::from(table[(n >> (18 - 6 * i)) as usize & 63]));
            } else if form == Form::Standard {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes `text`. `Standard` requires canonical padding; `trailing_bits` allows non-zero unused bits in the
/// last group, as Go's decoder does (and the `auth` decoder must not, as the crate did not).
pub fn decode(text: &[u8], form: Form, trailing_bits: bool) -> Result<Vec<u8>, DecodeError> {
    // The characters before the padding; where padding starts, and how much of it there is.
    let data_len = text.iter().position(|&c| c == b'=').unwrap_or(text.len());
    let pad = text.len() - data_len;
    let mut values = Vec::with_capacity(data_len);
    for (offset, &byte) in text[..data_len].iter().enumerate() {
        values.push(value_of(form, byte).ok_or(DecodeError::InvalidByte { offset, byte })?);
    }
    if pad > 0 {
        // Padding is only ever at the end: anything after the first `=` that is not `=` is a bad byte.
        if let Some(i) = text[data_len..].iter().position(|&c| c != b'=') {
            let offset = data_len + i;
            return Err(DecodeError::InvalidByte { offset, byte: text[offset] });
        }
        if form == Form::UrlSafeNoPad {
            return Err(DecodeError::InvalidPadding);
        }
    }
    let rest = data_len % 4;
    if rest == 1 {
        return Err(DecodeError::InvalidLength(data_len));
    }
    if form == Form::Standard {
        // Canonical: exactly the padding that completes the last group.
        let wanted = if rest == 0 { 0 } else { 4 - rest };
        if pad != wanted {
            return Err(DecodeError::InvalidPadding);
        }
    }
    let mut out = Vec::with_capacity(data_len / 4 * 3 + 2);
    for group in values.chunks(4) {
        let n = group.iter().enumerate().fold(0u32, |n, (i, &v)| n | (u32::from(v) << (18 - 6 * i)));
        let bytes = group.len() - 1;
        out.extend_from_slice(&n.to_be_bytes()[1..1 + bytes]);
        if group.len() < 4 && !trailing_bits {
            // The bits of the last character that no byte uses must be zero.
            let unused = n & (0xff_ffff >> (8 * bytes));
            if unused != 0 {
                let offset = data_len - 1;
                return Err(DecodeError::InvalidLastSymbol { offset, byte: text[offset] });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD, URL_SAFE_NO_PAD};
    use ::base64::engine::DecodePaddingMode;
    use ::base64::{alphabet, Engine};
    use proptest::prelude::*;

    const GO_STD: GeneralPurpose = GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true).with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
    );

    fn configurations() -> [(Form, bool, &'static GeneralPurpose); 3] {
        [(Form::Standard, false, &STANDARD), (Form::Standard, true, &GO_STD), (Form::UrlSafeNoPad, false, &URL_SAFE_NO_PAD)]
    }

    #[test]
    fn known_values() {
        assert_eq!(encode(b"user:password", Form::Standard), "dXNlcjpwYXNzd29yZA==");
        assert_eq!(decode(b"dXNlcjpwYXNzd29yZA==", Form::Standard, false).unwrap(), b"user:password");
        assert_eq!(encode(&[0xfb, 0xff], Form::UrlSafeNoPad), "-_8");
        assert_eq!(decode(b"-_8", Form::UrlSafeNoPad, false).unwrap(), [0xfb, 0xff]);
        assert_eq!(decode(b"dXNlcjpwYXNzd29yZA", Form::Standard, false), Err(DecodeError::InvalidPadding));
        assert_eq!(decode(b"dXN-", Form::Standard, false), Err(DecodeError::InvalidByte { offset: 3, byte: b'-' }));
        assert_eq!(decode(b"dXNlc", Form::UrlSafeNoPad, false), Err(DecodeError::InvalidLength(5)));
        // "QR==" leaves bits of R unused; Go accepts it, the strict decoder does not.
        assert_eq!(decode(b"QR==", Form::Standard, true).unwrap(), b"A");
        assert_eq!(decode(b"QR==", Form::Standard, false), Err(DecodeError::InvalidLastSymbol { offset: 1, byte: b'R' }));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        /// Bytes written by each form are what the crate writes.
        #[test]
        fn encoding_equals_the_crates(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(encode(&bytes, Form::Standard), STANDARD.encode(&bytes));
            prop_assert_eq!(encode(&bytes, Form::UrlSafeNoPad), URL_SAFE_NO_PAD.encode(&bytes));
        }

        /// Any text (base64 letters of both alphabets, padding, spaces, other bytes): decoded to the same bytes
        /// as the crate decodes it, or refused where it is refused.
        #[test]
        fn decoding_equals_the_crates(text in proptest::collection::vec(prop_oneof![
            8 => proptest::sample::select(b"ABCQRSabcxyz0189+/-_".to_vec()),
            2 => Just(b'='),
            1 => any::<u8>(),
        ], 0..24)) {
            for (form, trailing, engine) in configurations() {
                let ours = decode(&text, form, trailing);
                let theirs = engine.decode(&text);
                prop_assert_eq!(ours.as_ref().ok(), theirs.as_ref().ok(), "{:?} trailing={} on {:?}: {:?} vs {:?}", form, trailing, String::from_utf8_lossy(&text), ours, theirs);
            }
        }

        /// Well-formed input in every form round-trips, and damaging one character is noticed or decodes like the crate.
        #[test]
        fn valid_text_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            for (form, trailing, engine) in configurations() {
                let text = encode(&bytes, form);
                prop_assert_eq!(decode(text.as_bytes(), form, trailing).unwrap(), bytes.clone());
                prop_assert_eq!(engine.decode(&text).unwrap(), bytes.clone());
            }
        }
    }
}
