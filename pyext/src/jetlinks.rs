//! JetLinks: request signing, response sign/verify, the token request and OAuth2 bodies.

use std::ffi::CStr;

use pyo3::prelude::*;
use pyo3::types::PyString;

use super::args::{body_ref, maybe_detach, secret_ref, Body, SecretArg};
use super::errors::IntoPyResult;
use super::fastcall::{self, required, vectorcall, Params};
use super::header_dict;
use super::signature::PySignature;
use apisign::clock;
use apisign::jetlinks::{self, Algorithm};
use apisign::request::Request;
use apisign::secret::Secret;

/// A JetLinks client: client id, secure key and digest algorithm (`"md5"` or `"sha256"`).
#[pyclass(frozen, module = "apisign._native", name = "JetlinksSigner")]
pub(crate) struct PySigner {
    pub(crate) inner: jetlinks::Signer,
    /// `client_id` as a Python string, shared by every signature's headers.
    client_id: Py<PyString>,
}

impl PySigner {
    fn build(
        py: Python<'_>,
        client_id: &str,
        secure_key: Secret,
        algorithm: &str,
    ) -> PyResult<Self> {
        let algorithm: Algorithm = algorithm.parse().py_err()?;
        Ok(PySigner {
            inner: jetlinks::Signer::new(client_id, secure_key, algorithm).py_err()?,
            client_id: PyString::new(py, client_id).unbind(),
        })
    }

    fn sign_inner(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        body: &[u8],
        content_type: Option<&str>,
        timestamp: Option<u64>,
    ) -> PyResult<PySignature> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let request = Request {
            method,
            url,
            body,
            content_type,
            headers: &[],
        };
        let inner = maybe_detach(py, body.len(), || self.inner.sign(&request, ts)).py_err()?;
        let mut sig = PySignature::new(inner, Some(&header_dict::JETLINKS));
        sig.values[0] = Some(self.client_id.clone_ref(py));
        Ok(sig)
    }

    /// The vectorcall entry points' shared tail: arguments after `self`'s.
    fn sign_args(
        &self,
        py: Python<'_>,
        [method, url, body, content_type, timestamp]: [Option<Borrowed<'_, '_, PyAny>>; 5],
    ) -> PyResult<Py<PyAny>> {
        let method = fastcall::text(required(method, "method")?, "method")?;
        let url = fastcall::text(required(url, "url")?, "url")?;
        let body = body_ref(body)?;
        let content_type = fastcall::opt_text(content_type, "content_type")?;
        let timestamp = fastcall::opt_u64(timestamp, "timestamp")?;
        let sig = self.sign_inner(
            py,
            &method,
            &url,
            body.as_bytes(),
            content_type.as_deref(),
            timestamp,
        )?;
        Ok(Py::new(py, sig)?.into_any())
    }
}

static SIGNER_SIGN: Params = Params::new(
    "sign",
    &["method", "url", "body", "content_type", "timestamp"],
    3,
    2,
);

vectorcall! {
    /// `JetlinksSigner.sign(method, url, body=b"", *, content_type=None, timestamp=None)`.
    fn signer_sign(py, slf, SIGNER_SIGN, [method, url, body, content_type, timestamp]) {
        let signer = slf.cast::<PySigner>()?;
        signer.get().sign_args(py, [method, url, body, content_type, timestamp])
    }
}

const SIGNER_SIGN_DOC: &CStr = c"sign($self, method, url, body=b'', *, content_type=None, timestamp=None)\n--\n\nSign a request; `url` is the path with its raw query (or an absolute URL). `body=None` also means empty.";

static SIGN: Params = Params::new(
    "jetlinks_sign",
    &[
        "method",
        "url",
        "body",
        "client_id",
        "secure_key",
        "algorithm",
        "content_type",
        "timestamp",
    ],
    3,
    2,
);

vectorcall! {
    /// One-shot: `apisign.jetlinks.sign(method, url, body=b"", *, client_id, secure_key,
    /// algorithm="md5", content_type=None, timestamp=None)`.
    fn jetlinks_sign(py, _module, SIGN, [method, url, body, client_id, secure_key, algorithm, content_type, timestamp]) {
        let client_id = fastcall::text(required(client_id, "client_id")?, "client_id")?;
        let secure_key = secret_ref(required(secure_key, "secure_key")?)?;
        let algorithm = fastcall::opt_text(algorithm, "algorithm")?;
        let signer = PySigner::build(
            py,
            &client_id,
            Secret::new(secure_key.expose()),
            algorithm.as_deref().unwrap_or("md5"),
        )?;
        signer.sign_args(py, [method, url, body, content_type, timestamp])
    }
}

const SIGN_DOC: &CStr = c"jetlinks_sign(method, url, body=b'', *, client_id, secure_key, algorithm='md5', content_type=None, timestamp=None)\n--\n\nOne-shot: sign a request with a client id and secure key. `body=None` also means empty.";

#[pymethods]
impl PySigner {
    #[new]
    #[pyo3(signature = (client_id, secure_key, algorithm="md5"))]
    fn new(
        py: Python<'_>,
        client_id: &str,
        secure_key: SecretArg,
        algorithm: &str,
    ) -> PyResult<Self> {
        PySigner::build(py, client_id, secure_key.0, algorithm)
    }

    /// The `X-Sign` a server puts on a response with this body and `X-Timestamp`.
    fn sign_response(&self, py: Python<'_>, body: Body, timestamp: &str) -> String {
        let bytes = body.as_bytes();
        maybe_detach(py, bytes.len(), || {
            self.inner.sign_response(bytes, timestamp)
        })
    }

    /// Whether a response's `X-Sign` matches its body and `X-Timestamp` (constant time, hex
    /// case ignored).
    fn verify_response(&self, py: Python<'_>, body: Body, timestamp: &str, sign: &str) -> bool {
        let bytes = body.as_bytes();
        maybe_detach(py, bytes.len(), || {
            self.inner.verify_response(bytes, timestamp, sign)
        })
    }

    /// The signed `POST /api/v1/token` request: `(body, signature)`; `expires <= 0` asks for a
    /// token that never expires.
    #[pyo3(signature = (expires, timestamp=None))]
    fn token_request(
        &self,
        expires: i64,
        timestamp: Option<u64>,
    ) -> PyResult<(String, PySignature)> {
        let ts = timestamp.unwrap_or_else(clock::now_ms);
        let (body, inner) = self.inner.token_request(expires, ts).py_err()?;
        Ok((body, PySignature::new(inner, Some(&header_dict::JETLINKS))))
    }

    #[getter]
    fn client_id(&self) -> &str {
        self.inner.client_id()
    }

    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "JetlinksSigner(client_id={:?}, algorithm={:?}, secure_key=<redacted>)",
            self.inner.client_id(),
            self.inner.algorithm().as_str()
        )
    }
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

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySigner>()?;
    fastcall::add_function(m, c"jetlinks_sign", jetlinks_sign, SIGN_DOC)?;
    fastcall::set_method::<PySigner>(m, c"sign", signer_sign, SIGNER_SIGN_DOC)?;
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
    Ok(())
}
