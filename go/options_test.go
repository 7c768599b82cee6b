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
func pieRequest(t *testing.T, p *PieMDM, at time.Time, nonce string) (string, string, map[string][]string) {
	t.Helper()
	url := "/openapi/v1/entities/product?page=1&pageSize=10"
	hs, err := p.SignHeaders(Request{Method: "GET", URL: url}, at, nonce)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", url, nil)
	for _, h := range hs {
		r.Header.Set(h.Name, h.Value)
	}
	return "GET", url, r.Header
}

func TestCustomNonceStoreRejectsReplaysAndSurfacesErrors(t *testing.T) {
	app, _ := NewPieMDM("app_592837482", []byte("test_secret_123456"))
	creds, _ := NewCredentials()
	if err := creds.AddPieMDM(app); err != nil {
		t.Fatal(err)
	}
	store := &mapStore{seen: map[string]time.Time{}}
	v, err := NewPieMDMVerifierWithOptions(creds, VerifierOptions{
		Window:      &Window{MaxAge: 100 * time.Second, MaxAhead: 100 * time.Second},
		NonceTTL:    15 * time.Minute,
		MinNonceLen: 16,
		NonceStore:  store,
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1_705_478_400, 0)

	// MinNonceLen: the documented 12-character nonce is now too short, and the store is not
	// consulted for a request that is not authentic.
	m, u, h := pieRequest(t, app, at, "abc123xyz789")
	if _, err := v.Verify(m, u, h, nil, at); !errors.Is(err, ErrMalformedAuth) || store.calls != 0 {
		t.Fatalf("short nonce: %v (store calls %d)", err, store.calls)
	}

	// First use passes through the store with the configured TTL and the verifier's now.
	m, u, h = pieRequest(t, app, at, "0123456789abcdef")
	who, err := v.Verify(m, u, h, nil, at)
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
	_, err = v.Verify(m, u, h, nil, at)
	var e *Error
	if !errors.Is(err, ErrNonceReused) || !errors.As(err, &e) || e.PlatformCode != "AUTH_NONCE_USED" {
		t.Fatalf("replay: %v", err)
	}
	// The window option applies.
	m, u, h = pieRequest(t, app, at.Add(-101*time.Second), "fedcba9876543210")
	if _, err := v.Verify(m, u, h, nil, at); !errors.Is(err, ErrTimestampOutOfWindow) {
		t.Fatalf("101 s old: %v", err)
	}

	// A store error rejects an authentic request.
	store.fail = fmt.Errorf("redis: connection refused")
	m, u, h = pieRequest(t, app, at, "ffffffffffffffff")
	if _, err := v.Verify(m, u, h, nil, at); !errors.Is(err, ErrNonceStoreUnavailable) {
		t.Fatalf("store down: %v", err)
	}
	store.fail = fmt.Errorf("shard full: %w", ErrNonceStoreFull)
	if _, err := v.Verify(m, u, h, nil, at); !errors.Is(err, ErrNonceStoreFull) {
		t.Fatalf("store full: %v", err)
	}
	// A panicking store is an unavailable store; the panic never crosses into C.
	store.fail, store.panics = nil, true
	if _, err := v.Verify(m, u, h, nil, at); !errors.Is(err, ErrNonceStoreUnavailable) {
		t.Fatalf("store panics: %v", err)
	}
	store.panics = false
	// Healthy again: the request that was refused is accepted once.
	if _, err := v.Verify(m, u, h, nil, at); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestCustomNonceStoreUnderConcurrency(t *testing.T) {
	app, _ := NewPieMDM("app_1", []byte("secret-1"))
	creds, _ := NewCredentials()
	_ = creds.AddPieMDM(app)
	store := &mapStore{seen: map[string]time.Time{}}
	v, err := NewPieMDMVerifierWithOptions(creds, VerifierOptions{NonceStore: store})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1_705_478_400, 0)
	m, u, h := pieRequest(t, app, at, "")
	// The same request from 8 goroutines at once: exactly one is admitted.
	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := v.Verify(m, u, h, nil, at); err == nil {
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
	if _, err := NewLinksfieldVerifierWithOptions(creds, VerifierOptions{MinNonceLen: 16}); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "min_nonce_len") {
		t.Fatalf("min nonce on linksfield: %v", err)
	}
	if _, err := NewPieMDMVerifierWithOptions(creds, VerifierOptions{RejectV1: true}); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "accept_v1") {
		t.Fatalf("v1 on piemdm: %v", err)
	}
	if _, err := NewPieMDMVerifierWithOptions(creds, VerifierOptions{NonceTTL: time.Millisecond}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("sub-second ttl: %v", err)
	}
	if _, err := NewPieMDMVerifierWithOptions(creds, VerifierOptions{NonceStore: &mapStore{}, TrackNonces: true}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("two stores: %v", err)
	}
	if _, err := NewLinksfieldVerifierWithOptions(creds, VerifierOptions{RejectV1: true, TrackNonces: true, NonceCapacity: 1024}); err != nil {
		t.Fatal(err)
	}
}

func TestLinksfieldReplayThroughCustomStore(t *testing.T) {
	signer, creds := linksfieldFixture(t)
	store := &mapStore{seen: map[string]time.Time{}}
	v, err := NewLinksfieldVerifierWithOptions(creds, VerifierOptions{RejectV1: true, NonceStore: store})
	if err != nil {
		t.Fatal(err)
	}
	at := time.UnixMilli(1_674_197_059_220)
	body := []byte(`{"a":1}`)
	hs, err := signer.SignV2Headers(Request{Method: "POST", URL: "/cube/v4/x", Body: body}, at, "")
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/cube/v4/x", nil)
	for _, h := range hs {
		r.Header.Set(h.Name, h.Value)
	}
	if _, err := v.Verify("POST", "/cube/v4/x", r.Header, body, at); err != nil {
		t.Fatal(err)
	}
	// Kept for the window's width (±10 minutes by default) + 1 s for second flooring.
	if store.calls != 1 || store.lastTTL != 1201*time.Second {
		t.Fatalf("store calls %d, ttl %v", store.calls, store.lastTTL)
	}
	if _, err := v.Verify("POST", "/cube/v4/x", r.Header, body, at); !errors.Is(err, ErrNonceReused) {
		t.Fatalf("replay: %v", err)
	}
	// Version 1 is refused (RejectV1).
	sig, _ := signer.SignV1(Request{Method: "GET", URL: "/cube/v4/x?timestamp=1674197059220&nonce=7"}, nil, at, 7)
	r = httptest.NewRequest("GET", "/cube/v4/x?timestamp=1674197059220&nonce=7", nil)
	sig.Apply(r.Header)
	if _, err := v.Verify("GET", "/cube/v4/x?timestamp=1674197059220&nonce=7", r.Header, nil, at); !errors.Is(err, ErrMalformedAuth) {
		t.Fatalf("v1 accepted: %v", err)
	}
}

func TestSignHeadersGeneratesNoncesAndHandlesLongIDs(t *testing.T) {
	// A generated nonce is 32 hex characters, fresh each time, and is the one signed.
	p, _ := NewPieMDM("app_1", []byte("secret-1"))
	at := time.Unix(1_705_478_400, 0)
	req := Request{Method: "POST", URL: "/openapi/v1/x?b=2&a=1", Body: []byte(`{"a":1}`)}
	a, err := p.SignHeaders(req, at, "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := p.SignHeaders(req, at, "")
	if a[2].Name != "X-Nonce" || len(a[2].Value) != 32 || a[2].Value == b[2].Value {
		t.Fatalf("nonces %q %q", a[2], b[2])
	}
	full, _ := p.Sign(req, at, a[2].Value)
	if full.Get("X-Sign") != a[3].Value {
		t.Fatal("generated nonce is not the one signed")
	}
	// Ids too long for the inline buffer take the retry path and still agree.
	long := strings.Repeat("i", 400)
	j, err := NewJetLinks(long, []byte("k"), JetLinksSHA256)
	if err != nil {
		t.Fatal(err)
	}
	hs, err := j.SignHeaders(benchGet, benchAt)
	sig, _ := j.Sign(benchGet, benchAt)
	if err != nil || len(hs) != 3 || hs[0].Value != long || hs[2] != sig.Headers[2] {
		t.Fatalf("long id: %v %v", hs, err)
	}
	// Errors keep their code and name the field.
	if _, err := j.SignHeaders(Request{Method: "GET", URL: "/a?flag"}, benchAt); !errors.Is(err, ErrBareQueryKey) {
		t.Fatalf("bare key: %v", err)
	}
	if _, err := j.SignHeaders(Request{Method: "GET", URL: "/a\xff"}, benchAt); !errors.Is(err, ErrInvalidUTF8) || !strings.Contains(err.Error(), "url") {
		t.Fatalf("utf-8: %v", err)
	}
	j.Close()
	if _, err := j.SignHeaders(benchGet, benchAt); err != ErrClosed {
		t.Fatalf("closed: %v", err)
	}
}

// linksfieldTestKey is the vectors' 1024-bit test key (PKCS#8 PEM).
// linksfieldFixture is a signer for key id "kid-1" with the vectors' key, and credentials
// holding its public key.
func linksfieldFixture(t *testing.T) (*Linksfield, *Credentials) {
	t.Helper()
	key, err := ParsePrivateKey([]byte(linksfieldTestKey(t)))
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := key.PublicKey()
	signer, _ := NewLinksfield("kid-1", key)
	creds, _ := NewCredentials()
	if err := creds.AddLinksfield("kid-1", pub); err != nil {
		t.Fatal(err)
	}
	return signer, creds
}

func linksfieldTestKey(t *testing.T) string {
	t.Helper()
	for _, f := range loadVectors(t) {
		if k := f.Keys["rsa1024_pkcs8_pem"]; k != "" {
			return k
		}
	}
	t.Fatal("no linksfield test key in the vectors")
	return ""
}
