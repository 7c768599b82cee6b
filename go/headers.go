package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"runtime"
	"strings"
	"time"
	"unsafe"
)

// The headers-only fast path: one cgo call to a handle-free C entry point that writes the
// header lines ("Name: value\r\n") straight into Go memory, and one Go allocation per call
// (headerBlock) holding both the bytes and the []Header that points into them. Use it when
// the signed string is not needed; Sign/Token still return it.

// headerBlock is what a fast-path call allocates. buf holds no Go pointers, so cgo lets C
// write into it; outLen and err are passed as pointers to their own fields (cgo checks only
// the field's memory, not the whole struct).
type headerBlock struct {
	outLen  C.size_t
	err     *C.apisign_error
	headers [4]Header
	buf     [256]byte
}

func (b *headerBlock) ptr() *C.uint8_t { return (*C.uint8_t)(unsafe.Pointer(&b.buf[0])) }

// headersCall is one fast-path C call writing into (buf, n), reporting through out and e.
type headersCall func(buf *C.uint8_t, n C.size_t, out *C.size_t, e **C.apisign_error) C.apisign_result

// run makes the call into b.buf and turns the outcome into headers named names (in order).
// When b.buf was too small (long ids), it calls again into a heap buffer of the size C
// reported.
func (b *headerBlock) run(names []string, call headersCall) ([]Header, error) {
	rc := call(b.ptr(), C.size_t(len(b.buf)), &b.outLen, &b.err)
	text := ""
	switch {
	case rc == C.APISIGN_OK:
		text = unsafe.String(&b.buf[0], int(b.outLen))
	case rc == C.APISIGN_BUFFER_TOO_SMALL:
		C.apisign_error_free(b.err)
		b.err = nil
		big := make([]byte, int(b.outLen))
		rc = call((*C.uint8_t)(unsafe.Pointer(&big[0])), C.size_t(len(big)), &b.outLen, &b.err)
		if rc != C.APISIGN_OK {
			return nil, fromC(rc, b.err)
		}
		text = unsafe.String(&big[0], int(b.outLen))
	default:
		return nil, fromC(rc, b.err)
	}
	// The bytes are never written again, so the strings can alias them. The names and their
	// order are fixed per call (C documents them), so each line costs one scan for its end;
	// values never contain CR or LF.
	hs := b.headers[:0]
	for _, name := range names {
		if len(text) < len(name)+4 || text[:len(name)] != name || text[len(name)] != ':' {
			return nil, &Error{Code: CodePanic, Message: "apisign: unexpected header line from the C library (header/library mismatch?)"}
		}
		end := strings.IndexByte(text, '\r')
		if end < len(name)+2 || end+1 >= len(text) {
			return nil, &Error{Code: CodePanic, Message: "apisign: malformed header line from the C library"}
		}
		hs = append(hs, Header{Name: name, Value: text[len(name)+2 : end]})
		text = text[end+2:]
	}
	return hs, nil
}

// The header names each fast path writes, in order.
var (
	lovrabetHeaderNames   = []string{"X-App-Code", "X-Dataset-Code", "X-Time-Stamp", "X-Token"}
	jetlinksHeaderNames   = []string{"X-Client-Id", "X-Timestamp", "X-Sign"}
	piemdmHeaderNames     = []string{"X-App-Id", "X-Timestamp", "X-Nonce", "X-Sign"}
	linksfieldHeaderNames = []string{"Authorization", "timestamp", "nonce", "X-LF-Signature-Type"}
)

// TokenHeaders is Token without the signed string: the headers X-App-Code, X-Dataset-Code,
// X-Time-Stamp and X-Token, in that order, at the cost of one cgo call and one allocation.
func (l *Lovrabet) TokenHeaders(appCode, datasetCode string, at time.Time) ([]Header, error) {
	if l.h == nil {
		return nil, ErrClosed
	}
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	a, al := str(appCode)
	d, dl := str(datasetCode)
	b := new(headerBlock)
	hs, err := b.run(lovrabetHeaderNames, func(buf *C.uint8_t, n C.size_t, out *C.size_t, e **C.apisign_error) C.apisign_result {
		return C.apisign_lovrabet_token_headers(l.h, a, al, d, dl, ts, buf, n, out, e)
	})
	runtime.KeepAlive(l)
	return hs, err
}

// SignHeaders is Sign without the signed string: the headers X-Client-Id, X-Timestamp and
// X-Sign, in that order, at the cost of one cgo call and one allocation.
func (j *JetLinks) SignHeaders(req Request, at time.Time) ([]Header, error) {
	if j.h == nil {
		return nil, ErrClosed
	}
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	m, ml := str(req.Method)
	u, ul := str(req.URL)
	bd, bl := bytesArg(req.Body)
	ct, ctl := str(req.ContentType)
	b := new(headerBlock)
	hs, err := b.run(jetlinksHeaderNames, func(buf *C.uint8_t, n C.size_t, out *C.size_t, e **C.apisign_error) C.apisign_result {
		return C.apisign_jetlinks_sign_headers(j.h, m, ml, u, ul, bd, bl, ct, ctl, ts, buf, n, out, e)
	})
	runtime.KeepAlive(j)
	runtime.KeepAlive(req)
	return hs, err
}

// SignHeaders is Sign without the signed string: the headers X-App-Id, X-Timestamp, X-Nonce
// and X-Sign, in that order, at the cost of one cgo call and one allocation. nonce "" draws a
// fresh 32-character nonce from the OS CSPRNG (read it from X-Nonce).
func (p *PieMDM) SignHeaders(req Request, at time.Time, nonce string) ([]Header, error) {
	if p.h == nil {
		return nil, ErrClosed
	}
	ts, err := seconds(at, "timestamp")
	if err != nil {
		return nil, err
	}
	m, ml := str(req.Method)
	u, ul := str(req.URL)
	bd, bl := bytesArg(req.Body)
	n, nl := str(nonce)
	b := new(headerBlock)
	hs, err := b.run(piemdmHeaderNames, func(buf *C.uint8_t, sz C.size_t, out *C.size_t, e **C.apisign_error) C.apisign_result {
		return C.apisign_piemdm_sign_headers(p.h, m, ml, u, ul, bd, bl, ts, n, nl, buf, sz, out, e)
	})
	runtime.KeepAlive(p)
	runtime.KeepAlive(req)
	runtime.KeepAlive(nonce)
	return hs, err
}

// SignV2Headers is SignV2 without the signed JSON message: the headers Authorization,
// timestamp, nonce and X-LF-Signature-Type, in that order. nonce "" draws a fresh nonce from
// the OS CSPRNG.
func (l *Linksfield) SignV2Headers(req Request, at time.Time, nonce string) ([]Header, error) {
	if l.h == nil {
		return nil, ErrClosed
	}
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	m, ml := str(req.Method)
	u, ul := str(req.URL)
	bd, bl := bytesArg(req.Body)
	n, nl := str(nonce)
	b := new(headerBlock)
	hs, err := b.run(linksfieldHeaderNames, func(buf *C.uint8_t, sz C.size_t, out *C.size_t, e **C.apisign_error) C.apisign_result {
		return C.apisign_linksfield_sign_v2_headers(l.h, m, ml, u, ul, bd, bl, ts, n, nl, buf, sz, out, e)
	})
	runtime.KeepAlive(l)
	runtime.KeepAlive(req)
	runtime.KeepAlive(nonce)
	return hs, err
}
