//! The registry: one folder per platform, each providing a [`SchemeSpec`] (see
//! [`crate::scheme`]). This file is the one list of schemes; adding a platform adds a folder,
//! a variant of [`SchemeId`] and its line in [`SCHEMES`].

pub mod jetlinks;
pub mod linksfield;
pub mod lovrabet;
pub mod piemdm;

use std::fmt;
use std::str::FromStr;

use crate::scheme::SchemeSpec;

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

/// A scheme's stable id. The number is the C ABI's `APISIGN_SCHEME_*` value and Go's
/// `Scheme`; numbers are never reused.
///
/// ```
/// use apisign::SchemeId;
///
/// let id: SchemeId = "PieMDM".parse()?;
/// assert_eq!(id, SchemeId::PieMdm);
/// assert_eq!((id.name(), id.spec().title), ("piemdm", "PieMDM"));
/// assert_eq!(id.spec().headers, ["X-App-Id", "X-Timestamp", "X-Nonce", "X-Sign"]);
/// // The number the C ABI and Go use.
/// assert_eq!(SchemeId::from_u32(2), Some(SchemeId::PieMdm));
/// assert_eq!(SchemeId::from_u32(9), None);
/// # Ok::<(), apisign::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
pub enum SchemeId {
    /// Lovrabet: HMAC-SHA256 token over access key, app, dataset and timestamp.
    Lovrabet = 0,
    /// JetLinks: MD5 or SHA-256 over the params or body, timestamp and secure key.
    JetLinks = 1,
    /// PieMDM: HMAC-SHA256 over a canonical request with nonce.
    PieMdm = 2,
    /// Linksfield Cube: SHA1withRSA over sorted compact JSON, v1 and v2.
    Linksfield = 3,
}

/// Every scheme, in id order (`SCHEMES[id as usize].id == id`).
pub static SCHEMES: [&SchemeSpec; 4] = [
    &lovrabet::scheme::SPEC,
    &jetlinks::scheme::SPEC,
    &piemdm::scheme::SPEC,
    &linksfield::scheme::SPEC,
];

impl SchemeId {
    /// Every id, in order.
    pub const ALL: [SchemeId; 4] = [
        SchemeId::Lovrabet,
        SchemeId::JetLinks,
        SchemeId::PieMdm,
        SchemeId::Linksfield,
    ];

    /// The scheme's spec.
    ///
    /// See the example on [`SchemeId`].
    pub fn spec(self) -> &'static SchemeSpec {
        SCHEMES[self as usize]
    }

    /// The lower-case name (`"piemdm"`).
    ///
    /// See the example on [`SchemeId`].
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The id with number `n` (the C ABI's and Go's value).
    ///
    /// See the example on [`SchemeId`].
    pub fn from_u32(n: u32) -> Option<SchemeId> {
        SchemeId::ALL.get(n as usize).copied()
    }
}

impl fmt::Display for SchemeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SchemeId {
    type Err = crate::Error;

    /// A scheme by name, ASCII case-insensitive.
    fn from_str(s: &str) -> crate::Result<SchemeId> {
        SchemeId::ALL
            .into_iter()
            .find(|id| id.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = SCHEMES.iter().map(|s| s.name).collect();
                crate::Error::invalid(
                    "scheme",
                    format!("{s:?} is not a scheme; use one of: {}", names.join(", ")),
                )
            })
    }
}

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn ids_names_and_specs_agree() {
        for (i, id) in SchemeId::ALL.into_iter().enumerate() {
            assert_eq!(id as usize, i);
            assert_eq!(SCHEMES[i].id, id);
            assert_eq!(SchemeId::from_u32(i as u32), Some(id));
            assert_eq!(id.name().parse::<SchemeId>().unwrap(), id);
            assert_eq!(id.name(), id.name().to_ascii_lowercase());
        }
        assert_eq!(SchemeId::from_u32(4), None);
        assert!("sigv4"
            .parse::<SchemeId>()
            .unwrap_err()
            .message()
            .contains("lovrabet, jetlinks, piemdm, linksfield"));
    }
}
