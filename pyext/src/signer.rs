//! The one signer of every scheme: `Signer(scheme, **params)` and the one-shot
//! `sign(scheme, method, url, body, <params>)`, both over `apisign::scheme::Signer`.

use std::time::Instant;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::args::{maybe_detach, scheme, Body, Params};
use super::errors::IntoPyResult;
use super::signature::PySignature;
use apisign::scheme::{ParamKind, Signer, WireTime};
use apisign::{clock, Request, SchemeId, SignOptions};

/// Bodies at least this long are digested with the GIL released: below it, releasing and
/// re-taking the GIL costs more than the hashing it would let run in parallel.
pub(crate) const DETACH_BODY_LEN: usize = 4 * 1024;

/// The signing time in ms: `timestamp` is in the scheme's wire unit (seconds where the
/// platform sends seconds), `timestamp_ms` in milliseconds; neither means now.
fn timestamp_ms(id: SchemeId, timestamp: Option<u64>, timestamp_ms: Option<u64>) -> PyResult<u64> {
    match (timestamp, timestamp_ms) {
        (Some(_), Some(_)) => Err(PyTypeError::new_err(
            "give timestamp or timestamp_ms, not both",
        )),
        (None, Some(ms)) => Ok(ms),
        (Some(t), None) => match id.spec().wire_time {
            WireTime::Millis => Ok(t),
            WireTime::Seconds => t.checked_mul(1000).ok_or_else(|| {
                pyo3::exceptions::PyOverflowError::new_err("timestamp is too large")
            }),
        },
        (None, None) => Ok(clock::now_ms()),
    }
}

/// What one signing call takes besides the signer, borrowed from the Python arguments.
struct Call<'a> {
    method: &'a str,
    url: &'a str,
    body: Option<Body>,
    content_type: Option<&'a str>,
    timestamp: Option<u64>,
    timestamp_ms: Option<u64>,
    nonce: Option<&'a str>,
}

impl Call<'_> {
    /// Sign with `signer`, the GIL released for RSA or a body worth hashing in parallel.
    fn sign(self, py: Python<'_>, signer: &Signer, rsa: bool) -> PyResult<Py<PyAny>> {
        let id = signer.scheme().id;
        let ts = timestamp_ms(id, self.timestamp, self.timestamp_ms)?;
        let body = self.body.as_ref().map_or(&b""[..], Body::as_bytes);
        let detach = rsa || body.len() >= DETACH_BODY_LEN;
        let mut request = Request::new(self.method, self.url).with_body(body);
        request.content_type = self.content_type;
        let options = SignOptions {
            timestamp: Some(ts),
            nonce: self.nonce,
            headers_only: false,
        };
        let inner = maybe_detach(py, detach, || signer.sign(&request, &options)).py_err()?;
        super::platforms::signature(py, PySignature::new(inner, id, ts))
    }
}

/// Whether a scheme's signing parameters hold an RSA key (signing is then slow enough to
/// release the GIL).
fn uses_rsa(id: SchemeId) -> bool {
    id.spec()
        .sign_params
        .iter()
        .any(|p| p.kind == ParamKind::PrivateKey)
}

/// A signer for one scheme (`Signer("<scheme>", <id>=..., <secret>=...)`); the
/// parameters are the scheme's (`apisign.schemes()` lists them). `repr` shows no secret.
#[pyclass(frozen, subclass, module = "apisign._native", name = "Signer")]
pub(crate) struct PySigner {
    inner: Signer,
    /// The non-secret parameters as given, for `repr` and `params`.
    shown: Vec<(&'static str, String)>,
    /// Whether signing is RSA (decided once here, not on every `sign`).
    rsa: bool,
}

#[pymethods]
impl PySigner {
    #[new]
    #[pyo3(signature = (scheme, **params))]
    fn new(py: Python<'_>, scheme: &str, params: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let id = self::scheme(scheme)?;
        let spec = id.spec();
        let given = Params::new(spec.sign_params, &[], params)?;
        let list = given.params();
        let inner = maybe_detach(py, given.has_key, || Signer::new(id, &list)).py_err()?;
        let shown = spec
            .sign_params
            .iter()
            .filter(|p| !p.kind.is_secret() && !matches!(p.kind, ParamKind::PublicKey))
            .filter_map(|p| {
                let given = list
                    .iter()
                    .find(|g| g.name == p.name)
                    .and_then(|g| match g.value {
                        apisign::scheme::ParamValue::Bytes(b) => std::str::from_utf8(b).ok(),
                        _ => None,
                    });
                given.or(p.default).map(|v| (p.name, v.to_owned()))
            })
            .collect();
        Ok(PySigner {
            inner,
            shown,
            rsa: uses_rsa(id),
        })
    }

    /// Sign a request. `timestamp` is in the scheme's wire unit (seconds for a scheme that
    /// sends seconds), `timestamp_ms` in ms; default now. `nonce` defaults to a random one;
    /// `body=None` means empty. A scheme that signs no request data ignores the request.
    #[pyo3(signature = (method, url, body=None, *, content_type=None, timestamp=None, timestamp_ms=None, nonce=None))]
    #[allow(clippy::too_many_arguments)]
    fn sign(
        &self,
        py: Python<'_>,
        method: &str,
        url: &str,
        body: Option<Body>,
        content_type: Option<&str>,
        timestamp: Option<u64>,
        timestamp_ms: Option<u64>,
        nonce: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let call = Call {
            method,
            url,
            body,
            content_type,
            timestamp,
            timestamp_ms,
            nonce,
        };
        call.sign(py, &self.inner, self.rsa)
    }

    /// Check a response signed by the platform's server (`headers`: a mapping or pairs, as
    /// received): raises `SignatureInvalidError` when it does not match `body`, and
    /// `InvalidInputError` for a scheme whose server does not sign responses.
    fn check_response(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: Body,
    ) -> PyResult<()> {
        let pairs = crate::verifier::header_pairs(headers)?;
        py.detach(|| {
            let view: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            self.inner.verify_response(&view, body.as_bytes())
        })
        .py_err()
    }

    /// The scheme's name.
    #[getter]
    fn scheme(&self) -> &'static str {
        self.inner.scheme().name
    }

    /// Whether the scheme's platform signs its responses (`check_response` applies).
    #[getter]
    fn signs_responses(&self) -> bool {
        self.inner.scheme().signs_responses
    }

    /// The non-secret parameters (ids, algorithm, version), defaults included.
    #[getter]
    fn params(&self) -> Vec<(&'static str, String)> {
        self.shown.clone()
    }

    fn __repr__(&self) -> String {
        let mut parts = vec![format!("{:?}", self.inner.scheme().name)];
        parts.extend(self.shown.iter().map(|(n, v)| format!("{n}={v:?}")));
        parts.extend(
            self.inner
                .scheme()
                .sign_params
                .iter()
                .filter(|p| p.kind.is_secret())
                .map(|p| format!("{}=<redacted>", p.name)),
        );
        format!("Signer({})", parts.join(", "))
    }
}

/// The signing parameters of every scheme (the union of the registry's `sign_params`, which
/// a test checks), in the order of `sign`'s keyword arguments: PyO3 binds them by name with
/// vectorcall, so a one-shot call builds no dict (a `**kwargs` catch-all would make PyO3 fall
/// back to the tuple-and-dict convention, about 0.5 µs per call).
pub(crate) const SIGN_PARAMS: [&str; 12] = [
    "app_code",
    "dataset_code",
    "access_key",
    "secret_key",
    "client_id",
    "secure_key",
    "algorithm",
    "app_id",
    "app_secret",
    "key_id",
    "private_key",
    "version",
];

/// One-shot: a signer for `scheme` with its parameters, then one signature (see
/// `Signer.sign`). A name of another scheme is refused by the core, listing the scheme's own.
#[pyfunction]
#[pyo3(signature = (scheme, method, url, body=None, *, content_type=None, timestamp=None, timestamp_ms=None, nonce=None, app_code=None, dataset_code=None, access_key=None, secret_key=None, client_id=None, secure_key=None, algorithm=None, app_id=None, app_secret=None, key_id=None, private_key=None, version=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign(
    py: Python<'_>,
    scheme: &str,
    method: &str,
    url: &str,
    body: Option<Body>,
    content_type: Option<&str>,
    timestamp: Option<u64>,
    timestamp_ms: Option<u64>,
    nonce: Option<&str>,
    app_code: Option<&Bound<'_, PyAny>>,
    dataset_code: Option<&Bound<'_, PyAny>>,
    access_key: Option<&Bound<'_, PyAny>>,
    secret_key: Option<&Bound<'_, PyAny>>,
    client_id: Option<&Bound<'_, PyAny>>,
    secure_key: Option<&Bound<'_, PyAny>>,
    algorithm: Option<&Bound<'_, PyAny>>,
    app_id: Option<&Bound<'_, PyAny>>,
    app_secret: Option<&Bound<'_, PyAny>>,
    key_id: Option<&Bound<'_, PyAny>>,
    private_key: Option<&Bound<'_, PyAny>>,
    version: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let id = self::scheme(scheme)?;
    let values = [
        app_code,
        dataset_code,
        access_key,
        secret_key,
        client_id,
        secure_key,
        algorithm,
        app_id,
        app_secret,
        key_id,
        private_key,
        version,
    ];
    let named: [(&'static str, Option<&Bound<'_, PyAny>>); 12] =
        std::array::from_fn(|i| (SIGN_PARAMS[i], values[i]));
    let given = Params::new(id.spec().sign_params, &named, None)?;
    let rsa = given.has_key || uses_rsa(id);
    let signer = {
        let list = given.params();
        maybe_detach(py, rsa, || Signer::new(id, &list)).py_err()?
    };
    let call = Call {
        method,
        url,
        body,
        content_type,
        timestamp,
        timestamp_ms,
        nonce,
    };
    call.sign(py, &signer, rsa)
}

/// The Rust core's own cost, for the benchmark's reference column: ns per call of `n` calls
/// of `Signer::new` + `sign` (or `sign` alone with `reuse`) on these inputs, in-process.
#[pyfunction]
#[pyo3(signature = (scheme, method, url, body, timestamp_ms, nonce, n, reuse=false, **params))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn _bench_core(
    scheme: &str,
    method: &str,
    url: &str,
    body: Body,
    timestamp_ms: u64,
    nonce: Option<&str>,
    n: u32,
    reuse: bool,
    params: Option<&Bound<'_, PyDict>>,
) -> PyResult<f64> {
    let id = self::scheme(scheme)?;
    let given = Params::new(id.spec().sign_params, &[], params)?;
    let list = given.params();
    let request = Request::new(method, url).with_body(body.as_bytes());
    let options = SignOptions {
        timestamp: Some(timestamp_ms),
        nonce,
        headers_only: false,
    };
    let reused = Signer::new(id, &list).py_err()?;
    let start = Instant::now();
    for _ in 0..n {
        let sig = if reuse {
            reused.sign(&request, &options)
        } else {
            Signer::new(id, &list).and_then(|s| s.sign(&request, &options))
        };
        std::hint::black_box(sig.py_err()?);
    }
    Ok(start.elapsed().as_nanos() as f64 / f64::from(n.max(1)))
}
