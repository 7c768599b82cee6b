//! Server-side verification: given a request as received, decide whether it is authentic.
//!
//! Each scheme's verifier (in its folder under `src/schemes/`, or the generic
//! [`crate::Verifier`] built by scheme id) looks the caller up in a [`CredentialStore`], checks
//! the timestamp against a [`Window`], recomputes the signature with the signer's own functions
//! (so signing and verifying cannot drift) and compares it in constant time. Schemes with
//! nonces then record the nonce in a [`NonceStore`] — only after the signature passed, so
//! unauthenticated traffic can never write to it.
//!
//! Every verifier takes an explicit `now` in milliseconds since the epoch (a scheme whose
//! header carries seconds floors it); `verify_now` reads the clock. Failures are [`Error`]s of
//! a rejection kind ([`ErrorKind::is_rejection`]) that carry the platform's own code
//! ([`Error::platform_code`]). Messages never contain a secret or the expected signature.

pub mod credentials;
pub mod ip;
pub mod nonce;
#[cfg(feature = "redis")]
pub mod redis_cluster;
#[cfg(feature = "redis")]
pub mod redis_store;
mod replay_window;
mod typed;

pub(crate) use replay_window::ReplayWindow;
pub(crate) use typed::{nonce_ttl_methods, typed_verifier, windowed_verifier};

pub use credentials::{Credential, CredentialStore, InMemoryCredentials, ALLOWED_IPS};
pub use ip::{client_ip, IpAllowList, IpNet};
pub use nonce::{InMemoryNonceStore, NonceStore};
#[cfg(feature = "redis")]
pub use redis_cluster::RedisClusterNonceStore;
#[cfg(feature = "redis")]
pub use redis_store::RedisNonceStore;

use crate::error::{Error, ErrorKind, Result};
use crate::limits::{check_size, MAX_HEADERS, MAX_HEADER_VALUE, MAX_NONCE_LEN};
use crate::request::Request;

/// A request as the server received it: method, request target (path and raw query, or an
/// absolute URL), headers (names compared ASCII case-insensitively) and the exact body bytes.
///
/// ```
/// use apisign::verify::{check_nonce_ttl, Window};
/// use apisign::{ErrorKind, IncomingRequest};
///
/// let request = IncomingRequest::new("POST", "/api/device")
///     .header("x-timestamp", " 1574993804802 ")
///     .with_body(br#"{"name":"sensor-1"}"#)
///     .from_ip("203.0.113.9".parse().unwrap());
/// // Header names are matched without regard to case, values are trimmed.
/// assert_eq!(request.get("X-Timestamp")?, Some("1574993804802"));
/// assert_eq!(request.get("X-Nonce")?, None);
/// assert_eq!(request.require("X-Nonce").unwrap_err().kind(), ErrorKind::MissingAuth);
/// assert_eq!(request.as_request()?.body, br#"{"name":"sensor-1"}"#);
///
/// // ±5 minutes: a timestamp 301 s old is refused, with a message saying what to do.
/// let window = Window::symmetric(300_000);
/// window.check("X-Timestamp", 1574993804802, 1574993804802 + 300_000, "ms")?;
/// let late = window.check("X-Timestamp", 1574993804802, 1574993804802 + 301_000, "ms").unwrap_err();
/// assert_eq!((late.kind(), late.field()), (ErrorKind::TimestampOutOfWindow, Some("X-Timestamp")));
/// // Nonces must outlive the window: 601 s for ±300 s.
/// assert_eq!(window.min_nonce_ttl_secs(1000), 601);
/// check_nonce_ttl(window, 601)?;
/// assert_eq!(check_nonce_ttl(window, 600).unwrap_err().kind(), ErrorKind::InvalidInput);
/// # Ok::<(), apisign::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncomingRequest<'a> {
    /// HTTP method as received.
    pub method: &'a str,
    /// Request target as received (`/path?raw=query` or `https://host/path?…`).
    pub url: &'a str,
    /// Headers in arrival order, `(name, value)`.
    pub headers: Vec<(&'a str, &'a str)>,
    /// The exact body bytes.
    pub body: &'a [u8],
    /// The client's address (the connection's, or from a forwarded header behind trusted
    /// proxies: [`client_ip`]). A credential with an address allow-list refuses the request
    /// when this is `None`.
    pub client_ip: Option<std::net::IpAddr>,
}

impl<'a> IncomingRequest<'a> {
    /// A request without headers or body.
    ///
    /// See the example on [`IncomingRequest`].
    pub fn new(method: &'a str, url: &'a str) -> Self {
        IncomingRequest {
            method,
            url,
            headers: Vec::new(),
            body: b"",
            client_ip: None,
        }
    }

    /// The same request with one more header.
    ///
    /// See the example on [`IncomingRequest`].
    pub fn header(mut self, name: &'a str, value: &'a str) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The same request from `ip`.
    ///
    /// See the example on [`IncomingRequest`].
    pub fn from_ip(mut self, ip: std::net::IpAddr) -> Self {
        self.client_ip = Some(ip);
        self
    }

    /// The same request with `body`.
    ///
    /// See the example on [`IncomingRequest`].
    pub fn with_body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self
    }

    /// The value of header `name` (ASCII case-insensitive), optional whitespace trimmed.
    /// `Ok(None)` when absent or empty. A header sent twice with different values is an error:
    /// a proxy and this verifier could otherwise read different copies.
    ///
    /// See the example on [`IncomingRequest`].
    pub fn get(&self, name: &'static str) -> Result<Option<&'a str>> {
        if self.headers.len() > MAX_HEADERS {
            return Err(Error::new(
                ErrorKind::InputTooLarge,
                format!(
                    "request has {} headers; at most {MAX_HEADERS} are read",
                    self.headers.len()
                ),
            )
            .with_field("headers"));
        }
        let mut found: Option<&'a str> = None;
        for (n, v) in &self.headers {
            if !n.eq_ignore_ascii_case(name) {
                continue;
            }
            check_size(name, "header value", v.len(), MAX_HEADER_VALUE)?;
            let v = v.trim_matches([' ', '\t']);
            match found {
                Some(prev) if prev != v => {
                    return Err(Error::new(
                        ErrorKind::MalformedAuth,
                        "header is sent twice with different values; send it once",
                    )
                    .with_field(name))
                }
                _ => found = Some(v),
            }
        }
        Ok(found.filter(|v| !v.is_empty()))
    }

    /// Like [`IncomingRequest::get`], but absence is a [`ErrorKind::MissingAuth`] error, and a
    /// value with control characters is [`ErrorKind::MalformedAuth`].
    ///
    /// See the example on [`IncomingRequest`].
    pub fn require(&self, name: &'static str) -> Result<&'a str> {
        let v = self.get(name)?.ok_or_else(|| {
            Error::new(ErrorKind::MissingAuth, "header is missing or empty").with_field(name)
        })?;
        if v.chars().any(char::is_control) {
            return Err(Error::new(
                ErrorKind::MalformedAuth,
                "header contains control characters",
            )
            .with_field(name));
        }
        Ok(v)
    }

    /// The signing view of this request (method, URL, body, `Content-Type`, headers).
    ///
    /// See the example on [`IncomingRequest`].
    pub fn as_request(&self) -> Result<Request<'_>> {
        Ok(Request {
            method: self.method,
            url: self.url,
            body: self.body,
            content_type: self.get("Content-Type")?,
            headers: &self.headers,
        })
    }
}

/// How far a timestamp may lie behind and ahead of `now`: milliseconds for every verifier
/// (`check` itself works in any unit, named in its messages); both bounds
/// are inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    /// Largest accepted `now - timestamp`.
    pub max_age: u64,
    /// Largest accepted `timestamp - now` (clock skew of the caller).
    pub max_ahead: u64,
}

impl Window {
    /// The same bound on both sides.
    ///
    /// See the example on [`IncomingRequest`].
    pub const fn symmetric(bound: u64) -> Self {
        Window {
            max_age: bound,
            max_ahead: bound,
        }
    }

    /// The shortest nonce time to live, in whole seconds, that keeps a nonce recorded when its
    /// request was first accepted until its timestamp has left this window (in units of
    /// `units_per_sec`: 1 for seconds, 1000 for ms). Exact, edges included:
    /// - a timestamp `ts` is accepted for every `now` in `[ts - max_ahead, ts + max_age]`, so
    ///   a first and a replayed acceptance lie up to `W = max_age + max_ahead` units apart;
    /// - stores are given `now` in whole seconds (ms floored), and two instants `W` ms apart
    ///   can lie `ceil(W / 1000)` whole seconds apart;
    /// - a store keeps a nonce recorded at second `s` with TTL `t` live up to `s + t - 1`
    ///   ([`InMemoryNonceStore`] evicts at `s + t`; Redis `EX t` keeps it `t` seconds by its
    ///   own clock, end included).
    ///
    /// Hence `ceil(W / units_per_sec) + 1`: 601 s for a ±300 s window, 1201 s for
    /// ±600 000 ms. Several servers sharing a store must have synchronised clocks
    /// (their skew adds to `W`).
    ///
    /// See the example on [`IncomingRequest`].
    pub fn min_nonce_ttl_secs(&self, units_per_sec: u64) -> u64 {
        self.max_age
            .saturating_add(self.max_ahead)
            .div_ceil(units_per_sec.max(1))
            .saturating_add(1)
    }

    /// Accept `timestamp` at `now`, or explain which bound it breaks. `unit` is "ms" or "s".
    ///
    /// See the example on [`IncomingRequest`].
    pub fn check(&self, field: &'static str, timestamp: u64, now: u64, unit: &str) -> Result<()> {
        let out =
            |msg: String| Err(Error::new(ErrorKind::TimestampOutOfWindow, msg).with_field(field));
        if now >= timestamp {
            let age = now - timestamp;
            if age > self.max_age {
                return out(format!(
                    "timestamp is {age} {unit} old; at most {} {unit} is accepted — sign again with the current time",
                    self.max_age
                ));
            }
        } else {
            let ahead = timestamp - now;
            if ahead > self.max_ahead {
                return out(format!(
                    "timestamp is {ahead} {unit} in the future; at most {} {unit} of clock skew is accepted — check the client's clock",
                    self.max_ahead
                ));
            }
        }
        Ok(())
    }
}

/// Who sent an authentic request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The scheme that proved the caller. Ids are per scheme: on a server accepting several
    /// platforms, one id may name different callers, so authorize on `(scheme, caller)`.
    pub scheme: crate::schemes::SchemeId,
    /// The authenticated identity: the caller's app code, client id, app id or key id.
    pub caller: String,
    /// The scope (dataset) the signature is bound to, for schemes that have one.
    pub dataset: Option<String>,
    /// The signed timestamp, in milliseconds for every scheme (a header in seconds × 1000).
    pub timestamp: u64,
    /// The nonce, for schemes that send one.
    pub nonce: Option<String>,
}

/// Refuse a nonce TTL under which a nonce could be forgotten while its timestamp is still
/// inside `window` (milliseconds): it must be at least [`Window::min_nonce_ttl_secs`].
///
/// See the example on [`IncomingRequest`].
pub fn check_nonce_ttl(window: Window, secs: u64) -> Result<()> {
    let min = window.min_nonce_ttl_secs(1000);
    if secs >= min {
        return Ok(());
    }
    Err(Error::invalid(
        "nonce_ttl",
        format!(
            "{secs} s is too short for a window of {} ms back and {} ms ahead: a nonce must be kept at least {min} s (the window's width + 1 s) or a request can be replayed once its nonce is forgotten; raise it or leave it unset (it is then derived from the window)",
            window.max_age, window.max_ahead
        ),
    ))
}

/// The caller `id` of `scheme` with its key object `K`, or [`ErrorKind::UnknownCaller`] on
/// `field` saying `message`. One lookup for every verifier: a credential without a key of the
/// scheme's type is as unknown as a missing one.
pub(crate) fn lookup_caller<K: std::any::Any + Send + Sync>(
    store: &dyn CredentialStore,
    scheme: crate::schemes::SchemeId,
    id: &str,
    field: &'static str,
    message: &'static str,
) -> Result<(std::sync::Arc<Credential>, std::sync::Arc<K>)> {
    store
        .credential(scheme, id)
        .and_then(|c| c.key::<K>().map(|k| (c, k)))
        .ok_or_else(|| Error::new(ErrorKind::UnknownCaller, message).with_field(field))
}

/// Parse a timestamp header: 1–19 ASCII digits (no sign, no spaces).
pub(crate) fn parse_timestamp(field: &'static str, value: &str) -> Result<u64> {
    let ok = !value.is_empty() && value.len() <= 19 && value.bytes().all(|b| b.is_ascii_digit());
    let parsed = if ok { value.parse::<u64>().ok() } else { None };
    parsed.ok_or_else(|| {
        Error::new(
            ErrorKind::MalformedAuth,
            "timestamp must be a decimal integer (digits only)",
        )
        .with_field(field)
    })
}

/// Check a nonce's length against `[min, MAX_NONCE_LEN]`.
pub(crate) fn check_nonce(field: &'static str, nonce: &str, min: usize) -> Result<()> {
    let n = nonce.chars().count();
    if n < min || nonce.len() > MAX_NONCE_LEN {
        return Err(Error::new(
            ErrorKind::MalformedAuth,
            format!(
                "nonce is {n} characters; between {min} characters and {MAX_NONCE_LEN} bytes are accepted"
            ),
        )
        .with_field(field));
    }
    Ok(())
}

/// The replay-store key for `nonce` of `caller` under `scheme`. Length-prefixing the caller
/// keeps the key unambiguous whatever characters the ids contain.
pub(crate) fn replay_key(scheme: &str, caller: &str, nonce: &str) -> String {
    format!("{scheme}:{}:{caller}:{nonce}", caller.len())
}

/// After a scheme's own checks: `verified`, unless its caller's credential has an allow-list
/// (any) that does not hold the request's address — [`ErrorKind::IpNotAllowed`] with the
/// platform's code. Every verifying entry point ends with this, so no binding can skip it.
pub(crate) fn caller_allowed(
    credentials: &dyn CredentialStore,
    spec: &crate::scheme::SchemeSpec,
    request: &IncomingRequest<'_>,
    verified: Verified,
) -> Result<Verified> {
    let credential = credentials
        .credential(spec.id, &verified.caller)
        // Removed between the scheme's lookup and this one.
        .ok_or_else(|| Error::new(ErrorKind::UnknownCaller, "the caller was just removed"))
        .map_err(|e| with_code(e, spec))?;
    credential
        .check_ip(request.client_ip)
        .map_err(|e| with_code(e, spec))?;
    Ok(verified)
}

/// Attach the platform's code and HTTP status of `spec` to an error that has no platform code
/// yet (an error from a nested step keeps the code it was given).
pub(crate) fn with_code(e: Error, spec: &crate::scheme::SchemeSpec) -> Error {
    if e.platform_code().is_some() {
        return e;
    }
    let code = (spec.platform_code)(e.kind(), e.field());
    let status = (spec.http_status)(e.kind(), code);
    let e = match code {
        Some(c) => e.with_platform_code(c),
        None => e,
    };
    match status {
        Some(s) => e.with_http_status(s),
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_case_insensitive_trimmed_and_unambiguous() {
        let r = IncomingRequest::new("GET", "/")
            .header("x-app-id", " app \t")
            .header("X-Nonce", "")
            .header("X-Sign", "a")
            .header("x-sign", "b");
        assert_eq!(r.get("X-App-Id").unwrap(), Some("app"));
        assert_eq!(r.get("X-Nonce").unwrap(), None);
        assert_eq!(
            r.require("X-Nonce").unwrap_err().kind(),
            ErrorKind::MissingAuth
        );
        assert_eq!(r.require("X-Nonce").unwrap_err().field(), Some("X-Nonce"));
        assert_eq!(
            r.get("X-Sign").unwrap_err().kind(),
            ErrorKind::MalformedAuth
        );
        let same = IncomingRequest::new("GET", "/")
            .header("X-Sign", "a")
            .header("x-sign", "a");
        assert_eq!(same.get("X-Sign").unwrap(), Some("a"));
        let ctl = IncomingRequest::new("GET", "/").header("X-Sign", "a\u{7f}b");
        assert_eq!(
            ctl.require("X-Sign").unwrap_err().kind(),
            ErrorKind::MalformedAuth
        );
    }

    #[test]
    fn oversized_headers_are_refused() {
        let big = "a".repeat(MAX_HEADER_VALUE + 1);
        let r = IncomingRequest::new("GET", "/").header("X-Sign", &big);
        assert_eq!(
            r.get("X-Sign").unwrap_err().kind(),
            ErrorKind::InputTooLarge
        );
        let mut many = IncomingRequest::new("GET", "/");
        for _ in 0..=MAX_HEADERS {
            many = many.header("X-Other", "1");
        }
        assert_eq!(
            many.get("X-Sign").unwrap_err().kind(),
            ErrorKind::InputTooLarge
        );
    }

    #[test]
    fn window_bounds_are_inclusive() {
        let w = Window {
            max_age: 300,
            max_ahead: 60,
        };
        assert!(w.check("t", 700, 1000, "s").is_ok());
        assert!(w.check("t", 699, 1000, "s").is_err());
        assert!(w.check("t", 1060, 1000, "s").is_ok());
        let e = w.check("t", 1061, 1000, "s").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TimestampOutOfWindow);
        assert!(e.to_string().contains("future"), "{e}");
        assert!(w.check("t", 0, u64::MAX, "s").is_err());
        assert!(w.check("t", u64::MAX, 0, "s").is_err());
    }

    #[test]
    fn timestamps_are_plain_digits() {
        assert_eq!(parse_timestamp("t", "1705478400").unwrap(), 1705478400);
        for bad in [
            "",
            "-1",
            "+1",
            "1.5",
            "1e3",
            "99999999999999999999",
            " 1",
            "0x10",
        ] {
            assert_eq!(
                parse_timestamp("t", bad).unwrap_err().kind(),
                ErrorKind::MalformedAuth,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn replay_keys_do_not_collide_across_id_boundaries() {
        assert_ne!(replay_key("p", "a:b", "c"), replay_key("p", "a", "b:c"));
        assert_ne!(replay_key("p", "a", "n"), replay_key("q", "a", "n"));
    }

    #[test]
    fn nonce_length_bounds() {
        assert!(check_nonce("n", "abcdefghijkl", 12).is_ok());
        assert!(check_nonce("n", "abcdefghijk", 12).is_err());
        assert!(check_nonce("n", &"a".repeat(MAX_NONCE_LEN), 1).is_ok());
        assert!(check_nonce("n", &"a".repeat(MAX_NONCE_LEN + 1), 1).is_err());
    }
}
