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
    /// A query or form parameter without `=` (e.g. `?flag`); the JetLinks server fails on it.
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
        }
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
}

impl Error {
    /// A new error of `kind` with a human message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            field: None,
            message: message.into(),
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
    }
}
