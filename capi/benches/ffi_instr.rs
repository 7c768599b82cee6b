//! A driver for counting instructions (deterministic, unlike timings on a shared machine):
//! runs one variant of `ffi_ab` `N` times. Under callgrind, `(I(2N) - I(N)) / N` is the cost
//! of one call with set-up and start-up cancelled out:
//!
//! ```text
//! cargo bench -p apisign-capi --bench ffi_instr --no-run   # prints the binary's path
//! valgrind --tool=callgrind <binary> jetlinks c 1000       # then 2000; compare "Collected"
//! ```
//!
//! Variants: `rust`, `c`, `rust-headers`, `c-fast`. Without arguments (as `cargo bench`
//! runs it) it checks every case and variant once.
use std::hint::black_box;

use apisign_capi::apisign_signer_free;

#[path = "support/cases.rs"]
mod cases;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (scheme, variant, n) = match &args[..] {
        [s, v, n] => (
            Some(s.as_str()),
            Some(v.as_str()),
            n.parse().expect("N: a count"),
        ),
        _ => (None, None, 1),
    };
    for case in cases::CASES {
        if scheme.is_some_and(|s| !case.scheme.name().eq_ignore_ascii_case(s)) {
            continue;
        }
        let rust = case.rust_signer();
        let c = case.c_signer();
        let (req, creq) = (case.request(), case.c_request());
        for (name, fast) in [
            ("rust", false),
            ("c", false),
            ("rust-headers", true),
            ("c-fast", true),
        ] {
            if variant.is_some_and(|v| v != name) {
                continue;
            }
            let (opts, copts) = (case.options(fast), case.c_options(fast));
            for _ in 0..n {
                if name.starts_with("rust") {
                    black_box(rust.sign(black_box(&req), &opts).unwrap());
                } else {
                    cases::c_sign(c, black_box(&creq), &copts, fast);
                }
            }
        }
        apisign_signer_free(c);
    }
}
