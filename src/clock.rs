//! The impure edges: wall clock and CSPRNG. The core takes explicit timestamps and nonces;
//! these supply the defaults when the caller gives none.
//!
//! ```
//! use apisign::clock;
//!
//! // 2020-01-01T00:00:00Z in milliseconds: any clock that is set is past it.
//! assert!(clock::now_ms() > 1_577_836_800_000);
//! assert!(clock::now_secs() > 1_577_836_800);
//! let nonce = clock::random_nonce()?;
//! assert_eq!(nonce.len(), 32);
//! assert!(nonce.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
//! assert_ne!(nonce, clock::random_nonce()?);
//! assert!(clock::random_int_nonce()? >= 0);
//! # Ok::<(), apisign::Error>(())
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, ErrorKind, Result};

/// Milliseconds since the Unix epoch (0 if the clock is before 1970).
///
/// See the example in [the module docs](crate::clock).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Seconds since the Unix epoch (0 if the clock is before 1970).
///
/// See the example in [the module docs](crate::clock).
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `N` bytes from the operating system's CSPRNG.
fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| {
        Error::new(
            ErrorKind::Rng,
            format!("the OS random generator failed: {e}"),
        )
    })?;
    Ok(bytes)
}

/// 32 lowercase hex characters (128 bits) from the operating system's CSPRNG.
///
/// See the example in [the module docs](crate::clock).
pub fn random_nonce() -> Result<String> {
    Ok(hex::encode(random_bytes::<16>()?))
}

/// A random non-negative integer nonce (for schemes that send the nonce as a JSON integer).
///
/// See the example in [the module docs](crate::clock).
pub fn random_int_nonce() -> Result<i64> {
    Ok(i64::from(u32::from_le_bytes(random_bytes()?) & 0x7fff_ffff))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_32_hex_and_differ() {
        let a = random_nonce().unwrap();
        let b = random_nonce().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
        assert_ne!(a, b);
    }

    #[test]
    fn clock_is_after_2020() {
        assert!(now_ms() > 1_577_836_800_000);
        assert!(now_secs() > 1_577_836_800);
        assert!(random_int_nonce().unwrap() >= 0);
    }
}
