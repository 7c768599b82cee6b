//! The latency ApisignLayer adds per request: the same axum app called in-process (tower's
//! `oneshot`, no sockets) with the same freshly signed requests, with and without the layer.
//! The client signs in both, so the difference between the two is the layer's.

use std::sync::Arc;

use apisign::scheme::{Param, Signer};
use apisign::verify::{InMemoryCredentials, InMemoryNonceStore};
use apisign::{Request as SignRequest, SchemeId, SignOptions, Verifier};
use apisign_tower::ApisignLayer;
use axum::body::Body;
use axum::routing::post;
use axum::Router;
use criterion::{criterion_group, criterion_main, Criterion};
use http::Request;
use tower::ServiceExt;

const PARAMS: [(&str, &str); 2] = [("app_id", "app-1"), ("app_secret", "secret-1")];
const BODY: &[u8] = br#"{"name":"widget","tags":["a","b"],"n":42}"#;
const URL: &str = "/openapi/v1/entities/product?page=1";

fn params() -> Vec<Param<'static>> {
    PARAMS.iter().map(|(n, v)| Param::text(n, v)).collect()
}

fn signed(signer: &Signer) -> Request<Body> {
    let sig = signer
        .sign(
            &SignRequest::new("POST", URL).with_body(BODY),
            &SignOptions {
                headers_only: true,
                ..SignOptions::default()
            },
        )
        .unwrap();
    let mut b = Request::post(URL);
    for h in &sig.headers {
        b = b.header(h.name, h.value.as_str());
    }
    b.body(Body::from(BODY)).unwrap()
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let creds = Arc::new(InMemoryCredentials::new());
    creds.add_params(SchemeId::PieMdm, &params()).unwrap();
    let signer = Signer::new(SchemeId::PieMdm, &params()).unwrap();
    let app = Router::new().route(
        "/openapi/v1/entities/product",
        post(|body: String| async move { body }),
    );
    // Every request has a fresh nonce: room for all the bench sends (the default bound would
    // fill up and answer 503, as it must).
    let nonces = Arc::new(InMemoryNonceStore::with_capacity(4_000_000));
    let verifier = Verifier::builder(SchemeId::PieMdm, creds)
        .nonce_store(nonces)
        .build()
        .unwrap();
    let guarded = app.clone().layer(ApisignLayer::new(verifier));
    let mut g = c.benchmark_group("axum_request");
    g.bench_function("without_layer", |b| {
        b.to_async(&rt).iter(|| async {
            let r = app.clone().oneshot(signed(&signer)).await.unwrap();
            assert_eq!(r.status(), 200);
        })
    });
    g.bench_function("with_layer", |b| {
        b.to_async(&rt).iter(|| async {
            let r = guarded.clone().oneshot(signed(&signer)).await.unwrap();
            let status = r.status();
            if status != 200 {
                use http_body_util::BodyExt;
                let body = r.into_body().collect().await.unwrap().to_bytes();
                panic!("{status} {body:?}");
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
