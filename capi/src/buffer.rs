//! Caller-allocated output buffers: copy when it fits, otherwise report the size needed.

use super::error::FfiError;
use super::result::{apisign_result, APISIGN_BUFFER_TOO_SMALL, APISIGN_NULL_POINTER, APISIGN_OK};

/// Copy `src` into `buf[..len]` and store the length in `*out_len`.
///
/// Too small: nothing is copied, `*out_len` = bytes needed, `APISIGN_BUFFER_TOO_SMALL`. `buf` may
/// be NULL only when `len` is 0 (the "how big?" query). `out_len` must not be NULL. No NUL
/// terminator is written: outputs are byte strings with an explicit length.
pub(crate) fn write_out(
    src: &[u8],
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    if out_len.is_null() || (buf.is_null() && len != 0) {
        return APISIGN_NULL_POINTER;
    }
    // SAFETY: out_len is non-NULL and, per the header contract, points to a writable size_t.
    unsafe { *out_len = src.len() };
    if src.len() > len {
        return APISIGN_BUFFER_TOO_SMALL;
    }
    if !src.is_empty() {
        // SAFETY: buf is non-NULL here (src non-empty and len >= src.len() > 0), the caller
        // promises `len` writable bytes, and a caller buffer cannot overlap our own memory.
        unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), buf, src.len()) };
    }
    APISIGN_OK
}

/// `write_out` inside a fallible export, so a short buffer also fills in the `apisign_error`.
pub(crate) fn write_checked(
    src: &[u8],
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> Result<(), FfiError> {
    match write_out(src, buf, len, out_len) {
        APISIGN_OK => Ok(()),
        APISIGN_BUFFER_TOO_SMALL => Err(FfiError::new(
            APISIGN_BUFFER_TOO_SMALL,
            format!(
                "buffer is {len} bytes; {} are needed (also stored in *out_len)",
                src.len()
            ),
        )),
        code => Err(FfiError::new(code, "buf/out_len: must not be NULL")),
    }
}

/// A yes/no answer into `*valid`: checked for NULL before `check` runs (so nothing is computed
/// for a caller that cannot receive it), written only when `check` succeeds.
pub(crate) fn answer(
    valid: *mut bool,
    check: impl FnOnce() -> Result<bool, FfiError>,
) -> Result<(), FfiError> {
    if valid.is_null() {
        return Err(FfiError::null("valid"));
    }
    let ok = check()?;
    // SAFETY: checked non-NULL above; writable per the header contract.
    unsafe { *valid = ok };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_or_reports_size() {
        let mut n = 99usize;
        let mut buf = [0u8; 4];
        assert_eq!(
            write_out(b"hello", buf.as_mut_ptr(), 4, &mut n),
            APISIGN_BUFFER_TOO_SMALL
        );
        assert_eq!((n, buf), (5, [0; 4]));
        let mut buf = [0u8; 5];
        assert_eq!(write_out(b"hello", buf.as_mut_ptr(), 5, &mut n), APISIGN_OK);
        assert_eq!((n, &buf), (5, b"hello"));
        assert_eq!(write_out(b"", std::ptr::null_mut(), 0, &mut n), APISIGN_OK);
        assert_eq!(n, 0);
        assert_eq!(
            write_out(b"x", std::ptr::null_mut(), 1, &mut n),
            APISIGN_NULL_POINTER
        );
        assert_eq!(
            write_out(b"x", buf.as_mut_ptr(), 5, std::ptr::null_mut()),
            APISIGN_NULL_POINTER
        );
    }
}
