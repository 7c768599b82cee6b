package apisign

import (
	"bytes"
	"fmt"
	"log"
	"strings"
	"testing"
	"time"
)

// No fmt verb or log call shows a Lovrabet access key held in a Signature (its Signed field
// carries it), directly, through a pointer, or nested in NamedToken and other values.
func TestSignatureRedactedUnderEveryVerb(t *testing.T) {
	const accessKey = "ak-very-secret-4711"
	g, err := NewSigner(Lovrabet, P("app_code", "app"), P("dataset_code", "ds"), P("access_key", accessKey))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	at := time.UnixMilli(1_700_000_000_000)
	sig, err := g.Sign(Request{}, SignOptions{Time: at, Signed: true})
	if err != nil {
		t.Fatal(err)
	}
	// The exact string still holds the key (what the platform signs)…
	if !strings.Contains(sig.Signed, accessKey) {
		t.Fatalf("Signed lacks the access key: %q", sig.Signed)
	}
	// …and the redacted one shows everything else.
	want := "accessKey=<redacted>&appCode=app&datasetCode=ds&timeStamp=1700000000000"
	if got := sig.SignedRedacted(); got != want {
		t.Fatalf("SignedRedacted = %q, want %q", got, want)
	}
	batch, err := g.LovrabetBatch([]Dataset{{Name: "n", Code: "ds"}}, at)
	if err != nil {
		t.Fatal(err)
	}
	wrapped := struct {
		S   *Signature
		Any interface{}
	}{sig, *sig}
	values := map[string]interface{}{
		"*Signature":   sig,
		"Signature":    *sig,
		"NamedToken":   batch[0],
		"[]NamedToken": batch,
		"struct":       wrapped,
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, accessKey) || strings.Contains(out, fmt.Sprintf("%x", accessKey)) {
				t.Errorf("%s of %s shows the access key: %s", verb, name, out)
			}
		}
	}
	// The shown form still names the headers and the redacted string.
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, sig)
		if !strings.Contains(out, "X-Token") || !strings.Contains(out, "<redacted>") {
			t.Errorf("%s: %s", verb, out)
		}
	}
	var buf bytes.Buffer
	logger := log.New(&buf, "", 0)
	logger.Println(sig, batch)
	logger.Printf("%+v", sig)
	if strings.Contains(buf.String(), accessKey) {
		t.Errorf("log shows the access key: %s", buf.String())
	}
}

// Signatures without secret material print their signed string unchanged.
func TestSignatureWithoutSecretPrintsSigned(t *testing.T) {
	p, err := NewSigner(PieMDM, P("app_id", "app"), P("app_secret", "s3cret-value"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	sig, err := p.Sign(Request{Method: "GET", URL: "/openapi/v1/x?a=1"}, SignOptions{Time: time.Unix(1_705_478_400, 0), Nonce: "0123456789abcdef", Signed: true})
	if err != nil {
		t.Fatal(err)
	}
	if sig.SignedRedacted() != sig.Signed {
		t.Fatalf("%q != %q", sig.SignedRedacted(), sig.Signed)
	}
	if out := fmt.Sprintf("%+v", sig); !strings.Contains(out, "GET\n/openapi/v1/x\na=1") || strings.Contains(out, "s3cret-value") {
		t.Fatalf("%s", out)
	}
}
