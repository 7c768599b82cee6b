//! CLI failures and their exit codes: 2 for bad input (with a one-line reason on stderr).

use std::fmt;

/// A failure the CLI reports on one line of stderr.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub exit_code: i32,
}

impl CliError {
    /// Bad input: exit 2.
    pub fn input(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            exit_code: 2,
        }
    }
}

impl From<apisign::Error> for CliError {
    fn from(e: apisign::Error) -> Self {
        CliError::input(format!("{e} [{}]", e.kind()))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Keep it one line whatever the message holds.
        f.write_str(&self.message.replace(['\n', '\r'], " "))
    }
}
