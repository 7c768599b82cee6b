//! The few functions only one platform has, and the only file of this crate that names one:
//! Lovrabet tokens (lifetime helpers, batch generation), JetLinks response signing and the
//! token request, the PieMDM canonical request, Linksfield v1 typed signing and path-parameter
//! verification, and token lifetimes. Everything else goes through the generic signer and
//! verifier.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use serde_json::{Map, Value};

use super::args::{Body, SecretArg};
use super::errors::{to_py, IntoPyResult};
use super::keys::PyPrivateKey;
use super::nonce_store::nonce_store;
use super::signature::PySignature;
use super::verifier::{header_pairs, parse_ip, run, window, PyCredentials, PyVerified};
use apisign::error::{Error, ErrorKind};
use apisign::lifetime::TokenLifetime;
use apisign::lovrabet::{
    DEFAULT_BUFFER_MS as LOVRABET_DEFAULT_BUFFER_MS,
    TOKEN_LIFETIME_MS as LOVRABET_TOKEN_LIFETIME_MS,
};
use apisign::verify::CredentialStore;
use apisign::{clock, jetlinks, linksfield, lovrabet, piemdm, Request, SchemeId};

/// The Python object for a signature: a `LovrabetToken` (a `Signature` with lifetime helpers)
/// for Lovrabet, the `Signature` itself otherwise.
pub(crate) fn signature(py: Python<'_>, sig: PySignature) -> PyResult<Py<PyAny>> {
    if sig.scheme == SchemeId::Lovrabet {
        let init = PyClassInitializer::from(sig).add_subclass(PyToken {});
        return Ok(Py::new(py, init)?.into_any());
    }
    Ok(Py::new(py, sig)?.into_any())
}

// --- Lovrabet ---------------------------------------------------------------------------------

/// A Lovrabet token: its four headers, the string that was signed (it holds the access key:
/// log `signed_redacted`) and its lifetime (600 000 ms).
#[pyclass(frozen, extends = PySignature, module = "apisign._native", name = "LovrabetToken")]
pub(crate) struct PyToken {}

fn base<'a>(slf: &'a Bound<'_, PyToken>) -> &'a PySignature {
    slf.as_super().get()
}

fn header_of<'a>(slf: &'a Bound<'_, PyToken>, i: usize) -> &'a str {
    base(slf)
        .inner
        .header(lovrabet::HEADER_NAMES[i])
        .unwrap_or_default()
}

fn lifetime_of(slf: &Bound<'_, PyToken>) -> TokenLifetime {
    TokenLifetime::lovrabet(base(slf).timestamp_ms)
}

#[pymethods]
impl PyToken {
    #[getter]
    fn app_code<'a>(slf: &'a Bound<'_, Self>) -> &'a str {
        header_of(slf, 0)
    }
    #[getter]
    fn dataset_code<'a>(slf: &'a Bound<'_, Self>) -> &'a str {
        header_of(slf, 1)
    }
    #[getter]
    fn token<'a>(slf: &'a Bound<'_, Self>) -> &'a str {
        header_of(slf, 3)
    }
    /// Holds the access key: log `signed_redacted`, never this.
    #[getter]
    fn string_to_sign<'a>(slf: &'a Bound<'_, Self>) -> &'a str {
        &base(slf).inner.signed
    }
    #[getter]
    fn expires_at_ms(slf: &Bound<'_, Self>) -> u64 {
        lifetime_of(slf).expires_at_ms().unwrap_or(u64::MAX)
    }
    #[getter]
    fn lifetime(slf: &Bound<'_, Self>) -> PyTokenLifetime {
        PyTokenLifetime {
            inner: lifetime_of(slf),
        }
    }
    #[pyo3(signature = (now_ms=None))]
    fn remaining_ms(slf: &Bound<'_, Self>, now_ms: Option<u64>) -> u64 {
        lifetime_of(slf)
            .remaining_ms(now_ms.unwrap_or_else(clock::now_ms))
            .unwrap_or(u64::MAX)
    }
    #[pyo3(signature = (now_ms=None))]
    fn is_expired(slf: &Bound<'_, Self>, now_ms: Option<u64>) -> bool {
        lifetime_of(slf).is_expired(now_ms.unwrap_or_else(clock::now_ms))
    }
    #[pyo3(signature = (buffer_ms=LOVRABET_DEFAULT_BUFFER_MS, now_ms=None))]
    fn is_expiring(slf: &Bound<'_, Self>, buffer_ms: u64, now_ms: Option<u64>) -> bool {
        lifetime_of(slf).is_expiring(buffer_ms, now_ms.unwrap_or_else(clock::now_ms))
    }
    fn __repr__(slf: &Bound<'_, Self>) -> String {
        format!(
            "LovrabetToken(app_code={:?}, dataset_code={:?}, timestamp_ms={}, token={:?})",
            header_of(slf, 0),
            header_of(slf, 1),
            base(slf).timestamp_ms,
            header_of(slf, 3)
        )
    }
}

fn token_object(py: Python<'_>, t: lovrabet::Token) -> PyResult<Py<PyAny>> {
    let timestamp_ms = t.timestamp_ms;
    signature(
        py,
        PySignature::new(t.into_signature(), SchemeId::Lovrabet, timestamp_ms),
    )
}

/// Tokens for one access key over any app/dataset; the keyed HMAC is computed once.
#[pyclass(frozen, module = "apisign._native", name = "LovrabetTokenGenerator")]
pub(crate) struct PyTokenGenerator {
    inner: lovrabet::TokenGenerator,
}

#[pymethods]
impl PyTokenGenerator {
    #[new]
    #[pyo3(signature = (access_key, secret_key=None))]
    fn new(access_key: SecretArg, secret_key: Option<SecretArg>) -> PyResult<Self> {
        let secret = secret_key.map_or_else(|| lovrabet::DEFAULT_SECRET_KEY.into(), |s| s.0);
        Ok(PyTokenGenerator {
            inner: lovrabet::TokenGenerator::new(access_key.0, secret).py_err()?,
        })
    }

    /// The token for one dataset; `timestamp` defaults to now (ms).
    #[pyo3(signature = (app_code, dataset_code, timestamp=None))]
    fn generate(
        &self,
        py: Python<'_>,
        app_code: &str,
        dataset_code: &str,
        timestamp: Option<u64>,
    ) -> PyResult<Py<PyAny>> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let t = self.inner.generate(app_code, dataset_code, ts).py_err()?;
        token_object(py, t)
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
            out.set_item(name, token_object(py, token)?)?;
        }
        Ok(out)
    }

    fn __repr__(&self) -> &'static str {
        "LovrabetTokenGenerator(access_key=<redacted>, secret_key=<redacted>)"
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

// --- JetLinks ---------------------------------------------------------------------------------

/// A JetLinks client's response signing and access-token request.
#[pyclass(frozen, module = "apisign._native", name = "JetlinksClient")]
pub(crate) struct PyJetlinksClient {
    inner: jetlinks::Signer,
}

#[pymethods]
impl PyJetlinksClient {
    #[new]
    #[pyo3(signature = (client_id, secure_key, algorithm="md5"))]
    fn new(client_id: &str, secure_key: SecretArg, algorithm: &str) -> PyResult<Self> {
        let algorithm: jetlinks::Algorithm = algorithm.parse().py_err()?;
        Ok(PyJetlinksClient {
            inner: jetlinks::Signer::new(client_id, secure_key.0, algorithm).py_err()?,
        })
    }

    /// The `X-Sign` a server puts on a response with this body and `X-Timestamp`.
    fn sign_response(&self, py: Python<'_>, body: Body, timestamp: &str) -> String {
        py.detach(|| self.inner.sign_response(body.as_bytes(), timestamp))
    }

    /// Whether a response's `X-Sign` matches its body and `X-Timestamp` (constant time).
    fn verify_response(&self, py: Python<'_>, body: Body, timestamp: &str, sign: &str) -> bool {
        py.detach(|| self.inner.verify_response(body.as_bytes(), timestamp, sign))
    }

    /// The signed `POST /api/v1/token` request: `(body, signature)`; `expires <= 0` asks for a
    /// token that never expires.
    #[pyo3(signature = (expires, timestamp=None))]
    fn token_request(
        &self,
        py: Python<'_>,
        expires: i64,
        timestamp: Option<u64>,
    ) -> PyResult<(String, Py<PyAny>)> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let (body, inner) = self.inner.token_request(expires, ts).py_err()?;
        let sig = PySignature::new(inner, SchemeId::JetLinks, ts);
        Ok((body, signature(py, sig)?))
    }
}

/// Client side: check a JetLinks response's `X-Sign` (and, with `max_age_ms`, that its
/// `X-Timestamp` is fresh). Raises on failure.
#[pyfunction]
#[pyo3(signature = (client, body, headers, *, max_age_ms=None, now_ms=None))]
fn jetlinks_verify_response(
    py: Python<'_>,
    client: &PyJetlinksClient,
    body: Body,
    headers: &Bound<'_, PyAny>,
    max_age_ms: Option<u64>,
    now_ms: Option<u64>,
) -> PyResult<()> {
    let pairs = header_pairs(headers)?;
    let freshness = max_age_ms.map(|w| {
        (
            apisign::verify::Window::symmetric(w),
            now_ms.unwrap_or_else(clock::now_ms),
        )
    });
    py.detach(|| {
        let view: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        jetlinks::verify::verify_response(&client.inner, body.as_bytes(), &view, freshness)
    })
    .py_err()
}

/// Form body of an OAuth2 `client_credentials` token request.
#[pyfunction]
fn jetlinks_oauth2_client_credentials_body(client_id: &str, client_secret: &str) -> String {
    jetlinks::oauth2_client_credentials_body(client_id, client_secret)
}

/// Form body of an OAuth2 `refresh_token` request.
#[pyfunction]
fn jetlinks_oauth2_refresh_body(
    client_id: &str,
    client_secret: &str,
    refresh_token: &str,
) -> String {
    jetlinks::oauth2_refresh_body(client_id, client_secret, refresh_token)
}

// --- PieMDM -----------------------------------------------------------------------------------

/// The canonical request (bytes: a decoded path need not be UTF-8).
#[pyfunction]
#[pyo3(signature = (method, url, body, timestamp, nonce))]
fn piemdm_canonical_request<'py>(
    py: Python<'py>,
    method: &str,
    url: &str,
    body: Body,
    timestamp: &str,
    nonce: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let request = Request::new(method, url).with_body(body.as_bytes());
    let canonical = piemdm::canonical_request(&request, timestamp, nonce).py_err()?;
    Ok(PyBytes::new(py, &canonical))
}

// --- Linksfield -------------------------------------------------------------------------------

fn json_object(field: &'static str, text: Option<&str>) -> PyResult<Map<String, Value>> {
    let Some(text) = text else {
        return Ok(Map::new());
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(to_py(
            Error::new(ErrorKind::InvalidJson, "must be a JSON object").with_field(field),
        )),
        Err(e) => Err(to_py(
            Error::new(ErrorKind::InvalidJson, format!("is not valid JSON ({e})"))
                .with_field(field),
        )),
    }
}

/// A Linksfield v1 signature: the `Authorization` header, the signed message, and the
/// `timestamp` (string) and `nonce` (integer) the caller must also send in the query or body.
#[pyclass(frozen, module = "apisign._native", name = "LinksfieldV1Signature")]
pub(crate) struct PyV1Signature {
    inner: linksfield::V1Signature,
}

#[pymethods]
impl PyV1Signature {
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        super::header_dict::dict(py, SchemeId::Linksfield, &self.inner.signature.headers)
    }
    #[getter]
    fn signed(&self) -> &str {
        &self.inner.signature.signed
    }
    #[getter]
    fn params(&self) -> Vec<(&'static str, String)> {
        self.inner.signature.params.clone()
    }
    #[getter]
    fn timestamp(&self) -> &str {
        &self.inner.timestamp
    }
    #[getter]
    fn nonce(&self) -> i64 {
        self.inner.nonce
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.inner.signature.header(name)
    }
    fn __repr__(&self) -> String {
        format!(
            "LinksfieldV1Signature(timestamp={:?}, nonce={}, signed={:?})",
            self.inner.timestamp, self.inner.nonce, self.inner.signature.signed
        )
    }
}

/// Linksfield version-1 signing over typed parameters (JSON), which the generic signer's
/// request form cannot carry.
#[pyclass(frozen, module = "apisign._native", name = "LinksfieldV1Signer")]
pub(crate) struct PyV1Signer {
    inner: linksfield::Signer,
}

fn v1_nonce(nonce: Option<i64>) -> PyResult<i64> {
    match nonce {
        Some(n) => Ok(n),
        None => clock::random_int_nonce().py_err(),
    }
}

#[pymethods]
impl PyV1Signer {
    #[new]
    fn new(key_id: &str, private_key: &PyPrivateKey) -> PyResult<Self> {
        let key: Arc<linksfield::PrivateKey> = private_key.inner.clone();
        Ok(PyV1Signer {
            inner: linksfield::Signer::new(key_id, key).py_err()?,
        })
    }

    /// Over the request's query (strings) and JSON body fields (typed), plus `extra_json`.
    #[pyo3(signature = (method, url, body=None, *, extra_json=None, timestamp=None, nonce=None))]
    #[allow(clippy::too_many_arguments)]
    fn sign_v1(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        body: Option<Body>,
        extra_json: Option<&str>,
        timestamp: Option<u64>,
        nonce: Option<i64>,
    ) -> PyResult<PyV1Signature> {
        let body = body.unwrap_or(Body::Empty);
        let extra = json_object("extra", extra_json)?;
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let nonce = v1_nonce(nonce)?;
        let request = Request::new(method, url).with_body(body.as_bytes());
        let inner = py
            .detach(|| self.inner.sign_v1_request(&request, &extra, ts, nonce))
            .py_err()?;
        Ok(PyV1Signature { inner })
    }

    /// Over typed parameters given as a JSON object.
    #[pyo3(signature = (params_json, *, timestamp=None, nonce=None))]
    fn sign_v1_params(
        &self,
        py: Python<'_>,
        params_json: &str,
        timestamp: Option<u64>,
        nonce: Option<i64>,
    ) -> PyResult<PyV1Signature> {
        let params = json_object("params", Some(params_json))?;
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let nonce = v1_nonce(nonce)?;
        let inner = py
            .detach(|| self.inner.sign_v1(&params, ts, nonce))
            .py_err()?;
        Ok(PyV1Signature { inner })
    }
}

/// The Linksfield v2 message for a request with these exact `timestamp` and `nonce` strings.
#[pyfunction]
fn linksfield_message_v2(
    method: &str,
    url: &str,
    body: Body,
    timestamp: &str,
    nonce: &str,
) -> PyResult<String> {
    linksfield::message_v2(
        &Request::new(method, url).with_body(body.as_bytes()),
        timestamp,
        nonce,
    )
    .py_err()
}

/// Linksfield verification with the router's typed path parameters (v1 signs them).
#[pyclass(frozen, module = "apisign._native", name = "LinksfieldPathVerifier")]
pub(crate) struct PyPathVerifier {
    inner: linksfield::verify::Verifier,
}

#[pymethods]
impl PyPathVerifier {
    #[new]
    #[pyo3(signature = (credentials, *, nonces=None, max_age_ms=None, max_ahead_ms=None, accept_v1=true))]
    fn new(
        credentials: &PyCredentials,
        nonces: Option<&Bound<'_, PyAny>>,
        max_age_ms: Option<u64>,
        max_ahead_ms: Option<u64>,
        accept_v1: bool,
    ) -> PyResult<Self> {
        let store: Arc<dyn CredentialStore> = credentials.inner.clone();
        let default = SchemeId::Linksfield.spec().window;
        let mut v = linksfield::verify::Verifier::new(store)
            .window(window(max_age_ms, max_ahead_ms, default))
            .py_err()?
            .accept_v1(accept_v1);
        if let Some(n) = nonces {
            v = v.with_nonce_store(nonce_store(n)?);
        }
        Ok(PyPathVerifier { inner: v })
    }

    #[pyo3(signature = (method, url, headers, body=None, *, path_params_json=None, now_ms=None, client_ip=None))]
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
        client_ip: Option<&str>,
    ) -> PyResult<PyVerified> {
        let now = now_ms.unwrap_or_else(clock::now_ms);
        let params = json_object("path_params", path_params_json)?;
        let ip = client_ip.map(|t| parse_ip("client_ip", t)).transpose()?;
        run(py, method, url, headers, body, ip, |r| {
            self.inner.verify_v1(r, &params, now)
        })
    }
}

// --- Token lifetimes --------------------------------------------------------------------------

/// When a token was issued and how long it lives (Unix milliseconds).
#[pyclass(frozen, eq, hash, module = "apisign._native", name = "TokenLifetime")]
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct PyTokenLifetime {
    inner: TokenLifetime,
}

#[pymethods]
impl PyTokenLifetime {
    #[new]
    #[pyo3(signature = (issued_at_ms, lifetime_ms=None))]
    fn new(issued_at_ms: u64, lifetime_ms: Option<u64>) -> Self {
        PyTokenLifetime {
            inner: TokenLifetime {
                issued_at_ms,
                lifetime_ms,
            },
        }
    }

    /// A Lovrabet token signed at `timestamp_ms` (valid 600 000 ms).
    #[staticmethod]
    fn lovrabet(timestamp_ms: u64) -> Self {
        PyTokenLifetime {
            inner: TokenLifetime::lovrabet(timestamp_ms),
        }
    }

    /// A JetLinks access token requested with `expires_secs` (`<= 0`: never expires).
    #[staticmethod]
    fn jetlinks(issued_at_ms: u64, expires_secs: i64) -> Self {
        PyTokenLifetime {
            inner: TokenLifetime::jetlinks(issued_at_ms, expires_secs),
        }
    }

    /// An OAuth2 token whose response carried `expires_in` seconds.
    #[staticmethod]
    fn oauth2(issued_at_ms: u64, expires_in_secs: u64) -> Self {
        PyTokenLifetime {
            inner: TokenLifetime::oauth2(issued_at_ms, expires_in_secs),
        }
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

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyToken>()?;
    m.add_class::<PyTokenGenerator>()?;
    m.add_function(wrap_pyfunction!(lovrabet_string_to_sign, m)?)?;
    m.add("LOVRABET_DEFAULT_SECRET_KEY", lovrabet::DEFAULT_SECRET_KEY)?;
    m.add("LOVRABET_TOKEN_LIFETIME_MS", LOVRABET_TOKEN_LIFETIME_MS)?;
    m.add("LOVRABET_DEFAULT_BUFFER_MS", LOVRABET_DEFAULT_BUFFER_MS)?;
    m.add_class::<PyJetlinksClient>()?;
    m.add_function(wrap_pyfunction!(jetlinks_verify_response, m)?)?;
    m.add_function(wrap_pyfunction!(
        jetlinks_oauth2_client_credentials_body,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(jetlinks_oauth2_refresh_body, m)?)?;
    m.add("JETLINKS_TOKEN_PATH", jetlinks::TOKEN_PATH)?;
    m.add(
        "JETLINKS_ACCESS_TOKEN_HEADER",
        jetlinks::ACCESS_TOKEN_HEADER,
    )?;
    m.add_function(wrap_pyfunction!(piemdm_canonical_request, m)?)?;
    m.add("PIEMDM_GENERATED_NONCE_LEN", piemdm::GENERATED_NONCE_LEN)?;
    m.add(
        "PIEMDM_RECOMMENDED_MIN_NONCE_LEN",
        piemdm::RECOMMENDED_MIN_NONCE_LEN,
    )?;
    m.add_class::<PyV1Signature>()?;
    m.add_class::<PyV1Signer>()?;
    m.add_class::<PyPathVerifier>()?;
    m.add_function(wrap_pyfunction!(linksfield_message_v2, m)?)?;
    m.add_class::<PyTokenLifetime>()?;
    Ok(())
}
