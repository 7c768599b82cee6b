package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"errors"
	"math"
	"runtime/cgo"
	"time"
	"unsafe"
)

// NonceStore records nonces so each is accepted only once while it is live: plug in a store
// shared by several server instances (e.g. Redis with SET NX EX) through
// VerifierOptions.NonceStore.
//
// CheckAndRecord records key for ttl from now and reports whether it was unused (fresh: this
// request wins) or already recorded and live (a replay). It must be atomic (of several
// concurrent calls with one key exactly one sees true) and safe for concurrent use; a shared
// store may use its own clock instead of now. A recorded key must stay live until at least
// now+ttl-1s (the verifier's ttl is computed for exactly that; expiring earlier re-opens
// replay). Verifiers call it only after the signature
// verified. An error rejects the request (CodeNonceStoreUnavailable, or CodeNonceStoreFull
// when the error matches ErrNonceStoreFull): a failing store never admits a request.
type NonceStore interface {
	CheckAndRecord(key string, ttl time.Duration, now time.Time) (fresh bool, err error)
}

// goNonceCheckAndRecord is the C callback behind every Go NonceStore (helpers.c passes the
// cgo.Handle as userdata). It never lets a panic cross into C: a panicking store is an
// unavailable store.
//
//export goNonceCheckAndRecord
func goNonceCheckAndRecord(h C.uintptr_t, key *C.uint8_t, keyLen C.size_t, ttl, now C.uint64_t, fresh *C.bool) (rc C.apisign_result) {
	defer func() {
		if recover() != nil {
			rc = C.APISIGN_NONCE_STORE_UNAVAILABLE
		}
	}()
	store, ok := cgo.Handle(h).Value().(NonceStore)
	if !ok {
		return C.APISIGN_NONCE_STORE_UNAVAILABLE
	}
	k := string(unsafe.Slice((*byte)(unsafe.Pointer(key)), int(keyLen)))
	d := time.Duration(math.MaxInt64)
	if uint64(ttl) < uint64(math.MaxInt64/int64(time.Second)) {
		d = time.Duration(ttl) * time.Second
	}
	at := time.Unix(int64(min(uint64(now), math.MaxInt64)), 0)
	got, err := store.CheckAndRecord(k, d, at)
	switch {
	case errors.Is(err, ErrNonceStoreFull):
		return C.APISIGN_NONCE_STORE_FULL
	case err != nil:
		return C.APISIGN_NONCE_STORE_UNAVAILABLE
	}
	*fresh = C.bool(got)
	return C.APISIGN_OK
}

// goNonceStoreRelease runs when the last C verifier using the store is freed.
//
//export goNonceStoreRelease
func goNonceStoreRelease(h C.uintptr_t) {
	cgo.Handle(h).Delete()
}

// cNonceStore wraps a Go store in a C nonce store handle (the caller frees the handle; the
// cgo.Handle lives until C releases its last reference).
func cNonceStore(s NonceStore) (*C.apisign_nonce_store, error) {
	h := cgo.NewHandle(s)
	var out *C.apisign_nonce_store
	var e *C.apisign_error
	if err := fromC(C.go_nonce_store_new(C.uintptr_t(h), &out, &e), e); err != nil {
		h.Delete() // on failure C took nothing over
		return nil, err
	}
	return out, nil
}
