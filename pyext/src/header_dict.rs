//! The `headers` dict of a signature, made by copying a cached per-scheme template.
//!
//! The template holds a scheme's header names (interned, from its spec, in documented order)
//! with `None` values. `PyDict_Copy` clones its small key table in one allocation and
//! `PyDict_SetItem` on a key that exists only swaps the value; both are in the stable ABI, and
//! no header name is looked up per call.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};

use apisign::scheme::SCHEMES;
use apisign::signature::Header;
use apisign::SchemeId;

struct Template {
    names: &'static [&'static str],
    dict: Py<PyDict>,
    keys: Box<[Py<PyString>]>,
}

static TEMPLATES: PyOnceLock<Vec<Template>> = PyOnceLock::new();

fn templates(py: Python<'_>) -> PyResult<&Vec<Template>> {
    TEMPLATES.get_or_try_init(py, || {
        SCHEMES
            .iter()
            .map(|spec| {
                let keys: Box<[Py<PyString>]> = spec
                    .headers
                    .iter()
                    .map(|n| PyString::intern(py, n).unbind())
                    .collect();
                let dict = PyDict::new(py);
                for k in &keys {
                    dict.set_item(k, py.None())?;
                }
                Ok(Template {
                    names: spec.headers,
                    dict: dict.unbind(),
                    keys,
                })
            })
            .collect()
    })
}

/// A new dict of `headers`: from the scheme's template when they are its headers in order,
/// else key by key (a variant with other headers, such as an older version).
pub(crate) fn dict<'py>(
    py: Python<'py>,
    scheme: SchemeId,
    headers: &[Header],
) -> PyResult<Bound<'py, PyDict>> {
    let t = &templates(py)?[scheme as usize];
    // Names come from the spec's own constants, so the pointer test almost always decides.
    let same = |a: &str, b: &str| std::ptr::eq(a, b) || a == b;
    let fits =
        headers.len() == t.names.len() && headers.iter().zip(t.names).all(|(h, n)| same(h.name, n));
    if !fits {
        let d = PyDict::new(py);
        for h in headers {
            d.set_item(h.name, h.value.as_str())?;
        }
        return Ok(d);
    }
    let d = t.dict.bind(py).copy()?;
    for (k, h) in t.keys.iter().zip(headers) {
        d.set_item(k, PyString::new(py, h.value.as_str()))?;
    }
    Ok(d)
}
