package apisign

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// The latency Middleware adds per request: the same app and the same signed requests from a
// local client loop, once behind the middleware and once without it (the client signs in
// both, so the difference is the server side). Compare the ns/op of the pair.
func benchApp(b *testing.B, wrap bool) http.Handler {
	creds, _ := NewCredentials()
	if err := creds.Add(PieMDM, pieParams...); err != nil {
		b.Fatal(err)
	}
	v, err := NewVerifier(PieMDM, creds, VerifierOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var app http.Handler = echo(new(atomic.Int32))
	if wrap {
		mw, err := Middleware(MiddlewareOptions{Verifier: v})
		if err != nil {
			b.Fatal(err)
		}
		app = mw(app)
	}
	return app
}

func benchServer(b *testing.B, wrap bool) {
	srv := httptest.NewServer(benchApp(b, wrap))
	defer srv.Close()
	s := mustSigner(b, PieMDM, pieParams...)
	body := []byte(`{"name":"widget","tags":["a","b"],"n":42}`)
	client := srv.Client()
	b.ResetTimer()
	for range b.N {
		req := signedRequest(b, s, srv, "POST", "/openapi/v1/entities/product?page=1", body)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(got, body) {
			b.Fatalf("%d %q", resp.StatusCode, got)
		}
	}
}

func BenchmarkServerWithoutMiddleware(b *testing.B) { benchServer(b, false) }
func BenchmarkServerWithMiddleware(b *testing.B)    { benchServer(b, true) }

// The same pair in-process (httptest.NewRecorder, no sockets): the server-side cost alone.
func benchInProcess(b *testing.B, wrap bool) {
	app := benchApp(b, wrap)
	s := mustSigner(b, PieMDM, pieParams...)
	body := []byte(`{"name":"widget","tags":["a","b"],"n":42}`)
	const target = "/openapi/v1/entities/product?page=1"
	b.ResetTimer()
	for range b.N {
		sig, err := s.Sign(Request{Method: "POST", URL: target, Body: body, ContentType: "application/json"}, SignOptions{})
		if err != nil {
			b.Fatal(err)
		}
		req := httptest.NewRequest("POST", target, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for _, h := range sig.Headers {
			req.Header.Set(h.Name, h.Value)
		}
		w := httptest.NewRecorder()
		app.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

func BenchmarkInProcessWithoutMiddleware(b *testing.B) { benchInProcess(b, false) }
func BenchmarkInProcessWithMiddleware(b *testing.B)    { benchInProcess(b, true) }
