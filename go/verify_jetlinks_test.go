package apisign

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// jetlinksServerSign is X-Sign computed from the param string Spring 5.2 produced for the
// request (tests/parity/spring), not by apisign.
func jetlinksServerSign(signedByServer, ts string) string {
	sum := md5.Sum([]byte(signedByServer + ts + "server-key"))
	return hex.EncodeToString(sum[:])
}

func jetlinksServerVerifier(t *testing.T) *Verifier {
	t.Helper()
	creds, _ := NewCredentials()
	if err := creds.Add(JetLinks, P("client_id", "server-client"), P("secure_key", "server-key"), P("algorithm", "md5")); err != nil {
		t.Fatal(err)
	}
	v := mustVerifier(t, JetLinks, creds, VerifierOptions{})
	return v
}

func TestJetLinksVerifierAcceptsWhatTheServerAccepts(t *testing.T) {
	v := jetlinksServerVerifier(t)
	const ts = "1700000000000"
	for _, c := range []struct{ method, url, contentType, body, spring string }{
		{"GET", "/x?flag=1&flag", "", "", "flag=1"},
		{"GET", "/x?a=%ED%A0%80", "", "", "a=\uFFFD"},
		{"POST", "/x", "application/x-www-form-urlencoded", "a=\xff&c=&c", "a=\uFFFD&c="},
		{"POST", "/x", "application/x-www-form-urlencoded; charset=ISO-8859-1", "b=%E9&r=\xe9", "b=é&r=é"},
		{"PUT", "/x", "application/x-www-form-urlencoded;charset=GB2312", "n=%D5%C5", "n=张"},
	} {
		h := http.Header{}
		h.Set("X-Client-Id", "server-client")
		h.Set("X-Timestamp", ts)
		h.Set("X-Sign", jetlinksServerSign(c.spring, ts))
		if c.contentType != "" {
			h.Set("Content-Type", c.contentType)
		}
		if _, err := v.Verify(Incoming{Method: c.method, URL: c.url, Header: h, Body: []byte(c.body)}, msTime(1700000000000)); err != nil {
			t.Errorf("%s %s %q: %v", c.method, c.url, c.contentType, err)
		}
	}
}

func TestJetLinksVerifierRefusesHeadersTheServerRefuses(t *testing.T) {
	v := jetlinksServerVerifier(t)
	const ts = "1700000000000"
	for _, ct := range []string{
		"application/x-www-form-urlencoded; charset=bogus",
		"text/plain; x=application/x-www-form-urlencoded",
	} {
		h := http.Header{}
		h.Set("X-Client-Id", "server-client")
		h.Set("X-Timestamp", ts)
		h.Set("X-Sign", jetlinksServerSign("a=1", ts))
		h.Set("Content-Type", ct)
		_, err := v.Verify(Incoming{Method: "POST", URL: "/x", Header: h, Body: []byte("a=1")}, msTime(1700000000000))
		if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "content_type") {
			t.Errorf("%q: %v", ct, err)
		}
	}
}
