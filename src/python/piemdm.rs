//! PieMDM: request signing and the canonical request.

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use super::args::{maybe_detach, Body, SecretArg};
use super::errors::IntoPyResult;
use super::signature::PySignature;
use crate::clock;
use crate::piemdm;
use crate::request::Request;

/// A PieMDM app: app id and secret (keyed HMAC computed once).
#[pyclass(frozen, module = "apisign._native", name = "PiemdmSigner")]
pub(crate) struct PySigner {
    inner: piemdm::Signer,
}

impl PySigner {
    fn sign_inner(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        body: &Body,
        timestamp: Option<u64>,
        nonce: Option<&str>,
    ) -> PyResult<PySignature> {
        let ts = timestamp.unwrap_or_else(clock::now_secs);
        let generated;
        let nonce = match nonce {
            Some(n) => n,
            None => {
                generated = clock::random_nonce().py_err()?;
                generated.as_str()
            }
        };
        let bytes = body.as_bytes();
        let request = Request::new(method, url).with_body(bytes);
        let inner =
            maybe_detach(py, bytes.len(), || self.inner.sign(&request, ts, nonce)).py_err()?;
        Ok(PySignature { inner })
    }
}

#[pymethods]
impl PySigner {
    #[new]
    fn new(app_id: &str, app_secret: SecretArg) -> PyResult<Self> {
        Ok(PySigner {
            inner: piemdm::Signer::new(app_id, app_secret.0).py_err()?,
        })
    }

    /// Sign a request; `timestamp` is Unix seconds (default now), `nonce` defaults to 32 random
    /// hex characters.
    #[pyo3(signature = (method, url, body=None, *, timestamp=None, nonce=None))]
    fn sign(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        body: Option<Body>,
        timestamp: Option<u64>,
        nonce: Option<&str>,
    ) -> PyResult<PySignature> {
        let body = body.unwrap_or(Body::Empty);
        self.sign_inner(py, method, url, &body, timestamp, nonce)
    }

    #[getter]
    fn app_id(&self) -> &str {
        self.inner.app_id()
    }

    fn __repr__(&self) -> String {
        format!(
            "PiemdmSigner(app_id={:?}, app_secret=<redacted>)",
            self.inner.app_id()
        )
    }
}

/// One-shot: `apisign.piemdm.sign(method, url, body=b"", *, app_id, app_secret, ...)`.
#[pyfunction]
#[pyo3(signature = (method, url, body=None, *, app_id, app_secret, timestamp=None, nonce=None))]
#[allow(clippy::too_many_arguments)]
fn piemdm_sign(
    py: Python<'_>,
    method: &str,
    url: &str,
    body: Option<Body>,
    app_id: &str,
    app_secret: SecretArg,
    timestamp: Option<u64>,
    nonce: Option<&str>,
) -> PyResult<PySignature> {
    let signer = PySigner::new(app_id, app_secret)?;
    let body = body.unwrap_or(Body::Empty);
    signer.sign_inner(py, method, url, &body, timestamp, nonce)
}

/// The canonical request (bytes: a decoded path need not be UTF-8).
#[pyfunction]
#[pyo3(signature = (method, url, body, timestamp, nonce))]
fn piemdm_canonical_request<'py>(
    py: Python<'py>,
    method: &str,
    url: &str,
    body: Body,
    timestamp: &str,
    nonce: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = body.as_bytes();
    let request = Request::new(method, url).with_body(bytes);
    let canonical = maybe_detach(py, bytes.len(), || {
        piemdm::canonical_request(&request, timestamp, nonce)
    })
    .py_err()?;
    Ok(PyBytes::new(py, &canonical))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySigner>()?;
    m.add_function(wrap_pyfunction!(piemdm_sign, m)?)?;
    m.add_function(wrap_pyfunction!(piemdm_canonical_request, m)?)?;
    m.add("PIEMDM_GENERATED_NONCE_LEN", piemdm::GENERATED_NONCE_LEN)?;
    m.add(
        "PIEMDM_RECOMMENDED_MIN_NONCE_LEN",
        piemdm::RECOMMENDED_MIN_NONCE_LEN,
    )?;
    Ok(())
}
