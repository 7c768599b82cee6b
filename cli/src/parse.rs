//! The command line's own little grammars: `-H 'Name: value'` and `NAME=VALUE` flags.
//!
//! Plain functions over `&str` with `String` errors (the message to print), depending on
//! nothing but `std`, so the fuzz target `cli_args` compiles this very file.

/// Whether `b` may appear in a header name (an RFC 9110 `token` character).
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// `Name: value` → `(Name, value)`, as an HTTP server reads a header line: the name is a token
/// (no spaces around it), the value loses only the spaces and tabs around it (RFC 9110
/// "optional whitespace"), so a value ending in U+00A0 or U+3000 keeps it, as on the wire.
pub fn header_line(raw: &str) -> Result<(&str, &str), String> {
    let (name, value) = raw
        .split_once(':')
        .ok_or_else(|| format!("-H {raw:?}: expected 'Name: value'"))?;
    if name.is_empty() || !name.bytes().all(is_tchar) {
        return Err(format!(
            "-H {raw:?}: the header name must be a non-empty token (letters, digits, !#$%&'*+-.^_`|~; no spaces)"
        ));
    }
    if value.contains(['\r', '\n', '\0']) {
        return Err(format!(
            "-H {name}: a header value cannot hold CR, LF or NUL; give one line per -H"
        ));
    }
    Ok((name, value.trim_matches([' ', '\t'])))
}

/// `NAME=VALUE` of flag `flag` → `(NAME, VALUE)`; the name is non-empty, the value may be
/// empty or hold further `=`.
pub fn name_value<'a>(flag: &str, raw: &'a str) -> Result<(&'a str, &'a str), String> {
    match raw.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name, value)),
        _ => Err(format!(
            "{flag} {raw:?}: expected NAME=VALUE with a non-empty NAME"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_trim_only_spaces_and_tabs() {
        assert_eq!(header_line("X-Sign:  abc "), Ok(("X-Sign", "abc")));
        assert_eq!(header_line("X-Sign:\tabc\t"), Ok(("X-Sign", "abc")));
        assert_eq!(header_line("a: b: c"), Ok(("a", "b: c")));
        assert_eq!(header_line("a:"), Ok(("a", "")));
        // Other Unicode spaces are part of the value, as HTTP servers keep them.
        assert_eq!(
            header_line("X-App-Id: app\u{a0}"),
            Ok(("X-App-Id", "app\u{a0}"))
        );
        assert_eq!(
            header_line("X-App-Id: \u{3000}app\u{3000}"),
            Ok(("X-App-Id", "\u{3000}app\u{3000}"))
        );
    }

    #[test]
    fn bad_header_lines_say_what_to_fix() {
        for bad in [
            "no colon",
            ": v",
            "a b: v",
            " a: v",
            "a : v",
            "a\u{a0}: v",
            "(a): v",
        ] {
            let e = header_line(bad).unwrap_err();
            assert!(
                e.contains("expected 'Name: value'") || e.contains("non-empty token"),
                "{bad:?}: {e}"
            );
        }
        assert!(header_line("a: b\r\nX-Evil: 1")
            .unwrap_err()
            .contains("CR, LF or NUL"));
    }

    #[test]
    fn name_value_pairs() {
        assert_eq!(name_value("--param", "a=b=c"), Ok(("a", "b=c")));
        assert_eq!(name_value("--param", "a="), Ok(("a", "")));
        assert!(name_value("--param", "=x")
            .unwrap_err()
            .contains("non-empty NAME"));
        assert!(name_value("--param", "x")
            .unwrap_err()
            .starts_with("--param \"x\""));
    }
}
