//! Runs the built `apisign` binary on every signing vector, and checks its contract: exit
//! codes, `--json` shape, secrets only from env/files and never printed.

#[path = "../../tests/common/mod.rs"]
mod common;
mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use serde_json::Value;
use support::*;

/// The command for a signing case, or None for kinds the CLI has no command for.
fn command_for(
    scheme: &str,
    file: &Value,
    case: &Value,
    keys: &tempfile::TempDir,
) -> Option<Command> {
    if opt_s(case, "kind").is_some() {
        return None;
    }
    let c_ = &case["credentials"];
    let mut c = bin();
    c.args([
        "sign",
        scheme,
        "--json",
        "--timestamp",
        s(case, "timestamp"),
    ]);
    match scheme {
        "lovrabet" => {
            c.args([
                "--app-code",
                s(c_, "app_code"),
                "--dataset-code",
                s(c_, "dataset_code"),
            ]);
            c.env("LOVRABET_ACCESS_KEY", s(c_, "access_key"));
            c.env("LOVRABET_SECRET_KEY", s(c_, "secret_key"));
        }
        "jetlinks" => {
            jetlinks_client_args(&mut c, c_);
            request_args(&mut c, &case["request"]);
        }
        "piemdm" => {
            c.args(["--app-id", s(c_, "app_id"), "--nonce", s(case, "nonce")]);
            c.env("PIEMDM_APP_SECRET", s(c_, "app_secret"));
            request_args(&mut c, &case["request"]);
        }
        "linksfield" => {
            let path = keys.path().join(format!("{}.pem", s(case, "id")));
            std::fs::write(&path, linksfield_key(file, s(c_, "private_key"))).unwrap();
            let version = opt_s(case, "version").unwrap_or("2.0");
            c.args([
                "--key-id",
                s(c_, "key_id"),
                "--nonce",
                s(case, "nonce"),
                "--signature-version",
                version,
            ]);
            c.arg("--private-key-file").arg(&path);
            request_args(&mut c, &case["request"]);
        }
        other => panic!("unknown scheme {other:?}"),
    }
    Some(c)
}

#[test]
fn cli_signs_every_vector() {
    let keys = tempfile::tempdir().unwrap();
    let mut ran = BTreeMap::<String, usize>::new();
    for (scheme, file, case) in all_cases() {
        let id = s(&case, "id");
        let Some(mut cmd) = command_for(&scheme, &file, &case, &keys) else {
            // `response` and `expiry` cases exercise library checks, not the sign command;
            // an unknown kind must not slip through silently.
            let kind = s(&case, "kind");
            assert!(
                ["response", "expiry"].contains(&kind),
                "{id}: unknown kind {kind:?}"
            );
            continue;
        };
        let out = cmd.output().unwrap();
        let expected = &case["expected"];
        if let Some(kind) = opt_s(expected, "error") {
            assert_eq!(out.status.code(), Some(2), "{id}: {}", stderr(&out));
            let err = stderr(&out);
            assert!(err.contains(kind), "{id}: stderr {err:?} lacks {kind}");
            assert_eq!(err.trim_end().lines().count(), 1, "{id}: one-line reason");
            assert!(out.stdout.is_empty());
        } else {
            assert!(out.status.success(), "{id}: {}", stderr(&out));
            let json: Value =
                serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(json["headers"], expected["headers"], "{id}: headers");
            for key in [
                "string_to_sign",
                "signed_params",
                "canonical_request",
                "message",
            ] {
                if let Some(want) = opt_s(expected, key) {
                    let want = if scheme == "lovrabet" {
                        // The access key is a secret: the CLI prints it redacted.
                        want.replacen(s(&case["credentials"], "access_key"), "<redacted>", 1)
                    } else {
                        want.to_owned()
                    };
                    assert_eq!(json["signed"], want, "{id}: {key}");
                }
            }
        }
        *ran.entry(scheme).or_default() += 1;
    }
    assert_eq!(ran.len(), 4, "every scheme ran through the CLI: {ran:?}");
}

#[test]
fn text_output_is_curl_ready_header_lines() {
    let out = bin()
        .args([
            "sign",
            "jetlinks",
            "--client-id",
            "testId",
            "--timestamp",
            "1574993804802",
        ])
        .args(["--url", "/api/device?pageSize=20&pageIndex=0"])
        .env("JETLINKS_SECURE_KEY", "testSecure")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        "X-Client-Id: testId\nX-Timestamp: 1574993804802\nX-Sign: 837fe7fa29e7a5e4852d447578269523\n"
    );
}

#[test]
fn secrets_come_from_files_and_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let secret = secret_file(&dir);
    for sub in ["sign", "explain"] {
        for json in [false, true] {
            let mut c = bin();
            c.args([sub, "piemdm"])
                .args(PIEMDM_EXAMPLE_ARGS)
                .args(["--url", "/openapi/v1/entities/product?page=1&pageSize=10"])
                .arg("--secret-file")
                .arg(&secret);
            if json {
                c.arg("--json");
            }
            let out = c.output().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
            let text = stdout(&out);
            assert!(
                text.contains("a35a515127fd2956cec0e7b80a01ba382c730f0283d03bd9a9dd170c6005bf2d"),
                "{text}"
            );
            assert!(
                !text.contains("test_secret_123456"),
                "{sub} leaked the secret"
            );
        }
    }
    // lovrabet's access key sits inside the string to sign; explain must redact it.
    let out = bin()
        .args([
            "explain",
            "lovrabet",
            "--app-code",
            "a",
            "--dataset-code",
            "d",
            "--timestamp",
            "1",
        ])
        .env("LOVRABET_ACCESS_KEY", "ak-top-secret-value")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!stdout(&out).contains("ak-top-secret-value"));
    assert!(stdout(&out).contains("accessKey=<redacted>&appCode=a"));
}

#[test]
fn secrets_are_not_accepted_as_flags() {
    let out = bin()
        .args(["sign", "jetlinks", "--client-id", "x", "--secure-key", "k"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_input_exits_2_with_one_line() {
    // (arguments, environment, what the one-line reason must mention)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec!["sign", "jetlinks", "--client-id", "x"],
            vec![],
            "JETLINKS_SECURE_KEY",
        ),
        (
            vec!["sign", "jetlinks", "--client-id", "x", "--nonce", "n"],
            vec![("JETLINKS_SECURE_KEY", "k")],
            "nonce",
        ),
        (
            vec!["sign", "piemdm", "--app-id", "a", "--url", "no-slash"],
            vec![("PIEMDM_APP_SECRET", "s")],
            "url",
        ),
        (
            vec!["sign", "lovrabet", "--app-code", "", "--dataset-code", "d"],
            vec![("LOVRABET_ACCESS_KEY", "k")],
            "app_code",
        ),
        (
            vec!["sign", "linksfield", "--key-id", "k"],
            vec![],
            "--private-key-file",
        ),
        (
            vec![
                "sign",
                "linksfield",
                "--key-id",
                "k",
                "--private-key-file",
                "/nonexistent/key.pem",
            ],
            vec![],
            "/nonexistent/key.pem",
        ),
        (
            vec![
                "sign",
                "piemdm",
                "--app-id",
                "a",
                "--body-file",
                "/nonexistent/body",
            ],
            vec![("PIEMDM_APP_SECRET", "s")],
            "/nonexistent/body",
        ),
    ];
    for (args, env, needle) in cases {
        let mut c = bin();
        c.args(&args);
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains(needle),
            "{args:?}: {err:?} should mention {needle}"
        );
    }
}

#[test]
fn bad_key_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let key = linksfield_vector_key_file(dir.path(), "rsa1024_public_spki_pem");
    let out = bin()
        .args(["sign", "linksfield", "--key-id", "k", "--url", "/cube/v4/x"])
        .arg("--private-key-file")
        .arg(&key)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("public key"), "{}", stderr(&out));
}

#[test]
fn body_can_come_from_stdin() {
    let mut child = bin()
        .args([
            "sign",
            "jetlinks",
            "--json",
            "--client-id",
            "testId",
            "--timestamp",
            "1687750302000",
        ])
        .args([
            "--method",
            "POST",
            "--url",
            "/device-instance",
            "--body-file",
            "-",
        ])
        .env("JETLINKS_SECURE_KEY", "testSecure")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\r\n  \"id\": \"123456789088888\",\r\n  \"name\": \"123456789088888\",\r\n  \"productId\": \"katchu\",\r\n  \"productName\": \"katchu\"\r\n}")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let json = json_out(&out);
    assert_eq!(
        json["headers"]["X-Sign"],
        "69c89f9ee7c6e7d2e03be2ac143247d6"
    );
}

#[test]
fn linksfield_v1_reports_the_params_to_send() {
    let dir = tempfile::tempdir().unwrap();
    let key = linksfield_vector_key_file(dir.path(), "rsa1024_pkcs1_pem");
    let out = bin()
        .args([
            "sign",
            "linksfield",
            "--json",
            "--key-id",
            "kid",
            "--signature-version",
            "1",
        ])
        .args([
            "--timestamp",
            "1674197059220",
            "--nonce",
            "42",
            "--method",
            "POST",
        ])
        .args([
            "--url",
            "/cube/v4/sims/8900/bundle",
            "--body",
            "{\"cycles\":3}",
            "--param",
            "iccid=8900",
        ])
        .arg("--private-key-file")
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json = json_out(&out);
    assert_eq!(
        json["signed"],
        r#"{"cycles":3,"iccid":"8900","nonce":42,"timestamp":"1674197059220"}"#
    );
    assert_eq!(json["params"]["nonce"], 42);
    assert_eq!(json["headers"].as_object().unwrap().len(), 1);
    assert!(json["headers"]["Authorization"]
        .as_str()
        .unwrap()
        .starts_with("LF kid/"));
    let bad = bin()
        .args([
            "sign",
            "linksfield",
            "--key-id",
            "kid",
            "--signature-version",
            "1",
            "--nonce",
            "abc",
        ])
        .arg("--private-key-file")
        .arg(&key)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("integer"));
}

#[test]
fn help_explains_flags_with_examples() {
    for args in [
        vec!["--help"],
        vec!["sign", "--help"],
        vec!["sign", "piemdm", "--help"],
        vec!["explain", "linksfield", "--help"],
    ] {
        let out = bin().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = stdout(&out);
        assert!(
            text.contains("Example"),
            "{args:?} help lacks an example:\n{text}"
        );
    }
    let out = bin().args(["sign", "piemdm", "--help"]).output().unwrap();
    let text = stdout(&out);
    for flag in [
        "--app-id",
        "--method",
        "--url",
        "--body-file",
        "--timestamp",
        "--nonce",
        "--secret-file",
        "--json",
    ] {
        assert!(text.contains(flag), "piemdm help lacks {flag}");
    }
}
