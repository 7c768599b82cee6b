//! The generic signer: a scheme id, its parameters, one signing call.

use std::fmt;

use super::params::{Param, Params};
use super::spec::SchemeSpec;
#[cfg(doc)]
use crate::error::ErrorKind;
use crate::error::{Error, Result};
use crate::request::{Request, SignOptions};
use crate::schemes::SchemeId;
use crate::signature::Signature;

/// One line of `explain`: what a step is, and its value as the scheme sees it (secrets are
/// placeholders).
pub type Step = (&'static str, String);

/// What a platform's signer implements.
pub trait SchemeSigner: Send + Sync + fmt::Debug {
    /// Sign `request`. `options.timestamp` is milliseconds; `None` fields are filled from the
    /// clock and the OS CSPRNG. With `options.headers_only` the signed string is empty (the
    /// fast path of the bindings; the headers are the same).
    ///
    /// See the example on [`Signer`](crate::Signer).
    fn sign(&self, request: &Request<'_>, options: &SignOptions<'_>) -> Result<Signature>;

    /// The steps from `request` to `signature` (which this signer made), for `apisign
    /// explain`; `now_ms` is for lifetimes.
    ///
    /// See the example on [`Signer`](crate::Signer).
    fn explain(
        &self,
        request: &Request<'_>,
        signature: &Signature,
        now_ms: u64,
    ) -> Result<Vec<Step>>;

    /// Check a response's signature (`headers` as received, names case-insensitive) against
    /// its `body`, for a platform whose server signs responses: [`ErrorKind::SignatureInvalid`]
    /// when it does not match. The default, for platforms that do not sign responses, is an
    /// [`ErrorKind::InvalidInput`] error: a strict check of such a response would prove
    /// nothing.
    ///
    /// See the example on [`Signer`](crate::Signer).
    fn verify_response(&self, headers: &[(&str, &str)], body: &[u8]) -> Result<()> {
        let _ = (headers, body);
        Err(Error::invalid(
            "strict",
            "this platform's server does not sign its responses; turn the response check off",
        ))
    }
}

/// A signer for any scheme, built from its id and parameters (see the scheme's
/// [`SchemeSpec::sign_params`]).
///
#[doc = include_str!("../../docs/api/signer.md")]
pub struct Signer {
    spec: &'static SchemeSpec,
    inner: Box<dyn SchemeSigner>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The platform signers redact their own secrets.
        self.inner.fmt(f)
    }
}

impl Signer {
    /// A signer for `scheme` with `params`; unknown, repeated or missing parameters are
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) errors naming the
    /// parameter, as are values the scheme cannot use.
    ///
    #[doc = include_str!("../../docs/api/signer-new.md")]
    pub fn new(scheme: SchemeId, params: &[Param<'_>]) -> Result<Signer> {
        let spec = scheme.spec();
        let params = Params::new(
            format_args!("the {} signer", spec.name),
            spec.sign_params,
            params,
        )?;
        Ok(Signer {
            spec,
            inner: (spec.new_signer)(&params)?,
        })
    }

    /// The scheme this signer signs for.
    ///
    /// See the example on [`Signer`](crate::Signer).
    pub fn scheme(&self) -> &'static SchemeSpec {
        self.spec
    }

    /// Sign `request` (see [`SchemeSigner::sign`]).
    ///
    #[doc = include_str!("../../docs/api/signer-sign.md")]
    pub fn sign(&self, request: &Request<'_>, options: &SignOptions<'_>) -> Result<Signature> {
        self.inner.sign(request, options)
    }

    /// Check a signed response (see [`SchemeSigner::verify_response`]): used by the client
    /// adapters' strict mode.
    ///
    /// See the example on [`Signer`](crate::Signer).
    pub fn verify_response(&self, headers: &[(&str, &str)], body: &[u8]) -> Result<()> {
        self.inner.verify_response(headers, body)
    }

    /// The steps behind `signature` (see [`SchemeSigner::explain`]).
    ///
    /// See the example on [`Signer`](crate::Signer).
    pub fn explain(
        &self,
        request: &Request<'_>,
        signature: &Signature,
        now_ms: u64,
    ) -> Result<Vec<Step>> {
        self.inner.explain(request, signature, now_ms)
    }
}

impl SchemeSigner for Signer {
    fn sign(&self, request: &Request<'_>, options: &SignOptions<'_>) -> Result<Signature> {
        self.inner.sign(request, options)
    }

    fn explain(&self, request: &Request<'_>, sig: &Signature, now_ms: u64) -> Result<Vec<Step>> {
        self.inner.explain(request, sig, now_ms)
    }

    fn verify_response(&self, headers: &[(&str, &str)], body: &[u8]) -> Result<()> {
        self.inner.verify_response(headers, body)
    }
}
