//! JetLinks: `X-Sign = hex(H(data ‖ timestamp ‖ secureKey))`, H = MD5 or SHA-256, where `data`
//! is the sorted param string (GET/DELETE query, or a form body) or the raw body.
//!
//! ```
//! use std::sync::Arc;
//! use apisign::jetlinks::{self, Algorithm, SignedData};
//! use apisign::verify::{InMemoryCredentials, Window};
//! use apisign::{ErrorKind, IncomingRequest, Request, TokenLifetime};
//!
//! // The documentation's examples: a GET signs its sorted query, a JSON POST its raw body.
//! let client = jetlinks::Signer::new("testId", "testSecure", Algorithm::Md5)?;
//! assert_eq!((client.client_id(), client.algorithm().as_str()), ("testId", "md5"));
//! let get = Request::new("GET", "/api/device?pageSize=20&pageIndex=0");
//! let data = jetlinks::signed_data(&get)?;
//! assert_eq!(data.to_text(), "pageIndex=0&pageSize=20");
//! assert_eq!(client.sign_bytes(data.as_bytes(), "1574993804802"), "837fe7fa29e7a5e4852d447578269523");
//! let sig = client.sign(&get, 1574993804802)?;
//! assert_eq!(sig.header("X-Sign"), Some("837fe7fa29e7a5e4852d447578269523"));
//! let post = Request::new("POST", "/api/device/instance/_query")
//!     .with_body(br#"{"paging":false}"#)
//!     .with_content_type("application/json");
//! assert_eq!(jetlinks::signed_data(&post)?, SignedData::Body(br#"{"paging":false}"#));
//! let other = jetlinks::Signer::new("testId", "eajQWkGa4DHRxwJCQRtkfCpe", "md5".parse()?)?;
//! let headers = other.sign_headers(&post, 1626666148780)?;
//! assert_eq!(headers[2].value, "af686d000a31978c1e6c7a9d59c0012a");
//!
//! // Signed responses (the documentation's example response).
//! let body = br#"{"status":200,result:[]}"#;
//! assert_eq!(client.sign_response(body, "1574994269075"), "c23faa3c46784ada64423a8bba433f25");
//! assert!(client.verify_response(body, "1574994269075", "C23FAA3C46784ADA64423A8BBA433F25"));
//! let received = [("X-Timestamp", "1574994269075"), ("X-Sign", "c23faa3c46784ada64423a8bba433f25")];
//! jetlinks::verify_response(&client, body, &received, None)?;
//! // With a window, a response must also be fresh.
//! let stale = jetlinks::verify_response(&client, body, &received, Some((Window::symmetric(60_000), 1574994269075 + 61_000)));
//! assert_eq!(stale.unwrap_err().kind(), ErrorKind::TimestampOutOfWindow);
//!
//! // Access tokens: `POST /api/v1/token`, or OAuth2 forms; both lifetimes are tracked alike.
//! let (token_body, token_sig) = client.token_request(7200, 1587719082698)?;
//! assert_eq!(token_body, r#"{"expires":7200}"#);
//! assert_eq!(token_sig.header("X-Timestamp"), Some("1587719082698"));
//! assert_eq!(jetlinks::oauth2_client_credentials_body("testId", "s&cret"),
//!     "grant_type=client_credentials&client_id=testId&client_secret=s%26cret");
//! assert_eq!(jetlinks::oauth2_refresh_body("testId", "s", "r1"),
//!     "grant_type=refresh_token&client_id=testId&client_secret=s&refresh_token=r1");
//! assert_eq!(TokenLifetime::jetlinks(1587719082698, 7200).expires_at_ms(), Some(1587726282698));
//! assert_eq!(TokenLifetime::jetlinks(1587719082698, 0).expires_at_ms(), None);
//!
//! // The server: register the client, verify, sign the response.
//! let creds = Arc::new(InMemoryCredentials::new());
//! creds.add(jetlinks::credential(client)?);
//! let server = jetlinks::Verifier::new(creds).window(Window::symmetric(60_000));
//! let incoming = IncomingRequest::new("GET", get.url)
//!     .header("X-Client-Id", "testId")
//!     .header("X-Timestamp", "1574993804802")
//!     .header("X-Sign", "837fe7fa29e7a5e4852d447578269523");
//! assert_eq!(server.verify(&incoming, 1574993804802)?.caller, "testId");
//! let answer = server.sign_response("testId", body, 1574994269075)?;
//! assert_eq!(answer, [("X-Timestamp", "1574994269075".to_owned()), ("X-Sign", "c23faa3c46784ada64423a8bba433f25".to_owned())]);
//! # Ok::<(), apisign::Error>(())
//! ```

pub mod scheme;
pub mod verify;

pub use scheme::credential;
pub use verify::{verify_response, Verifier};

use std::borrow::Cow;
use std::str::FromStr;

use md5::Md5;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::encode::hex_lower;
use crate::error::{Error, Result};
use crate::query::charset::Charset;
use crate::query::{mediatype, spring};
use crate::request::{check_header_value, Request};
use crate::secret::Secret;
use crate::signature::{Header, HeaderValue, Headers, Signature};

/// The header names, spelled once for signing, the C fast path, Python and verification
/// (signed responses carry `X-Timestamp` and `X-Sign` too).
pub(crate) mod header {
    pub(crate) const CLIENT_ID: &str = "X-Client-Id";
    pub(crate) const TIMESTAMP: &str = "X-Timestamp";
    pub(crate) const SIGN: &str = "X-Sign";
}

/// The headers of a signed request, in documented order (one list for every signing path).
#[doc(hidden)] // used by apisign-capi / apisign-python (header fast paths)
pub const HEADER_NAMES: [&str; 3] = [header::CLIENT_ID, header::TIMESTAMP, header::SIGN];

/// Digest algorithm configured for the client on the platform.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// MD5 (the platform default).
    #[default]
    Md5,
    /// SHA-256.
    Sha256,
}

impl Algorithm {
    /// `"md5"` or `"sha256"`.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::Md5 => "md5",
            Algorithm::Sha256 => "sha256",
        }
    }
}

impl FromStr for Algorithm {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "md5" => Ok(Algorithm::Md5),
            "sha256" | "sha-256" => Ok(Algorithm::Sha256),
            _ => Err(Error::invalid(
                "algorithm",
                format!("{s:?} is not supported; use md5 or sha256"),
            )),
        }
    }
}

/// What a request's signature covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignedData<'a> {
    /// A param string built from the query (GET/DELETE) or a form body.
    Params(String),
    /// The raw body bytes (POST/PUT/PATCH… that are not forms).
    Body(&'a [u8]),
}

impl SignedData<'_> {
    /// The bytes that are digested before the timestamp and key.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            SignedData::Params(s) => s.as_bytes(),
            SignedData::Body(b) => b,
        }
    }

    /// The data as text (lossy for a binary body), for inspection.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn to_text(&self) -> Cow<'_, str> {
        match self {
            SignedData::Params(s) => Cow::Borrowed(s),
            SignedData::Body(b) => crate::encode::utf8_lossy(b),
        }
    }
}

/// How the server reads a non-GET/DELETE body: `Some(charset)` for a form, `None` for raw
/// bytes. The header is parsed as Spring's `MediaType` (an invalid one is refused, as the
/// server refuses it); a form's `charset` must be one this crate decodes as Java does.
fn form_charset(content_type: Option<&str>) -> Result<Option<Charset>> {
    let Some(media) = content_type.map(mediatype::parse).transpose()?.flatten() else {
        return Ok(None);
    };
    if !media.is_form() {
        return Ok(None);
    }
    match media.charset {
        None => Ok(Some(Charset::Utf8)),
        Some(name) => Charset::for_name(name).map(Some).ok_or_else(|| {
            Error::invalid(
                "content_type",
                format!(
                    "form charset {name:?} is not supported; use one of {} (or their Java aliases)",
                    Charset::supported()
                ),
            )
        }),
    }
}

/// The data the server digests for `request` (see SPEC.md §2).
///
/// See the example in [the module docs](crate::jetlinks).
pub fn signed_data<'a>(request: &Request<'a>) -> Result<SignedData<'a>> {
    // GET and DELETE are valid methods; only the others need the token check.
    if request.method_is("GET") || request.method_is("DELETE") {
        let target = request.target()?;
        return Ok(SignedData::Params(spring::query_param_string(
            target.query,
        )?));
    }
    request.check_method()?;
    if let Some(charset) = form_charset(request.content_type)? {
        return Ok(SignedData::Params(spring::form_param_string(
            request.body,
            charset,
        )?));
    }
    Ok(SignedData::Body(request.body))
}

/// Hex digest of `parts` concatenated.
fn digest_hex(algorithm: Algorithm, parts: [&[u8]; 3]) -> HeaderValue {
    match algorithm {
        Algorithm::Md5 => {
            let mut h = Md5::new();
            for p in parts {
                h.update(p);
            }
            hex_lower(&h.finalize())
        }
        Algorithm::Sha256 => {
            let mut h = Sha256::new();
            for p in parts {
                h.update(p);
            }
            hex_lower(&h.finalize())
        }
    }
}

/// Constant-time, ASCII-case-insensitive comparison of a received hex signature.
pub(crate) fn hex_eq_ignore_case(expected_lower: &str, received: &str) -> bool {
    if expected_lower.len() != received.len() {
        return false;
    }
    let mut buf = [0u8; 64];
    if received.len() > buf.len() {
        return false;
    }
    for (d, s) in buf.iter_mut().zip(received.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    bool::from(expected_lower.as_bytes().ct_eq(&buf[..received.len()]))
}

/// A JetLinks client: client id, secure key and digest algorithm.
// Debug derived: the secret field (Secret, PrivateKey) shows only what its own Debug shows.
#[derive(Clone, Debug)]
pub struct Signer {
    /// Kept as the header value it becomes: each signature clones it (a fixed-size copy).
    client_id: HeaderValue,
    secure_key: Secret,
    algorithm: Algorithm,
}

impl Signer {
    /// A signer for `client_id` with `secure_key`.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn new(
        client_id: impl Into<String>,
        secure_key: impl Into<Secret>,
        algorithm: Algorithm,
    ) -> Result<Self> {
        let client_id = client_id.into();
        check_header_value("client_id", &client_id)?;
        let secure_key = secure_key.into();
        if secure_key.is_empty() {
            return Err(Error::invalid("secure_key", "must not be empty"));
        }
        Ok(Signer {
            client_id: HeaderValue::from(client_id),
            secure_key,
            algorithm,
        })
    }

    /// The configured algorithm.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The client id sent as `X-Client-Id`.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn client_id(&self) -> &str {
        self.client_id.as_str()
    }

    /// `hex(H(data ‖ timestamp ‖ secureKey))`.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn sign_bytes(&self, data: &[u8], timestamp: &str) -> HeaderValue {
        digest_hex(
            self.algorithm,
            [data, timestamp.as_bytes(), self.secure_key.expose()],
        )
    }

    /// Sign `request` at `timestamp_ms`.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn sign(&self, request: &Request<'_>, timestamp_ms: u64) -> Result<Signature> {
        let data = signed_data(request)?;
        let mut ts = itoa::Buffer::new();
        let ts = ts.format(timestamp_ms);
        let sign = self.sign_bytes(data.as_bytes(), ts);
        let signed = match data {
            SignedData::Params(s) => s,
            SignedData::Body(b) => crate::encode::utf8_lossy(b).into_owned(),
        };
        // Built in place and pushed one by one so each value is written once, into its final
        // slot: moving a finished `Signature` (about 400 bytes) cost more than its headers.
        let mut sig = Signature::new(Headers::new(), signed);
        self.push_headers(&mut sig.headers, ts, sign);
        Ok(sig)
    }

    /// Only the headers of [`Signer::sign`] (same values, same order), without the signed
    /// string: a raw body is digested in place instead of being copied into it.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn sign_headers(&self, request: &Request<'_>, timestamp_ms: u64) -> Result<Headers> {
        let mut ts = itoa::Buffer::new();
        let ts = ts.format(timestamp_ms);
        let sign = self.sign_value(request, ts)?;
        let mut headers = Headers::new();
        self.push_headers(&mut headers, ts, sign);
        Ok(headers)
    }

    /// The `X-Sign` value for `request` at the decimal timestamp `ts`.
    #[doc(hidden)] // used by apisign-capi / apisign-python (header fast paths)
    pub fn sign_value(&self, request: &Request<'_>, ts: &str) -> Result<HeaderValue> {
        let data = signed_data(request)?;
        Ok(self.sign_bytes(data.as_bytes(), ts))
    }

    fn push_headers(&self, headers: &mut Headers, ts: &str, sign: HeaderValue) {
        let [client_id, timestamp, sign_name] = HEADER_NAMES;
        headers.push(Header {
            name: client_id,
            value: self.client_id.clone(),
        });
        headers.push(Header::new(timestamp, ts));
        headers.push(Header {
            name: sign_name,
            value: sign,
        });
    }

    /// The signature a server puts on a response: `hex(H(body ‖ X-Timestamp ‖ secureKey))`.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn sign_response(&self, body: &[u8], timestamp: &str) -> String {
        self.sign_bytes(body, timestamp).into()
    }

    /// Check a response's `X-Sign` against its body and `X-Timestamp` (constant time, hex case
    /// ignored).
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn verify_response(&self, body: &[u8], timestamp: &str, sign: &str) -> bool {
        hex_eq_ignore_case(&self.sign_bytes(body, timestamp), sign)
    }

    /// The signed request for an access token: `POST /api/v1/token` with body
    /// `{"expires":<secs>}` (`<= 0` = never expires). Returns the body to send and its headers.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub fn token_request(
        &self,
        expires_secs: i64,
        timestamp_ms: u64,
    ) -> Result<(String, Signature)> {
        let body = format!("{{\"expires\":{expires_secs}}}");
        let sig = self.sign(
            &Request::new("POST", TOKEN_PATH)
                .with_body(body.as_bytes())
                .with_content_type("application/json"),
            timestamp_ms,
        )?;
        Ok((body, sig))
    }
}

/// Path of the access-token endpoint.
pub const TOKEN_PATH: &str = "/api/v1/token";

/// Header that carries an access token on later requests.
pub const ACCESS_TOKEN_HEADER: &str = "X-Access-Token";

/// Form body of an OAuth2 `client_credentials` token request.
///
/// See the example in [the module docs](crate::jetlinks).
pub fn oauth2_client_credentials_body(client_id: &str, client_secret: &str) -> String {
    form(&[
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", client_secret),
    ])
}

/// Form body of an OAuth2 `refresh_token` request.
///
/// See the example in [the module docs](crate::jetlinks).
pub fn oauth2_refresh_body(client_id: &str, client_secret: &str, refresh_token: &str) -> String {
    form(&[
        ("grant_type", "refresh_token"),
        ("client_id", client_id),
        ("client_secret", client_secret),
        ("refresh_token", refresh_token),
    ])
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut out = Vec::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        crate::query::gonet::query_escape(k.as_bytes(), &mut out);
        out.push(b'=');
        crate::query::gonet::query_escape(v.as_bytes(), &mut out);
    }
    // query_escape emits ASCII only.
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn headers_only_match_the_full_signature() {
        for alg in [Algorithm::Md5, Algorithm::Sha256] {
            let s = Signer::new("testId", "testSecure", alg).unwrap();
            for (m, url, body, ct) in [
                ("GET", "/api/device?pageSize=20&pageIndex=0", &b""[..], None),
                (
                    "POST",
                    "/api/x",
                    &b"{\"a\":1}"[..],
                    Some("application/json"),
                ),
                (
                    "POST",
                    "/api/x",
                    &b"b=2&a=1"[..],
                    Some("application/x-www-form-urlencoded"),
                ),
                ("PUT", "/api/x", &[0xff, 0xfe][..], None),
            ] {
                let mut r = Request::new(m, url).with_body(body);
                r.content_type = ct;
                let full = s.sign(&r, 1_574_993_804_802).unwrap();
                assert_eq!(s.sign_headers(&r, 1_574_993_804_802).unwrap(), full.headers);
            }
            let bad = Request::new("GET", "/x?flag");
            assert_eq!(
                s.sign_headers(&bad, 1).unwrap_err().kind(),
                s.sign(&bad, 1).unwrap_err().kind()
            );
        }
    }

    fn data(method: &str, url: &str, body: &str, ct: Option<&str>) -> Result<String> {
        let mut r = Request::new(method, url).with_body(body.as_bytes());
        r.content_type = ct;
        signed_data(&r).map(|d| d.to_text().into_owned())
    }

    #[test]
    fn what_each_method_signs() {
        assert_eq!(
            data("get", "/a?b=2&a=1", "ignored", None).unwrap(),
            "a=1&b=2"
        );
        assert_eq!(
            data(
                "DELETE",
                "/a?x=1",
                "",
                Some("application/x-www-form-urlencoded")
            )
            .unwrap(),
            "x=1"
        );
        assert_eq!(
            data("POST", "/a?q=1", "{\"a\": 1}", Some("application/json")).unwrap(),
            "{\"a\": 1}"
        );
        assert_eq!(
            data(
                "PUT",
                "/a",
                "b=2&a=1",
                Some("Application/X-WWW-Form-Urlencoded; charset=UTF-8")
            )
            .unwrap(),
            "a=1&b=2"
        );
        assert_eq!(data("PATCH", "/a", "raw", None).unwrap(), "raw");
        assert_eq!(
            data(
                "POST",
                "/a",
                "flag",
                Some("application/x-www-form-urlencoded")
            )
            .unwrap_err()
            .kind(),
            ErrorKind::BareQueryKey
        );
        assert_eq!(
            data("GE T", "/a", "", None).unwrap_err().field(),
            Some("method")
        );
    }

    #[test]
    fn response_signatures_compare_case_insensitively() {
        let s = Signer::new("testId", "testSecure", Algorithm::Md5).unwrap();
        let sig = s.sign_response(b"{}", "1");
        assert!(s.verify_response(b"{}", "1", &sig));
        assert!(s.verify_response(b"{}", "1", &sig.to_uppercase()));
        assert!(!s.verify_response(b"{} ", "1", &sig));
        assert!(!s.verify_response(b"{}", "1", &sig[..31]));
        assert!(!s.verify_response(b"{}", "1", ""));
    }

    #[test]
    fn token_request_is_signed_json() {
        let s = Signer::new("testId", "xHZ2MyCG5TEdntyFhX72Gx6K", Algorithm::Md5).unwrap();
        let (body, sig) = s.token_request(7200, 1587719082698).unwrap();
        assert_eq!(body, "{\"expires\":7200}");
        let direct = s
            .sign(
                &Request::new("POST", TOKEN_PATH).with_body(body.as_bytes()),
                1587719082698,
            )
            .unwrap();
        assert_eq!(sig, direct);
    }

    #[test]
    fn oauth2_bodies_are_form_encoded() {
        assert_eq!(
            oauth2_client_credentials_body("id 1", "s&=x"),
            "grant_type=client_credentials&client_id=id+1&client_secret=s%26%3Dx"
        );
        assert_eq!(
            oauth2_refresh_body("c", "s", "r/t"),
            "grant_type=refresh_token&client_id=c&client_secret=s&refresh_token=r%2Ft"
        );
    }

    #[test]
    fn algorithm_names() {
        assert_eq!("SHA256".parse::<Algorithm>().unwrap(), Algorithm::Sha256);
        assert_eq!("md5".parse::<Algorithm>().unwrap(), Algorithm::Md5);
        assert_eq!(
            "sha1".parse::<Algorithm>().unwrap_err().field(),
            Some("algorithm")
        );
    }

    #[test]
    fn debug_hides_the_key() {
        let s = Signer::new("id", "super-secret-key", Algorithm::Md5).unwrap();
        assert!(!format!("{s:?}").contains("super-secret"));
    }
}

impl crate::lifetime::TokenLifetime {
    /// A JetLinks access token requested with `{"expires": expires_secs}` at `issued_at_ms`;
    /// `expires_secs <= 0` means it never expires.
    ///
    /// See the example in [the module docs](crate::jetlinks).
    pub const fn jetlinks(issued_at_ms: u64, expires_secs: i64) -> Self {
        crate::lifetime::TokenLifetime {
            issued_at_ms,
            lifetime_ms: if expires_secs <= 0 {
                None
            } else {
                Some((expires_secs as u64).saturating_mul(1000))
            },
        }
    }
}

#[cfg(test)]
mod lifetime_tests {
    use crate::lifetime::TokenLifetime;

    #[test]
    fn jetlinks_nonpositive_expires_never_expires() {
        for e in [0, -1, i64::MIN] {
            let t = TokenLifetime::jetlinks(5, e);
            assert_eq!(t.expires_at_ms(), None);
            assert_eq!(t.remaining_ms(u64::MAX), None);
            assert!(!t.is_expired(u64::MAX));
            assert!(!t.is_expiring(u64::MAX, u64::MAX));
        }
        let t = TokenLifetime::jetlinks(1_000, 7200);
        assert_eq!(t.expires_at_ms(), Some(7_201_000));
        assert!(TokenLifetime::jetlinks(u64::MAX, i64::MAX).expires_at_ms() == Some(u64::MAX));
    }
}
