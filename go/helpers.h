/* C helpers for the Go binding: one cgo transition signs, copies the headers (names and values
 * read with apisign_signature_header), the signed string and any body into a Go buffer, and
 * frees the signature (a second transition only when the buffer was too small). Requests are
 * assembled on the C side so no Go pointer is stored in C-visible memory (cgo's rules). */
#ifndef APISIGN_GO_HELPERS_H
#define APISIGN_GO_HELPERS_H

#include <stdint.h>
#include <stdlib.h>

#include "apisign.h"

/* sizes[]: total bytes (pairs + signed + body), pair bytes, signed string, body, header
 * count, parameter count, the secret span of the signed string (start, end; 0, 0 when none),
 * then (name length, value length) per pair: the headers, then the parameters the request
 * must also carry. The buffer holds name0 value0 name1 value1 … signed body, with no
 * separators, so Go slices it without parsing. */
enum {
  GO_TOTAL = 0,
  GO_PAIR_BYTES = 1,
  GO_SIGNED = 2,
  GO_BODY = 3,
  GO_COUNT = 4,
  GO_PARAM_COUNT = 5,
  GO_SECRET_START = 6,
  GO_SECRET_END = 7,
  GO_PAIRS = 8,
  /* More headers and parameters than any scheme sends; a signature with more is refused
   * (APISIGN_INDEX_OUT_OF_RANGE), not truncated. */
  GO_MAX_PAIRS = 8
};
#define GO_SIZES (GO_PAIRS + 2 * GO_MAX_PAIRS)

apisign_result go_sizes(const apisign_signature *sig, size_t *sizes);
apisign_result go_copy(const apisign_signature *sig, uint8_t *buf, const size_t *sizes);
apisign_result go_collect_free(apisign_signature *sig, uint8_t *buf, const size_t *sizes);

/* apisign_sign on the request (m, u, b, ct) with timestamp ts (ms; 0: the clock), nonce n
 * (NULL: a fresh one) and flags. When the result fits in buf[0..len] it is copied there and
 * freed (*sig = NULL); otherwise *sig is kept for go_collect_free into sizes[GO_TOTAL] bytes. */
apisign_result go_sign(const apisign_signer *s, const uint8_t *m, size_t ml, const uint8_t *u,
                       size_t ul, const uint8_t *b, size_t bl, const uint8_t *ct, size_t ctl,
                       uint64_t ts, const uint8_t *n, size_t nl, uint32_t flags,
                       apisign_signature **sig, apisign_error **err, uint8_t *buf, size_t len,
                       size_t *sizes);

/* A C nonce store whose callbacks call the Go NonceStore behind cgo.Handle `handle`. */
apisign_result go_nonce_store_new(uintptr_t handle, apisign_nonce_store **out,
                                  apisign_error **err);

#endif
