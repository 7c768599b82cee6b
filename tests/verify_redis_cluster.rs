//! Replay protection with the Redis Cluster store, against a real three-master cluster on
//! 127.0.0.1 (`scripts/test-redis.sh` starts it and sets `APISIGN_REDIS_CLUSTER_URLS`, the
//! nodes' URLs separated by commas). Skipped, with a message, when the variable is absent.
#![cfg(feature = "redis")]

mod verify_support;

use std::sync::Arc;
use std::time::Duration;

use apisign::verify::{NonceStore, RedisClusterNonceStore};
use apisign::ErrorKind;
use verify_support::replay::*;

/// A store seeded with the first node only (the client finds the others), with a prefix
/// unique to this run, and the nodes' URLs.
fn store() -> Option<(Arc<RedisClusterNonceStore>, Vec<String>)> {
    let list = verify_support::redis_env("APISIGN_REDIS_CLUSTER_URLS")?;
    let urls: Vec<String> = list.split(',').map(str::to_owned).collect();
    let run = apisign::clock::random_nonce().unwrap();
    let s = RedisClusterNonceStore::open(&[urls[0].as_str()])
        .unwrap()
        .with_prefix(format!("apisign-test:{run}:"))
        .unwrap();
    Some((Arc::new(s), urls))
}

#[test]
fn cluster_accepted_once_rejected_after() {
    let Some((s, _)) = store() else { return };
    once_then_never(s, "0123456789abcdef-cluster-once");
}

#[test]
fn cluster_rejected_requests_do_not_consume_the_nonce() {
    let Some((s, _)) = store() else { return };
    unauthenticated_traffic_never_writes(s, "0123456789abcdef-cluster-order");
}

#[test]
fn cluster_eight_threads_racing_one_nonce_exactly_one_wins() {
    let Some((s, _)) = store() else { return };
    race(s.clone(), "cluster", 8, 30);
    store_race(s, "cluster", 8);
}

#[test]
fn nonces_spread_over_every_master_each_in_its_own_slot() {
    let Some((s, urls)) = store() else { return };
    assert_eq!(urls.len(), 3, "the test cluster has three masters");
    for i in 0..90 {
        assert!(s.check_and_record(&format!("spread-{i}"), 60, 0).unwrap());
    }
    let mut total = 0;
    for url in &urls {
        // Each node alone: KEYS only lists what that master holds.
        let mut con = redis::Client::open(url.as_str())
            .unwrap()
            .get_connection()
            .unwrap();
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{}*", s.prefix()))
            .query(&mut con)
            .unwrap();
        for k in &keys {
            // The master holding a key owns its slot: asking it for the key does not redirect.
            let slot: u16 = redis::cmd("CLUSTER")
                .arg("KEYSLOT")
                .arg(k)
                .query(&mut con)
                .unwrap();
            let owner: u16 = redis::cmd("CLUSTER")
                .arg("COUNTKEYSINSLOT")
                .arg(slot)
                .query(&mut con)
                .unwrap();
            assert!(owner >= 1, "{k} (slot {slot}) is not counted on {url}");
        }
        assert!(
            !keys.is_empty(),
            "{url} holds none of 90 nonces: keys do not spread"
        );
        total += keys.len();
    }
    assert_eq!(total, 90, "every nonce is stored exactly once");
    // Every one is now a replay, wherever it lives.
    for i in 0..90 {
        assert!(!s.check_and_record(&format!("spread-{i}"), 60, 0).unwrap());
    }
}

#[test]
fn cluster_replay_on_a_second_server_instance_is_rejected() {
    // Instance B is seeded with another node than A: both reach the same slot owners.
    let Some((a, urls)) = store() else { return };
    let b = RedisClusterNonceStore::open(&[urls[2].as_str()])
        .unwrap()
        .with_prefix(a.prefix())
        .unwrap();
    let b: Arc<dyn NonceStore> = Arc::new(b);
    let server_a = apisign::piemdm::Verifier::new(verify_support::credentials(), a);
    let server_b = apisign::piemdm::Verifier::new(verify_support::credentials(), b);
    for n in 0..10 {
        let r = signed(&format!("0123456789abcdef-two-servers-{n}"));
        assert!(server_a.verify(&r.view(), TS_MS).is_ok());
        let e = server_b.verify(&r.view(), TS_MS).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonceReused);
    }
}

#[test]
fn unreachable_cluster_fails_closed_and_bad_setups_are_refused() {
    let s = RedisClusterNonceStore::open_with_timeout(
        &["redis://:hunter2-password@127.0.0.1:1"],
        Duration::from_millis(300),
    )
    .unwrap();
    let e = s.check_and_record("k", 60, 0).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NonceStoreUnavailable);
    assert!(!e.to_string().contains("hunter2"), "{e}");
    assert!(!format!("{s:?}").contains("hunter2"));
    assert_eq!(
        RedisClusterNonceStore::open(&[]).unwrap_err().field(),
        Some("redis_urls")
    );
    let tagged = RedisClusterNonceStore::open(&["redis://127.0.0.1:1"])
        .unwrap()
        .with_prefix("{one-slot}:")
        .unwrap_err();
    assert_eq!(tagged.field(), Some("prefix"));
}
