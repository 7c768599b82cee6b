//! `apisign`: sign (and explain) API requests from the command line, and verify received ones.
//!
//! Exit codes: 0 success; 2 bad input, with a one-line reason on stderr; `verify` exits 1
//! when the request is not authentic.

mod cli;
mod fail;
mod inputs;
mod output;
mod parse;
mod platform;
mod sign;
mod verify;

use std::process::ExitCode;

use apisign::SchemeId;

use cli::Mode;
use fail::CliError;

fn main() -> ExitCode {
    let matches = cli::command().get_matches();
    // clap requires a subcommand at both levels, so both are present.
    let Some((command, sub)) = matches.subcommand() else {
        return ExitCode::from(2);
    };
    let Some((scheme, m)) = sub.subcommand() else {
        return ExitCode::from(2);
    };
    let spec = match scheme.parse::<SchemeId>() {
        Ok(id) => id.spec(),
        Err(e) => return fail(&CliError::from(e)),
    };
    let result = match command {
        "sign" => sign::run(spec, m, Mode::Sign),
        "explain" => sign::run(spec, m, Mode::Explain),
        _ => return verify::run(spec, m),
    };
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// Bad input: the one-line reason on stderr, exit 2.
pub fn fail(e: &CliError) -> ExitCode {
    eprintln!("apisign: error: {e}");
    ExitCode::from(u8::try_from(e.exit_code).unwrap_or(2))
}
