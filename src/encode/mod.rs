//! Every encoder in one place: digests to hex and base64 (in stack buffers), bytes to text,
//! and URL scanning ([`url`]). Each handles any input length (nothing is cut) and is checked
//! against a reference (the `hex`/`base64` crates, a byte-at-a-time scan) by its tests and by
//! the `encoders` fuzz target.
//!
//! Digest output to text in stack buffers: a digest becomes an inline [`HeaderValue`] without
//! touching the heap (a `String` here would cost more than the hashing it follows).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

pub(crate) mod url;

use crate::signature::{HeaderValue, INLINE_VALUE_LEN};

/// Two lowercase hex digits per byte value.
static HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    t
};

/// Lowercase hex of `bytes`: inline for digests up to 32 bytes, on the heap beyond (a
/// SHA-512 digest is hex-encoded whole, never cut to 32 bytes).
///
/// A pair table (one load and one 2-byte store per byte): on 16–32-byte digests
/// `hex::encode_to_slice` measured about 3x slower, which showed in every hex signature.
pub(crate) fn hex_lower(bytes: &[u8]) -> HeaderValue {
    if bytes.len() > INLINE_VALUE_LEN / 2 {
        return HeaderValue::from(hex::encode(bytes));
    }
    let mut buf = [0u8; INLINE_VALUE_LEN];
    for (pair, &b) in buf.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    HeaderValue::new(std::str::from_utf8(&buf[..bytes.len() * 2]).unwrap_or_default())
}

/// Standard base64 (with padding) of a digest (at most 48 bytes).
///
/// A table loop for digests, like [`hex_lower`]: the `base64` crate's engine set-up cost about
/// 300 instructions for a 32-byte HMAC, a measurable share of a short token from Python.
pub(crate) fn base64_std(bytes: &[u8]) -> HeaderValue {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if bytes.len() > 48 {
        return HeaderValue::from(STANDARD.encode(bytes));
    }
    let mut buf = [0u8; 64];
    let mut n = 0;
    let mut groups = bytes.chunks_exact(3);
    for g in &mut groups {
        let v = u32::from(g[0]) << 16 | u32::from(g[1]) << 8 | u32::from(g[2]);
        buf[n] = ALPHABET[(v >> 18) as usize & 63];
        buf[n + 1] = ALPHABET[(v >> 12) as usize & 63];
        buf[n + 2] = ALPHABET[(v >> 6) as usize & 63];
        buf[n + 3] = ALPHABET[v as usize & 63];
        n += 4;
    }
    match *groups.remainder() {
        [a] => {
            let v = u32::from(a) << 16;
            buf[n] = ALPHABET[(v >> 18) as usize & 63];
            buf[n + 1] = ALPHABET[(v >> 12) as usize & 63];
            buf[n + 2] = b'=';
            buf[n + 3] = b'=';
            n += 4;
        }
        [a, b] => {
            let v = u32::from(a) << 16 | u32::from(b) << 8;
            buf[n] = ALPHABET[(v >> 18) as usize & 63];
            buf[n + 1] = ALPHABET[(v >> 12) as usize & 63];
            buf[n + 2] = ALPHABET[(v >> 6) as usize & 63];
            buf[n + 3] = b'=';
            n += 4;
        }
        _ => {}
    }
    HeaderValue::new(std::str::from_utf8(&buf[..n]).unwrap_or_default())
}

/// `bytes` as text, invalid UTF-8 replaced by U+FFFD. Valid input (the usual case) is checked
/// with `str::from_utf8`, which validates ASCII a word at a time; `String::from_utf8_lossy`
/// walks byte by byte and cost a 1 KiB raw-body MD5 signature as much as a third of
/// its MD5.
pub(crate) fn utf8_lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_reference_crates() {
        let d: Vec<u8> = (0u8..32).map(|i| i.wrapping_mul(37)).collect();
        assert_eq!(hex_lower(&d), hex::encode(&d));
        assert_eq!(base64_std(&d), STANDARD.encode(&d));
        assert_eq!(hex_lower(&d[..16]), hex::encode(&d[..16]));
        assert_eq!(base64_std(b""), "");
        let big = [7u8; 60];
        assert_eq!(base64_std(&big), STANDARD.encode(big));
        let all: Vec<u8> = (0u8..=255).collect();
        // Every length, past the inline size too (SHA-384/512 digests are 48/64 bytes).
        for len in [0, 1, 15, 16, 31, 32, 33, 48, 64, 65, 200] {
            assert_eq!(
                hex_lower(&all[..len]),
                hex::encode(&all[..len]),
                "len {len}"
            );
        }
        for len in 0..=48 {
            for start in [0, 100, 207] {
                let b = &all[start..start + len];
                assert_eq!(base64_std(b), STANDARD.encode(b), "len {len}");
            }
        }
    }

    #[test]
    fn lossy_text_like_std() {
        for b in [
            &b"plain ascii"[..],
            "caf\u{e9}".as_bytes(),
            b"bad \xff\xfe end",
            b"",
        ] {
            assert_eq!(utf8_lossy(b), String::from_utf8_lossy(b));
        }
    }
}
