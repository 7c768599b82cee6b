package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// JetLinksAlgorithm is the digest configured for the client on the platform.
type JetLinksAlgorithm uint32

// Digest algorithms.
const (
	JetLinksMD5    JetLinksAlgorithm = C.APISIGN_JETLINKS_MD5
	JetLinksSHA256 JetLinksAlgorithm = C.APISIGN_JETLINKS_SHA256
)

// JetLinks signs requests for one JetLinks client. Safe for concurrent use; Close (or garbage
// collection) frees it and wipes the secure key.
type JetLinks struct {
	h *C.apisign_jetlinks
}

// NewJetLinks makes a signer for clientID with secureKey.
func NewJetLinks(clientID string, secureKey []byte, algorithm JetLinksAlgorithm) (*JetLinks, error) {
	var h *C.apisign_jetlinks
	var e *C.apisign_error
	id, idl := str(clientID)
	k, kl := bytesArg(secureKey)
	if err := fromC(C.apisign_jetlinks_new(id, idl, k, kl, C.uint32_t(algorithm), &h, &e), e); err != nil {
		return nil, err
	}
	j := &JetLinks{h: h}
	runtime.SetFinalizer(j, (*JetLinks).Close)
	return j, nil
}

// Close frees the signer. It must not run concurrently with other calls on j.
func (j *JetLinks) Close() {
	if j.h != nil {
		C.apisign_jetlinks_free(j.h)
		j.h = nil
	}
}

// Sign signs req at time at: headers X-Client-Id, X-Timestamp, X-Sign.
func (j *JetLinks) Sign(req Request, at time.Time) (*Signature, error) {
	if j.h == nil {
		return nil, ErrClosed
	}
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	m, ml := str(req.Method)
	u, ul := str(req.URL)
	b, bl := bytesArg(req.Body)
	ct, ctl := str(req.ContentType)
	// The signed string is the sorted query or form (about as long as the URL) or the body.
	out := newOutBuf(len(req.URL) + len(req.Body))
	rc := C.go_jetlinks_sign(j.h, m, ml, u, ul, b, bl, ct, ctl, ts, &out.sig, &out.err, out.ptr(), out.len(), &out.sizes[0])
	runtime.KeepAlive(j)
	runtime.KeepAlive(req.Body)
	return out.result(rc)
}

// SignResponse is the X-Sign a server puts on a response with this body and X-Timestamp.
func (j *JetLinks) SignResponse(body []byte, timestamp string) (string, error) {
	if j.h == nil {
		return "", ErrClosed
	}
	var buf [64]byte
	var n C.size_t
	var e *C.apisign_error
	b, bl := bytesArg(body)
	t, tl := str(timestamp)
	rc := C.apisign_jetlinks_sign_response(j.h, b, bl, t, tl, (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &n, &e)
	runtime.KeepAlive(j)
	if err := fromC(rc, e); err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// VerifyResponse checks a response's X-Sign against its body and X-Timestamp (constant time,
// hex case ignored). A wrong signature is (false, nil).
func (j *JetLinks) VerifyResponse(body []byte, timestamp, sign string) (bool, error) {
	if j.h == nil {
		return false, ErrClosed
	}
	var valid C.bool
	var e *C.apisign_error
	b, bl := bytesArg(body)
	t, tl := str(timestamp)
	s, sl := str(sign)
	rc := C.apisign_jetlinks_verify_response(j.h, b, bl, t, tl, s, sl, &valid, &e)
	runtime.KeepAlive(j)
	if err := fromC(rc, e); err != nil {
		return false, err
	}
	return bool(valid), nil
}

// TokenRequest is the signed access-token request POST /api/v1/token with body
// {"expires":<seconds>}; expires <= 0 asks for a token that never expires. The body to send is
// Signature.Body.
func (j *JetLinks) TokenRequest(expires time.Duration, at time.Time) (*Signature, error) {
	if j.h == nil {
		return nil, ErrClosed
	}
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	out := newOutBuf(64)
	rc := C.go_jetlinks_token_request(j.h, C.int64_t(expires/time.Second), ts, &out.sig, &out.err, out.ptr(), out.len(), &out.sizes[0])
	runtime.KeepAlive(j)
	return out.result(rc)
}
