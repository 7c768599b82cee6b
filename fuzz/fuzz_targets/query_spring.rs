//! Spring query parsing (jetlinks): never panics; a success is a well-formed param string.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = apisign::fuzzing::spring_query(q) {
        // Deterministic. (Decoded values are not re-encoded, so the output may hold any
        // character, '&' and '=' included: no shape to check beyond that.)
        assert_eq!(apisign::fuzzing::spring_query(q).unwrap(), s);
        assert!(s.is_empty() || s.contains('='));
    }
    let url = format!("/api?{q}");
    let _ = apisign::jetlinks::signed_data(&apisign::Request::new("GET", &url));
});
