package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"runtime"
	"time"
)

// PrivateKey is a parsed RSA private key for Linksfield signing. Safe for concurrent use.
type PrivateKey struct {
	h *C.apisign_linksfield_private_key
}

// ParsePrivateKey parses a PKCS#8 or PKCS#1 key: PEM, bare base64 DER, or DER bytes. Encrypted
// keys, public keys and keys under 1024 bits are rejected with ErrBadKey.
func ParsePrivateKey(key []byte) (*PrivateKey, error) {
	var h *C.apisign_linksfield_private_key
	var e *C.apisign_error
	k, kl := bytesArg(key)
	if err := fromC(C.apisign_linksfield_private_key_parse(k, kl, &h, &e), e); err != nil {
		return nil, err
	}
	p := &PrivateKey{h: h}
	runtime.SetFinalizer(p, (*PrivateKey).Close)
	return p, nil
}

// Close frees the key (signers made from it keep their own reference).
func (k *PrivateKey) Close() {
	if k.h != nil {
		C.apisign_linksfield_private_key_free(k.h)
		k.h = nil
	}
}

// Bits is the modulus size.
func (k *PrivateKey) Bits() int {
	defer runtime.KeepAlive(k)
	return int(C.apisign_linksfield_private_key_bits(k.h))
}

// PublicKey is the matching public key.
func (k *PrivateKey) PublicKey() (*PublicKey, error) {
	if k.h == nil {
		return nil, ErrClosed
	}
	var h *C.apisign_linksfield_public_key
	var e *C.apisign_error
	rc := C.apisign_linksfield_private_key_public(k.h, &h, &e)
	runtime.KeepAlive(k)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	return newPublicKey(h), nil
}

// PublicKey is a parsed RSA public key for checking Linksfield signatures. Safe for concurrent
// use.
type PublicKey struct {
	h *C.apisign_linksfield_public_key
}

func newPublicKey(h *C.apisign_linksfield_public_key) *PublicKey {
	p := &PublicKey{h: h}
	runtime.SetFinalizer(p, (*PublicKey).Close)
	return p
}

// ParsePublicKey parses an SPKI or PKCS#1 key: PEM, bare base64 DER, or DER bytes.
func ParsePublicKey(key []byte) (*PublicKey, error) {
	var h *C.apisign_linksfield_public_key
	var e *C.apisign_error
	k, kl := bytesArg(key)
	if err := fromC(C.apisign_linksfield_public_key_parse(k, kl, &h, &e), e); err != nil {
		return nil, err
	}
	return newPublicKey(h), nil
}

// Close frees the key.
func (k *PublicKey) Close() {
	if k.h != nil {
		C.apisign_linksfield_public_key_free(k.h)
		k.h = nil
	}
}

// Bits is the modulus size.
func (k *PublicKey) Bits() int {
	defer runtime.KeepAlive(k)
	return int(C.apisign_linksfield_public_key_bits(k.h))
}

// Verify reports whether signatureB64 (the part after "/" in "LF {keyId}/{sign}") is a valid
// SHA1withRSA signature of message. Malformed base64 is simply invalid.
func (k *PublicKey) Verify(message []byte, signatureB64 string) (bool, error) {
	if k.h == nil {
		return false, ErrClosed
	}
	var valid C.bool
	var e *C.apisign_error
	m, ml := bytesArg(message)
	s, sl := str(signatureB64)
	rc := C.apisign_linksfield_public_key_verify(k.h, m, ml, s, sl, &valid, &e)
	runtime.KeepAlive(k)
	if err := fromC(rc, e); err != nil {
		return false, err
	}
	return bool(valid), nil
}

// Linksfield signs requests for one Linksfield key id. Safe for concurrent use.
type Linksfield struct {
	h *C.apisign_linksfield
}

// NewLinksfield makes a signer for keyID with key (the key may be closed afterwards).
func NewLinksfield(keyID string, key *PrivateKey) (*Linksfield, error) {
	if key == nil || key.h == nil {
		return nil, ErrClosed
	}
	var h *C.apisign_linksfield
	var e *C.apisign_error
	id, idl := str(keyID)
	rc := C.apisign_linksfield_new(id, idl, key.h, &h, &e)
	runtime.KeepAlive(key)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	l := &Linksfield{h: h}
	runtime.SetFinalizer(l, (*Linksfield).Close)
	return l, nil
}

// Close frees the signer. It must not run concurrently with other calls on l.
func (l *Linksfield) Close() {
	if l.h != nil {
		C.apisign_linksfield_free(l.h)
		l.h = nil
	}
}

// SignV2 signs req with signature version 2 at time at with nonce (use NewNonce): headers
// Authorization, timestamp, nonce, X-LF-Signature-Type.
func (l *Linksfield) SignV2(req Request, at time.Time, nonce string) (*Signature, error) {
	if l.h == nil {
		return nil, ErrClosed
	}
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	m, ml := str(req.Method)
	u, ul := str(req.URL)
	b, bl := bytesArg(req.Body)
	n, nl := str(nonce)
	// The JSON message holds the params and body fields, plus a 1024-bit+ base64 signature.
	out := newOutBuf(len(req.URL) + len(req.Body) + 2*len(nonce) + 256)
	rc := C.go_linksfield_sign_v2(l.h, m, ml, u, ul, b, bl, ts, n, nl, &out.sig, &out.err, out.ptr(), out.len(), &out.sizes[0])
	runtime.KeepAlive(l)
	runtime.KeepAlive(req.Body)
	return out.result(rc)
}

// SignV1 signs req with the deprecated signature version 1 and an integer nonce. extraJSON (nil
// for none) is a JSON object of further typed parameters (path parameters). The caller must
// also send timestamp (as text) and nonce in the query (GET) or body.
func (l *Linksfield) SignV1(req Request, extraJSON []byte, at time.Time, nonce int64) (*Signature, error) {
	if l.h == nil {
		return nil, ErrClosed
	}
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	m, ml := str(req.Method)
	u, ul := str(req.URL)
	b, bl := bytesArg(req.Body)
	x, xl := presentBytes(extraJSON)
	out := newOutBuf(len(req.URL) + len(req.Body) + len(extraJSON) + 256)
	rc := C.go_linksfield_sign_v1(l.h, m, ml, u, ul, b, bl, x, xl, ts, C.int64_t(nonce), &out.sig, &out.err, out.ptr(), out.len(), &out.sizes[0])
	runtime.KeepAlive(l)
	runtime.KeepAlive(req.Body)
	runtime.KeepAlive(extraJSON)
	return out.result(rc)
}
