//! Linksfield key formats on the RSA backend: PKCS#8 and PKCS#1 private keys as PEM, bare
//! base64 DER or DER bytes; SPKI and PKCS#1 public keys; the 8192-bit test key; and the
//! vectors' signature made by an independent implementation still verifies.

#[path = "common/mod.rs"]
mod common;

use apisign::linksfield::{PrivateKey, PublicKey};
use apisign::ErrorKind;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

fn vector_key(name: &str) -> String {
    let file = common::vector_files()
        .into_iter()
        .find(|(n, _)| n == "linksfield.json")
        .unwrap()
        .1;
    file["keys"][name].as_str().unwrap().to_owned()
}

/// The base64 between the PEM armour lines.
fn bare(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

fn pem(label: &str, der: &[u8]) -> String {
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        STANDARD.encode(der)
    )
}

#[test]
fn every_private_and_public_encoding_parses_and_interoperates() {
    let pkcs8 = vector_key("rsa1024_pkcs8_pem");
    let pkcs1 = vector_key("rsa1024_pkcs1_pem");
    let spki = vector_key("rsa1024_public_spki_pem");
    let spki_der = STANDARD.decode(bare(&spki)).unwrap();
    // PKCS#1 RSAPublicKey is the BIT STRING inside the SPKI: the last 140 bytes for 1024 bits
    // (SEQUENCE 30 81 89, modulus 02 81 81 00 + 128 bytes, exponent 02 03 01 00 01).
    let pkcs1_pub_der = &spki_der[spki_der.len() - 140..];
    assert_eq!(pkcs1_pub_der[..3], [0x30, 0x81, 0x89]);
    let privates = [
        pkcs8.clone(),
        pkcs1.clone(),
        bare(&pkcs8),
        bare(&pkcs1),
        format!("  {}\n", bare(&pkcs1)),
    ];
    let publics = [
        PublicKey::parse(&spki).unwrap(),
        PublicKey::parse(bare(&spki)).unwrap(),
        PublicKey::parse(&spki_der).unwrap(),
        PublicKey::parse(pem("RSA PUBLIC KEY", pkcs1_pub_der)).unwrap(),
        PublicKey::parse(pkcs1_pub_der).unwrap(),
    ];
    let msg = br#"{"nonce":"1","timestamp":"1674197059220","x-sign-uri":"/cube/v4/x"}"#;
    for (i, text) in privates.iter().enumerate() {
        let key = PrivateKey::parse(text).unwrap_or_else(|e| panic!("private #{i}: {e}"));
        assert_eq!(key.bits(), 1024);
        let sig = key.sign_base64(msg).unwrap();
        for (j, public) in publics.iter().enumerate() {
            assert_eq!(public.bits(), 1024);
            assert!(public.verify_base64(msg, &sig), "private #{i}, public #{j}");
            assert!(!public.verify_base64(b"{}", &sig));
        }
        assert!(key.public_key() == publics[0]);
    }
    let der = STANDARD.decode(bare(&pkcs8)).unwrap();
    assert_eq!(PrivateKey::parse(&der).unwrap().bits(), 1024);
}

#[test]
fn vector_signatures_from_an_independent_implementation_verify() {
    let public = PublicKey::parse(vector_key("rsa1024_public_spki_pem")).unwrap();
    let mut checked = 0;
    for (scheme, _, case) in common::all_cases() {
        let (Some(message), Some(auth)) = (
            case["expected"]["message"].as_str(),
            case["expected"]["headers"]["Authorization"].as_str(),
        ) else {
            continue;
        };
        if scheme != "linksfield" {
            continue;
        }
        let sign = auth.split_once('/').unwrap().1;
        assert!(
            public.verify_base64(message.as_bytes(), sign),
            "{}",
            case["id"]
        );
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} signed linksfield cases");
}

#[test]
fn an_8192_bit_key_signs_and_verifies() {
    // rsa 0.10 accepts moduli up to 8192 bits (`rsa::PublicKey::MAX_SIZE`).
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/python/data/rsa8192_test_only.pem"
    ))
    .unwrap();
    let key = PrivateKey::parse(text).unwrap();
    assert_eq!(key.bits(), 8192);
    let sig = key.sign_base64(b"m").unwrap();
    assert_eq!(STANDARD.decode(&sig).unwrap().len(), 1024);
    assert!(key.public_key().verify_base64(b"m", &sig));
    assert!(!key.public_key().verify_base64(b"n", &sig));
}

#[test]
fn a_truncated_key_is_a_bad_key() {
    let pkcs8 = vector_key("rsa1024_pkcs8_pem");
    let der = STANDARD.decode(bare(&pkcs8)).unwrap();
    let e = PrivateKey::parse(&der[..der.len() - 10]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadKey);
}

/// DER of a PKCS#1 RSAPublicKey with an odd `bits`-bit modulus of 0xff bytes and e = 65537.
fn pkcs1_public_der(bits: usize) -> Vec<u8> {
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = body.len();
        if len < 0x80 {
            out.push(len as u8);
        } else if len < 0x100 {
            out.extend([0x81, len as u8]);
        } else {
            out.extend([0x82, (len >> 8) as u8, len as u8]);
        }
        out.extend_from_slice(body);
        out
    }
    let mut n = vec![0u8]; // leading zero: the modulus is positive
    n.push(0xff >> ((8 - bits % 8) % 8));
    n.extend(std::iter::repeat_n(0xff, bits.div_ceil(8) - 1));
    let mut body = tlv(0x02, &n);
    body.extend(tlv(0x02, &[0x01, 0x00, 0x01]));
    tlv(0x30, &body)
}

#[test]
fn key_sizes_from_1024_to_8192_bits() {
    assert_eq!(
        PublicKey::parse(pkcs1_public_der(8192)).unwrap().bits(),
        8192
    );
    assert_eq!(
        PublicKey::parse(pkcs1_public_der(1024)).unwrap().bits(),
        1024
    );
    for bits in [8200, 16384] {
        let e = PublicKey::parse(pkcs1_public_der(bits)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadKey);
        assert!(e.to_string().contains("8192"), "{bits}: {e}");
    }
    let e = PublicKey::parse(pkcs1_public_der(1016)).unwrap_err();
    assert!(e.to_string().contains("at least 1024"), "{e}");
}

#[test]
fn a_private_key_below_1024_bits_says_so() {
    // A 512-bit test-only key (openssl genrsa -traditional 512).
    let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOQIBAAJBAJ9w+I0uQfqEKUfep8jnWTh/gnBo+bI9k9Kju9NI29pue5Rc/X4Y\nH4vk/5YXRIGolWGcK6Q0MLfHhBaYfGgOfGUCAwEAAQJAdVQp46KttM86nYOwzrvI\nQTY748KsNMjxlekdV67e8o5/ifu+WmZhCKyfuc3XAp5LCArHhY/97CGfHhoRoVZ+\nwQIhAM1SiErxGrrJmDkAYllWZQRegjofFUeDl1o7Akr/OSXVAiEAxstnGhpZclTz\nwohHeXru/KqiqMIexTah4WFy2iwBdFECIBBU+Uxkw0iKUpZuJmSOz7g6QEeZQ1sN\n55Mg0Hzgsk4FAiBZjLLrDUeRuzb7QIyB6qDRbMRNJPTbfdq6Pj2QjhYxoQIgQMxA\nUvWPZfwFd5ILwI9zme/6lvCVmzX0HGHvGxIlwFU=\n-----END RSA PRIVATE KEY-----";
    let e = PrivateKey::parse(pem).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadKey);
    assert!(e.to_string().contains("512 bits; at least 1024"), "{e}");
}
