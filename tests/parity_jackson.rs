//! Differential test against Jackson itself: the linksfield v2 message of every body in
//! `bodies.txt` must be byte-identical to what `tests/parity/jackson/JacksonMessage.java`
//! built with Jackson. Inputs come from `scripts/test-parity-jackson.sh` (which needs Java and
//! Maven), hence `#[ignore]`; the script runs it with `--ignored`.

use std::path::PathBuf;

use apisign::linksfield::message_v2;
use apisign::Request;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

fn dir() -> PathBuf {
    std::env::var_os("APISIGN_PARITY_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/parity-jackson"))
}

/// A message's bytes, or `None` when it could not be built.
type Outcome = Option<Vec<u8>>;

/// `(body, Jackson default writer, Jackson fast double writer)`.
fn load(name: &str) -> Vec<(String, Outcome, Outcome)> {
    let read = |f: String| {
        std::fs::read_to_string(dir().join(&f))
            .unwrap_or_else(|e| panic!("{f}: {e}; run scripts/test-parity-jackson.sh"))
    };
    let bodies = read(format!("{name}.txt"));
    let java = read(format!("{name}.java.txt"));
    let outcome = |s: &str| s.strip_prefix("OK ").map(|b| STANDARD.decode(b).unwrap());
    let rows: Vec<_> = bodies
        .lines()
        .zip(java.lines())
        .map(|(b, j)| {
            let (plain, fast) = j.split_once('\t').expect("two columns");
            (
                serde_json::from_str::<String>(b).unwrap(),
                outcome(plain),
                outcome(fast),
            )
        })
        .collect();
    assert_eq!(
        rows.len(),
        bodies.lines().count(),
        "{name}: one Java line per body"
    );
    rows
}

fn ours(body: &str) -> Outcome {
    let req = Request::new("POST", "/cube/v4/x").with_body(body.as_bytes());
    message_v2(&req, "1674197059220", "1")
        .ok()
        .map(String::into_bytes)
}

#[test]
#[ignore = "needs Java output: run scripts/test-parity-jackson.sh"]
fn messages_match_jackson() {
    let rows = load("bodies");
    assert!(rows.len() > 1000, "only {} bodies", rows.len());
    let mut mismatches = Vec::new();
    let mut jdk_double_differs = 0;
    for (body, plain, fast) in &rows {
        // Doubles as JDK 19+ prints them (the fast writer does so on any JDK).
        if ours(body) != *fast {
            mismatches.push(body);
        }
        if plain != fast {
            jdk_double_differs += 1;
        }
    }
    println!(
        "{} bodies; {} mismatches; the running JDK's Double.toString differs from JDK 19+ on {}",
        rows.len(),
        mismatches.len(),
        jdk_double_differs
    );
    for body in mismatches.iter().take(10) {
        let java = rows.iter().find(|r| &&r.0 == body).unwrap().2.clone();
        println!(
            "body {body:?}\n  ours    {:?}\n  jackson {:?}",
            ours(body).map(String::from_utf8),
            java.map(String::from_utf8)
        );
    }
    assert!(mismatches.is_empty(), "{} bodies differ", mismatches.len());
}

#[test]
#[ignore = "needs Java output: run scripts/test-parity-jackson.sh"]
fn documented_differences_still_hold() {
    // Jackson accepts these and apisign refuses them (lone surrogates, trailing content, deep
    // nesting): if one starts to agree, update the documentation in java_json.rs.
    for (body, _, fast) in load("known") {
        assert!(fast.is_some(), "Jackson now refuses {body:?}");
        assert!(ours(&body).is_none(), "apisign now accepts {body:?}");
    }
}
