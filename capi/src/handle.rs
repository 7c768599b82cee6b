//! Opaque handles: boxed Rust values given to C as pointers, borrowed back per call and freed
//! exactly once by the matching `*_free` (which accepts NULL).

use super::error::{apisign_error, run, FfiError};
use super::result::apisign_result;

/// Borrow the value behind a handle; NULL is an error naming `what`.
pub(crate) fn borrow<'a, T>(ptr: *const T, what: &str) -> Result<&'a T, FfiError> {
    // SAFETY: per the header, a non-NULL handle is a live pointer returned by apisign and not
    // yet freed; handles are never mutated after creation, so shared borrows are sound.
    unsafe { ptr.as_ref() }.ok_or_else(|| FfiError::null(what))
}

/// An out-parameter for a new handle: checked for NULL and cleared before any work is done.
pub(crate) struct Out<T>(*mut *mut T);

impl<T> Out<T> {
    pub(crate) fn new(slot: *mut *mut T, what: &str) -> Result<Self, FfiError> {
        if slot.is_null() {
            return Err(FfiError::null(what));
        }
        // SAFETY: non-NULL and, per the header, writable.
        unsafe { *slot = std::ptr::null_mut() };
        Ok(Out(slot))
    }

    /// Hand `value` to the caller, who now owns it.
    pub(crate) fn set(self, value: T) {
        self.set_boxed(Box::new(value));
    }

    /// Hand an already boxed `value` to the caller (for values built in their box).
    pub(crate) fn set_boxed(self, value: Box<T>) {
        // SAFETY: checked non-NULL in `new`.
        unsafe { *self.0 = Box::into_raw(value) };
    }
}

/// The body of a constructor: check `out`, then `make` the value and hand it to the caller as
/// a new handle in `*out` (theirs to free). A failure is reported through `err` (see `run`) and
/// leaves `*out` NULL.
pub(crate) fn create<T>(
    err: *mut *mut apisign_error,
    out: *mut *mut T,
    make: impl FnOnce() -> Result<T, FfiError>,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        out.set(make()?);
        Ok(())
    })
}

/// Drop a handle created by `Out::set`. NULL is a no-op.
pub(crate) fn free<T>(ptr: *mut T) {
    super::panic::guard((), || {
        if !ptr.is_null() {
            // SAFETY: per the header, `ptr` came from apisign (Box::into_raw) and is freed once.
            drop(unsafe { Box::from_raw(ptr) });
        }
    })
}
