//! Percent-decoding shared by the Spring and Go parsers.

use std::borrow::Cow;

/// What `+` means while decoding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plus {
    /// Query/form component: `+` is a space.
    Space,
    /// Path: `+` is a literal `+`.
    Keep,
}

/// A `%` not followed by two hex digits.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BadEscape;

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decode `%XX` escapes (and `+` per `plus`). Borrows when there is nothing to decode.
pub(crate) fn decode(input: &str, plus: Plus) -> Result<Cow<'_, [u8]>, BadEscape> {
    let bytes = input.as_bytes();
    let needs = bytes
        .iter()
        .any(|&b| b == b'%' || (b == b'+' && plus == Plus::Space));
    if !needs {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_val);
                let lo = bytes.get(i + 2).copied().and_then(hex_val);
                match (hi, lo) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => return Err(BadEscape),
                }
                i += 3;
            }
            b'+' if plus == Plus::Space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// Decode to text, replacing invalid UTF-8 with U+FFFD as Java's `new String(bytes, UTF_8)`
/// does. Borrows `input` (already valid UTF-8) when there is nothing to decode.
pub(crate) fn decode_text(input: &str, plus: Plus) -> Result<Cow<'_, str>, BadEscape> {
    Ok(match decode(input, plus)? {
        Cow::Borrowed(_) => Cow::Borrowed(input),
        Cow::Owned(v) => Cow::Owned(match String::from_utf8(v) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_plus() {
        assert_eq!(&*decode("a%2Bb+c", Plus::Space).unwrap(), b"a+b c");
        assert_eq!(&*decode("a%2bb+c", Plus::Keep).unwrap(), b"a+b+c");
        assert_eq!(&*decode("%E5%BC%A0", Plus::Space).unwrap(), "张".as_bytes());
        assert!(matches!(
            decode("plain", Plus::Space).unwrap(),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn rejects_bad_escapes() {
        for bad in ["%", "%4", "%zz", "a%4g", "%-1", "%+1"] {
            assert_eq!(decode(bad, Plus::Space), Err(BadEscape), "{bad}");
        }
    }

    #[test]
    fn invalid_utf8_becomes_replacement_character() {
        assert_eq!(decode_text("%FFa", Plus::Space).unwrap(), "\u{FFFD}a");
        assert!(matches!(
            decode_text("plain", Plus::Space).unwrap(),
            Cow::Borrowed("plain")
        ));
    }
}
