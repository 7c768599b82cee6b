//! `Signature`: the headers to add and the intermediate string, as Python sees them.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};

use crate::signature::{Header, Signature, MAX_HEADERS};

/// Signing instructions: `headers` (a fresh `dict` on every access, in documented order) and
/// `signed`, the intermediate string; `repr` shows `signed_redacted`.
#[pyclass(frozen, module = "apisign._native", name = "Signature")]
pub(crate) struct PySignature {
    pub(crate) inner: Signature,
    /// Python strings already holding some header values (by header position), shared by the
    /// headers dict instead of new copies: the caller's nonce, the signer's id…
    pub(crate) values: [Option<Py<PyString>>; MAX_HEADERS],
}

impl PySignature {
    pub(crate) fn new(inner: Signature) -> Self {
        PySignature {
            inner,
            values: Default::default(),
        }
    }
}

/// Every header name the schemes emit. Their Python strings are made once: building the
/// headers dict is most of the cost of a signature on the Python side.
const HEADER_NAMES: [&str; 13] = [
    "X-App-Code",
    "X-Dataset-Code",
    "X-Time-Stamp",
    "X-Token",
    "X-Client-Id",
    "X-Timestamp",
    "X-Sign",
    "X-App-Id",
    "X-Nonce",
    "Authorization",
    "timestamp",
    "nonce",
    "X-LF-Signature-Type",
];

static NAME_STRINGS: PyOnceLock<Vec<Py<PyString>>> = PyOnceLock::new();

/// The Python string for header `name` (cached for the known names).
pub(crate) fn header_name<'py>(py: Python<'py>, name: &'static str) -> Bound<'py, PyString> {
    let cached = NAME_STRINGS.get_or_init(py, || {
        HEADER_NAMES
            .iter()
            .map(|n| PyString::intern(py, n).unbind())
            .collect()
    });
    match HEADER_NAMES.iter().position(|n| *n == name) {
        Some(i) => cached[i].bind(py).clone(),
        None => PyString::new(py, name),
    }
}

pub(crate) fn headers_dict<'py>(
    py: Python<'py>,
    headers: &[Header],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for h in headers {
        d.set_item(header_name(py, h.name), h.value.as_str())?;
    }
    Ok(d)
}

#[pymethods]
impl PySignature {
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (h, v) in self.inner.headers.iter().zip(&self.values) {
            match v {
                Some(v) => d.set_item(header_name(py, h.name), v.bind(py))?,
                None => d.set_item(header_name(py, h.name), h.value.as_str())?,
            }
        }
        Ok(d)
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
