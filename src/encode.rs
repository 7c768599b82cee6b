//! Digest output to text without intermediate heap buffers: a 32-byte digest becomes its hex or
//! base64 string with exactly one allocation (the returned `String`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Lowercase hex of `bytes` (at most 32).
pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    let mut buf = [0u8; 64];
    let out = &mut buf[..bytes.len() * 2];
    // Cannot fail: `out` is exactly twice the input length.
    if hex::encode_to_slice(bytes, out).is_err() {
        unreachable!("hex buffer sized to input");
    }
    // hex output is ASCII.
    String::from_utf8_lossy(out).into_owned()
}

/// Standard base64 (with padding) of `bytes` (at most 32).
pub(crate) fn base64_std(bytes: &[u8]) -> String {
    let mut buf = [0u8; 44];
    match STANDARD.encode_slice(bytes, &mut buf) {
        Ok(n) => String::from_utf8_lossy(&buf[..n]).into_owned(),
        Err(_) => STANDARD.encode(bytes),
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
    }
}
