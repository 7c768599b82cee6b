//! `Signature`: the headers to add and the intermediate string, as Python sees them.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::header_dict::{self, Layout, Value};

use apisign::signature::{Signature, MAX_HEADERS};

/// Signing instructions: `headers` (a fresh `dict` on every access, in documented order) and
/// `signed`, the intermediate string; `repr` shows `signed_redacted`.
#[pyclass(frozen, module = "apisign._native", name = "Signature")]
pub(crate) struct PySignature {
    pub(crate) inner: Signature,
    /// Python strings already holding some header values (by header position), shared by the
    /// headers dict instead of new copies: the caller's nonce, the signer's id…
    pub(crate) values: [Option<Py<PyString>>; MAX_HEADERS],
    /// The scheme's header layout, whose template dict `headers` copies.
    layout: Option<&'static Layout>,
}

impl PySignature {
    /// A signature whose headers follow `layout` (checked again when the dict is built).
    pub(crate) fn new(inner: Signature, layout: Option<&'static Layout>) -> Self {
        PySignature {
            inner,
            values: Default::default(),
            layout,
        }
    }
}

#[pymethods]
impl PySignature {
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let headers = &self.inner.headers;
        match self.layout.filter(|l| l.fits(headers)) {
            Some(layout) => layout.dict(
                py,
                headers.iter().zip(&self.values).map(|(h, v)| match v {
                    Some(v) => Value::Str(v.bind(py)),
                    None => Value::Text(h.value.as_str()),
                }),
            ),
            None => header_dict::generic(py, headers),
        }
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

    /// The exact intermediate string. It can hold a secret (lovrabet's carries the access
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

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySignature>()
}
