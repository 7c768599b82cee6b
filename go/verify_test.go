package apisign

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// signedPieMDM is a PieMDM request signed at `at`, as a server would receive it.
func signedPieMDM(t *testing.T, p *Signer, at time.Time, body string) *http.Request {
	t.Helper()
	nonce, _ := NewNonce()
	sig, err := p.Sign(Request{Method: "POST", URL: "/openapi/v1/x?b=2&a=1", Body: []byte(body)}, SignOptions{Time: at, Nonce: nonce})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/openapi/v1/x?b=2&a=1", strings.NewReader(body))
	sig.Apply(r.Header)
	return r
}

func TestVerifierRejections(t *testing.T) {
	app := piemdmApp(t, "app_1", "secret-1")
	stranger := piemdmApp(t, "app_2", "secret-2")
	creds := piemdmCreds(t, "app_1", "secret-1")
	v := mustVerifier(t, PieMDM, creds, VerifierOptions{Window: &Window{MaxAge: time.Minute, MaxAhead: time.Minute}})
	now := time.Unix(1_705_478_400, 0)

	// Authentic, and the body is still readable afterwards.
	r := signedPieMDM(t, app, now, `{"a":1}`)
	who, err := v.VerifyRequest(r, now)
	if err != nil || who.Caller != "app_1" || who.Timestamp.UnixMilli() != 1_705_478_400_000 || len(who.Nonce) != 32 {
		t.Fatalf("%+v %v", who, err)
	}
	if b, _ := io.ReadAll(r.Body); string(b) != `{"a":1}` {
		t.Fatalf("body lost: %q", b)
	}

	check := func(r *http.Request, at time.Time, sentinel *Error) {
		t.Helper()
		_, err := v.VerifyRequest(r, at)
		var e *Error
		if !errors.Is(err, sentinel) || !errors.As(err, &e) || e.PlatformCode == "" || e.Message == "" {
			t.Fatalf("got %v (%+v), want %s with a platform code", err, e, sentinel.Code.Name())
		}
		if strings.Contains(e.Message, "secret-1") {
			t.Fatal("secret in the message")
		}
	}
	check(signedPieMDM(t, app, now, `{"a":1}`), now.Add(2*time.Minute), ErrTimestampOutOfWindow)
	check(signedPieMDM(t, stranger, now, `{}`), now, ErrUnknownCaller)
	tampered := signedPieMDM(t, app, now, `{"a":1}`)
	tampered.Body = io.NopCloser(strings.NewReader(`{"a":2}`))
	check(tampered, now, ErrSignatureInvalid)
	missing := signedPieMDM(t, app, now, `{}`)
	missing.Header.Del("X-Sign")
	check(missing, now, ErrMissingAuth)

	// Credentials added later are seen at once (key rotation), and so is a removal.
	if err := creds.Add(PieMDM, P("app_id", "app_2"), P("app_secret", "secret-2")); err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyRequest(signedPieMDM(t, stranger, now, `{}`), now); err != nil {
		t.Fatalf("added credentials not seen: %v", err)
	}
	if removed, err := creds.Remove(PieMDM, "app_2"); !removed || err != nil {
		t.Fatalf("remove: %v %v", removed, err)
	}
	if removed, _ := creds.Remove(PieMDM, "app_2"); removed {
		t.Fatal("removed twice")
	}
	check(signedPieMDM(t, stranger, now, `{}`), now, ErrUnknownCaller)
}

func TestJetLinksVerifierAgainstTheVectors(t *testing.T) {
	// Every signed jetlinks vector verifies when re-received, at its own timestamp.
	for _, f := range loadVectors(t) {
		if f.Scheme != "jetlinks" {
			continue
		}
		for _, c := range f.Cases {
			if s(c, "kind") != "" || s(obj(c, "expected"), "error") != "" {
				continue
			}
			cred := obj(c, "credentials")
			creds, _ := NewCredentials()
			if err := creds.Add(JetLinks, P("client_id", s(cred, "client_id")), P("secure_key", s(cred, "secure_key")), P("algorithm", s(cred, "algorithm"))); err != nil {
				t.Fatal(err)
			}
			v, _ := NewVerifier(JetLinks, creds, VerifierOptions{})
			req := request(c)
			h := http.Header{}
			for k, val := range obj(obj(c, "expected"), "headers") {
				h.Set(k, val.(string))
			}
			if req.ContentType != "" {
				h.Set("Content-Type", req.ContentType)
			}
			at := msTime(u64(t, c, "timestamp"))
			if _, err := v.Verify(Incoming{Method: req.Method, URL: req.URL, Header: h, Body: req.Body}, at); err != nil {
				t.Errorf("%s: %v", s(c, "id"), err)
			}
			h.Set("X-Sign", strings.Repeat("0", len(h.Get("X-Sign"))))
			if _, err := v.Verify(Incoming{Method: req.Method, URL: req.URL, Header: h, Body: req.Body}, at); !errors.Is(err, ErrSignatureInvalid) {
				t.Errorf("%s: zeroed signature: %v", s(c, "id"), err)
			}
		}
	}
}
