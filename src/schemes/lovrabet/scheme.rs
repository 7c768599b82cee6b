//! Lovrabet in the scheme model: parameters, headers, defaults and the explain steps.

use super::verify::{body, code, Verifier, DEFAULT_WINDOW};
use super::{Signer, TokenGenerator, DEFAULT_SECRET_KEY, HEADER_NAMES};
use crate::clock;
use crate::error::Result;
use crate::lifetime::TokenLifetime;
use crate::request::{Request, SignOptions};
use crate::scheme::{
    NonceUse, ParamKind, ParamSpec, Params, SchemeSigner, SchemeSpec, SchemeVerifier, Step,
    VerifierConfig, WireTime,
};
use crate::schemes::SchemeId;
use crate::signature::Signature;
use crate::verify::{Credential, IncomingRequest, Verified};

const ACCESS_KEY: ParamSpec =
    ParamSpec::required("access_key", ParamKind::Secret, "the app's access key");
const SECRET_KEY: ParamSpec = ParamSpec::optional(
    "secret_key",
    ParamKind::Secret,
    Some(DEFAULT_SECRET_KEY),
    "the HMAC key (the platform's default is \"lovrabet\")",
);

/// The scheme.
pub static SPEC: SchemeSpec = SchemeSpec {
    id: SchemeId::Lovrabet,
    name: "lovrabet",
    title: "Lovrabet",
    headers: &HEADER_NAMES,
    sign_params: &[
        ParamSpec::required("app_code", ParamKind::Text, "the app code (X-App-Code)"),
        ParamSpec::required(
            "dataset_code",
            ParamKind::Text,
            "the dataset code (X-Dataset-Code)",
        ),
        ACCESS_KEY,
        SECRET_KEY,
    ],
    credential_params: &[
        ParamSpec::required("app_code", ParamKind::Text, "the app code (X-App-Code)"),
        ACCESS_KEY,
        SECRET_KEY,
        ParamSpec::list(
            "dataset",
            ParamKind::Text,
            "a dataset code the app may read",
        ),
    ],
    verify_settings: &[],
    window: DEFAULT_WINDOW,
    nonces: NonceUse::None,
    wire_time: WireTime::Millis,
    platform_code: code,
    http_status: |_, _| None,
    rejection_body: body,
    signs_responses: false,
    new_signer,
    new_credential,
    new_verifier,
};

fn generator(p: &Params<'_, '_>) -> Result<TokenGenerator> {
    if !p.is_given("secret_key") {
        // The published default key's HMAC state is computed once per process: half the
        // hashing of a one-shot token.
        return TokenGenerator::with_default_secret(p.require_bytes("access_key")?);
    }
    TokenGenerator::new(
        p.require_bytes("access_key")?,
        p.require_bytes("secret_key")?,
    )
}

fn new_signer(p: &Params<'_, '_>) -> Result<Box<dyn SchemeSigner>> {
    Ok(Box::new(Signer::with_generator(
        generator(p)?,
        p.require_text("app_code")?,
        p.require_text("dataset_code")?,
    )?))
}

fn new_credential(p: &Params<'_, '_>) -> Result<Credential> {
    let datasets = p.texts("dataset")?.into_iter().map(str::to_owned);
    Credential::from_key(
        SchemeId::Lovrabet,
        p.require_text("app_code")?.to_owned(),
        generator(p)?,
        datasets,
    )
}

fn new_verifier(c: VerifierConfig, _: &Params<'_, '_>) -> Result<Box<dyn SchemeVerifier>> {
    Ok(Box::new(Verifier::new(c.credentials).window(c.window)))
}

/// A Lovrabet caller: `app_code` with its keys, allowed to read `datasets` (which also become
/// known datasets of the store it is added to).
///
/// See the example in [the module docs](crate::lovrabet).
pub fn credential(
    app_code: &str,
    generator: TokenGenerator,
    datasets: impl IntoIterator<Item = impl Into<String>>,
) -> Result<Credential> {
    Credential::from_key(
        SchemeId::Lovrabet,
        app_code.to_owned(),
        generator,
        datasets.into_iter().map(Into::into),
    )
}

impl SchemeSigner for Signer {
    /// Tokens do not cover the request; only the timestamp matters.
    fn sign(&self, _request: &Request<'_>, options: &SignOptions<'_>) -> Result<Signature> {
        let ts = options.timestamp.unwrap_or_else(clock::now_ms);
        self.generator().signature(
            self.app_code(),
            self.dataset_code(),
            ts,
            options.headers_only,
        )
    }

    fn explain(&self, _: &Request<'_>, sig: &Signature, now_ms: u64) -> Result<Vec<Step>> {
        let ts: u64 = sig
            .header(super::header::TIME_STAMP)
            .and_then(|t| t.parse().ok())
            .unwrap_or_default();
        let life = TokenLifetime::lovrabet(ts);
        Ok(vec![
            ("string to sign", sig.signed_redacted().into_owned()),
            (
                "hmac",
                "HMAC-SHA256(key = <secret key>, string to sign)".to_owned(),
            ),
            (
                "X-Token",
                format!(
                    "base64(hmac) = {}",
                    sig.header(super::header::TOKEN).unwrap_or_default()
                ),
            ),
            (
                "expires at",
                format!(
                    "{} ms (timestamp + 600000)",
                    life.expires_at_ms().unwrap_or(u64::MAX)
                ),
            ),
            (
                "remaining now",
                format!("{} ms", life.remaining_ms(now_ms).unwrap_or(u64::MAX)),
            ),
        ])
    }
}

impl SchemeVerifier for Verifier {
    fn verify(&self, request: &IncomingRequest<'_>, now_ms: u64) -> Result<Verified> {
        self.verify_scheme(request, now_ms)
    }
}
