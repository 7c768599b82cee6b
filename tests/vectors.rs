//! Runs every case of every file in tests/vectors through the Rust API. New cases of a known
//! kind run without code changes; a case of an unknown scheme or kind fails loudly.

mod common;

use std::collections::BTreeMap;

use apisign::linksfield::{PrivateKey, Signer as LfSigner};
use apisign::{jetlinks, lovrabet, piemdm, Request, Signature, TokenLifetime};
use common::*;
use serde_json::Value;

fn header_map(sig: &Signature) -> BTreeMap<String, String> {
    let map: BTreeMap<String, String> = sig
        .headers
        .iter()
        .map(|h| (h.name.to_owned(), h.value.to_string()))
        .collect();
    assert_eq!(
        map.len(),
        sig.headers.len(),
        "duplicate header names in {sig:?}"
    );
    map
}

fn expected_headers(expected: &Value) -> BTreeMap<String, String> {
    expected["headers"]
        .as_object()
        .expect("expected.headers")
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().expect("header value string").to_owned(),
            )
        })
        .collect()
}

fn request(case: &Value) -> (String, String, Vec<u8>, Option<String>) {
    let r = &case["request"];
    (
        s(r, "method").to_owned(),
        s(r, "url").to_owned(),
        s(r, "body").as_bytes().to_vec(),
        opt_s(r, "content_type").map(str::to_owned),
    )
}

/// Compare a signing result with `expected`: headers, the named intermediate string, or the
/// error kind.
fn check(id: &str, result: apisign::Result<Signature>, expected: &Value, intermediate: &str) {
    if let Some(kind) = opt_s(expected, "error") {
        let err = result.expect_err(&format!("{id}: expected error {kind}"));
        assert_eq!(err.kind().as_str(), kind, "{id}: {err}");
        assert!(!err.to_string().is_empty());
        return;
    }
    let sig = result.unwrap_or_else(|e| panic!("{id}: {e}"));
    assert_eq!(
        header_map(&sig),
        expected_headers(expected),
        "{id}: headers"
    );
    if let Some(want) = opt_s(expected, intermediate) {
        assert_eq!(sig.signed, want, "{id}: {intermediate}");
    }
}

fn run_lovrabet(case: &Value) -> &'static str {
    let id = s(case, "id");
    match opt_s(case, "kind") {
        None => {
            let c = &case["credentials"];
            let signer = lovrabet::Signer::new(
                s(c, "app_code"),
                s(c, "dataset_code"),
                s(c, "access_key"),
                opt_s(c, "secret_key").unwrap_or(lovrabet::DEFAULT_SECRET_KEY),
            );
            let token = signer.and_then(|sg| sg.token(num(case, "timestamp")));
            let expected = &case["expected"];
            if let (Ok(t), Some(exp)) = (&token, opt_s(expected, "expires_at")) {
                assert_eq!(t.expires_at_ms().to_string(), exp, "{id}: expires_at");
            }
            check(
                id,
                token.map(lovrabet::Token::into_signature),
                expected,
                "string_to_sign",
            );
            "sign"
        }
        Some("expiry") => {
            let life = TokenLifetime::lovrabet(num(case, "timestamp"));
            let buffer = num(case, "buffer_ms");
            let checks = case["checks"].as_array().expect("checks");
            assert!(!checks.is_empty());
            for c in checks {
                let now = num(c, "now");
                assert_eq!(
                    life.remaining_ms(now),
                    Some(num(c, "remaining_ms")),
                    "{id} at {now}"
                );
                assert_eq!(
                    life.is_expiring(buffer, now),
                    c["expiring"].as_bool().unwrap(),
                    "{id} at {now}"
                );
            }
            "expiry"
        }
        Some(k) => panic!("{id}: unknown lovrabet case kind {k:?}"),
    }
}

fn jetlinks_signer(case: &Value) -> jetlinks::Signer {
    let c = &case["credentials"];
    jetlinks::Signer::new(
        s(c, "client_id"),
        s(c, "secure_key"),
        s(c, "algorithm").parse().unwrap(),
    )
    .unwrap()
}

fn run_jetlinks(case: &Value) -> &'static str {
    let id = s(case, "id");
    match opt_s(case, "kind") {
        None => {
            let (method, url, body, ct) = request(case);
            let mut req = Request::new(&method, &url).with_body(&body);
            req.content_type = ct.as_deref();
            let result = jetlinks_signer(case).sign(&req, num(case, "timestamp"));
            check(id, result, &case["expected"], "signed_params");
            "sign"
        }
        Some("response") => {
            let resp = &case["response"];
            let h = &resp["headers"];
            let valid = jetlinks_signer(case).verify_response(
                s(resp, "body").as_bytes(),
                s(h, "X-Timestamp"),
                s(h, "X-Sign"),
            );
            assert_eq!(valid, case["expected"]["valid"].as_bool().unwrap(), "{id}");
            "response"
        }
        Some(k) => panic!("{id}: unknown jetlinks case kind {k:?}"),
    }
}

fn run_piemdm(case: &Value) -> &'static str {
    let id = s(case, "id");
    assert!(
        opt_s(case, "kind").is_none(),
        "{id}: unknown piemdm case kind"
    );
    let c = &case["credentials"];
    let (method, url, body, _) = request(case);
    let result = piemdm::Signer::new(s(c, "app_id"), s(c, "app_secret")).and_then(|sg| {
        sg.sign(
            &Request::new(&method, &url).with_body(&body),
            num(case, "timestamp"),
            s(case, "nonce"),
        )
    });
    check(id, result, &case["expected"], "canonical_request");
    "sign"
}

fn run_linksfield(file: &Value, case: &Value) -> &'static str {
    let id = s(case, "id");
    assert!(
        opt_s(case, "kind").is_none(),
        "{id}: unknown linksfield case kind"
    );
    let c = &case["credentials"];
    let key = PrivateKey::parse(linksfield_key(file, s(c, "private_key"))).unwrap();
    let public = key.public_key();
    let signer = LfSigner::new(s(c, "key_id"), key).unwrap();
    let (method, url, body, _) = request(case);
    let req = Request::new(&method, &url).with_body(&body);
    let result = match opt_s(case, "version").unwrap_or("2.0") {
        "2.0" => signer.sign_v2(&req, num(case, "timestamp"), s(case, "nonce")),
        "1.0" => signer
            .sign_v1_request(
                &req,
                &serde_json::Map::new(),
                num(case, "timestamp"),
                s(case, "nonce").parse().unwrap(),
            )
            .map(|v| v.signature),
        v => panic!("{id}: unknown linksfield version {v:?}"),
    };
    if let Ok(sig) = &result {
        // The signature must also verify under the matching public key.
        let auth = sig.header("Authorization").unwrap();
        let b64 = auth.split_once('/').unwrap().1;
        assert!(
            public.verify_base64(sig.signed.as_bytes(), b64),
            "{id}: does not verify"
        );
    }
    check(id, result, &case["expected"], "message");
    "sign"
}

#[test]
fn every_vector_case_passes() {
    let mut ran = BTreeMap::<String, usize>::new();
    for (scheme, what) in run_every_case(run_lovrabet, run_jetlinks, run_piemdm, run_linksfield) {
        *ran.entry(format!("{scheme}/{what}")).or_default() += 1;
    }
    let total: usize = ran.values().sum();
    println!("ran {total} vector cases: {ran:?}");
    for scheme in ["lovrabet", "jetlinks", "piemdm", "linksfield"] {
        assert!(
            ran.keys().any(|k| k.starts_with(scheme)),
            "no {scheme} cases ran"
        );
    }
}

#[test]
fn vector_copy_matches_shared() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors");
    if !shared.is_dir() {
        eprintln!("../shared/vectors not present; skipping the freshness check");
        return;
    }
    let list = |dir: &std::path::Path| -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect()
    };
    let ours = list(&vectors_dir());
    let theirs = list(&shared);
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>(),
        "tests/vectors has a different file set from ../shared/vectors; run: cp ../shared/vectors/* tests/vectors/"
    );
    for (name, bytes) in &theirs {
        assert!(ours[name] == *bytes, "tests/vectors/{name} differs from ../shared/vectors; run: cp ../shared/vectors/* tests/vectors/");
    }
}
