//! Inputs as `(const uint8_t *ptr, size_t len)`: NULL with length 0 is the empty input; NULL
//! with a non-zero length is an error; text must be UTF-8.

use super::error::FfiError;
use super::result::{APISIGN_INPUT_TOO_LARGE, APISIGN_INVALID_UTF8};

/// The bytes at `ptr[..len]`; `what` names the parameter in errors.
#[inline]
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
        return Err(too_large(what, len));
    }
    // SAFETY: the caller promises `len` readable bytes at `ptr` for the duration of the call
    // (header contract); we never keep the slice past the call.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

#[cold]
fn too_large(what: &str, len: usize) -> FfiError {
    FfiError::new(
        APISIGN_INPUT_TOO_LARGE,
        format!("{what}: length {len} exceeds any possible buffer; pass the real length"),
    )
}

/// The `count` structs at `ptr` (a list of inputs); NULL is the empty list only with count 0.
pub(crate) fn list<'a, T>(ptr: *const T, count: usize, what: &str) -> Result<&'a [T], FfiError> {
    if count == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(FfiError::null(what));
    }
    // As for bytes: a count no real list can have (a negative count cast to size_t) is a
    // caller bug that must not reach from_raw_parts.
    let fits = count
        .checked_mul(std::mem::size_of::<T>())
        .is_some_and(|n| isize::try_from(n).is_ok());
    if !fits {
        return Err(FfiError::new(
            APISIGN_INPUT_TOO_LARGE,
            format!("{what}: count {count} exceeds any possible list; pass the real count"),
        ));
    }
    // SAFETY: the caller promises `count` readable entries for the duration of the call
    // (header contract).
    Ok(unsafe { std::slice::from_raw_parts(ptr, count) })
}

/// `ptr[..len]` as UTF-8 text. Every signing call checks its method and URL here, so the
/// common case (readable ASCII: methods, URLs, ids and codes nearly always are) is inlined and
/// everything else, errors included, is out of line.
#[inline]
pub(crate) fn text<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str, FfiError> {
    match ascii(ptr, len) {
        Some(s) => Ok(s),
        None => utf8(ptr, len, what),
    }
}

/// `ptr[..len]` when it is non-NULL, of a possible length and ASCII; `None` for anything else.
#[inline]
fn ascii<'a>(ptr: *const u8, len: usize) -> Option<&'a str> {
    if ptr.is_null() || isize::try_from(len).is_err() {
        return None;
    }
    // SAFETY: as in `bytes` (non-NULL, a possible length, readable per the header contract).
    let b = unsafe { std::slice::from_raw_parts(ptr, len) };
    // SAFETY: ASCII is valid UTF-8.
    is_ascii(b).then(|| unsafe { std::str::from_utf8_unchecked(b) })
}

/// Whether `b` is ASCII, a word at a time; the last word overlaps the one before it, so no
/// byte-by-byte tail (std's `is_ascii` has one, which costs as much again on a short URL).
fn is_ascii(b: &[u8]) -> bool {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let word = |w: &[u8]| u64::from_ne_bytes(w.try_into().unwrap_or_default());
    match b.len() {
        0..8 => b.is_ascii(),
        n => {
            let words = b
                .chunks_exact(8)
                .fold(word(&b[n - 8..]), |acc, w| acc | word(w));
            words & HIGH_BITS == 0
        }
    }
}

/// `ptr[..len]` as UTF-8 text, or an error naming `what` (and the first bad byte).
#[cold]
#[inline(never)]
fn utf8<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str, FfiError> {
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

/// A signature given as text to compare against: `None` when it is not UTF-8, which no digest
/// or base64 signature can match (a mismatch, not an error).
pub(crate) fn signature_text<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<Option<&'a str>, FfiError> {
    Ok(std::str::from_utf8(bytes(ptr, len, what)?).ok())
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

    #[test]
    fn ascii_check_finds_a_high_byte_anywhere() {
        for n in 0..40 {
            let mut b = vec![b'a'; n];
            assert!(is_ascii(&b), "{n}");
            for i in 0..n {
                b[i] = 0x80;
                assert!(!is_ascii(&b), "len {n}, byte {i}");
                b[i] = b'a';
            }
        }
    }

    #[test]
    fn text_accepts_ascii_and_utf8_and_names_bad_bytes() {
        for ok in ["GET", "/a?b=c", "", "é/ü", "日本"] {
            assert_eq!(text(ok.as_ptr(), ok.len(), "url").unwrap(), ok);
        }
        for bad in [
            &b"/a\xff"[..],
            b"\xc3",
            b"ab\xed\xa0\x80",
            b"/api/device?n=\xe9t\xe9",
        ] {
            let e = text(bad.as_ptr(), bad.len(), "url").unwrap_err();
            assert_eq!(e.code, APISIGN_INVALID_UTF8);
            assert!(e.message.starts_with("url:"), "{}", e.message);
        }
    }
}
