package apisign

/*
#include "helpers.h"
*/
import "C"

import "runtime"

// PrivateKey is a parsed RSA private key. Safe for concurrent use. Signers take keys as PEM or
// DER bytes (a Param); parse one here to check it or to get its public key.
type PrivateKey struct {
	h *C.apisign_private_key
}

// ParsePrivateKey parses a PKCS#8 or PKCS#1 key: PEM, bare base64 DER, or DER bytes. Encrypted
// keys, public keys and keys under 1024 bits are rejected with ErrBadKey.
func ParsePrivateKey(key []byte) (*PrivateKey, error) {
	var h *C.apisign_private_key
	var e *C.apisign_error
	k, kl := bytesArg(key)
	if err := fromC(C.apisign_private_key_parse(k, kl, &h, &e), e); err != nil {
		return nil, err
	}
	p := &PrivateKey{h: h}
	runtime.SetFinalizer(p, (*PrivateKey).Close)
	return p, nil
}

// Close frees the key.
func (k *PrivateKey) Close() {
	if k.h != nil {
		C.apisign_private_key_free(k.h)
		k.h = nil
	}
}

// Bits is the modulus size.
func (k *PrivateKey) Bits() int {
	defer runtime.KeepAlive(k)
	return int(C.apisign_private_key_bits(k.h))
}

// PublicKey is the matching public key.
func (k *PrivateKey) PublicKey() (*PublicKey, error) {
	if k.h == nil {
		return nil, ErrClosed
	}
	var h *C.apisign_public_key
	var e *C.apisign_error
	rc := C.apisign_private_key_public(k.h, &h, &e)
	runtime.KeepAlive(k)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	return newPublicKey(h), nil
}

// PublicKey is a parsed RSA public key. Safe for concurrent use.
type PublicKey struct {
	h *C.apisign_public_key
}

func newPublicKey(h *C.apisign_public_key) *PublicKey {
	p := &PublicKey{h: h}
	runtime.SetFinalizer(p, (*PublicKey).Close)
	return p
}

// ParsePublicKey parses an SPKI or PKCS#1 key: PEM, bare base64 DER, or DER bytes.
func ParsePublicKey(key []byte) (*PublicKey, error) {
	var h *C.apisign_public_key
	var e *C.apisign_error
	k, kl := bytesArg(key)
	if err := fromC(C.apisign_public_key_parse(k, kl, &h, &e), e); err != nil {
		return nil, err
	}
	return newPublicKey(h), nil
}

// Close frees the key.
func (k *PublicKey) Close() {
	if k.h != nil {
		C.apisign_public_key_free(k.h)
		k.h = nil
	}
}

// Bits is the modulus size.
func (k *PublicKey) Bits() int {
	defer runtime.KeepAlive(k)
	return int(C.apisign_public_key_bits(k.h))
}

// Verify reports whether signatureB64 (base64) is a valid SHA1withRSA signature of message.
// Malformed base64 is simply invalid.
func (k *PublicKey) Verify(message []byte, signatureB64 string) (bool, error) {
	if k.h == nil {
		return false, ErrClosed
	}
	defer runtime.KeepAlive(k)
	m, ml := bytesArg(message)
	s, sl := str(signatureB64)
	return verdict(func(valid *C.bool, e **C.apisign_error) C.apisign_result {
		return C.apisign_public_key_verify(k.h, m, ml, s, sl, valid, e)
	})
}
