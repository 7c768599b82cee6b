//! The `headers` dict of a signature, made by copying a cached template.
//!
//! The template holds a scheme's header names (interned, from the scheme's `HEADER_NAMES`, in
//! documented order) with `None` values. `PyDict_Copy` clones its small key table in one
//! allocation and `PyDict_SetItem` on a key that exists only swaps the value; both are in the
//! stable ABI. Under callgrind on CPython 3.11 that is about 150 instructions fewer per dict
//! than growing an empty dict key by key, and no header name is looked up per call. The dict
//! itself stays CPython's cost, somewhat above a four-entry `{...}` literal (which CPython
//! builds presized, with no copy).

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};

use apisign::signature::Header;

/// A header value for the dict: text that becomes a new `str`, or a `str` object to share (the
/// caller's nonce, the signer's id…).
pub(crate) enum Value<'a, 'py> {
    Text(&'a str),
    Str(&'a Bound<'py, PyString>),
}

/// One scheme's header names, in documented order, and the template dict made from them.
pub(crate) struct Layout {
    names: &'static [&'static str],
    cached: PyOnceLock<Cached>,
}

struct Cached {
    template: Py<PyDict>,
    names: Box<[Py<PyString>]>,
}

pub(crate) static LOVRABET: Layout = Layout::new(&apisign::lovrabet::HEADER_NAMES);
pub(crate) static JETLINKS: Layout = Layout::new(&apisign::jetlinks::HEADER_NAMES);
pub(crate) static PIEMDM: Layout = Layout::new(&apisign::piemdm::HEADER_NAMES);

impl Layout {
    const fn new(names: &'static [&'static str]) -> Self {
        Layout {
            names,
            cached: PyOnceLock::new(),
        }
    }

    /// Whether `headers` carry exactly this layout's names, in order: a signature whose headers
    /// differ (a future variant) gets a dict built key by key instead of a wrong one.
    pub(crate) fn fits(&self, headers: &[Header]) -> bool {
        headers.len() == self.names.len()
            && headers.iter().zip(self.names).all(|(h, n)| h.name == *n)
    }

    fn cached(&self, py: Python<'_>) -> PyResult<&Cached> {
        self.cached.get_or_try_init(py, || {
            let names: Box<[Py<PyString>]> = self
                .names
                .iter()
                .map(|n| PyString::intern(py, n).unbind())
                .collect();
            let template = PyDict::new(py);
            for n in &names {
                template.set_item(n, py.None())?;
            }
            Ok(Cached {
                template: template.unbind(),
                names,
            })
        })
    }

    /// A new dict with this layout's names and `values` (one per name, in order).
    pub(crate) fn dict<'a, 'py: 'a>(
        &self,
        py: Python<'py>,
        values: impl IntoIterator<Item = Value<'a, 'py>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let cached = self.cached(py)?;
        let d = cached.template.bind(py).copy()?;
        let mut set = 0;
        for (name, value) in cached.names.iter().zip(values) {
            match value {
                Value::Text(s) => d.set_item(name, PyString::new(py, s))?,
                Value::Str(s) => d.set_item(name, s)?,
            }
            set += 1;
        }
        debug_assert_eq!(set, self.names.len(), "one value per header name");
        Ok(d)
    }
}

/// A dict of `headers` built key by key: for header sets no [`Layout`] describes (linksfield's,
/// which vary with the version).
pub(crate) fn generic<'py>(py: Python<'py>, headers: &[Header]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for h in headers {
        d.set_item(h.name, h.value.as_str())?;
    }
    Ok(d)
}
