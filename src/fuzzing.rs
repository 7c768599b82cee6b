//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`, off by default). They
//! reach the crate-private parsers; this is not a supported API.

use serde_json::Map;

use crate::error::Result;
use crate::query::{gonet, spring};
use crate::request::Request;

/// Spring query parsing (jetlinks GET/DELETE) and the param string built from it. Runs both
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

/// Spring-style form body parsing (jetlinks forms, UTF-8) and its param string.
pub fn spring_form(body: &[u8]) -> Result<String> {
    spring::form_param_string(body, crate::query::charset::Charset::Utf8)
}

/// Go `net/url` canonical query (piemdm).
pub fn go_query(query: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    gonet::canonical_query(query, &mut out)?;
    Ok(out)
}

/// Go `r.URL.Path` decoding (piemdm).
pub fn go_path(path: &str) -> Result<Vec<u8>> {
    Ok(gonet::decoded_path(path)?.into_owned())
}

/// Linksfield v1 parameters (query strings and JSON body fields) of a request.
pub fn linksfield_v1_params(request: &Request<'_>) -> Result<String> {
    let params = crate::schemes::linksfield::v1_params(request, &Map::new())?;
    Ok(serde_json::Value::Object(params).to_string())
}
