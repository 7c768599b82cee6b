//! PieMDM in the scheme model: parameters, headers, defaults and the explain steps. The API
//! is milliseconds; the `X-Timestamp` header carries whole seconds (floored here).

use super::verify::{body, code, Verifier, DEFAULT_MIN_NONCE_LEN, DEFAULT_WINDOW_MS};
use super::{Signer, HEADER_NAMES};
use crate::clock;
use crate::error::Result;
use crate::request::{Request, SignOptions};
use crate::scheme::{
    NonceUse, ParamKind, ParamSpec, Params, SchemeSigner, SchemeSpec, SchemeVerifier, Step,
    VerifierConfig, WireTime,
};
use crate::schemes::SchemeId;
use crate::signature::{Headers, Signature};
use crate::verify::{Credential, IncomingRequest, Verified, Window};

const PARAMS: &[ParamSpec] = &[
    ParamSpec::required("app_id", ParamKind::Text, "the app id (X-App-Id)"),
    ParamSpec::required("app_secret", ParamKind::Secret, "the app secret (HMAC key)"),
];

/// The scheme.
pub static SPEC: SchemeSpec = SchemeSpec {
    id: SchemeId::PieMdm,
    name: "piemdm",
    title: "PieMDM",
    headers: &HEADER_NAMES,
    sign_params: PARAMS,
    credential_params: PARAMS,
    verify_settings: &[
        ParamSpec::optional(
            "strict_query",
            ParamKind::Flag,
            Some("false"),
            "refuse query segments the signature does not cover (`;`, bad `%` escapes)",
        ),
        ParamSpec::optional(
            "min_nonce_len",
            ParamKind::Number,
            None,
            "shortest nonce accepted, in characters (default 12; the platform docs ask for 16)",
        ),
    ],
    window: Window::symmetric(DEFAULT_WINDOW_MS),
    nonces: NonceUse::Always,
    wire_time: WireTime::Seconds,
    platform_code: code,
    http_status: |_, _| None,
    rejection_body: body,
    signs_responses: false,
    new_signer,
    new_credential,
    new_verifier,
};

fn signer(p: &Params<'_, '_>) -> Result<Signer> {
    Signer::new(p.require_text("app_id")?, p.require_bytes("app_secret")?)
}

fn new_signer(p: &Params<'_, '_>) -> Result<Box<dyn SchemeSigner>> {
    Ok(Box::new(signer(p)?))
}

fn new_credential(p: &Params<'_, '_>) -> Result<Credential> {
    credential(signer(p)?)
}

fn new_verifier(c: VerifierConfig, p: &Params<'_, '_>) -> Result<Box<dyn SchemeVerifier>> {
    let Some(nonces) = c.nonces else {
        // The builder always gives this scheme a store (NonceUse::Always).
        return Err(crate::Error::invalid(
            "nonce_store",
            "PieMDM verification needs a nonce store",
        ));
    };
    let mut v = Verifier::new(c.credentials, nonces)
        .window(c.window)?
        .strict_query(p.flag("strict_query")?.unwrap_or(false));
    if let Some(ttl) = c.nonce_ttl_secs {
        v = v.nonce_ttl(ttl)?;
    }
    let min = p
        .number("min_nonce_len")?
        .unwrap_or(DEFAULT_MIN_NONCE_LEN as u64);
    let max = crate::limits::MAX_NONCE_LEN as u64;
    if !(1..=max).contains(&min) {
        // 0 would accept empty nonces; above the limit every request would be refused.
        return Err(crate::Error::invalid(
            "min_nonce_len",
            format!("{min} is outside 1..={max} (nonces are at most {max} bytes)"),
        ));
    }
    Ok(Box::new(v.min_nonce_len(min as usize)))
}

/// A PieMDM caller: the app's signer (app id and secret).
///
/// See the example in [the module docs](crate::piemdm).
pub fn credential(app: Signer) -> Result<Credential> {
    Credential::from_key(SchemeId::PieMdm, app.app_id().to_owned(), app, Vec::new())
}

impl SchemeSigner for Signer {
    fn sign(&self, request: &Request<'_>, options: &SignOptions<'_>) -> Result<Signature> {
        let secs = options.timestamp.unwrap_or_else(clock::now_ms) / 1000;
        let generated;
        let nonce = match options.nonce {
            Some(n) => n,
            None => {
                generated = clock::random_nonce()?;
                &generated
            }
        };
        if options.headers_only {
            // Built in place (see the JetLinks scheme): no finished `Headers` is moved.
            let mut buf = itoa::Buffer::new();
            let ts = buf.format(secs);
            let sign = self.sign_value(request, ts, nonce)?;
            let mut sig = Signature::new(Headers::new(), String::new());
            self.push_headers(&mut sig.headers, ts, nonce, sign);
            return Ok(sig);
        }
        Signer::sign(self, request, secs, nonce)
    }

    fn explain(&self, _: &Request<'_>, sig: &Signature, _now_ms: u64) -> Result<Vec<Step>> {
        let canonical = sig.signed_redacted().into_owned();
        // Split from both ends: a decoded path may itself contain a newline.
        let (method, rest) = canonical.split_once('\n').unwrap_or((&canonical, ""));
        let mut tail = rest.rsplitn(5, '\n');
        let nonce = tail.next().unwrap_or_default();
        let ts = tail.next().unwrap_or_default();
        let body_hash = tail.next().unwrap_or_default();
        let query = tail.next().unwrap_or_default();
        let path = tail.next().unwrap_or_default();
        Ok(vec![
            ("1 method", method.to_owned()),
            ("2 decoded path", path.to_owned()),
            ("3 canonical query", query.to_owned()),
            ("4 sha256(body)", body_hash.to_owned()),
            ("5 X-Timestamp", ts.to_owned()),
            ("6 X-Nonce", nonce.to_owned()),
            ("canonical request", canonical.clone()),
            (
                "X-Sign",
                format!(
                    "hex(HMAC-SHA256(<app secret>, canonical request)) = {}",
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
}
