//! Credentials and verifiers shared by the verify fuzz targets: every scheme has a registered
//! caller (Linksfield with the vectors' RSA key), so fuzzed requests get past the caller
//! lookup, and `verify_signed` can sign requests that really verify.
#![allow(dead_code)] // each target uses part of it

use std::sync::{Arc, OnceLock};

use apisign::linksfield::{PrivateKey, Signer as LfSigner};
use apisign::lovrabet::TokenGenerator;
use apisign::verify::{InMemoryCredentials, InMemoryNonceStore};
use apisign::{jetlinks, linksfield, lovrabet, piemdm};

pub const NOW_MS: u64 = 1_700_000_000_000;
pub const LF_KEY_ID: &str = "b30a5e0e135d42e6ab43b021a30b7987";

pub struct Fixtures {
    pub lovrabet: lovrabet::Signer,
    pub jetlinks: jetlinks::Signer,
    pub piemdm: piemdm::Signer,
    pub linksfield: LfSigner,
    pub verify_lovrabet: lovrabet::Verifier,
    pub verify_jetlinks: jetlinks::Verifier,
    pub verify_piemdm: piemdm::Verifier,
    pub verify_linksfield: linksfield::Verifier,
}

/// The 1024-bit private key of the conformance vectors.
fn vectors_key() -> PrivateKey {
    let file: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/vectors/linksfield.json")).unwrap();
    PrivateKey::parse(file["keys"]["rsa1024_pkcs8_pem"].as_str().unwrap()).unwrap()
}

pub fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let key = vectors_key();
        let c = InMemoryCredentials::new();
        c.add(
            lovrabet::credential("app", TokenGenerator::new("ak", "lovrabet").unwrap(), ["ds"])
                .unwrap(),
        );
        let jetlinks = jetlinks::Signer::new("client", "secure", jetlinks::Algorithm::Md5).unwrap();
        let piemdm = piemdm::Signer::new("app", "secret").unwrap();
        c.add(jetlinks::credential(jetlinks.clone()).unwrap());
        c.add(piemdm::credential(piemdm.clone()).unwrap());
        c.add(linksfield::credential(LF_KEY_ID, key.public_key()).unwrap());
        let c = Arc::new(c);
        // Room for every nonce a long run records: a full store would refuse, not crash, but
        // `verify_signed` asserts acceptance.
        let store = Arc::new(InMemoryNonceStore::with_capacity(1 << 20));
        Fixtures {
            lovrabet: lovrabet::Signer::new("app", "ds", "ak", "lovrabet").unwrap(),
            jetlinks,
            piemdm,
            linksfield: LfSigner::new(LF_KEY_ID, key).unwrap(),
            verify_lovrabet: lovrabet::Verifier::new(c.clone()),
            verify_jetlinks: jetlinks::Verifier::new(c.clone()),
            verify_piemdm: piemdm::Verifier::new(c.clone(), store.clone()),
            verify_linksfield: linksfield::Verifier::new(c).with_nonce_store(store),
        }
    })
}
