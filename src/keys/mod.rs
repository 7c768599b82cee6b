//! RSA key objects, parsed once and reused: PKCS#8 or PKCS#1, PEM or bare base64 DER (private);
//! SPKI or PKCS#1 (public).

mod rsa_backend;

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use zeroize::Zeroizing;

use self::rsa_backend::{Der, RsaPrivate, RsaPublic, MAX_BITS};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::check_size;

/// Smallest modulus accepted (the platform issues 1024-bit keys).
pub const MIN_KEY_BITS: usize = 1024;

/// Largest key file accepted, in bytes (an 8192-bit PEM key is about 6.4 KiB).
const MAX_KEY_TEXT: usize = 64 * 1024;

fn bad_key(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::BadKey, message).with_field("key")
}

/// The PEM label and DER bytes of a key given as text or binary.
struct Decoded {
    label: Option<String>,
    der: Zeroizing<Vec<u8>>,
}

impl Decoded {
    /// The DER with its format from the PEM label: `[pkcs8, pkcs1]` are the labels of the
    /// two formats this kind of key has; any other label is the error `other` makes for it.
    fn der(&self, [pkcs8, pkcs1]: [&str; 2], other: impl FnOnce(&str) -> Error) -> Result<Der<'_>> {
        match self.label.as_deref() {
            None => Ok(Der::Either(&self.der)),
            Some(l) if l == pkcs8 => Ok(Der::Pkcs8(&self.der)),
            Some(l) if l == pkcs1 => Ok(Der::Pkcs1(&self.der)),
            Some(l) => Err(other(l)),
        }
    }
}

fn decode(input: &[u8]) -> Result<Decoded> {
    check_size("key", "key (an RSA key file)", input.len(), MAX_KEY_TEXT)?;
    if input.first() == Some(&0x30) {
        // A DER SEQUENCE: binary key.
        return Ok(Decoded {
            label: None,
            der: Zeroizing::new(input.to_vec()),
        });
    }
    let text = std::str::from_utf8(input)
        .map_err(|_| bad_key("key is neither PEM/base64 text nor DER bytes"))?
        .trim();
    if text.is_empty() {
        return Err(bad_key("key is empty"));
    }
    if let Some(begin) = text.find("-----BEGIN ") {
        let after = &text[begin + 11..];
        let label_end = after
            .find("-----")
            .ok_or_else(|| bad_key("PEM header is not terminated by -----"))?;
        let label = after[..label_end].to_owned();
        let body_start = label_end + 5;
        let end_marker = format!("-----END {label}-----");
        // Search after the header: in `-----BEGIN X-----END X-----` the header's own closing
        // dashes start an end marker (found by fuzzing; slicing backwards panicked).
        let body_end = after[body_start..]
            .find(&end_marker)
            .map(|i| body_start + i)
            .ok_or_else(|| bad_key(format!("PEM block has no matching {end_marker:?} line")))?;
        let body = &after[body_start..body_end];
        if body.contains(':') {
            return Err(bad_key(
                "PEM has headers (Proc-Type/DEK-Info): the key is encrypted; decrypt it first, e.g. `openssl rsa -in key.pem -out plain.pem`",
            ));
        }
        let der = b64(body)?;
        return Ok(Decoded {
            label: Some(label),
            der,
        });
    }
    Ok(Decoded {
        label: None,
        der: b64(text)?,
    })
}

fn b64(text: &str) -> Result<Zeroizing<Vec<u8>>> {
    let compact: Zeroizing<String> =
        Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
    STANDARD
        .decode(compact.as_bytes())
        .map(Zeroizing::new)
        .map_err(|e| bad_key(format!("key is not PEM and not valid base64 DER ({e})")))
}

/// An RSA private key (SHA1withRSA signing). Zeroized on drop; `Debug` shows only its size.
///
#[doc = include_str!("../../docs/api/rsa-keys.md")]
pub struct PrivateKey {
    inner: RsaPrivate,
}

impl PrivateKey {
    /// Parse a PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM, bare base64
    /// DER of either, or DER bytes.
    ///
    /// See the example on [`PrivateKey`].
    pub fn parse(input: impl AsRef<[u8]>) -> Result<Self> {
        let d = decode(input.as_ref())?;
        let der = d.der(["PRIVATE KEY", "RSA PRIVATE KEY"], |l| match l {
            "ENCRYPTED PRIVATE KEY" => bad_key(
                "the key is encrypted; decrypt it first, e.g. `openssl pkcs8 -in key.pem -nocrypt -out plain.pem`",
            ),
            l if l.contains("PUBLIC KEY") => bad_key(format!(
                "this is a public key ({l}); signing needs the private key"
            )),
            l => bad_key(format!("PEM label {l:?} is not an RSA private key")),
        })?;
        Ok(PrivateKey {
            inner: RsaPrivate::from_der(der)?,
        })
    }

    /// Modulus size in bits.
    ///
    /// See the example on [`PrivateKey`].
    pub fn bits(&self) -> usize {
        self.inner.bits()
    }

    /// The matching public key.
    ///
    /// See the example on [`PrivateKey`].
    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            inner: self.inner.public(),
        }
    }

    /// `base64(SHA1withRSA(message))`.
    ///
    /// See the example on [`PrivateKey`].
    pub fn sign_base64(&self, message: &[u8]) -> Result<String> {
        Ok(STANDARD.encode(self.inner.sign_sha1(message)?))
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey(RSA-{}, <redacted>)", self.bits())
    }
}

/// An RSA public key (SHA1withRSA verification).
#[derive(Clone)]
pub struct PublicKey {
    inner: RsaPublic,
}

impl PublicKey {
    /// Parse an SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`) PEM, bare base64
    /// DER of either, or DER bytes.
    ///
    /// See the example on [`PrivateKey`].
    pub fn parse(input: impl AsRef<[u8]>) -> Result<Self> {
        let d = decode(input.as_ref())?;
        let der = d.der(["PUBLIC KEY", "RSA PUBLIC KEY"], |l| {
            if l.contains("PRIVATE KEY") {
                bad_key(format!(
                    "this is a private key ({l}); give the public key (openssl rsa -in key.pem -pubout)"
                ))
            } else {
                bad_key(format!("PEM label {l:?} is not an RSA public key"))
            }
        })?;
        Ok(PublicKey {
            inner: RsaPublic::from_der(der)?,
        })
    }

    /// Modulus size in bits.
    ///
    /// See the example on [`PrivateKey`].
    pub fn bits(&self) -> usize {
        self.inner.bits()
    }

    /// Whether `signature_b64` is a valid SHA1withRSA signature of `message`. Malformed base64
    /// is simply invalid.
    ///
    /// See the example on [`PrivateKey`].
    pub fn verify_base64(&self, message: &[u8], signature_b64: &str) -> bool {
        match STANDARD.decode(signature_b64) {
            Ok(sig) => self.inner.verify_sha1(message, &sig),
            Err(_) => false,
        }
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.inner.same_key(&other.inner)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey(RSA-{})", self.bits())
    }
}

pub(super) fn check_bits(bits: usize) -> Result<()> {
    if bits < MIN_KEY_BITS {
        return Err(bad_key(format!(
            "RSA key is {bits} bits; at least {MIN_KEY_BITS} are required"
        )));
    }
    // A larger private key would sign, but its public key could not verify.
    if bits > MAX_BITS {
        return Err(bad_key(format!(
            "RSA key is {bits} bits; at most {MAX_BITS} are supported"
        )));
    }
    Ok(())
}
