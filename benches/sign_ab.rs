//! The core signers beside their bare primitives (the same inputs as `benches/sign.rs`),
//! timed interleaved (see `support/ab.rs`) so the ratios hold on a loaded machine. The first
//! line of each group is the bare primitive, the ratio is to it (then the typed signer, then the
//! generic `scheme::Signer` the bindings use, in full and on its headers-only path); targets (issue "The Rust core"): jetlinks GET and
//! piemdm without a body within 1.3x, lovrabet at or below 1.0x.
//!
//! `cargo bench --bench sign_ab`

use std::hint::black_box;

use apisign::scheme::{Param, Signer};
use apisign::{jetlinks, lovrabet, piemdm, Request, SchemeId, SignOptions};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;

#[path = "support/ab.rs"]
mod ab;

const TS_MS: u64 = 1_758_903_130_713;

fn main() {
    let access_key = "ak-OD8xWhMOsL5ChQ3Akhv4uYYiu1fPOFQGVF9BULIeov8";
    let (app, dataset) = ("app-c2dd52a2", "0fefba76fe29440194841f4825df53ff");
    let gen = lovrabet::TokenGenerator::new(access_key, "lovrabet").unwrap();
    // Each call returns its result to `black_box` as criterion's `iter` does (an `unwrap` in
    // the loop would add a move of the whole signature); check once here that they succeed.
    gen.generate(app, dataset, TS_MS).unwrap();
    let sts = lovrabet::string_to_sign(access_key, app, dataset, TS_MS);
    // The generic signer every binding uses, full and on its headers-only fast path.
    let lv = Signer::new(
        SchemeId::Lovrabet,
        &[
            Param::text("app_code", app),
            Param::text("dataset_code", dataset),
            Param::text("access_key", access_key),
        ],
    )
    .unwrap();
    let any = Request::new("GET", "/");
    let at = SignOptions::at(TS_MS);
    let fast = SignOptions::at(TS_MS).headers_only();
    lv.sign(&any, &at).unwrap();
    ab::run(
        "lovrabet",
        &mut [
            ("bare_hmac_base64", &mut || {
                let mut mac = Hmac::<Sha256>::new_from_slice(black_box(b"lovrabet")).unwrap();
                mac.update(black_box(sts.as_bytes()));
                black_box(STANDARD.encode(mac.finalize().into_bytes()));
            }),
            ("apisign", &mut || {
                let _ =
                    black_box(gen.generate(black_box(app), black_box(dataset), black_box(TS_MS)));
            }),
            ("generic", &mut || {
                let _ = black_box(lv.sign(black_box(&any), black_box(&at)));
            }),
            ("generic_headers_only", &mut || {
                let _ = black_box(lv.sign(black_box(&any), black_box(&fast)));
            }),
        ],
    );

    let jl = jetlinks::Signer::new("testId", "testSecure", jetlinks::Algorithm::Md5).unwrap();
    let get = Request::new("GET", "/api/device?pageSize=20&pageIndex=0");
    jl.sign(&get, 1_574_993_804_802).unwrap();
    let jg = Signer::new(
        SchemeId::JetLinks,
        &[
            Param::text("client_id", "testId"),
            Param::text("secure_key", "testSecure"),
        ],
    )
    .unwrap();
    let jl_at = SignOptions::at(1_574_993_804_802);
    let jl_fast = jl_at.headers_only();
    ab::run(
        "jetlinks",
        &mut [
            ("bare_md5_hex", &mut || {
                let mut h = Md5::new();
                h.update(black_box(b"pageIndex=0&pageSize=20"));
                h.update(black_box(b"1574993804802"));
                h.update(black_box(b"testSecure"));
                black_box(hex::encode(h.finalize()));
            }),
            ("apisign_get", &mut || {
                let _ = black_box(jl.sign(black_box(&get), black_box(1_574_993_804_802)));
            }),
            ("generic_get", &mut || {
                let _ = black_box(jg.sign(black_box(&get), black_box(&jl_at)));
            }),
            ("generic_get_headers_only", &mut || {
                let _ = black_box(jg.sign(black_box(&get), black_box(&jl_fast)));
            }),
        ],
    );

    let pm = piemdm::Signer::new("app_592837482", "test_secret_123456").unwrap();
    let req = Request::new("GET", "/openapi/v1/entities/product?page=1&pageSize=10");
    pm.sign(&req, 1_705_478_400, "abc123xyz789").unwrap();
    let pg = Signer::new(
        SchemeId::PieMdm,
        &[
            Param::text("app_id", "app_592837482"),
            Param::text("app_secret", "test_secret_123456"),
        ],
    )
    .unwrap();
    let pm_at = SignOptions::at(1_705_478_400_000).with_nonce("abc123xyz789");
    let pm_fast = pm_at.headers_only();
    ab::run(
        "piemdm",
        &mut [
            ("bare_sha256_hmac_hex", &mut || {
                let body_hash = hex::encode(Sha256::digest(black_box(b"")));
                let mut mac =
                    Hmac::<Sha256>::new_from_slice(black_box(b"test_secret_123456")).unwrap();
                mac.update(black_box(
                    b"GET\n/openapi/v1/entities/product\npage=1&pageSize=10\n",
                ));
                mac.update(body_hash.as_bytes());
                mac.update(black_box(b"\n1705478400\nabc123xyz789"));
                black_box(hex::encode(mac.finalize().into_bytes()));
            }),
            ("apisign_no_body", &mut || {
                let _ = black_box(pm.sign(
                    black_box(&req),
                    black_box(1_705_478_400),
                    black_box("abc123xyz789"),
                ));
            }),
            ("generic_no_body", &mut || {
                let _ = black_box(pg.sign(black_box(&req), black_box(&pm_at)));
            }),
            ("generic_no_body_headers_only", &mut || {
                let _ = black_box(pg.sign(black_box(&req), black_box(&pm_fast)));
            }),
        ],
    );
}
