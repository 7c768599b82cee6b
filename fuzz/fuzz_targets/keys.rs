//! RSA key parsing (PEM / base64 DER / DER, private and public): never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(k) = apisign::linksfield::PrivateKey::parse(data) {
        assert!(k.bits() >= apisign::linksfield::MIN_KEY_BITS);
    }
    if let Ok(k) = apisign::linksfield::PublicKey::parse(data) {
        assert!(k.bits() >= apisign::linksfield::MIN_KEY_BITS);
        let _ = k.verify_base64(b"m", "AAAA");
    }
});
