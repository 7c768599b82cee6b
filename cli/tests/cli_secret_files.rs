//! `--secret-file` and `--private-key-file` that group or others can read get a warning on
//! stderr (as ssh gives for private keys); the command still runs and prints the same output.
#![cfg(unix)]

#[path = "../../tests/common/mod.rs"]
mod common;
mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;
use support::*;

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn piemdm_sign(secret_file: &Path) -> Output {
    bin()
        .args(["sign", "piemdm"])
        .args(PIEMDM_EXAMPLE_ARGS)
        .args(["--method", "GET", "--url", "/openapi/v1/x"])
        .arg("--secret-file")
        .arg(secret_file)
        .output()
        .unwrap()
}

fn linksfield_sign(key_file: &Path) -> Output {
    bin()
        .args([
            "sign",
            "linksfield",
            "--key-id",
            "k",
            "--timestamp",
            "1674197059220",
        ])
        .args(["--nonce", "1", "--method", "GET", "--url", "/cube/v4/x"])
        .arg("--private-key-file")
        .arg(key_file)
        .output()
        .unwrap()
}

fn check(path: &Path, run: impl Fn(&Path) -> Output, what: &str) {
    chmod(path, 0o600);
    let private = run(path);
    assert!(private.status.success(), "{}", stderr(&private));
    assert_eq!(stderr(&private), "", "0600 must not warn");
    for mode in [0o640, 0o604, 0o644, 0o660] {
        chmod(path, mode);
        let open = run(path);
        assert!(open.status.success(), "{mode:o}: {}", stderr(&open));
        assert_eq!(
            open.stdout, private.stdout,
            "same output with mode {mode:o}"
        );
        let e = stderr(&open);
        assert!(
            e.contains(&format!("warning: {what} file"))
                && e.contains(&format!("(mode 0{mode:o})"))
                && e.contains("chmod 600"),
            "{mode:o}: {e}"
        );
        assert!(
            !e.contains("test_secret_123456") && !e.contains("PRIVATE KEY"),
            "{e}"
        );
    }
}

#[test]
fn loose_secret_files_warn_and_still_run() {
    let dir = tempfile::tempdir().unwrap();
    let secret = secret_file(&dir);
    check(&secret, piemdm_sign, "app secret");

    let key = common::linksfield_vector_key_file(dir.path(), "rsa1024_pkcs8_pem");
    check(&key, linksfield_sign, "private key");
}
