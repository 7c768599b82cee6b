//! The scheme model (issue #11): the generic signer signs every conformance vector as the typed
//! signers do; the generic verifier keeps each scheme's documented defaults and refuses what it
//! cannot honour with an error naming the parameter; one millisecond clock serves all four
//! schemes; the registry agrees with what signatures really carry; secrets never show in
//! `Debug`; the in-memory credential store rotates keys under a live verifier.
//!
//! Expected values come from tests/vectors/ and SPEC.md, never from the code under test.

mod verify_support;

use std::collections::BTreeMap;
use std::sync::Arc;

use apisign::scheme::{NonceUse, Param, ParamKind, Signer, Verifier, WireTime, SCHEMES};
use apisign::verify::{Credential, InMemoryCredentials, InMemoryNonceStore, Window};
use apisign::{Error, ErrorKind, PrivateKey, Request, SchemeId, SignOptions, Signature};
use serde_json::Value;
use verify_support::common::{all_cases, linksfield_key, linksfield_vector_key, num, opt_s, s};
use verify_support::{lf_key, lf_other_key, Received};

// ---------------------------------------------------------------------------------------------
// What SPEC.md says, written out here (not read from the registry under test).

/// The headers each scheme sends, in order (SPEC.md; Linksfield v2 in the vectors' order).
fn spec_md_headers(id: SchemeId) -> &'static [&'static str] {
    match id {
        SchemeId::Lovrabet => &["X-App-Code", "X-Dataset-Code", "X-Time-Stamp", "X-Token"],
        SchemeId::JetLinks => &["X-Client-Id", "X-Timestamp", "X-Sign"],
        SchemeId::PieMdm => &["X-App-Id", "X-Timestamp", "X-Nonce", "X-Sign"],
        SchemeId::Linksfield => &["Authorization", "timestamp", "nonce", "X-LF-Signature-Type"],
    }
}

/// The default window in ms: Lovrabet tokens live 600 000 ms (5 min of skew ahead), JetLinks
/// ±5 min, PieMDM ±300 s, Linksfield "within 10 minutes".
fn spec_md_window(id: SchemeId) -> Window {
    match id {
        SchemeId::Lovrabet => Window {
            max_age: 600_000,
            max_ahead: 300_000,
        },
        SchemeId::JetLinks | SchemeId::PieMdm => Window::symmetric(300_000),
        SchemeId::Linksfield => Window::symmetric(600_000),
    }
}

/// The vectors' name for each scheme's intermediate string.
fn intermediate(id: SchemeId) -> &'static str {
    match id {
        SchemeId::Lovrabet => "string_to_sign",
        SchemeId::JetLinks => "signed_params",
        SchemeId::PieMdm => "canonical_request",
        SchemeId::Linksfield => "message",
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

fn assert_invalid(e: &Error, field: &str, mentions: &[&str]) {
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
    assert_eq!(e.field(), Some(field), "{e}");
    for m in mentions {
        assert!(e.message().contains(m), "{e:?} should mention {m:?}");
    }
}

fn header_map(sig: &Signature) -> BTreeMap<String, String> {
    sig.headers
        .iter()
        .map(|h| (h.name.to_owned(), h.value.to_string()))
        .collect()
}

fn header_names(sig: &Signature) -> Vec<&'static str> {
    sig.headers.iter().map(|h| h.name).collect()
}

fn text_params<'a>(owned: &'a [(&'static str, Vec<u8>)]) -> Vec<Param<'a>> {
    owned.iter().map(|(n, v)| Param::bytes(n, v)).collect()
}

/// One value per parameter name of every scheme: signer and credential lists share names, so
/// a signer and a credential built from this table belong together. Secrets are distinctive
/// so that `Debug` output can be searched for them.
fn value(name: &str) -> Vec<u8> {
    let v: &str = match name {
        "app_code" => "app-1",
        "dataset_code" | "dataset" => "ds-1",
        "access_key" => "AK-lovrabet-secret-0001",
        "secret_key" => "SK-lovrabet-secret-0002",
        "client_id" => "client-1",
        "secure_key" => "SECURE-jetlinks-secret-0003",
        "algorithm" => "sha256",
        "app_id" => "app-1",
        "app_secret" => "APP-piemdm-secret-0004",
        "key_id" => "key-1",
        "version" => "2.0",
        "private_key" => return linksfield_vector_key("rsa1024_pkcs8_pem").into_bytes(),
        "public_key" => return linksfield_vector_key("rsa1024_public_spki_pem").into_bytes(),
        other => panic!("no test value for parameter {other:?}: add one to value()"),
    };
    v.as_bytes().to_vec()
}

/// Every parameter of `list`, once, with its [`value`].
fn all_params(list: &[apisign::scheme::ParamSpec]) -> Vec<(&'static str, Vec<u8>)> {
    list.iter().map(|p| (p.name, value(p.name))).collect()
}

/// The caller id each scheme's credential carries with [`value`].
fn caller(id: SchemeId) -> &'static str {
    match id {
        SchemeId::Lovrabet => "app-1",
        SchemeId::JetLinks => "client-1",
        SchemeId::PieMdm => "app-1",
        SchemeId::Linksfield => "key-1",
    }
}

/// A store with one caller per scheme, built through the generic credential parameters.
fn generic_store() -> Arc<InMemoryCredentials> {
    let store = Arc::new(InMemoryCredentials::new());
    for id in SchemeId::ALL {
        let owned = all_params(id.spec().credential_params);
        store.add_params(id, &text_params(&owned)).unwrap();
    }
    store
}

/// A verifier of `id` over `store`, with the scheme's defaults.
fn verifier(id: SchemeId, store: &Arc<InMemoryCredentials>) -> Verifier {
    Verifier::builder(id, store.clone()).build().unwrap()
}

const URL: &str = "/openapi/v1/items?page=1&size=10";
const BODY: &[u8] = br#"{"name":"widget","n":1}"#;

/// A GET of `url` signed by a new signer of `id` with `params`, as the server receives it.
fn signed_get(
    id: SchemeId,
    params: &[Param<'_>],
    url: &str,
    options: &SignOptions<'_>,
) -> Received {
    let signer = Signer::new(id, params).unwrap();
    let sig = signer.sign(&Request::new("GET", url), options).unwrap();
    Received::new("GET", url, b"", &sig)
}

/// A POST signed for `id` with the generic signer at `ts_ms`.
fn signed(id: SchemeId, ts_ms: u64, nonce: &str) -> Received {
    let owned = all_params(id.spec().sign_params);
    let signer = Signer::new(id, &text_params(&owned)).unwrap();
    let sig = signer
        .sign(
            &Request::new("POST", URL).with_body(BODY),
            &SignOptions::at(ts_ms).with_nonce(nonce),
        )
        .unwrap();
    Received::new("POST", URL, BODY, &sig)
}

// ---------------------------------------------------------------------------------------------
// The generic signer against the conformance vectors.

/// The generic signer's parameters for a vector case.
fn vector_params(id: SchemeId, file: &Value, case: &Value) -> Vec<(&'static str, Vec<u8>)> {
    let c = &case["credentials"];
    let mut p: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let mut put = |name: &'static str, v: &str| p.push((name, v.as_bytes().to_vec()));
    match id {
        SchemeId::Lovrabet => {
            put("app_code", s(c, "app_code"));
            put("dataset_code", s(c, "dataset_code"));
            put("access_key", s(c, "access_key"));
            if let Some(sk) = opt_s(c, "secret_key") {
                put("secret_key", sk);
            }
        }
        SchemeId::JetLinks => {
            put("client_id", s(c, "client_id"));
            put("secure_key", s(c, "secure_key"));
            put("algorithm", s(c, "algorithm"));
        }
        SchemeId::PieMdm => {
            put("app_id", s(c, "app_id"));
            put("app_secret", s(c, "app_secret"));
        }
        SchemeId::Linksfield => {
            put("key_id", s(c, "key_id"));
            put("private_key", linksfield_key(file, s(c, "private_key")));
            if let Some(v) = opt_s(case, "version") {
                put("version", v);
            }
        }
    }
    p
}

/// The `SignOptions.timestamp` values (ms) that must give the vector's headers. PieMDM sends
/// seconds (SPEC.md), so every millisecond of the vector's second signs the same.
fn vector_times_ms(id: SchemeId, case: &Value) -> Vec<u64> {
    let ts = num(case, "timestamp");
    match id {
        SchemeId::PieMdm => vec![ts * 1000, ts * 1000 + 999],
        _ => vec![ts],
    }
}

#[test]
fn every_vector_signs_the_same_through_the_generic_signer() {
    let mut ran = BTreeMap::<SchemeId, usize>::new();
    for (scheme, file, case) in all_cases() {
        if opt_s(&case, "kind").is_some() {
            continue; // JetLinks responses and Lovrabet expiry checks sign nothing
        }
        let id: SchemeId = scheme.parse().unwrap();
        let name = s(&case, "id");
        let owned = vector_params(id, &file, &case);
        let params = text_params(&owned);
        // Lovrabet tokens do not cover the request, and its vectors have none.
        let mut req = Request::new("GET", "/");
        if let Some(r) = case.get("request") {
            req = Request::new(s(r, "method"), s(r, "url")).with_body(s(r, "body").as_bytes());
            req.content_type = opt_s(r, "content_type");
        }
        let expected = &case["expected"];
        for ts in vector_times_ms(id, &case) {
            for headers_only in [false, true] {
                let what = format!("{name} at {ts} ms, headers_only={headers_only}");
                let mut opts = SignOptions::at(ts);
                if let Some(n) = opt_s(&case, "nonce") {
                    opts = opts.with_nonce(n);
                }
                if headers_only {
                    opts = opts.headers_only();
                }
                let result = Signer::new(id, &params).and_then(|sg| sg.sign(&req, &opts));
                if let Some(kind) = opt_s(expected, "error") {
                    let e = result.expect_err(&what);
                    assert_eq!(e.kind().as_str(), kind, "{what}: {e}");
                    continue;
                }
                let sig = result.unwrap_or_else(|e| panic!("{what}: {e}"));
                let want: BTreeMap<String, String> = expected["headers"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect();
                assert_eq!(header_map(&sig), want, "{what}: headers");
                assert_eq!(header_names(&sig), spec_md_headers(id), "{what}: order");
                if headers_only {
                    assert_eq!(sig.signed, "", "{what}: headers only");
                } else if let Some(want) = opt_s(expected, intermediate(id)) {
                    assert_eq!(sig.signed, want, "{what}: {}", intermediate(id));
                }
            }
        }
        *ran.entry(id).or_default() += 1;
    }
    for id in SchemeId::ALL {
        assert!(ran.get(&id).copied().unwrap_or(0) > 0, "no {id} vector ran");
    }
}

// ---------------------------------------------------------------------------------------------
// The registry.

#[test]
fn scheme_ids_round_trip_and_the_registry_matches_the_spec() {
    // The numbers are the C ABI's and Go's values: never renumbered.
    let expected = [
        (SchemeId::Lovrabet, 0u32, "lovrabet"),
        (SchemeId::JetLinks, 1, "jetlinks"),
        (SchemeId::PieMdm, 2, "piemdm"),
        (SchemeId::Linksfield, 3, "linksfield"),
    ];
    assert_eq!(SchemeId::ALL.len(), expected.len());
    assert_eq!(SCHEMES.len(), expected.len());
    for (id, n, name) in expected {
        assert_eq!(id as u32, n);
        assert_eq!(SchemeId::ALL[n as usize], id);
        assert_eq!(SchemeId::from_u32(n), Some(id));
        assert_eq!(id.name(), name);
        assert_eq!(id.to_string(), name);
        assert_eq!(name.parse::<SchemeId>().unwrap(), id);
        assert_eq!(name.to_ascii_uppercase().parse::<SchemeId>().unwrap(), id);
        let spec = id.spec();
        assert!(std::ptr::eq(spec, SCHEMES[n as usize]), "{name}");
        assert_eq!((spec.id, spec.name), (id, name));
        assert!(!spec.title.is_empty());
        assert_eq!(spec.headers, spec_md_headers(id), "{name}: headers");
        assert_eq!(spec.window, spec_md_window(id), "{name}: window");
    }
    assert_eq!(SchemeId::from_u32(4), None);
    assert_eq!(SchemeId::from_u32(u32::MAX), None);
    let e = "sigv4".parse::<SchemeId>().unwrap_err();
    assert_invalid(
        &e,
        "scheme",
        &["\"sigv4\"", "lovrabet, jetlinks, piemdm, linksfield"],
    );

    // Nonces: PieMDM always (SPEC: "nonce unused"), Linksfield v2 optionally, the others send
    // none. Only PieMDM's header is seconds.
    let nonces = [
        NonceUse::None,
        NonceUse::None,
        NonceUse::Always,
        NonceUse::Optional,
    ];
    let times = [
        WireTime::Millis,
        WireTime::Millis,
        WireTime::Seconds,
        WireTime::Millis,
    ];
    for (i, id) in SchemeId::ALL.into_iter().enumerate() {
        assert_eq!(id.spec().nonces, nonces[i], "{id}");
        assert_eq!(id.spec().wire_time, times[i], "{id}");
    }
}

#[test]
fn parameter_lists_are_well_formed() {
    const SECRET_NAMES: [&str; 5] = [
        "access_key",
        "secret_key",
        "secure_key",
        "app_secret",
        "private_key",
    ];
    for spec in SCHEMES {
        for (what, list) in [
            ("sign", spec.sign_params),
            ("credential", spec.credential_params),
            ("setting", spec.verify_settings),
        ] {
            for (i, p) in list.iter().enumerate() {
                let at = format!("{} {what} {}", spec.name, p.name);
                assert!(
                    list[..i].iter().all(|q| q.name != p.name),
                    "{at}: listed twice"
                );
                assert!(!p.doc.is_empty(), "{at}: no doc");
                assert!(!(p.required && p.default.is_some()), "{at}");
                assert!(!(p.required && p.repeated), "{at}");
                if let (ParamKind::Choice(options), Some(d)) = (p.kind, p.default) {
                    assert!(options.contains(&d), "{at}: default {d:?} not a choice");
                }
                // Exactly the secrets are marked secret, so bindings redact them.
                assert_eq!(
                    p.kind.is_secret(),
                    SECRET_NAMES.contains(&p.name),
                    "{at}: {:?}",
                    p.kind
                );
            }
        }
        // The caller's id is required on both sides.
        assert!(spec.sign_params.iter().any(|p| p.required));
        assert!(spec.credential_params.iter().any(|p| p.required));
    }
}

// ---------------------------------------------------------------------------------------------
// Secrets.

#[test]
fn no_secret_appears_in_debug_output() {
    // Every Secret/PrivateKey value the specs take, as it could show up: the text itself, or
    // any line of a PEM's base64 body.
    let mut secrets: Vec<String> = Vec::new();
    for spec in SCHEMES {
        for p in spec.sign_params.iter().chain(spec.credential_params) {
            if p.kind.is_secret() {
                let v = String::from_utf8(value(p.name)).unwrap();
                secrets.extend(
                    v.lines()
                        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
                        .map(str::to_owned),
                );
            }
        }
    }
    assert!(secrets.len() >= 10, "{secrets:?}");
    let check = |what: &str, shown: String| {
        for secret in &secrets {
            assert!(
                !shown.contains(secret.as_str()),
                "{what} shows {secret:?}: {shown}"
            );
        }
    };

    let store = Arc::new(InMemoryCredentials::new());
    for spec in SCHEMES {
        let sign = all_params(spec.sign_params);
        let sign = text_params(&sign);
        check("params", format!("{sign:?}"));
        let signer = Signer::new(spec.id, &sign).unwrap();
        check("signer", format!("{signer:?}"));
        let req = Request::new("POST", URL).with_body(BODY);
        let ts = 1_700_000_000_000;
        let sig = signer
            .sign(&req, &SignOptions::at(ts).with_nonce("nonce-0123456789ab"))
            .unwrap();
        check("signature", format!("{sig:?}"));
        check("signature", sig.signed_redacted().into_owned());
        // `apisign explain` prints these steps.
        check(
            "explain",
            format!("{:?}", signer.explain(&req, &sig, ts).unwrap()),
        );

        let cred = all_params(spec.credential_params);
        let cred = Credential::new(spec.id, &text_params(&cred)).unwrap();
        check("credential", format!("{cred:?}"));
        store.add(cred);
        let builder = Verifier::builder(spec.id, store.clone());
        check("builder", format!("{builder:?}"));
        check("verifier", format!("{:?}", builder.build().unwrap()));
    }
    assert_eq!(store.len(), 4);
    check("store", format!("{store:?}"));
}

// ---------------------------------------------------------------------------------------------
// The verifier builder.

#[test]
fn one_millisecond_clock_verifies_all_four_schemes() {
    // The bug of issue #11: a C server passes one clock to every verifier. PieMDM took seconds
    // and refused every request given milliseconds; now every verifier takes ms.
    let store = generic_store();
    let ts = 1_700_000_000_123;
    let now = ts + 1_500;
    for id in SchemeId::ALL {
        let v = verifier(id, &store);
        assert_eq!(v.scheme().id, id);
        let r = signed(id, ts, "one-clock-nonce-0001");
        let who = v
            .verify(&r.view(), now)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(who.caller, caller(id), "{id}");
        // Verified.timestamp is ms everywhere; PieMDM's header carries the floored second.
        let want = if id == SchemeId::PieMdm {
            1_700_000_000_000
        } else {
            ts
        };
        assert_eq!(who.timestamp, want, "{id}");
        assert_eq!(
            who.dataset.as_deref(),
            (id == SchemeId::Lovrabet).then_some("ds-1")
        );
        // The old PieMDM unit, seconds, is a date in 1970 for every scheme alike.
        let e = v.verify(&r.view(), now / 1000).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TimestampOutOfWindow, "{id}: {e}");
    }
}

#[test]
fn one_server_for_every_platform_picks_the_verifier_by_the_headers_sent() {
    // A middleware holding several verifiers hands each request to the one whose scheme's
    // headers it carries (SPEC.md's header lists), in whatever order they were configured.
    let store = generic_store();
    let ts = 1_700_000_000_123;
    let orders = [
        SchemeId::ALL.to_vec(),
        SchemeId::ALL.iter().rev().copied().collect::<Vec<_>>(),
    ];
    for order in orders {
        let verifiers: Vec<Verifier> = order.iter().map(|&id| verifier(id, &store)).collect();
        for (nonce, &id) in order.iter().enumerate() {
            let mut r = signed(id, ts, &format!("pick-nonce-{nonce:04}-{}", order[0]));
            // Header names arrive in any case, among others.
            for (name, _) in &mut r.headers {
                *name = name.to_uppercase();
            }
            let r = r.with_header("Accept", "*/*");
            let names = r.headers.iter().map(|(n, _)| n.as_str());
            let i = Verifier::pick(&verifiers, names).unwrap();
            assert_eq!(order[i], id, "{id} in {order:?}");
            let who = verifiers[i].verify(&r.view(), ts + 1_000).unwrap();
            assert_eq!(who.caller, caller(id), "{id}");
        }
        // No scheme's header at all: the first verifier refuses it.
        assert_eq!(Verifier::pick(&verifiers, ["Accept", "Host"]), Some(0));
    }
    assert_eq!(Verifier::pick(&[], ["X-Sign"]), None);
    // The count behind the choice, for a binding or a custom integration.
    let spec = SchemeId::PieMdm.spec();
    assert_eq!(
        spec.headers_among(spec_md_headers(SchemeId::PieMdm).iter().copied()),
        spec_md_headers(SchemeId::PieMdm).len()
    );
    assert_eq!(spec.headers_among(["content-type"]), 0);
}

#[test]
fn default_windows_are_the_documented_ones_edges_included() {
    let store = generic_store();
    let ts = 1_700_000_000_000; // a whole second, so PieMDM's header second starts at ts
    for id in SchemeId::ALL {
        let w = spec_md_window(id);
        // PieMDM compares whole seconds: the last accepted instant is the last ms of the
        // edge second.
        let slack = if id == SchemeId::PieMdm { 999 } else { 0 };
        let latest = ts + w.max_age + slack;
        let earliest = ts - w.max_ahead;
        let r = signed(id, ts, "window-nonce-000001");
        // A fresh verifier per check: each has its own in-memory nonce store.
        let verify = |now: u64| verifier(id, &store).verify(&r.view(), now);
        for ok in [earliest, latest] {
            verify(ok).unwrap_or_else(|e| panic!("{id} at {ok}: {e}"));
        }
        for late in [latest + 1, earliest - 1] {
            let e = verify(late).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::TimestampOutOfWindow, "{id} at {late}");
            assert!(e.platform_code().is_some(), "{id}: {e:?}");
        }
    }
}

#[test]
fn piemdm_gets_an_in_memory_nonce_store_and_rejects_a_replay() {
    let store = generic_store();
    let v = verifier(SchemeId::PieMdm, &store);
    let r = signed(SchemeId::PieMdm, 1_700_000_000_000, "replay-nonce-000001");
    assert!(v.verify(&r.view(), 1_700_000_000_000).is_ok());
    let e = v.verify(&r.view(), 1_700_000_000_001).unwrap_err();
    assert_eq!(
        (e.kind(), e.platform_code()),
        (ErrorKind::NonceReused, Some("AUTH_NONCE_USED"))
    );

    // Two servers sharing one store: accepted by A, a replay on B.
    let shared = Arc::new(InMemoryNonceStore::default());
    let server = || {
        Verifier::builder(SchemeId::PieMdm, store.clone())
            .nonce_store(shared.clone())
            .build()
            .unwrap()
    };
    let (a, b) = (server(), server());
    let r = signed(SchemeId::PieMdm, 1_700_000_000_000, "replay-nonce-000002");
    assert!(a.verify(&r.view(), 1_700_000_000_000).is_ok());
    let e = b.verify(&r.view(), 1_700_000_000_000).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NonceReused);
}

#[test]
fn linksfield_tracks_nonces_only_with_a_store_or_track_nonces() {
    let store = generic_store();
    let ts = 1_674_197_059_220;
    let twice = |v: &Verifier, nonce: &str| {
        let r = signed(SchemeId::Linksfield, ts, nonce);
        v.verify(&r.view(), ts).unwrap();
        v.verify(&r.view(), ts + 1)
    };
    let builder = || Verifier::builder(SchemeId::Linksfield, store.clone());

    // Default: no tracking, the same request verifies again.
    assert!(twice(&builder().build().unwrap(), "lf-nonce-1").is_ok());
    let off = builder().setting("track_nonces", "false").unwrap();
    assert!(twice(&off.build().unwrap(), "lf-nonce-2").is_ok());

    let with_store = builder()
        .nonce_store(Arc::new(InMemoryNonceStore::default()))
        .build()
        .unwrap();
    let e = twice(&with_store, "lf-nonce-3").unwrap_err();
    assert_eq!(
        (e.kind(), e.platform_code()),
        (ErrorKind::NonceReused, Some("403"))
    );
    for on in ["true", "1", "yes", "ON"] {
        let tracked = builder().setting("track_nonces", on).unwrap();
        let e = twice(&tracked.build().unwrap(), "lf-nonce-4").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonceReused, "track_nonces={on}");
    }
}

#[test]
fn linksfield_accept_v1_setting() {
    let store = generic_store();
    let ts: u64 = 1_674_197_059_220;
    let owned = all_params(SchemeId::Linksfield.spec().sign_params);
    let mut params = text_params(&owned);
    params.retain(|p| p.name != "version");
    params.push(Param::text("version", "1.0"));
    let url = format!("/cube/v4/sims/1?timestamp={ts}&nonce=42");
    let sig = Signer::new(SchemeId::Linksfield, &params)
        .unwrap()
        .sign(
            &Request::new("GET", &url),
            &SignOptions::at(ts).with_nonce("42"),
        )
        .unwrap();
    // SPEC.md: version 1 sends no header besides Authorization.
    assert_eq!(header_names(&sig), ["Authorization"]);
    let r = Received::new("GET", &url, b"", &sig);
    let builder = || Verifier::builder(SchemeId::Linksfield, store.clone());
    // Accepted by default (deprecated, still served)…
    assert_eq!(
        builder()
            .build()
            .unwrap()
            .verify(&r.view(), ts)
            .unwrap()
            .caller,
        "key-1"
    );
    // …and refused when turned off.
    let strict = builder().setting("accept_v1", "false").unwrap();
    let e = strict.build().unwrap().verify(&r.view(), ts).unwrap_err();
    assert!(e.kind().is_rejection(), "{e:?}");
}

#[test]
fn unknown_missing_repeated_and_bad_parameters_are_named_with_the_valid_ones() {
    let store = generic_store();
    // Unknown setting: refused at once, with the scheme's settings.
    let e = Verifier::builder(SchemeId::PieMdm, store.clone())
        .setting("strict", "true")
        .unwrap_err();
    assert_invalid(
        &e,
        "setting",
        &["\"strict\"", "strict_query, min_nonce_len"],
    );
    let e = Verifier::builder(SchemeId::Lovrabet, store.clone())
        .setting("track_nonces", "true")
        .unwrap_err();
    assert_invalid(&e, "setting", &["\"track_nonces\"", "none"]);
    // Bad setting values: refused by build, naming the setting.
    let build_with = |id, name: &str, value: &str| {
        Verifier::builder(id, store.clone())
            .setting(name, value)
            .unwrap()
            .build()
    };
    let e = build_with(SchemeId::Linksfield, "track_nonces", "maybe").unwrap_err();
    assert_invalid(&e, "track_nonces", &["\"maybe\"", "true or false"]);
    let e = build_with(SchemeId::PieMdm, "min_nonce_len", "-1").unwrap_err();
    assert_invalid(&e, "min_nonce_len", &["\"-1\""]);
    // 0 would accept empty nonces, more than the nonce limit would refuse every request.
    for bad in ["0", "129"] {
        let e = build_with(SchemeId::PieMdm, "min_nonce_len", bad).unwrap_err();
        assert_invalid(&e, "min_nonce_len", &["1..=128"]);
    }
    for ok in ["1", "128"] {
        build_with(SchemeId::PieMdm, "min_nonce_len", ok).unwrap();
    }

    let id = [Param::text("app_id", "app-1")];
    let secret = [Param::text("app_secret", "s3cret-value")];
    let list = "app_id, app_secret";
    // Unknown parameter.
    let given = [id[0], secret[0], Param::text("secret", "x")];
    let e = Signer::new(SchemeId::PieMdm, &given).unwrap_err();
    assert_invalid(&e, "params", &["\"secret\"", list]);
    // Missing.
    let e = Signer::new(SchemeId::PieMdm, &id).unwrap_err();
    assert_invalid(&e, "app_secret", &["required", list]);
    // Repeated.
    let given = [id[0], id[0], secret[0]];
    let e = Signer::new(SchemeId::PieMdm, &given).unwrap_err();
    assert_invalid(&e, "app_id", &["twice", list]);
    // Bad choices.
    let given = [
        Param::text("client_id", "c"),
        Param::text("secure_key", "k"),
        Param::text("algorithm", "sha1"),
    ];
    let e = Signer::new(SchemeId::JetLinks, &given).unwrap_err();
    assert_invalid(&e, "algorithm", &["\"sha1\"", "md5, sha256"]);
    let key = value("private_key");
    let given = [
        Param::text("key_id", "k"),
        Param::bytes("private_key", &key),
        Param::text("version", "3.0"),
    ];
    let e = Signer::new(SchemeId::Linksfield, &given).unwrap_err();
    assert_invalid(&e, "version", &["\"3.0\"", "2.0, 1.0"]);
    // Credentials have their own list: a signer's parameter is unknown there.
    let given = [
        Param::text("app_code", "a"),
        Param::text("access_key", "k"),
        Param::text("dataset_code", "ds"),
    ];
    let e = Credential::new(SchemeId::Lovrabet, &given).unwrap_err();
    assert_invalid(
        &e,
        "params",
        &[
            "\"dataset_code\"",
            "app_code, access_key, secret_key, dataset",
        ],
    );
    // A value the scheme cannot use names its parameter too.
    let given = [
        Param::text("app_code", "a"),
        Param::text("access_key", ""),
        Param::text("dataset_code", "ds"),
    ];
    let e = Signer::new(SchemeId::Lovrabet, &given).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
    assert_eq!(e.field(), Some("access_key"), "{e}");
    // A public key where signing needs the private one.
    let public = value("public_key");
    let given = [
        Param::text("key_id", "k"),
        Param::bytes("private_key", &public),
    ];
    let e = Signer::new(SchemeId::Linksfield, &given).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::BadKey | ErrorKind::InvalidInput),
        "{e:?}"
    );
}

#[test]
fn nonce_stores_and_ttls_where_they_cannot_work_are_refused() {
    let store = generic_store();
    let b = |id: SchemeId| Verifier::builder(id, store.clone());
    // Lovrabet and JetLinks send no nonce: a store or TTL would silently do nothing.
    for id in [SchemeId::Lovrabet, SchemeId::JetLinks] {
        let e = b(id)
            .nonce_store(Arc::new(InMemoryNonceStore::default()))
            .build()
            .unwrap_err();
        assert_invalid(&e, "nonce_store", &["no nonce"]);
        let e = b(id).nonce_ttl_secs(3600).build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{id}: {e}");
    }
    // Linksfield without tracking: a TTL alone is refused too.
    let e = b(SchemeId::Linksfield)
        .nonce_ttl_secs(3600)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");

    // PieMDM's header is whole seconds, so its window must be too.
    for w in [
        Window::symmetric(300_500),
        Window {
            max_age: 300_000,
            max_ahead: 1,
        },
    ] {
        let e = b(SchemeId::PieMdm).window(w).build().unwrap_err();
        assert_invalid(&e, "window", &["1000"]);
    }
    assert!(b(SchemeId::PieMdm)
        .window(Window {
            max_age: 120_000,
            max_ahead: 30_000
        })
        .build()
        .is_ok());

    // A TTL shorter than the window's width + 1 s lets a replay through (tests/verify_ttl.rs):
    // ±300 s needs 601 s, ±600 000 ms needs 1201 s, a 900 s window 1801 s.
    let ttl = |id: SchemeId, w: Option<Window>, track: bool, secs: u64| {
        let mut x = b(id).nonce_ttl_secs(secs);
        if let Some(w) = w {
            x = x.window(w);
        }
        if track {
            x = x.setting("track_nonces", "true").unwrap();
        }
        x.build()
    };
    let pie = SchemeId::PieMdm;
    let lf = SchemeId::Linksfield;
    assert_invalid(
        &ttl(pie, None, false, 600).unwrap_err(),
        "nonce_ttl",
        &["601"],
    );
    assert!(ttl(pie, None, false, 601).is_ok());
    let wide = Some(Window::symmetric(900_000));
    assert_invalid(
        &ttl(pie, wide, false, 1800).unwrap_err(),
        "nonce_ttl",
        &["1801"],
    );
    assert!(ttl(pie, wide, false, 1801).is_ok());
    assert_invalid(
        &ttl(lf, None, true, 1200).unwrap_err(),
        "nonce_ttl",
        &["1201"],
    );
    assert!(ttl(lf, None, true, 1201).is_ok());
    let e = b(lf)
        .nonce_store(Arc::new(InMemoryNonceStore::default()))
        .nonce_ttl_secs(0)
        .build()
        .unwrap_err();
    assert_invalid(&e, "nonce_ttl", &["1201"]);
}

// ---------------------------------------------------------------------------------------------
// The in-memory credential store.

#[test]
fn keys_rotate_and_callers_are_revoked_under_a_live_verifier() {
    let store = Arc::new(InMemoryCredentials::new());
    assert!(store.is_empty());
    let v = verifier(SchemeId::JetLinks, &store);
    let ts = 1_700_000_000_000;
    let jet = |key: &str| {
        let params = [
            Param::text("client_id", "c-1"),
            Param::text("secure_key", key),
        ];
        signed_get(
            SchemeId::JetLinks,
            &params,
            "/api/x?a=1",
            &SignOptions::at(ts),
        )
    };
    let (old, new) = (jet("old-secure-key"), jet("new-secure-key"));
    let kind = |r: &Received| {
        v.verify(&r.view(), ts)
            .map(|w| w.caller)
            .map_err(|e| e.kind())
    };

    assert_eq!(kind(&old), Err(ErrorKind::UnknownCaller));
    let add = |key: &str| {
        store
            .add_params(
                SchemeId::JetLinks,
                &[
                    Param::text("client_id", "c-1"),
                    Param::text("secure_key", key),
                ],
            )
            .unwrap()
    };
    add("old-secure-key");
    assert_eq!(store.len(), 1);
    assert_eq!(kind(&old), Ok("c-1".to_owned()));
    // Rotation: the same id with a new key replaces the old one at once.
    add("new-secure-key");
    assert_eq!(store.len(), 1);
    assert_eq!(kind(&old), Err(ErrorKind::SignatureInvalid));
    assert_eq!(kind(&new), Ok("c-1".to_owned()));
    // Ids are per scheme: a PieMDM app named c-1 is no JetLinks client.
    store
        .add_params(
            SchemeId::PieMdm,
            &[
                Param::text("app_id", "c-1"),
                Param::text("app_secret", "new-secure-key"),
            ],
        )
        .unwrap();
    assert_eq!(store.len(), 2);
    assert!(store.remove(SchemeId::JetLinks, "c-1"));
    assert!(!store.remove(SchemeId::JetLinks, "c-1"));
    assert_eq!(kind(&new), Err(ErrorKind::UnknownCaller));
    assert!(store.remove(SchemeId::PieMdm, "c-1"));
    assert!(store.is_empty());
}

#[test]
fn linksfield_public_keys_rotate_too() {
    let store = Arc::new(InMemoryCredentials::new());
    let v = verifier(SchemeId::Linksfield, &store);
    let ts = 1_674_197_059_220;
    let sign_with = |key: &Arc<PrivateKey>| {
        let params = [
            Param::text("key_id", "kid"),
            Param::private_key("private_key", key),
        ];
        let options = SignOptions::at(ts).with_nonce("n-1");
        signed_get(SchemeId::Linksfield, &params, "/cube/v4/x", &options)
    };
    let (k1, k2) = (lf_key(), lf_other_key());
    let (r1, r2) = (sign_with(&k1), sign_with(&k2));
    // Registered as a parsed key (typed path) …
    store.add(apisign::linksfield::credential("kid", k1.public_key()).unwrap());
    assert_eq!(v.verify(&r1.view(), ts).unwrap().caller, "kid");
    assert_eq!(
        v.verify(&r2.view(), ts).unwrap_err().platform_code(),
        Some("403")
    );
    // … then replaced through the generic parameters with a private key given where the
    // public one is expected (its public half is used).
    store
        .add_params(
            SchemeId::Linksfield,
            &[
                Param::text("key_id", "kid"),
                Param::private_key("public_key", &k2),
            ],
        )
        .unwrap();
    assert_eq!(
        v.verify(&r1.view(), ts).unwrap_err().kind(),
        ErrorKind::SignatureInvalid
    );
    assert_eq!(v.verify(&r2.view(), ts).unwrap().caller, "kid");
}

#[test]
fn rotation_while_verifying_from_other_threads() {
    // One thread swaps the key back and forth while others verify: every answer is one of the
    // two consistent states, never a panic or a poisoned store.
    let store = Arc::new(InMemoryCredentials::new());
    let params = |key: &'static str| {
        [
            Param::text("app_id", "app-r"),
            Param::text("app_secret", key),
        ]
    };
    store
        .add_params(SchemeId::PieMdm, &params("key-a"))
        .unwrap();
    let v = verifier(SchemeId::PieMdm, &store);
    let ts = 1_700_000_000_000;
    let signer = Signer::new(SchemeId::PieMdm, &params("key-a")).unwrap();
    std::thread::scope(|s| {
        s.spawn(|| {
            for i in 0..500 {
                let key = if i % 2 == 0 { "key-b" } else { "key-a" };
                store.add_params(SchemeId::PieMdm, &params(key)).unwrap();
            }
        });
        for t in 0..2 {
            let (v, signer) = (&v, &signer);
            s.spawn(move || {
                for i in 0..300 {
                    let nonce = format!("rotate-{t}-{i:06}");
                    let sig = signer
                        .sign(
                            &Request::new("GET", "/x"),
                            &SignOptions::at(ts).with_nonce(&nonce),
                        )
                        .unwrap();
                    let r = Received::new("GET", "/x", b"", &sig);
                    match v.verify(&r.view(), ts) {
                        Ok(w) => assert_eq!(w.caller, "app-r"),
                        Err(e) => assert_eq!(e.kind(), ErrorKind::SignatureInvalid, "{e}"),
                    }
                }
            });
        }
    });
    // The last write was key-a.
    let r = signed_piemdm(&signer, ts, "rotate-final-000001");
    assert!(v.verify(&r.view(), ts).is_ok());
}

fn signed_piemdm(signer: &Signer, ts: u64, nonce: &str) -> Received {
    let sig = signer
        .sign(
            &Request::new("GET", "/x"),
            &SignOptions::at(ts).with_nonce(nonce),
        )
        .unwrap();
    Received::new("GET", "/x", b"", &sig)
}

#[test]
fn scopes_are_per_scheme_and_decide_1005_or_1006() {
    let store = Arc::new(InMemoryCredentials::new());
    let app = [
        Param::text("app_code", "app-1"),
        Param::text("access_key", "ak-1"),
        Param::text("dataset", "ds-1"),
        Param::text("dataset", "ds-2"),
    ];
    let cred = Credential::new(SchemeId::Lovrabet, &app).unwrap();
    assert_eq!((cred.scheme(), cred.id()), (SchemeId::Lovrabet, "app-1"));
    assert_eq!(cred.scopes().collect::<Vec<_>>(), ["ds-1", "ds-2"]);
    assert!(cred.allows("ds-2") && !cred.allows("ds-3"));
    store.add(cred);
    store.add_scope(SchemeId::Lovrabet, "ds-locked").unwrap();
    store.add_scope(SchemeId::PieMdm, "ds-elsewhere").unwrap();
    let v = verifier(SchemeId::Lovrabet, &store);
    let ts = 1_700_000_000_000;
    let token = |ds: &str| {
        let params = [
            Param::text("app_code", "app-1"),
            Param::text("dataset_code", ds),
            Param::text("access_key", "ak-1"),
        ];
        signed_get(SchemeId::Lovrabet, &params, "/", &SignOptions::at(ts))
    };
    let code = |ds: &str| {
        v.verify(&token(ds).view(), ts)
            .map_err(|e| e.platform_code())
    };
    assert_eq!(code("ds-1").unwrap().dataset.as_deref(), Some("ds-1"));
    assert_eq!(code("ds-2").unwrap().dataset.as_deref(), Some("ds-2"));
    // Known dataset the app may not read: 1006; unknown dataset: 1005; a scope of another
    // scheme is unknown here.
    assert_eq!(code("ds-locked").unwrap_err(), Some("1006"));
    assert_eq!(code("ds-nope").unwrap_err(), Some("1005"));
    assert_eq!(code("ds-elsewhere").unwrap_err(), Some("1005"));
    // The app's datasets stay known after it is removed: the app is what is missing (1004).
    assert!(store.remove(SchemeId::Lovrabet, "app-1"));
    assert_eq!(code("ds-1").unwrap_err(), Some("1004"));

    // Scopes travel in headers: control characters are refused, naming the field.
    let e = store
        .add_scope(SchemeId::Lovrabet, "ds\r\nX-Evil: 1")
        .unwrap_err();
    assert_invalid(&e, "scope", &[]);
    let bad = [
        Param::text("app_code", "app-1"),
        Param::text("access_key", "ak-1"),
        Param::text("dataset", "ds\n1"),
    ];
    assert_invalid(
        &Credential::new(SchemeId::Lovrabet, &bad).unwrap_err(),
        "scope",
        &[],
    );
}

/// A key that does not parse is a bad_key error naming the parameter it came in.
#[test]
fn bad_key_parameters_name_themselves() {
    let e = Signer::new(
        SchemeId::Linksfield,
        &[
            Param::text("key_id", "k1"),
            Param::bytes("private_key", b"not a key"),
        ],
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadKey);
    assert_eq!(e.field(), Some("private_key"));
    let e = apisign::verify::Credential::new(
        SchemeId::Linksfield,
        &[
            Param::text("key_id", "k1"),
            Param::bytes(
                "public_key",
                b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            ),
        ],
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadKey);
    assert_eq!(e.field(), Some("public_key"));
}
