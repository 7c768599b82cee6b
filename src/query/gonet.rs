//! Go `net/url` canonical path and query (what a Go server signs).
//!
//! The server takes `r.URL.Path` (percent-decoded, `+` kept) and `r.URL.Query().Encode()`:
//! `ParseQuery` splits on `&`, skips empty segments, segments containing `;` and segments with
//! a bad escape; `Encode` sorts keys by bytes, keeps every value in arrival order, and escapes
//! with `QueryEscape` (unreserved `A-Za-z0-9-_.~` kept, space as `+`, the rest `%XX`).

use std::borrow::Cow;

use super::percent::{decode, Plus};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::MAX_PARAMS;

/// `r.URL.Path`: the percent-decoded path (bytes; Go strings need not be UTF-8).
pub(crate) fn decoded_path(raw_path: &str) -> Result<Cow<'_, [u8]>> {
    decode(raw_path, Plus::Keep).map_err(|_| {
        Error::new(
            ErrorKind::InvalidEscape,
            "path has a '%' not followed by two hex digits (Go's server rejects it); write a literal '%' as %25",
        )
        .with_field("url")
    })
}

/// A decoded key and value (bytes: Go strings need not be UTF-8).
type RawPair<'a> = (Cow<'a, [u8]>, Cow<'a, [u8]>);

/// One `&`-separated segment of a raw query, as Go's `url.ParseQuery` reads it.
enum Segment<'a> {
    /// Nothing between two `&`: skipped, and harmless (no parameter for anyone to read).
    Empty,
    /// Skipped by Go, so not signed, although other parsers may read a parameter from it.
    Dropped(Unsigned),
    /// A decoded key and value, signed.
    Pair(RawPair<'a>),
}

/// Why Go skipped a non-empty query segment (which a signature over Go's view then does not cover).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unsigned {
    /// The segment contains `;` (Go 1.17+ no longer treats it as a separator).
    Semicolon,
    /// The key or value has a `%` not followed by two hex digits.
    BadEscape,
}

fn segments(raw: &str) -> impl Iterator<Item = Segment<'_>> {
    raw.split('&').map(|segment| {
        if segment.is_empty() {
            return Segment::Empty;
        }
        if segment.contains(';') {
            return Segment::Dropped(Unsigned::Semicolon);
        }
        let (k, v) = segment.split_once('=').unwrap_or((segment, ""));
        match (decode(k, Plus::Space), decode(v, Plus::Space)) {
            (Ok(k), Ok(v)) => Segment::Pair((k, v)),
            _ => Segment::Dropped(Unsigned::BadEscape),
        }
    })
}

/// The first non-empty segment of `raw` that [`canonical_query`] leaves out, with its
/// 1-based position; `None` when every parameter is signed.
pub(crate) fn first_unsigned_segment(raw: &str) -> Option<(usize, Unsigned)> {
    if raw.is_empty() {
        return None;
    }
    segments(raw).enumerate().find_map(|(i, s)| match s {
        Segment::Dropped(why) => Some((i + 1, why)),
        _ => None,
    })
}

/// `url.ParseQuery(raw).Encode()`, appended to `out`.
pub(crate) fn canonical_query(raw: &str, out: &mut Vec<u8>) -> Result<()> {
    if raw.is_empty() {
        return Ok(());
    }
    let mut pairs: Vec<RawPair<'_>> = Vec::new();
    for segment in segments(raw) {
        let Segment::Pair(pair) = segment else {
            continue;
        };
        if pairs.len() >= MAX_PARAMS {
            return Err(Error::new(
                ErrorKind::InputTooLarge,
                format!("more than {MAX_PARAMS} query parameters (Go's server refuses them too)"),
            )
            .with_field("url"));
        }
        pairs.push(pair);
    }
    // Stable: values of one key stay in arrival order.
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        query_escape(k, out);
        out.push(b'=');
        query_escape(v, out);
    }
    Ok(())
}

/// Go `url.QueryEscape`.
pub(crate) fn query_escape(bytes: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b),
            b' ' => out.push(b'+'),
            _ => out.extend_from_slice(&[b'%', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cq(raw: &str) -> String {
        let mut out = Vec::new();
        canonical_query(raw, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn go_encode_semantics() {
        assert_eq!(cq(""), "");
        assert_eq!(cq("page=1&pageSize=10"), "page=1&pageSize=10");
        assert_eq!(cq("b=1&B=2&a=3&_=4"), "B=2&_=4&a=3&b=1");
        assert_eq!(cq("flag&empty=&page=1"), "empty=&flag=&page=1");
        // every value, in arrival order, not sorted
        assert_eq!(cq("t=b&x=1&t=a"), "t=b&t=a&x=1");
        assert_eq!(cq("q=a+b%20c~*'"), "q=a+b+c~%2A%27");
        assert_eq!(cq("n=%e5%bc%a0"), "n=%E5%BC%A0");
        assert_eq!(cq("a=1;b=2&c=3"), "c=3");
        assert_eq!(cq("bad=%zz&ok=1&%g=2"), "ok=1");
        assert_eq!(cq("&&a=1&&"), "a=1");
        assert_eq!(cq("a=x=y"), "a=x%3Dy");
    }

    #[test]
    fn unsigned_segments_are_the_ones_go_drops() {
        for (query, unsigned) in [
            ("", None),
            ("a=1&b=%41+c", None),
            // Empty segments carry no parameter for any parser: not reported.
            ("&&a=1&&b=2&", None),
            ("=v&k", None),
            ("a=1&admin=1;", Some((2, Unsigned::Semicolon))),
            ("a=1;b=2&c=3", Some((1, Unsigned::Semicolon))),
            ("ok=1&&bad=%zz", Some((3, Unsigned::BadEscape))),
            ("%g=2", Some((1, Unsigned::BadEscape))),
            ("a=%3B", None),
        ] {
            assert_eq!(first_unsigned_segment(query), unsigned, "{query:?}");
        }
    }

    #[test]
    fn path_is_decoded_with_plus_kept() {
        assert_eq!(
            &*decoded_path("/a%20b+c/%E5%BC%A0").unwrap(),
            "/a b+c/张".as_bytes()
        );
        assert_eq!(
            decoded_path("/a%zz").unwrap_err().kind(),
            ErrorKind::InvalidEscape
        );
    }
}
