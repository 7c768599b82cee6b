//! Result codes of the C ABI and their messages.
//!
//! 0 is success. 1000–8999 are the core's `ErrorKind::code()`s (the same numbers the Go and
//! Python bindings report: 1000s for signing and input errors, 2000s for verification
//! rejections); 9000–9999 are FFI-only conditions. Codes are never reused: a retired code keeps
//! its number and its message forever.

use apisign::error::ErrorKind;

use super::buffer::write_out;
use super::panic::guard;

/// A result code: `APISIGN_OK` (0) or one of the `APISIGN_*` error codes below.
#[allow(non_camel_case_types)]
pub type apisign_result = u32;

/// Success.
pub const APISIGN_OK: apisign_result = 0;
/// A caller-supplied value is missing or malformed (the error message names it).
pub const APISIGN_INVALID_INPUT: apisign_result = 1000;
/// A query or form key whose first occurrence has no `=` (`?flag`; `?flag=1&flag` is fine): a
/// server of a scheme signing params fails on it.
pub const APISIGN_BARE_QUERY_KEY: apisign_result = 1001;
/// A malformed `%` escape in a path, query or form body.
pub const APISIGN_INVALID_ESCAPE: apisign_result = 1002;
/// The URL cannot be split into a path and a query.
pub const APISIGN_INVALID_URL: apisign_result = 1003;
/// A body that the scheme signs as JSON is not a JSON object.
pub const APISIGN_INVALID_JSON: apisign_result = 1004;
/// RSA key material that cannot be parsed or is too weak.
pub const APISIGN_BAD_KEY: apisign_result = 1005;
/// An input exceeds a documented size or count limit.
pub const APISIGN_INPUT_TOO_LARGE: apisign_result = 1006;
/// The operating system's random generator failed.
pub const APISIGN_RNG: apisign_result = 1007;
/// A cryptographic operation failed unexpectedly.
pub const APISIGN_CRYPTO: apisign_result = 1008;
/// Verification: a required auth header is missing or empty.
pub const APISIGN_MISSING_AUTH: apisign_result = 2000;
/// Verification: an auth header is malformed (bad timestamp, nonce length, duplicate header…).
pub const APISIGN_MALFORMED_AUTH: apisign_result = 2001;
/// Verification: the caller id is not in the credential store.
pub const APISIGN_UNKNOWN_CALLER: apisign_result = 2002;
/// Verification: the scope (dataset) is not known.
pub const APISIGN_UNKNOWN_DATASET: apisign_result = 2003;
/// Verification: the caller may not access this dataset.
pub const APISIGN_ACCESS_DENIED: apisign_result = 2004;
/// Verification: the timestamp is too old or too far in the future.
pub const APISIGN_TIMESTAMP_OUT_OF_WINDOW: apisign_result = 2005;
/// Verification: the signature does not match.
pub const APISIGN_SIGNATURE_INVALID: apisign_result = 2006;
/// Verification: the nonce was already used (a replay).
pub const APISIGN_NONCE_REUSED: apisign_result = 2007;
/// Verification: the nonce store is full; the request was refused, not admitted.
pub const APISIGN_NONCE_STORE_FULL: apisign_result = 2008;
/// Verification: the nonce store cannot be reached.
pub const APISIGN_NONCE_STORE_UNAVAILABLE: apisign_result = 2009;
/// Verification: the caller is authentic but its address is not in its allow-list (or the
/// client address is unknown while it has one).
pub const APISIGN_IP_NOT_ALLOWED: apisign_result = 2010;
/// A pointer argument that must not be NULL was NULL (or NULL with a non-zero length).
pub const APISIGN_NULL_POINTER: apisign_result = 9000;
/// The output buffer is too small; `*out_len` holds the size needed. Nothing was written.
pub const APISIGN_BUFFER_TOO_SMALL: apisign_result = 9001;
/// A text argument is not valid UTF-8.
pub const APISIGN_INVALID_UTF8: apisign_result = 9002;
/// apisign panicked (a bug; please report it). No output was produced.
pub const APISIGN_PANIC: apisign_result = 9003;
/// An index is past the end of a list.
pub const APISIGN_INDEX_OUT_OF_RANGE: apisign_result = 9004;
/// A header name is not in the signature.
pub const APISIGN_NOT_FOUND: apisign_result = 9005;

/// `(code, short name, message)` for every code, in code order.
pub(crate) const CODES: &[(apisign_result, &str, &str)] = &[
    (APISIGN_OK, "ok", "success"),
    (
        APISIGN_INVALID_INPUT,
        "invalid_input",
        "a caller-supplied value is missing or malformed",
    ),
    (
        APISIGN_BARE_QUERY_KEY,
        "bare_query_key",
        "a query or form key first appears without '='; send it as key= (the server fails on a bare key)",
    ),
    (
        APISIGN_INVALID_ESCAPE,
        "invalid_escape",
        "a '%' is not followed by two hex digits; write a literal '%' as %25",
    ),
    (
        APISIGN_INVALID_URL,
        "invalid_url",
        "the URL is neither a path starting with '/' nor an absolute http(s) URL",
    ),
    (
        APISIGN_INVALID_JSON,
        "invalid_json",
        "the body must be a JSON object",
    ),
    (
        APISIGN_BAD_KEY,
        "bad_key",
        "the RSA key cannot be parsed or is too weak",
    ),
    (
        APISIGN_INPUT_TOO_LARGE,
        "input_too_large",
        "an input exceeds a documented size or count limit",
    ),
    (
        APISIGN_RNG,
        "rng",
        "the operating system's random generator failed",
    ),
    (
        APISIGN_CRYPTO,
        "crypto",
        "a cryptographic operation failed unexpectedly",
    ),
    (
        APISIGN_MISSING_AUTH,
        "missing_auth",
        "a required auth header is missing or empty",
    ),
    (
        APISIGN_MALFORMED_AUTH,
        "malformed_auth",
        "an auth header is malformed",
    ),
    (
        APISIGN_UNKNOWN_CALLER,
        "unknown_caller",
        "the caller is not in the credential store",
    ),
    (
        APISIGN_UNKNOWN_DATASET,
        "unknown_dataset",
        "the dataset is not known",
    ),
    (
        APISIGN_ACCESS_DENIED,
        "access_denied",
        "the caller may not access this dataset",
    ),
    (
        APISIGN_TIMESTAMP_OUT_OF_WINDOW,
        "timestamp_out_of_window",
        "the timestamp is outside the accepted window; sign again with the current time",
    ),
    (
        APISIGN_SIGNATURE_INVALID,
        "signature_invalid",
        "the signature does not match the request",
    ),
    (
        APISIGN_NONCE_REUSED,
        "nonce_reused",
        "the nonce was already used (a replay)",
    ),
    (
        APISIGN_NONCE_STORE_FULL,
        "nonce_store_full",
        "the nonce store is full; the request was refused",
    ),
    (
        APISIGN_NONCE_STORE_UNAVAILABLE,
        "nonce_store_unavailable",
        "the nonce store cannot be reached",
    ),
    (
        APISIGN_IP_NOT_ALLOWED,
        "ip_not_allowed",
        "the client address is not in the caller's allowed addresses",
    ),
    (
        APISIGN_NULL_POINTER,
        "null_pointer",
        "a required pointer argument was NULL",
    ),
    (
        APISIGN_BUFFER_TOO_SMALL,
        "buffer_too_small",
        "the output buffer is too small; *out_len holds the size needed",
    ),
    (
        APISIGN_INVALID_UTF8,
        "invalid_utf8",
        "a text argument is not valid UTF-8",
    ),
    (
        APISIGN_PANIC,
        "panic",
        "apisign panicked (a bug; please report it)",
    ),
    (
        APISIGN_INDEX_OUT_OF_RANGE,
        "index_out_of_range",
        "the index is past the end of the list",
    ),
    (
        APISIGN_NOT_FOUND,
        "not_found",
        "no header with that name in the signature",
    ),
];

/// The FFI code of a core error kind.
pub(crate) fn code_of(kind: ErrorKind) -> apisign_result {
    kind.code()
}

/// Write the generic message for `code` into `buf` (not NUL-terminated). `*out_len` receives the
/// bytes written, or the size needed when `APISIGN_BUFFER_TOO_SMALL` is returned. An unknown
/// code gets the message "unknown result code". Thread-safe.
#[no_mangle]
pub extern "C" fn apisign_result_message(
    code: apisign_result,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    guard(super::result::APISIGN_PANIC, || {
        let message = CODES
            .iter()
            .find(|(c, _, _)| *c == code)
            .map_or("unknown result code", |(_, _, m)| m);
        write_out(message.as_bytes(), buf, len, out_len)
    })
}

/// The stable short name of `code` (`"bad_key"`, `"buffer_too_small"`…), the same name the
/// vectors, the CLI and the other bindings use; "unknown" for an unknown code. Thread-safe.
#[no_mangle]
pub extern "C" fn apisign_result_name(
    code: apisign_result,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    guard(APISIGN_PANIC, || {
        let name = CODES
            .iter()
            .find(|(c, _, _)| *c == code)
            .map_or("unknown", |(_, n, _)| n);
        write_out(name.as_bytes(), buf, len, out_len)
    })
}

/// Test helper: fails unless the committed header (what C and Go compile against) has
/// `#define APISIGN_<name> <number>` for each `(name, number)`: a constant added or renumbered
/// in Rust without regenerating the header is caught here.
#[cfg(test)]
pub(crate) fn assert_header_defines<N: std::fmt::Display>(
    defines: impl IntoIterator<Item = (String, N)>,
) {
    let header = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/apisign.h"),
    )
    .expect("include/apisign.h is committed");
    for (name, number) in defines {
        let line = format!("#define APISIGN_{name} {number}\n");
        assert!(header.contains(&line), "include/apisign.h lacks {line:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_core_kind_has_its_constant_and_name() {
        for kind in ErrorKind::ALL {
            let entry = CODES
                .iter()
                .find(|(c, _, _)| *c == code_of(*kind))
                .unwrap_or_else(|| panic!("no APISIGN_ constant for {kind:?}"));
            assert_eq!(entry.1, kind.as_str());
        }
        // Every code below the FFI range is a core kind (none invented here).
        let core = CODES.iter().filter(|(c, _, _)| (1..9000).contains(c));
        assert_eq!(core.count(), ErrorKind::ALL.len());
        assert!(CODES.iter().all(|(c, _, _)| *c == 0
            || ErrorKind::ALL.iter().any(|k| k.code() == *c)
            || *c >= 9000));
    }

    /// The committed header (what C and Go compile against) defines `APISIGN_<NAME>` with the
    /// core's number for every kind; fails when a kind is added to the core without its
    /// constant here, or a number drifts.
    #[test]
    fn header_defines_every_core_kind() {
        assert_header_defines(
            ErrorKind::ALL
                .iter()
                .map(|kind| (kind.as_str().to_ascii_uppercase(), kind.code())),
        );
    }

    #[test]
    fn codes_and_names_are_unique() {
        let codes: HashSet<_> = CODES.iter().map(|e| e.0).collect();
        let names: HashSet<_> = CODES.iter().map(|e| e.1).collect();
        assert_eq!(codes.len(), CODES.len());
        assert_eq!(names.len(), CODES.len());
    }

    #[test]
    fn message_lookup_reports_size_needed() {
        let mut n = 0usize;
        let rc = apisign_result_message(APISIGN_BAD_KEY, std::ptr::null_mut(), 0, &mut n);
        assert_eq!(rc, APISIGN_BUFFER_TOO_SMALL);
        let mut buf = vec![0u8; n];
        let rc = apisign_result_message(APISIGN_BAD_KEY, buf.as_mut_ptr(), n, &mut n);
        assert_eq!(rc, APISIGN_OK);
        assert_eq!(
            std::str::from_utf8(&buf).unwrap(),
            "the RSA key cannot be parsed or is too weak"
        );
    }
}
