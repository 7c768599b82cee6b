package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"fmt"
	"net/http"
	"strings"
	"unsafe"
)

// Request is an HTTP request exactly as it will be sent.
type Request struct {
	// Method, e.g. "GET".
	Method string
	// URL is the request target: a path with its raw query ("/api/device?pageSize=20"), or an
	// absolute http(s) URL whose scheme and host are ignored.
	URL string
	// Body is the exact body bytes.
	Body []byte
	// ContentType is the Content-Type header; "" when none is sent.
	ContentType string
}

// Header is one header to add.
type Header struct {
	Name, Value string
}

// Signature holds the headers to add, in the platform's documented order, and the
// intermediate string that was signed.
type Signature struct {
	Headers []Header
	// Signed is the exact string-to-sign, signed params, canonical request or JSON message. It
	// may hold secret material (Lovrabet's carries the access key): do not log it.
	Signed string
	// Body is the body apisign built for the request (JetLinks TokenRequest); nil otherwise.
	Body []byte

	// secretStart, secretEnd: the byte range of Signed that is secret (as the core reports
	// it); empty when nothing is.
	secretStart, secretEnd int
}

// SignedRedacted is Signed with any secret part (Lovrabet's access key) replaced by
// "<redacted>": safe to print or log.
func (s Signature) SignedRedacted() string {
	if s.secretEnd <= s.secretStart || s.secretEnd > len(s.Signed) {
		return s.Signed
	}
	return s.Signed[:s.secretStart] + "<redacted>" + s.Signed[s.secretEnd:]
}

// shownSignature is what fmt prints of a Signature: the same fields, the signed string redacted.
type shownSignature struct {
	Headers []Header
	Signed  string
	Body    []byte
}

// Format prints the signature with SignedRedacted in place of Signed under every verb, so no
// fmt or log call can leak a secret (%v, %+v, %#v and %s show the fields; other verbs are
// refused as fmt refuses a bad verb, since %x or %q of the raw fields would show the secret).
func (s Signature) Format(f fmt.State, verb rune) {
	shown := shownSignature{Headers: s.Headers, Signed: s.SignedRedacted(), Body: s.Body}
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprintf(f, "apisign.Signature{Headers:%#v, Signed:%q, Body:%#v}", shown.Headers, shown.Signed, shown.Body)
	case verb == 'v' && f.Flag('+'):
		fmt.Fprintf(f, "%+v", shown)
	case verb == 'v' || verb == 's':
		fmt.Fprintf(f, "%v", shown)
	default:
		fmt.Fprintf(f, "%%!%c(apisign.Signature)", verb)
	}
}

// Get returns the value of header name (ASCII case-insensitive), or "".
func (s *Signature) Get(name string) string {
	for _, h := range s.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// Apply sets every header on h (replacing earlier values).
func (s *Signature) Apply(h http.Header) {
	for _, x := range s.Headers {
		h.Set(x.Name, x.Value)
	}
}

// outBuf is the buffer a sign call copies its result into: room for the headers (four short
// values fit in 256 bytes) plus hint bytes for the signed string and any body, so one cgo call
// suffices (a larger result takes a second call).
// It also holds the call's out-parameters, and small results live in it inline, so a typical
// sign costs two Go allocations (this and the Signature).
type outBuf struct {
	sig    *C.apisign_signature
	err    *C.apisign_error
	sizes  [C.GO_SIZES]C.size_t
	buf    []byte
	inline [640]byte
}

func newOutBuf(hint int) *outBuf {
	o := new(outBuf)
	if n := 256 + hint; n > len(o.inline) {
		o.buf = make([]byte, n)
	} else {
		// Passing &o.inline[0] to C is allowed: the array holds no Go pointers.
		o.buf = o.inline[:]
	}
	return o
}

func (o *outBuf) ptr() *C.uint8_t { return (*C.uint8_t)(unsafe.Pointer(&o.buf[0])) }

func (o *outBuf) len() C.size_t { return C.size_t(len(o.buf)) }

// result parses what the sign call left: the copied bytes, or (when they did not fit) the
// signature C still holds.
func (o *outBuf) result(rc C.apisign_result) (*Signature, error) {
	if err := fromC(rc, o.err); err != nil {
		return nil, err
	}
	if o.sig != nil {
		return collect(o.sig, &o.sizes)
	}
	return parse(o.buf, &o.sizes), nil
}

// collect copies a signed result out of C (one allocation for all its strings) and frees it.
func collect(sig *C.apisign_signature, sizes *[C.GO_SIZES]C.size_t) (*Signature, error) {
	buf := make([]byte, int(sizes[0]+sizes[1]+sizes[2]))
	if rc := C.go_collect_free(sig, (*C.uint8_t)(unsafe.Pointer(&buf[0])), &sizes[0]); rc != C.APISIGN_OK {
		return nil, fromC(rc, nil)
	}
	return parse(buf, sizes), nil
}

// copyOut copies a signature that stays owned by C (a batch entry).
func copyOut(sig *C.apisign_signature) (*Signature, error) {
	var sizes [C.GO_SIZES]C.size_t
	if rc := C.go_sizes(sig, &sizes[0]); rc != C.APISIGN_OK {
		return nil, fromC(rc, nil)
	}
	buf := make([]byte, int(sizes[0]+sizes[1]+sizes[2]))
	if rc := C.go_copy(sig, (*C.uint8_t)(unsafe.Pointer(&buf[0])), &sizes[0]); rc != C.APISIGN_OK {
		return nil, fromC(rc, nil)
	}
	return parse(buf, &sizes), nil
}

// parse splits buf (header lines, signed string, body) into a Signature.
func parse(buf []byte, sizes *[C.GO_SIZES]C.size_t) *Signature {
	lines, signed, body := int(sizes[0]), int(sizes[1]), int(sizes[2])
	// The text part of buf is never written again, so it can back the strings directly.
	text := unsafe.String(&buf[0], lines+signed)
	// The Signature and its (at most four) headers in one allocation.
	block := new(struct {
		sig     Signature
		headers [4]Header
	})
	out := &block.sig
	out.Signed = text[lines:]
	out.secretStart, out.secretEnd = int(sizes[C.GO_SECRET_START]), int(sizes[C.GO_SECRET_END])
	out.Headers = block.headers[:0]
	if body > 0 {
		out.Body = buf[lines+signed : lines+signed+body : lines+signed+body]
	}
	// Lines are "Name: value\r\n"; C reported each name and value length.
	at := 0
	for i := 0; i < int(sizes[C.GO_COUNT]); i++ {
		n, v := int(sizes[C.GO_HEADERS+2*i]), int(sizes[C.GO_HEADERS+2*i+1])
		out.Headers = append(out.Headers, Header{Name: text[at : at+n], Value: text[at+n+2 : at+n+2+v]})
		at += n + v + 4
	}
	return out
}
