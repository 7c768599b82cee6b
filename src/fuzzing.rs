//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`, off by default). They
//! reach the crate-private parsers; this is not a supported API.

use crate::error::Result;
use crate::query::{gonet, spring};

/// Spring query parsing (GET/DELETE) and the param string built from it. Runs both
/// the stack fast path and the general parser, and panics (a fuzz finding) if they disagree.
pub fn spring_query(query: &str) -> Result<String> {
    let fast = spring::query_param_string(query);
    let general = spring::parse_query(query).map(spring::param_string);
    assert_eq!(
        fast, general,
        "fast and general Spring paths disagree on {query:?}"
    );
    fast
}

/// Spring-style form body parsing (UTF-8) and its param string.
pub fn spring_form(body: &[u8]) -> Result<String> {
    spring::form_param_string(body, crate::query::charset::Charset::Utf8)
}

/// Go `net/url` canonical query.
pub fn go_query(query: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    gonet::canonical_query(query, &mut out)?;
    Ok(out)
}

/// Go `r.URL.Path` decoding.
pub fn go_path(path: &str) -> Result<Vec<u8>> {
    Ok(gonet::decoded_path(path)?.into_owned())
}

// Scheme-specific hooks live in their scheme's folder (e.g. a `fuzz_v1_params` hook).
