/* Tiny test harness shared by the C tests: counted checks and owned string fetches through the
 * public header's buffer protocol (size query, then copy). */
#ifndef APISIGN_TEST_CHECK_H
#define APISIGN_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apisign.h"

static int g_checks = 0;
static int g_failures = 0;

#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    g_checks++;                                                            \
    if (!(cond)) {                                                         \
      g_failures++;                                                        \
      fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);      \
      fprintf(stderr, __VA_ARGS__);                                        \
      fputc('\n', stderr);                                                 \
    }                                                                      \
  } while (0)

/* A byte span as (ptr, len) for the API's inputs. */
#define SPAN(s) (const uint8_t *)(s), strlen(s)

/* Every fetch in the API has this shape once the object and index are bound. */
typedef apisign_result (*fetch_fn)(const void *obj, size_t index, uint8_t *buf, size_t len,
                                   size_t *out_len);

/* Fetch into a fresh NUL-terminated string (caller frees); NULL when the call fails. Checks the
 * buffer protocol on the way: the size query reports exactly the length later written. */
static inline char *fetch(fetch_fn f, const void *obj, size_t index) {
  size_t needed = 12345;
  apisign_result rc = f(obj, index, NULL, 0, &needed);
  if (rc != APISIGN_OK && rc != APISIGN_BUFFER_TOO_SMALL) return NULL;
  if (rc == APISIGN_OK && needed != 0) return NULL;
  char *out = malloc(needed + 1);
  if (!out) abort();
  size_t written = 0;
  rc = f(obj, index, (uint8_t *)out, needed, &written);
  if (rc != APISIGN_OK || written != needed) {
    free(out);
    return NULL;
  }
  out[written] = '\0';
  return out;
}

/* Fetchers for the calls without an index. */
#define FETCH_WHOLE(fname, call)                                                           \
  static inline apisign_result fname(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) { \
    (void)i;                                                                               \
    return call(o, b, l, n);                                                               \
  }
FETCH_WHOLE(f_signed, apisign_signature_signed)
FETCH_WHOLE(f_body, apisign_signature_body)
FETCH_WHOLE(f_redacted, apisign_signature_signed_redacted)
FETCH_WHOLE(f_err, apisign_error_message)

static inline apisign_result f_name(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  return apisign_signature_header_name(o, i, b, l, n);
}
static inline apisign_result f_value(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  return apisign_signature_header_value(o, i, b, l, n);
}
static inline apisign_result f_code_name(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  (void)o;
  return apisign_result_name((apisign_result)i, b, l, n);
}
static inline apisign_result f_code_msg(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  (void)o;
  return apisign_result_message((apisign_result)i, b, l, n);
}
static inline apisign_result f_batch_name(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  return apisign_lovrabet_batch_name(o, i, b, l, n);
}

/* Named text parameters from `name, value, ..., NULL` (at most 8 pairs); returns the count. */
static inline size_t collect(apisign_param *p, va_list ap) {
  size_t n = 0;
  const char *name;
  while (n < 8 && (name = va_arg(ap, const char *)) != NULL) {
    const char *value = va_arg(ap, const char *);
    p[n] = (apisign_param){(const uint8_t *)name, strlen(name), (const uint8_t *)value,
                           value ? strlen(value) : 0};
    n++;
  }
  return n;
}

/* Inside a variadic function: the text parameters after `last` as `p[0..n]`. */
#define COLLECT(p, n, last) \
  apisign_param p[8];       \
  va_list ap;               \
  va_start(ap, last);       \
  size_t n = collect(p, ap); \
  va_end(ap)

/* apisign_signer_new with text parameters `name, value, ..., NULL`. */
static inline apisign_result signer_new(uint32_t scheme, apisign_signer **out,
                                        apisign_error **err, ...) {
  COLLECT(p, n, err);
  return apisign_signer_new(scheme, p, n, out, err);
}

/* apisign_credentials_add with text parameters `name, value, ..., NULL`. */
static inline apisign_result creds_add(apisign_credentials *c, uint32_t scheme,
                                       apisign_error **err, ...) {
  COLLECT(p, n, err);
  return apisign_credentials_add(c, scheme, p, n, err);
}

/* apisign_sign at `ts_ms` with `nonce` (NULL: random) and `flags`. */
static inline apisign_result sign_at(const apisign_signer *s, const apisign_request *r,
                                     uint64_t ts_ms, const char *nonce, uint32_t flags,
                                     apisign_signature **out, apisign_error **err) {
  apisign_sign_options o = {ts_ms, (const uint8_t *)nonce, nonce ? strlen(nonce) : 0, flags};
  return apisign_sign(s, r, &o, out, err);
}

/* A verifier of `scheme` over `c` with the scheme's defaults. */
static inline apisign_result verifier_new(uint32_t scheme, const apisign_credentials *c,
                                          apisign_verifier **out) {
  apisign_verifier_builder *b = NULL;
  apisign_result rc = apisign_verifier_builder_new(scheme, c, &b, NULL);
  if (rc == APISIGN_OK) rc = apisign_verifier_builder_build(b, out, NULL);
  apisign_verifier_builder_free(b);
  return rc;
}

/* Every header of `sig` as "Name: value\r\n" lines (through the zero-copy accessor); caller
 * frees. */
static inline char *header_lines(const apisign_signature *sig) {
  size_t count = apisign_signature_header_count(sig), cap = 1, at = 0;
  for (size_t i = 0; i < count; i++) {
    const uint8_t *n, *v;
    size_t nl, vl;
    if (apisign_signature_header(sig, i, &n, &nl, &v, &vl) != APISIGN_OK) return NULL;
    cap += nl + vl + 4;
  }
  char *out = malloc(cap);
  if (!out) abort();
  for (size_t i = 0; i < count; i++) {
    const uint8_t *n, *v;
    size_t nl, vl;
    apisign_signature_header(sig, i, &n, &nl, &v, &vl);
    at += (size_t)sprintf(out + at, "%.*s: %.*s\r\n", (int)nl, (const char *)n, (int)vl,
                          (const char *)v);
  }
  out[at] = '\0';
  return out;
}

/* The headers of `sig` as received headers (borrowed from `sig`); returns the count. */
static inline size_t received(const apisign_signature *sig, apisign_header *hs, size_t max) {
  size_t count = apisign_signature_header_count(sig), n = 0;
  for (size_t i = 0; i < count && n < max; i++, n++) {
    apisign_signature_header(sig, i, &hs[n].name, &hs[n].name_len, &hs[n].value,
                             &hs[n].value_len);
  }
  return n;
}

/* The stable name of a result code ("bad_key"…); caller frees. */
static inline char *code_name(apisign_result code) { return fetch(f_code_name, NULL, code); }

static inline int finish(const char *what) {
  printf("%s: %d checks, %d failures\n", what, g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}

#endif
