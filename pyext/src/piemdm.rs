//! PieMDM: request signing and the canonical request.

use std::ffi::CStr;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use super::args::{body_ref, maybe_detach, nonce_or_random, secret_ref, Body, SecretArg};
use super::errors::IntoPyResult;
use super::fastcall::{self, required, vectorcall, Params};
use super::header_dict;
use super::signature::PySignature;
use apisign::clock;
use apisign::piemdm;
use apisign::request::Request;
use apisign::secret::Secret;

/// A PieMDM app: app id and secret (keyed HMAC computed once).
#[pyclass(frozen, module = "apisign._native", name = "PiemdmSigner")]
pub(crate) struct PySigner {
    inner: piemdm::Signer,
    /// `app_id` as a Python string, shared by every signature's headers.
    app_id: Py<PyString>,
}

impl PySigner {
    fn build(py: Python<'_>, app_id: &str, app_secret: Secret) -> PyResult<Self> {
        Ok(PySigner {
            inner: piemdm::Signer::new(app_id, app_secret).py_err()?,
            app_id: PyString::new(py, app_id).unbind(),
        })
    }

    /// The vectorcall entry points' shared tail. A `str` nonce given by the caller becomes the
    /// `X-Nonce` value as is.
    fn sign_args(
        &self,
        py: Python<'_>,
        [method, url, body, timestamp, nonce]: [Option<Borrowed<'_, '_, PyAny>>; 5],
    ) -> PyResult<Py<PyAny>> {
        let method = fastcall::text(required(method, "method")?, "method")?;
        let url = fastcall::text(required(url, "url")?, "url")?;
        let body = body_ref(body)?;
        let timestamp = fastcall::opt_u64(timestamp, "timestamp")?;
        let nonce_obj = nonce.filter(|n| !n.is_none());
        let nonce_text = fastcall::opt_text(nonce_obj, "nonce")?;
        let mut sig = self.sign_inner(
            py,
            &method,
            &url,
            body.as_bytes(),
            timestamp,
            nonce_text.as_deref(),
        )?;
        if let Some(n) = nonce_obj {
            if n.is_exact_instance_of::<PyString>() {
                sig.values[2] = Some(n.to_owned().cast_into::<PyString>()?.unbind());
            }
        }
        Ok(Py::new(py, sig)?.into_any())
    }

    fn sign_inner(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        body: &[u8],
        timestamp: Option<u64>,
        nonce: Option<&str>,
    ) -> PyResult<PySignature> {
        let ts = timestamp.unwrap_or_else(clock::now_secs);
        let nonce = nonce_or_random(nonce)?;
        let request = Request::new(method, url).with_body(body);
        let inner =
            maybe_detach(py, body.len(), || self.inner.sign(&request, ts, &nonce)).py_err()?;
        let mut sig = PySignature::new(inner, Some(&header_dict::PIEMDM));
        sig.values[0] = Some(self.app_id.clone_ref(py));
        Ok(sig)
    }
}

static SIGNER_SIGN: Params = Params::new(
    "sign",
    &["method", "url", "body", "timestamp", "nonce"],
    3,
    2,
);

vectorcall! {
    /// `PiemdmSigner.sign(method, url, body=b"", *, timestamp=None, nonce=None)`.
    fn signer_sign(py, slf, SIGNER_SIGN, [method, url, body, timestamp, nonce]) {
        let signer = slf.cast::<PySigner>()?;
        signer.get().sign_args(py, [method, url, body, timestamp, nonce])
    }
}

const SIGNER_SIGN_DOC: &CStr = c"sign($self, method, url, body=b'', *, timestamp=None, nonce=None)\n--\n\nSign a request; `timestamp` is Unix seconds (default now), `nonce` defaults to 32 random hex characters. `body=None` also means empty.";

static SIGN: Params = Params::new(
    "piemdm_sign",
    &[
        "method",
        "url",
        "body",
        "app_id",
        "app_secret",
        "timestamp",
        "nonce",
    ],
    3,
    2,
);

vectorcall! {
    /// One-shot: `apisign.piemdm.sign(method, url, body=b"", *, app_id, app_secret,
    /// timestamp=None, nonce=None)`.
    fn piemdm_sign(py, _module, SIGN, [method, url, body, app_id, app_secret, timestamp, nonce]) {
        let app_id = fastcall::text(required(app_id, "app_id")?, "app_id")?;
        let app_secret = secret_ref(required(app_secret, "app_secret")?)?;
        let signer = PySigner::build(py, &app_id, Secret::new(app_secret.expose()))?;
        signer.sign_args(py, [method, url, body, timestamp, nonce])
    }
}

const SIGN_DOC: &CStr = c"piemdm_sign(method, url, body=b'', *, app_id, app_secret, timestamp=None, nonce=None)\n--\n\nOne-shot: sign a request with an app id and secret. `body=None` also means empty.";

#[pymethods]
impl PySigner {
    #[new]
    fn new(py: Python<'_>, app_id: &str, app_secret: SecretArg) -> PyResult<Self> {
        PySigner::build(py, app_id, app_secret.0)
    }

    #[getter]
    fn app_id(&self) -> &str {
        self.inner.app_id()
    }

    fn __repr__(&self) -> String {
        format!(
            "PiemdmSigner(app_id={:?}, app_secret=<redacted>)",
            self.inner.app_id()
        )
    }
}

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
    let bytes = body.as_bytes();
    let request = Request::new(method, url).with_body(bytes);
    let canonical = maybe_detach(py, bytes.len(), || {
        piemdm::canonical_request(&request, timestamp, nonce)
    })
    .py_err()?;
    Ok(PyBytes::new(py, &canonical))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySigner>()?;
    fastcall::add_function(m, c"piemdm_sign", piemdm_sign, SIGN_DOC)?;
    fastcall::set_method::<PySigner>(m, c"sign", signer_sign, SIGNER_SIGN_DOC)?;
    m.add_function(wrap_pyfunction!(piemdm_canonical_request, m)?)?;
    m.add("PIEMDM_GENERATED_NONCE_LEN", piemdm::GENERATED_NONCE_LEN)?;
    m.add(
        "PIEMDM_RECOMMENDED_MIN_NONCE_LEN",
        piemdm::RECOMMENDED_MIN_NONCE_LEN,
    )?;
    Ok(())
}
