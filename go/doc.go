// Package apisign signs and verifies HTTP API requests by linking the apisign Rust library
// through its generic C ABI, so Go computes exactly the same bytes as the Rust, C, Python and
// CLI surfaces. The schemes it knows, and the parameters each takes, are listed in schemes.go.
//
// On linux/amd64 and linux/arm64 the module links the static library it bundles (go/lib/), so
// `go get github.com/apisign/apisign/go` needs cgo and a C compiler but no Rust toolchain.
// With -tags apisign_system it links the library installed on the machine (`cargo cinstall`),
// found through pkg-config, instead.
//
// A Signer (NewSigner(scheme, params...)) holds parsed credentials and is safe for concurrent
// use. Sign takes the request as it will be sent and SignOptions (time, nonce, whether to
// return the signed string); the zero options sign now, with a fresh nonce, headers only, in
// one cgo call. Transport signs a clone of every request an http.Client sends.
//
// A Verifier (NewVerifier(scheme, creds, VerifierOptions{…})) checks received requests
// against Credentials; VerifierOptions take a NonceStore of your own (e.g. Redis) for replay
// protection shared between server instances, and the scheme's settings by name.
package apisign
