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

/// Every charset name and alias a form body may declare (Java's, OpenJDK 17), for the Spring
/// parity corpus (`examples/spring_parity.rs`).
pub fn charset_names() -> impl Iterator<Item = &'static str> {
    crate::query::charset::Charset::all_names()
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

/// Every encoder against its reference on `data`: hex and base64 against the `hex` and
/// `base64` crates (whole input, nothing cut), the URL scan against a byte-at-a-time scan.
/// Panics on a difference (the fuzz target's finding).
pub fn check_encoders(data: &[u8]) {
    use base64::Engine;
    let hex = crate::encode::hex_lower(data);
    assert_eq!(hex.as_str(), ::hex::encode(data), "hex of {data:?}");
    let b64 = crate::encode::base64_std(data);
    let want = base64::engine::general_purpose::STANDARD.encode(data);
    assert_eq!(b64.as_str(), want, "base64 of {data:?}");
    let (got, want) = (
        crate::encode::url::scan_url(data),
        crate::encode::url::naive_scan(data),
    );
    if want.bad.is_some() {
        // The scan may stop at the first bad byte; only that byte is specified.
        assert_eq!(got.bad, want.bad, "scan of {data:?}");
    } else {
        assert_eq!(got, want, "scan of {data:?}");
    }
}
