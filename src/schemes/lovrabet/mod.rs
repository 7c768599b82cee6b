//! Lovrabet: `X-Token = base64(HMAC-SHA256(secretKey,
//! "accessKey=…&appCode=…&datasetCode=…&timeStamp=…"))`, valid for 10 minutes.
//!
//! ```
//! use std::sync::Arc;
//! use apisign::lovrabet::{self, TokenGenerator};
//! use apisign::verify::{InMemoryCredentials, Window};
//! use apisign::{ErrorKind, IncomingRequest, TokenLifetime};
//!
//! // The documentation's example: app, dataset, access key and the default secret key.
//! let app = "app-c2dd52a2";
//! let dataset = "0fefba76fe29440194841f4825df53ff";
//! assert_eq!(lovrabet::string_to_sign("your-access-key", app, dataset, 1758903130713),
//!     "accessKey=your-access-key&appCode=app-c2dd52a2&datasetCode=0fefba76fe29440194841f4825df53ff&timeStamp=1758903130713");
//! let signer = lovrabet::Signer::new(app, dataset, "your-access-key", "lovrabet")?;
//! assert_eq!((signer.app_code(), signer.dataset_code()), (app, dataset));
//! let token = signer.token(1758903130713)?;
//! assert_eq!(token.token, "Vu4Eis+j1LsKiHIC4Bg9mKmdTnMKulP285/iflQNpqY=");
//! assert_eq!(token.expires_at_ms(), 1758903730713);
//! // Refresh a minute before the ten minutes are over.
//! assert!(token.lifetime().is_expiring(60_000, 1758903680000));
//! assert_eq!(TokenLifetime::lovrabet(1758903130713), token.lifetime());
//! assert_eq!(token.headers()[3].value, "Vu4Eis+j1LsKiHIC4Bg9mKmdTnMKulP285/iflQNpqY=");
//! // The signed string holds the access key: only its redacted form may be shown.
//! let sig = token.into_signature();
//! assert!(!sig.signed_redacted().contains("your-access-key"));
//!
//! // One generator serves several datasets; a batch shares one timestamp.
//! let generator = TokenGenerator::with_default_secret("your-access-key")?;
//! let same = TokenGenerator::new("your-access-key", "lovrabet")?;
//! assert_eq!(same.generate(app, dataset, 1758903130713)?.token, "Vu4Eis+j1LsKiHIC4Bg9mKmdTnMKulP285/iflQNpqY=");
//! let headers = generator.generate_headers(app, dataset, 1758903130713)?;
//! assert_eq!(headers[2].value, "1758903130713");
//! let batch = generator.generate_batch(app, &[("orders", dataset), ("stock", "ds-2")], 1758903130713)?;
//! assert_eq!(batch[0].0, "orders");
//! let per_dataset = lovrabet::Signer::with_generator(generator, app, "ds-2")?;
//! assert_eq!(per_dataset.generator().generate(app, "ds-2", 1758903130713)?.token, batch[1].1.token);
//!
//! // The server: the app, its key and the datasets it may read.
//! let creds = Arc::new(InMemoryCredentials::new());
//! creds.add(lovrabet::credential(app, same, [dataset])?);
//! let server = lovrabet::Verifier::new(creds).window(Window { max_age: 600_000, max_ahead: 60_000 });
//! let request = |dataset: &'static str| IncomingRequest::new("POST", "/api/data/list")
//!     .header("X-App-Code", "app-c2dd52a2")
//!     .header("X-Dataset-Code", dataset)
//!     .header("X-Time-Stamp", "1758903130713")
//!     .header("X-Token", "Vu4Eis+j1LsKiHIC4Bg9mKmdTnMKulP285/iflQNpqY=");
//! let who = server.verify(&request("0fefba76fe29440194841f4825df53ff"), 1758903130713 + 1000)?;
//! assert_eq!((who.caller.as_str(), who.dataset.as_deref()), (app, Some(dataset)));
//! // The token is bound to its dataset.
//! let other = server.verify(&request("ds-2"), 1758903130713 + 1000).unwrap_err();
//! assert_eq!(other.kind(), ErrorKind::SignatureInvalid);
//! # Ok::<(), apisign::Error>(())
//! ```

pub mod scheme;
pub mod verify;

pub use scheme::credential;
pub use verify::Verifier;

use std::fmt;

use zeroize::Zeroizing;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::encode::base64_std;
use crate::error::{Error, Result};
use crate::lifetime::TokenLifetime;
use crate::request::check_header_value;
use crate::schemes::keyed_hmac;
use crate::secret::Secret;
use crate::signature::{headers, wipe_span, Header, HeaderValue, Headers, Signature};

/// The header names, spelled once for signing, the C fast path, Python and verification.
pub(crate) mod header {
    pub(crate) const APP_CODE: &str = "X-App-Code";
    pub(crate) const DATASET_CODE: &str = "X-Dataset-Code";
    pub(crate) const TIME_STAMP: &str = "X-Time-Stamp";
    pub(crate) const TOKEN: &str = "X-Token";
}

/// The headers a token is sent in, in documented order (one list for every signing path).
#[doc(hidden)] // used by apisign-capi / apisign-python (header fast paths)
pub const HEADER_NAMES: [&str; 4] = [
    header::APP_CODE,
    header::DATASET_CODE,
    header::TIME_STAMP,
    header::TOKEN,
];

/// The documented default `secretKey`.
pub const DEFAULT_SECRET_KEY: &str = "lovrabet";

/// `accessKey=<ak>&appCode=<app>&datasetCode=<ds>&timeStamp=<ms>` (values raw).
///
/// See the example in [the module docs](crate::lovrabet).
pub fn string_to_sign(
    access_key: &str,
    app_code: &str,
    dataset_code: &str,
    timestamp_ms: u64,
) -> String {
    let mut ts = itoa::Buffer::new();
    let parts = string_to_sign_parts(access_key, app_code, dataset_code, ts.format(timestamp_ms));
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        s.push_str(part);
    }
    s
}

/// The pieces of [`string_to_sign`] in order, with the timestamp already as text: the one
/// definition of the layout, for both the string and the headers-only path that feeds the
/// HMAC piece by piece.
fn string_to_sign_parts<'a>(
    access_key: &'a str,
    app_code: &'a str,
    dataset_code: &'a str,
    ts: &'a str,
) -> [&'a str; 8] {
    [
        "accessKey=",
        access_key,
        "&appCode=",
        app_code,
        "&datasetCode=",
        dataset_code,
        "&timeStamp=",
        ts,
    ]
}

/// Generates tokens for one access key; the keyed HMAC state is computed once.
#[derive(Clone)]
pub struct TokenGenerator {
    /// Text, checked once here: it is copied into every string to sign.
    access_key: Zeroizing<String>,
    mac: Hmac<Sha256>,
}

impl fmt::Debug for TokenGenerator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenGenerator")
            .field("access_key", &"<redacted>")
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

/// A generated token and everything needed to send or refresh it. `Debug` redacts the access
/// key inside `string_to_sign`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// `X-App-Code`.
    pub app_code: HeaderValue,
    /// `X-Dataset-Code`.
    pub dataset_code: HeaderValue,
    /// `X-Time-Stamp` (ms).
    pub timestamp_ms: u64,
    /// `X-Token`.
    pub token: HeaderValue,
    /// The exact string that was signed. It contains the access key, which the platform treats
    /// as a secret: never print it; use [`Token::into_signature`] and
    /// [`Signature::signed_redacted`].
    pub string_to_sign: String,
    /// Length of the access key, which follows `accessKey=` at the start of `string_to_sign`.
    access_key_len: usize,
}

impl Token {
    /// Where the access key sits in `string_to_sign`.
    fn access_key_span(&self) -> std::ops::Range<usize> {
        const PREFIX: usize = "accessKey=".len();
        let end = (PREFIX + self.access_key_len).min(self.string_to_sign.len());
        PREFIX.min(end)..end
    }

    /// When the token stops being accepted (timestamp + 600 000 ms).
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn expires_at_ms(&self) -> u64 {
        self.lifetime().expires_at_ms().unwrap_or(u64::MAX)
    }

    /// Lifetime helpers (`remaining_ms`, `is_expiring`…).
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn lifetime(&self) -> TokenLifetime {
        TokenLifetime::lovrabet(self.timestamp_ms)
    }

    /// The four headers, in documented order.
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn headers(&self) -> Headers {
        let [app, ds, ts, token] = HEADER_NAMES;
        headers([
            Header::new(app, self.app_code.clone()),
            Header::new(ds, self.dataset_code.clone()),
            Header::new(ts, itoa::Buffer::new().format(self.timestamp_ms)),
            Header::new(token, self.token.clone()),
        ])
    }

    /// Headers plus the string to sign (access key marked secret).
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn into_signature(mut self) -> Signature {
        let span = self.access_key_span();
        let headers = self.headers();
        let signed = std::mem::take(&mut self.string_to_sign);
        Signature::new(headers, signed).with_secret_span(span)
    }
}

/// `string_to_sign` holds the access key: wipe it before the memory is freed.
impl Drop for Token {
    fn drop(&mut self) {
        let span = self.access_key_span();
        wipe_span(&mut self.string_to_sign, span);
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let span = self.access_key_span();
        f.debug_struct("Token")
            .field("app_code", &self.app_code)
            .field("dataset_code", &self.dataset_code)
            .field("timestamp_ms", &self.timestamp_ms)
            .field("token", &self.token)
            .field(
                "string_to_sign",
                &format_args!(
                    "{}<redacted>{}",
                    &self.string_to_sign[..span.start],
                    &self.string_to_sign[span.end..]
                ),
            )
            .finish()
    }
}

impl TokenGenerator {
    /// A generator for `access_key`, signing with `secret_key` (use [`DEFAULT_SECRET_KEY`]
    /// unless your tenant was given another).
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn new(access_key: impl Into<Secret>, secret_key: impl Into<Secret>) -> Result<Self> {
        let access_key = access_key.into();
        let access_key = Zeroizing::new(check_access_key(access_key.expose())?.to_owned());
        let mac = keyed_hmac("secret_key", &secret_key.into())?;
        Ok(TokenGenerator { access_key, mac })
    }

    /// A generator with the documented default secret key `"lovrabet"`.
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn with_default_secret(access_key: impl Into<Secret>) -> Result<Self> {
        let access_key = access_key.into();
        let access_key = Zeroizing::new(check_access_key(access_key.expose())?.to_owned());
        Ok(TokenGenerator {
            access_key,
            mac: default_keyed_mac().clone(),
        })
    }

    /// The token for one dataset at `timestamp_ms`.
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn generate(&self, app_code: &str, dataset_code: &str, timestamp_ms: u64) -> Result<Token> {
        token_with(
            &self.mac,
            &self.access_key,
            app_code,
            dataset_code,
            timestamp_ms,
        )
    }

    /// Only the four headers of [`TokenGenerator::generate`] (same values, same order), without
    /// the string to sign: the HMAC is fed piece by piece, so nothing is allocated. For callers
    /// that send the token and never inspect the signed string (the C fast path, Go).
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn generate_headers(
        &self,
        app_code: &str,
        dataset_code: &str,
        timestamp_ms: u64,
    ) -> Result<Headers> {
        let mut ts = itoa::Buffer::new();
        let ts = ts.format(timestamp_ms);
        let token = self.token_value(app_code, dataset_code, ts)?;
        let values = [app_code, dataset_code, ts, token.as_str()];
        Ok(HEADER_NAMES
            .into_iter()
            .zip(values)
            .map(|(name, value)| Header::new(name, value))
            .collect())
    }

    /// The signature for one dataset at `timestamp_ms`, built in place: the four headers and,
    /// unless `headers_only`, the string to sign with the access key marked secret. The
    /// generic signer's path: no intermediate `Token` or `Headers` is moved into it.
    pub(crate) fn signature(
        &self,
        app_code: &str,
        dataset_code: &str,
        timestamp_ms: u64,
        headers_only: bool,
    ) -> Result<Signature> {
        let mut ts = itoa::Buffer::new();
        let ts = ts.format(timestamp_ms);
        let mut sig = Signature::new(Headers::new(), String::new());
        check_header_value("app_code", app_code)?;
        check_header_value("dataset_code", dataset_code)?;
        // One HMAC update over the whole string measured faster than feeding its pieces, so
        // the headers-only path builds it too, then wipes it instead of returning it.
        let signed = string_to_sign(&self.access_key, app_code, dataset_code, timestamp_ms);
        let mut mac = self.mac.clone();
        mac.update(signed.as_bytes());
        let token = base64_std(&mac.finalize().into_bytes());
        const PREFIX: usize = "accessKey=".len();
        let span = PREFIX..PREFIX + self.access_key.len();
        if headers_only {
            let mut signed = signed;
            wipe_span(&mut signed, span);
        } else {
            sig.signed = signed;
            sig.set_secret_span(span);
        }
        let [app, ds, ts_name, token_name] = HEADER_NAMES;
        sig.headers.push(Header::new(app, app_code));
        sig.headers.push(Header::new(ds, dataset_code));
        sig.headers.push(Header::new(ts_name, ts));
        sig.headers.push(Header {
            name: token_name,
            value: token,
        });
        Ok(sig)
    }

    /// The `X-Token` value for `app_code`/`dataset_code` at the decimal timestamp `ts`, checking
    /// both codes as header values; the HMAC is fed piece by piece (no string to sign).
    #[doc(hidden)] // used by apisign-capi / apisign-python (header fast paths)
    pub fn token_value(&self, app_code: &str, dataset_code: &str, ts: &str) -> Result<HeaderValue> {
        token_value(&self.mac, &self.access_key, app_code, dataset_code, ts)
    }

    /// The access key (checked text), for bindings that rebuild the string to sign on demand.
    #[doc(hidden)] // used by apisign-python
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// One token per dataset, all with the same timestamp; `datasets` are `(name, code)` pairs
    /// and the result keeps their order. Names must be unique.
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn generate_batch(
        &self,
        app_code: &str,
        datasets: &[(&str, &str)],
        timestamp_ms: u64,
    ) -> Result<Vec<(String, Token)>> {
        let mut out: Vec<(String, Token)> = Vec::with_capacity(datasets.len());
        // A set, not a scan of `out`: batches of thousands of datasets stay linear.
        let mut seen = std::collections::HashSet::with_capacity(datasets.len());
        for (name, code) in datasets {
            if name.is_empty() {
                return Err(Error::invalid(
                    "datasets",
                    "every dataset needs a non-empty name",
                ));
            }
            if !seen.insert(*name) {
                return Err(Error::invalid(
                    "datasets",
                    format!("dataset name {name:?} appears twice; names key the result and must be unique"),
                ));
            }
            out.push((
                (*name).to_owned(),
                self.generate(app_code, code, timestamp_ms)?,
            ));
        }
        Ok(out)
    }
}

/// The keyed HMAC state for [`DEFAULT_SECRET_KEY`], computed once per process (the key is a
/// published constant, not a secret).
#[doc(hidden)] // used by apisign-python (one-shot token fast path)
pub fn default_keyed_mac() -> &'static Hmac<Sha256> {
    static MAC: std::sync::OnceLock<Hmac<Sha256>> = std::sync::OnceLock::new();
    MAC.get_or_init(|| {
        keyed_hmac("secret_key", &Secret::from(DEFAULT_SECRET_KEY))
            .expect("the default secret key is a valid HMAC key")
    })
}

/// Check an access key given as bytes: not empty, UTF-8 text.
#[doc(hidden)] // used by apisign-python (one-shot token fast path)
pub fn check_access_key(access_key: &[u8]) -> Result<&str> {
    if access_key.is_empty() {
        return Err(Error::invalid("access_key", "must not be empty"));
    }
    std::str::from_utf8(access_key).map_err(|_| Error::invalid("access_key", "must be UTF-8 text"))
}

/// The `X-Token` value for `access_key` (already checked: non-empty text) from a keyed HMAC
/// state, checking both codes as header values. The HMAC is fed the pieces of the string to
/// sign, which is never assembled: for callers that only send the token.
#[doc(hidden)] // used by apisign-python (one-shot token fast path)
pub fn token_value(
    mac: &Hmac<Sha256>,
    access_key: &str,
    app_code: &str,
    dataset_code: &str,
    ts: &str,
) -> Result<HeaderValue> {
    check_header_value("app_code", app_code)?;
    check_header_value("dataset_code", dataset_code)?;
    let mut mac = mac.clone();
    for part in string_to_sign_parts(access_key, app_code, dataset_code, ts) {
        mac.update(part.as_bytes());
    }
    Ok(base64_std(&mac.finalize().into_bytes()))
}

/// The token for `access_key` (already checked: non-empty text) from a keyed HMAC state.
pub(crate) fn token_with(
    mac: &Hmac<Sha256>,
    access_key: &str,
    app_code: &str,
    dataset_code: &str,
    timestamp_ms: u64,
) -> Result<Token> {
    check_header_value("app_code", app_code)?;
    check_header_value("dataset_code", dataset_code)?;
    let string_to_sign = string_to_sign(access_key, app_code, dataset_code, timestamp_ms);
    let mut mac = mac.clone();
    mac.update(string_to_sign.as_bytes());
    let token = base64_std(&mac.finalize().into_bytes());
    Ok(Token {
        app_code: HeaderValue::new(app_code),
        dataset_code: HeaderValue::new(dataset_code),
        timestamp_ms,
        token,
        string_to_sign,
        access_key_len: access_key.len(),
    })
}

impl Token {
    /// The token whose `X-Token` value was computed elsewhere (by [`token_value`]); the string
    /// to sign is rebuilt from the same parts.
    #[doc(hidden)] // used by apisign-python
    pub fn from_parts(
        access_key: &str,
        app_code: &str,
        dataset_code: &str,
        timestamp_ms: u64,
        token: HeaderValue,
    ) -> Token {
        Token {
            app_code: HeaderValue::new(app_code),
            dataset_code: HeaderValue::new(dataset_code),
            timestamp_ms,
            token,
            string_to_sign: string_to_sign(access_key, app_code, dataset_code, timestamp_ms),
            access_key_len: access_key.len(),
        }
    }
}

/// The app and dataset codes a signer is bound to, each checked to be a valid header value.
fn codes(app_code: String, dataset_code: String) -> Result<(String, String)> {
    check_header_value("app_code", &app_code)?;
    check_header_value("dataset_code", &dataset_code)?;
    Ok((app_code, dataset_code))
}

/// A request signer bound to one app and dataset.
#[derive(Clone, Debug)]
pub struct Signer {
    generator: TokenGenerator,
    app_code: String,
    dataset_code: String,
}

impl Signer {
    /// A signer for `app_code`/`dataset_code` with an existing generator.
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn with_generator(
        generator: TokenGenerator,
        app_code: impl Into<String>,
        dataset_code: impl Into<String>,
    ) -> Result<Self> {
        let (app_code, dataset_code) = codes(app_code.into(), dataset_code.into())?;
        Ok(Signer {
            generator,
            app_code,
            dataset_code,
        })
    }

    /// The app code.
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn app_code(&self) -> &str {
        &self.app_code
    }

    /// The dataset code.
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn dataset_code(&self) -> &str {
        &self.dataset_code
    }

    /// Signer for `app_code`/`dataset_code` with `access_key` and `secret_key`.
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn new(
        app_code: impl Into<String>,
        dataset_code: impl Into<String>,
        access_key: impl Into<Secret>,
        secret_key: impl Into<Secret>,
    ) -> Result<Self> {
        let (app_code, dataset_code) = codes(app_code.into(), dataset_code.into())?;
        Ok(Signer {
            generator: TokenGenerator::new(access_key, secret_key)?,
            app_code,
            dataset_code,
        })
    }

    /// The token at `timestamp_ms`.
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn token(&self, timestamp_ms: u64) -> Result<Token> {
        self.generator
            .generate(&self.app_code, &self.dataset_code, timestamp_ms)
    }

    /// The underlying generator (for batch tokens over other datasets).
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub fn generator(&self) -> &TokenGenerator {
        &self.generator
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_are_named() {
        assert_eq!(
            TokenGenerator::new("", "lovrabet").unwrap_err().field(),
            Some("access_key")
        );
        assert_eq!(
            TokenGenerator::new("ak", "").unwrap_err().field(),
            Some("secret_key")
        );
        let g = TokenGenerator::with_default_secret("ak").unwrap();
        // The full token and the headers alone name the same field.
        for (app, ds, field) in [
            ("", "ds", "app_code"),
            ("app", "", "dataset_code"),
            ("app", "d\ns", "dataset_code"),
        ] {
            let token = g.generate(app, ds, 1).unwrap_err();
            assert_eq!(token.field(), Some(field), "{app:?}/{ds:?}");
            let headers = g.generate_headers(app, ds, 1).unwrap_err();
            assert_eq!(headers.field(), Some(field), "headers {app:?}/{ds:?}");
        }
    }

    #[test]
    fn debug_hides_keys() {
        let g = TokenGenerator::new("ak-very-private&appCode=x", "sk-very-private").unwrap();
        let shown = format!("{g:?}");
        assert!(!shown.contains("very-private"), "{shown}");
        let token = g.generate("app", "ds", 1).unwrap();
        assert!(token.string_to_sign.contains("ak-very-private"));
        let shown = format!("{token:?}");
        assert!(!shown.contains("very-private"), "{shown}");
        assert!(
            shown.contains("accessKey=<redacted>&appCode=app"),
            "{shown}"
        );
        let sig = token.into_signature();
        assert!(sig.signed.contains("ak-very-private"), "signed stays exact");
        // An access key containing "&appCode=" is still redacted whole.
        assert_eq!(
            sig.signed_redacted(),
            "accessKey=<redacted>&appCode=app&datasetCode=ds&timeStamp=1"
        );
        assert!(!format!("{sig:?}").contains("very-private"));
    }

    #[test]
    fn headers_only_match_the_full_token() {
        let g = TokenGenerator::new("your-access-key", "lovrabet").unwrap();
        for (app, ds, ts) in [
            (
                "app-c2dd52a2",
                "0fefba76fe29440194841f4825df53ff",
                1_758_903_130_713,
            ),
            ("a", "\u{e9}t\u{e9}", 0),
            ("app", "x".repeat(100).as_str(), u64::MAX),
        ] {
            let full = g.generate(app, ds, ts).unwrap().into_signature();
            assert_eq!(g.generate_headers(app, ds, ts).unwrap(), full.headers);
        }
    }

    #[test]
    fn batch_keeps_order_and_rejects_duplicate_names() {
        let g = TokenGenerator::with_default_secret("ak").unwrap();
        let b = g
            .generate_batch(
                "app",
                &[("users", "ds-1"), ("orders", "ds-2")],
                1_700_000_000_000,
            )
            .unwrap();
        assert_eq!(b[0].0, "users");
        assert_eq!(b[1].1.dataset_code, "ds-2");
        assert_eq!(
            b[0].1,
            g.generate("app", "ds-1", 1_700_000_000_000).unwrap()
        );
        assert_ne!(b[0].1.token, b[1].1.token);
        let e = g
            .generate_batch("app", &[("u", "a"), ("u", "b")], 1)
            .unwrap_err();
        assert!(e.to_string().contains("twice"));
    }
}

/// Tokens are valid for 600 000 ms from their timestamp.
pub const TOKEN_LIFETIME_MS: u64 = 600_000;

/// The platform SDK's default refresh buffer: one minute.
pub const DEFAULT_BUFFER_MS: u64 = 60_000;

impl TokenLifetime {
    /// A lovrabet token signed at `timestamp_ms`.
    ///
    /// See the example in [the module docs](crate::lovrabet).
    pub const fn lovrabet(timestamp_ms: u64) -> Self {
        TokenLifetime {
            issued_at_ms: timestamp_ms,
            lifetime_ms: Some(TOKEN_LIFETIME_MS),
        }
    }
}

#[cfg(test)]
mod lifetime_tests {
    use super::*;

    #[test]
    fn lovrabet_lifetime_matches_spec() {
        let t = TokenLifetime::lovrabet(1_700_000_000_000);
        assert_eq!(t.expires_at_ms(), Some(1_700_000_600_000));
        assert_eq!(t.remaining_ms(1_700_000_540_000), Some(60_000));
        assert!(!t.is_expiring(60_000, 1_700_000_540_000));
        assert!(t.is_expiring(60_000, 1_700_000_540_001));
        assert!(!t.is_expired(1_700_000_599_999));
        assert!(t.is_expired(1_700_000_600_000));
        // a clock before the timestamp: the full lifetime and a bit remain
        assert_eq!(t.remaining_ms(1_699_999_999_000), Some(601_000));
    }
}
