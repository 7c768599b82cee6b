//! Server side: `Credentials` (the core's thread-safe in-memory store), `NonceStore`, the one
//! `Verifier(scheme, credentials, ...)` and `Verified`. A rejection raises the
//! `apisign.errors` class of its kind, carrying the platform's own code (`platform_code`).
//! Verification (digests, RSA) runs with the GIL released.

use std::sync::Arc;

use std::net::IpAddr;

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyDict};

use super::args::{scheme, setting_text, Body, Params};
use super::errors::{from_py, IntoPyResult};
use super::nonce_store::nonce_store;
use apisign::clock;
use apisign::scheme::Verifier;
use apisign::verify::{
    Credential, CredentialStore, InMemoryCredentials, IncomingRequest, Verified, Window,
    ALLOWED_IPS,
};

/// What the server knows about its callers, for every scheme. Verifiers built from it see
/// later changes at once (key rotation). `repr` lists scheme and id only.
#[pyclass(frozen, subclass, module = "apisign._native", name = "Credentials")]
pub(crate) struct PyCredentials {
    pub(crate) inner: Arc<InMemoryCredentials>,
}

#[pymethods]
impl PyCredentials {
    #[new]
    fn new() -> Self {
        PyCredentials {
            inner: Arc::new(InMemoryCredentials::new()),
        }
    }

    /// Register (or replace) a caller of `scheme` from its credential parameters;
    /// `allowed_ips` (every scheme) limits the addresses it may connect from.
    #[pyo3(signature = (scheme, *, allowed_ips=None, **params))]
    fn add(
        &self,
        py: Python<'_>,
        scheme: &str,
        allowed_ips: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let id = self::scheme(scheme)?;
        let given = Params::new(
            id.spec().credential_params,
            &[(ALLOWED_IPS.name, allowed_ips)],
            params,
        )?;
        let list = given.params();
        let credential = py.detach(|| Credential::new(id, &list)).py_err()?;
        self.inner.add(credential);
        Ok(())
    }

    /// Register a scope (a dataset) of `scheme` that exists whether or not a caller may use it.
    fn add_scope(&self, scheme: &str, scope: &str) -> PyResult<()> {
        self.inner.add_scope(self::scheme(scheme)?, scope).py_err()
    }

    /// Remove caller `id` of `scheme`; whether it was registered.
    fn remove(&self, scheme: &str, id: &str) -> PyResult<bool> {
        Ok(self.inner.remove(self::scheme(scheme)?, id))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!("Credentials({:?})", &*self.inner)
    }
}

/// Who sent an authentic request.
#[pyclass(frozen, module = "apisign._native", name = "Verified")]
pub(crate) struct PyVerified {
    pub(crate) inner: Verified,
}

#[pymethods]
impl PyVerified {
    /// The scheme that proved the caller. Ids are per scheme: a server accepting several
    /// platforms authorizes on (scheme, caller).
    #[getter]
    fn scheme(&self) -> &'static str {
        self.inner.scheme.name()
    }
    /// The app code, client id, app id or key id.
    #[getter]
    fn caller(&self) -> &str {
        &self.inner.caller
    }
    /// The scope (dataset) a token is bound to, for schemes that have one.
    #[getter]
    fn dataset(&self) -> Option<&str> {
        self.inner.dataset.as_deref()
    }
    /// The signed timestamp, in milliseconds.
    #[getter]
    fn timestamp(&self) -> u64 {
        self.inner.timestamp
    }
    /// The signed timestamp, in milliseconds.
    #[getter]
    fn timestamp_ms(&self) -> u64 {
        self.inner.timestamp
    }
    #[getter]
    fn nonce(&self) -> Option<&str> {
        self.inner.nonce.as_deref()
    }
    fn __repr__(&self) -> String {
        format!(
            "Verified(scheme={:?}, caller={:?}, dataset={:?}, timestamp={}, nonce={:?})",
            self.inner.scheme.name(),
            self.inner.caller,
            self.inner.dataset,
            self.inner.timestamp,
            self.inner.nonce
        )
    }
}

/// Headers as given by Python: a mapping or `(name, value)` pairs (repeats kept, so a header
/// sent twice with different values is refused by the verifier).
pub(crate) fn header_pairs(headers: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    if let Ok(d) = headers.cast::<PyDict>() {
        return d
            .iter()
            .map(|(k, v)| Ok((k.extract()?, v.extract()?)))
            .collect();
    }
    if headers.hasattr("items")? {
        let items = headers.call_method0("items")?;
        return items.try_iter()?.map(|kv| kv?.extract()).collect();
    }
    headers.try_iter()?.map(|kv| kv?.extract()).collect()
}

/// The window from optional bounds, each defaulting to `default`'s.
pub(crate) fn window(max_age: Option<u64>, max_ahead: Option<u64>, default: Window) -> Window {
    Window {
        max_age: max_age.unwrap_or(default.max_age),
        max_ahead: max_ahead.unwrap_or(default.max_ahead),
    }
}

/// `(status, headers, body)` of a rejection.
type Answer<'py> = (u16, Vec<(&'static str, &'static str)>, Bound<'py, PyBytes>);

/// An address given as text.
pub(crate) fn parse_ip(field: &'static str, text: &str) -> PyResult<IpAddr> {
    text.trim()
        .parse()
        .map_err(|_| apisign::Error::invalid(field, format!("{text:?} is not an IP address")))
        .py_err()
}

/// Run `check` on the request built from Python values, with the GIL released.
pub(crate) fn run(
    py: Python<'_>,
    method: &str,
    url: &str,
    headers: &Bound<'_, PyAny>,
    body: Option<Body>,
    client_ip: Option<IpAddr>,
    check: impl Send + FnOnce(&IncomingRequest<'_>) -> apisign::Result<Verified>,
) -> PyResult<PyVerified> {
    let pairs = header_pairs(headers)?;
    let body = body.unwrap_or(Body::Empty);
    let inner = py
        .detach(|| {
            let mut request = IncomingRequest::new(method, url).with_body(body.as_bytes());
            request.client_ip = client_ip;
            request.headers = pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            check(&request)
        })
        .py_err()?;
    Ok(PyVerified { inner })
}

/// Verifies requests of one scheme against `credentials`. The window (ms) defaults to the
/// scheme's; `nonces` shares a replay store (schemes that always check nonces keep their own
/// in memory otherwise); `**settings` are the scheme's own (`apisign.schemes()` lists them).
#[pyclass(frozen, subclass, module = "apisign._native", name = "Verifier")]
pub(crate) struct PyVerifier {
    inner: Verifier,
}

#[pymethods]
impl PyVerifier {
    #[new]
    #[pyo3(signature = (scheme, credentials, *, max_age_ms=None, max_ahead_ms=None, nonces=None, nonce_ttl_secs=None, **settings))]
    fn new(
        scheme: &str,
        credentials: &PyCredentials,
        max_age_ms: Option<u64>,
        max_ahead_ms: Option<u64>,
        nonces: Option<&Bound<'_, PyAny>>,
        nonce_ttl_secs: Option<u64>,
        settings: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let id = self::scheme(scheme)?;
        let store: Arc<dyn CredentialStore> = credentials.inner.clone();
        let mut b =
            Verifier::builder(id, store).window(window(max_age_ms, max_ahead_ms, id.spec().window));
        if let Some(n) = nonces {
            b = b.nonce_store(nonce_store(n)?);
        }
        if let Some(ttl) = nonce_ttl_secs {
            b = b.nonce_ttl_secs(ttl);
        }
        for (k, v) in settings.into_iter().flat_map(|d| d.iter()) {
            if v.is_none() {
                continue;
            }
            let name: String = k.extract()?;
            b = b.setting(&name, &setting_text(&v)?).py_err()?;
        }
        Ok(PyVerifier {
            inner: b.build().py_err()?,
        })
    }

    /// The scheme's name.
    #[getter]
    fn scheme(&self) -> &'static str {
        self.inner.scheme().name
    }

    /// Whether the scheme's platform signs its responses (`sign_response` adds headers).
    #[getter]
    fn signs_responses(&self) -> bool {
        self.inner.scheme().signs_responses
    }

    /// Verify a received request at `now_ms` (default: the clock) from `client_ip` (checked
    /// against the caller's `allowed_ips`).
    #[pyo3(signature = (method, url, headers, body=None, *, now_ms=None, client_ip=None))]
    #[allow(clippy::too_many_arguments)] // the Python signature
    fn verify(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        headers: &Bound<'_, PyAny>,
        body: Option<Body>,
        now_ms: Option<u64>,
        client_ip: Option<&str>,
    ) -> PyResult<PyVerified> {
        let now = now_ms.unwrap_or_else(clock::now_ms);
        let ip = client_ip.map(|t| parse_ip("client_ip", t)).transpose()?;
        run(py, method, url, headers, body, ip, |r| {
            self.inner.verify(r, now)
        })
    }

    /// `(status, headers, body)` to answer `error` (an `ApisignError`) with, as the platform's
    /// server does.
    fn rejection<'py>(&self, py: Python<'py>, error: &Bound<'py, PyAny>) -> PyResult<Answer<'py>> {
        let r = self.inner.rejection(&from_py(error)?);
        Ok((
            r.status,
            vec![("content-type", r.content_type)],
            PyBytes::new(py, &r.body),
        ))
    }

    /// The headers that sign a response with `body` for the caller of `verified` (empty for
    /// schemes whose servers do not sign responses).
    #[pyo3(signature = (verified, body, *, now_ms=None))]
    fn sign_response(
        &self,
        py: Python<'_>,
        verified: &PyVerified,
        body: Body,
        now_ms: Option<u64>,
    ) -> PyResult<Vec<(&'static str, String)>> {
        let now = now_ms.unwrap_or_else(clock::now_ms);
        let signed = py
            .detach(|| {
                self.inner
                    .sign_response(&verified.inner, body.as_bytes(), now)
            })
            .py_err()?;
        Ok(signed.unwrap_or_default())
    }
}

/// For a server that accepts several platforms: the index of the one of `verifiers` that
/// serves a request carrying headers named `names` (the core's `Verifier::pick`: most of its
/// scheme's headers, the first one on a tie).
#[pyfunction]
pub(crate) fn pick_verifier(
    verifiers: Vec<Bound<'_, PyVerifier>>,
    names: Vec<PyBackedStr>,
) -> PyResult<usize> {
    let names: Vec<&str> = names.iter().map(|n| &**n).collect();
    Verifier::pick(
        verifiers.iter().map(|v| &v.get().inner),
        names.iter().copied(),
    )
    .ok_or_else(|| apisign::Error::invalid("verifiers", "pass at least one verifier"))
    .py_err()
}

/// The client's address: `peer` unless it is one of the `trusted` proxies (IPs or CIDR
/// blocks), then the rightmost `X-Forwarded-For` hop that is not one.
#[pyfunction]
#[pyo3(signature = (peer, forwarded_for, trusted))]
pub(crate) fn client_ip(
    peer: &str,
    forwarded_for: Option<&str>,
    trusted: Vec<String>,
) -> PyResult<String> {
    let peer = parse_ip("peer", peer)?;
    let trusted = apisign::verify::ip::parse_trusted(&trusted.join(",")).py_err()?;
    Ok(apisign::verify::client_ip(peer, forwarded_for, &trusted).to_string())
}
