package apisign

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// One generic path for every scheme: a signer and a credential built from the same parameter
// table, a verifier from NewVerifier with the defaults, one time for all four, and what the
// signature carries is what the server accepts (and a tampered body is not).

// genericParams are signer and credential parameters per scheme (names from each scheme's
// spec; expected values below come from the test, not the library).
func genericParams(t *testing.T, scheme Scheme) (sign, cred []Param, caller string) {
	switch scheme {
	case Lovrabet:
		return []Param{P("app_code", "app-1"), P("dataset_code", "ds-1"), P("access_key", "ak-1")},
			[]Param{P("app_code", "app-1"), P("access_key", "ak-1"), P("dataset", "ds-1")}, "app-1"
	case JetLinks:
		p := []Param{P("client_id", "client-1"), P("secure_key", "sk-1"), P("algorithm", "sha256")}
		return p, p, "client-1"
	case PieMDM:
		p := []Param{P("app_id", "app-1"), P("app_secret", "secret-1")}
		return p, p, "app-1"
	case Linksfield:
		return []Param{P("key_id", "key-1"), P("private_key", linksfieldTestKey(t))},
			[]Param{P("key_id", "key-1"), P("public_key", linksfieldTestPublicKey(t))}, "key-1"
	}
	t.Fatalf("no parameters for scheme %d", scheme)
	return nil, nil, ""
}

func TestEverySchemeSignsAndVerifiesGenerically(t *testing.T) {
	now := time.UnixMilli(1_705_478_400_123)
	body := []byte(`{"name":"widget","n":1}`)
	const url = "/openapi/v1/items?page=1&size=10"
	for _, scheme := range []Scheme{Lovrabet, JetLinks, PieMDM, Linksfield} {
		signParams, credParams, caller := genericParams(t, scheme)
		signer, err := NewSigner(scheme, signParams...)
		if err != nil {
			t.Fatalf("scheme %d: %v", scheme, err)
		}
		creds, _ := NewCredentials()
		if err := creds.Add(scheme, credParams...); err != nil {
			t.Fatalf("scheme %d: %v", scheme, err)
		}
		v, err := NewVerifier(scheme, creds, VerifierOptions{})
		if err != nil {
			t.Fatalf("scheme %d: %v", scheme, err)
		}
		sig, err := signer.Sign(Request{Method: "POST", URL: url, Body: body, ContentType: "application/json"}, SignOptions{Time: now})
		if err != nil || len(sig.Headers) == 0 {
			t.Fatalf("scheme %d: %v %v", scheme, sig, err)
		}
		h := http.Header{}
		sig.Apply(h)
		h.Set("Content-Type", "application/json")
		in := Incoming{Method: "POST", URL: url, Header: h, Body: body}
		who, err := v.Verify(in, now)
		if err != nil || who.Caller != caller {
			t.Fatalf("scheme %d: %+v %v", scheme, who, err)
		}
		// The signed time comes back (whole seconds where the wire carries seconds).
		if d := now.Sub(who.Timestamp); d < 0 || d >= time.Second {
			t.Errorf("scheme %d: verified timestamp %v, signed at %v", scheme, who.Timestamp, now)
		}
		if scheme == Lovrabet {
			continue // a token does not cover the body
		}
		in.Body = []byte(`{"name":"widget","n":2}`)
		if _, err := v.Verify(in, now); !errors.Is(err, ErrSignatureInvalid) && !errors.Is(err, ErrNonceReused) {
			t.Errorf("scheme %d: tampered body: %v", scheme, err)
		}
	}
}

// AddScope makes a scope known without granting it: a token for it is denied, not unknown.
func TestCredentialScopes(t *testing.T) {
	creds, _ := NewCredentials()
	if err := creds.Add(Lovrabet, P("app_code", "app-1"), P("access_key", "ak-1"), P("dataset", "ds-1")); err != nil {
		t.Fatal(err)
	}
	if err := creds.AddScope(Lovrabet, "ds-2"); err != nil {
		t.Fatal(err)
	}
	err := creds.AddScope(Lovrabet, "bad\r\nscope")
	wantErr(t, err, ErrInvalidInput, "scope")
	v := mustVerifier(t, Lovrabet, creds, VerifierOptions{})
	at := time.UnixMilli(1_700_000_000_000)
	for ds, want := range map[string]*Error{"ds-1": nil, "ds-2": ErrAccessDenied, "ds-3": ErrUnknownDataset} {
		g, err := NewSigner(Lovrabet, P("app_code", "app-1"), P("dataset_code", ds), P("access_key", "ak-1"))
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := g.Sign(Request{}, SignOptions{Time: at})
		h := http.Header{}
		sig.Apply(h)
		who, err := v.Verify(Incoming{Method: "GET", URL: "/", Header: h}, at)
		switch {
		case want == nil && (err != nil || who.Scope != ds):
			t.Errorf("%s: %+v %v", ds, who, err)
		case want != nil && !errors.Is(err, want):
			t.Errorf("%s: %v, want %s", ds, err, want.Code.Name())
		}
	}
}

// The library's nonce is drawn when none is given; the transport's Nonce function is used
// when set, and an empty one is refused before anything is sent.
func TestTransportNonceFunction(t *testing.T) {
	p := piemdmApp(t)
	var sent http.Header
	rt := &Transport{Signer: p, Nonce: func() (string, error) { return "fixed-nonce-0000001", nil },
		Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent = r.Header
			return nil, errors.New("stop")
		})}
	req, _ := http.NewRequest("GET", "http://example.com/openapi/v1/x", nil)
	if _, err := rt.RoundTrip(req); err == nil || sent.Get("X-Nonce") != "fixed-nonce-0000001" {
		t.Fatalf("%v %v", err, sent)
	}
	rt.Nonce = func() (string, error) { return "", nil }
	sent = nil
	req, _ = http.NewRequest("GET", "http://example.com/openapi/v1/x", nil)
	if _, err := rt.RoundTrip(req); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "nonce") || sent != nil {
		t.Fatalf("empty nonce: %v", err)
	}
}

// The binding is generic: among its non-test sources only schemes.go names a platform (code
// or comments), so adding a scheme to the library needs one constant here and nothing else.
func TestOnlySchemesGoNamesPlatforms(t *testing.T) {
	files, err := filepath.Glob("*")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		ext := filepath.Ext(f)
		if (ext != ".go" && ext != ".c" && ext != ".h") || strings.HasSuffix(f, "_test.go") || f == "schemes.go" {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ToLower(string(raw))
		for _, name := range []string{"lovrabet", "jetlinks", "piemdm", "linksfield"} {
			if strings.Contains(text, name) {
				t.Errorf("%s names %s; platform-specific code belongs in schemes.go", f, name)
			}
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("checked only %d files", checked)
	}
}
