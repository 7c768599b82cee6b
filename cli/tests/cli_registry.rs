//! The CLI is built from the scheme registry: every scheme's parameters are flags (or, for
//! secrets, environment variables and files), its verifier settings are flags that reach the
//! verifier, and times are in the scheme's documented unit (PieMDM: seconds).

#[path = "../../tests/common/mod.rs"]
mod common;
mod support;

use std::process::Output;

use apisign::scheme::{ParamKind, SCHEMES};
use support::*;

fn help(args: &[&str]) -> String {
    let out = bin().args(args).arg("--help").output().unwrap();
    assert!(out.status.success(), "{args:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_scheme_parameter_is_a_flag_or_an_env_var() {
    for spec in SCHEMES.iter() {
        for (cmd, params) in [
            ("sign", spec.sign_params),
            ("explain", spec.sign_params),
            ("verify", spec.credential_params),
            ("verify", spec.verify_settings),
        ] {
            let text = help(&[cmd, spec.name]);
            for p in params {
                let flag = match p.name {
                    "version" => "signature-version".to_owned(),
                    n => n.replace('_', "-"),
                };
                let env = format!("{}_{}", spec.name, p.name).to_ascii_uppercase();
                let shown = match p.kind {
                    // A secret's value only from its variable (or a file), never a flag.
                    ParamKind::Secret => {
                        assert!(!text.contains(&format!("--{flag} ")), "{cmd} {}", p.name);
                        text.contains(&env)
                    }
                    ParamKind::PrivateKey | ParamKind::PublicKey => {
                        text.contains(&format!("--{flag}-file")) && text.contains(&env)
                    }
                    _ => text.contains(&format!("--{flag}")),
                };
                assert!(
                    shown,
                    "{cmd} {} --help lacks {}:\n{text}",
                    spec.name, p.name
                );
            }
        }
    }
}

/// The PieMDM docs' request, verified at `now` (seconds) with `extra` flags.
fn piemdm_docs(now: &str, extra: &[&str]) -> Output {
    bin()
        .env("PIEMDM_APP_SECRET", "test_secret_123456")
        .args([
            "verify",
            "piemdm",
            "--app-id",
            "app_592837482",
            "--now",
            now,
        ])
        .args(["--url", "/openapi/v1/entities/product?page=1&pageSize=10"])
        .args([
            "-H",
            "X-App-Id: app_592837482",
            "-H",
            "X-Timestamp: 1705478400",
        ])
        .args(["-H", "X-Nonce: abc123xyz789"])
        .args([
            "-H",
            "X-Sign: a35a515127fd2956cec0e7b80a01ba382c730f0283d03bd9a9dd170c6005bf2d",
        ])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn piemdm_times_stay_in_seconds() {
    // 300 s late: inside the default ±300 s, and a --window in seconds moves the edge.
    let out = piemdm_docs("1705478700", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "valid: caller=app_592837482 timestamp=1705478400 nonce=abc123xyz789\n"
    );
    let out = piemdm_docs("1705478700", &["--window", "299"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("AUTH_TOKEN_EXPIRED"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        piemdm_docs("1705478701", &["--window", "301"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn verifier_settings_reach_the_verifier() {
    // The docs' 12-character nonce passes the default minimum, not the documented 16.
    assert_eq!(piemdm_docs("1705478400", &[]).status.code(), Some(0));
    let out = piemdm_docs("1705478400", &["--min-nonce-len", "16"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // A bad value is bad input naming the setting.
    let out = piemdm_docs("1705478400", &["--min-nonce-len", "many"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("min_nonce_len"), "{}", stderr(&out));
}

/// A Linksfield v1 request, signed (the body's `cycles` and the path's `iccid` are typed).
const LINKSFIELD_V1_SIGN: &str = "sign linksfield --key-id kid --signature-version 1 \
    --timestamp 1674197059220 --nonce 42 --method POST --url /cube/v4/sims/8900/bundle \
    --body {\"cycles\":3}";

/// Sign the Linksfield v1 request with `extra` flags (e.g. a path parameter); its
/// Authorization header.
fn linksfield_v1(dir: &tempfile::TempDir, extra: &[&str]) -> String {
    let key = common::linksfield_vector_key_file(dir.path(), "rsa1024_pkcs8_pem");
    let out = bin()
        .args(LINKSFIELD_V1_SIGN.split_whitespace())
        .args(extra)
        .arg("--private-key-file")
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    text.strip_prefix("Authorization: ")
        .unwrap()
        .trim_end()
        .to_owned()
}

fn linksfield_verify(dir: &tempfile::TempDir, auth: &str, extra: &[&str]) -> Output {
    let key = common::linksfield_vector_key_file(dir.path(), "rsa1024_public_spki_pem");
    bin()
        .args([
            "verify",
            "linksfield",
            "--key-id",
            "kid",
            "--now",
            "1674197059220",
        ])
        .args(["--method", "POST", "--url", "/cube/v4/sims/8900/bundle"])
        .args([
            "--body",
            "{\"cycles\":3,\"timestamp\":\"1674197059220\",\"nonce\":42}",
        ])
        .arg("-H")
        .arg(format!("Authorization: {auth}"))
        .arg("--public-key-file")
        .arg(&key)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn linksfield_v1_path_params_are_signed_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let auth = linksfield_v1(&dir, &["--param", "iccid=8900"]);
    let ok = linksfield_verify(&dir, &auth, &["--param", "iccid=8900"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    // Another path, or none: the signed message differs.
    for extra in [&["--param", "iccid=8901"][..], &[]] {
        let out = linksfield_verify(&dir, &auth, extra);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {}", stderr(&out));
    }
}

#[test]
fn linksfield_accept_v1_false_refuses_v1() {
    let dir = tempfile::tempdir().unwrap();
    let auth = linksfield_v1(&dir, &[]);
    assert_eq!(linksfield_verify(&dir, &auth, &[]).status.code(), Some(0));
    let out = linksfield_verify(&dir, &auth, &["--accept-v1", "false"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn lovrabet_verify_without_dataset_allows_the_requests() {
    let out = bin()
        .env("LOVRABET_ACCESS_KEY", "ak-1")
        .args([
            "sign",
            "lovrabet",
            "--app-code",
            "app1",
            "--dataset-code",
            "ds1",
        ])
        .args(["--timestamp", "1700000000000"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let verify = |extra: &[&str]| {
        let mut c = bin();
        c.env("LOVRABET_ACCESS_KEY", "ak-1").args([
            "verify",
            "lovrabet",
            "--app-code",
            "app1",
            "--now",
            "1700000000000",
        ]);
        for line in text.lines() {
            c.args(["-H", line]);
        }
        c.args(extra).output().unwrap()
    };
    let out = verify(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("dataset=ds1"));
    // With --dataset, only the listed datasets exist.
    let out = verify(&["--dataset", "other"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("1005"), "{}", stderr(&out));
}
