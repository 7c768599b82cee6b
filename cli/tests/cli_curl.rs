//! The README's and `--help`'s curl pattern, run for real: bash and curl send a request signed
//! by `apisign sign` to a server on 127.0.0.1, and what arrives verifies. The same pattern with
//! `curl -d @file` (which strips newlines from the body) does not: the warning we document.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;

use apisign::scheme::{Param, Verifier};
use apisign::verify::{InMemoryCredentials, Verified};
use apisign::{IncomingRequest, SchemeId};

/// The documented command, verbatim (README and `apisign --help` must show it; checked below).
const PATTERN: &str = "curl -H @<(apisign sign jetlinks --client-id testId --method POST --url /api/v1/device --body-file order.json --content-type application/json) -H 'Content-Type: application/json' --data-binary @order.json \"$URL/api/v1/device\"";

/// Header lines and body of a received request.
type Received = (Vec<(String, String)>, Vec<u8>);

/// Accept one request; return its header lines and body.
fn serve_one(listener: TcpListener) -> std::thread::JoinHandle<Received> {
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap(); // request line
        let mut headers = Vec::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            let l = line.trim_end_matches(['\r', '\n']);
            if l.is_empty() {
                break;
            }
            let (n, v) = l.split_once(':').unwrap();
            headers.push((n.to_owned(), v.trim_matches([' ', '\t']).to_owned()));
        }
        let len: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().unwrap());
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let mut stream = stream;
        stream
            .write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            .unwrap();
        (headers, body)
    })
}

/// Run `command` in bash with the built `apisign` on PATH, in a folder holding order.json.
fn send(command: &str, body: &[u8]) -> Received {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("order.json"), body).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = serve_one(listener);
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_apisign"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-c", command])
        .current_dir(dir.path())
        .env("PATH", path)
        .env("URL", url)
        .env("JETLINKS_SECURE_KEY", "testSecure")
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    server.join().unwrap()
}

fn verify(headers: &[(String, String)], body: &[u8]) -> apisign::Result<Verified> {
    let creds = InMemoryCredentials::new();
    creds
        .add_params(
            SchemeId::JetLinks,
            &[
                Param::text("client_id", "testId"),
                Param::text("secure_key", "testSecure"),
                Param::text("algorithm", "md5"),
            ],
        )
        .unwrap();
    let verifier = Verifier::builder(SchemeId::JetLinks, std::sync::Arc::new(creds))
        .build()
        .unwrap();
    let mut req = IncomingRequest::new("POST", "/api/v1/device").with_body(body);
    for (n, v) in headers {
        req = req.header(n, v);
    }
    verifier.verify_now(&req)
}

const BODY: &[u8] = b"{\r\n  \"deviceId\": \"d-1\",\r\n  \"note\": \"two\\nlines\"\r\n}\r\n";

#[test]
fn documented_curl_pattern_sends_a_request_that_verifies() {
    let (headers, body) = send(PATTERN, BODY);
    assert_eq!(body, BODY, "the body must arrive byte for byte");
    let who = verify(&headers, &body).expect("the request curl sent verifies");
    assert_eq!(who.caller, "testId");
}

#[test]
fn curl_d_at_file_strips_newlines_and_breaks_the_signature() {
    let (headers, body) = send(&PATTERN.replace("--data-binary", "-d"), BODY);
    assert_ne!(body, BODY, "curl -d @file changed the body");
    let e = verify(&headers, &body).unwrap_err();
    assert_eq!(e.kind(), apisign::ErrorKind::SignatureInvalid);
}

#[test]
fn readme_and_help_show_the_pattern() {
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(PATTERN),
        "README must show the curl pattern verbatim"
    );
    let help = Command::new(env!("CARGO_BIN_EXE_apisign"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("curl -H @<(apisign sign"), "{help}");
    assert!(help.contains("--data-binary"), "{help}");
    assert!(
        !help.contains("sed 's/^/-H /'"),
        "the broken pattern is gone"
    );
}
