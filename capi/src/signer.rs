//! Signing for every scheme: one handle type built from a scheme id and named parameters, one
//! signing call.

use super::error::{apisign_error, run, FfiError};
use super::handle::{borrow, create, Out};
use super::input::text;
use super::param::{apisign_param, param_list, scheme_of};
use super::platforms::{self, Extra};
use super::request::{apisign_request, request};
use super::result::apisign_result;
use super::signature::apisign_signature;
use apisign::scheme::Signer;
use apisign::SignOptions;

/// A signer for one scheme and one caller (the scheme's signing parameters).
///
/// Immutable after creation: one handle may be used from any number of threads at once. Free
/// with `apisign_signer_free`; its secrets are wiped from memory then.
#[allow(non_camel_case_types)]
pub struct apisign_signer {
    pub(crate) signer: Signer,
    /// What the few scheme-only calls need (see `platforms.rs`).
    pub(crate) extra: Option<Extra>,
}

/// `apisign_sign_options.flags`: only the headers are needed; the signed string is left empty
/// (the fast path: same headers, less work).
pub const APISIGN_SIGN_HEADERS_ONLY: u32 = 1;

/// How to sign. All-zero is the default: the clock, a fresh random nonce, the signed string.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct apisign_sign_options {
    /// Milliseconds since the epoch, for every scheme (one sending seconds floors it); 0 reads
    /// the clock.
    pub timestamp_ms: u64,
    /// The nonce (UTF-8) for schemes that send one; NULL draws a fresh one from the OS CSPRNG.
    pub nonce: *const u8,
    /// Length of `nonce`.
    pub nonce_len: usize,
    /// `APISIGN_SIGN_*` flags.
    pub flags: u32,
}

/// Create a signer for `scheme` (`APISIGN_SCHEME_*`) from `params[0..count]` (the scheme's
/// signing parameters; the values are copied). Unknown, repeated, missing or unusable
/// parameters are `APISIGN_INVALID_INPUT` (or `APISIGN_BAD_KEY`) with a message naming them
/// and listing the names the scheme takes.
#[no_mangle]
pub extern "C" fn apisign_signer_new(
    scheme: u32,
    params: *const apisign_param,
    count: usize,
    out: *mut *mut apisign_signer,
    err: *mut *mut apisign_error,
) -> apisign_result {
    create(err, out, || {
        let id = scheme_of(scheme)?;
        let given = param_list(params, count)?;
        let signer = Signer::new(id, &given)?;
        let extra = platforms::extra(id, &given)?;
        Ok(apisign_signer { signer, extra })
    })
}

/// Sign `req`: the headers to add (`apisign_signature_header`), parameters the request must
/// also carry (`apisign_signature_param`), and the signed string unless
/// `APISIGN_SIGN_HEADERS_ONLY`. `opts` may be NULL (clock, random nonce, signed string).
#[no_mangle]
pub extern "C" fn apisign_sign(
    signer: *const apisign_signer,
    req: *const apisign_request,
    opts: *const apisign_sign_options,
    out: *mut *mut apisign_signature,
    err: *mut *mut apisign_error,
) -> apisign_result {
    // Not `create`, whose value passes through a `Result` on its way to the box: a copy of a
    // few hundred bytes (see `apisign_signature::boxed`).
    run(err, || {
        let out = Out::new(out, "out")?;
        let s = borrow(signer, "signer")?;
        let (req, options) = (request(req)?, sign_options(opts)?);
        out.set_boxed(apisign_signature::boxed(|| s.signer.sign(&req, &options))?);
        Ok(())
    })
}

/// `*opts` as core options (NULL: the defaults).
fn sign_options<'a>(opts: *const apisign_sign_options) -> Result<SignOptions<'a>, FfiError> {
    // SAFETY: NULL or a readable struct for the duration of the call (header contract).
    let Some(o) = (unsafe { opts.as_ref() }) else {
        return Ok(SignOptions::default());
    };
    Ok(SignOptions {
        timestamp: (o.timestamp_ms != 0).then_some(o.timestamp_ms),
        nonce: if o.nonce.is_null() {
            None
        } else {
            Some(text(o.nonce, o.nonce_len, "nonce")?)
        },
        headers_only: o.flags & APISIGN_SIGN_HEADERS_ONLY != 0,
    })
}

/// Free a signer (its secrets are wiped). NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_signer_free(signer: *mut apisign_signer) {
    super::handle::free(signer)
}
