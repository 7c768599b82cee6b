//! Signing instructions: the headers to add and the intermediate string that was signed.
//!
//! Header values live inline (up to 64 bytes: every timestamp, nonce, hex or base64 digest and
//! typical id) and at most four headers are ever added, so a signature costs no heap
//! allocation beyond the intermediate string itself.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::{Deref, Range};

use arrayvec::{ArrayString, ArrayVec};
use zeroize::Zeroize;

/// Most headers any scheme adds.
pub const MAX_HEADERS: usize = 4;

/// Header values up to this many bytes are stored inline.
pub const INLINE_VALUE_LEN: usize = 64;

/// A header value: a string stored inline when short, on the heap otherwise.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HeaderValue(Repr);

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Repr {
    Inline(ArrayString<INLINE_VALUE_LEN>),
    Heap(Box<str>),
}

impl HeaderValue {
    /// A value holding `s`.
    ///
    /// See the example on [`Signature`].
    pub fn new(s: &str) -> Self {
        match ArrayString::from(s) {
            Ok(a) => HeaderValue(Repr::Inline(a)),
            Err(_) => HeaderValue(Repr::Heap(s.into())),
        }
    }

    /// The value as text.
    ///
    /// See the example on [`Signature`].
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline(a) => a.as_str(),
            Repr::Heap(b) => b,
        }
    }
}

impl Deref for HeaderValue {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for HeaderValue {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for HeaderValue {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for HeaderValue {
    fn from(s: &str) -> Self {
        HeaderValue::new(s)
    }
}

impl From<String> for HeaderValue {
    fn from(s: String) -> Self {
        if s.len() <= INLINE_VALUE_LEN {
            HeaderValue::new(&s)
        } else {
            HeaderValue(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl From<HeaderValue> for String {
    fn from(v: HeaderValue) -> String {
        v.as_str().to_owned()
    }
}

impl PartialEq<str> for HeaderValue {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for HeaderValue {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for HeaderValue {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl fmt::Display for HeaderValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for HeaderValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// One header to add to the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Header name, exactly as the platform documents it.
    pub name: &'static str,
    /// Header value.
    pub value: HeaderValue,
}

impl Header {
    /// A header `name: value`.
    ///
    /// See the example on [`Signature`].
    pub fn new(name: &'static str, value: impl Into<HeaderValue>) -> Self {
        Header {
            name,
            value: value.into(),
        }
    }
}

/// The headers of one signature (at most [`MAX_HEADERS`]); dereferences to `[Header]`.
pub type Headers = ArrayVec<Header, MAX_HEADERS>;

/// Signing instructions: the headers to add, in order, and the intermediate string that was
/// signed (string-to-sign, signed params, canonical request or JSON message).
///
/// `signed` is exact, for comparison with what a server logs. It can hold secret material
/// (a string to sign may carry a secret, e.g. an access key): print [`Signature::signed_redacted`],
/// never `signed`; `Debug` redacts too.
///
/// ```
/// use apisign::{Header, HeaderValue, Headers, Signature};
///
/// let mut headers = Headers::new();
/// headers.push(Header::new("X-Timestamp", "1574993804802"));
/// headers.push(Header::new("X-Sign", HeaderValue::new("837fe7fa29e7a5e4852d447578269523")));
/// let sig = Signature::new(headers, "pageIndex=0&pageSize=20".to_owned());
/// // Header names are matched without regard to case.
/// assert_eq!(sig.header("x-sign"), Some("837fe7fa29e7a5e4852d447578269523"));
/// assert_eq!(sig.headers[0].value.as_str(), "1574993804802");
/// assert_eq!(sig.header("X-Nonce"), None);
/// // Nothing in this signed string is secret, so the redacted form is the same.
/// assert_eq!(sig.signed_redacted(), "pageIndex=0&pageSize=20");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    /// Headers to add, in the order the platform documents them.
    pub headers: Headers,
    /// The intermediate string that was digested or signed (lossy UTF-8 where the signed bytes
    /// are not UTF-8, e.g. a binary body).
    pub signed: String,
    /// Parameters the request must also carry, `(name, value)`, in its query (or, where the
    /// scheme says so, its body), e.g. a signature version that sends `timestamp` and `nonce` as
    /// parameters. Empty for most schemes; a scheme that presigns URLs would put its signature here.
    pub params: Vec<(&'static str, String)>,
    /// Byte range of `signed` that is secret, if any.
    secret_span: Option<Range<usize>>,
}

impl Signature {
    /// Headers and the signed string, which holds no secret.
    ///
    /// See the example on [`Signature`].
    pub fn new(headers: Headers, signed: String) -> Self {
        Signature {
            headers,
            signed,
            params: Vec::new(),
            secret_span: None,
        }
    }

    /// Mark `span` of `signed` as secret (for redaction).
    pub(crate) fn with_secret_span(mut self, span: Range<usize>) -> Self {
        self.set_secret_span(span);
        self
    }

    /// Mark `span` of `signed` secret, in place.
    pub(crate) fn set_secret_span(&mut self, span: Range<usize>) {
        debug_assert!(self.signed.get(span.clone()).is_some());
        self.secret_span = Some(span);
    }

    /// The value of header `name` (ASCII case-insensitive).
    ///
    /// See the example on [`Signature`].
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// The byte range of [`Signature::signed`] that is secret (e.g. an access key inside the string to sign), for
    /// bindings that redact the signed string themselves; `None` when nothing in it is secret.
    #[doc(hidden)] // used by apisign-capi
    pub fn secret_span(&self) -> Option<Range<usize>> {
        self.secret_span.clone()
    }

    /// `signed` with any secret part replaced by `<redacted>`: safe to print or log.
    ///
    /// See the example on [`Signature`].
    pub fn signed_redacted(&self) -> Cow<'_, str> {
        match &self.secret_span {
            Some(span) if self.signed.get(span.clone()).is_some() => Cow::Owned(format!(
                "{}<redacted>{}",
                &self.signed[..span.start],
                &self.signed[span.end..]
            )),
            _ => Cow::Borrowed(&self.signed),
        }
    }
}

/// A secret inside a string to sign (an access key) is wiped: wipe it before the memory is
/// freed. Only the secret span is wiped (volatile writes are not free, and the rest is not
/// secret); signatures without one cost a single check.
impl Drop for Signature {
    fn drop(&mut self) {
        if let Some(span) = self.secret_span.take() {
            wipe_span(&mut self.signed, span);
        }
    }
}

/// Zeroize `span` of `text` (which is left empty).
pub(crate) fn wipe_span(text: &mut String, span: Range<usize>) {
    let mut bytes = std::mem::take(text).into_bytes();
    if let Some(secret) = bytes.get_mut(span) {
        secret.zeroize();
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("headers", &self.headers)
            .field("signed", &self.signed_redacted())
            .finish()
    }
}

/// Build a [`Headers`] list from up to four headers.
pub(crate) fn headers<const N: usize>(list: [Header; N]) -> Headers {
    const { assert!(N <= MAX_HEADERS) };
    list.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_inline_up_to_64_bytes_and_compare_as_text() {
        let short = HeaderValue::new("837fe7fa29e7a5e4852d447578269523");
        assert!(matches!(short.0, Repr::Inline(_)));
        let exact = HeaderValue::from("x".repeat(64));
        assert!(matches!(exact.0, Repr::Inline(_)));
        let long = HeaderValue::from("y".repeat(65));
        assert!(matches!(long.0, Repr::Heap(_)));
        assert_eq!(long.as_str(), "y".repeat(65));
        assert_eq!(short, "837fe7fa29e7a5e4852d447578269523");
        assert_eq!(format!("{short}"), "837fe7fa29e7a5e4852d447578269523");
        assert_eq!(String::from(short.clone()), short.as_str());
    }

    #[test]
    fn header_lookup_ignores_case_and_redaction_hides_the_span() {
        let sig = Signature::new(
            headers([Header::new("X-Sign", "abc")]),
            "k=secret&x=1".into(),
        )
        .with_secret_span(2..8);
        assert_eq!(sig.header("x-sign"), Some("abc"));
        assert_eq!(sig.header("X-Other"), None);
        assert_eq!(sig.signed_redacted(), "k=<redacted>&x=1");
        assert!(!format!("{sig:?}").contains("secret"));
    }
}
