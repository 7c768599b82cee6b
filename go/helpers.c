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

/* The header and parameter pointers of one signature, borrowed from it. */
typedef struct {
  const uint8_t *name[GO_MAX_PAIRS], *value[GO_MAX_PAIRS];
} borrowed;

/* Sizes sig into sizes[] and borrows its pair pointers into h; with headers_only the signed
 * string is known to be empty (APISIGN_SIGN_HEADERS_ONLY), so it is not asked for. */
static apisign_result measure(const apisign_signature *sig, size_t *sizes, borrowed *h,
                              int headers_only) {
  size_t count = apisign_signature_header_count(sig);
  size_t params = apisign_signature_param_count(sig);
  if (count + params > GO_MAX_PAIRS) return APISIGN_INDEX_OUT_OF_RANGE;
  sizes[GO_COUNT] = count;
  sizes[GO_PARAM_COUNT] = params;
  size_t pair_bytes = 0;
  for (size_t i = 0; i < count + params; i++) {
    size_t *nl = &sizes[GO_PAIRS + 2 * i], *vl = &sizes[GO_PAIRS + 2 * i + 1];
    apisign_result r =
        i < count ? apisign_signature_header(sig, i, &h->name[i], nl, &h->value[i], vl)
                  : apisign_signature_param(sig, i - count, &h->name[i], nl, &h->value[i], vl);
    if (r != APISIGN_OK) return r;
    pair_bytes += *nl + *vl;
  }
  sizes[GO_PAIR_BYTES] = pair_bytes;
  sizes[GO_SIGNED] = sizes[GO_SECRET_START] = sizes[GO_SECRET_END] = 0;
  apisign_result r = APISIGN_OK;
  if (!headers_only) r = apisign_signature_signed(sig, NULL, 0, &sizes[GO_SIGNED]);
  if (size_ok(r)) r = apisign_signature_body(sig, NULL, 0, &sizes[GO_BODY]);
  if (!size_ok(r)) return r;
  if (!headers_only)
    r = apisign_signature_secret_span(sig, &sizes[GO_SECRET_START], &sizes[GO_SECRET_END]);
  if (r != APISIGN_OK) return r;
  sizes[GO_TOTAL] = pair_bytes + sizes[GO_SIGNED] + sizes[GO_BODY];
  return APISIGN_OK;
}

/* Copies what measure found into buf (sizes[GO_TOTAL] bytes). */
static apisign_result copy(const apisign_signature *sig, uint8_t *buf, const size_t *sizes,
                           const borrowed *h) {
  uint8_t *at = buf;
  for (size_t i = 0; i < sizes[GO_COUNT] + sizes[GO_PARAM_COUNT]; i++) {
    size_t nl = sizes[GO_PAIRS + 2 * i], vl = sizes[GO_PAIRS + 2 * i + 1];
    memcpy(at, h->name[i], nl);
    memcpy(at + nl, h->value[i], vl);
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

apisign_result go_sizes(const apisign_signature *sig, size_t *sizes) {
  borrowed h;
  return measure(sig, sizes, &h, 0);
}

apisign_result go_copy(const apisign_signature *sig, uint8_t *buf, const size_t *sizes) {
  borrowed h;
  size_t again[GO_SIZES];
  apisign_result rc = measure(sig, again, &h, 0);
  return rc == APISIGN_OK ? copy(sig, buf, sizes, &h) : rc;
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
  borrowed h;
  rc = measure(*sig, sizes, &h, (flags & APISIGN_SIGN_HEADERS_ONLY) != 0);
  if (rc == APISIGN_OK && sizes[GO_TOTAL] > len) return rc; /* Go collects it (second call) */
  if (rc == APISIGN_OK) rc = copy(*sig, buf, sizes, &h);
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
