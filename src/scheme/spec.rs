//! The static description of a scheme: one value per platform, read by every binding.

use std::fmt;

use super::params::Params;
use super::rejection::RejectionBody;
use super::signer::SchemeSigner;
use super::verifier::{SchemeVerifier, VerifierConfig};
use crate::error::{ErrorKind, Result};
use crate::schemes::SchemeId;
use crate::verify::{Credential, Window};

/// What a parameter holds; bindings use it to convert and to redact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// UTF-8 text shown in the clear (an id, a code).
    Text,
    /// A secret (UTF-8 text or bytes): zeroized, never printed.
    Secret,
    /// One of a fixed list of values (matched ASCII case-insensitively).
    Choice(&'static [&'static str]),
    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
    Flag,
    /// A non-negative decimal integer.
    Number,
    /// An RSA private key: PEM or DER bytes, or a parsed key.
    PrivateKey,
    /// An RSA public key: PEM or DER bytes, or a parsed key.
    PublicKey,
}

impl ParamKind {
    /// Whether values of this kind must never be shown.
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub const fn is_secret(self) -> bool {
        matches!(self, ParamKind::Secret | ParamKind::PrivateKey)
    }
}

/// One parameter a scheme takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamSpec {
    /// Its name, `snake_case` (the Python keyword, the CLI flag without `--` and `_` → `-`).
    pub name: &'static str,
    /// What it holds.
    pub kind: ParamKind,
    /// The value used when it is not given; `None` with `required = false` means "unset".
    pub default: Option<&'static str>,
    /// Whether it must be given.
    pub required: bool,
    /// Whether it may be given several times (a list).
    pub repeated: bool,
    /// One line for users.
    pub doc: &'static str,
}

impl ParamSpec {
    /// A required parameter given once.
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub const fn required(name: &'static str, kind: ParamKind, doc: &'static str) -> Self {
        ParamSpec {
            name,
            kind,
            default: None,
            required: true,
            repeated: false,
            doc,
        }
    }

    /// An optional parameter with a default (`None`: unset).
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub const fn optional(
        name: &'static str,
        kind: ParamKind,
        default: Option<&'static str>,
        doc: &'static str,
    ) -> Self {
        ParamSpec {
            name,
            kind,
            default,
            required: false,
            repeated: false,
            doc,
        }
    }

    /// An optional parameter that may be given any number of times.
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub const fn list(name: &'static str, kind: ParamKind, doc: &'static str) -> Self {
        ParamSpec {
            name,
            kind,
            default: None,
            required: false,
            repeated: true,
            doc,
        }
    }
}

/// Whether a scheme's verifier rejects replayed nonces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonceUse {
    /// The scheme sends no nonce.
    None,
    /// Always: without a store given, the verifier keeps nonces in memory.
    Always,
    /// When a nonce store is given or the setting `track_nonces` is on.
    Optional,
}

/// The unit of the timestamp a scheme sends on the wire (the API is milliseconds throughout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireTime {
    /// Milliseconds since the epoch.
    Millis,
    /// Whole seconds since the epoch (milliseconds are floored).
    Seconds,
}

pub(crate) type NewSigner = fn(&Params<'_, '_>) -> Result<Box<dyn SchemeSigner>>;
pub(crate) type NewCredential = fn(&Params<'_, '_>) -> Result<Credential>;
pub(crate) type NewVerifier =
    fn(VerifierConfig, &Params<'_, '_>) -> Result<Box<dyn SchemeVerifier>>;
/// The platform's own error code for a rejection (`None`: the platform has none).
pub type PlatformCode = fn(ErrorKind, Option<&'static str>) -> Option<&'static str>;
/// The HTTP status the platform answers an error with, given its kind and platform code
/// (`None`: the kind's default, [`ErrorKind::http_status`]).
pub type HttpStatus = fn(ErrorKind, Option<&'static str>) -> Option<u16>;

/// Everything a binding needs to know about one scheme.
pub struct SchemeSpec {
    /// The registry id (stable: C and Go use its number).
    pub id: SchemeId,
    /// Lower-case name used by the CLI, Python and Go (`"x"`).
    pub name: &'static str,
    /// The platform's name as users write it (`"X"`).
    pub title: &'static str,
    /// The headers a signature adds, in the order they are added.
    pub headers: &'static [&'static str],
    /// What [`Signer::new`](super::Signer::new) takes.
    pub sign_params: &'static [ParamSpec],
    /// What [`Credential::new`](crate::verify::Credential::new) takes (one caller, server side).
    pub credential_params: &'static [ParamSpec],
    /// The scheme's own verifier settings ([`VerifierBuilder::setting`](super::VerifierBuilder::setting)).
    pub verify_settings: &'static [ParamSpec],
    /// The default timestamp window, in milliseconds.
    pub window: Window,
    /// Whether the verifier checks nonces.
    pub nonces: NonceUse,
    /// The timestamp unit on the wire.
    pub wire_time: WireTime,
    /// The platform's error code (or HTTP status) for a rejection.
    pub platform_code: PlatformCode,
    /// The platform's HTTP status for an error, where it differs from the kind's default.
    pub http_status: HttpStatus,
    /// The body the platform's server answers an error with.
    pub rejection_body: RejectionBody,
    /// Whether the platform's server signs its responses (see
    /// [`Verifier::sign_response`](super::Verifier::sign_response)).
    pub signs_responses: bool,
    pub(crate) new_signer: NewSigner,
    pub(crate) new_credential: NewCredential,
    pub(crate) new_verifier: NewVerifier,
}

impl fmt::Debug for SchemeSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchemeSpec")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("headers", &self.headers)
            .field("window", &self.window)
            .field("nonces", &self.nonces)
            .finish_non_exhaustive()
    }
}

impl SchemeSpec {
    /// The spec of the parameter `name` among `list`.
    ///
    /// See the example on [`Params`](crate::scheme::Params).
    pub fn param(list: &'static [ParamSpec], name: &str) -> Option<&'static ParamSpec> {
        list.iter().find(|p| p.name == name)
    }

    /// How many of this scheme's [`headers`](Self::headers) are among the header `names`
    /// (compared in any case, as HTTP header names are).
    ///
    /// ```
    /// use apisign::scheme::{SchemeSpec, SCHEMES};
    /// let spec: &SchemeSpec = SCHEMES[0];
    /// let sent: Vec<String> = spec.headers.iter().map(|h| h.to_uppercase()).collect();
    /// assert_eq!(spec.headers_among(sent.iter().map(String::as_str)), spec.headers.len());
    /// assert_eq!(spec.headers_among(["content-type", "accept"]), 0);
    /// ```
    pub fn headers_among<'n, N>(&self, names: N) -> usize
    where
        N: IntoIterator<Item = &'n str> + Clone,
    {
        self.headers
            .iter()
            .filter(|h| names.clone().into_iter().any(|n| n.eq_ignore_ascii_case(h)))
            .count()
    }
}
