//! One error type for every scheme and surface.
//!
//! `ErrorKind` is the stable part: its snake_case name (`ErrorKind::as_str`) is what the
//! conformance vectors, the CLI's `--json` output and the bindings' exception classes use, and
//! its numeric code (`ErrorKind::code`) is the C ABI result code. Codes are never reused: a
//! retired kind keeps its number forever.

use std::fmt;

/// What went wrong, as a stable category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A caller-supplied value is missing or malformed; `Error::field` names it.
    InvalidInput,
    /// A query or form key whose first occurrence has no `=` (`?flag`; `?flag=1&flag` is fine):
    /// the JetLinks server fails on it.
    BareQueryKey,
    /// A malformed `%` escape in a path, query or form body.
    InvalidEscape,
    /// The URL cannot be split into a path and a query.
    InvalidUrl,
    /// A body that must be JSON (linksfield) is not a JSON object.
    InvalidJson,
    /// RSA key material that cannot be parsed or is too weak.
    BadKey,
    /// An input exceeds a documented size or count limit (see `apisign::limits`).
    InputTooLarge,
    /// The operating system's random generator failed.
    Rng,
    /// A cryptographic operation failed unexpectedly.
    Crypto,
    /// Verification: a required authentication header is absent or empty.
    MissingAuth,
    /// Verification: an authentication header is present but malformed (a timestamp that is
    /// not an integer, an `Authorization` that is not `LF {keyId}/{sign}`, a header sent twice
    /// with different values, a nonce of the wrong length…).
    MalformedAuth,
    /// Verification: the app, client or key id is not in the credential store.
    UnknownCaller,
    /// Verification: the dataset is unknown (lovrabet).
    UnknownDataset,
    /// Verification: the authenticated caller may not access the resource (lovrabet dataset).
    AccessDenied,
    /// Verification: the timestamp is outside the accepted window (too old or too far ahead).
    TimestampOutOfWindow,
    /// Verification: the signature does not match the request.
    SignatureInvalid,
    /// Verification: the nonce was already used within its replay window.
    NonceReused,
    /// Verification: the nonce store is at its memory bound and refuses new nonces (fail
    /// closed rather than forget an unexpired nonce); answer 503 and size the store up.
    NonceStoreFull,
    /// Verification: the shared nonce store (Redis) cannot be reached; the request is refused.
    NonceStoreUnavailable,
}

impl ErrorKind {
    /// Every kind, in code order (for bindings that mirror the list).
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::InvalidInput,
        ErrorKind::BareQueryKey,
        ErrorKind::InvalidEscape,
        ErrorKind::InvalidUrl,
        ErrorKind::InvalidJson,
        ErrorKind::BadKey,
        ErrorKind::InputTooLarge,
        ErrorKind::Rng,
        ErrorKind::Crypto,
        ErrorKind::MissingAuth,
        ErrorKind::MalformedAuth,
        ErrorKind::UnknownCaller,
        ErrorKind::UnknownDataset,
        ErrorKind::AccessDenied,
        ErrorKind::TimestampOutOfWindow,
        ErrorKind::SignatureInvalid,
        ErrorKind::NonceReused,
        ErrorKind::NonceStoreFull,
        ErrorKind::NonceStoreUnavailable,
    ];

    /// Stable snake_case name, as used by the vectors and the CLI.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::BareQueryKey => "bare_query_key",
            ErrorKind::InvalidEscape => "invalid_escape",
            ErrorKind::InvalidUrl => "invalid_url",
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::BadKey => "bad_key",
            ErrorKind::InputTooLarge => "input_too_large",
            ErrorKind::Rng => "rng",
            ErrorKind::Crypto => "crypto",
            ErrorKind::MissingAuth => "missing_auth",
            ErrorKind::MalformedAuth => "malformed_auth",
            ErrorKind::UnknownCaller => "unknown_caller",
            ErrorKind::UnknownDataset => "unknown_dataset",
            ErrorKind::AccessDenied => "access_denied",
            ErrorKind::TimestampOutOfWindow => "timestamp_out_of_window",
            ErrorKind::SignatureInvalid => "signature_invalid",
            ErrorKind::NonceReused => "nonce_reused",
            ErrorKind::NonceStoreFull => "nonce_store_full",
            ErrorKind::NonceStoreUnavailable => "nonce_store_unavailable",
        }
    }

    /// Stable numeric code (the C ABI result code). 0 is success and never an error.
    pub const fn code(self) -> u32 {
        match self {
            ErrorKind::InvalidInput => 1000,
            ErrorKind::BareQueryKey => 1001,
            ErrorKind::InvalidEscape => 1002,
            ErrorKind::InvalidUrl => 1003,
            ErrorKind::InvalidJson => 1004,
            ErrorKind::BadKey => 1005,
            ErrorKind::InputTooLarge => 1006,
            ErrorKind::Rng => 1007,
            ErrorKind::Crypto => 1008,
            // Verification kinds start at 2000.
            ErrorKind::MissingAuth => 2000,
            ErrorKind::MalformedAuth => 2001,
            ErrorKind::UnknownCaller => 2002,
            ErrorKind::UnknownDataset => 2003,
            ErrorKind::AccessDenied => 2004,
            ErrorKind::TimestampOutOfWindow => 2005,
            ErrorKind::SignatureInvalid => 2006,
            ErrorKind::NonceReused => 2007,
            ErrorKind::NonceStoreFull => 2008,
            ErrorKind::NonceStoreUnavailable => 2009,
        }
    }

    /// Whether this kind means "the request was checked and is not authentic or not
    /// acceptable" (as opposed to malformed input or an internal failure). The CLI's
    /// `verify` exits 1 for these.
    pub const fn is_rejection(self) -> bool {
        matches!(
            self,
            ErrorKind::MissingAuth
                | ErrorKind::MalformedAuth
                | ErrorKind::UnknownCaller
                | ErrorKind::UnknownDataset
                | ErrorKind::AccessDenied
                | ErrorKind::TimestampOutOfWindow
                | ErrorKind::SignatureInvalid
                | ErrorKind::NonceReused
        )
    }

    /// The kind whose `as_str` is `name`.
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
/// Messages never contain secret values.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    field: Option<&'static str>,
    message: String,
    platform_code: Option<&'static str>,
}

impl Error {
    /// A new error of `kind` with a human message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            field: None,
            message: message.into(),
            platform_code: None,
        }
    }

    /// An `InvalidInput` error about `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidInput, message).with_field(field)
    }

    /// Attach the name of the offending input.
    pub fn with_field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    /// Attach the platform's own code for this failure (see [`Error::platform_code`]).
    pub fn with_platform_code(mut self, code: &'static str) -> Self {
        self.platform_code = Some(code);
        self
    }

    /// The platform's own code for a verification failure, so a server can answer the way the
    /// real platform does: lovrabet `"1002"`…`"1006"`, piemdm `"AUTH_*"`, linksfield HTTP
    /// `"401"`/`"403"`, jetlinks the error message. `None` for errors that are not
    /// verification failures of a platform rule.
    pub fn platform_code(&self) -> Option<&'static str> {
        self.platform_code
    }

    /// The stable category.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The input this error is about, when there is one (`"app_code"`, `"url"`, `"body"`…).
    pub fn field(&self) -> Option<&'static str> {
        self.field
    }

    /// The message alone, without the field prefix.
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

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("field", &self.field)
            .field("message", &self.message)
            .field("platform_code", &self.platform_code)
            .finish()
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
            assert_eq!(k.is_rejection(), (2000..2008).contains(&k.code()), "{k}");
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
}
