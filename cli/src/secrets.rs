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
        let bytes = read_secret_file(path, what)?;
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

/// Read a file holding a secret (`what` names it in messages). Like ssh with a private key,
/// warn on stderr when a regular file is readable or writable by group or others (the command
/// still runs: refusing would break scripts that work today). The mode is read from the open
/// file, so it is the file that was read.
pub fn read_secret_file(path: &Path, what: &str) -> Result<Zeroizing<Vec<u8>>, CliError> {
    let cannot = |e: std::io::Error| {
        CliError::input(format!("cannot read {what} from {}: {e}", path.display()))
    };
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    if let Some(mode) = loose_mode(&file) {
        eprintln!(
            "apisign: warning: {what} file {} is accessible by others (mode {mode:04o}); \
             run: chmod 600 {}",
            path.display(),
            path.display()
        );
    }
    let mut bytes = Zeroizing::new(Vec::new());
    file.read_to_end(&mut bytes).map_err(cannot)?;
    Ok(bytes)
}

/// The permission bits of a regular file that group or others may access, if any.
#[cfg(unix)]
fn loose_mode(file: &std::fs::File) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let meta = file.metadata().ok()?;
    let mode = meta.permissions().mode() & 0o7777;
    (meta.is_file() && mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn loose_mode(_file: &std::fs::File) -> Option<u32> {
    None
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
