//! `apisign verify <scheme>`: check a received request the way a server would.
//!
//! Exit codes: 0 valid; 1 invalid (error kind and platform code on stderr, and
//! `{"valid": false, "error": …, "code": …}` on stdout with --json); 2 bad input.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use apisign::linksfield::PublicKey;
use apisign::verify::{self, InMemoryCredentials, InMemoryNonceStore, LovrabetApp, Window};
use apisign::{jetlinks, piemdm, IncomingRequest, Verified};
use clap::{Args, Subcommand};
use serde_json::{json, Map, Value};

use crate::args::RequestArgs;
use crate::fail::CliError;
use crate::secrets;

const AFTER_HELP: &str = "\
Give the request exactly as received: --method, --url (path and raw query), --body or
--body-file, and every header with -H 'Name: value'. Credentials come from environment
variables or files, never from flags.

Exit codes: 0 valid; 1 invalid (kind and platform code on stderr; JSON on stdout with
--json); 2 bad input.

Example:
  PIEMDM_APP_SECRET=test_secret_123456 apisign verify piemdm --app-id app_592837482 \\
      --url '/openapi/v1/entities/product?page=1&pageSize=10' --now 1705478400 \\
      -H 'X-App-Id: app_592837482' -H 'X-Timestamp: 1705478400' \\
      -H 'X-Nonce: abc123xyz789' -H 'X-Sign: a35a515127fd2956cec0e7b80a01ba382c730f0283d03bd9a9dd170c6005bf2d' \\
      --strict-query";

/// The scheme to verify with and the server-side credentials for it.
#[derive(Debug, Subcommand)]
pub enum VerifyScheme {
    /// Lovrabet token. The app's access key from env LOVRABET_ACCESS_KEY (or --secret-file),
    /// secret key from env LOVRABET_SECRET_KEY (or --secret-key-file), default "lovrabet".
    Lovrabet {
        /// The app these credentials belong to (other X-App-Code values get 1004).
        #[arg(long, env = "LOVRABET_APP_CODE")]
        app_code: String,
        /// A dataset the app may read; repeatable. Without any, the request's dataset is
        /// allowed (1005/1006 are then never reported).
        #[arg(long = "dataset", value_name = "CODE")]
        datasets: Vec<String>,
        /// File holding the HMAC secret key instead of env LOVRABET_SECRET_KEY.
        #[arg(long, value_name = "PATH")]
        secret_key_file: Option<PathBuf>,
        #[command(flatten)]
        common: VerifyArgs,
    },
    /// JetLinks request. Secure key from env JETLINKS_SECURE_KEY (or --secret-file).
    Jetlinks {
        /// The client these credentials belong to.
        #[arg(long, env = "JETLINKS_CLIENT_ID")]
        client_id: String,
        /// Digest configured for the client.
        #[arg(long, default_value = "md5", value_parser = ["md5", "sha256"])]
        algorithm: String,
        #[command(flatten)]
        common: VerifyArgs,
    },
    /// PieMDM request. App secret from env PIEMDM_APP_SECRET (or --secret-file). The nonce
    /// store lives for this one command, so replays across invocations are not detected.
    Piemdm {
        /// The app these credentials belong to.
        #[arg(long, env = "PIEMDM_APP_ID")]
        app_id: String,
        /// Shortest nonce accepted (default 12; the platform docs ask for 16).
        #[arg(long, value_name = "N")]
        min_nonce_len: Option<usize>,
        /// Reject a query segment the signature does not cover (one with ';' or a bad '%'
        /// escape, which PieMDM's Go server skips but other parsers read), as
        /// AUTH_SIGNATURE_INVALID.
        #[arg(long)]
        strict_query: bool,
        #[command(flatten)]
        common: VerifyArgs,
    },
    /// Linksfield request (v2 with X-LF-Signature-Type: 2.0, else v1). Public key (SPKI or
    /// PKCS#1, PEM or base64 DER) from --public-key-file or env LINKSFIELD_PUBLIC_KEY_FILE.
    Linksfield {
        /// The key id the public key is registered under.
        #[arg(long, env = "LINKSFIELD_KEY_ID")]
        key_id: String,
        /// Public key file.
        #[arg(long, value_name = "PEM", env = "LINKSFIELD_PUBLIC_KEY_FILE")]
        public_key_file: PathBuf,
        /// v1 only: a string path parameter as NAME=VALUE; repeatable.
        #[arg(long, value_name = "NAME=VALUE")]
        param: Vec<String>,
        /// v1 only: a typed path parameter as NAME=JSON; repeatable.
        #[arg(long, value_name = "NAME=JSON")]
        param_json: Vec<String>,
        #[command(flatten)]
        common: VerifyArgs,
    },
}

/// The received request and the options every scheme shares.
#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// A received header as 'Name: value'; repeatable.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// The server's current time in the scheme's unit (ms; seconds for piemdm). Default: now.
    #[arg(long, value_name = "T")]
    pub now: Option<u64>,
    /// Accepted timestamp skew either way, in the scheme's unit (default: the scheme's).
    #[arg(long, value_name = "T")]
    pub window: Option<u64>,
    /// File holding the scheme's secret instead of its environment variable.
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
    /// Print one JSON object: {"valid": true, "caller": …} or {"valid": false, "error": …,
    /// "code": …}.
    #[arg(long)]
    pub json: bool,
}

/// Run the command and print its outcome.
pub fn run(scheme: VerifyScheme) -> ExitCode {
    match check(scheme) {
        Ok((Ok(v), json)) => {
            print!("{}", valid_text(&v, json));
            ExitCode::SUCCESS
        }
        Ok((Err(e), json)) if e.kind().is_rejection() => {
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
        Ok((Err(e), _)) => bad_input(&CliError::from(e)),
        Err(e) => bad_input(&e),
    }
}

fn bad_input(e: &CliError) -> ExitCode {
    eprintln!("apisign: error: {e}");
    ExitCode::from(2)
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

fn valid_text(v: &Verified, json: bool) -> String {
    if json {
        return format!(
            "{}\n",
            json!({"valid": true, "caller": v.caller, "dataset": v.dataset, "timestamp": v.timestamp, "nonce": v.nonce})
        );
    }
    let mut out = format!("valid: caller={} timestamp={}", v.caller, v.timestamp);
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
fn parse_headers(raw: &[String]) -> Result<Vec<(String, String)>, CliError> {
    raw.iter()
        .map(|h| {
            let (n, v) = crate::parse::header_line(h).map_err(CliError::input)?;
            Ok((n.to_owned(), v.to_owned()))
        })
        .collect()
}

type Outcome = (apisign::Result<Verified>, bool);

fn check(scheme: VerifyScheme) -> Result<Outcome, CliError> {
    let common = match &scheme {
        VerifyScheme::Lovrabet { common, .. }
        | VerifyScheme::Jetlinks { common, .. }
        | VerifyScheme::Piemdm { common, .. }
        | VerifyScheme::Linksfield { common, .. } => common,
    };
    let headers = parse_headers(&common.headers)?;
    let body = secrets::body(
        common.request.body.as_deref(),
        common.request.body_file.as_deref(),
    )?;
    let mut req =
        IncomingRequest::new(&common.request.method, &common.request.url).with_body(&body);
    if let Some(ct) = &common.request.content_type {
        req = req.header("Content-Type", ct);
    }
    for (n, v) in &headers {
        req = req.header(n, v);
    }
    let window = common.window.map(Window::symmetric);
    let json = common.json;
    let mut creds = InMemoryCredentials::new();
    let result = match &scheme {
        VerifyScheme::Lovrabet {
            app_code,
            datasets,
            secret_key_file,
            common,
        } => {
            let access_key = secrets::lovrabet_access_key(common.secret_file.as_deref())?;
            let secret_key = secrets::lovrabet_secret_key(secret_key_file.as_deref())?;
            let mut app = LovrabetApp::new(access_key, secret_key)?;
            let requested = req.get("X-Dataset-Code").ok().flatten();
            let allowed: Vec<&str> = if datasets.is_empty() {
                requested.into_iter().collect()
            } else {
                datasets.iter().map(String::as_str).collect()
            };
            for ds in allowed {
                app = app.allow(ds)?;
            }
            creds.add_lovrabet_app(app_code.as_str(), app)?;
            let mut v = verify::lovrabet::Verifier::new(Arc::new(creds));
            if let Some(w) = window {
                v = v.window(w);
            }
            v.verify(&req, common.now.unwrap_or_else(apisign::clock::now_ms))
        }
        VerifyScheme::Jetlinks {
            client_id,
            algorithm,
            common,
        } => {
            let key = secrets::jetlinks_secure_key(common.secret_file.as_deref())?;
            let algorithm: jetlinks::Algorithm = algorithm.parse()?;
            creds.add_jetlinks(jetlinks::Signer::new(client_id.as_str(), key, algorithm)?);
            let mut v = verify::jetlinks::Verifier::new(Arc::new(creds));
            if let Some(w) = window {
                v = v.window(w);
            }
            v.verify(&req, common.now.unwrap_or_else(apisign::clock::now_ms))
        }
        VerifyScheme::Piemdm {
            app_id,
            min_nonce_len,
            strict_query,
            common,
        } => {
            let secret = secrets::piemdm_app_secret(common.secret_file.as_deref())?;
            creds.add_piemdm(piemdm::Signer::new(app_id.as_str(), secret)?);
            // One request, one run: the smallest store does.
            let store = Arc::new(InMemoryNonceStore::with_capacity(16));
            let mut v =
                verify::piemdm::Verifier::new(Arc::new(creds), store).strict_query(*strict_query);
            if let Some(w) = window {
                v = v.window(w)?;
            }
            if let Some(n) = min_nonce_len {
                v = v.min_nonce_len(*n);
            }
            v.verify(&req, common.now.unwrap_or_else(apisign::clock::now_secs))
        }
        VerifyScheme::Linksfield {
            key_id,
            public_key_file,
            param,
            param_json,
            common,
        } => {
            let pem = std::fs::read(public_key_file).map_err(|e| {
                CliError::input(format!(
                    "cannot read public key {}: {e}",
                    public_key_file.display()
                ))
            })?;
            creds.add_linksfield(key_id.as_str(), PublicKey::parse(&pem)?)?;
            let path_params: Map<String, Value> = crate::sign::v1_params(param, param_json)?;
            let mut v = verify::linksfield::Verifier::new(Arc::new(creds));
            if let Some(w) = window {
                v = v.window(w);
            }
            v.verify_v1(
                &req,
                &path_params,
                common.now.unwrap_or_else(apisign::clock::now_ms),
            )
        }
    };
    Ok((result, json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_flags_parse() {
        let h = parse_headers(&["X-Sign:  abc ".into(), "X-Nonce: n\u{3000}".into()]).unwrap();
        assert_eq!(h[0], ("X-Sign".into(), "abc".into()));
        assert_eq!(h[1], ("X-Nonce".into(), "n\u{3000}".into()));
        assert!(parse_headers(&["no colon".into()]).is_err());
    }
}
