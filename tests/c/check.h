/* Tiny test harness shared by the C tests: counted checks and owned string fetches through the
 * public header's buffer protocol (size query, then copy). */
#ifndef APISIGN_TEST_CHECK_H
#define APISIGN_TEST_CHECK_H

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

static inline apisign_result f_signed(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  (void)i;
  return apisign_signature_signed(o, b, l, n);
}
static inline apisign_result f_body(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  (void)i;
  return apisign_signature_body(o, b, l, n);
}
static inline apisign_result f_name(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  return apisign_signature_header_name(o, i, b, l, n);
}
static inline apisign_result f_value(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  return apisign_signature_header_value(o, i, b, l, n);
}
static inline apisign_result f_lines(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  (void)i;
  return apisign_signature_headers(o, b, l, n);
}
static inline apisign_result f_redacted(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  (void)i;
  return apisign_signature_signed_redacted(o, b, l, n);
}
static inline apisign_result f_err(const void *o, size_t i, uint8_t *b, size_t l, size_t *n) {
  (void)i;
  return apisign_error_message(o, b, l, n);
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

/* The stable name of a result code ("bad_key"…); caller frees. */
static inline char *code_name(apisign_result code) { return fetch(f_code_name, NULL, code); }

static inline int finish(const char *what) {
  printf("%s: %d checks, %d failures\n", what, g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}

#endif
