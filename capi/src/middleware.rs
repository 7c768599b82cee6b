//! What a server middleware needs beyond verifying: the client's address (allow-lists,
//! trusted proxies), the platform's answer to a refused request, signed responses, and the
//! client-side check of a signed response.

use std::net::IpAddr;

use super::buffer::write_out;
use super::error::{apisign_error, run, FfiError};
use super::handle::{borrow, create};
use super::input::{bytes, list, opt_text, text};
use super::panic::guard;
use super::result::{apisign_result, APISIGN_INVALID_INPUT, APISIGN_NULL_POINTER, APISIGN_PANIC};
use super::signature::apisign_signature;
use super::signer::apisign_signer;
use super::verify::{
    apisign_header, apisign_incoming, apisign_verified, apisign_verifier, header_list, incoming,
};
use apisign::verify::ip::parse_trusted;
use apisign::{Error, ErrorKind, Headers, Signature, Verified, Verifier};

fn ip(value: &str, what: &'static str) -> Result<IpAddr, FfiError> {
    value.trim().parse().map_err(|_| {
        FfiError::from(Error::invalid(
            what,
            format!("{value:?} is not an IP address"),
        ))
    })
}

/// Verify `req` at `now_ms` sent from `client_ip` (text such as `203.0.113.9` or `::1`; NULL
/// when unknown). As `apisign_verify`, and a caller whose credential has `allowed_ips` is
/// refused with `APISIGN_IP_NOT_ALLOWED` unless the address is in the list.
#[no_mangle]
pub extern "C" fn apisign_verify_from(
    verifier: *const apisign_verifier,
    req: *const apisign_incoming,
    client_ip: *const u8,
    client_ip_len: usize,
    now_ms: u64,
    out: *mut *mut apisign_verified,
    err: *mut *mut apisign_error,
) -> apisign_result {
    create(err, out, || {
        let v = borrow(verifier, "verifier")?;
        let mut request = incoming(req)?;
        request.client_ip = opt_text(client_ip, client_ip_len, "client_ip")?
            .map(|t| ip(t, "client_ip"))
            .transpose()?;
        Ok(apisign_verified(v.0.verify(&request, now_ms)?))
    })
}

/// For a server that accepts several platforms: `*index` receives which of the `count`
/// `verifiers` serves a request carrying `headers` (only their names are read): the one whose
/// scheme's headers the request carries the most of, the first one on a tie, so a request
/// carrying none is refused as the first verifier refuses it. Pick before reading the body, so
/// that a body over the limit is answered the right platform's way too.
#[no_mangle]
pub extern "C" fn apisign_verifier_pick(
    verifiers: *const *const apisign_verifier,
    count: usize,
    headers: *const apisign_header,
    header_count: usize,
    index: *mut usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        if index.is_null() {
            return Err(FfiError::null("index"));
        }
        let chosen_from = list(verifiers, count, "verifiers")?
            .iter()
            .map(|&v| borrow(v, "verifiers[i]").map(|v| &v.0))
            .collect::<Result<Vec<_>, _>>()?;
        let names = list(headers, header_count, "headers")?
            .iter()
            .map(|h| text(h.name, h.name_len, "header name"))
            .collect::<Result<Vec<_>, _>>()?;
        let picked = Verifier::pick(chosen_from, names.iter().copied()).ok_or_else(|| {
            FfiError::from(Error::invalid("verifiers", "pass at least one verifier"))
        })?;
        // SAFETY: checked non-NULL; writable per the header contract.
        unsafe { *index = picked };
        Ok(())
    })
}

/// The core error for a result code without an error object; a code of the C layer itself
/// (a NULL, bad UTF-8) is an internal failure.
fn error_for(code: apisign_result) -> Error {
    let kind = ErrorKind::ALL
        .iter()
        .copied()
        .find(|k| k.code() == code)
        .unwrap_or(ErrorKind::Crypto);
    Error::new(kind, "")
}

/// The HTTP status of result code `code` before any platform's own (400 malformed input, 413
/// too large, 401/403 rejections, 503 nonce store, 500 otherwise; 200 for `APISIGN_OK`).
#[no_mangle]
pub extern "C" fn apisign_result_status(code: apisign_result) -> u16 {
    if code == super::result::APISIGN_OK {
        return 200;
    }
    error_for(code).http_status()
}

/// The answer to send for `error` (from this verifier, or any apisign error; NULL: an error
/// of result code `code`, e.g. `APISIGN_INPUT_TOO_LARGE` for a body over the limit): `*status`
/// receives the HTTP status and `buf` the body (`application/json`, as the platform's server
/// writes it). `BUFFER_TOO_SMALL` with the size needed in `*out_len`, as every copying call.
#[no_mangle]
pub extern "C" fn apisign_verifier_rejection(
    verifier: *const apisign_verifier,
    error: *const apisign_error,
    code: apisign_result,
    status: *mut u16,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
) -> apisign_result {
    guard(APISIGN_PANIC, || {
        let v = match borrow(verifier, "verifier") {
            Ok(v) => v,
            Err(e) => return e.code,
        };
        if status.is_null() {
            return APISIGN_NULL_POINTER;
        }
        // SAFETY: NULL or a live error from apisign (header contract).
        let core = match unsafe { error.as_ref() } {
            Some(e) => e.core.clone().unwrap_or_else(|| error_for(e.code())),
            None => error_for(code),
        };
        let answer = v.0.rejection(&core);
        // SAFETY: checked non-NULL; writable per the header contract.
        unsafe { *status = answer.status };
        write_out(&answer.body, buf, len, out_len)
    })
}

/// Whether the scheme's platform signs its responses (`apisign_verifier_sign_response` adds
/// headers). False when `verifier` is NULL.
#[no_mangle]
pub extern "C" fn apisign_verifier_signs_responses(verifier: *const apisign_verifier) -> bool {
    guard(false, || {
        borrow(verifier, "verifier").is_ok_and(|v| v.0.scheme().signs_responses)
    })
}

/// The headers that sign a response with `body` for `caller` (the verified caller's id, as
/// `apisign_verified_caller` gives it) at `now_ms`, as a signature handle (read with
/// `apisign_signature_header_*`; no headers for schemes whose responses are not signed).
#[no_mangle]
#[allow(clippy::too_many_arguments)] // (pointer, length) pairs
pub extern "C" fn apisign_verifier_sign_response(
    verifier: *const apisign_verifier,
    caller: *const u8,
    caller_len: usize,
    body: *const u8,
    body_len: usize,
    now_ms: u64,
    out: *mut *mut apisign_signature,
    err: *mut *mut apisign_error,
) -> apisign_result {
    create(err, out, || {
        let v = borrow(verifier, "verifier")?;
        let who = Verified {
            scheme: v.0.scheme().id,
            caller: text(caller, caller_len, "caller")?.to_owned(),
            dataset: None,
            timestamp: 0,
            nonce: None,
        };
        let body = bytes(body, body_len, "body")?;
        let mut headers = Headers::new();
        for (name, value) in v.0.sign_response(&who, body, now_ms)?.unwrap_or_default() {
            headers.push(apisign::Header::new(name, value));
        }
        Ok(apisign_signature::new(Signature::new(
            headers,
            String::new(),
        )))
    })
}

/// Client side: check a response's signature (`headers` as received) against its `body`.
/// `APISIGN_SIGNATURE_INVALID` when it does not match, `APISIGN_INVALID_INPUT` for a scheme
/// whose platform does not sign responses.
#[no_mangle]
pub extern "C" fn apisign_signer_verify_response(
    signer: *const apisign_signer,
    headers: *const apisign_header,
    header_count: usize,
    body: *const u8,
    body_len: usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let s = borrow(signer, "signer")?;
        let headers = header_list(headers, header_count)?;
        Ok(s.signer
            .verify_response(&headers, bytes(body, body_len, "body")?)?)
    })
}

/// The client's address: `peer` (the connection's) unless it is one of `trusted` (IPs and
/// CIDR blocks separated by `,`, `;` or newlines), then the rightmost hop of `forwarded_for`
/// (an `X-Forwarded-For` value, NULL when absent) that is not trusted. Written as text.
#[no_mangle]
#[allow(clippy::too_many_arguments)] // (pointer, length) pairs
pub extern "C" fn apisign_client_ip(
    peer: *const u8,
    peer_len: usize,
    forwarded_for: *const u8,
    forwarded_for_len: usize,
    trusted: *const u8,
    trusted_len: usize,
    buf: *mut u8,
    len: usize,
    out_len: *mut usize,
    err: *mut *mut apisign_error,
) -> apisign_result {
    let mut code = APISIGN_INVALID_INPUT;
    let outcome = run(err, || {
        let peer = ip(text(peer, peer_len, "peer")?, "peer")?;
        let forwarded = opt_text(forwarded_for, forwarded_for_len, "forwarded_for")?;
        let trusted = parse_trusted(text(trusted, trusted_len, "trusted")?)?;
        let found = apisign::verify::client_ip(peer, forwarded, &trusted).to_string();
        code = write_out(found.as_bytes(), buf, len, out_len);
        Ok(())
    });
    if outcome == super::result::APISIGN_OK {
        code
    } else {
        outcome
    }
}
