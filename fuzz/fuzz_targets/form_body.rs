//! Form bodies (jetlinks `application/x-www-form-urlencoded`), in every charset family the
//! server may declare: never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = apisign::fuzzing::spring_form(data);
    for content_type in [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=ISO-8859-1",
        "application/x-www-form-urlencoded; charset=US-ASCII",
        "application/x-www-form-urlencoded; charset=UTF-16",
        "application/x-www-form-urlencoded; charset=GBK",
        "application/x-www-form-urlencoded; charset=GB2312",
        "application/x-www-form-urlencoded; charset=GB18030",
    ] {
        let req = apisign::Request::new("POST", "/api")
            .with_body(data)
            .with_content_type(content_type);
        let _ = apisign::jetlinks::signed_data(&req);
    }
    // The body's first line as a Content-Type: the media-type parser on arbitrary text.
    if let Some(line) = data.split(|&b| b == b'\n').next() {
        if let Ok(content_type) = std::str::from_utf8(line) {
            let req = apisign::Request::new("POST", "/api")
                .with_body(data)
                .with_content_type(content_type);
            let _ = apisign::jetlinks::signed_data(&req);
        }
    }
});
