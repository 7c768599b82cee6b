//! Replay protection with the in-memory store: once, never again, also under a race; and
//! unauthenticated traffic cannot write to the store.

mod verify_support;

use std::sync::Arc;

use apisign::verify::{self, InMemoryNonceStore};
use apisign::{linksfield, piemdm, ErrorKind, Request};
use verify_support::replay::*;
use verify_support::{credentials, lf_signer, Received};

fn store() -> Arc<InMemoryNonceStore> {
    Arc::new(InMemoryNonceStore::with_capacity(4096))
}

#[test]
fn accepted_once_rejected_after() {
    once_then_never(store(), "0123456789abcdef-once");
}

#[test]
fn rejected_requests_do_not_consume_the_nonce() {
    unauthenticated_traffic_never_writes(store(), "0123456789abcdef-order");
}

#[test]
fn eight_threads_racing_one_nonce_exactly_one_wins() {
    race(store(), "mem", 8, 50);
}

#[test]
fn store_level_race_has_one_winner() {
    store_race(store(), "mem", 8);
}

#[test]
fn nonces_are_scoped_per_app() {
    // app-2 using the same nonce string as app-1 is not a replay of app-1's request.
    let s = store();
    let v = piemdm::Verifier::new(credentials(), s);
    let nonce = "shared-nonce-000001";
    let a = signed(nonce);
    let url = "/openapi/v1/entities/product?page=1";
    let sig = verify_support::piemdm_signer("app-2")
        .sign(&Request::new("GET", url), TS, nonce)
        .unwrap();
    let b = Received::new("GET", url, b"", &sig);
    assert!(v.verify(&a.view(), TS_MS).is_ok());
    assert!(v.verify(&b.view(), TS_MS).is_ok());
}

#[test]
fn a_nonce_is_free_again_after_its_ttl() {
    let s = store();
    let v = piemdm::Verifier::new(credentials(), s)
        .window(verify::Window::symmetric(10_000_000))
        .unwrap()
        .nonce_ttl(30_000)
        .unwrap();
    let r = signed("ttl-nonce-00000001");
    assert!(v.verify(&r.view(), TS_MS).is_ok());
    assert!(v.verify(&r.view(), TS_MS + 9_999_000).is_err());
    // Forgotten only once its timestamp has left the window for good.
    let late = v.verify(&r.view(), TS_MS + 10_001_000).unwrap_err();
    assert_eq!(late.kind(), ErrorKind::TimestampOutOfWindow);
}

#[test]
fn nonce_length_is_configurable() {
    let v = piemdm::Verifier::new(credentials(), store()).min_nonce_len(16);
    let short = signed("abc123xyz789");
    let e = v.verify(&short.view(), TS_MS).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedAuth);
    assert_eq!(e.platform_code(), Some("AUTH_FAILED"));
    let default = piemdm::Verifier::new(credentials(), store());
    assert!(
        default.verify(&short.view(), TS_MS).is_ok(),
        "12 characters pass by default"
    );
    let tiny = signed("abc123xyz78");
    assert!(default.verify(&tiny.view(), TS_MS).is_err());
}

#[test]
fn linksfield_replay_is_rejected_with_a_store() {
    let url = "/cube/v4/sims/1/usage?begin=2023-01";
    let sig = lf_signer()
        .sign_v2(&Request::new("GET", url), 1_674_197_059_220, "n-1")
        .unwrap();
    let r = Received::new("GET", url, b"", &sig);
    let without = linksfield::Verifier::new(credentials());
    assert!(without.verify(&r.view(), 1_674_197_059_220).is_ok());
    assert!(without.verify(&r.view(), 1_674_197_059_220).is_ok());
    let with = linksfield::Verifier::new(credentials()).with_nonce_store(store());
    assert!(with.verify(&r.view(), 1_674_197_059_220).is_ok());
    let e = with.verify(&r.view(), 1_674_197_059_221).unwrap_err();
    assert_eq!(
        (e.kind(), e.platform_code()),
        (ErrorKind::NonceReused, Some("403"))
    );
}

/// Linksfield v1 signs the nonce as a JSON integer, so `1`, `01`, `+1` and the string `"1"` are
/// one signed message: the replay store must see them as one nonce too.
#[test]
fn linksfield_v1_nonce_spellings_are_one_nonce() {
    let ts: u64 = 1_674_197_059_220;
    let v = linksfield::Verifier::new(credentials()).with_nonce_store(store());
    let signer = lf_signer();
    let sig = signer
        .sign_v1(&serde_json::Map::new(), ts, 1)
        .unwrap()
        .signature;
    let get = |nonce: &str| {
        Received::new(
            "GET",
            &format!("/cube/v4/x?timestamp={ts}&nonce={nonce}"),
            b"",
            &sig,
        )
    };
    assert!(v.verify(&get("1").view(), ts).is_ok());
    for replay in ["1", "01", "001", "%2B1", "%2B01"] {
        let e = v.verify(&get(replay).view(), ts).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonceReused, "nonce={replay}");
    }

    // In a JSON body: the number 7, then the string "07" (and "7", 7.0 is not an integer).
    // A v1 POST signed with nonce `signed` whose JSON body carries the nonce written `nonce`.
    let json_post = |signed: i64| {
        let sig = signer
            .sign_v1(&serde_json::Map::new(), ts, signed)
            .unwrap()
            .signature;
        move |nonce: &str| {
            let body = format!(r#"{{"timestamp":"{ts}","nonce":{nonce}}}"#);
            Received::new("POST", "/cube/v4/x", body.as_bytes(), &sig)
        }
    };
    let post = json_post(7);
    assert!(v.verify(&post("7").view(), ts).is_ok());
    for replay in [r#""07""#, r#""+7""#, r#""7""#, "7"] {
        let e = v.verify(&post(replay).view(), ts).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonceReused, "nonce {replay}");
    }

    // -0 and 0 are one integer too.
    let zero = json_post(0);
    assert!(v.verify(&zero("0").view(), ts).is_ok());
    let e = v.verify(&zero("-0").view(), ts).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NonceReused);
}
