//! Core errors become instances of the exception classes in `apisign/errors.py` (one per
//! `ErrorKind`), looked up by kind name so the Python classes stay plain Python classes.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use apisign::error::{Error, ErrorKind};

static CLASSES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Bound<'_, PyDict>> {
    CLASSES
        .get_or_try_init(py, || {
            let module = py.import("apisign.errors")?;
            let map = module.getattr("CLASS_BY_KIND")?.cast_into::<PyDict>()?;
            Ok::<_, PyErr>(map.unbind())
        })
        .map(|d| d.bind(py))
}

/// The core error behind a Python exception (attribute `_core`), so `Verifier.rejection`
/// answers with exactly what the verifier decided.
#[pyclass(frozen, module = "apisign._native", name = "_CoreError")]
pub(crate) struct CoreError(pub(crate) Error);

/// The Python exception for a core error: `<Kind>Error(str(err), field, message,
/// platform_code, status)`, holding the core error as `_core`.
pub(crate) fn to_py(err: Error) -> PyErr {
    Python::attach(|py| {
        let build = || -> PyResult<PyErr> {
            let cls = classes(py)?.get_item(err.kind().as_str())?.ok_or_else(|| {
                PyRuntimeError::new_err(format!(
                    "apisign.errors has no class for kind {:?}",
                    err.kind().as_str()
                ))
            })?;
            let instance = cls.call1((
                err.to_string(),
                err.field(),
                err.message(),
                err.platform_code(),
                err.http_status(),
            ))?;
            instance.setattr("_core", CoreError(err))?;
            Ok(PyErr::from_value(instance))
        };
        build().unwrap_or_else(|lookup| lookup)
    })
}

/// The core error an `ApisignError` stands for: the one it was raised from, or (for one made
/// in Python) its kind and message.
pub(crate) fn from_py(err: &Bound<'_, PyAny>) -> PyResult<Error> {
    if let Ok(core) = err.getattr("_core") {
        if let Ok(core) = core.cast::<CoreError>() {
            return Ok(core.get().0.clone());
        }
    }
    let kind: String = err.getattr("kind")?.extract()?;
    let kind = ErrorKind::from_name(&kind).ok_or_else(|| {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "expected an apisign error, got kind {kind:?}"
        ))
    })?;
    let message: String = err.getattr("message")?.extract()?;
    Ok(Error::new(kind, message))
}

/// `Result<T, Error>` to `PyResult<T>`.
pub(crate) trait IntoPyResult<T> {
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for apisign::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// Every `(kind, code, default HTTP status)` the core knows, in code order: `errors.py` is
/// checked against it.
#[pyfunction]
fn error_kinds() -> Vec<(&'static str, u32, u16)> {
    ErrorKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.code(), k.http_status()))
        .collect()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<CoreError>()?;
    m.add_function(wrap_pyfunction!(error_kinds, m)?)
}
