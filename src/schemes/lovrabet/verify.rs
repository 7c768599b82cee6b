//! Lovrabet verification: headers → app (1004) → timestamp (1003) → token (1002) → dataset
//! exists (1005) → app may read it (1006).
//!
//! The dataset checks come after the token on purpose: only an authenticated app learns
//! whether a dataset exists. The token covers app, dataset and timestamp, not the request, so
//! it can be replayed within its lifetime — that is the platform's design.

use subtle::ConstantTimeEq;

use super::TOKEN_LIFETIME_MS;
use super::{header, TokenGenerator};
use crate::error::{Error, ErrorKind, Result};
use crate::scheme::{generic_message, json_object, Json};
use crate::schemes::SchemeId;
use crate::verify::{
    lookup_caller, parse_timestamp, windowed_verifier, IncomingRequest, Verified, Window,
};

/// Default accepted clock skew for timestamps ahead of the server: 5 minutes.
pub const DEFAULT_MAX_AHEAD_MS: u64 = 300_000;

/// The default window: a token lives 600 000 ms; 5 minutes of skew ahead.
pub const DEFAULT_WINDOW: Window = Window {
    max_age: TOKEN_LIFETIME_MS,
    max_ahead: DEFAULT_MAX_AHEAD_MS,
};

/// The platform's codes. A missing or malformed header gets the code of the check it fails.
pub(crate) fn code(kind: ErrorKind, field: Option<&'static str>) -> Option<&'static str> {
    Some(match kind {
        ErrorKind::MissingAuth | ErrorKind::MalformedAuth => match field {
            Some(header::APP_CODE) => "1004",
            Some(header::DATASET_CODE) => "1005",
            Some(header::TIME_STAMP) => "1003",
            _ => "1002",
        },
        ErrorKind::SignatureInvalid => "1002",
        ErrorKind::TimestampOutOfWindow => "1003",
        ErrorKind::UnknownCaller => "1004",
        ErrorKind::UnknownDataset => "1005",
        // The platform documents no address check; a refused address is "no access".
        ErrorKind::AccessDenied | ErrorKind::IpNotAllowed => "1006",
        _ => return None,
    })
}

/// The platform's answer: its response shape (`success`, `msg`) with the error code and the
/// documented description. The statuses are not published: the kinds' defaults (401 for
/// 1002–1004, 403 for 1005–1006; see docs/).
pub(crate) fn body(e: &Error, status: u16) -> Vec<u8> {
    let (number, msg) = match e.platform_code().or_else(|| code(e.kind(), e.field())) {
        Some("1002") => (1002, "Signature verification failed"),
        Some("1003") => (1003, "Timestamp expired"),
        Some("1004") => (1004, "Application does not exist"),
        Some("1005") => (1005, "Dataset does not exist"),
        Some("1006") => (1006, "No access permission"),
        _ => (u64::from(status), generic_message(status)),
    };
    json_object(&[
        ("success", Json::Bool(false)),
        ("code", Json::Num(number)),
        ("msg", Json::Str(msg)),
    ])
}

windowed_verifier! {
    /// Verifies Lovrabet tokens.
    name: "lovrabet::Verifier",
    spec: super::scheme::SPEC,
    default_window: DEFAULT_WINDOW,
    new_doc: "A verifier with the default window ([`DEFAULT_WINDOW`]).",
    verify_doc: "Verify `request`'s token at `now_ms`.",
}

impl Verifier {
    fn verify_inner(&self, request: &IncomingRequest<'_>, now: u64) -> Result<Verified> {
        let app_code = request.require(header::APP_CODE)?;
        let dataset = request.require(header::DATASET_CODE)?;
        let ts_text = request.require(header::TIME_STAMP)?;
        let token = request.require(header::TOKEN)?;
        let (app, generator) = lookup_caller::<TokenGenerator>(
            &*self.credentials,
            SchemeId::Lovrabet,
            app_code,
            header::APP_CODE,
            "application does not exist",
        )?;
        let ts = parse_timestamp(header::TIME_STAMP, ts_text)?;
        self.window.check(header::TIME_STAMP, ts, now, "ms")?;
        // The token covers the header text exactly as sent (SPEC: the exact timestamp string
        // is the one signed), never the parsed number re-formatted: `0<ts>` must not verify
        // with the token made for `<ts>`.
        let expected = generator.token_value(app_code, dataset, ts_text)?;
        if !bool::from(expected.as_str().as_bytes().ct_eq(token.as_bytes())) {
            return Err(Error::new(
                ErrorKind::SignatureInvalid,
                "token does not match; check the access key and secret key",
            )
            .with_field(header::TOKEN));
        }
        if !self.credentials.scope_exists(SchemeId::Lovrabet, dataset) {
            return Err(
                Error::new(ErrorKind::UnknownDataset, "dataset does not exist")
                    .with_field(header::DATASET_CODE),
            );
        }
        if !app.allows(dataset) {
            return Err(Error::new(
                ErrorKind::AccessDenied,
                "the application has no access to this dataset",
            )
            .with_field(header::DATASET_CODE));
        }
        Ok(Verified {
            scheme: SchemeId::Lovrabet,
            caller: app_code.to_owned(),
            dataset: Some(dataset.to_owned()),
            timestamp: ts,
            nonce: None,
        })
    }
}
