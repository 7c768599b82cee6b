//! Token lifetimes with an explicit `now`. Platform constructors (`TokenLifetime::<scheme>`)
//! live in each scheme's folder; OAuth2 `expires_in` is here.

/// When a token was issued and how long it lives. All times are Unix milliseconds.
///
/// ```
/// use apisign::TokenLifetime;
///
/// // An OAuth2 answer `"expires_in": 7200` received at 1 700 000 000 000 ms.
/// let token = TokenLifetime::oauth2(1_700_000_000_000, 7200);
/// assert_eq!(token.expires_at_ms(), Some(1_700_007_200_000));
/// assert_eq!(token.remaining_ms(1_700_007_000_000), Some(200_000));
/// // Refresh when less than five minutes are left; expired at the expiry instant itself.
/// assert!(token.is_expiring(300_000, 1_700_007_000_000));
/// assert!(!token.is_expired(1_700_007_199_999));
/// assert!(token.is_expired(1_700_007_200_000));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TokenLifetime {
    /// Issue time (for a signed token, its signed timestamp).
    pub issued_at_ms: u64,
    /// Lifetime; `None` = never expires.
    pub lifetime_ms: Option<u64>,
}

impl TokenLifetime {
    /// An OAuth2 token whose response carried `expires_in` seconds, received at `issued_at_ms`.
    ///
    /// See the example on [`TokenLifetime`].
    pub const fn oauth2(issued_at_ms: u64, expires_in_secs: u64) -> Self {
        TokenLifetime {
            issued_at_ms,
            lifetime_ms: Some(expires_in_secs.saturating_mul(1000)),
        }
    }

    /// Expiry time in Unix ms; `None` for a token that never expires.
    ///
    /// See the example on [`TokenLifetime`].
    pub const fn expires_at_ms(&self) -> Option<u64> {
        match self.lifetime_ms {
            Some(l) => Some(self.issued_at_ms.saturating_add(l)),
            None => None,
        }
    }

    /// Milliseconds left at `now_ms` (0 once expired); `None` for a token that never expires.
    ///
    /// See the example on [`TokenLifetime`].
    pub const fn remaining_ms(&self, now_ms: u64) -> Option<u64> {
        match self.expires_at_ms() {
            Some(e) => Some(e.saturating_sub(now_ms)),
            None => None,
        }
    }

    /// Whether the token has expired at `now_ms` (expiry instant included).
    ///
    /// See the example on [`TokenLifetime`].
    pub const fn is_expired(&self, now_ms: u64) -> bool {
        matches!(self.remaining_ms(now_ms), Some(0))
    }

    /// Whether fewer than `buffer_ms` remain at `now_ms`: time to refresh.
    ///
    /// See the example on [`TokenLifetime`].
    pub const fn is_expiring(&self, buffer_ms: u64, now_ms: u64) -> bool {
        match self.remaining_ms(now_ms) {
            Some(r) => r < buffer_ms,
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth2_expires_in() {
        let t = TokenLifetime::oauth2(10_000, 7200);
        assert_eq!(t.expires_at_ms(), Some(7_210_000));
        assert!(t.is_expiring(300_000, 6_910_001));
        assert!(!t.is_expiring(300_000, 6_910_000));
    }
}
