//! Command line definitions. The interface is part of the contract (issue: "The CLI").

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
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

/// Sign HTTP API requests for Lovrabet, JetLinks, PieMDM and Linksfield Cube exactly like their
/// servers compute them.
#[derive(Debug, Parser)]
#[command(name = "apisign", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign a request: print the headers to add (`Name: value` lines, or JSON with --json).
    #[command(after_help = AFTER_HELP)]
    Sign {
        #[command(subcommand)]
        scheme: Scheme,
    },
    /// Sign a request and show every step: what was parsed, the intermediate string, the digest.
    #[command(after_help = AFTER_HELP)]
    Explain {
        #[command(subcommand)]
        scheme: Scheme,
    },
    /// Verify a received request like the platform's server: exit 0 valid, 1 invalid (kind and
    /// platform code on stderr), 2 bad input.
    Verify {
        #[command(subcommand)]
        scheme: crate::verify::VerifyScheme,
    },
}

#[derive(Debug, Subcommand)]
pub enum Scheme {
    /// Lovrabet: HMAC-SHA256 token over accessKey/appCode/datasetCode/timeStamp (10-minute
    /// lifetime). Access key from env LOVRABET_ACCESS_KEY (or --secret-file); secret key from env
    /// LOVRABET_SECRET_KEY (or --secret-key-file), default "lovrabet".
    #[command(
        after_help = "Example:\n  LOVRABET_ACCESS_KEY=ak-xxx apisign sign lovrabet --app-code your-app-code \\\n      --dataset-code ds-001 --timestamp 1700000000000"
    )]
    Lovrabet {
        /// Application code (X-App-Code).
        #[arg(long, env = "LOVRABET_APP_CODE")]
        app_code: String,
        /// Dataset code the token is bound to (X-Dataset-Code).
        #[arg(long, env = "LOVRABET_DATASET_CODE")]
        dataset_code: String,
        /// File holding the HMAC secret key instead of env LOVRABET_SECRET_KEY.
        #[arg(long, value_name = "PATH")]
        secret_key_file: Option<PathBuf>,
        #[command(flatten)]
        request: RequestArgs,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// JetLinks: MD5/SHA-256 over the sorted query (GET/DELETE), form params, or raw body, plus
    /// timestamp and secure key. Secure key from env JETLINKS_SECURE_KEY (or --secret-file).
    #[command(
        after_help = "Example:\n  JETLINKS_SECURE_KEY=testSecure apisign sign jetlinks --client-id testId \\\n      --url '/api/device?pageSize=20&pageIndex=0' --timestamp 1574993804802"
    )]
    Jetlinks {
        /// Client id (X-Client-Id).
        #[arg(long, env = "JETLINKS_CLIENT_ID")]
        client_id: String,
        /// Digest configured for the client on the platform.
        #[arg(long, default_value = "md5", value_parser = ["md5", "sha256"])]
        algorithm: String,
        #[command(flatten)]
        request: RequestArgs,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// PieMDM: HMAC-SHA256 over the canonical request (method, decoded path, Go-canonical query,
    /// body SHA-256, timestamp, nonce). App secret from env PIEMDM_APP_SECRET (or --secret-file).
    #[command(
        after_help = "Example:\n  PIEMDM_APP_SECRET=test_secret_123456 apisign sign piemdm --app-id app_592837482 \\\n      --url '/openapi/v1/entities/product?page=1&pageSize=10' --timestamp 1705478400 --nonce abc123xyz789"
    )]
    Piemdm {
        /// App id (X-App-Id).
        #[arg(long, env = "PIEMDM_APP_ID")]
        app_id: String,
        #[command(flatten)]
        request: RequestArgs,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Linksfield Cube: SHA1withRSA over sorted compact JSON. Private key (PKCS#8 or PKCS#1, PEM
    /// or base64 DER) from --private-key-file or env LINKSFIELD_PRIVATE_KEY_FILE.
    #[command(
        after_help = "Example:\n  apisign sign linksfield --key-id b30a5e0e135d42e6ab43b021a30b7987 --private-key-file key.pem \\\n      --method POST --url /cube/v4/sims/8900/bundle --body '{\"bundle_id\":\"LP1\",\"cycles\":3}'"
    )]
    Linksfield {
        /// Key id (the `{keyId}` in `Authorization: LF {keyId}/{sign}`).
        #[arg(long, env = "LINKSFIELD_KEY_ID")]
        key_id: String,
        /// Private key file.
        #[arg(long, value_name = "PEM", env = "LINKSFIELD_PRIVATE_KEY_FILE")]
        private_key_file: Option<PathBuf>,
        /// Signature version: 2 (headers timestamp/nonce/X-LF-Signature-Type) or 1 (deprecated;
        /// timestamp and integer nonce go in the query or body).
        #[arg(long, default_value = "2", value_parser = ["2", "2.0", "1", "1.0"])]
        signature_version: String,
        /// v1 only: a string parameter (e.g. a path parameter) as NAME=VALUE; repeatable.
        #[arg(long, value_name = "NAME=VALUE")]
        param: Vec<String>,
        /// v1 only: a typed parameter as NAME=JSON (e.g. cycles=3); repeatable.
        #[arg(long, value_name = "NAME=JSON")]
        param_json: Vec<String>,
        #[command(flatten)]
        request: RequestArgs,
        #[command(flatten)]
        common: CommonArgs,
    },
}

/// The request as it will be sent.
#[derive(Debug, Args)]
pub struct RequestArgs {
    /// HTTP method.
    #[arg(long, default_value = "GET")]
    pub method: String,
    /// Path with the raw query exactly as sent (/api/device?a=1), or an absolute http(s) URL.
    #[arg(long, default_value = "/")]
    pub url: String,
    /// Body text exactly as sent.
    #[arg(long, conflicts_with = "body_file")]
    pub body: Option<String>,
    /// File with the exact body bytes; `-` reads standard input.
    #[arg(long, value_name = "PATH")]
    pub body_file: Option<PathBuf>,
    /// Content-Type header sent with the request (JetLinks signs form bodies as params).
    #[arg(long)]
    pub content_type: Option<String>,
}

/// Options shared by every scheme.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Timestamp to sign, in the scheme's unit (ms; seconds for piemdm). Default: now.
    #[arg(long, value_name = "T")]
    pub timestamp: Option<u64>,
    /// Nonce to sign (piemdm, linksfield). Default: 32 random hex characters (an integer for
    /// linksfield v1).
    #[arg(long, value_name = "N")]
    pub nonce: Option<String>,
    /// File holding the scheme's secret instead of its environment variable.
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
    /// Print one JSON object {"headers": {...}, "signed": "..."} (secrets redacted).
    #[arg(long)]
    pub json: bool,
}
