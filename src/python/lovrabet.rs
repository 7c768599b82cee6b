//! Lovrabet: `Signer`, `TokenGenerator` (batch tokens) and `Token`.

use std::ffi::CStr;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::args::{secret_ref, SecretArg};
use super::errors::IntoPyResult;
use super::fastcall::{self, required, vectorcall, Params, Text};
use super::lifetime::PyTokenLifetime;
use super::signature::header_name;
use crate::clock;
use crate::lifetime::LOVRABET_DEFAULT_BUFFER_MS;
use crate::lovrabet::{self, Token, TokenGenerator};
use crate::schemes::keyed_hmac_bytes as keyed_hmac;

/// A lovrabet token: the four headers, the string that was signed and its lifetime.
#[pyclass(frozen, module = "apisign._native", name = "LovrabetToken")]
pub(crate) struct PyToken {
    inner: Token,
    /// The `str` objects the caller passed (or the signer holds) for `X-App-Code` and
    /// `X-Dataset-Code`: the headers dict shares them instead of making new strings.
    codes: Option<(Py<PyString>, Py<PyString>)>,
}

impl PyToken {
    fn new(inner: Token) -> Self {
        PyToken { inner, codes: None }
    }
}

/// `obj` itself when it is exactly a `str` (a subclass would leak into the headers dict), else
/// a new string with its text.
fn exact_str<'py>(obj: &Borrowed<'_, 'py, PyString>, text: &str) -> Bound<'py, PyString> {
    if obj.is_exact_instance_of::<PyString>() {
        (*obj).to_owned()
    } else {
        PyString::new(obj.py(), text)
    }
}

#[pymethods]
impl PyToken {
    #[getter]
    fn app_code(&self) -> &str {
        &self.inner.app_code
    }
    #[getter]
    fn dataset_code(&self) -> &str {
        &self.inner.dataset_code
    }
    #[getter]
    fn timestamp_ms(&self) -> u64 {
        self.inner.timestamp_ms
    }
    #[getter]
    fn token(&self) -> &str {
        &self.inner.token
    }
    #[getter]
    fn string_to_sign(&self) -> &str {
        &self.inner.string_to_sign
    }
    /// Same as `string_to_sign` (every signature object has `.signed`). Holds the access key:
    /// log `signed_redacted`, never this.
    #[getter]
    fn signed(&self) -> &str {
        &self.inner.string_to_sign
    }
    /// The string to sign with the access key replaced by `<redacted>`.
    #[getter]
    fn signed_redacted(&self) -> String {
        self.inner
            .clone()
            .into_signature()
            .signed_redacted()
            .into_owned()
    }
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        // Built straight from the token's fields (no intermediate `Vec<Header>`), in the
        // documented order.
        let t = &self.inner;
        let d = PyDict::new(py);
        match &self.codes {
            Some((app, ds)) => {
                d.set_item(header_name(py, "X-App-Code"), app.bind(py))?;
                d.set_item(header_name(py, "X-Dataset-Code"), ds.bind(py))?;
            }
            None => {
                d.set_item(header_name(py, "X-App-Code"), t.app_code.as_str())?;
                d.set_item(header_name(py, "X-Dataset-Code"), t.dataset_code.as_str())?;
            }
        }
        d.set_item(
            header_name(py, "X-Time-Stamp"),
            itoa::Buffer::new().format(t.timestamp_ms),
        )?;
        d.set_item(header_name(py, "X-Token"), t.token.as_str())?;
        Ok(d)
    }
    #[getter]
    fn expires_at_ms(&self) -> u64 {
        self.inner.expires_at_ms()
    }
    #[getter]
    fn lifetime(&self) -> PyTokenLifetime {
        self.inner.lifetime().into()
    }
    #[pyo3(signature = (now_ms=None))]
    fn remaining_ms(&self, now_ms: Option<u64>) -> u64 {
        self.inner
            .lifetime()
            .remaining_ms(now_ms.unwrap_or_else(clock::now_ms))
            .unwrap_or(u64::MAX)
    }
    #[pyo3(signature = (now_ms=None))]
    fn is_expired(&self, now_ms: Option<u64>) -> bool {
        self.inner
            .lifetime()
            .is_expired(now_ms.unwrap_or_else(clock::now_ms))
    }
    #[pyo3(signature = (buffer_ms=LOVRABET_DEFAULT_BUFFER_MS, now_ms=None))]
    fn is_expiring(&self, buffer_ms: u64, now_ms: Option<u64>) -> bool {
        self.inner
            .lifetime()
            .is_expiring(buffer_ms, now_ms.unwrap_or_else(clock::now_ms))
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyToken>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "LovrabetToken(app_code={:?}, dataset_code={:?}, timestamp_ms={}, token={:?})",
            self.inner.app_code, self.inner.dataset_code, self.inner.timestamp_ms, self.inner.token
        )
    }
}

/// Tokens for one access key over any app/dataset; the keyed HMAC is computed once.
#[pyclass(frozen, module = "apisign._native", name = "LovrabetTokenGenerator")]
pub(crate) struct PyTokenGenerator {
    inner: TokenGenerator,
}

#[pymethods]
impl PyTokenGenerator {
    #[new]
    #[pyo3(signature = (access_key, secret_key=None))]
    fn new(access_key: SecretArg, secret_key: Option<SecretArg>) -> PyResult<Self> {
        let secret = secret_key.map_or_else(|| lovrabet::DEFAULT_SECRET_KEY.into(), |s| s.0);
        Ok(PyTokenGenerator {
            inner: TokenGenerator::new(access_key.0, secret).py_err()?,
        })
    }

    /// The token for one dataset; `timestamp` defaults to now (ms).
    #[pyo3(signature = (app_code, dataset_code, timestamp=None))]
    fn generate(
        &self,
        app_code: &str,
        dataset_code: &str,
        timestamp: Option<u64>,
    ) -> PyResult<PyToken> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        Ok(PyToken::new(
            self.inner.generate(app_code, dataset_code, ts).py_err()?,
        ))
    }

    /// One token per `(name, dataset_code)` pair, all with the same timestamp; returns
    /// `{name: token}` in the given order.
    #[pyo3(signature = (app_code, datasets, timestamp=None))]
    fn generate_batch<'py>(
        &self,
        py: Python<'py>,
        app_code: &str,
        datasets: Vec<(String, String)>,
        timestamp: Option<u64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let pairs: Vec<(&str, &str)> = datasets
            .iter()
            .map(|(n, c)| (n.as_str(), c.as_str()))
            .collect();
        let out = PyDict::new(py);
        for (name, token) in self.inner.generate_batch(app_code, &pairs, ts).py_err()? {
            out.set_item(name, PyToken::new(token))?;
        }
        Ok(out)
    }

    fn __repr__(&self) -> &'static str {
        "LovrabetTokenGenerator(access_key=<redacted>, secret_key=<redacted>)"
    }
}

/// A signer bound to one app and dataset.
#[pyclass(frozen, module = "apisign._native", name = "LovrabetSigner")]
pub(crate) struct PySigner {
    inner: lovrabet::Signer,
    app_code: String,
    dataset_code: String,
    /// `app_code` and `dataset_code` as Python strings, shared by every token's headers.
    codes: (Py<PyString>, Py<PyString>),
}

impl PySigner {
    /// The token at `timestamp` (ms; default now): `LovrabetSigner.sign`, registered as
    /// `signer_sign` (vectorcall).
    fn sign(&self, py: Python<'_>, timestamp: Option<u64>) -> PyResult<PyToken> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        Ok(PyToken {
            inner: self.inner.token(ts).py_err()?,
            codes: Some((self.codes.0.clone_ref(py), self.codes.1.clone_ref(py))),
        })
    }
}

#[pymethods]
impl PySigner {
    #[new]
    #[pyo3(signature = (app_code, dataset_code, access_key, secret_key=None))]
    fn new(
        py: Python<'_>,
        app_code: String,
        dataset_code: String,
        access_key: SecretArg,
        secret_key: Option<SecretArg>,
    ) -> PyResult<Self> {
        let secret = secret_key.map_or_else(|| lovrabet::DEFAULT_SECRET_KEY.into(), |s| s.0);
        let inner = lovrabet::Signer::new(
            app_code.as_str(),
            dataset_code.as_str(),
            access_key.0,
            secret,
        )
        .py_err()?;
        let codes = (
            PyString::new(py, &app_code).unbind(),
            PyString::new(py, &dataset_code).unbind(),
        );
        Ok(PySigner {
            inner,
            app_code,
            dataset_code,
            codes,
        })
    }

    #[getter]
    fn app_code(&self) -> &str {
        &self.app_code
    }
    #[getter]
    fn dataset_code(&self) -> &str {
        &self.dataset_code
    }

    fn __repr__(&self) -> String {
        format!(
            "LovrabetSigner(app_code={:?}, dataset_code={:?}, access_key=<redacted>, secret_key=<redacted>)",
            self.app_code, self.dataset_code
        )
    }
}

static SIGN: Params = Params::new(
    "lovrabet_sign",
    &[
        "app_code",
        "dataset_code",
        "access_key",
        "secret_key",
        "timestamp",
    ],
    0,
    3,
);

vectorcall! {
    /// One-shot: `apisign.lovrabet.sign(app_code=, dataset_code=, access_key=, secret_key=,
    /// timestamp=)`. With the default secret key the keyed HMAC state is computed once per
    /// process; the caller's `str` objects become the code headers' values.
    fn lovrabet_sign(py, _module, SIGN, [app, ds, ak, sk, ts]) {
        let (app, app_text) = str_arg(app, "app_code")?;
        let (ds, ds_text) = str_arg(ds, "dataset_code")?;
        let access_key = secret_ref(required(ak, "access_key")?)?;
        let access_key = lovrabet::check_access_key(access_key.expose()).py_err()?;
        let ts = fastcall::opt_u64(ts, "timestamp")?.unwrap_or_else(clock::now_ms);
        let token = match sk.filter(|s| !s.is_none()) {
            None => lovrabet::token_with(
                lovrabet::default_keyed_mac(),
                access_key,
                &app_text,
                &ds_text,
                ts,
            ),
            Some(sk) => {
                let secret = secret_ref(sk)?;
                let mac = keyed_hmac("secret_key", secret.expose()).py_err()?;
                lovrabet::token_with(&mac, access_key, &app_text, &ds_text, ts)
            }
        }
        .py_err()?;
        let token = PyToken {
            inner: token,
            codes: Some((
                exact_str(&app, &app_text).unbind(),
                exact_str(&ds, &ds_text).unbind(),
            )),
        };
        Ok(Py::new(py, token)?.into_any())
    }
}

const SIGN_DOC: &CStr = c"lovrabet_sign(*, app_code, dataset_code, access_key, secret_key=None, timestamp=None)\n--\n\nOne-shot: the token for one dataset; `timestamp` (ms) defaults to now.";

static SIGNER_SIGN: Params = Params::new("sign", &["timestamp"], 1, 0);

vectorcall! {
    /// `LovrabetSigner.sign(timestamp=None)`.
    fn signer_sign(py, slf, SIGNER_SIGN, [ts]) {
        let signer = slf.cast::<PySigner>()?;
        let ts = fastcall::opt_u64(ts, "timestamp")?;
        Ok(Py::new(py, signer.get().sign(py, ts)?)?.into_any())
    }
}

const SIGNER_SIGN_DOC: &CStr =
    c"sign($self, timestamp=None)\n--\n\nThe token at `timestamp` (ms; default now).";

/// A required `str` argument and its text.
fn str_arg<'a, 'py>(
    arg: Option<Borrowed<'a, 'py, PyAny>>,
    name: &str,
) -> PyResult<(Borrowed<'a, 'py, PyString>, Text<'a>)> {
    let arg = required(arg, name)?;
    let text = fastcall::text(arg, name)?;
    Ok((arg.cast::<PyString>()?, text))
}

/// `accessKey=…&appCode=…&datasetCode=…&timeStamp=…`.
#[pyfunction]
fn lovrabet_string_to_sign(
    access_key: &str,
    app_code: &str,
    dataset_code: &str,
    timestamp: u64,
) -> String {
    lovrabet::string_to_sign(access_key, app_code, dataset_code, timestamp)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyToken>()?;
    m.add_class::<PyTokenGenerator>()?;
    m.add_class::<PySigner>()?;
    fastcall::add_function(m, c"lovrabet_sign", lovrabet_sign, SIGN_DOC)?;
    fastcall::set_method::<PySigner>(m, c"sign", signer_sign, SIGNER_SIGN_DOC)?;
    m.add_function(wrap_pyfunction!(lovrabet_string_to_sign, m)?)?;
    m.add("LOVRABET_DEFAULT_SECRET_KEY", lovrabet::DEFAULT_SECRET_KEY)?;
    Ok(())
}
