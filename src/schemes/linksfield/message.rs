//! The JSON message this scheme signs: keys sorted (recursively), compact, non-ASCII raw.

use serde_json::{Map, Value};

use super::java_json::write_object;
use crate::error::{Error, ErrorKind, Result};
use crate::limits::{check_size, MAX_JSON_DEPTH, MAX_PARAMS, MAX_PARSED_BODY};
use crate::query::percent::{decode_text, Plus};
use crate::request::Request;

/// Query parameters as strings: decoded (`+` is a space), a repeated key's values joined with
/// `,` in arrival order; a bare key has the value `""`.
pub(crate) fn query_params(raw: &str, into: &mut Map<String, Value>) -> Result<()> {
    let mut count = 0usize;
    for segment in raw.split('&').filter(|s| !s.is_empty()) {
        count += 1;
        if count > MAX_PARAMS {
            return Err(Error::new(
                ErrorKind::InputTooLarge,
                format!("more than {MAX_PARAMS} query parameters"),
            )
            .with_field("url"));
        }
        let (k, v) = segment.split_once('=').unwrap_or((segment, ""));
        let bad = || {
            Error::new(
                ErrorKind::InvalidEscape,
                "query has a '%' not followed by two hex digits; write a literal '%' as %25",
            )
            .with_field("url")
        };
        let k = decode_text(k, Plus::Space).map_err(|_| bad())?.into_owned();
        let v = decode_text(v, Plus::Space).map_err(|_| bad())?;
        match into.get_mut(&k) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(&v);
            }
            _ => {
                into.insert(k, Value::String(v.into_owned()));
            }
        }
    }
    Ok(())
}

/// Top-level fields of a JSON object body, types kept. An empty (or all-whitespace) body has
/// no fields.
pub(crate) fn body_fields(body: &[u8], into: &mut Map<String, Value>) -> Result<()> {
    check_size("body", "JSON body", body.len(), MAX_PARSED_BODY)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    let depth = nesting_depth(body);
    if depth > MAX_JSON_DEPTH {
        return Err(Error::new(
            ErrorKind::InputTooLarge,
            format!("JSON body nests {depth} levels deep; at most {MAX_JSON_DEPTH} are signed"),
        )
        .with_field("body"));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        Error::new(
            ErrorKind::InvalidJson,
            format!("body is not valid JSON ({e}); this scheme signs JSON object bodies"),
        )
        .with_field("body")
    })?;
    match value {
        Value::Object(fields) => {
            into.extend(fields);
            Ok(())
        }
        other => Err(Error::new(
            ErrorKind::InvalidJson,
            format!(
                "body is a JSON {}, but this scheme signs the fields of a JSON object",
                type_name(&other)
            ),
        )
        .with_field("body")),
    }
}

/// The deepest `[`/`{` nesting in `json`, brackets inside strings not counted: checked before
/// parsing, so a hostile body is refused with the documented limit (and a clear message)
/// rather than serde_json's recursion error at 128.
fn nesting_depth(json: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &b in json {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Drop top-level `null` and `""` values, then write the JSON as the platform's Java side does
/// (see [`super::java_json`]: keys in UTF-16 order at every level, Jackson's escapes and
/// number forms).
pub(crate) fn finish(mut params: Map<String, Value>) -> Result<String> {
    params.retain(|_, v| !matches!(v, Value::Null) && v.as_str() != Some(""));
    let mut out = String::new();
    write_object(&params, &mut out);
    Ok(out)
}

/// The v2 message: query params (strings) and JSON body fields (typed), then `timestamp`,
/// `nonce` (strings) and `x-sign-uri` (raw path without query). Later sources override earlier
/// ones, as the server's map merge does.
///
/// See the example on [`PrivateKey`](crate::PrivateKey).
pub fn message_v2(request: &Request<'_>, timestamp: &str, nonce: &str) -> Result<String> {
    request.check_method()?;
    let target = request.target()?;
    let mut params = Map::new();
    query_params(target.query, &mut params)?;
    body_fields(request.body, &mut params)?;
    params.insert("timestamp".into(), Value::String(timestamp.into()));
    params.insert("nonce".into(), Value::String(nonce.into()));
    params.insert("x-sign-uri".into(), Value::String(target.path.into()));
    finish(params)
}

/// The v1 message from typed parameters (query, body and path parameters by name), with
/// `timestamp` as a string and `nonce` as an integer.
///
/// See the example on [`PrivateKey`](crate::PrivateKey).
pub fn message_v1(params: &Map<String, Value>, timestamp: &str, nonce: i64) -> Result<String> {
    let mut all = params.clone();
    all.insert("timestamp".into(), Value::String(timestamp.into()));
    all.insert("nonce".into(), Value::from(nonce));
    finish(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v2(method: &str, url: &str, body: &str) -> Result<String> {
        message_v2(
            &Request::new(method, url).with_body(body.as_bytes()),
            "1",
            "n",
        )
    }

    #[test]
    fn bodies_nested_past_the_limit_are_refused_with_the_limit() {
        let nest = |n: usize| format!("{{\"a\":{}1{}}}", "[".repeat(n - 1), "]".repeat(n - 1));
        assert!(v2("POST", "/x", &nest(MAX_JSON_DEPTH)).is_ok());
        let e = v2("POST", "/x", &nest(MAX_JSON_DEPTH + 1)).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InputTooLarge, Some("body"))
        );
        assert!(e.to_string().contains("65 levels"), "{e}");
        // Brackets inside strings (escaped quotes too) are text, not nesting.
        let text = format!("{{\"s\":\"\\\"{}\"}}", "[".repeat(200));
        assert!(v2("POST", "/x", &text).is_ok(), "{text}");
    }

    #[test]
    fn v2_merges_sorts_and_drops_empty() {
        assert_eq!(
            v2("GET", "/cube/v4/x?b=2&a=1&a=3&e=&z", "").unwrap(),
            r#"{"a":"1,3","b":"2","nonce":"n","timestamp":"1","x-sign-uri":"/cube/v4/x"}"#
        );
        assert_eq!(
            v2(
                "POST",
                "/cube/v4/x",
                r#"{"z":{"b":1,"a":[3,1]},"n":null,"s":"","t":true,"f":1.50,"u":"张\n"}"#
            )
            .unwrap(),
            r#"{"f":1.5,"nonce":"n","t":true,"timestamp":"1","u":"张\n","x-sign-uri":"/cube/v4/x","z":{"a":[3,1],"b":1}}"#
        );
    }

    #[test]
    fn v2_rejects_non_object_bodies() {
        assert_eq!(
            v2("POST", "/x", "[1]").unwrap_err().kind(),
            ErrorKind::InvalidJson
        );
        assert_eq!(
            v2("POST", "/x", "{bad").unwrap_err().kind(),
            ErrorKind::InvalidJson
        );
        assert_eq!(
            v2("GET", "/x?a=%z", "").unwrap_err().kind(),
            ErrorKind::InvalidEscape
        );
        assert!(v2("POST", "/x", "  \n").is_ok());
    }

    #[test]
    fn v1_keeps_types() {
        let mut p = Map::new();
        p.insert("iccid".into(), Value::from("8986"));
        p.insert("cycles".into(), Value::from(3));
        p.insert("gone".into(), Value::Null);
        assert_eq!(
            message_v1(&p, "1674197059220", 42).unwrap(),
            r#"{"cycles":3,"iccid":"8986","nonce":42,"timestamp":"1674197059220"}"#
        );
    }
}
