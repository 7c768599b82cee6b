package apisign

/*
#include "helpers.h"
*/
import "C"

import "time"

// Lifetime is when a token was issued and how long it lives, computed by the library so every
// language agrees on the edge cases.
type Lifetime struct {
	c C.apisign_lifetime
}

func ms(t time.Time) C.uint64_t {
	if m := t.UnixMilli(); m > 0 {
		return C.uint64_t(m)
	}
	return 0
}

// OAuth2Lifetime is the lifetime of an OAuth2 token whose response carried expires_in seconds.
func OAuth2Lifetime(issuedAt time.Time, expiresInSecs uint64) Lifetime {
	return Lifetime{C.apisign_lifetime_oauth2(ms(issuedAt), C.uint64_t(expiresInSecs))}
}

// ExpiresAt is the expiry time; ok is false for a token that never expires.
func (l Lifetime) ExpiresAt() (at time.Time, ok bool) {
	var out C.uint64_t
	if !C.apisign_lifetime_expires_at_ms(l.c, &out) {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(out)), true
}

// Remaining is the time left at now (0 once expired); ok is false for a token that never
// expires.
func (l Lifetime) Remaining(now time.Time) (left time.Duration, ok bool) {
	var out C.uint64_t
	if !C.apisign_lifetime_remaining_ms(l.c, ms(now), &out) {
		return 0, false
	}
	return time.Duration(out) * time.Millisecond, true
}

// IsExpired reports whether the token has expired at now (the expiry instant included).
func (l Lifetime) IsExpired(now time.Time) bool {
	return bool(C.apisign_lifetime_is_expired(l.c, ms(now)))
}

// IsExpiring reports whether less than buffer remains at now: time to refresh.
func (l Lifetime) IsExpiring(buffer time.Duration, now time.Time) bool {
	return bool(C.apisign_lifetime_is_expiring(l.c, C.uint64_t(buffer/time.Millisecond), ms(now)))
}
