//! GBK, GB2312 and GB18030 decoded as Java 17 decodes them.
//!
//! The character tables come from encoding_rs (WHATWG's GBK/GB18030 index); Java's own rules
//! are applied around them: which bytes lead a pair, how many bytes one U+FFFD replaces, and
//! the cells where Java's tables differ from WHATWG's (listed below, from a Java 17 run;
//! tests/parity/spring checks every byte pair against Java).

use encoding_rs::{DecoderResult, Encoding, GB18030, GBK};

/// Java `GBK` cells that differ from WHATWG: `(lead, first trail, last trail, first char)`,
/// consecutive trails mapping to consecutive code points. Mostly PUA code points where
/// WHATWG (GB18030-2005) has the vertical forms, plus A3A0 and A892.
const GBK_JAVA: &[(u8, u8, u8, u32)] = &[
    (0xA3, 0xA0, 0xA0, 0xE5E5),
    (0xA6, 0xD9, 0xDF, 0xE78D),
    (0xA6, 0xEC, 0xED, 0xE794),
    (0xA6, 0xF3, 0xF3, 0xE796),
    (0xA8, 0x92, 0x92, 0x2641),
    (0xA8, 0xBC, 0xBC, 0xE7C7),
    (0xA8, 0xBF, 0xBF, 0xE7C8),
    (0xA9, 0x89, 0x95, 0xE7E7),
    (0xFE, 0x50, 0x50, 0xE815),
    (0xFE, 0x54, 0x6B, 0xE819),
    (0xFE, 0x6D, 0x75, 0xE832),
    (0xFE, 0x77, 0x7E, 0xE83C),
    (0xFE, 0x80, 0x90, 0xE844),
    (0xFE, 0x92, 0xA0, 0xE856),
];

/// Java `GB2312` (EUC-CN) cells that map differently from GBK.
const GB2312_JAVA: &[(u8, u8, u8, u32)] = &[(0xA1, 0xA4, 0xA4, 0x30FB), (0xA1, 0xAA, 0xAA, 0x2015)];

/// Java `GB2312` cells in lead rows that are unmapped: `(lead, first trail, last trail)`.
const GB2312_UNMAPPED: &[(u8, u8, u8)] = &[
    (0xA2, 0xA1, 0xB0),
    (0xA2, 0xE3, 0xE4),
    (0xA2, 0xEF, 0xF0),
    (0xA2, 0xFD, 0xFE),
    (0xA4, 0xF4, 0xFE),
    (0xA5, 0xF7, 0xFE),
    (0xA6, 0xB9, 0xC0),
    (0xA6, 0xD9, 0xFE),
    (0xA7, 0xC2, 0xD0),
    (0xA7, 0xF2, 0xFE),
    (0xA8, 0xBB, 0xC4),
    (0xA8, 0xEA, 0xFE),
    (0xA9, 0xA1, 0xA3),
    (0xA9, 0xF0, 0xFE),
    (0xD7, 0xFA, 0xFE),
];

fn lookup(table: &[(u8, u8, u8, u32)], b1: u8, b2: u8) -> Option<char> {
    table
        .iter()
        .find(|&&(l, first, last, _)| l == b1 && (first..=last).contains(&b2))
        .and_then(|&(_, first, _, c)| char::from_u32(c + u32::from(b2 - first)))
}

/// The one character `encoding` (encoding_rs's GBK or GB18030, WHATWG's index) decodes
/// `bytes` (one sequence) to, if any.
fn whatwg(encoding: &'static Encoding, bytes: &[u8]) -> Option<char> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut buf = [0u8; 8];
    let (result, _, written) = decoder.decode_to_utf8_without_replacement(bytes, &mut buf, true);
    let text = std::str::from_utf8(&buf[..written]).ok()?;
    let mut chars = text.chars();
    match (result, chars.next(), chars.next()) {
        (DecoderResult::InputEmpty, Some(c), None) => Some(c),
        _ => None,
    }
}

/// Which double-byte charset: leads, trail range and cell mapping differ.
#[derive(Clone, Copy)]
pub(crate) enum DoubleByte {
    Gbk,
    Gb2312,
}

impl DoubleByte {
    fn is_lead(self, b: u8) -> bool {
        match self {
            DoubleByte::Gbk => (0x81..=0xFE).contains(&b),
            DoubleByte::Gb2312 => matches!(b, 0xA1..=0xA9 | 0xB0..=0xF7),
        }
    }

    fn cell(self, b1: u8, b2: u8) -> Option<char> {
        match self {
            DoubleByte::Gbk => {
                if !(0x40..=0xFE).contains(&b2) || b2 == 0x7F {
                    return None;
                }
                lookup(GBK_JAVA, b1, b2).or_else(|| whatwg(GBK, &[b1, b2]))
            }
            DoubleByte::Gb2312 => {
                if !(0xA1..=0xFE).contains(&b2)
                    || GB2312_UNMAPPED
                        .iter()
                        .any(|&(l, first, last)| l == b1 && (first..=last).contains(&b2))
                {
                    return None;
                }
                lookup(GB2312_JAVA, b1, b2).or_else(|| whatwg(GBK, &[b1, b2]))
            }
        }
    }

    /// Java's `DoubleByte.Decoder` with replacement: a non-lead byte is one bad unit; a lead
    /// byte whose pair is unmapped is one bad unit when the next byte could start something
    /// (ASCII or a lead), otherwise the pair is; a lead at the very end is one bad unit.
    pub(crate) fn decode(self, bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let b1 = bytes[i];
            if b1.is_ascii() {
                out.push(char::from(b1));
                i += 1;
                continue;
            }
            let Some(&b2) = bytes.get(i + 1).filter(|_| self.is_lead(b1)) else {
                out.push(char::REPLACEMENT_CHARACTER);
                i += 1;
                continue;
            };
            if let Some(c) = self.cell(b1, b2) {
                out.push(c);
                i += 2;
            } else {
                out.push(char::REPLACEMENT_CHARACTER);
                i += if b2.is_ascii() || self.is_lead(b2) {
                    1
                } else {
                    2
                };
            }
        }
        out
    }
}

/// GB18030 with Java's `sun.nio.cs.GB18030` rules: 0x80 and 0xFF are one bad byte; after a
/// lead byte, a second byte below 0x30 is one bad byte, 0x3A-0x3F, 0x7F and 0xFF make a bad
/// pair, a digit starts a four-byte sequence (bad third byte: three bytes replaced; bad
/// fourth or unmapped: four); an incomplete sequence at the end is one U+FFFD. Characters come
/// from encoding_rs's GB18030 index (Java 17 maps them the same, A3A0 aside).
pub(crate) fn decode_gb18030(bytes: &[u8]) -> String {
    let is_lead = |b: u8| (0x81..=0xFE).contains(&b);
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let b1 = rest[0];
        let (c, len) = if b1.is_ascii() {
            (Some(char::from(b1)), 1)
        } else if !is_lead(b1) {
            (None, 1)
        } else {
            match rest {
                [_] => (None, 1),
                [_, b2, ..] if *b2 < 0x30 => (None, 1),
                [_, b2, tail @ ..] if b2.is_ascii_digit() => match tail {
                    [] | [_] => (None, rest.len()),
                    [b3, ..] if !is_lead(*b3) => (None, 3),
                    [_, b4, ..] if !b4.is_ascii_digit() => (None, 4),
                    _ => (whatwg(GB18030, &rest[..4]), 4),
                },
                [_, b2, ..] if *b2 < 0x40 || *b2 == 0x7F || *b2 == 0xFF => (None, 2),
                [0xA3, 0xA0, ..] => (Some('\u{E5E5}'), 2),
                _ => (whatwg(GB18030, &rest[..2]), 2),
            }
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        i += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected text printed by Java 17 (`new String(bytes, "GBK" / "GB2312")`).
    #[test]
    fn decodes_as_java() {
        for (cs, bytes, java) in [
            (DoubleByte::Gbk, &b"\xD5\xC5\xC8\xFD"[..], "张三"),
            (DoubleByte::Gbk, b"\x80", "\u{FFFD}"),
            (DoubleByte::Gbk, b"\x80\x81", "\u{FFFD}\u{FFFD}"),
            (DoubleByte::Gbk, b"\xA6\xD9", "\u{E78D}"),
            (DoubleByte::Gbk, b"\xA3\xA0", "\u{E5E5}"),
            (DoubleByte::Gbk, b"\x81\x30", "\u{FFFD}0"),
            (DoubleByte::Gb2312, b"\xA1\xA4", "\u{30FB}"),
            (DoubleByte::Gb2312, b"\x81\x40", "\u{FFFD}@"),
            (DoubleByte::Gb2312, b"\xA1\x80", "\u{FFFD}"),
            (DoubleByte::Gb2312, b"\xA2\xAA", "\u{FFFD}"),
            (DoubleByte::Gb2312, b"\x81\xFF", "\u{FFFD}\u{FFFD}"),
        ] {
            assert_eq!(cs.decode(bytes), java, "{bytes:02X?}");
        }
        assert_eq!(decode_gb18030(b"\x81\x30\x81\x30"), "\u{80}");
        assert_eq!(decode_gb18030(b"\x80"), "\u{FFFD}");
        assert_eq!(decode_gb18030(b"\xA3\xA0"), "\u{E5E5}");
        assert_eq!(decode_gb18030(b"\x81\x30&b"), "\u{FFFD}b");
        assert_eq!(decode_gb18030(b"\x81\x3A&"), "\u{FFFD}&");
        assert_eq!(decode_gb18030(b"\x81\x30"), "\u{FFFD}");
        assert_eq!(decode_gb18030(b"\xF8\x36\xDE\x34"), "\u{FFFD}");
    }
}
