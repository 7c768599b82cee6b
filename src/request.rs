//! The request as it will be sent, and the signing instructions that come back.

use crate::encode::url::{scan_url, UrlScan};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::{check_size, MAX_URL_LEN};
use crate::signature::Signature;

/// An HTTP request exactly as it will go on the wire.
///
/// `url` is the request target: a path with its raw query (`/api/device?pageSize=20`), or an
/// absolute `http(s)://host/path?query` URL whose scheme and authority are ignored. A
/// `#fragment` is never sent, so it is dropped. `body` is the exact bytes sent.
///
/// ```
/// use apisign::{Request, SignOptions, Target};
///
/// let extra = [("Accept", "application/json")];
/// let request = Request::new("POST", "https://api.example.com/api/device?pageSize=20#top")
///     .with_body(b"name=sensor-1")
///     .with_content_type("application/x-www-form-urlencoded")
///     .with_headers(&extra);
/// // Scheme and host are not signed; the fragment is never sent.
/// let target = request.target()?;
/// assert_eq!((target.path, target.query), ("/api/device", "pageSize=20"));
/// assert_eq!(Target::parse("/api/device")?, Target { path: "/api/device", query: "" });
/// assert_eq!(request.content_type, Some("application/x-www-form-urlencoded"));
///
/// // A fixed timestamp and nonce make a signature reproducible; `headers_only` skips the
/// // signed string when only the headers are sent.
/// let options = SignOptions::at(1574993804802).with_nonce("5f2a").headers_only();
/// assert_eq!((options.timestamp, options.nonce, options.headers_only), (Some(1574993804802), Some("5f2a"), true));
/// # Ok::<(), apisign::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Request<'a> {
    /// HTTP method (`GET`, `post`…); schemes that sign it upper-case it.
    pub method: &'a str,
    /// Request target: path plus raw query, or an absolute http(s) URL.
    pub url: &'a str,
    /// The exact body bytes.
    pub body: &'a [u8],
    /// The `Content-Type` header, when one is sent.
    pub content_type: Option<&'a str>,
    /// Other headers the request is sent with, `(name, value)`. No scheme signs them today; a
    /// scheme that signs headers reads them here.
    pub headers: &'a [(&'a str, &'a str)],
}

impl<'a> Request<'a> {
    /// A request without body.
    ///
    /// See the example on [`Request`].
    pub fn new(method: &'a str, url: &'a str) -> Self {
        Request {
            method,
            url,
            body: b"",
            content_type: None,
            headers: &[],
        }
    }

    /// The same request with these other headers.
    ///
    /// See the example on [`Request`].
    pub fn with_headers(mut self, headers: &'a [(&'a str, &'a str)]) -> Self {
        self.headers = headers;
        self
    }

    /// The same request with `body`.
    ///
    /// See the example on [`Request`].
    pub fn with_body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self
    }

    /// The same request with a `Content-Type`.
    ///
    /// See the example on [`Request`].
    pub fn with_content_type(mut self, content_type: &'a str) -> Self {
        self.content_type = Some(content_type);
        self
    }

    /// Split the URL into its raw path and raw query.
    ///
    /// See the example on [`Request`].
    pub fn target(&self) -> Result<Target<'a>> {
        Target::parse(self.url)
    }

    /// Whether the method is `name`, ignoring ASCII case.
    pub(crate) fn method_is(&self, name: &str) -> bool {
        self.method.eq_ignore_ascii_case(name)
    }

    /// Reject methods that are not HTTP tokens (empty, spaces, control characters).
    pub(crate) fn check_method(&self) -> Result<()> {
        let ok = !self.method.is_empty()
            && self
                .method
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if ok {
            Ok(())
        } else {
            Err(Error::invalid(
                "method",
                format!(
                    "{:?} is not an HTTP method; use e.g. GET or POST",
                    self.method
                ),
            ))
        }
    }
}

/// A request target split into its raw (still percent-encoded) parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target<'a> {
    /// Raw path, starting with `/`.
    pub path: &'a str,
    /// Raw query without the `?`; empty when there is none.
    pub query: &'a str,
}

impl<'a> Target<'a> {
    /// Split `url` (see [`Request::url`]).
    ///
    /// See the example on [`Request`].
    pub fn parse(url: &'a str) -> Result<Target<'a>> {
        check_size("url", "url", url.len(), MAX_URL_LEN)?;
        let bytes = url.as_bytes();
        let UrlScan {
            question,
            hash,
            bad,
        } = scan_url(bytes);
        if let Some(b) = bad {
            return Err(Error::new(
                ErrorKind::InvalidUrl,
                format!("contains byte 0x{b:02x}; spaces and control characters must be percent-encoded"),
            )
            .with_field("url"));
        }
        let without_fragment = &url[..hash.unwrap_or(url.len())];
        let rest = strip_origin(without_fragment)?;
        let (path, query) = match question {
            // `rest` is a suffix of `without_fragment`, so shift the index.
            Some(q) => {
                let q = q - (without_fragment.len() - rest.len());
                (&rest[..q], &rest[q + 1..])
            }
            None => (rest, ""),
        };
        let path = if path.is_empty() && rest.len() != without_fragment.len() {
            // "https://host" or "https://host?q": the path is "/".
            "/"
        } else {
            path
        };
        if !path.starts_with('/') {
            return Err(Error::new(
                ErrorKind::InvalidUrl,
                format!(
                    "{url:?} is neither a path starting with '/' nor an absolute http(s) URL; \
                     pass e.g. /api/device?pageSize=20"
                ),
            )
            .with_field("url"));
        }
        Ok(Target { path, query })
    }
}

/// Strip `http://host[:port]` / `https://…` (any case); a relative target is returned as is.
fn strip_origin(url: &str) -> Result<&str> {
    // The common case, a path, needs no prefix comparison.
    if url.starts_with('/') {
        return Ok(url);
    }
    let lower_prefix = |p: &str| {
        url.len() >= p.len() && url.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    };
    let after_scheme = if lower_prefix("https://") {
        &url[8..]
    } else if lower_prefix("http://") {
        &url[7..]
    } else {
        return Ok(url);
    };
    let end = after_scheme.find(['/', '?']).unwrap_or(after_scheme.len());
    if end == 0 {
        return Err(
            Error::new(ErrorKind::InvalidUrl, format!("{url:?} has no host")).with_field("url"),
        );
    }
    let rest = &after_scheme[end..];
    // Marker so the caller can tell "origin stripped" from "relative": rest is a sub-slice
    // strictly shorter than url.
    Ok(rest)
}

/// Explicit timestamp and nonce; `None` means "use the clock / the CSPRNG".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SignOptions<'a> {
    /// Timestamp in milliseconds since the epoch, for every scheme (a scheme that sends
    /// seconds floors it).
    pub timestamp: Option<u64>,
    /// Nonce (for schemes that send one; ignored by the others).
    pub nonce: Option<&'a str>,
    /// Only the headers are needed: the signed string is left empty, which spares building
    /// it where the scheme can (the bindings' fast path).
    pub headers_only: bool,
}

impl<'a> SignOptions<'a> {
    /// Fixed timestamp, random nonce.
    ///
    /// See the example on [`Request`].
    pub fn at(timestamp: u64) -> Self {
        SignOptions {
            timestamp: Some(timestamp),
            nonce: None,
            headers_only: false,
        }
    }

    /// The same options asking for the headers only.
    ///
    /// See the example on [`Request`].
    pub fn headers_only(mut self) -> Self {
        self.headers_only = true;
        self
    }

    /// The same options with a fixed nonce.
    ///
    /// See the example on [`Request`].
    pub fn with_nonce(mut self, nonce: &'a str) -> Self {
        self.nonce = Some(nonce);
        self
    }
}

/// Anything that signs a request: every scheme's signer and the generic
/// [`Signer`](crate::scheme::Signer) (through [`SchemeSigner`](crate::scheme::SchemeSigner)).
pub trait RequestSigner {
    /// Sign `request`, returning the headers to add and the intermediate string.
    ///
    /// See the example on [`Signer`](crate::Signer).
    fn sign_request(&self, request: &Request<'_>, options: &SignOptions<'_>) -> Result<Signature>;
}

impl<T: crate::scheme::SchemeSigner + ?Sized> RequestSigner for T {
    fn sign_request(&self, request: &Request<'_>, options: &SignOptions<'_>) -> Result<Signature> {
        self.sign(request, options)
    }
}

/// Reject header values that would break the header line or that HTTP forbids.
pub(crate) fn check_header_value(field: &'static str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    // Hot path: a branch-free scan the compiler vectorizes; ASCII controls and DEL are what
    // break or smuggle header lines. The offending byte is looked up only on error.
    let bad = |b: u8| b < 0x20 || b == 0x7f;
    if value.bytes().fold(false, |acc, b| acc | bad(b)) {
        let b = value.bytes().find(|&b| bad(b)).unwrap_or_default();
        return Err(Error::invalid(
            field,
            format!(
                "contains control character 0x{b:02x}; it is sent in a header, where CR/LF would split the line"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paths_and_absolute_urls() {
        let t = Target::parse("/api/device?pageSize=20&x=1#frag").unwrap();
        assert_eq!((t.path, t.query), ("/api/device", "pageSize=20&x=1"));
        let t = Target::parse("HTTPS://example.com:8443/a/b?q=1").unwrap();
        assert_eq!((t.path, t.query), ("/a/b", "q=1"));
        let t = Target::parse("http://example.com").unwrap();
        assert_eq!((t.path, t.query), ("/", ""));
        let t = Target::parse("http://example.com?x=1").unwrap();
        assert_eq!((t.path, t.query), ("/", "x=1"));
        let t = Target::parse("/p?").unwrap();
        assert_eq!((t.path, t.query), ("/p", ""));
    }

    #[test]
    fn rejects_relative_and_dirty_urls() {
        assert_eq!(
            Target::parse("api/device").unwrap_err().kind(),
            ErrorKind::InvalidUrl
        );
        assert_eq!(Target::parse("").unwrap_err().kind(), ErrorKind::InvalidUrl);
        assert_eq!(
            Target::parse("/a b").unwrap_err().kind(),
            ErrorKind::InvalidUrl
        );
        assert_eq!(
            Target::parse("/a\r\nX: y").unwrap_err().kind(),
            ErrorKind::InvalidUrl
        );
        assert_eq!(
            Target::parse("https:///x").unwrap_err().kind(),
            ErrorKind::InvalidUrl
        );
        let long = format!("/{}", "a".repeat(MAX_URL_LEN));
        assert_eq!(
            Target::parse(&long).unwrap_err().kind(),
            ErrorKind::InputTooLarge
        );
    }

    #[test]
    fn header_values_reject_control_characters() {
        assert!(check_header_value("app_code", "app-1").is_ok());
        assert_eq!(
            check_header_value("app_code", "").unwrap_err().field(),
            Some("app_code")
        );
        assert!(check_header_value("app_code", "a\r\nInjected: 1").is_err());
    }

    #[test]
    fn methods_must_be_tokens() {
        assert!(Request::new("PATCH", "/").check_method().is_ok());
        assert!(Request::new("", "/").check_method().is_err());
        assert!(Request::new("GET /x", "/").check_method().is_err());
    }
}
