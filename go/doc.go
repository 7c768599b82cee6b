// Package apisign signs HTTP API requests for Lovrabet, JetLinks, PieMDM and Linksfield Cube by
// linking the apisign Rust library through its C ABI, so Go computes exactly the same bytes as
// the Rust, C, Python and CLI surfaces.
//
// Build the static library first (from the repository root):
//
//	scripts/build-c.sh   # writes target/c/lib/libapisign.a, which this package links
//
// Each signer holds parsed credentials and is safe for concurrent use. Signing takes the
// request as it will be sent and an explicit time (and nonce where the scheme has one). Sign
// and Token also return the string that was signed; SignHeaders, SignV2Headers and
// TokenHeaders return only the headers, in one cgo call and one allocation. The RoundTrippers
// (JetLinksTransport, …) use those, fill in the time from the clock and nonces from the OS
// CSPRNG, and sign a clone of every request an http.Client sends.
//
// Verifiers (NewPieMDMVerifierWithOptions, …) take VerifierOptions, including a NonceStore of
// your own (e.g. Redis) for replay protection shared between server instances.
package apisign
