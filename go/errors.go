package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"
)

// Code is a stable result code, identical to the C ABI's apisign_result and the Rust
// ErrorKind::code(). Codes are never reused.
type Code uint32

// Result codes (see include/apisign.h).
const (
	CodeInvalidInput  Code = C.APISIGN_INVALID_INPUT
	CodeBareQueryKey  Code = C.APISIGN_BARE_QUERY_KEY
	CodeInvalidEscape Code = C.APISIGN_INVALID_ESCAPE
	CodeInvalidURL    Code = C.APISIGN_INVALID_URL
	CodeInvalidJSON   Code = C.APISIGN_INVALID_JSON
	CodeBadKey        Code = C.APISIGN_BAD_KEY
	CodeInputTooLarge Code = C.APISIGN_INPUT_TOO_LARGE
	CodeRNG           Code = C.APISIGN_RNG
	CodeCrypto        Code = C.APISIGN_CRYPTO
	// Verification rejections.
	CodeMissingAuth           Code = C.APISIGN_MISSING_AUTH
	CodeMalformedAuth         Code = C.APISIGN_MALFORMED_AUTH
	CodeUnknownCaller         Code = C.APISIGN_UNKNOWN_CALLER
	CodeUnknownDataset        Code = C.APISIGN_UNKNOWN_DATASET
	CodeAccessDenied          Code = C.APISIGN_ACCESS_DENIED
	CodeTimestampOutOfWindow  Code = C.APISIGN_TIMESTAMP_OUT_OF_WINDOW
	CodeSignatureInvalid      Code = C.APISIGN_SIGNATURE_INVALID
	CodeNonceReused           Code = C.APISIGN_NONCE_REUSED
	CodeNonceStoreFull        Code = C.APISIGN_NONCE_STORE_FULL
	CodeNonceStoreUnavailable Code = C.APISIGN_NONCE_STORE_UNAVAILABLE
	CodeIPNotAllowed          Code = C.APISIGN_IP_NOT_ALLOWED
	// Conditions of the C ABI itself.
	CodeNullPointer     Code = C.APISIGN_NULL_POINTER
	CodeBufferTooSmall  Code = C.APISIGN_BUFFER_TOO_SMALL
	CodeInvalidUTF8     Code = C.APISIGN_INVALID_UTF8
	CodePanic           Code = C.APISIGN_PANIC
	CodeIndexOutOfRange Code = C.APISIGN_INDEX_OUT_OF_RANGE
	CodeNotFound        Code = C.APISIGN_NOT_FOUND
)

// Name is the stable snake_case name of the code ("bad_key"…), as in the vectors and the CLI.
func (c Code) Name() string {
	var buf [64]byte
	var n C.size_t
	if C.apisign_result_name(C.apisign_result(c), (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &n) != C.APISIGN_OK {
		return "unknown"
	}
	return string(buf[:n])
}

// Error is an apisign failure: a stable code and a message naming the input to fix. Messages
// never contain secrets. Compare with errors.Is against the Err* values, or read Code.
type Error struct {
	Code    Code
	Message string
	// PlatformCode is what the real platform answers for a verification rejection (its own
	// error code or HTTP status, as the library's scheme spec gives it); "" otherwise.
	PlatformCode string
	// Status is the HTTP status to answer with: the platform's for a verifier's rejection
	// (401, 403…), 400 malformed input, 413 too large, 503 nonce store, 500 otherwise.
	Status int
	// answer is the platform's rejection, kept by Verifier.Verify (see Verifier.Rejection).
	answer *Rejection
}

func (e *Error) Error() string {
	return fmt.Sprintf("apisign: %s (%s)", e.Message, e.Code.Name())
}

// Is matches any *Error with the same code, so errors.Is(err, apisign.ErrBadKey) works.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code
}

// Sentinels for errors.Is: one for every code (TestEveryCodeHasASentinel checks the list
// against include/apisign.h).
var (
	ErrInvalidInput  = &Error{Code: CodeInvalidInput, Message: "invalid input"}
	ErrBareQueryKey  = &Error{Code: CodeBareQueryKey, Message: "bare query key"}
	ErrInvalidEscape = &Error{Code: CodeInvalidEscape, Message: "invalid escape"}
	ErrInvalidURL    = &Error{Code: CodeInvalidURL, Message: "invalid url"}
	ErrInvalidJSON   = &Error{Code: CodeInvalidJSON, Message: "invalid json"}
	ErrBadKey        = &Error{Code: CodeBadKey, Message: "bad key"}
	ErrInputTooLarge = &Error{Code: CodeInputTooLarge, Message: "input too large"}
	// ErrRNG: the operating system's random generator failed.
	ErrRNG = &Error{Code: CodeRNG, Message: "rng"}
	// ErrCrypto: a cryptographic operation failed unexpectedly.
	ErrCrypto = &Error{Code: CodeCrypto, Message: "crypto"}
	// Verification rejections.
	ErrMissingAuth          = &Error{Code: CodeMissingAuth, Message: "missing auth"}
	ErrMalformedAuth        = &Error{Code: CodeMalformedAuth, Message: "malformed auth"}
	ErrUnknownCaller        = &Error{Code: CodeUnknownCaller, Message: "unknown caller"}
	ErrUnknownDataset       = &Error{Code: CodeUnknownDataset, Message: "unknown dataset"}
	ErrAccessDenied         = &Error{Code: CodeAccessDenied, Message: "access denied"}
	ErrTimestampOutOfWindow = &Error{Code: CodeTimestampOutOfWindow, Message: "timestamp out of window"}
	ErrSignatureInvalid     = &Error{Code: CodeSignatureInvalid, Message: "signature invalid"}
	ErrNonceReused          = &Error{Code: CodeNonceReused, Message: "nonce reused"}
	// ErrNonceStoreFull: the nonce store refused to record a nonce (also what a NonceStore
	// returns, or wraps, to report that it is full).
	ErrNonceStoreFull = &Error{Code: CodeNonceStoreFull, Message: "nonce store full"}
	// ErrNonceStoreUnavailable: the nonce store failed, so the request was refused.
	ErrNonceStoreUnavailable = &Error{Code: CodeNonceStoreUnavailable, Message: "nonce store unavailable"}
	// ErrIpNotAllowed: the caller is authentic but its address is not in its allowed_ips.
	ErrIpNotAllowed = &Error{Code: CodeIPNotAllowed, Message: "ip not allowed"}
	// Conditions of the C ABI itself (a Go caller sees them only on a binding defect).
	ErrNullPointer     = &Error{Code: CodeNullPointer, Message: "null pointer"}
	ErrBufferTooSmall  = &Error{Code: CodeBufferTooSmall, Message: "buffer too small"}
	ErrInvalidUTF8     = &Error{Code: CodeInvalidUTF8, Message: "invalid utf-8"}
	ErrPanic           = &Error{Code: CodePanic, Message: "panic"}
	ErrIndexOutOfRange = &Error{Code: CodeIndexOutOfRange, Message: "index out of range"}
	ErrNotFound        = &Error{Code: CodeNotFound, Message: "not found"}
)

// sentinels lists every Err* value above, in code order.
var sentinels = []*Error{
	ErrInvalidInput, ErrBareQueryKey, ErrInvalidEscape, ErrInvalidURL, ErrInvalidJSON, ErrBadKey,
	ErrInputTooLarge, ErrRNG, ErrCrypto,
	ErrMissingAuth, ErrMalformedAuth, ErrUnknownCaller, ErrUnknownDataset, ErrAccessDenied,
	ErrTimestampOutOfWindow, ErrSignatureInvalid, ErrNonceReused, ErrNonceStoreFull,
	ErrNonceStoreUnavailable, ErrIpNotAllowed,
	ErrNullPointer, ErrBufferTooSmall, ErrInvalidUTF8, ErrPanic, ErrIndexOutOfRange, ErrNotFound,
}

// ErrClosed is returned by methods of a handle after Close.
var ErrClosed = errors.New("apisign: use of a closed signer, verifier or key")

func invalid(field, msg string) error {
	return &Error{Code: CodeInvalidInput, Message: field + ": " + msg}
}

// fromC turns a result code and optional error object into a Go error, freeing the object.
func fromC(rc C.apisign_result, e *C.apisign_error) error {
	if rc == C.APISIGN_OK {
		return nil
	}
	msg, platform := "", ""
	status := int(C.apisign_result_status(rc))
	if e != nil {
		status = int(C.apisign_error_status(e))
		var pbuf [128]byte
		var pn C.size_t
		if C.apisign_error_platform_code(e, (*C.uint8_t)(unsafe.Pointer(&pbuf[0])), C.size_t(len(pbuf)), &pn) == C.APISIGN_OK {
			platform = string(pbuf[:pn])
		}
		var n C.size_t
		if C.apisign_error_message(e, nil, 0, &n) == C.APISIGN_BUFFER_TOO_SMALL {
			buf := make([]byte, int(n))
			if C.apisign_error_message(e, (*C.uint8_t)(unsafe.Pointer(&buf[0])), n, &n) == C.APISIGN_OK {
				msg = string(buf[:n])
			}
		}
		C.apisign_error_free(e)
	}
	if msg == "" {
		var buf [256]byte
		var n C.size_t
		if C.apisign_result_message(rc, (*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &n) == C.APISIGN_OK {
			msg = string(buf[:n])
		}
	}
	return &Error{Code: Code(rc), Message: msg, PlatformCode: platform, Status: status}
}
