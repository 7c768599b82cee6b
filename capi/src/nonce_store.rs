//! Nonce stores for replay protection: the built-in in-memory one, or the caller's through
//! callbacks (e.g. backed by Redis).

use std::ffi::c_void;
use std::sync::Arc;
use std::time::Duration;

use super::error::{apisign_error, FfiError};
use super::handle::create;
use super::input::{opt_text, text};
use super::result::{apisign_result, APISIGN_NONCE_STORE_FULL, APISIGN_OK};
use apisign::error::{Error, ErrorKind};
use apisign::verify::{InMemoryNonceStore, NonceStore, RedisClusterNonceStore, RedisNonceStore};

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
    pub(crate) store: Arc<dyn NonceStore>,
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
    create(err, out, || {
        let check_and_record =
            check_and_record.ok_or_else(|| FfiError::null("check_and_record"))?;
        Ok(apisign_nonce_store {
            store: Arc::new(CallbackStore {
                check_and_record,
                userdata,
                free_userdata,
            }),
        })
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
    create(err, out, || {
        let store = if capacity == 0 {
            InMemoryNonceStore::default()
        } else {
            InMemoryNonceStore::with_capacity(capacity)
        };
        Ok(apisign_nonce_store {
            store: Arc::new(store),
        })
    })
}

/// A nonce store in Redis, shared by every server process using it: `SET key 1 NX EX ttl`.
/// `urls` is one Redis (`redis://[:password@]host:port[/db]`), or with `cluster` the seed nodes
/// of a Redis Cluster separated by `,` (each nonce is then one key, recorded atomically on the
/// master owning its slot). `prefix` (NULL: `apisign:nonce:`; in a cluster without `{`, as a
/// hash tag would put every nonce on one master) goes before every key; `timeout_ms` bounds one
/// check (a cluster: each connection and each reply; 0: 2000). Connects on first use; a Redis
/// that cannot answer in time refuses the request (`APISIGN_NONCE_STORE_UNAVAILABLE`).
#[no_mangle]
#[allow(clippy::too_many_arguments)] // (pointer, length) pairs
pub extern "C" fn apisign_nonce_store_new_redis(
    urls: *const u8,
    urls_len: usize,
    cluster: bool,
    prefix: *const u8,
    prefix_len: usize,
    timeout_ms: u64,
    out: *mut *mut apisign_nonce_store,
    err: *mut *mut apisign_error,
) -> apisign_result {
    create(err, out, || {
        let urls = text(urls, urls_len, "urls")?;
        let prefix = opt_text(prefix, prefix_len, "prefix")?;
        let timeout = (timeout_ms > 0).then(|| Duration::from_millis(timeout_ms));
        let store: Arc<dyn NonceStore> = if cluster {
            let list: Vec<&str> = urls
                .split(',')
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .collect();
            let s = match timeout {
                Some(t) => RedisClusterNonceStore::open_with_timeout(&list, t)?,
                None => RedisClusterNonceStore::open(&list)?,
            };
            Arc::new(match prefix {
                Some(p) => s.with_prefix(p)?,
                None => s,
            })
        } else {
            let mut s = RedisNonceStore::open(urls)?;
            if let Some(p) = prefix {
                s = s.with_prefix(p);
            }
            Arc::new(match timeout {
                Some(t) => s.with_timeout(t),
                None => s,
            })
        };
        Ok(apisign_nonce_store { store })
    })
}

/// Record `key` in `store` for `ttl_secs` unless it is there: `*fresh` is true when it was new
/// (what a verifier asks; for tests and applications that check nonces of their own).
#[no_mangle]
pub extern "C" fn apisign_nonce_store_check_and_record(
    store: *const apisign_nonce_store,
    key: *const u8,
    key_len: usize,
    ttl_secs: u64,
    now_secs: u64,
    fresh: *mut bool,
    err: *mut *mut apisign_error,
) -> apisign_result {
    super::error::run(err, || {
        let s = super::handle::borrow(store, "store")?;
        let got = s
            .store
            .check_and_record(text(key, key_len, "key")?, ttl_secs, now_secs)?;
        // SAFETY: NULL or writable per the header contract.
        let out = unsafe { fresh.as_mut() }.ok_or_else(|| FfiError::null("fresh"))?;
        *out = got;
        Ok(())
    })
}

/// Free a nonce store handle. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_nonce_store_free(store: *mut apisign_nonce_store) {
    super::handle::free(store)
}
