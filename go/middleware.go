package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// DefaultMaxBodyBytes bounds the body a verifier reads when no limit is given: the core's
// limit on a parsed body (8 MiB).
const DefaultMaxBodyBytes = 8 << 20

// Rejection is the answer to a refused request, as the scheme's platform sends it.
type Rejection struct {
	Status      int
	ContentType string
	Body        []byte
}

// rejection is the platform's answer for the C error e (nil: result code rc).
func (v *Verifier) rejection(e *C.apisign_error, rc C.apisign_result) *Rejection {
	var status C.uint16_t
	var buf [256]byte
	var n C.size_t
	got := C.apisign_verifier_rejection(v.h, e, rc, &status, (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &n)
	body := buf[:]
	if got == C.APISIGN_BUFFER_TOO_SMALL {
		body = make([]byte, int(n))
		got = C.apisign_verifier_rejection(v.h, e, rc, &status, (*C.uint8_t)(unsafe.Pointer(&body[0])), n, &n)
	}
	if got != C.APISIGN_OK {
		return &Rejection{Status: http.StatusInternalServerError, ContentType: "application/json", Body: []byte(`{}`)}
	}
	return &Rejection{Status: int(status), ContentType: "application/json", Body: bytes.Clone(body[:n])}
}

// Rejection is the answer to send for err as the scheme's platform does: its status and
// JSON body (an error from Verify carries it; for any other *Error it is built from the code,
// e.g. ErrInputTooLarge gives 413; a non-apisign error is a 500).
func (v *Verifier) Rejection(err error) Rejection {
	var ae *Error
	if errors.As(err, &ae) && ae.answer != nil {
		return *ae.answer
	}
	code := C.apisign_result(CodeCrypto)
	if ae != nil {
		code = C.apisign_result(ae.Code)
	}
	r := v.rejection(nil, code)
	runtime.KeepAlive(v)
	return *r
}

// SignsResponses reports whether the scheme's platform signs its responses.
func (v *Verifier) SignsResponses() bool {
	ok := bool(C.apisign_verifier_signs_responses(v.h))
	runtime.KeepAlive(v)
	return ok
}

// SignResponse returns the headers that sign a response with body for the caller of who, as
// the platform's server does (none for schemes whose responses are not signed).
func (v *Verifier) SignResponse(who *Verified, body []byte, now time.Time) ([]Header, error) {
	var sig *C.apisign_signature
	var e *C.apisign_error
	c, cl := str(who.Caller)
	b, bl := bytesArg(body)
	rc := C.apisign_verifier_sign_response(v.h, c, cl, b, bl, C.uint64_t(max(now.UnixMilli(), 0)), &sig, &e)
	runtime.KeepAlive(v)
	runtime.KeepAlive(who)
	runtime.KeepAlive(body)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	defer C.apisign_signature_free(sig)
	return signatureHeaders(sig), nil
}

// signatureHeaders copies the headers of sig.
func signatureHeaders(sig *C.apisign_signature) []Header {
	n := int(C.apisign_signature_header_count(sig))
	out := make([]Header, 0, n)
	var name, value [256]byte
	for i := range n {
		var nl, vl C.size_t
		if C.apisign_signature_header_name(sig, C.size_t(i), (*C.uint8_t)(unsafe.Pointer(&name[0])), C.size_t(len(name)), &nl) != C.APISIGN_OK ||
			C.apisign_signature_header_value(sig, C.size_t(i), (*C.uint8_t)(unsafe.Pointer(&value[0])), C.size_t(len(value)), &vl) != C.APISIGN_OK {
			continue
		}
		out = append(out, Header{Name: string(name[:nl]), Value: string(value[:vl])})
	}
	return out
}

// ClientIP is the client's address: peer (the connection's, as in http.Request.RemoteAddr,
// port allowed) unless it is one of the trusted proxies (IPs or CIDR blocks), then the
// rightmost X-Forwarded-For hop that is not trusted. Entries a client wrote itself are never
// believed.
func ClientIP(peer, forwardedFor string, trusted []string) (string, error) {
	p, pl := str(peerIP(peer))
	var f *C.uint8_t
	var fl C.size_t
	if forwardedFor != "" {
		f, fl = str(forwardedFor)
	}
	list := strings.Join(trusted, ",")
	t, tl := str(list)
	var buf [64]byte
	var n C.size_t
	var e *C.apisign_error
	rc := C.apisign_client_ip(p, pl, f, fl, t, tl, (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &n, &e)
	runtime.KeepAlive(peer)
	runtime.KeepAlive(forwardedFor)
	runtime.KeepAlive(list)
	if err := fromC(rc, e); err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// peerIP is the address of a RemoteAddr ("ip:port", "[v6]:port" or a bare IP).
func peerIP(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}

// readBounded reads r's body up to limit bytes (ErrInputTooLarge beyond, without reading
// more) and puts the bytes back for the handler. nil for no body.
func readBounded(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	tooLarge := &Error{Code: CodeInputTooLarge, Status: http.StatusRequestEntityTooLarge,
		Message: "body: more than " + strconv.FormatInt(limit, 10) + " bytes; the limit is set by the server"}
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, tooLarge
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// MiddlewareOptions configures Middleware. Verifier or Verifiers is required.
type MiddlewareOptions struct {
	// Verifier checks the requests: its scheme, credentials (with their allowed_ips), nonce
	// store (in memory, NewRedisNonceStore, NewRedisClusterNonceStore or your own) and window.
	Verifier *Verifier
	// Verifiers, for a server that accepts several platforms: each request goes to the one
	// PickVerifier chooses by its headers (Verifier, when also set, comes first).
	Verifiers []*Verifier
	// MaxBodyBytes bounds the body read (0: DefaultMaxBodyBytes); larger is answered 413
	// without running the handler.
	MaxBodyBytes int64
	// SkipPaths are request paths (exact, e.g. "/healthz") passed to the handler unchecked.
	SkipPaths []string
	// TrustedProxies are the reverse proxies (IPs or CIDR blocks) whose X-Forwarded-For is
	// believed; none by default, so the client address is the connection's.
	TrustedProxies []string
	// OnError writes the answer to a refused request instead of the platform's (rej). The
	// response must be complete when it returns.
	OnError func(w http.ResponseWriter, r *http.Request, rej Rejection, err error)
	// NoResponseSigning turns off signing responses for schemes whose platform signs them
	// (see Verifier.SignsResponses), which is on by default.
	NoResponseSigning bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// PickVerifier returns the one of verifiers that serves a request with header, for a server
// that accepts several platforms: the one whose scheme's headers it carries the most of, the
// first one on a tie, so a request carrying none is refused as the first one refuses it. Only
// header names are read, so it can run before the body is.
func PickVerifier(verifiers []*Verifier, header http.Header) (*Verifier, error) {
	if len(verifiers) == 1 && verifiers[0] != nil {
		return verifiers[0], nil
	}
	handles := make([]*C.apisign_verifier, len(verifiers))
	for i, v := range verifiers {
		if v == nil {
			return nil, invalid("verifiers", "entry "+strconv.Itoa(i)+" is nil")
		}
		handles[i] = v.h
	}
	if len(handles) == 0 {
		handles = append(handles, nil) // a valid pointer for the empty list; count stays 0
	}
	pinner := new(runtime.Pinner)
	defer pinner.Unpin()
	list, n := cHeaders(pinner, header)
	defer C.free(unsafe.Pointer(list))
	var picked C.size_t
	var e *C.apisign_error
	rc := C.apisign_verifier_pick(&handles[0], C.size_t(len(verifiers)), list, C.size_t(n), &picked, &e)
	runtime.KeepAlive(verifiers)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	return verifiers[picked], nil
}

type callerKey struct{}

// CallerFrom returns who sent the request, as Middleware verified it.
func CallerFrom(ctx context.Context) (*Verified, bool) {
	v, ok := ctx.Value(callerKey{}).(*Verified)
	return v, ok
}

// Middleware verifies every request before the handler runs: the body is read up to the limit
// and handed on unchanged, a refused request gets the platform's answer, and the handler finds
// the caller with CallerFrom. Responses are signed where the platform's server signs them.
func Middleware(opts MiddlewareOptions) (func(http.Handler) http.Handler, error) {
	verifiers := opts.Verifiers
	if opts.Verifier != nil {
		verifiers = append([]*Verifier{opts.Verifier}, verifiers...)
	}
	if len(verifiers) == 0 {
		return nil, invalid("Verifier", "is required (or Verifiers, for several platforms)")
	}
	signs := make(map[*Verifier]bool, len(verifiers))
	for i, v := range verifiers {
		if v == nil || v.h == nil {
			return nil, invalid("Verifiers", "entry "+strconv.Itoa(i)+" is nil or closed")
		}
		signs[v] = !opts.NoResponseSigning && v.SignsResponses()
	}
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxBodyBytes < 0 {
		return nil, invalid("MaxBodyBytes", "must not be negative")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if _, err := ClientIP("127.0.0.1", "", opts.TrustedProxies); err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, p := range opts.SkipPaths {
		skip[p] = true
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if skip[r.URL.Path] {
				next.ServeHTTP(w, r)
				return
			}
			v, who, err := opts.pickAndVerify(verifiers, r)
			if err != nil {
				rej := v.Rejection(err)
				if opts.OnError != nil {
					opts.OnError(w, r, rej, err)
					return
				}
				w.Header().Set("Content-Type", rej.ContentType)
				w.WriteHeader(rej.Status)
				w.Write(rej.Body)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), callerKey{}, who))
			if !signs[v] {
				next.ServeHTTP(w, r)
				return
			}
			opts.serveSigned(v, next, w, r, who)
		})
	}, nil
}

// pickAndVerify returns the verifier that serves r and its verdict; a request that cannot be
// picked for (a closed verifier) is refused the first platform's way.
func (o *MiddlewareOptions) pickAndVerify(verifiers []*Verifier, r *http.Request) (*Verifier, *Verified, error) {
	v, err := PickVerifier(verifiers, r.Header)
	if err != nil {
		return verifiers[0], nil, err
	}
	who, err := o.verify(v, r)
	return v, who, err
}

func (o *MiddlewareOptions) verify(v *Verifier, r *http.Request) (*Verified, error) {
	body, err := readBounded(r, o.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	ip := peerIP(r.RemoteAddr)
	if len(o.TrustedProxies) > 0 {
		if ip, err = ClientIP(r.RemoteAddr, strings.Join(r.Header.Values("X-Forwarded-For"), ","), o.TrustedProxies); err != nil {
			return nil, err
		}
	}
	return v.Verify(Incoming{Method: r.Method, URL: r.RequestURI, Header: r.Header, Body: body, ClientIP: ip}, o.Now())
}

// bufferedResponse holds a handler's response until it can be signed.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// serveSigned runs the handler into a buffer, signs the body for the caller and sends it.
func (o *MiddlewareOptions) serveSigned(v *Verifier, next http.Handler, w http.ResponseWriter, r *http.Request, who *Verified) {
	buf := &bufferedResponse{header: w.Header()}
	next.ServeHTTP(buf, r)
	if buf.status == 0 {
		buf.status = http.StatusOK
	}
	headers, err := v.SignResponse(who, buf.body.Bytes(), o.Now())
	if err != nil {
		rej := v.Rejection(err)
		w.Header().Set("Content-Type", rej.ContentType)
		w.WriteHeader(rej.Status)
		w.Write(rej.Body)
		return
	}
	for _, h := range headers {
		w.Header().Set(h.Name, h.Value)
	}
	w.Header().Set("Content-Length", strconv.Itoa(buf.body.Len()))
	w.WriteHeader(buf.status)
	w.Write(buf.body.Bytes())
}

// VerifyResponse checks a response signed by the platform's server (X-Timestamp and
// X-Sign over the body) as a client: an *Error matching ErrSignatureInvalid (or ErrMissingAuth
// without the headers) when it does not match, ErrInvalidInput for a scheme whose platform
// does not sign responses.
func (s *Signer) VerifyResponse(header http.Header, body []byte) error {
	if s.h == nil {
		return ErrClosed
	}
	pinner := new(runtime.Pinner)
	defer pinner.Unpin()
	list, n := cHeaders(pinner, header)
	defer C.free(unsafe.Pointer(list))
	b, bl := pinBytes(pinner, body)
	var e *C.apisign_error
	rc := C.apisign_signer_verify_response(s.h, list, C.size_t(n), b, bl, &e)
	runtime.KeepAlive(s)
	return fromC(rc, e)
}
