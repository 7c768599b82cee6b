//! Inputs as `(const uint8_t *ptr, size_t len)`: NULL with length 0 is the empty input; NULL
//! with a non-zero length is an error; text must be UTF-8.

use super::error::FfiError;
use super::result::{APISIGN_INPUT_TOO_LARGE, APISIGN_INVALID_UTF8};

/// The bytes at `ptr[..len]`; `what` names the parameter in errors.
pub(crate) fn bytes<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8], FfiError> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(FfiError::null(what));
    }
    // `from_raw_parts` is undefined for more than isize::MAX bytes; no real buffer is that
    // large, so such a length is a caller bug (e.g. a negative length cast to size_t).
    if isize::try_from(len).is_err() {
        return Err(FfiError::new(
            APISIGN_INPUT_TOO_LARGE,
            format!("{what}: length {len} exceeds any possible buffer; pass the real length"),
        ));
    }
    // SAFETY: the caller promises `len` readable bytes at `ptr` for the duration of the call
    // (header contract); we never keep the slice past the call.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// `ptr[..len]` as UTF-8 text.
pub(crate) fn text<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str, FfiError> {
    std::str::from_utf8(bytes(ptr, len, what)?).map_err(|e| {
        FfiError::new(
            APISIGN_INVALID_UTF8,
            format!(
                "{what}: is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Optional text: NULL (whatever the length) means "not given".
pub(crate) fn opt_text<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<Option<&'a str>, FfiError> {
    if ptr.is_null() {
        Ok(None)
    } else {
        text(ptr, len, what).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_lengths_are_rejected_before_reading() {
        let one = [7u8];
        // A "negative" length cast to size_t must not reach from_raw_parts.
        let e = bytes(one.as_ptr(), usize::MAX, "body").unwrap_err();
        assert_eq!(e.code, APISIGN_INPUT_TOO_LARGE);
        assert!(e.message.contains("body"));
        assert_eq!(bytes(one.as_ptr(), 1, "body").unwrap(), &[7u8]);
        assert_eq!(bytes(std::ptr::null(), 0, "body").unwrap(), &[] as &[u8]);
        assert!(bytes(std::ptr::null(), 1, "body").is_err());
    }
}
