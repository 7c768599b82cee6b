//! Issue #13, core side: every error carries the HTTP status its platform answers with, the
//! generic verifier writes the platform's rejection body, credentials carry address
//! allow-lists (checked for every scheme), and JetLinks responses are signed and checked.
//!
//! Expected statuses and bodies are written out here from the platforms' sources (PieMDM's
//! server middleware, Lovrabet's error table, Linksfield's status table, JetLinks' documented
//! response example), never computed by the code under test.

mod verify_support;

use std::net::IpAddr;
use std::sync::Arc;

use apisign::scheme::{Param, Rejection, Signer, Verifier};
use apisign::verify::{
    Credential, InMemoryCredentials, InMemoryNonceStore, NonceStore, ALLOWED_IPS,
};
use apisign::{
    jetlinks, linksfield, lovrabet, piemdm, Error, ErrorKind, IncomingRequest, PrivateKey, Request,
    SchemeId, SignOptions, Verified,
};
use verify_support::{lf_key, Received};

const TS: u64 = 1_700_000_000_000;
const NOW: u64 = TS + 1_000;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// Owned parameter values (keys as parsed keys).
enum V {
    T(&'static str),
    Priv(Arc<PrivateKey>),
    Pub(Arc<apisign::PublicKey>),
}

/// Named parameter values.
type Named = Vec<(&'static str, V)>;

fn params<'a>(list: &'a [(&'static str, V)]) -> Vec<Param<'a>> {
    list.iter()
        .map(|(n, v)| match v {
            V::T(t) => Param::text(n, t),
            V::Priv(k) => Param::private_key(n, k),
            V::Pub(k) => Param::public_key(n, k),
        })
        .collect()
}

/// The signer's and the credential's parameters of one caller of `id`.
fn caller(id: SchemeId) -> (Named, Named) {
    match id {
        SchemeId::Lovrabet => (
            vec![
                ("app_code", V::T("app-1")),
                ("dataset_code", V::T("ds-1")),
                ("access_key", V::T("ak-1")),
            ],
            vec![
                ("app_code", V::T("app-1")),
                ("dataset", V::T("ds-1")),
                ("access_key", V::T("ak-1")),
            ],
        ),
        SchemeId::JetLinks => {
            let p = || {
                vec![
                    ("client_id", V::T("testId")),
                    ("secure_key", V::T("testSecure")),
                ]
            };
            (p(), p())
        }
        SchemeId::PieMdm => {
            let p = || vec![("app_id", V::T("app-1")), ("app_secret", V::T("secret-1"))];
            (p(), p())
        }
        SchemeId::Linksfield => (
            vec![
                ("key_id", V::T("key-1")),
                ("private_key", V::Priv(lf_key())),
            ],
            vec![
                ("key_id", V::T("key-1")),
                ("public_key", V::Pub(Arc::new(lf_key().public_key()))),
            ],
        ),
    }
}

/// A verifier of `id` whose one caller has `allowed_ips` (when given).
fn verifier(id: SchemeId, allowed_ips: Option<&'static str>) -> Verifier {
    let mut cred = caller(id).1;
    if let Some(list) = allowed_ips {
        cred.push(("allowed_ips", V::T(list)));
    }
    let store = Arc::new(InMemoryCredentials::new());
    store.add(Credential::new(id, &params(&cred)).unwrap());
    Verifier::builder(id, store).build().unwrap()
}

/// A POST of `id`'s caller, signed at `TS` with `nonce`.
fn signed(id: SchemeId, nonce: &str) -> Received {
    let signer = Signer::new(id, &params(&caller(id).0)).unwrap();
    let (url, body) = ("/api/items?page=1", br#"{"name":"x"}"#);
    let req = Request::new("POST", url)
        .with_body(body)
        .with_content_type("application/json");
    let sig = signer
        .sign(
            &req,
            &SignOptions {
                timestamp: Some(TS),
                nonce: Some(nonce),
                ..SignOptions::default()
            },
        )
        .unwrap();
    Received::new("POST", url, body, &sig).with_header("Content-Type", "application/json")
}

fn tampered(id: SchemeId, nonce: &str) -> Received {
    let mut r = signed(id, nonce);
    // Lovrabet's token does not cover the request: tamper with the token itself.
    if id == SchemeId::Lovrabet {
        let token = r.header("X-Token").to_owned();
        let flipped = if token.starts_with('A') { "B" } else { "A" };
        r.set_header("X-Token", format!("{flipped}{}", &token[1..]));
    } else {
        r.body = br#"{"name":"y"}"#.to_vec();
    }
    r
}

fn rejection(v: &Verifier, r: &Received, from: Option<&str>) -> (Error, Rejection) {
    let mut view = r.view();
    view.client_ip = from.map(ip);
    let e = v.verify(&view, NOW).unwrap_err();
    let answer = v.rejection(&e);
    assert_eq!(answer.status, e.http_status(), "{e}");
    assert_eq!(answer.content_type, "application/json");
    (e, answer)
}

fn body(r: &Rejection) -> &str {
    std::str::from_utf8(&r.body).unwrap()
}

fn assert_answer(r: &Rejection, status: u16, json: &str) {
    assert_eq!((r.status, body(r)), (status, json));
}

#[test]
fn a_tampered_request_gets_each_platforms_answer() {
    let want = [
        (
            SchemeId::PieMdm,
            401,
            r#"{"code":"AUTH_SIGNATURE_INVALID","message":"Signature mismatch"}"#,
        ),
        (
            SchemeId::Lovrabet,
            401,
            r#"{"success":false,"code":1002,"msg":"Signature verification failed"}"#,
        ),
        (
            SchemeId::JetLinks,
            401,
            r#"{"status":401,"code":"unauthorized","message":"signature error"}"#,
        ),
        (
            SchemeId::Linksfield,
            403,
            r#"{"code":403,"message":"Invalid signature"}"#,
        ),
    ];
    for (id, status, json) in want {
        let v = verifier(id, None);
        assert!(v
            .verify(&signed(id, "nonce-0000000001").view(), NOW)
            .is_ok());
        let (e, answer) = rejection(&v, &tampered(id, "nonce-0000000002"), None);
        assert_eq!(e.kind(), ErrorKind::SignatureInvalid, "{id}");
        assert_eq!((answer.status, body(&answer)), (status, json), "{id}");
    }
}

#[test]
fn missing_headers_and_replays_answer_like_the_platform() {
    let bare = Received {
        method: "GET".into(),
        url: "/x".into(),
        headers: vec![],
        body: vec![],
    };
    let want = [
        (
            SchemeId::PieMdm,
            401,
            r#"{"code":"AUTH_FAILED","message":"Missing required headers"}"#,
        ),
        (
            SchemeId::Lovrabet,
            401,
            r#"{"success":false,"code":1004,"msg":"Application does not exist"}"#,
        ),
        (
            SchemeId::JetLinks,
            401,
            r#"{"status":401,"code":"unauthorized","message":"missing or malformed signature headers"}"#,
        ),
        (
            SchemeId::Linksfield,
            401,
            r#"{"code":401,"message":"Unauthorised"}"#,
        ),
    ];
    for (id, status, json) in want {
        let (_, answer) = rejection(&verifier(id, None), &bare, None);
        assert_eq!((answer.status, body(&answer)), (status, json), "{id}");
    }
    let v = verifier(SchemeId::PieMdm, None);
    let r = signed(SchemeId::PieMdm, "replayed-nonce-001");
    v.verify(&r.view(), NOW).unwrap();
    let (e, answer) = rejection(&v, &r, None);
    assert_eq!(e.platform_code(), Some("AUTH_NONCE_USED"));
    assert_answer(
        &answer,
        401,
        r#"{"code":"AUTH_NONCE_USED","message":"Nonce already used"}"#,
    );
}

#[test]
fn an_authentic_request_from_an_address_outside_the_list_is_refused() {
    // Before #13 the allow-list did not exist: this request verified from any address.
    for id in SchemeId::ALL {
        let v = verifier(id, Some("10.0.0.0/8; 127.0.0.1"));
        let mut n = 0;
        let mut next = || {
            n += 1;
            signed(id, &format!("ip-nonce-{n:08}"))
        };
        for ok in ["127.0.0.1", "10.20.30.40", "::ffff:10.1.1.1"] {
            let r = next();
            let mut view = r.view();
            view.client_ip = Some(ip(ok));
            v.verify(&view, NOW)
                .unwrap_or_else(|e| panic!("{id} from {ok}: {e}"));
        }
        let (e, answer) = rejection(&v, &next(), Some("192.0.2.7"));
        assert_eq!(e.kind(), ErrorKind::IpNotAllowed, "{id}");
        assert_eq!(answer.status, 403, "{id}");
        assert!(e.message().contains("192.0.2.7"), "{e}");
        // An unknown address cannot pass a list.
        let (e, _) = rejection(&v, &next(), None);
        assert_eq!(e.kind(), ErrorKind::IpNotAllowed, "{id}");
        // The signature is checked first: a forger learns nothing about the list.
        let (e, _) = rejection(&v, &tampered(id, "ip-nonce-forged"), Some("192.0.2.7"));
        assert_eq!(e.kind(), ErrorKind::SignatureInvalid, "{id}");
        // Without a list, any address and no address pass.
        let open = verifier(id, None);
        let r = next();
        open.verify(&r.view(), NOW).unwrap();
    }
    let (_, answer) = rejection(
        &verifier(SchemeId::PieMdm, Some("10.0.0.1")),
        &signed(SchemeId::PieMdm, "pie-ip-nonce-01"),
        Some("10.0.0.2"),
    );
    assert_eq!(
        body(&answer),
        r#"{"code":"AUTH_IP_NOT_ALLOWED","message":"IP not in whitelist"}"#
    );
}

/// The request verified by `id`'s own typed verifier (`piemdm::Verifier`…), built on a store
/// whose one caller has `allowed_ips`.
fn typed_verify(
    id: SchemeId,
    allowed_ips: &'static str,
    view: &IncomingRequest<'_>,
) -> apisign::Result<Verified> {
    let mut cred = caller(id).1;
    cred.push(("allowed_ips", V::T(allowed_ips)));
    let store = Arc::new(InMemoryCredentials::new());
    store.add(Credential::new(id, &params(&cred)).unwrap());
    match id {
        SchemeId::PieMdm => {
            piemdm::Verifier::new(store, Arc::new(InMemoryNonceStore::default())).verify(view, NOW)
        }
        SchemeId::Lovrabet => lovrabet::Verifier::new(store).verify(view, NOW),
        SchemeId::JetLinks => jetlinks::Verifier::new(store).verify(view, NOW),
        SchemeId::Linksfield => linksfield::Verifier::new(store).verify(view, NOW),
    }
}

#[test]
fn the_typed_verifiers_check_the_allow_list_too() {
    // Before this, piemdm::, lovrabet:: and jetlinks::Verifier::verify (the typed API the
    // platform pages document) skipped `allowed_ips`: this request from outside the list
    // verified; only the generic Verifier and Linksfield checked it.
    for id in SchemeId::ALL {
        let r = signed(id, "typed-ip-nonce-1");
        let mut view = r.view();
        view.client_ip = Some(ip("192.0.2.7"));
        let e = typed_verify(id, "10.0.0.0/8", &view).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::IpNotAllowed, "{id}: {e}");
        assert_eq!(e.http_status(), 403, "{id}");
        view.client_ip = None;
        let e = typed_verify(id, "10.0.0.0/8", &view).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::IpNotAllowed, "{id}: {e}");
        view.client_ip = Some(ip("10.9.8.7"));
        let who = typed_verify(id, "10.0.0.0/8", &view).unwrap_or_else(|e| panic!("{id}: {e}"));
        let id_of_caller = match id {
            SchemeId::JetLinks => "testId",
            SchemeId::Linksfield => "key-1",
            SchemeId::PieMdm | SchemeId::Lovrabet => "app-1",
        };
        assert_eq!((who.scheme, who.caller.as_str()), (id, id_of_caller));
    }
}

#[test]
fn a_request_refused_for_its_address_does_not_spend_its_nonce() {
    // Before, the nonce was recorded and then the address refused: a captured request replayed
    // first from outside the allow-list burned the nonce, and the caller's own request then
    // got "nonce already used".
    for id in [SchemeId::PieMdm, SchemeId::Linksfield] {
        let store: Arc<dyn NonceStore> = Arc::new(InMemoryNonceStore::default());
        let mut cred = caller(id).1;
        cred.push(("allowed_ips", V::T("10.0.0.0/8")));
        let creds = Arc::new(InMemoryCredentials::new());
        creds.add(Credential::new(id, &params(&cred)).unwrap());
        let generic = Verifier::builder(id, creds.clone())
            .nonce_store(store.clone())
            .build()
            .unwrap();
        let r = signed(id, "spent-nonce-0001");
        let mut view = r.view();
        view.client_ip = Some(ip("192.0.2.7"));
        let e = generic.verify(&view, NOW).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::IpNotAllowed, "{id}: {e}");
        view.client_ip = Some(ip("10.1.2.3"));
        generic
            .verify(&view, NOW)
            .unwrap_or_else(|e| panic!("{id}: the caller's own request: {e}"));
        // The typed verifiers, on the same store: a second nonce, refused then accepted.
        let r = signed(id, "spent-nonce-0002");
        let mut view = r.view();
        view.client_ip = Some(ip("192.0.2.7"));
        let typed = |view: &IncomingRequest<'_>| match id {
            SchemeId::PieMdm => {
                piemdm::Verifier::new(creds.clone(), store.clone()).verify(view, NOW)
            }
            _ => linksfield::Verifier::new(creds.clone())
                .with_nonce_store(store.clone())
                .verify(view, NOW),
        };
        assert_eq!(
            typed(&view).unwrap_err().kind(),
            ErrorKind::IpNotAllowed,
            "{id}"
        );
        view.client_ip = Some(ip("10.1.2.3"));
        typed(&view).unwrap_or_else(|e| panic!("{id}: typed, the caller's own request: {e}"));
        assert_eq!(
            typed(&view).unwrap_err().kind(),
            ErrorKind::NonceReused,
            "{id}"
        );
    }
}

#[test]
fn allow_lists_are_checked_when_built() {
    let mut cred = caller(SchemeId::JetLinks).1;
    cred.push(("allowed_ips", V::T("10.0.0.1, intranet")));
    let e = Credential::new(SchemeId::JetLinks, &params(&cred)).unwrap_err();
    assert_eq!(e.field(), Some("allowed_ips"));
    assert!(e.message().contains("\"intranet\""), "{e}");
    cred.pop();
    cred.push(("allowed_ips", V::T("")));
    let c = Credential::new(SchemeId::JetLinks, &params(&cred)).unwrap();
    assert!(c.allowed_ips().is_none(), "an empty list allows everyone");
    assert_eq!(ALLOWED_IPS.name, "allowed_ips");
}

#[test]
fn errors_that_are_not_rejections_get_400_413_and_503() {
    let v = verifier(SchemeId::PieMdm, None);
    let input = Error::invalid("url", "bad");
    let a = v.rejection(&input);
    assert_answer(
        &a,
        400,
        r#"{"code":"PARAM_VALUE_INVALID","message":"Invalid parameter value"}"#,
    );
    assert_eq!(
        v.rejection(&Error::new(ErrorKind::InputTooLarge, "big"))
            .status,
        413
    );

    /// A store whose backend is down.
    struct Down;
    impl NonceStore for Down {
        fn check_and_record(&self, _: &str, _: u64, _: u64) -> apisign::Result<bool> {
            Err(Error::new(ErrorKind::NonceStoreUnavailable, "down"))
        }
    }
    let store = Arc::new(InMemoryCredentials::new());
    store.add(Credential::new(SchemeId::PieMdm, &params(&caller(SchemeId::PieMdm).1)).unwrap());
    let v = Verifier::builder(SchemeId::PieMdm, store)
        .nonce_store(Arc::new(Down))
        .build()
        .unwrap();
    let (e, a) = rejection(&v, &signed(SchemeId::PieMdm, "store-down-0001"), None);
    assert_eq!(e.kind(), ErrorKind::NonceStoreUnavailable);
    assert_answer(
        &a,
        503,
        r#"{"code":"SYSTEM_INTERNAL_ERROR","message":"Internal system error"}"#,
    );
}

#[test]
fn jetlinks_responses_are_signed_like_the_documented_example() {
    // The platform docs' response: body `{"status":200,result:[]}` at X-Timestamp
    // 1574994269075 signed c23faa3c46784ada64423a8bba433f25 for testId/testSecure (MD5).
    let v = verifier(SchemeId::JetLinks, None);
    let signer = Signer::new(SchemeId::JetLinks, &params(&caller(SchemeId::JetLinks).0)).unwrap();
    let r = signed(SchemeId::JetLinks, "unused");
    let who = v.verify(&r.view(), NOW).unwrap();
    let body = br#"{"status":200,result:[]}"#;
    let headers = v.sign_response(&who, body, 1574994269075).unwrap().unwrap();
    assert_eq!(
        headers,
        vec![
            ("X-Timestamp", "1574994269075".to_owned()),
            ("X-Sign", "c23faa3c46784ada64423a8bba433f25".to_owned())
        ]
    );
    let pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    signer.verify_response(&pairs, body).unwrap();
    // A response changed on the way is caught by the client's strict check.
    let e = signer
        .verify_response(&pairs, br#"{"status":200,result:[1]}"#)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SignatureInvalid);
    let e = signer.verify_response(&[], body).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingAuth);

    // Schemes whose servers do not sign responses.
    let pv = verifier(SchemeId::PieMdm, None);
    let who = pv
        .verify(&signed(SchemeId::PieMdm, "resp-nonce-0001").view(), NOW)
        .unwrap();
    assert_eq!(pv.sign_response(&who, body, NOW).unwrap(), None);
    let ps = Signer::new(SchemeId::PieMdm, &params(&caller(SchemeId::PieMdm).0)).unwrap();
    let e = ps.verify_response(&pairs, body).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[test]
fn the_spec_says_which_schemes_sign_responses() {
    for id in SchemeId::ALL {
        let v = verifier(id, None);
        let who = v
            .verify(&signed(id, "spec-nonce-00001").view(), NOW)
            .unwrap();
        let signed_headers = v.sign_response(&who, b"{}", NOW).unwrap();
        assert_eq!(id.spec().signs_responses, signed_headers.is_some(), "{id}");
        // Only JetLinks' server signs responses (SPEC.md).
        assert_eq!(id.spec().signs_responses, id == SchemeId::JetLinks, "{id}");
    }
}
