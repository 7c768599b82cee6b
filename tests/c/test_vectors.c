/* Runs every case of every JSON file in tests/vectors through the public C header only (one
 * generic signer, credential store and verifier for every scheme), and fails on any case of an
 * unknown scheme or kind (a new vector must not be skipped silently).
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

/* The scheme named in a vector file, by its id constant; UINT32_MAX when unknown. */
static uint32_t scheme_id(const char *name) {
  static const struct {
    const char *name;
    uint32_t id;
  } ids[] = {{"lovrabet", APISIGN_SCHEME_LOVRABET},
             {"jetlinks", APISIGN_SCHEME_JETLINKS},
             {"piemdm", APISIGN_SCHEME_PIEMDM},
             {"linksfield", APISIGN_SCHEME_LINKSFIELD}};
  for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
    if (strcmp(ids[i].name, name) == 0) return ids[i].id;
  return UINT32_MAX;
}

/* The vector's name for the signed string, per scheme (in id order). */
static const char *const INTERMEDIATE[] = {"string_to_sign", "signed_params", "canonical_request",
                                           "message"};

/* Parameters from a case's credentials: every string field, by its name (the vectors use the
 * schemes' parameter names), a "keys.<name>" reference resolved in the file's keys. */
struct params {
  apisign_param p[8];
  size_t n;
};
static void add_param(struct params *ps, const char *name, const char *value) {
  if (ps->n == 8) abort();
  ps->p[ps->n++] = (apisign_param){(const uint8_t *)name, strlen(name), (const uint8_t *)value,
                                   strlen(value)};
}
static struct params params_of(json_t *file, json_t *cred) {
  struct params ps;
  memset(&ps, 0, sizeof ps);
  const char *name;
  json_t *value;
  json_object_foreach(cred, name, value) {
    const char *v = json_string_value(value);
    if (!v) continue;
    if (strncmp(v, "keys.", 5) == 0) v = str(json_object_get(file, "keys"), v + 5);
    add_param(&ps, name, v ? v : "");
  }
  return ps;
}

/* The fast path (APISIGN_SIGN_HEADERS_ONLY) for one case: the same outcome as the full call
 * (`rc`/`sig`: the same error code, or the same headers, byte for byte and in order), and an
 * empty signed string. Does not free sig. */
static int g_fast = 0;
static int g_unsigned = 0; /* cases that sign nothing (lifetimes, responses) */

static void check_fast(const char *id, const apisign_signer *s, const apisign_request *req,
                       uint64_t ts, const char *nonce, apisign_result rc,
                       const apisign_signature *sig) {
  g_fast++;
  apisign_signature *fast = NULL;
  apisign_error *err = NULL;
  apisign_result frc = sign_at(s, req, ts, nonce, APISIGN_SIGN_HEADERS_ONLY, &fast, &err);
  if (rc != APISIGN_OK) {
    CHECK(frc == rc, "%s: fast path returned %u, full path %u", id, frc, rc);
    CHECK(err != NULL && apisign_error_code(err) == frc, "%s: fast path error object", id);
    apisign_error_free(err);
    return;
  }
  CHECK(frc == APISIGN_OK && err == NULL, "%s: fast path %u", id, frc);
  apisign_error_free(err);
  char *a = header_lines(sig), *b = header_lines(fast), *signed_text = fetch(f_signed, fast, 0);
  CHECK(a && b && strcmp(a, b) == 0, "%s: fast path headers\n%s\ndiffer from\n%s", id, b, a);
  CHECK(signed_text && signed_text[0] == '\0', "%s: fast path signed %s", id, signed_text);
  free(a);
  free(b);
  free(signed_text);
  apisign_signature_free(fast);
}

/* Receive the signed request as a server would (its headers plus Content-Type, the params the
 * signature adds in its query) and verify it at `now`; then change one character of the
 * signature header and expect a rejection with a platform code. */
static void verify_roundtrip(const char *id, const apisign_verifier *v, const apisign_request *req,
                             const apisign_signature *sig, const char *sign_header, uint64_t now,
                             apisign_result tampered) {
  apisign_header hs[8];
  char *values[8] = {0};
  size_t n = received(sig, hs, 7);
  for (size_t i = 0; i < n; i++) {
    values[i] = malloc(hs[i].value_len + 1);
    if (!values[i]) abort();
    memcpy(values[i], hs[i].value, hs[i].value_len);
    values[i][hs[i].value_len] = '\0';
    hs[i].value = (const uint8_t *)values[i];
  }
  if (req->content_type) {
    hs[n] = (apisign_header){(const uint8_t *)"Content-Type", 12, req->content_type,
                             req->content_type_len};
    n++;
  }
  char url[4096];
  size_t ul = (size_t)snprintf(url, sizeof url, "%.*s", (int)req->url_len, (const char *)req->url);
  for (size_t i = 0; i < apisign_signature_param_count(sig); i++) {
    const uint8_t *pn, *pv;
    size_t pnl, pvl;
    apisign_signature_param(sig, i, &pn, &pnl, &pv, &pvl);
    ul += (size_t)snprintf(url + ul, sizeof url - ul, "%c%.*s=%.*s",
                           memchr(url, '?', ul) ? '&' : '?', (int)pnl, (const char *)pn,
                           (int)pvl, (const char *)pv);
  }
  apisign_incoming in = {req->method, req->method_len, (const uint8_t *)url, ul,
                         req->body,   req->body_len,   hs, n};
  apisign_verified *who = NULL;
  apisign_error *err = NULL;
  apisign_result rc = apisign_verify(v, &in, now, &who, &err);
  char *msg = err ? fetch(f_err, err, 0) : NULL;
  CHECK(rc == APISIGN_OK && who != NULL, "%s: does not verify (%u): %s", id, rc, msg);
  free(msg);
  apisign_error_free(err);
  CHECK(apisign_verified_timestamp(who) / 1000 == now / 1000, "%s: verified timestamp %llu",
        id, (unsigned long long)apisign_verified_timestamp(who));
  apisign_verified_free(who);
  for (size_t i = 0; i < n; i++) {
    if (values[i] && hs[i].name_len == strlen(sign_header) &&
        memcmp(hs[i].name, sign_header, hs[i].name_len) == 0) {
      /* A character well inside the signature (not base64 padding or its spare bits). */
      size_t l = strlen(values[i]), at = l > 10 ? l - 6 : l - 1;
      values[i][at] = values[i][at] == '0' ? '1' : '0';
    }
  }
  rc = apisign_verify(v, &in, now, &who, &err);
  CHECK(rc == tampered && who == NULL, "%s: tampered signature: %u", id, rc);
  char code[64];
  size_t cl = 0;
  CHECK(apisign_error_platform_code(err, (uint8_t *)code, sizeof code, &cl) == APISIGN_OK && cl > 0,
        "%s: no platform code", id);
  apisign_error_free(err);
  for (size_t i = 0; i < 8; i++) free(values[i]);
}

/* A verifier of `scheme` holding the one credential `cred` (window: `w`, or the default). */
static apisign_verifier *verifier_for(uint32_t scheme, const struct params *cred,
                                      const apisign_window *w, const char *id) {
  apisign_credentials *creds = NULL;
  apisign_verifier_builder *b = NULL;
  apisign_verifier *v = NULL;
  apisign_error *err = NULL;
  apisign_result rc = apisign_credentials_new(&creds);
  if (rc == APISIGN_OK) rc = apisign_credentials_add(creds, scheme, cred->p, cred->n, &err);
  if (rc == APISIGN_OK) rc = apisign_verifier_builder_new(scheme, creds, &b, &err);
  if (rc == APISIGN_OK && w) rc = apisign_verifier_builder_set_window(b, w);
  if (rc == APISIGN_OK) rc = apisign_verifier_builder_build(b, &v, &err);
  char *msg = err ? fetch(f_err, err, 0) : NULL;
  CHECK(rc == APISIGN_OK, "%s: verifier (%u): %s", id, rc, msg);
  free(msg);
  apisign_error_free(err);
  apisign_verifier_builder_free(b);
  apisign_credentials_free(creds); /* the verifier keeps its own reference */
  return v;
}

/* The credential that verifies what `sign` signs: the signing parameters minus what only the
 * signer has (the token's dataset becomes one the caller may use; the private key's public
 * half, from the file). */
static struct params credential_of(json_t *file, uint32_t scheme, const struct params *sign) {
  struct params c;
  memset(&c, 0, sizeof c);
  for (size_t i = 0; i < sign->n; i++) {
    const char *name = (const char *)sign->p[i].name;
    const char *value = (const char *)sign->p[i].value;
    if (strcmp(name, "dataset_code") == 0) add_param(&c, "dataset", value);
    else if (strcmp(name, "private_key") == 0)
      add_param(&c, "public_key", need(json_object_get(file, "keys"), "rsa1024_public_spki_pem",
                                       "keys"));
    else if (strcmp(name, "version") != 0) add_param(&c, name, value);
  }
  (void)scheme;
  return c;
}

static void run_expiry(json_t *c, const char *id) {
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
}

static void run_response(json_t *file, json_t *c, const char *id) {
  g_unsigned++;
  struct params ps = params_of(file, json_object_get(c, "credentials"));
  apisign_signer *s = NULL;
  CHECK(apisign_signer_new(APISIGN_SCHEME_JETLINKS, ps.p, ps.n, &s, NULL) == APISIGN_OK,
        "%s: signer", id);
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
  apisign_signer_free(s);
}

/* The base64 signature after '/' in "LF {keyId}/{sign}" verifies under `pub`. */
static void check_verifies(const char *id, apisign_signature *sig, const apisign_public_key *pub) {
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
  rc = apisign_public_key_verify(pub, SPAN(message), SPAN(slash + 1), &valid, NULL);
  CHECK(rc == APISIGN_OK && valid, "%s: signature does not verify", id);
  /* And a different message does not. */
  rc = apisign_public_key_verify(pub, SPAN("{}"), SPAN(slash + 1), &valid, NULL);
  CHECK(rc == APISIGN_OK && !valid, "%s: verifies a different message", id);
  free(message);
}

/* RSA key handles on the file's keys: sizes, the derived public key verifies what the signer
 * signed, and so does the published public key. */
static void check_keys(json_t *file, const struct params *ps, apisign_signature *sig,
                       const char *id) {
  const char *pem = NULL, *spki = str(json_object_get(file, "keys"), "rsa1024_public_spki_pem");
  for (size_t i = 0; i < ps->n; i++)
    if (ps->p[i].name_len == 11 && memcmp(ps->p[i].name, "private_key", 11) == 0)
      pem = (const char *)ps->p[i].value;
  apisign_private_key *key = NULL;
  apisign_public_key *derived = NULL, *given = NULL;
  CHECK(pem && apisign_private_key_parse(SPAN(pem), &key, NULL) == APISIGN_OK, "%s: key parse",
        id);
  CHECK(apisign_private_key_bits(key) == 1024, "%s: bits", id);
  CHECK(apisign_private_key_public(key, &derived, NULL) == APISIGN_OK, "%s", id);
  CHECK(apisign_public_key_bits(derived) == 1024, "%s: public bits", id);
  check_verifies(id, sig, derived);
  if (spki) {
    CHECK(apisign_public_key_parse(SPAN(spki), &given, NULL) == APISIGN_OK,
          "%s: public key parse", id);
    check_verifies(id, sig, given);
  }
  apisign_private_key_free(key);
  apisign_public_key_free(derived);
  apisign_public_key_free(given);
}

/* Linksfield signature v1 on the case's key (the vectors have no v1 case yet): a POST whose
 * JSON body fields are signed typed, the nonce as a JSON integer, the timestamp as a string;
 * the timestamp and nonce are parameters to add to the request; it verifies; a body that is
 * not a JSON object is refused. */
static void check_v1(json_t *file, const struct params *v2, const char *id) {
  struct params ps = *v2;
  for (size_t i = 0; i < ps.n; i++)
    if (ps.p[i].name_len == 7 && memcmp(ps.p[i].name, "version", 7) == 0) ps.p[i] = ps.p[--ps.n];
  add_param(&ps, "version", "1.0");
  apisign_signer *s = NULL;
  apisign_signature *sig = NULL;
  apisign_error *err = NULL;
  CHECK(apisign_signer_new(APISIGN_SCHEME_LINKSFIELD, ps.p, ps.n, &s, NULL) == APISIGN_OK,
        "%s v1: signer", id);
  apisign_request req;
  memset(&req, 0, sizeof req);
  const char *body = "{\"sim_id\":\"8986\",\"n\":3}";
  req = (apisign_request){SPAN("POST"), SPAN("/cube/v4/x"), SPAN(body), SPAN("application/json")};
  apisign_result rc = sign_at(s, &req, 1674197059220ULL, "42", 0, &sig, &err);
  CHECK(rc == APISIGN_OK, "%s v1: %u", id, rc);
  if (rc != APISIGN_OK) {
    apisign_error_free(err);
    apisign_signer_free(s);
    return;
  }
  char *message = fetch(f_signed, sig, 0);
  CHECK(message && strstr(message, "\"n\":3") && strstr(message, "\"nonce\":42") &&
            strstr(message, "\"sim_id\":\"8986\"") &&
            strstr(message, "\"timestamp\":\"1674197059220\"") && !strstr(message, "x-sign-uri"),
        "%s v1 message: %s", id, message);
  free(message);
  CHECK(apisign_signature_header_count(sig) == 1, "%s v1: only Authorization", id);
  const uint8_t *pn, *pv;
  size_t pnl, pvl;
  CHECK(apisign_signature_param_count(sig) == 2 &&
            apisign_signature_param(sig, 0, &pn, &pnl, &pv, &pvl) == APISIGN_OK && pnl == 9 &&
            memcmp(pn, "timestamp", 9) == 0 && pvl == 13 && memcmp(pv, "1674197059220", 13) == 0 &&
            apisign_signature_param(sig, 1, &pn, &pnl, &pv, &pvl) == APISIGN_OK && pnl == 5 &&
            memcmp(pn, "nonce", 5) == 0 && pvl == 2 && memcmp(pv, "42", 2) == 0,
        "%s v1: params to add", id);
  check_keys(file, &ps, sig, id);
  apisign_signature_free(sig);
  req.body = (const uint8_t *)"[1]";
  req.body_len = 3;
  rc = sign_at(s, &req, 1, "1", 0, &sig, &err);
  CHECK(rc == APISIGN_INVALID_JSON && sig == NULL, "%s v1 body [1]: %u", id, rc);
  char *msg = fetch(f_err, err, 0);
  CHECK(msg && strstr(msg, "body"), "%s: %s", id, msg);
  free(msg);
  apisign_error_free(err);
  CHECK(sign_at(s, &req, 1, "x1", 0, &sig, &err) != APISIGN_OK, "%s v1: nonce x1", id);
  apisign_error_free(err);
  apisign_signer_free(s);
}

/* Linksfield v1 signs the nonce as a JSON integer, so a verifier tracking nonces admits it once
 * and not again spelled 01, 001, +1 (%2B1) or as the body string "01": these replays used to be
 * admitted. Runs once, with the first case's key. */
static void check_v1_replay(json_t *file, const struct params *v2, const char *id) {
  static bool done = false;
  if (done) return;
  done = true;
  struct params ps = *v2;
  for (size_t i = 0; i < ps.n; i++)
    if (ps.p[i].name_len == 7 && memcmp(ps.p[i].name, "version", 7) == 0) ps.p[i] = ps.p[--ps.n];
  add_param(&ps, "version", "1.0");
  struct params cred = credential_of(file, APISIGN_SCHEME_LINKSFIELD, &ps);
  apisign_credentials *creds = NULL;
  apisign_verifier_builder *b = NULL;
  apisign_verifier *v = NULL;
  apisign_signer *s = NULL;
  apisign_signature *sig = NULL;
  CHECK(apisign_credentials_new(&creds) == APISIGN_OK &&
            apisign_credentials_add(creds, APISIGN_SCHEME_LINKSFIELD, cred.p, cred.n, NULL) ==
                APISIGN_OK &&
            apisign_verifier_builder_new(APISIGN_SCHEME_LINKSFIELD, creds, &b, NULL) ==
                APISIGN_OK &&
            apisign_verifier_builder_set(b, SPAN("track_nonces"), SPAN("true"), NULL) ==
                APISIGN_OK &&
            apisign_verifier_builder_build(b, &v, NULL) == APISIGN_OK,
        "%s v1 replay: verifier", id);
  apisign_verifier_builder_free(b);
  CHECK(apisign_signer_new(APISIGN_SCHEME_LINKSFIELD, ps.p, ps.n, &s, NULL) == APISIGN_OK,
        "v1 replay: signer");
  apisign_request req;
  memset(&req, 0, sizeof req);
  req = (apisign_request){SPAN("GET"), SPAN("/cube/v4/x"), NULL, 0, NULL, 0};
  CHECK(sign_at(s, &req, 1674197059220ULL, "1", 0, &sig, NULL) == APISIGN_OK, "v1 replay: sign");
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
  apisign_signer_free(s);
  apisign_verifier_free(v);
  apisign_credentials_free(creds);
}

/* One signing case of any scheme: sign, compare with the vector, the fast path, a verifier
 * round trip, and the scheme's own extras. */
static void run_sign(json_t *file, uint32_t scheme, json_t *c, const char *id) {
  struct params ps = params_of(file, json_object_get(c, "credentials"));
  const char *version = str(c, "version");
  if (version) add_param(&ps, "version", version);
  /* PieMDM vectors give the header's seconds; the API takes milliseconds for every scheme. */
  uint64_t ts = num(c, "timestamp", id) * (scheme == APISIGN_SCHEME_PIEMDM ? 1000 : 1);
  const char *nonce = str(c, "nonce");
  apisign_request req;
  if (json_object_get(c, "request")) {
    req = request_of(c, id);
  } else {
    memset(&req, 0, sizeof req); /* a token scheme signs no request field */
    req = (apisign_request){SPAN("GET"), SPAN("/"), NULL, 0, NULL, 0};
  }
  apisign_signer *s = NULL;
  apisign_signature *sig = NULL;
  apisign_error *err = NULL;
  apisign_result rc = apisign_signer_new(scheme, ps.p, ps.n, &s, &err);
  if (rc == APISIGN_OK) rc = sign_at(s, &req, ts, nonce, 0, &sig, &err);
  json_t *expected = json_object_get(c, "expected");
  if (s) check_fast(id, s, &req, ts, nonce, rc, sig);
  if (rc == APISIGN_OK) {
    struct params cred = credential_of(file, scheme, &ps);
    apisign_verifier *v = verifier_for(scheme, &cred, NULL, id);
    static const char *const sign_header[] = {"X-Token", "X-Sign", "X-Sign", "Authorization"};
    /* A changed base64 character of an RSA signature is still well-formed: a wrong signature. */
    /* (PieMDM vectors with nonces under its 12-character minimum are signing-only.) */
    if (v && (scheme != APISIGN_SCHEME_PIEMDM || strlen(nonce) >= 12))
      verify_roundtrip(id, v, &req, sig, sign_header[scheme], ts, APISIGN_SIGNATURE_INVALID);
    apisign_verifier_free(v);
  }
  if (scheme == APISIGN_SCHEME_LOVRABET) {
    const char *expires = str(expected, "expires_at");
    if (rc == APISIGN_OK && expires) {
      uint64_t at = 0;
      CHECK(apisign_lifetime_expires_at_ms(apisign_lifetime_lovrabet(ts), &at), "%s", id);
      CHECK(at == strtoull(expires, NULL, 10), "%s: expires_at %" PRIu64, id, at);
    }
  }
  if (scheme == APISIGN_SCHEME_PIEMDM) {
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
  }
  if (scheme == APISIGN_SCHEME_LINKSFIELD && rc == APISIGN_OK) {
    check_keys(file, &ps, sig, id);
    check_v1(file, &ps, id);
    check_v1_replay(file, &ps, id);
  }
  check_outcome(id, rc, sig, err, expected, INTERMEDIATE[scheme]);
  apisign_signer_free(s);
}

/* One clock for every scheme: a signer and a verifier of each, signed and verified with the
 * same apisign_now_ms() (PieMDM's header carries seconds; the API does not care). */
static struct params g_clock_params[4], g_clock_creds[4];
static bool g_clock_ready[4];
static void test_one_clock(void) {
  uint64_t now = apisign_now_ms();
  for (uint32_t scheme = 0; scheme < 4; scheme++) {
    CHECK(g_clock_ready[scheme], "no signing case of scheme %u to take parameters from", scheme);
    if (!g_clock_ready[scheme]) continue;
    apisign_signer *s = NULL;
    apisign_signature *sig = NULL;
    apisign_request req = {SPAN("POST"), SPAN("/openapi/v1/x?b=2&a=1"), SPAN("{\"a\":1}"),
                           SPAN("application/json")};
    CHECK(apisign_signer_new(scheme, g_clock_params[scheme].p, g_clock_params[scheme].n, &s,
                             NULL) == APISIGN_OK &&
              apisign_sign(s, &req, &(apisign_sign_options){now, NULL, 0, 0}, &sig, NULL) ==
                  APISIGN_OK,
          "one clock: sign scheme %u", scheme);
    apisign_verifier *v = verifier_for(scheme, &g_clock_creds[scheme], NULL, "one clock");
    static const char *const sign_header[] = {"X-Token", "X-Sign", "X-Sign", "Authorization"};
    if (v && sig) {
      verify_roundtrip("one clock", v, &req, sig, sign_header[scheme], now,
                       APISIGN_SIGNATURE_INVALID);
      /* And 11 minutes later every scheme's default window has passed. */
      apisign_header hs[8];
      apisign_incoming in = {req.method, req.method_len, req.url, req.url_len, req.body,
                             req.body_len, hs, received(sig, hs, 8)};
      apisign_verified *who = NULL;
      apisign_result rc = apisign_verify(v, &in, now + 11 * 60 * 1000, &who, NULL);
      CHECK(rc == APISIGN_TIMESTAMP_OUT_OF_WINDOW, "one clock: scheme %u 11 minutes late: %u",
            scheme, rc);
      apisign_verified_free(who);
    }
    apisign_verifier_free(v);
    apisign_signature_free(sig);
    apisign_signer_free(s);
  }
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
  json_t *files[64] = {0};
  for (size_t f = 0; f < nfiles; f++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[f]);
    json_error_t jerr;
    json_t *file = json_load_file(path, 0, &jerr);
    files[f] = file;
    CHECK(file != NULL, "%s: %s", path, jerr.text);
    if (!file) continue;
    uint32_t scheme = scheme_id(need(file, "scheme", path));
    CHECK(scheme < 4, "%s: unknown scheme %s", path, str(file, "scheme"));
    if (scheme >= 4) continue;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(file, "cases"), i, c) {
      const char *id = need(c, "id", path);
      const char *kind = str(c, "kind");
      g_cases++;
      seen[scheme]++;
      if (kind && strcmp(kind, "expiry") == 0 && scheme == APISIGN_SCHEME_LOVRABET) {
        run_expiry(c, id);
      } else if (kind && strcmp(kind, "response") == 0 && scheme == APISIGN_SCHEME_JETLINKS) {
        run_response(file, c, id);
      } else if (kind) {
        CHECK(0, "%s: unknown kind %s", id, kind);
      } else {
        run_sign(file, scheme, c, id);
        json_t *expected = json_object_get(c, "expected");
        if (!g_clock_ready[scheme] && !str(expected, "error")) {
          g_clock_params[scheme] = params_of(file, json_object_get(c, "credentials"));
          g_clock_creds[scheme] = credential_of(file, scheme, &g_clock_params[scheme]);
          g_clock_ready[scheme] = true;
        }
      }
    }
    free(names[f]);
  }
  test_one_clock();
  for (size_t f = 0; f < nfiles; f++) json_decref(files[f]);
  for (int s = 0; s < 4; s++) CHECK(seen[s] > 0, "no cases of scheme #%d ran", s);
  printf("vectors: %d cases (lovrabet %d, jetlinks %d, piemdm %d, linksfield %d), %d through "
         "the fast path too\n",
         g_cases, seen[0], seen[1], seen[2], seen[3], g_fast);
  /* Every signing case (all but lifetime and response cases) went through the fast path. */
  CHECK(g_fast == g_cases - g_unsigned, "%d of %d cases went through the fast path", g_fast,
        g_cases - g_unsigned);
  return finish("test_vectors");
}
