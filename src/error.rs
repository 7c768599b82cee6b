//! One error type for every scheme and surface.
//!
//! `ErrorKind` is the stable part: its snake_case name (`ErrorKind::as_str`) is what the
//! conformance vectors, the CLI's `--json` output and the bindings' exception classes use, and
//! its numeric code (`ErrorKind::code`) is the C ABI result code. Codes are never reused: a
//! retired kind keeps its number forever.

use std::fmt;

/// The one list of error kinds: variant, C ABI code, stable name, whether it is a rejection,
/// and the HTTP status a server answers with unless the scheme says otherwise. Everything else
/// (the enum, [`ErrorKind::ALL`], `as_str`, `code`, `is_rejection`, `http_status`) is
/// generated from it; the C constants, Go sentinels and Python exception classes are checked
/// against it by tests.
macro_rules! error_kinds {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $name:literal, $class:ident, $status:literal;)*) => {
        /// What went wrong, as a stable category.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ErrorKind {
            /// Every kind, in code order (for bindings that mirror the list).
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant,)*];

            /// Stable snake_case name, as used by the vectors and the CLI.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => $name,)*
                }
            }

            /// Stable numeric code (the C ABI result code). 0 is success and never an error;
            /// input kinds are 1xxx, verification kinds 2xxx.
            pub const fn code(self) -> u32 {
                match self {
                    $(ErrorKind::$variant => $code,)*
                }
            }

            /// Whether this kind means "the request was checked and is not authentic or not
            /// acceptable" (as opposed to malformed input or an internal failure). The CLI's
            /// `verify` exits 1 for these.
            pub const fn is_rejection(self) -> bool {
                match self {
                    $(ErrorKind::$variant => error_kinds!(@rejection $class),)*
                }
            }

            /// The HTTP status a server answers an error of this kind with, before any scheme
            /// override ([`Error::http_status`] has the final one): 400 for malformed input,
            /// 413 for a size limit, 500 for internal failures, 503 for an unusable nonce
            /// store, 401 or 403 for rejections.
            pub const fn http_status(self) -> u16 {
                match self {
                    $(ErrorKind::$variant => $status,)*
                }
            }
        }
    };
    (@rejection rejection) => { true };
    (@rejection failure) => { false };
}

error_kinds! {
    /// A caller-supplied value is missing or malformed; `Error::field` names it.
    InvalidInput = 1000, "invalid_input", failure, 400;
    /// A query or form key whose first occurrence has no `=` (`?flag`; `?flag=1&flag` is fine):
    /// the Spring server behind that scheme fails on it.
    BareQueryKey = 1001, "bare_query_key", failure, 400;
    /// A malformed `%` escape in a path, query or form body.
    InvalidEscape = 1002, "invalid_escape", failure, 400;
    /// The URL cannot be split into a path and a query.
    InvalidUrl = 1003, "invalid_url", failure, 400;
    /// A body that must be JSON is not a JSON object.
    InvalidJson = 1004, "invalid_json", failure, 400;
    /// RSA key material that cannot be parsed or is too weak.
    BadKey = 1005, "bad_key", failure, 500;
    /// An input exceeds a documented size or count limit (see `apisign::limits`).
    InputTooLarge = 1006, "input_too_large", failure, 413;
    /// The operating system's random generator failed.
    Rng = 1007, "rng", failure, 500;
    /// A cryptographic operation failed unexpectedly.
    Crypto = 1008, "crypto", failure, 500;
    /// Verification: a required authentication header is absent or empty.
    MissingAuth = 2000, "missing_auth", rejection, 401;
    /// Verification: an authentication header is present but malformed (a timestamp that is
    /// not an integer, an `Authorization` that is not `LF {keyId}/{sign}`, a header sent twice
    /// with different values, a nonce of the wrong length…).
    MalformedAuth = 2001, "malformed_auth", rejection, 401;
    /// Verification: the app, client or key id is not in the credential store.
    UnknownCaller = 2002, "unknown_caller", rejection, 401;
    /// Verification: the scope (a dataset) is unknown.
    UnknownDataset = 2003, "unknown_dataset", rejection, 403;
    /// Verification: the authenticated caller may not access the resource (a dataset).
    AccessDenied = 2004, "access_denied", rejection, 403;
    /// Verification: the timestamp is outside the accepted window (too old or too far ahead).
    TimestampOutOfWindow = 2005, "timestamp_out_of_window", rejection, 401;
    /// Verification: the signature does not match the request.
    SignatureInvalid = 2006, "signature_invalid", rejection, 401;
    /// Verification: the nonce was already used within its replay window.
    NonceReused = 2007, "nonce_reused", rejection, 401;
    /// Verification: the nonce store is at its memory bound and refuses new nonces (fail
    /// closed rather than forget an unexpired nonce); answer 503 and size the store up.
    NonceStoreFull = 2008, "nonce_store_full", failure, 503;
    /// Verification: the shared nonce store (Redis) cannot be reached; the request is refused.
    NonceStoreUnavailable = 2009, "nonce_store_unavailable", failure, 503;
    /// Verification: the caller is authentic but its address is not in the credential's
    /// allowed list (or the address is unknown while the credential has a list).
    IpNotAllowed = 2010, "ip_not_allowed", rejection, 403;
}

impl ErrorKind {
    /// The kind whose `as_str` is `name`.
    ///
    /// See the example on [`Error`].
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        Self::ALL.iter().copied().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An apisign error: a stable kind, the field it concerns, and a message that says what to fix.
///
/// Messages never contain secret values, so `Debug` may show every field.
///
/// ```
/// use apisign::{Error, ErrorKind};
///
/// // What a verifier returns for a wrong signature, with its platform's code and status.
/// let err = Error::new(ErrorKind::SignatureInvalid, "the signature does not match")
///     .with_field("X-Sign")
///     .with_platform_code("unauthorized")
///     .with_http_status(401);
/// assert_eq!(err.kind(), ErrorKind::SignatureInvalid);
/// assert_eq!(err.field(), Some("X-Sign"));
/// assert_eq!(err.message(), "the signature does not match");
/// assert_eq!(err.platform_code(), Some("unauthorized"));
/// assert_eq!(err.http_status(), 401);
///
/// // Without a platform, the kind's defaults apply.
/// let bad = Error::invalid("url", "the URL must start with /");
/// assert_eq!((bad.kind(), bad.http_status(), bad.platform_code()), (ErrorKind::InvalidInput, 400, None));
/// assert_eq!(ErrorKind::from_name("nonce_reused"), Some(ErrorKind::NonceReused));
/// assert_eq!((ErrorKind::NonceReused.code(), ErrorKind::NonceReused.as_str()), (2007, "nonce_reused"));
/// assert_eq!(ErrorKind::from_name("nonce-reused"), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    field: Option<&'static str>,
    message: String,
    platform_code: Option<&'static str>,
    status: Option<u16>,
}

impl Error {
    /// A new error of `kind` with a human message.
    ///
    /// See the example on [`Error`].
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            field: None,
            message: message.into(),
            platform_code: None,
            status: None,
        }
    }

    /// An `InvalidInput` error about `field`.
    ///
    /// See the example on [`Error`].
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidInput, message).with_field(field)
    }

    /// Attach the name of the offending input.
    ///
    /// See the example on [`Error`].
    pub fn with_field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    /// Attach the platform's own code for this failure (see [`Error::platform_code`]).
    ///
    /// See the example on [`Error`].
    pub fn with_platform_code(mut self, code: &'static str) -> Self {
        self.platform_code = Some(code);
        self
    }

    /// Attach the HTTP status the scheme's platform answers this error with (see
    /// [`Error::http_status`]).
    ///
    /// See the example on [`Error`].
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// The HTTP status to answer this error with: the platform's when the verifier of a scheme
    /// set one, otherwise the kind's default ([`ErrorKind::http_status`]).
    ///
    /// See the example on [`Error`].
    pub fn http_status(&self) -> u16 {
        self.status.unwrap_or(self.kind.http_status())
    }

    /// The platform's own code for a verification failure, so a server can answer the way the
    /// real platform does (a numeric code, an `AUTH_*` name, an HTTP status or a message:
    /// see each scheme's `SchemeSpec::platform_code` and `docs/`). `None` for errors that are not
    /// verification failures of a platform rule.
    ///
    /// See the example on [`Error`].
    pub fn platform_code(&self) -> Option<&'static str> {
        self.platform_code
    }

    /// The stable category.
    ///
    /// See the example on [`Error`].
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The input this error is about, when there is one (`"app_code"`, `"url"`, `"body"`…).
    ///
    /// See the example on [`Error`].
    pub fn field(&self) -> Option<&'static str> {
        self.field
    }

    /// The message alone, without the field prefix.
    ///
    /// See the example on [`Error`].
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_round_trip() {
        let codes: HashSet<u32> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        let names: HashSet<&str> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(codes.len(), ErrorKind::ALL.len());
        assert_eq!(names.len(), ErrorKind::ALL.len());
        assert!(!codes.contains(&0), "0 means success in the C ABI");
        // Signing kinds keep their original codes; verification kinds live at 2000+.
        assert_eq!(ErrorKind::InvalidInput.code(), 1000);
        assert_eq!(ErrorKind::Crypto.code(), 1008);
        for k in ErrorKind::ALL {
            let rejection = (2000..2008).contains(&k.code()) || k.code() == 2010;
            assert_eq!(k.is_rejection(), rejection, "{k}");
        }
        for k in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_name(k.as_str()), Some(*k));
        }
    }

    #[test]
    fn display_names_the_field() {
        let e = Error::invalid("app_code", "must not be empty");
        assert_eq!(e.to_string(), "app_code: must not be empty");
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(e.field(), Some("app_code"));
        assert_eq!(e.platform_code(), None);
        let e = Error::new(ErrorKind::SignatureInvalid, "x").with_platform_code("1002");
        assert_eq!(e.platform_code(), Some("1002"));
    }

    #[test]
    fn statuses_follow_http_meaning_unless_a_scheme_overrides() {
        use ErrorKind::*;
        // Written out here, not read back from the table: a wrong column entry fails.
        let want = [
            (InvalidInput, 400),
            (BareQueryKey, 400),
            (InvalidEscape, 400),
            (InvalidUrl, 400),
            (InvalidJson, 400),
            (BadKey, 500),
            (InputTooLarge, 413),
            (Rng, 500),
            (Crypto, 500),
            (MissingAuth, 401),
            (MalformedAuth, 401),
            (UnknownCaller, 401),
            (UnknownDataset, 403),
            (AccessDenied, 403),
            (TimestampOutOfWindow, 401),
            (SignatureInvalid, 401),
            (NonceReused, 401),
            (NonceStoreFull, 503),
            (NonceStoreUnavailable, 503),
            (IpNotAllowed, 403),
        ];
        assert_eq!(want.len(), ErrorKind::ALL.len());
        for (kind, status) in want {
            assert_eq!(Error::new(kind, "x").http_status(), status, "{kind}");
        }
        let e = Error::new(TimestampOutOfWindow, "x").with_http_status(403);
        assert_eq!(e.http_status(), 403);
    }
}
