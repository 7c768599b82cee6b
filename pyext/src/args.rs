//! Argument conversions shared by the scheme wrappers: bodies and secrets that may be `bytes`
//! or `str`, and the clock/CSPRNG defaults for omitted timestamps and nonces.

use std::borrow::Cow;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyByteArray, PyBytes, PyString};

use super::errors::IntoPyResult;
use apisign::secret::Secret;

/// A request body as given by Python: `bytes`/`bytearray` or `str` (sent as UTF-8). Borrowed
/// from the Python object without copying (except `bytearray`, which is mutable), and `Send`,
/// so it can be hashed with the GIL released.
pub(crate) enum Body {
    Bytes(PyBackedBytes),
    Str(PyBackedStr),
    Empty,
}

impl Body {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Bytes(b) => b,
            Body::Str(s) => s.as_bytes(),
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
            return Ok(Body::Bytes(PyBackedBytes::from(b.to_owned())));
        }
        Err(PyTypeError::new_err(format!(
            "body must be bytes, bytearray or str, not {}",
            obj.get_type().name()?
        )))
    }
}

/// A secret given as `str` (UTF-8) or `bytes`, copied into a `Secret` (wiped on drop), for
/// the constructors. The caller's Python object cannot be wiped, and for `str` the limited API
/// (abi3, CPython 3.9) can only read UTF-8 through a temporary `bytes` copy, freed (not wiped)
/// right away: pass `bytes`/`bytearray` secrets to avoid that copy. The vectorcall `sign`
/// entry points borrow instead ([`secret_ref`]).
pub(crate) struct SecretArg(pub(crate) Secret);

impl<'a, 'py> FromPyObject<'a, 'py> for SecretArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(s) = obj.cast::<PyString>() {
            let text = PyBackedStr::try_from(s.to_owned())?;
            return Ok(SecretArg(Secret::new(text.as_bytes())));
        }
        if let Ok(b) = obj.cast::<PyBytes>() {
            return Ok(SecretArg(Secret::new(b.as_bytes())));
        }
        if let Ok(b) = obj.cast::<PyByteArray>() {
            return Ok(SecretArg(Secret::new(b.to_vec())));
        }
        // The message names the type only, never the value.
        Err(PyTypeError::new_err(format!(
            "secrets must be str or bytes, not {}",
            obj.get_type().name()?
        )))
    }
}

/// Run `f` with the GIL released when `len` is large enough for that to pay off.
pub(crate) fn maybe_detach<T, F>(py: Python<'_>, len: usize, f: F) -> T
where
    F: Send + FnOnce() -> T,
    T: Send,
{
    if len >= super::DETACH_BODY_LEN {
        py.detach(f)
    } else {
        f()
    }
}

/// A secret argument borrowed from its Python object (`str` or `bytes`, no copy) or copied
/// (`bytearray`, which may change under us) into a [`Secret`] wiped on drop. For a non-ASCII
/// `str`, CPython caches the UTF-8 form inside the string object, freed with it (not wiped),
/// like the string itself; nothing secret is left in buffers of ours.
pub(crate) enum SecretRef<'a> {
    Text(super::fastcall::Text<'a>),
    Bytes(&'a [u8]),
    Owned(Secret),
}

impl SecretRef<'_> {
    pub(crate) fn expose(&self) -> &[u8] {
        match self {
            SecretRef::Text(t) => t.as_bytes(),
            SecretRef::Bytes(b) => b,
            SecretRef::Owned(s) => s.expose(),
        }
    }

    /// The secret as text when it was given as a `str` (UTF-8 already, no check needed).
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            SecretRef::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// A secret argument (`str` or `bytes`; `bytearray` copied).
pub(crate) fn secret_ref<'a>(obj: Borrowed<'a, '_, PyAny>) -> PyResult<SecretRef<'a>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(SecretRef::Text(super::fastcall::str_text(&s)?));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(SecretRef::Bytes(super::fastcall::bytes_of(&b)));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(SecretRef::Owned(Secret::new(b.to_vec())));
    }
    // The message names the type only, never the value.
    Err(PyTypeError::new_err(format!(
        "secrets must be str or bytes, not {}",
        obj.get_type().name()?
    )))
}

/// A request body borrowed from its Python object: `bytes` and `str` without a copy,
/// `bytearray` copied (it may change while the GIL is released), `None` empty.
pub(crate) enum BodyRef<'a> {
    Bytes(&'a [u8]),
    Text(super::fastcall::Text<'a>),
    Owned(Vec<u8>),
}

impl BodyRef<'_> {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            BodyRef::Bytes(b) => b,
            BodyRef::Text(t) => t.as_bytes(),
            BodyRef::Owned(v) => v,
        }
    }
}

/// An optional body argument (absent or `None` = empty).
pub(crate) fn body_ref<'a>(obj: Option<Borrowed<'a, '_, PyAny>>) -> PyResult<BodyRef<'a>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(BodyRef::Bytes(b""));
    };
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(BodyRef::Bytes(super::fastcall::bytes_of(&b)));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(BodyRef::Text(super::fastcall::str_text(&s)?));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(BodyRef::Owned(b.to_vec()));
    }
    Err(PyTypeError::new_err(format!(
        "body must be bytes, bytearray or str, not {}",
        obj.get_type().name()?
    )))
}

/// The caller's nonce, or 32 random hex characters from the OS CSPRNG when none was given.
pub(crate) fn nonce_or_random(nonce: Option<&str>) -> PyResult<Cow<'_, str>> {
    match nonce {
        Some(n) => Ok(Cow::Borrowed(n)),
        None => apisign::clock::random_nonce().py_err().map(Cow::Owned),
    }
}
