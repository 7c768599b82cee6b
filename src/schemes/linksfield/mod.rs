//! Linksfield Cube: `Authorization: LF {keyId}/{base64(SHA1withRSA(message))}` where the
//! message is sorted compact JSON (v2: request params, body fields, timestamp, nonce and URI;
//! v1: typed params, timestamp and integer nonce).
//!
//! The example on [`PrivateKey`] parses the test key of the vectors, builds the documented v2
//! message, signs it with v2 and v1, and verifies both with [`Verifier`] (RSA keys are generic,
//! so the example lives with them).

mod java_json;
mod message;
pub mod scheme;
pub mod verify;

pub use scheme::{credential, VersionedSigner};
use std::sync::Arc;
pub use verify::Verifier;

use serde_json::{Map, Value};

pub use crate::keys::{PrivateKey, PublicKey, MIN_KEY_BITS};
pub use message::{message_v1, message_v2};

use crate::error::{Error, Result};
use crate::request::{check_header_value, Request};
use crate::signature::{headers, Header, Signature};

/// Signature version, sent as `X-LF-Signature-Type` for v2.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Version {
    /// Version 2 (default): headers `timestamp`, `nonce`, `X-LF-Signature-Type: 2.0`.
    #[default]
    V2,
    /// Version 1 (deprecated): only `Authorization`; timestamp and nonce travel in the
    /// query or body.
    V1,
}

impl std::str::FromStr for Version {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "2" | "2.0" | "v2" => Ok(Version::V2),
            "1" | "1.0" | "v1" => Ok(Version::V1),
            _ => Err(Error::invalid(
                "version",
                format!("{s:?} is not a signature version; use 2.0 or 1.0"),
            )),
        }
    }
}

/// A linksfield client: key id and private key (shared, parsed once).
// Debug derived: the secret field (Secret, PrivateKey) shows only what its own Debug shows.
#[derive(Clone, Debug)]
pub struct Signer {
    key_id: String,
    key: Arc<PrivateKey>,
}

/// The v1 signature with the values the caller must also send in the query (GET) or body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V1Signature {
    /// `Authorization` header and the signed message.
    pub signature: Signature,
    /// `timestamp` parameter to send (a string).
    pub timestamp: String,
    /// `nonce` parameter to send (an integer).
    pub nonce: i64,
}

impl Signer {
    /// A signer for `key_id` with `key`.
    ///
    /// See the example on [`PrivateKey`].
    pub fn new(key_id: impl Into<String>, key: impl Into<Arc<PrivateKey>>) -> Result<Self> {
        let key_id = key_id.into();
        check_header_value("key_id", &key_id)?;
        if key_id.contains(['/', ' ']) {
            return Err(Error::invalid(
                "key_id",
                "must not contain '/' or spaces: the header is `LF {keyId}/{sign}`",
            ));
        }
        Ok(Signer {
            key_id,
            key: key.into(),
        })
    }

    /// The key id.
    ///
    /// See the example on [`PrivateKey`].
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    fn authorization(&self, message: &str) -> Result<Header> {
        let sign = self.key.sign_base64(message.as_bytes())?;
        Ok(Header::new(
            "Authorization",
            format!("LF {}/{sign}", self.key_id),
        ))
    }

    /// Sign `request` with signature version 2.
    ///
    /// See the example on [`PrivateKey`].
    pub fn sign_v2(
        &self,
        request: &Request<'_>,
        timestamp_ms: u64,
        nonce: &str,
    ) -> Result<Signature> {
        check_header_value("nonce", nonce)?;
        let ts = timestamp_ms.to_string();
        let message = message_v2(request, &ts, nonce)?;
        Ok(Signature::new(
            headers([
                self.authorization(&message)?,
                Header::new("timestamp", ts),
                Header::new("nonce", nonce),
                Header::new("X-LF-Signature-Type", "2.0"),
            ]),
            message,
        ))
    }

    /// Sign typed parameters with signature version 1. `params` holds every query, body and
    /// path parameter with its declared type; `timestamp` and `nonce` are added here and must
    /// also be sent in the query (GET) or body.
    ///
    /// See the example on [`PrivateKey`].
    pub fn sign_v1(
        &self,
        params: &Map<String, Value>,
        timestamp_ms: u64,
        nonce: i64,
    ) -> Result<V1Signature> {
        let ts = timestamp_ms.to_string();
        let message = message_v1(params, &ts, nonce)?;
        let mut signature = Signature::new(headers([self.authorization(&message)?]), message);
        signature.params = vec![("timestamp", ts.clone()), ("nonce", nonce.to_string())];
        Ok(V1Signature {
            signature,
            timestamp: ts,
            nonce,
        })
    }

    /// Sign with version 1, taking query parameters (as strings) and JSON body fields (typed)
    /// from `request` and `extra` (path parameters, typed overrides) on top.
    ///
    /// See the example on [`PrivateKey`].
    pub fn sign_v1_request(
        &self,
        request: &Request<'_>,
        extra: &Map<String, Value>,
        timestamp_ms: u64,
        nonce: i64,
    ) -> Result<V1Signature> {
        self.sign_v1(&v1_params(request, extra)?, timestamp_ms, nonce)
    }
}

/// The v1 parameters of `request`: query parameters (strings), JSON body fields (typed), then
/// `extra` (path parameters, typed overrides) on top. Shared by signing and verification.
pub(crate) fn v1_params(
    request: &Request<'_>,
    extra: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    request.check_method()?;
    let target = request.target()?;
    let mut params = Map::new();
    message::query_params(target.query, &mut params)?;
    message::body_fields(request.body, &mut params)?;
    params.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    Ok(params)
}

/// A v1 nonce given as text must be an integer.
///
/// See the example on [`PrivateKey`].
pub fn parse_v1_nonce(n: &str) -> Result<i64> {
    n.parse::<i64>().map_err(|_| {
        Error::invalid(
            "nonce",
            format!("{n:?} is not an integer; signature v1 sends the nonce as a JSON integer"),
        )
    })
}

/// Fuzzing hook (feature `fuzzing`, not a supported API): the v1 parameters of a request as
/// JSON text.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub fn fuzz_v1_params(request: &Request<'_>) -> Result<String> {
    Ok(Value::Object(v1_params(request, &Map::new())?).to_string())
}
