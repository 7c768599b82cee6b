package apisign

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// End-to-end: a real http.Client with a RoundTripper calls an httptest server that verifies the
// request it received (method, RequestURI, headers, body) with the library's verifier, and also
// signs it again with the received timestamp/nonce. This checks the wire bytes, not the
// client's intent.

// server answers 204 when check accepts the request, else 401 with the reason.
func server(t *testing.T, check func(r *http.Request, body []byte) string) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		body, _ := io.ReadAll(r.Body)
		if why := check(r, body); why != "" {
			http.Error(w, why, http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func incoming(r *http.Request, body []byte) Incoming {
	return Incoming{Method: r.Method, URL: r.RequestURI, Header: r.Header, Body: body}
}

func wire(r *http.Request, body []byte) Request {
	return Request{Method: r.Method, URL: r.RequestURI, Body: body, ContentType: r.Header.Get("Content-Type")}
}

// do sends req through rt and fails unless the server accepted it; the original request must
// come back unmodified.
func do(t *testing.T, rt http.RoundTripper, req *http.Request) {
	t.Helper()
	before := req.Header.Clone()
	resp, err := (&http.Client{Transport: rt}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("%s %s: server said %d %s", req.Method, req.URL, resp.StatusCode, msg)
	}
	if len(req.Header) != len(before) {
		t.Fatalf("RoundTrip modified the caller's request headers: %v", req.Header)
	}
}

// requests covers no body, a body with GetBody (bytes.Reader) and a one-shot body without
// GetBody (which the transport must read once and replay).
func requests(t *testing.T, base string, contentType string) []*http.Request {
	get, _ := http.NewRequest("GET", base+"/api/device?pageSize=20&pageIndex=0&name=a%20b", nil)
	withGetBody, _ := http.NewRequest("POST", base+"/api/device?x=1", bytes.NewReader([]byte(`{"name":"张三","n":1}`)))
	withGetBody.Header.Set("Content-Type", contentType)
	oneShot, _ := http.NewRequest("PUT", base+"/api/device/7", io.NopCloser(strings.NewReader(`{"a":[1,2]}`)))
	oneShot.Header.Set("Content-Type", contentType)
	if oneShot.GetBody != nil {
		t.Fatal("test setup: the one-shot body must have no GetBody")
	}
	return []*http.Request{get, withGetBody, oneShot}
}

func TestJetLinksTransportEndToEnd(t *testing.T) {
	params := []Param{P("client_id", "testId"), P("secure_key", "testSecure"), P("algorithm", "sha256")}
	signer, _ := NewSigner(JetLinks, params...)
	creds, _ := NewCredentials()
	if err := creds.Add(JetLinks, params...); err != nil {
		t.Fatal(err)
	}
	verifier, _ := NewVerifier(JetLinks, creds, VerifierOptions{})
	srv, hits := server(t, func(r *http.Request, body []byte) string {
		if who, err := verifier.Verify(incoming(r, body), time.Now()); err != nil || who.Caller != "testId" {
			return fmt.Sprintf("verifier: %v", err)
		}
		ts, err := strconv.ParseInt(r.Header.Get("X-Timestamp"), 10, 64)
		if err != nil {
			return "bad X-Timestamp"
		}
		want, err := signer.Sign(wire(r, body), SignOptions{Time: time.UnixMilli(ts)})
		if err != nil {
			return err.Error()
		}
		if r.Header.Get("X-Sign") != want.Get("X-Sign") || r.Header.Get("X-Client-Id") != "testId" {
			return "signature mismatch"
		}
		if r.Method != "GET" && len(body) == 0 {
			return "body lost"
		}
		return ""
	})
	rt := &Transport{Signer: signer}
	for _, req := range requests(t, srv.URL, "application/json") {
		do(t, rt, req)
	}
	// A tampered body no longer matches: the server check is real.
	tamper := &Transport{Signer: signer, Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r.Body = io.NopCloser(strings.NewReader(`{"evil":1}`))
		r.ContentLength = 10
		return http.DefaultTransport.RoundTrip(r)
	})}
	req, _ := http.NewRequest("POST", srv.URL+"/api/device", strings.NewReader(`{"ok":1}`))
	resp, err := (&http.Client{Transport: tamper}).Do(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("tampered body accepted: %v %v", resp, err)
	}
	resp.Body.Close()
	// Signing errors surface from Do, and nothing is sent.
	before := hits.Load()
	bad, _ := http.NewRequest("GET", srv.URL+"/api/device?flag&x=1", nil)
	if _, err := (&http.Client{Transport: rt}).Do(bad); !errors.Is(err, ErrBareQueryKey) {
		t.Fatalf("bare key: %v", err)
	}
	if hits.Load() != before {
		t.Fatal("an unsignable request reached the server")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestPieMDMTransportEndToEnd(t *testing.T) {
	signer := piemdmApp(t)
	creds := piemdmCreds(t, "app_592837482", "test_secret_123456")
	verifier, _ := NewVerifier(PieMDM, creds, VerifierOptions{})
	seen := map[string]bool{}
	srv, _ := server(t, func(r *http.Request, body []byte) string {
		who, err := verifier.Verify(incoming(r, body), time.Now())
		if err != nil || who.Caller != "app_592837482" || who.Nonce != r.Header.Get("X-Nonce") {
			return fmt.Sprintf("verifier: %v", err)
		}
		// The same request again is a replay.
		if _, err := verifier.Verify(incoming(r, body), time.Now()); !errors.Is(err, ErrNonceReused) {
			return fmt.Sprintf("replay accepted: %v", err)
		}
		ts, err := strconv.ParseInt(r.Header.Get("X-Timestamp"), 10, 64)
		if err != nil || time.Since(time.Unix(ts, 0)).Abs() > time.Minute {
			return "bad X-Timestamp"
		}
		nonce := r.Header.Get("X-Nonce")
		if len(nonce) != 32 || seen[nonce] {
			return "nonce missing or reused"
		}
		seen[nonce] = true
		want, err := signer.Sign(wire(r, body), SignOptions{Time: time.Unix(ts, 0), Nonce: nonce})
		if err != nil {
			return err.Error()
		}
		if r.Header.Get("X-Sign") != want.Get("X-Sign") || r.Header.Get("X-App-Id") != "app_592837482" {
			return "signature mismatch"
		}
		return ""
	})
	rt := &Transport{Signer: signer}
	for _, req := range requests(t, srv.URL, "application/json") {
		do(t, rt, req)
	}
}

func TestLovrabetTransportEndToEnd(t *testing.T) {
	gen, _ := NewSigner(Lovrabet, P("app_code", "app-c2dd52a2"), P("dataset_code", "0fefba76fe29440194841f4825df53ff"), P("access_key", "your-access-key"))
	fixed := time.UnixMilli(1758903130713)
	creds, _ := NewCredentials()
	if err := creds.Add(Lovrabet, P("app_code", "app-c2dd52a2"), P("access_key", "your-access-key"), P("dataset", "0fefba76fe29440194841f4825df53ff")); err != nil {
		t.Fatal(err)
	}
	verifier, _ := NewVerifier(Lovrabet, creds, VerifierOptions{})
	srv, _ := server(t, func(r *http.Request, body []byte) string {
		who, err := verifier.Verify(incoming(r, body), fixed.Add(time.Minute))
		if err != nil || who.Caller != "app-c2dd52a2" || who.Scope != "0fefba76fe29440194841f4825df53ff" {
			return fmt.Sprintf("verifier: %v", err)
		}
		// Eleven minutes later the token has expired.
		if _, err := verifier.Verify(incoming(r, body), fixed.Add(11*time.Minute)); !errors.Is(err, ErrTimestampOutOfWindow) {
			return fmt.Sprintf("expired token accepted: %v", err)
		}
		// The documented example token for this access key and time.
		if r.Header.Get("X-Token") != "Vu4Eis+j1LsKiHIC4Bg9mKmdTnMKulP285/iflQNpqY=" ||
			r.Header.Get("X-Time-Stamp") != "1758903130713" ||
			r.Header.Get("X-App-Code") != "app-c2dd52a2" ||
			r.Header.Get("X-Dataset-Code") != "0fefba76fe29440194841f4825df53ff" {
			return "token mismatch"
		}
		return ""
	})
	rt := &Transport{Signer: gen, Now: func() time.Time { return fixed }}
	for _, req := range requests(t, srv.URL, "application/json") {
		do(t, rt, req)
	}
}

func TestLinksfieldTransportEndToEnd(t *testing.T) {
	raw := mustRead(t, "../tests/vectors/linksfield.json")
	var f vectorFile
	if err := jsonUnmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	pub, _ := ParsePublicKey([]byte(f.Keys["rsa1024_public_spki_pem"]))
	signer, err := NewSigner(Linksfield, P("key_id", "b30a5e0e135d42e6ab43b021a30b7987"), P("private_key", f.Keys["rsa1024_pkcs8_pem"]))
	if err != nil {
		t.Fatal(err)
	}
	creds, _ := NewCredentials()
	if err := creds.Add(Linksfield, P("key_id", "b30a5e0e135d42e6ab43b021a30b7987"), P("public_key", f.Keys["rsa1024_public_spki_pem"])); err != nil {
		t.Fatal(err)
	}
	verifier, _ := NewVerifier(Linksfield, creds, VerifierOptions{Settings: map[string]string{"accept_v1": "false", "track_nonces": "true"}})
	srv, _ := server(t, func(r *http.Request, body []byte) string {
		if who, err := verifier.Verify(incoming(r, body), time.Now()); err != nil || who.Caller != "b30a5e0e135d42e6ab43b021a30b7987" {
			return fmt.Sprintf("verifier: %v", err)
		}
		ts, err := strconv.ParseInt(r.Header.Get("timestamp"), 10, 64)
		if err != nil || r.Header.Get("X-LF-Signature-Type") != "2.0" {
			return "bad headers"
		}
		want, err := signer.Sign(wire(r, body), SignOptions{Time: time.UnixMilli(ts), Nonce: r.Header.Get("nonce"), Signed: true})
		if err != nil {
			return err.Error()
		}
		auth := r.Header.Get("Authorization")
		_, b64, _ := strings.Cut(auth, "/")
		if ok, _ := pub.Verify([]byte(want.Signed), b64); !ok || !strings.HasPrefix(auth, "LF b30a5e0e135d42e6ab43b021a30b7987/") {
			return "signature does not verify"
		}
		return ""
	})
	rt := &Transport{Signer: signer}
	for _, req := range requests(t, srv.URL, "application/json") {
		do(t, rt, req)
	}
}
