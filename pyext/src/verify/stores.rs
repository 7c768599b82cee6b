//! What a verifier looks callers up in (`Credentials`) and where it remembers nonces
//! (`NonceStore`), as Python objects shared with the verifiers built from them.

use std::sync::{Arc, RwLock};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::args::{Body, SecretArg};
use crate::errors::IntoPyResult;
use crate::linksfield::PyPublicKey;
use apisign::jetlinks;
use apisign::linksfield::PublicKey;
use apisign::piemdm;
use apisign::verify::{CredentialStore, InMemoryCredentials, InMemoryNonceStore, LovrabetApp};

/// An `InMemoryCredentials` that Python code can keep adding to after verifiers were built
/// from it (verifiers hold the same `Arc`).
#[derive(Default)]
struct SharedCredentials(RwLock<InMemoryCredentials>);

impl SharedCredentials {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, InMemoryCredentials> {
        // A panic while holding the lock cannot leave the maps half-updated (each add is one
        // insert), so a poisoned lock is still safe to read.
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, InMemoryCredentials> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl CredentialStore for SharedCredentials {
    fn lovrabet_app(&self, app_code: &str) -> Option<Arc<LovrabetApp>> {
        self.read().lovrabet_app(app_code)
    }
    fn lovrabet_dataset_exists(&self, dataset_code: &str) -> bool {
        self.read().lovrabet_dataset_exists(dataset_code)
    }
    fn jetlinks_client(&self, client_id: &str) -> Option<Arc<jetlinks::Signer>> {
        self.read().jetlinks_client(client_id)
    }
    fn piemdm_app(&self, app_id: &str) -> Option<Arc<piemdm::Signer>> {
        self.read().piemdm_app(app_id)
    }
    fn linksfield_key(&self, key_id: &str) -> Option<Arc<PublicKey>> {
        self.read().linksfield_key(key_id)
    }
}

/// What the server knows about its callers: lovrabet apps and datasets, jetlinks clients,
/// piemdm apps, linksfield public keys. `repr` lists ids only.
#[pyclass(frozen, module = "apisign._native", name = "Credentials")]
pub(crate) struct PyCredentials {
    inner: Arc<SharedCredentials>,
}

impl PyCredentials {
    /// The store the verifiers hold: the same one later `add_*` calls write to.
    pub(super) fn store(&self) -> Arc<dyn CredentialStore> {
        self.inner.clone()
    }
}

#[pymethods]
impl PyCredentials {
    #[new]
    fn new() -> Self {
        PyCredentials {
            inner: Arc::new(SharedCredentials::default()),
        }
    }

    /// Register lovrabet app `app_code` with its keys and the datasets it may read.
    #[pyo3(signature = (app_code, access_key, secret_key=None, datasets=Vec::new()))]
    fn add_lovrabet_app(
        &self,
        app_code: &str,
        access_key: SecretArg,
        secret_key: Option<SecretArg>,
        datasets: Vec<String>,
    ) -> PyResult<()> {
        let secret =
            secret_key.map_or_else(|| apisign::lovrabet::DEFAULT_SECRET_KEY.into(), |s| s.0);
        let mut app = LovrabetApp::new(access_key.0, secret).py_err()?;
        for ds in datasets {
            app = app.allow(ds).py_err()?;
        }
        self.inner.write().add_lovrabet_app(app_code, app).py_err()
    }

    /// Register a lovrabet dataset that exists (whether or not any app may read it).
    fn add_lovrabet_dataset(&self, dataset_code: &str) -> PyResult<()> {
        self.inner
            .write()
            .add_lovrabet_dataset(dataset_code)
            .py_err()
    }

    /// Register a jetlinks client.
    #[pyo3(signature = (client_id, secure_key, algorithm="md5"))]
    fn add_jetlinks(
        &self,
        client_id: &str,
        secure_key: SecretArg,
        algorithm: &str,
    ) -> PyResult<()> {
        let algorithm: jetlinks::Algorithm = algorithm.parse().py_err()?;
        let signer = jetlinks::Signer::new(client_id, secure_key.0, algorithm).py_err()?;
        self.inner.write().add_jetlinks(signer);
        Ok(())
    }

    /// Register a piemdm app.
    fn add_piemdm(&self, app_id: &str, app_secret: SecretArg) -> PyResult<()> {
        let signer = piemdm::Signer::new(app_id, app_secret.0).py_err()?;
        self.inner.write().add_piemdm(signer);
        Ok(())
    }

    /// Register a linksfield public key (a `PublicKey`, or PEM/base64 text, or DER bytes).
    fn add_linksfield(
        &self,
        py: Python<'_>,
        key_id: &str,
        public_key: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let key = if let Ok(k) = public_key.cast::<PyPublicKey>() {
            k.get().inner.clone()
        } else if public_key.is_instance_of::<PyString>()
            || public_key.is_instance_of::<pyo3::types::PyBytes>()
        {
            let body: Body = public_key.extract()?;
            py.detach(|| PublicKey::parse(body.as_bytes())).py_err()?
        } else {
            return Err(PyTypeError::new_err(format!(
                "public_key must be a PublicKey, str (PEM/base64) or bytes (PEM/DER), not {}",
                public_key.get_type().name()?
            )));
        };
        self.inner.write().add_linksfield(key_id, key).py_err()
    }

    fn __repr__(&self) -> String {
        format!("Credentials({:?})", &*self.inner.read())
    }
}

/// The bounded in-memory replay store (nonces remembered for their window, then forgotten).
#[pyclass(frozen, module = "apisign._native", name = "NonceStore")]
pub(crate) struct PyNonceStore {
    pub(super) inner: Arc<InMemoryNonceStore>,
}

#[pymethods]
impl PyNonceStore {
    #[new]
    #[pyo3(signature = (capacity=None))]
    fn new(capacity: Option<usize>) -> Self {
        PyNonceStore {
            inner: Arc::new(match capacity {
                Some(c) => InMemoryNonceStore::with_capacity(c),
                None => InMemoryNonceStore::default(),
            }),
        }
    }
    #[getter]
    fn capacity(&self) -> usize {
        self.inner.capacity()
    }
    fn __len__(&self) -> usize {
        self.inner.len()
    }
    fn __repr__(&self) -> String {
        format!(
            "NonceStore(len={}, capacity={})",
            self.inner.len(),
            self.inner.capacity()
        )
    }
}
