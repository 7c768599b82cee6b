//! What every CLI test needs: the built `apisign` with no credentials from the environment,
//! and its output read back.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

use apisign::scheme::SCHEMES;
use serde_json::Value;

/// The built binary, started from a clean slate: every variable the CLI reads a credential from
/// (named from the scheme registry, as the CLI names them) is removed, so the developer's own
/// credentials never leak into a test.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_apisign"));
    for spec in SCHEMES.iter() {
        for p in spec.sign_params.iter().chain(spec.credential_params) {
            c.env_remove(format!("{}_{}", spec.name, p.name).to_ascii_uppercase());
            c.env_remove(format!("{}_{}_FILE", spec.name, p.name).to_ascii_uppercase());
        }
    }
    c
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Stdout parsed as JSON; a panic showing what was printed otherwise.
pub fn json_out(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {:?}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

/// A file in `dir` holding the test secret, ending in the newline an editor leaves.
pub fn secret_file(dir: &tempfile::TempDir) -> PathBuf {
    let path = dir.path().join("secret");
    std::fs::write(&path, "test_secret_123456\n").unwrap();
    path
}

/// The request options of a vector's `request` (method, URL, body, content type if any).
pub fn request_args(c: &mut Command, request: &Value) {
    let text = |key: &str| required(request, key);
    c.args([
        "--method",
        &text("method"),
        "--url",
        &text("url"),
        "--body",
        &text("body"),
    ]);
    if let Some(ct) = request["content_type"].as_str() {
        c.args(["--content-type", ct]);
    }
}

fn required(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string {key:?} in {v}"))
        .to_owned()
}

/// A JetLinks client's options from a vector's `credentials`, the secure key in the environment.
pub fn jetlinks_client_args(c: &mut Command, credentials: &Value) {
    let text = |key: &str| required(credentials, key);
    c.args([
        "--client-id",
        &text("client_id"),
        "--algorithm",
        &text("algorithm"),
    ]);
    c.env("JETLINKS_SECURE_KEY", text("secure_key"));
}

/// The PieMDM documented example's app id, timestamp and nonce (its secret comes from a file).
pub const PIEMDM_EXAMPLE_ARGS: [&str; 6] = [
    "--app-id",
    "app_592837482",
    "--timestamp",
    "1705478400",
    "--nonce",
    "abc123xyz789",
];
