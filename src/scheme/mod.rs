//! The scheme model: what every platform implements, and the generic [`Signer`] and
//! [`Verifier`] every binding (C, Go, Python, the CLI) uses, so that a binding is written once
//! and not once per platform.
//!
//! A platform is one folder under `src/schemes/` that provides a [`SchemeSpec`]: its name and
//! id, the headers it sends, the parameters its signer and its credentials take, its verifier
//! settings, its default window, and the constructors behind [`Signer::new`],
//! [`Credential::new`](crate::verify::Credential::new) and [`VerifierBuilder::build`]. The
//! registry ([`crate::schemes::SCHEMES`]) lists the specs; nothing else names a platform.
//!
//! Inputs are named [`Param`]s (bytes, or a parsed key), validated against the spec: an
//! unknown or missing name is an error that lists the names the scheme takes. Protocol
//! versions are settings. Every time on this API is milliseconds since the epoch;
//! a scheme whose wire format carries seconds converts at its edge.
//!
//! See the crate root for an example.

mod params;
mod rejection;
mod signer;
mod spec;
mod verifier;

pub use params::{Param, ParamValue, Params};
pub(crate) use rejection::{generic_message, json_object, Json};
pub use rejection::{Rejection, RejectionBody, JSON};
pub use signer::{SchemeSigner, Signer, Step};
pub use spec::{HttpStatus, NonceUse, ParamKind, ParamSpec, PlatformCode, SchemeSpec, WireTime};
pub use verifier::{ResponseHeaders, SchemeVerifier, Verifier, VerifierBuilder, VerifierConfig};

pub use crate::schemes::{SchemeId, SCHEMES};
