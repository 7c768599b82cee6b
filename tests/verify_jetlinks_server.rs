//! Requests the JetLinks server (Spring 5.2) accepts must verify, and headers it refuses must
//! be refused with a clear error. Each `X-Sign` here is computed directly from the param string
//! Spring produced for the request (tests/parity/spring), not by apisign's signer.

mod verify_support;

use apisign::jetlinks;
use apisign::ErrorKind;
use md5::{Digest, Md5};
use verify_support::*;

const TS: &str = "1700000000000";
const TS_MS: u64 = 1_700_000_000_000;
const FORM: &str = "application/x-www-form-urlencoded";

/// `hex(md5(server's param string ‖ timestamp ‖ secureKey))` for client `c-md5`.
fn server_sign(signed_by_server: &str) -> String {
    let mut h = Md5::new();
    h.update(signed_by_server.as_bytes());
    h.update(TS.as_bytes());
    h.update(b"md5-secure-key");
    hex::encode(h.finalize())
}

fn request(
    method: &str,
    url: &str,
    content_type: Option<&str>,
    body: &[u8],
    sign: &str,
) -> Received {
    let mut r = Received {
        method: method.to_owned(),
        url: url.to_owned(),
        headers: vec![
            ("X-Client-Id".to_owned(), "c-md5".to_owned()),
            ("X-Timestamp".to_owned(), TS.to_owned()),
            ("X-Sign".to_owned(), sign.to_owned()),
        ],
        body: body.to_vec(),
    };
    if let Some(ct) = content_type {
        r = r.with_header("Content-Type", ct);
    }
    r
}

#[test]
fn requests_the_server_accepts_verify() {
    let v = jetlinks::Verifier::new(credentials());
    for (method, url, ct, body, spring) in [
        // A bare repeat after a value: Spring keeps the first value.
        ("GET", "/x?flag=1&flag", None, &b""[..], "flag=1"),
        ("DELETE", "/x?flag=&flag&a=2", None, b"", "a=2&flag="),
        // One U+FFFD for a 3-byte surrogate encoding, as Java's decoder.
        ("GET", "/x?a=%ED%A0%80", None, b"", "a=\u{FFFD}"),
        // Raw bytes that are not UTF-8 in a form: replaced, and the request accepted.
        (
            "POST",
            "/x",
            Some(FORM),
            b"a=\xff&b=\xE9t\xE9",
            "a=\u{FFFD}&b=\u{FFFD}t\u{FFFD}",
        ),
        ("POST", "/x", Some(FORM), b"c=&c", "c="),
        // The declared charset decodes the body and its escapes.
        (
            "POST",
            "/x",
            Some("application/x-www-form-urlencoded;charset=ISO-8859-1"),
            b"b=%E9&r=\xE9",
            "b=\u{E9}&r=\u{E9}",
        ),
        (
            "PUT",
            "/x",
            Some("application/x-www-form-urlencoded; charset=\"GBK\""),
            b"n=%D5%C5&m=\xC8\xFD",
            "m=三&n=张",
        ),
        // Spring 5 reads a wildcard Content-Type as a form.
        ("POST", "/x", Some("*/*"), b"b=2&a=1", "a=1&b=2"),
    ] {
        let r = request(method, url, ct, body, &server_sign(spring));
        let verified = v.verify(&r.view(), TS_MS);
        assert!(verified.is_ok(), "{method} {url} {ct:?}: {verified:?}");
    }
}

#[test]
fn headers_the_server_refuses_are_refused_clearly() {
    let v = jetlinks::Verifier::new(credentials());
    for (ct, says) in [
        (
            "application/x-www-form-urlencoded; charset=bogus",
            "charset",
        ),
        (
            "text/plain; x=application/x-www-form-urlencoded",
            "not a valid media type",
        ),
        (
            "application/x-www-form-urlencoded; charset=",
            "not a valid media type",
        ),
        ("json", "not a valid media type"),
    ] {
        let r = request("POST", "/x", Some(ct), b"a=1", &server_sign("a=1"));
        let e = v.verify(&r.view(), TS_MS).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidInput, Some("content_type")),
            "{ct}"
        );
        assert!(e.to_string().contains(says), "{ct}: {e}");
    }
}

#[test]
fn a_form_with_a_suffix_subtype_is_a_raw_body() {
    // `application/x-www-form-urlencoded+x` is not a form: the raw bytes are what is signed.
    let v = jetlinks::Verifier::new(credentials());
    let ct = Some("application/x-www-form-urlencoded+x");
    let r = request("POST", "/x", ct, b"b=2&a=1", &server_sign("b=2&a=1"));
    assert!(v.verify(&r.view(), TS_MS).is_ok());
    let r = request("POST", "/x", ct, b"b=2&a=1", &server_sign("a=1&b=2"));
    assert_eq!(
        v.verify(&r.view(), TS_MS).unwrap_err().kind(),
        ErrorKind::SignatureInvalid
    );
}
