//! Cost of going through the C ABI: the one exported signing call (plus the free a C caller
//! must do, and optionally borrowing the headers) beside the Rust generic
//! `scheme::Signer::sign` on the same input, in one group per scheme so the overhead reads as
//! a ratio.
//!
//! Target (issue #11): the C call within 1.1x of the Rust call. On a loaded machine these
//! sequential groups drift; `capi/benches/ffi_ab.rs` interleaves them. `c-fast` is the same
//! call with `APISIGN_SIGN_HEADERS_ONLY` (headers borrowed), beside `rust-headers`.

use std::hint::black_box;

use apisign_capi::apisign_signer_free;
use criterion::{criterion_group, criterion_main, Criterion};

#[path = "support/cases.rs"]
mod cases;

fn ffi(c: &mut Criterion) {
    for case in cases::CASES {
        let mut g = c.benchmark_group(format!("ffi/{}", case.scheme.name()));
        let rust = case.rust_signer();
        let cs = case.c_signer();
        let (req, creq) = (case.request(), case.c_request());
        let (full, fast) = (case.options(false), case.options(true));
        let (cfull, cfast) = (case.c_options(false), case.c_options(true));
        g.bench_function("rust", |b| b.iter(|| rust.sign(black_box(&req), &full)));
        g.bench_function("c", |b| {
            b.iter(|| cases::c_sign(cs, black_box(&creq), &cfull, false))
        });
        g.bench_function("c+headers", |b| {
            b.iter(|| cases::c_sign(cs, black_box(&creq), &cfull, true))
        });
        g.bench_function("rust-headers", |b| {
            b.iter(|| rust.sign(black_box(&req), &fast))
        });
        g.bench_function("c-fast", |b| {
            b.iter(|| cases::c_sign(cs, black_box(&creq), &cfast, true))
        });
        g.finish();
        apisign_signer_free(cs);
    }
}

criterion_group!(benches, ffi);
criterion_main!(benches);
