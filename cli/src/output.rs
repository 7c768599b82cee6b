//! Rendering: `Name: value` lines (ready for `curl -H`), or one JSON object with --json.
//! Only `Signature::signed_redacted` is ever printed, so no secret reaches the terminal.

use std::fmt::Write;

use crate::sign::Signed;

/// Scheme-specific values the caller must also send.
pub enum Extra {
    /// Linksfield v1: `timestamp` and `nonce` go in the query (GET) or body.
    V1Params { timestamp: String, nonce: i64 },
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

pub fn render(signed: &Signed, explain: bool, json: bool) -> String {
    let sig = &signed.signature;
    let mut out = String::new();
    if json {
        out.push_str("{\"headers\":{");
        for (i, h) in sig.headers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{}:{}", json_str(h.name), json_str(&h.value));
        }
        let _ = write!(out, "}},\"signed\":{}", json_str(&sig.signed_redacted()));
        if let Some(Extra::V1Params { timestamp, nonce }) = &signed.extra {
            let _ = write!(
                out,
                ",\"params\":{{\"timestamp\":{},\"nonce\":{nonce}}}",
                json_str(timestamp)
            );
        }
        if explain {
            let _ = write!(out, ",\"scheme\":{},\"steps\":[", json_str(signed.scheme));
            for (i, (step, value)) in signed.steps.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(
                    out,
                    "{{\"step\":{},\"value\":{}}}",
                    json_str(step),
                    json_str(value)
                );
            }
            out.push(']');
        }
        out.push_str("}\n");
        return out;
    }
    if explain {
        let width = signed.steps.iter().map(|(s, _)| s.len()).max().unwrap_or(0);
        let _ = writeln!(out, "scheme: {}", signed.scheme);
        for (step, value) in &signed.steps {
            if value.contains('\n') {
                let _ = writeln!(out, "{step}:");
                for line in value.split('\n') {
                    let _ = writeln!(out, "    | {line}");
                }
            } else {
                let _ = writeln!(out, "{step:width$}  {value}");
            }
        }
        out.push_str("headers:\n");
        for h in &sig.headers {
            let _ = writeln!(out, "    {}: {}", h.name, h.value);
        }
        if let Some(Extra::V1Params { timestamp, nonce }) = &signed.extra {
            let _ = writeln!(
                out,
                "send also (query for GET, body otherwise): timestamp={timestamp} nonce={nonce}"
            );
        }
        return out;
    }
    for h in &sig.headers {
        let _ = writeln!(out, "{}: {}", h.name, h.value);
    }
    if let Some(Extra::V1Params { timestamp, nonce }) = &signed.extra {
        // stdout stays curl-ready; the reminder goes to stderr.
        eprintln!("apisign: signature v1 also needs timestamp={timestamp} and nonce={nonce} in the query (GET) or body");
    }
    out
}
