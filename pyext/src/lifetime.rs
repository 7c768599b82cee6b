//! `TokenLifetime` and the clock helpers. Every method that needs "now" takes an optional
//! `now_ms`; `None` reads the wall clock here, at the edge.

use pyo3::prelude::*;

use apisign::clock;
use apisign::lifetime::{TokenLifetime, LOVRABET_DEFAULT_BUFFER_MS, LOVRABET_TOKEN_LIFETIME_MS};

/// When a token was issued and how long it lives (Unix milliseconds).
#[pyclass(frozen, eq, hash, module = "apisign._native", name = "TokenLifetime")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PyTokenLifetime {
    pub(crate) inner: TokenLifetime,
}

impl From<TokenLifetime> for PyTokenLifetime {
    fn from(inner: TokenLifetime) -> Self {
        PyTokenLifetime { inner }
    }
}

#[pymethods]
impl PyTokenLifetime {
    #[new]
    #[pyo3(signature = (issued_at_ms, lifetime_ms=None))]
    fn new(issued_at_ms: u64, lifetime_ms: Option<u64>) -> Self {
        TokenLifetime {
            issued_at_ms,
            lifetime_ms,
        }
        .into()
    }

    /// A lovrabet token signed at `timestamp_ms` (valid 600 000 ms).
    #[staticmethod]
    fn lovrabet(timestamp_ms: u64) -> Self {
        TokenLifetime::lovrabet(timestamp_ms).into()
    }

    /// A JetLinks access token requested with `expires_secs` (`<= 0`: never expires).
    #[staticmethod]
    fn jetlinks(issued_at_ms: u64, expires_secs: i64) -> Self {
        TokenLifetime::jetlinks(issued_at_ms, expires_secs).into()
    }

    /// An OAuth2 token whose response carried `expires_in` seconds.
    #[staticmethod]
    fn oauth2(issued_at_ms: u64, expires_in_secs: u64) -> Self {
        TokenLifetime::oauth2(issued_at_ms, expires_in_secs).into()
    }

    #[getter]
    fn issued_at_ms(&self) -> u64 {
        self.inner.issued_at_ms
    }

    #[getter]
    fn lifetime_ms(&self) -> Option<u64> {
        self.inner.lifetime_ms
    }

    /// Expiry in Unix ms; `None` for a token that never expires.
    #[getter]
    fn expires_at_ms(&self) -> Option<u64> {
        self.inner.expires_at_ms()
    }

    #[pyo3(signature = (now_ms=None))]
    fn remaining_ms(&self, now_ms: Option<u64>) -> Option<u64> {
        self.inner
            .remaining_ms(now_ms.unwrap_or_else(clock::now_ms))
    }

    #[pyo3(signature = (now_ms=None))]
    fn is_expired(&self, now_ms: Option<u64>) -> bool {
        self.inner.is_expired(now_ms.unwrap_or_else(clock::now_ms))
    }

    #[pyo3(signature = (buffer_ms=LOVRABET_DEFAULT_BUFFER_MS, now_ms=None))]
    fn is_expiring(&self, buffer_ms: u64, now_ms: Option<u64>) -> bool {
        self.inner
            .is_expiring(buffer_ms, now_ms.unwrap_or_else(clock::now_ms))
    }

    fn __repr__(&self) -> String {
        match self.inner.lifetime_ms {
            Some(l) => format!(
                "TokenLifetime(issued_at_ms={}, lifetime_ms={l})",
                self.inner.issued_at_ms
            ),
            None => format!(
                "TokenLifetime(issued_at_ms={}, lifetime_ms=None)",
                self.inner.issued_at_ms
            ),
        }
    }
}

/// Milliseconds since the Unix epoch.
#[pyfunction]
fn now_ms() -> u64 {
    clock::now_ms()
}

/// Seconds since the Unix epoch.
#[pyfunction]
fn now_secs() -> u64 {
    clock::now_secs()
}

/// 32 lowercase hex characters from the OS CSPRNG.
#[pyfunction]
fn random_nonce() -> PyResult<String> {
    use super::errors::IntoPyResult;
    clock::random_nonce().py_err()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTokenLifetime>()?;
    m.add("LOVRABET_TOKEN_LIFETIME_MS", LOVRABET_TOKEN_LIFETIME_MS)?;
    m.add("LOVRABET_DEFAULT_BUFFER_MS", LOVRABET_DEFAULT_BUFFER_MS)?;
    m.add_function(wrap_pyfunction!(now_ms, m)?)?;
    m.add_function(wrap_pyfunction!(now_secs, m)?)?;
    m.add_function(wrap_pyfunction!(random_nonce, m)?)?;
    Ok(())
}
