//! The answer a server sends for an error: the HTTP status and the body its platform's own
//! server sends, so a middleware answers callers the way the platform does.

use std::fmt;

use crate::error::Error;

/// The HTTP answer for a refused request.
#[derive(Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` of `body`.
    pub content_type: &'static str,
    /// The body, as the platform's server writes it.
    pub body: Vec<u8>,
}

impl fmt::Debug for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rejection")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// The JSON media type every platform answers with.
pub const JSON: &str = "application/json";

/// Writes a scheme's error body for `error`, answered with `status`.
pub type RejectionBody = fn(&Error, u16) -> Vec<u8>;

/// A JSON value of a rejection body.
pub(crate) enum Json<'a> {
    Str(&'a str),
    Num(u64),
    Bool(bool),
}

/// A JSON object with `fields` in the given order (platforms' servers write a fixed order).
pub(crate) fn json_object(fields: &[(&str, Json<'_>)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(96);
    out.push(b'{');
    for (i, (name, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(&mut out, name);
        out.push(b':');
        match value {
            Json::Str(s) => write_str(&mut out, s),
            Json::Num(n) => out.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes()),
            Json::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        }
    }
    out.push(b'}');
    out
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    // serde_json escapes exactly what JSON requires; writing to a Vec cannot fail.
    serde_json::to_writer(&mut *out, s).unwrap_or_default();
}

/// A short message for an error no platform rule names (input errors, internal failures), by
/// status: the detailed message stays on the [`Error`], for logs.
pub(crate) fn generic_message(status: u16) -> &'static str {
    match status {
        413 => "request body too large",
        400..=499 => "invalid request",
        503 => "service unavailable",
        _ => "internal error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_objects_keep_order_and_escape() {
        let body = json_object(&[
            ("code", Json::Str("A\"B\n")),
            ("n", Json::Num(1002)),
            ("ok", Json::Bool(false)),
        ]);
        assert_eq!(body, br#"{"code":"A\"B\n","n":1002,"ok":false}"#);
    }
}
