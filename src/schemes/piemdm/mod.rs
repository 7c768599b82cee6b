//! PieMDM: `X-Sign = hex(HMAC-SHA256(appSecret, canonical request))`, where the canonical
//! request is method, decoded path, Go-canonical query, SHA-256 of the body, timestamp and
//! nonce, joined by `\n`.
//!
//! ```
//! use std::sync::Arc;
//! use apisign::piemdm;
//! use apisign::verify::{InMemoryCredentials, InMemoryNonceStore, Window};
//! use apisign::{ErrorKind, IncomingRequest, Request};
//!
//! // The documentation's example request (its timestamp is in seconds).
//! let request = Request::new("GET", "/openapi/v1/entities/product?page=1&pageSize=10");
//! let canonical = piemdm::canonical_request(&request, "1705478400", "abc123xyz789")?;
//! assert_eq!(canonical, b"GET\n/openapi/v1/entities/product\npage=1&pageSize=10\n\
//!     e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n1705478400\nabc123xyz789");
//! let sign = "a35a515127fd2956cec0e7b80a01ba382c730f0283d03bd9a9dd170c6005bf2d";
//! let app = piemdm::Signer::new("app_592837482", "test_secret_123456")?;
//! assert_eq!(app.app_id(), "app_592837482");
//! assert_eq!(app.sign_canonical(&canonical), sign);
//! assert_eq!(app.sign(&request, 1705478400, "abc123xyz789")?.header("X-Sign"), Some(sign));
//! let headers = app.sign_headers(&request, 1705478400, "abc123xyz789")?;
//! assert_eq!((headers[2].value.as_str(), headers[3].value.as_str()), ("abc123xyz789", sign));
//!
//! // The server records nonces (here in memory; share a Redis store between servers).
//! let creds = Arc::new(InMemoryCredentials::new());
//! creds.add(piemdm::credential(app)?);
//! let server = piemdm::Verifier::new(creds, Arc::new(InMemoryNonceStore::default()))
//!     .window(Window::symmetric(300_000))?
//!     .nonce_ttl(900)?
//!     .strict_query(true)
//!     .min_nonce_len(12);
//! assert_eq!(server.nonce_ttl_secs(), 900);
//! let incoming = IncomingRequest::new("GET", request.url)
//!     .header("X-App-Id", "app_592837482")
//!     .header("X-Timestamp", "1705478400")
//!     .header("X-Nonce", "abc123xyz789")
//!     .header("X-Sign", sign);
//! assert_eq!(server.verify(&incoming, 1705478400_000)?.caller, "app_592837482");
//! assert_eq!(server.verify(&incoming, 1705478400_000).unwrap_err().kind(), ErrorKind::NonceReused);
//! # Ok::<(), apisign::Error>(())
//! ```

pub mod scheme;
pub mod verify;

pub use scheme::credential;
pub use verify::Verifier;

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::encode::hex_lower;
use crate::error::Result;
use crate::query::gonet;
use crate::request::{check_header_value, Request};
use crate::schemes::keyed_hmac;
use crate::secret::Secret;
use crate::signature::{Header, HeaderValue, Headers, Signature};

/// The headers of a signed request, in documented order (one list for every signing path).
#[doc(hidden)] // used by apisign-capi / apisign-python (header fast paths)
pub const HEADER_NAMES: [&str; 4] = [
    header::APP_ID,
    header::TIMESTAMP,
    header::NONCE,
    header::SIGN,
];

/// The header names, spelled once for signing, the C fast path, Python and verification.
pub(crate) mod header {
    pub(crate) const APP_ID: &str = "X-App-Id";
    pub(crate) const TIMESTAMP: &str = "X-Timestamp";
    pub(crate) const NONCE: &str = "X-Nonce";
    pub(crate) const SIGN: &str = "X-Sign";
}

/// Length of the nonce we generate (32 hex characters = 128 random bits).
pub const GENERATED_NONCE_LEN: usize = 32;

/// The platform's recommended minimum nonce length.
pub const RECOMMENDED_MIN_NONCE_LEN: usize = 16;

/// The canonical request for `request` with the exact `timestamp` and `nonce` header strings.
/// Bytes, because a decoded path need not be UTF-8 (Go strings are bytes).
///
/// See the example in [the module docs](crate::piemdm).
pub fn canonical_request(request: &Request<'_>, timestamp: &str, nonce: &str) -> Result<Vec<u8>> {
    request.check_method()?;
    let target = request.target()?;
    let path = gonet::decoded_path(target.path)?;
    let mut out = Vec::with_capacity(
        request.method.len()
            + path.len()
            + target.query.len()
            + 64
            + timestamp.len()
            + nonce.len()
            + 8,
    );
    out.extend(request.method.bytes().map(|b| b.to_ascii_uppercase()));
    out.push(b'\n');
    out.extend_from_slice(&path);
    out.push(b'\n');
    gonet::canonical_query(target.query, &mut out)?;
    out.push(b'\n');
    let mut hex = [0u8; 64];
    // Cannot fail: 32 bytes into 64.
    let _ = hex::encode_to_slice(Sha256::digest(request.body), &mut hex);
    out.extend_from_slice(&hex);
    out.push(b'\n');
    out.extend_from_slice(timestamp.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(nonce.as_bytes());
    Ok(out)
}

/// A PieMDM app: app id and secret (keyed HMAC state computed once).
#[derive(Clone)]
pub struct Signer {
    app_id: String,
    mac: Hmac<Sha256>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("app_id", &self.app_id)
            .field("app_secret", &"<redacted>")
            .finish()
    }
}

impl Signer {
    /// A signer for `app_id` with `app_secret`.
    ///
    /// See the example in [the module docs](crate::piemdm).
    pub fn new(app_id: impl Into<String>, app_secret: impl Into<Secret>) -> Result<Self> {
        let app_id = app_id.into();
        check_header_value("app_id", &app_id)?;
        let mac = keyed_hmac("app_secret", &app_secret.into())?;
        Ok(Signer { app_id, mac })
    }

    /// The app id sent as `X-App-Id`.
    ///
    /// See the example in [the module docs](crate::piemdm).
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// Lowercase hex HMAC of `canonical`.
    ///
    /// See the example in [the module docs](crate::piemdm).
    pub fn sign_canonical(&self, canonical: &[u8]) -> HeaderValue {
        let mut mac = self.mac.clone();
        mac.update(canonical);
        hex_lower(&mac.finalize().into_bytes())
    }

    /// Sign `request` at `timestamp_secs` with `nonce`.
    ///
    /// See the example in [the module docs](crate::piemdm).
    pub fn sign(
        &self,
        request: &Request<'_>,
        timestamp_secs: u64,
        nonce: &str,
    ) -> Result<Signature> {
        check_header_value("nonce", nonce)?;
        let mut ts = itoa::Buffer::new();
        let ts = ts.format(timestamp_secs);
        let canonical = canonical_request(request, ts, nonce)?;
        let sign = self.sign_canonical(&canonical);
        Ok(Signature::new(
            self.headers(ts, nonce, sign),
            match String::from_utf8(canonical) {
                Ok(s) => s,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            },
        ))
    }

    /// Only the headers of [`Signer::sign`] (same values, same order), without turning the
    /// canonical request into the signed string.
    ///
    /// See the example in [the module docs](crate::piemdm).
    pub fn sign_headers(
        &self,
        request: &Request<'_>,
        timestamp_secs: u64,
        nonce: &str,
    ) -> Result<Headers> {
        let mut ts = itoa::Buffer::new();
        let ts = ts.format(timestamp_secs);
        let sign = self.sign_value(request, ts, nonce)?;
        Ok(self.headers(ts, nonce, sign))
    }

    /// The `X-Sign` value for `request` at the decimal timestamp `ts` with `nonce` (checked as
    /// a header value).
    #[doc(hidden)] // used by apisign-capi / apisign-python (header fast paths)
    pub fn sign_value(&self, request: &Request<'_>, ts: &str, nonce: &str) -> Result<HeaderValue> {
        check_header_value("nonce", nonce)?;
        let canonical = canonical_request(request, ts, nonce)?;
        Ok(self.sign_canonical(&canonical))
    }

    fn headers(&self, ts: &str, nonce: &str, sign: HeaderValue) -> Headers {
        let mut out = Headers::new();
        self.push_headers(&mut out, ts, nonce, sign);
        out
    }

    /// Append the four headers to `out` (which has room: it is empty).
    fn push_headers(&self, out: &mut Headers, ts: &str, nonce: &str, sign: HeaderValue) {
        let [app_id, timestamp, nonce_name, sign_name] = HEADER_NAMES;
        out.push(Header::new(app_id, self.app_id.as_str()));
        out.push(Header::new(timestamp, ts));
        out.push(Header::new(nonce_name, nonce));
        out.push(Header {
            name: sign_name,
            value: sign,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn empty_body_hash_is_the_sha256_of_nothing() {
        let c = canonical_request(&Request::new("get", "/openapi/v1/x"), "1", "n").unwrap();
        assert_eq!(
            String::from_utf8(c).unwrap(),
            "GET\n/openapi/v1/x\n\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n1\nn"
        );
    }

    #[test]
    fn path_is_decoded_and_plus_kept() {
        let c =
            canonical_request(&Request::new("GET", "/openapi/v1/a%20b+c?x=a+b"), "1", "n").unwrap();
        assert!(String::from_utf8(c)
            .unwrap()
            .starts_with("GET\n/openapi/v1/a b+c\nx=a+b\n"));
    }

    #[test]
    fn generated_nonces_are_fresh() {
        let s = Signer::new("app", "secret").unwrap();
        let r = Request::new("GET", "/openapi/v1/x");
        let a = crate::RequestSigner::sign_request(&s, &r, &crate::SignOptions::at(1000)).unwrap();
        let b = crate::RequestSigner::sign_request(&s, &r, &crate::SignOptions::at(1000)).unwrap();
        assert_eq!(a.header("X-Nonce").unwrap().len(), GENERATED_NONCE_LEN);
        assert_ne!(a.header("X-Nonce"), b.header("X-Nonce"));
        assert_ne!(a.header("X-Sign"), b.header("X-Sign"));
    }

    #[test]
    fn headers_only_match_the_full_signature() {
        let s = Signer::new("app_592837482", "test_secret_123456").unwrap();
        for (m, url, body) in [
            (
                "GET",
                "/openapi/v1/entities/product?page=1&pageSize=10",
                &b""[..],
            ),
            ("post", "/openapi/v1/a%20b?x=a+b&x=c", &b"{\"k\":1}"[..]),
            ("PUT", "/openapi/v1/%ff", &[0xff, 0x00][..]),
        ] {
            let r = Request::new(m, url).with_body(body);
            let full = s.sign(&r, 1_705_478_400, "abc123xyz789").unwrap();
            assert_eq!(
                s.sign_headers(&r, 1_705_478_400, "abc123xyz789").unwrap(),
                full.headers
            );
        }
        let r = Request::new("GET", "/x");
        assert_eq!(
            s.sign_headers(&r, 1, "a\nb").unwrap_err().field(),
            Some("nonce")
        );
    }

    #[test]
    fn bad_inputs_are_named() {
        assert_eq!(
            Signer::new("app", "").unwrap_err().field(),
            Some("app_secret")
        );
        assert_eq!(Signer::new("", "s").unwrap_err().field(), Some("app_id"));
        let s = Signer::new("app", "secret").unwrap();
        let r = Request::new("GET", "/x");
        assert_eq!(s.sign(&r, 1, "").unwrap_err().field(), Some("nonce"));
        assert_eq!(s.sign(&r, 1, "a\nb").unwrap_err().field(), Some("nonce"));
        assert_eq!(
            s.sign(&Request::new("GET", "/%zz"), 1, "n")
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidEscape
        );
        assert!(!format!("{s:?}").contains("secret\""));
    }
}
