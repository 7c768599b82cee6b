//! Each failure carries the platform's own code, the checks run in the documented order, and
//! no message reveals a secret or the expected signature.

mod verify_support;

use std::sync::Arc;

use apisign::verify::{self, InMemoryNonceStore};
use apisign::{jetlinks, linksfield, lovrabet, piemdm, Error, ErrorKind, Request};
use verify_support::*;

const TS_MS: u64 = 1_700_000_000_000;

fn kind_code(e: &Error) -> (ErrorKind, Option<&'static str>) {
    (e.kind(), e.platform_code())
}

/// No secret, and not the right answer, in what an attacker gets back.
fn assert_tells_nothing(e: &Error, expected_sig: &str) {
    let shown = format!("{e} {e:?}");
    for secret in [
        "ak-1",
        "sk-2",
        "secret-1",
        "md5-secure-key",
        "sha-secure-key",
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(!shown.contains(expected_sig), "{shown}");
}

#[test]
fn lovrabet_codes_1002_to_1006_in_order() {
    let v = lovrabet::Verifier::new(credentials());
    let token = |app: &str, ds: &str| {
        Received::new(
            "GET",
            "/",
            b"",
            &lovrabet_signer(app, ds)
                .token(TS_MS)
                .unwrap()
                .into_signature(),
        )
    };
    let good = token("app-1", "ds-1");
    assert_eq!(
        v.verify(&good.view(), TS_MS).unwrap().dataset.as_deref(),
        Some("ds-1")
    );

    let mut bad = good.clone();
    bad.set_header("X-Token", "AAAA".into());
    let e = v.verify(&bad.view(), TS_MS).unwrap_err();
    assert_eq!(kind_code(&e), (ErrorKind::SignatureInvalid, Some("1002")));
    assert_tells_nothing(&e, good.header("X-Token"));

    let e = v.verify(&good.view(), TS_MS + 600_001).unwrap_err();
    assert_eq!(
        kind_code(&e),
        (ErrorKind::TimestampOutOfWindow, Some("1003"))
    );
    let e = v.verify(&good.view(), TS_MS - 300_001).unwrap_err();
    assert_eq!(
        kind_code(&e),
        (ErrorKind::TimestampOutOfWindow, Some("1003"))
    );

    let mut stranger = good.clone();
    stranger.set_header("X-App-Code", "nobody".into());
    let e = v.verify(&stranger.view(), TS_MS).unwrap_err();
    assert_eq!(kind_code(&e), (ErrorKind::UnknownCaller, Some("1004")));

    let e = v
        .verify(&token("app-1", "ds-none").view(), TS_MS)
        .unwrap_err();
    assert_eq!(kind_code(&e), (ErrorKind::UnknownDataset, Some("1005")));
    let e = v
        .verify(&token("app-1", "ds-locked").view(), TS_MS)
        .unwrap_err();
    assert_eq!(kind_code(&e), (ErrorKind::AccessDenied, Some("1006")));
    // app-2 may read ds-2 only.
    let e = v.verify(&token("app-2", "ds-1").view(), TS_MS).unwrap_err();
    assert_eq!(kind_code(&e), (ErrorKind::AccessDenied, Some("1006")));

    // Dataset existence is told only to authenticated callers: a forged token for an unknown
    // dataset gets 1002, not 1005.
    let mut probe = token("app-1", "ds-none");
    probe.set_header("X-Token", "AAAA".into());
    assert_eq!(
        v.verify(&probe.view(), TS_MS).unwrap_err().platform_code(),
        Some("1002")
    );

    let mut missing = good.clone();
    missing.headers.retain(|(n, _)| n != "X-App-Code");
    let e = v.verify(&missing.view(), TS_MS).unwrap_err();
    assert_eq!(kind_code(&e), (ErrorKind::MissingAuth, Some("1004")));
    assert_eq!(e.field(), Some("X-App-Code"));
}

#[test]
fn piemdm_codes_follow_the_documented_order() {
    let store = Arc::new(InMemoryNonceStore::with_capacity(64));
    let v = piemdm::Verifier::new(credentials(), store);
    // What a rejected request gets: its kind and the platform's code.
    let reject = |r: &Received, now: u64| kind_code(&v.verify(&r.view(), now).unwrap_err());
    let ts = 1_705_478_400;
    // The verifier's clock is in milliseconds; the header carries seconds.
    let now = ts * 1000;
    let url = "/openapi/v1/entities/product";
    let sig = piemdm_signer("app-1")
        .sign(&Request::new("GET", url), ts, "nonce-0000000001")
        .unwrap();
    let good = Received::new("GET", url, b"", &sig);

    let mut none = good.clone();
    none.headers.retain(|(n, _)| n != "X-Nonce");
    assert_eq!(
        reject(&none, now),
        (ErrorKind::MissingAuth, Some("AUTH_FAILED"))
    );

    // Unknown app beats a stale timestamp (app is checked before the timestamp).
    let mut stranger = good.clone();
    stranger.set_header("X-App-Id", "nobody".into());
    assert_eq!(
        reject(&stranger, now + 10_000_000),
        (ErrorKind::UnknownCaller, Some("AUTH_FAILED"))
    );
    // A stale timestamp beats a bad signature.
    let mut forged = good.clone();
    forged.set_header("X-Sign", "0".repeat(64));
    assert_eq!(
        reject(&forged, now + 301_000),
        (ErrorKind::TimestampOutOfWindow, Some("AUTH_TOKEN_EXPIRED"))
    );
    let e = v.verify(&forged.view(), now).unwrap_err();
    assert_eq!(
        kind_code(&e),
        (ErrorKind::SignatureInvalid, Some("AUTH_SIGNATURE_INVALID"))
    );
    assert_tells_nothing(&e, good.header("X-Sign"));
    let mut junk_ts = good.clone();
    junk_ts.set_header("X-Timestamp", "17e8".into());
    assert_eq!(
        reject(&junk_ts, now),
        (ErrorKind::MalformedAuth, Some("AUTH_FAILED"))
    );
    assert!(v.verify(&good.view(), now).is_ok());
    assert_eq!(
        reject(&good, now),
        (ErrorKind::NonceReused, Some("AUTH_NONCE_USED"))
    );
}

#[test]
fn linksfield_answers_401_or_403() {
    let v = linksfield::Verifier::new(credentials());
    // What a rejected request gets: its kind and the platform's code.
    let reject = |r: &Received, now: u64| kind_code(&v.verify(&r.view(), now).unwrap_err());
    let ts = 1_674_197_059_220;
    let url = "/cube/v4/sims/1";
    let sig = lf_signer()
        .sign_v2(&Request::new("GET", url), ts, "7")
        .unwrap();
    let good = Received::new("GET", url, b"", &sig);
    assert!(v.verify(&good.view(), ts).is_ok());

    let mut none = good.clone();
    none.headers.retain(|(n, _)| n != "Authorization");
    assert_eq!(reject(&none, ts), (ErrorKind::MissingAuth, Some("401")));
    let mut junk = good.clone();
    junk.set_header("Authorization", "Bearer abc".into());
    assert_eq!(reject(&junk, ts), (ErrorKind::MalformedAuth, Some("401")));
    let mut wrong = good.clone();
    let auth = good.header("Authorization").replace("/", "/AAAA");
    wrong.set_header("Authorization", auth);
    assert_eq!(
        reject(&wrong, ts),
        (ErrorKind::SignatureInvalid, Some("403"))
    );
    assert_eq!(
        reject(&good, ts + 600_001),
        (ErrorKind::TimestampOutOfWindow, Some("403"))
    );
    let mut version = good.clone();
    version.set_header("X-LF-Signature-Type", "3.0".into());
    assert_eq!(
        reject(&version, ts),
        (ErrorKind::MalformedAuth, Some("401"))
    );
    // A v2 request without its version header is read as v1, which lacks timestamp/nonce params.
    let mut v1 = good.clone();
    v1.headers.retain(|(n, _)| n != "X-LF-Signature-Type");
    assert_eq!(reject(&v1, ts), (ErrorKind::MissingAuth, Some("401")));
}

#[test]
fn jetlinks_messages_and_response_verification() {
    let v = jetlinks::Verifier::new(credentials());
    let url = "/api/device?pageSize=20&pageIndex=0";
    let signer = jetlinks_signer(false);
    let good = Received::new(
        "GET",
        url,
        b"",
        &signer.sign(&Request::new("GET", url), TS_MS).unwrap(),
    );
    assert!(v.verify(&good.view(), TS_MS).is_ok());
    let mut forged = good.clone();
    forged.url = "/api/device?pageSize=2000&pageIndex=0".into();
    let e = v.verify(&forged.view(), TS_MS).unwrap_err();
    assert_eq!(
        kind_code(&e),
        (ErrorKind::SignatureInvalid, Some("signature error"))
    );
    assert_tells_nothing(&e, good.header("X-Sign"));
    assert_eq!(
        v.verify(&good.view(), TS_MS + 300_001)
            .unwrap_err()
            .platform_code(),
        Some("timestamp expired")
    );
    let mut stranger = good.clone();
    stranger.set_header("X-Client-Id", "nobody".into());
    assert_eq!(
        v.verify(&stranger.view(), TS_MS)
            .unwrap_err()
            .platform_code(),
        Some("unknown client")
    );

    // Responses: the client checks the server's signature.
    let body = br#"{"status":200}"#;
    let sign = signer.sign_response(body, "1587719082698");
    let headers = [("X-Timestamp", "1587719082698"), ("X-Sign", sign.as_str())];
    assert!(jetlinks::verify_response(&signer, body, &headers, None).is_ok());
    let e = jetlinks::verify_response(&signer, b"{\"status\":500}", &headers, None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SignatureInvalid);
    let fresh = Some((verify::Window::symmetric(300_000), 1587719082698 + 300_001));
    assert_eq!(
        jetlinks::verify_response(&signer, body, &headers, fresh)
            .unwrap_err()
            .kind(),
        ErrorKind::TimestampOutOfWindow
    );
    let e = jetlinks::verify_response(&signer, body, &headers[..1], None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingAuth);
}

#[test]
fn hostile_inputs_get_clear_errors() {
    let pv = piemdm::Verifier::new(
        credentials(),
        Arc::new(InMemoryNonceStore::with_capacity(64)),
    );
    let ts = 1_705_478_400;
    // The verifier's clock is in milliseconds; the header carries seconds.
    let now = ts * 1000;
    let huge_url = format!("/openapi/v1/x?{}", "a=1&".repeat(20_000));
    let sig = piemdm_signer("app-1")
        .sign(&Request::new("GET", "/x"), ts, "nonce-0000000001")
        .unwrap();
    let mut r = Received::new("GET", &huge_url, b"", &sig);
    assert_eq!(
        pv.verify(&r.view(), now).unwrap_err().kind(),
        ErrorKind::InputTooLarge
    );
    r.url = "/x".into();
    r.set_header("X-Nonce", "n".repeat(200));
    assert_eq!(
        pv.verify(&r.view(), now).unwrap_err().kind(),
        ErrorKind::MalformedAuth
    );
    r.set_header("X-Sign", "f".repeat(10_000));
    assert_eq!(
        pv.verify(&r.view(), now).unwrap_err().kind(),
        ErrorKind::InputTooLarge
    );

    let lv = linksfield::Verifier::new(credentials());
    let lsig = lf_signer()
        .sign_v2(&Request::new("POST", "/cube/v4/x"), TS_MS, "1")
        .unwrap();
    // 100 000 levels: refused at the documented depth limit, before any parser recursion.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let lr = Received::new("POST", "/cube/v4/x", deep.as_bytes(), &lsig);
    let e = lv.verify(&lr.view(), TS_MS).unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InputTooLarge, Some("body"))
    );
    assert!(e.to_string().contains("100000 levels"), "{e}");
    let big = vec![b' '; apisign::limits::MAX_PARSED_BODY + 1];
    let lr = Received::new("POST", "/cube/v4/x", &big, &lsig);
    assert_eq!(
        lv.verify(&lr.view(), TS_MS).unwrap_err().kind(),
        ErrorKind::InputTooLarge
    );
}

#[test]
fn pem_whose_end_marker_overlaps_its_header_is_an_error_not_a_panic() {
    // Found by the `keys` fuzz target: the header's closing dashes begin an END marker.
    let pem = "-----BEGIN RSA PRIVATE KEY-----END RSA PRIVATE KEY-----kGX\n-----END RSA PRIVATE KEY-----\n";
    let e = apisign::linksfield::PrivateKey::parse(pem).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadKey);
    let pem = "-----BEGIN PUBLIC KEY-----END PUBLIC KEY-----";
    let e = apisign::linksfield::PublicKey::parse(pem).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadKey);
}
