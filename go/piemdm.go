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

// PieMDM signs requests for one PieMDM app. Safe for concurrent use; Close (or garbage
// collection) frees it and wipes the secret.
type PieMDM struct {
	h *C.apisign_piemdm
}

// NewPieMDM makes a signer for appID with appSecret.
func NewPieMDM(appID string, appSecret []byte) (*PieMDM, error) {
	var h *C.apisign_piemdm
	var e *C.apisign_error
	id, idl := str(appID)
	s, sl := bytesArg(appSecret)
	if err := fromC(C.apisign_piemdm_new(id, idl, s, sl, &h, &e), e); err != nil {
		return nil, err
	}
	p := &PieMDM{h: h}
	runtime.SetFinalizer(p, (*PieMDM).Close)
	return p, nil
}

// Close frees the signer. It must not run concurrently with other calls on p.
func (p *PieMDM) Close() {
	if p.h != nil {
		C.apisign_piemdm_free(p.h)
		p.h = nil
	}
}

// Sign signs req at time at (sent in whole seconds) with nonce (use NewNonce): headers
// X-App-Id, X-Timestamp, X-Nonce, X-Sign.
func (p *PieMDM) Sign(req Request, at time.Time, nonce string) (*Signature, error) {
	if p.h == nil {
		return nil, ErrClosed
	}
	ts, err := seconds(at, "timestamp")
	if err != nil {
		return nil, err
	}
	m, ml := str(req.Method)
	u, ul := str(req.URL)
	b, bl := bytesArg(req.Body)
	n, nl := str(nonce)
	// The canonical request holds the URL, the body's hash (64) and the nonce twice over.
	out := newOutBuf(len(req.URL) + 2*len(nonce) + 96)
	rc := C.go_piemdm_sign(p.h, m, ml, u, ul, b, bl, ts, n, nl, &out.sig, &out.err, out.ptr(), out.len(), &out.sizes[0])
	runtime.KeepAlive(p)
	runtime.KeepAlive(req.Body)
	return out.result(rc)
}

// PieMDMCanonicalRequest is the exact canonical request PieMDM signs for req (method, decoded
// path, canonical query, body SHA-256, timestamp, nonce joined by "\n"). Bytes, because a
// decoded path may not be UTF-8.
func PieMDMCanonicalRequest(req Request, at time.Time, nonce string) ([]byte, error) {
	ts, err := seconds(at, "timestamp")
	if err != nil {
		return nil, err
	}
	m, ml := str(req.Method)
	u, ul := str(req.URL)
	b, bl := bytesArg(req.Body)
	n, nl := str(nonce)
	buf := make([]byte, 256+len(req.URL)+len(nonce))
	for {
		var e *C.apisign_error
		var out C.size_t
		rc := C.go_piemdm_canonical(m, ml, u, ul, b, bl, ts, n, nl, (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &out, &e)
		if rc == C.APISIGN_BUFFER_TOO_SMALL {
			C.apisign_error_free(e)
			buf = make([]byte, int(out))
			continue
		}
		runtime.KeepAlive(req.Body)
		if err := fromC(rc, e); err != nil {
			return nil, err
		}
		return buf[:out], nil
	}
}
