//! Detailed errors without thread-local state: fallible calls take an optional
//! `apisign_error **err` that receives an owned error object (code + message naming the field
//! to fix). Messages never contain secret values.

use std::borrow::Cow;

use super::buffer::write_out;
use super::panic::{guard, guard_with};
use super::result::{apisign_result, code_of, APISIGN_NULL_POINTER, APISIGN_OK, APISIGN_PANIC};

/// An error from a fallible call: its result code and a message that says what to fix.
///
/// Created by apisign, freed with `apisign_error_free`. Immutable: safe to read from several
/// threads at once.
#[allow(non_camel_case_types)]
pub struct apisign_error {
    code: apisign_result,
    message: String,
    platform_code: Option<&'static str>,
    /// The core error, when there is one (for the HTTP status and the rejection body).
    pub(crate) core: Option<apisign::Error>,
}

/// An error inside the FFI layer before it becomes a code (and maybe an `apisign_error`).
#[derive(Debug)]
pub(crate) struct FfiError {
    pub(crate) code: apisign_result,
    pub(crate) message: Cow<'static, str>,
    pub(crate) platform_code: Option<&'static str>,
    pub(crate) core: Option<apisign::Error>,
}

impl apisign_error {
    pub(crate) fn code(&self) -> apisign_result {
        self.code
    }
}

impl FfiError {
    pub(crate) fn new(code: apisign_result, message: impl Into<Cow<'static, str>>) -> Self {
        FfiError {
            code,
            message: message.into(),
            platform_code: None,
            core: None,
        }
    }

    /// A NULL where a pointer is required; `what` names the parameter.
    pub(crate) fn null(what: &str) -> Self {
        FfiError::new(APISIGN_NULL_POINTER, format!("{what}: must not be NULL"))
    }
}

impl From<apisign::Error> for FfiError {
    fn from(e: apisign::Error) -> Self {
        FfiError {
            platform_code: e.platform_code(),
            core: Some(e.clone()),
            ..FfiError::new(code_of(e.kind()), e.to_string())
        }
    }
}

/// Run a fallible export body behind the panic boundary, turning its outcome into a result code
/// and, when `err` is not NULL, an `apisign_error` (or NULL on success).
pub(crate) fn run(
    err: *mut *mut apisign_error,
    f: impl FnOnce() -> Result<(), FfiError>,
) -> apisign_result {
    if !err.is_null() {
        // SAFETY: a non-NULL `err` points to a writable `apisign_error *` (header contract).
        unsafe { *err = std::ptr::null_mut() };
    }
    let panicked = || {
        Err(FfiError::new(
            APISIGN_PANIC,
            "apisign panicked (a bug; please report it); no output was produced",
        ))
    };
    let outcome = guard_with(panicked, f);
    match outcome {
        Ok(()) => APISIGN_OK,
        Err(e) => {
            if !err.is_null() {
                let boxed = Box::new(apisign_error {
                    code: e.code,
                    message: e.message.into_owned(),
                    platform_code: e.platform_code,
                    core: e.core,
                });
                // SAFETY: as above.
                unsafe { *err = Box::into_raw(boxed) };
            }
            e.code
        }
    }
}

/// Read `err` behind the panic boundary (`APISIGN_NULL_POINTER` when it is NULL).
fn with_error(
    err: *const apisign_error,
    f: impl FnOnce(&apisign_error) -> apisign_result,
) -> apisign_result {
    guard(APISIGN_PANIC, || {
        // SAFETY: NULL or a live error from apisign (header contract).
        unsafe { err.as_ref() }.map_or(APISIGN_NULL_POINTER, f)
    })
}

/// The result code of `err` (`APISIGN_NULL_POINTER` when `err` is NULL).
#[no_mangle]
pub extern "C" fn apisign_error_code(err: *const apisign_error) -> apisign_result {
    with_error(err, |e| e.code)
}

/// Copy the message of `err` into `buf` (not NUL-terminated); `*out_len` receives its length,
/// or the size needed with `APISIGN_BUFFER_TOO_SMALL`.
#[no_mangle]
pub extern "C" fn apisign_error_message(
    err: *const apisign_error,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    with_error(err, |e| write_out(e.message.as_bytes(), buf, len, out_len))
}

/// Copy the platform's own error code for a verification rejection into `buf` (what the real
/// server would answer: a number, a code such as `"AUTH_NONCE_USED"`, or a message, as the
/// scheme's spec says). `APISIGN_NOT_FOUND` when the error has none.
#[no_mangle]
pub extern "C" fn apisign_error_platform_code(
    err: *const apisign_error,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    with_error(err, |e| match e.platform_code {
        Some(c) => write_out(c.as_bytes(), buf, len, out_len),
        None => super::result::APISIGN_NOT_FOUND,
    })
}

/// The HTTP status a server answers `err` with: the platform's for a verifier's rejection
/// (401, 403…), 400 for malformed input, 413 for a size limit, 503 for an unusable nonce
/// store, 500 for anything else (also for the C ABI's own conditions). 0 when `err` is NULL.
#[no_mangle]
pub extern "C" fn apisign_error_status(err: *const apisign_error) -> u16 {
    guard(0, || {
        // SAFETY: NULL or a live error from apisign (header contract).
        unsafe { err.as_ref() }.map_or(0, |e| e.core.as_ref().map_or(500, |c| c.http_status()))
    })
}

/// Free an error. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_error_free(err: *mut apisign_error) {
    super::handle::free(err)
}
