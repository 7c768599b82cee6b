//! Python values to core inputs: bodies, secrets, and a scheme's named parameters (`**params`
//! checked by the core against the scheme's spec). With abi3-py310 a `str` is borrowed as
//! UTF-8 without a copy.

use std::sync::Arc;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyInt, PyList, PyString, PyTuple};
use zeroize::Zeroizing;

use super::errors::IntoPyResult;
use super::keys::{PyPrivateKey, PyPublicKey};
use apisign::keys::{PrivateKey, PublicKey};
use apisign::scheme::{Param, ParamKind, ParamSpec, SchemeSpec};
use apisign::secret::Secret;
use apisign::verify::ALLOWED_IPS;
use apisign::SchemeId;

/// A scheme given by its registry name (ASCII case-insensitive).
pub(crate) fn scheme(name: &str) -> PyResult<SchemeId> {
    name.parse::<SchemeId>().py_err()
}

/// A request body: `bytes`/`str` borrowed, `bytearray` copied (it may change while the GIL is
/// released), `None` empty. `Send`, so it can be hashed with the GIL released.
pub(crate) enum Body {
    Bytes(PyBackedBytes),
    Str(PyBackedStr),
    Owned(Vec<u8>),
    Empty,
}

impl Body {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Bytes(b) => b,
            Body::Str(s) => s.as_bytes(),
            Body::Owned(v) => v,
            Body::Empty => b"",
        }
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for Body {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_none() {
            return Ok(Body::Empty);
        }
        if let Ok(b) = obj.cast::<PyBytes>() {
            return Ok(Body::Bytes(PyBackedBytes::from(b.to_owned())));
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Body::Str(PyBackedStr::try_from(s.to_owned())?));
        }
        if let Ok(b) = obj.cast::<PyByteArray>() {
            return Ok(Body::Owned(b.to_vec()));
        }
        Err(PyTypeError::new_err(format!(
            "body must be bytes, bytearray or str, not {}",
            obj.get_type().name()?
        )))
    }
}

/// A secret given as `str` (UTF-8) or `bytes`/`bytearray`, copied into a `Secret` (wiped on
/// drop) for objects that keep it.
pub(crate) struct SecretArg(pub(crate) Secret);

impl<'a, 'py> FromPyObject<'a, 'py> for SecretArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        match Value::secret(obj)? {
            Some(v) => Ok(SecretArg(Secret::new(v.bytes()))),
            None => Err(secret_type_error(obj)),
        }
    }
}

fn secret_type_error(obj: Borrowed<'_, '_, PyAny>) -> PyErr {
    // The message names the type only, never the value.
    let ty = obj
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
    PyTypeError::new_err(format!("secrets must be str or bytes, not {ty}"))
}

/// Run `f` with the GIL released when `detach` (RSA, or a body large enough for that to pay).
pub(crate) fn maybe_detach<T: Send>(
    py: Python<'_>,
    detach: bool,
    f: impl Send + FnOnce() -> T,
) -> T {
    if detach {
        py.detach(f)
    } else {
        f()
    }
}

/// One parameter value, owned or borrowed from its Python object.
enum Value {
    Str(PyBackedStr),
    Bytes(PyBackedBytes),
    /// A `bytearray` copy (or a number's text), wiped on drop.
    Owned(Zeroizing<Vec<u8>>),
    Private(Arc<PrivateKey>),
    Public(Arc<PublicKey>),
}

impl Value {
    fn bytes(&self) -> &[u8] {
        match self {
            Value::Str(s) => s.as_bytes(),
            Value::Bytes(b) => b,
            Value::Owned(v) => v,
            Value::Private(_) | Value::Public(_) => b"",
        }
    }

    /// `str`, `bytes` or `bytearray`; `None` for other types.
    fn secret(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Option<Value>> {
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Some(Value::Str(PyBackedStr::try_from(s.to_owned())?)));
        }
        if let Ok(b) = obj.cast::<PyBytes>() {
            return Ok(Some(Value::Bytes(PyBackedBytes::from(b.to_owned()))));
        }
        if let Ok(b) = obj.cast::<PyByteArray>() {
            return Ok(Some(Value::Owned(Zeroizing::new(b.to_vec()))));
        }
        Ok(None)
    }

    /// `obj` converted as `spec` (if the scheme knows the name) asks.
    fn new(obj: Borrowed<'_, '_, PyAny>, name: &str, spec: Option<&ParamSpec>) -> PyResult<Value> {
        let Some(kind) = spec.map(|s| s.kind) else {
            // An unknown name: the core refuses it, listing the names the scheme takes.
            return Ok(Value::Owned(Zeroizing::new(Vec::new())));
        };
        let wrong = |want: &str| -> PyResult<Value> {
            Err(PyTypeError::new_err(format!(
                "argument '{name}': expected {want}, not {}",
                obj.get_type().name()?
            )))
        };
        match kind {
            ParamKind::Secret => Value::secret(obj)?.ok_or_else(|| {
                let e = secret_type_error(obj);
                PyTypeError::new_err(format!("argument '{name}': {}", e.value(obj.py())))
            }),
            ParamKind::PrivateKey | ParamKind::PublicKey => {
                if let Ok(k) = obj.cast::<PyPrivateKey>() {
                    return Ok(Value::Private(k.get().inner.clone()));
                }
                if let Ok(k) = obj.cast::<PyPublicKey>() {
                    return Ok(Value::Public(k.get().inner.clone()));
                }
                match Value::secret(obj)? {
                    Some(v) => Ok(v),
                    None => wrong("a key (PrivateKey/PublicKey, PEM str or PEM/DER bytes)"),
                }
            }
            ParamKind::Flag if obj.is_instance_of::<PyBool>() => {
                let on = obj.is_truthy()?;
                Ok(Value::Owned(Zeroizing::new(
                    if on { "true" } else { "false" }.into(),
                )))
            }
            ParamKind::Number | ParamKind::Flag if obj.is_instance_of::<PyInt>() => Ok(
                Value::Owned(Zeroizing::new(obj.str()?.to_cow()?.as_bytes().to_vec())),
            ),
            _ => match obj.cast::<PyString>() {
                Ok(s) => Ok(Value::Str(PyBackedStr::try_from(s.to_owned())?)),
                Err(_) => wrong("str"),
            },
        }
    }

    fn param<'a>(&'a self, name: &'a str) -> Param<'a> {
        match self {
            Value::Private(k) => Param::private_key(name, k),
            Value::Public(k) => Param::public_key(name, k),
            v => Param::bytes(name, v.bytes()),
        }
    }
}

/// A parameter's name: bound by PyO3 from the signature (static) or given in `**params`.
enum Name {
    Static(&'static str),
    Given(PyBackedStr),
}

impl Name {
    fn as_str(&self) -> &str {
        match self {
            Name::Static(s) => s,
            Name::Given(s) => s,
        }
    }

    fn clone_ref(&self, py: Python<'_>) -> Name {
        match self {
            Name::Static(s) => Name::Static(s),
            Name::Given(s) => Name::Given(s.clone_ref(py)),
        }
    }
}

/// The parameters of a call, converted for the core; `None` values are left out (the default).
pub(crate) struct Params {
    values: Vec<(Name, Value)>,
    /// Whether a key was given (its use is RSA: run it with the GIL released).
    pub(crate) has_key: bool,
}

impl Params {
    /// `named`: keyword arguments PyO3 bound by name (no dict); `kwargs`: any other names,
    /// which the core takes or refuses with the list of names the scheme takes.
    pub(crate) fn new(
        list: &'static [ParamSpec],
        named: &[(&'static str, Option<&Bound<'_, PyAny>>)],
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let mut params = Params {
            values: Vec::with_capacity(4),
            has_key: false,
        };
        for (name, v) in named {
            if let Some(v) = v {
                params.add(list, Name::Static(name), v)?;
            }
        }
        for (k, v) in kwargs.into_iter().flat_map(|d| d.iter()) {
            let name = PyBackedStr::try_from(k.cast_into::<PyString>()?)?;
            params.add(list, Name::Given(name), &v)?;
        }
        Ok(params)
    }

    fn add(
        &mut self,
        list: &'static [ParamSpec],
        name: Name,
        v: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        if v.is_none() {
            return Ok(());
        }
        // `allowed_ips` is every credential's, not in any scheme's list.
        let spec = SchemeSpec::param(list, name.as_str())
            .or((name.as_str() == ALLOWED_IPS.name).then_some(&ALLOWED_IPS));
        self.has_key |=
            spec.is_some_and(|s| matches!(s.kind, ParamKind::PrivateKey | ParamKind::PublicKey));
        if spec.is_some_and(|s| s.repeated)
            && (v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>())
        {
            for item in v.try_iter()? {
                let value = Value::new(item?.as_borrowed(), name.as_str(), spec)?;
                self.values.push((name.clone_ref(v.py()), value));
            }
            return Ok(());
        }
        let value = Value::new(v.as_borrowed(), name.as_str(), spec)?;
        self.values.push((name, value));
        Ok(())
    }

    /// The parameters as the core takes them.
    pub(crate) fn params(&self) -> Vec<Param<'_>> {
        self.values
            .iter()
            .map(|(n, v)| v.param(n.as_str()))
            .collect()
    }
}

/// `(name, text)` pairs of settings or header-like values given as Python objects: `bool`
/// becomes `true`/`false`, numbers their decimal text.
pub(crate) fn setting_text(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if value.is_instance_of::<PyBool>() {
        return Ok(if value.is_truthy()? { "true" } else { "false" }.to_owned());
    }
    Ok(value.str()?.to_cow()?.into_owned())
}
