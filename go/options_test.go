package apisign

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// mapStore is an in-memory NonceStore standing in for Redis: a map of key → expiry, a call
// log, and a switchable failure.
type mapStore struct {
	mu      sync.Mutex
	seen    map[string]time.Time
	calls   int
	lastTTL time.Duration
	lastNow time.Time
	fail    error
	panics  bool
}

func (m *mapStore) CheckAndRecord(key string, ttl time.Duration, now time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	m.lastTTL, m.lastNow = ttl, now
	if m.panics {
		panic("store bug")
	}
	if m.fail != nil {
		return false, m.fail
	}
	if exp, ok := m.seen[key]; ok && now.Before(exp) {
		return false, nil
	}
	m.seen[key] = now.Add(ttl)
	return true, nil
}

// pieRequest is the documented PieMDM GET signed with nonce at `at`, as a server receives it.
func pieRequest(t *testing.T, p *Signer, at time.Time, nonce string) Incoming {
	t.Helper()
	url := "/openapi/v1/entities/product?page=1&pageSize=10"
	sig, err := p.Sign(Request{Method: "GET", URL: url}, SignOptions{Time: at, Nonce: nonce})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", url, nil)
	sig.Apply(r.Header)
	return Incoming{Method: "GET", URL: url, Header: r.Header}
}

// piemdmApp is a PieMDM signer for app_592837482 (or id/secret when given).
func piemdmApp(t *testing.T, idSecret ...string) *Signer {
	t.Helper()
	id, secret := "app_592837482", "test_secret_123456"
	if len(idSecret) == 2 {
		id, secret = idSecret[0], idSecret[1]
	}
	p, err := NewSigner(PieMDM, P("app_id", id), P("app_secret", secret))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// mustVerifier is NewVerifier for a test: a verifier, or the test fails.
func mustVerifier(t *testing.T, scheme Scheme, creds *Credentials, opts VerifierOptions) *Verifier {
	t.Helper()
	v, err := NewVerifier(scheme, creds, opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// piemdmCreds are credentials for the apps (id, secret pairs).
func piemdmCreds(t *testing.T, idSecret ...string) *Credentials {
	t.Helper()
	creds, err := NewCredentials()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(idSecret); i += 2 {
		if err := creds.Add(PieMDM, P("app_id", idSecret[i]), P("app_secret", idSecret[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	return creds
}

func TestCustomNonceStoreRejectsReplaysAndSurfacesErrors(t *testing.T) {
	app := piemdmApp(t)
	creds := piemdmCreds(t, "app_592837482", "test_secret_123456")
	store := &mapStore{seen: map[string]time.Time{}}
	v, err := NewVerifier(PieMDM, creds, VerifierOptions{
		Window:     &Window{MaxAge: 100 * time.Second, MaxAhead: 100 * time.Second},
		NonceTTL:   15 * time.Minute,
		Settings:   map[string]string{"min_nonce_len": "16"},
		NonceStore: store,
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1_705_478_400, 0)

	// MinNonceLen: the documented 12-character nonce is now too short, and the store is not
	// consulted for a request that is not authentic.
	req := pieRequest(t, app, at, "abc123xyz789")
	if _, err := v.Verify(req, at); !errors.Is(err, ErrMalformedAuth) || store.calls != 0 {
		t.Fatalf("short nonce: %v (store calls %d)", err, store.calls)
	}

	// First use passes through the store with the configured TTL and the verifier's now.
	req = pieRequest(t, app, at, "0123456789abcdef")
	who, err := v.Verify(req, at)
	if err != nil || who.Nonce != "0123456789abcdef" {
		t.Fatalf("first use: %+v %v", who, err)
	}
	if store.calls != 1 || store.lastTTL != 15*time.Minute || !store.lastNow.Equal(at) || len(store.seen) != 1 {
		t.Fatalf("store saw %d calls, ttl %v, now %v, %d keys", store.calls, store.lastTTL, store.lastNow, len(store.seen))
	}
	for k := range store.seen {
		if !strings.Contains(k, "0123456789abcdef") || !strings.Contains(k, "app_592837482") {
			t.Fatalf("key %q does not name the app and nonce", k)
		}
	}
	// The replay is rejected because the custom store remembers it.
	_, err = v.Verify(req, at)
	var e *Error
	if !errors.Is(err, ErrNonceReused) || !errors.As(err, &e) || e.PlatformCode != "AUTH_NONCE_USED" {
		t.Fatalf("replay: %v", err)
	}
	// The window option applies.
	req = pieRequest(t, app, at.Add(-101*time.Second), "fedcba9876543210")
	if _, err := v.Verify(req, at); !errors.Is(err, ErrTimestampOutOfWindow) {
		t.Fatalf("101 s old: %v", err)
	}

	// A store error rejects an authentic request.
	store.fail = fmt.Errorf("redis: connection refused")
	req = pieRequest(t, app, at, "ffffffffffffffff")
	if _, err := v.Verify(req, at); !errors.Is(err, ErrNonceStoreUnavailable) {
		t.Fatalf("store down: %v", err)
	}
	store.fail = fmt.Errorf("shard full: %w", ErrNonceStoreFull)
	if _, err := v.Verify(req, at); !errors.Is(err, ErrNonceStoreFull) {
		t.Fatalf("store full: %v", err)
	}
	// A panicking store is an unavailable store; the panic never crosses into C.
	store.fail, store.panics = nil, true
	if _, err := v.Verify(req, at); !errors.Is(err, ErrNonceStoreUnavailable) {
		t.Fatalf("store panics: %v", err)
	}
	store.panics = false
	// Healthy again: the request that was refused is accepted once.
	if _, err := v.Verify(req, at); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestCustomNonceStoreUnderConcurrency(t *testing.T) {
	app := piemdmApp(t, "app_1", "secret-1")
	creds := piemdmCreds(t, "app_1", "secret-1")
	store := &mapStore{seen: map[string]time.Time{}}
	v := mustVerifier(t, PieMDM, creds, VerifierOptions{NonceStore: store})
	at := time.Unix(1_705_478_400, 0)
	req := pieRequest(t, app, at, "")
	// The same request from 8 goroutines at once: exactly one is admitted.
	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := v.Verify(req, at); err == nil {
				ok.Add(1)
			} else if !errors.Is(err, ErrNonceReused) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 {
		t.Fatalf("%d of 8 identical requests admitted", ok.Load())
	}
}

func TestVerifierOptionsAreCheckedPerScheme(t *testing.T) {
	creds, _ := NewCredentials()
	// A setting of another scheme is refused, naming it and the settings the scheme has.
	_, err := NewVerifier(Linksfield, creds, VerifierOptions{Settings: map[string]string{"min_nonce_len": "16"}})
	wantErr(t, err, ErrInvalidInput, "min_nonce_len")
	if !strings.Contains(err.Error(), "accept_v1, track_nonces") {
		t.Fatalf("does not list the known settings: %v", err)
	}
	_, err = NewVerifier(PieMDM, creds, VerifierOptions{Settings: map[string]string{"accept_v1": "false"}})
	wantErr(t, err, ErrInvalidInput, "accept_v1")
	// A bad value is refused, named.
	_, err = NewVerifier(PieMDM, creds, VerifierOptions{Settings: map[string]string{"strict_query": "maybe"}})
	wantErr(t, err, ErrInvalidInput, "strict_query")
	if _, err := NewVerifier(PieMDM, creds, VerifierOptions{NonceTTL: time.Millisecond}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("sub-second ttl: %v", err)
	}
	if _, err := NewVerifier(PieMDM, creds, VerifierOptions{NonceStore: &mapStore{}, NonceCapacity: 16}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("two stores: %v", err)
	}
	// A scheme without nonces refuses a nonce store.
	if _, err := NewVerifier(JetLinks, creds, VerifierOptions{NonceStore: &mapStore{}}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("nonce store on jetlinks: %v", err)
	}
	if _, err := NewVerifier(Scheme(99), creds, VerifierOptions{}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("unknown scheme: %v", err)
	}
	if _, err := NewVerifier(Linksfield, creds, VerifierOptions{Settings: map[string]string{"accept_v1": "false", "track_nonces": "true"}, NonceCapacity: 1024}); err != nil {
		t.Fatal(err)
	}
}

func TestLinksfieldReplayThroughCustomStore(t *testing.T) {
	signer, creds := linksfieldFixture(t)
	store := &mapStore{seen: map[string]time.Time{}}
	v := mustVerifier(t, Linksfield, creds, VerifierOptions{Settings: map[string]string{"accept_v1": "false"}, NonceStore: store})
	at := time.UnixMilli(1_674_197_059_220)
	body := []byte(`{"a":1}`)
	sig, err := signer.Sign(Request{Method: "POST", URL: "/cube/v4/x", Body: body}, SignOptions{Time: at})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/cube/v4/x", nil)
	sig.Apply(r.Header)
	in := Incoming{Method: "POST", URL: "/cube/v4/x", Header: r.Header, Body: body}
	if _, err := v.Verify(in, at); err != nil {
		t.Fatal(err)
	}
	// Kept for the window's width (±10 minutes by default) + 1 s for second flooring.
	if store.calls != 1 || store.lastTTL != 1201*time.Second {
		t.Fatalf("store calls %d, ttl %v", store.calls, store.lastTTL)
	}
	if _, err := v.Verify(in, at); !errors.Is(err, ErrNonceReused) {
		t.Fatalf("replay: %v", err)
	}
	// Version 1 is refused (accept_v1 false).
	v1 := linksfieldSigner(t, "kid-1", P("version", "1.0"))
	sig, _ = v1.Sign(Request{Method: "GET", URL: "/cube/v4/x?timestamp=1674197059220&nonce=7"}, SignOptions{Time: at, Nonce: "7"})
	r = httptest.NewRequest("GET", "/cube/v4/x?timestamp=1674197059220&nonce=7", nil)
	sig.Apply(r.Header)
	if _, err := v.Verify(Incoming{Method: "GET", URL: "/cube/v4/x?timestamp=1674197059220&nonce=7", Header: r.Header}, at); !errors.Is(err, ErrMalformedAuth) {
		t.Fatalf("v1 accepted: %v", err)
	}
}

func TestGeneratedNoncesAndLongIDs(t *testing.T) {
	// A generated nonce is 32 hex characters, fresh each time, and is the one signed.
	p := piemdmApp(t, "app_1", "secret-1")
	at := time.Unix(1_705_478_400, 0)
	req := Request{Method: "POST", URL: "/openapi/v1/x?b=2&a=1", Body: []byte(`{"a":1}`)}
	a, err := p.Sign(req, SignOptions{Time: at})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := p.Sign(req, SignOptions{Time: at})
	if a.Headers[2].Name != "X-Nonce" || len(a.Headers[2].Value) != 32 || a.Headers[2].Value == b.Headers[2].Value {
		t.Fatalf("nonces %q %q", a.Headers[2], b.Headers[2])
	}
	full, _ := p.Sign(req, SignOptions{Time: at, Nonce: a.Get("X-Nonce"), Signed: true})
	if full.Get("X-Sign") != a.Headers[3].Value {
		t.Fatal("generated nonce is not the one signed")
	}
	// Ids too long for the inline buffer take the retry path and still agree.
	long := strings.Repeat("i", 400)
	j, err := NewSigner(JetLinks, P("client_id", long), P("secure_key", "k"), P("algorithm", "sha256"))
	if err != nil {
		t.Fatal(err)
	}
	hs, err := j.Sign(benchGet, SignOptions{Time: benchAt})
	sig, _ := j.Sign(benchGet, SignOptions{Time: benchAt, Signed: true})
	if err != nil || len(hs.Headers) != 3 || hs.Headers[0].Value != long || hs.Headers[2] != sig.Headers[2] {
		t.Fatalf("long id: %v %v", hs, err)
	}
	// Errors keep their code and name the field.
	if _, err := j.Sign(Request{Method: "GET", URL: "/a?flag"}, SignOptions{Time: benchAt}); !errors.Is(err, ErrBareQueryKey) {
		t.Fatalf("bare key: %v", err)
	}
	if _, err := j.Sign(Request{Method: "GET", URL: "/a\xff"}, SignOptions{Time: benchAt}); !errors.Is(err, ErrInvalidUTF8) || !strings.Contains(err.Error(), "url") {
		t.Fatalf("utf-8: %v", err)
	}
	j.Close()
	if _, err := j.Sign(benchGet, SignOptions{Time: benchAt}); err != ErrClosed {
		t.Fatalf("closed: %v", err)
	}
}

// linksfieldSigner is a Linksfield signer with the vectors' 1024-bit test key.
func linksfieldSigner(t *testing.T, keyID string, params ...Param) *Signer {
	t.Helper()
	s, err := NewSigner(Linksfield, append([]Param{P("key_id", keyID), P("private_key", linksfieldTestKey(t))}, params...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// linksfieldFixture is a signer for key id "kid-1" with the vectors' key, and credentials
// holding its public key.
func linksfieldFixture(t *testing.T) (*Signer, *Credentials) {
	t.Helper()
	signer := linksfieldSigner(t, "kid-1")
	creds, _ := NewCredentials()
	if err := creds.Add(Linksfield, P("key_id", "kid-1"), P("public_key", linksfieldTestPublicKey(t))); err != nil {
		t.Fatal(err)
	}
	return signer, creds
}

func linksfieldTestKey(t *testing.T) string { return linksfieldVectorKey(t, "rsa1024_pkcs8_pem") }

func linksfieldTestPublicKey(t *testing.T) string {
	return linksfieldVectorKey(t, "rsa1024_public_spki_pem")
}

func linksfieldVectorKey(t *testing.T, name string) string {
	t.Helper()
	for _, f := range loadVectors(t) {
		if k := f.Keys[name]; k != "" {
			return k
		}
	}
	t.Fatalf("no linksfield key %s in the vectors", name)
	return ""
}
