//! JetLinks: request signing, response sign/verify, the token request and OAuth2 bodies.

use pyo3::prelude::*;

use super::args::{maybe_detach, Body, SecretArg};
use super::errors::IntoPyResult;
use super::signature::PySignature;
use crate::clock;
use crate::jetlinks::{self, Algorithm};
use crate::request::Request;

/// A JetLinks client: client id, secure key and digest algorithm (`"md5"` or `"sha256"`).
#[pyclass(frozen, module = "apisign._native", name = "JetlinksSigner")]
pub(crate) struct PySigner {
    pub(crate) inner: jetlinks::Signer,
}

impl PySigner {
    fn sign_inner(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        body: &Body,
        content_type: Option<&str>,
        timestamp: Option<u64>,
    ) -> PyResult<PySignature> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let bytes = body.as_bytes();
        let request = Request {
            method,
            url,
            body: bytes,
            content_type,
        };
        let inner = maybe_detach(py, bytes.len(), || self.inner.sign(&request, ts)).py_err()?;
        Ok(PySignature { inner })
    }
}

#[pymethods]
impl PySigner {
    #[new]
    #[pyo3(signature = (client_id, secure_key, algorithm="md5"))]
    fn new(client_id: &str, secure_key: SecretArg, algorithm: &str) -> PyResult<Self> {
        let algorithm: Algorithm = algorithm.parse().py_err()?;
        Ok(PySigner {
            inner: jetlinks::Signer::new(client_id, secure_key.0, algorithm).py_err()?,
        })
    }

    /// Sign a request; `url` is the path with its raw query (or an absolute URL).
    #[pyo3(signature = (method, url, body=None, *, content_type=None, timestamp=None))]
    fn sign(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        body: Option<Body>,
        content_type: Option<&str>,
        timestamp: Option<u64>,
    ) -> PyResult<PySignature> {
        let body = body.unwrap_or(Body::Empty);
        self.sign_inner(py, method, url, &body, content_type, timestamp)
    }

    /// The `X-Sign` a server puts on a response with this body and `X-Timestamp`.
    fn sign_response(&self, py: Python<'_>, body: Body, timestamp: &str) -> String {
        let bytes = body.as_bytes();
        maybe_detach(py, bytes.len(), || {
            self.inner.sign_response(bytes, timestamp)
        })
    }

    /// Whether a response's `X-Sign` matches its body and `X-Timestamp` (constant time, hex
    /// case ignored).
    fn verify_response(&self, py: Python<'_>, body: Body, timestamp: &str, sign: &str) -> bool {
        let bytes = body.as_bytes();
        maybe_detach(py, bytes.len(), || {
            self.inner.verify_response(bytes, timestamp, sign)
        })
    }

    /// The signed `POST /api/v1/token` request: `(body, signature)`; `expires <= 0` asks for a
    /// token that never expires.
    #[pyo3(signature = (expires, timestamp=None))]
    fn token_request(
        &self,
        expires: i64,
        timestamp: Option<u64>,
    ) -> PyResult<(String, PySignature)> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let (body, inner) = self.inner.token_request(expires, ts).py_err()?;
        Ok((body, PySignature { inner }))
    }

    #[getter]
    fn client_id(&self) -> &str {
        self.inner.client_id()
    }

    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "JetlinksSigner(client_id={:?}, algorithm={:?}, secure_key=<redacted>)",
            self.inner.client_id(),
            self.inner.algorithm().as_str()
        )
    }
}

/// One-shot: `apisign.jetlinks.sign(method, url, body=b"", *, client_id, secure_key, ...)`.
#[pyfunction]
#[pyo3(signature = (method, url, body=None, *, client_id, secure_key, algorithm="md5", content_type=None, timestamp=None))]
#[allow(clippy::too_many_arguments)]
fn jetlinks_sign(
    py: Python<'_>,
    method: &str,
    url: &str,
    body: Option<Body>,
    client_id: &str,
    secure_key: SecretArg,
    algorithm: &str,
    content_type: Option<&str>,
    timestamp: Option<u64>,
) -> PyResult<PySignature> {
    let signer = PySigner::new(client_id, secure_key, algorithm)?;
    let body = body.unwrap_or(Body::Empty);
    signer.sign_inner(py, method, url, &body, content_type, timestamp)
}

/// Form body of an OAuth2 `client_credentials` token request.
#[pyfunction]
fn jetlinks_oauth2_client_credentials_body(client_id: &str, client_secret: &str) -> String {
    jetlinks::oauth2_client_credentials_body(client_id, client_secret)
}

/// Form body of an OAuth2 `refresh_token` request.
#[pyfunction]
fn jetlinks_oauth2_refresh_body(
    client_id: &str,
    client_secret: &str,
    refresh_token: &str,
) -> String {
    jetlinks::oauth2_refresh_body(client_id, client_secret, refresh_token)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySigner>()?;
    m.add_function(wrap_pyfunction!(jetlinks_sign, m)?)?;
    m.add_function(wrap_pyfunction!(
        jetlinks_oauth2_client_credentials_body,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(jetlinks_oauth2_refresh_body, m)?)?;
    m.add("JETLINKS_TOKEN_PATH", jetlinks::TOKEN_PATH)?;
    m.add(
        "JETLINKS_ACCESS_TOKEN_HEADER",
        jetlinks::ACCESS_TOKEN_HEADER,
    )?;
    Ok(())
}
