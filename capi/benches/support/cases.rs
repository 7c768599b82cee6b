//! The inputs both FFI benches time: one signing case per HMAC scheme (RSA signing costs far
//! more than any FFI overhead, so it would only hide the ratio), and the two ways to call it.

use std::ptr;

use apisign::scheme::{Param, Signer};
use apisign::{Request, SchemeId, SignOptions};
use apisign_capi::*;

pub const TS_MS: u64 = 1_758_903_130_713;

/// One case: a scheme, its signing parameters and a request.
pub struct Case {
    pub scheme: SchemeId,
    pub params: &'static [(&'static str, &'static str)],
    pub method: &'static str,
    pub url: &'static str,
    pub body: &'static [u8],
    pub nonce: Option<&'static str>,
}

pub const CASES: &[Case] = &[
    Case {
        scheme: SchemeId::Lovrabet,
        params: &[
            ("app_code", "app-c2dd52a2"),
            ("dataset_code", "0fefba76fe29440194841f4825df53ff"),
            ("access_key", "your-access-key"),
        ],
        method: "GET",
        url: "/",
        body: b"",
        nonce: None,
    },
    Case {
        scheme: SchemeId::JetLinks,
        params: &[("client_id", "testId"), ("secure_key", "testSecure")],
        method: "GET",
        url: "/api/device?pageSize=20&pageIndex=0&terms=name&sorts=id",
        body: b"",
        nonce: None,
    },
    Case {
        scheme: SchemeId::PieMdm,
        params: &[
            ("app_id", "app_592837482"),
            ("app_secret", "test_secret_123456"),
        ],
        method: "POST",
        url: "/openapi/v1/entities/product?page=1&pageSize=10",
        body: br#"{"name":"widget","price":12.5,"tags":["a","b"]}"#,
        nonce: Some("abc123xyz789"),
    },
];

impl Case {
    pub fn rust_signer(&self) -> Signer {
        let params: Vec<Param<'_>> = self.params.iter().map(|(n, v)| Param::text(n, v)).collect();
        Signer::new(self.scheme, &params).unwrap()
    }

    /// The same signer through the C ABI (freed with `apisign_signer_free`).
    pub fn c_signer(&self) -> *mut apisign_signer {
        let params: Vec<apisign_param> = self
            .params
            .iter()
            .map(|(n, v)| apisign_param {
                name: n.as_ptr(),
                name_len: n.len(),
                value: v.as_ptr(),
                value_len: v.len(),
            })
            .collect();
        let mut s = ptr::null_mut();
        let rc = apisign_signer_new(
            self.scheme as u32,
            params.as_ptr(),
            params.len(),
            &mut s,
            ptr::null_mut(),
        );
        assert_eq!(rc, APISIGN_OK);
        s
    }

    pub fn request(&self) -> Request<'static> {
        Request::new(self.method, self.url).with_body(self.body)
    }

    pub fn c_request(&self) -> apisign_request {
        apisign_request {
            method: self.method.as_ptr(),
            method_len: self.method.len(),
            url: self.url.as_ptr(),
            url_len: self.url.len(),
            body: self.body.as_ptr(),
            body_len: self.body.len(),
            content_type: ptr::null(),
            content_type_len: 0,
        }
    }

    pub fn options(&self, headers_only: bool) -> SignOptions<'static> {
        SignOptions {
            timestamp: Some(TS_MS),
            nonce: self.nonce,
            headers_only,
        }
    }

    pub fn c_options(&self, headers_only: bool) -> apisign_sign_options {
        let (nonce, nonce_len) = self
            .nonce
            .map_or((ptr::null(), 0), |n| (n.as_ptr(), n.len()));
        apisign_sign_options {
            timestamp_ms: TS_MS,
            nonce,
            nonce_len,
            flags: if headers_only {
                APISIGN_SIGN_HEADERS_ONLY
            } else {
                0
            },
        }
    }
}

/// One C signing call and the free a C caller must do; checks the call succeeded (a failing
/// bench must not look fast).
pub fn c_sign(
    s: *const apisign_signer,
    req: &apisign_request,
    opts: &apisign_sign_options,
    read_headers: bool,
) {
    let mut sig = ptr::null_mut();
    assert_eq!(
        apisign_sign(s, req, opts, &mut sig, ptr::null_mut()),
        APISIGN_OK
    );
    if read_headers {
        // Borrow every header, as the Go binding does.
        for i in 0..apisign_signature_header_count(sig) {
            let (mut n, mut nl, mut v, mut vl) = (ptr::null(), 0usize, ptr::null(), 0usize);
            assert_eq!(
                apisign_signature_header(sig, i, &mut n, &mut nl, &mut v, &mut vl),
                APISIGN_OK
            );
            std::hint::black_box((n, nl, v, vl));
        }
    }
    apisign_signature_free(sig);
}
