//! `apisign verify <scheme>`: check a received request the way a server would, with the
//! scheme's generic verifier and one in-memory credential.
//!
//! Exit codes: 0 valid; 1 invalid (error kind and platform code on stderr, and
//! `{"valid": false, "error": …, "code": …}` on stdout with --json); 2 bad input.

use std::process::ExitCode;
use std::sync::Arc;

use apisign::scheme::{NonceUse, Param, SchemeSpec, Verifier};
use apisign::verify::{Credential, InMemoryCredentials, InMemoryNonceStore, Window};
use apisign::{IncomingRequest, Verified};
use clap::ArgMatches;
use serde_json::json;

use crate::cli::{self, Mode};
use crate::fail::CliError;
use crate::inputs::{self, Inputs};
use crate::platform;

/// Run the command and print its outcome.
pub fn run(spec: &'static SchemeSpec, m: &ArgMatches) -> ExitCode {
    let json = m.get_flag("json");
    match check(spec, m) {
        Ok(Ok(v)) => {
            print!("{}", valid_text(spec, &v, json));
            ExitCode::SUCCESS
        }
        Ok(Err(e)) if e.kind().is_rejection() => {
            let code = e.platform_code().unwrap_or("-");
            eprintln!(
                "apisign: invalid: {} (platform code {code}): {}",
                e.kind(),
                one_line(&e.to_string())
            );
            if json {
                println!(
                    "{}",
                    json!({"valid": false, "error": e.kind().as_str(), "code": e.platform_code(), "message": e.to_string()})
                );
            }
            ExitCode::from(1)
        }
        Ok(Err(e)) => crate::fail(&CliError::from(e)),
        Err(e) => crate::fail(&e),
    }
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

fn valid_text(spec: &SchemeSpec, v: &Verified, json: bool) -> String {
    // Shown in the unit the request carried, as `--now` takes it.
    let timestamp = v.timestamp / cli::time_unit(spec).1;
    if json {
        return format!(
            "{}\n",
            json!({"valid": true, "caller": v.caller, "dataset": v.dataset, "timestamp": timestamp, "nonce": v.nonce})
        );
    }
    let mut out = format!("valid: caller={} timestamp={timestamp}", v.caller);
    if let Some(d) = &v.dataset {
        out.push_str(&format!(" dataset={d}"));
    }
    if let Some(n) = &v.nonce {
        out.push_str(&format!(" nonce={n}"));
    }
    out.push('\n');
    out
}

/// Every `-H 'Name: value'` flag, parsed as a server reads the header line.
fn parse_headers<'a>(
    raw: impl Iterator<Item = &'a String>,
) -> Result<Vec<(&'a str, &'a str)>, CliError> {
    raw.map(|h| crate::parse::header_line(h).map_err(CliError::input))
        .collect()
}

fn check(spec: &'static SchemeSpec, m: &ArgMatches) -> Result<apisign::Result<Verified>, CliError> {
    let headers = parse_headers(m.get_many::<String>("header").into_iter().flatten())?;
    let body = inputs::body(m)?;
    let sent = crate::sign::to_request(m, &body);
    let mut req = IncomingRequest::new(sent.method, sent.url).with_body(&body);
    if let Some(ct) = sent.content_type {
        req = req.header("Content-Type", ct);
    }
    for (n, v) in headers {
        req = req.header(n, v);
    }

    if let Some(ip) = m.get_one::<String>("client_ip") {
        req.client_ip = Some(ip.trim().parse().map_err(|_| {
            CliError::input(format!(
                "--client-ip: {ip:?} is not an IP address (e.g. 203.0.113.9 or ::1)"
            ))
        })?);
    }

    let mut inputs = Inputs::collect(spec, Mode::Verify, m)?;
    platform::default_credential_params(spec.id, &mut inputs, &req);
    let mut params = inputs.params();
    if let Some(list) = m.get_one::<String>("allowed_ips") {
        params.push(Param::text("allowed_ips", list));
    }
    let creds = InMemoryCredentials::new();
    creds.add(Credential::new(spec.id, &params)?);
    let creds = Arc::new(creds);

    let window = cli::time_ms(spec, m, "window")?.map(Window::symmetric);
    let now = cli::time_ms(spec, m, "now")?.unwrap_or_else(apisign::clock::now_ms);
    if let Some(result) = platform::verify(spec, m, creds.clone(), window, &req, now)? {
        return Ok(result);
    }
    let mut builder = Verifier::builder(spec.id, creds);
    if let Some(w) = window {
        builder = builder.window(w);
    }
    if spec.nonces == NonceUse::Always {
        // One request, one run: the smallest store does.
        builder = builder.nonce_store(Arc::new(InMemoryNonceStore::with_capacity(16)));
    }
    for setting in spec.verify_settings {
        if let Some(value) = m.get_one::<String>(&cli::param_id(setting.name)) {
            builder = builder.setting(setting.name, value)?;
        }
    }
    Ok(builder.build()?.verify(&req, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_flags_parse() {
        let raw = ["X-Sign:  abc ".to_owned(), "X-Nonce: n\u{3000}".to_owned()];
        let h = parse_headers(raw.iter()).unwrap();
        assert_eq!(h[0], ("X-Sign", "abc"));
        assert_eq!(h[1], ("X-Nonce", "n\u{3000}"));
        assert!(parse_headers(["no colon".to_owned()].iter()).is_err());
    }
}
