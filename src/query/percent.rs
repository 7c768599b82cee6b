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

/// Decoded bytes as text, replacing invalid UTF-8 with U+FFFD as Java's `new String(bytes,
/// UTF_8)` does.
pub(crate) fn into_text(bytes: Cow<'_, [u8]>) -> Cow<'_, str> {
    match bytes {
        Cow::Borrowed(b) => String::from_utf8_lossy(b),
        Cow::Owned(v) => match String::from_utf8(v) {
            Ok(s) => Cow::Owned(s),
            Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        },
    }
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
        let text = into_text(decode("%FFa", Plus::Space).unwrap());
        assert_eq!(text, "\u{FFFD}a");
    }
}
