//! `apisign sign|explain <scheme>`: build the scheme's signer from flags, env and files, then
//! sign (and, for explain, show the scheme's steps).

use apisign::scheme::{NonceUse, SchemeSpec, Signer};
use apisign::{clock, Request, SignOptions};
use clap::ArgMatches;

use crate::cli::{self, Mode};
use crate::fail::CliError;
use crate::inputs::{self, Inputs};
use crate::{output, platform};

pub fn run(spec: &'static SchemeSpec, m: &ArgMatches, mode: Mode) -> Result<String, CliError> {
    let nonce = m.get_one::<String>("nonce").map(String::as_str);
    if nonce.is_some() && spec.nonces == NonceUse::None {
        return Err(CliError::input(format!(
            "{} does not sign a nonce; drop --nonce",
            spec.name
        )));
    }
    let inputs = Inputs::collect(spec, mode, m)?;
    let signer = Signer::new(spec.id, &inputs.params())?;
    let body = inputs::body(m)?;
    let request = to_request(m, &body);
    let options = SignOptions {
        timestamp: cli::time_ms(spec, m, "timestamp")?,
        nonce,
        headers_only: false,
    };
    let signature = match platform::sign(spec, m, &inputs, &request, &options)? {
        Some(sig) => sig,
        None => signer.sign(&request, &options)?,
    };
    // `sign` never pays for the steps.
    let steps = match mode {
        Mode::Explain => signer.explain(&request, &signature, clock::now_ms())?,
        _ => Vec::new(),
    };
    Ok(output::render(
        spec,
        &signature,
        (mode == Mode::Explain).then_some(&steps[..]),
        m.get_flag("json"),
    ))
}

/// The request as given by `--method`, `--url`, `--content-type` and the body.
pub fn to_request<'a>(m: &'a ArgMatches, body: &'a [u8]) -> Request<'a> {
    Request {
        method: m.get_one::<String>("method").map_or("GET", String::as_str),
        url: m.get_one::<String>("url").map_or("/", String::as_str),
        body,
        content_type: m.get_one::<String>("content_type").map(String::as_str),
        headers: &[],
    }
}
