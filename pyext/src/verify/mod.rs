//! Server-side verification: credentials, the in-memory nonce store and one verifier per
//! scheme. A rejection raises the `apisign.errors` class of its kind, carrying the platform's
//! own code (`platform_code`). Verification (digests, RSA) runs with the GIL released.

mod incoming;
mod stores;
mod verifiers;

use pyo3::prelude::*;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<stores::PyCredentials>()?;
    m.add_class::<stores::PyNonceStore>()?;
    m.add_class::<incoming::PyVerified>()?;
    m.add_class::<verifiers::PyLovrabetVerifier>()?;
    m.add_class::<verifiers::PyJetlinksVerifier>()?;
    m.add_class::<verifiers::PyPiemdmVerifier>()?;
    m.add_class::<verifiers::PyLinksfieldVerifier>()?;
    m.add_function(wrap_pyfunction!(verifiers::jetlinks_verify_response, m)?)?;
    Ok(())
}
