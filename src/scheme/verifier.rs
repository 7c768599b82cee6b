//! The generic verifier: a scheme id, a credential store, a window, a nonce store and the
//! scheme's settings; one verifying call with `now` in milliseconds.

use std::fmt;
use std::sync::Arc;

use super::params::{Param, Params};
use super::rejection::{Rejection, JSON};
use super::spec::{NonceUse, SchemeSpec};
use crate::error::{Error, Result};
use crate::schemes::SchemeId;
use crate::verify::{
    caller_allowed, with_code, CredentialStore, InMemoryNonceStore, IncomingRequest, NonceStore,
    Verified, Window,
};

/// Response headers, `(name, value)` in order.
pub type ResponseHeaders = Vec<(&'static str, String)>;

/// What a platform's verifier implements.
pub trait SchemeVerifier: Send + Sync + fmt::Debug {
    /// Verify `request` at `now_ms` (milliseconds since the epoch).
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    fn verify(&self, request: &IncomingRequest<'_>, now_ms: u64) -> Result<Verified>;

    /// The headers that sign a response with `body` to the caller of `verified`, for a
    /// platform whose server signs its responses; `None` (the default) for the others.
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    fn sign_response(
        &self,
        verified: &Verified,
        body: &[u8],
        now_ms: u64,
    ) -> Result<Option<ResponseHeaders>> {
        let _ = (verified, body, now_ms);
        Ok(None)
    }
}

/// What every verifier is built from; the scheme adds its own settings.
#[derive(Clone)]
pub struct VerifierConfig {
    /// Where callers are looked up.
    pub credentials: Arc<dyn CredentialStore>,
    /// The timestamp window in milliseconds.
    pub window: Window,
    /// The replay store; `Some` whenever the scheme must check nonces.
    pub nonces: Option<Arc<dyn NonceStore>>,
    /// How long nonces are kept (`None`: derived from the window).
    pub nonce_ttl_secs: Option<u64>,
}

/// A verifier for any scheme.
///
#[doc = include_str!("../../docs/api/verifier.md")]
pub struct Verifier {
    spec: &'static SchemeSpec,
    credentials: Arc<dyn CredentialStore>,
    inner: Box<dyn SchemeVerifier>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl Verifier {
    /// A builder for `scheme` looking callers up in `credentials`.
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    pub fn builder(scheme: SchemeId, credentials: Arc<dyn CredentialStore>) -> VerifierBuilder {
        VerifierBuilder {
            spec: scheme.spec(),
            credentials,
            window: None,
            nonces: None,
            nonce_ttl_secs: None,
            settings: Vec::new(),
        }
    }

    /// The scheme this verifier checks.
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    pub fn scheme(&self) -> &'static SchemeSpec {
        self.spec
    }

    /// For a server that accepts several platforms, the index of the one of `verifiers` that
    /// serves a request carrying the headers named `names`: the one whose scheme's headers it
    /// carries the most of ([`SchemeSpec::headers_among`]), the first one on a tie, so a
    /// request carrying none is refused as the first verifier refuses it. `None` only when
    /// `verifiers` is empty. Every middleware picks with this, before reading the body, so
    /// that even a body over the limit is answered the right platform's way.
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    pub fn pick<'v, 'n, V, N>(verifiers: V, names: N) -> Option<usize>
    where
        V: IntoIterator<Item = &'v Verifier>,
        N: IntoIterator<Item = &'n str> + Clone,
    {
        let mut best = None;
        let mut most = 0;
        for (i, v) in verifiers.into_iter().enumerate() {
            let n = v.spec.headers_among(names.clone());
            if best.is_none() || n > most {
                (best, most) = (Some(i), n);
            }
        }
        best
    }

    /// Verify `request` at `now_ms` (milliseconds since the epoch, for every scheme).
    /// Rejections carry the platform's code ([`Error::platform_code`]) and HTTP status
    /// ([`Error::http_status`]).
    ///
    /// After the scheme's checks, a caller whose credential has an address allow-list
    /// ([`Credential::allowed_ips`](crate::verify::Credential::allowed_ips)) is refused with
    /// [`ErrorKind::IpNotAllowed`](crate::ErrorKind::IpNotAllowed) unless
    /// [`IncomingRequest::client_ip`] is in it. The check follows the signature, so only an
    /// authenticated caller learns that its address is refused.
    ///
    #[doc = include_str!("../../docs/api/verifier-verify.md")]
    pub fn verify(&self, request: &IncomingRequest<'_>, now_ms: u64) -> Result<Verified> {
        caller_allowed(
            &*self.credentials,
            self.spec,
            request,
            self.inner.verify(request, now_ms)?,
        )
    }

    /// The answer to send for `error`: the platform's HTTP status and body (for any error:
    /// malformed input is 400, a nonce store that cannot be used 503…). The body holds the
    /// platform's fixed message, never the error's detailed one (log that).
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    pub fn rejection(&self, error: &Error) -> Rejection {
        let error = with_code(error.clone(), self.spec);
        let status = error.http_status();
        Rejection {
            status,
            content_type: JSON,
            body: (self.spec.rejection_body)(&error, status),
        }
    }

    /// The headers that sign a response with `body` for the caller of `verified`, for a scheme
    /// whose platform signs every response; `None` for a scheme whose responses are not signed.
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    pub fn sign_response(
        &self,
        verified: &Verified,
        body: &[u8],
        now_ms: u64,
    ) -> Result<Option<ResponseHeaders>> {
        self.inner.sign_response(verified, body, now_ms)
    }

    /// Verify `request` at the current time.
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    pub fn verify_now(&self, request: &IncomingRequest<'_>) -> Result<Verified> {
        self.verify(request, crate::clock::now_ms())
    }
}

/// Builds a [`Verifier`]: the scheme's defaults unless set.
pub struct VerifierBuilder {
    spec: &'static SchemeSpec,
    credentials: Arc<dyn CredentialStore>,
    window: Option<Window>,
    nonces: Option<Arc<dyn NonceStore>>,
    nonce_ttl_secs: Option<u64>,
    settings: Vec<(&'static str, String)>,
}

impl fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("scheme", &self.spec.name)
            .field("window", &self.window)
            .field("nonce_store", &self.nonces.is_some())
            .field("nonce_ttl_secs", &self.nonce_ttl_secs)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl VerifierBuilder {
    /// The timestamp window in milliseconds (default: the scheme's, [`SchemeSpec::window`]).
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    pub fn window(mut self, window: Window) -> Self {
        self.window = Some(window);
        self
    }

    /// Record nonces in `store` (shared by several verifiers or servers). A scheme that
    /// always checks nonces uses an in-memory store when none is given; for one where it is
    /// optional, giving a store turns the check on.
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    pub fn nonce_store(mut self, store: Arc<dyn NonceStore>) -> Self {
        self.nonces = Some(store);
        self
    }

    /// Keep nonces `secs` seconds instead of the window's minimum; shorter than the minimum
    /// is refused by [`build`](Self::build).
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    pub fn nonce_ttl_secs(mut self, secs: u64) -> Self {
        self.nonce_ttl_secs = Some(secs);
        self
    }

    /// A scheme setting (see [`SchemeSpec::verify_settings`]); an unknown name is refused
    /// here, a bad value by [`build`](Self::build).
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    pub fn setting(mut self, name: &str, value: &str) -> Result<Self> {
        let Some(spec) = SchemeSpec::param(self.spec.verify_settings, name) else {
            let known: Vec<&str> = self.spec.verify_settings.iter().map(|s| s.name).collect();
            return Err(Error::invalid(
                "setting",
                format!(
                    "the {} verifier has no setting {name:?}; it has: {}",
                    self.spec.name,
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        };
        self.settings.retain(|(n, _)| *n != spec.name);
        self.settings.push((spec.name, value.to_owned()));
        Ok(self)
    }

    /// The verifier, or an [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) error
    /// naming the setting that cannot be used.
    ///
    /// See the example on [`Verifier`](crate::Verifier).
    pub fn build(self) -> Result<Verifier> {
        let spec = self.spec;
        let given: Vec<Param<'_>> = self
            .settings
            .iter()
            .map(|(n, v)| Param::text(n, v))
            .collect();
        let params = Params::new(
            format_args!("the {} verifier", spec.name),
            spec.verify_settings,
            &given,
        )?;
        let track = match spec.nonces {
            NonceUse::None => false,
            NonceUse::Always => true,
            NonceUse::Optional => {
                self.nonces.is_some()
                    || (spec
                        .verify_settings
                        .iter()
                        .any(|s| s.name == "track_nonces")
                        && params.flag("track_nonces")?.unwrap_or(false))
            }
        };
        if !track && (self.nonces.is_some() || self.nonce_ttl_secs.is_some()) {
            return Err(Error::invalid(
                "nonce_store",
                format!(
                    "{} requests carry no nonce; remove the nonce store and TTL",
                    spec.title
                ),
            ));
        }
        let nonces = match (track, self.nonces) {
            (true, None) => Some(Arc::new(InMemoryNonceStore::default()) as Arc<dyn NonceStore>),
            (true, store) => store,
            (false, _) => None,
        };
        let config = VerifierConfig {
            credentials: self.credentials.clone(),
            window: self.window.unwrap_or(spec.window),
            nonces,
            nonce_ttl_secs: self.nonce_ttl_secs,
        };
        Ok(Verifier {
            spec,
            credentials: self.credentials,
            inner: (spec.new_verifier)(config, &params)?,
        })
    }
}
