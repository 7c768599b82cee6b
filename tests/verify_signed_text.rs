//! The exact header text sent is the text signed (SPEC conventions): a verifier never
//! re-formats a parsed number before recomputing the signature, so a token made for one
//! timestamp string cannot be replayed under another spelling of the same number.

mod verify_support;

use apisign::ErrorKind;
use apisign::{linksfield, lovrabet};
use verify_support::*;

const TS_MS: u64 = 1_700_000_000_000;

/// The request carrying app-1's token for ds-1 at `TS_MS`.
fn token_request() -> Received {
    Received::new(
        "GET",
        "/",
        b"",
        &lovrabet_signer("app-1", "ds-1")
            .token(TS_MS)
            .unwrap()
            .into_signature(),
    )
}

#[test]
fn lovrabet_timestamp_with_leading_zero_does_not_reuse_the_token_of_the_plain_number() {
    let v = lovrabet::Verifier::new(credentials());
    let good = token_request();
    assert!(v.verify(&good.view(), TS_MS).is_ok());

    // The attack: same token, timestamp header `0<ts>` (parses to the same number). It used
    // to verify because the verifier signed the parsed number.
    for spelling in [format!("0{TS_MS}"), format!("00{TS_MS}")] {
        let mut replay = good.clone();
        replay.set_header("X-Time-Stamp", spelling.clone());
        let e = v.verify(&replay.view(), TS_MS).unwrap_err();
        assert_eq!(
            (e.kind(), e.platform_code()),
            (ErrorKind::SignatureInvalid, Some("1002")),
            "{spelling}"
        );
    }
}

#[test]
fn lovrabet_token_signed_over_a_zero_padded_timestamp_verifies_as_sent() {
    // A client that really signed the text `0<ts>` (the platform hashes the header text) is
    // accepted: the token is the HMAC of exactly that string. Expected value computed with
    // Python's hmac/hashlib (stdlib), not with apisign:
    // base64(HMAC-SHA256("lovrabet",
    //   "accessKey=ak-1&appCode=app-1&datasetCode=ds-1&timeStamp=01700000000000"))
    let v = lovrabet::Verifier::new(credentials());
    let mut r = token_request();
    r.set_header("X-Time-Stamp", "01700000000000".into());
    r.set_header("X-Token", PADDED_TOKEN.into());
    assert!(v.verify(&r.view(), TS_MS).is_ok());
}

const PADDED_TOKEN: &str = "jb2Ue6++APRPaYQtIBWXQW1Qvw2JXOJL76d+dz9V17M=";

#[test]
fn linksfield_v1_with_the_documented_signature_type_1_0_verifies() {
    // The platform documents `X-LF-Signature-Type` as optional, `1.0` or `2.0`: a v1 client
    // that sends `1.0` explicitly is version 1 (it used to be refused with 401).
    let ts: u64 = 1_674_197_059_220;
    let v = linksfield::Verifier::new(credentials());
    let sig = lf_signer()
        .sign_v1(&serde_json::Map::new(), ts, 5)
        .unwrap()
        .signature;
    let url = format!("/cube/v4/x?timestamp={ts}&nonce=5");
    for version in ["1.0", "1"] {
        let r = Received::new("GET", &url, b"", &sig).with_header("X-LF-Signature-Type", version);
        assert_eq!(
            v.verify(&r.view(), ts).unwrap().caller,
            LF_KEY_ID,
            "{version}"
        );
    }
    // An unknown version is still refused, naming the header.
    let r = Received::new("GET", &url, b"", &sig).with_header("X-LF-Signature-Type", "3.0");
    let e = v.verify(&r.view(), ts).unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::MalformedAuth, Some("X-LF-Signature-Type"))
    );
}
