//! JetLinks (Spring WebFlux) parameter parsing and the param string it signs.
//!
//! Spring splits the raw query with the pattern `([^&=]+)(=?)([^&]+)?`, URL-decodes key and
//! value (`+` is a space), keeps the first value of a repeated key, and the JetLinks server
//! joins `k=v` pairs sorted by Java `String.compareTo` (UTF-16 code units).

use std::borrow::Cow;
use std::cmp::Ordering;

use arrayvec::ArrayVec;

use super::percent::{decode_text, Plus};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::{MAX_PARAMS, MAX_PARSED_BODY};

/// One decoded parameter.
pub(crate) type Param<'a> = (Cow<'a, str>, Cow<'a, str>);

/// Parameters of one request.
pub(crate) type Params<'a> = Vec<Param<'a>>;

/// Parse a raw query the way Spring's `QUERY_PATTERN` matcher does.
pub(crate) fn parse_query(query: &str) -> Result<Params<'_>> {
    let mut params = Params::new();
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
            return Err(bare_key(name, "query"));
        }
        i += 1; // the '='
        let (value_end, value_escaped) = scan(bytes, i, false);
        let value = &query[i..value_end];
        i = value_end;
        push(
            &mut params,
            (name, name_escaped),
            (value, value_escaped),
            "query",
        )?;
    }
    Ok(params)
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

/// The JetLinks param string of a raw query.
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

/// Parse an `application/x-www-form-urlencoded` body the way the JetLinks server does: split
/// on `&`, trim each pair, drop empty pairs, split at the first `=`.
pub(crate) fn parse_form(body: &[u8]) -> Result<Params<'_>> {
    if body.len() > MAX_PARSED_BODY {
        return Err(Error::new(
            ErrorKind::InputTooLarge,
            format!(
                "form body is {} bytes; the limit for parsed bodies is {MAX_PARSED_BODY}",
                body.len()
            ),
        )
        .with_field("body"));
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        Error::invalid(
            "body",
            format!(
                "form body is not UTF-8 (invalid byte at offset {}); percent-encode non-ASCII bytes",
                e.valid_up_to()
            ),
        )
    })?;
    let mut params = Params::new();
    for pair in text.split('&') {
        // Spring tokenizes with Java's `String.trim()`: it strips every char <= U+0020
        // (controls included) and nothing else (not U+00A0, not U+3000).
        let pair = pair.trim_matches(|c: char| c <= ' ');
        if pair.is_empty() {
            continue;
        }
        match pair.split_once('=') {
            Some((name, value)) => push(&mut params, (name, true), (value, true), "body")?,
            None => return Err(bare_key(pair, "body")),
        }
    }
    Ok(params)
}

/// Decode and append one parameter; `(text, escaped)` says whether `text` may hold `%`/`+`.
fn push<'a>(
    params: &mut Params<'a>,
    (name, name_escaped): (&'a str, bool),
    (value, value_escaped): (&'a str, bool),
    field: &'static str,
) -> Result<()> {
    if params.len() >= MAX_PARAMS {
        return Err(Error::new(
            ErrorKind::InputTooLarge,
            format!("more than {MAX_PARAMS} parameters"),
        )
        .with_field(field));
    }
    let escape_err = |what: &str| {
        Error::new(
            ErrorKind::InvalidEscape,
            format!(
                "parameter {what} {:?} has a '%' not followed by two hex digits; write a literal '%' as %25",
                truncate(what_value(what, name, value))
            ),
        )
        .with_field(field)
    };
    let k = if name_escaped {
        decode_text(name, Plus::Space).map_err(|_| escape_err("name"))?
    } else {
        Cow::Borrowed(name)
    };
    let v = if value_escaped {
        decode_text(value, Plus::Space).map_err(|_| escape_err("value"))?
    } else {
        Cow::Borrowed(value)
    };
    params.push((k, v));
    Ok(())
}

fn what_value<'a>(what: &str, name: &'a str, value: &'a str) -> &'a str {
    if what == "name" {
        name
    } else {
        value
    }
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
            "parameter {:?} has no '='; the JetLinks server fails on bare keys (HTTP 500), write {:?} instead",
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

/// The JetLinks param string: first value per key, keys in UTF-16 order, `k=v` joined by `&`.
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
        for len in 0..=5u32 {
            for mut n in 0..alphabet.len().pow(len) {
                let mut q = String::new();
                for _ in 0..len {
                    q.push_str(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                let general = parse_query(&q).map(param_string);
                match (general, plain_param_string(&q)) {
                    (Ok(g), Some(f)) => assert_eq!(g, f, "{q:?}"),
                    (Err(_), Some(f)) => panic!("fast path accepted {q:?} as {f:?}"),
                    // Only escapes may send a valid short query down the general path.
                    (Ok(_), None) => assert!(q.contains(['%', '+']), "{q:?} missed the fast path"),
                    (Err(_), None) => {}
                }
            }
        }
    }

    #[test]
    fn spring_pattern_edge_cases() {
        assert_eq!(ps("").unwrap(), "");
        assert_eq!(ps("a=1=2&b=").unwrap(), "a=1=2&b=");
        assert_eq!(ps("&&a=1&&").unwrap(), "a=1");
        assert_eq!(ps("=&a=1").unwrap(), "a=1");
        assert_eq!(ps("a==b").unwrap(), "a==b");
        assert_eq!(ps("tag=b&tag=a").unwrap(), "tag=b");
        assert_eq!(ps("%61=1&a=2").unwrap(), "a=1");
        assert_eq!(ps("x=%E5%BC%A0+%E4%B8%89").unwrap(), "x=张 三");
    }

    #[test]
    fn bare_keys_are_errors_that_say_what_to_write() {
        let e = ps("flag&x=1").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BareQueryKey);
        assert!(e.to_string().contains("\"flag=\""), "{e}");
        // Spring's matcher skips a leading '=' and then sees a bare key.
        assert_eq!(ps("=x").unwrap_err().kind(), ErrorKind::BareQueryKey);
        assert_eq!(ps("a=1&b").unwrap_err().kind(), ErrorKind::BareQueryKey);
    }

    #[test]
    fn bad_escapes_are_errors() {
        assert_eq!(ps("a=%zz").unwrap_err().kind(), ErrorKind::InvalidEscape);
        assert_eq!(ps("%=1").unwrap_err().kind(), ErrorKind::InvalidEscape);
    }

    #[test]
    fn form_bodies_trim_and_drop_empty_pairs() {
        let p = parse_form(b" b=2 & &a=1&a=3&c=x%3Dy").unwrap();
        assert_eq!(param_string(p), "a=1&b=2&c=x=y");
        assert_eq!(
            parse_form(b"a=1&flag").unwrap_err().kind(),
            ErrorKind::BareQueryKey
        );
        assert_eq!(parse_form(b"a=\xff").unwrap_err().field(), Some("body"));
        // Java trim: controls are stripped, Unicode spaces are kept.
        let p = parse_form(b"\x1cb=2\x01&\x1f&a=1\t").unwrap();
        assert_eq!(param_string(p), "a=1&b=2");
        let p = parse_form("\u{a0}c=3".as_bytes()).unwrap();
        assert_eq!(param_string(p), "\u{a0}c=3");
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
