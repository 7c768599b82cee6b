//! Query-string and form parsing with each platform server's exact semantics.
//!
//! These are hand-written rather than taken from `form_urlencoded`/`percent-encoding` because
//! the servers disagree with those crates on purpose-critical details: a malformed `%` escape is
//! an error (Java `URLDecoder`) or a skipped segment (Go `net/url`), never passed through; Go
//! escapes `~` differently from the WHATWG form serializer; Spring's pattern lets a value hold
//! `=`. Each rule is pinned by the conformance vectors and the tests below.

pub(crate) mod charset;
pub(crate) mod gb;
pub(crate) mod gonet;
pub(crate) mod javautf8;
pub(crate) mod mediatype;
pub(crate) mod percent;
pub(crate) mod spring;
