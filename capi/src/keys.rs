//! RSA key handles: parse once, derive the public key, check a signature. Keys are given to
//! signers and credentials as PEM/DER parameter bytes; these handles are for callers that
//! manage keys themselves.

use std::sync::Arc;

use super::buffer::answer;
use super::error::{apisign_error, run};
use super::handle::{borrow, create};
use super::input::{bytes, signature_text};
use super::panic::guard;
use super::result::apisign_result;
use apisign::{PrivateKey, PublicKey};

/// A parsed RSA private key (PKCS#8 or PKCS#1; PEM, bare base64 DER, or DER bytes).
///
/// Immutable: one handle may be used from any number of threads at once, and may be shared by
/// several users. Free with `apisign_private_key_free`; the key material is
/// zeroized when the last reference goes.
#[allow(non_camel_case_types)]
pub struct apisign_private_key {
    key: Arc<PrivateKey>,
}

/// A parsed RSA public key (SPKI or PKCS#1; PEM, bare base64 DER, or DER bytes).
///
/// Immutable: one handle may be used from any number of threads at once. Free with
/// `apisign_public_key_free`.
#[allow(non_camel_case_types)]
pub struct apisign_public_key {
    pub(crate) key: PublicKey,
}

/// Parse a private key from `key[0..key_len]`. Encrypted keys and public keys are rejected with
/// `APISIGN_BAD_KEY` and a message saying how to convert them; keys under 1024 bits too.
#[no_mangle]
pub extern "C" fn apisign_private_key_parse(
    key: *const u8,
    key_len: usize,
    out: *mut *mut apisign_private_key,
    err: *mut *mut apisign_error,
) -> apisign_result {
    create(err, out, || {
        let parsed = PrivateKey::parse(bytes(key, key_len, "key")?)?;
        Ok(apisign_private_key {
            key: Arc::new(parsed),
        })
    })
}

/// Modulus size of a private key in bits (0 when NULL).
#[no_mangle]
pub extern "C" fn apisign_private_key_bits(key: *const apisign_private_key) -> usize {
    guard(0, || borrow(key, "key").map_or(0, |k| k.key.bits()))
}

/// The public key matching a private key (a new handle the caller frees).
#[no_mangle]
pub extern "C" fn apisign_private_key_public(
    key: *const apisign_private_key,
    out: *mut *mut apisign_public_key,
    err: *mut *mut apisign_error,
) -> apisign_result {
    create(err, out, || {
        let k = borrow(key, "key")?;
        Ok(apisign_public_key {
            key: k.key.public_key(),
        })
    })
}

/// Free a private key handle. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_private_key_free(key: *mut apisign_private_key) {
    super::handle::free(key)
}

/// Parse a public key from `key[0..key_len]`.
#[no_mangle]
pub extern "C" fn apisign_public_key_parse(
    key: *const u8,
    key_len: usize,
    out: *mut *mut apisign_public_key,
    err: *mut *mut apisign_error,
) -> apisign_result {
    create(err, out, || {
        let parsed = PublicKey::parse(bytes(key, key_len, "key")?)?;
        Ok(apisign_public_key { key: parsed })
    })
}

/// Modulus size of a public key in bits (0 when NULL).
#[no_mangle]
pub extern "C" fn apisign_public_key_bits(key: *const apisign_public_key) -> usize {
    guard(0, || borrow(key, "key").map_or(0, |k| k.key.bits()))
}

/// Whether `signature_b64` (base64) is a valid SHA1withRSA signature of `message` (what an
/// RSA scheme's `Authorization` header carries). `*valid` receives the answer; malformed
/// base64 is simply invalid (`APISIGN_OK`, `*valid = false`).
#[no_mangle]
pub extern "C" fn apisign_public_key_verify(
    key: *const apisign_public_key,
    message: *const u8,
    message_len: usize,
    signature_b64: *const u8,
    signature_b64_len: usize,
    valid: *mut bool,
    err: *mut *mut apisign_error,
) -> apisign_result {
    run(err, || {
        answer(valid, || {
            let k = borrow(key, "key")?;
            let message = bytes(message, message_len, "message")?;
            let sig = signature_text(signature_b64, signature_b64_len, "signature")?;
            Ok(sig.is_some_and(|sig| k.key.verify_base64(message, sig)))
        })
    })
}

/// Free a public key handle. NULL is ignored.
#[no_mangle]
pub extern "C" fn apisign_public_key_free(key: *mut apisign_public_key) {
    super::handle::free(key)
}
