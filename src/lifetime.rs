//! Token lifetimes with an explicit `now`. Platform constructors (`TokenLifetime::<scheme>`)
//! live in each scheme's folder; OAuth2 `expires_in` is here.

/// When a token was issued and how long it lives. All times are Unix milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TokenLifetime {
    /// Issue time (for a signed token, its signed timestamp).
    pub issued_at_ms: u64,
    /// Lifetime; `None` = never expires.
    pub lifetime_ms: Option<u64>,
}

impl TokenLifetime {
    /// An OAuth2 token whose response carried `expires_in` seconds, received at `issued_at_ms`.
    pub const fn oauth2(issued_at_ms: u64, expires_in_secs: u64) -> Self {
        TokenLifetime {
            issued_at_ms,
            lifetime_ms: Some(expires_in_secs.saturating_mul(1000)),
        }
    }

    /// Expiry time in Unix ms; `None` for a token that never expires.
    pub const fn expires_at_ms(&self) -> Option<u64> {
        match self.lifetime_ms {
            Some(l) => Some(self.issued_at_ms.saturating_add(l)),
            None => None,
        }
    }

    /// Milliseconds left at `now_ms` (0 once expired); `None` for a token that never expires.
    pub const fn remaining_ms(&self, now_ms: u64) -> Option<u64> {
        match self.expires_at_ms() {
            Some(e) => Some(e.saturating_sub(now_ms)),
            None => None,
        }
    }

    /// Whether the token has expired at `now_ms` (expiry instant included).
    pub const fn is_expired(&self, now_ms: u64) -> bool {
        matches!(self.remaining_ms(now_ms), Some(0))
    }

    /// Whether fewer than `buffer_ms` remain at `now_ms`: time to refresh.
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
