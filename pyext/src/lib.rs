//! The Python extension module `apisign._native` (crate `apisign-python`, built by maturin).
//!
//! Thin wrappers over the core's scheme model: one `Signer`, one `sign`, one `Verifier` and
//! one `Credentials` for every scheme (named by a string), plus the few functions only one
//! platform has (`platforms`). The package in `python/apisign/` gives each scheme its
//! documented keyword arguments. The GIL is released for RSA and large bodies.

mod args;
mod errors;
mod header_dict;
mod keys;
mod nonce_store;
mod platforms;
mod signature;
mod signer;
mod verifier;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use apisign::scheme::{ParamKind, ParamSpec, WireTime, SCHEMES};

fn kind_name(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Text => "text",
        ParamKind::Secret => "secret",
        ParamKind::Choice(_) => "choice",
        ParamKind::Flag => "flag",
        ParamKind::Number => "number",
        ParamKind::PrivateKey => "private_key",
        ParamKind::PublicKey => "public_key",
    }
}

fn param_dicts<'py>(py: Python<'py>, list: &[ParamSpec]) -> PyResult<Vec<Bound<'py, PyDict>>> {
    list.iter()
        .map(|p| {
            let d = PyDict::new(py);
            d.set_item("name", p.name)?;
            d.set_item("kind", kind_name(p.kind))?;
            if let ParamKind::Choice(options) = p.kind {
                d.set_item("choices", options.to_vec())?;
            }
            d.set_item("default", p.default)?;
            d.set_item("required", p.required)?;
            d.set_item("repeated", p.repeated)?;
            d.set_item("doc", p.doc)?;
            Ok(d)
        })
        .collect()
}

/// Every scheme, from the core's registry: name, title, headers, parameters, settings,
/// default window (ms) and the timestamp unit on the wire.
#[pyfunction]
fn schemes(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
    SCHEMES
        .iter()
        .map(|s| {
            let d = PyDict::new(py);
            d.set_item("name", s.name)?;
            d.set_item("title", s.title)?;
            d.set_item("headers", s.headers.to_vec())?;
            d.set_item("sign_params", param_dicts(py, s.sign_params)?)?;
            d.set_item("credential_params", param_dicts(py, s.credential_params)?)?;
            d.set_item("verify_settings", param_dicts(py, s.verify_settings)?)?;
            d.set_item("window_ms", (s.window.max_age, s.window.max_ahead))?;
            let unit = match s.wire_time {
                WireTime::Millis => "ms",
                WireTime::Seconds => "s",
            };
            d.set_item("wire_time", unit)?;
            Ok(d)
        })
        .collect()
}

/// Milliseconds since the Unix epoch.
#[pyfunction]
fn now_ms() -> u64 {
    apisign::clock::now_ms()
}

/// Seconds since the Unix epoch.
#[pyfunction]
fn now_secs() -> u64 {
    apisign::clock::now_secs()
}

/// 32 lowercase hex characters from the OS CSPRNG.
#[pyfunction]
fn random_nonce() -> PyResult<String> {
    use errors::IntoPyResult;
    apisign::clock::random_nonce().py_err()
}

#[pymodule]
#[pyo3(name = "_native")]
fn native_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DETACH_BODY_LEN", signer::DETACH_BODY_LEN)?;
    m.add("MAX_URL_LEN", apisign::limits::MAX_URL_LEN)?;
    m.add("MAX_PARAMS", apisign::limits::MAX_PARAMS)?;
    m.add("MAX_PARSED_BODY", apisign::limits::MAX_PARSED_BODY)?;
    m.add("MAX_JSON_DEPTH", apisign::limits::MAX_JSON_DEPTH)?;
    errors::register(m)?;
    keys::register(m)?;
    m.add_class::<signature::PySignature>()?;
    m.add_class::<signer::PySigner>()?;
    m.add_function(wrap_pyfunction!(signer::sign, m)?)?;
    m.add_function(wrap_pyfunction!(signer::_bench_core, m)?)?;
    m.add_class::<verifier::PyCredentials>()?;
    m.add_class::<nonce_store::PyNonceStore>()?;
    m.add_class::<verifier::PyVerified>()?;
    m.add_class::<verifier::PyVerifier>()?;
    m.add_function(wrap_pyfunction!(verifier::client_ip, m)?)?;
    m.add_function(wrap_pyfunction!(verifier::pick_verifier, m)?)?;
    m.add_function(wrap_pyfunction!(schemes, m)?)?;
    m.add_function(wrap_pyfunction!(now_ms, m)?)?;
    m.add_function(wrap_pyfunction!(now_secs, m)?)?;
    m.add_function(wrap_pyfunction!(random_nonce, m)?)?;
    platforms::register(m)?;
    Ok(())
}
