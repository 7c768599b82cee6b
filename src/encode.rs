//! Digest output to text in stack buffers: a digest becomes an inline [`HeaderValue`] without
//! touching the heap (a `String` here would cost more than the hashing it follows).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::signature::HeaderValue;

/// Lowercase hex of a digest (at most 32 bytes).
///
/// A table loop rather than `hex::encode_to_slice`: on 16–32-byte digests that crate's
/// iterator-based encoder measured about 3x slower, which showed in every jetlinks signature.
pub(crate) fn hex_lower(bytes: &[u8]) -> HeaderValue {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; 64];
    let bytes = &bytes[..bytes.len().min(32)];
    for (pair, &b) in buf.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(b >> 4)];
        pair[1] = DIGITS[usize::from(b & 15)];
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

/// `bytes` as text, invalid UTF-8 replaced by U+FFFD. Valid input (the usual case) is checked
/// with `str::from_utf8`, which validates ASCII a word at a time; `String::from_utf8_lossy`
/// walks byte by byte and cost a JetLinks 1 KiB raw-body signature as much as a third of
/// its MD5.
pub(crate) fn utf8_lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}
