package apisign

import (
	"errors"
	"os"
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
	raw, err := os.ReadFile("../Cargo.toml")
	if err != nil {
		t.Fatal(err)
	}
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
		CodeNonceStoreUnavailable: "nonce_store_unavailable",
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
	if _, err := NewLinksfield("kid", nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("nil key: %v", err)
	}
}

func TestInvalidInputsAreNamed(t *testing.T) {
	_, err := NewJetLinks("a\xffb", []byte("k"), JetLinksMD5)
	wantErr(t, err, ErrInvalidUTF8, "client_id")
	_, err = NewJetLinks("id", []byte("k"), JetLinksAlgorithm(9))
	wantErr(t, err, ErrInvalidInput, "algorithm")
	_, err = NewJetLinks("id", nil, JetLinksMD5)
	wantErr(t, err, ErrInvalidInput, "secure_key")
	_, err = NewLovrabet("ak", []byte{})
	wantErr(t, err, ErrInvalidInput, "secret_key")
	_, err = NewPieMDM("", []byte("s"))
	wantErr(t, err, ErrInvalidInput, "app_id")

	j, _ := NewJetLinks("id", []byte("k"), JetLinksMD5)
	_, err = j.Sign(Request{Method: "GET", URL: "/a?flag&x=1"}, time.UnixMilli(1))
	wantErr(t, err, ErrBareQueryKey, "")
	_, err = j.Sign(Request{Method: "GET", URL: "relative"}, time.UnixMilli(1))
	wantErr(t, err, ErrInvalidURL, "url")
	_, err = j.Sign(Request{Method: "GET", URL: "/a\xff"}, time.UnixMilli(1))
	wantErr(t, err, ErrInvalidUTF8, "url")
	_, err = j.Sign(Request{Method: "GET", URL: "/a"}, time.Unix(-5, 0))
	wantErr(t, err, ErrInvalidInput, "1970")
	j.Close()
	j.Close() // idempotent
	if _, err := j.Sign(Request{Method: "GET", URL: "/"}, time.Now()); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed: %v", err)
	}

	p, _ := NewPieMDM("app", []byte("secret"))
	_, err = p.Sign(Request{Method: "GET", URL: "/x%zz"}, time.Unix(1, 0), "n")
	wantErr(t, err, ErrInvalidEscape, "%25")
	_, err = p.Sign(Request{Method: "GET", URL: "/x"}, time.Unix(1, 0), "")
	wantErr(t, err, ErrInvalidInput, "nonce")
	_, err = PieMDMCanonicalRequest(Request{Method: "GET", URL: "nope"}, time.Unix(1, 0), "n")
	wantErr(t, err, ErrInvalidURL, "url")
	// A long URL grows the canonical-request buffer instead of failing.
	long := "/" + strings.Repeat("a", 5000)
	c, err := PieMDMCanonicalRequest(Request{Method: "GET", URL: long}, time.Unix(1, 0), "n")
	if err != nil || !strings.HasPrefix(string(c), "GET\n"+long+"\n") {
		t.Fatalf("long canonical request: %v", err)
	}
}

func TestSecretsStayOutOfErrors(t *testing.T) {
	_, err := NewPieMDM("app\r\nX: y", []byte("TOPSECRET-42"))
	if err == nil || strings.Contains(err.Error(), "TOPSECRET") || !strings.Contains(err.Error(), "app_id") {
		t.Fatalf("%v", err)
	}
}

func TestLovrabetDefaultSecretAndBatch(t *testing.T) {
	def, err := NewLovrabet("ak", nil)
	if err != nil {
		t.Fatal(err)
	}
	explicit, _ := NewLovrabet("ak", []byte("lovrabet"))
	other, _ := NewLovrabet("ak", []byte("another"))
	at := time.UnixMilli(1_700_000_000_000)
	a, _ := def.Token("app", "ds-1", at)
	b, _ := explicit.Token("app", "ds-1", at)
	c, _ := other.Token("app", "ds-1", at)
	if a.Get("X-Token") != b.Get("X-Token") || a.Get("x-token") == c.Get("X-Token") {
		t.Fatal("nil secret must mean the default secret key \"lovrabet\"")
	}
	batch, err := def.Batch("app", []Dataset{{"users", "ds-1"}, {"orders", "ds-2"}}, at)
	if err != nil || len(batch) != 2 || batch[1].Name != "orders" {
		t.Fatalf("%v %v", batch, err)
	}
	if batch[0].Token.Get("X-Token") != a.Get("X-Token") || batch[0].Token.Signed != a.Signed {
		t.Fatal("batch entry differs from the single token")
	}
	if batch[1].Token.Get("X-Dataset-Code") != "ds-2" {
		t.Fatal("batch order")
	}
	_, err = def.Batch("app", []Dataset{{"u", "a"}, {"u", "b"}}, at)
	wantErr(t, err, ErrInvalidInput, "twice")
	empty, err := def.Batch("app", nil, at)
	if err != nil || len(empty) != 0 {
		t.Fatalf("empty batch: %v %v", empty, err)
	}
}

func TestJetLinksResponseAndTokenRequest(t *testing.T) {
	j, _ := NewJetLinks("testId", []byte("xHZ2MyCG5TEdntyFhX72Gx6K"), JetLinksMD5)
	sign, err := j.SignResponse([]byte(`{"a":1}`), "123")
	if err != nil || len(sign) != 32 {
		t.Fatalf("%q %v", sign, err)
	}
	for body, want := range map[string]bool{`{"a":1}`: true, `{"a":2}`: false} {
		if ok, err := j.VerifyResponse([]byte(body), "123", strings.ToUpper(sign)); ok != want || err != nil {
			t.Errorf("%s: %v %v", body, ok, err)
		}
	}
	tr, err := j.TokenRequest(2*time.Hour, time.UnixMilli(1587719082698))
	if err != nil || string(tr.Body) != `{"expires":7200}` {
		t.Fatalf("%v %v", tr, err)
	}
	direct, _ := j.Sign(Request{Method: "POST", URL: "/api/v1/token", Body: tr.Body, ContentType: "application/json"}, time.UnixMilli(1587719082698))
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
	j, _ := NewJetLinks("testId", []byte("testSecure"), JetLinksMD5)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				sig, err := j.Sign(Request{Method: "GET", URL: "/api/device?pageSize=20&pageIndex=0"}, time.UnixMilli(1574993804802))
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
	j, err := NewJetLinks(id, []byte("testSecure"), JetLinksMD5)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := j.Sign(Request{Method: "GET", URL: "/api/device?pageSize=20&pageIndex=0"}, time.UnixMilli(1574993804802))
	if err != nil || sig.Get("X-Client-Id") != id || sig.Signed != "pageIndex=0&pageSize=20" || sig.Body != nil {
		t.Fatalf("%v %v", sig, err)
	}
	short, _ := NewJetLinks("testId", []byte("testSecure"), JetLinksMD5)
	want, _ := short.Sign(Request{Method: "GET", URL: "/api/device?pageSize=20&pageIndex=0"}, time.UnixMilli(1574993804802))
	if sig.Get("X-Timestamp") != want.Get("X-Timestamp") || len(sig.Headers) != 3 {
		t.Fatalf("%v", sig.Headers)
	}
	// A 1 MiB raw body is the signed string: sized up front from the body length.
	body := []byte(strings.Repeat("x", 1<<20))
	big, err := short.Sign(Request{Method: "POST", URL: "/api/device", Body: body, ContentType: "text/plain"}, time.UnixMilli(1))
	if err != nil || big.Signed != string(body) {
		t.Fatalf("big body: %v", err)
	}
}
