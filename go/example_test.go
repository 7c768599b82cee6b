package apisign_test

import (
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
