//! Token lifetimes with an explicit `now`: lovrabet's 10-minute tokens, JetLinks access tokens
//! (`expires` seconds, `<= 0` = never) and OAuth2 `expires_in`.

/// When a token was issued and how long it lives. All times are Unix milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TokenLifetime {
    /// Issue time (for lovrabet, the signed timestamp).
    pub issued_at_ms: u64,
    /// Lifetime; `None` = never expires.
    pub lifetime_ms: Option<u64>,
}

/// Lovrabet tokens are valid for 600 000 ms from their timestamp.
pub const LOVRABET_TOKEN_LIFETIME_MS: u64 = 600_000;

/// The lovrabet SDK's default refresh buffer: one minute.
pub const LOVRABET_DEFAULT_BUFFER_MS: u64 = 60_000;

impl TokenLifetime {
    /// A lovrabet token signed at `timestamp_ms`.
    pub const fn lovrabet(timestamp_ms: u64) -> Self {
        TokenLifetime {
            issued_at_ms: timestamp_ms,
            lifetime_ms: Some(LOVRABET_TOKEN_LIFETIME_MS),
        }
    }

    /// A JetLinks access token requested with `{"expires": expires_secs}` at `issued_at_ms`;
    /// `expires_secs <= 0` means it never expires.
    pub const fn jetlinks(issued_at_ms: u64, expires_secs: i64) -> Self {
        TokenLifetime {
            issued_at_ms,
            lifetime_ms: if expires_secs <= 0 {
                None
            } else {
                Some((expires_secs as u64).saturating_mul(1000))
            },
        }
    }

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

    #[test]
    fn jetlinks_nonpositive_expires_never_expires() {
        for e in [0, -1, i64::MIN] {
            let t = TokenLifetime::jetlinks(5, e);
            assert_eq!(t.expires_at_ms(), None);
            assert_eq!(t.remaining_ms(u64::MAX), None);
            assert!(!t.is_expired(u64::MAX));
            assert!(!t.is_expiring(u64::MAX, u64::MAX));
        }
        let t = TokenLifetime::jetlinks(1_000, 7200);
        assert_eq!(t.expires_at_ms(), Some(7_201_000));
        assert!(TokenLifetime::jetlinks(u64::MAX, i64::MAX).expires_at_ms() == Some(u64::MAX));
    }

    #[test]
    fn oauth2_expires_in() {
        let t = TokenLifetime::oauth2(10_000, 7200);
        assert_eq!(t.expires_at_ms(), Some(7_210_000));
        assert!(t.is_expiring(300_000, 6_910_001));
        assert!(!t.is_expiring(300_000, 6_910_000));
    }
}
