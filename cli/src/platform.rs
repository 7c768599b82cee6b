//! The one place the CLI names platforms: the help examples, and what only one platform has —
//! Lovrabet's dataset allowed by default when verifying, and Linksfield v1's path parameters
//! (`--param`, `--param-json`, signed and verified through its typed API) and integer nonce.

use std::sync::Arc;

use apisign::linksfield::{self, PrivateKey, Version};
use apisign::scheme::SchemeSpec;
use apisign::verify::{CredentialStore, IncomingRequest, Window};
use apisign::{clock, Request, SchemeId, SignOptions, Signature, Verified};
use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches};
use serde_json::{Map, Value};

use crate::cli::param_id;
use crate::fail::CliError;
use crate::inputs::Inputs;

pub const AFTER_HELP: &str = "\
Secrets are never accepted as plain flags: they come from environment variables or from
--secret-file PATH (one trailing newline is ignored).

Examples:
  JETLINKS_SECURE_KEY=testSecure apisign sign jetlinks --client-id testId \\
      --url '/api/device?pageSize=20&pageIndex=0' --timestamp 1574993804802
  PIEMDM_APP_SECRET=... apisign sign piemdm --app-id app_1 --method POST \\
      --url /openapi/v1/entities/product --body-file order.json --json
  # curl reads the header lines from the output (bash/zsh process substitution); send the
  # body with --data-binary: curl -d @file strips its newlines and breaks the signature
  curl -H @<(apisign sign jetlinks --client-id testId --method POST --url /api/v1/device \
      --body-file order.json --content-type application/json) \
      -H 'Content-Type: application/json' --data-binary @order.json https://host/api/v1/device";

pub const VERIFY_HELP: &str = "\
Give the request exactly as received: --method, --url (path and raw query), --body or
--body-file, and every header with -H 'Name: value'. Credentials come from environment
variables or files, never from flags.

Exit codes: 0 valid; 1 invalid (kind and platform code on stderr; JSON on stdout with
--json); 2 bad input.

Example:
  PIEMDM_APP_SECRET=test_secret_123456 apisign verify piemdm --app-id app_592837482 \\
      --url '/openapi/v1/entities/product?page=1&pageSize=10' --now 1705478400 \\
      -H 'X-App-Id: app_592837482' -H 'X-Timestamp: 1705478400' \\
      -H 'X-Nonce: abc123xyz789' -H 'X-Sign: a35a515127fd2956cec0e7b80a01ba382c730f0283d03bd9a9dd170c6005bf2d' \\
      --strict-query";

/// Flags only one scheme has.
pub fn extra_args(scheme: SchemeId) -> Vec<Arg> {
    if scheme != SchemeId::Linksfield {
        return Vec::new();
    }
    vec![
        Arg::new("param")
            .long("param")
            .value_name("NAME=VALUE")
            .action(ArgAction::Append)
            .help("v1 only: a string parameter (e.g. a path parameter) as NAME=VALUE; repeatable."),
        Arg::new("param_json")
            .long("param-json")
            .value_name("NAME=JSON")
            .action(ArgAction::Append)
            .help("v1 only: a typed parameter as NAME=JSON (e.g. cycles=3); repeatable."),
    ]
}

/// Values the verifier's credential takes from the request when not given: Lovrabet with no
/// `--dataset` allows the request's dataset (1005/1006 are then never reported).
pub fn default_credential_params(
    scheme: SchemeId,
    inputs: &mut Inputs,
    request: &IncomingRequest<'_>,
) {
    if scheme == SchemeId::Lovrabet && !inputs.has("dataset") {
        if let Ok(Some(ds)) = request.get("X-Dataset-Code") {
            inputs.push("dataset", ds.as_bytes().to_vec());
        }
    }
}

/// How a parameter to send is shown in JSON: Linksfield v1 sends its nonce as a JSON integer.
pub fn param_json(scheme: SchemeId, name: &str, value: &str) -> Value {
    match (scheme, name, value.parse::<i64>()) {
        (SchemeId::Linksfield, "nonce", Ok(n)) => Value::from(n),
        _ => Value::from(value),
    }
}

/// Linksfield v1 with `--param`/`--param-json`: signed with the path parameters (the generic
/// signer has none). `None`: sign generically.
pub fn sign(
    spec: &SchemeSpec,
    m: &ArgMatches,
    inputs: &Inputs,
    request: &Request<'_>,
    options: &SignOptions<'_>,
) -> Result<Option<Signature>, CliError> {
    let Some(extra) = path_params(spec, m)? else {
        return Ok(None);
    };
    let version = m
        .get_one::<String>(&param_id("version"))
        .map_or(Ok(Version::V2), |v| v.parse::<Version>())?;
    if version == Version::V2 {
        return Err(CliError::input(
            "--param/--param-json are for --signature-version 1; v2 signs the query and body as sent",
        ));
    }
    let key = PrivateKey::parse(inputs.get("private_key").unwrap_or_default())?;
    let key_id = std::str::from_utf8(inputs.get("key_id").unwrap_or_default())
        .map_err(|_| CliError::input("--key-id must be UTF-8 text"))?;
    let signer = linksfield::Signer::new(key_id, key)?;
    let nonce = match options.nonce {
        Some(n) => linksfield::parse_v1_nonce(n)?,
        None => clock::random_int_nonce()?,
    };
    let ts = options.timestamp.unwrap_or_else(clock::now_ms);
    Ok(Some(
        signer
            .sign_v1_request(request, &extra, ts, nonce)?
            .signature,
    ))
}

/// Linksfield v1 with `--param`/`--param-json`: verified with the path parameters. `None`:
/// verify generically.
pub fn verify(
    spec: &SchemeSpec,
    m: &ArgMatches,
    credentials: Arc<dyn CredentialStore>,
    window: Option<Window>,
    request: &IncomingRequest<'_>,
    now_ms: u64,
) -> Result<Option<apisign::Result<Verified>>, CliError> {
    let Some(path_params) = path_params(spec, m)? else {
        return Ok(None);
    };
    let given = |name| m.value_source(&param_id(name)) == Some(ValueSource::CommandLine);
    if spec.verify_settings.iter().any(|s| given(s.name)) {
        return Err(CliError::input(
            "--param/--param-json verify a v1 request with its path parameters; drop the verifier settings",
        ));
    }
    let mut v = linksfield::Verifier::new(credentials);
    if let Some(w) = window {
        v = v.window(w)?;
    }
    Ok(Some(v.verify_v1(request, &path_params, now_ms)))
}

/// `--param NAME=VALUE` (strings) and `--param-json NAME=JSON` (typed); `None` when neither
/// is given.
fn path_params(spec: &SchemeSpec, m: &ArgMatches) -> Result<Option<Map<String, Value>>, CliError> {
    if spec.id != SchemeId::Linksfield {
        return Ok(None);
    }
    let strings = m.get_many::<String>("param").into_iter().flatten();
    let typed = m.get_many::<String>("param_json").into_iter().flatten();
    let mut out = Map::new();
    let mut insert = |flag: &str, name: &str, value: Value| {
        if out.insert(name.to_owned(), value).is_some() {
            return Err(CliError::input(format!(
                "{flag} {name}: the parameter is given twice; give each name once"
            )));
        }
        Ok(())
    };
    for p in strings {
        let (k, v) = crate::parse::name_value("--param", p).map_err(CliError::input)?;
        insert("--param", k, Value::String(v.to_owned()))?;
    }
    for p in typed {
        let (k, v) = crate::parse::name_value("--param-json", p).map_err(CliError::input)?;
        let value: Value = serde_json::from_str(v).map_err(|e| {
            CliError::input(format!(
                "--param-json {k}: {v:?} is not JSON ({e}); quote strings, e.g. {k}='\"text\"'"
            ))
        })?;
        insert("--param-json", k, value)?;
    }
    Ok((!out.is_empty()).then_some(out))
}
