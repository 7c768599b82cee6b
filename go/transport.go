package apisign

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// The RoundTrippers sign a clone of each request (a RoundTripper must not modify its input),
// over the exact bytes sent: the request target as written on the wire (URL.RequestURI) and the
// body, read without losing it (GetBody when set, otherwise read once and replayed).

// signedClone reads req's body, lets sign compute the headers over the wire request (the
// headers-only fast path: the signed string is never needed here), and returns a clone
// carrying them and a replayable copy of the body. It always closes
// req.Body, as RoundTrip must.
func signedClone(req *http.Request, sign func(Request) ([]Header, error)) (*http.Request, error) {
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	headers, err := sign(Request{
		Method:      req.Method,
		URL:         req.URL.RequestURI(),
		Body:        body,
		ContentType: req.Header.Get("Content-Type"),
	})
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	if body != nil {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		out.ContentLength = int64(len(body))
	}
	for _, h := range headers {
		out.Header.Set(h.Name, h.Value)
	}
	return out, nil
}

// readBody returns the body bytes (nil for no body) and closes req.Body.
func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	src := io.ReadCloser(req.Body)
	if req.GetBody != nil {
		// A fresh copy leaves the caller's body untouched for retries and redirects.
		fresh, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		defer fresh.Close()
		src = fresh
	}
	return io.ReadAll(src)
}

func base(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		return http.DefaultTransport
	}
	return rt
}

func now(f func() time.Time) time.Time {
	if f == nil {
		return time.Now()
	}
	return f()
}

// nonce calls f; without f it returns "", which the fast path answers with a fresh nonce from
// the OS CSPRNG (the same 32 hex characters NewNonce makes, drawn on the C side).
func nonce(f func() (string, error)) (string, error) {
	if f == nil {
		return "", nil
	}
	n, err := f()
	if err == nil && n == "" {
		return "", invalid("nonce", "the Nonce function returned an empty nonce")
	}
	return n, err
}

// LovrabetTransport adds a fresh Lovrabet token for one app and dataset to every request.
type LovrabetTransport struct {
	Generator   *Lovrabet
	AppCode     string
	DatasetCode string
	// Base sends the signed request; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// RoundTrip implements http.RoundTripper.
func (t *LovrabetTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out, err := signedClone(req, func(Request) ([]Header, error) {
		return t.Generator.TokenHeaders(t.AppCode, t.DatasetCode, now(t.Now))
	})
	if err != nil {
		return nil, err
	}
	return base(t.Base).RoundTrip(out)
}

// JetLinksTransport signs every request with a JetLinks signer.
type JetLinksTransport struct {
	Signer *JetLinks
	Base   http.RoundTripper
	Now    func() time.Time
}

// RoundTrip implements http.RoundTripper.
func (t *JetLinksTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out, err := signedClone(req, func(r Request) ([]Header, error) {
		return t.Signer.SignHeaders(r, now(t.Now))
	})
	if err != nil {
		return nil, err
	}
	return base(t.Base).RoundTrip(out)
}

// PieMDMTransport signs every request with a PieMDM signer and a fresh nonce.
type PieMDMTransport struct {
	Signer *PieMDM
	Base   http.RoundTripper
	Now    func() time.Time
	// Nonce makes nonces; nil means a fresh 32-hex-character nonce from the OS CSPRNG (as
	// NewNonce makes).
	Nonce func() (string, error)
}

// RoundTrip implements http.RoundTripper.
func (t *PieMDMTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out, err := signedClone(req, func(r Request) ([]Header, error) {
		n, err := nonce(t.Nonce)
		if err != nil {
			return nil, err
		}
		return t.Signer.SignHeaders(r, now(t.Now), n)
	})
	if err != nil {
		return nil, err
	}
	return base(t.Base).RoundTrip(out)
}

// LinksfieldTransport signs every request with signature version 2 and a fresh nonce.
type LinksfieldTransport struct {
	Signer *Linksfield
	Base   http.RoundTripper
	Now    func() time.Time
	Nonce  func() (string, error)
}

// RoundTrip implements http.RoundTripper.
func (t *LinksfieldTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	out, err := signedClone(req, func(r Request) ([]Header, error) {
		n, err := nonce(t.Nonce)
		if err != nil {
			return nil, err
		}
		return t.Signer.SignV2Headers(r, now(t.Now), n)
	})
	if err != nil {
		return nil, err
	}
	return base(t.Base).RoundTrip(out)
}
