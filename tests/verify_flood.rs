//! Flood: 1,000,000 distinct nonces into the in-memory store. Its heap use, measured by a
//! counting allocator, stays within `memory_bound_bytes()`; once full it refuses new nonces
//! (fail closed) instead of forgetting live ones. Figures are printed (`--nocapture`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use apisign::verify::{InMemoryNonceStore, NonceStore};
use apisign::ErrorKind;

/// Live heap bytes and their peak, for the whole test binary (so its one test runs the
/// scenarios one after another).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwards to the system allocator with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const NONCES: usize = 1_000_000;

/// Insert `NONCES` distinct keys at one instant (nothing expires); return (accepted, refused,
/// peak heap growth in bytes, heap held after).
fn flood(store: &InMemoryNonceStore) -> (usize, usize, usize, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let (mut accepted, mut refused) = (0, 0);
    let mut key = String::with_capacity(64);
    for i in 0..NONCES {
        key.clear();
        key.push_str("piemdm:5:app-1:flood-nonce-");
        key.push_str(itoa::Buffer::new().format(i));
        match store.check_and_record(&key, 600, 1_700_000_000) {
            Ok(true) => accepted += 1,
            Ok(false) => panic!("{key} is new"),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::NonceStoreFull);
                refused += 1;
            }
        }
    }
    drop(key);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let held = LIVE.load(Ordering::Relaxed) - before;
    (accepted, refused, peak, held)
}

#[test]
fn memory_stays_within_the_bound() {
    a_million_nonces();
    churn_at_capacity();
}

fn a_million_nonces() {
    // The default store: fills up, then refuses.
    let store = InMemoryNonceStore::default();
    let bound = store.memory_bound_bytes();
    let (accepted, refused, peak, held) = flood(&store);
    println!(
        "default store (capacity {}): accepted {accepted}, refused {refused}; heap held {held} B \
         ({:.1} MiB, {:.1} B/nonce), peak {peak} B; bound {bound} B ({:.1} MiB)",
        store.capacity(),
        held as f64 / 1048576.0,
        held as f64 / accepted as f64,
        bound as f64 / 1048576.0
    );
    assert_eq!(accepted, store.capacity(), "every shard fills to its share");
    assert_eq!(accepted + refused, NONCES);
    assert_eq!(store.len(), store.capacity());
    assert!(peak <= bound, "peak {peak} > bound {bound}");
    // Nothing accepted was forgotten.
    assert!(!store
        .check_and_record("piemdm:5:app-1:flood-nonce-0", 600, 1_700_000_001)
        .unwrap_or(false));
    // After the TTL everything has expired and the store takes nonces again.
    assert!(store
        .check_and_record("piemdm:5:app-1:later", 600, 1_700_000_600)
        .unwrap());
    drop(store);

    // A store sized for the flood takes every nonce, still within its bound.
    let store = InMemoryNonceStore::with_capacity(16 * 65_536);
    let bound = store.memory_bound_bytes();
    let (accepted, refused, peak, held) = flood(&store);
    println!(
        "store of capacity {}: accepted {accepted}, refused {refused}; heap held {held} B \
         ({:.1} MiB, {:.1} B/nonce), peak {peak} B; bound {bound} B ({:.1} MiB)",
        store.capacity(),
        held as f64 / 1048576.0,
        held as f64 / accepted as f64,
        bound as f64 / 1048576.0
    );
    assert_eq!((accepted, refused), (NONCES, 0));
    assert!(peak <= bound, "peak {peak} > bound {bound}");
}

fn churn_at_capacity() {
    // A nearly full store under steady churn: every second 1 000 nonces expire and 1 000 new
    // ones arrive, 600 000 inserts = 75 full turnovers. Deleted slots (tombstones) must not
    // grow the table past the bound.
    let store = InMemoryNonceStore::with_capacity(16 * 512);
    let bound = store.memory_bound_bytes();
    let before = LIVE.load(Ordering::Relaxed);
    let mut peak = 0;
    let ttl = 8;
    let mut refused = 0;
    for i in 0..600_000u64 {
        let now = 1_700_000_000 + i / 1_000;
        match store.check_and_record(&format!("churn-{i}"), ttl, now) {
            Ok(true) => {}
            Ok(false) => panic!("churn-{i} is new"),
            Err(_) => refused += 1,
        }
        if i % 1_000 == 0 {
            peak = peak.max(LIVE.load(Ordering::Relaxed).saturating_sub(before));
        }
    }
    let held = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    println!("churn: capacity {}, refused {refused}, held {held} B, sampled peak {peak} B, bound {bound} B", store.capacity());
    assert!(
        peak <= bound && held <= bound,
        "held {held} peak {peak} bound {bound}"
    );
    assert!(store.len() <= store.capacity());
}
