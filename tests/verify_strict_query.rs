//! PieMDM strict query mode: a query segment the signature does not cover (Go's server skips
//! segments with `;` or a bad `%` escape) is refused when asked, so a parameter appended by an
//! attacker never reaches an application that parses the query itself.

mod verify_support;

use std::sync::Arc;

use apisign::verify::InMemoryNonceStore;
use apisign::{piemdm, ErrorKind, Request};
use verify_support::replay::{TS, TS_MS};
use verify_support::{credentials, piemdm_signer, Received};

/// `GET ?a=1` as signed, received with `raw_query` instead.
fn received(nonce: &str, raw_query: &str) -> Received {
    let sig = piemdm_signer("app-1")
        .sign(&Request::new("GET", "/openapi/v1/items?a=1"), TS, nonce)
        .unwrap();
    Received::new("GET", &format!("/openapi/v1/items?{raw_query}"), b"", &sig)
}

fn verifier(strict: bool) -> piemdm::Verifier {
    piemdm::Verifier::new(credentials(), Arc::new(InMemoryNonceStore::default()))
        .strict_query(strict)
}

#[test]
fn an_unsigned_admin_parameter_passes_without_strict_mode_only() {
    // Python's parse_qs reads admin=1 here; the signature is the one of ?a=1.
    let r = received("strict-nonce-0000001", "a=1&admin=1;");
    assert!(verifier(false).verify(&r.view(), TS_MS).is_ok());
    let e = verifier(true).verify(&r.view(), TS_MS).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SignatureInvalid);
    assert_eq!(e.platform_code(), Some("AUTH_SIGNATURE_INVALID"));
    assert_eq!(e.field(), Some("url"));
    assert!(e.to_string().contains("segment 2 contains ';'"), "{e}");
}

#[test]
fn bad_escapes_are_refused_and_empty_segments_are_not() {
    let strict = verifier(true);
    let e = strict
        .verify(&received("strict-nonce-0000002", "a=1&x=%zz").view(), TS_MS)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SignatureInvalid);
    assert!(e.to_string().contains("'%'"), "{e}");
    for ok in ["a=1", "a=1&&", "&a=1"] {
        let r = received(&format!("strict-ok-{ok:0>12}"), ok);
        assert!(strict.verify(&r.view(), TS_MS).is_ok(), "{ok}");
    }
}

#[test]
fn a_refused_query_does_not_consume_the_nonce() {
    let strict = verifier(true);
    let nonce = "strict-nonce-0000003";
    assert!(strict
        .verify(&received(nonce, "a=1&admin=1;").view(), TS)
        .is_err());
    assert!(strict.verify(&received(nonce, "a=1").view(), TS_MS).is_ok());
}
