//! RSA key objects, parsed once and shared with signers and credentials. Every RSA operation
//! runs with the GIL released.

use std::sync::Arc;

use pyo3::prelude::*;

use super::args::{Body, SecretArg};
use super::errors::IntoPyResult;
use apisign::keys::{PrivateKey, PublicKey};

/// An RSA private key (PKCS#8 or PKCS#1; PEM, bare base64 DER, or DER bytes). Zeroized on
/// drop; `repr` shows only its size.
#[pyclass(frozen, module = "apisign._native", name = "PrivateKey")]
pub(crate) struct PyPrivateKey {
    pub(crate) inner: Arc<PrivateKey>,
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
            inner: Arc::new(self.inner.public_key()),
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
    pub(crate) inner: Arc<PublicKey>,
}

#[pymethods]
impl PyPublicKey {
    #[new]
    fn new(py: Python<'_>, key: Body) -> PyResult<Self> {
        let inner = py.detach(|| PublicKey::parse(key.as_bytes())).py_err()?;
        Ok(PyPublicKey {
            inner: Arc::new(inner),
        })
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

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPrivateKey>()?;
    m.add_class::<PyPublicKey>()?;
    m.add("MIN_KEY_BITS", apisign::keys::MIN_KEY_BITS)
}
