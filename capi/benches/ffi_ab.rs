//! Interleaved A/B timing (see `support/ab.rs`) of the C fast paths against the Rust calls, for
//! loaded machines where criterion's one-benchmark-after-another runs drift. Each variant's
//! ratio is to the first (`rust`, the full Rust call).
//!
//! `cargo bench -p apisign-capi --bench ffi_ab`
use std::hint::black_box;
use std::ptr;

use apisign::{jetlinks, lovrabet, piemdm, Request};
use apisign_capi::*;

#[path = "../../benches/support/ab.rs"]
mod ab;

const TS_MS: u64 = 1_758_903_130_713;
const URL: &str = "/api/device?pageSize=20&pageIndex=0&terms=name&sorts=id";

fn main() {
    let mut buf = [0u8; 512];
    // lovrabet
    let rust = lovrabet::TokenGenerator::new("your-access-key", "lovrabet").unwrap();
    let mut h = ptr::null_mut();
    let ak = "your-access-key";
    assert_eq!(
        apisign_lovrabet_new(
            ak.as_ptr(),
            ak.len(),
            ptr::null(),
            0,
            &mut h,
            ptr::null_mut()
        ),
        APISIGN_OK
    );
    let (app, ds) = ("app-c2dd52a2", "0fefba76fe29440194841f4825df53ff");
    let bp = buf.as_mut_ptr();
    ab::run(
        "lovrabet",
        &mut [
            ("rust", &mut || {
                black_box(
                    rust.generate(black_box(app), ds, TS_MS)
                        .map(lovrabet::Token::into_signature)
                        .unwrap(),
                );
            }),
            ("rust-headers", &mut || {
                black_box(rust.generate_headers(black_box(app), ds, TS_MS).unwrap());
            }),
            ("c-fast", &mut || {
                let mut n = 0usize;
                let a = black_box(app);
                assert_eq!(
                    apisign_lovrabet_token_headers(
                        h,
                        a.as_ptr(),
                        a.len(),
                        ds.as_ptr(),
                        ds.len(),
                        TS_MS,
                        bp,
                        512,
                        &mut n,
                        ptr::null_mut()
                    ),
                    APISIGN_OK
                );
                black_box(n);
            }),
            ("c-handle", &mut || {
                let mut sig = ptr::null_mut();
                let a = black_box(app);
                assert_eq!(
                    apisign_lovrabet_token(
                        h,
                        a.as_ptr(),
                        a.len(),
                        ds.as_ptr(),
                        ds.len(),
                        TS_MS,
                        &mut sig,
                        ptr::null_mut()
                    ),
                    APISIGN_OK
                );
                apisign_signature_free(sig);
            }),
        ],
    );
    // jetlinks
    let rust = jetlinks::Signer::new("testId", "testSecure", jetlinks::Algorithm::Md5).unwrap();
    let mut jh = ptr::null_mut();
    assert_eq!(
        apisign_jetlinks_new(
            b"testId".as_ptr(),
            6,
            b"testSecure".as_ptr(),
            10,
            APISIGN_JETLINKS_MD5,
            &mut jh,
            ptr::null_mut()
        ),
        APISIGN_OK
    );
    let req = Request::new("GET", URL);
    ab::run(
        "jetlinks",
        &mut [
            ("rust", &mut || {
                black_box(rust.sign(black_box(&req), TS_MS).unwrap());
            }),
            ("rust-headers", &mut || {
                black_box(rust.sign_headers(black_box(&req), TS_MS).unwrap());
            }),
            ("c-fast", &mut || {
                let mut n = 0usize;
                let (m, u) = (black_box("GET"), black_box(URL));
                assert_eq!(
                    apisign_jetlinks_sign_headers(
                        jh,
                        m.as_ptr(),
                        m.len(),
                        u.as_ptr(),
                        u.len(),
                        ptr::null(),
                        0,
                        ptr::null(),
                        0,
                        TS_MS,
                        bp,
                        512,
                        &mut n,
                        ptr::null_mut()
                    ),
                    APISIGN_OK
                );
                black_box(n);
            }),
            ("c-handle", &mut || {
                let mut sig = ptr::null_mut();
                let creq = apisign_request {
                    method: b"GET".as_ptr(),
                    method_len: 3,
                    url: URL.as_ptr(),
                    url_len: URL.len(),
                    body: ptr::null(),
                    body_len: 0,
                    content_type: ptr::null(),
                    content_type_len: 0,
                };
                assert_eq!(
                    apisign_jetlinks_sign(jh, black_box(&creq), TS_MS, &mut sig, ptr::null_mut()),
                    APISIGN_OK
                );
                apisign_signature_free(sig);
            }),
        ],
    );
    // piemdm
    let rust = piemdm::Signer::new("app_592837482", "test_secret_123456").unwrap();
    let mut ph = ptr::null_mut();
    assert_eq!(
        apisign_piemdm_new(
            b"app_592837482".as_ptr(),
            13,
            b"test_secret_123456".as_ptr(),
            18,
            &mut ph,
            ptr::null_mut()
        ),
        APISIGN_OK
    );
    let body = br#"{"name":"widget","price":12.5,"tags":["a","b"]}"#;
    let url = "/openapi/v1/entities/product?page=1&pageSize=10";
    let nonce = "abc123xyz789abc123";
    let req = Request::new("POST", url).with_body(body);
    ab::run(
        "piemdm",
        &mut [
            ("rust", &mut || {
                black_box(rust.sign(black_box(&req), 1_705_478_400, nonce).unwrap());
            }),
            ("rust-headers", &mut || {
                black_box(
                    rust.sign_headers(black_box(&req), 1_705_478_400, nonce)
                        .unwrap(),
                );
            }),
            ("c-fast", &mut || {
                let mut n = 0usize;
                let (m, u) = (black_box("POST"), black_box(url));
                assert_eq!(
                    apisign_piemdm_sign_headers(
                        ph,
                        m.as_ptr(),
                        m.len(),
                        u.as_ptr(),
                        u.len(),
                        body.as_ptr(),
                        body.len(),
                        1_705_478_400,
                        nonce.as_ptr(),
                        nonce.len(),
                        bp,
                        512,
                        &mut n,
                        ptr::null_mut()
                    ),
                    APISIGN_OK
                );
                black_box(n);
            }),
            ("c-handle", &mut || {
                let mut sig = ptr::null_mut();
                let creq = apisign_request {
                    method: b"POST".as_ptr(),
                    method_len: 4,
                    url: url.as_ptr(),
                    url_len: url.len(),
                    body: body.as_ptr(),
                    body_len: body.len(),
                    content_type: ptr::null(),
                    content_type_len: 0,
                };
                assert_eq!(
                    apisign_piemdm_sign(
                        ph,
                        black_box(&creq),
                        1_705_478_400,
                        nonce.as_ptr(),
                        nonce.len(),
                        &mut sig,
                        ptr::null_mut()
                    ),
                    APISIGN_OK
                );
                apisign_signature_free(sig);
            }),
        ],
    );
}
