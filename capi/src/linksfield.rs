//! Linksfield Cube: parsed RSA key handles, v2 and v1 signing, signature checks.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::buffer::{check_out, write_lines};
use super::error::{apisign_error, run, FfiError};
use super::handle::{borrow, Out};
use super::input::{bytes, nonce_or_random, opt_text, text};
use super::panic::guard;
use super::request::{apisign_request, request, request_parts};
use super::result::{apisign_result, APISIGN_INVALID_JSON};
use super::signature::apisign_signature;
use apisign::linksfield::{PrivateKey, PublicKey, Signer};

/// A parsed RSA private key (PKCS#8 or PKCS#1; PEM, bare base64 DER, or DER bytes).
///
/// Immutable: one handle may be used from any number of threads at once, and may be shared by
/// several signers (each keeps its own reference, so the key may be freed right after
/// `apisign_linksfield_new`). Free with `apisign_linksfield_private_key_free`; the key material is
/// zeroized when the last reference goes.
#[allow(non_camel_case_types)]
pub struct apisign_linksfield_private_key {
    key: Arc<PrivateKey>,
}

/// A parsed RSA public key (SPKI or PKCS#1; PEM, bare base64 DER, or DER bytes).
///
/// Immutable: one handle may be used from any number of threads at once. Free with
/// `apisign_linksfield_public_key_free`.
#[allow(non_camel_case_types)]
pub struct apisign_linksfield_public_key {
    pub(crate) key: PublicKey,
}

/// A Linksfield client: key id and private key.
///
/// Immutable after creation: one handle may be used from any number of threads at once. Free
/// with `apisign_linksfield_free`.
#[allow(non_camel_case_types)]
pub struct apisign_linksfield {
    signer: Signer,
}

/// Parse a private key from `key[0..key_len]`. Encrypted keys and public keys are rejected with
/// `APISIGN_BAD_KEY` and a message saying how to convert them; keys under 1024 bits too.
#[no_mangle]
pub extern "C" fn apisign_linksfield_private_key_parse(
    key: *const u8,
    key_len: usize,
    out: *mut *mut apisign_linksfield_private_key,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let parsed = PrivateKey::parse(bytes(key, key_len, "key")?)?;
        out.set(apisign_linksfield_private_key {
            key: Arc::new(parsed),
        });
        Ok(())
    })
}

/// Modulus size of a private key in bits (0 when NULL).
#[no_mangle]
pub extern "C" fn apisign_linksfield_private_key_bits(
    key: *const apisign_linksfield_private_key,
) -> usize {
    guard(0, || borrow(key, "key").map_or(0, |k| k.key.bits()))
}

/// The public key matching a private key (a new handle the caller frees).
#[no_mangle]
pub extern "C" fn apisign_linksfield_private_key_public(
    key: *const apisign_linksfield_private_key,
    out: *mut *mut apisign_linksfield_public_key,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let k = borrow(key, "key")?;
        out.set(apisign_linksfield_public_key {
            key: k.key.public_key(),
        });
        Ok(())
    })
}

/// Free a private key handle. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_linksfield_private_key_free(key: *mut apisign_linksfield_private_key) {
    super::handle::free(key)
}

/// Parse a public key from `key[0..key_len]`.
#[no_mangle]
pub extern "C" fn apisign_linksfield_public_key_parse(
    key: *const u8,
    key_len: usize,
    out: *mut *mut apisign_linksfield_public_key,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let parsed = PublicKey::parse(bytes(key, key_len, "key")?)?;
        out.set(apisign_linksfield_public_key { key: parsed });
        Ok(())
    })
}

/// Modulus size of a public key in bits (0 when NULL).
#[no_mangle]
pub extern "C" fn apisign_linksfield_public_key_bits(
    key: *const apisign_linksfield_public_key,
) -> usize {
    guard(0, || borrow(key, "key").map_or(0, |k| k.key.bits()))
}

/// Whether `signature_b64` (the part after `/` in `Authorization: LF {keyId}/{sign}`) is a valid
/// SHA1withRSA signature of `message`. `*valid` receives the answer; malformed base64 is simply
/// invalid (`APISIGN_OK`, `*valid = false`).
#[no_mangle]
pub extern "C" fn apisign_linksfield_public_key_verify(
    key: *const apisign_linksfield_public_key,
    message: *const u8,
    message_len: usize,
    signature_b64: *const u8,
    signature_b64_len: usize,
    valid: *mut bool,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        if valid.is_null() {
            return Err(FfiError::null("valid"));
        }
        let k = borrow(key, "key")?;
        let message = bytes(message, message_len, "message")?;
        let ok = match std::str::from_utf8(bytes(signature_b64, signature_b64_len, "signature")?) {
            Ok(sig) => k.key.verify_base64(message, sig),
            Err(_) => false,
        };
        // SAFETY: checked non-NULL above; writable per the header contract.
        unsafe { *valid = ok };
        Ok(())
    })
}

/// Free a public key handle. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_linksfield_public_key_free(key: *mut apisign_linksfield_public_key) {
    super::handle::free(key)
}

/// Create a signer for `key_id` with `key` (the signer keeps its own reference to the key).
#[no_mangle]
pub extern "C" fn apisign_linksfield_new(
    key_id: *const u8,
    key_id_len: usize,
    key: *const apisign_linksfield_private_key,
    out: *mut *mut apisign_linksfield,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let id = text(key_id, key_id_len, "key_id")?;
        let k = borrow(key, "key")?;
        out.set(apisign_linksfield {
            signer: Signer::new(id, Arc::clone(&k.key))?,
        });
        Ok(())
    })
}

/// Sign `req` with signature version 2 at `timestamp_ms` with `nonce`: headers `Authorization`,
/// `timestamp`, `nonce`, `X-LF-Signature-Type`; the signed string is the JSON message.
#[no_mangle]
pub extern "C" fn apisign_linksfield_sign_v2(
    signer: *const apisign_linksfield,
    req: *const apisign_request,
    timestamp_ms: u64,
    nonce: *const u8,
    nonce_len: usize,
    out: *mut *mut apisign_signature,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let s = borrow(signer, "signer")?;
        let nonce = text(nonce, nonce_len, "nonce")?;
        let sig = s.signer.sign_v2(&request(req)?, timestamp_ms, nonce)?;
        out.set(apisign_signature::new(sig));
        Ok(())
    })
}

/// Fast path of `apisign_linksfield_sign_v2` for callers that only send the headers (no result
/// handle): signs the request given as parts (`method`, `url`, `body` as for
/// `apisign_request`) at `timestamp_ms` with `nonce` and writes `Authorization`, `timestamp`,
/// `nonce` and `X-LF-Signature-Type` as `Name: value\r\n` lines, in that order, into `buf`.
/// `nonce = NULL` (with `nonce_len = 0`) draws a fresh nonce from the OS CSPRNG. Too small
/// (`buf = NULL, len = 0` asks): nothing written, `*out_len` = bytes needed,
/// `APISIGN_BUFFER_TOO_SMALL` (a retry signs again); 512 bytes fit a 2048-bit key's signature.
#[no_mangle]
pub extern "C" fn apisign_linksfield_sign_v2_headers(
    signer: *const apisign_linksfield,
    method: *const u8,
    method_len: usize,
    url: *const u8,
    url_len: usize,
    body: *const u8,
    body_len: usize,
    timestamp_ms: u64,
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
        let sig = s.signer.sign_v2(&req, timestamp_ms, &nonce)?;
        write_lines(
            sig.headers.iter().map(|h| (h.name, h.value.as_str())),
            buf,
            len,
            out_len,
        )
    })
}

/// Sign `req` with signature version 1 (deprecated by the platform) at `timestamp_ms` with the
/// integer `nonce`. Query parameters and JSON body fields come from `req`; `extra_json` (NULL for
/// none) is a JSON object of further typed parameters (path parameters, typed overrides). The
/// only header is `Authorization`; the caller must also send `timestamp` (as text) and `nonce`
/// in the query (GET) or body.
#[no_mangle]
pub extern "C" fn apisign_linksfield_sign_v1(
    signer: *const apisign_linksfield,
    req: *const apisign_request,
    extra_json: *const u8,
    extra_json_len: usize,
    timestamp_ms: u64,
    nonce: i64,
    out: *mut *mut apisign_signature,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        let out = Out::new(out, "out")?;
        let s = borrow(signer, "signer")?;
        let extra = match opt_text(extra_json, extra_json_len, "extra_json")? {
            None => Map::new(),
            Some(json) => match serde_json::from_str::<Value>(json) {
                Ok(Value::Object(m)) => m,
                _ => {
                    return Err(FfiError::new(
                        APISIGN_INVALID_JSON,
                        "extra_json: must be a JSON object such as {\"sim_id\":\"8986\"}",
                    ))
                }
            },
        };
        let v1 = s
            .signer
            .sign_v1_request(&request(req)?, &extra, timestamp_ms, nonce)?;
        out.set(apisign_signature::new(v1.signature));
        Ok(())
    })
}

/// Free a signer. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_linksfield_free(signer: *mut apisign_linksfield) {
    super::handle::free(signer)
}
