//! Property tests over random requests: signing is deterministic, never panics, and each
//! scheme's invariants hold (what is signed, what is ignored, which encodings are equivalent).

use apisign::linksfield::{PrivateKey, Signer as LfSigner};
use apisign::{jetlinks, lovrabet, piemdm, ErrorKind, Request};
use md5::{Digest, Md5};
use proptest::prelude::*;
use serde_json::Value;
use sha2::Sha256;

mod common;

/// One query/path token: an unreserved char, `+`, a `%XX` escape of any byte, or a raw
/// non-ASCII character.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9._~-]".prop_map(String::from),
        1 => Just("+".to_owned()),
        1 => any::<u8>().prop_map(|b| format!("%{b:02X}")),
        1 => any::<u8>().prop_map(|b| format!("%{b:02x}")),
        1 => prop_oneof![Just('张'), Just('é'), Just('😀'), Just('\u{FF21}')].prop_map(String::from),
    ]
}

/// A generated key decoded (`%XX` and `+`); exact for comparing with an ASCII word, since
/// replacement characters never equal one.
fn plain_decoded(k: &str) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < k.len() {
        match k.as_bytes()[i] {
            b'%' => {
                out.push(u8::from_str_radix(&k[i + 1..i + 3], 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn word(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..max).prop_map(|t| t.concat())
}

fn key() -> impl Strategy<Value = String> {
    // A small pool forces repeated keys; random words add variety.
    prop_oneof![
        2 => prop_oneof![Just("a"), Just("B"), Just("page"), Just("tag"), Just("名")].prop_map(String::from),
        3 => prop::collection::vec(token(), 1..6).prop_map(|t| t.concat()),
    ]
}

/// `(key, value)` pairs, every one with `=` (bare keys are tested separately).
fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((key(), word(6)), 0..8)
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(word(5), 1..4).prop_map(|segs| format!("/{}", segs.join("/")))
}

fn method() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("GET"),
        Just("POST"),
        Just("PUT"),
        Just("DELETE"),
        Just("PATCH"),
        Just("get"),
        Just("post")
    ]
}

fn join(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn url(path: &str, params: &[(String, String)]) -> String {
    if params.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", join(params))
    }
}

fn is_escape_error(e: &apisign::Error) -> bool {
    e.kind() == ErrorKind::InvalidEscape
}

fn jl(alg: jetlinks::Algorithm) -> jetlinks::Signer {
    jetlinks::Signer::new("client", "secure-key", alg).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn jetlinks_is_deterministic_and_digest_matches(
        m in method(), p in path(), q in params(), body in prop::collection::vec(any::<u8>(), 0..200),
        ts in 0u64..4_000_000_000_000, sha in any::<bool>(),
    ) {
        let alg = if sha { jetlinks::Algorithm::Sha256 } else { jetlinks::Algorithm::Md5 };
        let u = url(&p, &q);
        let req = Request::new(m, &u).with_body(&body);
        let a = jl(alg).sign(&req, ts);
        prop_assert_eq!(&a, &jl(alg).sign(&req, ts));
        match a {
            Ok(sig) => {
                // X-Sign is H(signed ‖ ts ‖ key), recomputed from the parts.
                let input = [sig.signed.as_bytes(), ts.to_string().as_bytes(), b"secure-key"].concat();
                let want = if sha { hex::encode(Sha256::digest(&input)) } else { hex::encode(Md5::digest(&input)) };
                if m.eq_ignore_ascii_case("GET") || m.eq_ignore_ascii_case("DELETE") || std::str::from_utf8(&body).is_ok() {
                    prop_assert_eq!(sig.header("X-Sign").unwrap(), want.as_str());
                }
                prop_assert_eq!(sig.header("X-Timestamp").unwrap(), ts.to_string());
                if !(m.eq_ignore_ascii_case("GET") || m.eq_ignore_ascii_case("DELETE")) {
                    // Not a form: the raw body, whatever the query says.
                    prop_assert_eq!(sig.signed.as_bytes() == body.as_slice(), std::str::from_utf8(&body).is_ok());
                    let other = jl(alg).sign(&Request::new(m, &p).with_body(&body), ts).unwrap();
                    prop_assert_eq!(other.header("X-Sign"), sig.header("X-Sign"));
                }
            }
            Err(e) => prop_assert!(is_escape_error(&e), "unexpected error {e}"),
        }
    }

    #[test]
    fn jetlinks_params_are_sorted_unique_and_order_independent(
        p in path(), mut q in params(), ts in 0u64..4_000_000_000_000, seed in any::<u64>(),
    ) {
        let signer = jl(jetlinks::Algorithm::Md5);
        let u = url(&p, &q);
        let Ok(sig) = signer.sign(&Request::new("GET", &u), ts) else { return Ok(()) };
        // A decoded '&' or '=' (from %26/%3D) makes the joined string ambiguous to split.
        let lower = u.to_ascii_lowercase();
        let splittable = !lower.contains("%26") && !lower.contains("%3d");
        let keys: Vec<&str> = if sig.signed.is_empty() || !splittable { vec![] } else {
            sig.signed.split('&').map(|kv| kv.split_once('=').map_or(kv, |x| x.0)).collect()
        };
        // Keys strictly increasing in UTF-16 order (sorted, first value only).
        for w in keys.windows(2) {
            prop_assert!(w[0].encode_utf16().lt(w[1].encode_utf16()), "{:?} !< {:?}", w[0], w[1]);
        }
        // Reordering distinct keys changes nothing. Distinct raw keys can still decode to one
        // key (%80 and %81 both become U+FFFD), so check only when every decoded key survived.
        let mut seen = std::collections::HashSet::new();
        q.retain(|(k, _)| seen.insert(k.clone()));
        let base = signer.sign(&Request::new("GET", &url(&p, &q)), ts).unwrap();
        let distinct = if base.signed.is_empty() { 0 } else { base.signed.split('&').count() };
        if splittable && distinct == q.len() {
            let n = q.len().max(1);
            q.rotate_left((seed as usize) % n);
            prop_assert_eq!(base, signer.sign(&Request::new("GET", &url(&p, &q)), ts).unwrap());
        }
    }

    #[test]
    fn jetlinks_form_equals_query_rule(q in params(), ts in 0u64..4_000_000_000_000) {
        let signer = jl(jetlinks::Algorithm::Md5);
        let body = join(&q);
        let get = signer.sign(&Request::new("GET", &url("/x", &q)), ts);
        let form = signer.sign(
            &Request::new("POST", "/x").with_body(body.as_bytes()).with_content_type("application/x-www-form-urlencoded"),
            ts,
        );
        match (get, form) {
            (Ok(g), Ok(f)) => prop_assert_eq!(&g.signed, &f.signed),
            (Err(g), Err(f)) => prop_assert_eq!(g.kind(), f.kind()),
            (g, f) => prop_assert!(false, "query and form disagree: {g:?} vs {f:?}"),
        }
    }

    /// A key whose first occurrence has no `=` is refused (the server fails on its null
    /// value); a bare repeat after `k=…` changes nothing (Spring keeps the first value).
    #[test]
    fn bare_keys_are_rejected_by_jetlinks_only_where_they_come_first(p in path(), q in params(), bare in "[a-z]{1,5}", at in any::<prop::sample::Index>()) {
        let mut segs: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let without = format!("{p}?{}", segs.join("&"));
        let at = at.index(segs.len() + 1);
        segs.insert(at, bare.clone());
        let u = format!("{p}?{}", segs.join("&"));
        let signer = jl(jetlinks::Algorithm::Md5);
        let got = signer.sign(&Request::new("GET", &u), 1);
        if q[..at].iter().any(|(k, _)| plain_decoded(k) == bare) {
            let expected = signer.sign(&Request::new("GET", &without), 1).unwrap();
            prop_assert_eq!(&got.unwrap().signed, &expected.signed);
        } else {
            let e = got.unwrap_err();
            prop_assert!(matches!(e.kind(), ErrorKind::BareQueryKey | ErrorKind::InvalidEscape), "{e}");
        }
    }

    #[test]
    fn piemdm_canonical_request_invariants(
        m in method(), p in path(), q in params(), body in prop::collection::vec(any::<u8>(), 0..200),
        ts in 0u64..4_000_000_000, nonce in "[A-Za-z0-9_-]{1,40}",
    ) {
        let signer = piemdm::Signer::new("app", "app-secret").unwrap();
        let u = url(&p, &q);
        let req = Request::new(m, &u).with_body(&body);
        let sig = match signer.sign(&req, ts, &nonce) {
            Ok(s) => s,
            Err(e) => { prop_assert!(is_escape_error(&e), "{e}"); return Ok(()); }
        };
        prop_assert_eq!(&sig, &signer.sign(&req, ts, &nonce).unwrap());
        let canonical = piemdm::canonical_request(&req, &ts.to_string(), &nonce).unwrap();
        let lines: Vec<&[u8]> = canonical.rsplitn(5, |b| *b == b'\n').collect();
        prop_assert_eq!(lines[0], nonce.as_bytes());
        let ts_text = ts.to_string();
        let body_hash = hex::encode(Sha256::digest(&body));
        prop_assert_eq!(lines[1], ts_text.as_bytes());
        prop_assert_eq!(lines[2], body_hash.as_bytes());
        // The canonical query is pure ASCII, and only Go's unreserved set appears unescaped.
        prop_assert!(lines[3].iter().all(|b| b.is_ascii_alphanumeric() || b"-_.~%+=&".contains(b)));
        prop_assert!(canonical.starts_with(m.to_ascii_uppercase().as_bytes()));
        let x = sig.header("X-Sign").unwrap();
        prop_assert_eq!(x.len(), 64);
        prop_assert!(x.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        // Escaping an unreserved character is the same request to Go.
        if let Some(first) = q.first() {
            if let Some(c) = first.1.chars().next().filter(|c| c.is_ascii_alphanumeric()) {
                let mut q2 = q.clone();
                q2[0].1 = format!("%{:02X}{}", c as u8, &first.1[1..]);
                let again = signer.sign(&Request::new(m, &url(&p, &q2)).with_body(&body), ts, &nonce).unwrap();
                prop_assert_eq!(again.header("X-Sign"), sig.header("X-Sign"));
            }
        }
    }

    #[test]
    fn lovrabet_tokens_are_base64_of_32_bytes(
        app in "[a-z0-9-]{1,20}", ds in "[a-f0-9]{1,32}", ak in "[A-Za-z0-9-]{1,40}", ts in any::<u64>(),
    ) {
        let g = lovrabet::TokenGenerator::with_default_secret(ak.as_str()).unwrap();
        let t = g.generate(&app, &ds, ts).unwrap();
        prop_assert_eq!(&t, &g.generate(&app, &ds, ts).unwrap());
        prop_assert_eq!(t.token.len(), 44);
        prop_assert!(t.token.ends_with('='));
        prop_assert_eq!(t.string_to_sign.clone(), format!("accessKey={ak}&appCode={app}&datasetCode={ds}&timeStamp={ts}"));
        prop_assert_eq!(t.expires_at_ms(), ts.saturating_add(600_000));
        let shown = format!("{t:?}");
        prop_assert!(!shown.contains(&format!("accessKey={ak}&")), "Debug leaked the access key");
    }
}

fn lf_signer() -> (LfSigner, apisign::linksfield::PublicKey) {
    let key = PrivateKey::parse(common::linksfield_vector_key("rsa1024_pkcs8_pem")).unwrap();
    let public = key.public_key();
    (LfSigner::new("kid", key).unwrap(), public)
}

fn json_body() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        "[a-z张 \"\\\\\n]{0,8}".prop_map(Value::from),
    ];
    let inner = leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-zA-Z_]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    prop::collection::btree_map("[a-zA-Z_]{1,6}", inner, 0..6)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn linksfield_v2_message_is_sorted_json_and_verifies(
        q in prop::collection::vec(("[a-z]{1,5}", "[a-zA-Z0-9]{0,5}"), 0..5),
        body in json_body(), ts in 0u64..4_000_000_000_000, nonce in "[a-f0-9]{1,32}",
    ) {
        let (signer, public) = lf_signer();
        let body_text = body.to_string();
        let u = url("/cube/v4/x", &q.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>());
        let sig = signer.sign_v2(&Request::new("POST", &u).with_body(body_text.as_bytes()), ts, &nonce).unwrap();
        let msg: Value = serde_json::from_str(&sig.signed).unwrap();
        let obj = msg.as_object().unwrap();
        prop_assert_eq!(obj["x-sign-uri"].as_str(), Some("/cube/v4/x"));
        let ts_text = ts.to_string();
        prop_assert_eq!(obj["timestamp"].as_str(), Some(ts_text.as_str()));
        prop_assert_eq!(obj["nonce"].as_str(), Some(nonce.as_str()));
        prop_assert!(obj.values().all(|v| !v.is_null() && v.as_str() != Some("")));
        // Compact and sorted: re-serializing the parsed message gives the same text.
        prop_assert_eq!(serde_json::to_string(&msg).unwrap(), sig.signed.clone());
        prop_assert!(!sig.signed.contains(": ") && !sig.signed.contains(", "));
        let b64 = sig.header("Authorization").unwrap().strip_prefix("LF kid/").unwrap();
        prop_assert!(public.verify_base64(sig.signed.as_bytes(), b64));
        // SHA1withRSA PKCS#1 v1.5 is deterministic.
        let again = signer.sign_v2(&Request::new("POST", &u).with_body(body_text.as_bytes()), ts, &nonce).unwrap();
        prop_assert_eq!(again, sig);
    }
}
