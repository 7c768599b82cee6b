//! Token lifetimes as a plain value type: no handle, no allocation, nothing to free.

use super::panic::guard;
use apisign::TokenLifetime;

/// When a token was issued and how long it lives (Unix milliseconds). A plain value: copy it
/// freely; build it with the `apisign_lifetime_*` constructors.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct apisign_lifetime {
    /// Issue time (for a signed token, its signed timestamp).
    pub issued_at_ms: u64,
    /// Lifetime in ms; meaningless when `never_expires`.
    pub lifetime_ms: u64,
    /// True for a token that never expires.
    pub never_expires: bool,
}

impl From<TokenLifetime> for apisign_lifetime {
    fn from(t: TokenLifetime) -> Self {
        apisign_lifetime {
            issued_at_ms: t.issued_at_ms,
            lifetime_ms: t.lifetime_ms.unwrap_or(0),
            never_expires: t.lifetime_ms.is_none(),
        }
    }
}

impl From<apisign_lifetime> for TokenLifetime {
    fn from(t: apisign_lifetime) -> Self {
        TokenLifetime {
            issued_at_ms: t.issued_at_ms,
            lifetime_ms: (!t.never_expires).then_some(t.lifetime_ms),
        }
    }
}

/// What a constructor returns if it ever panicked: a token that is already expired, so a caller
/// refreshes instead of trusting it.
pub(crate) const EXPIRED: apisign_lifetime = apisign_lifetime {
    issued_at_ms: 0,
    lifetime_ms: 0,
    never_expires: false,
};

/// An OAuth2 token whose response carried `expires_in_secs`, received at `issued_at_ms`.
#[no_mangle]
pub extern "C" fn apisign_lifetime_oauth2(
    issued_at_ms: u64,
    expires_in_secs: u64,
) -> apisign_lifetime {
    guard(EXPIRED, || {
        TokenLifetime::oauth2(issued_at_ms, expires_in_secs).into()
    })
}

/// Expiry time in Unix ms into `*out` (may be NULL); returns false (and leaves `*out` alone) for
/// a token that never expires.
#[no_mangle]
pub extern "C" fn apisign_lifetime_expires_at_ms(
    lifetime: apisign_lifetime,
    out: *mut u64,
) -> bool {
    guard(false, || {
        store(TokenLifetime::from(lifetime).expires_at_ms(), out)
    })
}

/// Milliseconds left at `now_ms` (0 once expired) into `*out` (may be NULL); returns false for a
/// token that never expires.
#[no_mangle]
pub extern "C" fn apisign_lifetime_remaining_ms(
    lifetime: apisign_lifetime,
    now_ms: u64,
    out: *mut u64,
) -> bool {
    guard(false, || {
        store(TokenLifetime::from(lifetime).remaining_ms(now_ms), out)
    })
}

/// Whether the token has expired at `now_ms` (the expiry instant included).
#[no_mangle]
pub extern "C" fn apisign_lifetime_is_expired(lifetime: apisign_lifetime, now_ms: u64) -> bool {
    guard(false, || TokenLifetime::from(lifetime).is_expired(now_ms))
}

/// Whether fewer than `buffer_ms` remain at `now_ms`: time to refresh (60 000 is a common
/// choice).
#[no_mangle]
pub extern "C" fn apisign_lifetime_is_expiring(
    lifetime: apisign_lifetime,
    buffer_ms: u64,
    now_ms: u64,
) -> bool {
    guard(false, || {
        TokenLifetime::from(lifetime).is_expiring(buffer_ms, now_ms)
    })
}

fn store(value: Option<u64>, out: *mut u64) -> bool {
    match value {
        Some(v) => {
            if !out.is_null() {
                // SAFETY: non-NULL and writable per the header contract.
                unsafe { *out = v };
            }
            true
        }
        None => false,
    }
}
