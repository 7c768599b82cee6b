package apisign

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Pure-Go implementations of three schemes, written the way a Go user would (crypto/hmac,
// crypto/md5, crypto/sha256, net/url), for the benchmarks below. They handle the benchmark
// inputs, not every edge case the library covers; TestPureGoMatchesLibrary proves they compute
// the same headers there, so the benchmarks compare equal work.

func pureLovrabet(accessKey string, secretKey []byte, app, ds string, at time.Time) []Header {
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	mac := hmac.New(sha256.New, secretKey)
	mac.Write([]byte("accessKey=" + accessKey + "&appCode=" + app + "&datasetCode=" + ds + "&timeStamp=" + ts))
	return []Header{{"X-App-Code", app}, {"X-Dataset-Code", ds}, {"X-Time-Stamp", ts},
		{"X-Token", base64.StdEncoding.EncodeToString(mac.Sum(nil))}}
}

func pureJetLinks(clientID string, secureKey []byte, req Request, at time.Time) []Header {
	u, _ := url.ParseRequestURI(req.URL)
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var params strings.Builder
	for i, k := range keys {
		if i > 0 {
			params.WriteByte('&')
		}
		params.WriteString(k + "=" + q[k][0])
	}
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	h := md5.New()
	h.Write([]byte(params.String()))
	h.Write([]byte(ts))
	h.Write(secureKey)
	return []Header{{"X-Client-Id", clientID}, {"X-Timestamp", ts}, {"X-Sign", hex.EncodeToString(h.Sum(nil))}}
}

func purePieMDM(appID string, secret []byte, req Request, at time.Time, nonce string) []Header {
	u, _ := url.ParseRequestURI(req.URL)
	ts := strconv.FormatInt(at.Unix(), 10)
	body := sha256.Sum256(req.Body)
	canonical := strings.Join([]string{strings.ToUpper(req.Method), u.Path, u.Query().Encode(),
		hex.EncodeToString(body[:]), ts, nonce}, "\n")
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(canonical))
	return []Header{{"X-App-Id", appID}, {"X-Timestamp", ts}, {"X-Nonce", nonce},
		{"X-Sign", hex.EncodeToString(mac.Sum(nil))}}
}

var (
	benchAt      = time.UnixMilli(1758903130713)
	benchGet     = Request{Method: "GET", URL: "/api/device?pageSize=20&pageIndex=0&terms=name&sorts=id"}
	benchPieMDM  = Request{Method: "POST", URL: "/openapi/v1/entities/product?page=1&pageSize=10", Body: []byte(`{"name":"widget","price":12.5,"tags":["a","b"]}`)}
	benchNonce   = "abc123xyz789abc123xyz789"
	benchSecret  = []byte("test_secret_123456")
	benchLovKey  = []byte("lovrabet")
	benchLovApp  = "app-c2dd52a2"
	benchLovDS   = "0fefba76fe29440194841f4825df53ff"
	benchLovAK   = "your-access-key"
	benchJetID   = "testId"
	benchJetKey  = []byte("testSecure")
	benchPieApp  = "app_592837482"
	benchPieTime = time.Unix(1705478400, 0)
)

func benchSigners(t testing.TB) (lov, jet, pie *Signer) {
	var err error
	if lov, err = NewSigner(Lovrabet, P("app_code", benchLovApp), P("dataset_code", benchLovDS), P("access_key", benchLovAK), Param{Name: "secret_key", Value: benchLovKey}); err != nil {
		t.Fatal(err)
	}
	if jet, err = NewSigner(JetLinks, P("client_id", benchJetID), Param{Name: "secure_key", Value: benchJetKey}); err != nil {
		t.Fatal(err)
	}
	if pie, err = NewSigner(PieMDM, P("app_id", benchPieApp), Param{Name: "app_secret", Value: benchSecret}); err != nil {
		t.Fatal(err)
	}
	return lov, jet, pie
}

var (
	benchAtOpts  = SignOptions{Time: benchAt}
	benchPieOpts = SignOptions{Time: benchPieTime, Nonce: benchNonce}
)

func TestPureGoMatchesLibrary(t *testing.T) {
	lov, jet, pie := benchSigners(t)
	for _, signed := range []bool{true, false} { // with the signed string, and headers only
		opts := benchAtOpts
		opts.Signed = signed
		sig, err := lov.Sign(Request{}, opts)
		if err != nil || !reflect.DeepEqual(sig.Headers, pureLovrabet(benchLovAK, benchLovKey, benchLovApp, benchLovDS, benchAt)) {
			t.Fatalf("lovrabet: %v %v", sig, err)
		}
		// And the documented token, so neither side is only checked against the other.
		if sig.Get("X-Token") != "Vu4Eis+j1LsKiHIC4Bg9mKmdTnMKulP285/iflQNpqY=" {
			t.Fatal("lovrabet: not the documented token")
		}
		sig, err = jet.Sign(benchGet, opts)
		if err != nil || !reflect.DeepEqual(sig.Headers, pureJetLinks(benchJetID, benchJetKey, benchGet, benchAt)) {
			t.Fatalf("jetlinks: %v %v", sig, err)
		}
		popts := benchPieOpts
		popts.Signed = signed
		sig, err = pie.Sign(benchPieMDM, popts)
		if err != nil || !reflect.DeepEqual(sig.Headers, purePieMDM(benchPieApp, benchSecret, benchPieMDM, benchPieTime, benchNonce)) {
			t.Fatalf("piemdm: %v %v", sig, err)
		}
	}
	seed := Request{Method: "GET", URL: "/api/device?pageSize=20&pageIndex=0"}
	if h := pureJetLinks("testId", []byte("testSecure"), seed, time.UnixMilli(1574993804802)); h[2].Value != "837fe7fa29e7a5e4852d447578269523" {
		t.Fatal("jetlinks: pure Go misses the published example")
	}
}

// benchSign runs the cgo signer with and without the signed string, and the pure-Go reference.
func benchSign(b *testing.B, s *Signer, req Request, opts SignOptions, pure func()) {
	signed := opts
	signed.Signed = true
	b.Run("cgo", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := s.Sign(req, signed); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cgo-headers", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := s.Sign(req, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("purego", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			pure()
		}
	})
}

func BenchmarkLovrabet(b *testing.B) {
	lov, _, _ := benchSigners(b)
	benchSign(b, lov, Request{}, benchAtOpts, func() { pureLovrabet(benchLovAK, benchLovKey, benchLovApp, benchLovDS, benchAt) })
}

func BenchmarkJetLinks(b *testing.B) {
	_, jet, _ := benchSigners(b)
	benchSign(b, jet, benchGet, benchAtOpts, func() { pureJetLinks(benchJetID, benchJetKey, benchGet, benchAt) })
}

func BenchmarkPieMDM(b *testing.B) {
	_, _, pie := benchSigners(b)
	benchSign(b, pie, benchPieMDM, benchPieOpts, func() { purePieMDM(benchPieApp, benchSecret, benchPieMDM, benchPieTime, benchNonce) })
}
