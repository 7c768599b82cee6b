#include "helpers.h"

#include <string.h>

#include "_cgo_export.h"

static apisign_request go_request(const uint8_t *m, size_t ml, const uint8_t *u, size_t ul,
                           const uint8_t *b, size_t bl, const uint8_t *ct, size_t ctl) {
  apisign_request r;
  memset(&r, 0, sizeof r); /* fields added later default to empty */
  r.method = m;
  r.method_len = ml;
  r.url = u;
  r.url_len = ul;
  r.body = b;
  r.body_len = bl;
  r.content_type = ct;
  r.content_type_len = ctl;
  return r;
}

/* A size query succeeds with OK (empty) or BUFFER_TOO_SMALL (the size is in *n). */
static int size_ok(apisign_result r) { return r == APISIGN_OK || r == APISIGN_BUFFER_TOO_SMALL; }

apisign_result go_sizes(const apisign_signature *sig, size_t *sizes) {
  size_t count = apisign_signature_header_count(sig);
  if (count > GO_MAX_HEADERS) return APISIGN_INDEX_OUT_OF_RANGE;
  sizes[GO_COUNT] = count;
  size_t header_bytes = 0;
  for (size_t i = 0; i < count; i++) {
    const uint8_t *name, *value;
    size_t nl, vl;
    apisign_result r = apisign_signature_header(sig, i, &name, &nl, &value, &vl);
    if (r != APISIGN_OK) return r;
    sizes[GO_HEADERS + 2 * i] = nl;
    sizes[GO_HEADERS + 2 * i + 1] = vl;
    header_bytes += nl + vl;
  }
  sizes[GO_HEADER_BYTES] = header_bytes;
  apisign_result r = apisign_signature_signed(sig, NULL, 0, &sizes[GO_SIGNED]);
  if (size_ok(r)) r = apisign_signature_body(sig, NULL, 0, &sizes[GO_BODY]);
  if (!size_ok(r)) return r;
  r = apisign_signature_secret_span(sig, &sizes[GO_SECRET_START], &sizes[GO_SECRET_END]);
  if (r != APISIGN_OK) return r;
  sizes[GO_TOTAL] = header_bytes + sizes[GO_SIGNED] + sizes[GO_BODY];
  return APISIGN_OK;
}

apisign_result go_copy(const apisign_signature *sig, uint8_t *buf, const size_t *sizes) {
  uint8_t *at = buf;
  for (size_t i = 0; i < sizes[GO_COUNT]; i++) {
    const uint8_t *name, *value;
    size_t nl, vl;
    apisign_result r = apisign_signature_header(sig, i, &name, &nl, &value, &vl);
    if (r != APISIGN_OK) return r;
    memcpy(at, name, nl);
    memcpy(at + nl, value, vl);
    at += nl + vl;
  }
  size_t n = 0;
  apisign_result rc = APISIGN_OK;
  if (sizes[GO_SIGNED] > 0) rc = apisign_signature_signed(sig, at, sizes[GO_SIGNED], &n);
  at += sizes[GO_SIGNED];
  if (rc == APISIGN_OK && sizes[GO_BODY] > 0)
    rc = apisign_signature_body(sig, at, sizes[GO_BODY], &n);
  return rc;
}

apisign_result go_collect_free(apisign_signature *sig, uint8_t *buf, const size_t *sizes) {
  apisign_result rc = go_copy(sig, buf, sizes);
  apisign_signature_free(sig);
  return rc;
}

apisign_result go_sign(const apisign_signer *s, const uint8_t *m, size_t ml, const uint8_t *u,
                       size_t ul, const uint8_t *b, size_t bl, const uint8_t *ct, size_t ctl,
                       uint64_t ts, const uint8_t *n, size_t nl, uint32_t flags,
                       apisign_signature **sig, apisign_error **err, uint8_t *buf, size_t len,
                       size_t *sizes) {
  apisign_request r = go_request(m, ml, u, ul, b, bl, ct, ctl);
  apisign_sign_options o;
  memset(&o, 0, sizeof o);
  o.timestamp_ms = ts;
  o.nonce = n;
  o.nonce_len = nl;
  o.flags = flags;
  apisign_result rc = apisign_sign(s, &r, &o, sig, err);
  if (rc != APISIGN_OK) return rc;
  rc = go_sizes(*sig, sizes);
  if (rc == APISIGN_OK && sizes[GO_TOTAL] > len) return rc; /* Go collects it (second call) */
  if (rc == APISIGN_OK) rc = go_copy(*sig, buf, sizes);
  apisign_signature_free(*sig);
  *sig = NULL;
  return rc;
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
