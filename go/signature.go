package apisign

import (
	"fmt"
	"net/http"
	"strings"
)

// Request is an HTTP request exactly as it will be sent.
type Request struct {
	// Method, e.g. "GET".
	Method string
	// URL is the request target: a path with its raw query ("/api/device?pageSize=20"), or an
	// absolute http(s) URL whose scheme and host are ignored.
	URL string
	// Body is the exact body bytes.
	Body []byte
	// ContentType is the Content-Type header; "" when none is sent.
	ContentType string
}

// Header is one header to add.
type Header struct {
	Name, Value string
}

// Signature holds the headers to add, in the scheme's documented order, and (when asked for)
// the intermediate string that was signed.
type Signature struct {
	Headers []Header
	// Signed is the exact intermediate string the scheme digested or signed (SignOptions.Signed;
	// "" otherwise). It may hold secret material (the library marks which part): log
	// SignedRedacted, never Signed.
	Signed string
	// Params are (name, value) pairs the request must also carry in its query (or, where the
	// scheme says so, its body), e.g. a timestamp and nonce a scheme version sends there; nil
	// for most schemes.
	Params []Header
	// Body is a body the library built for the request (a token request); nil otherwise.
	Body []byte

	// secretStart, secretEnd: the byte range of Signed that is secret (as the core reports
	// it); empty when nothing is.
	secretStart, secretEnd int
}

// SignedRedacted is Signed with any secret part (as the library marks it) replaced by
// "<redacted>": safe to print or log.
func (s Signature) SignedRedacted() string {
	if s.secretEnd <= s.secretStart || s.secretEnd > len(s.Signed) {
		return s.Signed
	}
	return s.Signed[:s.secretStart] + "<redacted>" + s.Signed[s.secretEnd:]
}

// shownSignature is what fmt prints of a Signature: the same fields, the signed string redacted.
type shownSignature struct {
	Headers []Header
	Params  []Header
	Signed  string
	Body    []byte
}

// Format prints the signature with SignedRedacted in place of Signed under every verb, so no
// fmt or log call can leak a secret (%v, %+v, %#v and %s show the fields; other verbs are
// refused as fmt refuses a bad verb, since %x or %q of the raw fields would show the secret).
func (s Signature) Format(f fmt.State, verb rune) {
	shown := shownSignature{Headers: s.Headers, Params: s.Params, Signed: s.SignedRedacted(), Body: s.Body}
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprintf(f, "apisign.Signature{Headers:%#v, Params:%#v, Signed:%q, Body:%#v}", shown.Headers, shown.Params, shown.Signed, shown.Body)
	case verb == 'v' && f.Flag('+'):
		fmt.Fprintf(f, "%+v", shown)
	case verb == 'v' || verb == 's':
		fmt.Fprintf(f, "%v", shown)
	default:
		fmt.Fprintf(f, "%%!%c(apisign.Signature)", verb)
	}
}

// Get returns the value of header name (ASCII case-insensitive), or "".
func (s *Signature) Get(name string) string {
	for _, h := range s.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// Apply sets every header on h (replacing earlier values).
func (s *Signature) Apply(h http.Header) {
	for _, x := range s.Headers {
		h.Set(x.Name, x.Value)
	}
}
