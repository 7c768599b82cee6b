#include "helpers.h"

#include "_cgo_export.h"

static apisign_request req(const uint8_t *m, size_t ml, const uint8_t *u, size_t ul,
                           const uint8_t *b, size_t bl, const uint8_t *ct, size_t ctl) {
  apisign_request r = {m, ml, u, ul, b, bl, ct, ctl};
  return r;
}

/* A size query succeeds with OK (empty) or BUFFER_TOO_SMALL (the size is in *n). */
static int size_ok(apisign_result r) { return r == APISIGN_OK || r == APISIGN_BUFFER_TOO_SMALL; }

apisign_result go_sizes(const apisign_signature *sig, size_t *sizes) {
  apisign_result r = apisign_signature_headers(sig, NULL, 0, &sizes[GO_LINES]);
  if (size_ok(r)) r = apisign_signature_signed(sig, NULL, 0, &sizes[GO_SIGNED]);
  if (size_ok(r)) r = apisign_signature_body(sig, NULL, 0, &sizes[GO_BODY]);
  if (!size_ok(r)) return r;
  r = apisign_signature_secret_span(sig, &sizes[GO_SECRET_START], &sizes[GO_SECRET_END]);
  if (r != APISIGN_OK) return r;
  size_t count = apisign_signature_header_count(sig);
  if (count > GO_MAX_HEADERS) return APISIGN_INDEX_OUT_OF_RANGE;
  sizes[GO_COUNT] = count;
  for (size_t i = 0; i < count; i++) {
    r = apisign_signature_header_name(sig, i, NULL, 0, &sizes[GO_HEADERS + 2 * i]);
    if (size_ok(r)) r = apisign_signature_header_value(sig, i, NULL, 0, &sizes[GO_HEADERS + 2 * i + 1]);
    if (!size_ok(r)) return r;
  }
  return APISIGN_OK;
}

/* After a sign call: on success, size the result and, when it fits in buf[0..len], copy it there
 * and free it (*sig = NULL), so the common case costs Go a single cgo call. Otherwise *sig is
 * kept and Go allocates sizes[0]+sizes[1]+sizes[2] bytes for go_collect_free. */
static apisign_result finish(apisign_result rc, apisign_signature **sig, uint8_t *buf,
                             size_t len, size_t *sizes) {
  if (rc != APISIGN_OK) return rc;
  apisign_result r = go_sizes(*sig, sizes);
  if (r == APISIGN_OK && sizes[GO_LINES] + sizes[GO_SIGNED] + sizes[GO_BODY] > len) return r;
  if (r == APISIGN_OK) r = go_copy(*sig, buf, sizes);
  apisign_signature_free(*sig);
  *sig = NULL;
  return r;
}

apisign_result go_copy(const apisign_signature *sig, uint8_t *buf, const size_t *sizes) {
  size_t n = 0;
  apisign_result rc = apisign_signature_headers(sig, buf, sizes[GO_LINES], &n);
  if (rc == APISIGN_OK)
    rc = apisign_signature_signed(sig, buf + sizes[GO_LINES], sizes[GO_SIGNED], &n);
  if (rc == APISIGN_OK)
    rc = apisign_signature_body(sig, buf + sizes[GO_LINES] + sizes[GO_SIGNED], sizes[GO_BODY],
                                &n);
  return rc;
}

apisign_result go_collect_free(apisign_signature *sig, uint8_t *buf, const size_t *sizes) {
  apisign_result rc = go_copy(sig, buf, sizes);
  apisign_signature_free(sig);
  return rc;
}

apisign_result go_lovrabet_token(const apisign_lovrabet *g, const uint8_t *app, size_t app_len,
                                 const uint8_t *ds, size_t ds_len, uint64_t ts,
                                 apisign_signature **sig, apisign_error **err, uint8_t *buf, size_t len,
                                 size_t *sizes) {
  return finish(apisign_lovrabet_token(g, app, app_len, ds, ds_len, ts, sig, err), sig, buf, len, sizes);
}

apisign_result go_jetlinks_sign(const apisign_jetlinks *s, const uint8_t *m, size_t ml,
                                const uint8_t *u, size_t ul, const uint8_t *b, size_t bl,
                                const uint8_t *ct, size_t ctl, uint64_t ts,
                                apisign_signature **sig, apisign_error **err, uint8_t *buf, size_t len,
                                 size_t *sizes) {
  apisign_request r = req(m, ml, u, ul, b, bl, ct, ctl);
  return finish(apisign_jetlinks_sign(s, &r, ts, sig, err), sig, buf, len, sizes);
}

apisign_result go_jetlinks_token_request(const apisign_jetlinks *s, int64_t expires,
                                         uint64_t ts, apisign_signature **sig,
                                         apisign_error **err, uint8_t *buf, size_t len, size_t *sizes) {
  return finish(apisign_jetlinks_token_request(s, expires, ts, sig, err), sig, buf, len, sizes);
}

apisign_result go_piemdm_sign(const apisign_piemdm *s, const uint8_t *m, size_t ml,
                              const uint8_t *u, size_t ul, const uint8_t *b, size_t bl,
                              uint64_t ts, const uint8_t *n, size_t nl, apisign_signature **sig,
                              apisign_error **err, uint8_t *buf, size_t len, size_t *sizes) {
  apisign_request r = req(m, ml, u, ul, b, bl, NULL, 0);
  return finish(apisign_piemdm_sign(s, &r, ts, n, nl, sig, err), sig, buf, len, sizes);
}

apisign_result go_piemdm_canonical(const uint8_t *m, size_t ml, const uint8_t *u, size_t ul,
                                   const uint8_t *b, size_t bl, uint64_t ts, const uint8_t *n,
                                   size_t nl, uint8_t *buf, size_t len, size_t *out_len,
                                   apisign_error **err) {
  apisign_request r = req(m, ml, u, ul, b, bl, NULL, 0);
  return apisign_piemdm_canonical_request(&r, ts, n, nl, buf, len, out_len, err);
}

apisign_result go_linksfield_sign_v2(const apisign_linksfield *s, const uint8_t *m, size_t ml,
                                     const uint8_t *u, size_t ul, const uint8_t *b, size_t bl,
                                     uint64_t ts, const uint8_t *n, size_t nl,
                                     apisign_signature **sig, apisign_error **err,
                                     uint8_t *buf, size_t len, size_t *sizes) {
  apisign_request r = req(m, ml, u, ul, b, bl, NULL, 0);
  return finish(apisign_linksfield_sign_v2(s, &r, ts, n, nl, sig, err), sig, buf, len, sizes);
}

apisign_result go_linksfield_sign_v1(const apisign_linksfield *s, const uint8_t *m, size_t ml,
                                     const uint8_t *u, size_t ul, const uint8_t *b, size_t bl,
                                     const uint8_t *x, size_t xl, uint64_t ts, int64_t nonce,
                                     apisign_signature **sig, apisign_error **err,
                                     uint8_t *buf, size_t len, size_t *sizes) {
  apisign_request r = req(m, ml, u, ul, b, bl, NULL, 0);
  return finish(apisign_linksfield_sign_v1(s, &r, x, xl, ts, nonce, sig, err), sig, buf, len, sizes);
}

/* Trampolines from the C nonce store interface to the exported Go functions (noncestore.go). */
static apisign_result go_store_check(void *userdata, const uint8_t *key, size_t key_len,
                                     uint64_t ttl_secs, uint64_t now_secs, bool *fresh) {
  return goNonceCheckAndRecord((uintptr_t)userdata, (uint8_t *)key, key_len, ttl_secs, now_secs,
                               fresh);
}

static void go_store_release(void *userdata) { goNonceStoreRelease((uintptr_t)userdata); }

apisign_result go_nonce_store_new(uintptr_t handle, apisign_nonce_store **out,
                                  apisign_error **err) {
  return apisign_nonce_store_new_callback(go_store_check, (void *)handle, go_store_release, out,
                                          err);
}
