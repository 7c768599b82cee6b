/* C helpers for the Go binding: one cgo transition signs, sizes, copies the result into a Go
 * buffer and frees it (a second one only when the buffer was too small), and requests are assembled on the C side so no Go
 * pointer is stored in C-visible memory (cgo's pointer-passing rules). */
#ifndef APISIGN_GO_HELPERS_H
#define APISIGN_GO_HELPERS_H

#include <stdint.h>
#include <stdlib.h>

#include "apisign.h"

/* sizes[0] = header lines, sizes[1] = signed string, sizes[2] = body, sizes[3] = header count,
 * sizes[4..6] = the secret span of the signed string (start, end; 0, 0 when none), then
 * (name length, value length) per header, so Go slices the lines without parsing them. */
enum {
  GO_LINES = 0,
  GO_SIGNED = 1,
  GO_BODY = 2,
  GO_COUNT = 3,
  GO_SECRET_START = 4,
  GO_SECRET_END = 5,
  GO_HEADERS = 6,
  GO_MAX_HEADERS = 4
};
#define GO_SIZES (GO_HEADERS + 2 * GO_MAX_HEADERS)

apisign_result go_sizes(const apisign_signature *sig, size_t *sizes);
apisign_result go_copy(const apisign_signature *sig, uint8_t *buf, const size_t *sizes);
apisign_result go_collect_free(apisign_signature *sig, uint8_t *buf, const size_t *sizes);

apisign_result go_lovrabet_token(const apisign_lovrabet *g, const uint8_t *app, size_t app_len,
                                 const uint8_t *ds, size_t ds_len, uint64_t ts,
                                 apisign_signature **sig, apisign_error **err, uint8_t *buf, size_t len, size_t *sizes);

apisign_result go_jetlinks_sign(const apisign_jetlinks *s, const uint8_t *m, size_t ml,
                                const uint8_t *u, size_t ul, const uint8_t *b, size_t bl,
                                const uint8_t *ct, size_t ctl, uint64_t ts,
                                apisign_signature **sig, apisign_error **err, uint8_t *buf, size_t len, size_t *sizes);

apisign_result go_jetlinks_token_request(const apisign_jetlinks *s, int64_t expires,
                                         uint64_t ts, apisign_signature **sig,
                                         apisign_error **err, uint8_t *buf, size_t len, size_t *sizes);

apisign_result go_piemdm_sign(const apisign_piemdm *s, const uint8_t *m, size_t ml,
                              const uint8_t *u, size_t ul, const uint8_t *b, size_t bl,
                              uint64_t ts, const uint8_t *n, size_t nl, apisign_signature **sig,
                              apisign_error **err, uint8_t *buf, size_t len, size_t *sizes);

apisign_result go_piemdm_canonical(const uint8_t *m, size_t ml, const uint8_t *u, size_t ul,
                                   const uint8_t *b, size_t bl, uint64_t ts, const uint8_t *n,
                                   size_t nl, uint8_t *buf, size_t len, size_t *out_len,
                                   apisign_error **err);

apisign_result go_linksfield_sign_v2(const apisign_linksfield *s, const uint8_t *m, size_t ml,
                                     const uint8_t *u, size_t ul, const uint8_t *b, size_t bl,
                                     uint64_t ts, const uint8_t *n, size_t nl,
                                     apisign_signature **sig, apisign_error **err,
                                     uint8_t *buf, size_t len, size_t *sizes);

apisign_result go_linksfield_sign_v1(const apisign_linksfield *s, const uint8_t *m, size_t ml,
                                     const uint8_t *u, size_t ul, const uint8_t *b, size_t bl,
                                     const uint8_t *x, size_t xl, uint64_t ts, int64_t nonce,
                                     apisign_signature **sig, apisign_error **err,
                                     uint8_t *buf, size_t len, size_t *sizes);

/* A C nonce store whose callbacks call the Go NonceStore behind cgo.Handle `handle`. */
apisign_result go_nonce_store_new(uintptr_t handle, apisign_nonce_store **out,
                                  apisign_error **err);

#endif
