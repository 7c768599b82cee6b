//! Vectorcall (`METH_FASTCALL | METH_KEYWORDS`) entry points for the hot signing calls.
//!
//! With `abi3-py39`, pyo3 registers every function as `METH_VARARGS | METH_KEYWORDS`: each call
//! makes CPython pack the arguments into a tuple and the keywords into a fresh `dict`, and pyo3
//! then turns every keyword name into a temporary `bytes` object (the limited API of 3.9 has no
//! borrowed UTF-8 view) and every `&str` argument into a `bytes` object plus a Rust `String`.
//! For a call that signs in well under a microsecond that overhead dominated, so the signing
//! functions and methods are registered here by hand:
//!
//! * `METH_FASTCALL | METH_KEYWORDS` (PEP 590 vectorcall): the arguments arrive as a C array and
//!   the keyword names as a tuple, with no tuple or dict built. The flag is in the stable ABI
//!   from 3.10; CPython has implemented it identically since 3.7, so the single abi3 wheel uses
//!   it on 3.9 too (the 3.9 test run covers it).
//! * Keyword names are matched by identity against interned parameter names first (names in
//!   Python source are interned, so that is the common case), by string equality otherwise.
//! * `str` arguments are read with `PyUnicode_AsUTF8AndSize`, which returns the string's own
//!   UTF-8 buffer (no copy for ASCII). It is in the stable ABI from 3.10 and exported with the
//!   same signature and behaviour by every CPython 3.x, 3.9 included; on Windows, where an abi3
//!   module links `python3.dll` and 3.9's does not export it, `str` is read through a `bytes`
//!   copy instead.
//!
//! Each entry point keeps a text signature in its docstring, so `inspect.signature` (and
//! `mypy.stubtest`) see the same parameters as before.

#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, CStr};
use std::ops::Deref;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use pyo3::exceptions::{PySystemError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyInt, PyString, PyTuple, PyType};

/// `METH_FASTCALL` (pyo3-ffi only exposes it for abi3 >= 3.10; the value never changed).
const METH_FASTCALL: c_int = 0x0080;

/// The C signature of a `METH_FASTCALL | METH_KEYWORDS` function.
pub(crate) type FastFn = unsafe extern "C" fn(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// The parameters of one entry point: names in order; the first `positional` may also be given
/// positionally, the rest are keyword-only; the first `required` are mandatory.
pub(crate) struct Params {
    /// The function's name, for error messages.
    pub(crate) func: &'static str,
    pub(crate) names: &'static [&'static str],
    pub(crate) positional: usize,
    pub(crate) required: usize,
    interned: PyOnceLock<Box<[Py<PyString>]>>,
}

impl Params {
    pub(crate) const fn new(
        func: &'static str,
        names: &'static [&'static str],
        positional: usize,
        required: usize,
    ) -> Self {
        Params {
            func,
            names,
            positional,
            required,
            interned: PyOnceLock::new(),
        }
    }

    /// The call's arguments by parameter, `None` where not given.
    ///
    /// # Safety
    /// `args`, `nargs` and `kwnames` must be what CPython passed to a `METH_FASTCALL |
    /// METH_KEYWORDS` function (the borrowed objects outlive the call).
    pub(crate) unsafe fn parse<'a, 'py, const N: usize>(
        &self,
        py: Python<'py>,
        args: *const *mut ffi::PyObject,
        nargs: ffi::Py_ssize_t,
        kwnames: *mut ffi::PyObject,
    ) -> PyResult<[Option<Borrowed<'a, 'py, PyAny>>; N]> {
        debug_assert_eq!(N, self.names.len());
        let mut out: [Option<Borrowed<'a, 'py, PyAny>>; N] = [None; N];
        let nargs = usize::try_from(nargs).unwrap_or(0);
        if nargs > self.positional {
            return Err(PyTypeError::new_err(format!(
                "{}() takes at most {} positional argument{} ({} given)",
                self.func,
                self.positional,
                if self.positional == 1 { "" } else { "s" },
                nargs
            )));
        }
        for (i, slot) in out.iter_mut().enumerate().take(nargs) {
            // SAFETY: CPython passes `nargs` valid borrowed references.
            *slot = Some(unsafe { Borrowed::from_ptr(py, *args.add(i)) });
        }
        if !kwnames.is_null() {
            // SAFETY: `kwnames` is a tuple of str when not NULL.
            let names = unsafe { Borrowed::from_ptr(py, kwnames).cast_unchecked::<PyTuple>() };
            let interned = self.interned.get_or_init(py, || {
                self.names
                    .iter()
                    .map(|n| PyString::intern(py, n).unbind())
                    .collect()
            });
            for (k, name) in names.iter_borrowed().enumerate() {
                let idx = match interned.iter().position(|p| p.as_ptr() == name.as_ptr()) {
                    Some(i) => i,
                    None => self.find_slow(&name)?,
                };
                // SAFETY: the keyword values follow the positional ones in `args`.
                let value = unsafe { Borrowed::from_ptr(py, *args.add(nargs + k)) };
                if out[idx].replace(value).is_some() {
                    return Err(PyTypeError::new_err(format!(
                        "{}() got multiple values for argument '{}'",
                        self.func, self.names[idx]
                    )));
                }
            }
        }
        if let Some(missing) = (0..self.required).find(|&i| out[i].is_none()) {
            return Err(PyTypeError::new_err(format!(
                "{}() missing required argument '{}'",
                self.func, self.names[missing]
            )));
        }
        Ok(out)
    }

    /// A keyword name that is not one of the interned names (built at run time, e.g. `**kw`).
    #[cold]
    fn find_slow(&self, name: &Borrowed<'_, '_, PyAny>) -> PyResult<usize> {
        let name = name.cast::<PyString>()?;
        let text = name.to_cow()?;
        self.names.iter().position(|n| *n == text).ok_or_else(|| {
            PyTypeError::new_err(format!(
                "{}() got an unexpected keyword argument '{}'",
                self.func, text
            ))
        })
    }
}

/// The bytes of a `bytes` object, for as long as the object is borrowed.
pub(crate) fn bytes_of<'a>(b: &Borrowed<'a, '_, PyBytes>) -> &'a [u8] {
    // SAFETY: `bytes` is immutable and outlives `'a`; limited-API accessors.
    unsafe {
        let data = ffi::PyBytes_AsString(b.as_ptr());
        let len = ffi::PyBytes_Size(b.as_ptr());
        std::slice::from_raw_parts(data.cast::<u8>(), len as usize)
    }
}

/// A required argument (the parser has already reported a missing one).
pub(crate) fn required<'a, 'py>(
    arg: Option<Borrowed<'a, 'py, PyAny>>,
    name: &str,
) -> PyResult<Borrowed<'a, 'py, PyAny>> {
    arg.ok_or_else(|| PyTypeError::new_err(format!("missing required argument '{name}'")))
}

/// UTF-8 text of a Python `str` argument: borrowed from the string object where the C API
/// allows it.
pub(crate) enum Text<'a> {
    Borrowed(&'a str),
    #[allow(dead_code)] // only built where `PyUnicode_AsUTF8AndSize` is unavailable
    Owned(pyo3::pybacked::PyBackedStr),
}

impl Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Owned(s) => s,
        }
    }
}

#[cfg(not(windows))]
extern "C" {
    // In every CPython 3.x; in the stable ABI from 3.10 (see the module docs).
    fn PyUnicode_AsUTF8AndSize(
        unicode: *mut ffi::PyObject,
        size: *mut ffi::Py_ssize_t,
    ) -> *const c_char;
}

/// The text of `s`. Fails like `str.encode("utf-8")` on lone surrogates.
pub(crate) fn str_text<'a>(s: &Borrowed<'a, '_, PyString>) -> PyResult<Text<'a>> {
    #[cfg(not(windows))]
    {
        let mut size: ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a str; the buffer lives as long as the string object, which the
        // caller's borrow `'a` keeps alive.
        let data = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
        if data.is_null() {
            return Err(PyErr::fetch(s.py()));
        }
        // SAFETY: CPython returns `size` bytes of valid UTF-8.
        let bytes = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), size as usize) };
        Ok(Text::Borrowed(unsafe {
            std::str::from_utf8_unchecked(bytes)
        }))
    }
    #[cfg(windows)]
    {
        Ok(Text::Owned(pyo3::pybacked::PyBackedStr::try_from(
            s.to_owned(),
        )?))
    }
}

/// A required `str` argument.
pub(crate) fn text<'a>(arg: Borrowed<'a, '_, PyAny>, name: &str) -> PyResult<Text<'a>> {
    match arg.cast::<PyString>() {
        Ok(s) => str_text(&s),
        Err(_) => Err(wrong_type(&arg, name, "str")),
    }
}

/// An optional `str` argument (`None` or absent = `None`).
pub(crate) fn opt_text<'a>(
    arg: Option<Borrowed<'a, '_, PyAny>>,
    name: &str,
) -> PyResult<Option<Text<'a>>> {
    match arg {
        Some(a) if !a.is_none() => text(a, name).map(Some),
        _ => Ok(None),
    }
}

/// An optional non-negative integer argument (`None` or absent = `None`).
pub(crate) fn opt_u64(arg: Option<Borrowed<'_, '_, PyAny>>, name: &str) -> PyResult<Option<u64>> {
    match arg {
        Some(a) if a.is_instance_of::<PyInt>() => {
            // SAFETY: `a` is an int; the call only reads it. Where `unsigned long` is 64 bits
            // (LP64), `PyLong_AsUnsignedLong` reads the digits directly, while
            // `PyLong_AsUnsignedLongLong` goes through a generic byte-array conversion.
            #[cfg(all(not(windows), target_pointer_width = "64"))]
            let v: u64 = unsafe { ffi::PyLong_AsUnsignedLong(a.as_ptr()) };
            #[cfg(not(all(not(windows), target_pointer_width = "64")))]
            let v = unsafe { ffi::PyLong_AsUnsignedLongLong(a.as_ptr()) };
            if v == u64::MAX {
                // -1 as unsigned: an error, or the value 2**64 - 1 itself.
                if let Some(e) = PyErr::take(a.py()) {
                    return Err(e);
                }
            }
            Ok(Some(v))
        }
        Some(a) if !a.is_none() => a.extract::<u64>().map(Some).map_err(|e| {
            if e.is_instance_of::<PyTypeError>(a.py()) {
                wrong_type(&a, name, "int")
            } else {
                e
            }
        }),
        _ => Ok(None),
    }
}

/// The `TypeError` for argument `name` of the wrong type.
#[cold]
pub(crate) fn wrong_type(arg: &Borrowed<'_, '_, PyAny>, name: &str, expected: &str) -> PyErr {
    let got = arg
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into());
    PyTypeError::new_err(format!("argument '{name}': expected {expected}, not {got}"))
}

/// Define a vectorcall entry point: `vectorcall!(fn name(py, slf, PARAMS, [a, b, c]) { body })`
/// parses the arguments with `PARAMS` into `Option<Borrowed<PyAny>>` bindings `a, b, c`, binds
/// `slf` (the module or the instance), and runs `body` (a `PyResult<Py<PyAny>>`) under [`run`].
macro_rules! vectorcall {
    ($(#[$meta:meta])* fn $name:ident($py:ident, $slf:ident, $params:expr, [$($arg:ident),* $(,)?]) $body:block) => {
        $(#[$meta])*
        #[allow(unsafe_code)]
        unsafe extern "C" fn $name(
            slf: *mut ::pyo3::ffi::PyObject,
            args: *const *mut ::pyo3::ffi::PyObject,
            nargs: ::pyo3::ffi::Py_ssize_t,
            kwnames: *mut ::pyo3::ffi::PyObject,
        ) -> *mut ::pyo3::ffi::PyObject {
            $crate::fastcall::run(|$py| {
                // SAFETY: CPython calls this with vectorcall arguments and a live `slf`.
                let [$($arg),*] = unsafe { $params.parse($py, args, nargs, kwnames)? };
                #[allow(unused_variables)]
                let $slf = unsafe { ::pyo3::Borrowed::from_ptr($py, slf) };
                $body
            })
        }
    };
}
pub(crate) use vectorcall;

/// Run an entry point's body: attach the token, turn errors into a raised exception and
/// panics into `PanicException`-like `SystemError`s (never unwind into C).
pub(crate) fn run(f: impl FnOnce(Python<'_>) -> PyResult<Py<PyAny>>) -> *mut ffi::PyObject {
    // SAFETY: CPython calls entry points with the thread attached.
    let py = unsafe { Python::assume_attached() };
    let result = catch_unwind(AssertUnwindSafe(|| f(py))).unwrap_or_else(|payload| {
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("panic in apisign");
        Err(PySystemError::new_err(format!("apisign panicked: {msg}")))
    });
    match result {
        Ok(obj) => obj.into_ptr(),
        Err(e) => {
            e.restore(py);
            ptr::null_mut()
        }
    }
}

/// A `PyMethodDef` for `f`, leaked: CPython keeps a pointer to it for the function's life
/// (the module lives as long as the process).
fn method_def(name: &'static CStr, f: FastFn, doc: &'static CStr) -> *mut ffi::PyMethodDef {
    // SAFETY: CPython calls `ml_meth` with the `METH_FASTCALL | METH_KEYWORDS` signature, which
    // is `f`'s; the C idiom stores any function pointer in this slot.
    let meth: ffi::PyCFunction = unsafe { std::mem::transmute::<FastFn, ffi::PyCFunction>(f) };
    Box::into_raw(Box::new(ffi::PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: ffi::PyMethodDefPointer { PyCFunction: meth },
        ml_flags: METH_FASTCALL | ffi::METH_KEYWORDS,
        ml_doc: doc.as_ptr(),
    }))
}

/// Add module function `name` (docstring `doc` starts with its text signature).
pub(crate) fn add_function(
    m: &Bound<'_, PyModule>,
    name: &'static CStr,
    f: FastFn,
    doc: &'static CStr,
) -> PyResult<()> {
    let py = m.py();
    let def = method_def(name, f, doc);
    let module_name = m.name()?;
    // SAFETY: `def` is valid forever; `m` and its name are live objects.
    let func = unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            ffi::PyCFunction_NewEx(def, m.as_ptr(), module_name.as_ptr()),
        )?
    };
    m.add(name.to_str().expect("ASCII name"), func)
}

/// Replace method `name` of class `T` by the vectorcall function `f` (`self` first).
pub(crate) fn set_method<T: pyo3::PyTypeInfo>(
    m: &Bound<'_, PyModule>,
    name: &'static CStr,
    f: FastFn,
    doc: &'static CStr,
) -> PyResult<()> {
    let py = m.py();
    let ty: Bound<'_, PyType> = py.get_type::<T>();
    let def = method_def(name, f, doc);
    // SAFETY: `def` is valid forever; the descriptor checks `self`'s type before each call.
    let descr = unsafe {
        Bound::from_owned_ptr_or_err(py, ffi::PyDescr_NewMethod(ty.as_ptr().cast(), def))?
    };
    ty.setattr(name.to_str().expect("ASCII name"), descr)
}
