//! The request as the server received it, from Python values, and who sent it (`Verified`).

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::args::Body;
use crate::errors::IntoPyResult;
use apisign::verify::{IncomingRequest, Verified, Window};

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
pub(super) fn header_pairs(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
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

pub(super) fn window(max_age: Option<u64>, max_ahead: Option<u64>, default: Window) -> Window {
    Window {
        max_age: max_age.unwrap_or(default.max_age),
        max_ahead: max_ahead.unwrap_or(default.max_ahead),
    }
}

/// Run `check` on the request with the GIL released.
pub(super) fn run(
    py: Python<'_>,
    method: &str,
    url: &str,
    headers: &Bound<'_, PyAny>,
    body: Option<Body>,
    check: impl Send + FnOnce(&IncomingRequest<'_>) -> apisign::Result<Verified>,
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
