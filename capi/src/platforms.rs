//! Everything of the C ABI that names a platform: the scheme id constants and the few calls
//! only one platform has. The rest of the ABI is generic (scheme id + named parameters).

use super::buffer::{answer, write_checked, write_out};
use super::error::{apisign_error, run, FfiError};
use super::handle::{borrow, create};
use super::input::{bytes, list, signature_text, text};
use super::lifetime::{apisign_lifetime, EXPIRED};
use super::panic::guard;
use super::request::{apisign_request, request};
use super::result::{
    apisign_result, APISIGN_INDEX_OUT_OF_RANGE, APISIGN_INVALID_INPUT, APISIGN_PANIC,
};
use super::signature::apisign_signature;
use super::signer::apisign_signer;
use apisign::scheme::{Param, Params};
use apisign::{jetlinks, lovrabet, piemdm, SchemeId, TokenLifetime};

/// Lovrabet: HMAC-SHA256 token over access key, app, dataset and timestamp.
pub const APISIGN_SCHEME_LOVRABET: u32 = 0;
/// JetLinks: MD5 or SHA-256 over the params or body, timestamp and secure key.
pub const APISIGN_SCHEME_JETLINKS: u32 = 1;
/// PieMDM: HMAC-SHA256 over a canonical request with nonce (its header carries seconds).
pub const APISIGN_SCHEME_PIEMDM: u32 = 2;
/// Linksfield Cube: SHA1withRSA over sorted compact JSON, versions 1 and 2.
pub const APISIGN_SCHEME_LINKSFIELD: u32 = 3;

/// What a signer of a scheme with its own calls keeps besides the generic signer (the core's
/// generic signer does not expose the platform's typed one).
pub(crate) enum Extra {
    JetLinks(jetlinks::Signer),
    Lovrabet {
        generator: lovrabet::TokenGenerator,
        app_code: String,
    },
}

/// The typed signer for the scheme-only calls, from the same (already accepted) parameters.
pub(crate) fn extra(id: SchemeId, given: &[Param<'_>]) -> apisign::Result<Option<Extra>> {
    let p = || {
        Params::new(
            format_args!("the {id} signer"),
            id.spec().sign_params,
            given,
        )
    };
    Ok(match id {
        SchemeId::JetLinks => {
            let p = p()?;
            let algorithm: jetlinks::Algorithm = p.choice("algorithm")?.unwrap_or("md5").parse()?;
            Some(Extra::JetLinks(jetlinks::Signer::new(
                p.require_text("client_id")?,
                p.require_bytes("secure_key")?,
                algorithm,
            )?))
        }
        SchemeId::Lovrabet => {
            let p = p()?;
            Some(Extra::Lovrabet {
                generator: lovrabet::TokenGenerator::new(
                    p.require_bytes("access_key")?,
                    p.require_bytes("secret_key")?,
                )?,
                app_code: p.require_text("app_code")?.to_owned(),
            })
        }
        SchemeId::PieMdm | SchemeId::Linksfield => None,
    })
}

fn wrong_scheme(call: &str, want: SchemeId, signer: &apisign_signer) -> FfiError {
    FfiError::new(
        APISIGN_INVALID_INPUT,
        format!(
            "signer: {call} needs a signer of scheme {want}, not {}",
            signer.signer.scheme().name
        ),
    )
}

fn jetlinks_signer<'a>(
    signer: *const apisign_signer,
    call: &str,
) -> Result<&'a jetlinks::Signer, FfiError> {
    let s: &apisign_signer = borrow(signer, "signer")?;
    match &s.extra {
        Some(Extra::JetLinks(j)) => Ok(j),
        _ => Err(wrong_scheme(call, SchemeId::JetLinks, s)),
    }
}

/// JetLinks: the `X-Sign` a server puts on a response, `hex(H(body ‖ timestamp ‖ secureKey))`,
/// written to `buf` (32 bytes for MD5, 64 for SHA-256). `timestamp` is the response's
/// `X-Timestamp` text. `signer` must be of scheme `APISIGN_SCHEME_JETLINKS`.
#[no_mangle]
pub extern "C" fn apisign_jetlinks_sign_response(
    signer: *const apisign_signer,
    body: *const u8,
    body_len: usize,
    timestamp: *const u8,
    timestamp_len: usize,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let s = jetlinks_signer(signer, "apisign_jetlinks_sign_response")?;
        let body = bytes(body, body_len, "body")?;
        let ts = text(timestamp, timestamp_len, "timestamp")?;
        write_checked(s.sign_response(body, ts).as_bytes(), buf, len, out_len)
    })
}

/// JetLinks: check a response's `X-Sign` (`sign`) against its body and `X-Timestamp` (constant
/// time, hex case ignored). `*valid` receives the answer; a wrong signature is `APISIGN_OK`
/// with `*valid = false`.
#[no_mangle]
pub extern "C" fn apisign_jetlinks_verify_response(
    signer: *const apisign_signer,
    body: *const u8,
    body_len: usize,
    timestamp: *const u8,
    timestamp_len: usize,
    sign: *const u8,
    sign_len: usize,
    valid: *mut bool,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        answer(valid, || {
            let s = jetlinks_signer(signer, "apisign_jetlinks_verify_response")?;
            let body = bytes(body, body_len, "body")?;
            let ts = text(timestamp, timestamp_len, "timestamp")?;
            let sign = signature_text(sign, sign_len, "sign")?;
            Ok(sign.is_some_and(|sign| s.verify_response(body, ts, sign)))
        })
    })
}

/// JetLinks: the signed access-token request `POST /api/v1/token` with body
/// `{"expires":<expires_secs>}` (`<= 0` = never expires). Read the body to send with
/// `apisign_signature_body`.
#[no_mangle]
pub extern "C" fn apisign_jetlinks_token_request(
    signer: *const apisign_signer,
    expires_secs: i64,
    timestamp_ms: u64,
    out: *mut *mut apisign_signature,
    err: *mut *mut apisign_error,
) -> apisign_result {
    create(err, out, || {
        let s = jetlinks_signer(signer, "apisign_jetlinks_token_request")?;
        let (body, sig) = s.token_request(expires_secs, timestamp_ms)?;
        let mut sig = apisign_signature::new(sig);
        sig.body = Some(body);
        Ok(sig)
    })
}

/// JetLinks: an access token requested with `{"expires": expires_secs}` at `issued_at_ms`;
/// `expires_secs <= 0` never expires.
#[no_mangle]
pub extern "C" fn apisign_lifetime_jetlinks(
    issued_at_ms: u64,
    expires_secs: i64,
) -> apisign_lifetime {
    guard(EXPIRED, || {
        TokenLifetime::jetlinks(issued_at_ms, expires_secs).into()
    })
}

/// Lovrabet: a token signed at `timestamp_ms` is valid for 600 000 ms.
#[no_mangle]
pub extern "C" fn apisign_lifetime_lovrabet(timestamp_ms: u64) -> apisign_lifetime {
    guard(EXPIRED, || TokenLifetime::lovrabet(timestamp_ms).into())
}

/// Lovrabet: one dataset of a batch, a unique `name` (the key of the result) and its dataset
/// `code`.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct apisign_dataset {
    /// Name that keys the result (UTF-8, unique within the batch).
    pub name: *const u8,
    /// Length of `name`.
    pub name_len: usize,
    /// Dataset code sent as `X-Dataset-Code` (UTF-8).
    pub code: *const u8,
    /// Length of `code`.
    pub code_len: usize,
}

/// Lovrabet: tokens for several datasets, in the order they were given.
///
/// Immutable: safe to read from several threads at once. Free with
/// `apisign_lovrabet_batch_free`; signatures borrowed from it die with it.
#[allow(non_camel_case_types)]
pub struct apisign_lovrabet_batch {
    entries: Vec<(String, apisign_signature)>,
}

/// Lovrabet: one token per dataset in `datasets[0..count]`, all at `timestamp_ms`, for the app
/// and keys of `signer` (scheme `APISIGN_SCHEME_LOVRABET`; its own dataset is not used). Names
/// must be non-empty and unique.
#[no_mangle]
pub extern "C" fn apisign_lovrabet_batch_new(
    signer: *const apisign_signer,
    datasets: *const apisign_dataset,
    count: usize,
    timestamp_ms: u64,
    out: *mut *mut apisign_lovrabet_batch,
    err: *mut *mut apisign_error,
) -> apisign_result {
    create(err, out, || {
        let s: &apisign_signer = borrow(signer, "signer")?;
        let Some(Extra::Lovrabet {
            generator,
            app_code,
        }) = &s.extra
        else {
            return Err(wrong_scheme(
                "apisign_lovrabet_batch_new",
                SchemeId::Lovrabet,
                s,
            ));
        };
        let list = list(datasets, count, "datasets")?;
        let mut pairs = Vec::with_capacity(list.len());
        for d in list {
            pairs.push((
                text(d.name, d.name_len, "datasets.name")?,
                text(d.code, d.code_len, "datasets.code")?,
            ));
        }
        let entries = generator
            .generate_batch(app_code, &pairs, timestamp_ms)?
            .into_iter()
            .map(|(name, token)| (name, apisign_signature::new(token.into_signature())))
            .collect();
        Ok(apisign_lovrabet_batch { entries })
    })
}

/// Number of tokens in `batch` (0 when NULL).
#[no_mangle]
pub extern "C" fn apisign_lovrabet_batch_len(batch: *const apisign_lovrabet_batch) -> usize {
    guard(0, || borrow(batch, "batch").map_or(0, |b| b.entries.len()))
}

/// Copy the name of entry `index` into `buf` (`APISIGN_INDEX_OUT_OF_RANGE` past the end).
#[no_mangle]
pub extern "C" fn apisign_lovrabet_batch_name(
    batch: *const apisign_lovrabet_batch,
    index: usize,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    guard(APISIGN_PANIC, || match borrow(batch, "batch") {
        Ok(b) => match b.entries.get(index) {
            Some((name, _)) => write_out(name.as_bytes(), buf, len, out_len),
            None => APISIGN_INDEX_OUT_OF_RANGE,
        },
        Err(e) => e.code,
    })
}

/// The token of entry `index`, borrowed from `batch` (do not free it; it lives as long as the
/// batch). NULL when `batch` is NULL or `index` is past the end.
#[no_mangle]
pub extern "C" fn apisign_lovrabet_batch_get(
    batch: *const apisign_lovrabet_batch,
    index: usize,
) -> *const apisign_signature {
    guard(std::ptr::null(), || {
        borrow(batch, "batch")
            .ok()
            .and_then(|b| b.entries.get(index))
            .map_or(std::ptr::null(), |(_, sig)| sig as *const _)
    })
}

// Shared across threads by C and Go callers, like every handle (see lib.rs).
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<apisign_lovrabet_batch>();
};

/// Free a batch and every signature borrowed from it. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_lovrabet_batch_free(batch: *mut apisign_lovrabet_batch) {
    super::handle::free(batch)
}

/// PieMDM: the exact canonical request bytes for `req` signed at `timestamp_ms` (floored to the
/// header's seconds) with `nonce` (method, decoded path, canonical query, body SHA-256,
/// timestamp, nonce joined by `\n`) into `buf`. Bytes, not text: a decoded path may not be
/// UTF-8.
#[no_mangle]
pub extern "C" fn apisign_piemdm_canonical_request(
    req: *const apisign_request,
    timestamp_ms: u64,
    nonce: *const u8,
    nonce_len: usize,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let nonce = text(nonce, nonce_len, "nonce")?;
        let mut ts = itoa::Buffer::new();
        let canonical =
            piemdm::canonical_request(&request(req)?, ts.format(timestamp_ms / 1000), nonce)?;
        write_checked(&canonical, buf, len, out_len)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_constants_are_the_registry_ids() {
        let constants = [
            ("lovrabet", APISIGN_SCHEME_LOVRABET),
            ("jetlinks", APISIGN_SCHEME_JETLINKS),
            ("piemdm", APISIGN_SCHEME_PIEMDM),
            ("linksfield", APISIGN_SCHEME_LINKSFIELD),
        ];
        // Every scheme of the registry has its constant, with its number, and no other.
        assert_eq!(constants.len(), SchemeId::ALL.len());
        for id in SchemeId::ALL {
            let (_, n) = constants
                .iter()
                .find(|(name, _)| *name == id.name())
                .unwrap_or_else(|| panic!("no APISIGN_SCHEME_ constant for {id}"));
            assert_eq!(*n, id as u32, "APISIGN_SCHEME_ for {id}");
        }
        // And the committed header (what C and Go compile against) says the same.
        crate::result::assert_header_defines(SchemeId::ALL.into_iter().map(|id| {
            (
                format!("SCHEME_{}", id.name().to_ascii_uppercase()),
                id as u32,
            )
        }));
    }
}
