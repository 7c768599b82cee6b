//! `apisign`: sign (and explain) API requests from the command line, and verify received ones.
//!
//! Exit codes: 0 success; 2 bad input, with a one-line reason on stderr; `verify` exits 1
//! when the request is not authentic.

mod args;
mod explain;
mod fail;
mod output;
mod parse;
mod secrets;
mod sign;
mod verify;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sign { scheme } => sign::run(scheme, false),
        Command::Explain { scheme } => sign::run(scheme, true),
        Command::Verify { scheme } => return verify::run(scheme),
    };
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("apisign: error: {e}");
            ExitCode::from(u8::try_from(e.exit_code).unwrap_or(2))
        }
    }
}
