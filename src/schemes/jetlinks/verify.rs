//! JetLinks verification: headers → client → timestamp → digest (hex compared
//! case-insensitively, in constant time). JetLinks has no nonce; the timestamp window is its
//! only replay bound. The client side of responses is
//! [`jetlinks::Signer::verify_response`](crate::jetlinks::Signer::verify_response).

use std::sync::Arc;

use super::{header, hex_eq_ignore_case, signed_data, Signer};
use crate::error::{Error, ErrorKind, Result};
use crate::scheme::{generic_message, json_object, Json};
use crate::schemes::SchemeId;
use crate::verify::{
    lookup_caller, parse_timestamp, windowed_verifier, with_code, IncomingRequest, Verified, Window,
};

/// Accepted timestamp skew: ±5 minutes, inclusive. The real server only rejects old
/// timestamps; accepting far-future ones would let a captured request be replayed for as long
/// as the future timestamp stays fresh, so we bound both sides.
pub const DEFAULT_WINDOW_MS: u64 = 300_000;

/// JetLinks answers with an error message rather than a code. These are our wording (the
/// platform does not publish its verifier), stable so callers can match on them.
pub(crate) fn code(kind: ErrorKind, _field: Option<&'static str>) -> Option<&'static str> {
    Some(match kind {
        ErrorKind::MissingAuth | ErrorKind::MalformedAuth => {
            "missing or malformed signature headers"
        }
        ErrorKind::UnknownCaller => "unknown client",
        ErrorKind::TimestampOutOfWindow => "timestamp expired",
        ErrorKind::SignatureInvalid => "signature error",
        ErrorKind::IpNotAllowed => "ip address not allowed",
        _ => return None,
    })
}

/// The platform's answer in the shape of its web framework's `ResponseMessage`
/// (`{"status", "code", "message"}`, as in its documented `{"status":200,...}` responses), with
/// the framework's codes for the status; the verifier itself is not published (see docs/).
pub(crate) fn body(e: &Error, status: u16) -> Vec<u8> {
    let message = e
        .platform_code()
        .or_else(|| code(e.kind(), e.field()))
        .unwrap_or(generic_message(status));
    let framework_code = match status {
        401 => "unauthorized",
        403 => "access_denied",
        400..=499 => "illegal_argument",
        503 => "service_unavailable",
        _ => "error",
    };
    json_object(&[
        ("status", Json::Num(u64::from(status))),
        ("code", Json::Str(framework_code)),
        ("message", Json::Str(message)),
    ])
}

windowed_verifier! {
    /// Verifies JetLinks requests.
    name: "jetlinks::Verifier",
    spec: super::scheme::SPEC,
    default_window: Window::symmetric(DEFAULT_WINDOW_MS),
    new_doc: "A verifier with the default ±5 minute window.",
    verify_doc: "Verify `request` at `now_ms`.",
}

impl Verifier {
    /// The headers that sign a response with `body` to `client_id` at `now_ms`, as the
    /// platform's server does: `X-Timestamp` (ms) and `X-Sign = hex(H(body ‖ X-Timestamp ‖
    /// secure key))` with the client's algorithm.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn sign_response(
        &self,
        client_id: &str,
        body: &[u8],
        now_ms: u64,
    ) -> Result<Vec<(&'static str, String)>> {
        let client = self
            .client(client_id)
            .map_err(|e| with_code(e, &super::scheme::SPEC))?;
        let ts = itoa::Buffer::new().format(now_ms).to_owned();
        let sign = client.sign_response(body, &ts);
        Ok(vec![(header::TIMESTAMP, ts), (header::SIGN, sign)])
    }

    fn client(&self, client_id: &str) -> Result<Arc<Signer>> {
        let (_, client) = lookup_caller::<Signer>(
            &*self.credentials,
            SchemeId::JetLinks,
            client_id,
            header::CLIENT_ID,
            "unknown client id",
        )?;
        Ok(client)
    }

    fn verify_inner(&self, request: &IncomingRequest<'_>, now: u64) -> Result<Verified> {
        let client_id = request.require(header::CLIENT_ID)?;
        let ts_text = request.require(header::TIMESTAMP)?;
        let sign = request.require(header::SIGN)?;
        let client = self.client(client_id)?;
        let ts = parse_timestamp(header::TIMESTAMP, ts_text)?;
        self.window.check(header::TIMESTAMP, ts, now, "ms")?;
        let data = signed_data(&request.as_request()?)?;
        let expected = client.sign_bytes(data.as_bytes(), ts_text);
        if !hex_eq_ignore_case(&expected, sign) {
            return Err(Error::new(
                ErrorKind::SignatureInvalid,
                "signature does not match the request; compare your signed params with `apisign explain`",
            )
            .with_field(header::SIGN));
        }
        Ok(Verified {
            scheme: SchemeId::JetLinks,
            caller: client_id.to_owned(),
            dataset: None,
            timestamp: ts,
            nonce: None,
        })
    }
}

/// The client side: check a signed response's `X-Sign` against its body and `X-Timestamp`
/// (headers looked up case-insensitively, hex compared case-insensitively in constant time).
/// With `now_ms` and a window, the response timestamp must also be fresh.
///
/// See the example in [the module docs](crate::jetlinks).
pub fn verify_response(
    client: &crate::jetlinks::Signer,
    body: &[u8],
    headers: &[(&str, &str)],
    freshness: Option<(Window, u64)>,
) -> Result<()> {
    let mut view = IncomingRequest::new("GET", "/");
    view.headers = headers.to_vec();
    let check = || -> Result<()> {
        let ts_text = view.require(header::TIMESTAMP)?;
        let sign = view.require(header::SIGN)?;
        if let Some((window, now)) = freshness {
            window.check(
                header::TIMESTAMP,
                parse_timestamp(header::TIMESTAMP, ts_text)?,
                now,
                "ms",
            )?;
        }
        if client.verify_response(body, ts_text, sign) {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::SignatureInvalid,
                "response signature does not match its body and X-Timestamp",
            )
            .with_field(header::SIGN))
        }
    };
    check().map_err(|e| with_code(e, &super::scheme::SPEC))
}
