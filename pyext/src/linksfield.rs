//! Linksfield Cube: RSA key objects, v2 and v1 signing, and the v2 message. Every RSA
//! operation runs with the GIL released.

use std::sync::Arc;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use serde_json::{Map, Value};

use super::args::{nonce_or_random, Body, SecretArg};
use super::errors::IntoPyResult;
use super::header_dict;
use super::signature::PySignature;
use apisign::clock;
use apisign::error::{Error, ErrorKind};
use apisign::linksfield::{self, PrivateKey, PublicKey, V1Signature};
use apisign::request::Request;

/// An RSA private key (PKCS#8 or PKCS#1; PEM, bare base64 DER, or DER bytes). Zeroized on
/// drop; `repr` shows only its size.
#[pyclass(frozen, module = "apisign._native", name = "PrivateKey")]
pub(crate) struct PyPrivateKey {
    inner: Arc<PrivateKey>,
}

#[pymethods]
impl PyPrivateKey {
    #[new]
    fn new(py: Python<'_>, key: SecretArg) -> PyResult<Self> {
        let inner = py.detach(|| PrivateKey::parse(key.0.expose())).py_err()?;
        Ok(PyPrivateKey {
            inner: Arc::new(inner),
        })
    }

    #[getter]
    fn bits(&self) -> usize {
        self.inner.bits()
    }

    /// The matching public key.
    fn public_key(&self) -> PyPublicKey {
        PyPublicKey {
            inner: self.inner.public_key(),
        }
    }

    /// `base64(SHA1withRSA(message))`.
    fn sign_base64(&self, py: Python<'_>, message: Body) -> PyResult<String> {
        py.detach(|| self.inner.sign_base64(message.as_bytes()))
            .py_err()
    }

    fn __repr__(&self) -> String {
        format!("PrivateKey(RSA-{}, <redacted>)", self.inner.bits())
    }
}

/// An RSA public key (SPKI or PKCS#1; PEM, bare base64 DER, or DER bytes).
#[pyclass(frozen, module = "apisign._native", name = "PublicKey")]
pub(crate) struct PyPublicKey {
    pub(crate) inner: PublicKey,
}

#[pymethods]
impl PyPublicKey {
    #[new]
    fn new(py: Python<'_>, key: Body) -> PyResult<Self> {
        let inner = py.detach(|| PublicKey::parse(key.as_bytes())).py_err()?;
        Ok(PyPublicKey { inner })
    }

    #[getter]
    fn bits(&self) -> usize {
        self.inner.bits()
    }

    /// Whether `signature_b64` is a valid SHA1withRSA signature of `message`.
    fn verify_base64(&self, py: Python<'_>, message: Body, signature_b64: &str) -> bool {
        py.detach(|| self.inner.verify_base64(message.as_bytes(), signature_b64))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyPublicKey>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        format!("PublicKey(RSA-{})", self.inner.bits())
    }
}

/// A v1 signature: the `Authorization` header, the signed message, and the `timestamp`
/// (string) and `nonce` (integer) the caller must also send in the query or body.
#[pyclass(frozen, module = "apisign._native", name = "LinksfieldV1Signature")]
pub(crate) struct PyV1Signature {
    inner: V1Signature,
}

#[pymethods]
impl PyV1Signature {
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        header_dict::generic(py, &self.inner.signature.headers)
    }
    #[getter]
    fn signed(&self) -> &str {
        &self.inner.signature.signed
    }
    #[getter]
    fn timestamp(&self) -> &str {
        &self.inner.timestamp
    }
    #[getter]
    fn nonce(&self) -> i64 {
        self.inner.nonce
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.inner.signature.header(name)
    }
    fn __repr__(&self) -> String {
        format!(
            "LinksfieldV1Signature(timestamp={:?}, nonce={}, signed={:?})",
            self.inner.timestamp, self.inner.nonce, self.inner.signature.signed
        )
    }
}

pub(crate) fn json_object(field: &'static str, text: Option<&str>) -> PyResult<Map<String, Value>> {
    let Some(text) = text else {
        return Ok(Map::new());
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(super::errors::to_py(
            Error::new(ErrorKind::InvalidJson, "must be a JSON object").with_field(field),
        )),
        Err(e) => Err(super::errors::to_py(
            Error::new(ErrorKind::InvalidJson, format!("is not valid JSON ({e})"))
                .with_field(field),
        )),
    }
}

fn v1_nonce(nonce: Option<i64>) -> PyResult<i64> {
    match nonce {
        Some(n) => Ok(n),
        None => clock::random_int_nonce().py_err(),
    }
}

/// A linksfield client: key id and private key.
#[pyclass(frozen, module = "apisign._native", name = "LinksfieldSigner")]
pub(crate) struct PySigner {
    inner: linksfield::Signer,
}

fn private_key(py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Arc<PrivateKey>> {
    if let Ok(k) = key.cast::<PyPrivateKey>() {
        return Ok(k.get().inner.clone());
    }
    if key.is_instance_of::<pyo3::types::PyString>() || key.is_instance_of::<pyo3::types::PyBytes>()
    {
        let secret: SecretArg = key.extract()?;
        return Ok(PyPrivateKey::new(py, secret)?.inner);
    }
    Err(PyTypeError::new_err(format!(
        "private_key must be a PrivateKey, str (PEM/base64) or bytes (PEM/DER), not {}",
        key.get_type().name()?
    )))
}

impl PySigner {
    fn v2(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        body: &Body,
        timestamp: Option<u64>,
        nonce: Option<&str>,
    ) -> PyResult<PySignature> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let nonce = nonce_or_random(nonce)?;
        let request = Request::new(method, url).with_body(body.as_bytes());
        let inner = py
            .detach(|| self.inner.sign_v2(&request, ts, &nonce))
            .py_err()?;
        Ok(PySignature::new(inner, None))
    }
}

#[pymethods]
impl PySigner {
    #[new]
    fn new(py: Python<'_>, key_id: &str, private_key: &Bound<'_, PyAny>) -> PyResult<Self> {
        let key = self::private_key(py, private_key)?;
        Ok(PySigner {
            inner: linksfield::Signer::new(key_id, key).py_err()?,
        })
    }

    /// Signature version 2: `timestamp` in ms (default now), `nonce` a string (default 32
    /// random hex characters).
    #[pyo3(signature = (method, url, body=None, *, timestamp=None, nonce=None))]
    fn sign_v2(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        body: Option<Body>,
        timestamp: Option<u64>,
        nonce: Option<&str>,
    ) -> PyResult<PySignature> {
        let body = body.unwrap_or(Body::Empty);
        self.v2(py, method, url, &body, timestamp, nonce)
    }

    /// Signature version 1 over the request's query (strings) and JSON body fields (typed),
    /// plus `extra_json` (a JSON object of path parameters / typed overrides).
    #[pyo3(signature = (method, url, body=None, *, extra_json=None, timestamp=None, nonce=None))]
    #[allow(clippy::too_many_arguments)]
    fn sign_v1(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        body: Option<Body>,
        extra_json: Option<&str>,
        timestamp: Option<u64>,
        nonce: Option<i64>,
    ) -> PyResult<PyV1Signature> {
        let body = body.unwrap_or(Body::Empty);
        let extra = json_object("extra", extra_json)?;
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let nonce = v1_nonce(nonce)?;
        let request = Request::new(method, url).with_body(body.as_bytes());
        let inner = py
            .detach(|| self.inner.sign_v1_request(&request, &extra, ts, nonce))
            .py_err()?;
        Ok(PyV1Signature { inner })
    }

    /// Signature version 1 over typed parameters given as a JSON object.
    #[pyo3(signature = (params_json, *, timestamp=None, nonce=None))]
    fn sign_v1_params(
        &self,
        py: Python<'_>,
        params_json: &str,
        timestamp: Option<u64>,
        nonce: Option<i64>,
    ) -> PyResult<PyV1Signature> {
        let params = json_object("params", Some(params_json))?;
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let nonce = v1_nonce(nonce)?;
        let inner = py
            .detach(|| self.inner.sign_v1(&params, ts, nonce))
            .py_err()?;
        Ok(PyV1Signature { inner })
    }

    #[getter]
    fn key_id(&self) -> &str {
        self.inner.key_id()
    }

    fn __repr__(&self) -> String {
        format!(
            "LinksfieldSigner(key_id={:?}, private_key=<redacted>)",
            self.inner.key_id()
        )
    }
}

/// The v2 message for a request with these exact `timestamp` and `nonce` strings.
#[pyfunction]
fn linksfield_message_v2(
    method: &str,
    url: &str,
    body: Body,
    timestamp: &str,
    nonce: &str,
) -> PyResult<String> {
    linksfield::message_v2(
        &Request::new(method, url).with_body(body.as_bytes()),
        timestamp,
        nonce,
    )
    .py_err()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPrivateKey>()?;
    m.add_class::<PyPublicKey>()?;
    m.add_class::<PyV1Signature>()?;
    m.add_class::<PySigner>()?;
    m.add_function(wrap_pyfunction!(linksfield_message_v2, m)?)?;
    m.add("LINKSFIELD_MIN_KEY_BITS", linksfield::MIN_KEY_BITS)?;
    Ok(())
}
