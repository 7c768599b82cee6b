//! Lovrabet: `Signer`, `TokenGenerator` (batch tokens) and `Token`.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::args::SecretArg;
use super::errors::IntoPyResult;
use super::lifetime::PyTokenLifetime;
use super::signature::header_name;
use crate::clock;
use crate::lifetime::LOVRABET_DEFAULT_BUFFER_MS;
use crate::lovrabet::{self, Token, TokenGenerator};

/// A lovrabet token: the four headers, the string that was signed and its lifetime.
#[pyclass(frozen, module = "apisign._native", name = "LovrabetToken")]
pub(crate) struct PyToken {
    inner: Token,
    /// `{X-App-Code, X-Dataset-Code}` shared by every token of one `LovrabetSigner`: copying
    /// it is cheaper than building those two entries again for each token.
    prefix: Option<Py<PyDict>>,
}

impl PyToken {
    fn new(inner: Token) -> Self {
        PyToken {
            inner,
            prefix: None,
        }
    }
}

/// `{X-App-Code: app_code, X-Dataset-Code: dataset_code}`.
fn header_prefix<'py>(
    py: Python<'py>,
    app_code: &str,
    dataset_code: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(header_name(py, "X-App-Code"), app_code)?;
    d.set_item(header_name(py, "X-Dataset-Code"), dataset_code)?;
    Ok(d)
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
        let d = match &self.prefix {
            Some(prefix) => prefix.bind(py).copy()?,
            None => header_prefix(py, &t.app_code, &t.dataset_code)?,
        };
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
    /// The header entries that are the same for every token (never handed out, only copied).
    prefix: Py<PyDict>,
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
        let prefix = header_prefix(py, &app_code, &dataset_code)?.unbind();
        Ok(PySigner {
            inner,
            app_code,
            dataset_code,
            prefix,
        })
    }

    /// The token at `timestamp` (ms; default now).
    #[pyo3(signature = (timestamp=None))]
    fn sign(&self, py: Python<'_>, timestamp: Option<u64>) -> PyResult<PyToken> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        Ok(PyToken {
            inner: self.inner.token(ts).py_err()?,
            prefix: Some(self.prefix.clone_ref(py)),
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

/// One-shot: `apisign.lovrabet.sign(app_code=, dataset_code=, access_key=, secret_key=, timestamp=)`.
#[pyfunction]
#[pyo3(signature = (*, app_code, dataset_code, access_key, secret_key=None, timestamp=None))]
fn lovrabet_sign(
    app_code: &str,
    dataset_code: &str,
    access_key: SecretArg,
    secret_key: Option<SecretArg>,
    timestamp: Option<u64>,
) -> PyResult<PyToken> {
    let secret = secret_key.map_or_else(|| lovrabet::DEFAULT_SECRET_KEY.into(), |s| s.0);
    let generator = TokenGenerator::new(access_key.0, secret).py_err()?;
    let ts = timestamp.unwrap_or_else(clock::now_ms);
    Ok(PyToken::new(
        generator.generate(app_code, dataset_code, ts).py_err()?,
    ))
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
    m.add_function(wrap_pyfunction!(lovrabet_sign, m)?)?;
    m.add_function(wrap_pyfunction!(lovrabet_string_to_sign, m)?)?;
    m.add("LOVRABET_DEFAULT_SECRET_KEY", lovrabet::DEFAULT_SECRET_KEY)?;
    Ok(())
}
