//! Every conformance vector that signs successfully also verifies, through the verifier of its
//! scheme, with that vector's own credentials, and stops verifying one step outside its window.

mod verify_support;

use std::sync::Arc;

use apisign::linksfield::PrivateKey;
use apisign::lovrabet::TokenGenerator;
use apisign::verify::{InMemoryCredentials, InMemoryNonceStore};
use apisign::{jetlinks, linksfield, lovrabet, piemdm, ErrorKind, Request};
use serde_json::Value;
use verify_support::common::{linksfield_key, num, opt_s, run_every_case, s};
use verify_support::{vector_request, Received};

fn expect_ok(id: &str, r: apisign::Result<apisign::Verified>) -> apisign::Verified {
    r.unwrap_or_else(|e| panic!("{id}: a signed vector must verify, got {e:?}"))
}

fn expect_expired(id: &str, r: apisign::Result<apisign::Verified>) {
    let e = r.expect_err(id);
    assert_eq!(e.kind(), ErrorKind::TimestampOutOfWindow, "{id}: {e:?}");
}

fn lovrabet_case(case: &Value) -> bool {
    if opt_s(case, "kind").is_some() || case["expected"].get("error").is_some() {
        return false;
    }
    let id = s(case, "id");
    let c = &case["credentials"];
    let secret = opt_s(c, "secret_key").unwrap_or(lovrabet::DEFAULT_SECRET_KEY);
    let (app, ds) = (s(c, "app_code"), s(c, "dataset_code"));
    let ts = num(case, "timestamp");
    let token = lovrabet::Signer::new(app, ds, s(c, "access_key"), secret)
        .unwrap()
        .token(ts)
        .unwrap();
    let creds = InMemoryCredentials::new();
    creds.add(
        lovrabet::credential(
            app,
            TokenGenerator::new(s(c, "access_key"), secret).unwrap(),
            [ds],
        )
        .unwrap(),
    );
    let v = lovrabet::Verifier::new(Arc::new(creds));
    let got = Received::new("GET", "/", b"", &token.into_signature());
    let ok = expect_ok(id, v.verify(&got.view(), ts));
    assert_eq!((ok.caller.as_str(), ok.dataset.as_deref()), (app, Some(ds)));
    assert!(
        v.verify(&got.view(), ts + 600_000).is_ok(),
        "{id}: inclusive"
    );
    expect_expired(id, v.verify(&got.view(), ts + 600_001));
    true
}

fn jetlinks_case(case: &Value) -> bool {
    let id = s(case, "id");
    let c = &case["credentials"];
    let signer = jetlinks::Signer::new(
        s(c, "client_id"),
        s(c, "secure_key"),
        s(c, "algorithm").parse().unwrap(),
    )
    .unwrap();
    if opt_s(case, "kind") == Some("response") {
        let resp = &case["response"];
        let h = &resp["headers"];
        let headers = [
            ("x-timestamp", s(h, "X-Timestamp")),
            ("x-sign", s(h, "X-Sign")),
        ];
        let got = jetlinks::verify_response(&signer, s(resp, "body").as_bytes(), &headers, None);
        assert_eq!(
            got.is_ok(),
            case["expected"]["valid"].as_bool().unwrap(),
            "{id}"
        );
        return true;
    }
    if case["expected"].get("error").is_some() {
        return false;
    }
    let (method, url, body, ct) = vector_request(case);
    let ts = num(case, "timestamp");
    let mut req = Request::new(&method, &url).with_body(&body);
    req.content_type = ct.as_deref();
    let sig = signer.sign(&req, ts).unwrap();
    let mut got = Received::new(&method, &url, &body, &sig);
    if let Some(ct) = &ct {
        got = got.with_header("Content-Type", ct);
    }
    let creds = InMemoryCredentials::new();
    creds.add(jetlinks::credential(signer).unwrap());
    let v = jetlinks::Verifier::new(Arc::new(creds));
    let ok = expect_ok(id, v.verify(&got.view(), ts));
    assert_eq!(ok.caller, s(c, "client_id"));
    // The expected header from the vector itself verifies too (not only our own output).
    let mut from_vector = got.clone();
    from_vector.set_header(
        "X-Sign",
        s(&case["expected"]["headers"], "X-Sign").to_uppercase(),
    );
    expect_ok(id, v.verify(&from_vector.view(), ts));
    expect_expired(id, v.verify(&got.view(), ts + 300_001));
    expect_expired(id, v.verify(&got.view(), ts - 300_001));
    true
}

fn piemdm_case(case: &Value) -> bool {
    if case["expected"].get("error").is_some() {
        return false;
    }
    let id = s(case, "id");
    let c = &case["credentials"];
    let (method, url, body, _) = vector_request(case);
    let ts = num(case, "timestamp");
    let creds = InMemoryCredentials::new();
    creds.add(
        piemdm::credential(piemdm::Signer::new(s(c, "app_id"), s(c, "app_secret")).unwrap())
            .unwrap(),
    );
    let v = piemdm::Verifier::new(
        Arc::new(creds),
        Arc::new(InMemoryNonceStore::with_capacity(1024)),
    );
    // Build the received request from the vector's expected headers: what a real client sent.
    let mut got = Received {
        method: method.clone(),
        url: url.clone(),
        headers: Vec::new(),
        body: body.clone(),
    };
    for (k, val) in case["expected"]["headers"].as_object().unwrap() {
        got = got.with_header(k, val.as_str().unwrap());
    }
    // The vector's timestamp is seconds; the verifier's clock is milliseconds, floored to the
    // second: the last accepted instant is the last millisecond of second ts + 300.
    expect_expired(id, v.verify(&got.view(), (ts + 301) * 1000));
    let ok = expect_ok(id, v.verify(&got.view(), (ts + 300) * 1000 + 999));
    assert_eq!(ok.nonce.as_deref(), Some(s(case, "nonce")));
    assert_eq!(ok.timestamp, ts * 1000, "{id}: Verified.timestamp is ms");
    let again = v.verify(&got.view(), ts * 1000).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::NonceReused, "{id}");
    assert_eq!(again.platform_code(), Some("AUTH_NONCE_USED"));
    true
}

fn linksfield_case(file: &Value, case: &Value) -> bool {
    if case["expected"].get("error").is_some() {
        return false;
    }
    let id = s(case, "id");
    let c = &case["credentials"];
    let key = PrivateKey::parse(linksfield_key(file, s(c, "private_key"))).unwrap();
    let creds = InMemoryCredentials::new();
    creds.add(linksfield::credential(s(c, "key_id"), key.public_key()).unwrap());
    let (method, url, body, _) = vector_request(case);
    let ts = num(case, "timestamp");
    let mut got = Received {
        method,
        url,
        headers: Vec::new(),
        body,
    };
    for (k, val) in case["expected"]["headers"].as_object().unwrap() {
        got = got.with_header(k, val.as_str().unwrap());
    }
    let v = linksfield::Verifier::new(Arc::new(creds));
    let ok = expect_ok(id, v.verify(&got.view(), ts));
    assert_eq!(ok.caller, s(c, "key_id"));
    expect_expired(id, v.verify(&got.view(), ts + 600_001));
    true
}

#[test]
fn every_signed_vector_verifies() {
    let mut ran = std::collections::BTreeMap::<String, usize>::new();
    let cases = run_every_case(lovrabet_case, jetlinks_case, piemdm_case, linksfield_case);
    for (scheme, ran_it) in cases {
        if ran_it {
            *ran.entry(scheme).or_default() += 1;
        }
    }
    println!("verified vector cases: {ran:?}");
    for scheme in ["lovrabet", "jetlinks", "piemdm", "linksfield"] {
        assert!(
            ran.get(scheme).copied().unwrap_or(0) > 0,
            "no {scheme} case verified"
        );
    }
}
