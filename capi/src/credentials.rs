//! The credential store verifiers look callers up in: callers of any scheme, added from the
//! scheme's credential parameters.

use std::sync::Arc;

use super::error::{apisign_error, run, FfiError};
use super::handle::{borrow, Out};
use super::input::text;
use super::panic::guard;
use super::param::{apisign_param, param_list, scheme_of};
use super::result::{apisign_result, APISIGN_OK, APISIGN_PANIC};
use apisign::verify::InMemoryCredentials;

/// The credentials verifiers look callers up in (kept in memory).
///
/// Thread-safe, including while credentials are added or removed: verifiers made from it see
/// changes (key rotation) at once. Free with `apisign_credentials_free` (verifiers keep their
/// own reference).
#[allow(non_camel_case_types)]
pub struct apisign_credentials {
    pub(crate) store: Arc<InMemoryCredentials>,
}

/// Create an empty credential store.
#[no_mangle]
pub extern "C" fn apisign_credentials_new(out: *mut *mut apisign_credentials) -> apisign_result {
    guard(APISIGN_PANIC, || match Out::new(out, "out") {
        Ok(out) => {
            out.set(apisign_credentials {
                store: Arc::default(),
            });
            APISIGN_OK
        }
        Err(e) => e.code,
    })
}

/// Register (or replace) a caller of `scheme` (`APISIGN_SCHEME_*`) from `params[0..count]`, the
/// scheme's credential parameters (copied; a repeatable one, such as a dataset the caller may
/// use, may be given several times and its values become known scopes). Bad parameters are
/// `APISIGN_INVALID_INPUT` (or `APISIGN_BAD_KEY`) naming them.
#[no_mangle]
pub extern "C" fn apisign_credentials_add(
    creds: *mut apisign_credentials,
    scheme: u32,
    params: *const apisign_param,
    count: usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let c = borrow(creds, "creds")?;
        let id = scheme_of(scheme)?;
        c.store.add_params(id, &param_list(params, count)?)?;
        Ok(())
    })
}

/// Register a scope (dataset) of `scheme` that exists whether or not any caller may use it (so
/// a request for it is "access denied", not "unknown").
#[no_mangle]
pub extern "C" fn apisign_credentials_add_scope(
    creds: *mut apisign_credentials,
    scheme: u32,
    scope: *const u8,
    scope_len: usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let c = borrow(creds, "creds")?;
        let id = scheme_of(scheme)?;
        c.store.add_scope(id, text(scope, scope_len, "scope")?)?;
        Ok(())
    })
}

/// Remove the caller `id` of `scheme`; `*removed` (may be NULL) says whether it was
/// registered. Verifiers reject it from the next request on.
#[no_mangle]
pub extern "C" fn apisign_credentials_remove(
    creds: *mut apisign_credentials,
    scheme: u32,
    id: *const u8,
    id_len: usize,
    removed: *mut bool,
) -> apisign_result {
    run(std::ptr::null_mut(), || {
        let c = borrow(creds, "creds")?;
        let scheme = scheme_of(scheme)?;
        let was = c.store.remove(scheme, text(id, id_len, "id")?);
        if !removed.is_null() {
            // SAFETY: non-NULL and writable per the header contract.
            unsafe { *removed = was };
        }
        Ok::<(), FfiError>(())
    })
}

/// Free a credential store. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_credentials_free(creds: *mut apisign_credentials) {
    super::handle::free(creds)
}
