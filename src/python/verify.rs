//! Server-side verification: credentials, the in-memory nonce store and one verifier per
//! scheme. A rejection raises the `apisign.errors` class of its kind, carrying the platform's
//! own code (`platform_code`). Verification (digests, RSA) runs with the GIL released.

use std::sync::{Arc, RwLock};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::{Map, Value};

use super::args::{Body, SecretArg};
use super::errors::IntoPyResult;
use super::linksfield::PyPublicKey;
use crate::clock;
use crate::jetlinks;
use crate::linksfield::PublicKey;
use crate::piemdm;
use crate::verify::{
    self, CredentialStore, InMemoryCredentials, InMemoryNonceStore, IncomingRequest, LovrabetApp,
    NonceStore, Verified, Window,
};

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
        let secret = secret_key.map_or_else(|| crate::lovrabet::DEFAULT_SECRET_KEY.into(), |s| s.0);
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
    inner: Arc<InMemoryNonceStore>,
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

/// Who sent an authentic request.
#[pyclass(frozen, module = "apisign._native", name = "Verified")]
pub(crate) struct PyVerified {
    inner: Verified,
}

#[pymethods]
impl PyVerified {
    /// The app code, client id, app id or key id.
    #[getter]
    fn caller(&self) -> &str {
        &self.inner.caller
    }
    /// The dataset a lovrabet token is bound to (`None` for other schemes).
    #[getter]
    fn dataset(&self) -> Option<&str> {
        self.inner.dataset.as_deref()
    }
    /// The signed timestamp, in the scheme's unit.
    #[getter]
    fn timestamp(&self) -> u64 {
        self.inner.timestamp
    }
    #[getter]
    fn nonce(&self) -> Option<&str> {
        self.inner.nonce.as_deref()
    }
    fn __repr__(&self) -> String {
        format!(
            "Verified(caller={:?}, dataset={:?}, timestamp={}, nonce={:?})",
            self.inner.caller, self.inner.dataset, self.inner.timestamp, self.inner.nonce
        )
    }
}

/// Headers as given by Python: a mapping or `(name, value)` pairs (repeats kept, so a header
/// sent twice with different values is refused by the verifier).
fn header_pairs(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    if let Ok(d) = headers.cast::<PyDict>() {
        return d
            .iter()
            .map(|(k, v)| Ok((k.extract()?, v.extract()?)))
            .collect();
    }
    if headers.hasattr("items")? {
        let items = headers.call_method0("items")?;
        return items.try_iter()?.map(|kv| kv?.extract()).collect();
    }
    headers.try_iter()?.map(|kv| kv?.extract()).collect()
}

fn window(max_age: Option<u64>, max_ahead: Option<u64>, default: Window) -> Window {
    Window {
        max_age: max_age.unwrap_or(default.max_age),
        max_ahead: max_ahead.unwrap_or(default.max_ahead),
    }
}

/// Run `check` on the request with the GIL released.
fn run(
    py: Python<'_>,
    method: &str,
    url: &str,
    headers: &Bound<'_, PyAny>,
    body: Option<Body>,
    check: impl Send + FnOnce(&IncomingRequest<'_>) -> crate::Result<Verified>,
) -> PyResult<PyVerified> {
    let pairs = header_pairs(headers)?;
    let body = body.unwrap_or(Body::Empty);
    let inner = py
        .detach(|| {
            let request = IncomingRequest {
                method,
                url,
                headers: pairs
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
                body: body.as_bytes(),
            };
            check(&request)
        })
        .py_err()?;
    Ok(PyVerified { inner })
}

/// Verifies lovrabet tokens (codes 1002–1006).
#[pyclass(frozen, module = "apisign._native", name = "LovrabetVerifier")]
pub(crate) struct PyLovrabetVerifier {
    inner: verify::lovrabet::Verifier,
}

#[pymethods]
impl PyLovrabetVerifier {
    #[new]
    #[pyo3(signature = (credentials, *, max_age_ms=None, max_ahead_ms=None))]
    fn new(
        credentials: &PyCredentials,
        max_age_ms: Option<u64>,
        max_ahead_ms: Option<u64>,
    ) -> Self {
        let w = window(max_age_ms, max_ahead_ms, verify::lovrabet::DEFAULT_WINDOW);
        PyLovrabetVerifier {
            inner: verify::lovrabet::Verifier::new(credentials.inner.clone()).window(w),
        }
    }

    /// Verify a received request; `now_ms` defaults to the clock.
    #[pyo3(signature = (method, url, headers, body=None, *, now_ms=None))]
    fn verify(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        headers: &Bound<'_, PyAny>,
        body: Option<Body>,
        now_ms: Option<u64>,
    ) -> PyResult<PyVerified> {
        let now = now_ms.unwrap_or_else(clock::now_ms);
        run(py, method, url, headers, body, |r| {
            self.inner.verify(r, now)
        })
    }
}

/// Verifies jetlinks request signatures.
#[pyclass(frozen, module = "apisign._native", name = "JetlinksVerifier")]
pub(crate) struct PyJetlinksVerifier {
    inner: verify::jetlinks::Verifier,
}

#[pymethods]
impl PyJetlinksVerifier {
    #[new]
    #[pyo3(signature = (credentials, *, max_age_ms=None, max_ahead_ms=None))]
    fn new(
        credentials: &PyCredentials,
        max_age_ms: Option<u64>,
        max_ahead_ms: Option<u64>,
    ) -> Self {
        let default = Window::symmetric(verify::jetlinks::DEFAULT_WINDOW_MS);
        PyJetlinksVerifier {
            inner: verify::jetlinks::Verifier::new(credentials.inner.clone()).window(window(
                max_age_ms,
                max_ahead_ms,
                default,
            )),
        }
    }

    #[pyo3(signature = (method, url, headers, body=None, *, now_ms=None))]
    fn verify(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        headers: &Bound<'_, PyAny>,
        body: Option<Body>,
        now_ms: Option<u64>,
    ) -> PyResult<PyVerified> {
        let now = now_ms.unwrap_or_else(clock::now_ms);
        run(py, method, url, headers, body, |r| {
            self.inner.verify(r, now)
        })
    }
}

/// Verifies piemdm signatures and records nonces (after the signature passed).
#[pyclass(frozen, module = "apisign._native", name = "PiemdmVerifier")]
pub(crate) struct PyPiemdmVerifier {
    inner: verify::piemdm::Verifier,
}

#[pymethods]
impl PyPiemdmVerifier {
    #[new]
    #[pyo3(signature = (credentials, nonces, *, max_age_secs=None, max_ahead_secs=None, nonce_ttl_secs=None, min_nonce_len=None))]
    fn new(
        credentials: &PyCredentials,
        nonces: &PyNonceStore,
        max_age_secs: Option<u64>,
        max_ahead_secs: Option<u64>,
        nonce_ttl_secs: Option<u64>,
        min_nonce_len: Option<usize>,
    ) -> Self {
        let default = Window::symmetric(verify::piemdm::DEFAULT_WINDOW_SECS);
        let store: Arc<dyn NonceStore> = nonces.inner.clone();
        let mut v = verify::piemdm::Verifier::new(credentials.inner.clone(), store).window(window(
            max_age_secs,
            max_ahead_secs,
            default,
        ));
        if let Some(ttl) = nonce_ttl_secs {
            v = v.nonce_ttl(ttl);
        }
        if let Some(n) = min_nonce_len {
            v = v.min_nonce_len(n);
        }
        PyPiemdmVerifier { inner: v }
    }

    /// Verify a received request; `now_secs` defaults to the clock.
    #[pyo3(signature = (method, url, headers, body=None, *, now_secs=None))]
    fn verify(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        headers: &Bound<'_, PyAny>,
        body: Option<Body>,
        now_secs: Option<u64>,
    ) -> PyResult<PyVerified> {
        let now = now_secs.unwrap_or_else(clock::now_secs);
        run(py, method, url, headers, body, |r| {
            self.inner.verify(r, now)
        })
    }
}

/// Verifies linksfield signatures (v2, and v1 unless refused) with the caller's public key.
#[pyclass(frozen, module = "apisign._native", name = "LinksfieldVerifier")]
pub(crate) struct PyLinksfieldVerifier {
    inner: verify::linksfield::Verifier,
}

#[pymethods]
impl PyLinksfieldVerifier {
    #[new]
    #[pyo3(signature = (credentials, *, nonces=None, max_age_ms=None, max_ahead_ms=None, accept_v1=true))]
    fn new(
        credentials: &PyCredentials,
        nonces: Option<&PyNonceStore>,
        max_age_ms: Option<u64>,
        max_ahead_ms: Option<u64>,
        accept_v1: bool,
    ) -> Self {
        let default = Window::symmetric(verify::linksfield::DEFAULT_WINDOW_MS);
        let mut v = verify::linksfield::Verifier::new(credentials.inner.clone())
            .window(window(max_age_ms, max_ahead_ms, default))
            .accept_v1(accept_v1);
        if let Some(n) = nonces {
            let store: Arc<dyn NonceStore> = n.inner.clone();
            v = v.with_nonce_store(store);
        }
        PyLinksfieldVerifier { inner: v }
    }

    /// Verify a received request; for version 1, `path_params_json` (a JSON object of the
    /// router's typed path parameters) is part of the signed message.
    #[pyo3(signature = (method, url, headers, body=None, *, path_params_json=None, now_ms=None))]
    #[allow(clippy::too_many_arguments)]
    fn verify(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        headers: &Bound<'_, PyAny>,
        body: Option<Body>,
        path_params_json: Option<&str>,
        now_ms: Option<u64>,
    ) -> PyResult<PyVerified> {
        let now = now_ms.unwrap_or_else(clock::now_ms);
        let params: Map<String, Value> =
            super::linksfield::json_object("path_params", path_params_json)?;
        run(py, method, url, headers, body, |r| {
            self.inner.verify_v1(r, &params, now)
        })
    }
}

/// Client side: check a jetlinks response's `X-Sign` (and, with `max_age_ms`, that its
/// `X-Timestamp` is fresh). Raises on failure.
#[pyfunction]
#[pyo3(signature = (signer, body, headers, *, max_age_ms=None, now_ms=None))]
fn jetlinks_verify_response(
    py: Python<'_>,
    signer: &super::jetlinks::PySigner,
    body: Body,
    headers: &Bound<'_, PyAny>,
    max_age_ms: Option<u64>,
    now_ms: Option<u64>,
) -> PyResult<()> {
    let pairs = header_pairs(headers)?;
    let freshness =
        max_age_ms.map(|w| (Window::symmetric(w), now_ms.unwrap_or_else(clock::now_ms)));
    py.detach(|| {
        let view: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        verify::jetlinks::verify_response(&signer.inner, body.as_bytes(), &view, freshness)
    })
    .py_err()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCredentials>()?;
    m.add_class::<PyNonceStore>()?;
    m.add_class::<PyVerified>()?;
    m.add_class::<PyLovrabetVerifier>()?;
    m.add_class::<PyJetlinksVerifier>()?;
    m.add_class::<PyPiemdmVerifier>()?;
    m.add_class::<PyLinksfieldVerifier>()?;
    m.add_function(wrap_pyfunction!(jetlinks_verify_response, m)?)?;
    Ok(())
}
