//! `apisign sign|explain <scheme>`: build the signer from flags, env and files, then sign.

use std::path::Path;

use apisign::linksfield::{self, PrivateKey, Version};
use apisign::{clock, jetlinks, lovrabet, piemdm, Request, Signature};
use serde_json::{Map, Value};

use crate::args::{CommonArgs, RequestArgs, Scheme};
use crate::explain;
use crate::fail::CliError;
use crate::output::{self, Extra};
use crate::secrets;

/// What one signing produced, ready for output.
pub struct Signed {
    pub scheme: &'static str,
    pub signature: Signature,
    pub steps: Vec<(&'static str, String)>,
    pub extra: Option<Extra>,
}

pub fn run(scheme: Scheme, explain: bool) -> Result<String, CliError> {
    let (signed, json) = match scheme {
        Scheme::Lovrabet {
            app_code,
            dataset_code,
            secret_key_file,
            request,
            common,
        } => {
            no_nonce("lovrabet", &common)?;
            let _ = request; // lovrabet tokens do not cover the request
            let access_key = secrets::lovrabet_access_key(common.secret_file.as_deref())?;
            let secret_key = secrets::lovrabet_secret_key(secret_key_file.as_deref())?;
            let signer = lovrabet::Signer::new(app_code, dataset_code, access_key, secret_key)?;
            let token = signer.token(common.timestamp.unwrap_or_else(clock::now_ms))?;
            let steps = steps_if(explain, || Ok(explain::lovrabet(&token, clock::now_ms())))?;
            (
                Signed {
                    scheme: "lovrabet",
                    signature: token.into_signature(),
                    steps,
                    extra: None,
                },
                common.json,
            )
        }
        Scheme::Jetlinks {
            client_id,
            algorithm,
            request,
            common,
        } => {
            no_nonce("jetlinks", &common)?;
            let key = secrets::jetlinks_secure_key(common.secret_file.as_deref())?;
            let algorithm: jetlinks::Algorithm = algorithm.parse()?;
            let signer = jetlinks::Signer::new(client_id, key, algorithm)?;
            let body = body(&request)?;
            let req = to_request(&request, &body);
            let signature = signer.sign(&req, common.timestamp.unwrap_or_else(clock::now_ms))?;
            let steps = steps_if(explain, || explain::jetlinks(&req, algorithm, &signature))?;
            (
                Signed {
                    scheme: "jetlinks",
                    signature,
                    steps,
                    extra: None,
                },
                common.json,
            )
        }
        Scheme::Piemdm {
            app_id,
            request,
            common,
        } => {
            let secret = secrets::piemdm_app_secret(common.secret_file.as_deref())?;
            let signer = piemdm::Signer::new(app_id, secret)?;
            let body = body(&request)?;
            let req = to_request(&request, &body);
            let ts = common.timestamp.unwrap_or_else(clock::now_secs);
            let nonce = match &common.nonce {
                Some(n) => n.clone(),
                None => clock::random_nonce()?,
            };
            let signature = signer.sign(&req, ts, &nonce)?;
            let steps = steps_if(explain, || Ok(explain::piemdm(&signature)))?;
            (
                Signed {
                    scheme: "piemdm",
                    signature,
                    steps,
                    extra: None,
                },
                common.json,
            )
        }
        Scheme::Linksfield {
            key_id,
            private_key_file,
            signature_version,
            param,
            param_json,
            request,
            common,
        } => {
            let key_path = private_key_file
                .or_else(|| common.secret_file.clone())
                .ok_or_else(|| {
                    CliError::input("no private key: pass --private-key-file PEM or set LINKSFIELD_PRIVATE_KEY_FILE")
                })?;
            let key = read_key(&key_path)?;
            let signer = linksfield::Signer::new(key_id, key)?;
            let body = body(&request)?;
            let req = to_request(&request, &body);
            let ts = common.timestamp.unwrap_or_else(clock::now_ms);
            let signed = match signature_version.parse::<Version>()? {
                Version::V2 => {
                    if !param.is_empty() || !param_json.is_empty() {
                        return Err(CliError::input(
                            "--param/--param-json are for --signature-version 1; v2 signs the query and body as sent",
                        ));
                    }
                    let nonce = match &common.nonce {
                        Some(n) => n.clone(),
                        None => clock::random_nonce()?,
                    };
                    let signature = signer.sign_v2(&req, ts, &nonce)?;
                    let steps = steps_if(explain, || Ok(explain::linksfield(&signature, "2.0")))?;
                    Signed {
                        scheme: "linksfield",
                        signature,
                        steps,
                        extra: None,
                    }
                }
                Version::V1 => {
                    let extra = v1_params(&param, &param_json)?;
                    let nonce = match &common.nonce {
                        Some(n) => linksfield::parse_v1_nonce(n)?,
                        None => clock::random_int_nonce()?,
                    };
                    let v1 = signer.sign_v1_request(&req, &extra, ts, nonce)?;
                    let steps =
                        steps_if(explain, || Ok(explain::linksfield(&v1.signature, "1.0")))?;
                    Signed {
                        scheme: "linksfield",
                        signature: v1.signature,
                        steps,
                        extra: Some(Extra::V1Params {
                            timestamp: v1.timestamp,
                            nonce: v1.nonce,
                        }),
                    }
                }
            };
            (signed, common.json)
        }
    };
    Ok(output::render(&signed, explain, json))
}

/// The explain steps, built only for `apisign explain`: `sign` never pays for them.
fn steps_if(
    explain: bool,
    build: impl FnOnce() -> apisign::Result<Vec<(&'static str, String)>>,
) -> Result<Vec<(&'static str, String)>, CliError> {
    Ok(if explain { build()? } else { Vec::new() })
}

fn no_nonce(scheme: &str, common: &CommonArgs) -> Result<(), CliError> {
    match common.nonce {
        Some(_) => Err(CliError::input(format!(
            "{scheme} does not sign a nonce; drop --nonce"
        ))),
        None => Ok(()),
    }
}

fn body(request: &RequestArgs) -> Result<Vec<u8>, CliError> {
    secrets::body(request.body.as_deref(), request.body_file.as_deref())
}

fn to_request<'a>(args: &'a RequestArgs, body: &'a [u8]) -> Request<'a> {
    Request {
        method: &args.method,
        url: &args.url,
        body,
        content_type: args.content_type.as_deref(),
        headers: &[],
    }
}

fn read_key(path: &Path) -> Result<PrivateKey, CliError> {
    let bytes = crate::secrets::read_secret_file(path, "private key")?;
    Ok(PrivateKey::parse(&*bytes)?)
}

/// `--param NAME=VALUE` (strings) and `--param-json NAME=JSON` (typed) for v1.
pub(crate) fn v1_params(
    strings: &[String],
    typed: &[String],
) -> Result<Map<String, Value>, CliError> {
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
    Ok(out)
}
