//! Secret bytes: wiped from memory on drop, never shown by `Debug`.

use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A secret (access key, secure key, app secret…). Zeroized on drop; `Debug` prints
/// `Secret(<redacted>)`. There is deliberately no `Display`.
///
/// ```
/// use apisign::Secret;
///
/// let key = Secret::new("testSecure");
/// assert_eq!(key.expose(), b"testSecure");
/// assert!(!key.is_empty());
/// // Debug never shows it.
/// assert!(!format!("{key:?}").contains("testSecure"));
/// assert!(Secret::from("").is_empty());
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Secret(Box<[u8]>);

impl Secret {
    /// Wrap secret bytes.
    ///
    /// See the example on [`Secret`].
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Secret(bytes.into().into_boxed_slice())
    }

    /// The secret bytes; keep the borrow short.
    ///
    /// See the example on [`Secret`].
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Whether the secret is empty.
    ///
    /// See the example on [`Secret`].
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s.as_bytes())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s.into_bytes())
    }
}

impl From<&[u8]> for Secret {
    fn from(b: &[u8]) -> Self {
        Secret::new(b)
    }
}

impl From<Vec<u8>> for Secret {
    fn from(b: Vec<u8>) -> Self {
        Secret::new(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = Secret::from("hunter2-very-secret");
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"));
        assert_eq!(shown, "Secret(<redacted>)");
        assert_eq!(s.expose(), b"hunter2-very-secret");
    }
}
