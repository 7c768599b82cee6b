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
    let url = verify_support::redis_env("APISIGN_REDIS_URL")?;
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

#[test]
fn redis_replay_on_a_second_server_instance_is_rejected() {
    // Two verifiers, each with its own connection to the shared Redis: a request accepted by
    // instance A is a replay on instance B.
    let Some(a) = store() else { return };
    let url = std::env::var("APISIGN_REDIS_URL").unwrap();
    let b = Arc::new(RedisNonceStore::open(&url).unwrap().with_prefix(a.prefix()));
    let server_a = apisign::piemdm::Verifier::new(verify_support::credentials(), a);
    let server_b = apisign::piemdm::Verifier::new(verify_support::credentials(), b);
    let r = signed("0123456789abcdef-two-servers");
    assert!(server_a.verify(&r.view(), TS_MS).is_ok());
    let e = server_b.verify(&r.view(), TS_MS).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NonceReused);
}

fn url() -> String {
    std::env::var("APISIGN_REDIS_URL").unwrap()
}

#[test]
fn redis_keeps_a_nonce_at_least_its_ttl() {
    // The TTL bound assumes a nonce recorded at instant t is live through t + ttl seconds:
    // Redis's own expiry time for the key must not be earlier.
    let Some(s) = store() else { return };
    let mut con = redis::Client::open(url())
        .unwrap()
        .get_connection()
        .unwrap();
    let (secs, micros): (u64, u64) = redis::cmd("TIME").query(&mut con).unwrap();
    let before_ms = secs * 1000 + micros / 1000;
    assert!(s.check_and_record("ttl-edge", 601, 0).unwrap());
    let expires_ms: u64 = redis::cmd("PEXPIRETIME")
        .arg(format!("{}ttl-edge", s.prefix()))
        .query(&mut con)
        .unwrap();
    assert!(
        expires_ms >= before_ms + 601_000,
        "expires at {expires_ms}, recorded after {before_ms}"
    );
}

#[test]
fn redis_hung_server_fails_closed_and_a_retry_sees_the_late_set() {
    let Some(base) = store() else { return };
    let s = RedisNonceStore::open(&url())
        .unwrap()
        .with_prefix(base.prefix())
        .with_timeout(std::time::Duration::from_millis(200));
    // A healthy check first: its connection is pooled and reused while the server hangs.
    assert!(s.check_and_record("warm", 60, 0).unwrap());
    // Hang the server for a second (needs `enable-debug-command`, see scripts/test-redis.sh).
    let client = redis::Client::open(url()).unwrap();
    let mut sleeper = client.get_connection().unwrap();
    sleeper
        .send_packed_command(&redis::cmd("DEBUG").arg("SLEEP").arg(1).get_packed_command())
        .unwrap();
    // Asleep once a new connection's handshake gets no answer.
    let asleep = (0..200).any(|_| {
        client
            .get_connection_with_timeout(std::time::Duration::from_millis(50))
            .is_err()
    });
    assert!(asleep, "DEBUG SLEEP did not take effect");
    let e = s.check_and_record("late", 60, 0).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NonceStoreUnavailable, "{e}");
    // The SET was already sent: Redis runs it once it wakes, although the caller was told no.
    let woke: redis::Value = sleeper.recv_response().unwrap();
    assert_eq!(woke, redis::Value::Okay);
    // A retry of the same nonce therefore sees it as used (the client must sign again with a
    // fresh nonce).
    assert!(!s.check_and_record("late", 60, 0).unwrap());
}

#[test]
fn redis_user_password_and_database_from_the_url_are_used() {
    // The store authenticates and selects the database itself (within its time budget).
    let Some(base) = store() else { return };
    let u = url();
    let mut admin = redis::Client::open(u.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let user = format!("apisign-test-{}", &base.prefix()[13..21]);
    let _: () = redis::cmd("ACL")
        .arg("SETUSER")
        .arg(&user)
        .arg("on")
        .arg(">s3cret-pw")
        .arg("~*")
        .arg("+@all")
        .query(&mut admin)
        .unwrap();
    let authed = u.replacen("redis://", &format!("redis://{user}:s3cret-pw@"), 1);
    let in_db1 = format!("{}1", authed.trim_end_matches(char::is_numeric));
    let s = RedisNonceStore::open(&in_db1)
        .unwrap()
        .with_prefix(base.prefix());
    assert!(s.check_and_record("authed", 60, 0).unwrap());
    assert!(!s.check_and_record("authed", 60, 0).unwrap());
    // Recorded in database 1, not 0.
    let key = format!("{}authed", base.prefix());
    let in_db0: bool = redis::cmd("EXISTS").arg(&key).query(&mut admin).unwrap();
    let _: () = redis::cmd("SELECT").arg(1).query(&mut admin).unwrap();
    let in_1: bool = redis::cmd("EXISTS").arg(&key).query(&mut admin).unwrap();
    assert!(!in_db0 && in_1);
    // A wrong password fails closed, without echoing it.
    let wrong = in_db1.replace("s3cret-pw", "wrong-pw");
    let e = RedisNonceStore::open(&wrong)
        .unwrap()
        .check_and_record("x", 60, 0)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NonceStoreUnavailable);
    assert!(e.to_string().contains("AUTH"), "{e}");
    assert!(!e.to_string().contains("wrong-pw"), "{e}");
    let _: () = redis::cmd("ACL")
        .arg("DELUSER")
        .arg(&user)
        .query(&mut admin)
        .unwrap();
}
