//! `Signature`: the headers to add, the intermediate string and the parameters to add, as
//! Python sees them. A one-shot signature is made headers-only (most callers read only the
//! headers); its signed string is made on first use by signing again with the same inputs.

use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyDict;

use super::args::Body;
use super::errors::IntoPyResult;
use super::signer::PySigner;
use apisign::scheme::Signer;
use apisign::signature::Signature;
use apisign::{Request, SchemeId, SignOptions};

/// The signer of a lazy signature: its own (one-shot) or the Python `Signer` that made it.
pub(crate) enum SignerOf {
    Own(Signer),
    Shared(Py<PySigner>),
}

impl SignerOf {
    pub(crate) fn get(&self) -> &Signer {
        match self {
            SignerOf::Own(s) => s,
            SignerOf::Shared(s) => s.get().signer(),
        }
    }
}

/// What signs a request again, for the signed string of a headers-only signature: the same
/// signer, request, timestamp and nonce (so the same bytes; only deterministic signings, no
/// RSA and no generated nonce, are made lazy).
pub(crate) struct Resign {
    pub(crate) signer: SignerOf,
    pub(crate) method: PyBackedStr,
    pub(crate) url: PyBackedStr,
    pub(crate) body: Body,
    pub(crate) content_type: Option<PyBackedStr>,
    pub(crate) nonce: Option<PyBackedStr>,
}

/// Signing instructions: `headers` (a fresh `dict` on every access, in documented order),
/// `signed` (the intermediate string), `params` (to add to the request) and `timestamp_ms`;
/// `repr` shows `signed_redacted`.
#[pyclass(frozen, subclass, module = "apisign._native", name = "Signature")]
pub(crate) struct PySignature {
    /// Complete, or headers-only when `resign` is set.
    pub(crate) inner: Signature,
    pub(crate) scheme: SchemeId,
    pub(crate) timestamp_ms: u64,
    resign: Option<Box<Resign>>,
    full: OnceLock<Signature>,
}

impl PySignature {
    pub(crate) fn new(inner: Signature, scheme: SchemeId, timestamp_ms: u64) -> Self {
        PySignature {
            inner,
            scheme,
            timestamp_ms,
            resign: None,
            full: OnceLock::new(),
        }
    }

    /// `inner` made with `headers_only`; `resign` makes the rest when asked.
    pub(crate) fn headers_only(
        inner: Signature,
        scheme: SchemeId,
        timestamp_ms: u64,
        resign: Resign,
    ) -> Self {
        PySignature {
            resign: Some(Box::new(resign)),
            ..PySignature::new(inner, scheme, timestamp_ms)
        }
    }

    /// The complete signature (signed string included).
    pub(crate) fn full(&self) -> PyResult<&Signature> {
        let Some(r) = &self.resign else {
            return Ok(&self.inner);
        };
        if let Some(f) = self.full.get() {
            return Ok(f);
        }
        let mut request = Request::new(&r.method, &r.url).with_body(r.body.as_bytes());
        request.content_type = r.content_type.as_deref();
        let options = SignOptions {
            timestamp: Some(self.timestamp_ms),
            nonce: r.nonce.as_deref(),
            headers_only: false,
        };
        let made = r.signer.get().sign(&request, &options).py_err()?;
        Ok(self.full.get_or_init(|| made))
    }
}

#[pymethods]
impl PySignature {
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        super::header_dict::dict(py, self.scheme, &self.inner.headers)
    }

    /// `(name, value)` pairs in documented order.
    #[getter]
    fn header_items(&self) -> Vec<(&'static str, String)> {
        self.inner
            .headers
            .iter()
            .map(|h| (h.name, h.value.as_str().to_owned()))
            .collect()
    }

    /// The exact intermediate string. It can hold a secret (some schemes sign the access
    /// key): log `signed_redacted`, never this.
    #[getter]
    fn signed(&self) -> PyResult<&str> {
        Ok(&self.full()?.signed)
    }

    /// `signed` with any secret part replaced by `<redacted>`: safe to print or log.
    #[getter]
    fn signed_redacted(&self) -> PyResult<String> {
        Ok(self.full()?.signed_redacted().into_owned())
    }

    /// Parameters the request must also carry (query or body), `(name, value)`.
    #[getter]
    fn params(&self) -> Vec<(&'static str, String)> {
        self.inner.params.clone()
    }

    /// The scheme's name.
    #[getter]
    fn scheme(&self) -> &'static str {
        self.scheme.name()
    }

    /// The signing time, in milliseconds.
    #[getter]
    fn timestamp_ms(&self) -> u64 {
        self.timestamp_ms
    }

    /// The value of header `name`, ignoring ASCII case; `None` when absent.
    fn header(&self, name: &str) -> Option<&str> {
        self.inner.header(name)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<PySignature>() {
            Ok(o) => Ok(o.get().full()? == self.full()?),
            Err(_) => Ok(false),
        }
    }

    fn __hash__(&self) -> PyResult<u64> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.full()?.signed.hash(&mut h);
        for x in &self.inner.headers {
            x.name.hash(&mut h);
            x.value.hash(&mut h);
        }
        Ok(h.finish())
    }

    fn __repr__(&self) -> PyResult<String> {
        let headers: Vec<String> = self
            .inner
            .headers
            .iter()
            .map(|h| format!("{:?}: {:?}", h.name, h.value.as_str()))
            .collect();
        Ok(format!(
            "Signature(headers={{{}}}, signed={:?})",
            headers.join(", "),
            self.full()?.signed_redacted()
        ))
    }
}
