//! Cost of going through the C ABI: each scheme's exported `extern "C"` signing call (plus the
//! free a C caller must do, and optionally copying the headers out) beside the Rust API call on
//! the same input, in one group so the overhead reads as a ratio.
//!
//! Target (issue "C ABI, generated header and Go bindings"): C call within 1.1x of the Rust call.
//! On a loaded machine these sequential groups drift; `capi/benches/ffi_ab.rs` interleaves them.
//! `c-fast` is the handle-free `*_sign_headers`/`*_token_headers` entry point (header lines
//! straight into a caller buffer); it sits beside both the full Rust call (`rust`, which also
//! builds the signed string) and the Rust headers-only call (`rust-headers`, the same work).

use std::hint::black_box;
use std::ptr;

use apisign::{jetlinks, lovrabet, piemdm, Request};
use apisign_capi::*;
use criterion::{criterion_group, criterion_main, Criterion};

const TS_MS: u64 = 1_758_903_130_713;
const URL: &str = "/api/device?pageSize=20&pageIndex=0&terms=name&sorts=id";

fn c_request(method: &str, url: &str, body: &[u8]) -> apisign_request {
    apisign_request {
        method: method.as_ptr(),
        method_len: method.len(),
        url: url.as_ptr(),
        url_len: url.len(),
        body: body.as_ptr(),
        body_len: body.len(),
        content_type: ptr::null(),
        content_type_len: 0,
    }
}

/// Free a signature after checking the call succeeded (a failing bench must not look fast).
fn done(rc: apisign_result, sig: *mut apisign_signature) {
    assert_eq!(rc, APISIGN_OK);
    apisign_signature_free(sig);
}

/// Copy every header out, as a C caller would.
fn done_with_headers(rc: apisign_result, sig: *mut apisign_signature, buf: &mut [u8]) {
    assert_eq!(rc, APISIGN_OK);
    let mut n = 0usize;
    assert_eq!(
        apisign_signature_headers(sig, buf.as_mut_ptr(), buf.len(), &mut n),
        APISIGN_OK
    );
    black_box(&buf[..n]);
    apisign_signature_free(sig);
}

fn jetlinks(c: &mut Criterion) {
    let mut g = c.benchmark_group("ffi/jetlinks");
    let rust = jetlinks::Signer::new("testId", "testSecure", jetlinks::Algorithm::Md5).unwrap();
    let mut h = ptr::null_mut();
    let (id, key) = ("testId", "testSecure");
    let rc = apisign_jetlinks_new(
        id.as_ptr(),
        id.len(),
        key.as_ptr(),
        key.len(),
        APISIGN_JETLINKS_MD5,
        &mut h,
        ptr::null_mut(),
    );
    assert_eq!(rc, APISIGN_OK);
    let req = Request::new("GET", URL);
    let creq = c_request("GET", URL, b"");
    let mut buf = [0u8; 512];
    g.bench_function("rust", |b| b.iter(|| rust.sign(black_box(&req), TS_MS)));
    g.bench_function("c", |b| {
        b.iter(|| {
            let mut sig = ptr::null_mut();
            let rc = apisign_jetlinks_sign(h, black_box(&creq), TS_MS, &mut sig, ptr::null_mut());
            done(rc, sig)
        })
    });
    g.bench_function("c+headers", |b| {
        b.iter(|| {
            let mut sig = ptr::null_mut();
            let rc = apisign_jetlinks_sign(h, black_box(&creq), TS_MS, &mut sig, ptr::null_mut());
            done_with_headers(rc, sig, &mut buf)
        })
    });
    g.bench_function("rust-headers", |b| {
        b.iter(|| rust.sign_headers(black_box(&req), TS_MS))
    });
    g.bench_function("c-fast", |b| {
        b.iter(|| {
            let (m, u) = (black_box("GET"), black_box(URL));
            let mut n = 0usize;
            let rc = apisign_jetlinks_sign_headers(
                h,
                m.as_ptr(),
                m.len(),
                u.as_ptr(),
                u.len(),
                ptr::null(),
                0,
                ptr::null(),
                0,
                TS_MS,
                buf.as_mut_ptr(),
                buf.len(),
                &mut n,
                ptr::null_mut(),
            );
            assert_eq!(rc, APISIGN_OK);
            black_box(&buf[..n]);
        })
    });
    g.finish();
    apisign_jetlinks_free(h);
}

fn piemdm(c: &mut Criterion) {
    let mut g = c.benchmark_group("ffi/piemdm");
    let rust = piemdm::Signer::new("app_592837482", "test_secret_123456").unwrap();
    let mut h = ptr::null_mut();
    let (id, secret, nonce) = ("app_592837482", "test_secret_123456", "abc123xyz789abc123");
    let rc = apisign_piemdm_new(
        id.as_ptr(),
        id.len(),
        secret.as_ptr(),
        secret.len(),
        &mut h,
        ptr::null_mut(),
    );
    assert_eq!(rc, APISIGN_OK);
    let body = br#"{"name":"widget","price":12.5,"tags":["a","b"]}"#;
    let url = "/openapi/v1/entities/product?page=1&pageSize=10";
    let req = Request::new("POST", url).with_body(body);
    let creq = c_request("POST", url, body);
    let mut buf = [0u8; 512];
    g.bench_function("rust", |b| {
        b.iter(|| rust.sign(black_box(&req), 1_705_478_400, nonce))
    });
    g.bench_function("c", |b| {
        b.iter(|| {
            let mut sig = ptr::null_mut();
            let rc = apisign_piemdm_sign(
                h,
                black_box(&creq),
                1_705_478_400,
                nonce.as_ptr(),
                nonce.len(),
                &mut sig,
                ptr::null_mut(),
            );
            done(rc, sig)
        })
    });
    g.bench_function("c+headers", |b| {
        b.iter(|| {
            let mut sig = ptr::null_mut();
            let rc = apisign_piemdm_sign(
                h,
                black_box(&creq),
                1_705_478_400,
                nonce.as_ptr(),
                nonce.len(),
                &mut sig,
                ptr::null_mut(),
            );
            done_with_headers(rc, sig, &mut buf)
        })
    });

    g.bench_function("rust-headers", |b| {
        b.iter(|| rust.sign_headers(black_box(&req), 1_705_478_400, nonce))
    });
    g.bench_function("c-fast", |b| {
        b.iter(|| {
            let (m, u) = (black_box("POST"), black_box(url));
            let mut n = 0usize;
            let rc = apisign_piemdm_sign_headers(
                h,
                m.as_ptr(),
                m.len(),
                u.as_ptr(),
                u.len(),
                body.as_ptr(),
                body.len(),
                1_705_478_400,
                nonce.as_ptr(),
                nonce.len(),
                buf.as_mut_ptr(),
                buf.len(),
                &mut n,
                ptr::null_mut(),
            );
            assert_eq!(rc, APISIGN_OK);
            black_box(&buf[..n]);
        })
    });
    g.finish();
    apisign_piemdm_free(h);
}

fn lovrabet(c: &mut Criterion) {
    let mut g = c.benchmark_group("ffi/lovrabet");
    let rust = lovrabet::TokenGenerator::new("your-access-key", "lovrabet").unwrap();
    let mut h = ptr::null_mut();
    let ak = "your-access-key";
    let rc = apisign_lovrabet_new(
        ak.as_ptr(),
        ak.len(),
        ptr::null(),
        0,
        &mut h,
        ptr::null_mut(),
    );
    assert_eq!(rc, APISIGN_OK);
    let (app, ds) = ("app-c2dd52a2", "0fefba76fe29440194841f4825df53ff");
    let mut buf = [0u8; 512];
    g.bench_function("rust", |b| {
        b.iter(|| {
            rust.generate(black_box(app), ds, TS_MS)
                .map(lovrabet::Token::into_signature)
        })
    });
    g.bench_function("c", |b| {
        b.iter(|| {
            let mut sig = ptr::null_mut();
            let rc = apisign_lovrabet_token(
                h,
                black_box(app).as_ptr(),
                app.len(),
                ds.as_ptr(),
                ds.len(),
                TS_MS,
                &mut sig,
                ptr::null_mut(),
            );
            done(rc, sig)
        })
    });
    g.bench_function("c+headers", |b| {
        b.iter(|| {
            let mut sig = ptr::null_mut();
            let rc = apisign_lovrabet_token(
                h,
                black_box(app).as_ptr(),
                app.len(),
                ds.as_ptr(),
                ds.len(),
                TS_MS,
                &mut sig,
                ptr::null_mut(),
            );
            done_with_headers(rc, sig, &mut buf)
        })
    });
    g.bench_function("rust-headers", |b| {
        b.iter(|| rust.generate_headers(black_box(app), ds, TS_MS))
    });
    g.bench_function("c-fast", |b| {
        b.iter(|| {
            let mut n = 0usize;
            let rc = apisign_lovrabet_token_headers(
                h,
                black_box(app).as_ptr(),
                app.len(),
                ds.as_ptr(),
                ds.len(),
                TS_MS,
                buf.as_mut_ptr(),
                buf.len(),
                &mut n,
                ptr::null_mut(),
            );
            assert_eq!(rc, APISIGN_OK);
            black_box(&buf[..n]);
        })
    });
    g.finish();
    apisign_lovrabet_free(h);
}

criterion_group!(benches, jetlinks, piemdm, lovrabet);
criterion_main!(benches);
