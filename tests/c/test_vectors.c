/* Runs every case of every JSON file in tests/vectors through the public C header only, and
 * fails on any case of an unknown scheme or kind (a new vector must not be skipped silently).
 * Usage: test_vectors <vectors dir> */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <inttypes.h>
#include <jansson.h>

#include "check.h"

static int g_cases = 0;

static const char *str(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A string field of a case; a missing one is a test failure, not a crash. */
static const char *need(json_t *obj, const char *key, const char *id) {
  const char *s = str(obj, key);
  CHECK(s != NULL, "%s: missing string field %s", id, key);
  return s ? s : "";
}

static uint64_t num(json_t *obj, const char *key, const char *id) {
  return strtoull(need(obj, key, id), NULL, 10);
}

/* Borrow a case's request as an apisign_request (its strings live as long as the JSON). */
static apisign_request request_of(json_t *c, const char *id) {
  json_t *r = json_object_get(c, "request");
  apisign_request req;
  memset(&req, 0, sizeof req);
  const char *m = need(r, "method", id), *u = need(r, "url", id), *b = need(r, "body", id);
  req.method = (const uint8_t *)m;
  req.method_len = strlen(m);
  req.url = (const uint8_t *)u;
  req.url_len = strlen(u);
  req.body = (const uint8_t *)b;
  req.body_len = json_string_length(json_object_get(r, "body"));
  const char *ct = str(r, "content_type");
  if (ct) {
    req.content_type = (const uint8_t *)ct;
    req.content_type_len = strlen(ct);
  }
  return req;
}

/* Compare a signing outcome with `expected`: the error kind, or every header (exact names, no
 * extra ones) and the named intermediate string. Frees sig and err. */
static void check_outcome(const char *id, apisign_result rc, apisign_signature *sig,
                          apisign_error *err, json_t *expected, const char *intermediate) {
  const char *want_error = str(expected, "error");
  if (want_error) {
    char *got = code_name(rc);
    CHECK(rc != APISIGN_OK && sig == NULL, "%s: expected error %s, got success", id, want_error);
    CHECK(got && strcmp(got, want_error) == 0, "%s: error %s, want %s", id, got, want_error);
    CHECK(err != NULL && apisign_error_code(err) == rc, "%s: error object missing", id);
    char *msg = fetch(f_err, err, 0);
    CHECK(msg && strlen(msg) > 0, "%s: empty error message", id);
    free(msg);
    free(got);
    apisign_error_free(err);
    return;
  }
  if (rc != APISIGN_OK) {
    char *msg = fetch(f_err, err, 0);
    CHECK(0, "%s: signing failed with %u: %s", id, rc, msg ? msg : "?");
    free(msg);
    apisign_error_free(err);
    return;
  }
  CHECK(err == NULL, "%s: error object set on success", id);
  json_t *headers = json_object_get(expected, "headers");
  size_t count = apisign_signature_header_count(sig);
  CHECK(count == json_object_size(headers), "%s: %zu headers, want %zu", id, count,
        json_object_size(headers));
  for (size_t i = 0; i < count; i++) {
    char *name = fetch(f_name, sig, i), *value = fetch(f_value, sig, i);
    const char *want = name ? str(headers, name) : NULL;
    CHECK(want != NULL, "%s: unexpected header %s", id, name ? name : "?");
    CHECK(want && value && strcmp(value, want) == 0, "%s: %s = %s, want %s", id, name, value,
          want);
    free(name);
    free(value);
  }
  const char *want_signed = str(expected, intermediate);
  if (want_signed) {
    char *got = fetch(f_signed, sig, 0);
    CHECK(got && strcmp(got, want_signed) == 0, "%s: %s\n got: %s\nwant: %s", id, intermediate,
          got, want_signed);
    free(got);
  }
  apisign_signature_free(sig);
}

/* The handle-free fast path (`*_sign_headers`, `apisign_lovrabet_token_headers`) for one case:
 * `call(ctx, buf, len, out_len, err)` runs it. First a size query (buf NULL, len 0), then a
 * call into a buffer of exactly the size reported. It must agree with the handle path
 * (`rc`/`sig`: the same error code, or byte-identical header lines) and with the vector's
 * expected headers. Does not free sig. */
typedef apisign_result (*fast_fn)(const void *ctx, uint8_t *buf, size_t len, size_t *out_len,
                                  apisign_error **err);
static int g_fast = 0;
static int g_unsigned = 0; /* cases that sign nothing (lifetimes, responses) or sign v1 */

static void check_fast(const char *id, fast_fn call, const void *ctx, apisign_result rc,
                       const apisign_signature *sig, json_t *expected) {
  g_fast++;
  size_t needed = 0, written = 0;
  apisign_error *err = NULL;
  apisign_result frc = call(ctx, NULL, 0, &needed, &err);
  if (rc != APISIGN_OK) {
    CHECK(frc == rc, "%s: fast path returned %u, handle path %u", id, frc, rc);
    CHECK(err != NULL && apisign_error_code(err) == frc, "%s: fast path error object", id);
    apisign_error_free(err);
    return;
  }
  CHECK(frc == APISIGN_BUFFER_TOO_SMALL && needed > 0, "%s: size query %u (%zu)", id, frc,
        needed);
  apisign_error_free(err);
  err = NULL;
  char *fast = malloc(needed + 1);
  if (!fast) abort();
  frc = call(ctx, (uint8_t *)fast, needed, &written, &err);
  CHECK(frc == APISIGN_OK && written == needed && err == NULL, "%s: fast path %u, %zu of %zu",
        id, frc, written, needed);
  apisign_error_free(err);
  if (frc != APISIGN_OK) {
    free(fast);
    return;
  }
  fast[written] = '\0';
  char *lines = fetch(f_lines, sig, 0);
  CHECK(lines && strcmp(lines, fast) == 0, "%s: fast path lines\n%s\ndiffer from handle path\n%s",
        id, fast, lines);
  free(lines);
  /* Every expected header is one of the lines, and there is nothing else. */
  const char *name;
  json_t *value;
  size_t total = 0;
  json_object_foreach(json_object_get(expected, "headers"), name, value) {
    char line[2048];
    int l = snprintf(line, sizeof line, "%s: %s\r\n", name, json_string_value(value));
    total += (size_t)l;
    CHECK(strstr(fast, line) != NULL, "%s: fast path lacks %s", id, line);
  }
  CHECK(total == written, "%s: fast path wrote %zu bytes, expected headers are %zu", id, written,
        total);
  free(fast);
}

struct lovrabet_ctx {
  const apisign_lovrabet *gen;
  const char *app, *ds;
  uint64_t ts;
};
static apisign_result fast_lovrabet(const void *c, uint8_t *b, size_t l, size_t *n,
                                    apisign_error **e) {
  const struct lovrabet_ctx *x = c;
  return apisign_lovrabet_token_headers(x->gen, SPAN(x->app), SPAN(x->ds), x->ts, b, l, n, e);
}

struct request_ctx {
  const void *signer;
  const apisign_request *req;
  uint64_t ts;
  const char *nonce;
};
static apisign_result fast_jetlinks(const void *c, uint8_t *b, size_t l, size_t *n,
                                    apisign_error **e) {
  const struct request_ctx *x = c;
  const apisign_request *r = x->req;
  return apisign_jetlinks_sign_headers(x->signer, r->method, r->method_len, r->url, r->url_len,
                                       r->body, r->body_len, r->content_type,
                                       r->content_type_len, x->ts, b, l, n, e);
}
static apisign_result fast_piemdm(const void *c, uint8_t *b, size_t l, size_t *n,
                                  apisign_error **e) {
  const struct request_ctx *x = c;
  const apisign_request *r = x->req;
  return apisign_piemdm_sign_headers(x->signer, r->method, r->method_len, r->url, r->url_len,
                                     r->body, r->body_len, x->ts, SPAN(x->nonce), b, l, n, e);
}
static apisign_result fast_linksfield(const void *c, uint8_t *b, size_t l, size_t *n,
                                      apisign_error **e) {
  const struct request_ctx *x = c;
  const apisign_request *r = x->req;
  return apisign_linksfield_sign_v2_headers(x->signer, r->method, r->method_len, r->url,
                                            r->url_len, r->body, r->body_len, x->ts,
                                            SPAN(x->nonce), b, l, n, e);
}

/* Receive the signed request as a server would (its headers plus Content-Type) and verify it
 * at `now`; then zero the last byte of the signature header and expect a rejection with a
 * platform code. */
static void verify_roundtrip(const char *id, const apisign_verifier *v, const apisign_request *req,
                             const apisign_signature *sig, const char *sign_header, uint64_t now) {
  size_t count = apisign_signature_header_count(sig);
  apisign_header hs[8];
  char *names[8] = {0}, *values[8] = {0};
  size_t n = 0;
  for (size_t i = 0; i < count && i < 7; i++, n++) {
    names[i] = fetch(f_name, sig, i);
    values[i] = fetch(f_value, sig, i);
    hs[i].name = (const uint8_t *)names[i];
    hs[i].name_len = names[i] ? strlen(names[i]) : 0;
    hs[i].value = (const uint8_t *)values[i];
    hs[i].value_len = values[i] ? strlen(values[i]) : 0;
  }
  if (req->content_type) {
    hs[n].name = (const uint8_t *)"Content-Type";
    hs[n].name_len = 12;
    hs[n].value = req->content_type;
    hs[n].value_len = req->content_type_len;
    n++;
  }
  apisign_incoming in = {req->method, req->method_len, req->url, req->url_len,
                         req->body, req->body_len, hs, n};
  apisign_verified *who = NULL;
  apisign_error *err = NULL;
  apisign_result rc = apisign_verify(v, &in, now, &who, &err);
  char *msg = err ? fetch(f_err, err, 0) : NULL;
  CHECK(rc == APISIGN_OK && who != NULL, "%s: does not verify (%u): %s", id, rc, msg);
  free(msg);
  apisign_error_free(err);
  CHECK(apisign_verified_timestamp(who) == now, "%s: verified timestamp", id);
  apisign_verified_free(who);
  for (size_t i = 0; i < n; i++) {
    if (names[i] && strcmp(names[i], sign_header) == 0) {
      size_t l = strlen(values[i]);
      values[i][l - 1] = values[i][l - 1] == '0' ? '1' : '0';
    }
  }
  rc = apisign_verify(v, &in, now, &who, &err);
  CHECK(rc == APISIGN_SIGNATURE_INVALID && who == NULL, "%s: tampered signature: %u", id, rc);
  char code[64];
  size_t cl = 0;
  CHECK(apisign_error_platform_code(err, (uint8_t *)code, sizeof code, &cl) == APISIGN_OK && cl > 0,
        "%s: no platform code", id);
  apisign_error_free(err);
  for (size_t i = 0; i < 8; i++) {
    free(names[i]);
    free(values[i]);
  }
}

static void run_lovrabet(json_t *c, const char *id) {
  const char *kind = str(c, "kind");
  if (kind && strcmp(kind, "expiry") == 0) {
    g_unsigned++;
    apisign_lifetime life = apisign_lifetime_lovrabet(num(c, "timestamp", id));
    uint64_t buffer = num(c, "buffer_ms", id);
    size_t i;
    json_t *check;
    CHECK(json_array_size(json_object_get(c, "checks")) > 0, "%s: no checks", id);
    json_array_foreach(json_object_get(c, "checks"), i, check) {
      uint64_t now = num(check, "now", id), remaining = 0;
      CHECK(apisign_lifetime_remaining_ms(life, now, &remaining), "%s: never expires?", id);
      CHECK(remaining == num(check, "remaining_ms", id), "%s at %" PRIu64 ": remaining %" PRIu64,
            id, now, remaining);
      CHECK(apisign_lifetime_is_expiring(life, buffer, now) ==
                json_is_true(json_object_get(check, "expiring")),
            "%s at %" PRIu64 ": expiring", id, now);
    }
    return;
  }
  CHECK(kind == NULL, "%s: unknown lovrabet kind %s", id, kind);
  json_t *cred = json_object_get(c, "credentials");
  const char *sk = str(cred, "secret_key");
  apisign_lovrabet *gen = NULL;
  apisign_signature *sig = NULL;
  apisign_error *err = NULL;
  apisign_result rc = apisign_lovrabet_new(SPAN(need(cred, "access_key", id)),
                                           sk ? (const uint8_t *)sk : NULL, sk ? strlen(sk) : 0,
                                           &gen, &err);
  uint64_t ts = num(c, "timestamp", id);
  if (rc == APISIGN_OK)
    rc = apisign_lovrabet_token(gen, SPAN(need(cred, "app_code", id)),
                                SPAN(need(cred, "dataset_code", id)), ts, &sig, &err);
  json_t *expected = json_object_get(c, "expected");
  if (gen) {
    struct lovrabet_ctx ctx = {gen, need(cred, "app_code", id), need(cred, "dataset_code", id),
                               ts};
    check_fast(id, fast_lovrabet, &ctx, rc, sig, expected);
  }
  const char *expires = str(expected, "expires_at");
  if (rc == APISIGN_OK && expires) {
    uint64_t at = 0;
    CHECK(apisign_lifetime_expires_at_ms(apisign_lifetime_lovrabet(ts), &at), "%s", id);
    CHECK(at == strtoull(expires, NULL, 10), "%s: expires_at %" PRIu64, id, at);
  }
  check_outcome(id, rc, sig, err, expected, "string_to_sign");
  apisign_lovrabet_free(gen);
}

static apisign_jetlinks *jetlinks_signer(json_t *c, const char *id) {
  json_t *cred = json_object_get(c, "credentials");
  const char *alg = need(cred, "algorithm", id);
  uint32_t a = strcmp(alg, "sha256") == 0 ? APISIGN_JETLINKS_SHA256 : APISIGN_JETLINKS_MD5;
  CHECK(strcmp(alg, "sha256") == 0 || strcmp(alg, "md5") == 0, "%s: algorithm %s", id, alg);
  apisign_jetlinks *s = NULL;
  apisign_result rc = apisign_jetlinks_new(SPAN(need(cred, "client_id", id)),
                                           SPAN(need(cred, "secure_key", id)), a, &s, NULL);
  CHECK(rc == APISIGN_OK, "%s: jetlinks_new %u", id, rc);
  return s;
}

static void run_jetlinks(json_t *c, const char *id) {
  const char *kind = str(c, "kind");
  apisign_jetlinks *s = jetlinks_signer(c, id);
  if (kind && strcmp(kind, "response") == 0) {
    g_unsigned++;
    json_t *resp = json_object_get(c, "response");
    json_t *h = json_object_get(resp, "headers");
    const char *body = need(resp, "body", id);
    bool valid = !json_is_true(json_object_get(json_object_get(c, "expected"), "valid"));
    apisign_result rc = apisign_jetlinks_verify_response(
        s, (const uint8_t *)body, json_string_length(json_object_get(resp, "body")),
        SPAN(need(h, "X-Timestamp", id)), SPAN(need(h, "X-Sign", id)), &valid, NULL);
    CHECK(rc == APISIGN_OK, "%s: verify %u", id, rc);
    CHECK(valid == json_is_true(json_object_get(json_object_get(c, "expected"), "valid")),
          "%s: valid = %d", id, valid);
  } else {
    CHECK(kind == NULL, "%s: unknown jetlinks kind %s", id, kind);
    apisign_request req = request_of(c, id);
    apisign_signature *sig = NULL;
    apisign_error *err = NULL;
    apisign_result rc = apisign_jetlinks_sign(s, &req, num(c, "timestamp", id), &sig, &err);
    if (rc == APISIGN_OK) {
      apisign_credentials *creds = NULL;
      apisign_verifier *v = NULL;
      CHECK(apisign_credentials_new(&creds, NULL) == APISIGN_OK &&
                apisign_credentials_add_jetlinks(creds, s, NULL) == APISIGN_OK &&
                apisign_verifier_jetlinks_new(creds, NULL, &v, NULL) == APISIGN_OK,
            "%s: verifier", id);
      apisign_credentials_free(creds); /* the verifier keeps its own reference */
      verify_roundtrip(id, v, &req, sig, "X-Sign", num(c, "timestamp", id));
      apisign_verifier_free(v);
    }
    struct request_ctx ctx = {s, &req, num(c, "timestamp", id), NULL};
    check_fast(id, fast_jetlinks, &ctx, rc, sig, json_object_get(c, "expected"));
    check_outcome(id, rc, sig, err, json_object_get(c, "expected"), "signed_params");
  }
  apisign_jetlinks_free(s);
}

static void run_piemdm(json_t *c, const char *id) {
  const char *kind = str(c, "kind");
  CHECK(kind == NULL, "%s: unknown piemdm kind %s", id, kind);
  json_t *cred = json_object_get(c, "credentials");
  apisign_piemdm *s = NULL;
  apisign_signature *sig = NULL;
  apisign_error *err = NULL;
  apisign_request req = request_of(c, id);
  const char *nonce = need(c, "nonce", id);
  uint64_t ts = num(c, "timestamp", id);
  apisign_result rc = apisign_piemdm_new(SPAN(need(cred, "app_id", id)),
                                         SPAN(need(cred, "app_secret", id)), &s, &err);
  if (rc == APISIGN_OK) rc = apisign_piemdm_sign(s, &req, ts, SPAN(nonce), &sig, &err);
  json_t *expected = json_object_get(c, "expected");
  const char *want = str(expected, "canonical_request");
  if (want) {
    /* The standalone canonical request agrees with the vector byte for byte. */
    size_t n = 0;
    char buf[4096];
    apisign_result crc = apisign_piemdm_canonical_request(&req, ts, SPAN(nonce), (uint8_t *)buf,
                                                          sizeof buf, &n, NULL);
    CHECK(crc == APISIGN_OK && n == strlen(want) && memcmp(buf, want, n) == 0,
          "%s: canonical request (rc %u)", id, crc);
  }
  if (rc == APISIGN_OK) {
    apisign_credentials *creds = NULL;
    apisign_verifier *v = NULL;
    apisign_window w = {UINT64_MAX, UINT64_MAX}; /* vectors use short nonces and old times */
    CHECK(apisign_credentials_new(&creds, NULL) == APISIGN_OK &&
              apisign_credentials_add_piemdm(creds, s, NULL) == APISIGN_OK &&
              apisign_verifier_piemdm_new(creds, &w, &v, NULL) == APISIGN_OK,
          "%s: verifier", id);
    apisign_credentials_free(creds);
    if (strlen(nonce) >= 12) verify_roundtrip(id, v, &req, sig, "X-Sign", ts);
    apisign_verifier_free(v);
  }
  if (s) {
    struct request_ctx ctx = {s, &req, ts, nonce};
    check_fast(id, fast_piemdm, &ctx, rc, sig, expected);
  }
  check_outcome(id, rc, sig, err, expected, "canonical_request");
  apisign_piemdm_free(s);
}

/* The base64 signature after '/' in "LF {keyId}/{sign}" verifies under `pub`. */
static void check_verifies(const char *id, apisign_signature *sig,
                           const apisign_linksfield_public_key *pub) {
  char auth[1024];
  size_t n = 0;
  apisign_result rc = apisign_signature_get(sig, SPAN("authorization"), (uint8_t *)auth,
                                            sizeof auth - 1, &n);
  CHECK(rc == APISIGN_OK, "%s: no Authorization header (%u)", id, rc);
  if (rc != APISIGN_OK) return;
  auth[n] = '\0';
  const char *slash = strchr(auth, '/');
  char *message = fetch(f_signed, sig, 0);
  bool valid = false;
  CHECK(slash && message, "%s: malformed Authorization %s", id, auth);
  if (!slash || !message) {
    free(message);
    return;
  }
  rc = apisign_linksfield_public_key_verify(pub, SPAN(message), SPAN(slash + 1), &valid, NULL);
  CHECK(rc == APISIGN_OK && valid, "%s: signature does not verify", id);
  /* And a different message does not. */
  rc = apisign_linksfield_public_key_verify(pub, SPAN("{}"), SPAN(slash + 1), &valid, NULL);
  CHECK(rc == APISIGN_OK && !valid, "%s: verifies a different message", id);
  free(message);
}

/* Signature v1 on the same request (the vectors have no v1 case yet): typed extra parameters
 * are merged, the nonce is a JSON integer, the timestamp a string, and it verifies. */
static void check_v1(const char *id, const apisign_linksfield *s, const apisign_request *req,
                     const apisign_linksfield_public_key *pub) {
  apisign_signature *sig = NULL;
  apisign_error *err = NULL;
  apisign_result rc = apisign_linksfield_sign_v1(s, req, SPAN("{\"sim_id\":\"8986\",\"n\":3}"),
                                                 1674197059220ULL, 42, &sig, &err);
  CHECK(rc == APISIGN_OK, "%s v1: %u", id, rc);
  if (rc != APISIGN_OK) {
    apisign_error_free(err);
    return;
  }
  char *message = fetch(f_signed, sig, 0);
  CHECK(message && strstr(message, "\"n\":3") && strstr(message, "\"nonce\":42") &&
            strstr(message, "\"sim_id\":\"8986\"") &&
            strstr(message, "\"timestamp\":\"1674197059220\"") && !strstr(message, "x-sign-uri"),
        "%s v1 message: %s", id, message);
  free(message);
  CHECK(apisign_signature_header_count(sig) == 1, "%s v1: only Authorization", id);
  check_verifies(id, sig, pub);
  apisign_signature_free(sig);
  rc = apisign_linksfield_sign_v1(s, req, SPAN("[1]"), 1, 1, &sig, &err);
  CHECK(rc == APISIGN_INVALID_JSON && sig == NULL, "%s v1 extra [1]: %u", id, rc);
  char *msg = fetch(f_err, err, 0);
  CHECK(msg && strstr(msg, "extra_json"), "%s: %s", id, msg);
  free(msg);
  apisign_error_free(err);
}

/* Linksfield v1 signs the nonce as a JSON integer, so a verifier tracking nonces admits it once
 * and not again spelled 01, 001, +1 (%2B1) or as the body string "01": these replays used to be
 * admitted. Runs once, with the first case's key. */
static void check_v1_replay(const char *key_id, const apisign_linksfield *s,
                            const apisign_linksfield_public_key *pub) {
  static bool done = false;
  if (done) return;
  done = true;
  apisign_credentials *creds = NULL;
  apisign_verifier *v = NULL;
  apisign_signature *sig = NULL;
  CHECK(apisign_credentials_new(&creds, NULL) == APISIGN_OK, "v1 replay: credentials");
  CHECK(apisign_credentials_add_linksfield(creds, SPAN(key_id), pub, NULL) == APISIGN_OK,
        "v1 replay: add key");
  CHECK(apisign_verifier_linksfield_new(creds, NULL, true, true, &v, NULL) == APISIGN_OK,
        "v1 replay: verifier");
  apisign_request req;
  memset(&req, 0, sizeof req);
  req.method = (const uint8_t *)"GET";
  req.method_len = 3;
  req.url = (const uint8_t *)"/cube/v4/x";
  req.url_len = strlen("/cube/v4/x");
  CHECK(apisign_linksfield_sign_v1(s, &req, NULL, 0, 1674197059220ULL, 1, &sig, NULL) ==
            APISIGN_OK,
        "v1 replay: sign");
  char auth[1024];
  size_t n = 0;
  CHECK(apisign_signature_get(sig, SPAN("Authorization"), (uint8_t *)auth, sizeof auth, &n) ==
            APISIGN_OK,
        "v1 replay: Authorization");
  apisign_header h = {(const uint8_t *)"Authorization", 13, (const uint8_t *)auth, n};
  const char *urls[] = {"/cube/v4/x?timestamp=1674197059220&nonce=1",
                        "/cube/v4/x?timestamp=1674197059220&nonce=01",
                        "/cube/v4/x?timestamp=1674197059220&nonce=001",
                        "/cube/v4/x?timestamp=1674197059220&nonce=%2B1", "/cube/v4/x"};
  const char *body = "{\"timestamp\":\"1674197059220\",\"nonce\":\"01\"}";
  for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
    int last = i + 1 == sizeof urls / sizeof *urls;
    apisign_incoming in = {(const uint8_t *)(last ? "POST" : "GET"), last ? 4 : 3,
                           (const uint8_t *)urls[i], strlen(urls[i]),
                           (const uint8_t *)(last ? body : NULL), last ? strlen(body) : 0,
                           &h, 1};
    apisign_verified *who = NULL;
    apisign_result rc = apisign_verify(v, &in, 1674197059220ULL, &who, NULL);
    apisign_result want = i == 0 ? APISIGN_OK : APISIGN_NONCE_REUSED;
    CHECK(rc == want, "v1 replay %s %s: %u, want %u", urls[i], last ? body : "", rc, want);
    apisign_verified_free(who);
  }
  apisign_signature_free(sig);
  apisign_verifier_free(v);
  apisign_credentials_free(creds);
}

static void run_linksfield(json_t *file, json_t *c, const char *id) {
  const char *kind = str(c, "kind");
  CHECK(kind == NULL, "%s: unknown linksfield kind %s", id, kind);
  json_t *cred = json_object_get(c, "credentials");
  const char *ref = need(cred, "private_key", id);
  if (strncmp(ref, "keys.", 5) == 0) ref += 5;
  json_t *keys = json_object_get(file, "keys");
  const char *pem = need(keys, ref, id);
  apisign_linksfield_private_key *key = NULL;
  apisign_linksfield_public_key *derived = NULL, *given = NULL;
  apisign_linksfield *s = NULL;
  apisign_signature *sig = NULL;
  apisign_error *err = NULL;
  CHECK(apisign_linksfield_private_key_parse(SPAN(pem), &key, NULL) == APISIGN_OK,
        "%s: key parse", id);
  CHECK(apisign_linksfield_private_key_bits(key) == 1024, "%s: bits", id);
  CHECK(apisign_linksfield_private_key_public(key, &derived, NULL) == APISIGN_OK, "%s", id);
  const char *spki = str(keys, "rsa1024_public_spki_pem");
  if (spki)
    CHECK(apisign_linksfield_public_key_parse(SPAN(spki), &given, NULL) == APISIGN_OK,
          "%s: public key parse", id);
  CHECK(apisign_linksfield_new(SPAN(need(cred, "key_id", id)), key, &s, NULL) == APISIGN_OK,
        "%s: signer", id);
  apisign_linksfield_private_key_free(key); /* the signer keeps its own reference */
  apisign_request req = request_of(c, id);
  const char *version = str(c, "version") ? str(c, "version") : "2.0";
  const char *nonce = need(c, "nonce", id);
  uint64_t ts = num(c, "timestamp", id);
  apisign_result rc;
  if (strcmp(version, "2.0") == 0) {
    rc = apisign_linksfield_sign_v2(s, &req, ts, SPAN(nonce), &sig, &err);
  } else {
    CHECK(strcmp(version, "1.0") == 0, "%s: unknown version %s", id, version);
    rc = apisign_linksfield_sign_v1(s, &req, NULL, 0, ts, strtoll(nonce, NULL, 10), &sig, &err);
    g_unsigned++;
  }
  if (rc == APISIGN_OK) {
    check_verifies(id, sig, derived);
    if (given) check_verifies(id, sig, given);
  }
  if (strcmp(version, "2.0") == 0) {
    /* RSA PKCS#1 v1.5 is deterministic: the fast path gives the same Authorization. */
    struct request_ctx ctx = {s, &req, ts, nonce};
    check_fast(id, fast_linksfield, &ctx, rc, sig, json_object_get(c, "expected"));
  }
  check_outcome(id, rc, sig, err, json_object_get(c, "expected"), "message");
  check_v1(id, s, &req, derived);
  check_v1_replay(need(cred, "key_id", id), s, derived);
  apisign_linksfield_free(s);
  apisign_linksfield_public_key_free(derived);
  apisign_linksfield_public_key_free(given);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "tests/vectors";
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "cannot open %s\n", dir);
    return 2;
  }
  char *names[64];
  size_t nfiles = 0;
  struct dirent *e;
  while ((e = readdir(d)) && nfiles < 64) {
    size_t l = strlen(e->d_name);
    if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0) names[nfiles++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, nfiles, sizeof *names, by_name);
  CHECK(nfiles >= 4, "only %zu vector files in %s", nfiles, dir);
  int seen[4] = {0};
  for (size_t f = 0; f < nfiles; f++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[f]);
    json_error_t jerr;
    json_t *file = json_load_file(path, 0, &jerr);
    CHECK(file != NULL, "%s: %s", path, jerr.text);
    if (!file) continue;
    const char *scheme = need(file, "scheme", path);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(file, "cases"), i, c) {
      const char *id = need(c, "id", path);
      g_cases++;
      if (strcmp(scheme, "lovrabet") == 0) run_lovrabet(c, id), seen[0]++;
      else if (strcmp(scheme, "jetlinks") == 0) run_jetlinks(c, id), seen[1]++;
      else if (strcmp(scheme, "piemdm") == 0) run_piemdm(c, id), seen[2]++;
      else if (strcmp(scheme, "linksfield") == 0) run_linksfield(file, c, id), seen[3]++;
      else CHECK(0, "%s: unknown scheme %s", path, scheme);
    }
    json_decref(file);
    free(names[f]);
  }
  for (int s = 0; s < 4; s++) CHECK(seen[s] > 0, "no cases of scheme #%d ran", s);
  printf("vectors: %d cases (lovrabet %d, jetlinks %d, piemdm %d, linksfield %d), %d through "
         "the fast path too\n",
         g_cases, seen[0], seen[1], seen[2], seen[3], g_fast);
  /* Every signing case (all but lifetime, response and v1 cases) went through the fast path. */
  CHECK(g_fast == g_cases - g_unsigned, "%d of %d cases went through the fast path", g_fast,
        g_cases - g_unsigned);
  return finish("test_vectors");
}
