//! JSON written the way the platform's Java side writes it: Jackson's `ObjectMapper` with
//! `ORDER_MAP_ENTRIES_BY_KEYS` over maps read by its default untyped deserializer (a body read
//! into `TreeMap<String, Object>`). Checked against Jackson itself by
//! `scripts/test-parity-jackson.sh`.
//!
//! - Object keys sorted by UTF-16 code units (Java `String.compareTo`), at every level.
//! - Strings: only `"`, `\` and C0 controls escaped; `\b \t \n \f \r` short, the rest `\u00XX`
//!   with uppercase hex. DEL, `/`, U+2028/2029 and non-BMP characters are written raw (UTF-8).
//! - Numbers: Jackson reads an integer literal as `Integer`/`Long`/`BigInteger` and writes it
//!   back canonically, so only `-0` changes (to `0`). A literal with `.`, `e` or `E` is read as
//!   a `Double`, so it is written as Java's `Double.toString` does (`1.50` → `1.5`, `1e2` →
//!   `100.0`, `-0.0` stays `-0.0`, `1e-7` → `1.0E-7`), and one too large for a double is
//!   written `"Infinity"` (a string: Jackson's default `WRITE_NAN_AS_STRINGS`).
//!   `Double.toString` is the shortest-digits form specified since JDK 19 (and Jackson's
//!   `USE_FAST_DOUBLE_WRITER`); JDK 18 and older print a few doubles with extra digits.
//! - A lone surrogate escape (`"\ud800"`) never gets here: serde_json refuses it as invalid
//!   JSON, while Java would sign it as `?`.

use std::fmt::Write;

use serde_json::{Map, Number, Value};

use crate::query::spring::cmp_utf16;

/// Append `value` to `out`.
pub(crate) fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(map, out),
    }
}

/// Append `map` with its keys in Java `String` order.
pub(crate) fn write_object(map: &Map<String, Value>, out: &mut String) {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    // The map is already in UTF-8 byte (code point) order, which differs from UTF-16 order only
    // between supplementary characters and U+E000..U+FFFF: usually no element moves.
    entries.sort_by(|a, b| cmp_utf16(a.0, b.0));
    out.push('{');
    for (i, (k, v)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(k, out);
        out.push(':');
        write_value(v, out);
    }
    out.push('}');
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x09 => "\\t",
            0x0A => "\\n",
            0x0C => "\\f",
            0x0D => "\\r",
            0x00..=0x1F => "",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        plain = i + 1;
        if short.is_empty() {
            let _ = write!(out, "\\u{b:04X}");
        } else {
            out.push_str(short);
        }
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

fn write_number(n: &Number, out: &mut String) {
    // With arbitrary_precision, `to_string` is the literal as the caller wrote it.
    let text = n.to_string();
    if !text.contains(['.', 'e', 'E']) {
        out.push_str(if text == "-0" { "0" } else { &text });
        return;
    }
    match text.parse::<f64>() {
        Ok(d) if d.is_finite() => java_double(d, out),
        Ok(d) if d > 0.0 => out.push_str("\"Infinity\""),
        Ok(_) => out.push_str("\"-Infinity\""),
        // serde_json only hands out valid JSON numbers, which always parse as f64.
        Err(_) => out.push_str(&text),
    }
}

/// Java's `Double.toString(d)` (JDK 19+) for a finite `d`.
fn java_double(d: f64, out: &mut String) {
    if d == 0.0 {
        out.push_str(if d.is_sign_negative() { "-0.0" } else { "0.0" });
        return;
    }
    if d < 0.0 {
        out.push('-');
    }
    let (digits, exp) = java_digits(d.abs());
    let n = digits.len() as i32;
    if (-3..7).contains(&exp) {
        if exp >= 0 {
            let int_len = (exp + 1) as usize;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        out.push('.');
        out.push_str(if n > 1 { &digits[1..] } else { "0" });
        let _ = write!(out, "E{exp}");
    }
}

/// The significant digits (no trailing zeros) and decimal exponent of `Double.toString(d)`,
/// `d > 0`: `d ≈ d1.d2… × 10^exp`. Java takes the shortest length `n` of a decimal that reads
/// back as `d` (at least 2), and of those the one closest to `d`, ties to an even last digit.
/// Rust's `{:e}` gives the length but may break a tie upwards; its exact formatting rounds the
/// binary value half to even, which is Java's choice whenever it still reads back as `d`.
fn java_digits(d: f64) -> (String, i32) {
    let (shortest, exp) = split_sci(&format!("{d:e}"));
    let precision = shortest.len().max(2) - 1;
    let closest = format!("{d:.precision$e}");
    let (mut digits, exp) = if closest.parse::<f64>() == Ok(d) {
        split_sci(&closest)
    } else {
        (shortest, exp)
    };
    while digits.len() > 1 && digits.ends_with('0') {
        digits.pop();
    }
    (digits, exp)
}

/// `"4.9e-324"` → `("49", -324)`.
fn split_sci(s: &str) -> (String, i32) {
    let (mantissa, exp) = s.split_once('e').unwrap_or((s, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    (digits, exp.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> String {
        let v: Value = serde_json::from_str(text).unwrap();
        let mut out = String::new();
        write_value(&v, &mut out);
        out
    }

    #[test]
    fn keys_in_utf16_order_at_every_level() {
        // U+1F600 is D83D DE00 in UTF-16: below U+FF21 there, above it in UTF-8.
        assert_eq!(json(r#"{"Ａ":2,"😀":1}"#), r#"{"😀":1,"Ａ":2}"#);
        assert_eq!(
            json(r#"{"b":{"Ａ":[{"z":1,"😀":0}],"😀":null},"a":1}"#),
            r#"{"a":1,"b":{"😀":null,"Ａ":[{"z":1,"😀":0}]}}"#
        );
    }

    #[test]
    fn strings_escaped_as_jackson_does() {
        assert_eq!(
            json(r#"["\u0000\u001f\b\t\n\f\r\u000b", "\"\\/", "\u007f\u2028\u2029😀é"]"#),
            "[\"\\u0000\\u001F\\b\\t\\n\\f\\r\\u000B\",\"\\\"\\\\/\",\"\u{7f}\u{2028}\u{2029}😀é\"]"
        );
    }

    #[test]
    fn integers_canonical() {
        assert_eq!(
            json("[-0,0,7,-7,123456789012345678901234567890,-9223372036854775809]"),
            "[0,0,7,-7,123456789012345678901234567890,-9223372036854775809]"
        );
    }

    #[test]
    fn floats_as_java_double_to_string() {
        // Expected values are what `Double.toString` prints (JDK 17 and 21 agree on these).
        let cases = [
            ("1.50", "1.5"),
            ("1e2", "100.0"),
            ("1E2", "100.0"),
            ("-0.0", "-0.0"),
            ("0e5", "0.0"),
            ("0.001", "0.001"),
            ("0.0001", "1.0E-4"),
            ("1234567.0", "1234567.0"),
            ("12345678", "12345678"),
            ("12345678.0", "1.2345678E7"),
            ("1e7", "1.0E7"),
            ("9999999.999", "9999999.999"),
            ("0.1", "0.1"),
            ("-2.5e-10", "-2.5E-10"),
            ("1.7976931348623157e308", "1.7976931348623157E308"),
            ("4.9e-324", "4.9E-324"),
            ("5e-324", "4.9E-324"),
            ("100.000", "100.0"),
            ("123.456e1", "1234.56"),
            ("1e400", "\"Infinity\""),
            ("-1e400", "\"-Infinity\""),
            ("1e-400", "0.0"),
            // Exactly between ...447.2 and ...447.3: Java keeps the even digit (found by the
            // Jackson differential test).
            ("1777739884518447.2", "1.7777398845184472E15"),
        ];
        for (input, want) in cases {
            assert_eq!(json(input), want, "{input}");
        }
    }
}
