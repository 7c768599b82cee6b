//! Replay protection with the Redis store, against a real `redis-server`
//! (`scripts/test-redis.sh` starts one and sets `APISIGN_REDIS_URL`). Skipped, with a message,
//! when the variable is absent.
#![cfg(feature = "redis")]

mod verify_support;

use std::sync::Arc;

use apisign::verify::{NonceStore, RedisNonceStore};
use apisign::ErrorKind;
use verify_support::replay::*;

/// A store with a prefix unique to this run, so reruns against one server do not collide.
fn store() -> Option<Arc<RedisNonceStore>> {
    let Ok(url) = std::env::var("APISIGN_REDIS_URL") else {
        eprintln!(
            "APISIGN_REDIS_URL is not set; skipping the Redis test (scripts/test-redis.sh runs it)"
        );
        return None;
    };
    let run = apisign::clock::random_nonce().unwrap();
    Some(Arc::new(
        RedisNonceStore::open(&url)
            .unwrap()
            .with_prefix(format!("apisign-test:{run}:")),
    ))
}

#[test]
fn redis_accepted_once_rejected_after() {
    let Some(s) = store() else { return };
    once_then_never(s, "0123456789abcdef-once");
}

#[test]
fn redis_rejected_requests_do_not_consume_the_nonce() {
    let Some(s) = store() else { return };
    unauthenticated_traffic_never_writes(s, "0123456789abcdef-order");
}

#[test]
fn redis_eight_threads_racing_one_nonce_exactly_one_wins() {
    let Some(s) = store() else { return };
    race(s, "redis", 8, 50);
}

#[test]
fn redis_store_level_race_has_one_winner() {
    let Some(s) = store() else { return };
    store_race(s, "redis", 8);
}

#[test]
fn redis_two_instances_share_one_window() {
    // Two stores (two "server instances") with the same prefix see each other's nonces.
    let Some(a) = store() else { return };
    let url = std::env::var("APISIGN_REDIS_URL").unwrap();
    let b = RedisNonceStore::open(&url).unwrap().with_prefix(a.prefix());
    assert!(a.check_and_record("k", 60, 0).unwrap());
    assert!(!b.check_and_record("k", 60, 0).unwrap());
}

#[test]
fn redis_ttl_expires() {
    let Some(s) = store() else { return };
    assert!(s.check_and_record("short", 1, 0).unwrap());
    assert!(!s.check_and_record("short", 1, 0).unwrap());
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert!(s.check_and_record("short", 1, 0).unwrap());
}

#[test]
fn unreachable_redis_fails_closed_without_leaking_the_url() {
    // Port 1 on loopback: nothing listens there.
    let s = RedisNonceStore::open("redis://:hunter2-password@127.0.0.1:1/0")
        .unwrap()
        .with_timeout(std::time::Duration::from_millis(300));
    let e = s.check_and_record("k", 60, 0).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NonceStoreUnavailable);
    assert!(!e.to_string().contains("hunter2"), "{e}");
    assert!(!format!("{s:?}").contains("hunter2"));
}
