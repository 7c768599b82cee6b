//! A [`tower`](https://docs.rs/tower) layer that verifies signed requests before the service
//! runs, for axum, hyper or anything built on `http` and `tower-service`.
//!
//! The body is read up to a limit (413 beyond, the service never runs) and handed on as the
//! same bytes; the verified caller is a request extension ([`apisign::Verified`]); a refused
//! request gets the platform's own answer ([`apisign::Verifier::rejection`]); responses to
//! callers of a platform that signs its responses are signed the same way.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use apisign::{verify::InMemoryCredentials, SchemeId, Verifier, Verified};
//! use apisign_tower::ApisignLayer;
//! fn app(scheme: SchemeId, creds: Arc<InMemoryCredentials>) -> apisign::Result<axum::Router> {
//!     let verifier = Verifier::builder(scheme, creds).build()?;
//!     Ok(axum::Router::new()
//!         .route("/", axum::routing::get(|axum::Extension(who): axum::Extension<Verified>| async move { who.caller }))
//!         .layer(ApisignLayer::new(verifier)))
//! }
//! ```
//!
//! A server that accepts several platforms chains their verifiers,
//! `ApisignLayer::new(first).or(second)`: each request goes to the one whose headers it carries
//! ([`Verifier::pick`]).
//!
//! Verification itself is synchronous and fast; with a Redis nonce store it waits for one
//! Redis round trip (bounded by the store's timeout) on the task's thread.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use apisign::verify::{client_ip, IpNet};
use apisign::{Error, ErrorKind, IncomingRequest, Verified, Verifier};
use bytes::Bytes;
use http::{HeaderValue, Request, Response};
use http_body::Body;
use http_body_util::{BodyExt, Limited};
use tower_layer::Layer;
use tower_service::Service;

/// The default body limit: the core's limit on a parsed body (8 MiB).
pub const DEFAULT_MAX_BODY: usize = apisign::limits::MAX_PARSED_BODY;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
/// Finds the connection's address among the request's extensions.
type PeerOf = dyn Fn(&http::Extensions) -> Option<IpAddr> + Send + Sync;
/// Writes the answer to a refused request.
type OnError = dyn Fn(&Error, apisign::scheme::Rejection) -> Response<Bytes> + Send + Sync;

/// Cloneable (every part is shared), so an option set on a clone of a layer that is already
/// in use copies the configuration instead of being lost.
#[derive(Clone)]
struct Config {
    /// One per platform accepted; each request goes to [`Verifier::pick`]'s choice.
    verifiers: Vec<Arc<Verifier>>,
    max_body: usize,
    skip: Vec<String>,
    trusted: Vec<IpNet>,
    peer: Option<Arc<PeerOf>>,
    on_error: Option<Arc<OnError>>,
    sign_responses: bool,
}

/// The layer: the verifiers (each a scheme, credentials, nonce store and window; one per
/// platform the server accepts) and the options.
///
#[doc = include_str!("../../docs/api/tower-layer.md")]
#[derive(Clone)]
pub struct ApisignLayer(Arc<Config>);

impl ApisignLayer {
    /// Verify every request with `verifier`; responses are signed where the platform signs
    /// them.
    ///
    /// See the example on [`ApisignLayer`].
    pub fn new(verifier: Verifier) -> Self {
        ApisignLayer(Arc::new(Config {
            verifiers: vec![Arc::new(verifier)],
            max_body: DEFAULT_MAX_BODY,
            skip: Vec::new(),
            trusted: Vec::new(),
            peer: None,
            on_error: None,
            sign_responses: true,
        }))
    }

    /// Also accept requests of `verifier`'s platform: each request goes to the verifier whose
    /// scheme's headers it carries ([`Verifier::pick`]; the first one given when it carries
    /// none, so an unsigned request is refused the first platform's way).
    ///
    /// See the example on [`ApisignLayer`].
    pub fn or(self, verifier: Verifier) -> Self {
        self.with(|c| c.verifiers.push(Arc::new(verifier)))
    }

    fn with(mut self, f: impl FnOnce(&mut Config)) -> Self {
        // Copy-on-write: a layer already cloned into services keeps its own configuration.
        f(Arc::make_mut(&mut self.0));
        self
    }

    /// Answer bodies larger than `bytes` with 413 without running the service.
    ///
    /// See the example on [`ApisignLayer`].
    pub fn max_body(self, bytes: usize) -> Self {
        self.with(|c| c.max_body = bytes)
    }

    /// Pass requests for these exact paths (health checks) through unchecked.
    ///
    /// See the example on [`ApisignLayer`].
    pub fn skip_paths<I: IntoIterator<Item = S>, S: Into<String>>(self, paths: I) -> Self {
        let paths: Vec<String> = paths.into_iter().map(Into::into).collect();
        self.with(|c| c.skip = paths)
    }

    /// How to find the connection's address, e.g. axum's
    /// `|ext| ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())`. Without it the address
    /// is unknown, and callers with `allowed_ips` are refused.
    ///
    /// See the example on [`ApisignLayer`].
    pub fn peer_addr(
        self,
        f: impl Fn(&http::Extensions) -> Option<IpAddr> + Send + Sync + 'static,
    ) -> Self {
        self.with(|c| c.peer = Some(Arc::new(f)))
    }

    /// Believe `X-Forwarded-For` from these reverse proxies (IPs or CIDR blocks).
    ///
    /// See the example on [`ApisignLayer`].
    pub fn trusted_proxies(self, list: &str) -> apisign::Result<Self> {
        let nets = apisign::verify::ip::parse_trusted(list)?;
        Ok(self.with(|c| c.trusted = nets))
    }

    /// Write refusals with `f` instead of the platform's answer (given as `rejection`).
    ///
    /// See the example on [`ApisignLayer`].
    pub fn on_error(
        self,
        f: impl Fn(&Error, apisign::scheme::Rejection) -> Response<Bytes> + Send + Sync + 'static,
    ) -> Self {
        self.with(|c| c.on_error = Some(Arc::new(f)))
    }

    /// Turn response signing off (it is on for platforms whose servers sign responses).
    ///
    /// See the example on [`ApisignLayer`].
    pub fn sign_responses(self, on: bool) -> Self {
        self.with(|c| c.sign_responses = on)
    }
}

impl<S> Layer<S> for ApisignLayer {
    type Service = ApisignService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ApisignService {
            config: self.0.clone(),
            inner,
        }
    }
}

/// The service [`ApisignLayer`] wraps around another.
#[derive(Clone)]
pub struct ApisignService<S> {
    config: Arc<Config>,
    inner: S,
}

impl Config {
    /// The verifier for a request with these headers (picked before the body is read, so a
    /// body over the limit is answered the right platform's way too).
    fn pick(&self, headers: &http::HeaderMap) -> &Verifier {
        // One verifier (the common case): no list of names to build per request.
        if let [only] = self.verifiers.as_slice() {
            return only;
        }
        let names: Vec<&str> = headers.keys().map(http::HeaderName::as_str).collect();
        let i =
            Verifier::pick(self.verifiers.iter().map(|v| &**v), names.iter().copied()).unwrap_or(0);
        &self.verifiers[i]
    }

    fn answer<B: From<Bytes>>(&self, verifier: &Verifier, e: &Error) -> Response<B> {
        let rejection = verifier.rejection(e);
        let response = match &self.on_error {
            Some(f) => f(e, rejection),
            None => {
                let mut r = Response::new(Bytes::from(rejection.body));
                *r.status_mut() = http::StatusCode::from_u16(rejection.status)
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
                r.headers_mut().insert(
                    http::header::CONTENT_TYPE,
                    HeaderValue::from_static(rejection.content_type),
                );
                r
            }
        };
        response.map(B::from)
    }

    fn client_ip(&self, parts: &http::request::Parts) -> Option<IpAddr> {
        let peer = self.peer.as_ref().and_then(|f| f(&parts.extensions))?;
        if self.trusted.is_empty() {
            return Some(peer);
        }
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let joined = forwarded.join(",");
        Some(client_ip(
            peer,
            (!joined.is_empty()).then_some(joined.as_str()),
            &self.trusted,
        ))
    }

    /// Verify the request made of `parts` and `body`.
    fn verify(
        &self,
        verifier: &Verifier,
        parts: &http::request::Parts,
        body: &[u8],
        now_ms: u64,
    ) -> Result<Verified, Error> {
        let target = parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path(), |pq| pq.as_str());
        let mut headers = Vec::with_capacity(parts.headers.len());
        for (name, value) in &parts.headers {
            let value = value.to_str().map_err(|_| {
                Error::new(
                    ErrorKind::MalformedAuth,
                    "a header value is not visible ASCII",
                )
                .with_field("headers")
            })?;
            headers.push((name.as_str(), value));
        }
        let mut request = IncomingRequest::new(parts.method.as_str(), target).with_body(body);
        request.headers = headers;
        request.client_ip = self.client_ip(parts);
        verifier.verify(&request, now_ms)
    }
}

// The service receives and hands on the same body type, rebuilt from the bytes read (axum's
// Body, http-body-util's Full…: any body that is `From<Bytes>`).
impl<S, B, ResB> Service<Request<B>> for ApisignService<S>
where
    S: Service<Request<B>, Response = Response<ResB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Body<Data = Bytes> + From<Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
    ResB: Body<Data = Bytes> + From<Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
{
    type Response = Response<ResB>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let config = self.config.clone();
        // The ready service goes to this call; a fresh clone waits for the next one.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            if config.skip.iter().any(|p| p == request.uri().path()) {
                return inner.call(request).await;
            }
            let (parts, body) = request.into_parts();
            let verifier = config.pick(&parts.headers);
            let body = match Limited::new(body, config.max_body).collect().await {
                Ok(b) => b.to_bytes(),
                Err(_) => return Ok(config.answer(verifier, &too_large(config.max_body))),
            };
            let now = apisign::clock::now_ms();
            let who = match config.verify(verifier, &parts, &body, now) {
                Ok(who) => who,
                Err(e) => return Ok(config.answer(verifier, &e)),
            };
            let mut request = Request::from_parts(parts, B::from(body));
            request.extensions_mut().insert(who.clone());
            let response = inner.call(request).await?;
            if !(config.sign_responses && verifier.scheme().signs_responses) {
                return Ok(response);
            }
            let (mut parts, body) = response.into_parts();
            let Ok(collected) = body.collect().await else {
                let e = Error::new(ErrorKind::Crypto, "response body failed");
                return Ok(config.answer(verifier, &e));
            };
            let bytes = collected.to_bytes();
            match verifier.sign_response(&who, &bytes, apisign::clock::now_ms()) {
                Ok(headers) => {
                    for (name, value) in headers.unwrap_or_default() {
                        if let Ok(v) = HeaderValue::from_str(&value) {
                            parts.headers.insert(name, v);
                        }
                    }
                    Ok(Response::from_parts(parts, ResB::from(bytes)))
                }
                Err(e) => Ok(config.answer(verifier, &e)),
            }
        })
    }
}

/// The error for a body over `limit` bytes (a body read error counts as one too: the bytes
/// cannot be verified).
fn too_large(limit: usize) -> Error {
    Error::new(
        ErrorKind::InputTooLarge,
        format!("the body is larger than {limit} bytes (or could not be read)"),
    )
    .with_field("body")
}
