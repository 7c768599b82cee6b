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
// error code, or the same headers in the same order (which check then holds to the vector)
// and no signed string.
func checkFast(t *testing.T, fast *Signature, err error, sig *Signature, sigErr error) {
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
	if !reflect.DeepEqual(fast.Headers, sig.Headers) || fast.Signed != "" {
		t.Fatalf("fast path headers %q (signed %q), full call %q", fast.Headers, fast.Signed, sig.Headers)
	}
}

var fastRuns int

// vectorSchemes maps the vectors' scheme names to the Go constants.
var vectorSchemes = map[string]Scheme{"lovrabet": Lovrabet, "jetlinks": JetLinks, "piemdm": PieMDM, "linksfield": Linksfield}

// vectorSigner builds the case's signer from its credentials, which use the scheme's
// parameter names (a key reference "keys.x" is resolved from the file's keys), plus the
// case's signature version.
func vectorSigner(f vectorFile, c map[string]any) (*Signer, error) {
	var params []Param
	for name, v := range obj(c, "credentials") {
		text, _ := v.(string)
		if name == "private_key" {
			text = f.Keys[strings.TrimPrefix(text, "keys.")]
		}
		params = append(params, P(name, text))
	}
	if v := s(c, "version"); v != "" {
		params = append(params, P("version", v))
	}
	return NewSigner(vectorSchemes[f.Scheme], params...)
}

// vectorTimes are the signing times that must give the case's headers: its timestamp in ms;
// PieMDM's vectors are in seconds, which every millisecond of that second signs the same.
func vectorTimes(t *testing.T, f vectorFile, c map[string]any) []time.Time {
	ts := u64(t, c, "timestamp")
	if f.Scheme == "piemdm" {
		return []time.Time{msTime(ts * 1000), msTime(ts*1000 + 999)}
	}
	return []time.Time{msTime(ts)}
}

// runSigning signs the case through the one generic Signer (full and fast path) at each of
// its times and checks the vector's headers and intermediate string.
func runSigning(t *testing.T, f vectorFile, c map[string]any, intermediate string) *Signature {
	var last *Signature
	for _, at := range vectorTimes(t, f, c) {
		signer, err := vectorSigner(f, c)
		var sig *Signature
		if err == nil {
			opts := SignOptions{Time: at, Nonce: s(c, "nonce")}
			fast, ferr := signer.Sign(request(c), opts)
			opts.Signed = true
			sig, err = signer.Sign(request(c), opts)
			checkFast(t, fast, ferr, sig, err)
			signer.Close()
		}
		check(t, sig, err, obj(c, "expected"), intermediate)
		last = sig
	}
	return last
}

func TestEveryVector(t *testing.T) {
	ran := map[string]int{}
	for _, f := range loadVectors(t) {
		for _, c := range f.Cases {
			id := f.Scheme + "/" + s(c, "id")
			t.Run(id, func(t *testing.T) {
				switch f.Scheme {
				case "lovrabet":
					runLovrabet(t, f, c)
				case "jetlinks":
					runJetLinks(t, f, c)
				case "piemdm":
					runPieMDM(t, f, c)
				case "linksfield":
					runLinksfield(t, f, c)
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
	// Each signing case compares the fast path with the full call (runSigning).
	if fastRuns == 0 {
		t.Error("no case went through the fast path")
	}
	t.Logf("ran %v, %d through the fast path too", ran, fastRuns)
}

func runLovrabet(t *testing.T, f vectorFile, c map[string]any) {
	switch s(c, "kind") {
	case "":
		sig := runSigning(t, f, c, "string_to_sign")
		if exp := s(obj(c, "expected"), "expires_at"); exp != "" && sig != nil {
			at, ok := LovrabetLifetime(msTime(u64(t, c, "timestamp"))).ExpiresAt()
			if !ok || strconv.FormatInt(at.UnixMilli(), 10) != exp {
				t.Errorf("expires_at %v, want %s", at.UnixMilli(), exp)
			}
		}
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

func jetlinksSigner(t *testing.T, c map[string]any) *Signer {
	cred := obj(c, "credentials")
	j, err := NewSigner(JetLinks, P("client_id", s(cred, "client_id")), P("secure_key", s(cred, "secure_key")), P("algorithm", s(cred, "algorithm")))
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func runJetLinks(t *testing.T, f vectorFile, c map[string]any) {
	switch s(c, "kind") {
	case "":
		runSigning(t, f, c, "signed_params")
	case "response":
		j := jetlinksSigner(t, c)
		defer j.Close()
		resp := obj(c, "response")
		h := obj(resp, "headers")
		valid, err := j.JetLinksVerifyResponse([]byte(s(resp, "body")), s(h, "X-Timestamp"), s(h, "X-Sign"))
		if err != nil || valid != obj(c, "expected")["valid"].(bool) {
			t.Fatalf("valid %v, err %v", valid, err)
		}
	default:
		t.Fatalf("unknown jetlinks kind %q", s(c, "kind"))
	}
}

func runPieMDM(t *testing.T, f vectorFile, c map[string]any) {
	if k := s(c, "kind"); k != "" {
		t.Fatalf("unknown piemdm kind %q", k)
	}
	runSigning(t, f, c, "canonical_request")
	if want := s(obj(c, "expected"), "canonical_request"); want != "" {
		for _, at := range vectorTimes(t, f, c) {
			got, err := PieMDMCanonicalRequest(request(c), at, s(c, "nonce"))
			if err != nil || string(got) != want {
				t.Errorf("canonical request %q (%v), want %q", got, err, want)
			}
		}
	}
}

func runLinksfield(t *testing.T, f vectorFile, c map[string]any) {
	if k := s(c, "kind"); k != "" {
		t.Fatalf("unknown linksfield kind %q", k)
	}
	cred := obj(c, "credentials")
	pem := f.Keys[strings.TrimPrefix(s(cred, "private_key"), "keys.")]
	key, err := ParsePrivateKey([]byte(pem))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := key.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	key.Close() // the public key is its own handle
	if v := s(c, "version"); v != "" && v != "2.0" && v != "1.0" {
		t.Fatalf("unknown version %q", v)
	}
	if sig := runSigning(t, f, c, "message"); sig != nil {
		_, b64, _ := strings.Cut(sig.Get("Authorization"), "/")
		if ok, verr := pub.Verify([]byte(sig.Signed), b64); !ok || verr != nil {
			t.Errorf("signature does not verify: %v", verr)
		}
	}

	// Signature v1 on the same target (no v1 vector yet): typed JSON body fields merged with
	// the query, integer nonce, string timestamp, and it verifies.
	v1, err := NewSigner(Linksfield, P("key_id", s(cred, "key_id")), P("private_key", pem), P("version", "1.0"))
	if err != nil {
		t.Fatal(err)
	}
	req := Request{Method: "POST", URL: request(c).URL, Body: []byte(`{"sim_id":"8986","n":3}`)}
	sig, err := v1.Sign(req, SignOptions{Time: time.UnixMilli(1674197059220), Nonce: "42", Signed: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"n":3`, `"nonce":42`, `"sim_id":"8986"`, `"timestamp":"1674197059220"`} {
		if !strings.Contains(sig.Signed, want) {
			t.Errorf("v1 message %s lacks %s", sig.Signed, want)
		}
	}
	_, b64, _ := strings.Cut(sig.Get("Authorization"), "/")
	if ok, _ := pub.Verify([]byte(sig.Signed), b64); !ok || len(sig.Headers) != 1 {
		t.Errorf("v1 signature: %v", sig.Headers)
	}
	if want := []Header{{"timestamp", "1674197059220"}, {"nonce", "42"}}; !reflect.DeepEqual(sig.Params, want) {
		t.Errorf("v1 params %v, want %v", sig.Params, want)
	}
	// v1 sends the nonce as a JSON integer: a nonce that is not one is refused, named.
	_, err = v1.Sign(req, SignOptions{Time: time.UnixMilli(1), Nonce: "x1"})
	wantErr(t, err, ErrInvalidInput, "nonce")
	// A JSON body that is not an object cannot be merged into the parameters.
	_, err = v1.Sign(Request{Method: "POST", URL: "/x", Body: []byte(`[1]`), ContentType: "application/json"}, SignOptions{Time: time.UnixMilli(1), Nonce: "1"})
	wantErr(t, err, ErrInvalidJSON, "body")
}

func jsonUnmarshal(raw []byte, v any) error { return json.Unmarshal(raw, v) }
