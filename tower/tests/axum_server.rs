//! ApisignLayer in front of a real axum app on hyper, on 127.0.0.1, called by hyper's HTTP/1
//! client: the caller reaches the handler with the exact body, tampering and replays get the
//! platform's answer, oversized bodies get 413 without the handler, chunked bodies and
//! percent-encoded or unicode paths verify, the allow-list sees the connection's address, and
//! responses are signed where the platform signs them. Expected bodies are written out from the
//! platforms' sources (docs/), not computed by the code under test.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use apisign::scheme::{Param, Signer};
use apisign::verify::InMemoryCredentials;
use apisign::{Request as SignRequest, SchemeId, SignOptions, Verified, Verifier};
use apisign_tower::ApisignLayer;
use axum::extract::ConnectInfo;
use axum::routing::any;
use axum::{Extension, Router};
use bytes::Bytes;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Full, StreamBody};

fn params(scheme: SchemeId) -> Vec<(&'static str, &'static str)> {
    match scheme {
        SchemeId::JetLinks => vec![("client_id", "testId"), ("secure_key", "testSecure")],
        _ => vec![("app_id", "app-1"), ("app_secret", "secret-1")],
    }
}

fn as_params(list: &[(&'static str, &'static str)]) -> Vec<Param<'static>> {
    list.iter().map(|(n, v)| Param::text(n, v)).collect()
}

/// An app behind the layer on a free port; its handler echoes the body and names the caller.
async fn serve(
    scheme: SchemeId,
    allowed_ips: Option<&'static str>,
    layer: impl FnOnce(ApisignLayer) -> ApisignLayer,
) -> (SocketAddr, Arc<AtomicUsize>) {
    let creds = Arc::new(InMemoryCredentials::new());
    let mut cred = params(scheme);
    if let Some(list) = allowed_ips {
        cred.push(("allowed_ips", list));
    }
    creds.add_params(scheme, &as_params(&cred)).unwrap();
    let verifier = Verifier::builder(scheme, creds).build().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let seen = hits.clone();
    let app = Router::new()
        .fallback(any(
            move |Extension(who): Extension<Verified>, body: Bytes| {
                let seen = seen.clone();
                async move {
                    seen.fetch_add(1, Ordering::SeqCst);
                    ([("x-caller", who.caller)], body)
                }
            },
        ))
        .route("/healthz", any(|| async { "ok" }))
        .layer(layer(ApisignLayer::new(verifier).peer_addr(|ext| {
            ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
        })));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    (addr, hits)
}

/// Send `request` over a fresh HTTP/1 connection; (status, headers, body).
async fn send<B>(addr: SocketAddr, request: Request<B>) -> (StatusCode, HeaderMap, String)
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut tx, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(conn);
    let response = tx.send_request(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// Send the request `builder` describes, with an empty body.
async fn send_empty(
    addr: SocketAddr,
    builder: http::request::Builder,
) -> (StatusCode, HeaderMap, String) {
    send(addr, builder.body(Full::new(Bytes::new())).unwrap()).await
}

/// `method target` with `body`, signed for `scheme`'s caller; `tamper` may change it after.
fn signed(
    scheme: SchemeId,
    method: &str,
    target: &str,
    body: &'static [u8],
) -> http::request::Builder {
    let signer = Signer::new(scheme, &as_params(&params(scheme))).unwrap();
    let sig = signer
        .sign(
            &SignRequest::new(method, target)
                .with_body(body)
                .with_content_type("application/json"),
            &SignOptions::default(),
        )
        .unwrap();
    let mut b = Request::builder()
        .method(method)
        .uri(target)
        .header("host", "127.0.0.1")
        .header("content-type", "application/json");
    for h in &sig.headers {
        b = b.header(h.name, h.value.as_str());
    }
    b
}

/// Send `method target` with `body`, signed for `scheme`'s caller and left as signed.
async fn send_signed(
    addr: SocketAddr,
    scheme: SchemeId,
    method: &str,
    target: &str,
    body: &'static [u8],
) -> (StatusCode, HeaderMap, String) {
    let request = signed(scheme, method, target, body)
        .body(Full::new(Bytes::from_static(body)))
        .unwrap();
    send(addr, request).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn valid_tampered_and_replayed_requests() {
    let (addr, hits) = serve(SchemeId::PieMdm, None, |l| l).await;
    let body: &'static [u8] = br#"{"name":"widget"}"#;
    let (status, headers, got) = send(
        addr,
        signed(
            SchemeId::PieMdm,
            "POST",
            "/openapi/v1/entities/product?page=1",
            body,
        )
        .body(Full::new(Bytes::from_static(body)))
        .unwrap(),
    )
    .await;
    assert_eq!(
        (status, got.as_str()),
        (StatusCode::OK, r#"{"name":"widget"}"#)
    );
    assert_eq!(headers["x-caller"], "app-1");

    let invalid = r#"{"code":"AUTH_SIGNATURE_INVALID","message":"Signature mismatch"}"#;
    let before = hits.load(Ordering::SeqCst);
    // The body, the query and the path changed after signing.
    for (target, sent) in [
        (
            "/openapi/v1/entities/product?page=1",
            &br#"{"name":"gadget"}"#[..],
        ),
        ("/openapi/v1/entities/product?page=2", body),
        ("/openapi/v1/entities/order?page=1", body),
    ] {
        let mut req = signed(
            SchemeId::PieMdm,
            "POST",
            "/openapi/v1/entities/product?page=1",
            body,
        )
        .body(Full::new(Bytes::from_static(sent)))
        .unwrap();
        *req.uri_mut() = target.parse().unwrap();
        let (status, headers, got) = send(addr, req).await;
        assert_eq!(
            (status, got.as_str()),
            (StatusCode::UNAUTHORIZED, invalid),
            "{target}"
        );
        assert_eq!(headers["content-type"], "application/json");
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        before,
        "a refused request reached the handler"
    );

    let builder = || signed(SchemeId::PieMdm, "GET", "/openapi/v1/x", b"");
    let first = builder().body(Full::new(Bytes::new())).unwrap();
    let mut replay = Request::builder().method("GET").uri("/openapi/v1/x");
    for (n, v) in first.headers() {
        replay = replay.header(n, v);
    }
    assert_eq!(send(addr, first).await.0, StatusCode::OK);
    let (status, _, got) = send_empty(addr, replay).await;
    assert_eq!(
        (status, got.as_str()),
        (
            StatusCode::UNAUTHORIZED,
            r#"{"code":"AUTH_NONCE_USED","message":"Nonce already used"}"#
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_limit_chunked_bodies_paths_and_skips() {
    let (addr, hits) = serve(SchemeId::PieMdm, None, |l| {
        l.max_body(32).skip_paths(["/healthz"])
    })
    .await;
    let big: &'static [u8] = &[b'a'; 33];
    let before = hits.load(Ordering::SeqCst);
    let (status, _, _) = send_signed(addr, SchemeId::PieMdm, "POST", "/openapi/v1/x", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        hits.load(Ordering::SeqCst),
        before,
        "the handler ran for an oversized body"
    );

    // A chunked body (no Content-Length): two frames.
    let body: &'static [u8] = br#"{"chunked":true}"#;
    let frames = futures_frames(&[&body[..5], &body[5..]]);
    let (status, _, got) = send(
        addr,
        signed(SchemeId::PieMdm, "POST", "/openapi/v1/x", body)
            .body(frames)
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, got.as_str()),
        (StatusCode::OK, r#"{"chunked":true}"#)
    );

    for target in [
        "/openapi/v1/entities/caf%C3%A9%20au%2Flait?q=a%26b",
        "/openapi/v1/%E5%90%8D%E5%89%8D",
    ] {
        let (status, _, got) = send_empty(addr, signed(SchemeId::PieMdm, "GET", target, b"")).await;
        assert_eq!(status, StatusCode::OK, "{target}: {got}");
    }
    let health = Request::builder().uri("/healthz").header("host", "x");
    assert_eq!(send_empty(addr, health).await.0, StatusCode::OK);
}

/// A layer shared before its options are set (a base layer cloned for several routers):
/// the options apply to the copy they were set on. They used to be dropped silently while
/// another clone was alive, so the limit and the skipped path below did nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_set_on_a_clone_of_a_shared_layer_take_effect() {
    let (addr, hits) = serve(SchemeId::PieMdm, None, |base| {
        let other_router = base.clone();
        let layer = base.max_body(32).skip_paths(["/healthz"]);
        drop(other_router);
        layer
    })
    .await;
    let big: &'static [u8] = &[b'a'; 33];
    let (status, _, _) = send_signed(addr, SchemeId::PieMdm, "POST", "/openapi/v1/x", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    let health = Request::builder().uri("/healthz").header("host", "x");
    assert_eq!(send_empty(addr, health).await.0, StatusCode::OK);
}

/// A body sent as several frames without a Content-Length (chunked on the wire).
fn futures_frames(parts: &[&'static [u8]]) -> StreamBody<Frames> {
    StreamBody::new(Frames(
        parts.iter().map(|p| Bytes::from_static(p)).collect(),
    ))
}

struct Frames(std::collections::VecDeque<Bytes>);

impl futures_core::Stream for Frames {
    type Item = Result<http_body::Frame<Bytes>, std::convert::Infallible>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.pop_front().map(|b| Ok(http_body::Frame::data(b))))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_allow_list_sees_the_connection_and_trusted_proxies() {
    // The client connects from 127.0.0.1, outside 10.0.0.0/8.
    let (addr, _) = serve(SchemeId::PieMdm, Some("10.0.0.0/8"), |l| l).await;
    let (status, _, got) = send_empty(
        addr,
        signed(SchemeId::PieMdm, "GET", "/openapi/v1/x", b"").header("x-forwarded-for", "10.1.2.3"),
    )
    .await;
    assert_eq!(
        (status, got.as_str()),
        (
            StatusCode::FORBIDDEN,
            r#"{"code":"AUTH_IP_NOT_ALLOWED","message":"IP not in whitelist"}"#
        )
    );
    let (proxied, _) = serve(SchemeId::PieMdm, Some("10.0.0.0/8"), |l| {
        l.trusted_proxies("127.0.0.1").unwrap()
    })
    .await;
    let (status, _, _) = send_empty(
        proxied,
        signed(SchemeId::PieMdm, "GET", "/openapi/v1/x", b"").header("x-forwarded-for", "10.1.2.3"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_are_signed_where_the_platform_signs_them() {
    let (addr, _) = serve(SchemeId::JetLinks, None, |l| l).await;
    let body: &'static [u8] = br#"{"id":"d1"}"#;
    let (status, headers, got) =
        send_signed(addr, SchemeId::JetLinks, "POST", "/api/device", body).await;
    assert_eq!((status, got.as_str()), (StatusCode::OK, r#"{"id":"d1"}"#));
    let signer = Signer::new(SchemeId::JetLinks, &as_params(&params(SchemeId::JetLinks))).unwrap();
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.to_str().unwrap()))
        .collect();
    signer.verify_response(&pairs, got.as_bytes()).unwrap();
    assert_eq!(
        signer
            .verify_response(&pairs, br#"{"id":"evil"}"#)
            .unwrap_err()
            .kind(),
        apisign::ErrorKind::SignatureInvalid
    );
    let (off, _) = serve(SchemeId::JetLinks, None, |l| l.sign_responses(false)).await;
    let (_, headers, _) = send_signed(off, SchemeId::JetLinks, "POST", "/api/device", body).await;
    assert!(headers.get("x-sign").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_layer_serves_several_platforms_each_answered_its_own_way() {
    // PieMDM first, JetLinks added with `or`: each request goes to the verifier whose headers
    // it carries, even when its body is over the limit; an unsigned one gets PieMDM's answer.
    let creds = Arc::new(InMemoryCredentials::new());
    let jet = params(SchemeId::JetLinks);
    creds
        .add_params(SchemeId::JetLinks, &as_params(&jet))
        .unwrap();
    let jetlinks = Verifier::builder(SchemeId::JetLinks, creds)
        .build()
        .unwrap();
    let (addr, hits) = serve(SchemeId::PieMdm, None, move |l| l.or(jetlinks).max_body(16)).await;
    let body: &'static [u8] = br#"{"id":"d1"}"#;
    for (scheme, caller) in [(SchemeId::PieMdm, "app-1"), (SchemeId::JetLinks, "testId")] {
        let (status, headers, got) = send_signed(addr, scheme, "POST", "/api/device", body).await;
        assert_eq!(
            (status, got.as_str()),
            (StatusCode::OK, r#"{"id":"d1"}"#),
            "{scheme}"
        );
        assert_eq!(headers["x-caller"], caller);
        // Only the platform that signs its responses gets them signed.
        assert_eq!(
            headers.contains_key("x-sign"),
            scheme == SchemeId::JetLinks,
            "{scheme}"
        );
    }
    let big: &'static [u8] = br#"{"id":"a body over sixteen bytes"}"#;
    let (status, _, got) = send_signed(addr, SchemeId::JetLinks, "POST", "/api/device", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        got.starts_with(r#"{"status":413,"#),
        "JetLinks' shape: {got}"
    );
    let (status, _, got) = send_empty(
        addr,
        Request::get("/api/device").header("host", "127.0.0.1"),
    )
    .await;
    assert_eq!(
        (status, got.as_str()),
        (
            StatusCode::UNAUTHORIZED,
            r#"{"code":"AUTH_FAILED","message":"Missing required headers"}"#
        )
    );
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}
