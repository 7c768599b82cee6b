//! The impure edges for C callers: the wall clock and the OS CSPRNG, kept out of the signing
//! calls so those stay deterministic.

use super::buffer::write_out;
use super::panic::guard;
use super::result::{apisign_result, APISIGN_PANIC};

/// Milliseconds since the Unix epoch: the unit of every time on this API.
#[no_mangle]
pub extern "C" fn apisign_now_ms() -> u64 {
    guard(0, apisign::clock::now_ms)
}

/// Seconds since the Unix epoch (for callers whose own stores count seconds).
#[no_mangle]
pub extern "C" fn apisign_now_secs() -> u64 {
    guard(0, apisign::clock::now_secs)
}

/// 32 lowercase hex characters (128 bits) from the OS CSPRNG into `buf` (needs 32 bytes): a
/// nonce for schemes that send one. `APISIGN_RNG` if the OS generator fails.
#[no_mangle]
pub extern "C" fn apisign_random_nonce(
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    guard(APISIGN_PANIC, || match apisign::clock::random_nonce() {
        Ok(n) => write_out(n.as_bytes(), buf, len, out_len),
        Err(e) => e.kind().code(),
    })
}
