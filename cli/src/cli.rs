//! The command line, built from the registry: one subcommand per scheme under `sign`,
//! `explain` and `verify`, with one flag per scheme parameter (`app_id` ↔ `--app-id`), so a new
//! scheme needs no change here. The interface is part of the contract (README "The CLI").

use std::path::PathBuf;

use apisign::scheme::{NonceUse, ParamKind, ParamSpec, SchemeSpec, WireTime, SCHEMES};
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::fail::CliError;
use crate::platform;

/// What a scheme subcommand does.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Sign,
    Explain,
    Verify,
}

impl Mode {
    /// The command's name.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Sign => "sign",
            Mode::Explain => "explain",
            Mode::Verify => "verify",
        }
    }

    /// The parameters the subcommand takes: the signer's, or the caller's credential and the
    /// verifier's settings.
    pub fn params(self, spec: &SchemeSpec) -> impl Iterator<Item = &'static ParamSpec> {
        let settings: &'static [ParamSpec] = match self {
            Mode::Verify => spec.verify_settings,
            _ => &[],
        };
        self.credentials(spec).iter().chain(settings)
    }

    /// The signer's parameters, or the caller's credential.
    pub fn credentials(self, spec: &SchemeSpec) -> &'static [ParamSpec] {
        match self {
            Mode::Verify => spec.credential_params,
            _ => spec.sign_params,
        }
    }
}

/// The clap id of parameter `name` (prefixed: a parameter may share a common flag's name).
pub fn param_id(name: &str) -> String {
    format!("param:{name}")
}

/// The flag of parameter `name`, without `--`. `version` is clap's own `--version`.
pub fn flag(name: &str) -> String {
    match name {
        "version" => "signature-version".to_owned(),
        _ => name.replace('_', "-"),
    }
}

/// The environment variable of parameter `name` of `spec` (`<SCHEME>_APP_ID`); key parameters
/// name a file (`…_PRIVATE_KEY_FILE`).
pub fn env_var(spec: &SchemeSpec, p: &ParamSpec) -> String {
    let base = format!("{}_{}", spec.name, p.name).to_ascii_uppercase();
    match p.kind {
        ParamKind::PrivateKey | ParamKind::PublicKey => format!("{base}_FILE"),
        _ => base,
    }
}

/// The parameter's name in messages (`app_secret` → "app secret").
pub fn what(p: &ParamSpec) -> String {
    p.name.replace('_', " ")
}

/// Whether `p` is read from a file (or its environment variable).
pub fn from_file(p: &ParamSpec) -> bool {
    matches!(
        p.kind,
        ParamKind::Secret | ParamKind::PrivateKey | ParamKind::PublicKey
    )
}

/// The first file-read parameter also answers to `--secret-file` (its long flag for plain
/// secrets, as documented; an alias for keys).
fn is_primary(mode: Mode, spec: &SchemeSpec, p: &ParamSpec) -> bool {
    mode.params(spec).find(|q| from_file(q)).map(|q| q.name) == Some(p.name)
}

/// The file flag of a file-read parameter, without `--`.
pub fn file_flag(mode: Mode, spec: &SchemeSpec, p: &ParamSpec) -> String {
    if p.kind == ParamKind::Secret && is_primary(mode, spec, p) {
        "secret-file".to_owned()
    } else {
        format!("{}-file", flag(p.name))
    }
}

/// The unit of `--timestamp`, `--now` and `--window`: the scheme's wire unit, as documented.
pub fn time_unit(spec: &SchemeSpec) -> (&'static str, u64) {
    match spec.wire_time {
        WireTime::Millis => ("ms", 1),
        WireTime::Seconds => ("seconds", 1000),
    }
}

/// The time flag `id` converted to milliseconds (`None`: not given).
pub fn time_ms(spec: &SchemeSpec, m: &ArgMatches, id: &str) -> Result<Option<u64>, CliError> {
    let Some(&t) = m.get_one::<u64>(id) else {
        return Ok(None);
    };
    let (unit, factor) = time_unit(spec);
    t.checked_mul(factor)
        .map(Some)
        .ok_or_else(|| CliError::input(format!("--{id} {t}: too large a time in {unit}")))
}

/// The whole command line.
pub fn command() -> Command {
    let titles: Vec<&str> = SCHEMES.iter().map(|s| s.title).collect();
    Command::new("apisign")
        .version(env!("CARGO_PKG_VERSION"))
        .about(format!(
            "Sign HTTP API requests for {} exactly like their servers compute them.",
            titles.join(", ")
        ))
        .after_help(platform::AFTER_HELP)
        .subcommand_required(true)
        .subcommand(group(
            Mode::Sign,
            "Sign a request: print the headers to add (`Name: value` lines, or JSON with --json).",
        ))
        .subcommand(group(
            Mode::Explain,
            "Sign a request and show every step: what was parsed, the intermediate string, the digest.",
        ))
        .subcommand(group(
            Mode::Verify,
            "Verify a received request like the platform's server: exit 0 valid, 1 invalid (kind and platform code on stderr), 2 bad input.",
        ))
}

/// `sign`, `explain` or `verify`, with one subcommand per scheme.
fn group(mode: Mode, about: &'static str) -> Command {
    Command::new(mode.name())
        .about(about)
        .after_help(match mode {
            Mode::Verify => platform::VERIFY_HELP,
            _ => platform::AFTER_HELP,
        })
        .subcommand_required(true)
        .subcommands(SCHEMES.iter().map(move |s| scheme_command(s, mode)))
}

fn scheme_command(spec: &'static SchemeSpec, mode: Mode) -> Command {
    let about = match mode {
        Mode::Verify => {
            let mut a = format!(
                "Verify a {} request (headers {}).",
                spec.title,
                spec.headers.join(", ")
            );
            if spec.nonces == NonceUse::Always {
                a.push_str(" Nonces are remembered for this one command only, so replays across invocations are not detected.");
            }
            a
        }
        _ => format!("{}: adds {}.", spec.title, spec.headers.join(", ")),
    };
    let mut cmd = Command::new(spec.name)
        .about(about)
        .after_help(example(spec, mode))
        .args(mode.params(spec).map(|p| param_arg(spec, mode, p)))
        .args(request_args())
        .args(platform::extra_args(spec.id));
    let (unit, factor) = time_unit(spec);
    cmd = match mode {
        Mode::Sign | Mode::Explain => cmd
            .arg(
                Arg::new("timestamp")
                    .long("timestamp")
                    .value_name("T")
                    .value_parser(clap::value_parser!(u64))
                    .help(format!(
                        "Timestamp to sign, in {unit} since the epoch. Default: now."
                    )),
            )
            .arg(
                Arg::new("nonce")
                    .long("nonce")
                    .value_name("N")
                    // Kept for a one-line error ("does not sign a nonce") over clap's usage text.
                    .hide(spec.nonces == NonceUse::None)
                    .help("Nonce to sign. Default: random (32 hex characters, or what the scheme needs)."),
            ),
        Mode::Verify => cmd
            .arg(
                Arg::new("header")
                    .short('H')
                    .long("header")
                    .value_name("NAME: VALUE")
                    .action(ArgAction::Append)
                    .help("A received header as 'Name: value'; repeatable."),
            )
            .arg(
                Arg::new("now")
                    .long("now")
                    .value_name("T")
                    .value_parser(clap::value_parser!(u64))
                    .help(format!(
                        "The server's current time in {unit} since the epoch. Default: now."
                    )),
            )
            .arg(
                Arg::new("window")
                    .long("window")
                    .value_name("T")
                    .value_parser(clap::value_parser!(u64))
                    .help(format!(
                        "Accepted timestamp skew either way, in {unit} (default: {}).",
                        spec.window.max_age / factor
                    )),
            )
            .arg(
                Arg::new("allowed_ips")
                    .long("allowed-ips")
                    .value_name("LIST")
                    .help("The caller's address allow-list: IPs and CIDR blocks separated by ',', ';' or newlines, as the platform's server splits it. Default: any address."),
            )
            .arg(
                Arg::new("client_ip")
                    .long("client-ip")
                    .value_name("IP")
                    .help("The address the request came from, checked against --allowed-ips (without it, an allow-list refuses the request)."),
            ),
    };
    let json_help = match mode {
        Mode::Verify => "Print one JSON object: {\"valid\": true, \"caller\": …} or {\"valid\": false, \"error\": …, \"code\": …}.",
        _ => "Print one JSON object {\"headers\": {...}, \"signed\": \"...\"} (secrets redacted).",
    };
    cmd.arg(
        Arg::new("json")
            .long("json")
            .action(ArgAction::SetTrue)
            .help(json_help),
    )
}

/// The flag of one scheme parameter.
fn param_arg(spec: &SchemeSpec, mode: Mode, p: &ParamSpec) -> Arg {
    let arg = Arg::new(param_id(p.name));
    if from_file(p) {
        let env = env_var(spec, p);
        let mut arg = arg
            .long(file_flag(mode, spec, p))
            .value_name("PATH")
            .value_parser(clap::value_parser!(PathBuf));
        if p.kind == ParamKind::Secret {
            // The secret's value comes from the variable (read in `inputs`, never shown).
            arg = arg.help(format!(
                "File holding {} instead of env {env}; one trailing newline is ignored.",
                p.doc
            ));
            if is_primary(mode, spec, p) {
                arg = arg.alias(format!("{}-file", flag(p.name)));
            }
        } else {
            arg = arg.env(env).help(format!("File holding {}.", p.doc));
            if is_primary(mode, spec, p) {
                arg = arg.alias("secret-file");
            }
        }
        return arg;
    }
    let arg = arg.long(flag(p.name)).help(capitalized(p.doc));
    let arg = match p.kind {
        ParamKind::Choice(options) => arg
            .value_parser(clap::builder::PossibleValuesParser::new(
                options.iter().copied(),
            ))
            .value_name("NAME"),
        ParamKind::Flag => arg
            .num_args(0..=1)
            .default_missing_value("true")
            .value_name("BOOL"),
        ParamKind::Number => arg.value_name("N"),
        _ => arg
            .value_name(p.name.to_ascii_uppercase())
            .env(env_var(spec, p)),
    };
    let arg = match p.default {
        Some(d) if !matches!(p.kind, ParamKind::Flag) => arg.default_value(d),
        _ => arg,
    };
    if p.repeated {
        arg.action(ArgAction::Append)
    } else {
        arg.required(p.required && p.default.is_none())
    }
}

fn capitalized(doc: &str) -> String {
    let mut c = doc.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect::<String>() + ".")
        .unwrap_or_default()
}

/// The request as sent (or received).
fn request_args() -> [Arg; 5] {
    [
        Arg::new("method")
            .long("method")
            .value_name("METHOD")
            .default_value("GET")
            .help("HTTP method."),
        Arg::new("url").long("url").value_name("URL").default_value("/").help(
            "Path with the raw query exactly as sent (/api/device?a=1), or an absolute http(s) URL.",
        ),
        Arg::new("body")
            .long("body")
            .value_name("TEXT")
            .conflicts_with("body_file")
            .help("Body text exactly as sent."),
        Arg::new("body_file")
            .long("body-file")
            .value_name("PATH")
            .value_parser(clap::value_parser!(PathBuf))
            .help("File with the exact body bytes; `-` reads standard input."),
        Arg::new("content_type")
            .long("content-type")
            .value_name("TYPE")
            .help("Content-Type header sent with the request (some schemes sign form bodies as params)."),
    ]
}

/// An example built from the spec: the secrets' variables, the required flags, a request.
fn example(spec: &SchemeSpec, mode: Mode) -> String {
    let mut line = String::new();
    let mut flags = String::new();
    for p in mode.params(spec).filter(|p| p.required) {
        if p.kind == ParamKind::Secret {
            line.push_str(&format!("{}=... ", env_var(spec, p)));
        } else if from_file(p) {
            flags.push_str(&format!(" --{} key.pem", file_flag(mode, spec, p)));
        } else {
            flags.push_str(&format!(
                " --{} {}",
                flag(p.name),
                p.name.to_ascii_uppercase()
            ));
        }
    }
    let mut out = format!(
        "Example:\n  {line}apisign {} {}{flags} --url '/path?a=1'",
        mode.name(),
        spec.name
    );
    if mode == Mode::Verify {
        out.push_str(" \\\n     ");
        for h in spec.headers {
            out.push_str(&format!(" -H '{h}: …'"));
        }
    }
    out
}
