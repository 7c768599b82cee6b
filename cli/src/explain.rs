//! The steps `apisign explain` shows: each input as the scheme sees it, the intermediate string
//! and the digest, so a mismatch with a server can be located by comparing line by line.
//! Secrets appear only as placeholders.

use apisign::jetlinks::{self, Algorithm, SignedData};
use apisign::lovrabet::Token;
use apisign::{Request, Result, Signature};

type Steps = Vec<(&'static str, String)>;

pub fn lovrabet(token: &Token, now_ms: u64) -> Steps {
    let life = token.lifetime();
    let sig = token.clone().into_signature();
    vec![
        ("string to sign", sig.signed_redacted().into_owned()),
        (
            "hmac",
            "HMAC-SHA256(key = <secret key>, string to sign)".to_owned(),
        ),
        ("X-Token", format!("base64(hmac) = {}", token.token)),
        (
            "expires at",
            format!("{} ms (timestamp + 600000)", token.expires_at_ms()),
        ),
        (
            "remaining now",
            format!("{} ms", life.remaining_ms(now_ms).unwrap_or(u64::MAX)),
        ),
    ]
}

pub fn jetlinks(request: &Request<'_>, algorithm: Algorithm, sig: &Signature) -> Result<Steps> {
    let target = request.target()?;
    let rule = match jetlinks::signed_data(request)? {
        SignedData::Params(_)
            if request.method.eq_ignore_ascii_case("GET")
                || request.method.eq_ignore_ascii_case("DELETE") =>
        {
            "GET/DELETE: query params, URL-decoded, first value per key, keys in UTF-16 order"
        }
        SignedData::Params(_) => {
            "form body: params, URL-decoded, first value per key, keys in UTF-16 order"
        }
        SignedData::Body(_) => "raw body bytes exactly as sent (never re-serialized)",
    };
    let ts = sig.header("X-Timestamp").unwrap_or_default();
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
                algorithm.as_str(),
                sig.header("X-Sign").unwrap_or_default()
            ),
        ),
    ])
}

pub fn piemdm(sig: &Signature) -> Steps {
    let canonical = sig.signed_redacted().into_owned();
    // Split from both ends: a decoded path may itself contain a newline.
    let (method, rest) = canonical.split_once('\n').unwrap_or((&canonical, ""));
    let mut tail = rest.rsplitn(5, '\n');
    let nonce = tail.next().unwrap_or_default();
    let ts = tail.next().unwrap_or_default();
    let body_hash = tail.next().unwrap_or_default();
    let query = tail.next().unwrap_or_default();
    let path = tail.next().unwrap_or_default();
    vec![
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
                sig.header("X-Sign").unwrap_or_default()
            ),
        ),
    ]
}

pub fn linksfield(sig: &Signature, version: &str) -> Steps {
    vec![
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
    ]
}
