//! Server-side verification: a credential store, one verifier per scheme, and the verdict.

use std::ffi::c_void;
use std::sync::{Arc, RwLock};

use super::buffer::write_out;
use super::error::{apisign_error, run, FfiError};
use super::handle::{borrow, Out};
use super::input::{bytes, text};
use super::jetlinks::apisign_jetlinks;
use super::linksfield::apisign_linksfield_public_key;
use super::panic::guard;
use super::piemdm::apisign_piemdm;
use super::result::{
    apisign_result, APISIGN_INVALID_INPUT, APISIGN_NONCE_STORE_FULL, APISIGN_NOT_FOUND, APISIGN_OK,
    APISIGN_PANIC,
};
use apisign::error::{Error, ErrorKind};
use apisign::limits::MAX_NONCE_LEN;
use apisign::linksfield::PublicKey;
use apisign::verify::{
    self, CredentialStore, InMemoryCredentials, InMemoryNonceStore, LovrabetApp, NonceStore, Window,
};
use apisign::{jetlinks, lovrabet, piemdm, IncomingRequest, Secret, Verified};

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

fn store(creds: *const apisign_credentials) -> Result<Arc<SharedCredentials>, FfiError> {
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
        let mut b = apisign_verifier_builder::new(SchemeKind::Lovrabet, store(creds)?);
        b.window = window(win);
        out.set(apisign_verifier { scheme: b.build()? });
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
        let mut b = apisign_verifier_builder::new(SchemeKind::JetLinks, store(creds)?);
        b.window = window(win);
        out.set(apisign_verifier { scheme: b.build()? });
        Ok(())
    })
}

/// A PieMDM verifier (`now` in Unix **seconds**) with its own in-memory nonce store, keeping
/// nonces for the window's width + 1 s. `win` may be NULL for the default (±300 s).
#[no_mangle]
pub extern "C" fn apisign_verifier_piemdm_new(
    creds: *const apisign_credentials,
    win: *const apisign_window,
    out: *mut *mut apisign_verifier,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let mut b = apisign_verifier_builder::new(SchemeKind::PieMdm, store(creds)?);
        b.window = window(win);
        out.set(apisign_verifier { scheme: b.build()? });
        Ok(())
    })
}

/// A Linksfield verifier (`now` in Unix ms). `accept_v1` also accepts the deprecated signature
/// version 1; `track_nonces` rejects replayed nonces, v1 and v2 (kept in memory). `win` may be
/// NULL for the default.
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
        let mut b = apisign_verifier_builder::new(SchemeKind::Linksfield, store(creds)?);
        b.window = window(win);
        b.accept_v1 = accept_v1;
        if track_nonces {
            b.nonces = Some(Arc::new(InMemoryNonceStore::default()));
        }
        out.set(apisign_verifier { scheme: b.build()? });
        Ok(())
    })
}

/// `apisign_verifier_builder_new`: a Lovrabet verifier (`now` in Unix ms).
pub const APISIGN_SCHEME_LOVRABET: u32 = 0;
/// `apisign_verifier_builder_new`: a JetLinks verifier (`now` in Unix ms).
pub const APISIGN_SCHEME_JETLINKS: u32 = 1;
/// `apisign_verifier_builder_new`: a PieMDM verifier (`now` in Unix **seconds**).
pub const APISIGN_SCHEME_PIEMDM: u32 = 2;
/// `apisign_verifier_builder_new`: a Linksfield verifier (`now` in Unix ms).
pub const APISIGN_SCHEME_LINKSFIELD: u32 = 3;

/// The callback of a caller-provided nonce store (see `apisign_nonce_store_new_callback`).
///
/// Record `key[0..key_len]` (UTF-8, not NUL-terminated, borrowed for the call only) for
/// `ttl_secs` seconds from `now_secs` (a shared store may use its own clock) and set `*fresh`:
/// `true` when the key was unused and is now recorded (this request wins), `false` when it is
/// already recorded and live (a replay). A recorded key must stay live for every `now_secs` up
/// to its recording `now_secs + ttl_secs - 1`: the verifier's TTL is computed for exactly that,
/// and expiring earlier re-opens replay. Must be atomic: of several concurrent calls with one
/// key exactly one may see `true`. Return `APISIGN_OK`, or on failure `APISIGN_NONCE_STORE_FULL`
/// or `APISIGN_NONCE_STORE_UNAVAILABLE` (any other non-zero value counts as unavailable); the
/// request is then rejected with that code — a store failure never admits a request. Called
/// from whichever threads call `apisign_verify`, possibly at the same time; it must not unwind
/// or longjmp out.
#[allow(non_camel_case_types)]
pub type apisign_nonce_check_and_record = Option<
    extern "C" fn(
        userdata: *mut c_void,
        key: *const u8,
        key_len: usize,
        ttl_secs: u64,
        now_secs: u64,
        fresh: *mut bool,
    ) -> apisign_result,
>;

/// Releases the `userdata` of a callback nonce store, once, when the last verifier or handle
/// using the store is freed.
#[allow(non_camel_case_types)]
pub type apisign_userdata_free = Option<extern "C" fn(userdata: *mut c_void)>;

/// A nonce store for replay protection: the built-in in-memory one or one provided by the
/// caller through callbacks (e.g. backed by Redis). Give it to verifiers with
/// `apisign_verifier_builder_set_nonce_store`; several verifiers may share one store.
///
/// Thread-safe. Free with `apisign_nonce_store_free` (verifiers and builders keep their own
/// reference; the callback store's `userdata` is released when the last one is gone).
#[allow(non_camel_case_types)]
pub struct apisign_nonce_store {
    store: Arc<dyn NonceStore>,
}

/// The Rust side of a C callback store.
struct CallbackStore {
    check_and_record: extern "C" fn(*mut c_void, *const u8, usize, u64, u64, *mut bool) -> u32,
    userdata: *mut c_void,
    free_userdata: apisign_userdata_free,
}

// SAFETY: the header requires the callback to be callable from any thread, concurrently, and
// `userdata` is only ever handed back to the caller's own callbacks.
unsafe impl Send for CallbackStore {}
// SAFETY: as above; the store itself holds no Rust state that could race.
unsafe impl Sync for CallbackStore {}

impl NonceStore for CallbackStore {
    fn check_and_record(&self, key: &str, ttl_secs: u64, now_secs: u64) -> apisign::Result<bool> {
        // Fail closed: a callback that returns OK without setting *fresh reports a replay.
        let mut fresh = false;
        let rc = (self.check_and_record)(
            self.userdata,
            key.as_ptr(),
            key.len(),
            ttl_secs,
            now_secs,
            &mut fresh,
        );
        match rc {
            APISIGN_OK => Ok(fresh),
            APISIGN_NONCE_STORE_FULL => Err(Error::new(
                ErrorKind::NonceStoreFull,
                "the nonce store callback reports the store is full; the request is refused rather than risk a replay",
            )
            .with_field("nonce")),
            other => Err(Error::new(
                ErrorKind::NonceStoreUnavailable,
                format!(
                    "the nonce store callback failed (returned {other}); the request is refused rather than risk a replay"
                ),
            )
            .with_field("nonce")),
        }
    }
}

impl Drop for CallbackStore {
    fn drop(&mut self) {
        if let Some(free) = self.free_userdata {
            free(self.userdata);
        }
    }
}

/// A nonce store that calls `check_and_record(userdata, …)` for every nonce of an authentic
/// request (see `apisign_nonce_check_and_record`). `free_userdata` (may be NULL) is called
/// once with `userdata` when the store is no longer used; on failure nothing is taken over and
/// it is not called. `check_and_record` must not be NULL.
#[no_mangle]
pub extern "C" fn apisign_nonce_store_new_callback(
    check_and_record: apisign_nonce_check_and_record,
    userdata: *mut c_void,
    free_userdata: apisign_userdata_free,
    out: *mut *mut apisign_nonce_store,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let check_and_record =
            check_and_record.ok_or_else(|| FfiError::null("check_and_record"))?;
        out.set(apisign_nonce_store {
            store: Arc::new(CallbackStore {
                check_and_record,
                userdata,
                free_userdata,
            }),
        });
        Ok(())
    })
}

/// The built-in in-memory nonce store holding at most `capacity` live nonces (0: the default,
/// 229 376). When full of live nonces it refuses new ones (`APISIGN_NONCE_STORE_FULL`) rather
/// than forget one.
#[no_mangle]
pub extern "C" fn apisign_nonce_store_new_memory(
    capacity: usize,
    out: *mut *mut apisign_nonce_store,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let store = if capacity == 0 {
            InMemoryNonceStore::default()
        } else {
            InMemoryNonceStore::with_capacity(capacity)
        };
        out.set(apisign_nonce_store {
            store: Arc::new(store),
        });
        Ok(())
    })
}

/// Free a nonce store handle. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_nonce_store_free(store: *mut apisign_nonce_store) {
    super::handle::free(store)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SchemeKind {
    Lovrabet,
    JetLinks,
    PieMdm,
    Linksfield,
}

impl SchemeKind {
    fn name(self) -> &'static str {
        match self {
            SchemeKind::Lovrabet => "Lovrabet",
            SchemeKind::JetLinks => "JetLinks",
            SchemeKind::PieMdm => "PieMDM",
            SchemeKind::Linksfield => "Linksfield",
        }
    }
}

/// Options for a verifier, set one by one before `apisign_verifier_builder_build` (in the
/// style of rustls-ffi's config builders). Every setter checks that the option applies to the
/// builder's scheme and fails with `APISIGN_INVALID_INPUT` naming it otherwise.
///
/// Not thread-safe while being configured: use one builder from one thread at a time. Building
/// does not consume it (it may build several verifiers). Free with
/// `apisign_verifier_builder_free`.
#[allow(non_camel_case_types)]
pub struct apisign_verifier_builder {
    scheme: SchemeKind,
    creds: Arc<SharedCredentials>,
    window: Option<Window>,
    nonce_ttl_secs: Option<u64>,
    min_nonce_len: Option<usize>,
    accept_v1: bool,
    strict_query: bool,
    nonces: Option<Arc<dyn NonceStore>>,
}

impl apisign_verifier_builder {
    /// Defaults for `scheme` over `creds`: the platform's window, PieMDM nonces kept for the
    /// window's width + 1 s with at least 12 characters in an in-memory store and a non-strict
    /// query, Linksfield accepting v1 and tracking no nonces.
    fn new(scheme: SchemeKind, creds: Arc<SharedCredentials>) -> Self {
        apisign_verifier_builder {
            scheme,
            creds,
            window: None,
            nonce_ttl_secs: None,
            min_nonce_len: None,
            accept_v1: true,
            strict_query: false,
            nonces: None,
        }
    }

    /// The verifier these options describe; every constructor goes through here. Fails when
    /// the options contradict each other (a nonce TTL too short for the window).
    fn build(&self) -> Result<Scheme, Error> {
        let creds: Arc<dyn CredentialStore> = self.creds.clone();
        match self.scheme {
            SchemeKind::Lovrabet => {
                let mut v = verify::lovrabet::Verifier::new(creds);
                if let Some(w) = self.window {
                    v = v.window(w);
                }
                Ok(Scheme::Lovrabet(v))
            }
            SchemeKind::JetLinks => {
                let mut v = verify::jetlinks::Verifier::new(creds);
                if let Some(w) = self.window {
                    v = v.window(w);
                }
                Ok(Scheme::JetLinks(v))
            }
            SchemeKind::PieMdm => {
                let nonces = match &self.nonces {
                    Some(n) => n.clone(),
                    None => Arc::new(InMemoryNonceStore::default()),
                };
                let mut v =
                    verify::piemdm::Verifier::new(creds, nonces).strict_query(self.strict_query);
                if let Some(w) = self.window {
                    v = v.window(w)?;
                }
                if let Some(ttl) = self.nonce_ttl_secs {
                    v = v.nonce_ttl(ttl)?;
                }
                if let Some(min) = self.min_nonce_len {
                    v = v.min_nonce_len(min);
                }
                Ok(Scheme::PieMdm(v))
            }
            SchemeKind::Linksfield => {
                let mut v = verify::linksfield::Verifier::new(creds).accept_v1(self.accept_v1);
                if let Some(n) = &self.nonces {
                    v = v.with_nonce_store(n.clone());
                }
                if let Some(w) = self.window {
                    v = v.window(w);
                }
                Ok(Scheme::Linksfield(v))
            }
        }
    }
}

fn builder_mut<'a>(
    b: *mut apisign_verifier_builder,
) -> Result<&'a mut apisign_verifier_builder, FfiError> {
    // SAFETY: NULL or a live builder from apisign_verifier_builder_new that, per the header,
    // no other thread uses during this call.
    unsafe { b.as_mut() }.ok_or_else(|| FfiError::null("builder"))
}

/// `option` applies only to `schemes`.
fn only_for(
    b: &apisign_verifier_builder,
    option: &str,
    schemes: &[SchemeKind],
) -> Result<(), FfiError> {
    if schemes.contains(&b.scheme) {
        return Ok(());
    }
    let names: Vec<_> = schemes.iter().map(|s| s.name()).collect();
    Err(FfiError::new(
        APISIGN_INVALID_INPUT,
        format!(
            "{option}: does not apply to a {} verifier (only {})",
            b.scheme.name(),
            names.join(", ")
        ),
    ))
}

/// Start configuring a verifier for `scheme` (`APISIGN_SCHEME_*`) over `creds` (the builder and
/// its verifiers keep their own reference). Defaults are the platform's: the window of the
/// matching `apisign_verifier_*_new`, PieMDM nonces kept for the window's width + 1 s with at
/// least 12 characters, an in-memory store and a non-strict query, Linksfield accepting v1 and
/// tracking no nonces.
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_new(
    scheme: u32,
    creds: *const apisign_credentials,
    out: *mut *mut apisign_verifier_builder,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let scheme = match scheme {
            APISIGN_SCHEME_LOVRABET => SchemeKind::Lovrabet,
            APISIGN_SCHEME_JETLINKS => SchemeKind::JetLinks,
            APISIGN_SCHEME_PIEMDM => SchemeKind::PieMdm,
            APISIGN_SCHEME_LINKSFIELD => SchemeKind::Linksfield,
            other => {
                return Err(FfiError::new(
                    APISIGN_INVALID_INPUT,
                    format!("scheme: {other} is not an APISIGN_SCHEME_* value (0 to 3)"),
                ))
            }
        };
        out.set(apisign_verifier_builder::new(
            scheme,
            borrow(creds, "creds")?.store.clone(),
        ));
        Ok(())
    })
}

/// Accept timestamps at most `max_age` behind and `max_ahead` ahead of `now` (inclusive), in
/// the scheme's unit (ms; seconds for PieMDM). Every scheme.
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_set_window(
    builder: *mut apisign_verifier_builder,
    max_age: u64,
    max_ahead: u64,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        builder_mut(builder)?.window = Some(Window { max_age, max_ahead });
        Ok(())
    })
}

/// PieMDM only: remember each nonce for `secs` seconds instead of the default, the window's
/// width + 1 s (`max_age + max_ahead + 1`; 601 for ±300 s). A TTL shorter than that would
/// forget a nonce while its timestamp is still accepted, re-opening replay: it is refused with
/// `APISIGN_INVALID_INPUT` here (against the window set so far) and by
/// `apisign_verifier_builder_build` (against the final window).
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_set_nonce_ttl(
    builder: *mut apisign_verifier_builder,
    secs: u64,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let b = builder_mut(builder)?;
        only_for(b, "nonce_ttl", &[SchemeKind::PieMdm])?;
        let window = b
            .window
            .unwrap_or(Window::symmetric(verify::piemdm::DEFAULT_WINDOW_SECS));
        verify::piemdm::check_nonce_ttl(window, secs)?;
        b.nonce_ttl_secs = Some(secs);
        Ok(())
    })
}

/// PieMDM only: strict query mode (default off). Rejects with `APISIGN_SIGNATURE_INVALID`
/// (platform code `AUTH_SIGNATURE_INVALID`) a request whose raw query holds a segment the
/// signature does not cover: one with `;` or a bad `%` escape, which PieMDM's Go server skips
/// but other parsers read (`?a=1&admin=1;` verifies with the signature of `?a=1`). Empty
/// segments (`a=1&&b=2`) are accepted. Turn it on when the application parses the query
/// itself.
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_set_strict_query(
    builder: *mut apisign_verifier_builder,
    strict: bool,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let b = builder_mut(builder)?;
        only_for(b, "strict_query", &[SchemeKind::PieMdm])?;
        b.strict_query = strict;
        Ok(())
    })
}

/// PieMDM only: reject nonces shorter than `chars` characters (default 12, the platform's own
/// example; 16 is what its docs ask for). Between 1 and 128.
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_set_min_nonce_len(
    builder: *mut apisign_verifier_builder,
    chars: usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let b = builder_mut(builder)?;
        only_for(b, "min_nonce_len", &[SchemeKind::PieMdm])?;
        if chars == 0 || chars > MAX_NONCE_LEN {
            return Err(FfiError::new(
                APISIGN_INVALID_INPUT,
                format!("min_nonce_len: {chars} is outside 1..={MAX_NONCE_LEN}"),
            ));
        }
        b.min_nonce_len = Some(chars);
        Ok(())
    })
}

/// Linksfield only: whether deprecated signature version 1 is accepted (default: yes).
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_set_accept_v1(
    builder: *mut apisign_verifier_builder,
    accept: bool,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let b = builder_mut(builder)?;
        only_for(b, "accept_v1", &[SchemeKind::Linksfield])?;
        b.accept_v1 = accept;
        Ok(())
    })
}

/// PieMDM and Linksfield: record nonces in `store` (built-in or callback; shared with the
/// caller, who may free its handle right after). For PieMDM it replaces the default in-memory
/// store; for Linksfield it turns replay protection on (v1 and v2 nonces, kept for the window's
/// width + 1 s).
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_set_nonce_store(
    builder: *mut apisign_verifier_builder,
    store: *const apisign_nonce_store,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let b = builder_mut(builder)?;
        only_for(
            b,
            "nonce_store",
            &[SchemeKind::PieMdm, SchemeKind::Linksfield],
        )?;
        b.nonces = Some(borrow(store, "store")?.store.clone());
        Ok(())
    })
}

/// A verifier with the builder's options (the builder stays usable; verifiers built from it
/// share its nonce store, if one was set). `APISIGN_INVALID_INPUT` when the options contradict
/// each other: a PieMDM nonce TTL shorter than the window's width + 1 s (field `nonce_ttl`).
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_build(
    builder: *const apisign_verifier_builder,
    out: *mut *mut apisign_verifier,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let b = borrow(builder, "builder")?;
        let scheme = b.build()?;
        out.set(apisign_verifier { scheme });
        Ok(())
    })
}

/// Free a builder. NULL is ignored. Verifiers built from it are unaffected.
#[no_mangle]
pub extern "C" fn apisign_verifier_builder_free(builder: *mut apisign_verifier_builder) {
    super::handle::free(builder)
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
