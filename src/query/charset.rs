//! The charsets a form body may declare to a Spring server, decoded as Java decodes them (`Charset.decode`
//! / `new String(bytes, charset)` with replacement), since the server hashes the text Java makes.
//!
//! UTF-8, ISO-8859-1, US-ASCII and the UTF-16 family are decoded by hand: encoding_rs follows
//! WHATWG, whose "ISO-8859-1" and "US-ASCII" labels mean windows-1252, and whose UTF-16
//! decoder replaces malformed units differently from Java. The Chinese charsets take their
//! tables from encoding_rs and Java's rules from [`gb`].

use std::borrow::Cow;

use super::{gb, javautf8};

/// A charset Java knows by the name (or one of its aliases) the client sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charset {
    Utf8,
    /// True Latin-1: every byte is the code point of the same value.
    Latin1,
    /// Bytes >= 0x80 become U+FFFD.
    Ascii,
    /// Byte order from a leading BOM (which is dropped), big-endian without one.
    Utf16,
    /// A leading BOM is kept as U+FEFF, as in Java.
    Utf16Be,
    Utf16Le,
    /// Java's GBK, GB2312 (EUC-CN) and GB18030: see [`gb`].
    Gbk,
    Gb2312,
    Gb18030,
}

/// Java's canonical names and aliases (`Charset.forName(n).aliases()`, OpenJDK 17).
const NAMES: &[(Charset, &[&str])] = &[
    (Charset::Utf8, &["UTF-8", "UTF8", "unicode-1-1-utf-8"]),
    (
        Charset::Latin1,
        &[
            "ISO-8859-1",
            "819",
            "ISO8859-1",
            "l1",
            "ISO_8859-1:1987",
            "ISO_8859-1",
            "8859_1",
            "iso-ir-100",
            "latin1",
            "cp819",
            "ISO8859_1",
            "IBM819",
            "ISO_8859_1",
            "IBM-819",
            "csISOLatin1",
        ],
    ),
    (
        Charset::Ascii,
        &[
            "US-ASCII",
            "ANSI_X3.4-1968",
            "cp367",
            "csASCII",
            "iso-ir-6",
            "ASCII",
            "iso_646.irv:1983",
            "ANSI_X3.4-1986",
            "ascii7",
            "default",
            "ISO_646.irv:1991",
            "ISO646-US",
            "IBM367",
            "646",
            "us",
        ],
    ),
    (
        Charset::Utf16,
        &["UTF-16", "UTF_16", "unicode", "utf16", "UnicodeBig"],
    ),
    (
        Charset::Utf16Be,
        &[
            "UTF-16BE",
            "X-UTF-16BE",
            "UTF_16BE",
            "ISO-10646-UCS-2",
            "UnicodeBigUnmarked",
        ],
    ),
    (
        Charset::Utf16Le,
        &[
            "UTF-16LE",
            "UnicodeLittleUnmarked",
            "UTF_16LE",
            "X-UTF-16LE",
        ],
    ),
    (Charset::Gbk, &["GBK", "CP936", "windows-936"]),
    (
        Charset::Gb2312,
        &[
            "GB2312",
            "euc-cn",
            "x-EUC-CN",
            "euccn",
            "EUC_CN",
            "gb2312-80",
            "gb2312-1980",
        ],
    ),
    (Charset::Gb18030, &["GB18030", "gb18030-2022"]),
];

impl Charset {
    /// Java `Charset.forName`: canonical names and aliases, ignoring ASCII case. `None` for a
    /// charset this crate does not decode.
    pub(crate) fn for_name(name: &str) -> Option<Charset> {
        NAMES
            .iter()
            .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
            .map(|&(c, _)| c)
    }

    /// Every name and alias, in table order (the parity corpus sends each one).
    #[cfg(feature = "fuzzing")]
    pub(crate) fn all_names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().flat_map(|(_, names)| names.iter().copied())
    }

    /// The canonical names, for error messages.
    pub(crate) fn supported() -> String {
        NAMES
            .iter()
            .map(|(_, names)| names[0])
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `bytes` as Java decodes them with this charset, malformed input replaced by U+FFFD.
    pub(crate) fn decode(self, bytes: &[u8]) -> Cow<'_, str> {
        match self {
            Charset::Utf8 => javautf8::decode_lossy(bytes),
            Charset::Latin1 => match std::str::from_utf8(bytes) {
                Ok(s) if s.is_ascii() => Cow::Borrowed(s),
                _ => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
            },
            Charset::Ascii => match std::str::from_utf8(bytes) {
                Ok(s) if s.is_ascii() => Cow::Borrowed(s),
                _ => Cow::Owned(
                    bytes
                        .iter()
                        .map(|&b| {
                            if b.is_ascii() {
                                char::from(b)
                            } else {
                                char::REPLACEMENT_CHARACTER
                            }
                        })
                        .collect(),
                ),
            },
            Charset::Utf16 => Cow::Owned(utf16(bytes, true, true)),
            Charset::Utf16Be => Cow::Owned(utf16(bytes, true, false)),
            Charset::Utf16Le => Cow::Owned(utf16(bytes, false, false)),
            Charset::Gbk => Cow::Owned(gb::DoubleByte::Gbk.decode(bytes)),
            Charset::Gb2312 => Cow::Owned(gb::DoubleByte::Gb2312.decode(bytes)),
            Charset::Gb18030 => Cow::Owned(gb::decode_gb18030(bytes)),
        }
    }
}

/// Java's `UnicodeDecoder`: a lone low surrogate is one bad unit; a high surrogate not
/// followed by a low one takes the next unit with it; an incomplete tail is one U+FFFD.
fn utf16(bytes: &[u8], big_endian: bool, sniff_bom: bool) -> String {
    let mut big = big_endian;
    let mut rest = bytes;
    if sniff_bom {
        match rest {
            [0xFE, 0xFF, tail @ ..] => rest = tail,
            [0xFF, 0xFE, tail @ ..] => {
                big = false;
                rest = tail;
            }
            _ => {}
        }
    }
    let unit = |b: &[u8]| {
        if big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        }
    };
    let mut out = String::with_capacity(rest.len() / 2 + 1);
    while rest.len() >= 2 {
        let c = unit(rest);
        match c {
            0xD800..=0xDBFF => {
                if rest.len() < 4 {
                    break;
                }
                let c2 = unit(&rest[2..]);
                if (0xDC00..=0xDFFF).contains(&c2) {
                    let cp = 0x1_0000 + ((u32::from(c) - 0xD800) << 10) + (u32::from(c2) - 0xDC00);
                    out.push(char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER));
                } else {
                    out.push(char::REPLACEMENT_CHARACTER);
                }
                rest = &rest[4..];
            }
            0xDC00..=0xDFFF => {
                out.push(char::REPLACEMENT_CHARACTER);
                rest = &rest[2..];
            }
            _ => {
                out.push(char::from_u32(u32::from(c)).unwrap_or(char::REPLACEMENT_CHARACTER));
                rest = &rest[2..];
            }
        }
    }
    if !rest.is_empty() {
        out.push(char::REPLACEMENT_CHARACTER);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_ignore_case() {
        assert_eq!(Charset::for_name("iso-8859-1"), Some(Charset::Latin1));
        assert_eq!(Charset::for_name("LATIN1"), Some(Charset::Latin1));
        assert_eq!(Charset::for_name("utf8"), Some(Charset::Utf8));
        assert_eq!(Charset::for_name("cp936"), Some(Charset::Gbk));
        assert_eq!(Charset::for_name("EUC-CN"), Some(Charset::Gb2312));
        assert_eq!(Charset::for_name("windows-1252"), None);
        assert_eq!(Charset::for_name("latin-1"), None);
    }

    /// Expected text printed by Java 17 (`new String(bytes, Charset.forName(name))`).
    #[test]
    fn decodes_as_java() {
        for (name, bytes, java) in [
            ("ISO-8859-1", &b"\xE9\x80\xFF"[..], "\u{E9}\u{80}\u{FF}"),
            ("US-ASCII", b"a\xE9\x80", "a\u{FFFD}\u{FFFD}"),
            ("UTF-16", b"\xFE\xFF\x00A", "A"),
            ("UTF-16", b"\xFF\xFEA\x00", "A"),
            ("UTF-16", b"\x00A\x00", "A\u{FFFD}"),
            ("UTF-16BE", b"\xFE\xFF\x00A", "\u{FEFF}A"),
            ("UTF-16BE", b"\xD8\x00\x00A\x00B", "\u{FFFD}B"),
            ("UTF-16BE", b"\xDC\x00\x00A", "\u{FFFD}A"),
            ("UTF-16BE", b"\xFF\xFE\x00A", "\u{FFFE}A"),
            ("UTF-16BE", b"\xD8\x00\xD8\x00\xDC\x00", "\u{FFFD}\u{FFFD}"),
            ("UTF-16", b"\xFE\xFF\xFE\xFF\x00A", "\u{FEFF}A"),
            ("UTF-16", b"\xFE\xFF\x00", "\u{FFFD}"),
            ("UTF-16BE", b"\xD8\x3D\xDE\x00", "\u{1F600}"),
            ("UTF-16BE", b"\xD8\x3D\xDE", "\u{FFFD}"),
            ("UTF-16LE", b"A\x00\xE9\x00", "A\u{E9}"),
            ("GBK", b"\xD5\xC5\xC8\xFD", "张三"),
            ("GB2312", b"\xD5\xC5", "张"),
            ("GB18030", b"\x81\x30\x81\x30", "\u{80}"),
        ] {
            let cs = Charset::for_name(name).unwrap();
            assert_eq!(cs.decode(bytes), java, "{name} {bytes:02X?}");
        }
    }
}
