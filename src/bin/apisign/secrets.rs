//! Reading secrets and bodies: from environment variables or files, never from flags.

use std::io::Read;
use std::path::Path;

use apisign::Secret;
use zeroize::Zeroizing;

use crate::fail::CliError;

/// Read a secret from `file` if given, else from env `var`, else `default`, else fail with a
/// message naming both ways to provide it.
fn secret(
    file: Option<&Path>,
    var: &str,
    default: Option<&str>,
    what: &str,
) -> Result<Secret, CliError> {
    if let Some(path) = file {
        let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| {
            CliError::input(format!("cannot read {what} from {}: {e}", path.display()))
        })?);
        return Ok(Secret::new(strip_newline(&bytes)));
    }
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() => Ok(Secret::new(v.into_encoded_bytes())),
        _ => match default {
            Some(d) => Ok(Secret::from(d)),
            None => Err(CliError::input(format!(
                "no {what}: set {var} or pass --secret-file PATH"
            ))),
        },
    }
}

/// The lovrabet access key: `--secret-file` or env `LOVRABET_ACCESS_KEY`. These four helpers
/// are the one place `sign`, `explain` and `verify` learn where each scheme's secret lives.
pub fn lovrabet_access_key(file: Option<&Path>) -> Result<Secret, CliError> {
    secret(file, "LOVRABET_ACCESS_KEY", None, "access key")
}

/// The lovrabet HMAC secret key: `--secret-key-file`, env `LOVRABET_SECRET_KEY`, or the
/// documented default.
pub fn lovrabet_secret_key(file: Option<&Path>) -> Result<Secret, CliError> {
    secret(
        file,
        "LOVRABET_SECRET_KEY",
        Some(apisign::lovrabet::DEFAULT_SECRET_KEY),
        "secret key",
    )
}

/// The JetLinks secure key: `--secret-file` or env `JETLINKS_SECURE_KEY`.
pub fn jetlinks_secure_key(file: Option<&Path>) -> Result<Secret, CliError> {
    secret(file, "JETLINKS_SECURE_KEY", None, "secure key")
}

/// The PieMDM app secret: `--secret-file` or env `PIEMDM_APP_SECRET`.
pub fn piemdm_app_secret(file: Option<&Path>) -> Result<Secret, CliError> {
    secret(file, "PIEMDM_APP_SECRET", None, "app secret")
}

/// One trailing `\n` or `\r\n` (as `echo` writes) is not part of the secret.
fn strip_newline(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    b.strip_suffix(b"\r").unwrap_or(b)
}

/// The body bytes: `--body`, `--body-file PATH`, `--body-file -` (stdin), or empty.
pub fn body(text: Option<&str>, file: Option<&Path>) -> Result<Vec<u8>, CliError> {
    match (text, file) {
        (Some(t), _) => Ok(t.as_bytes().to_vec()),
        (None, Some(p)) if p == Path::new("-") => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(|e| {
                CliError::input(format!("cannot read the body from standard input: {e}"))
            })?;
            Ok(buf)
        }
        (None, Some(p)) => std::fs::read(p)
            .map_err(|e| CliError::input(format!("cannot read --body-file {}: {e}", p.display()))),
        (None, None) => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trailing_newline_is_stripped() {
        assert_eq!(strip_newline(b"abc\n"), b"abc");
        assert_eq!(strip_newline(b"abc\r\n"), b"abc");
        assert_eq!(strip_newline(b"abc\n\n"), b"abc\n");
        assert_eq!(strip_newline(b"abc"), b"abc");
    }
}
