//! One module per platform. Each exposes a signer holding parsed credentials (keyed state is
//! computed once and reused) and the pure functions that build its intermediate string.

pub mod jetlinks;
pub mod linksfield;
pub mod lovrabet;
pub mod piemdm;

use hmac::{Hmac, KeyInit};
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// HMAC-SHA256 keyed once; each signature clones this state instead of re-hashing the key.
pub(crate) fn keyed_hmac(field: &'static str, key: &Secret) -> Result<Hmac<Sha256>> {
    keyed_hmac_bytes(field, key.expose())
}

/// [`keyed_hmac`] for key bytes borrowed from elsewhere (the caller wipes or owns them).
#[doc(hidden)] // used by apisign-python (one-shot token fast path)
pub fn keyed_hmac_bytes(field: &'static str, key: &[u8]) -> Result<Hmac<Sha256>> {
    if key.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    Hmac::<Sha256>::new_from_slice(key)
        .map_err(|_| Error::invalid(field, "cannot be used as an HMAC key"))
}
