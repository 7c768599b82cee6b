package apisign

import (
	"crypto/rand"
	"encoding/hex"
)

// NewNonce returns 32 lowercase hex characters (128 bits) from crypto/rand, the nonce shape
// the library itself generates when SignOptions.Nonce is "".
func NewNonce() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", &Error{Code: CodeRNG, Message: "the OS random generator failed: " + err.Error()}
	}
	return hex.EncodeToString(b[:]), nil
}
