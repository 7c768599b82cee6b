//! Property tests over random requests: whatever our signers sign verifies (round trip), and
//! changing any signed part of a signed request — method, path, a query key or value, a body
//! byte, timestamp, nonce, caller id or signature — makes verification fail.
//!
//! Parts a scheme does not sign are not tampered here: lovrabet tokens cover only app, dataset
//! and timestamp; jetlinks signs the query (GET/DELETE) or the body (others), not the path;
//! linksfield does not sign the method.

mod verify_support;

use std::sync::Arc;

use apisign::verify::InMemoryNonceStore;
use apisign::{jetlinks, linksfield, lovrabet, piemdm, Request};
use proptest::prelude::*;
use serde_json::{Map, Value};
use verify_support::*;

/// A query token with only valid escapes (so every byte of the query is meaningful).
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9._~-]".prop_map(String::from),
        1 => Just("+".to_owned()),
        1 => any::<u8>().prop_map(|b| format!("%{b:02X}")),
        1 => prop_oneof![Just('张'), Just('é'), Just('😀')].prop_map(String::from),
    ]
}

fn word(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(token(), min..max).prop_map(|t| t.concat())
}

/// Distinct keys, values of at least one token.
fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::btree_map("[a-z]{1,6}", word(1, 6), 0..6)
        .prop_map(|m| m.into_iter().collect())
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec("[A-Za-z0-9._~-]{1,8}", 1..4).prop_map(|s| format!("/{}", s.join("/")))
}

fn url(path: &str, params: &[(String, String)]) -> String {
    if params.is_empty() {
        path.to_owned()
    } else {
        let q: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{path}?{}", q.join("&"))
    }
}

fn json_body() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::btree_map(
        "b[a-z]{1,5}",
        prop_oneof![
            any::<i64>().prop_map(Value::from),
            "[ -~张]{1,12}".prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
        ],
        1..5,
    )
    .prop_map(|m| serde_json::to_vec(&m.into_iter().collect::<Map<_, _>>()).unwrap())
}

/// Requests that differ from `r` in one query key or value each.
fn query_tampers(r: &Received, path: &str, q: &[(String, String)]) -> Vec<(String, Received)> {
    let mut out = Vec::new();
    for i in 0..q.len() {
        for (what, k, v) in [
            ("key", format!("{}Z", q[i].0), q[i].1.clone()),
            ("value", q[i].0.clone(), format!("{}Z", q[i].1)),
        ] {
            let mut q2 = q.to_vec();
            q2[i] = (k, v);
            let mut t = r.clone();
            t.url = url(path, &q2);
            out.push((format!("query {what} {i}"), t));
        }
    }
    out
}

fn flip_body(r: &Received, pos: usize) -> (String, Received) {
    let mut t = r.clone();
    if t.body.is_empty() {
        t.body.push(b'x');
    } else {
        let i = pos % t.body.len();
        t.body[i] ^= 1;
    }
    ("body byte".into(), t)
}

fn with_header(r: &Received, name: &str, value: String, what: &str) -> (String, Received) {
    let mut t = r.clone();
    t.set_header(name, value);
    (what.into(), t)
}

/// `s` with the character at `pos` replaced by a different one of the same alphabet.
fn change_char(s: &str, pos: usize, alphabet: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let idx: Vec<usize> = (0..chars.len()).filter(|&i| chars[i] != '=').collect();
    let i = idx[pos % idx.len()];
    let a: Vec<char> = alphabet.chars().collect();
    let cur = a
        .iter()
        .position(|c| c.eq_ignore_ascii_case(&chars[i]))
        .unwrap_or(0);
    let mut out = chars.clone();
    out[i] = a[(cur + 1) % a.len()];
    out.into_iter().collect()
}

const HEX: &str = "0123456789abcdef";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn piemdm_round_trip_and_tamper(
        m in prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("DELETE"), Just("patch")],
        p in path(), q in params(), body in prop::collection::vec(any::<u8>(), 0..64),
        ts in 1_000_000_000u64..3_000_000_000, nonce in "[a-zA-Z0-9_-]{16,40}", pos in any::<usize>(),
        sub_ms in 0u64..1000,
    ) {
        // The header carries seconds; the verifier's clock is any millisecond of that second.
        let now = ts * 1000 + sub_ms;
        let u = url(&p, &q);
        let sig = piemdm_signer("app-1").sign(&Request::new(m, &u).with_body(&body), ts, &nonce).unwrap();
        let r = Received::new(m, &u, &body, &sig);
        let v = piemdm::Verifier::new(credentials(), Arc::new(InMemoryNonceStore::with_capacity(256)));

        let mut tampers = query_tampers(&r, &p, &q);
        let mut t = r.clone();
        t.method = if m.eq_ignore_ascii_case("GET") { "POST".into() } else { "GET".into() };
        tampers.push(("method".into(), t));
        let mut t = r.clone();
        t.url = url(&format!("{p}x"), &q);
        tampers.push(("path".into(), t));
        tampers.push(flip_body(&r, pos));
        tampers.push(with_header(&r, "X-Timestamp", (ts + 1).to_string(), "timestamp"));
        tampers.push(with_header(&r, "X-Nonce", format!("{nonce}Z"), "nonce"));
        tampers.push(with_header(&r, "X-App-Id", "app-2".into(), "app id (other app)"));
        tampers.push(with_header(&r, "X-App-Id", "nobody".into(), "app id (unknown)"));
        let s = r.header("X-Sign").to_owned();
        tampers.push(with_header(&r, "X-Sign", change_char(&s, pos, HEX), "signature"));
        tampers.push(with_header(&r, "X-Sign", s.to_uppercase(), "signature case"));
        for (what, t) in &tampers {
            if what == "signature case" && s == s.to_uppercase() { continue; }
            let e = v.verify(&t.view(), now);
            prop_assert!(e.is_err(), "{what} was not detected");
        }
        // None of the rejected attempts consumed the nonce: the genuine request passes once.
        let ok = v.verify(&r.view(), now).unwrap();
        prop_assert_eq!(ok.caller, "app-1");
        prop_assert!(v.verify(&r.view(), now).is_err());
    }

    #[test]
    fn jetlinks_query_round_trip_and_tamper(
        m in prop_oneof![Just("GET"), Just("DELETE")], p in path(), q in params(),
        ts in 1_000_000_000_000u64..4_000_000_000_000, sha in any::<bool>(), pos in any::<usize>(),
    ) {
        let u = url(&p, &q);
        let sig = jetlinks_signer(sha).sign(&Request::new(m, &u), ts).unwrap();
        let r = Received::new(m, &u, b"", &sig);
        let v = jetlinks::Verifier::new(credentials());
        let me = jetlinks_signer(sha);
        prop_assert_eq!(v.verify(&r.view(), ts).unwrap().caller, me.client_id());
        let mut tampers = query_tampers(&r, &p, &q);
        tampers.push(with_header(&r, "X-Timestamp", (ts + 1).to_string(), "timestamp"));
        tampers.push(with_header(&r, "X-Client-Id", jetlinks_signer(!sha).client_id().into(), "client id (other)"));
        tampers.push(with_header(&r, "X-Client-Id", "nobody".into(), "client id (unknown)"));
        let s = r.header("X-Sign").to_owned();
        tampers.push(with_header(&r, "X-Sign", change_char(&s, pos, HEX), "signature"));
        for (what, t) in &tampers {
            prop_assert!(v.verify(&t.view(), ts).is_err(), "{what} was not detected");
        }
        // Hex case is not significant for jetlinks.
        let upper = with_header(&r, "X-Sign", s.to_uppercase(), "").1;
        prop_assert!(v.verify(&upper.view(), ts).is_ok());
    }

    #[test]
    fn jetlinks_body_round_trip_and_tamper(
        m in prop_oneof![Just("POST"), Just("PUT"), Just("PATCH")], p in path(), q in params(),
        body in json_body(), form in params(), use_form in any::<bool>(),
        ts in 1_000_000_000_000u64..4_000_000_000_000, sha in any::<bool>(), pos in any::<usize>(),
    ) {
        let u = url(&p, &q);
        let (body, ct) = if use_form && !form.is_empty() {
            let f: Vec<String> = form.iter().map(|(k, v)| format!("{k}={v}")).collect();
            (f.join("&").into_bytes(), "application/x-www-form-urlencoded; charset=UTF-8")
        } else {
            (body, "application/json")
        };
        let sig = jetlinks_signer(sha)
            .sign(&Request::new(m, &u).with_body(&body).with_content_type(ct), ts)
            .unwrap();
        let r = Received::new(m, &u, &body, &sig).with_header("content-type", ct);
        let v = jetlinks::Verifier::new(credentials());
        prop_assert!(v.verify(&r.view(), ts).is_ok());
        let mut tampers = vec![
            with_header(&r, "X-Timestamp", (ts + 1).to_string(), "timestamp"),
            with_header(&r, "X-Sign", change_char(r.header("X-Sign"), pos, HEX), "signature"),
        ];
        if ct.starts_with("application/json") {
            tampers.push(flip_body(&r, pos));
        } else {
            let mut t = r.clone();
            t.body.extend_from_slice(b"Z");
            tampers.push(("form value".into(), t));
        }
        for (what, t) in &tampers {
            prop_assert!(v.verify(&t.view(), ts).is_err(), "{what} was not detected");
        }
    }

    #[test]
    fn lovrabet_round_trip_and_tamper(
        app in prop_oneof![Just("app-1"), Just("app-2")], ts in 1_000_000_000_000u64..4_000_000_000_000,
        pos in any::<usize>(),
    ) {
        let ds = "ds-2";
        let sig = lovrabet_signer(app, ds).token(ts).unwrap().into_signature();
        let r = Received::new("GET", "/", b"", &sig);
        let v = lovrabet::Verifier::new(credentials());
        prop_assert_eq!(v.verify(&r.view(), ts).unwrap().caller, app);
        let other = if app == "app-1" { "app-2" } else { "app-1" };
        let tampers = [
            with_header(&r, "X-App-Code", other.into(), "app code (other)"),
            with_header(&r, "X-App-Code", "nobody".into(), "app code (unknown)"),
            with_header(&r, "X-Dataset-Code", "ds-1".into(), "dataset"),
            with_header(&r, "X-Time-Stamp", (ts + 1).to_string(), "timestamp"),
            with_header(&r, "X-Token", change_char(r.header("X-Token"), pos, B64), "token"),
        ];
        for (what, t) in &tampers {
            prop_assert!(v.verify(&t.view(), ts).is_err(), "{what} was not detected");
        }
    }

    #[test]
    fn linksfield_v2_round_trip_and_tamper(
        m in prop_oneof![Just("GET"), Just("POST")], p in path(), q in params(), body in json_body(),
        ts in 1_000_000_000_000u64..4_000_000_000_000, nonce in "[a-zA-Z0-9]{1,32}", pos in any::<usize>(),
    ) {
        let p = format!("/cube/v4{p}");
        let u = url(&p, &q);
        let body = if m == "GET" { Vec::new() } else { body };
        let sig = lf_signer().sign_v2(&Request::new(m, &u).with_body(&body), ts, &nonce).unwrap();
        let r = Received::new(m, &u, &body, &sig);
        let store = Arc::new(InMemoryNonceStore::with_capacity(256));
        let v = linksfield::Verifier::new(credentials()).with_nonce_store(store);
        let mut tampers = query_tampers(&r, &p, &q);
        let mut t = r.clone();
        t.url = url(&format!("{p}x"), &q);
        tampers.push(("path".into(), t));
        if !body.is_empty() {
            tampers.push(flip_body(&r, pos));
            let mut fields: Map<String, Value> = serde_json::from_slice(&body).unwrap();
            let k = fields.keys().nth(pos % fields.len()).unwrap().clone();
            fields.insert(k, Value::from("tampered"));
            let mut t = r.clone();
            t.body = serde_json::to_vec(&fields).unwrap();
            tampers.push(("body field".into(), t));
        }
        tampers.push(with_header(&r, "timestamp", (ts + 1).to_string(), "timestamp"));
        tampers.push(with_header(&r, "nonce", format!("{nonce}Z"), "nonce"));
        let auth = r.header("Authorization").to_owned();
        let (_, b64) = auth.split_once('/').unwrap();
        tampers.push(with_header(&r, "Authorization", format!("LF {LF_OTHER_KEY_ID}/{b64}"), "key id (other)"));
        tampers.push(with_header(&r, "Authorization", format!("LF nobody/{b64}"), "key id (unknown)"));
        tampers.push(with_header(&r, "Authorization", format!("LF {LF_KEY_ID}/{}", change_char(b64, pos, B64)), "signature"));
        for (what, t) in &tampers {
            let e = v.verify(&t.view(), ts);
            prop_assert!(e.is_err(), "{what} was not detected");
        }
        let ok = v.verify(&r.view(), ts).unwrap();
        prop_assert_eq!(ok.caller, LF_KEY_ID);
        prop_assert!(v.verify(&r.view(), ts).is_err(), "replay with a nonce store");
    }

    #[test]
    fn linksfield_v1_round_trip(
        get in any::<bool>(), p in path(), q in params(), body in json_body(),
        ts in 1_000_000_000_000u64..4_000_000_000_000, nonce in 0i64..i64::MAX, id in 1u32..100000,
    ) {
        let p = format!("/cube/v4/sims/{id}{p}");
        let path_params: Map<String, Value> = [("iccid".to_owned(), Value::from(id))].into_iter().collect();
        let signer = lf_signer();
        let (m, body) = if get { ("GET", Vec::new()) } else { ("POST", body) };
        let u = url(&p, &q);
        let v1 = signer.sign_v1_request(&Request::new(m, &u).with_body(&body), &path_params, ts, nonce).unwrap();
        // What the client sends: timestamp (string) and nonce (integer) in the query or body.
        let (sent_url, sent_body) = if get {
            let mut q2 = q.clone();
            q2.push(("timestamp".into(), v1.timestamp.clone()));
            q2.push(("nonce".into(), v1.nonce.to_string()));
            (url(&p, &q2), body)
        } else {
            let mut fields: Map<String, Value> = serde_json::from_slice(&body).unwrap();
            fields.insert("timestamp".into(), Value::from(v1.timestamp.clone()));
            fields.insert("nonce".into(), Value::from(v1.nonce));
            (u.clone(), serde_json::to_vec(&fields).unwrap())
        };
        let r = Received::new(m, &sent_url, &sent_body, &v1.signature);
        let v = linksfield::Verifier::new(credentials());
        let ok = v.verify_v1(&r.view(), &path_params, ts).unwrap();
        prop_assert_eq!(ok.nonce, Some(nonce.to_string()));
        // Path parameters are signed: another id does not verify.
        let other: Map<String, Value> = [("iccid".to_owned(), Value::from(id + 1))].into_iter().collect();
        prop_assert!(v.verify_v1(&r.view(), &other, ts).is_err());
        // A server that no longer accepts v1 refuses it.
        prop_assert!(v.clone().accept_v1(false).verify_v1(&r.view(), &path_params, ts).is_err());
    }
}
