package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"math"
	"net/http"
	"runtime"
	"time"
	"unsafe"
)

// Credentials is the in-memory store verifiers look callers up in. Safe for concurrent use,
// including adding credentials while verifiers read them (key rotation takes effect at once).
type Credentials struct {
	h *C.apisign_credentials
}

// NewCredentials makes an empty store.
func NewCredentials() (*Credentials, error) {
	var h *C.apisign_credentials
	if err := fromC(C.apisign_credentials_new(&h), nil); err != nil {
		return nil, err
	}
	c := &Credentials{h: h}
	runtime.SetFinalizer(c, func(c *Credentials) { C.apisign_credentials_free(c.h) })
	return c, nil
}

// Add registers (or replaces) one caller of scheme from its credential parameters (see
// schemes.go for the names). Verifiers already built see it at once (key rotation).
func (c *Credentials) Add(scheme Scheme, params ...Param) error {
	list, n, free := cParams(params)
	defer free()
	var e *C.apisign_error
	rc := C.apisign_credentials_add(c.h, C.uint32_t(scheme), list, n, &e)
	runtime.KeepAlive(c)
	return fromC(rc, e)
}

// AddScope registers a scope of scheme (e.g. a dataset) that exists whether or not any caller
// may use it, so a request for it is refused as denied rather than unknown.
func (c *Credentials) AddScope(scheme Scheme, scope string) error {
	var e *C.apisign_error
	sc, scl := str(scope)
	rc := C.apisign_credentials_add_scope(c.h, C.uint32_t(scheme), sc, scl, &e)
	runtime.KeepAlive(c)
	runtime.KeepAlive(scope)
	return fromC(rc, e)
}

// Remove unregisters the caller id of scheme and reports whether it was registered.
func (c *Credentials) Remove(scheme Scheme, id string) (bool, error) {
	var removed C.bool
	i, il := str(id)
	rc := C.apisign_credentials_remove(c.h, C.uint32_t(scheme), i, il, &removed)
	runtime.KeepAlive(c)
	runtime.KeepAlive(id)
	if err := fromC(rc, nil); err != nil {
		return false, err
	}
	return bool(removed), nil
}

// Window bounds how far a timestamp may lie behind and ahead of now (inclusive).
type Window struct {
	MaxAge, MaxAhead time.Duration
}

// Verifier checks received requests for one scheme. Safe for concurrent use.
type Verifier struct {
	h      *C.apisign_verifier
	scheme Scheme
}

// VerifierOptions configures a verifier. The zero value means the scheme's defaults (from the
// library's scheme spec); an option the scheme cannot use is an ErrInvalidInput naming it.
type VerifierOptions struct {
	// Window bounds the timestamp (millisecond precision); nil means the scheme's default.
	Window *Window
	// NonceStore records nonces instead of the built-in in-memory store, e.g. Redis shared
	// by several instances. For a scheme whose nonce check is optional, giving one turns it
	// on; for a scheme without nonces it is an error.
	NonceStore NonceStore
	// NonceCapacity gives the verifier a built-in in-memory store holding at most this many
	// live nonces (0: the library's default store when the scheme needs one).
	NonceCapacity int
	// NonceTTL is how long a nonce is remembered, in whole seconds. 0 means derived from the
	// window: its width + 1 s, the shortest TTL under which no nonce is forgotten while its
	// timestamp is still accepted. A shorter TTL would admit replays and is refused.
	NonceTTL time.Duration
	// Settings are the scheme's own verifier settings by name (see schemes.go), e.g.
	// {"strict_query": "true"}; an unknown name is refused with the list of known ones.
	Settings map[string]string
}

// NewVerifier makes a verifier for scheme looking callers up in creds.
func NewVerifier(scheme Scheme, creds *Credentials, opts VerifierOptions) (*Verifier, error) {
	var b *C.apisign_verifier_builder
	var e *C.apisign_error
	rc := C.apisign_verifier_builder_new(C.uint32_t(scheme), creds.h, &b, &e)
	runtime.KeepAlive(creds)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	defer C.apisign_verifier_builder_free(b)
	if w := opts.Window; w != nil {
		if w.MaxAge < 0 || w.MaxAhead < 0 {
			return nil, invalid("window", "must not be negative")
		}
		cw := (*C.apisign_window)(C.malloc(C.size_t(unsafe.Sizeof(C.apisign_window{}))))
		defer C.free(unsafe.Pointer(cw))
		cw.max_age = C.uint64_t(w.MaxAge / time.Millisecond)
		cw.max_ahead = C.uint64_t(w.MaxAhead / time.Millisecond)
		if err := fromC(C.apisign_verifier_builder_set_window(b, cw), nil); err != nil {
			return nil, err
		}
	}
	if opts.NonceTTL != 0 {
		if opts.NonceTTL < 0 || opts.NonceTTL%time.Second != 0 {
			return nil, invalid("nonce_ttl", "must be a positive whole number of seconds (or 0 for the window's width + 1 s)")
		}
		if err := fromC(C.apisign_verifier_builder_set_nonce_ttl(b, C.uint64_t(opts.NonceTTL/time.Second)), nil); err != nil {
			return nil, err
		}
	}
	for name, value := range opts.Settings {
		nm, nml := str(name)
		v, vl := str(value)
		rc := C.apisign_verifier_builder_set(b, nm, nml, v, vl, &e)
		runtime.KeepAlive(name)
		runtime.KeepAlive(value)
		if err := fromC(rc, e); err != nil {
			return nil, err
		}
	}
	if native, ok := opts.NonceStore.(*nativeNonceStore); ok && opts.NonceCapacity == 0 {
		// The library's own store: the builder (and the verifier) take their own reference.
		rc := C.apisign_verifier_builder_set_nonce_store(b, native.h)
		runtime.KeepAlive(native)
		if err := fromC(rc, nil); err != nil {
			return nil, err
		}
	} else if store, err := nonceStore(&opts); err != nil {
		return nil, err
	} else if store != nil {
		// The builder (and the verifier) keep their own reference.
		defer C.apisign_nonce_store_free(store)
		if err := fromC(C.apisign_verifier_builder_set_nonce_store(b, store), nil); err != nil {
			return nil, err
		}
	}
	var h *C.apisign_verifier
	if err := fromC(C.apisign_verifier_builder_build(b, &h, &e), e); err != nil {
		return nil, err
	}
	v := &Verifier{h: h, scheme: scheme}
	runtime.SetFinalizer(v, func(v *Verifier) { C.apisign_verifier_free(v.h) })
	return v, nil
}

// nonceStore is the C store opts ask for: the caller's, a built-in one of NonceCapacity, or
// none (nil: the scheme's default).
func nonceStore(opts *VerifierOptions) (*C.apisign_nonce_store, error) {
	switch {
	case opts.NonceStore != nil && opts.NonceCapacity != 0:
		return nil, invalid("NonceStore", "NonceCapacity configures the built-in store; use one or the other")
	case opts.NonceStore != nil:
		return cNonceStore(opts.NonceStore)
	case opts.NonceCapacity < 0:
		return nil, invalid("NonceCapacity", "must not be negative")
	case opts.NonceCapacity > 0:
		var store *C.apisign_nonce_store
		var e *C.apisign_error
		if err := fromC(C.apisign_nonce_store_new_memory(C.size_t(opts.NonceCapacity), &store, &e), e); err != nil {
			return nil, err
		}
		return store, nil
	}
	return nil, nil
}

// Incoming is a request as a server received it.
type Incoming struct {
	// Method, e.g. "GET".
	Method string
	// URL is the request target as received (http.Request.RequestURI): path and raw query.
	URL string
	// Header holds the received headers (Content-Type included).
	Header http.Header
	// Body is the exact body bytes.
	Body []byte
	// ClientIP is the client's address ("" when unknown); a caller whose credential has
	// allowed_ips is refused (ErrIpNotAllowed) unless it is in the list. See ClientIP.
	ClientIP string
}

// Verified is who sent an authentic request.
type Verified struct {
	// Scheme is the scheme that proved the caller. Ids are per scheme: a server accepting
	// several platforms authorizes on (Scheme, Caller).
	Scheme Scheme
	// Caller is the caller's id (app, client or key id, as the scheme names it).
	Caller string
	// Scope is the scope the request is bound to (e.g. a dataset); "" when the scheme has
	// none.
	Scope string
	// Timestamp is the signed time (whole seconds for schemes that send seconds).
	Timestamp time.Time
	// Nonce is the nonce, for schemes that send one.
	Nonce string
}

// Verify checks req at now. A rejection is an *Error with a verification code and
// PlatformCode.
func (v *Verifier) Verify(in Incoming, now time.Time) (*Verified, error) {
	ts := C.uint64_t(max(now.UnixMilli(), 0))
	method, requestURI, header, body := in.Method, in.URL, in.Header, in.Body
	pinner := new(runtime.Pinner)
	defer pinner.Unpin()
	req := (*C.apisign_incoming)(C.calloc(1, C.size_t(unsafe.Sizeof(C.apisign_incoming{}))))
	defer C.free(unsafe.Pointer(req))
	req.method, req.method_len = pin(pinner, method)
	req.url, req.url_len = pin(pinner, requestURI)
	if len(body) > 0 {
		pinner.Pin(&body[0])
		req.body, req.body_len = (*C.uint8_t)(unsafe.Pointer(&body[0])), C.size_t(len(body))
	}
	var n int
	req.headers, n = cHeaders(pinner, header)
	defer C.free(unsafe.Pointer(req.headers))
	req.header_count = C.size_t(n)
	var out *C.apisign_verified
	var e *C.apisign_error
	ip, ipl := pin(pinner, in.ClientIP)
	rc := C.apisign_verify_from(v.h, req, ip, ipl, ts, &out, &e)
	if rc != C.APISIGN_OK {
		answer := v.rejection(e, rc)
		runtime.KeepAlive(v)
		err := fromC(rc, e)
		err.(*Error).answer = answer
		return nil, err
	}
	defer C.apisign_verified_free(out)
	got := &Verified{Timestamp: time.UnixMilli(int64(min(uint64(C.apisign_verified_timestamp(out)), math.MaxInt64)))}
	got.Scheme = v.scheme
	got.Caller = verifiedText(out, 0)
	got.Scope = verifiedText(out, 1)
	got.Nonce = verifiedText(out, 2)
	return got, nil
}

// VerifyRequest verifies an *http.Request as a server received it, reading (and restoring)
// its body, at most DefaultMaxBodyBytes (ErrInputTooLarge beyond, status 413). The client
// address is the connection's (r.RemoteAddr); behind proxies use Middleware or set
// Incoming.ClientIP with ClientIP.
func (v *Verifier) VerifyRequest(r *http.Request, now time.Time) (*Verified, error) {
	body, err := readBounded(r, DefaultMaxBodyBytes)
	if err != nil {
		return nil, err
	}
	return v.Verify(Incoming{Method: r.Method, URL: r.RequestURI, Header: r.Header, Body: body, ClientIP: peerIP(r.RemoteAddr)}, now)
}

// verifiedText copies field 0 (caller), 1 (scope) or 2 (nonce); "" when absent.
func verifiedText(v *C.apisign_verified, field int) string {
	get := func(buf *C.uint8_t, n C.size_t, out *C.size_t) C.apisign_result {
		switch field {
		case 0:
			return C.apisign_verified_caller(v, buf, n, out)
		case 1:
			return C.apisign_verified_dataset(v, buf, n, out)
		default:
			return C.apisign_verified_nonce(v, buf, n, out)
		}
	}
	var n C.size_t
	if get(nil, 0, &n) != C.APISIGN_BUFFER_TOO_SMALL {
		return "" // absent (NOT_FOUND) or empty
	}
	buf := make([]byte, int(n))
	if get((*C.uint8_t)(unsafe.Pointer(&buf[0])), n, &n) != C.APISIGN_OK {
		return ""
	}
	return string(buf[:n])
}

// cHeaders lists header's values for C (C memory, freed by the caller with C.free; NULL when
// there are none), the strings pinned by p.
func cHeaders(p *runtime.Pinner, header http.Header) (*C.apisign_header, int) {
	n := 0
	for _, vs := range header {
		n += len(vs)
	}
	if n == 0 {
		return nil, 0
	}
	list := (*C.apisign_header)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(C.apisign_header{}))))
	items := unsafe.Slice(list, n)
	i := 0
	for name, vs := range header {
		for _, val := range vs {
			items[i].name, items[i].name_len = pin(p, name)
			items[i].value, items[i].value_len = pin(p, val)
			i++
		}
	}
	return list, n
}
