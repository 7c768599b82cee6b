//! The only file that touches the `rsa` crate: the seam where another RSA backend can be added.
//!
//! rsa 0.10 does its arithmetic with constant-time crypto-bigint, which closes the Marvin timing
//! side channel (RUSTSEC-2023-0071) of the num-bigint based 0.9 line. Signing still blinds the
//! private-key operation with fresh randomness from the OS generator (`sign` with the crate's
//! `getrandom` feature).

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, PrivateKey, PublicKey};
use sha1::{Digest, Sha1};

use super::{bad_key, check_bits};
use crate::error::{Error, ErrorKind, Result};

/// Key encodings we accept, already separated from PEM armour / base64.
pub(crate) enum Der<'a> {
    Pkcs8(&'a [u8]),
    Pkcs1(&'a [u8]),
    /// Unknown: try PKCS#8 (SPKI for public keys) then PKCS#1.
    Either(&'a [u8]),
}

/// One DER format's parser (a `rsa` crate `from_*_der`).
type Parser<K, E> = fn(&[u8]) -> std::result::Result<K, E>;

/// A `kind` ("private" or "public") RSA key read from `der` by the parser its format names;
/// DER of unknown format tries the PKCS#8 parser (SPKI for public keys), then PKCS#1.
fn read_der<K, E8: std::fmt::Display, E1: std::fmt::Display>(
    der: Der<'_>,
    kind: &str,
    pkcs8: Parser<K, E8>,
    pkcs1: Parser<K, E1>,
) -> Result<K> {
    let pkcs8_name = if kind == "public" {
        "an SPKI"
    } else {
        "a PKCS#8"
    };
    let what = format!("RSA {kind} key");
    match der {
        Der::Pkcs8(d) => pkcs8(d).map_err(|e| bad_key(format!("not {pkcs8_name} {what} ({e})"))),
        Der::Pkcs1(d) => pkcs1(d).map_err(|e| bad_key(format!("not a PKCS#1 {what} ({e})"))),
        Der::Either(d) => pkcs8(d)
            .ok()
            .or_else(|| pkcs1(d).ok())
            .ok_or_else(|| bad_key(format!("DER is neither {pkcs8_name} nor a PKCS#1 {what}"))),
    }
}

/// An RSA private key for SHA1withRSA signing.
pub(crate) struct RsaPrivate(PrivateKey);

impl RsaPrivate {
    pub(crate) fn from_der(der: Der<'_>) -> Result<Self> {
        let key = read_der(
            der,
            "private",
            PrivateKey::from_pkcs8_der,
            PrivateKey::from_pkcs1_der,
        )?;
        key.validate()
            .map_err(|e| bad_key(format!("RSA private key is inconsistent ({e})")))?;
        let key = RsaPrivate(key);
        check_bits(key.bits())?;
        Ok(key)
    }

    pub(crate) fn bits(&self) -> usize {
        self.0.n().bit_width_vartime() as usize
    }

    pub(crate) fn public(&self) -> RsaPublic {
        RsaPublic(self.0.to_public_key())
    }

    /// RSASSA-PKCS1-v1_5 with SHA-1 over `message`, blinded.
    pub(crate) fn sign_sha1(&self, message: &[u8]) -> Result<Vec<u8>> {
        let digest = Sha1::digest(message);
        self.0
            .sign(Pkcs1v15Sign::new::<Sha1>(), &digest)
            .map_err(|e| Error::new(ErrorKind::Crypto, format!("RSA signing failed: {e}")))
    }
}

/// An RSA public key for verifying SHA1withRSA signatures.
#[derive(Clone)]
pub(crate) struct RsaPublic(PublicKey);

/// Largest modulus the backend verifies with (rsa 0.10's `PublicKey::MAX_SIZE`).
pub(crate) const MAX_BITS: usize = PublicKey::MAX_SIZE;

/// The modulus size of a well-formed SPKI or PKCS#1 public key, read without the rsa crate's
/// size limits (1024..=8192 bits), so a key outside them gets an error saying so.
fn modulus_bits(der: &[u8]) -> Option<usize> {
    use rsa::pkcs1::der::asn1::AsUintRef;
    use rsa::pkcs1::der::Decode;
    use rsa::pkcs1::RsaPublicKeyRef;
    let key = RsaPublicKeyRef::from_der(der).ok().or_else(|| {
        let spki = rsa::pkcs8::SubjectPublicKeyInfoRef::from_der(der).ok()?;
        RsaPublicKeyRef::from_der(spki.subject_public_key.as_bytes()?).ok()
    })?;
    let n = key.modulus.as_uint_ref().as_bytes();
    let first = n.iter().position(|&b| b != 0)?;
    Some((n.len() - first) * 8 - n[first].leading_zeros() as usize)
}

impl RsaPublic {
    pub(crate) fn from_der(der: Der<'_>) -> Result<Self> {
        let (Der::Pkcs8(d) | Der::Pkcs1(d) | Der::Either(d)) = der;
        if let Some(bits) = modulus_bits(d) {
            check_bits(bits)?;
        }
        let key = read_der(
            der,
            "public",
            PublicKey::from_public_key_der,
            PublicKey::from_pkcs1_der,
        )?;
        let key = RsaPublic(key);
        check_bits(key.bits())?;
        Ok(key)
    }

    pub(crate) fn bits(&self) -> usize {
        self.0.n().bit_width_vartime() as usize
    }

    /// Whether `signature` is a valid SHA1withRSA signature of `message`.
    pub(crate) fn verify_sha1(&self, message: &[u8], signature: &[u8]) -> bool {
        let digest = Sha1::digest(message);
        self.0
            .verify(Pkcs1v15Sign::new::<Sha1>(), &digest, signature)
            .is_ok()
    }

    pub(crate) fn same_key(&self, other: &RsaPublic) -> bool {
        self.0 == other.0
    }
}
