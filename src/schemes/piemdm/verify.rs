//! PieMDM verification, in the server's order: headers → app → timestamp → signature →
//! (the caller's address allow-list) → nonce. The nonce is recorded only after the signature
//! verified and the address passed, so unauthenticated traffic never writes to the nonce store
//! and a request refused for its address does not spend the caller's nonce.
//!
//! The signature covers the query as Go's `url.ParseQuery` reads it, which skips segments
//! holding `;` or a bad `%` escape: `?a=1&admin=1;` verifies with the signature of `?a=1`,
//! while other parsers (Python's `parse_qs`, many frameworks) read `admin=1`. Turn on
//! [`Verifier::strict_query`] when the application behind the verifier parses the query
//! itself.
//!
//! ```
//! use std::sync::Arc;
//! use apisign::verify::{InMemoryCredentials, InMemoryNonceStore};
//! use apisign::{piemdm, ErrorKind, IncomingRequest};
//!
//! let creds = InMemoryCredentials::new();
//! creds.add(piemdm::credential(piemdm::Signer::new("app_592837482", "test_secret_123456")?)?);
//! let verifier = piemdm::Verifier::new(
//!     Arc::new(creds),
//!     Arc::new(InMemoryNonceStore::default()),
//! )
//! // Refuse query parameters the signature does not cover (`?a=1&admin=1;`).
//! .strict_query(true);
//! let request = IncomingRequest::new("GET", "/openapi/v1/entities/product?page=1&pageSize=10")
//!     .header("X-App-Id", "app_592837482")
//!     .header("X-Timestamp", "1705478400")
//!     .header("X-Nonce", "abc123xyz789")
//!     .header("X-Sign", "a35a515127fd2956cec0e7b80a01ba382c730f0283d03bd9a9dd170c6005bf2d");
//! // `now` is milliseconds: the header's 1705478400 s, plus 500 ms.
//! let who = verifier.verify(&request, 1_705_478_400_500)?;
//! assert_eq!(who.caller, "app_592837482");
//! assert_eq!(who.timestamp, 1_705_478_400_000);
//! // The same request again is a replay.
//! let e = verifier.verify(&request, 1_705_478_400_500).unwrap_err();
//! assert_eq!(e.kind(), ErrorKind::NonceReused);
//! assert_eq!(e.platform_code(), Some("AUTH_NONCE_USED"));
//! // An unsigned `admin=1;` appended to the query is refused in strict mode.
//! let tampered = IncomingRequest {
//!     url: "/openapi/v1/entities/product?page=1&pageSize=10&admin=1;",
//!     ..request.clone()
//! };
//! let e = verifier.verify(&tampered, 1_705_478_400_500).unwrap_err();
//! assert_eq!(e.platform_code(), Some("AUTH_SIGNATURE_INVALID"));
//! # Ok::<(), apisign::Error>(())
//! ```

use std::sync::Arc;

use subtle::ConstantTimeEq;

use super::{canonical_request, header, Signer};
use crate::error::{Error, ErrorKind, Result};
use crate::query::gonet::{first_unsigned_segment, Unsigned};
use crate::scheme::{generic_message, json_object, Json};
use crate::schemes::SchemeId;
use crate::verify::{
    caller_allowed, check_nonce, lookup_caller, nonce_ttl_methods, parse_timestamp, replay_key,
    typed_verifier, with_code, CredentialStore, IncomingRequest, NonceStore, ReplayWindow,
    Verified, Window,
};

/// Accepted timestamp skew: ±300 s, inclusive.
pub const DEFAULT_WINDOW_SECS: u64 = 300;

/// The default window in milliseconds (the API's unit): ±300 000 ms.
pub const DEFAULT_WINDOW_MS: u64 = DEFAULT_WINDOW_SECS * 1000;

/// Default shortest nonce accepted. The platform docs ask for 16 characters, but their own
/// example request signs the 12-character nonce `abc123xyz789`; a server enforcing 16 would
/// reject the docs. Replay safety comes from the nonce store, not from the length, so the
/// default accepts the documented examples; raise it with [`Verifier::min_nonce_len`].
pub const DEFAULT_MIN_NONCE_LEN: usize = 12;

/// The platform's error names.
pub(crate) fn code(kind: ErrorKind, _field: Option<&'static str>) -> Option<&'static str> {
    Some(match kind {
        ErrorKind::MissingAuth | ErrorKind::MalformedAuth | ErrorKind::UnknownCaller => {
            "AUTH_FAILED"
        }
        ErrorKind::TimestampOutOfWindow => "AUTH_TOKEN_EXPIRED",
        ErrorKind::SignatureInvalid => "AUTH_SIGNATURE_INVALID",
        ErrorKind::NonceReused => "AUTH_NONCE_USED",
        ErrorKind::AccessDenied => "PERMISSION_DENIED",
        ErrorKind::IpNotAllowed => "AUTH_IP_NOT_ALLOWED",
        _ => return None,
    })
}

/// The platform's answer, as its server's Go middleware writes it: `{"code", "message"}` with
/// its fixed messages (the kinds' default statuses are its own: 401, and 403 for a refused
/// address or permission). Errors no rule names get its parameter and system codes.
pub(crate) fn body(e: &Error, status: u16) -> Vec<u8> {
    let (code, message) = match e.platform_code().or_else(|| code(e.kind(), e.field())) {
        Some(c) => (
            c,
            match (c, e.kind()) {
                ("AUTH_FAILED", ErrorKind::MissingAuth) => "Missing required headers",
                ("AUTH_FAILED", ErrorKind::UnknownCaller) => "Invalid AppID or Secret",
                ("AUTH_FAILED", _) => "Authentication failed",
                ("AUTH_TOKEN_EXPIRED", _) => "Timestamp expired",
                ("AUTH_SIGNATURE_INVALID", _) => "Signature mismatch",
                ("AUTH_NONCE_USED", _) => "Nonce already used",
                ("AUTH_IP_NOT_ALLOWED", _) => "IP not in whitelist",
                ("PERMISSION_DENIED", _) => "Permission denied",
                _ => generic_message(status),
            },
        ),
        None if status >= 500 => ("SYSTEM_INTERNAL_ERROR", "Internal system error"),
        None => ("PARAM_VALUE_INVALID", "Invalid parameter value"),
    };
    json_object(&[("code", Json::Str(code)), ("message", Json::Str(message))])
}

/// Verifies PieMDM requests.
#[derive(Clone)]
pub struct Verifier {
    credentials: Arc<dyn CredentialStore>,
    nonces: Arc<dyn NonceStore>,
    replay: ReplayWindow,
    min_nonce_len: usize,
    strict_query: bool,
}

typed_verifier!("piemdm::Verifier", |v| {
    window: v.replay.window(),
    nonce_ttl_secs: v.nonce_ttl_secs(),
    min_nonce_len: v.min_nonce_len,
    strict_query: v.strict_query,
});

nonce_ttl_methods! {
    /// Remember nonces for `secs` instead of the window's minimum (e.g. for a store whose
    /// clock may run ahead). Shorter than [`Window::min_nonce_ttl_secs`] of the window set so
    /// far is an [`ErrorKind::InvalidInput`] error: such a verifier would admit replays.
}

impl Verifier {
    /// A verifier with the platform's defaults: ±300 000 ms, nonces kept for as long as the window
    /// needs (601 s), non-strict query.
    ///
    /// See the example in [the module docs](crate::piemdm).
    pub fn new(credentials: Arc<dyn CredentialStore>, nonces: Arc<dyn NonceStore>) -> Self {
        Verifier {
            credentials,
            nonces,
            replay: ReplayWindow::new(Window::symmetric(DEFAULT_WINDOW_MS)),
            min_nonce_len: DEFAULT_MIN_NONCE_LEN,
            strict_query: false,
        }
    }

    /// Use another timestamp window (milliseconds, in whole seconds: the header carries
    /// seconds). Unless a TTL was set, nonces are then kept for
    /// [`Window::min_nonce_ttl_secs`]; a TTL set before that is too short for `window` is an
    /// [`ErrorKind::InvalidInput`] error (field `nonce_ttl`), as is a window that is not whole
    /// seconds (field `window`).
    ///
    /// See the example in [the module docs](crate::piemdm).
    pub fn window(mut self, window: Window) -> Result<Self> {
        if !window.max_age.is_multiple_of(1000) || !window.max_ahead.is_multiple_of(1000) {
            return Err(Error::invalid(
                "window",
                format!(
                    "{} ms back and {} ms ahead: PieMDM timestamps are whole seconds, so the window must be too (a multiple of 1000 ms)",
                    window.max_age, window.max_ahead
                ),
            ));
        }
        self.replay.set_window(window)?;
        Ok(self)
    }

    /// Strict query mode (default off): reject, as [`ErrorKind::SignatureInvalid`]
    /// (`AUTH_SIGNATURE_INVALID`), a request whose raw query holds a segment the signature does
    /// not cover — one with `;` or a bad `%` escape, which Go's server skips but other parsers
    /// read. The request carries a parameter nobody signed, so it is treated like a tampered
    /// one. Empty segments (`a=1&&b=2`) are accepted: no parser reads a parameter from them.
    ///
    /// See the example in [the module docs](crate::piemdm).
    pub fn strict_query(mut self, on: bool) -> Self {
        self.strict_query = on;
        self
    }

    /// Require nonces of at least `chars` characters (16 matches the platform docs).
    ///
    /// See the example in [the module docs](crate::piemdm).
    pub fn min_nonce_len(mut self, chars: usize) -> Self {
        self.min_nonce_len = chars.max(1);
        self
    }

    /// Verify `request` at `now_ms` (Unix milliseconds, floored to the seconds the header
    /// carries). [`Verified::timestamp`] is in milliseconds too. Then the caller's address
    /// allow-list, as every verifier.
    ///
    /// See the example in [the module docs](crate::piemdm).
    pub fn verify(&self, request: &IncomingRequest<'_>, now_ms: u64) -> Result<Verified> {
        caller_allowed(
            &*self.credentials,
            &super::scheme::SPEC,
            request,
            self.verify_scheme(request, now_ms)?,
        )
    }

    /// The scheme's own checks, without the allow-list (which the generic
    /// [`crate::Verifier`] checks after this, as for every scheme).
    pub(crate) fn verify_scheme(
        &self,
        request: &IncomingRequest<'_>,
        now_ms: u64,
    ) -> Result<Verified> {
        self.verify_inner(request, now_ms / 1000)
            .map_err(|e| with_code(e, &super::scheme::SPEC))
    }

    fn verify_inner(&self, request: &IncomingRequest<'_>, now: u64) -> Result<Verified> {
        // 1. headers present
        let app_id = request.require(header::APP_ID)?;
        let ts_text = request.require(header::TIMESTAMP)?;
        let nonce = request.require(header::NONCE)?;
        let sign = request.require(header::SIGN)?;
        check_nonce(header::NONCE, nonce, self.min_nonce_len)?;
        // 2. app known
        let (credential, app) = lookup_caller::<Signer>(
            &*self.credentials,
            SchemeId::PieMdm,
            app_id,
            header::APP_ID,
            "unknown app id",
        )?;
        // 3. timestamp
        let ts = parse_timestamp(header::TIMESTAMP, ts_text)?;
        let ms = self.replay.window();
        let window = Window {
            max_age: ms.max_age / 1000,
            max_ahead: ms.max_ahead / 1000,
        };
        window.check(header::TIMESTAMP, ts, now, "s")?;
        // 4. signature: the server compares the lowercase hex exactly (uppercase fails).
        let req = request.as_request()?;
        if self.strict_query {
            check_strict_query(req.target()?.query)?;
        }
        let canonical = canonical_request(&req, ts_text, nonce)?;
        let expected = app.sign_canonical(&canonical);
        if !bool::from(expected.as_bytes().ct_eq(sign.as_bytes())) {
            return Err(Error::new(
                ErrorKind::SignatureInvalid,
                "signature does not match the request; compare your canonical request with `apisign explain`",
            )
            .with_field(header::SIGN));
        }
        // The caller's address before its nonce is spent: a request refused for its address
        // must not burn the nonce of the caller's own.
        credential.check_ip(request.client_ip)?;
        // 5. nonce unused (recorded only now that the caller is authenticated)
        let key = replay_key("piemdm", app_id, nonce);
        if !self
            .nonces
            .check_and_record(&key, self.nonce_ttl_secs(), now)?
        {
            return Err(Error::new(
                ErrorKind::NonceReused,
                "nonce was already used; generate a fresh nonce for every request",
            )
            .with_field(header::NONCE));
        }
        Ok(Verified {
            scheme: SchemeId::PieMdm,
            caller: app_id.to_owned(),
            dataset: None,
            timestamp: ts.saturating_mul(1000),
            nonce: Some(nonce.to_owned()),
        })
    }
}

/// Strict query mode: every non-empty query segment must be one the signature covers.
fn check_strict_query(raw_query: &str) -> Result<()> {
    let Some((n, why)) = first_unsigned_segment(raw_query) else {
        return Ok(());
    };
    let what = match why {
        Unsigned::Semicolon => "contains ';'",
        Unsigned::BadEscape => "has a '%' not followed by two hex digits",
    };
    Err(Error::new(
        ErrorKind::SignatureInvalid,
        format!(
            "query segment {n} {what}, so the signature does not cover it and strict query mode refuses the request; percent-encode ';' as %3B and '%' as %25 before signing"
        ),
    )
    .with_field("url"))
}
