//! Where a verifier finds the caller's secret or public key.
//!
//! Lookups return the scheme's *signer* (or public key), already keyed: verification then
//! recomputes with exactly the code that signs, and the HMAC key schedule is computed once per
//! credential, not per request.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use crate::error::Result;
use crate::linksfield::PublicKey;
use crate::lovrabet::TokenGenerator;
use crate::request::check_header_value;
use crate::schemes::{jetlinks, piemdm};
use crate::secret::Secret;

/// Credential lookups, one per scheme. Every method defaults to "unknown", so a store serving
/// one scheme implements one method. Implementations backed by a database should cache: the
/// verifiers are synchronous and call these on every request.
pub trait CredentialStore: Send + Sync {
    /// The lovrabet app `app_code` (its keys and the datasets it may read).
    fn lovrabet_app(&self, app_code: &str) -> Option<Arc<LovrabetApp>> {
        let _ = app_code;
        None
    }

    /// Whether lovrabet dataset `dataset_code` exists at all (1005 vs 1006).
    fn lovrabet_dataset_exists(&self, dataset_code: &str) -> bool {
        let _ = dataset_code;
        false
    }

    /// The jetlinks client `client_id` (secure key and digest algorithm).
    fn jetlinks_client(&self, client_id: &str) -> Option<Arc<jetlinks::Signer>> {
        let _ = client_id;
        None
    }

    /// The piemdm app `app_id` (its secret).
    fn piemdm_app(&self, app_id: &str) -> Option<Arc<piemdm::Signer>> {
        let _ = app_id;
        None
    }

    /// The linksfield public key registered under `key_id`.
    fn linksfield_key(&self, key_id: &str) -> Option<Arc<PublicKey>> {
        let _ = key_id;
        None
    }
}

/// A lovrabet app as the server knows it: access key, secret key and the datasets it may read.
#[derive(Clone, Debug)]
pub struct LovrabetApp {
    generator: TokenGenerator,
    datasets: HashSet<String>,
}

impl LovrabetApp {
    /// An app with `access_key` and `secret_key` and no dataset permissions yet.
    pub fn new(access_key: impl Into<Secret>, secret_key: impl Into<Secret>) -> Result<Self> {
        Ok(LovrabetApp {
            generator: TokenGenerator::new(access_key, secret_key)?,
            datasets: HashSet::new(),
        })
    }

    /// Grant access to `dataset_code`.
    pub fn allow(mut self, dataset_code: impl Into<String>) -> Result<Self> {
        let ds = dataset_code.into();
        check_header_value("dataset_code", &ds)?;
        self.datasets.insert(ds);
        Ok(self)
    }

    /// Whether the app may read `dataset_code`.
    pub fn may_access(&self, dataset_code: &str) -> bool {
        self.datasets.contains(dataset_code)
    }

    /// The token generator holding this app's keys.
    pub fn generator(&self) -> &TokenGenerator {
        &self.generator
    }
}

/// A [`CredentialStore`] held in memory (tests, the CLI, small services).
#[derive(Default)]
pub struct InMemoryCredentials {
    lovrabet_apps: HashMap<String, Arc<LovrabetApp>>,
    lovrabet_datasets: HashSet<String>,
    jetlinks: HashMap<String, Arc<jetlinks::Signer>>,
    piemdm: HashMap<String, Arc<piemdm::Signer>>,
    linksfield: HashMap<String, Arc<PublicKey>>,
}

impl InMemoryCredentials {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Register lovrabet app `app_code`; the datasets it may read also become known datasets.
    pub fn add_lovrabet_app(
        &mut self,
        app_code: impl Into<String>,
        app: LovrabetApp,
    ) -> Result<()> {
        let app_code = app_code.into();
        check_header_value("app_code", &app_code)?;
        self.lovrabet_datasets.extend(app.datasets.iter().cloned());
        self.lovrabet_apps.insert(app_code, Arc::new(app));
        Ok(())
    }

    /// Register a lovrabet dataset that exists (whether or not any app may read it).
    pub fn add_lovrabet_dataset(&mut self, dataset_code: impl Into<String>) -> Result<()> {
        let ds = dataset_code.into();
        check_header_value("dataset_code", &ds)?;
        self.lovrabet_datasets.insert(ds);
        Ok(())
    }

    /// Register a jetlinks client (keyed by its client id).
    pub fn add_jetlinks(&mut self, client: jetlinks::Signer) {
        self.jetlinks
            .insert(client.client_id().to_owned(), Arc::new(client));
    }

    /// Register a piemdm app (keyed by its app id).
    pub fn add_piemdm(&mut self, app: piemdm::Signer) {
        self.piemdm.insert(app.app_id().to_owned(), Arc::new(app));
    }

    /// Register a linksfield public key under `key_id`.
    pub fn add_linksfield(&mut self, key_id: impl Into<String>, key: PublicKey) -> Result<()> {
        let key_id = key_id.into();
        check_header_value("key_id", &key_id)?;
        self.linksfield.insert(key_id, Arc::new(key));
        Ok(())
    }
}

impl fmt::Debug for InMemoryCredentials {
    /// Ids only; the values hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids = |m: &dyn Fn() -> Vec<String>| {
            let mut v = m();
            v.sort();
            v
        };
        f.debug_struct("InMemoryCredentials")
            .field(
                "lovrabet_apps",
                &ids(&|| self.lovrabet_apps.keys().cloned().collect()),
            )
            .field(
                "jetlinks",
                &ids(&|| self.jetlinks.keys().cloned().collect()),
            )
            .field("piemdm", &ids(&|| self.piemdm.keys().cloned().collect()))
            .field(
                "linksfield",
                &ids(&|| self.linksfield.keys().cloned().collect()),
            )
            .finish_non_exhaustive()
    }
}

impl CredentialStore for InMemoryCredentials {
    fn lovrabet_app(&self, app_code: &str) -> Option<Arc<LovrabetApp>> {
        self.lovrabet_apps.get(app_code).cloned()
    }

    fn lovrabet_dataset_exists(&self, dataset_code: &str) -> bool {
        self.lovrabet_datasets.contains(dataset_code)
    }

    fn jetlinks_client(&self, client_id: &str) -> Option<Arc<jetlinks::Signer>> {
        self.jetlinks.get(client_id).cloned()
    }

    fn piemdm_app(&self, app_id: &str) -> Option<Arc<piemdm::Signer>> {
        self.piemdm.get(app_id).cloned()
    }

    fn linksfield_key(&self, key_id: &str) -> Option<Arc<PublicKey>> {
        self.linksfield.get(key_id).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_and_redacted_debug() {
        let mut c = InMemoryCredentials::new();
        c.add_lovrabet_app(
            "app",
            LovrabetApp::new("ak-private", "sk-private")
                .unwrap()
                .allow("ds1")
                .unwrap(),
        )
        .unwrap();
        c.add_lovrabet_dataset("ds2").unwrap();
        c.add_piemdm(piemdm::Signer::new("p1", "piemdm-private").unwrap());
        c.add_jetlinks(
            jetlinks::Signer::new("j1", "jet-private", jetlinks::Algorithm::Md5).unwrap(),
        );
        assert!(c.lovrabet_app("app").unwrap().may_access("ds1"));
        assert!(!c.lovrabet_app("app").unwrap().may_access("ds2"));
        assert!(c.lovrabet_dataset_exists("ds1") && c.lovrabet_dataset_exists("ds2"));
        assert!(!c.lovrabet_dataset_exists("ds3"));
        assert!(c.lovrabet_app("other").is_none());
        assert_eq!(c.piemdm_app("p1").unwrap().app_id(), "p1");
        assert_eq!(c.jetlinks_client("j1").unwrap().client_id(), "j1");
        assert!(c.linksfield_key("k").is_none());
        let shown = format!("{c:?}");
        assert!(
            shown.contains("p1") && !shown.contains("private"),
            "{shown}"
        );
    }

    #[test]
    fn bad_ids_are_refused() {
        let mut c = InMemoryCredentials::new();
        let app = LovrabetApp::new("ak", "sk").unwrap();
        assert!(c.add_lovrabet_app("", app.clone()).is_err());
        assert!(app.allow("a\nb").is_err());
        assert!(c.add_lovrabet_dataset("").is_err());
    }
}
