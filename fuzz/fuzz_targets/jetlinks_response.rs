//! JetLinks response signatures (what clients check on every response): arbitrary body,
//! timestamp and sign never panic; a random sign never verifies; the signature the signer
//! makes verifies in any letter case, and not for another body.
#![no_main]
use apisign::jetlinks::{Algorithm, Signer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Layout: algorithm byte, timestamp \n sign \0 body.
    let Some((&alg, rest)) = data.split_first() else {
        return;
    };
    let algorithm = if alg & 1 == 0 { Algorithm::Md5 } else { Algorithm::Sha256 };
    let signer = Signer::new("client", "secure", algorithm).unwrap();
    let split = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    let (head, body) = rest.split_at(split);
    let body = body.get(1..).unwrap_or_default();
    let Ok(head) = std::str::from_utf8(head) else {
        return;
    };
    let (timestamp, sign) = head.split_once('\n').unwrap_or((head, ""));
    let good = signer.sign_response(body, timestamp);
    if !sign.eq_ignore_ascii_case(&good) {
        assert!(!signer.verify_response(body, timestamp, sign));
    }
    assert!(signer.verify_response(body, timestamp, &good));
    assert!(signer.verify_response(body, timestamp, &good.to_ascii_uppercase()));
    let mut other = body.to_vec();
    other.push(b'x');
    assert!(!signer.verify_response(&other, timestamp, &good));
});
