//! JetLinks in the scheme model: parameters, headers, defaults and the explain steps.

use super::verify::{body, code, Verifier, DEFAULT_WINDOW_MS};
use super::{signed_data, Algorithm, SignedData, Signer, HEADER_NAMES};
use crate::clock;
use crate::error::Result;
use crate::request::{Request, SignOptions};
use crate::scheme::{
    NonceUse, ParamKind, ParamSpec, Params, ResponseHeaders, SchemeSigner, SchemeSpec,
    SchemeVerifier, Step, VerifierConfig, WireTime,
};
use crate::schemes::SchemeId;
use crate::signature::{Headers, Signature};
use crate::verify::{Credential, IncomingRequest, Verified, Window};

const PARAMS: &[ParamSpec] = &[
    ParamSpec::required("client_id", ParamKind::Text, "the client id (X-Client-Id)"),
    ParamSpec::required("secure_key", ParamKind::Secret, "the client's secure key"),
    ParamSpec::optional(
        "algorithm",
        ParamKind::Choice(&["md5", "sha256"]),
        Some("md5"),
        "the digest configured for the client on the platform",
    ),
];

/// The scheme.
pub static SPEC: SchemeSpec = SchemeSpec {
    id: SchemeId::JetLinks,
    name: "jetlinks",
    title: "JetLinks",
    headers: &HEADER_NAMES,
    sign_params: PARAMS,
    credential_params: PARAMS,
    verify_settings: &[],
    window: Window::symmetric(DEFAULT_WINDOW_MS),
    nonces: NonceUse::None,
    wire_time: WireTime::Millis,
    platform_code: code,
    http_status: |_, _| None,
    rejection_body: body,
    signs_responses: true,
    new_signer,
    new_credential,
    new_verifier,
};

fn signer(p: &Params<'_, '_>) -> Result<Signer> {
    let algorithm: Algorithm = p.choice("algorithm")?.unwrap_or("md5").parse()?;
    Signer::new(
        p.require_text("client_id")?,
        p.require_bytes("secure_key")?,
        algorithm,
    )
}

fn new_signer(p: &Params<'_, '_>) -> Result<Box<dyn SchemeSigner>> {
    Ok(Box::new(signer(p)?))
}

fn new_credential(p: &Params<'_, '_>) -> Result<Credential> {
    credential(signer(p)?)
}

fn new_verifier(c: VerifierConfig, _: &Params<'_, '_>) -> Result<Box<dyn SchemeVerifier>> {
    Ok(Box::new(Verifier::new(c.credentials).window(c.window)))
}

/// A JetLinks caller: the client's signer (client id, secure key, algorithm).
///
/// See the example in [the module docs](crate::jetlinks).
pub fn credential(client: Signer) -> Result<Credential> {
    Credential::from_key(
        SchemeId::JetLinks,
        client.client_id().to_owned(),
        client,
        Vec::new(),
    )
}

impl SchemeSigner for Signer {
    fn sign(&self, request: &Request<'_>, options: &SignOptions<'_>) -> Result<Signature> {
        let ts = options.timestamp.unwrap_or_else(clock::now_ms);
        if options.headers_only {
            // Built in place: moving a finished `Headers` into a `Signature` cost more than
            // the signed string it spares.
            let mut buf = itoa::Buffer::new();
            let ts = buf.format(ts);
            let sign = self.sign_value(request, ts)?;
            let mut sig = Signature::new(Headers::new(), String::new());
            self.push_headers(&mut sig.headers, ts, sign);
            return Ok(sig);
        }
        Signer::sign(self, request, ts)
    }

    fn verify_response(&self, headers: &[(&str, &str)], body: &[u8]) -> Result<()> {
        super::verify::verify_response(self, body, headers, None)
    }

    fn explain(&self, request: &Request<'_>, sig: &Signature, _now_ms: u64) -> Result<Vec<Step>> {
        let target = request.target()?;
        let get_like = request.method.eq_ignore_ascii_case("GET")
            || request.method.eq_ignore_ascii_case("DELETE");
        let rule = match signed_data(request)? {
            SignedData::Params(_) if get_like => {
                "GET/DELETE: query params, URL-decoded, first value per key, keys in UTF-16 order"
            }
            SignedData::Params(_) => {
                "form body: params, URL-decoded, first value per key, keys in UTF-16 order"
            }
            SignedData::Body(_) => "raw body bytes exactly as sent (never re-serialized)",
        };
        let ts = sig.header(super::header::TIMESTAMP).unwrap_or_default();
        Ok(vec![
            ("method", request.method.to_owned()),
            ("path", target.path.to_owned()),
            ("raw query", target.query.to_owned()),
            (
                "content type",
                request.content_type.unwrap_or("(none)").to_owned(),
            ),
            ("rule", rule.to_owned()),
            ("signed data", sig.signed_redacted().into_owned()),
            ("digest input", format!("<signed data>{ts}<secure key>")),
            (
                "X-Sign",
                format!(
                    "{}(digest input) = {}",
                    self.algorithm().as_str(),
                    sig.header(super::header::SIGN).unwrap_or_default()
                ),
            ),
        ])
    }
}

impl SchemeVerifier for Verifier {
    fn verify(&self, request: &IncomingRequest<'_>, now_ms: u64) -> Result<Verified> {
        self.verify_scheme(request, now_ms)
    }

    /// The platform's server signs every response to an authenticated client.
    fn sign_response(
        &self,
        who: &Verified,
        out: &[u8],
        at: u64,
    ) -> Result<Option<ResponseHeaders>> {
        Verifier::sign_response(self, &who.caller, out, at).map(Some)
    }
}
