//! Signing cost per scheme, each beside the bare primitive on the same input (digest/HMAC plus
//! encoding alone, key processed per call) in the same group, so overhead reads as a ratio.
//!
//! Targets (issue "The Rust core"): jetlinks and piemdm (no body) within 1.3x of the bare
//! primitive; lovrabet at or below 1.0x (keyed HMAC state is cached); piemdm with a 1 MiB body
//! within 1.05x of SHA-256 over 1 MiB.

use std::hint::black_box;

use apisign::linksfield::{PrivateKey, Signer as LfSigner};
use apisign::{jetlinks, lovrabet, piemdm, Request};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;

const TS_MS: u64 = 1_758_903_130_713;

fn lovrabet(c: &mut Criterion) {
    let mut g = c.benchmark_group("lovrabet");
    let gen =
        lovrabet::TokenGenerator::new("ak-OD8xWhMOsL5ChQ3Akhv4uYYiu1fPOFQGVF9BULIeov8", "lovrabet")
            .unwrap();
    let sts = lovrabet::string_to_sign(
        "ak-OD8xWhMOsL5ChQ3Akhv4uYYiu1fPOFQGVF9BULIeov8",
        "app-c2dd52a2",
        "0fefba76fe29440194841f4825df53ff",
        TS_MS,
    );
    g.bench_function("apisign", |b| {
        b.iter(|| {
            gen.generate(
                black_box("app-c2dd52a2"),
                black_box("0fefba76fe29440194841f4825df53ff"),
                black_box(TS_MS),
            )
        })
    });
    g.bench_function("bare_hmac_base64", |b| {
        b.iter(|| {
            let mut mac = Hmac::<Sha256>::new_from_slice(black_box(b"lovrabet")).unwrap();
            mac.update(black_box(sts.as_bytes()));
            STANDARD.encode(mac.finalize().into_bytes())
        })
    });
    g.finish();
}

fn jetlinks(c: &mut Criterion) {
    let mut g = c.benchmark_group("jetlinks");
    let signer = jetlinks::Signer::new("testId", "testSecure", jetlinks::Algorithm::Md5).unwrap();
    let req = Request::new("GET", "/api/device?pageSize=20&pageIndex=0");
    g.bench_function("apisign_get", |b| {
        b.iter(|| signer.sign(black_box(&req), black_box(1_574_993_804_802)))
    });
    g.bench_function("bare_md5_hex", |b| {
        b.iter(|| {
            let mut h = Md5::new();
            h.update(black_box(b"pageIndex=0&pageSize=20"));
            h.update(black_box(b"1574993804802"));
            h.update(black_box(b"testSecure"));
            hex::encode(h.finalize())
        })
    });
    let body = b"{\"paging\":false}";
    let post = Request::new("POST", "/api/device/instance/_query")
        .with_body(body)
        .with_content_type("application/json");
    g.bench_function("apisign_post", |b| {
        b.iter(|| signer.sign(black_box(&post), black_box(1_574_993_804_802)))
    });
    g.bench_function("bare_md5_hex_post", |b| {
        b.iter(|| {
            let mut h = Md5::new();
            h.update(black_box(body));
            h.update(black_box(b"1574993804802"));
            h.update(black_box(b"testSecure"));
            hex::encode(h.finalize())
        })
    });
    g.finish();
}

/// The bare primitive for piemdm: SHA-256 of the body as hex, then HMAC-SHA256 (key per call)
/// over the already-built canonical request, as hex.
fn bare_piemdm(secret: &[u8], body: &[u8], canonical_without_hash: (&[u8], &[u8])) -> String {
    let body_hash = hex::encode(Sha256::digest(body));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
    mac.update(canonical_without_hash.0);
    mac.update(body_hash.as_bytes());
    mac.update(canonical_without_hash.1);
    hex::encode(mac.finalize().into_bytes())
}

fn piemdm(c: &mut Criterion) {
    let signer = piemdm::Signer::new("app_592837482", "test_secret_123456").unwrap();
    let mut g = c.benchmark_group("piemdm");
    let req = Request::new("GET", "/openapi/v1/entities/product?page=1&pageSize=10");
    g.bench_function("apisign_no_body", |b| {
        b.iter(|| {
            signer.sign(
                black_box(&req),
                black_box(1_705_478_400),
                black_box("abc123xyz789"),
            )
        })
    });
    let head = b"GET\n/openapi/v1/entities/product\npage=1&pageSize=10\n".as_slice();
    let tail = b"\n1705478400\nabc123xyz789".as_slice();
    g.bench_function("bare_sha256_hmac_hex", |b| {
        b.iter(|| {
            bare_piemdm(
                black_box(b"test_secret_123456"),
                black_box(b""),
                (black_box(head), black_box(tail)),
            )
        })
    });
    g.finish();

    let mut g = c.benchmark_group("piemdm_1MiB");
    let body = vec![b'x'; 1 << 20];
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.sample_size(30);
    let post = Request::new("POST", "/openapi/v1/entities/product").with_body(&body);
    g.bench_function("apisign", |b| {
        b.iter(|| {
            signer.sign(
                black_box(&post),
                black_box(1_705_478_400),
                black_box("abc123xyz789"),
            )
        })
    });
    g.bench_function("bare_sha256", |b| {
        b.iter(|| Sha256::digest(black_box(&body)))
    });
    g.finish();
}

fn linksfield(c: &mut Criterion) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/linksfield.json"
    ))
    .unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let pem = file["keys"]["rsa1024_pkcs8_pem"].as_str().unwrap();
    let key = PrivateKey::parse(pem).unwrap();
    let signer = LfSigner::new(
        "b30a5e0e135d42e6ab43b021a30b7987",
        PrivateKey::parse(pem).unwrap(),
    )
    .unwrap();
    let body = br#"{"bundle_id": "LP09823222320", "bundle_type": 10, "cycles": 3}"#;
    let req = Request::new("POST", "/cube/v4/sims/89000100010003125832/bundle").with_body(body);
    let msg = apisign::linksfield::message_v2(&req, "1674197059220", "1").unwrap();
    let mut g = c.benchmark_group("linksfield");
    g.bench_function("apisign_v2", |b| {
        b.iter(|| {
            signer.sign_v2(
                black_box(&req),
                black_box(1_674_197_059_220),
                black_box("1"),
            )
        })
    });
    g.bench_function("bare_rsa_sha1_base64", |b| {
        b.iter(|| key.sign_base64(black_box(msg.as_bytes())))
    });
    g.bench_function("parse_key", |b| {
        b.iter(|| PrivateKey::parse(black_box(pem)))
    });
    g.finish();
}

criterion_group!(benches, lovrabet, jetlinks, piemdm, linksfield);
criterion_main!(benches);
