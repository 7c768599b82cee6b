package apisign

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Real net/http servers and clients on 127.0.0.1. Expected statuses and bodies are written out
// from the platforms' sources (docs/), never computed by the library.

var pieParams = []Param{P("app_id", "app-1"), P("app_secret", "secret-1")}

// echo is the application: it reports the caller and echoes the body it received.
func echo(hits *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		who, ok := CallerFrom(r.Context())
		body, _ := io.ReadAll(r.Body)
		caller := ""
		if ok {
			caller = who.Caller
			// Caller ids are per scheme: which one proved the caller travels with it.
			w.Header().Set("X-Scheme", strconv.Itoa(int(who.Scheme)))
		}
		w.Header().Set("X-Caller", caller)
		w.Write(body)
	})
}

func guarded(t testing.TB, scheme Scheme, store NonceStore, cred []Param, opts MiddlewareOptions) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	creds, err := NewCredentials()
	if err != nil {
		t.Fatal(err)
	}
	if err := creds.Add(scheme, cred...); err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(scheme, creds, VerifierOptions{NonceStore: store})
	if err != nil {
		t.Fatal(err)
	}
	opts.Verifier = v
	mw, err := Middleware(opts)
	if err != nil {
		t.Fatal(err)
	}
	hits := new(atomic.Int32)
	srv := httptest.NewServer(mw(echo(hits)))
	t.Cleanup(srv.Close)
	return srv, hits
}

// signedRequest signs method target body for scheme's caller; tamper may change it after.
func signedRequest(t testing.TB, s *Signer, srv *httptest.Server, method, target string, body []byte) *http.Request {
	t.Helper()
	sig, err := s.Sign(Request{Method: method, URL: target, Body: body, ContentType: "application/json"}, SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, srv.URL+target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for _, h := range sig.Headers {
		req.Header.Set(h.Name, h.Value)
	}
	return req
}

func send(t testing.TB, req *http.Request) (int, http.Header, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func mustSigner(t testing.TB, scheme Scheme, params ...Param) *Signer {
	t.Helper()
	s, err := NewSigner(scheme, params...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMiddlewareAnswersLikeThePlatform(t *testing.T) {
	srv, hits := guarded(t, PieMDM, nil, pieParams, MiddlewareOptions{})
	s := mustSigner(t, PieMDM, pieParams...)
	body := []byte(`{"name":"widget","n":1}`)

	req := signedRequest(t, s, srv, "POST", "/openapi/v1/entities/product?page=1", body)
	status, h, got := send(t, req)
	if status != 200 || got != string(body) || h.Get("X-Caller") != "app-1" {
		t.Fatalf("valid request: %d %q caller %q", status, got, h.Get("X-Caller"))
	}

	const sigInvalid = `{"code":"AUTH_SIGNATURE_INVALID","message":"Signature mismatch"}`
	for name, tamper := range map[string]func(*http.Request){
		"body": func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader(`{"name":"widget","n":2}`))
		},
		"query": func(r *http.Request) { r.URL.RawQuery = "page=2" },
		"path":  func(r *http.Request) { r.URL.Path = "/openapi/v1/entities/order" },
	} {
		req := signedRequest(t, s, srv, "POST", "/openapi/v1/entities/product?page=1", body)
		tamper(req)
		before := hits.Load()
		status, h, got := send(t, req)
		if status != 401 || got != sigInvalid || h.Get("Content-Type") != "application/json" {
			t.Errorf("tampered %s: %d %q", name, status, got)
		}
		if hits.Load() != before {
			t.Errorf("tampered %s reached the handler", name)
		}
	}

	// A replay.
	req = signedRequest(t, s, srv, "GET", "/openapi/v1/x", nil)
	replay := req.Clone(req.Context())
	if status, _, _ := send(t, req); status != 200 {
		t.Fatal(status)
	}
	status, _, got = send(t, replay)
	if status != 401 || got != `{"code":"AUTH_NONCE_USED","message":"Nonce already used"}` {
		t.Fatalf("replay: %d %q", status, got)
	}

	// No headers at all.
	plain, _ := http.NewRequest("GET", srv.URL+"/openapi/v1/x", nil)
	status, _, got = send(t, plain)
	if status != 401 || got != `{"code":"AUTH_FAILED","message":"Missing required headers"}` {
		t.Fatalf("unsigned: %d %q", status, got)
	}
}

func TestMiddlewareBodyLimitChunkedAndPaths(t *testing.T) {
	srv, hits := guarded(t, PieMDM, nil, pieParams, MiddlewareOptions{MaxBodyBytes: 64, SkipPaths: []string{"/healthz"}})
	s := mustSigner(t, PieMDM, pieParams...)

	big := bytes.Repeat([]byte("a"), 65)
	before := hits.Load()
	status, _, got := send(t, signedRequest(t, s, srv, "POST", "/openapi/v1/x", big))
	if status != 413 || hits.Load() != before {
		t.Fatalf("oversized: %d %q, handler ran: %v", status, got, hits.Load() != before)
	}
	// The same over the limit without a Content-Length (chunked).
	req := signedRequest(t, s, srv, "POST", "/openapi/v1/x", big)
	req.Body = io.NopCloser(bytes.NewReader(big))
	req.ContentLength = -1
	if status, _, _ := send(t, req); status != 413 || hits.Load() != before {
		t.Fatalf("oversized chunked: %d", status)
	}
	// A chunked body within the limit verifies and reaches the handler unchanged.
	small := []byte(`{"chunked":true}`)
	req = signedRequest(t, s, srv, "POST", "/openapi/v1/x", small)
	req.Body = io.NopCloser(bytes.NewReader(small))
	req.ContentLength = -1
	if status, _, got := send(t, req); status != 200 || got != string(small) {
		t.Fatalf("chunked: %d %q", status, got)
	}
	// Percent-encoded and unicode paths (the client sends the unicode percent-encoded).
	for _, target := range []string{"/openapi/v1/entities/caf%C3%A9%20au%2Flait?q=a%26b", "/openapi/v1/%E5%90%8D%E5%89%8D"} {
		if status, _, got := send(t, signedRequest(t, s, srv, "GET", target, nil)); status != 200 {
			t.Errorf("%s: %d %q", target, status, got)
		}
	}
	plain, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
	if status, _, _ := send(t, plain); status != 200 {
		t.Fatalf("skipped path: %d", status)
	}
}

func TestMiddlewareAllowListAndTrustedProxies(t *testing.T) {
	cred := append([]Param{P("allowed_ips", "10.0.0.0/8")}, pieParams...)
	direct, _ := guarded(t, PieMDM, nil, cred, MiddlewareOptions{})
	s := mustSigner(t, PieMDM, pieParams...)
	// The test client connects from 127.0.0.1, outside the list; its own X-Forwarded-For is
	// not believed without trusted proxies.
	req := signedRequest(t, s, direct, "GET", "/openapi/v1/x", nil)
	req.Header.Set("X-Forwarded-For", "10.1.2.3")
	status, _, got := send(t, req)
	if status != 403 || got != `{"code":"AUTH_IP_NOT_ALLOWED","message":"IP not in whitelist"}` {
		t.Fatalf("outside the list: %d %q", status, got)
	}
	// Behind a trusted proxy (127.0.0.1 here), the forwarded address counts.
	proxied, _ := guarded(t, PieMDM, nil, cred, MiddlewareOptions{TrustedProxies: []string{"127.0.0.1"}})
	req = signedRequest(t, s, proxied, "GET", "/openapi/v1/x", nil)
	req.Header.Set("X-Forwarded-For", "10.1.2.3")
	if status, _, got := send(t, req); status != 200 {
		t.Fatalf("forwarded from inside the list: %d %q", status, got)
	}
	req = signedRequest(t, s, proxied, "GET", "/openapi/v1/x", nil)
	req.Header.Set("X-Forwarded-For", "10.1.2.3, 192.0.2.1")
	if status, _, _ := send(t, req); status != 403 {
		t.Fatalf("rightmost untrusted hop outside the list: %d", status)
	}
	if ip, err := ClientIP("10.0.0.2:5555", "127.0.0.1, 203.0.113.9", []string{"10.0.0.0/8"}); err != nil || ip != "203.0.113.9" {
		t.Fatalf("ClientIP: %q %v", ip, err)
	}
	if _, err := Middleware(MiddlewareOptions{Verifier: nil}); !errors.Is(err, ErrInvalidInput) {
		t.Fatal(err)
	}
}

func TestMiddlewareErrorHookAndStatusOnErrors(t *testing.T) {
	var seen error
	srv, _ := guarded(t, PieMDM, nil, pieParams, MiddlewareOptions{OnError: func(w http.ResponseWriter, r *http.Request, rej Rejection, err error) {
		seen = err
		w.WriteHeader(rej.Status)
		fmt.Fprintf(w, `{"error":%q}`, err.(*Error).PlatformCode)
	}})
	plain, _ := http.NewRequest("GET", srv.URL+"/x", nil)
	status, _, got := send(t, plain)
	if status != 401 || got != `{"error":"AUTH_FAILED"}` || !errors.Is(seen, ErrMissingAuth) || seen.(*Error).Status != 401 {
		t.Fatalf("hook: %d %q %v", status, got, seen)
	}
}

func TestJetLinksResponsesAreSignedAndCheckedByTheStrictTransport(t *testing.T) {
	params := []Param{P("client_id", "testId"), P("secure_key", "testSecure")}
	srv, _ := guarded(t, JetLinks, nil, params, MiddlewareOptions{})
	s := mustSigner(t, JetLinks, params...)
	client := &http.Client{Transport: &Transport{Signer: s, CheckResponses: true}}
	resp, err := client.Post(srv.URL+"/api/device?pageSize=20", "application/json", strings.NewReader(`{"id":"d1"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != `{"id":"d1"}` || resp.Header.Get("X-Sign") == "" {
		t.Fatalf("%d %q %v", resp.StatusCode, body, resp.Header)
	}
	if err := s.VerifyResponse(resp.Header, body); err != nil {
		t.Fatal(err)
	}
	// A man in the middle changes the response body: the strict client refuses it.
	mitm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.RequestURI = ""
		r.URL.Scheme, r.URL.Host = "http", strings.TrimPrefix(srv.URL, "http://")
		up, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			t.Error(err)
			return
		}
		defer up.Body.Close()
		for k, vs := range up.Header {
			w.Header()[k] = vs
		}
		w.Header().Del("Content-Length")
		w.Write([]byte(`{"id":"evil"}`))
	}))
	defer mitm.Close()
	_, err = client.Post(mitm.URL+"/api/device?pageSize=20", "application/json", strings.NewReader(`{"id":"d1"}`))
	if !errors.Is(err, ErrSignatureInvalid) {
		t.Fatalf("tampered response: %v", err)
	}
	// Without strict mode the response is handed over as is.
	lax := &http.Client{Transport: &Transport{Signer: s}}
	if resp, err := lax.Post(mitm.URL+"/api/device", "application/json", strings.NewReader(`{}`)); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	// A platform that does not sign responses: strict mode says so.
	pie := mustSigner(t, PieMDM, pieParams...)
	if err := pie.VerifyResponse(http.Header{}, nil); !errors.Is(err, ErrInvalidInput) {
		t.Fatal(err)
	}
}

// startRedis runs redis-server on a free loopback port for this test (scripts/test-go.sh
// installs it).
func startRedis(t *testing.T, extra ...string) int {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not installed (scripts/test-go.sh installs it)")
	}
	var port int
	for {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port = l.Addr().(*net.TCPAddr).Port
		l.Close()
		if port+10000 < 65536 {
			break
		}
	}
	dir := t.TempDir()
	args := append([]string{"--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--save", "", "--appendonly", "no", "--dir", dir}, extra...)
	cmd := exec.Command("redis-server", args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for range 100 {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			c.Close()
			return port
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("redis-server did not start")
	return 0
}

func TestReplayOnASecondServerSharingRedis(t *testing.T) {
	url := fmt.Sprintf("redis://127.0.0.1:%d/0", startRedis(t))
	storeA, err := NewRedisNonceStore(url, RedisOptions{Prefix: "go-test:"})
	if err != nil {
		t.Fatal(err)
	}
	storeB, err := NewRedisNonceStore(url, RedisOptions{Prefix: "go-test:", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := guarded(t, PieMDM, storeA, pieParams, MiddlewareOptions{})
	b, _ := guarded(t, PieMDM, storeB, pieParams, MiddlewareOptions{})
	s := mustSigner(t, PieMDM, pieParams...)
	for i := range 5 {
		req := signedRequest(t, s, a, "POST", "/openapi/v1/x", []byte(`{"i":`+strconv.Itoa(i)+`}`))
		again := req.Clone(req.Context())
		again.URL.Host = strings.TrimPrefix(b.URL, "http://")
		again.Body = io.NopCloser(strings.NewReader(`{"i":` + strconv.Itoa(i) + `}`))
		if status, _, got := send(t, req); status != 200 {
			t.Fatalf("server A: %d %q", status, got)
		}
		if status, _, got := send(t, again); status != 401 || got != `{"code":"AUTH_NONCE_USED","message":"Nonce already used"}` {
			t.Fatalf("replay on server B: %d %q", status, got)
		}
	}
	// A Redis that is gone refuses (503), it never admits.
	down, err := NewRedisNonceStore("redis://127.0.0.1:1/0", RedisOptions{Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := guarded(t, PieMDM, down, pieParams, MiddlewareOptions{})
	status, _, got := send(t, signedRequest(t, s, c, "GET", "/openapi/v1/x", nil))
	if status != 503 || got != `{"code":"SYSTEM_INTERNAL_ERROR","message":"Internal system error"}` {
		t.Fatalf("redis down: %d %q", status, got)
	}
}

func TestRedisClusterStoreSharesOneWindow(t *testing.T) {
	if _, err := exec.LookPath("redis-cli"); err != nil {
		t.Fatal("redis-cli is not installed (scripts/test-go.sh installs it)")
	}
	var nodes, urls []string
	for range 3 {
		dir := t.TempDir()
		p := startRedis(t, "--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes.conf"))
		nodes = append(nodes, "127.0.0.1:"+strconv.Itoa(p))
		urls = append(urls, "redis://127.0.0.1:"+strconv.Itoa(p))
	}
	out, err := exec.Command("redis-cli", append(append([]string{"--cluster", "create"}, nodes...), "--cluster-replicas", "0", "--cluster-yes")...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for range 100 {
		info, _ := exec.Command("redis-cli", "-p", strings.Split(nodes[0], ":")[1], "cluster", "info").Output()
		if bytes.Contains(info, []byte("cluster_state:ok")) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	a, err := NewRedisClusterNonceStore(urls[:1], RedisOptions{Prefix: "go-test:"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewRedisClusterNonceStore(urls[2:], RedisOptions{Prefix: "go-test:"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		k := "k-" + strconv.Itoa(i)
		if fresh, err := a.CheckAndRecord(k, time.Minute, time.Now()); err != nil || !fresh {
			t.Fatalf("%s first: %v %v", k, fresh, err)
		}
		if fresh, err := b.CheckAndRecord(k, time.Minute, time.Now()); err != nil || fresh {
			t.Fatalf("%s on the second instance: %v %v", k, fresh, err)
		}
	}
	if _, err := NewRedisClusterNonceStore(urls, RedisOptions{Prefix: "{one}:"}); !errors.Is(err, ErrInvalidInput) {
		t.Fatal(err)
	}
}

// One middleware for several platforms: each request goes to the verifier whose headers it
// carries, is answered that platform's way, and only JetLinks callers get signed responses.
func TestOneMiddlewareServesSeveralPlatforms(t *testing.T) {
	jetParams := []Param{P("client_id", "testId"), P("secure_key", "testSecure")}
	creds, err := NewCredentials()
	if err != nil {
		t.Fatal(err)
	}
	if err := creds.Add(PieMDM, pieParams...); err != nil {
		t.Fatal(err)
	}
	if err := creds.Add(JetLinks, jetParams...); err != nil {
		t.Fatal(err)
	}
	pv, err := NewVerifier(PieMDM, creds, VerifierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	jv, err := NewVerifier(JetLinks, creds, VerifierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mw, err := Middleware(MiddlewareOptions{Verifiers: []*Verifier{pv, jv}})
	if err != nil {
		t.Fatal(err)
	}
	hits := new(atomic.Int32)
	srv := httptest.NewServer(mw(echo(hits)))
	defer srv.Close()
	body := []byte(`{"id":"d1"}`)

	pie := mustSigner(t, PieMDM, pieParams...)
	status, h, got := send(t, signedRequest(t, pie, srv, "POST", "/api/device?pageSize=20", body))
	// The scheme ids are the C ABI's stable numbers: PieMDM 2, JetLinks 1.
	if status != 200 || got != string(body) || h.Get("X-Caller") != "app-1" || h.Get("X-Scheme") != "2" || h.Get("X-Sign") != "" {
		t.Fatalf("PieMDM caller: %d %q caller %q scheme %q sign %q", status, got, h.Get("X-Caller"), h.Get("X-Scheme"), h.Get("X-Sign"))
	}
	jet := mustSigner(t, JetLinks, jetParams...)
	resp, err := (&http.Client{Transport: &Transport{Signer: jet, CheckResponses: true}}).Post(srv.URL+"/api/device?pageSize=20", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err) // the strict transport checked the response signature
	}
	got2, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(got2) != string(body) || resp.Header.Get("X-Caller") != "testId" || resp.Header.Get("X-Scheme") != "1" {
		t.Fatalf("JetLinks caller: %d %q caller %q scheme %q", resp.StatusCode, got2, resp.Header.Get("X-Caller"), resp.Header.Get("X-Scheme"))
	}

	// A tampered JetLinks request gets JetLinks's answer, an unsigned one the first platform's.
	req := signedRequest(t, jet, srv, "POST", "/api/device?pageSize=20", body)
	req.Body = io.NopCloser(strings.NewReader(`{"id":"d2"}`)) // JetLinks signs a JSON body, not the query
	before := hits.Load()
	status, _, got = send(t, req)
	if status != 401 || got != `{"status":401,"code":"unauthorized","message":"signature error"}` {
		t.Fatalf("tampered JetLinks request: %d %q", status, got)
	}
	plain, _ := http.NewRequest("GET", srv.URL+"/api/device", nil)
	status, _, got = send(t, plain)
	if status != 401 || got != `{"code":"AUTH_FAILED","message":"Missing required headers"}` {
		t.Fatalf("unsigned: %d %q", status, got)
	}
	if hits.Load() != before {
		t.Fatal("a refused request reached the handler")
	}

	// PickVerifier on its own, and the options it refuses.
	if v, err := PickVerifier([]*Verifier{pv, jv}, http.Header{"X-Client-Id": {"c"}, "X-Sign": {"s"}}); err != nil || v != jv {
		t.Fatalf("pick: %v %v", v == jv, err)
	}
	if _, err := PickVerifier(nil, http.Header{}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("pick from none: %v", err)
	}
	if v, err := PickVerifier([]*Verifier{nil}, http.Header{}); v != nil || !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("pick from a nil verifier: %v %v", v, err)
	}
	if _, err := Middleware(MiddlewareOptions{Verifiers: []*Verifier{pv, nil}}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("nil verifier: %v", err)
	}
	if _, err := Middleware(MiddlewareOptions{}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("no verifier: %v", err)
	}
}
