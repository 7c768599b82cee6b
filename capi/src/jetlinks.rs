//! JetLinks: request signing, response sign/verify and the access-token request.

use super::buffer::{check_out, write_checked, write_lines};
use super::error::{apisign_error, run, FfiError};
use super::handle::{borrow, Out};
use super::input::{bytes, text};
use super::request::{apisign_request, request, request_parts};
use super::result::{apisign_result, APISIGN_INVALID_INPUT};
use super::signature::apisign_signature;
use apisign::jetlinks::{Algorithm, Signer, HEADER_NAMES};
use apisign::Secret;

/// MD5 digests (the platform default).
pub const APISIGN_JETLINKS_MD5: u32 = 0;
/// SHA-256 digests.
pub const APISIGN_JETLINKS_SHA256: u32 = 1;

/// A JetLinks client: client id, secure key and digest algorithm.
///
/// Immutable after creation: one handle may be used from any number of threads at once.
/// Free with `apisign_jetlinks_free`; the secure key is wiped from memory then.
#[allow(non_camel_case_types)]
pub struct apisign_jetlinks {
    pub(crate) signer: Signer,
}

/// Create a signer. `algorithm` is `APISIGN_JETLINKS_MD5` or `APISIGN_JETLINKS_SHA256`.
#[no_mangle]
pub extern "C" fn apisign_jetlinks_new(
    client_id: *const u8,
    client_id_len: usize,
    secure_key: *const u8,
    secure_key_len: usize,
    algorithm: u32,
    out: *mut *mut apisign_jetlinks,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let algorithm = match algorithm {
            APISIGN_JETLINKS_MD5 => Algorithm::Md5,
            APISIGN_JETLINKS_SHA256 => Algorithm::Sha256,
            other => {
                return Err(FfiError::new(
                    APISIGN_INVALID_INPUT,
                    format!(
                        "algorithm: {other} is not supported; use APISIGN_JETLINKS_MD5 (0) or APISIGN_JETLINKS_SHA256 (1)"
                    ),
                ))
            }
        };
        let id = text(client_id, client_id_len, "client_id")?;
        let key = Secret::from(bytes(secure_key, secure_key_len, "secure_key")?);
        out.set(apisign_jetlinks {
            signer: Signer::new(id, key, algorithm)?,
        });
        Ok(())
    })
}

/// Sign `req` at `timestamp_ms` (Unix milliseconds): headers `X-Client-Id`, `X-Timestamp`,
/// `X-Sign`; the signed string is the sorted param string or the raw body.
#[no_mangle]
pub extern "C" fn apisign_jetlinks_sign(
    signer: *const apisign_jetlinks,
    req: *const apisign_request,
    timestamp_ms: u64,
    out: *mut *mut apisign_signature,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let s = borrow(signer, "signer")?;
        let sig = s.signer.sign(&request(req)?, timestamp_ms)?;
        out.set(apisign_signature::new(sig));
        Ok(())
    })
}

/// Fast path of `apisign_jetlinks_sign` for callers that only send the headers: no result
/// handle, nothing allocated for the result. Signs the request given as parts (`method`, `url`
/// and `body` as for `apisign_request`; `content_type` NULL when none is sent) at
/// `timestamp_ms` and writes `X-Client-Id`, `X-Timestamp` and `X-Sign` as `Name: value\r\n`
/// lines, in that order, into `buf` (the same bytes `apisign_signature_headers` gives for
/// the handle path). Too small (`buf = NULL, len = 0` asks): nothing written, `*out_len` =
/// bytes needed, `APISIGN_BUFFER_TOO_SMALL`; 128 bytes fit any client id up to 40 bytes.
/// Errors are those of `apisign_jetlinks_sign`, naming the field (`method`, `url`, `body`,
/// `content_type`…).
#[no_mangle]
pub extern "C" fn apisign_jetlinks_sign_headers(
    signer: *const apisign_jetlinks,
    method: *const u8,
    method_len: usize,
    url: *const u8,
    url_len: usize,
    body: *const u8,
    body_len: usize,
    content_type: *const u8,
    content_type_len: usize,
    timestamp_ms: u64,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        check_out(buf, len, out_len)?;
        let s = borrow(signer, "signer")?;
        let req = request_parts(
            (method, method_len),
            (url, url_len),
            (body, body_len),
            (content_type, content_type_len),
        )?;
        let mut ts = itoa::Buffer::new();
        let ts = ts.format(timestamp_ms);
        // The same values and order as Signer::sign_headers, straight into the caller's buffer.
        let sign = s.signer.sign_value(&req, ts)?;
        write_lines(
            HEADER_NAMES
                .into_iter()
                .zip([s.signer.client_id(), ts, sign.as_str()]),
            buf,
            len,
            out_len,
        )
    })
}

/// The `X-Sign` a server puts on a response: `hex(H(body ‖ timestamp ‖ secureKey))`, written to
/// `buf` (32 bytes for MD5, 64 for SHA-256). `timestamp` is the response's `X-Timestamp` text.
#[no_mangle]
pub extern "C" fn apisign_jetlinks_sign_response(
    signer: *const apisign_jetlinks,
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
        let s = borrow(signer, "signer")?;
        let body = bytes(body, body_len, "body")?;
        let ts = text(timestamp, timestamp_len, "timestamp")?;
        write_checked(
            s.signer.sign_response(body, ts).as_bytes(),
            buf,
            len,
            out_len,
        )
    })
}

/// Check a response's `X-Sign` (`sign`) against its body and `X-Timestamp` (constant time, hex
/// case ignored). `*valid` receives the answer; a wrong signature is `APISIGN_OK` with
/// `*valid = false`.
#[no_mangle]
pub extern "C" fn apisign_jetlinks_verify_response(
    signer: *const apisign_jetlinks,
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
        if valid.is_null() {
            return Err(FfiError::null("valid"));
        }
        let s = borrow(signer, "signer")?;
        let body = bytes(body, body_len, "body")?;
        let ts = text(timestamp, timestamp_len, "timestamp")?;
        // Non-UTF-8 signature text can never match a hex digest.
        let ok = match std::str::from_utf8(bytes(sign, sign_len, "sign")?) {
            Ok(sign) => s.signer.verify_response(body, ts, sign),
            Err(_) => false,
        };
        // SAFETY: checked non-NULL above; writable per the header contract.
        unsafe { *valid = ok };
        Ok(())
    })
}

/// The signed access-token request `POST /api/v1/token` with body `{"expires":<expires_secs>}`
/// (`<= 0` = never expires). Read the body to send with `apisign_signature_body`.
#[no_mangle]
pub extern "C" fn apisign_jetlinks_token_request(
    signer: *const apisign_jetlinks,
    expires_secs: i64,
    timestamp_ms: u64,
    out: *mut *mut apisign_signature,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let s = borrow(signer, "signer")?;
        let (body, sig) = s.signer.token_request(expires_secs, timestamp_ms)?;
        let mut sig = apisign_signature::new(sig);
        sig.body = Some(body);
        out.set(sig);
        Ok(())
    })
}

/// Free a signer (its secure key is wiped). NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_jetlinks_free(signer: *mut apisign_jetlinks) {
    super::handle::free(signer)
}
