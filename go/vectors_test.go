package apisign

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Every case of every ../tests/vectors file, through the Go API; unknown schemes or kinds fail.

type vectorFile struct {
	Scheme string            `json:"scheme"`
	Keys   map[string]string `json:"keys"`
	Cases  []map[string]any  `json:"cases"`
}

func loadVectors(t testing.TB) []vectorFile {
	paths, err := filepath.Glob("../tests/vectors/*.json")
	if err != nil || len(paths) < 4 {
		t.Fatalf("vector files: %v %v", paths, err)
	}
	var out []vectorFile
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var f vectorFile
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, f)
	}
	return out
}

func s(m map[string]any, key string) string {
	v, _ := m[key].(string)
	return v
}

func obj(m map[string]any, key string) map[string]any {
	v, _ := m[key].(map[string]any)
	return v
}

func u64(t *testing.T, m map[string]any, key string) uint64 {
	n, err := strconv.ParseUint(s(m, key), 10, 64)
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return n
}

func msTime(n uint64) time.Time { return time.UnixMilli(int64(n)) }

func request(c map[string]any) Request {
	r := obj(c, "request")
	return Request{Method: s(r, "method"), URL: s(r, "url"), Body: []byte(s(r, "body")), ContentType: s(r, "content_type")}
}

// check compares a signing outcome with expected: the error name, or every header and the
// intermediate string.
func check(t *testing.T, sig *Signature, err error, expected map[string]any, intermediate string) {
	t.Helper()
	if want := s(expected, "error"); want != "" {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("want error %s, got %v", want, err)
		}
		if e.Code.Name() != want || e.Message == "" {
			t.Fatalf("error %s (%q), want %s", e.Code.Name(), e.Message, want)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	want := obj(expected, "headers")
	if len(sig.Headers) != len(want) {
		t.Fatalf("headers %v, want %v", sig.Headers, want)
	}
	for _, h := range sig.Headers {
		if w, ok := want[h.Name].(string); !ok || w != h.Value {
			t.Errorf("%s = %q, want %q", h.Name, h.Value, want[h.Name])
		}
	}
	if w, ok := expected[intermediate].(string); ok && sig.Signed != w {
		t.Errorf("%s:\n got %q\nwant %q", intermediate, sig.Signed, w)
	}
}

// checkFast compares the headers-only fast path with the full call on the same case: the same
// error code, or the same headers in the same order (which check then holds to the vector).
func checkFast(t *testing.T, hs []Header, err error, sig *Signature, sigErr error) {
	t.Helper()
	fastRuns++
	if sigErr != nil {
		var a, b *Error
		if !errors.As(err, &a) || !errors.As(sigErr, &b) || a.Code != b.Code {
			t.Fatalf("fast path error %v, full call %v", err, sigErr)
		}
		return
	}
	if err != nil {
		t.Fatalf("fast path: %v", err)
	}
	if !reflect.DeepEqual(hs, sig.Headers) {
		t.Fatalf("fast path headers %q, full call %q", hs, sig.Headers)
	}
}

var fastRuns int

func TestEveryVector(t *testing.T) {
	ran := map[string]int{}
	for _, f := range loadVectors(t) {
		for _, c := range f.Cases {
			id := f.Scheme + "/" + s(c, "id")
			t.Run(id, func(t *testing.T) {
				switch f.Scheme {
				case "lovrabet":
					runLovrabet(t, c)
				case "jetlinks":
					runJetLinks(t, c)
				case "piemdm":
					runPieMDM(t, c)
				case "linksfield":
					runLinksfield(t, f.Keys, c)
				default:
					t.Fatalf("unknown scheme %q", f.Scheme)
				}
			})
			ran[f.Scheme]++
		}
	}
	for _, scheme := range []string{"lovrabet", "jetlinks", "piemdm", "linksfield"} {
		if ran[scheme] == 0 {
			t.Errorf("no %s cases ran", scheme)
		}
	}
	// Each signing case compares the fast path with the full call (runLovrabet…).
	if fastRuns == 0 {
		t.Error("no case went through the fast path")
	}
	t.Logf("ran %v, %d through the fast path too", ran, fastRuns)
}

func runLovrabet(t *testing.T, c map[string]any) {
	switch s(c, "kind") {
	case "":
		cred := obj(c, "credentials")
		var secret []byte
		if sk, ok := cred["secret_key"].(string); ok {
			secret = []byte(sk)
		}
		g, err := NewLovrabet(s(cred, "access_key"), secret)
		var sig *Signature
		if err == nil {
			defer g.Close()
			sig, err = g.Token(s(cred, "app_code"), s(cred, "dataset_code"), msTime(u64(t, c, "timestamp")))
			hs, ferr := g.TokenHeaders(s(cred, "app_code"), s(cred, "dataset_code"), msTime(u64(t, c, "timestamp")))
			checkFast(t, hs, ferr, sig, err)
		}
		expected := obj(c, "expected")
		if exp := s(expected, "expires_at"); exp != "" && err == nil {
			at, ok := LovrabetLifetime(msTime(u64(t, c, "timestamp"))).ExpiresAt()
			if !ok || strconv.FormatInt(at.UnixMilli(), 10) != exp {
				t.Errorf("expires_at %v, want %s", at.UnixMilli(), exp)
			}
		}
		check(t, sig, err, expected, "string_to_sign")
	case "expiry":
		life := LovrabetLifetime(msTime(u64(t, c, "timestamp")))
		buffer := time.Duration(u64(t, c, "buffer_ms")) * time.Millisecond
		checks, _ := c["checks"].([]any)
		if len(checks) == 0 {
			t.Fatal("no checks")
		}
		for _, x := range checks {
			ch := x.(map[string]any)
			now := msTime(u64(t, ch, "now"))
			left, ok := life.Remaining(now)
			if !ok || uint64(left/time.Millisecond) != u64(t, ch, "remaining_ms") {
				t.Errorf("at %v: remaining %v", now.UnixMilli(), left)
			}
			if life.IsExpiring(buffer, now) != ch["expiring"].(bool) {
				t.Errorf("at %v: expiring", now.UnixMilli())
			}
		}
	default:
		t.Fatalf("unknown lovrabet kind %q", s(c, "kind"))
	}
}

func jetlinksSigner(t *testing.T, c map[string]any) *JetLinks {
	cred := obj(c, "credentials")
	alg := map[string]JetLinksAlgorithm{"md5": JetLinksMD5, "sha256": JetLinksSHA256}[s(cred, "algorithm")]
	j, err := NewJetLinks(s(cred, "client_id"), []byte(s(cred, "secure_key")), alg)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func runJetLinks(t *testing.T, c map[string]any) {
	j := jetlinksSigner(t, c)
	defer j.Close()
	switch s(c, "kind") {
	case "":
		sig, err := j.Sign(request(c), msTime(u64(t, c, "timestamp")))
		hs, ferr := j.SignHeaders(request(c), msTime(u64(t, c, "timestamp")))
		checkFast(t, hs, ferr, sig, err)
		check(t, sig, err, obj(c, "expected"), "signed_params")
	case "response":
		resp := obj(c, "response")
		h := obj(resp, "headers")
		valid, err := j.VerifyResponse([]byte(s(resp, "body")), s(h, "X-Timestamp"), s(h, "X-Sign"))
		if err != nil || valid != obj(c, "expected")["valid"].(bool) {
			t.Fatalf("valid %v, err %v", valid, err)
		}
	default:
		t.Fatalf("unknown jetlinks kind %q", s(c, "kind"))
	}
}

func runPieMDM(t *testing.T, c map[string]any) {
	if k := s(c, "kind"); k != "" {
		t.Fatalf("unknown piemdm kind %q", k)
	}
	cred := obj(c, "credentials")
	at := time.Unix(int64(u64(t, c, "timestamp")), 0)
	p, err := NewPieMDM(s(cred, "app_id"), []byte(s(cred, "app_secret")))
	var sig *Signature
	if err == nil {
		defer p.Close()
		sig, err = p.Sign(request(c), at, s(c, "nonce"))
		hs, ferr := p.SignHeaders(request(c), at, s(c, "nonce"))
		checkFast(t, hs, ferr, sig, err)
	}
	expected := obj(c, "expected")
	if want := s(expected, "canonical_request"); want != "" {
		got, err := PieMDMCanonicalRequest(request(c), at, s(c, "nonce"))
		if err != nil || string(got) != want {
			t.Errorf("canonical request %q (%v), want %q", got, err, want)
		}
	}
	check(t, sig, err, expected, "canonical_request")
}

func runLinksfield(t *testing.T, keys map[string]string, c map[string]any) {
	if k := s(c, "kind"); k != "" {
		t.Fatalf("unknown linksfield kind %q", k)
	}
	cred := obj(c, "credentials")
	key, err := ParsePrivateKey([]byte(keys[strings.TrimPrefix(s(cred, "private_key"), "keys.")]))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := key.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLinksfield(s(cred, "key_id"), key)
	if err != nil {
		t.Fatal(err)
	}
	key.Close() // the signer keeps its own reference
	at := msTime(u64(t, c, "timestamp"))
	var sig *Signature
	switch v := s(c, "version"); v {
	case "", "2.0":
		sig, err = l.SignV2(request(c), at, s(c, "nonce"))
		hs, ferr := l.SignV2Headers(request(c), at, s(c, "nonce"))
		checkFast(t, hs, ferr, sig, err)
	case "1.0":
		n, _ := strconv.ParseInt(s(c, "nonce"), 10, 64)
		sig, err = l.SignV1(request(c), nil, at, n)
	default:
		t.Fatalf("unknown version %q", v)
	}
	if err == nil {
		_, b64, _ := strings.Cut(sig.Get("Authorization"), "/")
		if ok, verr := pub.Verify([]byte(sig.Signed), b64); !ok || verr != nil {
			t.Errorf("signature does not verify: %v", verr)
		}
	}
	check(t, sig, err, obj(c, "expected"), "message")

	// Signature v1 on the same request (no v1 vector yet): typed extras merged, integer nonce,
	// string timestamp, and it verifies.
	v1, err := l.SignV1(request(c), []byte(`{"sim_id":"8986","n":3}`), time.UnixMilli(1674197059220), 42)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"n":3`, `"nonce":42`, `"sim_id":"8986"`, `"timestamp":"1674197059220"`} {
		if !strings.Contains(v1.Signed, want) {
			t.Errorf("v1 message %s lacks %s", v1.Signed, want)
		}
	}
	_, b64, _ := strings.Cut(v1.Get("Authorization"), "/")
	if ok, _ := pub.Verify([]byte(v1.Signed), b64); !ok || len(v1.Headers) != 1 {
		t.Errorf("v1 signature: %v", v1.Headers)
	}
	_, err = l.SignV1(request(c), []byte(`[1]`), time.UnixMilli(1), 1)
	wantErr(t, err, ErrInvalidJSON, "extra_json")
}

func jsonUnmarshal(raw []byte, v any) error { return json.Unmarshal(raw, v) }
