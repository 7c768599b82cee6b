package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// The schemes, by registry id. This is the one Go file that names platforms: everything else
// is generic over Scheme. Parameter names (NewSigner, Credentials.Add) and verifier settings
// (VerifierOptions.Settings) are the core's, in src/schemes/<name>/scheme.rs; a wrong name is
// refused with the list of valid ones.
const (
	// Lovrabet tokens. Signer: app_code, dataset_code, access_key, secret_key (default
	// "lovrabet"). Credentials: app_code, access_key, secret_key, dataset (repeatable).
	Lovrabet Scheme = C.APISIGN_SCHEME_LOVRABET
	// JetLinks signatures. Signer and credentials: client_id, secure_key, algorithm (md5 or
	// sha256; default md5).
	JetLinks Scheme = C.APISIGN_SCHEME_JETLINKS
	// PieMDM signatures (X-Timestamp in seconds on the wire). Signer and credentials: app_id,
	// app_secret. Settings: strict_query, min_nonce_len.
	PieMDM Scheme = C.APISIGN_SCHEME_PIEMDM
	// Linksfield Cube signatures. Signer: key_id, private_key (PEM/DER), version (2.0 default,
	// 1.0 deprecated: its integer nonce is SignOptions.Nonce in decimal). Credentials: key_id,
	// public_key. Settings: accept_v1, track_nonces.
	Linksfield Scheme = C.APISIGN_SCHEME_LINKSFIELD
)

// JetLinksSignResponse is the X-Sign a JetLinks server puts on a response with this body and
// X-Timestamp; s must be a JetLinks signer.
func (s *Signer) JetLinksSignResponse(body []byte, timestamp string) (string, error) {
	if s.h == nil {
		return "", ErrClosed
	}
	var buf [128]byte
	var n C.size_t
	var e *C.apisign_error
	b, bl := bytesArg(body)
	t, tl := str(timestamp)
	rc := C.apisign_jetlinks_sign_response(s.h, b, bl, t, tl, (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &n, &e)
	runtime.KeepAlive(s)
	runtime.KeepAlive(body)
	if err := fromC(rc, e); err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// JetLinksVerifyResponse checks a JetLinks response's X-Sign against its body and X-Timestamp
// (constant time, hex case ignored). A wrong signature is (false, nil).
func (s *Signer) JetLinksVerifyResponse(body []byte, timestamp, sign string) (bool, error) {
	if s.h == nil {
		return false, ErrClosed
	}
	defer runtime.KeepAlive(s)
	defer runtime.KeepAlive(body)
	b, bl := bytesArg(body)
	t, tl := str(timestamp)
	sg, sgl := str(sign)
	return verdict(func(valid *C.bool, e **C.apisign_error) C.apisign_result {
		return C.apisign_jetlinks_verify_response(s.h, b, bl, t, tl, sg, sgl, valid, e)
	})
}

// JetLinksTokenRequest is the signed JetLinks access-token request POST /api/v1/token with
// body {"expires":<seconds>}; expires <= 0 asks for a token that never expires. The body to
// send is Signature.Body.
func (s *Signer) JetLinksTokenRequest(expires time.Duration, at time.Time) (*Signature, error) {
	if s.h == nil {
		return nil, ErrClosed
	}
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	var sig *C.apisign_signature
	var e *C.apisign_error
	rc := C.apisign_jetlinks_token_request(s.h, C.int64_t(expires/time.Second), ts, &sig, &e)
	runtime.KeepAlive(s)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	defer C.apisign_signature_free(sig)
	return copyOut(sig)
}

// JetLinksLifetime is the lifetime of a JetLinks access token requested with expires at
// issuedAt; expires <= 0 never expires.
func JetLinksLifetime(issuedAt time.Time, expires time.Duration) Lifetime {
	return Lifetime{C.apisign_lifetime_jetlinks(ms(issuedAt), C.int64_t(expires/time.Second))}
}

// LovrabetLifetime is the lifetime of a Lovrabet token signed at ts: 10 minutes.
func LovrabetLifetime(ts time.Time) Lifetime {
	return Lifetime{C.apisign_lifetime_lovrabet(ms(ts))}
}

// Dataset is one entry of a Lovrabet batch: a unique Name keying the result and its dataset
// Code.
type Dataset struct {
	Name, Code string
}

// NamedToken is one token of a Lovrabet batch.
type NamedToken struct {
	Name  string
	Token *Signature
}

// LovrabetBatch signs one Lovrabet token per dataset (the signer's app code and keys), all at
// the same time, in the given order; s must be a Lovrabet signer.
func (s *Signer) LovrabetBatch(datasets []Dataset, at time.Time) ([]NamedToken, error) {
	if s.h == nil {
		return nil, ErrClosed
	}
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	// The C array holds pointers to the strings, so it lives in C memory (cgo rules).
	n := len(datasets)
	var cds *C.apisign_dataset
	if n > 0 {
		cds = (*C.apisign_dataset)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(C.apisign_dataset{}))))
		defer C.free(unsafe.Pointer(cds))
	}
	pinner := new(runtime.Pinner)
	defer pinner.Unpin()
	list := unsafe.Slice(cds, n)
	for i, d := range datasets {
		list[i].name, list[i].name_len = pin(pinner, d.Name)
		list[i].code, list[i].code_len = pin(pinner, d.Code)
	}
	var b *C.apisign_lovrabet_batch
	var e *C.apisign_error
	rc := C.apisign_lovrabet_batch_new(s.h, cds, C.size_t(n), ts, &b, &e)
	runtime.KeepAlive(s)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	defer C.apisign_lovrabet_batch_free(b)
	out := make([]NamedToken, n)
	for i := range out {
		tok, err := copyOut(C.apisign_lovrabet_batch_get(b, C.size_t(i)))
		if err != nil {
			return nil, err
		}
		out[i] = NamedToken{Name: datasets[i].Name, Token: tok}
	}
	return out, nil
}

// PieMDMCanonicalRequest is the exact canonical request PieMDM signs for req at at (sent in
// whole seconds) with nonce: method, decoded path, canonical query, body SHA-256, timestamp
// and nonce joined by "\n". Bytes, because a decoded path may not be UTF-8.
func PieMDMCanonicalRequest(req Request, at time.Time, nonce string) ([]byte, error) {
	ts, err := millis(at, "timestamp")
	if err != nil {
		return nil, err
	}
	pinner := new(runtime.Pinner)
	defer pinner.Unpin()
	r := pinRequest(pinner, req)
	n, nl := str(nonce)
	buf := make([]byte, 256+len(req.URL)+len(nonce))
	for {
		var e *C.apisign_error
		var out C.size_t
		rc := C.apisign_piemdm_canonical_request(r, ts, n, nl, (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &out, &e)
		if rc == C.APISIGN_BUFFER_TOO_SMALL {
			C.apisign_error_free(e)
			buf = make([]byte, int(out))
			continue
		}
		runtime.KeepAlive(nonce)
		if err := fromC(rc, e); err != nil {
			return nil, err
		}
		return buf[:out], nil
	}
}
