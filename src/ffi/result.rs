//! Result codes of the C ABI and their messages.
//!
//! 0 is success. 1000–1999 are the core's `ErrorKind::code()`s (the same numbers the Go and
//! Python bindings report); 2000–2999 are FFI-only conditions. Codes are never reused: a retired
//! code keeps its number and its message forever. Verifier codes will be added as new numbers.

use crate::error::ErrorKind;

use super::buffer::write_out;
use super::panic::guard;

/// A result code: `APISIGN_OK` (0) or one of the `APISIGN_*` error codes below.
#[allow(non_camel_case_types)]
pub type apisign_result = u32;

/// Success.
pub const APISIGN_OK: apisign_result = 0;
/// A caller-supplied value is missing or malformed (the error message names it).
pub const APISIGN_INVALID_INPUT: apisign_result = 1000;
/// A query or form parameter without `=` (e.g. `?flag`); the JetLinks server fails on it.
pub const APISIGN_BARE_QUERY_KEY: apisign_result = 1001;
/// A malformed `%` escape in a path, query or form body.
pub const APISIGN_INVALID_ESCAPE: apisign_result = 1002;
/// The URL cannot be split into a path and a query.
pub const APISIGN_INVALID_URL: apisign_result = 1003;
/// A body that must be JSON (linksfield) is not a JSON object.
pub const APISIGN_INVALID_JSON: apisign_result = 1004;
/// RSA key material that cannot be parsed or is too weak.
pub const APISIGN_BAD_KEY: apisign_result = 1005;
/// An input exceeds a documented size or count limit.
pub const APISIGN_INPUT_TOO_LARGE: apisign_result = 1006;
/// The operating system's random generator failed.
pub const APISIGN_RNG: apisign_result = 1007;
/// A cryptographic operation failed unexpectedly.
pub const APISIGN_CRYPTO: apisign_result = 1008;
/// A pointer argument that must not be NULL was NULL (or NULL with a non-zero length).
pub const APISIGN_NULL_POINTER: apisign_result = 2000;
/// The output buffer is too small; `*out_len` holds the size needed. Nothing was written.
pub const APISIGN_BUFFER_TOO_SMALL: apisign_result = 2001;
/// A text argument is not valid UTF-8.
pub const APISIGN_INVALID_UTF8: apisign_result = 2002;
/// apisign panicked (a bug; please report it). No output was produced.
pub const APISIGN_PANIC: apisign_result = 2003;
/// An index is past the end of a list.
pub const APISIGN_INDEX_OUT_OF_RANGE: apisign_result = 2004;
/// A header name is not in the signature.
pub const APISIGN_NOT_FOUND: apisign_result = 2005;

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
        "a query or form parameter has no '='; send it as key= (the server fails on a bare key)",
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
        let core = CODES.iter().filter(|(c, _, _)| (1000..2000).contains(c));
        assert_eq!(core.count(), ErrorKind::ALL.len());
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
