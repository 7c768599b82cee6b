//! Hard bounds on what the parsers accept, so hostile input is rejected with a clear error
//! instead of being buffered or sorted without limit. Raw bodies that are only hashed
//! (streamed through a digest) have no limit here.

use crate::error::{Error, ErrorKind, Result};

/// Longest URL (path plus query) accepted, in bytes. Real servers stop far below this
/// (8 KiB is common); 64 KiB leaves room without letting a query grow unbounded.
pub const MAX_URL_LEN: usize = 64 * 1024;

/// Most query or form parameters parsed from one request. Matches Go's `net/url` default
/// (`urlmaxqueryparams=10000`), which Go servers enforce.
pub const MAX_PARAMS: usize = 10_000;

/// Largest body parsed as a form or as JSON, in bytes.
pub const MAX_PARSED_BODY: usize = 8 * 1024 * 1024;

/// Deepest nesting of a JSON body (serde_json's own recursion limit is 128).
pub const MAX_JSON_DEPTH: usize = 64;

/// Most headers an [`IncomingRequest`](crate::verify::IncomingRequest) may carry. Servers
/// commonly stop at about 100; the lookup is linear, so the count is bounded.
pub const MAX_HEADERS: usize = 256;

/// Longest header value a verifier reads, in bytes (8 KiB, a common server limit). A 16384-bit
/// RSA signature in base64 is under 3 KiB.
pub const MAX_HEADER_VALUE: usize = 8 * 1024;

/// Longest nonce a verifier accepts (it becomes a key in the replay store).
pub const MAX_NONCE_LEN: usize = 128;

/// `Ok` when `len` bytes are within `limit`, else an [`ErrorKind::InputTooLarge`] error on
/// `field` naming `what` was measured and both sizes, so the caller sees how far over it is.
pub(crate) fn check_size(field: &'static str, what: &str, len: usize, limit: usize) -> Result<()> {
    if len > limit {
        return Err(Error::new(
            ErrorKind::InputTooLarge,
            format!("{what} is {len} bytes; at most {limit} are accepted"),
        )
        .with_field(field));
    }
    Ok(())
}
