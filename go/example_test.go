package apisign_test

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"apisign"
)

func ExampleJetLinks_Sign() {
	signer, err := apisign.NewJetLinks("testId", []byte("testSecure"), apisign.JetLinksMD5)
	if err != nil {
		panic(err)
	}
	defer signer.Close()
	sig, err := signer.Sign(apisign.Request{Method: "GET", URL: "/api/device?pageSize=20&pageIndex=0"},
		time.UnixMilli(1574993804802))
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

func ExampleJetLinksTransport() {
	signer, err := apisign.NewJetLinks("testId", []byte("testSecure"), apisign.JetLinksMD5)
	if err != nil {
		panic(err)
	}
	// Every request this client sends is signed (on a clone) with the current time.
	client := &http.Client{Transport: &apisign.JetLinksTransport{Signer: signer}}
	_ = client // client.Get("https://jetlinks.example.com/api/device?pageSize=20")
	// Output:
}

func ExampleNewPieMDMVerifierWithOptions() {
	app, err := apisign.NewPieMDM("app_592837482", []byte("test_secret_123456"))
	if err != nil {
		panic(err)
	}
	creds, err := apisign.NewCredentials()
	if err == nil {
		err = creds.AddPieMDM(app)
	}
	if err != nil {
		panic(err)
	}
	// StrictQuery: refuse query parameters the signature does not cover ("admin=1;").
	v, err := apisign.NewPieMDMVerifierWithOptions(creds, apisign.VerifierOptions{StrictQuery: true})
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
	_, err = v.Verify("GET", url+"&admin=1;", h, nil, now)
	var e *apisign.Error
	if errors.As(err, &e) {
		fmt.Println("tampered:", e.PlatformCode)
	}
	who, err := v.Verify("GET", url, h, nil, now)
	if err != nil {
		panic(err)
	}
	fmt.Println("caller:", who.Caller)
	// Output:
	// tampered: AUTH_SIGNATURE_INVALID
	// caller: app_592837482
}
