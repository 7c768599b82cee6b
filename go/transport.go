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

// Transport is an http.RoundTripper that signs every request with Signer, at the time Now
// gives and with a nonce from Nonce (for schemes that send one), then sends it with Base.
type Transport struct {
	Signer *Signer
	// Base sends the signed request; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Now is the clock; nil means the library's clock.
	Now func() time.Time
	// Nonce makes nonces; nil means a fresh 32-hex-character nonce from the OS CSPRNG (as
	// NewNonce makes), drawn by the library.
	Nonce func() (string, error)
	// CheckResponses (strict mode) checks every response's signature for a scheme whose
	// platform signs responses: RoundTrip returns an *Error matching
	// ErrSignatureInvalid for a response that does not match, instead of the response. The
	// body is read (at most DefaultMaxBodyBytes) and handed back unchanged.
	CheckResponses bool
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	out, err := signedClone(req, func(r Request) ([]Header, error) {
		var opts SignOptions
		if t.Now != nil {
			opts.Time = t.Now()
		}
		if t.Nonce != nil {
			n, err := t.Nonce()
			if err != nil {
				return nil, err
			}
			if n == "" {
				return nil, invalid("nonce", "the Nonce function returned an empty nonce")
			}
			opts.Nonce = n
		}
		sig, err := t.Signer.Sign(r, opts)
		if err != nil {
			return nil, err
		}
		return sig.Headers, nil
	})
	if err != nil {
		return nil, err
	}
	resp, err := base(t.Base).RoundTrip(out)
	if err != nil || !t.CheckResponses {
		return resp, err
	}
	if err := t.checkResponse(resp); err != nil {
		resp.Body.Close()
		return nil, err
	}
	return resp, nil
}

// checkResponse verifies resp's signature over its body, which it puts back for the caller.
func (t *Transport) checkResponse(resp *http.Response) error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, DefaultMaxBodyBytes+1))
	resp.Body.Close()
	if err != nil {
		return err
	}
	if len(body) > DefaultMaxBodyBytes {
		return &Error{Code: CodeInputTooLarge, Status: http.StatusRequestEntityTooLarge,
			Message: "response body: too large to check its signature"}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return t.Signer.VerifyResponse(resp.Header, body)
}
