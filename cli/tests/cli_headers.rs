//! `apisign verify -H 'Name: value'` reads a header line as an HTTP server does: only spaces
//! and tabs around the value are dropped, so a value that ends in another Unicode space
//! (U+00A0, U+3000), which a server passes on unchanged, verifies.

mod support;

use apisign::{piemdm, Request};
use support::bin;

const TS: u64 = 1_705_478_400;

fn verify(nonce_header: &str, sig: &apisign::Signature) -> std::process::Output {
    let mut c = bin();
    c.env("PIEMDM_APP_SECRET", "test_secret_123456")
        .args(["verify", "piemdm", "--app-id", "app_592837482"])
        .args([
            "--now",
            &TS.to_string(),
            "--method",
            "GET",
            "--url",
            "/openapi/v1/x",
        ]);
    for h in &sig.headers {
        let value = if h.name == "X-Nonce" {
            nonce_header
        } else {
            h.value.as_str()
        };
        // Spaces and a tab around the value, as a person types them.
        c.arg("-H").arg(format!("{}: \t {value} \t", h.name));
    }
    c.output().unwrap()
}

#[test]
fn values_ending_in_unicode_spaces_verify() {
    let signer = piemdm::Signer::new("app_592837482", "test_secret_123456").unwrap();
    for nonce in [
        "0123456789abcdef\u{a0}",
        "0123456789abcdef\u{3000}",
        "\u{3000}0123456789abcdef",
    ] {
        let sig = signer
            .sign(&Request::new("GET", "/openapi/v1/x"), TS, nonce)
            .unwrap();
        let out = verify(nonce, &sig);
        assert!(
            out.status.success(),
            "{nonce:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The same header with the Unicode space dropped is another nonce: not authentic.
        let out = verify(nonce.trim_matches(['\u{a0}', '\u{3000}']), &sig);
        assert_eq!(out.status.code(), Some(1), "{nonce:?} trimmed");
    }
}
