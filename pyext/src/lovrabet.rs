//! Lovrabet: `Signer`, `TokenGenerator` (batch tokens) and `Token`.

use std::ffi::CStr;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use zeroize::Zeroizing;

use super::args::{secret_ref, SecretArg, SecretRef};
use super::errors::IntoPyResult;
use super::fastcall::{self, required, vectorcall, Params, Text};
use super::header_dict::{Value, LOVRABET};
use super::lifetime::PyTokenLifetime;
use apisign::clock;
use apisign::lifetime::TokenLifetime;
use apisign::lifetime::LOVRABET_DEFAULT_BUFFER_MS;
use apisign::lovrabet::{self, Token, TokenGenerator};
use apisign::schemes::keyed_hmac_bytes as keyed_hmac;
use apisign::signature::HeaderValue;

/// A lovrabet token: the four headers, the string that was signed and its lifetime.
///
/// It holds only what the headers need. The string to sign carries the access key, so it is
/// rebuilt from the same parts when asked for rather than kept: signing allocates no copy of
/// it, and the only copy of the key stays where it already was (the caller's object or the
/// signer).
#[pyclass(frozen, module = "apisign._native", name = "LovrabetToken")]
pub(crate) struct PyToken {
    /// `X-App-Code` and `X-Dataset-Code`: the caller's (or the signer's) `str` objects, which
    /// the headers dict shares instead of making new strings.
    app_code: Py<PyString>,
    dataset_code: Py<PyString>,
    timestamp_ms: u64,
    /// `X-Token`.
    token: HeaderValue,
    access_key: AccessKey,
}

/// Where a token reads its access key from when the string to sign is rebuilt.
enum AccessKey {
    /// The caller's `str` or `bytes`: immutable, checked as text when the token was made.
    Object(Py<PyAny>),
    /// A copy, wiped on drop, of a key given as a `bytearray` (which can change later).
    Owned(Zeroizing<String>),
    Signer(Py<PySigner>),
    Generator(Py<PyTokenGenerator>),
}

impl AccessKey {
    /// The key of a `sign` argument `obj` whose checked text is `text`.
    fn from_arg(obj: Borrowed<'_, '_, PyAny>, text: &str) -> Self {
        if obj.is_exact_instance_of::<PyString>() || obj.is_exact_instance_of::<PyBytes>() {
            AccessKey::Object(obj.to_owned().unbind())
        } else {
            AccessKey::Owned(Zeroizing::new(text.to_owned()))
        }
    }

    fn with<R>(&self, py: Python<'_>, f: impl FnOnce(&str) -> R) -> PyResult<R> {
        match self {
            AccessKey::Object(o) => {
                let key = secret_ref(o.bind_borrowed(py))?;
                Ok(f(access_key_text(&key)?))
            }
            AccessKey::Owned(key) => Ok(f(key)),
            AccessKey::Signer(s) => Ok(f(s.get().inner.generator().access_key())),
            AccessKey::Generator(g) => Ok(f(g.get().inner.access_key())),
        }
    }
}

impl PyToken {
    /// A token the core made (batch tokens): its codes become new `str` objects.
    fn from_core(py: Python<'_>, t: &Token, access_key: AccessKey) -> Self {
        PyToken {
            app_code: PyString::new(py, &t.app_code).unbind(),
            dataset_code: PyString::new(py, &t.dataset_code).unbind(),
            timestamp_ms: t.timestamp_ms,
            token: t.token.clone(),
            access_key,
        }
    }

    /// The core token, string to sign included, for the accessors that need more than the
    /// headers.
    fn core(&self, py: Python<'_>) -> PyResult<Token> {
        let app = self.app_code.bind(py).to_cow()?;
        let ds = self.dataset_code.bind(py).to_cow()?;
        self.access_key.with(py, |ak| {
            Token::from_parts(ak, &app, &ds, self.timestamp_ms, self.token.clone())
        })
    }

    fn lifetime_(&self) -> TokenLifetime {
        TokenLifetime::lovrabet(self.timestamp_ms)
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
    fn app_code(&self, py: Python<'_>) -> Py<PyString> {
        self.app_code.clone_ref(py)
    }
    #[getter]
    fn dataset_code(&self, py: Python<'_>) -> Py<PyString> {
        self.dataset_code.clone_ref(py)
    }
    #[getter]
    fn timestamp_ms(&self) -> u64 {
        self.timestamp_ms
    }
    #[getter]
    fn token(&self) -> &str {
        &self.token
    }
    /// Holds the access key: log `signed_redacted`, never this.
    #[getter]
    fn string_to_sign<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        let core = self.core(py)?;
        Ok(PyString::new(py, &core.string_to_sign))
    }
    /// Same as `string_to_sign` (every signature object has `.signed`). Holds the access key:
    /// log `signed_redacted`, never this.
    #[getter]
    fn signed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        self.string_to_sign(py)
    }
    /// The string to sign with the access key replaced by `<redacted>`.
    #[getter]
    fn signed_redacted(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self
            .core(py)?
            .into_signature()
            .signed_redacted()
            .into_owned())
    }
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let mut ts = itoa::Buffer::new();
        LOVRABET.dict(
            py,
            [
                Value::Str(self.app_code.bind(py)),
                Value::Str(self.dataset_code.bind(py)),
                Value::Text(ts.format(self.timestamp_ms)),
                Value::Text(&self.token),
            ],
        )
    }
    #[getter]
    fn expires_at_ms(&self) -> u64 {
        self.lifetime_().expires_at_ms().unwrap_or(u64::MAX)
    }
    #[getter]
    fn lifetime(&self) -> PyTokenLifetime {
        self.lifetime_().into()
    }
    #[pyo3(signature = (now_ms=None))]
    fn remaining_ms(&self, now_ms: Option<u64>) -> u64 {
        self.lifetime_()
            .remaining_ms(now_ms.unwrap_or_else(clock::now_ms))
            .unwrap_or(u64::MAX)
    }
    #[pyo3(signature = (now_ms=None))]
    fn is_expired(&self, now_ms: Option<u64>) -> bool {
        self.lifetime_()
            .is_expired(now_ms.unwrap_or_else(clock::now_ms))
    }
    #[pyo3(signature = (buffer_ms=LOVRABET_DEFAULT_BUFFER_MS, now_ms=None))]
    fn is_expiring(&self, buffer_ms: u64, now_ms: Option<u64>) -> bool {
        self.lifetime_()
            .is_expiring(buffer_ms, now_ms.unwrap_or_else(clock::now_ms))
    }
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<PyToken>() {
            Ok(o) => Ok(self.core(py)? == o.get().core(py)?),
            Err(_) => Ok(false),
        }
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "LovrabetToken(app_code={:?}, dataset_code={:?}, timestamp_ms={}, token={:?})",
            self.app_code.bind(py).to_cow()?,
            self.dataset_code.bind(py).to_cow()?,
            self.timestamp_ms,
            &*self.token
        ))
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
        slf: &Bound<'_, Self>,
        app_code: &Bound<'_, PyString>,
        dataset_code: &Bound<'_, PyString>,
        timestamp: Option<u64>,
    ) -> PyResult<PyToken> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let app_text = fastcall::str_text(&app_code.as_borrowed())?;
        let ds_text = fastcall::str_text(&dataset_code.as_borrowed())?;
        let mut ts_text = itoa::Buffer::new();
        let token = slf
            .get()
            .inner
            .token_value(&app_text, &ds_text, ts_text.format(ts))
            .py_err()?;
        Ok(PyToken {
            app_code: exact_str(&app_code.as_borrowed(), &app_text).unbind(),
            dataset_code: exact_str(&dataset_code.as_borrowed(), &ds_text).unbind(),
            timestamp_ms: ts,
            token,
            access_key: AccessKey::Generator(slf.clone().unbind()),
        })
    }

    /// One token per `(name, dataset_code)` pair, all with the same timestamp; returns
    /// `{name: token}` in the given order.
    #[pyo3(signature = (app_code, datasets, timestamp=None))]
    fn generate_batch<'py>(
        slf: &Bound<'py, Self>,
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
        let tokens = slf
            .get()
            .inner
            .generate_batch(app_code, &pairs, ts)
            .py_err()?;
        for (name, token) in &tokens {
            let key = AccessKey::Generator(slf.clone().unbind());
            out.set_item(name, PyToken::from_core(py, token, key))?;
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
    fn sign(slf: &Bound<'_, Self>, timestamp: Option<u64>) -> PyResult<PyToken> {
        let py = slf.py();
        let signer = slf.get();
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let mut ts_text = itoa::Buffer::new();
        let token = signer
            .inner
            .generator()
            .token_value(&signer.app_code, &signer.dataset_code, ts_text.format(ts))
            .py_err()?;
        Ok(PyToken {
            app_code: signer.codes.0.clone_ref(py),
            dataset_code: signer.codes.1.clone_ref(py),
            timestamp_ms: ts,
            token,
            access_key: AccessKey::Signer(slf.clone().unbind()),
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
        let ak = required(ak, "access_key")?;
        let access_key = secret_ref(ak)?;
        let access_key = access_key_text(&access_key)?;
        let ts = fastcall::opt_u64(ts, "timestamp")?.unwrap_or_else(clock::now_ms);
        let mut ts_text = itoa::Buffer::new();
        let ts_text = ts_text.format(ts);
        let token = match sk.filter(|s| !s.is_none()) {
            None => lovrabet::token_value(
                lovrabet::default_keyed_mac(),
                access_key,
                &app_text,
                &ds_text,
                ts_text,
            ),
            Some(sk) => {
                let secret = secret_ref(sk)?;
                let mac = keyed_hmac("secret_key", secret.expose()).py_err()?;
                lovrabet::token_value(&mac, access_key, &app_text, &ds_text, ts_text)
            }
        }
        .py_err()?;
        let token = PyToken {
            app_code: exact_str(&app, &app_text).unbind(),
            dataset_code: exact_str(&ds, &ds_text).unbind(),
            timestamp_ms: ts,
            token,
            access_key: AccessKey::from_arg(ak, access_key),
        };
        Ok(Py::new(py, token)?.into_any())
    }
}

const SIGN_DOC: &CStr = c"lovrabet_sign(*, app_code, dataset_code, access_key, secret_key='lovrabet', timestamp=None)\n--\n\nOne-shot: the token for one dataset; `timestamp` (ms) defaults to now. `secret_key=None` also means the default key.";

static SIGNER_SIGN: Params = Params::new("sign", &["timestamp"], 1, 0);

vectorcall! {
    /// `LovrabetSigner.sign(timestamp=None)`.
    fn signer_sign(py, slf, SIGNER_SIGN, [ts]) {
        let signer = slf.cast::<PySigner>()?;
        let ts = fastcall::opt_u64(ts, "timestamp")?;
        Ok(Py::new(py, PySigner::sign(&signer.to_owned(), ts)?)?.into_any())
    }
}

const SIGNER_SIGN_DOC: &CStr =
    c"sign($self, timestamp=None)\n--\n\nThe token at `timestamp` (ms; default now).";

/// The checked text of an access key argument (a non-empty `str` needs no UTF-8 check).
fn access_key_text<'a>(key: &'a SecretRef<'_>) -> PyResult<&'a str> {
    match key.as_str() {
        Some(text) if !text.is_empty() => Ok(text),
        _ => lovrabet::check_access_key(key.expose()).py_err(),
    }
}

/// A required `str` argument and its text.
fn str_arg<'a, 'py>(
    arg: Option<Borrowed<'a, 'py, PyAny>>,
    name: &str,
) -> PyResult<(Borrowed<'a, 'py, PyString>, Text<'a>)> {
    let arg = required(arg, name)?;
    match arg.cast::<PyString>() {
        Ok(s) => Ok((s, fastcall::str_text(&s)?)),
        Err(_) => Err(fastcall::wrong_type(&arg, name, "str")),
    }
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
