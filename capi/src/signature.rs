//! Signing instructions returned to C: headers in order, the signed intermediate string and,
//! for requests apisign builds itself, the body to send.

use super::buffer::write_out;
use super::error::FfiError;
use super::handle::borrow;
use super::input::bytes;
use super::panic::guard;
use super::result::{
    apisign_result, APISIGN_INDEX_OUT_OF_RANGE, APISIGN_NOT_FOUND, APISIGN_OK, APISIGN_PANIC,
};
use apisign::Signature;

/// The result of signing: headers to add (in the platform's documented order), the string that
/// was signed, and sometimes a body to send.
///
/// Created by the `*_sign*` functions, freed with `apisign_signature_free`. Immutable: safe to
/// read from several threads at once.
#[allow(non_camel_case_types)]
pub struct apisign_signature {
    pub(crate) signature: Signature,
    pub(crate) body: Option<String>,
}

impl apisign_signature {
    pub(crate) fn new(signature: Signature) -> Self {
        apisign_signature {
            signature,
            body: None,
        }
    }

    /// A signature made by `sign`, moved once, straight into a new box. A signature is a few
    /// hundred bytes: built on the stack and then boxed it would be copied twice, a good part
    /// of a signing call's overhead over the Rust call. The box is allocated first so the
    /// result can go straight into it.
    #[inline]
    pub(crate) fn boxed<E>(sign: impl FnOnce() -> Result<Signature, E>) -> Result<Box<Self>, E> {
        let mut b = Box::<Self>::new_uninit();
        let signature = sign()?;
        let p = b.as_mut_ptr();
        // SAFETY: `p` points to the box's memory, valid for writes and aligned for `Self`;
        // both fields are written before `assume_init`.
        unsafe {
            std::ptr::addr_of_mut!((*p).signature).write(signature);
            std::ptr::addr_of_mut!((*p).body).write(None);
            Ok(b.assume_init())
        }
    }
}

/// Run an accessor: borrow the signature, then write one of its byte strings.
fn with_sig(
    sig: *const apisign_signature,
    f: impl FnOnce(&apisign_signature) -> Result<apisign_result, FfiError>,
) -> apisign_result {
    guard(APISIGN_PANIC, || {
        borrow(sig, "signature")
            .and_then(f)
            .unwrap_or_else(|e| e.code)
    })
}

/// Copy one byte string of the signature (`part`, or `missing` when it has none) into the
/// caller's buffer: the body of every copying accessor.
fn copy_out(
    sig: *const apisign_signature,
    part: impl for<'a> FnOnce(&'a apisign_signature) -> Option<&'a [u8]>,
    missing: apisign_result,
    (buf, len, out_len): (*mut u8, usize, *mut usize),
) -> apisign_result {
    with_sig(sig, |s| {
        Ok(part(s).map_or(missing, |b| write_out(b, buf, len, out_len)))
    })
}

/// Number of headers in `sig` (0 when `sig` is NULL).
#[no_mangle]
pub extern "C" fn apisign_signature_header_count(sig: *const apisign_signature) -> usize {
    guard(0, || {
        borrow(sig, "signature").map_or(0, |s| s.signature.headers.len())
    })
}

/// Copy the name of header `index` into `buf`; `*out_len` receives its length, or the size
/// needed with `APISIGN_BUFFER_TOO_SMALL`. `APISIGN_INDEX_OUT_OF_RANGE` past the last header.
#[no_mangle]
pub extern "C" fn apisign_signature_header_name(
    sig: *const apisign_signature,
    index: usize,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    copy_header_part(sig, index, |(n, _)| n, (buf, len, out_len))
}

/// Copy the value of header `index` into `buf` (same conventions as the name).
#[no_mangle]
pub extern "C" fn apisign_signature_header_value(
    sig: *const apisign_signature,
    index: usize,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    copy_header_part(sig, index, |(_, v)| v, (buf, len, out_len))
}

/// Copy `part` of header `index` (its name or value) into the caller's buffer.
fn copy_header_part(
    sig: *const apisign_signature,
    index: usize,
    part: for<'a> fn((&'a str, &'a str)) -> &'a str,
    out: (*mut u8, usize, *mut usize),
) -> apisign_result {
    copy_out(
        sig,
        |s| Entry::Header.at(s, index).map(|h| part(h).as_bytes()),
        APISIGN_INDEX_OUT_OF_RANGE,
        out,
    )
}

/// The two lists of `(name, value)` entries a signature hands out.
#[derive(Clone, Copy)]
enum Entry {
    Header,
    Param,
}

impl Entry {
    /// Entry `i` of this list in `s`.
    #[inline]
    fn at(self, s: &apisign_signature, i: usize) -> Option<(&str, &str)> {
        match self {
            Entry::Header => s
                .signature
                .headers
                .get(i)
                .map(|h| (h.name, h.value.as_str())),
            Entry::Param => s.signature.params.get(i).map(|(n, v)| (*n, v.as_str())),
        }
    }
}

/// Copy the value of the header called `name` (ASCII case-insensitive) into `buf`;
/// `APISIGN_NOT_FOUND` when the signature has no such header.
#[no_mangle]
pub extern "C" fn apisign_signature_get(
    sig: *const apisign_signature,
    name: *const u8,
    name_len: usize,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    with_sig(sig, |s| {
        let name = bytes(name, name_len, "name")?;
        let mut headers = s.signature.headers.iter();
        Ok(
            match headers.find(|h| h.name.as_bytes().eq_ignore_ascii_case(name)) {
                Some(h) => write_out(h.value.as_bytes(), buf, len, out_len),
                None => APISIGN_NOT_FOUND,
            },
        )
    })
}

/// Borrow header `index` of `sig`: `*name`/`*name_len` and `*value`/`*value_len` point into
/// `sig` and stay valid until `apisign_signature_free` (no copy; not NUL-terminated).
/// `APISIGN_INDEX_OUT_OF_RANGE` past the last header.
#[no_mangle]
pub extern "C" fn apisign_signature_header(
    sig: *const apisign_signature,
    index: usize,
    name: *mut *const u8,
    name_len: *mut usize,
    value: *mut *const u8,
    value_len: *mut usize,
) -> apisign_result {
    borrow_entry(
        sig,
        Entry::Header,
        index,
        [(name, name_len), (value, value_len)],
    )
}

/// Number of parameters the request must also carry in its query (or, where the scheme says
/// so, its body), e.g. a timestamp and nonce of a scheme version that sends them there; 0
/// for most schemes (and when `sig` is NULL).
#[no_mangle]
pub extern "C" fn apisign_signature_param_count(sig: *const apisign_signature) -> usize {
    guard(0, || {
        borrow(sig, "signature").map_or(0, |s| s.signature.params.len())
    })
}

/// Borrow parameter `index` of `sig` (same conventions as `apisign_signature_header`).
#[no_mangle]
pub extern "C" fn apisign_signature_param(
    sig: *const apisign_signature,
    index: usize,
    name: *mut *const u8,
    name_len: *mut usize,
    value: *mut *const u8,
    value_len: *mut usize,
) -> apisign_result {
    borrow_entry(
        sig,
        Entry::Param,
        index,
        [(name, name_len), (value, value_len)],
    )
}

/// Where a borrowed byte string goes: `(*const u8 *ptr, size_t *len)`.
type BorrowOut = (*mut *const u8, *mut usize);

/// Hand the caller entry `index` of `list` as two borrowed byte strings (name, value). On the
/// hot path of every binding that reads headers, so kept free of indirect calls.
#[inline]
fn borrow_entry(
    sig: *const apisign_signature,
    list: Entry,
    index: usize,
    outs: [BorrowOut; 2],
) -> apisign_result {
    with_sig(sig, |s| {
        let Some((n, v)) = list.at(s, index) else {
            return Ok(APISIGN_INDEX_OUT_OF_RANGE);
        };
        if outs.iter().any(|(p, l)| p.is_null() || l.is_null()) {
            let ptr_null = outs.iter().any(|(p, _)| p.is_null());
            return Err(FfiError::null(if ptr_null {
                "name or value"
            } else {
                "length"
            }));
        }
        for ((ptr, len), b) in outs.into_iter().zip([n.as_bytes(), v.as_bytes()]) {
            // SAFETY: both checked non-NULL above; writable per the header contract.
            unsafe {
                *ptr = b.as_ptr();
                *len = b.len();
            }
        }
        Ok(APISIGN_OK)
    })
}

/// Copy the exact intermediate string that was signed (string-to-sign, signed params, canonical
/// request or JSON message) into `buf`, for comparison with what a server logs. It may hold
/// secret material (a scheme may sign its access key): log `apisign_signature_signed_redacted`
/// instead.
#[no_mangle]
pub extern "C" fn apisign_signature_signed(
    sig: *const apisign_signature,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    copy_out(
        sig,
        |s| Some(s.signature.signed.as_bytes()),
        APISIGN_OK,
        (buf, len, out_len),
    )
}

/// Copy the signed string with any secret part replaced by `<redacted>`: safe to print or log.
#[no_mangle]
pub extern "C" fn apisign_signature_signed_redacted(
    sig: *const apisign_signature,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    with_sig(sig, |s| {
        let redacted = s.signature.signed_redacted();
        Ok(write_out(redacted.as_bytes(), buf, len, out_len))
    })
}

/// The byte range `[*start, *end)` of the signed string that is secret (e.g. an access
/// key), for a binding that shows signatures and must redact them itself; `0, 0` when nothing in
/// it is secret. Offsets are into the bytes `apisign_signature_signed` copies.
#[no_mangle]
pub extern "C" fn apisign_signature_secret_span(
    sig: *const apisign_signature,
    start: *mut usize,
    end: *mut usize,
) -> apisign_result {
    with_sig(sig, |s| {
        if start.is_null() || end.is_null() {
            return Err(FfiError::null(if start.is_null() {
                "start"
            } else {
                "end"
            }));
        }
        let span = s.signature.secret_span().unwrap_or(0..0);
        // SAFETY: both checked non-NULL above; the caller guarantees they point to writable
        // `size_t`s (the documented contract of every out-parameter).
        unsafe {
            *start = span.start;
            *end = span.end;
        }
        Ok(APISIGN_OK)
    })
}

/// Copy the body apisign built for this request (a token request); empty (length 0,
/// `APISIGN_OK`) for signatures of caller-supplied requests.
#[no_mangle]
pub extern "C" fn apisign_signature_body(
    sig: *const apisign_signature,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    copy_out(
        sig,
        |s| Some(s.body.as_deref().unwrap_or("").as_bytes()),
        APISIGN_OK,
        (buf, len, out_len),
    )
}

/// Free a signature. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_signature_free(sig: *mut apisign_signature) {
    super::handle::free(sig)
}
