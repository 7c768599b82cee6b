//! Whole verify calls on arbitrary requests for all four schemes: never panic, never accept
//! (a random signature matches no registered credential). Every scheme has a registered caller
//! (Linksfield with a real RSA key), so requests naming it reach the signature check.
#![no_main]
use apisign::IncomingRequest;
use libfuzzer_sys::fuzz_target;

#[path = "../support/fixtures.rs"]
mod fixtures;
use fixtures::{fixtures, NOW_MS};

fuzz_target!(|data: &[u8]| {
    // Layout: method \n url \n header lines... \0 body
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (head, body) = data.split_at(split);
    let body = body.get(1..).unwrap_or_default();
    let Ok(head) = std::str::from_utf8(head) else {
        return;
    };
    let mut lines = head.split('\n');
    let method = lines.next().unwrap_or("");
    let url = lines.next().unwrap_or("");
    let mut req = IncomingRequest::new(method, url).with_body(body);
    for line in lines {
        let (n, v) = line.split_once(':').unwrap_or((line, ""));
        req = req.header(n, v);
    }
    let v = fixtures();
    let now = NOW_MS;
    // Random input must never authenticate, except a lovrabet token, which is guessable only
    // by brute force: we assert nothing there beyond "no panic".
    let _ = v.verify_lovrabet.verify(&req, now);
    assert!(v.verify_jetlinks.verify(&req, now).is_err());
    assert!(v.verify_piemdm.verify(&req, now).is_err());
    assert!(v.verify_linksfield.verify(&req, now).is_err());
});
