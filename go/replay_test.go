package apisign

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Issue #10 item 8: a nonce must outlive every instant its timestamp is still accepted. Each
// attack below used to admit a replay; now the configuration is refused or the replay is.

func pieCreds(t *testing.T) (*Signer, *Credentials) {
	t.Helper()
	return piemdmApp(t), piemdmCreds(t, "app_592837482", "test_secret_123456")
}

// acceptedThenReplayed checks that in verifies at first and is refused as a replay at again.
func acceptedThenReplayed(t *testing.T, v *Verifier, in Incoming, first, again time.Time) {
	t.Helper()
	if _, err := v.Verify(in, first); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(in, again); !errors.Is(err, ErrNonceReused) {
		t.Fatalf("replay %v after the first use: %v", again.Sub(first), err)
	}
}

func TestNonceTTLShorterThanTheWindowIsRefused(t *testing.T) {
	_, creds := pieCreds(t)
	wide := &Window{MaxAge: 900 * time.Second, MaxAhead: 900 * time.Second}
	for _, ttl := range []time.Duration{600 * time.Second, 1800 * time.Second} {
		_, err := NewVerifier(PieMDM, creds, VerifierOptions{Window: wide, NonceTTL: ttl})
		if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "nonce_ttl") {
			t.Fatalf("900 s window, ttl %v: %v", ttl, err)
		}
	}
	// The old default TTL is one second short of the default window.
	if _, err := NewVerifier(PieMDM, creds, VerifierOptions{NonceTTL: 600 * time.Second}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("ttl 600 s: %v", err)
	}
	if _, err := NewVerifier(PieMDM, creds, VerifierOptions{NonceTTL: 1500 * time.Millisecond}); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("fractional ttl: %v", err)
	}
	if _, err := NewVerifier(PieMDM, creds, VerifierOptions{Window: wide, NonceTTL: 1801 * time.Second}); err != nil {
		t.Fatalf("ttl 1801 s: %v", err)
	}
}

func TestDefaultsRejectTheReplayAtTheWindowsFarEdge(t *testing.T) {
	app, creds := pieCreds(t)
	v := mustVerifier(t, PieMDM, creds, VerifierOptions{})
	at := time.Unix(1_705_478_400, 0)
	req := pieRequest(t, app, at, "edge-nonce-000000001")
	// Sent 300 s ahead of the server's clock, replayed 300 s late.
	acceptedThenReplayed(t, v, req, at.Add(-300*time.Second), at.Add(300*time.Second))
}

func TestAWideWindowKeepsNoncesAsLongAsItNeeds(t *testing.T) {
	app, creds := pieCreds(t)
	v := mustVerifier(t, PieMDM, creds, VerifierOptions{Window: &Window{MaxAge: 900 * time.Second, MaxAhead: 900 * time.Second}})
	at := time.Unix(1_705_478_400, 0)
	req := pieRequest(t, app, at, "wide-nonce-000000001")
	acceptedThenReplayed(t, v, req, at, at.Add(600*time.Second))
	// The TTL handed to a custom store is the window's width + 1 s.
	store := &mapStore{seen: map[string]time.Time{}}
	v = mustVerifier(t, PieMDM, creds, VerifierOptions{
		Window: &Window{MaxAge: 900 * time.Second, MaxAhead: 900 * time.Second}, NonceStore: store,
	})
	if _, err := v.Verify(req, at); err != nil || store.lastTTL != 1801*time.Second {
		t.Fatalf("ttl %v: %v", store.lastTTL, err)
	}
}

func TestLinksfieldReplayAcrossSecondFlooringIsRejected(t *testing.T) {
	signer, creds := linksfieldFixture(t)
	v := mustVerifier(t, Linksfield, creds, VerifierOptions{Settings: map[string]string{"accept_v1": "false", "track_nonces": "true"}})
	// The timestamp ends in 999 ms: first seen 600 000 ms early, replayed 599 001 ms late,
	// 1200 whole seconds later — when the old 1200 s TTL had just run out.
	at := time.UnixMilli(1_674_197_059_999)
	sig, err := signer.Sign(Request{Method: "GET", URL: "/cube/v4/x"}, SignOptions{Time: at, Nonce: "floor-1"})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/cube/v4/x", nil)
	sig.Apply(r.Header)
	in := Incoming{Method: "GET", URL: "/cube/v4/x", Header: r.Header}
	acceptedThenReplayed(t, v, in, at.Add(-600_000*time.Millisecond), at.Add(599_001*time.Millisecond))
}

func TestStrictQueryRefusesAnUnsignedSegment(t *testing.T) {
	app, creds := pieCreds(t)
	lax := mustVerifier(t, PieMDM, creds, VerifierOptions{})
	strict := mustVerifier(t, PieMDM, creds, VerifierOptions{Settings: map[string]string{"strict_query": "true"}})
	at := time.Unix(1_705_478_400, 0)
	req := pieRequest(t, app, at, "strict-nonce-0000001")
	tampered := req
	tampered.URL += "&admin=1;"
	// Go's server skips "admin=1;", so the signature of the plain query verifies…
	if _, err := lax.Verify(tampered, at); err != nil {
		t.Fatalf("lax: %v", err)
	}
	// …unless strict mode refuses the segment nobody signed.
	_, err := strict.Verify(tampered, at)
	var e *Error
	if !errors.Is(err, ErrSignatureInvalid) || !errors.As(err, &e) || e.PlatformCode != "AUTH_SIGNATURE_INVALID" {
		t.Fatalf("strict: %v", err)
	}
	if _, err := strict.Verify(req, at); err != nil {
		t.Fatalf("strict, signed query: %v", err)
	}
	if _, err := NewVerifier(Linksfield, creds, VerifierOptions{Settings: map[string]string{"strict_query": "true"}}); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "strict_query") {
		t.Fatalf("strict query on linksfield: %v", err)
	}
}
