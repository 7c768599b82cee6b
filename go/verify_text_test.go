package apisign

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"
)

// The Lovrabet verifier checks the token over the X-Time-Stamp text as sent: the token made
// for <ts> does not verify under the header 0<ts> (it used to: the number was re-formatted).
func TestLovrabetTimestampCheckedAsSent(t *testing.T) {
	g, err := NewSigner(Lovrabet, P("app_code", "app-1"), P("dataset_code", "ds-1"), P("access_key", "ak-1"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	creds, _ := NewCredentials()
	if err := creds.Add(Lovrabet, P("app_code", "app-1"), P("access_key", "ak-1"), P("dataset", "ds-1")); err != nil {
		t.Fatal(err)
	}
	v := mustVerifier(t, Lovrabet, creds, VerifierOptions{})
	at := time.UnixMilli(1_700_000_000_000)
	sig, err := g.Sign(Request{}, SignOptions{Time: at})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	sig.Apply(r.Header)
	if _, err := v.VerifyRequest(r, at); err != nil {
		t.Fatalf("authentic token rejected: %v", err)
	}
	r.Header.Set("X-Time-Stamp", "0"+r.Header.Get("X-Time-Stamp"))
	_, err = v.VerifyRequest(r, at)
	var e *Error
	if !errors.Is(err, ErrSignatureInvalid) || !errors.As(err, &e) || e.PlatformCode != "1002" {
		t.Fatalf("padded timestamp: got %v, want ErrSignatureInvalid with code 1002", err)
	}
}
