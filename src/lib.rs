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
//! The core is pure: every function that needs a time or nonce takes it explicitly; the
//! [`RequestSigner`] trait fills in the clock and the OS CSPRNG ([`clock`]) when the caller
//! gives none.
//!
//! ```
//! use apisign::{jetlinks, Request};
//! let signer = jetlinks::Signer::new("testId", "testSecure", jetlinks::Algorithm::Md5)?;
//! let sig = signer.sign(&Request::new("GET", "/api/device?pageSize=20&pageIndex=0"), 1574993804802)?;
//! assert_eq!(sig.signed, "pageIndex=0&pageSize=20");
//! assert_eq!(sig.header("X-Sign"), Some("837fe7fa29e7a5e4852d447578269523"));
//! # Ok::<(), apisign::Error>(())
//! ```
// The bindings' unsafe code lives in their own crates (capi/, pyext/).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

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

pub use error::{Error, ErrorKind, Result};
pub use keys::{PrivateKey, PublicKey};
pub use lifetime::TokenLifetime;
pub use request::{Request, RequestSigner, SignOptions, Target};
pub use scheme::{Signer, Verifier};
pub use schemes::{jetlinks, linksfield, lovrabet, piemdm, SchemeId};
pub use secret::Secret;
pub use signature::{Header, HeaderValue, Headers, Signature};
pub use verify::{IncomingRequest, Verified};
