//! The Python extension module `apisign._native` (crate `apisign-python`, built by maturin).
//!
//! Thin wrappers only: every byte is computed by the Rust core. The Python package in
//! `python/apisign/` re-exports these under per-scheme modules and adds the HTTP adapters.
//! The GIL is released for RSA and for bodies larger than [`DETACH_BODY_LEN`].

mod args;
mod errors;
mod fastcall;
mod header_dict;
mod jetlinks;
mod lifetime;
mod linksfield;
mod lovrabet;
mod piemdm;
mod signature;
mod verify;

use pyo3::prelude::*;

/// Bodies at least this long are digested with the GIL released: below it, releasing and
/// re-taking the GIL costs more than the hashing it would let run in parallel.
pub(crate) const DETACH_BODY_LEN: usize = 4 * 1024;

#[pymodule]
#[pyo3(name = "_native")]
fn native_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DETACH_BODY_LEN", DETACH_BODY_LEN)?;
    m.add("MAX_URL_LEN", apisign::limits::MAX_URL_LEN)?;
    m.add("MAX_PARAMS", apisign::limits::MAX_PARAMS)?;
    m.add("MAX_PARSED_BODY", apisign::limits::MAX_PARSED_BODY)?;
    m.add("MAX_JSON_DEPTH", apisign::limits::MAX_JSON_DEPTH)?;
    errors::register(m)?;
    signature::register(m)?;
    lifetime::register(m)?;
    lovrabet::register(m)?;
    jetlinks::register(m)?;
    piemdm::register(m)?;
    linksfield::register(m)?;
    verify::register(m)?;
    Ok(())
}
