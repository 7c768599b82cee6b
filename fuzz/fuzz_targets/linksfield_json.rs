//! Linksfield JSON bodies and query strings: the v2 message and the v1 parameters never
//! panic, and a v2 message is itself valid JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0).unwrap_or(0);
    let (query, body) = data.split_at(split);
    let Ok(query) = std::str::from_utf8(query) else {
        return;
    };
    let url = format!("/cube/v4/x?{query}");
    let req = apisign::Request::new("POST", &url).with_body(body);
    if let Ok(m) = apisign::linksfield::message_v2(&req, "1", "n") {
        let v: serde_json::Value = serde_json::from_str(&m).expect("message is JSON");
        assert!(v.is_object());
    }
    let _ = apisign::linksfield::fuzz_v1_params(&req);
});
