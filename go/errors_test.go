package apisign

import (
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func wantErr(t *testing.T, err error, sentinel *Error, inMessage string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, sentinel) {
		t.Fatalf("got %v, want %s", err, sentinel.Code.Name())
	}
	if !strings.Contains(e.Message, inMessage) {
		t.Fatalf("message %q lacks %q", e.Message, inMessage)
	}
}

func TestVersionMatchesCargoToml(t *testing.T) {
	raw := mustRead(t, "../Cargo.toml")
	m := regexp.MustCompile(`(?m)^version = "([^"]+)"`).FindSubmatch(raw)
	if m == nil || Version() != string(m[1]) {
		t.Fatalf("library %q, Cargo.toml %q", Version(), m)
	}
}

func TestCodeNames(t *testing.T) {
	for code, name := range map[Code]string{
		CodeInvalidInput: "invalid_input", CodeBareQueryKey: "bare_query_key",
		CodeInvalidEscape: "invalid_escape", CodeInvalidURL: "invalid_url",
		CodeInvalidJSON: "invalid_json", CodeBadKey: "bad_key", CodeInputTooLarge: "input_too_large",
		CodeRNG: "rng", CodeCrypto: "crypto", CodeNullPointer: "null_pointer",
		CodeBufferTooSmall: "buffer_too_small", CodeInvalidUTF8: "invalid_utf8", CodePanic: "panic",
		CodeIndexOutOfRange: "index_out_of_range", CodeNotFound: "not_found", Code(4242): "unknown",
		CodeMissingAuth: "missing_auth", CodeMalformedAuth: "malformed_auth", CodeUnknownCaller: "unknown_caller",
		CodeUnknownDataset: "unknown_dataset", CodeAccessDenied: "access_denied",
		CodeTimestampOutOfWindow: "timestamp_out_of_window", CodeSignatureInvalid: "signature_invalid",
		CodeNonceReused: "nonce_reused", CodeNonceStoreFull: "nonce_store_full",
		CodeNonceStoreUnavailable: "nonce_store_unavailable", CodeIPNotAllowed: "ip_not_allowed",
	} {
		if code.Name() != name {
			t.Errorf("%d named %q, want %q", code, code.Name(), name)
		}
	}
}

func TestBadKeys(t *testing.T) {
	_, err := ParsePrivateKey([]byte("not a key"))
	wantErr(t, err, ErrBadKey, "key")
	_, err = ParsePrivateKey(nil)
	wantErr(t, err, ErrBadKey, "empty")
	_, err = ParsePrivateKey([]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"))
	wantErr(t, err, ErrBadKey, "decrypt")
	_, err = ParsePrivateKey([]byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
	wantErr(t, err, ErrBadKey, "public key")
	_, err = ParsePublicKey([]byte("garbage"))
	wantErr(t, err, ErrBadKey, "key")
	// A signer given a bad key fails the same way.
	_, err = NewSigner(Linksfield, P("key_id", "kid"), P("private_key", "not a key"))
	wantErr(t, err, ErrBadKey, "key")
}

func TestInvalidInputsAreNamed(t *testing.T) {
	_, err := NewSigner(JetLinks, P("client_id", "a\xffb"), P("secure_key", "k"))
	wantErr(t, err, ErrInvalidInput, "client_id")
	_, err = NewSigner(JetLinks, P("client_id", "id"), P("secure_key", "k"), P("algorithm", "sha1"))
	wantErr(t, err, ErrInvalidInput, "algorithm")
	_, err = NewSigner(JetLinks, P("client_id", "id"))
	wantErr(t, err, ErrInvalidInput, "secure_key")
	_, err = NewSigner(Lovrabet, P("app_code", "a"), P("dataset_code", "d"), P("access_key", "ak"), Param{Name: "secret_key", Value: []byte{}})
	wantErr(t, err, ErrInvalidInput, "secret_key")
	_, err = NewSigner(PieMDM, P("app_id", ""), P("app_secret", "s"))
	wantErr(t, err, ErrInvalidInput, "app_id")
	// A wrong parameter name is refused with the names the scheme takes.
	_, err = NewSigner(PieMDM, P("app_idd", "a"), P("app_secret", "s"))
	wantErr(t, err, ErrInvalidInput, "app_id, app_secret")
	// So is a scheme the library does not know.
	_, err = NewSigner(Scheme(99), P("app_id", "a"))
	wantErr(t, err, ErrInvalidInput, "scheme")

	j, _ := NewSigner(JetLinks, P("client_id", "id"), P("secure_key", "k"))
	at := SignOptions{Time: time.UnixMilli(1)}
	_, err = j.Sign(Request{Method: "GET", URL: "/a?flag&x=1"}, at)
	wantErr(t, err, ErrBareQueryKey, "")
	_, err = j.Sign(Request{Method: "GET", URL: "relative"}, at)
	wantErr(t, err, ErrInvalidURL, "url")
	_, err = j.Sign(Request{Method: "GET", URL: "/a\xff"}, at)
	wantErr(t, err, ErrInvalidUTF8, "url")
	_, err = j.Sign(Request{Method: "GET", URL: "/a"}, SignOptions{Time: time.Unix(-5, 0)})
	wantErr(t, err, ErrInvalidInput, "1970")
	_, err = j.Sign(Request{Method: "GET", URL: "/a"}, SignOptions{Time: time.UnixMilli(0)})
	wantErr(t, err, ErrInvalidInput, "epoch")
	j.Close()
	j.Close() // idempotent
	if _, err := j.Sign(Request{Method: "GET", URL: "/"}, SignOptions{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed: %v", err)
	}

	p, _ := NewSigner(PieMDM, P("app_id", "app"), P("app_secret", "secret"))
	_, err = p.Sign(Request{Method: "GET", URL: "/x%zz"}, SignOptions{Time: time.Unix(1, 0), Nonce: "n"})
	wantErr(t, err, ErrInvalidEscape, "%25")
	_, err = p.Sign(Request{Method: "GET", URL: "/x"}, SignOptions{Time: time.Unix(1, 0), Nonce: "a\r\nb"})
	wantErr(t, err, ErrInvalidInput, "nonce")
	_, err = PieMDMCanonicalRequest(Request{Method: "GET", URL: "nope"}, time.Unix(1, 0), "n")
	wantErr(t, err, ErrInvalidURL, "url")
	// A long URL grows the canonical-request buffer instead of failing.
	long := "/" + strings.Repeat("a", 5000)
	c, err := PieMDMCanonicalRequest(Request{Method: "GET", URL: long}, time.Unix(1, 0), "n")
	if err != nil || !strings.HasPrefix(string(c), "GET\n"+long+"\n") {
		t.Fatalf("long canonical request: %v", err)
	}
	// Platform-only calls refuse a signer of another scheme.
	if _, err := p.JetLinksSignResponse([]byte("{}"), "1"); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("response signing with a piemdm signer: %v", err)
	}
	if _, err := p.LovrabetBatch([]Dataset{{"u", "a"}}, time.UnixMilli(1)); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("batch with a piemdm signer: %v", err)
	}
}

func TestSecretsStayOutOfErrors(t *testing.T) {
	_, err := NewSigner(PieMDM, P("app_id", "app\r\nX: y"), P("app_secret", "TOPSECRET-42"))
	if err == nil || strings.Contains(err.Error(), "TOPSECRET") || !strings.Contains(err.Error(), "app_id") {
		t.Fatalf("%v", err)
	}
}

func lovrabet(t *testing.T, dataset string, params ...Param) *Signer {
	t.Helper()
	g, err := NewSigner(Lovrabet, append([]Param{P("app_code", "app"), P("dataset_code", dataset), P("access_key", "ak")}, params...)...)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestLovrabetDefaultSecretAndBatch(t *testing.T) {
	def := lovrabet(t, "ds-1")
	explicit := lovrabet(t, "ds-1", P("secret_key", "lovrabet"))
	other := lovrabet(t, "ds-1", P("secret_key", "another"))
	at := SignOptions{Time: time.UnixMilli(1_700_000_000_000), Signed: true}
	a, _ := def.Sign(Request{}, at)
	b, _ := explicit.Sign(Request{}, at)
	c, _ := other.Sign(Request{}, at)
	if a.Get("X-Token") != b.Get("X-Token") || a.Get("x-token") == c.Get("X-Token") {
		t.Fatal("no secret_key must mean the default secret key \"lovrabet\"")
	}
	batch, err := def.LovrabetBatch([]Dataset{{"users", "ds-1"}, {"orders", "ds-2"}}, at.Time)
	if err != nil || len(batch) != 2 || batch[1].Name != "orders" {
		t.Fatalf("%v %v", batch, err)
	}
	if batch[0].Token.Get("X-Token") != a.Get("X-Token") || batch[0].Token.Signed != a.Signed {
		t.Fatal("batch entry differs from the single token")
	}
	if batch[1].Token.Get("X-Dataset-Code") != "ds-2" {
		t.Fatal("batch order")
	}
	_, err = def.LovrabetBatch([]Dataset{{"u", "a"}, {"u", "b"}}, at.Time)
	wantErr(t, err, ErrInvalidInput, "twice")
	empty, err := def.LovrabetBatch(nil, at.Time)
	if err != nil || len(empty) != 0 {
		t.Fatalf("empty batch: %v %v", empty, err)
	}
}

func TestJetLinksResponseAndTokenRequest(t *testing.T) {
	j, _ := NewSigner(JetLinks, P("client_id", "testId"), P("secure_key", "xHZ2MyCG5TEdntyFhX72Gx6K"))
	sign, err := j.JetLinksSignResponse([]byte(`{"a":1}`), "123")
	if err != nil || len(sign) != 32 {
		t.Fatalf("%q %v", sign, err)
	}
	for body, want := range map[string]bool{`{"a":1}`: true, `{"a":2}`: false} {
		if ok, err := j.JetLinksVerifyResponse([]byte(body), "123", strings.ToUpper(sign)); ok != want || err != nil {
			t.Errorf("%s: %v %v", body, ok, err)
		}
	}
	tr, err := j.JetLinksTokenRequest(2*time.Hour, time.UnixMilli(1587719082698))
	if err != nil || string(tr.Body) != `{"expires":7200}` {
		t.Fatalf("%v %v", tr, err)
	}
	direct, _ := j.Sign(Request{Method: "POST", URL: "/api/v1/token", Body: tr.Body, ContentType: "application/json"}, SignOptions{Time: time.UnixMilli(1587719082698)})
	if direct.Get("X-Sign") != tr.Get("X-Sign") {
		t.Fatal("token request signature differs from signing its body")
	}
}

func TestLifetimes(t *testing.T) {
	never := JetLinksLifetime(time.UnixMilli(5), 0)
	if _, ok := never.ExpiresAt(); ok || never.IsExpired(time.UnixMilli(1<<62)) {
		t.Fatal("expires <= 0 never expires")
	}
	j := JetLinksLifetime(time.UnixMilli(1000), 7200*time.Second)
	if at, ok := j.ExpiresAt(); !ok || at.UnixMilli() != 7_201_000 {
		t.Fatalf("%v", at)
	}
	o := OAuth2Lifetime(time.UnixMilli(10_000), 7200)
	if !o.IsExpiring(5*time.Minute, time.UnixMilli(6_910_001)) || o.IsExpiring(5*time.Minute, time.UnixMilli(6_910_000)) {
		t.Fatal("oauth2 refresh window")
	}
}

func TestConcurrentUseOfOneSigner(t *testing.T) {
	j, _ := NewSigner(JetLinks, P("client_id", "testId"), P("secure_key", "testSecure"))
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				sig, err := j.Sign(Request{Method: "GET", URL: "/api/device?pageSize=20&pageIndex=0"}, SignOptions{Time: time.UnixMilli(1574993804802), Signed: i%2 == 0})
				if err != nil || sig.Get("X-Sign") != "837fe7fa29e7a5e4852d447578269523" {
					errs <- "wrong signature under concurrency"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func TestNonces(t *testing.T) {
	a, err := NewNonce()
	b, _ := NewNonce()
	if err != nil || len(a) != 32 || a == b {
		t.Fatalf("%q %q %v", a, b, err)
	}
}

func TestResultsLargerThanTheFirstBuffer(t *testing.T) {
	// A 1000-byte client id overflows the first buffer: the result comes back in a second call.
	id := strings.Repeat("c", 1000)
	j, err := NewSigner(JetLinks, P("client_id", id), P("secure_key", "testSecure"))
	if err != nil {
		t.Fatal(err)
	}
	at := SignOptions{Time: time.UnixMilli(1574993804802), Signed: true}
	sig, err := j.Sign(Request{Method: "GET", URL: "/api/device?pageSize=20&pageIndex=0"}, at)
	if err != nil || sig.Get("X-Client-Id") != id || sig.Signed != "pageIndex=0&pageSize=20" || sig.Body != nil {
		t.Fatalf("%v %v", sig, err)
	}
	short, _ := NewSigner(JetLinks, P("client_id", "testId"), P("secure_key", "testSecure"))
	want, _ := short.Sign(Request{Method: "GET", URL: "/api/device?pageSize=20&pageIndex=0"}, at)
	if sig.Get("X-Timestamp") != want.Get("X-Timestamp") || len(sig.Headers) != 3 {
		t.Fatalf("%v", sig.Headers)
	}
	// A 1 MiB raw body is the signed string: sized up front from the body length.
	body := []byte(strings.Repeat("x", 1<<20))
	big, err := short.Sign(Request{Method: "POST", URL: "/api/device", Body: body, ContentType: "text/plain"}, SignOptions{Time: time.UnixMilli(1), Signed: true})
	if err != nil || big.Signed != string(body) {
		t.Fatalf("big body: %v", err)
	}
}
