//! Replay protection: a nonce is accepted once within its time to live.
//!
//! [`InMemoryNonceStore`] serves one process; `RedisNonceStore`
//! (feature `redis`) shares one replay window between several server instances.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, MutexGuard};

use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};

/// Records nonces so each is accepted only once while it is live.
///
/// Verifiers call it only *after* the signature verified, so only authenticated callers can
/// write to it.
pub trait NonceStore: Send + Sync {
    /// Record `key` for `ttl_secs` seconds from `now_secs`. `Ok(true)`: the key was unused and
    /// is now recorded (this request wins); `Ok(false)`: it is already recorded and live (a
    /// replay). Atomic: of several concurrent calls with one key, exactly one gets `Ok(true)`.
    /// A recorded key must stay live for every `now_secs` up to `now_secs + ttl_secs - 1`
    /// (verifiers choose the TTL by that rule, see
    /// [`Window::min_nonce_ttl_secs`](super::Window::min_nonce_ttl_secs)); it may be
    /// forgotten from `now_secs + ttl_secs` on. A shared store may use its own clock instead
    /// of `now_secs`, keeping the key at least `ttl_secs` seconds.
    ///
    /// See the example on [`InMemoryNonceStore`].
    fn check_and_record(&self, key: &str, ttl_secs: u64, now_secs: u64) -> Result<bool>;
}

/// Number of independently locked shards (two server threads rarely contend).
const SHARDS: usize = 16;

/// Default capacity: 16 shards × 14 336 nonces = 229 376 nonces (≈ 12.3 MiB when full,
/// hard bound ≈ 31 MiB, see [`InMemoryNonceStore::memory_bound_bytes`]), i.e. 380
/// requests/s sustained over a 600 s replay window. 14 336 is 7/8 of 16 384, the most a hash table of 16 384 buckets holds,
/// so no memory is spent on a half-empty doubled table.
pub const DEFAULT_CAPACITY: usize = SHARDS * 14_336;

/// A 128-bit digest of a key: every entry has the same small size whatever the nonce length,
/// which makes the memory bound exact. SHA-256 keeps collisions out of reach even for a caller
/// choosing nonces on purpose.
type Digest128 = [u8; 16];

/// The key is already a uniform digest, so the table hashes its first 8 bytes instead of
/// running SipHash over it again.
#[derive(Default)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().take(8) {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
}

#[derive(Default)]
struct Shard {
    /// Live digest → expiry (seconds).
    seen: HashMap<Digest128, u64, BuildHasherDefault<DigestHasher>>,
    /// The same entries ordered by expiry, to evict expired ones in O(log n).
    expiries: BinaryHeap<Reverse<(u64, Digest128)>>,
}

impl Shard {
    fn evict_expired(&mut self, now: u64) {
        while let Some(Reverse((expiry, digest))) = self.expiries.peek().copied() {
            if expiry > now {
                break;
            }
            self.expiries.pop();
            if self.seen.get(&digest) == Some(&expiry) {
                self.seen.remove(&digest);
            }
        }
    }
}

/// A thread-safe, bounded, in-memory [`NonceStore`].
///
/// **Policy when full:** expired nonces are evicted first (on every insert). If a shard is
/// still full of *live* nonces, the new nonce is refused with
/// [`ErrorKind::NonceStoreFull`] — the request is rejected (answer 503) rather than forgetting
/// a live nonce, which would re-open replay. Memory therefore never exceeds
/// [`memory_bound_bytes`](Self::memory_bound_bytes); size the capacity to peak
/// authenticated requests per second × TTL.
///
/// ```
/// use apisign::verify::{InMemoryNonceStore, NonceStore};
///
/// let store = InMemoryNonceStore::with_capacity(1024);
/// assert!(store.capacity() >= 1024);
/// assert!(store.is_empty());
/// // The first use of a nonce wins; a replay while it lives (601 s here) is refused.
/// assert!(store.check_and_record("caller:n-1", 601, 1_700_000_000)?);
/// assert!(!store.check_and_record("caller:n-1", 601, 1_700_000_600)?);
/// assert!(store.check_and_record("caller:n-1", 601, 1_700_000_601)?);
/// assert_eq!(store.len(), 1);
/// // The memory it may use when full, a hard bound.
/// assert!(store.memory_bound_bytes() > 1024 * 16);
/// # Ok::<(), apisign::Error>(())
/// ```
pub struct InMemoryNonceStore {
    shards: Box<[Mutex<Shard>]>,
    per_shard: usize,
}

impl Default for InMemoryNonceStore {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl std::fmt::Debug for InMemoryNonceStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InMemoryNonceStore")
            .field("capacity", &self.capacity())
            .field("len", &self.len())
            .finish()
    }
}

impl InMemoryNonceStore {
    /// A store holding at most `capacity` live nonces (rounded down to a multiple of 16, at
    /// least 16). Memory is allocated as nonces arrive, not up front.
    ///
    /// See the example on [`InMemoryNonceStore`].
    pub fn with_capacity(capacity: usize) -> Self {
        let per_shard = (capacity / SHARDS).max(1);
        InMemoryNonceStore {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
            per_shard,
        }
    }

    /// The most live nonces the store holds.
    ///
    /// See the example on [`InMemoryNonceStore`].
    pub fn capacity(&self) -> usize {
        self.per_shard * SHARDS
    }

    /// Live (not yet evicted) nonces.
    ///
    /// See the example on [`InMemoryNonceStore`].
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| lock(s).seen.len()).sum()
    }

    /// Whether no nonce is recorded.
    ///
    /// See the example on [`InMemoryNonceStore`].
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hard upper bound of the heap memory the store can ever hold, in bytes, transient
    /// copies during growth included. Per shard with `B = next_pow2(per_shard × 8/7)` buckets
    /// of 25 bytes (24-byte entry + control byte):
    /// - the hash table normally stops at `B` buckets, but deleted-slot tombstones can force
    ///   one doubling to `2B` (never more: at most half of `2B` is then live, and hashbrown
    ///   rehashes in place below half), and a resize briefly holds old and new tables:
    ///   `3B` buckets in all;
    /// - the expiry heap holds as many entries as the table, in a vector that doubles:
    ///   with the old buffer during a reallocation, `2 × next_pow2(per_shard)` 24-byte slots.
    ///
    /// The steady state is far lower (about 56 bytes per live nonce, see the flood test).
    ///
    /// See the example on [`InMemoryNonceStore`].
    pub fn memory_bound_bytes(&self) -> usize {
        let buckets = (self.per_shard * 8).div_ceil(7).next_power_of_two().max(4);
        let table = 3 * (buckets * (std::mem::size_of::<(Digest128, u64)>() + 1) + 16);
        let heap = 2
            * self.per_shard.next_power_of_two()
            * std::mem::size_of::<Reverse<(u64, Digest128)>>();
        SHARDS * (table + heap) + SHARDS * std::mem::size_of::<Mutex<Shard>>()
    }
}

fn lock(m: &Mutex<Shard>) -> MutexGuard<'_, Shard> {
    // A panic while holding the lock cannot leave the shard unsafe to use (at worst one stale
    // heap entry), so keep serving instead of failing every later request.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl NonceStore for InMemoryNonceStore {
    fn check_and_record(&self, key: &str, ttl_secs: u64, now_secs: u64) -> Result<bool> {
        let full = Sha256::digest(key.as_bytes());
        let mut digest = [0u8; 16];
        digest.copy_from_slice(&full[..16]);
        let mut shard = lock(&self.shards[usize::from(digest[15]) % SHARDS]);
        shard.evict_expired(now_secs);
        if shard.seen.contains_key(&digest) {
            return Ok(false);
        }
        if shard.seen.len() >= self.per_shard {
            return Err(Error::new(
                ErrorKind::NonceStoreFull,
                format!(
                    "the replay store holds its maximum of {} live nonces; the request is refused rather than risk a replay — raise the store's capacity",
                    self.capacity()
                ),
            )
            .with_field("nonce"));
        }
        let expiry = now_secs.saturating_add(ttl_secs);
        shard.seen.insert(digest, expiry);
        shard.expiries.push(Reverse((expiry, digest)));
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_use_wins_until_expiry() {
        let s = InMemoryNonceStore::with_capacity(64);
        assert!(s.check_and_record("a", 600, 1000).unwrap());
        assert!(!s.check_and_record("a", 600, 1000).unwrap());
        assert!(!s.check_and_record("a", 600, 1599).unwrap());
        // At exactly now + ttl the nonce has expired and may be used again.
        assert!(s.check_and_record("a", 600, 1600).unwrap());
        assert!(s.check_and_record("b", 600, 1600).unwrap());
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn full_store_refuses_instead_of_forgetting() {
        let s = InMemoryNonceStore::with_capacity(16);
        assert_eq!(s.capacity(), 16);
        let mut accepted = Vec::new();
        let mut refused = 0;
        for i in 0..200 {
            let k = format!("n{i}");
            match s.check_and_record(&k, 10, 0) {
                Ok(true) => accepted.push(k),
                Ok(false) => panic!("{k} is new"),
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::NonceStoreFull);
                    refused += 1;
                }
            }
        }
        assert!(accepted.len() <= 16 && !accepted.is_empty());
        assert_eq!(accepted.len() + refused, 200);
        // Every accepted nonce is still remembered.
        for k in &accepted {
            assert!(!s.check_and_record(k, 10, 5).unwrap());
        }
        // Once they expire there is room again.
        for k in &accepted {
            assert!(s.check_and_record(k, 10, 10).unwrap(), "{k} expired");
        }
    }

    #[test]
    fn memory_bound_grows_with_capacity() {
        let small = InMemoryNonceStore::with_capacity(1024).memory_bound_bytes();
        let big = InMemoryNonceStore::with_capacity(1 << 20).memory_bound_bytes();
        assert!(big > 500 * small, "{small} {big}");
        assert!(InMemoryNonceStore::default().memory_bound_bytes() < 32 << 20);
    }
}
