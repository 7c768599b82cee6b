package apisign

/*
#include "helpers.h"

// These only read and write the buffers during the call, and never call back into Go: the
// out-parameters stay on the Go stack and the call is cheaper.
#cgo noescape go_sign
#cgo nocallback go_sign
#cgo noescape go_collect_free
#cgo nocallback go_collect_free
#cgo noescape go_sizes
#cgo nocallback go_sizes
#cgo noescape go_copy
#cgo nocallback go_copy
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// Scheme is a signing scheme's id in the library's registry (the constants are in
// schemes.go).
type Scheme uint32

// Param is one named input of a signer, a credential or a verifier: text, secret bytes, or a
// PEM/DER key. The names each scheme takes are listed in schemes.go; an unknown or missing
// name is an ErrInvalidInput whose message lists the names the scheme takes.
type Param struct {
	Name  string
	Value []byte
}

// P is a text parameter.
func P(name, value string) Param { return Param{Name: name, Value: []byte(value)} }

// cParams copies params into C memory (the array holds pointers, which cgo does not let Go
// memory pass to C), pinning the Go bytes it points at until free is called.
func cParams(params []Param) (list *C.apisign_param, n C.size_t, free func()) {
	if len(params) == 0 {
		return nil, 0, func() {}
	}
	list = (*C.apisign_param)(C.calloc(C.size_t(len(params)), C.size_t(unsafe.Sizeof(C.apisign_param{}))))
	pinner := new(runtime.Pinner)
	entries := unsafe.Slice(list, len(params))
	for i := range entries {
		entries[i].name, entries[i].name_len = pin(pinner, params[i].Name)
		entries[i].value, entries[i].value_len = pinBytes(pinner, params[i].Value)
	}
	return list, C.size_t(len(params)), func() {
		pinner.Unpin()
		C.free(unsafe.Pointer(list))
	}
}

// Signer signs requests for one scheme and one set of credentials. Safe for concurrent use;
// Close (or garbage collection) frees it and wipes its secrets.
type Signer struct {
	h      *C.apisign_signer
	scheme Scheme
}

// NewSigner makes a signer for scheme from its parameters (see schemes.go for the names).
func NewSigner(scheme Scheme, params ...Param) (*Signer, error) {
	list, n, free := cParams(params)
	defer free()
	var h *C.apisign_signer
	var e *C.apisign_error
	if err := fromC(C.apisign_signer_new(C.uint32_t(scheme), list, n, &h, &e), e); err != nil {
		return nil, err
	}
	s := &Signer{h: h, scheme: scheme}
	runtime.SetFinalizer(s, (*Signer).Close)
	return s, nil
}

// Scheme is the scheme the signer signs for.
func (s *Signer) Scheme() Scheme { return s.scheme }

// Close frees the signer. It must not run concurrently with other calls on s.
func (s *Signer) Close() {
	if s.h != nil {
		C.apisign_signer_free(s.h)
		s.h = nil
	}
}

// SignOptions are the per-request inputs of Sign. The zero value signs at the current time
// with a fresh nonce (from the OS CSPRNG, for schemes that send one) and returns the headers
// only.
type SignOptions struct {
	// Time is the signing time; zero means now. Schemes sending seconds floor it.
	Time time.Time
	// Nonce is the nonce to send (schemes that have one); "" draws a fresh one.
	Nonce string
	// Signed asks for the signed string (Signature.Signed) too; without it only the headers
	// (and any body the scheme builds) are returned, the cheaper path.
	Signed bool
}

// The inline buffer of a signing call: the headers of the HMAC schemes fit, so headers-only
// signing costs one Go allocation; an RSA signature's longer headers take a second call,
// negligible next to the RSA operation.
const inlineSize = 384

// signBlock is what one Sign call allocates: the Signature, its headers and, inline, the
// bytes the strings point into. C writes only into inline, which holds no Go pointers (cgo
// checks an array's memory, not the struct's).
type signBlock struct {
	sig     Signature
	headers [4]Header // more are appended (a heap allocation)
	inline  [inlineSize]byte
}

// sizes is what C reports of a signature (see helpers.h).
type sizes [C.GO_SIZES]C.size_t

// Sign signs req: the headers to add, in the scheme's order (names as the library gives
// them), plus the signed string when opts.Signed.
func (s *Signer) Sign(req Request, opts SignOptions) (*Signature, error) {
	if s.h == nil {
		return nil, ErrClosed
	}
	var ts C.uint64_t
	if !opts.Time.IsZero() {
		var err error
		if ts, err = millis(opts.Time, "timestamp"); err != nil {
			return nil, err
		}
		if ts == 0 {
			// 0 asks the library for its clock; refuse rather than sign another time.
			return nil, invalid("timestamp", "is the Unix epoch itself; use a later time (or the zero time.Time for now)")
		}
	}
	var flags C.uint32_t = C.APISIGN_SIGN_HEADERS_ONLY
	b := new(signBlock)
	buf := b.inline[:]
	if opts.Signed {
		flags = 0
		// The signed string is about as long as the URL and body (plus a hash or signature):
		// a long one gets its buffer up front instead of in a second call.
		if n := 256 + len(req.URL) + len(req.Body) + 2*len(opts.Nonce); n > 2*len(buf) {
			buf = make([]byte, n)
		}
	}
	var sz sizes
	var csig *C.apisign_signature
	var cerr *C.apisign_error
	m, ml := str(req.Method)
	u, ul := str(req.URL)
	bd, bl := bytesArg(req.Body)
	ct, ctl := str(req.ContentType)
	n, nl := str(opts.Nonce)
	rc := C.go_sign(s.h, m, ml, u, ul, bd, bl, ct, ctl, ts, n, nl, flags, &csig, &cerr,
		(*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &sz[0])
	runtime.KeepAlive(s)
	runtime.KeepAlive(req)
	runtime.KeepAlive(opts.Nonce)
	if err := fromC(rc, cerr); err != nil {
		return nil, err
	}
	if csig != nil {
		// Too big for buf: the signature waits in C for a buffer of the size it reported.
		buf = make([]byte, int(sz[C.GO_TOTAL]))
		if rc := C.go_collect_free(csig, (*C.uint8_t)(unsafe.Pointer(&buf[0])), &sz[0]); rc != C.APISIGN_OK {
			return nil, fromC(rc, nil)
		}
	}
	b.parse(buf, &sz)
	return &b.sig, nil
}

// parse points the Signature into buf (headers, signed string, body); buf is never written
// again, so the strings alias it.
func (b *signBlock) parse(buf []byte, sz *sizes) {
	hb, signed, body := int(sz[C.GO_PAIR_BYTES]), int(sz[C.GO_SIGNED]), int(sz[C.GO_BODY])
	text := ""
	if hb+signed > 0 {
		text = unsafe.String(&buf[0], hb+signed)
	}
	out := &b.sig
	out.Signed = text[hb:]
	out.secretStart, out.secretEnd = int(sz[C.GO_SECRET_START]), int(sz[C.GO_SECRET_END])
	if body > 0 {
		out.Body = buf[hb+signed : hb+signed+body : hb+signed+body]
	}
	out.Headers = b.headers[:0]
	count, params := int(sz[C.GO_COUNT]), int(sz[C.GO_PARAM_COUNT])
	at := 0
	for i := 0; i < count+params; i++ {
		n, v := int(sz[C.GO_PAIRS+2*i]), int(sz[C.GO_PAIRS+2*i+1])
		pair := Header{Name: text[at : at+n], Value: text[at+n : at+n+v]}
		if i < count {
			out.Headers = append(out.Headers, pair)
		} else {
			out.Params = append(out.Params, pair)
		}
		at += n + v
	}
}

// copyOut copies a signature that stays owned by C (a batch entry).
func copyOut(sig *C.apisign_signature) (*Signature, error) {
	b := new(signBlock)
	var sz sizes
	if rc := C.go_sizes(sig, &sz[0]); rc != C.APISIGN_OK {
		return nil, fromC(rc, nil)
	}
	buf := b.inline[:]
	if n := int(sz[C.GO_TOTAL]); n > len(buf) {
		buf = make([]byte, n)
	}
	if rc := C.go_copy(sig, (*C.uint8_t)(unsafe.Pointer(&buf[0])), &sz[0]); rc != C.APISIGN_OK {
		return nil, fromC(rc, nil)
	}
	b.parse(buf, &sz)
	return &b.sig, nil
}

// pinRequest is req as a C struct for calls that take an apisign_request*; its pointers stay
// pinned until p.Unpin.
func pinRequest(p *runtime.Pinner, req Request) *C.apisign_request {
	r := new(C.apisign_request)
	r.method, r.method_len = pin(p, req.Method)
	r.url, r.url_len = pin(p, req.URL)
	r.body, r.body_len = pinBytes(p, req.Body)
	r.content_type, r.content_type_len = pin(p, req.ContentType)
	return r
}
