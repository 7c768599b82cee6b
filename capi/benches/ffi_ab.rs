//! Interleaved A/B timing (see `support/ab.rs`) of the one C signing call against the Rust
//! generic `scheme::Signer::sign` on the same input, for loaded machines where criterion's
//! one-benchmark-after-another runs drift. Each variant's ratio is to the first (`rust`).
//! Target: `c` within 1.1x of `rust`; `c-fast` (headers only, headers read) beside
//! `rust-headers`.
//!
//! `cargo bench -p apisign-capi --bench ffi_ab`
use std::hint::black_box;

use apisign_capi::apisign_signer_free;

#[path = "../../benches/support/ab.rs"]
mod ab;
#[path = "support/cases.rs"]
mod cases;

fn main() {
    for case in cases::CASES {
        let rust = case.rust_signer();
        let c = case.c_signer();
        let (req, creq) = (case.request(), case.c_request());
        let (full, fast) = (case.options(false), case.options(true));
        let (cfull, cfast) = (case.c_options(false), case.c_options(true));
        ab::run(
            case.scheme.name(),
            &mut [
                ("rust", &mut || {
                    black_box(rust.sign(black_box(&req), &full).unwrap());
                }),
                ("c", &mut || {
                    cases::c_sign(c, black_box(&creq), &cfull, false)
                }),
                ("rust-headers", &mut || {
                    black_box(rust.sign(black_box(&req), &fast).unwrap());
                }),
                ("c-fast", &mut || {
                    cases::c_sign(c, black_box(&creq), &cfast, true)
                }),
            ],
        );
        apisign_signer_free(c);
    }
}
