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

// verdict runs a C check that writes a yes/no answer to *valid: (answer, nil), or the error.
func verdict(check func(valid *C.bool, e **C.apisign_error) C.apisign_result) (bool, error) {
	var valid C.bool
	var e *C.apisign_error
	if err := fromC(check(&valid, &e), e); err != nil {
		return false, err
	}
	return bool(valid), nil
}

// nonNil stands in for an empty but present input: C sees a non-NULL pointer with length 0.
var nonNil byte

// str passes a Go string to C as (ptr, len); "" is NULL with length 0. The bytes are only read
// during the call and contain no Go pointers, as cgo requires.
func str(s string) (*C.uint8_t, C.size_t) {
	if len(s) == 0 {
		return nil, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(unsafe.StringData(s))), C.size_t(len(s))
}

// bytesArg passes a byte slice to C; nil and empty are both NULL with length 0.
func bytesArg(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// pin passes a Go string that C reads through a struct (C memory) during a call; the
// caller unpins after the call.
func pin(p *runtime.Pinner, s string) (*C.uint8_t, C.size_t) {
	if len(s) == 0 {
		return nil, 0
	}
	ptr := unsafe.StringData(s)
	p.Pin(ptr)
	return (*C.uint8_t)(unsafe.Pointer(ptr)), C.size_t(len(s))
}

// pinBytes is pin for bytes; a non-nil empty slice is "given but empty" (a non-NULL pointer).
func pinBytes(p *runtime.Pinner, b []byte) (*C.uint8_t, C.size_t) {
	switch {
	case b == nil:
		return nil, 0
	case len(b) == 0:
		return (*C.uint8_t)(unsafe.Pointer(&nonNil)), 0
	}
	p.Pin(&b[0])
	return (*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// millis converts t to Unix milliseconds; times before 1970 are rejected.
func millis(t time.Time, field string) (C.uint64_t, error) {
	ms := t.UnixMilli()
	if ms < 0 {
		return 0, invalid(field, "is before 1970; use a Unix time")
	}
	return C.uint64_t(ms), nil
}

// Version is the version of the linked C library, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.apisign_version())
}
