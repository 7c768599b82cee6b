//! Runs the built `apisign verify` on every signed vector (exit 0, `--json` shape), on tampered
//! copies (exit 1, kind and platform code on stderr and in JSON) and on bad input (exit 2).

#[path = "../../tests/common/mod.rs"]
mod common;
mod support;

use std::process::{Command, Output};

use common::*;
use serde_json::Value;
use support::*;

/// `apisign verify <scheme> --json --now <ts>` with the case's credentials, request and the
/// headers it expects; `header_override` replaces one header's value.
fn verify_cmd(
    scheme: &str,
    file: &Value,
    case: &Value,
    dir: &tempfile::TempDir,
    header_override: Option<(&str, &str)>,
    now: Option<&str>,
) -> Command {
    let c_ = &case["credentials"];
    let mut c = bin();
    let now = now.unwrap_or(s(case, "timestamp"));
    c.args(["verify", scheme, "--json", "--now", now]);
    if case["request"].is_object() {
        request_args(&mut c, &case["request"]);
    }
    for (name, value) in case["expected"]["headers"].as_object().unwrap() {
        let value = match header_override {
            Some((n, v)) if n == name => v.to_owned(),
            _ => value.as_str().unwrap().to_owned(),
        };
        c.arg("-H").arg(format!("{name}: {value}"));
    }
    match scheme {
        "lovrabet" => {
            c.args([
                "--app-code",
                s(c_, "app_code"),
                "--dataset",
                s(c_, "dataset_code"),
            ]);
            c.env("LOVRABET_ACCESS_KEY", s(c_, "access_key"));
            if let Some(sk) = opt_s(c_, "secret_key") {
                c.env("LOVRABET_SECRET_KEY", sk);
            }
        }
        "jetlinks" => {
            jetlinks_client_args(&mut c, c_);
        }
        "piemdm" => {
            c.args(["--app-id", s(c_, "app_id")]);
            c.env("PIEMDM_APP_SECRET", s(c_, "app_secret"));
        }
        "linksfield" => {
            let path = dir.path().join("public.pem");
            std::fs::write(
                &path,
                file["keys"]["rsa1024_public_spki_pem"].as_str().unwrap(),
            )
            .unwrap();
            c.args(["--key-id", s(c_, "key_id")]);
            c.arg("--public-key-file").arg(&path);
        }
        other => panic!("unknown scheme {other:?}"),
    }
    c
}

/// Signing cases that succeed (the only ones with headers to verify).
fn signed_cases() -> Vec<(String, Value, Value)> {
    all_cases()
        .into_iter()
        .filter(|(_, _, c)| opt_s(c, "kind").is_none() && c["expected"].get("headers").is_some())
        .collect()
}

/// What `apisign verify --json` says of a request it rejects (exit 1): `[error, code]`.
fn rejection(out: &Output) -> [String; 2] {
    assert_eq!(out.status.code(), Some(1), "{}", stderr(out));
    let j = json_out(out);
    ["error", "code"].map(|k| j[k].as_str().unwrap_or_default().to_owned())
}

/// The first signed case of `scheme`.
fn first_signed_case(scheme: &str) -> (String, Value, Value) {
    signed_cases()
        .into_iter()
        .find(|(s, _, _)| s == scheme)
        .unwrap_or_else(|| panic!("no signed {scheme} vector"))
}

fn sign_header(scheme: &str) -> &'static str {
    match scheme {
        "lovrabet" => "X-Token",
        "linksfield" => "Authorization",
        _ => "X-Sign",
    }
}

#[test]
fn every_signed_vector_verifies_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for (scheme, file, case) in signed_cases() {
        let id = s(&case, "id");
        let out = verify_cmd(&scheme, &file, &case, &dir, None, None)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{id}: {}", stderr(&out));
        let j = json_out(&out);
        assert_eq!(j["valid"], Value::Bool(true), "{id}: {j}");
        assert_eq!(
            j["timestamp"].as_u64().unwrap().to_string(),
            s(&case, "timestamp"),
            "{id}"
        );
        n += 1;
    }
    assert!(n >= 20, "only {n} cases");
}

#[test]
fn tampered_signatures_exit_1_with_kind_and_code() {
    let dir = tempfile::tempdir().unwrap();
    for (scheme, file, case) in signed_cases() {
        let id = s(&case, "id");
        let name = sign_header(&scheme);
        let good = case["expected"]["headers"][name].as_str().unwrap();
        // Replace one character of the signature (skipping base64 padding).
        let mut chars: Vec<char> = good.chars().collect();
        let i = chars.iter().rposition(|&c| c != '=').unwrap() - 1;
        chars[i] = if chars[i] == '0' { '1' } else { '0' };
        let bad: String = chars.into_iter().collect();
        let out = verify_cmd(&scheme, &file, &case, &dir, Some((name, &bad)), None)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{id}: {}", stderr(&out));
        let j = json_out(&out);
        assert_eq!(j["valid"], Value::Bool(false), "{id}");
        assert_eq!(j["error"], "signature_invalid", "{id}: {j}");
        let code = j["code"].as_str().unwrap().to_owned();
        let want = match scheme.as_str() {
            "lovrabet" => "1002",
            "piemdm" => "AUTH_SIGNATURE_INVALID",
            "linksfield" => "403",
            _ => "signature error",
        };
        assert_eq!(code, want, "{id}");
        let err = stderr(&out);
        assert!(
            err.contains("signature_invalid") && err.contains(want),
            "{id}: {err}"
        );
        // Never the right answer, never a secret.
        assert!(
            !err.contains(good) && !String::from_utf8_lossy(&out.stdout).contains(good),
            "{id}"
        );
    }
}

#[test]
fn stale_timestamp_exits_1_with_the_platform_code() {
    let dir = tempfile::tempdir().unwrap();
    let (scheme, file, case) = first_signed_case("lovrabet");
    let late = (num(&case, "timestamp") + 600_001).to_string();
    let mut c = verify_cmd(&scheme, &file, &case, &dir, None, Some(&late));
    let out = c.output().unwrap();
    assert_eq!(rejection(&out), ["timestamp_out_of_window", "1003"]);
    // A wider window accepts it.
    let mut c = verify_cmd(&scheme, &file, &case, &dir, None, Some(&late));
    c.args(["--window", "700000"]);
    assert_eq!(c.output().unwrap().status.code(), Some(0));
}

#[test]
fn bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let (scheme, file, case) = first_signed_case("piemdm");
    // No secret anywhere.
    let mut c = verify_cmd(&scheme, &file, &case, &dir, None, None);
    c.env_remove("PIEMDM_APP_SECRET");
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("PIEMDM_APP_SECRET"));
    // A header flag without a colon.
    let mut c = verify_cmd(&scheme, &file, &case, &dir, None, None);
    c.args(["-H", "nonsense"]);
    assert_eq!(c.output().unwrap().status.code(), Some(2));
    // A URL that is not a request target.
    let mut c = verify_cmd(&scheme, &file, &case, &dir, None, None);
    c.args(["--url", "no-slash"]);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // A missing public key file.
    let (scheme, file, case) = first_signed_case("linksfield");
    let mut c = verify_cmd(&scheme, &file, &case, &dir, None, None);
    std::fs::remove_file(dir.path().join("public.pem")).unwrap();
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read public key"),
        "{}",
        stderr(&out)
    );
    // A private key where the public key belongs.
    let mut c = verify_cmd(&scheme, &file, &case, &dir, None, None);
    std::fs::write(
        dir.path().join("public.pem"),
        file["keys"]["rsa1024_pkcs8_pem"].as_str().unwrap(),
    )
    .unwrap();
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad_key"), "{}", stderr(&out));
    // An unknown scheme (clap).
    let out = bin().args(["verify", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn missing_auth_header_exits_1_with_401_for_linksfield() {
    let dir = tempfile::tempdir().unwrap();
    let (scheme, file, case) = first_signed_case("linksfield");
    let mut case = case;
    case["expected"]["headers"]
        .as_object_mut()
        .unwrap()
        .remove("Authorization");
    let out = verify_cmd(&scheme, &file, &case, &dir, None, None)
        .output()
        .unwrap();
    assert_eq!(rejection(&out), ["missing_auth", "401"]);
}

/// The `--help` example (PieMDM docs' request), with `extra` appended to its query.
fn piemdm_docs_request(extra: &str) -> Command {
    let mut c = bin();
    c.env("PIEMDM_APP_SECRET", "test_secret_123456");
    c.args(["verify", "piemdm", "--json", "--app-id", "app_592837482"]);
    c.args(["--now", "1705478400", "--url"]);
    c.arg(format!(
        "/openapi/v1/entities/product?page=1&pageSize=10{extra}"
    ));
    for h in [
        "X-App-Id: app_592837482",
        "X-Timestamp: 1705478400",
        "X-Nonce: abc123xyz789",
        "X-Sign: a35a515127fd2956cec0e7b80a01ba382c730f0283d03bd9a9dd170c6005bf2d",
    ] {
        c.args(["-H", h]);
    }
    c
}

#[test]
fn strict_query_refuses_an_unsigned_query_segment() {
    let out = piemdm_docs_request("")
        .arg("--strict-query")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Go's server skips `admin=1;`, so the signature of the plain query still verifies…
    let out = piemdm_docs_request("&admin=1;").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // …unless strict mode refuses the segment nobody signed.
    let out = piemdm_docs_request("&admin=1;")
        .arg("--strict-query")
        .output()
        .unwrap();
    assert_eq!(
        rejection(&out),
        ["signature_invalid", "AUTH_SIGNATURE_INVALID"]
    );
}

#[test]
fn allowed_ips_refuse_other_addresses_with_403_and_the_platform_code() {
    // PieMDM's server answers AUTH_IP_NOT_ALLOWED for a caller outside its list (docs/piemdm.md).
    let list = ["--allowed-ips", "10.0.0.0/8; 192.0.2.7"];
    let out = piemdm_docs_request("")
        .args(list)
        .args(["--client-ip", "192.0.2.7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for from in [&["--client-ip", "203.0.113.9"][..], &[]] {
        let out = piemdm_docs_request("")
            .args(list)
            .args(from)
            .output()
            .unwrap();
        assert_eq!(
            rejection(&out),
            ["ip_not_allowed", "AUTH_IP_NOT_ALLOWED"],
            "from {from:?}"
        );
    }
    // Bad input names what to fix and exits 2.
    for (bad, named) in [
        (["--client-ip", "localhost"], "--client-ip"),
        (["--allowed-ips", "intranet"], "allowed_ips"),
    ] {
        let out = piemdm_docs_request("").args(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(stderr(&out).contains(named), "{}", stderr(&out));
    }
}
