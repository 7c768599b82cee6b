//! A verifier's timestamp window together with how long its nonces are kept.

use super::{check_nonce_ttl, Window};
use crate::error::Result;

/// The timestamp window and the nonce TTL that must cover it, kept together so that no order
/// of settings can leave a nonce forgotten while its timestamp is still accepted.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ReplayWindow {
    window: Window,
    /// `None`: derived from the window ([`Window::min_nonce_ttl_secs`]).
    ttl_secs: Option<u64>,
}

impl ReplayWindow {
    /// `window`, with the nonce TTL derived from it.
    pub(crate) const fn new(window: Window) -> Self {
        ReplayWindow {
            window,
            ttl_secs: None,
        }
    }

    pub(crate) fn window(&self) -> Window {
        self.window
    }

    /// Use `window`; an error (field `nonce_ttl`) if a TTL set before is too short for it.
    pub(crate) fn set_window(&mut self, window: Window) -> Result<()> {
        if let Some(ttl) = self.ttl_secs {
            check_nonce_ttl(window, ttl)?;
        }
        self.window = window;
        Ok(())
    }

    /// Keep nonces `secs` seconds; an error (field `nonce_ttl`) if too short for the window.
    pub(crate) fn set_nonce_ttl(&mut self, secs: u64) -> Result<()> {
        check_nonce_ttl(self.window, secs)?;
        self.ttl_secs = Some(secs);
        Ok(())
    }

    /// How long nonces are kept, in seconds.
    pub(crate) fn nonce_ttl_secs(&self) -> u64 {
        self.ttl_secs
            .unwrap_or_else(|| self.window.min_nonce_ttl_secs(1000))
    }
}
