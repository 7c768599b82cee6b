package apisign_test

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	apisign "github.com/apisign/apisign/go"
)

func ExampleSigner_Sign() {
	signer, err := apisign.NewSigner(apisign.JetLinks,
		apisign.P("client_id", "testId"), apisign.P("secure_key", "testSecure"))
	if err != nil {
		panic(err)
	}
	defer signer.Close()
	sig, err := signer.Sign(apisign.Request{Method: "GET", URL: "/api/device?pageSize=20&pageIndex=0"},
		apisign.SignOptions{Time: time.UnixMilli(1574993804802)})
	if err != nil {
		panic(err)
	}
	for _, h := range sig.Headers {
		fmt.Printf("%s: %s\n", h.Name, h.Value)
	}
	// Output:
	// X-Client-Id: testId
	// X-Timestamp: 1574993804802
	// X-Sign: 837fe7fa29e7a5e4852d447578269523
}

func ExampleTransport() {
	signer, err := apisign.NewSigner(apisign.JetLinks,
		apisign.P("client_id", "testId"), apisign.P("secure_key", "testSecure"))
	if err != nil {
		panic(err)
	}
	// Every request this client sends is signed (on a clone) with the current time.
	client := &http.Client{Transport: &apisign.Transport{Signer: signer}}
	_ = client // client.Get("https://jetlinks.example.com/api/device?pageSize=20")
	// Output:
}

func ExampleNewVerifier() {
	creds, err := apisign.NewCredentials()
	if err == nil {
		err = creds.Add(apisign.PieMDM,
			apisign.P("app_id", "app_592837482"), apisign.P("app_secret", "test_secret_123456"))
	}
	if err != nil {
		panic(err)
	}
	// strict_query: refuse query parameters the signature does not cover ("admin=1;").
	v, err := apisign.NewVerifier(apisign.PieMDM, creds, apisign.VerifierOptions{
		Settings: map[string]string{"strict_query": "true"},
	})
	if err != nil {
		panic(err)
	}
	h := http.Header{}
	h.Set("X-App-Id", "app_592837482")
	h.Set("X-Timestamp", "1705478400")
	h.Set("X-Nonce", "abc123xyz789")
	h.Set("X-Sign", "a35a515127fd2956cec0e7b80a01ba382c730f0283d03bd9a9dd170c6005bf2d")
	now := time.Unix(1705478400, 0) // time.Now() in a server
	url := "/openapi/v1/entities/product?page=1&pageSize=10"
	_, err = v.Verify(apisign.Incoming{Method: "GET", URL: url + "&admin=1;", Header: h}, now)
	var e *apisign.Error
	if errors.As(err, &e) {
		fmt.Println("tampered:", e.PlatformCode)
	}
	who, err := v.Verify(apisign.Incoming{Method: "GET", URL: url, Header: h}, now)
	if err != nil {
		panic(err)
	}
	fmt.Println("caller:", who.Caller)
	// Output:
	// tampered: AUTH_SIGNATURE_INVALID
	// caller: app_592837482
}
