//! Rendering: `Name: value` lines (ready for `curl -H`), or one JSON object with --json.
//! Only `Signature::signed_redacted` is ever printed, so no secret reaches the terminal.

use std::fmt::Write;

use apisign::scheme::{SchemeSpec, Step};
use apisign::Signature;

use crate::platform;

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// A JSON object (`open` = `{`) of `(key, JSON value)` or an array (`[`) of the JSON values.
fn json_list<'a>(out: &mut String, open: char, items: impl Iterator<Item = (&'a str, String)>) {
    out.push(open);
    for (i, (key, value)) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if open == '{' {
            let _ = write!(out, "{}:", json_str(key));
        }
        out.push_str(&value);
    }
    out.push(if open == '{' { '}' } else { ']' });
}

/// `name=value` pairs of the parameters the request must also carry.
fn params_text(sig: &Signature, sep: &str) -> String {
    let pairs: Vec<String> = sig.params.iter().map(|(n, v)| format!("{n}={v}")).collect();
    pairs.join(sep)
}

/// The output of `sign` (`steps: None`) or `explain`.
pub fn render(spec: &SchemeSpec, sig: &Signature, steps: Option<&[Step]>, json: bool) -> String {
    let mut out = String::new();
    if json {
        // Written by hand to keep the keys in the order the scheme gives them.
        let headers = sig.headers.iter().map(|h| json_str(&h.value));
        out.push_str("{\"headers\":");
        json_list(
            &mut out,
            '{',
            sig.headers.iter().map(|h| h.name).zip(headers),
        );
        let _ = write!(out, ",\"signed\":{}", json_str(&sig.signed_redacted()));
        if !sig.params.is_empty() {
            let values = sig
                .params
                .iter()
                .map(|(n, v)| platform::param_json(spec.id, n, v).to_string());
            out.push_str(",\"params\":");
            json_list(
                &mut out,
                '{',
                sig.params.iter().map(|(n, _)| *n).zip(values),
            );
        }
        if let Some(steps) = steps {
            let _ = write!(out, ",\"scheme\":{},\"steps\":", json_str(spec.name));
            let steps = steps.iter().map(|(step, value)| {
                format!(
                    "{{\"step\":{},\"value\":{}}}",
                    json_str(step),
                    json_str(value)
                )
            });
            json_list(&mut out, '[', std::iter::repeat("").zip(steps));
        }
        out.push_str("}\n");
        return out;
    }
    if let Some(steps) = steps {
        let width = steps.iter().map(|(s, _)| s.len()).max().unwrap_or(0);
        let _ = writeln!(out, "scheme: {}", spec.name);
        for (step, value) in steps {
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
        if !sig.params.is_empty() {
            let _ = writeln!(
                out,
                "send also (query for GET, body otherwise): {}",
                params_text(sig, " ")
            );
        }
        return out;
    }
    for h in &sig.headers {
        let _ = writeln!(out, "{}: {}", h.name, h.value);
    }
    if !sig.params.is_empty() {
        // stdout stays curl-ready; the reminder goes to stderr.
        eprintln!(
            "apisign: the signature also needs {} in the query (GET) or body",
            params_text(sig, " and ")
        );
    }
    out
}
