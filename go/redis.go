package apisign

/*
#include "helpers.h"
*/
import "C"

import (
	"math"
	"runtime"
	"strings"
	"time"
)

// RedisOptions configures the shared nonce stores. The zero value uses the defaults.
type RedisOptions struct {
	// Prefix goes before every key (default "apisign:nonce:"); share one Redis between
	// applications with different prefixes. A cluster refuses a prefix with '{' (a hash tag
	// would put every nonce on one master).
	Prefix string
	// Timeout bounds one check (cluster: each connection and each reply); 0 means 2 s. A
	// Redis that cannot answer in time refuses the request (ErrNonceStoreUnavailable).
	Timeout time.Duration
}

// nativeNonceStore is a store implemented by the library (Redis, Redis Cluster); verifiers use
// its C handle directly, without calling back into Go.
type nativeNonceStore struct {
	h *C.apisign_nonce_store
}

// CheckAndRecord implements NonceStore (verifiers do not go through it).
func (s *nativeNonceStore) CheckAndRecord(key string, ttl time.Duration, now time.Time) (bool, error) {
	var fresh C.bool
	var e *C.apisign_error
	k, kl := str(key)
	secs := uint64(max(ttl, time.Second) / time.Second)
	rc := C.apisign_nonce_store_check_and_record(s.h, k, kl, C.uint64_t(secs), C.uint64_t(max(now.Unix(), 0)), &fresh, &e)
	runtime.KeepAlive(s)
	runtime.KeepAlive(key)
	if err := fromC(rc, e); err != nil {
		return false, err
	}
	return bool(fresh), nil
}

func newNative(urls string, cluster bool, opts RedisOptions) (NonceStore, error) {
	if opts.Timeout < 0 {
		return nil, invalid("Timeout", "must not be negative")
	}
	var p *C.uint8_t
	var pl C.size_t
	if opts.Prefix != "" {
		p, pl = str(opts.Prefix)
	}
	ms := uint64(opts.Timeout / time.Millisecond)
	if opts.Timeout > 0 && ms == 0 {
		ms = 1
	}
	var h *C.apisign_nonce_store
	var e *C.apisign_error
	u, ul := str(urls)
	rc := C.apisign_nonce_store_new_redis(u, ul, C.bool(cluster), p, pl, C.uint64_t(min(ms, math.MaxInt64)), &h, &e)
	runtime.KeepAlive(opts.Prefix)
	runtime.KeepAlive(urls)
	if err := fromC(rc, e); err != nil {
		return nil, err
	}
	s := &nativeNonceStore{h: h}
	runtime.SetFinalizer(s, func(s *nativeNonceStore) { C.apisign_nonce_store_free(s.h) })
	return s, nil
}

// NewRedisNonceStore is a nonce store in Redis at url (redis://[:password@]host:port[/db]),
// shared by every server process that uses it (SET key 1 NX EX ttl, atomic). Connects on
// first use.
func NewRedisNonceStore(url string, opts RedisOptions) (NonceStore, error) {
	return newNative(url, false, opts)
}

// NewRedisClusterNonceStore is a nonce store in the Redis Cluster reachable at any of urls
// (seed nodes): each nonce is one key, recorded atomically on the master owning its slot.
func NewRedisClusterNonceStore(urls []string, opts RedisOptions) (NonceStore, error) {
	return newNative(strings.Join(urls, ","), true, opts)
}
