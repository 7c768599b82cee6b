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

/// The NULL rules of an output buffer, checked before any work is done: `out_len` must not be
/// NULL and `buf` may be NULL only when `len` is 0.
pub(crate) fn check_out(buf: *mut u8, len: usize, out_len: *mut usize) -> Result<(), FfiError> {
    if out_len.is_null() {
        return Err(FfiError::null("out_len"));
    }
    if buf.is_null() && len != 0 {
        return Err(FfiError::new(
            APISIGN_NULL_POINTER,
            format!("buf: is NULL but len is {len}; pass len = 0 to ask for the size"),
        ));
    }
    Ok(())
}

/// Write `Name: value\r\n` for every `(name, value)` pair, in order, into `buf[..len]` (after
/// [`check_out`]). Too small: nothing is written, `*out_len` = bytes needed and
/// `APISIGN_BUFFER_TOO_SMALL`. Header names and values never contain CR or LF (the core
/// rejects control characters in every value it puts in a header).
pub(crate) fn write_lines<'a, I>(
    lines: I,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> Result<(), FfiError>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
    I::IntoIter: Clone,
{
    let lines = lines.into_iter();
    let needed: usize = lines.clone().map(|(n, v)| n.len() + v.len() + 4).sum();
    // SAFETY: out_len is non-NULL (check_out) and points to a writable size_t (header contract).
    unsafe { *out_len = needed };
    if needed > len {
        return Err(FfiError::new(
            APISIGN_BUFFER_TOO_SMALL,
            format!("buffer is {len} bytes; {needed} are needed (also stored in *out_len)"),
        ));
    }
    if needed == 0 {
        return Ok(());
    }
    // SAFETY: buf is non-NULL (len >= needed > 0 and check_out) and the caller promises `len`
    // writable bytes that do not overlap our inputs.
    let out = unsafe { std::slice::from_raw_parts_mut(buf, needed) };
    let mut at = 0;
    for (name, value) in lines {
        for part in [name.as_bytes(), b": ", value.as_bytes(), b"\r\n"] {
            out[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
    }
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

    #[test]
    fn header_lines_fit_exactly_or_report_the_size() {
        let lines = [("A", "1"), ("Bb", "22")];
        let mut n = 0usize;
        let mut buf = [b'z'; 16];
        check_out(buf.as_mut_ptr(), 13, &mut n).unwrap();
        let e = write_lines(lines, buf.as_mut_ptr(), 13, &mut n).unwrap_err();
        assert_eq!((e.code, n, buf[0]), (APISIGN_BUFFER_TOO_SMALL, 14, b'z'));
        write_lines(lines, buf.as_mut_ptr(), 14, &mut n).unwrap();
        assert_eq!(
            (&buf[..14], n, buf[14]),
            (&b"A: 1\r\nBb: 22\r\n"[..], 14, b'z')
        );
        let e = write_lines(lines, std::ptr::null_mut(), 0, &mut n).unwrap_err();
        assert_eq!((e.code, n), (APISIGN_BUFFER_TOO_SMALL, 14));
        assert_eq!(
            check_out(std::ptr::null_mut(), 1, &mut n).unwrap_err().code,
            APISIGN_NULL_POINTER
        );
        assert!(check_out(buf.as_mut_ptr(), 1, std::ptr::null_mut())
            .unwrap_err()
            .message
            .contains("out_len"));
    }
}
