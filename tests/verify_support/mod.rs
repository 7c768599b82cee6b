//! Shared fixtures for the verification tests: one credential store with every scheme's
//! callers, the signers that match them, and helpers to turn a signature into the request a
//! server receives.
#![allow(dead_code)]

use std::sync::{Arc, OnceLock};

use apisign::linksfield::{PrivateKey, Signer as LfSigner};
use apisign::verify::{InMemoryCredentials, LovrabetApp};
use apisign::{jetlinks, lovrabet, piemdm, IncomingRequest, Signature};
use serde_json::Value;

#[path = "../common/mod.rs"]
pub mod common;

pub const LF_KEY_ID: &str = "b30a5e0e135d42e6ab43b021a30b7987";
pub const LF_OTHER_KEY_ID: &str = "other-key";

/// The vectors' 1024-bit key.
pub fn lf_key() -> Arc<PrivateKey> {
    static KEY: OnceLock<Arc<PrivateKey>> = OnceLock::new();
    KEY.get_or_init(|| {
        let file = common::vector_files()
            .into_iter()
            .find(|(n, _)| n == "linksfield.json")
            .expect("linksfield.json")
            .1;
        let pem = file["keys"]["rsa1024_pkcs8_pem"]
            .as_str()
            .unwrap()
            .to_owned();
        Arc::new(PrivateKey::parse(pem).unwrap())
    })
    .clone()
}

/// A second, different key (generated once per test binary).
pub fn lf_other_key() -> Arc<PrivateKey> {
    static KEY: OnceLock<Arc<PrivateKey>> = OnceLock::new();
    KEY.get_or_init(|| {
        use rsa::pkcs8::EncodePrivateKey;
        let k = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 1024).unwrap();
        let der = k.to_pkcs8_der().unwrap();
        Arc::new(PrivateKey::parse(der.as_bytes()).unwrap())
    })
    .clone()
}

pub fn lf_signer() -> LfSigner {
    LfSigner::new(LF_KEY_ID, lf_key()).unwrap()
}

pub fn lf_other_signer() -> LfSigner {
    LfSigner::new(LF_OTHER_KEY_ID, lf_other_key()).unwrap()
}

pub fn lovrabet_signer(app: &str, ds: &str) -> lovrabet::Signer {
    match app {
        "app-2" => lovrabet::Signer::new(app, ds, "ak-2", "sk-2").unwrap(),
        _ => lovrabet::Signer::new(app, ds, "ak-1", "lovrabet").unwrap(),
    }
}

pub fn jetlinks_signer(sha: bool) -> jetlinks::Signer {
    if sha {
        jetlinks::Signer::new("c-sha", "sha-secure-key", jetlinks::Algorithm::Sha256).unwrap()
    } else {
        jetlinks::Signer::new("c-md5", "md5-secure-key", jetlinks::Algorithm::Md5).unwrap()
    }
}

pub fn piemdm_signer(app: &str) -> piemdm::Signer {
    match app {
        "app-2" => piemdm::Signer::new("app-2", "secret-2").unwrap(),
        _ => piemdm::Signer::new("app-1", "secret-1").unwrap(),
    }
}

/// Every caller the tests sign as.
pub fn credentials() -> Arc<InMemoryCredentials> {
    let mut c = InMemoryCredentials::new();
    c.add_lovrabet_app(
        "app-1",
        LovrabetApp::new("ak-1", "lovrabet")
            .unwrap()
            .allow("ds-1")
            .unwrap()
            .allow("ds-2")
            .unwrap(),
    )
    .unwrap();
    c.add_lovrabet_app(
        "app-2",
        LovrabetApp::new("ak-2", "sk-2")
            .unwrap()
            .allow("ds-2")
            .unwrap(),
    )
    .unwrap();
    c.add_lovrabet_dataset("ds-locked").unwrap();
    c.add_jetlinks(jetlinks_signer(false));
    c.add_jetlinks(jetlinks_signer(true));
    c.add_piemdm(piemdm_signer("app-1"));
    c.add_piemdm(piemdm_signer("app-2"));
    c.add_linksfield(LF_KEY_ID, lf_key().public_key()).unwrap();
    c.add_linksfield(LF_OTHER_KEY_ID, lf_other_key().public_key())
        .unwrap();
    Arc::new(c)
}

/// The owned parts of a received request; `view()` borrows them as an `IncomingRequest`.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn new(method: &str, url: &str, body: &[u8], sig: &Signature) -> Self {
        Received {
            method: method.to_owned(),
            url: url.to_owned(),
            headers: sig
                .headers
                .iter()
                .map(|h| (h.name.to_owned(), h.value.clone()))
                .collect(),
            body: body.to_vec(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn view(&self) -> IncomingRequest<'_> {
        let mut r = IncomingRequest::new(&self.method, &self.url).with_body(&self.body);
        for (n, v) in &self.headers {
            r = r.header(n, v);
        }
        r
    }

    pub fn header(&self, name: &str) -> &str {
        &self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .unwrap()
            .1
    }

    pub fn set_header(&mut self, name: &str, value: String) {
        let h = self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .unwrap();
        h.1 = value;
    }
}

/// Vector fields as owned strings.
pub fn vector_request(case: &Value) -> (String, String, Vec<u8>, Option<String>) {
    let r = &case["request"];
    (
        common::s(r, "method").to_owned(),
        common::s(r, "url").to_owned(),
        common::s(r, "body").as_bytes().to_vec(),
        common::opt_s(r, "content_type").map(str::to_owned),
    )
}
