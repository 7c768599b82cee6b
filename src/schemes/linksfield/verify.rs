//! Linksfield verification: `Authorization` (401 when missing) → key id → timestamp (±10
//! minutes) → SHA1withRSA signature with the caller's public key (403 when it fails) → nonce,
//! when a nonce store is configured.
//!
//! Version 2 is chosen by the header `X-LF-Signature-Type: 2.0`; without that header (or with
//! `1.0`, the platform's documented default) the request is version 1 (deprecated, still
//! served: `timestamp` and `nonce` travel in the query or body, and path parameters are signed by name — pass them to [`Verifier::verify_v1`]).

use std::sync::Arc;

use serde_json::{Map, Value};

use super::{message_v1, message_v2, PublicKey};
use crate::error::{Error, ErrorKind, Result};
use crate::scheme::{generic_message, json_object, Json};
use crate::schemes::linksfield::v1_params;
use crate::schemes::SchemeId;
use crate::verify::{
    caller_allowed, check_nonce, lookup_caller, nonce_ttl_methods, parse_timestamp, replay_key,
    typed_verifier, with_code, CredentialStore, IncomingRequest, NonceStore, ReplayWindow,
    Verified, Window,
};

/// Accepted timestamp skew: ±10 minutes, inclusive.
pub const DEFAULT_WINDOW_MS: u64 = 600_000;

/// HTTP status the platform answers with: 401 when authorization is missing or unusable, 403
/// when it is present but not accepted.
pub(crate) fn code(kind: ErrorKind, _field: Option<&'static str>) -> Option<&'static str> {
    Some(match kind {
        ErrorKind::MissingAuth | ErrorKind::MalformedAuth | ErrorKind::UnknownCaller => "401",
        ErrorKind::SignatureInvalid
        | ErrorKind::TimestampOutOfWindow
        | ErrorKind::NonceReused
        | ErrorKind::IpNotAllowed => "403",
        _ => return None,
    })
}

/// The platform code is the HTTP status.
pub(crate) fn status(_kind: ErrorKind, code: Option<&'static str>) -> Option<u16> {
    code.and_then(|c| c.parse().ok())
}

/// The platform publishes statuses and their descriptions, not a body: a JSON object with the
/// status as `code` and its documented description as `message` (see docs/).
pub(crate) fn body(e: &Error, status: u16) -> Vec<u8> {
    let message = match (status, e.kind()) {
        (401, _) => "Unauthorised",
        (403, ErrorKind::IpNotAllowed) => "Forbidden",
        (403, _) => "Invalid signature",
        (400, _) => "Invalid parameter",
        (500, _) => "Service Error",
        _ => generic_message(status),
    };
    json_object(&[
        ("code", Json::Num(u64::from(status))),
        ("message", Json::Str(message)),
    ])
}

/// Verifies Linksfield requests (v2 and v1).
#[derive(Clone)]
pub struct Verifier {
    credentials: Arc<dyn CredentialStore>,
    nonces: Option<Arc<dyn NonceStore>>,
    replay: ReplayWindow,
    accept_v1: bool,
}

typed_verifier!("linksfield::Verifier", |v| {
    window: v.replay.window(),
    replay_store: v.nonces.is_some(),
    accept_v1: v.accept_v1,
});

nonce_ttl_methods! {
    /// Keep nonces `secs` seconds instead of the window's minimum; shorter than
    /// [`Window::min_nonce_ttl_secs`] of the window is an
    /// [`ErrorKind::InvalidInput`] error (field `nonce_ttl`): it would admit replays.
}

/// `LF {keyId}/{sign}` → `(keyId, sign)`.
fn parse_authorization(value: &str) -> Result<(&str, &str)> {
    let malformed = || {
        Error::new(
            ErrorKind::MalformedAuth,
            "must be `LF {keyId}/{base64 signature}`",
        )
        .with_field("Authorization")
    };
    let rest = value.strip_prefix("LF ").ok_or_else(malformed)?;
    let (key_id, sign) = rest.split_once('/').ok_or_else(malformed)?;
    if key_id.is_empty() || sign.is_empty() || key_id.contains(' ') {
        return Err(malformed());
    }
    Ok((key_id, sign))
}

/// A v1 parameter as the text that was signed (strings as is, numbers as written).
fn param_text(params: &Map<String, Value>, name: &'static str) -> Result<String> {
    match params.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        None | Some(Value::Null) | Some(Value::String(_)) => Err(Error::new(
            ErrorKind::MissingAuth,
            "signature v1 needs this parameter in the query (GET) or body",
        )
        .with_field(name)),
        Some(_) => {
            Err(Error::new(ErrorKind::MalformedAuth, "must be a string or number").with_field(name))
        }
    }
}

impl Verifier {
    /// A verifier with the default ±10 minute window, accepting v1 and v2, without replay
    /// store (the platform documents none; add one with [`Verifier::with_nonce_store`]).
    ///
    /// See the example on [`PrivateKey`](crate::PrivateKey).
    pub fn new(credentials: Arc<dyn CredentialStore>) -> Self {
        Verifier {
            credentials,
            nonces: None,
            replay: ReplayWindow::new(Window::symmetric(DEFAULT_WINDOW_MS)),
            accept_v1: true,
        }
    }

    /// Use another timestamp window (milliseconds). A nonce TTL set before that is too short
    /// for `window` is an [`ErrorKind::InvalidInput`] error (field `nonce_ttl`): it would
    /// admit replays.
    ///
    /// See the example on [`PrivateKey`](crate::PrivateKey).
    pub fn window(mut self, window: Window) -> Result<Self> {
        self.replay.set_window(window)?;
        Ok(self)
    }

    /// Reject each key id's nonce after its first use, for as long as its timestamp could be
    /// accepted ([`Window::min_nonce_ttl_secs`]: the window's width in whole seconds + 1 s,
    /// 1201 s by default).
    ///
    /// See the example on [`PrivateKey`](crate::PrivateKey).
    pub fn with_nonce_store(mut self, nonces: Arc<dyn NonceStore>) -> Self {
        self.nonces = Some(nonces);
        self
    }

    /// Whether deprecated version-1 requests are accepted (default: yes).
    ///
    /// See the example on [`PrivateKey`](crate::PrivateKey).
    pub fn accept_v1(mut self, accept: bool) -> Self {
        self.accept_v1 = accept;
        self
    }

    /// Verify `request` at `now_ms`; v1 requests are verified without path parameters.
    ///
    /// See the example on [`PrivateKey`](crate::PrivateKey).
    pub fn verify(&self, request: &IncomingRequest<'_>, now_ms: u64) -> Result<Verified> {
        self.verify_v1(request, &Map::new(), now_ms)
    }

    /// Verify `request` at `now_ms`; if it is version 1, `path_params` (the router's path
    /// parameters, typed as the API declares them) are part of the signed message.
    ///
    /// See the example on [`PrivateKey`](crate::PrivateKey).
    pub fn verify_v1(
        &self,
        request: &IncomingRequest<'_>,
        path_params: &Map<String, Value>,
        now_ms: u64,
    ) -> Result<Verified> {
        caller_allowed(
            &*self.credentials,
            &super::scheme::SPEC,
            request,
            self.verify_scheme(request, path_params, now_ms)?,
        )
    }

    /// The scheme's own checks, without the caller's address allow-list (which the generic
    /// [`crate::Verifier`] checks after this, as for every scheme).
    pub(crate) fn verify_scheme(
        &self,
        request: &IncomingRequest<'_>,
        path_params: &Map<String, Value>,
        now_ms: u64,
    ) -> Result<Verified> {
        self.verify_inner(request, path_params, now_ms)
            .map_err(|e| with_code(e, &super::scheme::SPEC))
    }

    fn verify_inner(
        &self,
        request: &IncomingRequest<'_>,
        path_params: &Map<String, Value>,
        now: u64,
    ) -> Result<Verified> {
        let (key_id, sign) = parse_authorization(request.require("Authorization")?)?;
        // The platform documents the header as optional with values 1.0 and 2.0, so an
        // explicit 1.0 is version 1, like an absent header.
        let v2 =
            match request.get("X-LF-Signature-Type")? {
                None | Some("1.0" | "1") => false,
                Some("2.0" | "2") => true,
                Some(_) => return Err(Error::new(
                    ErrorKind::MalformedAuth,
                    "unsupported signature version; send 2.0 or 1.0 (or omit the header for 1.0)",
                )
                .with_field("X-LF-Signature-Type")),
            };
        if !v2 && !self.accept_v1 {
            return Err(Error::new(
                ErrorKind::MalformedAuth,
                "signature version 1 is not accepted here; sign with version 2 and send X-LF-Signature-Type: 2.0",
            )
            .with_field("X-LF-Signature-Type"));
        }
        let (credential, key) = lookup_caller::<PublicKey>(
            &*self.credentials,
            SchemeId::Linksfield,
            key_id,
            "Authorization",
            "unknown key id",
        )?;
        let req = request.as_request()?;
        let (ts, nonce, message) = if v2 {
            let ts_text = request.require("timestamp")?;
            let nonce = request.require("nonce")?;
            check_nonce("nonce", nonce, 1)?;
            let ts = parse_timestamp("timestamp", ts_text)?;
            self.replay.window().check("timestamp", ts, now, "ms")?;
            (ts, nonce.to_owned(), message_v2(&req, ts_text, nonce)?)
        } else {
            let params = v1_params(&req, path_params)?;
            let ts_text = param_text(&params, "timestamp")?;
            let nonce_text = param_text(&params, "nonce")?;
            let nonce: i64 = nonce_text.parse().map_err(|_| {
                Error::new(ErrorKind::MalformedAuth, "must be an integer").with_field("nonce")
            })?;
            let ts = parse_timestamp("timestamp", &ts_text)?;
            self.replay.window().check("timestamp", ts, now, "ms")?;
            // The signature covers the integer, not its spelling (`01`, `+1`, `"1"`, `-0`):
            // the replay key is the integer's canonical text, so each spelling is one nonce.
            // (A Java server reads them all as the same `long`, so refusing them would reject
            // requests the platform accepts.)
            (ts, nonce.to_string(), message_v1(&params, &ts_text, nonce)?)
        };
        check_signature(&key, &message, sign)?;
        // The caller's address before its nonce is spent: a request refused for its address
        // must not burn the nonce of the caller's own.
        credential.check_ip(request.client_ip)?;
        if let Some(store) = &self.nonces {
            let ttl = self.nonce_ttl_secs();
            let key = replay_key("linksfield", key_id, &nonce);
            if !store.check_and_record(&key, ttl, now / 1000)? {
                return Err(Error::new(
                    ErrorKind::NonceReused,
                    "nonce was already used; generate a fresh nonce for every request",
                )
                .with_field("nonce"));
            }
        }
        Ok(Verified {
            scheme: SchemeId::Linksfield,
            caller: key_id.to_owned(),
            dataset: None,
            timestamp: ts,
            nonce: Some(nonce),
        })
    }
}

fn check_signature(key: &PublicKey, message: &str, sign: &str) -> Result<()> {
    if key.verify_base64(message.as_bytes(), sign) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::SignatureInvalid,
            "signature does not verify with the registered public key; compare your message with `apisign explain`",
        )
        .with_field("Authorization"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_header_shapes() {
        assert_eq!(
            parse_authorization("LF k1/ab/c+=").unwrap(),
            ("k1", "ab/c+=")
        );
        for bad in [
            "LF k1",
            "LF /sig",
            "LF k1/",
            "Bearer x/y",
            "lf k/s",
            "LF a b/s",
        ] {
            assert_eq!(
                parse_authorization(bad).unwrap_err().kind(),
                ErrorKind::MalformedAuth,
                "{bad:?}"
            );
        }
    }
}
