//! # apisign
//!
//! Sign and verify HTTP API requests for four platforms, byte-for-byte like their
//! servers: Lovrabet (HMAC-SHA256 token), JetLinks (MD5/SHA-256 digest), PieMDM (canonical
//! request + HMAC-SHA256) and Linksfield Cube (SHA1withRSA over sorted JSON).
//!
//! Signing takes the request as it will be sent ([`Request`]) and returns signing
//! *instructions* ([`Signature`]): the headers to add, in order, and the intermediate string
//! that was signed, so a mismatch can be diagnosed by comparing strings, not guessing.
//!
//! Every platform is one folder under `src/schemes/` implementing the scheme model
//! ([`scheme`]); the generic [`Signer`] and [`Verifier`] are built from a [`SchemeId`] and
//! named parameters, and are what the C, Go, Python and CLI surfaces use. Each platform's
//! folder also offers a typed API ([`jetlinks::Signer`], …). `ARCHITECTURE.md` shows what
//! lives where.
//!
//! The core is pure: every function that needs a time or nonce takes it explicitly (times are
//! milliseconds since the epoch); `None` options fill in the clock and the OS CSPRNG
//! ([`clock`]).
//!
//! ```
//! use std::sync::Arc;
//! use apisign::scheme::Param;
//! use apisign::verify::InMemoryCredentials;
//! use apisign::{IncomingRequest, Request, SchemeId, SignOptions, Signer, Verifier};
//!
//! let params = [Param::text("client_id", "testId"), Param::text("secure_key", "testSecure")];
//! let signer = Signer::new(SchemeId::JetLinks, &params)?;
//! let request = Request::new("GET", "/api/device?pageSize=20&pageIndex=0");
//! let sig = signer.sign(&request, &SignOptions::at(1574993804802))?;
//! assert_eq!(sig.signed, "pageIndex=0&pageSize=20");
//! assert_eq!(sig.header("X-Sign"), Some("837fe7fa29e7a5e4852d447578269523"));
//!
//! // The server side: the same parameters register the caller.
//! let creds = Arc::new(InMemoryCredentials::new());
//! creds.add_params(SchemeId::JetLinks, &params)?;
//! let verifier = Verifier::builder(SchemeId::JetLinks, creds).build()?;
//! let mut incoming = IncomingRequest::new("GET", request.url);
//! for h in &sig.headers {
//!     incoming = incoming.header(h.name, &h.value);
//! }
//! assert_eq!(verifier.verify(&incoming, 1574993804802 + 1000)?.caller, "testId");
//! # Ok::<(), apisign::Error>(())
//! ```
// The bindings' unsafe code lives in their own crates (capi/, pyext/).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` (Cargo.toml's package.metadata.docs.rs): label the items
// a feature gates (Redis) with the feature they need.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod clock;
mod encode;
pub mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod keys;
pub mod lifetime;
pub mod limits;
mod query;
pub mod request;
pub mod scheme;
pub mod schemes;
pub mod secret;
pub mod signature;
pub mod verify;
#[cfg(test)]
mod words;

pub use error::{Error, ErrorKind, Result};
pub use keys::{PrivateKey, PublicKey};
pub use lifetime::TokenLifetime;
pub use request::{Request, RequestSigner, SignOptions, Target};
pub use scheme::{Signer, Verifier};
pub use schemes::{jetlinks, linksfield, lovrabet, piemdm, SchemeId};
pub use secret::Secret;
pub use signature::{Header, HeaderValue, Headers, Signature};
pub use verify::{IncomingRequest, Verified};
