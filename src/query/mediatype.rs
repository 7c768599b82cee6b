//! `Content-Type` parsed as Spring's `MediaType.parseMediaType` (spring-core
//! `MimeTypeUtils.parseMimeType`, 5.2) does, so a header is a form exactly when the Spring
//! server reads it as one, and a header Spring rejects is rejected here too.

use crate::error::{Error, Result};

/// A parsed media type: type and subtype lower-cased, the `charset` parameter as sent.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct MediaType<'a> {
    pub(crate) kind: String,
    pub(crate) subtype: String,
    /// Unquoted value of the last parameter named exactly `charset`.
    pub(crate) charset: Option<&'a str>,
}

/// Java `String.trim()`: strips every char up to U+0020, nothing else.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// RFC 2616 token characters, as Spring's `MimeType.TOKEN` bit set.
fn is_token(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
}

/// Spring's `isQuotedString`: `"…"` or `'…'`, at least two characters, no escapes.
fn is_quoted(s: &str) -> bool {
    s.len() >= 2
        && ((s.starts_with('"') && s.ends_with('"')) || (s.starts_with('\'') && s.ends_with('\'')))
}

/// Java `Charset.checkName`: letters, digits and `-+:_.`, not first.
fn is_legal_charset_name(s: &str) -> bool {
    s.bytes()
        .enumerate()
        .all(|(i, b)| b.is_ascii_alphanumeric() || (i > 0 && b"-+:_.".contains(&b)))
        && !s.is_empty()
}

/// Spring's quality check: Java `Double.parseDouble` succeeds and the value is in [0, 1].
fn is_quality(s: &str) -> bool {
    let s = s.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(s);
    s.parse::<f64>().is_ok_and(|q| (0.0..=1.0).contains(&q))
}

fn unquote(s: &str) -> &str {
    if is_quoted(s) {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

fn invalid(header: &str, why: &str) -> Error {
    Error::invalid(
        "content_type",
        format!(
            "{:?} is not a valid media type ({why}); the Spring server rejects it — send e.g. \"application/x-www-form-urlencoded; charset=UTF-8\"",
            header.chars().take(100).collect::<String>()
        ),
    )
}

/// Parse a `Content-Type` header. An empty header is no content type, as in Spring's
/// `HttpHeaders.getContentType`.
pub(crate) fn parse(header: &str) -> Result<Option<MediaType<'_>>> {
    if header.is_empty() {
        return Ok(None);
    }
    let semi = header.find(';');
    let full = java_trim(&header[..semi.unwrap_or(header.len())]);
    if full.is_empty() {
        return Err(invalid(header, "it is empty"));
    }
    // `*` alone means `*/*` (java.net.HttpURLConnection sends it).
    let full = if full == "*" { "*/*" } else { full };
    let Some((kind, subtype)) = full.split_once('/') else {
        return Err(invalid(header, "no '/' between type and subtype"));
    };
    if subtype.is_empty() {
        return Err(invalid(header, "no subtype after '/'"));
    }
    if kind == "*" && subtype != "*" {
        return Err(invalid(header, "a wildcard type is legal only in */*"));
    }
    if kind.is_empty() || !is_token(kind) || !is_token(subtype) {
        return Err(invalid(header, "type and subtype must be tokens"));
    }
    let mut charset = None;
    // Parameters: split at ';' outside double quotes; a parameter without '=' is ignored.
    let mut rest = match semi {
        Some(i) => &header[i + 1..],
        None => "",
    };
    while !rest.is_empty() || semi.is_some() {
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ';' && !quoted
            })
            .map_or(rest.len(), |(i, _)| i);
        let parameter = java_trim(&rest[..end]);
        if let Some((attribute, value)) = parameter.split_once('=') {
            let (attribute, value) = (java_trim(attribute), java_trim(value));
            if attribute.is_empty() || value.is_empty() {
                return Err(invalid(header, "a parameter has an empty name or value"));
            }
            if !is_token(attribute) {
                return Err(invalid(header, "a parameter name is not a token"));
            }
            // Spring 5 resolves only a parameter named exactly `charset` (at parse time, so
            // an unknown name makes the whole header invalid); `Charset=…` is ignored.
            if attribute == "charset" {
                let name = unquote(value);
                if !is_legal_charset_name(name) {
                    return Err(invalid(header, "the charset name is not legal"));
                }
                charset = Some(name);
            } else if !is_quoted(value) && !is_token(value) {
                return Err(invalid(
                    header,
                    "a parameter value holds a separator; quote it",
                ));
            }
            if attribute == "q" && !is_quality(unquote(value)) {
                return Err(invalid(header, "q must be a number from 0 to 1"));
            }
        }
        if end == rest.len() {
            break;
        }
        rest = &rest[end + 1..];
    }
    Ok(Some(MediaType {
        kind: kind.to_ascii_lowercase(),
        subtype: subtype.to_ascii_lowercase(),
        charset,
    }))
}

impl MediaType<'_> {
    /// Whether Spring 5's `APPLICATION_FORM_URLENCODED.isCompatibleWith(this)` holds, the test
    /// its `ServerWebExchange.getFormData` applies. The wildcards `*/*` and `application/*`
    /// count (a `*+suffix` subtype does not): the servers we match run Spring 5. Spring 6 also
    /// requires a concrete type, so there they are not forms.
    pub(crate) fn is_form(&self) -> bool {
        self.kind == "*"
            || (self.kind == "application"
                && (self.subtype == "x-www-form-urlencoded" || self.subtype == "*"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(ct: &str) -> Option<bool> {
        parse(ct).ok().map(|m| m.is_some_and(|m| m.is_form()))
    }

    /// Expected values from Spring 5.2.25 (`MediaType.parseMediaType` and
    /// `APPLICATION_FORM_URLENCODED.isCompatibleWith`), run by tests/parity/spring; `None` =
    /// Spring throws `InvalidMediaTypeException`.
    #[test]
    fn forms_are_exactly_what_spring_5_reads_as_forms() {
        for (ct, spring) in [
            ("application/x-www-form-urlencoded", Some(true)),
            ("APPLICATION/X-WWW-FORM-URLENCODED", Some(true)),
            (
                " application/x-www-form-urlencoded ; charset=UTF-8",
                Some(true),
            ),
            (
                "application/x-www-form-urlencoded;charset=\"ISO-8859-1\"",
                Some(true),
            ),
            ("application/x-www-form-urlencoded;x", Some(true)),
            ("application/x-www-form-urlencoded;;", Some(true)),
            ("application/x-www-form-urlencoded+x", Some(false)),
            ("application/json", Some(false)),
            ("*/*", Some(true)),
            ("*", Some(true)),
            ("application/*", Some(true)),
            ("application/*+x-www-form-urlencoded", Some(false)),
            ("application/*+json", Some(false)),
            ("text/*", Some(false)),
            ("text/plain; x=application/x-www-form-urlencoded", None),
            (
                "text/plain; x=\"application/x-www-form-urlencoded\"",
                Some(false),
            ),
            ("text/plain; x='a/b'", Some(false)),
            ("text/plain; x=\"a;b\"; y=c", Some(false)),
            ("application/x-www-form-urlencoded; a=", None),
            ("application/x-www-form-urlencoded; =b", None),
            ("*/json", None),
            ("application", None),
            ("application/", None),
            ("/json", None),
            ("   ", None),
            (";charset=UTF-8", None),
            ("appl ication/json", None),
            ("application/jsön", None),
            ("", Some(false)),
        ] {
            assert_eq!(form(ct), spring, "{ct:?}");
        }
    }

    #[test]
    fn charset_names_and_quality_are_checked_as_spring_does() {
        assert!(parse("a/b; charset=\"\"").is_err());
        assert!(parse("a/b; charset=-utf8").is_err());
        assert!(parse("a/b; charset=\"utf 8\"").is_err());
        assert!(parse("a/b; q=0.5").is_ok());
        assert!(parse("a/b; q=\"1\"").is_ok());
        assert!(parse("a/b; q=2").is_err());
        assert!(parse("a/b; q=x").is_err());
        assert!(parse("a/b; Q=x").is_ok());
    }

    #[test]
    fn charset_parameter_is_unquoted_and_last_wins() {
        let m = parse("application/x-www-form-urlencoded; charset='gbk'; x=1").unwrap();
        assert_eq!(m.unwrap().charset, Some("gbk"));
        let m = parse("a/b; charset=utf-8; charset=\"ISO-8859-1\"").unwrap();
        assert_eq!(m.unwrap().charset, Some("ISO-8859-1"));
        // Spring 5 resolves only the lower-case name; `Charset=…` is an ordinary parameter.
        let m = parse("a/b; Charset=ISO-8859-1").unwrap();
        assert_eq!(m.unwrap().charset, None);
    }

    #[test]
    fn errors_name_the_field_and_say_what_to_send() {
        let e = parse("text/plain; x=a/b").unwrap_err();
        assert_eq!(e.field(), Some("content_type"));
        assert!(
            e.to_string().contains("application/x-www-form-urlencoded"),
            "{e}"
        );
    }
}
