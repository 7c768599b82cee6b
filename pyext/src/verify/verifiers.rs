//! One verifier per scheme, and the client-side jetlinks response check.

use std::sync::Arc;

use pyo3::prelude::*;
use serde_json::{Map, Value};

use super::incoming::{header_pairs, run, window, PyVerified};
use super::stores::{PyCredentials, PyNonceStore};
use crate::args::Body;
use crate::errors::IntoPyResult;
use apisign::clock;
use apisign::verify::{self, NonceStore, Window};

/// Verifies lovrabet tokens (codes 1002–1006).
#[pyclass(frozen, module = "apisign._native", name = "LovrabetVerifier")]
pub(crate) struct PyLovrabetVerifier {
    inner: verify::lovrabet::Verifier,
}

#[pymethods]
impl PyLovrabetVerifier {
    #[new]
    #[pyo3(signature = (credentials, *, max_age_ms=None, max_ahead_ms=None))]
    fn new(
        credentials: &PyCredentials,
        max_age_ms: Option<u64>,
        max_ahead_ms: Option<u64>,
    ) -> Self {
        let w = window(max_age_ms, max_ahead_ms, verify::lovrabet::DEFAULT_WINDOW);
        PyLovrabetVerifier {
            inner: verify::lovrabet::Verifier::new(credentials.store()).window(w),
        }
    }

    /// Verify a received request; `now_ms` defaults to the clock.
    #[pyo3(signature = (method, url, headers, body=None, *, now_ms=None))]
    fn verify(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        headers: &Bound<'_, PyAny>,
        body: Option<Body>,
        now_ms: Option<u64>,
    ) -> PyResult<PyVerified> {
        let now = now_ms.unwrap_or_else(clock::now_ms);
        run(py, method, url, headers, body, |r| {
            self.inner.verify(r, now)
        })
    }
}

/// Verifies jetlinks request signatures.
#[pyclass(frozen, module = "apisign._native", name = "JetlinksVerifier")]
pub(crate) struct PyJetlinksVerifier {
    inner: verify::jetlinks::Verifier,
}

#[pymethods]
impl PyJetlinksVerifier {
    #[new]
    #[pyo3(signature = (credentials, *, max_age_ms=None, max_ahead_ms=None))]
    fn new(
        credentials: &PyCredentials,
        max_age_ms: Option<u64>,
        max_ahead_ms: Option<u64>,
    ) -> Self {
        let default = Window::symmetric(verify::jetlinks::DEFAULT_WINDOW_MS);
        PyJetlinksVerifier {
            inner: verify::jetlinks::Verifier::new(credentials.store()).window(window(
                max_age_ms,
                max_ahead_ms,
                default,
            )),
        }
    }

    #[pyo3(signature = (method, url, headers, body=None, *, now_ms=None))]
    fn verify(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        headers: &Bound<'_, PyAny>,
        body: Option<Body>,
        now_ms: Option<u64>,
    ) -> PyResult<PyVerified> {
        let now = now_ms.unwrap_or_else(clock::now_ms);
        run(py, method, url, headers, body, |r| {
            self.inner.verify(r, now)
        })
    }
}

/// Verifies piemdm signatures and records nonces (after the signature passed).
///
/// Nonces are kept for the window's width + 1 s (601 s by default); a ``nonce_ttl_secs``
/// shorter than that would admit replays and raises ``InvalidInputError``.
/// ``strict_query=True`` rejects (``SignatureInvalidError``, ``AUTH_SIGNATURE_INVALID``) a
/// query segment the signature does not cover: one with ``;`` or a bad ``%`` escape, which
/// the Go server skips but ``parse_qs`` reads (``?a=1&admin=1;``). Turn it on when the
/// application reads the query itself.
#[pyclass(frozen, module = "apisign._native", name = "PiemdmVerifier")]
pub(crate) struct PyPiemdmVerifier {
    inner: verify::piemdm::Verifier,
}

#[pymethods]
impl PyPiemdmVerifier {
    #[new]
    #[pyo3(signature = (credentials, nonces, *, max_age_secs=None, max_ahead_secs=None, nonce_ttl_secs=None, min_nonce_len=None, strict_query=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        credentials: &PyCredentials,
        nonces: &PyNonceStore,
        max_age_secs: Option<u64>,
        max_ahead_secs: Option<u64>,
        nonce_ttl_secs: Option<u64>,
        min_nonce_len: Option<usize>,
        strict_query: bool,
    ) -> PyResult<Self> {
        let default = Window::symmetric(verify::piemdm::DEFAULT_WINDOW_SECS);
        let store: Arc<dyn NonceStore> = nonces.inner.clone();
        let mut v = verify::piemdm::Verifier::new(credentials.store(), store)
            .window(window(max_age_secs, max_ahead_secs, default))
            .py_err()?
            .strict_query(strict_query);
        if let Some(ttl) = nonce_ttl_secs {
            v = v.nonce_ttl(ttl).py_err()?;
        }
        if let Some(n) = min_nonce_len {
            v = v.min_nonce_len(n);
        }
        Ok(PyPiemdmVerifier { inner: v })
    }

    /// Verify a received request; `now_secs` defaults to the clock.
    #[pyo3(signature = (method, url, headers, body=None, *, now_secs=None))]
    fn verify(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        headers: &Bound<'_, PyAny>,
        body: Option<Body>,
        now_secs: Option<u64>,
    ) -> PyResult<PyVerified> {
        let now = now_secs.unwrap_or_else(clock::now_secs);
        run(py, method, url, headers, body, |r| {
            self.inner.verify(r, now)
        })
    }
}

/// Verifies linksfield signatures (v2, and v1 unless refused) with the caller's public key.
#[pyclass(frozen, module = "apisign._native", name = "LinksfieldVerifier")]
pub(crate) struct PyLinksfieldVerifier {
    inner: verify::linksfield::Verifier,
}

#[pymethods]
impl PyLinksfieldVerifier {
    #[new]
    #[pyo3(signature = (credentials, *, nonces=None, max_age_ms=None, max_ahead_ms=None, accept_v1=true))]
    fn new(
        credentials: &PyCredentials,
        nonces: Option<&PyNonceStore>,
        max_age_ms: Option<u64>,
        max_ahead_ms: Option<u64>,
        accept_v1: bool,
    ) -> Self {
        let default = Window::symmetric(verify::linksfield::DEFAULT_WINDOW_MS);
        let mut v = verify::linksfield::Verifier::new(credentials.store())
            .window(window(max_age_ms, max_ahead_ms, default))
            .accept_v1(accept_v1);
        if let Some(n) = nonces {
            let store: Arc<dyn NonceStore> = n.inner.clone();
            v = v.with_nonce_store(store);
        }
        PyLinksfieldVerifier { inner: v }
    }

    /// Verify a received request; for version 1, `path_params_json` (a JSON object of the
    /// router's typed path parameters) is part of the signed message.
    #[pyo3(signature = (method, url, headers, body=None, *, path_params_json=None, now_ms=None))]
    #[allow(clippy::too_many_arguments)]
    fn verify(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        headers: &Bound<'_, PyAny>,
        body: Option<Body>,
        path_params_json: Option<&str>,
        now_ms: Option<u64>,
    ) -> PyResult<PyVerified> {
        let now = now_ms.unwrap_or_else(clock::now_ms);
        let params: Map<String, Value> =
            crate::linksfield::json_object("path_params", path_params_json)?;
        run(py, method, url, headers, body, |r| {
            self.inner.verify_v1(r, &params, now)
        })
    }
}

/// Client side: check a jetlinks response's `X-Sign` (and, with `max_age_ms`, that its
/// `X-Timestamp` is fresh). Raises on failure.
#[pyfunction]
#[pyo3(signature = (signer, body, headers, *, max_age_ms=None, now_ms=None))]
pub(super) fn jetlinks_verify_response(
    py: Python<'_>,
    signer: &crate::jetlinks::PySigner,
    body: Body,
    headers: &Bound<'_, PyAny>,
    max_age_ms: Option<u64>,
    now_ms: Option<u64>,
) -> PyResult<()> {
    let pairs = header_pairs(headers)?;
    let freshness =
        max_age_ms.map(|w| (Window::symmetric(w), now_ms.unwrap_or_else(clock::now_ms)));
    py.detach(|| {
        let view: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        verify::jetlinks::verify_response(&signer.inner, body.as_bytes(), &view, freshness)
    })
    .py_err()
}
