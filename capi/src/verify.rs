//! Server-side verification for every scheme: one builder (scheme id, credentials, window,
//! nonce store, named settings), one verifying call, and the verdict.

use std::sync::Arc;

use super::buffer::write_out;
use super::credentials::apisign_credentials;
use super::error::{apisign_error, run, FfiError};
use super::handle::{borrow, create};
use super::input::{bytes, list, text};
use super::nonce_store::apisign_nonce_store;
use super::panic::guard;
use super::param::scheme_of;
use super::result::{apisign_result, APISIGN_NOT_FOUND, APISIGN_OK, APISIGN_PANIC};
use apisign::scheme::Verifier;
use apisign::verify::{InMemoryCredentials, NonceStore, Window};
use apisign::{IncomingRequest, SchemeId, Verified};

/// One received header.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct apisign_header {
    /// Header name (compared ASCII case-insensitively).
    pub name: *const u8,
    /// Length of `name`.
    pub name_len: usize,
    /// Header value as received.
    pub value: *const u8,
    /// Length of `value`.
    pub value_len: usize,
}

/// A request as the server received it. Borrowed for the duration of the call only.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct apisign_incoming {
    /// HTTP method as received.
    pub method: *const u8,
    /// Length of `method`.
    pub method_len: usize,
    /// Request target as received (`/path?raw=query`).
    pub url: *const u8,
    /// Length of `url`.
    pub url_len: usize,
    /// The exact body bytes (may be NULL when `body_len` is 0).
    pub body: *const u8,
    /// Length of `body`.
    pub body_len: usize,
    /// Headers in arrival order.
    pub headers: *const apisign_header,
    /// Number of headers.
    pub header_count: usize,
}

/// How far a timestamp may lie behind (`max_age`) and ahead of (`max_ahead`) the verifier's
/// `now`, in milliseconds for every scheme. Both bounds are inclusive.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct apisign_window {
    /// Largest accepted `now - timestamp`.
    pub max_age: u64,
    /// Largest accepted `timestamp - now`.
    pub max_ahead: u64,
}

/// Options for a verifier, set one by one before `apisign_verifier_builder_build` (in the
/// style of rustls-ffi's config builders). Unset options are the scheme's defaults, from the
/// core: its window, its settings' defaults, and an in-memory nonce store for a scheme that
/// always checks nonces.
///
/// Not thread-safe while being configured: use one builder from one thread at a time. Building
/// does not consume it (it may build several verifiers). Free with
/// `apisign_verifier_builder_free`.
#[allow(non_camel_case_types)]
pub struct apisign_verifier_builder {
    scheme: SchemeId,
    creds: Arc<InMemoryCredentials>,
    window: Option<Window>,
    nonce_ttl_secs: Option<u64>,
    nonces: Option<Arc<dyn NonceStore>>,
    settings: Vec<(String, String)>,
}

impl apisign_verifier_builder {
    /// The core builder these options describe.
    fn core(&self) -> apisign::scheme::VerifierBuilder {
        let mut b = Verifier::builder(self.scheme, self.creds.clone());
        if let Some(w) = self.window {
            b = b.window(w);
        }
        if let Some(ttl) = self.nonce_ttl_secs {
            b = b.nonce_ttl_secs(ttl);
        }
        if let Some(n) = &self.nonces {
            b = b.nonce_store(n.clone());
        }
        b
    }
}

fn builder_mut<'a>(
    b: *mut apisign_verifier_builder,
) -> Result<&'a mut apisign_verifier_builder, FfiError> {
    // SAFETY: NULL or a live builder from apisign_verifier_builder_new that, per the header,
    // no other thread uses during this call.
    unsafe { b.as_mut() }.ok_or_else(|| FfiError::null("builder"))
}

/// A verifier for one scheme: looks callers up in its credentials, checks the timestamp
/// window, recomputes the signature and compares it in constant time, and rejects replayed
/// nonces where the scheme (or its settings) asks.
///
/// Thread-safe: one handle may verify requests from any number of threads at once. Free with
/// `apisign_verifier_free`.
#[allow(non_camel_case_types)]
pub struct apisign_verifier(pub(crate) Verifier);

/// Start configuring a verifier for `scheme` (`APISIGN_SCHEME_*`) over `creds` (the builder
/// and its verifiers keep their own reference).
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_new(
    scheme: u32,
    creds: *const apisign_credentials,
    out: *mut *mut apisign_verifier_builder,
    err: *mut *mut apisign_error,
) -> apisign_result {
    create(err, out, || {
        let scheme = scheme_of(scheme)?;
        Ok(apisign_verifier_builder {
            scheme,
            creds: borrow(creds, "creds")?.store.clone(),
            window: None,
            nonce_ttl_secs: None,
            nonces: None,
            settings: Vec::new(),
        })
    })
}

/// Accept timestamps at most `w->max_age` ms behind and `w->max_ahead` ms ahead of `now`
/// (inclusive). Default: the scheme's window.
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_set_window(
    builder: *mut apisign_verifier_builder,
    w: *const apisign_window,
) -> apisign_result {
    guard(APISIGN_PANIC, || {
        let b = match builder_mut(builder) {
            Ok(b) => b,
            Err(e) => return e.code,
        };
        // SAFETY: NULL or a readable struct for the duration of the call (header contract).
        match unsafe { w.as_ref() } {
            Some(w) => {
                b.window = Some(Window {
                    max_age: w.max_age,
                    max_ahead: w.max_ahead,
                });
                APISIGN_OK
            }
            None => FfiError::null("window").code,
        }
    })
}

/// Remember each nonce for `secs` seconds instead of the default, the window's width + 1 s. A
/// TTL shorter than that would forget a nonce while its timestamp is still accepted,
/// re-opening replay: `apisign_verifier_builder_build` refuses it (`APISIGN_INVALID_INPUT`,
/// field `nonce_ttl`), as it refuses a TTL for a scheme whose requests carry no nonce.
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_set_nonce_ttl(
    builder: *mut apisign_verifier_builder,
    secs: u64,
) -> apisign_result {
    guard(APISIGN_PANIC, || match builder_mut(builder) {
        Ok(b) => {
            b.nonce_ttl_secs = Some(secs);
            APISIGN_OK
        }
        Err(e) => e.code,
    })
}

/// Record nonces in `store` (built-in or callback; shared with the caller, who may free its
/// handle right after). For a scheme that always checks nonces it replaces the default
/// in-memory store; for one where it is optional it turns replay protection on. For a scheme
/// whose requests carry no nonce, `apisign_verifier_builder_build` refuses it.
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_set_nonce_store(
    builder: *mut apisign_verifier_builder,
    store: *const apisign_nonce_store,
) -> apisign_result {
    guard(APISIGN_PANIC, || {
        match builder_mut(builder).and_then(|b| Ok((b, borrow(store, "store")?))) {
            Ok((b, s)) => {
                b.nonces = Some(s.store.clone());
                APISIGN_OK
            }
            Err(e) => e.code,
        }
    })
}

/// Set the scheme setting `name` to `value` (both UTF-8 text; flags are `true`/`false`,
/// numbers decimal). An unknown name is `APISIGN_INVALID_INPUT` at once, with a message
/// listing the scheme's settings; a bad value is refused by `apisign_verifier_builder_build`.
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_set(
    builder: *mut apisign_verifier_builder,
    name: *const u8,
    name_len: usize,
    value: *const u8,
    value_len: usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let b = builder_mut(builder)?;
        let name = text(name, name_len, "name")?;
        let value = text(value, value_len, "value")?;
        // The core checks the name (one place for the list of settings and its message).
        Verifier::builder(b.scheme, b.creds.clone()).setting(name, value)?;
        b.settings.retain(|(n, _)| n != name);
        b.settings.push((name.to_owned(), value.to_owned()));
        Ok(())
    })
}

/// A verifier with the builder's options (the builder stays usable; verifiers built from it
/// share its nonce store, if one was set). `APISIGN_INVALID_INPUT` naming the option when the
/// options cannot be used together or a setting's value is bad.
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_build(
    builder: *const apisign_verifier_builder,
    out: *mut *mut apisign_verifier,
    err: *mut *mut apisign_error,
) -> apisign_result {
    create(err, out, || {
        let b = borrow(builder, "builder")?;
        let mut core = b.core();
        for (n, v) in &b.settings {
            core = core.setting(n, v)?;
        }
        Ok(apisign_verifier(core.build()?))
    })
}

/// Free a builder. NULL is ignored. Verifiers built from it are unaffected.
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_free(builder: *mut apisign_verifier_builder) {
    super::handle::free(builder)
}

/// Verify `req` at `now_ms` (milliseconds since the epoch, for every scheme). `APISIGN_OK`
/// with `*out` set when the request is authentic; otherwise a verification code
/// (`APISIGN_SIGNATURE_INVALID`, `APISIGN_NONCE_REUSED`…) and an error whose message says why
/// and whose `apisign_error_platform_code` is what the real platform would answer. Messages
/// never contain a secret or the expected signature.
#[no_mangle]
pub extern "C" fn apisign_verify(
    verifier: *const apisign_verifier,
    req: *const apisign_incoming,
    now_ms: u64,
    out: *mut *mut apisign_verified,
    err: *mut *mut apisign_error,
) -> apisign_result {
    // The client address unknown: credentials with allowed_ips refuse.
    super::middleware::apisign_verify_from(verifier, req, std::ptr::null(), 0, now_ms, out, err)
}

/// The request `req` describes, borrowed.
pub(crate) fn incoming<'a>(req: *const apisign_incoming) -> Result<IncomingRequest<'a>, FfiError> {
    // SAFETY: NULL or a readable struct for the duration of the call (header contract).
    let r = unsafe { req.as_ref() }.ok_or_else(|| FfiError::null("request"))?;
    let mut incoming = IncomingRequest::new(
        text(r.method, r.method_len, "method")?,
        text(r.url, r.url_len, "url")?,
    )
    .with_body(bytes(r.body, r.body_len, "body")?);
    incoming.headers = header_list(r.headers, r.header_count)?;
    Ok(incoming)
}

/// `(name, value)` pairs of `count` headers at `headers`.
pub(crate) fn header_list<'a>(
    headers: *const apisign_header,
    count: usize,
) -> Result<Vec<(&'a str, &'a str)>, FfiError> {
    list(headers, count, "headers")?
        .iter()
        .map(|h| {
            Ok((
                text(h.name, h.name_len, "header name")?,
                text(h.value, h.value_len, "header value")?,
            ))
        })
        .collect()
}

/// Free a verifier. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_verifier_free(verifier: *mut apisign_verifier) {
    super::handle::free(verifier)
}

/// Who sent an authentic request. Immutable: safe to read from several threads at once. Free
/// with `apisign_verified_free`.
#[allow(non_camel_case_types)]
pub struct apisign_verified(pub(crate) Verified);

/// Copy the authenticated caller (the credential's id: app code, client id, app id or key id)
/// into `buf`.
#[no_mangle]
pub extern "C" fn apisign_verified_caller(
    v: *const apisign_verified,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    guard(APISIGN_PANIC, || match borrow(v, "verified") {
        Ok(v) => write_out(v.0.caller.as_bytes(), buf, len, out_len),
        Err(e) => e.code,
    })
}

/// Copy the scope (dataset) the request is bound to; `APISIGN_NOT_FOUND` for schemes without
/// one.
#[no_mangle]
pub extern "C" fn apisign_verified_dataset(
    v: *const apisign_verified,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    copy_optional(v, |v| v.dataset.as_deref(), buf, len, out_len)
}

/// Copy the nonce; `APISIGN_NOT_FOUND` for schemes without one.
#[no_mangle]
pub extern "C" fn apisign_verified_nonce(
    v: *const apisign_verified,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    copy_optional(v, |v| v.nonce.as_deref(), buf, len, out_len)
}

/// Copy a field of the verdict that a scheme may not have (`APISIGN_NOT_FOUND` then).
fn copy_optional(
    v: *const apisign_verified,
    field: fn(&Verified) -> Option<&str>,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    guard(APISIGN_PANIC, || match borrow(v, "verified") {
        Ok(v) => field(&v.0).map_or(APISIGN_NOT_FOUND, |f| {
            write_out(f.as_bytes(), buf, len, out_len)
        }),
        Err(e) => e.code,
    })
}

/// The signed timestamp in milliseconds since the epoch, for every scheme (0 when `v` is
/// NULL).
#[no_mangle]
pub extern "C" fn apisign_verified_timestamp(v: *const apisign_verified) -> u64 {
    guard(0, || borrow(v, "verified").map_or(0, |v| v.0.timestamp))
}

/// Free a verdict. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_verified_free(v: *mut apisign_verified) {
    super::handle::free(v)
}
