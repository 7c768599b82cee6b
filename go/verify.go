package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"bytes"
	"io"
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
	var e *C.apisign_error
	if err := fromC(C.apisign_credentials_new(&h, &e), e); err != nil {
		return nil, err
	}
	c := &Credentials{h: h}
	runtime.SetFinalizer(c, func(c *Credentials) { C.apisign_credentials_free(c.h) })
	return c, nil
}

// AddLovrabet registers Lovrabet app appCode (secretKey nil: the default "lovrabet") and the
// datasets it may read.
func (c *Credentials) AddLovrabet(appCode, accessKey string, secretKey []byte, datasets ...string) error {
	n := len(datasets)
	var list *C.apisign_bytes
	pinner := new(runtime.Pinner)
	defer pinner.Unpin()
	if n > 0 {
		list = (*C.apisign_bytes)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(C.apisign_bytes{}))))
		defer C.free(unsafe.Pointer(list))
		for i, d := range datasets {
			e := &unsafe.Slice(list, n)[i]
			e.ptr, e.len = pin(pinner, d)
		}
	}
	var e *C.apisign_error
	a, al := str(appCode)
	k, kl := str(accessKey)
	s, sl := presentBytes(secretKey)
	rc := C.apisign_credentials_add_lovrabet(c.h, a, al, k, kl, s, sl, list, C.size_t(n), &e)
	runtime.KeepAlive(c)
	return fromC(rc, e)
}

// AddJetLinks registers a JetLinks client (its id, key and algorithm are copied).
func (c *Credentials) AddJetLinks(client *JetLinks) error {
	var e *C.apisign_error
	rc := C.apisign_credentials_add_jetlinks(c.h, client.h, &e)
	runtime.KeepAlive(c)
	runtime.KeepAlive(client)
	return fromC(rc, e)
}

// AddPieMDM registers a PieMDM app (its id and secret are copied).
func (c *Credentials) AddPieMDM(app *PieMDM) error {
	var e *C.apisign_error
	rc := C.apisign_credentials_add_piemdm(c.h, app.h, &e)
	runtime.KeepAlive(c)
	runtime.KeepAlive(app)
	return fromC(rc, e)
}

// AddLinksfield registers a Linksfield public key under keyID.
func (c *Credentials) AddLinksfield(keyID string, key *PublicKey) error {
	var e *C.apisign_error
	id, idl := str(keyID)
	rc := C.apisign_credentials_add_linksfield(c.h, id, idl, key.h, &e)
	runtime.KeepAlive(c)
	runtime.KeepAlive(key)
	return fromC(rc, e)
}

// Window bounds how far a timestamp may lie behind and ahead of now (inclusive).
type Window struct {
	MaxAge, MaxAhead time.Duration
}

// Verifier checks received requests for one scheme. Safe for concurrent use.
type Verifier struct {
	h       *C.apisign_verifier
	seconds bool // PieMDM works in seconds
}

func newVerifier(h *C.apisign_verifier, seconds bool) *Verifier {
	v := &Verifier{h: h, seconds: seconds}
	runtime.SetFinalizer(v, func(v *Verifier) { C.apisign_verifier_free(v.h) })
	return v
}

func cWindow(w *Window, seconds bool) *C.apisign_window {
	if w == nil {
		return nil
	}
	unit := time.Millisecond
	if seconds {
		unit = time.Second
	}
	// C memory: the struct is only read during the call, but keeping it off the Go heap keeps
	// cgo's pointer rules trivially satisfied.
	cw := (*C.apisign_window)(C.malloc(C.size_t(unsafe.Sizeof(C.apisign_window{}))))
	cw.max_age = C.uint64_t(w.MaxAge / unit)
	cw.max_ahead = C.uint64_t(w.MaxAhead / unit)
	return cw
}

// NewLovrabetVerifier verifies Lovrabet tokens; window nil means the default.
func NewLovrabetVerifier(c *Credentials, window *Window) (*Verifier, error) {
	var h *C.apisign_verifier
	var e *C.apisign_error
	w := cWindow(window, false)
	defer C.free(unsafe.Pointer(w))
	rc := C.apisign_verifier_lovrabet_new(c.h, w, &h, &e)
	runtime.KeepAlive(c)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	return newVerifier(h, false), nil
}

// NewJetLinksVerifier verifies JetLinks signatures; window nil means the default.
func NewJetLinksVerifier(c *Credentials, window *Window) (*Verifier, error) {
	var h *C.apisign_verifier
	var e *C.apisign_error
	w := cWindow(window, false)
	defer C.free(unsafe.Pointer(w))
	rc := C.apisign_verifier_jetlinks_new(c.h, w, &h, &e)
	runtime.KeepAlive(c)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	return newVerifier(h, false), nil
}

// NewPieMDMVerifier verifies PieMDM signatures and rejects replayed nonces (kept in memory for
// the window's width + 1 s).
func NewPieMDMVerifier(c *Credentials, window *Window) (*Verifier, error) {
	var h *C.apisign_verifier
	var e *C.apisign_error
	w := cWindow(window, true)
	defer C.free(unsafe.Pointer(w))
	rc := C.apisign_verifier_piemdm_new(c.h, w, &h, &e)
	runtime.KeepAlive(c)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	return newVerifier(h, true), nil
}

// NewLinksfieldVerifier verifies Linksfield signatures (v1 too when acceptV1; replayed
// nonces, v1 and v2, rejected when trackNonces).
func NewLinksfieldVerifier(c *Credentials, window *Window, acceptV1, trackNonces bool) (*Verifier, error) {
	var h *C.apisign_verifier
	var e *C.apisign_error
	w := cWindow(window, false)
	defer C.free(unsafe.Pointer(w))
	rc := C.apisign_verifier_linksfield_new(c.h, w, C.bool(acceptV1), C.bool(trackNonces), &h, &e)
	runtime.KeepAlive(c)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	return newVerifier(h, false), nil
}

// VerifierOptions configures a verifier beyond its time window. The zero value means the
// platform's defaults; an option that does not apply to the scheme is an error
// (CodeInvalidInput naming it).
type VerifierOptions struct {
	// Window bounds the timestamp; nil means the scheme's default.
	Window *Window
	// NonceTTL is how long PieMDM remembers a nonce, in whole seconds. 0 means derived from
	// the window: MaxAge+MaxAhead+1s (601 s by default), the shortest TTL under which no nonce
	// is forgotten while its timestamp is still accepted. A shorter TTL would admit replays and
	// is refused (CodeInvalidInput naming nonce_ttl).
	NonceTTL time.Duration
	// MinNonceLen is PieMDM's shortest accepted nonce in characters (0 means 12, the
	// platform's own example; its docs ask for 16).
	MinNonceLen int
	// StrictQuery makes a PieMDM verifier refuse (CodeSignatureInvalid, AUTH_SIGNATURE_INVALID)
	// a request whose raw query holds a segment the signature does not cover: one with ';' or
	// a bad '%' escape, which PieMDM's Go server skips but other parsers read ("?a=1&admin=1;"
	// verifies with the signature of "?a=1"). Empty segments ("a=1&&b=2") are accepted.
	StrictQuery bool
	// RejectV1 makes a Linksfield verifier refuse deprecated signature version 1.
	RejectV1 bool
	// NonceStore records nonces (PieMDM; Linksfield v2, where it turns replay protection on)
	// instead of the built-in in-memory store, e.g. Redis shared by several instances.
	NonceStore NonceStore
	// TrackNonces turns Linksfield replay protection on with the built-in in-memory store.
	TrackNonces bool
	// NonceCapacity is the built-in store's capacity in live nonces (0 means 229 376).
	NonceCapacity int
}

// NewPieMDMVerifierWithOptions is NewPieMDMVerifier with every option (nonce TTL, minimum
// nonce length, a caller-provided NonceStore…).
func NewPieMDMVerifierWithOptions(c *Credentials, opts VerifierOptions) (*Verifier, error) {
	return newVerifierWithOptions(C.APISIGN_SCHEME_PIEMDM, c, &opts, true)
}

// NewLinksfieldVerifierWithOptions is NewLinksfieldVerifier with every option (RejectV1,
// TrackNonces or a caller-provided NonceStore…).
func NewLinksfieldVerifierWithOptions(c *Credentials, opts VerifierOptions) (*Verifier, error) {
	return newVerifierWithOptions(C.APISIGN_SCHEME_LINKSFIELD, c, &opts, false)
}

// newVerifierWithOptions drives the C verifier builder: one setter per option given.
func newVerifierWithOptions(scheme C.uint32_t, c *Credentials, o *VerifierOptions, seconds bool) (*Verifier, error) {
	var b *C.apisign_verifier_builder
	var e *C.apisign_error
	rc := C.apisign_verifier_builder_new(scheme, c.h, &b, &e)
	runtime.KeepAlive(c)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	defer C.apisign_verifier_builder_free(b)
	step := func(rc C.apisign_result) error { return fromC(rc, e) }
	if o.Window != nil {
		unit := time.Millisecond
		if seconds {
			unit = time.Second
		}
		if err := step(C.apisign_verifier_builder_set_window(b, C.uint64_t(o.Window.MaxAge/unit), C.uint64_t(o.Window.MaxAhead/unit), &e)); err != nil {
			return nil, err
		}
	}
	if o.NonceTTL != 0 {
		if o.NonceTTL < 0 || o.NonceTTL%time.Second != 0 {
			return nil, invalid("nonce_ttl", "must be a positive whole number of seconds (or 0 for the window's width + 1 s)")
		}
		if err := step(C.apisign_verifier_builder_set_nonce_ttl(b, C.uint64_t(o.NonceTTL/time.Second), &e)); err != nil {
			return nil, err
		}
	}
	if o.MinNonceLen != 0 {
		if o.MinNonceLen < 0 {
			return nil, invalid("min_nonce_len", "must not be negative")
		}
		if err := step(C.apisign_verifier_builder_set_min_nonce_len(b, C.size_t(o.MinNonceLen), &e)); err != nil {
			return nil, err
		}
	}
	if o.StrictQuery {
		if err := step(C.apisign_verifier_builder_set_strict_query(b, true, &e)); err != nil {
			return nil, err
		}
	}
	if o.RejectV1 {
		if err := step(C.apisign_verifier_builder_set_accept_v1(b, false, &e)); err != nil {
			return nil, err
		}
	}
	if o.NonceStore != nil && (o.TrackNonces || o.NonceCapacity != 0) {
		return nil, invalid("NonceStore", "TrackNonces and NonceCapacity configure the built-in store; use one or the other")
	}
	var store *C.apisign_nonce_store
	switch {
	case o.NonceStore != nil:
		s, err := cNonceStore(o.NonceStore)
		if err != nil {
			return nil, err
		}
		store = s
	case o.TrackNonces || o.NonceCapacity != 0:
		if o.NonceCapacity < 0 {
			return nil, invalid("NonceCapacity", "must not be negative")
		}
		if err := step(C.apisign_nonce_store_new_memory(C.size_t(o.NonceCapacity), &store, &e)); err != nil {
			return nil, err
		}
	}
	if store != nil {
		// The builder (and the verifier) keep their own reference.
		defer C.apisign_nonce_store_free(store)
		if err := step(C.apisign_verifier_builder_set_nonce_store(b, store, &e)); err != nil {
			return nil, err
		}
	}
	var h *C.apisign_verifier
	if err := step(C.apisign_verifier_builder_build(b, &h, &e)); err != nil {
		return nil, err
	}
	return newVerifier(h, seconds), nil
}

// Verified is who sent an authentic request.
type Verified struct {
	// Caller is the Lovrabet app code, JetLinks client id, PieMDM app id or Linksfield key id.
	Caller string
	// Dataset is the Lovrabet dataset the token is bound to ("" otherwise).
	Dataset string
	// Timestamp is the signed timestamp in the scheme's unit (ms; seconds for PieMDM).
	Timestamp uint64
	// Nonce is the nonce, for schemes that send one.
	Nonce string
}

// Verify checks a request as received: method, request target (RequestURI), headers and the
// exact body. A rejection is an *Error with a verification code and PlatformCode.
func (v *Verifier) Verify(method, requestURI string, header http.Header, body []byte, now time.Time) (*Verified, error) {
	var ts C.uint64_t
	if v.seconds {
		ts = C.uint64_t(max(now.Unix(), 0))
	} else {
		ts = C.uint64_t(max(now.UnixMilli(), 0))
	}
	n := 0
	for _, vs := range header {
		n += len(vs)
	}
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
	if n > 0 {
		req.headers = (*C.apisign_header)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(C.apisign_header{}))))
		defer C.free(unsafe.Pointer(req.headers))
		list := unsafe.Slice(req.headers, n)
		i := 0
		for name, vs := range header {
			for _, val := range vs {
				list[i].name, list[i].name_len = pin(pinner, name)
				list[i].value, list[i].value_len = pin(pinner, val)
				i++
			}
		}
		req.header_count = C.size_t(n)
	}
	var out *C.apisign_verified
	var e *C.apisign_error
	rc := C.apisign_verify(v.h, req, ts, &out, &e)
	runtime.KeepAlive(v)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	defer C.apisign_verified_free(out)
	got := &Verified{Timestamp: uint64(C.apisign_verified_timestamp(out))}
	got.Caller = verifiedText(out, 0)
	got.Dataset = verifiedText(out, 1)
	got.Nonce = verifiedText(out, 2)
	return got, nil
}

// VerifyRequest verifies an *http.Request as a server received it, reading (and restoring)
// its body.
func (v *Verifier) VerifyRequest(r *http.Request, now time.Time) (*Verified, error) {
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	return v.Verify(r.Method, r.RequestURI, r.Header, body, now)
}

// verifiedText copies field 0 (caller), 1 (dataset) or 2 (nonce); "" when absent.
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
