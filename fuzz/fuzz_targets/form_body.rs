//! Form bodies (jetlinks `application/x-www-form-urlencoded`): never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = apisign::fuzzing::spring_form(data);
    let req = apisign::Request::new("POST", "/api")
        .with_body(data)
        .with_content_type("application/x-www-form-urlencoded");
    let _ = apisign::jetlinks::signed_data(&req);
});
