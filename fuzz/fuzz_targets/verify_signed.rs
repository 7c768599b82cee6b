//! What apisign signs, apisign verifies, exactly once: arbitrary requests are signed with a
//! registered caller's signer, handed to the verifier as a server receives them, and must
//! verify; a second delivery of a PieMDM or Linksfield v2 request is a replay. This drives the
//! verifiers past the signature check into the nonce store (`check_and_record`), which random
//! signatures never reach, and pins signer/verifier agreement on every parser path.
#![no_main]
use std::sync::atomic::{AtomicU64, Ordering};

use apisign::{ErrorKind, IncomingRequest, Request, Signature, Verified};
use libfuzzer_sys::fuzz_target;

#[path = "../support/fixtures.rs"]
mod fixtures;
use fixtures::{fixtures, NOW_MS};

/// A fresh nonce per signed request (the store outlives every iteration).
fn nonce() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!("fuzz-nonce-{:016}", N.fetch_add(1, Ordering::Relaxed))
}

/// The request as the server receives it: the signature's headers plus the Content-Type.
fn received<'a>(r: &Request<'a>, sig: &'a Signature) -> IncomingRequest<'a> {
    let mut inc = IncomingRequest::new(r.method, r.url).with_body(r.body);
    for h in &sig.headers {
        inc = inc.header(h.name, h.value.as_str());
    }
    if let Some(ct) = r.content_type {
        inc = inc.header("Content-Type", ct);
    }
    inc
}

/// A signed request verifies, and its second delivery is refused as a replay.
fn accepted_once(scheme: &str, verify: impl Fn() -> apisign::Result<Verified>) {
    if let Err(e) = verify() {
        panic!("signed {scheme} request rejected: {e} ({:?})", e.kind());
    }
    assert_eq!(verify().unwrap_err().kind(), ErrorKind::NonceReused);
}

fuzz_target!(|data: &[u8]| {
    // Layout: scheme byte, then method \n url \n content type \0 body.
    let Some((&scheme, rest)) = data.split_first() else {
        return;
    };
    let split = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    let (head, body) = rest.split_at(split);
    let body = body.get(1..).unwrap_or_default();
    let Ok(head) = std::str::from_utf8(head) else {
        return;
    };
    let mut parts = head.splitn(3, '\n');
    let method = parts.next().unwrap_or("");
    let url = parts.next().unwrap_or("");
    let mut request = Request::new(method, url).with_body(body);
    if let Some(ct) = parts.next().filter(|ct| !ct.is_empty()) {
        request = request.with_content_type(ct);
    }
    let f = fixtures();
    match scheme % 4 {
        0 => {
            let Ok(token) = f.lovrabet.token(NOW_MS) else {
                return;
            };
            let sig = token.into_signature();
            let who = f.verify_lovrabet.verify(&received(&request, &sig), NOW_MS);
            assert_eq!(who.expect("signed lovrabet token").caller, "app");
        }
        1 => {
            // What the signer cannot sign (bare keys, bad escapes…) has nothing to verify.
            let Ok(sig) = f.jetlinks.sign(&request, NOW_MS) else {
                return;
            };
            let inc = received(&request, &sig);
            if let Err(e) = f.verify_jetlinks.verify(&inc, NOW_MS) {
                panic!("signed jetlinks request rejected: {e} ({:?})", e.kind());
            }
        }
        2 => {
            let n = nonce();
            let Ok(sig) = f.piemdm.sign(&request, NOW_MS / 1000, &n) else {
                return;
            };
            let inc = received(&request, &sig);
            accepted_once("piemdm", || f.verify_piemdm.verify(&inc, NOW_MS));
        }
        _ => {
            let n = nonce();
            let Ok(sig) = f.linksfield.sign_v2(&request, NOW_MS, &n) else {
                return;
            };
            let inc = received(&request, &sig);
            accepted_once("linksfield", || f.verify_linksfield.verify(&inc, NOW_MS));
        }
    }
});
