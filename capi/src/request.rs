//! The request as C passes it: one struct of `(ptr, len)` pairs.

use super::error::FfiError;
use super::input::{bytes, opt_text, text};
use apisign::Request;

/// An HTTP request exactly as it will be sent. All fields are borrowed for the duration of the
/// call only.
///
/// - `method`: e.g. `GET` (UTF-8, required).
/// - `url`: the request target, a path with its raw query (`/api/device?pageSize=20`) or an
///   absolute `http(s)://host/path?query` URL (UTF-8, required).
/// - `body`: the exact body bytes (NULL with length 0 for none).
/// - `content_type`: the `Content-Type` header, or NULL when none is sent.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct apisign_request {
    /// HTTP method bytes.
    pub method: *const u8,
    /// Length of `method`.
    pub method_len: usize,
    /// Request target bytes.
    pub url: *const u8,
    /// Length of `url`.
    pub url_len: usize,
    /// Body bytes (may be NULL when `body_len` is 0).
    pub body: *const u8,
    /// Length of `body`.
    pub body_len: usize,
    /// `Content-Type` bytes, or NULL for none.
    pub content_type: *const u8,
    /// Length of `content_type`.
    pub content_type_len: usize,
}

/// Borrow `*req` as a core `Request`.
pub(crate) fn request<'a>(req: *const apisign_request) -> Result<Request<'a>, FfiError> {
    // SAFETY: NULL or a readable struct for the duration of the call (header contract).
    let r = unsafe { req.as_ref() }.ok_or_else(|| FfiError::null("request"))?;
    request_parts(
        (r.method, r.method_len),
        (r.url, r.url_len),
        (r.body, r.body_len),
        (r.content_type, r.content_type_len),
    )
}

/// A core `Request` from its parts as `(ptr, len)` pairs (the handle-free `*_sign_headers`
/// entry points take them as separate arguments). `content_type` NULL means none is sent.
pub(crate) fn request_parts<'a>(
    method: (*const u8, usize),
    url: (*const u8, usize),
    body: (*const u8, usize),
    content_type: (*const u8, usize),
) -> Result<Request<'a>, FfiError> {
    Ok(Request {
        method: text(method.0, method.1, "method")?,
        url: text(url.0, url.1, "url")?,
        body: bytes(body.0, body.1, "body")?,
        content_type: opt_text(content_type.0, content_type.1, "content_type")?,
        headers: &[],
    })
}
