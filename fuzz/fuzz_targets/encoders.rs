//! Encoders (hex, base64, URL scanning) against their references on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| apisign::fuzzing::check_encoders(data));
