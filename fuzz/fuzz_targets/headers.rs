//! Header lookup: arbitrary `Name: value` lines; lookups never panic and never return a
//! value longer than the limit.
#![no_main]
use apisign::IncomingRequest;
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "X-App-Id",
    "X-Timestamp",
    "X-Nonce",
    "X-Sign",
    "Authorization",
    "Content-Type",
    "X-Client-Id",
    "X-Token",
    "timestamp",
    "nonce",
    "X-LF-Signature-Type",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut req = IncomingRequest::new("GET", "/");
    for line in text.split('\n') {
        let (n, v) = line.split_once(':').unwrap_or((line, ""));
        req = req.header(n, v);
    }
    for name in NAMES {
        if let Ok(Some(v)) = req.get(name) {
            assert!(v.len() <= apisign::limits::MAX_HEADER_VALUE);
        }
        let _ = req.require(name);
    }
    let _ = req.as_request();
});
