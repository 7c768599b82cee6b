//! Server-side verification: a credential store, one verifier per scheme, and the verdict.

use std::sync::{Arc, RwLock};

use super::buffer::write_out;
use super::error::{apisign_error, run, FfiError};
use super::handle::{borrow, Out};
use super::input::{bytes, text};
use super::jetlinks::apisign_jetlinks;
use super::linksfield::apisign_linksfield_public_key;
use super::panic::guard;
use super::piemdm::apisign_piemdm;
use super::result::{apisign_result, APISIGN_NOT_FOUND, APISIGN_PANIC};
use crate::linksfield::PublicKey;
use crate::verify::{
    self, CredentialStore, InMemoryCredentials, InMemoryNonceStore, LovrabetApp, Window,
};
use crate::{jetlinks, lovrabet, piemdm, IncomingRequest, Secret, Verified};

/// A byte string `(ptr, len)` in a list.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct apisign_bytes {
    /// The bytes (may be NULL when `len` is 0).
    pub ptr: *const u8,
    /// Their length.
    pub len: usize,
}

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
/// `now`, in the scheme's unit (ms; seconds for PieMDM). Both bounds are inclusive.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct apisign_window {
    /// Largest accepted `now - timestamp`.
    pub max_age: u64,
    /// Largest accepted `timestamp - now`.
    pub max_ahead: u64,
}

/// The credentials verifiers look callers up in (kept in memory).
///
/// Thread-safe, including while credentials are added: verifiers made from it see additions
/// (key rotation) at once. Free with `apisign_credentials_free` (verifiers keep their own
/// reference).
#[allow(non_camel_case_types)]
pub struct apisign_credentials {
    store: Arc<SharedCredentials>,
}

/// The in-memory store behind a lock, so C may add credentials while verifiers read.
#[derive(Default)]
struct SharedCredentials(RwLock<InMemoryCredentials>);

impl SharedCredentials {
    fn read<T>(&self, f: impl FnOnce(&InMemoryCredentials) -> T) -> T {
        // A panic while holding the lock cannot leave the map half-written (inserts are
        // single calls), so a poisoned lock is still safe to read.
        f(&self.0.read().unwrap_or_else(|p| p.into_inner()))
    }

    fn write<T>(&self, f: impl FnOnce(&mut InMemoryCredentials) -> T) -> T {
        f(&mut self.0.write().unwrap_or_else(|p| p.into_inner()))
    }
}

impl CredentialStore for SharedCredentials {
    fn lovrabet_app(&self, app_code: &str) -> Option<Arc<LovrabetApp>> {
        self.read(|c| c.lovrabet_app(app_code))
    }
    fn lovrabet_dataset_exists(&self, dataset_code: &str) -> bool {
        self.read(|c| c.lovrabet_dataset_exists(dataset_code))
    }
    fn jetlinks_client(&self, client_id: &str) -> Option<Arc<jetlinks::Signer>> {
        self.read(|c| c.jetlinks_client(client_id))
    }
    fn piemdm_app(&self, app_id: &str) -> Option<Arc<piemdm::Signer>> {
        self.read(|c| c.piemdm_app(app_id))
    }
    fn linksfield_key(&self, key_id: &str) -> Option<Arc<PublicKey>> {
        self.read(|c| c.linksfield_key(key_id))
    }
}

/// Create an empty credential store.
#[no_mangle]
pub extern "C" fn apisign_credentials_new(
    out: *mut *mut apisign_credentials,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        Out::new(out, "out")?.set(apisign_credentials {
            store: Arc::default(),
        });
        Ok(())
    })
}

/// Register Lovrabet app `app_code` with its access key and secret key (`secret_key = NULL`:
/// the default `"lovrabet"`), allowed to read `datasets[0..count]` (which also become known
/// datasets).
#[no_mangle]
pub extern "C" fn apisign_credentials_add_lovrabet(
    creds: *const apisign_credentials,
    app_code: *const u8,
    app_code_len: usize,
    access_key: *const u8,
    access_key_len: usize,
    secret_key: *const u8,
    secret_key_len: usize,
    datasets: *const apisign_bytes,
    count: usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let c = borrow(creds, "creds")?;
        let app_code = text(app_code, app_code_len, "app_code")?;
        let secret = if secret_key.is_null() {
            Secret::from(lovrabet::DEFAULT_SECRET_KEY)
        } else {
            Secret::from(bytes(secret_key, secret_key_len, "secret_key")?)
        };
        let mut app = LovrabetApp::new(text(access_key, access_key_len, "access_key")?, secret)?;
        let list: &[apisign_bytes] = if count == 0 {
            &[]
        } else if datasets.is_null() {
            return Err(FfiError::null("datasets"));
        } else {
            // SAFETY: the caller promises `count` readable entries (header contract).
            unsafe { std::slice::from_raw_parts(datasets, count) }
        };
        for d in list {
            app = app.allow(text(d.ptr, d.len, "datasets")?)?;
        }
        c.store.write(|s| s.add_lovrabet_app(app_code, app))?;
        Ok(())
    })
}

/// Register a Lovrabet dataset that exists, whether or not any app may read it (so a request
/// for it is "access denied", not "unknown dataset").
#[no_mangle]
pub extern "C" fn apisign_credentials_add_lovrabet_dataset(
    creds: *const apisign_credentials,
    dataset_code: *const u8,
    dataset_code_len: usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let c = borrow(creds, "creds")?;
        let ds = text(dataset_code, dataset_code_len, "dataset_code")?;
        c.store.write(|s| s.add_lovrabet_dataset(ds))?;
        Ok(())
    })
}

/// Register a JetLinks client: the signer's client id, secure key and algorithm (copied).
#[no_mangle]
pub extern "C" fn apisign_credentials_add_jetlinks(
    creds: *const apisign_credentials,
    client: *const apisign_jetlinks,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let c = borrow(creds, "creds")?;
        let signer = borrow(client, "client")?.signer.clone();
        c.store.write(|s| s.add_jetlinks(signer));
        Ok(())
    })
}

/// Register a PieMDM app: the signer's app id and secret (copied).
#[no_mangle]
pub extern "C" fn apisign_credentials_add_piemdm(
    creds: *const apisign_credentials,
    app: *const apisign_piemdm,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let c = borrow(creds, "creds")?;
        let signer = borrow(app, "app")?.signer.clone();
        c.store.write(|s| s.add_piemdm(signer));
        Ok(())
    })
}

/// Register a Linksfield public key under `key_id` (copied).
#[no_mangle]
pub extern "C" fn apisign_credentials_add_linksfield(
    creds: *const apisign_credentials,
    key_id: *const u8,
    key_id_len: usize,
    key: *const apisign_linksfield_public_key,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let c = borrow(creds, "creds")?;
        let id = text(key_id, key_id_len, "key_id")?;
        let k = borrow(key, "key")?.key.clone();
        c.store.write(|s| s.add_linksfield(id, k))?;
        Ok(())
    })
}

/// Free a credential store. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_credentials_free(creds: *mut apisign_credentials) {
    super::handle::free(creds)
}

enum Scheme {
    Lovrabet(verify::lovrabet::Verifier),
    JetLinks(verify::jetlinks::Verifier),
    PieMdm(verify::piemdm::Verifier),
    Linksfield(verify::linksfield::Verifier),
}

/// A verifier for one scheme: looks callers up in its credentials, checks the timestamp window,
/// recomputes the signature and compares it in constant time; PieMDM (and Linksfield v2 when
/// asked) also rejects replayed nonces, kept in memory.
///
/// Thread-safe: one handle may verify requests from any number of threads at once. Free with
/// `apisign_verifier_free`.
#[allow(non_camel_case_types)]
pub struct apisign_verifier {
    scheme: Scheme,
}

fn window(w: *const apisign_window) -> Option<Window> {
    // SAFETY: NULL or a readable struct for the duration of the call (header contract).
    unsafe { w.as_ref() }.map(|w| Window {
        max_age: w.max_age,
        max_ahead: w.max_ahead,
    })
}

fn store(creds: *const apisign_credentials) -> Result<Arc<dyn CredentialStore>, FfiError> {
    Ok(borrow(creds, "creds")?.store.clone())
}

/// A Lovrabet verifier (`now` in Unix ms). `win` may be NULL for the default window.
#[no_mangle]
pub extern "C" fn apisign_verifier_lovrabet_new(
    creds: *const apisign_credentials,
    win: *const apisign_window,
    out: *mut *mut apisign_verifier,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let mut v = verify::lovrabet::Verifier::new(store(creds)?);
        if let Some(w) = window(win) {
            v = v.window(w);
        }
        out.set(apisign_verifier {
            scheme: Scheme::Lovrabet(v),
        });
        Ok(())
    })
}

/// A JetLinks verifier (`now` in Unix ms). `win` may be NULL for the default (±5 minutes).
#[no_mangle]
pub extern "C" fn apisign_verifier_jetlinks_new(
    creds: *const apisign_credentials,
    win: *const apisign_window,
    out: *mut *mut apisign_verifier,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let mut v = verify::jetlinks::Verifier::new(store(creds)?);
        if let Some(w) = window(win) {
            v = v.window(w);
        }
        out.set(apisign_verifier {
            scheme: Scheme::JetLinks(v),
        });
        Ok(())
    })
}

/// A PieMDM verifier (`now` in Unix **seconds**) with its own in-memory nonce store. `win` may
/// be NULL for the default (±300 s).
#[no_mangle]
pub extern "C" fn apisign_verifier_piemdm_new(
    creds: *const apisign_credentials,
    win: *const apisign_window,
    out: *mut *mut apisign_verifier,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let mut v =
            verify::piemdm::Verifier::new(store(creds)?, Arc::new(InMemoryNonceStore::default()));
        if let Some(w) = window(win) {
            v = v.window(w);
        }
        out.set(apisign_verifier {
            scheme: Scheme::PieMdm(v),
        });
        Ok(())
    })
}

/// A Linksfield verifier (`now` in Unix ms). `accept_v1` also accepts the deprecated signature
/// version 1; `track_nonces` rejects replayed v2 nonces (kept in memory). `win` may be NULL
/// for the default.
#[no_mangle]
pub extern "C" fn apisign_verifier_linksfield_new(
    creds: *const apisign_credentials,
    win: *const apisign_window,
    accept_v1: bool,
    track_nonces: bool,
    out: *mut *mut apisign_verifier,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let mut v = verify::linksfield::Verifier::new(store(creds)?).accept_v1(accept_v1);
        if track_nonces {
            v = v.with_nonce_store(Arc::new(InMemoryNonceStore::default()));
        }
        if let Some(w) = window(win) {
            v = v.window(w);
        }
        out.set(apisign_verifier {
            scheme: Scheme::Linksfield(v),
        });
        Ok(())
    })
}

/// Verify `req` at `now` (Unix ms; seconds for PieMDM). `APISIGN_OK` with `*out` set when the
/// request is authentic; otherwise a verification code (`APISIGN_SIGNATURE_INVALID`,
/// `APISIGN_NONCE_REUSED`…) and an error whose message says why and whose
/// `apisign_error_platform_code` is what the real platform would answer. Messages never
/// contain a secret or the expected signature.
#[no_mangle]
pub extern "C" fn apisign_verify(
    verifier: *const apisign_verifier,
    req: *const apisign_incoming,
    now: u64,
    out: *mut *mut apisign_verified,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let v = borrow(verifier, "verifier")?;
        // SAFETY: NULL or a readable struct for the duration of the call (header contract).
        let r = unsafe { req.as_ref() }.ok_or_else(|| FfiError::null("request"))?;
        let list: &[apisign_header] = if r.header_count == 0 {
            &[]
        } else if r.headers.is_null() {
            return Err(FfiError::null("headers"));
        } else {
            // SAFETY: the caller promises `header_count` readable entries (header contract).
            unsafe { std::slice::from_raw_parts(r.headers, r.header_count) }
        };
        let mut incoming = IncomingRequest::new(
            text(r.method, r.method_len, "method")?,
            text(r.url, r.url_len, "url")?,
        )
        .with_body(bytes(r.body, r.body_len, "body")?);
        incoming.headers.reserve(list.len());
        for h in list {
            incoming.headers.push((
                text(h.name, h.name_len, "header name")?,
                text(h.value, h.value_len, "header value")?,
            ));
        }
        let verified = match &v.scheme {
            Scheme::Lovrabet(x) => x.verify(&incoming, now),
            Scheme::JetLinks(x) => x.verify(&incoming, now),
            Scheme::PieMdm(x) => x.verify(&incoming, now),
            Scheme::Linksfield(x) => x.verify(&incoming, now),
        }?;
        out.set(apisign_verified(verified));
        Ok(())
    })
}

/// Free a verifier. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_verifier_free(verifier: *mut apisign_verifier) {
    super::handle::free(verifier)
}

/// Who sent an authentic request. Immutable: safe to read from several threads at once. Free
/// with `apisign_verified_free`.
#[allow(non_camel_case_types)]
pub struct apisign_verified(Verified);

/// Copy the authenticated caller (Lovrabet app code, JetLinks client id, PieMDM app id or
/// Linksfield key id) into `buf`.
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

/// Copy the Lovrabet dataset the token is bound to; `APISIGN_NOT_FOUND` for other schemes.
#[no_mangle]
pub extern "C" fn apisign_verified_dataset(
    v: *const apisign_verified,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    guard(APISIGN_PANIC, || match borrow(v, "verified") {
        Ok(v) => match &v.0.dataset {
            Some(d) => write_out(d.as_bytes(), buf, len, out_len),
            None => APISIGN_NOT_FOUND,
        },
        Err(e) => e.code,
    })
}

/// Copy the nonce; `APISIGN_NOT_FOUND` for schemes without one.
#[no_mangle]
pub extern "C" fn apisign_verified_nonce(
    v: *const apisign_verified,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    guard(APISIGN_PANIC, || match borrow(v, "verified") {
        Ok(v) => match &v.0.nonce {
            Some(n) => write_out(n.as_bytes(), buf, len, out_len),
            None => APISIGN_NOT_FOUND,
        },
        Err(e) => e.code,
    })
}

/// The signed timestamp, in the scheme's unit (0 when `v` is NULL).
#[no_mangle]
pub extern "C" fn apisign_verified_timestamp(v: *const apisign_verified) -> u64 {
    guard(0, || borrow(v, "verified").map_or(0, |v| v.0.timestamp))
}

/// Free a verdict. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_verified_free(v: *mut apisign_verified) {
    super::handle::free(v)
}
