//! Linksfield Cube in the scheme model: parameters, headers, defaults and the explain steps.
//! The signature version is a setting (`version`: 2.0 by default, 1.0 deprecated).

use serde_json::Map;

use super::verify::{body, code, status, Verifier, DEFAULT_WINDOW_MS};
use super::{parse_v1_nonce, PublicKey, Signer, Version};
use crate::clock;
use crate::error::Result;
use crate::request::{Request, SignOptions};
use crate::scheme::{
    NonceUse, ParamKind, ParamSpec, Params, SchemeSigner, SchemeSpec, SchemeVerifier, Step,
    VerifierConfig, WireTime,
};
use crate::schemes::SchemeId;
use crate::signature::Signature;
use crate::verify::{Credential, IncomingRequest, Verified, Window};

/// A signer bound to one signature version (the generic model's Linksfield signer).
#[derive(Clone, Debug)]
pub struct VersionedSigner {
    /// The signer.
    pub signer: Signer,
    /// The version to use.
    pub version: Version,
}

/// The scheme.
pub static SPEC: SchemeSpec = SchemeSpec {
    id: SchemeId::Linksfield,
    name: "linksfield",
    title: "Linksfield Cube",
    headers: &["Authorization", "timestamp", "nonce", "X-LF-Signature-Type"],
    sign_params: &[
        ParamSpec::required(
            "key_id",
            ParamKind::Text,
            "the key id issued with the key pair",
        ),
        ParamSpec::required(
            "private_key",
            ParamKind::PrivateKey,
            "the RSA private key (PEM or DER)",
        ),
        ParamSpec::optional(
            "version",
            ParamKind::Choice(&["2.0", "1.0", "2", "1", "v2", "v1"]),
            Some("2.0"),
            "the signature version (1.0 is deprecated)",
        ),
    ],
    credential_params: &[
        ParamSpec::required("key_id", ParamKind::Text, "the caller's key id"),
        ParamSpec::required(
            "public_key",
            ParamKind::PublicKey,
            "the caller's RSA public key (PEM or DER)",
        ),
    ],
    verify_settings: &[
        ParamSpec::optional(
            "accept_v1",
            ParamKind::Flag,
            Some("true"),
            "accept deprecated version-1 signatures",
        ),
        ParamSpec::optional(
            "track_nonces",
            ParamKind::Flag,
            Some("false"),
            "reject replayed nonces (kept in memory unless a nonce store is given)",
        ),
    ],
    window: Window::symmetric(DEFAULT_WINDOW_MS),
    nonces: NonceUse::Optional,
    wire_time: WireTime::Millis,
    platform_code: code,
    http_status: status,
    rejection_body: body,
    signs_responses: false,
    new_signer,
    new_credential,
    new_verifier,
};

fn new_signer(p: &Params<'_, '_>) -> Result<Box<dyn SchemeSigner>> {
    let key = p.private_key("private_key")?;
    let Some(key) = key else {
        return Err(crate::Error::invalid("private_key", "is required"));
    };
    let version: Version = p.choice("version")?.unwrap_or("2.0").parse()?;
    Ok(Box::new(VersionedSigner {
        signer: Signer::new(p.require_text("key_id")?, key)?,
        version,
    }))
}

fn new_credential(p: &Params<'_, '_>) -> Result<Credential> {
    let Some(key) = p.public_key("public_key")? else {
        return Err(crate::Error::invalid("public_key", "is required"));
    };
    Credential::from_shared_key(
        SchemeId::Linksfield,
        p.require_text("key_id")?.to_owned(),
        key,
        Vec::new(),
    )
}

fn new_verifier(c: VerifierConfig, p: &Params<'_, '_>) -> Result<Box<dyn SchemeVerifier>> {
    let mut v = Verifier::new(c.credentials)
        .window(c.window)?
        .accept_v1(p.flag("accept_v1")?.unwrap_or(true));
    if let Some(store) = c.nonces {
        v = v.with_nonce_store(store);
    }
    if let Some(ttl) = c.nonce_ttl_secs {
        v = v.nonce_ttl(ttl)?;
    }
    Ok(Box::new(v))
}

/// A Linksfield caller: its key id and public key.
///
/// See the example on [`PrivateKey`](crate::PrivateKey).
pub fn credential(key_id: &str, key: impl Into<std::sync::Arc<PublicKey>>) -> Result<Credential> {
    let key: std::sync::Arc<PublicKey> = key.into();
    Credential::from_shared_key(SchemeId::Linksfield, key_id.to_owned(), key, Vec::new())
}

impl VersionedSigner {
    fn sign_full(&self, request: &Request<'_>, options: &SignOptions<'_>) -> Result<Signature> {
        let ts = options.timestamp.unwrap_or_else(clock::now_ms);
        match self.version {
            Version::V2 => match options.nonce {
                Some(n) => self.signer.sign_v2(request, ts, n),
                None => self.signer.sign_v2(request, ts, &clock::random_nonce()?),
            },
            Version::V1 => {
                let nonce = match options.nonce {
                    Some(n) => parse_v1_nonce(n)?,
                    None => clock::random_int_nonce()?,
                };
                Ok(self
                    .signer
                    .sign_v1_request(request, &Map::new(), ts, nonce)?
                    .signature)
            }
        }
    }
}

impl SchemeSigner for VersionedSigner {
    /// v2 uses the options' nonce as a string; v1 needs an integer nonce. For v1, the returned
    /// `Authorization` covers `timestamp` and `nonce`, which the caller must add to the query
    /// or body; use [`Signer::sign_v1_request`] to get their values back.
    fn sign(&self, request: &Request<'_>, options: &SignOptions<'_>) -> Result<Signature> {
        let mut sig = self.sign_full(request, options)?;
        if options.headers_only {
            // RSA signs the message, so it is built anyway; dropped for one contract across
            // schemes (headers only: the signed string is empty).
            sig.signed = String::new();
        }
        Ok(sig)
    }

    fn explain(&self, _: &Request<'_>, sig: &Signature, _now_ms: u64) -> Result<Vec<Step>> {
        let version = match self.version {
            Version::V2 => "2.0",
            Version::V1 => "1.0",
        };
        Ok(vec![
            ("signature version", version.to_owned()),
            ("message", sig.signed_redacted().into_owned()),
            (
                "sign",
                "base64(SHA1withRSA(<private key>, utf8(message)))".to_owned(),
            ),
            (
                "Authorization",
                sig.header("Authorization").unwrap_or_default().to_owned(),
            ),
        ])
    }
}

impl SchemeVerifier for Verifier {
    fn verify(&self, request: &IncomingRequest<'_>, now_ms: u64) -> Result<Verified> {
        self.verify_scheme(request, &serde_json::Map::new(), now_ms)
    }
}
