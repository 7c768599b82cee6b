//! Go net/url canonical path and query (piemdm): never panics; output is ASCII and stable.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(out) = apisign::fuzzing::go_query(q) {
        assert!(out.is_ascii());
        // Canonical form is a fixed point.
        let again = apisign::fuzzing::go_query(std::str::from_utf8(&out).unwrap()).unwrap();
        assert_eq!(again, out);
    }
    let _ = apisign::fuzzing::go_path(q);
    let url = format!("/openapi/v1/{q}");
    let _ = apisign::piemdm::canonical_request(&apisign::Request::new("GET", &url), "1", "n");
});
