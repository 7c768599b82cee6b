//! Bytes to text the way Java's UTF-8 decoder does it with `REPLACE` (`new String(bytes,
//! UTF_8)`, `Charset.decode`): what a Spring server signs for malformed input.
//!
//! Valid UTF-8 means the same in Rust and Java; only the *length* of each malformed unit
//! differs. Rust's `from_utf8_lossy` follows the WHATWG "maximal subpart" rule, Java's
//! `sun.nio.cs.UTF_8` has its own: a 3-byte sequence that would encode a surrogate
//! (`ED A0..BF xx`) is one malformed unit of 3 bytes, an incomplete sequence at the very end
//! is one unit however long, and a few truncated forms are 2 bytes. [`malformed_len`] spells
//! out Java's rules; the expected values in the tests come from a Java 17 run.

use std::borrow::Cow;

/// `bytes` as text, malformed units replaced by U+FFFD as Java does. Borrows valid UTF-8.
pub(crate) fn decode_lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + 2);
            push_lossy(bytes, &mut out);
            Cow::Owned(out)
        }
    }
}

/// Append `bytes` decoded as [`decode_lossy`] does.
pub(crate) fn push_lossy(mut bytes: &[u8], out: &mut String) {
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return;
            }
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                // Checked by `from_utf8` just above.
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push(char::REPLACEMENT_CHARACTER);
                bytes = &rest[malformed_len(rest)..];
            }
        }
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// How many bytes Java replaces by one U+FFFD at the start of `bad` (non-empty, and not valid
/// UTF-8 there). Mirrors `sun.nio.cs.UTF_8.Decoder` (`malformedN`, `isMalformed3_2`,
/// `isMalformed4_2`/`_3`) and its end-of-input underflow, which replaces all that is left.
fn malformed_len(bad: &[u8]) -> usize {
    let n = bad.len();
    let b1 = bad[0];
    let b2 = bad.get(1).copied().unwrap_or(0);
    let b3 = bad.get(2).copied().unwrap_or(0);
    match b1 {
        // Invalid because the next byte is not a continuation, or nothing follows.
        0xC2..=0xDF => 1,
        0xE0..=0xEF => {
            let bad_second = (b1 == 0xE0 && b2 & 0xE0 == 0x80) || !is_continuation(b2);
            if n < 3 {
                // Incomplete at the end: one unit for the rest unless the 2nd byte is bad.
                if n > 1 && bad_second {
                    1
                } else {
                    n
                }
            } else if bad_second {
                1
            } else if !is_continuation(b3) {
                2
            } else {
                // Well-formed bytes encoding a surrogate (ED A0..BF xx): one unit.
                3
            }
        }
        0xF0..=0xF7 => {
            let bad_second = b1 > 0xF4
                || (b1 == 0xF0 && !(0x90..=0xBF).contains(&b2))
                || (b1 == 0xF4 && b2 & 0xF0 != 0x80)
                || !is_continuation(b2);
            if n < 4 {
                if b1 > 0xF4 || (n > 1 && bad_second) {
                    1
                } else if n > 2 && !is_continuation(b3) {
                    2
                } else {
                    n
                }
            } else if bad_second {
                1
            } else if !is_continuation(b3) {
                2
            } else {
                3
            }
        }
        // Continuation bytes, C0/C1, F8..FF.
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(bytes, Java's text)`. Each expected string was printed by Java 17
    /// (`new String(bytes, StandardCharsets.UTF_8)`, OpenJDK 17.0.15) — not by this code.
    const JAVA: &[(&[u8], &str)] = &[
        (b"\xED\xA0\x80", "\u{FFFD}"),
        (b"\xED\xBF\xBF", "\u{FFFD}"),
        (b"\xED\xA0\x80\xED\xB0\x80", "\u{FFFD}\u{FFFD}"),
        (b"\xED\xA0A", "\u{FFFD}A"),
        (b"\xED\xA0", "\u{FFFD}"),
        (b"\xE0\x80\x80", "\u{FFFD}\u{FFFD}\u{FFFD}"),
        (b"\xE0\x9F\xBF", "\u{FFFD}\u{FFFD}\u{FFFD}"),
        (b"\xE0\x80", "\u{FFFD}\u{FFFD}"),
        (b"\xE0\xA0", "\u{FFFD}"),
        (b"\xE2\x82", "\u{FFFD}"),
        (b"\xE2\x82A", "\u{FFFD}A"),
        (b"\xE2A", "\u{FFFD}A"),
        (b"\xE2", "\u{FFFD}"),
        (b"\xC3", "\u{FFFD}"),
        (b"\xC3A", "\u{FFFD}A"),
        (b"\xC0\x80", "\u{FFFD}\u{FFFD}"),
        (b"\xC1\xBF", "\u{FFFD}\u{FFFD}"),
        (b"\x80", "\u{FFFD}"),
        (b"\xBF\xBF", "\u{FFFD}\u{FFFD}"),
        (b"\xFF", "\u{FFFD}"),
        (b"\xF0\x90\x80", "\u{FFFD}"),
        (b"\xF0\x90\x80A", "\u{FFFD}A"),
        (b"\xF0\x90A", "\u{FFFD}A"),
        (b"\xF0\x90", "\u{FFFD}"),
        (b"\xF0\x80\x80\x80", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
        (b"\xF0\x8F\xBF\xBF", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
        (b"\xF4\x90\x80\x80", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
        (b"\xF4\x90", "\u{FFFD}\u{FFFD}"),
        (b"\xF5\x80\x80\x80", "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),
        (b"\xF5\x80", "\u{FFFD}\u{FFFD}"),
        (
            b"\xF8\x88\x80\x80\x80",
            "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}",
        ),
        (b"a\xF0\x9F\x98\x80b", "a\u{1F600}b"),
        (b"\xF0\x9F\x98", "\u{FFFD}"),
        (b"\xF0\x9F\x98A", "\u{FFFD}A"),
        (b"\xF0\x9FA", "\u{FFFD}A"),
        (b"\xE5\xBC\xA0\xFF\xE4\xB8\x89", "张\u{FFFD}三"),
    ];

    #[test]
    fn replaces_malformed_input_as_java_does() {
        for (bytes, java) in JAVA {
            assert_eq!(decode_lossy(bytes), *java, "{bytes:02X?}");
        }
    }

    #[test]
    fn valid_text_is_borrowed() {
        assert!(matches!(
            decode_lossy("张三".as_bytes()),
            Cow::Borrowed("张三")
        ));
    }
}
