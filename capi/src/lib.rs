//! The C ABI of apisign (crate `apisign-capi`, installed as `libapisign`), in the style of
//! rustls-ffi. `include/apisign.h` is generated from these files by cbindgen
//! (`capi/cbindgen.toml`).
//!
//! One API for every scheme: a scheme id (`APISIGN_SCHEME_*`) and named parameters
//! (`apisign_param`, the names of the scheme's spec in the core) build a signer, a credential
//! or a verifier; every time is milliseconds since the epoch. Only `platforms.rs` names a
//! platform (the id constants and the few calls one platform has).
//!
//! Conventions, for every export:
//! - inputs are `(const uint8_t *ptr, size_t len)`; NULL with length 0 is the empty input;
//! - objects are opaque handles created by `apisign_*_new`/`*_parse` through an out-pointer and
//!   freed by the matching `*_free`, which accepts NULL;
//! - outputs go to caller-allocated buffers `(uint8_t *buf, size_t len, size_t *out_len)`; when
//!   `len` is too small nothing is written, `*out_len` gets the size needed and the call returns
//!   `APISIGN_BUFFER_TOO_SMALL` (so `buf = NULL, len = 0` asks for the size);
//! - fallible calls return an `apisign_result` (`uint32_t`, 0 = OK, codes never reused) and take
//!   an optional `apisign_error **err` for a detailed message; there is no thread-local "last
//!   error";
//! - every export catches panics (`APISIGN_PANIC`); nothing unwinds into the caller.
//!
//! Thread safety: every handle is immutable after creation and may be used from several threads
//! at once; only `*_free` needs exclusive access (no other call on that handle in flight).
#![allow(unsafe_code)]
// Exports take raw pointers by design (that is the C ABI); each dereference is checked for NULL
// and documented in the header. Marking them `unsafe fn` would add nothing for C callers.
#![allow(clippy::not_unsafe_ptr_arg_deref)]
// C-style signatures: (ptr, len) pairs make long parameter lists.
#![allow(clippy::too_many_arguments)]

mod buffer;
mod clock;
mod credentials;
mod error;
mod handle;
mod input;
mod keys;
mod lifetime;
mod middleware;
mod nonce_store;
mod panic;
mod param;
mod platforms;
mod request;
mod result;
mod signature;
mod signer;
mod verify;

pub use clock::*;
pub use credentials::*;
pub use error::{
    apisign_error, apisign_error_code, apisign_error_free, apisign_error_message,
    apisign_error_platform_code, apisign_error_status,
};
pub use keys::*;
pub use lifetime::*;
pub use middleware::*;
pub use nonce_store::*;
pub use param::apisign_param;
pub use platforms::*;
pub use request::apisign_request;
pub use result::*;
pub use signature::*;
pub use signer::*;
pub use verify::*;

/// Major version of the library this header belongs to.
pub const APISIGN_VERSION_MAJOR: u32 = 0;
/// Minor version.
pub const APISIGN_VERSION_MINOR: u32 = 1;
/// Patch version.
pub const APISIGN_VERSION_PATCH: u32 = 0;
/// The full version, `MAJOR.MINOR.PATCH`.
pub const APISIGN_VERSION_STRING: &str = "0.1.0";

/// The version of the linked library as a NUL-terminated static string (compare with
/// `APISIGN_VERSION_STRING` to detect a header/library mismatch). Never free it.
#[no_mangle]
pub extern "C" fn apisign_version() -> *const std::ffi::c_char {
    panic::guard(c"".as_ptr(), || {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}

// Every handle is shared across threads by C and Go callers: prove they may be.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<apisign_signer>();
    send_sync::<apisign_private_key>();
    send_sync::<apisign_public_key>();
    send_sync::<apisign_signature>();
    send_sync::<apisign_error>();
    send_sync::<apisign_credentials>();
    send_sync::<apisign_verifier>();
    send_sync::<apisign_verified>();
    send_sync::<apisign_verifier_builder>();
    send_sync::<apisign_nonce_store>();
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_macros_match_cargo_toml() {
        assert_eq!(
            APISIGN_VERSION_MAJOR.to_string(),
            env!("CARGO_PKG_VERSION_MAJOR")
        );
        assert_eq!(
            APISIGN_VERSION_MINOR.to_string(),
            env!("CARGO_PKG_VERSION_MINOR")
        );
        assert_eq!(
            APISIGN_VERSION_PATCH.to_string(),
            env!("CARGO_PKG_VERSION_PATCH")
        );
        assert_eq!(APISIGN_VERSION_STRING, env!("CARGO_PKG_VERSION"));
        // SAFETY: apisign_version returns a static NUL-terminated string.
        let v = unsafe { std::ffi::CStr::from_ptr(apisign_version()) };
        assert_eq!(v.to_str().unwrap(), APISIGN_VERSION_STRING);
    }

    #[test]
    fn committed_header_has_this_version() {
        let header = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/apisign.h"),
        )
        .expect("include/apisign.h is committed");
        assert!(header.contains(&format!(
            "#define APISIGN_VERSION_STRING \"{}\"",
            env!("CARGO_PKG_VERSION")
        )));
    }
}
