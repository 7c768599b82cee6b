//! Shared fixtures for the verification tests: one credential store with every scheme's
//! callers, the signers that match them, and helpers to turn a signature into the request a
//! server receives.
#![allow(dead_code)]

use std::sync::{Arc, OnceLock};

use apisign::linksfield::{PrivateKey, Signer as LfSigner};
use apisign::lovrabet::TokenGenerator;
use apisign::verify::InMemoryCredentials;
use apisign::{jetlinks, linksfield, lovrabet, piemdm, IncomingRequest, SchemeId, Signature};
use serde_json::Value;

#[path = "../common/mod.rs"]
pub mod common;

/// The value of `var` (set by scripts/test-redis.sh), or `None` after saying the Redis test is
/// skipped (the script fails when it sees that message).
pub fn redis_env(var: &str) -> Option<String> {
    let value = std::env::var(var).ok();
    if value.is_none() {
        eprintln!("{var} is not set; skipping the Redis test (scripts/test-redis.sh runs it)");
    }
    value
}

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

/// The OS generator for rsa's key generation (rsa 0.10 takes a rand_core 0.10 RNG).
struct OsRng;

impl rsa::rand_core::TryRng for OsRng {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(getrandom::u32().expect("OS random generator"))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(getrandom::u64().expect("OS random generator"))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        getrandom::fill(dst).expect("OS random generator");
        Ok(())
    }
}

impl rsa::rand_core::TryCryptoRng for OsRng {}

/// A second, different key (generated once per test binary).
pub fn lf_other_key() -> Arc<PrivateKey> {
    static KEY: OnceLock<Arc<PrivateKey>> = OnceLock::new();
    KEY.get_or_init(|| {
        use rsa::pkcs8::EncodePrivateKey;
        let k = rsa::PrivateKey::new(&mut OsRng, 1024).unwrap();
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
    let c = InMemoryCredentials::new();
    c.add(
        lovrabet::credential(
            "app-1",
            TokenGenerator::new("ak-1", "lovrabet").unwrap(),
            ["ds-1", "ds-2"],
        )
        .unwrap(),
    );
    c.add(
        lovrabet::credential(
            "app-2",
            TokenGenerator::new("ak-2", "sk-2").unwrap(),
            ["ds-2"],
        )
        .unwrap(),
    );
    c.add_scope(SchemeId::Lovrabet, "ds-locked").unwrap();
    c.add(jetlinks::credential(jetlinks_signer(false)).unwrap());
    c.add(jetlinks::credential(jetlinks_signer(true)).unwrap());
    c.add(piemdm::credential(piemdm_signer("app-1")).unwrap());
    c.add(piemdm::credential(piemdm_signer("app-2")).unwrap());
    c.add(linksfield::credential(LF_KEY_ID, lf_key().public_key()).unwrap());
    c.add(linksfield::credential(LF_OTHER_KEY_ID, lf_other_key().public_key()).unwrap());
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
                .map(|h| (h.name.to_owned(), h.value.to_string()))
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

/// Replay checks shared by the in-memory and Redis stores.
pub mod replay {
    use std::sync::{Arc, Barrier};

    use apisign::verify::NonceStore;
    use apisign::{piemdm, ErrorKind, Request};

    use super::{credentials, piemdm_signer, Received};

    /// The signed timestamp, in seconds (the `X-Timestamp` header).
    pub const TS: u64 = 1_705_478_400;
    /// [`TS`] in milliseconds, the verifier's clock.
    pub const TS_MS: u64 = TS * 1000;

    pub fn signed(nonce: &str) -> Received {
        let body = br#"{"name":"widget"}"#;
        let url = "/openapi/v1/entities/product?page=1";
        let sig = piemdm_signer("app-1")
            .sign(&Request::new("POST", url).with_body(body), TS, nonce)
            .unwrap();
        Received::new("POST", url, body, &sig)
    }

    /// Accepted once, rejected every time after.
    pub fn once_then_never(store: Arc<dyn NonceStore>, nonce: &str) {
        let v = piemdm::Verifier::new(credentials(), store);
        let r = signed(nonce);
        assert_eq!(v.verify(&r.view(), TS_MS).unwrap().caller, "app-1");
        for i in 0..5 {
            let e = v.verify(&r.view(), TS_MS + i * 1000).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::NonceReused);
            assert_eq!(e.platform_code(), Some("AUTH_NONCE_USED"));
        }
    }

    /// Rejected requests (bad signature, stale timestamp, unknown app) never record their
    /// nonce: the genuine request with the same nonce still passes afterwards.
    pub fn unauthenticated_traffic_never_writes(store: Arc<dyn NonceStore>, nonce: &str) {
        let v = piemdm::Verifier::new(credentials(), store);
        let r = signed(nonce);
        let mut forged = r.clone();
        forged.body = br#"{"name":"evil"}"#.to_vec();
        assert_eq!(
            v.verify(&forged.view(), TS_MS).unwrap_err().kind(),
            ErrorKind::SignatureInvalid
        );
        assert_eq!(
            v.verify(&r.view(), TS_MS + 301_000).unwrap_err().kind(),
            ErrorKind::TimestampOutOfWindow
        );
        let mut stranger = r.clone();
        stranger.set_header("X-App-Id", "nobody".into());
        assert_eq!(
            v.verify(&stranger.view(), TS_MS).unwrap_err().kind(),
            ErrorKind::UnknownCaller
        );
        assert!(v.verify(&r.view(), TS_MS).is_ok());
    }

    /// `threads` threads race the same signed request: exactly one wins, the rest see a
    /// replay. Repeated for `rounds` fresh nonces.
    pub fn race(store: Arc<dyn NonceStore>, prefix: &str, threads: usize, rounds: usize) {
        let v = piemdm::Verifier::new(credentials(), store);
        for round in 0..rounds {
            let r = signed(&format!("{prefix}-race-{round:04}"));
            let barrier = Barrier::new(threads);
            let results: Vec<_> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|_| {
                        s.spawn(|| {
                            barrier.wait();
                            v.verify(&r.view(), TS_MS)
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let wins = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(wins, 1, "round {round}: {results:?}");
            for e in results.iter().filter_map(|r| r.as_ref().err()) {
                assert_eq!(e.kind(), ErrorKind::NonceReused, "round {round}");
            }
        }
    }

    /// The store itself: of many threads recording one key, exactly one gets `true`.
    pub fn store_race(store: Arc<dyn NonceStore>, prefix: &str, threads: usize) {
        for round in 0..20 {
            let key = format!("{prefix}:store-race:{round}");
            let barrier = Barrier::new(threads);
            let wins: usize = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|_| {
                        s.spawn(|| {
                            barrier.wait();
                            usize::from(store.check_and_record(&key, 60, TS).unwrap())
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).sum()
            });
            assert_eq!(wins, 1, "round {round}");
        }
    }
}
