//! PieMDM: request signing and the canonical request.

use super::buffer::{check_out, write_checked, write_lines};
use super::error::{apisign_error, run};
use super::handle::{borrow, Out};
use super::input::{bytes, nonce_or_random, text};
use super::request::{apisign_request, request, request_parts};
use super::result::apisign_result;
use super::signature::apisign_signature;
use apisign::piemdm::{canonical_request, Signer, HEADER_NAMES};
use apisign::Secret;

/// A PieMDM app: app id and app secret (keyed HMAC state computed once).
///
/// Immutable after creation: one handle may be used from any number of threads at once.
/// Free with `apisign_piemdm_free`; the secret is wiped from memory then.
#[allow(non_camel_case_types)]
pub struct apisign_piemdm {
    pub(crate) signer: Signer,
}

/// Create a signer for `app_id` with `app_secret`.
#[no_mangle]
pub extern "C" fn apisign_piemdm_new(
    app_id: *const u8,
    app_id_len: usize,
    app_secret: *const u8,
    app_secret_len: usize,
    out: *mut *mut apisign_piemdm,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let id = text(app_id, app_id_len, "app_id")?;
        let secret = Secret::from(bytes(app_secret, app_secret_len, "app_secret")?);
        out.set(apisign_piemdm {
            signer: Signer::new(id, secret)?,
        });
        Ok(())
    })
}

/// Sign `req` at `timestamp_secs` (Unix **seconds**) with `nonce` (use 16+ random characters,
/// e.g. from `apisign_random_nonce`): headers `X-App-Id`, `X-Timestamp`, `X-Nonce`, `X-Sign`;
/// the signed string is the canonical request.
#[no_mangle]
pub extern "C" fn apisign_piemdm_sign(
    signer: *const apisign_piemdm,
    req: *const apisign_request,
    timestamp_secs: u64,
    nonce: *const u8,
    nonce_len: usize,
    out: *mut *mut apisign_signature,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let s = borrow(signer, "signer")?;
        let nonce = text(nonce, nonce_len, "nonce")?;
        let sig = s.signer.sign(&request(req)?, timestamp_secs, nonce)?;
        out.set(apisign_signature::new(sig));
        Ok(())
    })
}

/// Fast path of `apisign_piemdm_sign` for callers that only send the headers: no result
/// handle, nothing allocated for the result. Signs the request given as parts (`method`, `url`,
/// `body` as for `apisign_request`) at `timestamp_secs` (Unix **seconds**) with `nonce`, and
/// writes `X-App-Id`, `X-Timestamp`, `X-Nonce` and `X-Sign` as `Name: value\r\n` lines, in that
/// order, into `buf` (the bytes `apisign_signature_headers` gives for the handle path).
/// `nonce = NULL` (with `nonce_len = 0`) draws a fresh 32-character nonce from the OS CSPRNG;
/// read it back from the `X-Nonce` line. Too small (`buf = NULL, len = 0` asks): nothing
/// written, `*out_len` = bytes needed, `APISIGN_BUFFER_TOO_SMALL` — a retry signs again (with a
/// new nonce when it is generated); 256 bytes fit any app id and nonce up to 64 bytes each.
#[no_mangle]
pub extern "C" fn apisign_piemdm_sign_headers(
    signer: *const apisign_piemdm,
    method: *const u8,
    method_len: usize,
    url: *const u8,
    url_len: usize,
    body: *const u8,
    body_len: usize,
    timestamp_secs: u64,
    nonce: *const u8,
    nonce_len: usize,
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
            (std::ptr::null(), 0),
        )?;
        let nonce = nonce_or_random(nonce, nonce_len)?;
        let mut ts = itoa::Buffer::new();
        let ts = ts.format(timestamp_secs);
        // The same values and order as Signer::sign_headers, straight into the caller's buffer.
        let sign = s.signer.sign_value(&req, ts, &nonce)?;
        write_lines(
            HEADER_NAMES
                .into_iter()
                .zip([s.signer.app_id(), ts, &nonce, sign.as_str()]),
            buf,
            len,
            out_len,
        )
    })
}

/// The exact canonical request bytes for `req` (method, decoded path, canonical query, body
/// SHA-256, timestamp, nonce joined by `\n`) into `buf`. Bytes, not text: a decoded path may not
/// be UTF-8.
#[no_mangle]
pub extern "C" fn apisign_piemdm_canonical_request(
    req: *const apisign_request,
    timestamp_secs: u64,
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
        let canonical = canonical_request(&request(req)?, ts.format(timestamp_secs), nonce)?;
        write_checked(&canonical, buf, len, out_len)
    })
}

/// Free a signer (its secret is wiped). NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_piemdm_free(signer: *mut apisign_piemdm) {
    super::handle::free(signer)
}
