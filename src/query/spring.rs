//! Spring WebFlux parameter parsing and the param string it signs.
//!
//! Spring splits the raw query with the pattern `([^&=]+)(=?)([^&]+)?`, URL-decodes key and
//! value (`+` is a space, bytes that are not UTF-8 replaced as Java does), keeps the first value
//! of a repeated key, and the server joins `k=v` pairs sorted by Java
//! `String.compareTo` (UTF-16 code units). A key whose first occurrence has no `=` has a null
//! first value, on which the server fails; a bare repeat of a key that has a value is harmless.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;

use arrayvec::ArrayVec;

use super::charset::Charset;
use super::javautf8;
use super::percent::{decode, BadEscape, Plus};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::{check_size, MAX_PARAMS, MAX_PARSED_BODY};

/// One decoded parameter.
pub(crate) type Param<'a> = (Cow<'a, str>, Cow<'a, str>);

/// Parameters of one request.
pub(crate) type Params<'a> = Vec<Param<'a>>;

/// Parse a raw query the way Spring's `QUERY_PATTERN` matcher does.
pub(crate) fn parse_query(query: &str) -> Result<Params<'_>> {
    let mut params = Collector::new("query");
    let bytes = query.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // `find()` skips any position where `[^&=]+` cannot start.
        if bytes[i] == b'&' || bytes[i] == b'=' {
            i += 1;
            continue;
        }
        // One scan finds the separator and whether anything needs decoding, so plain
        // parameters are borrowed without a second pass.
        let (name_end, name_escaped) = scan(bytes, i, true);
        let name = &query[i..name_end];
        i = name_end;
        if i >= bytes.len() || bytes[i] == b'&' {
            params.bare(
                decode_query_part(name, name_escaped)
                    .map_err(|_| escape_err(name, "name", "query"))?,
                name,
            )?;
            continue;
        }
        i += 1; // the '='
        let (value_end, value_escaped) = scan(bytes, i, false);
        let value = &query[i..value_end];
        i = value_end;
        let k =
            decode_query_part(name, name_escaped).map_err(|_| escape_err(name, "name", "query"))?;
        let v = decode_query_part(value, value_escaped)
            .map_err(|_| escape_err(value, "value", "query"))?;
        params.push(k, v)?;
    }
    params.finish()
}

/// A query key or value as Java's `URLDecoder.decode(s, "UTF-8")` reads it (the escapes were
/// already checked by `java.net.URI`, which rejects anything but `%` and two hex digits).
fn decode_query_part(text: &str, escaped: bool) -> std::result::Result<Cow<'_, str>, BadEscape> {
    if !escaped {
        return Ok(Cow::Borrowed(text));
    }
    Ok(match decode(text, Plus::Space)? {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Decoding all bytes at once equals `URLDecoder`'s run-by-run decoding for UTF-8:
        // literal characters are ASCII or whole sequences, which end any malformed unit.
        Cow::Owned(bytes) => Cow::Owned(javautf8::decode_lossy(&bytes).into_owned()),
    })
}

/// Parameters being collected, with Spring's rules for repeated and bare keys.
struct Collector<'a> {
    params: Params<'a>,
    /// Parameters seen, bare repeats included (bounds the work on hostile input).
    seen: usize,
    field: &'static str,
    /// Bare keys in arrival order, each with the number of parameters with a value before it
    /// and its error. Resolved in [`Collector::finish`] with one map over the keys (a scan of
    /// `params` per bare key would make a hostile query quadratic): a bare key is harmless
    /// when the same key had a value earlier. Reported after parsing: Spring decodes every
    /// parameter first (a bad escape fails there), the server then fails on the null
    /// value.
    bare: Vec<(Cow<'a, str>, usize, Error)>,
}

impl<'a> Collector<'a> {
    fn new(field: &'static str) -> Self {
        Collector {
            params: Params::new(),
            seen: 0,
            field,
            bare: Vec::new(),
        }
    }

    fn finish(self) -> Result<Params<'a>> {
        if self.bare.is_empty() {
            return Ok(self.params);
        }
        // Where each key first had a value.
        let mut first: HashMap<&str, usize> = HashMap::with_capacity(self.params.len());
        for (i, (k, _)) in self.params.iter().enumerate() {
            first.entry(k.as_ref()).or_insert(i);
        }
        match self
            .bare
            .into_iter()
            .find(|(k, before, _)| first.get(k.as_ref()).is_none_or(|&i| i >= *before))
        {
            Some((_, _, e)) => Err(e),
            None => Ok(self.params),
        }
    }

    fn count(&mut self) -> Result<()> {
        self.seen += 1;
        if self.seen > MAX_PARAMS {
            return Err(Error::new(
                ErrorKind::InputTooLarge,
                format!("more than {MAX_PARAMS} parameters"),
            )
            .with_field(self.field));
        }
        Ok(())
    }

    fn push(&mut self, k: Cow<'a, str>, v: Cow<'a, str>) -> Result<()> {
        self.count()?;
        self.params.push((k, v));
        Ok(())
    }

    /// A key without `=` (`raw` as sent, for the message): harmless after a value for the
    /// same key (the first value wins), otherwise the server fails on its null value.
    fn bare(&mut self, k: Cow<'a, str>, raw: &str) -> Result<()> {
        self.count()?;
        let error = bare_key(raw, self.field);
        self.bare.push((k, self.params.len(), error));
        Ok(())
    }
}

/// Most parameters the stack fast path of [`query_param_string`] holds.
const FAST_PARAMS: usize = 16;

/// Byte classes for the fast path's scan: one table load per byte instead of four compares.
const AMP: u8 = 1;
const EQ: u8 = 2;
const ESCAPE: u8 = 4;
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'&' as usize] = AMP;
    t[b'=' as usize] = EQ;
    t[b'%' as usize] = ESCAPE;
    t[b'+' as usize] = ESCAPE;
    t
};

/// The param string of a raw query.
///
/// Runs on every GET signature and would otherwise cost as much as the MD5, so typical
/// queries (at most 16 parameters, nothing to decode) take a fast path: one table-driven
/// scan records each parameter as byte offsets; since nothing is decoded, a parameter's text
/// `k=v` in the result is exactly its raw text in the query, so sorting offsets and copying
/// slices builds the result with one allocation. Anything else (escapes, bare keys, many
/// parameters) goes through the general parser, which also words the errors.
pub(crate) fn query_param_string(query: &str) -> Result<String> {
    match plain_param_string(query) {
        Some(s) => Ok(s),
        None => Ok(param_string(parse_query(query)?)),
    }
}

/// One plain parameter: `query[start..end]` is `name=value`, the name ends at `eq`.
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    eq: u32,
    end: u32,
}

/// The fast path of [`query_param_string`]; `None` when the general parser must decide.
fn plain_param_string(query: &str) -> Option<String> {
    let bytes = query.as_bytes();
    if bytes.len() > u32::MAX as usize {
        return None;
    }
    let mut spans: ArrayVec<Span, FAST_PARAMS> = ArrayVec::new();
    let (mut i, n) = (0, bytes.len());
    while i < n {
        // Spring's `find()` skips any position where `[^&=]+` cannot start.
        if CLASS[usize::from(bytes[i])] & (AMP | EQ) != 0 {
            i += 1;
            continue;
        }
        let start = i;
        let mut seen = 0;
        while i < n {
            let c = CLASS[usize::from(bytes[i])];
            if c & (AMP | EQ) != 0 {
                break;
            }
            seen |= c;
            i += 1;
        }
        if i == n || bytes[i] == b'&' {
            return None; // bare key: an error, worded by the general parser
        }
        let eq = i;
        i += 1;
        while i < n {
            let c = CLASS[usize::from(bytes[i])];
            if c & AMP != 0 {
                break;
            }
            seen |= c;
            i += 1;
        }
        if seen & ESCAPE != 0 {
            return None;
        }
        // Offsets fit: the length was checked above.
        let span = Span {
            start: start as u32,
            eq: eq as u32,
            end: i as u32,
        };
        spans.try_push(span).ok()?;
    }
    // Offsets sit at ASCII bytes, so slicing the `&str` never splits a character.
    let name = |s: &Span| &query[s.start as usize..s.eq as usize];
    // Stable (the first value of a repeated key stays first) insertion sort: for a handful
    // of parameters the standard sort's set-up costs more than the sorting.
    for i in 1..spans.len() {
        let mut j = i;
        while j > 0 && cmp_utf16(name(&spans[j]), name(&spans[j - 1])) == Ordering::Less {
            spans.swap(j, j - 1);
            j -= 1;
        }
    }
    let len = spans
        .iter()
        .map(|s| (s.end - s.start) as usize + 1)
        .sum::<usize>();
    let mut out = String::with_capacity(len.saturating_sub(1));
    let mut previous: Option<&str> = None;
    for s in &spans {
        let k = name(s);
        if previous == Some(k) {
            continue;
        }
        if previous.is_some() {
            out.push('&');
        }
        out.push_str(&query[s.start as usize..s.end as usize]);
        previous = Some(k);
    }
    Some(out)
}

/// From `from`, the end of a name (stops at `&` or `=`) or value (stops at `&`), and whether
/// it holds `%` or `+`.
fn scan(bytes: &[u8], from: usize, is_name: bool) -> (usize, bool) {
    let mut escaped = false;
    for (offset, &b) in bytes[from..].iter().enumerate() {
        match b {
            b'&' => return (from + offset, escaped),
            b'=' if is_name => return (from + offset, escaped),
            b'%' | b'+' => escaped = true,
            _ => {}
        }
    }
    (bytes.len(), escaped)
}

/// The param string of an `application/x-www-form-urlencoded` body, as Spring's
/// `FormHttpMessageReader` reads it: the whole body decoded with `charset` (malformed input
/// replaced), split on `&`, each pair trimmed (empty pairs dropped) and split at the first `=`,
/// both sides URL-decoded with `charset`.
pub(crate) fn form_param_string(body: &[u8], charset: Charset) -> Result<String> {
    check_size("body", "form body", body.len(), MAX_PARSED_BODY)?;
    let text = charset.decode(body);
    let mut params = Collector::new("body");
    for pair in text.split('&') {
        // Spring tokenizes with Java's `String.trim()`: it strips every char <= U+0020
        // (controls included) and nothing else (not U+00A0, not U+3000).
        let pair = pair.trim_matches(|c: char| c <= ' ');
        if pair.is_empty() {
            continue;
        }
        match pair.split_once('=') {
            Some((name, value)) => {
                let k = url_decode(name, charset).map_err(|_| escape_err(name, "name", "body"))?;
                let v =
                    url_decode(value, charset).map_err(|_| escape_err(value, "value", "body"))?;
                params.push(k, v)?;
            }
            None => {
                let k = url_decode(pair, charset).map_err(|_| escape_err(pair, "name", "body"))?;
                params.bare(k, pair)?;
            }
        }
    }
    Ok(param_string(params.finish()?))
}

/// Java `URLDecoder.decode(text, charset)`: `+` is a space, each run of `%XX` escapes is
/// decoded with `charset`, anything else is kept. Java reads `XX` with `Integer.parseInt(…, 16)`,
/// which also takes a sign (`%+1` is 0x01, `%-0` is 0x00) and non-ASCII digits (`%１Ａ`);
/// forms are not checked by `java.net.URI` first, so all of that reaches it.
fn url_decode(text: &str, charset: Charset) -> std::result::Result<Cow<'_, str>, BadEscape> {
    if !text.contains(['%', '+']) {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut run = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '+' => out.push(' '),
            '%' => {
                let (Some(hi), Some(lo)) = (chars.next(), chars.next()) else {
                    return Err(BadEscape);
                };
                run.push(java_hex_byte(hi, lo).ok_or(BadEscape)?);
                if chars.as_str().starts_with('%') {
                    continue;
                }
                out.push_str(&charset.decode(&run));
                run.clear();
            }
            c => out.push(c),
        }
    }
    Ok(Cow::Owned(out))
}

/// Java `Integer.parseInt(hi lo, 16)` for a two-char escape: a byte, or `None` where Java
/// throws (or the value is negative, which `URLDecoder` rejects).
fn java_hex_byte(hi: char, lo: char) -> Option<u8> {
    let lo = java_digit(lo)?;
    match hi {
        '+' => Some(lo),
        '-' => (lo == 0).then_some(0),
        hi => Some(java_digit(hi)? << 4 | lo),
    }
}

/// Java `Character.digit(c, 16)` for a BMP char (a `String` holds UTF-16 units, so a
/// supplementary digit is two non-digits to `parseInt`).
fn java_digit(c: char) -> Option<u8> {
    if let Some(d) = c.to_digit(16) {
        return u8::try_from(d).ok();
    }
    let c = c as u32;
    // Fullwidth A-F and a-f.
    if let Some(d) = [0xFF21, 0xFF41]
        .iter()
        .find_map(|&a| (a..a + 6).contains(&c).then(|| c - a + 10))
    {
        return u8::try_from(d).ok();
    }
    // Unicode decimal digits (Nd) in the BMP: each block is 0-9 from its first code point.
    // Listed by Java 17 (`Character.digit(ch, 16) >= 0` for ch in 0x80..=0xFFFF).
    const ZEROS: [u32; 36] = [
        0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
        0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
        0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
        0xFF10,
    ];
    ZEROS
        .iter()
        .find_map(|&z| (z..z + 10).contains(&c).then(|| c - z))
        .and_then(|d| u8::try_from(d).ok())
}

fn escape_err(text: &str, what: &str, field: &'static str) -> Error {
    Error::new(
        ErrorKind::InvalidEscape,
        format!(
            "parameter {what} {:?} has a '%' not followed by two hex digits; write a literal '%' as %25",
            truncate(text)
        ),
    )
    .with_field(field)
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(64) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn bare_key(name: &str, field: &'static str) -> Error {
    Error::new(
        ErrorKind::BareQueryKey,
        format!(
            "parameter {:?} has no '=' where it first appears; the Spring server fails on that (HTTP 500), write {:?} instead",
            truncate(name),
            format!("{}=", truncate(name))
        ),
    )
    .with_field(field)
}

/// Java `String.compareTo`: lexicographic over UTF-16 code units.
///
/// Inlined for the sort's comparisons; byte order equals UTF-16 order unless the first
/// difference involves a non-ASCII byte, which goes to [`cmp_utf16_non_ascii`].
#[inline]
pub(crate) fn cmp_utf16(a: &str, b: &str) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let Some(diff) = ab.iter().zip(bb).position(|(x, y)| x != y) else {
        return ab.len().cmp(&bb.len());
    };
    if ab[diff] < 0x80 && bb[diff] < 0x80 {
        return ab[diff].cmp(&bb[diff]);
    }
    cmp_utf16_non_ascii(a, b)
}

/// [`cmp_utf16`] by characters: a supplementary character (a surrogate pair in UTF-16) sorts
/// below BMP characters from U+E000 up, unlike in UTF-8 byte order.
#[cold]
#[inline(never)]
fn cmp_utf16_non_ascii(a: &str, b: &str) -> Ordering {
    let first_unit = |c: char| -> u32 {
        let c = c as u32;
        if c >= 0x1_0000 {
            0xD800 + ((c - 0x1_0000) >> 10)
        } else {
            c
        }
    };
    for (x, y) in a.chars().zip(b.chars()) {
        if x != y {
            let (ux, uy) = (first_unit(x), first_unit(y));
            return if ux != uy { ux.cmp(&uy) } else { x.cmp(&y) };
        }
    }
    a.len().cmp(&b.len())
}

/// The param string: first value per key, keys in UTF-16 order, `k=v` joined by `&`.
pub(crate) fn param_string(mut params: Params<'_>) -> String {
    // Stable sort keeps the first occurrence of a repeated key first.
    params.sort_by(|x, y| cmp_utf16(&x.0, &y.0));
    join_first_values(params.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
}

/// Join sorted pairs as `k=v&…`, skipping all but the first pair of each key.
fn join_first_values<'a>(sorted: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> String {
    let len: usize = sorted.clone().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(len);
    let mut previous: Option<&str> = None;
    for (k, v) in sorted {
        if previous == Some(k) {
            continue;
        }
        if previous.is_some() {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
        previous = Some(k);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both paths (stack fast path and general) must agree on every input.
    fn ps(q: &str) -> Result<String> {
        let general = parse_query(q).map(param_string);
        let fast = query_param_string(q);
        assert_eq!(general, fast, "fast and general paths differ on {q:?}");
        general
    }

    #[test]
    fn fast_and_general_paths_agree_on_every_short_query() {
        // Every query up to 5 symbols over the bytes that steer the scan (ASCII and non-ASCII
        // names, separators, escapes, repeated and reordered keys).
        let alphabet = ["a", "b", "B", "=", "&", "%41", "+", "é", "1"];
        for q in crate::words::every_word(&alphabet, 5) {
            let q = q.concat();
            let general = parse_query(&q).map(param_string);
            match (general, plain_param_string(&q)) {
                (Ok(g), Some(f)) => assert_eq!(g, f, "{q:?}"),
                (Err(_), Some(f)) => panic!("fast path accepted {q:?} as {f:?}"),
                // Only escapes and bare repeats send a valid query down the general path.
                (Ok(_), None) => assert!(
                    q.contains(['%', '+'])
                        || q.split('&').any(|seg| {
                            let seg = seg.trim_start_matches('=');
                            !seg.is_empty() && !seg.contains('=')
                        }),
                    "{q:?} missed the fast path"
                ),
                (Err(_), None) => {}
            }
        }
    }

    #[test]
    fn spring_pattern_edge_cases() {
        for (query, signed) in [
            ("", ""),
            ("a=1=2&b=", "a=1=2&b="),
            ("&&a=1&&", "a=1"),
            ("=&a=1", "a=1"),
            ("a==b", "a==b"),
            ("tag=b&tag=a", "tag=b"),
            ("%61=1&a=2", "a=1"),
            ("x=%E5%BC%A0+%E4%B8%89", "x=张 三"),
            // A bare key after a value is ignored: Spring 5.2 and 6.2 (tests/parity/spring)
            // sign the first value and ignore the bare repeat.
            ("flag=1&flag", "flag=1"),
            ("flag=&flag", "flag="),
            ("b=2&flag=1&a=1&flag&flag", "a=1&b=2&flag=1"),
            // Keys compare decoded.
            ("%66lag=1&flag", "flag=1"),
            ("a+b=1&a%20b", "a b=1"),
        ] {
            assert_eq!(ps(query).unwrap(), signed, "{query:?}");
        }
    }

    #[test]
    fn bare_keys_are_errors_that_say_what_to_write() {
        let e = ps("flag&x=1").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BareQueryKey);
        assert!(e.to_string().contains("\"flag=\""), "{e}");
        // Spring's matcher skips a leading '=' and then sees a bare key.
        assert_eq!(ps("=x").unwrap_err().kind(), ErrorKind::BareQueryKey);
        assert_eq!(ps("a=1&b").unwrap_err().kind(), ErrorKind::BareQueryKey);
        // The first occurrence decides: a value after a bare key does not help.
        assert_eq!(
            ps("flag&flag=1").unwrap_err().kind(),
            ErrorKind::BareQueryKey
        );
    }

    #[test]
    fn bad_escapes_are_errors() {
        assert_eq!(ps("a=%zz").unwrap_err().kind(), ErrorKind::InvalidEscape);
        assert_eq!(ps("%=1").unwrap_err().kind(), ErrorKind::InvalidEscape);
        assert_eq!(ps("a=1&%").unwrap_err().kind(), ErrorKind::InvalidEscape);
    }

    /// Java's replacement, not Rust's: `ED A0 80` is one U+FFFD (Spring prints `a=\u{FFFD}`).
    #[test]
    fn malformed_utf8_is_replaced_as_java_does() {
        assert_eq!(ps("a=%ED%A0%80").unwrap(), "a=\u{FFFD}");
        assert_eq!(ps("a=%F0%9F%98").unwrap(), "a=\u{FFFD}");
        assert_eq!(ps("a=%E0%80%80").unwrap(), "a=\u{FFFD}\u{FFFD}\u{FFFD}");
    }

    fn form(body: &[u8]) -> Result<String> {
        form_param_string(body, Charset::Utf8)
    }

    #[test]
    fn form_bodies_trim_and_drop_empty_pairs() {
        assert_eq!(form(b" b=2 & &a=1&a=3&c=x%3Dy").unwrap(), "a=1&b=2&c=x=y");
        assert_eq!(
            form(b"a=1&flag").unwrap_err().kind(),
            ErrorKind::BareQueryKey
        );
        assert_eq!(form(b"c=&c").unwrap(), "c=");
        // Java trim: controls are stripped, Unicode spaces are kept.
        assert_eq!(form(b"\x1cb=2\x01&\x1f&a=1\t").unwrap(), "a=1&b=2");
        assert_eq!(form("\u{a0}c=3".as_bytes()).unwrap(), "\u{a0}c=3");
    }

    /// Expected values from Spring 5.2's `FormHttpMessageReader` (tests/parity/spring).
    #[test]
    fn form_bodies_decode_as_the_server_does() {
        // Raw bytes that are not UTF-8 are replaced, not refused.
        assert_eq!(
            form(b"a=\xff&b=\xED\xA0\x80").unwrap(),
            "a=\u{FFFD}&b=\u{FFFD}"
        );
        // `Integer.parseInt` reads signs and non-ASCII digits.
        assert_eq!(form(b"a=%+1%-0x").unwrap(), "a=\u{1}\u{0}x");
        assert_eq!(form("a=%１Ａ".as_bytes()).unwrap(), "a=\u{1A}");
        assert_eq!(form(b"a=%-1").unwrap_err().kind(), ErrorKind::InvalidEscape);
        assert_eq!(form(b"a=%4").unwrap_err().field(), Some("body"));
        let latin1 = |b: &[u8]| form_param_string(b, Charset::Latin1);
        assert_eq!(latin1(b"b=%E9").unwrap(), "b=\u{E9}");
        assert_eq!(latin1(b"b=\xE9").unwrap(), "b=\u{E9}");
        let gbk = |b: &[u8]| form_param_string(b, Charset::Gbk);
        assert_eq!(gbk(b"n=%D5%C5&m=\xC8\xFD").unwrap(), "m=三&n=张");
        // Each run of escapes is decoded on its own: a lead byte cut off by a literal.
        assert_eq!(gbk(b"n=%D5A").unwrap(), "n=\u{FFFD}A");
    }

    #[test]
    fn utf16_order_differs_from_byte_order_only_outside_the_bmp() {
        // U+FF21 (fullwidth A) vs U+1F600 (emoji): bytes say FF21 < 1F600, UTF-16 says
        // 0xFF21 > 0xD83D.
        assert_eq!(cmp_utf16("\u{FF21}", "\u{1F600}"), Ordering::Greater);
        assert_eq!("\u{FF21}".cmp("\u{1F600}"), Ordering::Less);
        assert_eq!(cmp_utf16("B", "a"), Ordering::Less);
        assert_eq!(cmp_utf16("ab", "a"), Ordering::Greater);
        assert_eq!(cmp_utf16("é", "e"), Ordering::Greater);
        assert_eq!(cmp_utf16("\u{1F600}", "\u{1F601}"), Ordering::Less);
    }

    #[test]
    fn fast_path_falls_back_for_escapes_and_many_params() {
        assert_eq!(ps("b=%41&a=1&b=2").unwrap(), "a=1&b=A");
        let many: Vec<String> = (0..40).rev().map(|i| format!("k{i:02}={i}")).collect();
        let joined = ps(&many.join("&")).unwrap();
        assert!(joined.starts_with("k00=0&k01=1&"), "{joined}");
        assert_eq!(joined.matches('&').count(), 39);
        assert_eq!(ps("x=1&x=2&x=3&a=").unwrap(), "a=&x=1");
    }

    #[test]
    fn too_many_params_is_an_error() {
        let q = "a=1&".repeat(MAX_PARAMS + 1);
        assert_eq!(ps(&q).unwrap_err().kind(), ErrorKind::InputTooLarge);
    }
}
