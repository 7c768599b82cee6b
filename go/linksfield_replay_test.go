package apisign

import (
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// Linksfield v1 signs the nonce as a JSON integer, so 1, 01, 001, +1 and the body string "01"
// are one nonce: a verifier tracking nonces admits the first and refuses the others (these
// replays used to be admitted).
func TestLinksfieldV1NonceSpellingsAreOneNonce(t *testing.T) {
	_, creds := linksfieldFixture(t)
	v := mustVerifier(t, Linksfield, creds, VerifierOptions{Settings: map[string]string{"track_nonces": "true"}})
	at := time.UnixMilli(1_674_197_059_220)
	v1 := linksfieldSigner(t, "kid-1", P("version", "1.0"))
	sig, err := v1.Sign(Request{Method: "GET", URL: "/cube/v4/x"}, SignOptions{Time: at, Nonce: "1"})
	if err != nil {
		t.Fatal(err)
	}
	// The timestamp and nonce the request must carry come with the signature.
	if want := []Header{{"timestamp", "1674197059220"}, {"nonce", "1"}}; !reflect.DeepEqual(sig.Params, want) {
		t.Fatalf("params %v, want %v", sig.Params, want)
	}
	h := http.Header{}
	sig.Apply(h)
	const q = "/cube/v4/x?timestamp=1674197059220&nonce="
	if got, err := v.Verify(Incoming{Method: "GET", URL: q + "1", Header: h}, at); err != nil || got.Nonce != "1" {
		t.Fatalf("first use: %v %v", got, err)
	}
	for _, replay := range []string{"01", "001", "%2B1"} {
		if _, err := v.Verify(Incoming{Method: "GET", URL: q + replay, Header: h}, at); !errors.Is(err, ErrNonceReused) {
			t.Errorf("nonce=%s: %v, want ErrNonceReused", replay, err)
		}
	}
	body := []byte(`{"timestamp":"1674197059220","nonce":"01"}`)
	if _, err := v.Verify(Incoming{Method: "POST", URL: "/cube/v4/x", Header: h, Body: body}, at); !errors.Is(err, ErrNonceReused) {
		t.Errorf("body nonce \"01\": %v, want ErrNonceReused", err)
	}
}
