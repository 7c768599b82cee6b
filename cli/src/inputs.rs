//! Reading a scheme's parameters (ids from flags or env; secrets from env or files, never
//! from flags; keys from files) and the body.

use std::io::Read;
use std::path::{Path, PathBuf};

use apisign::scheme::{Param, ParamKind, SchemeSpec};
use clap::ArgMatches;
use zeroize::Zeroizing;

use crate::cli::{self, Mode};
use crate::fail::CliError;

/// The parameters given for one subcommand, by spec name; wiped when dropped.
#[derive(Default)]
pub struct Inputs(Vec<(&'static str, Zeroizing<Vec<u8>>)>);

impl Inputs {
    /// The signer's or credential's parameters found in `m` or the environment; a required
    /// secret or key that is missing is an error naming both ways to give it.
    pub fn collect(spec: &SchemeSpec, mode: Mode, m: &ArgMatches) -> Result<Inputs, CliError> {
        let mut out = Inputs::default();
        for p in mode.credentials(spec) {
            let id = cli::param_id(p.name);
            if !cli::from_file(p) {
                for v in m.get_many::<String>(&id).into_iter().flatten() {
                    out.push(p.name, v.as_bytes().to_vec());
                }
                continue;
            }
            let what = cli::what(p);
            let env = cli::env_var(spec, p);
            let file = m.get_one::<PathBuf>(&id);
            let value = match (p.kind, file) {
                (ParamKind::PublicKey, Some(path)) => {
                    std::fs::read(path).map(Zeroizing::new).map_err(|e| {
                        CliError::input(format!("cannot read {what} from {}: {e}", path.display()))
                    })?
                }
                (ParamKind::Secret, Some(path)) => {
                    let bytes = read_secret_file(path, &what)?;
                    Zeroizing::new(strip_newline(&bytes).to_vec())
                }
                (_, Some(path)) => read_secret_file(path, &what)?,
                (ParamKind::Secret, None) => match std::env::var_os(&env) {
                    Some(v) if !v.is_empty() => Zeroizing::new(v.into_encoded_bytes()),
                    _ if !p.required || p.default.is_some() => continue,
                    _ => {
                        return Err(CliError::input(format!(
                            "no {what}: set {env} or pass --{} PATH",
                            cli::file_flag(mode, spec, p)
                        )))
                    }
                },
                (_, None) if !p.required => continue,
                (_, None) => {
                    return Err(CliError::input(format!(
                        "no {what}: pass --{} PATH or set {env}",
                        cli::file_flag(mode, spec, p)
                    )))
                }
            };
            out.0.push((p.name, value));
        }
        Ok(out)
    }

    /// Add a value of parameter `name`.
    pub fn push(&mut self, name: &'static str, value: Vec<u8>) {
        self.0.push((name, Zeroizing::new(value)));
    }

    /// Whether `name` was given.
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| *n == name)
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// The parameters for the core, borrowing the values.
    pub fn params(&self) -> Vec<Param<'_>> {
        self.0.iter().map(|(n, v)| Param::bytes(n, v)).collect()
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

/// One trailing `\n` or `\r\n` (as `echo` writes) is not part of the secret.
fn strip_newline(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    b.strip_suffix(b"\r").unwrap_or(b)
}

/// The body bytes: `--body`, `--body-file PATH`, `--body-file -` (stdin), or empty.
pub fn body(m: &ArgMatches) -> Result<Vec<u8>, CliError> {
    let text = m.get_one::<String>("body");
    let file = m.get_one::<PathBuf>("body_file").map(PathBuf::as_path);
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
