//! Digest output to text in stack buffers: a digest becomes an inline [`HeaderValue`] without
//! touching the heap (a `String` here would cost more than the hashing it follows).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

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

/// Lowercase hex of a digest (at most 32 bytes).
///
/// A pair table (one load and one 2-byte store per byte): on 16–32-byte digests
/// `hex::encode_to_slice` measured about 3x slower, which showed in every jetlinks signature.
pub(crate) fn hex_lower(bytes: &[u8]) -> HeaderValue {
    let bytes = &bytes[..bytes.len().min(INLINE_VALUE_LEN / 2)];
    let mut buf = [0u8; INLINE_VALUE_LEN];
    for (pair, &b) in buf.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    HeaderValue::new(std::str::from_utf8(&buf[..bytes.len() * 2]).unwrap_or_default())
}

/// Standard base64 (with padding) of a digest (at most 48 bytes).
pub(crate) fn base64_std(bytes: &[u8]) -> HeaderValue {
    let mut buf = [0u8; 64];
    match STANDARD.encode_slice(bytes, &mut buf) {
        Ok(n) => HeaderValue::new(std::str::from_utf8(&buf[..n]).unwrap_or_default()),
        Err(_) => HeaderValue::from(STANDARD.encode(bytes)),
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
    }
}
