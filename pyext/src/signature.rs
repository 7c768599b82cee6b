//! `Signature`: the headers to add, the intermediate string and the parameters to add, as
//! Python sees them. Always complete: signing headers only and making the signed string on
//! demand measured no faster from Python (the saved formatting is repaid in keeping the
//! request alive), so there is one path.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use apisign::signature::Signature;
use apisign::SchemeId;

/// Signing instructions: `headers` (a fresh `dict` on every access, in documented order),
/// `signed` (the intermediate string), `params` (to add to the request) and `timestamp_ms`;
/// `repr` shows `signed_redacted`.
#[pyclass(frozen, subclass, module = "apisign._native", name = "Signature")]
pub(crate) struct PySignature {
    pub(crate) inner: Signature,
    pub(crate) scheme: SchemeId,
    pub(crate) timestamp_ms: u64,
}

impl PySignature {
    pub(crate) fn new(inner: Signature, scheme: SchemeId, timestamp_ms: u64) -> Self {
        PySignature {
            inner,
            scheme,
            timestamp_ms,
        }
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
    fn signed(&self) -> &str {
        &self.inner.signed
    }

    /// `signed` with any secret part replaced by `<redacted>`: safe to print or log.
    #[getter]
    fn signed_redacted(&self) -> String {
        self.inner.signed_redacted().into_owned()
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

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PySignature>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.inner.signed.hash(&mut h);
        for x in &self.inner.headers {
            x.name.hash(&mut h);
            x.value.hash(&mut h);
        }
        h.finish()
    }

    fn __repr__(&self) -> String {
        let headers: Vec<String> = self
            .inner
            .headers
            .iter()
            .map(|h| format!("{:?}: {:?}", h.name, h.value.as_str()))
            .collect();
        format!(
            "Signature(headers={{{}}}, signed={:?})",
            headers.join(", "),
            self.inner.signed_redacted()
        )
    }
}
