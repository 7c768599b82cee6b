/* Error paths of the C ABI through the public header: NULL pointers, short buffers, bad keys,
 * invalid UTF-8, unknown schemes, parameter and setting names, result-code lookup, batches,
 * frees of NULL, version macros, and concurrent use of one handle from several threads. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>

#include "check.h"

/* The detailed message of `err` contains `needle`; frees err. */
static void check_err(apisign_error *err, apisign_result code, const char *needle) {
  CHECK(err != NULL, "no error object for code %u", code);
  if (!err) return;
  CHECK(apisign_error_code(err) == code, "error code %u, want %u", apisign_error_code(err), code);
  char *msg = fetch(f_err, err, 0);
  CHECK(msg && strstr(msg, needle), "message \"%s\" lacks \"%s\"", msg, needle);
  free(msg);
  apisign_error_free(err);
}

/* `call` fails with `code` and leaves in `err` an error of that code whose message contains
 * `needle` (the error is then freed); `what` names the case when it does not. */
#define CHECK_FAILS(call, code, needle, what) \
  do {                                        \
    CHECK((call) == (code), what);            \
    check_err(err, code, needle);             \
  } while (0)

/* A JetLinks builder (a scheme with no settings) refuses setting `name`: the message names
 * `needle`; `what` names the case. */
static void check_jetlinks_refuses(const apisign_credentials *creds, const char *name,
                                   const char *value, const char *needle, const char *what) {
  apisign_verifier_builder *b = NULL;
  apisign_error *err = NULL;
  CHECK(apisign_verifier_builder_new(APISIGN_SCHEME_JETLINKS, creds, &b, NULL) == APISIGN_OK,
        "jetlinks builder");
  CHECK_FAILS(apisign_verifier_builder_set(b, SPAN(name), SPAN(value), &err),
              APISIGN_INVALID_INPUT, needle, what);
  apisign_verifier_builder_free(b);
}

static apisign_request get(const char *url) {
  apisign_request r;
  memset(&r, 0, sizeof r);
  r.method = (const uint8_t *)"GET";
  r.method_len = 3;
  r.url = (const uint8_t *)url;
  r.url_len = strlen(url);
  return r;
}

#define MD5_ID "client_id", "testId", "secure_key", "testSecure"
#define PM_APP "app_id", "app_592837482", "app_secret", "test_secret_123456"
#define SECS(s) ((s) * 1000ULL)

static apisign_signer *jetlinks_doc_signer(void) {
  apisign_signer *s = NULL;
  CHECK(signer_new(APISIGN_SCHEME_JETLINKS, &s, NULL, MD5_ID, NULL) == APISIGN_OK, "jetlinks");
  return s;
}

static void test_versions(void) {
  char want[32];
  snprintf(want, sizeof want, "%d.%d.%d", APISIGN_VERSION_MAJOR, APISIGN_VERSION_MINOR,
           APISIGN_VERSION_PATCH);
  CHECK(strcmp(want, APISIGN_VERSION_STRING) == 0, "macros %s vs %s", want,
        APISIGN_VERSION_STRING);
  CHECK(strcmp(apisign_version(), APISIGN_VERSION_STRING) == 0, "library %s, header %s",
        apisign_version(), APISIGN_VERSION_STRING);
}

static void test_result_codes(void) {
  struct {
    apisign_result code;
    const char *name;
  } known[] = {{APISIGN_OK, "ok"},
               {APISIGN_INVALID_INPUT, "invalid_input"},
               {APISIGN_BARE_QUERY_KEY, "bare_query_key"},
               {APISIGN_INVALID_ESCAPE, "invalid_escape"},
               {APISIGN_INVALID_URL, "invalid_url"},
               {APISIGN_INVALID_JSON, "invalid_json"},
               {APISIGN_BAD_KEY, "bad_key"},
               {APISIGN_INPUT_TOO_LARGE, "input_too_large"},
               {APISIGN_RNG, "rng"},
               {APISIGN_CRYPTO, "crypto"},
               {APISIGN_MISSING_AUTH, "missing_auth"},
               {APISIGN_MALFORMED_AUTH, "malformed_auth"},
               {APISIGN_UNKNOWN_CALLER, "unknown_caller"},
               {APISIGN_UNKNOWN_DATASET, "unknown_dataset"},
               {APISIGN_ACCESS_DENIED, "access_denied"},
               {APISIGN_TIMESTAMP_OUT_OF_WINDOW, "timestamp_out_of_window"},
               {APISIGN_SIGNATURE_INVALID, "signature_invalid"},
               {APISIGN_NONCE_REUSED, "nonce_reused"},
               {APISIGN_NONCE_STORE_FULL, "nonce_store_full"},
               {APISIGN_NONCE_STORE_UNAVAILABLE, "nonce_store_unavailable"},
               {APISIGN_IP_NOT_ALLOWED, "ip_not_allowed"},
               {APISIGN_NULL_POINTER, "null_pointer"},
               {APISIGN_BUFFER_TOO_SMALL, "buffer_too_small"},
               {APISIGN_INVALID_UTF8, "invalid_utf8"},
               {APISIGN_PANIC, "panic"},
               {APISIGN_INDEX_OUT_OF_RANGE, "index_out_of_range"},
               {APISIGN_NOT_FOUND, "not_found"}};
  for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
    char *name = code_name(known[i].code), *msg = fetch(f_code_msg, NULL, known[i].code);
    CHECK(name && strcmp(name, known[i].name) == 0, "code %u named %s", known[i].code, name);
    CHECK(msg && strlen(msg) > 5 && strcmp(msg, "unknown result code") != 0, "code %u: %s",
          known[i].code, msg);
    free(name);
    free(msg);
  }
  char *unknown = fetch(f_code_msg, NULL, 999999);
  CHECK(unknown && strcmp(unknown, "unknown result code") == 0, "%s", unknown);
  free(unknown);
  /* Short buffer: nothing written, size reported. */
  char buf[4] = {'x', 'x', 'x', 'x'};
  size_t n = 0;
  CHECK(apisign_result_message(APISIGN_BAD_KEY, (uint8_t *)buf, sizeof buf, &n) ==
            APISIGN_BUFFER_TOO_SMALL,
        "short buffer");
  CHECK(n == strlen("the RSA key cannot be parsed or is too weak"), "needed %zu", n);
  CHECK(memcmp(buf, "xxxx", 4) == 0, "short buffer was written to");
  CHECK(apisign_result_message(APISIGN_BAD_KEY, (uint8_t *)buf, sizeof buf, NULL) ==
            APISIGN_NULL_POINTER,
        "NULL out_len");
  CHECK(apisign_result_message(APISIGN_BAD_KEY, NULL, 10, &n) == APISIGN_NULL_POINTER,
        "NULL buf with a length");
}

static void test_null_pointers(void) {
  apisign_signer *jl = NULL;
  apisign_error *err = NULL;
  /* NULL out-pointer. */
  CHECK_FAILS(signer_new(APISIGN_SCHEME_JETLINKS, NULL, &err, "client_id", "id", "secure_key",
                         "key", NULL),
              APISIGN_NULL_POINTER, "out", "NULL out");
  /* NULL input with a non-zero length. */
  apisign_param p[2] = {{SPAN("client_id"), NULL, 0}, {SPAN("secure_key"), SPAN("key")}};
  p[0].value = NULL;
  p[0].value_len = 5;
  CHECK(apisign_signer_new(APISIGN_SCHEME_JETLINKS, p, 2, &jl, &err) == APISIGN_NULL_POINTER,
        "NULL client_id");
  CHECK(jl == NULL, "handle set on failure");
  check_err(err, APISIGN_NULL_POINTER, "param value");
  /* NULL with length 0 is the empty input, which this parameter rejects by name. */
  p[0].value_len = 0;
  CHECK_FAILS(apisign_signer_new(APISIGN_SCHEME_JETLINKS, p, 2, &jl, &err),
              APISIGN_INVALID_INPUT, "client_id", "empty client_id");
  /* err itself may be NULL. */
  CHECK(apisign_signer_new(APISIGN_SCHEME_JETLINKS, p, 2, &jl, NULL) == APISIGN_INVALID_INPUT,
        "NULL err");
  /* A NULL parameter list with a count. */
  CHECK_FAILS(apisign_signer_new(APISIGN_SCHEME_JETLINKS, NULL, 2, &jl, &err),
              APISIGN_NULL_POINTER, "params", "NULL params");

  jl = jetlinks_doc_signer();
  apisign_signature *sig = NULL;
  apisign_request req = get("/a?b=1");
  CHECK_FAILS(sign_at(NULL, &req, 1, NULL, 0, &sig, &err),
              APISIGN_NULL_POINTER, "signer", "NULL signer");
  CHECK_FAILS(apisign_sign(jl, NULL, NULL, &sig, &err),
              APISIGN_NULL_POINTER, "request", "NULL request");
  CHECK_FAILS(apisign_sign(jl, &req, NULL, NULL, &err), APISIGN_NULL_POINTER, "out", "NULL out");
  apisign_request bad = get("/a");
  bad.body = NULL;
  bad.body_len = 3;
  bad.method = (const uint8_t *)"POST";
  bad.method_len = 4;
  CHECK_FAILS(sign_at(jl, &bad, 1, NULL, 0, &sig, &err), APISIGN_NULL_POINTER, "body", "NULL body");
  bool valid = true;
  CHECK_FAILS(apisign_jetlinks_verify_response(jl, SPAN("{}"), SPAN("1"), SPAN("00"), NULL, &err),
              APISIGN_NULL_POINTER, "valid", "NULL valid");
  CHECK(apisign_jetlinks_verify_response(jl, SPAN("{}"), SPAN("1"), SPAN("00"), &valid, NULL) ==
                APISIGN_OK &&
            !valid,
        "wrong response signature is valid=false, not an error");
  apisign_signer_free(jl);

  /* Accessors on NULL handles. */
  size_t n = 7;
  const uint8_t *ptr = NULL;
  CHECK(apisign_signature_header_count(NULL) == 0, "count of NULL");
  CHECK(apisign_signature_param_count(NULL) == 0, "param count of NULL");
  CHECK(apisign_signature_header(NULL, 0, &ptr, &n, &ptr, &n) == APISIGN_NULL_POINTER,
        "header of NULL");
  CHECK(apisign_signature_signed(NULL, NULL, 0, &n) == APISIGN_NULL_POINTER, "signed of NULL");
  CHECK(apisign_error_code(NULL) == APISIGN_NULL_POINTER, "code of NULL");
  CHECK(apisign_private_key_bits(NULL) == 0, "bits of NULL");
  CHECK(apisign_lovrabet_batch_get(NULL, 0) == NULL, "batch_get of NULL");
  /* Every free accepts NULL. */
  apisign_signature_free(NULL);
  apisign_error_free(NULL);
  apisign_signer_free(NULL);
  apisign_lovrabet_batch_free(NULL);
  apisign_private_key_free(NULL);
  apisign_public_key_free(NULL);
}

static void test_short_buffers(void) {
  apisign_signer *jl = jetlinks_doc_signer();
  apisign_signature *sig = NULL;
  apisign_request req = get("/api/device?pageSize=20&pageIndex=0");
  CHECK(sign_at(jl, &req, 1574993804802ULL, NULL, 0, &sig, NULL) == APISIGN_OK, "sign");
  char buf[64];
  memset(buf, 'z', sizeof buf);
  size_t n = 0;
  /* X-Sign is 32 hex bytes: 31 is too small, nothing written; 32 fits exactly. */
  CHECK(apisign_signature_get(sig, SPAN("x-sign"), (uint8_t *)buf, 31, &n) ==
            APISIGN_BUFFER_TOO_SMALL,
        "31 bytes");
  CHECK(n == 32 && buf[0] == 'z', "needed %zu", n);
  CHECK(apisign_signature_get(sig, SPAN("X-Sign"), (uint8_t *)buf, 32, &n) == APISIGN_OK, "32");
  CHECK(n == 32 && memcmp(buf, "837fe7fa29e7a5e4852d447578269523", 32) == 0 && buf[32] == 'z',
        "exact fit, no NUL written");
  CHECK(apisign_signature_get(sig, SPAN("X-Nope"), (uint8_t *)buf, sizeof buf, &n) ==
            APISIGN_NOT_FOUND,
        "missing header");
  CHECK(apisign_signature_header_name(sig, 3, (uint8_t *)buf, sizeof buf, &n) ==
            APISIGN_INDEX_OUT_OF_RANGE,
        "index 3 of 3");
  /* The zero-copy accessor: borrowed bytes, range checked, NULL outputs refused. */
  const uint8_t *name = NULL, *value = NULL;
  size_t nl = 0, vl = 0;
  CHECK(apisign_signature_header(sig, 2, &name, &nl, &value, &vl) == APISIGN_OK && nl == 6 &&
            memcmp(name, "X-Sign", 6) == 0 && vl == 32 &&
            memcmp(value, "837fe7fa29e7a5e4852d447578269523", 32) == 0,
        "borrowed header 2");
  CHECK(apisign_signature_header(sig, 3, &name, &nl, &value, &vl) == APISIGN_INDEX_OUT_OF_RANGE,
        "borrowed header 3 of 3");
  CHECK(apisign_signature_header(sig, 0, NULL, &nl, &value, &vl) == APISIGN_NULL_POINTER,
        "NULL name out");
  CHECK(apisign_signature_param_count(sig) == 0, "no params to add");
  CHECK(apisign_signature_param(sig, 0, &name, &nl, &value, &vl) == APISIGN_INDEX_OUT_OF_RANGE,
        "param 0 of 0");
  char *lines = header_lines(sig);
  CHECK(lines && strcmp(lines,
                        "X-Client-Id: testId\r\nX-Timestamp: 1574993804802\r\n"
                        "X-Sign: 837fe7fa29e7a5e4852d447578269523\r\n") == 0,
        "header lines: %s", lines);
  free(lines);
  char *body = fetch(f_body, sig, 0);
  CHECK(body && body[0] == '\0', "no body for a caller request");
  free(body);
  apisign_signature_free(sig);

  /* Response signature into a short buffer fills in the error object too. */
  apisign_error *err = NULL;
  CHECK(apisign_jetlinks_sign_response(jl, SPAN("{}"), SPAN("1"), (uint8_t *)buf, 10, &n,
                                       &err) == APISIGN_BUFFER_TOO_SMALL,
        "short response buffer");
  CHECK(n == 32, "needed %zu", n);
  check_err(err, APISIGN_BUFFER_TOO_SMALL, "32");
  CHECK(apisign_jetlinks_sign_response(jl, SPAN("{}"), SPAN("1"), (uint8_t *)buf, 32, &n,
                                       NULL) == APISIGN_OK,
        "response sign");
  bool valid = false;
  CHECK(apisign_jetlinks_verify_response(jl, SPAN("{}"), SPAN("1"), (uint8_t *)buf, 32, &valid,
                                         NULL) == APISIGN_OK &&
            valid,
        "own response signature verifies");

  /* Token request: body and headers. */
  CHECK(apisign_jetlinks_token_request(jl, 7200, 1587719082698ULL, &sig, NULL) == APISIGN_OK,
        "token request");
  body = fetch(f_body, sig, 0);
  CHECK(body && strcmp(body, "{\"expires\":7200}") == 0, "token body %s", body);
  free(body);
  apisign_signature_free(sig);
  apisign_signer_free(jl);

  /* The JetLinks-only calls refuse a signer of another scheme, by name. */
  apisign_signer *pm = NULL;
  CHECK(signer_new(APISIGN_SCHEME_PIEMDM, &pm, NULL, PM_APP, NULL) == APISIGN_OK, "piemdm");
  CHECK_FAILS(apisign_jetlinks_sign_response(pm, SPAN("{}"), SPAN("1"), (uint8_t *)buf, 32, &n,
                                             &err),
              APISIGN_INVALID_INPUT, "jetlinks", "response signature with a piemdm signer");
  CHECK(apisign_jetlinks_token_request(pm, 1, 1, &sig, &err) == APISIGN_INVALID_INPUT &&
            sig == NULL,
        "token request with a piemdm signer");
  check_err(err, APISIGN_INVALID_INPUT, "jetlinks");
  apisign_dataset ds[1] = {{SPAN("users"), SPAN("ds-1")}};
  apisign_lovrabet_batch *b = NULL;
  CHECK(apisign_lovrabet_batch_new(pm, ds, 1, 1, &b, &err) == APISIGN_INVALID_INPUT && b == NULL,
        "batch with a piemdm signer");
  check_err(err, APISIGN_INVALID_INPUT, "lovrabet");
  apisign_signer_free(pm);
}

static void test_bad_keys(void) {
  apisign_private_key *key = NULL;
  apisign_public_key *pub = NULL;
  apisign_error *err = NULL;
  CHECK(apisign_private_key_parse(SPAN("not a key"), &key, &err) == APISIGN_BAD_KEY, "garbage");
  CHECK(key == NULL, "key set on failure");
  check_err(err, APISIGN_BAD_KEY, "key");
  CHECK_FAILS(apisign_private_key_parse(NULL, 0, &key, &err), APISIGN_BAD_KEY, "empty", "empty");
  CHECK(apisign_private_key_parse(
            SPAN("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE "
                 "KEY-----\n"),
            &key, &err) == APISIGN_BAD_KEY,
        "encrypted");
  check_err(err, APISIGN_BAD_KEY, "decrypt");
  CHECK_FAILS(apisign_private_key_parse(
                  SPAN("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"), &key, &err),
              APISIGN_BAD_KEY, "public key", "public as private");
  CHECK(apisign_public_key_parse(SPAN("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"
                                      "-----END RSA PRIVATE KEY-----\n"),
                                 &pub, &err) == APISIGN_BAD_KEY,
        "private as public");
  check_err(err, APISIGN_BAD_KEY, "private key");
  const uint8_t der_garbage[] = {0x30, 0x03, 0x02, 0x01, 0x00};
  CHECK_FAILS(apisign_private_key_parse(der_garbage, sizeof der_garbage, &key, &err),
              APISIGN_BAD_KEY, "PKCS", "DER garbage");
  /* The same key bytes as a signer parameter: the same error, naming the parameter. */
  apisign_signer *s = NULL;
  CHECK(signer_new(APISIGN_SCHEME_LINKSFIELD, &s, &err, "key_id", "kid", "private_key",
                   "not a key", NULL) == APISIGN_BAD_KEY &&
            s == NULL,
        "garbage key parameter");
  check_err(err, APISIGN_BAD_KEY, "PEM");
  CHECK_FAILS(signer_new(APISIGN_SCHEME_LINKSFIELD, NULL, &err, "key_id", "kid", NULL),
              APISIGN_NULL_POINTER, "out", "NULL out for signer");
}

static void test_invalid_utf8(void) {
  const uint8_t bad[] = {'a', 0xff, 'b'};
  apisign_signer *pm = NULL;
  apisign_error *err = NULL;
  apisign_param p[2] = {{SPAN("app_id"), bad, sizeof bad}, {SPAN("app_secret"), SPAN("secret")}};
  /* (The core checks parameter values: text that is not UTF-8 is invalid input, by name.) */
  CHECK_FAILS(apisign_signer_new(APISIGN_SCHEME_PIEMDM, p, 2, &pm, &err),
              APISIGN_INVALID_INPUT, "app_id", "app_id");
  /* Secrets are bytes: a non-UTF-8 secret is fine. */
  p[0] = (apisign_param){SPAN("app_id"), SPAN("app")};
  p[1] = (apisign_param){SPAN("app_secret"), bad, sizeof bad};
  CHECK(apisign_signer_new(APISIGN_SCHEME_PIEMDM, p, 2, &pm, &err) == APISIGN_OK,
        "binary secret");
  /* A parameter name that is not UTF-8 is refused by name. */
  apisign_signer *other = NULL;
  p[0] = (apisign_param){bad, sizeof bad, SPAN("app")};
  CHECK(apisign_signer_new(APISIGN_SCHEME_PIEMDM, p, 2, &other, &err) == APISIGN_INVALID_UTF8,
        "param name");
  check_err(err, APISIGN_INVALID_UTF8, "param name");
  apisign_request req = get("/x");
  req.url = bad;
  req.url_len = sizeof bad;
  apisign_signature *sig = NULL;
  CHECK(sign_at(pm, &req, 1000, "nonce-0123456789", 0, &sig, &err) == APISIGN_INVALID_UTF8,
        "url");
  check_err(err, APISIGN_INVALID_UTF8, "url");
  req = get("/x");
  apisign_sign_options o = {1000, bad, sizeof bad, 0};
  CHECK(apisign_sign(pm, &req, &o, &sig, &err) == APISIGN_INVALID_UTF8, "nonce");
  check_err(err, APISIGN_INVALID_UTF8, "nonce");
  /* A binary body is signed as bytes. */
  req.method = (const uint8_t *)"POST";
  req.method_len = 4;
  req.body = bad;
  req.body_len = sizeof bad;
  CHECK(sign_at(pm, &req, 1000, "nonce-0123456789", 0, &sig, &err) == APISIGN_OK,
        "binary body");
  apisign_signature_free(sig);
  /* Core errors carry the core code and the field. */
  req = get("/x%zz");
  CHECK_FAILS(sign_at(pm, &req, 1000, "n", 0, &sig, &err), APISIGN_INVALID_ESCAPE, "%25", "escape");
  req = get("relative/path");
  CHECK_FAILS(sign_at(pm, &req, 1000, "n", 0, &sig, &err), APISIGN_INVALID_URL, "url", "url");
  size_t n = 0;
  CHECK_FAILS(apisign_piemdm_canonical_request(&req, 1000, SPAN("n"), NULL, 0, &n, &err),
              APISIGN_INVALID_URL, "url", "canonical of a bad url");
  apisign_signer_free(pm);

  apisign_signer *jl = NULL;
  CHECK_FAILS(signer_new(APISIGN_SCHEME_JETLINKS, &jl, &err, "client_id", "id", "secure_key", "k",
                         "algorithm", "sha1", NULL),
              APISIGN_INVALID_INPUT, "algorithm", "algorithm sha1");
}

/* Unknown scheme ids, parameter names and setting names are refused with a message naming the
 * valid ones; repeated and missing parameters by name. */
static void test_names(void) {
  apisign_signer *s = NULL;
  apisign_error *err = NULL;
  CHECK(signer_new(7, &s, &err, MD5_ID, NULL) == APISIGN_INVALID_INPUT && s == NULL, "scheme 7");
  check_err(err, APISIGN_INVALID_INPUT, "3 = linksfield");
  CHECK_FAILS(signer_new(APISIGN_SCHEME_JETLINKS, &s, &err, MD5_ID, "clientid", "x", NULL),
              APISIGN_INVALID_INPUT, "client_id, secure_key, algorithm", "unknown parameter");
  CHECK_FAILS(signer_new(APISIGN_SCHEME_JETLINKS, &s, &err, MD5_ID, "client_id", "again", NULL),
              APISIGN_INVALID_INPUT, "client_id", "repeated parameter");
  CHECK_FAILS(signer_new(APISIGN_SCHEME_PIEMDM, &s, &err, "app_id", "a", NULL),
              APISIGN_INVALID_INPUT, "app_secret", "missing parameter");
  /* Garbage never reaches memory: a count no list can have, the largest scheme id. */
  apisign_param one = {SPAN("app_id"), SPAN("a")};
  CHECK_FAILS(apisign_signer_new(APISIGN_SCHEME_PIEMDM, &one, (size_t)-1, &s, &err),
              APISIGN_INPUT_TOO_LARGE, "params", "count -1");
  CHECK(apisign_signer_new(UINT32_MAX, &one, 1, &s, &err) == APISIGN_INVALID_INPUT && s == NULL,
        "scheme UINT32_MAX");
  check_err(err, APISIGN_INVALID_INPUT, "scheme");

  apisign_credentials *creds = NULL;
  CHECK(apisign_credentials_new(&creds) == APISIGN_OK, "credentials");
  CHECK(apisign_credentials_new(NULL) == APISIGN_NULL_POINTER, "NULL out");
  CHECK_FAILS(creds_add(creds, APISIGN_SCHEME_LINKSFIELD, &err, "key_id", "k", "private_key", "x",
                        NULL),
              APISIGN_INVALID_INPUT, "key_id, public_key", "a signing parameter as a credential");
  CHECK_FAILS(creds_add(creds, 9, &err, "key_id", "k", NULL),
              APISIGN_INVALID_INPUT, "scheme", "scheme 9");
  CHECK_FAILS(apisign_credentials_add_scope(creds, 9, SPAN("ds"), &err),
              APISIGN_INVALID_INPUT, "scheme", "scope of scheme 9");
  bool removed = true;
  CHECK(apisign_credentials_remove(creds, APISIGN_SCHEME_PIEMDM, SPAN("nobody"), &removed) ==
                APISIGN_OK &&
            !removed,
        "remove unknown");
  CHECK(apisign_credentials_remove(creds, 9, SPAN("nobody"), &removed) == APISIGN_INVALID_INPUT,
        "remove of scheme 9");
  CHECK(apisign_credentials_remove(NULL, 0, SPAN("x"), NULL) == APISIGN_NULL_POINTER,
        "remove from NULL");

  apisign_verifier_builder *b = NULL;
  CHECK(apisign_verifier_builder_new(APISIGN_SCHEME_PIEMDM, creds, &b, NULL) == APISIGN_OK,
        "builder");
  CHECK_FAILS(apisign_verifier_builder_set(b, SPAN("strict-query"), SPAN("true"), &err),
              APISIGN_INVALID_INPUT, "strict_query, min_nonce_len", "unknown setting");
  CHECK(apisign_verifier_builder_set(b, SPAN("strict_query"), SPAN("yes please"), NULL) ==
            APISIGN_OK,
        "a bad value is refused at build");
  apisign_verifier *v = NULL;
  CHECK(apisign_verifier_builder_build(b, &v, &err) == APISIGN_INVALID_INPUT && v == NULL,
        "bad flag value");
  check_err(err, APISIGN_INVALID_INPUT, "strict_query");
  CHECK_FAILS(apisign_verifier_builder_set(NULL, SPAN("strict_query"), SPAN("true"), &err),
              APISIGN_NULL_POINTER, "builder", "NULL builder");
  CHECK_FAILS(apisign_verifier_builder_set(b, NULL, 4, SPAN("true"), &err),
              APISIGN_NULL_POINTER, "name", "NULL name");
  apisign_verifier_builder_free(b);
  check_jetlinks_refuses(creds, "strict_query", "true", "none", "a setting of another scheme");
  apisign_credentials_free(creds);
}

static void test_secrets_stay_out_of_errors(void) {
  /* An app id with a control character: the message names the field, never the secret. */
  apisign_signer *pm = NULL;
  apisign_error *err = NULL;
  CHECK(signer_new(APISIGN_SCHEME_PIEMDM, &pm, &err, "app_id", "app\r\nX: y", "app_secret",
                   "TOPSECRET-42", NULL) == APISIGN_INVALID_INPUT,
        "control char");
  char *msg = fetch(f_err, err, 0);
  CHECK(msg && strstr(msg, "app_id") && !strstr(msg, "TOPSECRET"), "%s", msg);
  free(msg);
  apisign_error_free(err);
  /* Nor does an unknown parameter's value show up. */
  CHECK(signer_new(APISIGN_SCHEME_PIEMDM, &pm, &err, "app_id", "a", "app_secret", "s",
                   "app_secert", "TOPSECRET-43", NULL) == APISIGN_INVALID_INPUT,
        "misspelt secret");
  msg = fetch(f_err, err, 0);
  CHECK(msg && strstr(msg, "app_secert") && !strstr(msg, "TOPSECRET"), "%s", msg);
  free(msg);
  apisign_error_free(err);
}

static void test_lovrabet_batch_and_redaction(void) {
  apisign_signer *g = NULL;
  apisign_error *err = NULL;
  CHECK(signer_new(APISIGN_SCHEME_LOVRABET, &g, NULL, "app_code", "app", "dataset_code", "ds-1",
                   "access_key", "my-access-key", NULL) == APISIGN_OK,
        "new");
  apisign_dataset ds[2] = {{SPAN("users"), SPAN("ds-1")}, {SPAN("orders"), SPAN("ds-2")}};
  apisign_lovrabet_batch *b = NULL;
  CHECK(apisign_lovrabet_batch_new(g, ds, 2, 1700000000000ULL, &b, NULL) == APISIGN_OK,
        "batch");
  CHECK(apisign_lovrabet_batch_len(b) == 2, "len");
  char *name = fetch(f_batch_name, b, 1);
  CHECK(name && strcmp(name, "orders") == 0, "name %s", name);
  free(name);
  CHECK(apisign_lovrabet_batch_get(b, 2) == NULL, "past the end");
  /* Entry 0 equals a single token for the same dataset. */
  apisign_signature *one = NULL;
  apisign_request any = get("/");
  CHECK(sign_at(g, &any, 1700000000000ULL, NULL, 0, &one, NULL) == APISIGN_OK, "token");
  char *a = header_lines(apisign_lovrabet_batch_get(b, 0)), *c = header_lines(one);
  CHECK(a && c && strcmp(a, c) == 0, "batch entry differs from single token");
  free(a);
  free(c);
  /* The access key is in the exact signed string but not in the redacted one. */
  char *exact = fetch(f_signed, one, 0), *redacted = fetch(f_redacted, one, 0);
  CHECK(exact && strstr(exact, "my-access-key"), "%s", exact);
  CHECK(redacted && !strstr(redacted, "my-access-key") && strstr(redacted, "<redacted>"), "%s",
        redacted);
  /* The secret span covers exactly the access key (bindings redact with it). */
  size_t start = 99, end = 99;
  CHECK(apisign_signature_secret_span(one, &start, &end) == APISIGN_OK, "secret span");
  CHECK(exact && end - start == strlen("my-access-key") &&
            memcmp(exact + start, "my-access-key", end - start) == 0,
        "span %zu..%zu of %s", start, end, exact);
  CHECK(apisign_signature_secret_span(one, NULL, &end) == APISIGN_NULL_POINTER, "NULL start");
  CHECK(apisign_signature_secret_span(NULL, &start, &end) == APISIGN_NULL_POINTER, "NULL sig");
  free(exact);
  free(redacted);
  apisign_signature_free(one);
  /* Headers only: the same headers, no signed string (so nothing secret in it either). */
  CHECK(sign_at(g, &any, 1700000000000ULL, NULL, APISIGN_SIGN_HEADERS_ONLY, &one, NULL) ==
            APISIGN_OK,
        "headers only");
  a = header_lines(apisign_lovrabet_batch_get(b, 0));
  c = header_lines(one);
  exact = fetch(f_signed, one, 0);
  CHECK(a && c && strcmp(a, c) == 0 && exact && exact[0] == '\0', "headers only: %s", exact);
  free(a);
  free(c);
  free(exact);
  apisign_signature_free(one);
  /* Signatures without secret material report an empty span. */
  apisign_signer *pm = NULL;
  CHECK(signer_new(APISIGN_SCHEME_PIEMDM, &pm, NULL, "app_id", "app", "app_secret",
                   "s3cret-value", NULL) == APISIGN_OK,
        "pm");
  apisign_request r = get("/openapi/v1/x?a=1");
  CHECK(sign_at(pm, &r, SECS(1705478400), "0123456789abcdef", 0, &one, NULL) == APISIGN_OK,
        "pm sign");
  start = end = 99;
  CHECK(apisign_signature_secret_span(one, &start, &end) == APISIGN_OK && start == 0 && end == 0,
        "piemdm span %zu..%zu", start, end);
  apisign_signature_free(one);
  apisign_signer_free(pm);
  apisign_lovrabet_batch_free(b);
  apisign_dataset dup[2] = {{SPAN("u"), SPAN("a")}, {SPAN("u"), SPAN("b")}};
  CHECK(apisign_lovrabet_batch_new(g, dup, 2, 1, &b, &err) == APISIGN_INVALID_INPUT,
        "duplicate names");
  CHECK(b == NULL, "batch set on failure");
  check_err(err, APISIGN_INVALID_INPUT, "twice");
  CHECK_FAILS(apisign_lovrabet_batch_new(g, NULL, 2, 1, &b, &err),
              APISIGN_NULL_POINTER, "datasets", "NULL datasets");
  apisign_signer *g2 = (apisign_signer *)&g; /* garbage: must be cleared on failure */
  CHECK(signer_new(APISIGN_SCHEME_LOVRABET, &g2, &err, "app_code", "app", "dataset_code", "d",
                   "access_key", "ak", "secret_key", "", NULL) == APISIGN_INVALID_INPUT,
        "empty secret key");
  CHECK(g2 == NULL, "out not cleared on failure");
  check_err(err, APISIGN_INVALID_INPUT, "secret_key");
  apisign_signer_free(g);
}

static void test_lifetimes(void) {
  apisign_lifetime never = apisign_lifetime_jetlinks(5, 0);
  uint64_t out = 42;
  CHECK(never.never_expires && !apisign_lifetime_expires_at_ms(never, &out) && out == 42,
        "expires <= 0 never expires");
  CHECK(!apisign_lifetime_is_expired(never, UINT64_MAX), "never expired");
  apisign_lifetime j = apisign_lifetime_jetlinks(1000, 7200);
  CHECK(apisign_lifetime_expires_at_ms(j, &out) && out == 7201000, "jetlinks %lu",
        (unsigned long)out);
  apisign_lifetime o = apisign_lifetime_oauth2(10000, 7200);
  CHECK(apisign_lifetime_is_expiring(o, 300000, 6910001) &&
            !apisign_lifetime_is_expiring(o, 300000, 6910000),
        "oauth2 refresh window");
  CHECK(apisign_lifetime_is_expired(apisign_lifetime_lovrabet(0), 600000), "lovrabet 10 min");
  CHECK(apisign_lifetime_expires_at_ms(o, NULL), "NULL out is allowed");
}

static void test_clock_and_nonce(void) {
  char a[32], b[32];
  size_t n = 0;
  CHECK(apisign_random_nonce((uint8_t *)a, sizeof a, &n) == APISIGN_OK && n == 32, "nonce");
  CHECK(apisign_random_nonce((uint8_t *)b, sizeof b, &n) == APISIGN_OK, "nonce 2");
  CHECK(memcmp(a, b, 32) != 0, "nonces repeat");
  CHECK(apisign_random_nonce((uint8_t *)a, 31, &n) == APISIGN_BUFFER_TOO_SMALL && n == 32,
        "short nonce buffer");
  CHECK(apisign_now_ms() > 1577836800000ULL && apisign_now_secs() > 1577836800ULL, "clock");
}

/* The lovrabet verifier checks the token over the X-Time-Stamp text as sent: the token made for
 * <ts> does not verify under the header 0<ts> (it used to: the number was re-formatted). */
static void test_lovrabet_timestamp_text(void) {
  apisign_signer *g = NULL;
  apisign_credentials *creds = NULL;
  apisign_verifier *v = NULL;
  apisign_signature *sig = NULL;
  apisign_verified *who = NULL;
  apisign_error *err = NULL;
  CHECK(signer_new(APISIGN_SCHEME_LOVRABET, &g, NULL, "app_code", "app-1", "dataset_code",
                   "ds-1", "access_key", "ak-1", NULL) == APISIGN_OK,
        "generator");
  CHECK(apisign_credentials_new(&creds) == APISIGN_OK, "credentials");
  CHECK(creds_add(creds, APISIGN_SCHEME_LOVRABET, NULL, "app_code", "app-1", "access_key", "ak-1",
                  "dataset", "ds-1", NULL) == APISIGN_OK,
        "add app");
  CHECK(verifier_new(APISIGN_SCHEME_LOVRABET, creds, &v) == APISIGN_OK, "verifier");
  const uint64_t ts = 1700000000000ULL;
  apisign_request any = get("/");
  CHECK(sign_at(g, &any, ts, NULL, 0, &sig, NULL) == APISIGN_OK, "token");
  char token[64];
  size_t n = 0;
  CHECK(apisign_signature_get(sig, SPAN("X-Token"), (uint8_t *)token, sizeof token - 1, &n) ==
            APISIGN_OK,
        "X-Token");
  token[n] = 0;
  apisign_header h[4] = {{SPAN("X-App-Code"), SPAN("app-1")},
                         {SPAN("X-Dataset-Code"), SPAN("ds-1")},
                         {SPAN("X-Time-Stamp"), SPAN("1700000000000")},
                         {SPAN("X-Token"), (const uint8_t *)token, n}};
  apisign_incoming in = {(const uint8_t *)"GET", 3, (const uint8_t *)"/", 1, NULL, 0, h, 4};
  CHECK(apisign_verify(v, &in, ts, &who, NULL) == APISIGN_OK, "authentic token");
  apisign_verified_free(who);
  who = NULL;
  h[2].value = (const uint8_t *)"01700000000000";
  h[2].value_len = 14;
  CHECK(apisign_verify(v, &in, ts, &who, &err) == APISIGN_SIGNATURE_INVALID && who == NULL,
        "0<ts> with the token of <ts>");
  check_err(err, APISIGN_SIGNATURE_INVALID, "token");
  /* Key rotation: a removed caller is unknown from the next request on. */
  h[2].value = (const uint8_t *)"1700000000000";
  h[2].value_len = 13;
  bool removed = false;
  CHECK(apisign_credentials_remove(creds, APISIGN_SCHEME_LOVRABET, SPAN("app-1"), &removed) ==
                APISIGN_OK &&
            removed,
        "remove app-1");
  CHECK(apisign_verify(v, &in, ts, &who, &err) == APISIGN_UNKNOWN_CALLER && who == NULL,
        "removed caller");
  check_err(err, APISIGN_UNKNOWN_CALLER, "does not exist");
  /* A scope that exists but the caller may not use is "access denied", not "unknown". */
  CHECK(creds_add(creds, APISIGN_SCHEME_LOVRABET, NULL, "app_code", "app-1", "access_key", "ak-1",
                  NULL) == APISIGN_OK &&
            apisign_credentials_add_scope(creds, APISIGN_SCHEME_LOVRABET, SPAN("ds-9"), NULL) ==
                APISIGN_OK,
        "app without datasets");
  CHECK(apisign_verify(v, &in, ts, &who, NULL) == APISIGN_ACCESS_DENIED, "ds-1 no longer allowed");
  apisign_signature_free(sig);
  apisign_verifier_free(v);
  apisign_credentials_free(creds);
  apisign_signer_free(g);
}

static void test_verifier_errors(void) {
  apisign_credentials *creds = NULL;
  apisign_verifier *v = NULL;
  apisign_verifier_builder *b = NULL;
  apisign_verified *who = NULL;
  apisign_error *err = NULL;
  CHECK(apisign_credentials_new(&creds) == APISIGN_OK, "credentials");
  CHECK_FAILS(apisign_verifier_builder_new(APISIGN_SCHEME_JETLINKS, NULL, &b, &err),
              APISIGN_NULL_POINTER, "creds", "NULL creds");
  CHECK_FAILS(apisign_credentials_add(creds, APISIGN_SCHEME_JETLINKS, NULL, 1, &err),
              APISIGN_NULL_POINTER, "params", "NULL params");
  CHECK_FAILS(apisign_credentials_add(NULL, APISIGN_SCHEME_JETLINKS, NULL, 0, &err),
              APISIGN_NULL_POINTER, "creds", "NULL creds");
  CHECK_FAILS(creds_add(creds, APISIGN_SCHEME_LOVRABET, &err, "app_code", "app", "access_key", "ak",
                        "dataset", "d\n", NULL),
              APISIGN_INVALID_INPUT, "scope", "dataset with a newline");
  CHECK_FAILS(apisign_credentials_add_scope(creds, APISIGN_SCHEME_LOVRABET, SPAN("d\r\n"), &err),
              APISIGN_INVALID_INPUT, "scope", "scope with a newline");
  CHECK(verifier_new(APISIGN_SCHEME_LOVRABET, creds, &v) == APISIGN_OK, "verifier");
  CHECK_FAILS(apisign_verify(v, NULL, 1, &who, &err),
              APISIGN_NULL_POINTER, "request", "NULL request");
  apisign_incoming in = {(const uint8_t *)"GET", 3, (const uint8_t *)"/", 1, NULL, 0, NULL, 2};
  CHECK_FAILS(apisign_verify(v, &in, 1, &who, &err),
              APISIGN_NULL_POINTER, "headers", "NULL headers");
  apisign_header any = {SPAN("X-A"), SPAN("b")};
  in.headers = &any;
  in.header_count = SIZE_MAX / 2;
  CHECK_FAILS(apisign_verify(v, &in, 1, &who, &err),
              APISIGN_INPUT_TOO_LARGE, "headers", "header count");
  in.headers = NULL;
  in.header_count = 0;
  CHECK_FAILS(apisign_verify(NULL, &in, 1, &who, &err),
              APISIGN_NULL_POINTER, "verifier", "NULL verifier");
  CHECK(apisign_verify(v, &in, 1, &who, &err) == APISIGN_MISSING_AUTH && who == NULL,
        "no auth headers");
  char code[64];
  size_t n = 0;
  CHECK(apisign_error_platform_code(err, (uint8_t *)code, sizeof code, &n) == APISIGN_OK && n > 0,
        "missing auth has a platform code");
  /* Issue #13: the status and the platform's answer (Lovrabet: 1004 for a missing app code). */
  CHECK(apisign_error_status(err) == 401, "status of missing auth: %u", apisign_error_status(err));
  uint16_t status = 0;
  char body[256];
  CHECK(apisign_verifier_rejection(v, err, 0, &status, (uint8_t *)body, sizeof body, &n) ==
                APISIGN_OK &&
            status == 401 && n == strlen("{\"success\":false,\"code\":1004,\"msg\":\"Application does not exist\"}") &&
            memcmp(body, "{\"success\":false,\"code\":1004,\"msg\":\"Application does not exist\"}", n) == 0,
        "rejection body %.*s", (int)n, body);
  CHECK(apisign_verifier_rejection(v, err, 0, &status, (uint8_t *)body, 4, &n) ==
            APISIGN_BUFFER_TOO_SMALL,
        "short rejection buffer");
  CHECK(apisign_verifier_rejection(v, NULL, APISIGN_INPUT_TOO_LARGE, &status, (uint8_t *)body,
                                   sizeof body, &n) == APISIGN_OK &&
            status == 413,
        "rejection for a code: %u", status);
  CHECK(apisign_result_status(APISIGN_NONCE_STORE_UNAVAILABLE) == 503 &&
            apisign_result_status(APISIGN_IP_NOT_ALLOWED) == 403 &&
            apisign_result_status(APISIGN_NULL_POINTER) == 500,
        "result statuses");
  CHECK(apisign_error_status(NULL) == 0, "status of NULL");
  char ip[64];
  CHECK(apisign_client_ip(SPAN("10.0.0.2"), SPAN("127.0.0.1, 203.0.113.9"), SPAN("10.0.0.0/8"),
                          (uint8_t *)ip, sizeof ip, &n, NULL) == APISIGN_OK &&
            n == strlen("203.0.113.9") && memcmp(ip, "203.0.113.9", n) == 0,
        "client ip behind a trusted proxy: %.*s", (int)n, ip);
  CHECK(apisign_client_ip(SPAN("203.0.113.7"), SPAN("10.0.0.9"), SPAN("10.0.0.0/8"), (uint8_t *)ip,
                          sizeof ip, &n, NULL) == APISIGN_OK &&
            n == strlen("203.0.113.7") && memcmp(ip, "203.0.113.7", n) == 0,
        "an untrusted peer's X-Forwarded-For is ignored: %.*s", (int)n, ip);
  check_err(err, APISIGN_MISSING_AUTH, "missing");
  CHECK_FAILS(apisign_client_ip(SPAN("nope"), NULL, 0, SPAN(""), (uint8_t *)ip, sizeof ip, &n, &err),
              APISIGN_INVALID_INPUT, "peer", "bad peer");
  const uint8_t bad[] = {'X', 0xff};
  apisign_header h = {bad, sizeof bad, (const uint8_t *)"v", 1};
  in.headers = &h;
  in.header_count = 1;
  CHECK(apisign_verify(v, &in, 1, &who, &err) == APISIGN_INVALID_UTF8, "non-UTF-8 header name");
  check_err(err, APISIGN_INVALID_UTF8, "header name");
  /* A non-verification error has no platform code. */
  apisign_signer *jl = NULL;
  CHECK(signer_new(APISIGN_SCHEME_JETLINKS, &jl, &err, "client_id", "", "secure_key", "k",
                   NULL) == APISIGN_INVALID_INPUT,
        "empty id");
  CHECK(apisign_error_platform_code(err, (uint8_t *)code, sizeof code, &n) == APISIGN_NOT_FOUND,
        "platform code of an input error");
  apisign_error_free(err);
  CHECK(apisign_verified_timestamp(NULL) == 0, "timestamp of NULL");
  CHECK(apisign_verified_caller(NULL, (uint8_t *)code, sizeof code, &n) == APISIGN_NULL_POINTER,
        "caller of NULL");
  apisign_verifier_free(v);
  apisign_credentials_free(creds);
  apisign_verifier_free(NULL);
  apisign_credentials_free(NULL);
  apisign_verified_free(NULL);
}

/* Issue #13: one server for several platforms hands each request to the verifier whose
 * scheme's headers it carries (SPEC.md: Lovrabet X-App-Code/X-Time-Stamp/X-Token, JetLinks
 * X-Client-Id/X-Timestamp/X-Sign), the first one when it carries none. */
static void test_verifier_pick(void) {
  apisign_credentials *creds = NULL;
  apisign_verifier *lv = NULL, *jv = NULL;
  apisign_error *err = NULL;
  CHECK(apisign_credentials_new(&creds) == APISIGN_OK, "credentials");
  CHECK(verifier_new(APISIGN_SCHEME_LOVRABET, creds, &lv) == APISIGN_OK, "lovrabet verifier");
  CHECK(verifier_new(APISIGN_SCHEME_JETLINKS, creds, &jv) == APISIGN_OK, "jetlinks verifier");
  const apisign_verifier *both[] = {lv, jv};
  apisign_header jet[] = {{SPAN("accept"), SPAN("*/*")},
                          {SPAN("x-client-id"), SPAN("c")},
                          {SPAN("X-TIMESTAMP"), SPAN("1")},
                          {SPAN("X-Sign"), SPAN("00")}};
  apisign_header lov[] = {{SPAN("X-App-Code"), SPAN("a")}, {SPAN("X-Token"), SPAN("t")}};
  size_t i = 99;
  CHECK(apisign_verifier_pick(both, 2, jet, 4, &i, &err) == APISIGN_OK && i == 1, "jetlinks: %zu", i);
  CHECK(apisign_verifier_pick(both, 2, lov, 2, &i, &err) == APISIGN_OK && i == 0, "lovrabet: %zu", i);
  CHECK(apisign_verifier_pick(both, 2, NULL, 0, &i, &err) == APISIGN_OK && i == 0, "no headers: %zu", i);
  const apisign_verifier *swapped[] = {jv, lv};
  CHECK(apisign_verifier_pick(swapped, 2, lov, 2, &i, &err) == APISIGN_OK && i == 1, "swapped: %zu", i);
  CHECK_FAILS(apisign_verifier_pick(both, 0, jet, 4, &i, &err), APISIGN_INVALID_INPUT, "verifiers",
              "no verifiers");
  CHECK_FAILS(apisign_verifier_pick(both, 2, jet, 4, NULL, &err), APISIGN_NULL_POINTER, "index",
              "NULL index");
  const apisign_verifier *holey[] = {lv, NULL};
  CHECK_FAILS(apisign_verifier_pick(holey, 2, jet, 4, &i, &err), APISIGN_NULL_POINTER, "verifiers",
              "NULL verifier in the list");
  const uint8_t bad[] = {'X', 0xff};
  apisign_header h = {bad, sizeof bad, (const uint8_t *)"v", 1};
  CHECK_FAILS(apisign_verifier_pick(both, 2, &h, 1, &i, &err), APISIGN_INVALID_UTF8, "header name",
              "non-UTF-8 header name");
  apisign_verifier_free(lv);
  apisign_verifier_free(jv);
  apisign_credentials_free(creds);
}

/* The fast path (APISIGN_SIGN_HEADERS_ONLY): the same headers, an empty signed string, the
 * same errors naming the field, and a generated nonce that a verifier accepts. */
static void test_fast_paths(void) {
  apisign_signer *jl = jetlinks_doc_signer();
  apisign_error *err = NULL;
  apisign_signature *sig = NULL;
  const char *url = "/api/device?pageSize=20&pageIndex=0";
  const uint32_t H = APISIGN_SIGN_HEADERS_ONLY;
  /* The platform's published example, as header lines. */
  const char *want = "X-Client-Id: testId\r\nX-Timestamp: 1574993804802\r\n"
                     "X-Sign: 837fe7fa29e7a5e4852d447578269523\r\n";
  apisign_request req = get(url);
  CHECK(sign_at(jl, &req, 1574993804802ULL, NULL, H, &sig, &err) == APISIGN_OK && err == NULL,
        "headers only");
  char *lines = header_lines(sig), *signed_text = fetch(f_signed, sig, 0);
  CHECK(lines && strcmp(lines, want) == 0, "lines %s", lines);
  CHECK(signed_text && signed_text[0] == '\0', "signed string %s", signed_text);
  free(lines);
  free(signed_text);
  apisign_signature_free(sig);
  /* The same errors, each naming what is wrong. */
  CHECK_FAILS(sign_at(NULL, &req, 1, NULL, H, &sig, &err),
              APISIGN_NULL_POINTER, "signer", "NULL signer");
  apisign_request r = req;
  r.method = NULL;
  CHECK_FAILS(sign_at(jl, &r, 1, NULL, H, &sig, &err),
              APISIGN_NULL_POINTER, "method", "NULL method");
  r = get("/a");
  r.method = (const uint8_t *)"POST";
  r.method_len = 4;
  r.body_len = 3;
  CHECK_FAILS(sign_at(jl, &r, 1, NULL, H, &sig, &err), APISIGN_NULL_POINTER, "body", "NULL body");
  /* A length no buffer can have (a negative length cast to size_t) is refused before reading. */
  r = req;
  r.url_len = (size_t)-1;
  CHECK_FAILS(sign_at(jl, &r, 1, NULL, H, &sig, &err),
              APISIGN_INPUT_TOO_LARGE, "url", "url length -1");
  /* Invalid UTF-8 names the field. */
  const uint8_t bad[] = {'/', 0xff, 'b'};
  r = req;
  r.url = bad;
  r.url_len = sizeof bad;
  CHECK(sign_at(jl, &r, 1, NULL, H, &sig, &err) == APISIGN_INVALID_UTF8, "url utf-8");
  check_err(err, APISIGN_INVALID_UTF8, "url");
  r = req;
  r.method = bad;
  r.method_len = sizeof bad;
  CHECK(sign_at(jl, &r, 1, NULL, H, &sig, &err) == APISIGN_INVALID_UTF8, "method utf-8");
  check_err(err, APISIGN_INVALID_UTF8, "method");
  r = get("/a");
  r.method = (const uint8_t *)"POST";
  r.method_len = 4;
  r.body = (const uint8_t *)"a=1";
  r.body_len = 3;
  r.content_type = bad;
  r.content_type_len = sizeof bad;
  CHECK(sign_at(jl, &r, 1, NULL, H, &sig, &err) == APISIGN_INVALID_UTF8, "content_type utf-8");
  check_err(err, APISIGN_INVALID_UTF8, "content_type");
  /* Core errors keep their code and field. */
  r = get("/a?flag");
  CHECK_FAILS(sign_at(jl, &r, 1, NULL, H, &sig, &err), APISIGN_BARE_QUERY_KEY, "flag", "bare key");
  apisign_signer_free(jl);

  apisign_signer *g = NULL;
  CHECK_FAILS(signer_new(APISIGN_SCHEME_LOVRABET, &g, &err, "app_code", "app", "dataset_code",
                         "d\r\ns", "access_key", "ak", NULL),
              APISIGN_INVALID_INPUT, "dataset_code", "header injection");
  apisign_param lp[3] = {{SPAN("app_code"), bad, sizeof bad},
                         {SPAN("dataset_code"), SPAN("ds")},
                         {SPAN("access_key"), SPAN("ak")}};
  CHECK_FAILS(apisign_signer_new(APISIGN_SCHEME_LOVRABET, lp, 3, &g, &err),
              APISIGN_INVALID_INPUT, "app_code", "app_code utf-8");

  /* PieMDM with a generated nonce (opts NULL or nonce NULL): 32 hex characters, fresh each
   * call, and the result verifies (so the nonce in X-Nonce is the one that was signed). */
  apisign_signer *pm = NULL;
  CHECK(signer_new(APISIGN_SCHEME_PIEMDM, &pm, NULL, PM_APP, NULL) == APISIGN_OK, "piemdm");
  apisign_sign_options o = {1000, NULL, 5, H};
  r = get("/x");
  CHECK(apisign_sign(pm, &r, &o, &sig, &err) == APISIGN_OK, "NULL nonce draws one");
  apisign_signature_free(sig);
  o.nonce = bad;
  o.nonce_len = sizeof bad;
  CHECK(apisign_sign(pm, &r, &o, &sig, &err) == APISIGN_INVALID_UTF8, "nonce utf-8");
  check_err(err, APISIGN_INVALID_UTF8, "nonce");
  apisign_credentials *creds = NULL;
  apisign_verifier *v = NULL;
  CHECK(apisign_credentials_new(&creds) == APISIGN_OK &&
            creds_add(creds, APISIGN_SCHEME_PIEMDM, NULL, PM_APP, NULL) == APISIGN_OK &&
            verifier_new(APISIGN_SCHEME_PIEMDM, creds, &v) == APISIGN_OK,
        "verifier");
  char nonces[2][33];
  const char *body = "{\"a\":1}";
  apisign_request post = get("/openapi/v1/x?b=2&a=1");
  post.method = (const uint8_t *)"POST";
  post.method_len = 4;
  post.body = (const uint8_t *)body;
  post.body_len = strlen(body);
  for (int i = 0; i < 2; i++) {
    uint64_t now = apisign_now_ms();
    /* opts NULL: the clock and a random nonce (the clock read here is within a second). */
    CHECK(apisign_sign(pm, &post, i == 0 ? NULL : &(apisign_sign_options){now, NULL, 0, H}, &sig,
                       NULL) == APISIGN_OK,
          "generated nonce");
    apisign_header hs[4];
    size_t count = received(sig, hs, 4);
    CHECK(count == 4, "%zu headers", count);
    for (size_t k = 0; k < count; k++) {
      if (hs[k].name_len == 7 && memcmp(hs[k].name, "X-Nonce", 7) == 0) {
        CHECK(hs[k].value_len == 32, "nonce length %zu", hs[k].value_len);
        snprintf(nonces[i], sizeof nonces[i], "%.*s", (int)hs[k].value_len,
                 (const char *)hs[k].value);
      }
    }
    apisign_incoming in = {post.method, 4, post.url, post.url_len, post.body, post.body_len,
                           hs, count};
    apisign_verified *who = NULL;
    CHECK(apisign_verify(v, &in, now, &who, NULL) == APISIGN_OK, "generated nonce verifies");
    apisign_verified_free(who);
    /* And a replay of the same headers is rejected. */
    CHECK(apisign_verify(v, &in, now, &who, NULL) == APISIGN_NONCE_REUSED, "replay");
    apisign_signature_free(sig);
  }
  CHECK(strlen(nonces[0]) == 32 && strcmp(nonces[0], nonces[1]) != 0, "nonces %s %s", nonces[0],
        nonces[1]);
  apisign_verifier_free(v);
  apisign_credentials_free(creds);
  apisign_signer_free(pm);
}

/* A caller-provided nonce store: a fixed table in C with expiries, a failure mode, a call
 * counter, and a destructor flag. */
struct table_store {
  char keys[16][256];
  uint64_t expiry[16];
  size_t used;
  int calls;
  uint64_t last_ttl, last_now;
  apisign_result fail_with; /* returned instead of answering when not OK */
  int freed;
};

static apisign_result table_check_and_record(void *userdata, const uint8_t *key, size_t key_len,
                                             uint64_t ttl_secs, uint64_t now_secs, bool *fresh) {
  struct table_store *t = userdata;
  t->calls++;
  t->last_ttl = ttl_secs;
  t->last_now = now_secs;
  if (t->fail_with != APISIGN_OK) return t->fail_with;
  if (key_len >= sizeof t->keys[0]) return APISIGN_NONCE_STORE_UNAVAILABLE;
  for (size_t i = 0; i < t->used; i++) {
    if (strlen(t->keys[i]) == key_len && memcmp(t->keys[i], key, key_len) == 0 &&
        t->expiry[i] > now_secs) {
      *fresh = false;
      return APISIGN_OK;
    }
  }
  if (t->used == 16) return APISIGN_NONCE_STORE_FULL;
  memcpy(t->keys[t->used], key, key_len);
  t->keys[t->used][key_len] = '\0';
  t->expiry[t->used++] = now_secs + ttl_secs;
  *fresh = true;
  return APISIGN_OK;
}

/* A callback that answers OK without saying whether the nonce is fresh. */
static apisign_result forgetful_check_and_record(void *userdata, const uint8_t *key,
                                                 size_t key_len, uint64_t ttl_secs,
                                                 uint64_t now_secs, bool *fresh) {
  (void)userdata, (void)key, (void)key_len, (void)ttl_secs, (void)now_secs, (void)fresh;
  return APISIGN_OK;
}

static void table_free(void *userdata) { ((struct table_store *)userdata)->freed++; }

/* Sign a PieMDM GET of `url` with `nonce` at `ts` (seconds) and verify it with `v` at `now`
 * (seconds), as received with `received` as its request target. */
static apisign_result sign_and_verify_url(const apisign_signer *pm, const apisign_verifier *v,
                                          const char *url, const char *received_url,
                                          const char *nonce, uint64_t ts, uint64_t now,
                                          apisign_error **err) {
  apisign_request r = get(url);
  apisign_signature *sig = NULL;
  if (sign_at(pm, &r, SECS(ts), nonce, APISIGN_SIGN_HEADERS_ONLY, &sig, NULL) != APISIGN_OK)
    return 99999;
  apisign_header hs[4];
  size_t count = received(sig, hs, 4);
  apisign_incoming in = {(const uint8_t *)"GET", 3, (const uint8_t *)received_url,
                         strlen(received_url), NULL, 0, hs, count};
  apisign_verified *who = NULL;
  apisign_result rc = apisign_verify(v, &in, SECS(now), &who, err);
  apisign_verified_free(who);
  apisign_signature_free(sig);
  return rc;
}

/* Sign the documented PieMDM GET with `nonce` at `ts` and verify it with `v` at `now`. */
static apisign_result sign_and_verify(const apisign_signer *pm, const apisign_verifier *v,
                                      const char *nonce, uint64_t ts, uint64_t now,
                                      apisign_error **err) {
  const char *url = "/openapi/v1/entities/product?page=1&pageSize=10";
  return sign_and_verify_url(pm, v, url, url, nonce, ts, now, err);
}

static void piemdm_setup(apisign_credentials **creds, apisign_signer **pm) {
  CHECK(apisign_credentials_new(creds) == APISIGN_OK &&
            signer_new(APISIGN_SCHEME_PIEMDM, pm, NULL, PM_APP, NULL) == APISIGN_OK &&
            creds_add(*creds, APISIGN_SCHEME_PIEMDM, NULL, PM_APP, NULL) == APISIGN_OK,
        "setup");
}

/* Issue #10 item 8: a nonce TTL shorter than the window's width + 1 s is refused when the
 * verifier is built, and the defaults reject the replay at the window's far edge. */
static void test_nonce_ttl_against_the_window(void) {
  apisign_credentials *creds = NULL;
  apisign_signer *pm = NULL;
  apisign_verifier_builder *b = NULL;
  apisign_verifier *v = NULL;
  apisign_error *err = NULL;
  const uint64_t ts = 1705478400;
  piemdm_setup(&creds, &pm);
  CHECK(apisign_verifier_builder_new(APISIGN_SCHEME_PIEMDM, creds, &b, NULL) == APISIGN_OK,
        "builder");
  /* 900 s window, 600 s TTL: admitted a replay at T+600 before. */
  apisign_window w900 = {SECS(900), SECS(900)};
  CHECK(apisign_verifier_builder_set_window(b, &w900) == APISIGN_OK, "window 900");
  CHECK(apisign_verifier_builder_set_nonce_ttl(b, 600) == APISIGN_OK, "ttl 600");
  CHECK(apisign_verifier_builder_build(b, &v, &err) == APISIGN_INVALID_INPUT && v == NULL,
        "ttl 600 under a 900 s window");
  check_err(err, APISIGN_INVALID_INPUT, "nonce_ttl");
  CHECK(apisign_verifier_builder_set_nonce_ttl(b, 1800) == APISIGN_OK, "ttl 1800");
  CHECK_FAILS(apisign_verifier_builder_build(b, &v, &err),
              APISIGN_INVALID_INPUT, "1801", "ttl one second short");
  CHECK(apisign_verifier_builder_set_nonce_ttl(b, 1801) == APISIGN_OK &&
            apisign_verifier_builder_build(b, &v, NULL) == APISIGN_OK,
        "ttl 1801");
  apisign_verifier_free(v);
  v = NULL;
  /* Narrowing the TTL's room afterwards is caught by the build step. */
  apisign_window w901 = {SECS(901), SECS(900)};
  CHECK(apisign_verifier_builder_set_window(b, &w901) == APISIGN_OK, "window 901");
  CHECK(apisign_verifier_builder_build(b, &v, &err) == APISIGN_INVALID_INPUT && v == NULL,
        "build with a TTL too short for the final window");
  check_err(err, APISIGN_INVALID_INPUT, "nonce_ttl");
  CHECK(apisign_verifier_builder_set_window(b, NULL) == APISIGN_NULL_POINTER, "NULL window");
  CHECK(apisign_verifier_builder_set_window(NULL, &w900) == APISIGN_NULL_POINTER,
        "NULL builder");
  apisign_verifier_builder_free(b);
  /* TTL 0 admitted one request any number of times. */
  CHECK(apisign_verifier_builder_new(APISIGN_SCHEME_PIEMDM, creds, &b, NULL) == APISIGN_OK &&
            apisign_verifier_builder_set_nonce_ttl(b, 0) == APISIGN_OK &&
            apisign_verifier_builder_build(b, &v, &err) == APISIGN_INVALID_INPUT,
        "ttl 0");
  check_err(err, APISIGN_INVALID_INPUT, "nonce_ttl");
  apisign_verifier_builder_free(b);
  /* Defaults: sent at T-300, replayed at T+300 (the old 600 s TTL had just run out). */
  CHECK(verifier_new(APISIGN_SCHEME_PIEMDM, creds, &v) == APISIGN_OK, "default verifier");
  CHECK(sign_and_verify(pm, v, "edge-nonce-000000001", ts, ts - 300, NULL) == APISIGN_OK,
        "first, 300 s ahead");
  CHECK_FAILS(sign_and_verify(pm, v, "edge-nonce-000000001", ts, ts + 300, &err),
              APISIGN_NONCE_REUSED, "nonce", "replay 300 s late");
  apisign_verifier_free(v);
  /* A 900 s window without a TTL keeps nonces 1801 s: the replay at T+600 is rejected. */
  CHECK(apisign_verifier_builder_new(APISIGN_SCHEME_PIEMDM, creds, &b, NULL) == APISIGN_OK &&
            apisign_verifier_builder_set_window(b, &w900) == APISIGN_OK &&
            apisign_verifier_builder_build(b, &v, NULL) == APISIGN_OK,
        "900 s verifier");
  apisign_verifier_builder_free(b);
  CHECK(sign_and_verify(pm, v, "wide-nonce-000000001", ts, ts, NULL) == APISIGN_OK, "first");
  CHECK(sign_and_verify(pm, v, "wide-nonce-000000001", ts, ts + 600, NULL) ==
            APISIGN_NONCE_REUSED,
        "replay at T+600");
  apisign_verifier_free(v);
  apisign_signer_free(pm);
  apisign_credentials_free(creds);
}

/* PieMDM strict query mode: `?a=1&admin=1;` verifies with the signature of `?a=1` (Go's
 * server skips the segment) unless strict mode is on. */
static void test_strict_query(void) {
  apisign_credentials *creds = NULL;
  apisign_signer *pm = NULL;
  apisign_verifier_builder *b = NULL;
  apisign_verifier *lax = NULL, *strict = NULL;
  apisign_error *err = NULL;
  const uint64_t ts = 1705478400;
  const char *url = "/openapi/v1/items?a=1", *tampered = "/openapi/v1/items?a=1&admin=1;";
  piemdm_setup(&creds, &pm);
  CHECK(apisign_verifier_builder_new(APISIGN_SCHEME_PIEMDM, creds, &b, NULL) == APISIGN_OK &&
            apisign_verifier_builder_build(b, &lax, NULL) == APISIGN_OK &&
            apisign_verifier_builder_set(b, SPAN("strict_query"), SPAN("true"), NULL) ==
                APISIGN_OK &&
            apisign_verifier_builder_build(b, &strict, NULL) == APISIGN_OK,
        "setup");
  CHECK(sign_and_verify_url(pm, lax, url, tampered, "strict-nonce-0000001", ts, ts, NULL) ==
            APISIGN_OK,
        "lax verifier admits the unsigned segment");
  CHECK(sign_and_verify_url(pm, strict, url, tampered, "strict-nonce-0000001", ts, ts, &err) ==
            APISIGN_SIGNATURE_INVALID,
        "strict verifier refuses it");
  char code[64];
  size_t n = 0;
  CHECK(apisign_error_platform_code(err, (uint8_t *)code, sizeof code, &n) == APISIGN_OK &&
            n == strlen("AUTH_SIGNATURE_INVALID") && memcmp(code, "AUTH_SIGNATURE_INVALID", n) == 0,
        "platform code");
  check_err(err, APISIGN_SIGNATURE_INVALID, "segment 2");
  CHECK(sign_and_verify_url(pm, strict, url, url, "strict-nonce-0000002", ts, ts, NULL) ==
            APISIGN_OK,
        "strict verifier admits a fully signed query");
  apisign_verifier_builder_free(b);
  CHECK(apisign_verifier_builder_new(APISIGN_SCHEME_JETLINKS, creds, &b, NULL) == APISIGN_OK &&
            apisign_verifier_builder_set(b, SPAN("strict_query"), SPAN("true"), &err) ==
                APISIGN_INVALID_INPUT,
        "strict query on jetlinks");
  check_err(err, APISIGN_INVALID_INPUT, "strict_query");
  apisign_verifier_builder_free(b);
  apisign_verifier_free(lax);
  apisign_verifier_free(strict);
  apisign_signer_free(pm);
  apisign_credentials_free(creds);
}

static void test_verifier_options_and_nonce_stores(void) {
  apisign_credentials *creds = NULL;
  apisign_signer *pm = NULL;
  apisign_verifier_builder *b = NULL;
  apisign_verifier *v = NULL;
  apisign_error *err = NULL;
  piemdm_setup(&creds, &pm);
  /* Builder errors. */
  CHECK(apisign_verifier_builder_new(7, creds, &b, &err) == APISIGN_INVALID_INPUT && b == NULL,
        "scheme 7");
  check_err(err, APISIGN_INVALID_INPUT, "scheme");
  CHECK_FAILS(apisign_verifier_builder_new(APISIGN_SCHEME_PIEMDM, NULL, &b, &err),
              APISIGN_NULL_POINTER, "creds", "NULL creds");
  CHECK(apisign_verifier_builder_set_nonce_ttl(NULL, 1) == APISIGN_NULL_POINTER, "NULL builder");
  CHECK_FAILS(apisign_verifier_builder_build(NULL, &v, &err),
              APISIGN_NULL_POINTER, "builder", "NULL builder");
  CHECK(apisign_verifier_builder_new(APISIGN_SCHEME_JETLINKS, creds, &b, NULL) == APISIGN_OK,
        "jetlinks builder");
  CHECK(apisign_verifier_builder_set_nonce_ttl(b, 60) == APISIGN_OK &&
            apisign_verifier_builder_build(b, &v, &err) == APISIGN_INVALID_INPUT && v == NULL,
        "nonce ttl on jetlinks");
  check_err(err, APISIGN_INVALID_INPUT, "nonce");
  apisign_verifier_builder_free(b);
  check_jetlinks_refuses(creds, "accept_v1", "false", "accept_v1", "accept_v1 on jetlinks");

  /* PieMDM: minimum nonce length 16 rejects the documented 12-character nonce; the nonce TTL
   * and `now` reach the caller's store, which rejects the replay. */
  struct table_store t;
  memset(&t, 0, sizeof t);
  apisign_nonce_store *store = NULL;
  CHECK_FAILS(apisign_nonce_store_new_callback(NULL, &t, table_free, &store, &err),
              APISIGN_NULL_POINTER, "check_and_record", "NULL callback");
  CHECK(t.freed == 0, "failed creation must not take userdata over");
  CHECK(apisign_nonce_store_new_callback(table_check_and_record, &t, table_free, &store, NULL) ==
            APISIGN_OK,
        "callback store");
  apisign_window w100 = {SECS(100), SECS(100)};
  CHECK(apisign_verifier_builder_new(APISIGN_SCHEME_PIEMDM, creds, &b, NULL) == APISIGN_OK &&
            apisign_verifier_builder_set_window(b, &w100) == APISIGN_OK &&
            apisign_verifier_builder_set_nonce_ttl(b, 900) == APISIGN_OK &&
            apisign_verifier_builder_set(b, SPAN("min_nonce_len"), SPAN("sixteen"), NULL) ==
                APISIGN_OK &&
            apisign_verifier_builder_set_nonce_store(b, store) == APISIGN_OK,
        "piemdm options");
  CHECK(apisign_verifier_builder_build(b, &v, &err) == APISIGN_INVALID_INPUT && v == NULL,
        "min nonce not a number");
  check_err(err, APISIGN_INVALID_INPUT, "min_nonce_len");
  CHECK(apisign_verifier_builder_set_nonce_store(b, NULL) == APISIGN_NULL_POINTER, "NULL store");
  CHECK(apisign_verifier_builder_set(b, SPAN("min_nonce_len"), SPAN("16"), NULL) == APISIGN_OK,
        "min nonce 16");
  CHECK(apisign_verifier_builder_build(b, &v, NULL) == APISIGN_OK, "build");
  apisign_nonce_store_free(store); /* the builder and the verifier keep their own reference */
  CHECK(t.freed == 0, "store freed while still in use");
  uint64_t ts = 1705478400;
  CHECK_FAILS(sign_and_verify(pm, v, "abc123xyz789", ts, ts, &err),
              APISIGN_MALFORMED_AUTH, "nonce", "12-character nonce under a minimum of 16");
  CHECK(t.calls == 0, "the store is consulted only for authentic requests");
  CHECK(sign_and_verify(pm, v, "0123456789abcdef", ts, ts, NULL) == APISIGN_OK, "first use");
  CHECK(t.calls == 1 && t.last_ttl == 900 && t.last_now == ts && t.used == 1 &&
            strstr(t.keys[0], "0123456789abcdef"),
        "store saw ttl %llu now %llu", (unsigned long long)t.last_ttl,
        (unsigned long long)t.last_now);
  CHECK_FAILS(sign_and_verify(pm, v, "0123456789abcdef", ts, ts, &err),
              APISIGN_NONCE_REUSED, "nonce", "replay through the caller's store");
  /* The window option applies: 101 s late is out. */
  CHECK_FAILS(sign_and_verify(pm, v, "fedcba9876543210", ts - 101, ts, &err),
              APISIGN_TIMESTAMP_OUT_OF_WINDOW, "100", "101 s old under a 100 s window");
  CHECK(sign_and_verify(pm, v, "fedcba9876543210", ts - 100, ts, NULL) == APISIGN_OK,
        "100 s old under a 100 s window");
  /* A failing store rejects even an authentic request, with a store code. */
  t.fail_with = APISIGN_NONCE_STORE_UNAVAILABLE;
  CHECK_FAILS(sign_and_verify(pm, v, "ffffffffffffffff", ts, ts, &err),
              APISIGN_NONCE_STORE_UNAVAILABLE, "refused", "store down");
  t.fail_with = 4242;
  CHECK_FAILS(sign_and_verify(pm, v, "eeeeeeeeeeeeeeee", ts, ts, &err),
              APISIGN_NONCE_STORE_UNAVAILABLE, "4242", "unknown store code");
  t.fail_with = APISIGN_NONCE_STORE_FULL;
  CHECK_FAILS(sign_and_verify(pm, v, "dddddddddddddddd", ts, ts, &err),
              APISIGN_NONCE_STORE_FULL, "full", "store full");
  t.fail_with = APISIGN_OK;
  apisign_verifier_free(v);
  CHECK(t.freed == 0, "the builder still holds the store");
  apisign_verifier_builder_free(b);
  CHECK(t.freed == 1, "userdata released once with the last user (%d)", t.freed);

  /* A callback that never sets *fresh fails closed (a replay, not an admission). */
  CHECK(apisign_nonce_store_new_callback(forgetful_check_and_record, NULL, NULL, &store, NULL) ==
                APISIGN_OK &&
            apisign_verifier_builder_new(APISIGN_SCHEME_PIEMDM, creds, &b, NULL) == APISIGN_OK &&
            apisign_verifier_builder_set_nonce_store(b, store) == APISIGN_OK &&
            apisign_verifier_builder_build(b, &v, NULL) == APISIGN_OK,
        "forgetful store");
  CHECK(sign_and_verify(pm, v, "abc123xyz789", ts, ts, NULL) == APISIGN_NONCE_REUSED,
        "unset *fresh admits nothing");
  apisign_verifier_free(v);
  apisign_verifier_builder_free(b);
  apisign_nonce_store_free(store);

  /* One built-in store shared by two verifiers: a nonce used at one is a replay at the other. */
  apisign_verifier *v2 = NULL;
  CHECK(apisign_nonce_store_new_memory(64, &store, NULL) == APISIGN_OK &&
            apisign_verifier_builder_new(APISIGN_SCHEME_PIEMDM, creds, &b, NULL) == APISIGN_OK &&
            apisign_verifier_builder_set_nonce_store(b, store) == APISIGN_OK &&
            apisign_verifier_builder_build(b, &v, NULL) == APISIGN_OK &&
            apisign_verifier_builder_build(b, &v2, NULL) == APISIGN_OK,
        "shared memory store");
  apisign_nonce_store_free(store);
  apisign_verifier_builder_free(b);
  CHECK(sign_and_verify(pm, v, "abc123xyz789", ts, ts, NULL) == APISIGN_OK, "first verifier");
  CHECK(sign_and_verify(pm, v2, "abc123xyz789", ts, ts, NULL) == APISIGN_NONCE_REUSED,
        "replay at the second verifier");
  apisign_verifier_free(v);
  apisign_verifier_free(v2);

  /* Linksfield settings are checked per scheme too; an unknown one lists the valid ones. */
  CHECK(apisign_verifier_builder_new(APISIGN_SCHEME_LINKSFIELD, creds, &b, NULL) == APISIGN_OK &&
            apisign_verifier_builder_set(b, SPAN("accept_v1"), SPAN("false"), NULL) == APISIGN_OK,
        "linksfield builder");
  CHECK_FAILS(apisign_verifier_builder_set(b, SPAN("min_nonce_len"), SPAN("16"), &err),
              APISIGN_INVALID_INPUT, "accept_v1, track_nonces", "min nonce on linksfield");
  CHECK(apisign_verifier_builder_build(b, &v, NULL) == APISIGN_OK, "linksfield build");
  apisign_verifier_free(v);
  apisign_verifier_builder_free(b);
  apisign_verifier_builder_free(NULL);
  apisign_nonce_store_free(NULL);
  apisign_credentials_free(creds);
  apisign_signer_free(pm);
}

/* One signer shared by several threads gives every thread the same, correct answer; one
 * credential store takes additions while verifiers read it. */
static apisign_signer *g_shared;
static void *sign_many(void *arg) {
  (void)arg;
  apisign_request req = get("/api/device?pageSize=20&pageIndex=0");
  for (int i = 0; i < 200; i++) {
    apisign_signature *sig = NULL;
    char buf[32];
    size_t n = 0;
    if (sign_at(g_shared, &req, 1574993804802ULL, NULL, i % 2 ? APISIGN_SIGN_HEADERS_ONLY : 0,
                &sig, NULL) != APISIGN_OK ||
        apisign_signature_get(sig, SPAN("X-Sign"), (uint8_t *)buf, sizeof buf, &n) !=
            APISIGN_OK ||
        memcmp(buf, "837fe7fa29e7a5e4852d447578269523", 32) != 0) {
      apisign_signature_free(sig);
      return (void *)1;
    }
    apisign_signature_free(sig);
  }
  return NULL;
}

static apisign_credentials *g_creds;
static void *add_many(void *arg) {
  char id[32];
  for (int i = 0; i < 50; i++) {
    snprintf(id, sizeof id, "client-%d-%d", (int)(intptr_t)arg, i);
    if (creds_add(g_creds, APISIGN_SCHEME_JETLINKS, NULL, "client_id", id, "secure_key", "k",
                  NULL) != APISIGN_OK)
      return (void *)1;
  }
  return NULL;
}

static void *verify_many(void *arg) {
  (void)arg;
  apisign_verifier *v = NULL;
  if (verifier_new(APISIGN_SCHEME_JETLINKS, g_creds, &v) != APISIGN_OK) return (void *)1;
  apisign_request req = get("/api/device?pageSize=20&pageIndex=0");
  void *bad = NULL;
  for (int i = 0; i < 100 && !bad; i++) {
    apisign_signature *sig = NULL;
    apisign_header hs[4];
    if (sign_at(g_shared, &req, 1574993804802ULL, NULL, 0, &sig, NULL) != APISIGN_OK) {
      bad = (void *)1;
      break;
    }
    apisign_incoming in = {req.method, req.method_len, req.url, req.url_len, NULL, 0, hs,
                           received(sig, hs, 4)};
    apisign_verified *who = NULL;
    if (apisign_verify(v, &in, 1574993804802ULL, &who, NULL) != APISIGN_OK) bad = (void *)1;
    apisign_verified_free(who);
    apisign_signature_free(sig);
  }
  apisign_verifier_free(v);
  return bad;
}

static void test_threads(void) {
  g_shared = jetlinks_doc_signer();
  CHECK(apisign_credentials_new(&g_creds) == APISIGN_OK &&
            creds_add(g_creds, APISIGN_SCHEME_JETLINKS, NULL, MD5_ID, NULL) == APISIGN_OK,
        "credentials");
  pthread_t t[8];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, sign_many, NULL);
  for (int i = 4; i < 6; i++) pthread_create(&t[i], NULL, add_many, (void *)(intptr_t)i);
  for (int i = 6; i < 8; i++) pthread_create(&t[i], NULL, verify_many, NULL);
  for (int i = 0; i < 8; i++) {
    void *r = NULL;
    pthread_join(t[i], &r);
    CHECK(r == NULL, "thread %d got a wrong answer", i);
  }
  bool removed = false;
  CHECK(apisign_credentials_remove(g_creds, APISIGN_SCHEME_JETLINKS, SPAN("client-4-49"),
                                   &removed) == APISIGN_OK &&
            removed,
        "an added client is there");
  apisign_credentials_free(g_creds);
  apisign_signer_free(g_shared);
}

/* JetLinks: a Content-Type the server (Spring) refuses is refused by name; a form body with
 * bytes that are not UTF-8 is signed (the server replaces them), not refused. */
static void test_jetlinks_content_types(void) {
  apisign_signer *jl = NULL;
  apisign_error *err = NULL;
  apisign_signature *sig = NULL;
  CHECK(signer_new(APISIGN_SCHEME_JETLINKS, &jl, NULL, "client_id", "id", "secure_key", "key",
                   NULL) == APISIGN_OK,
        "jetlinks");
  apisign_request req = get("/a");
  req.method = (const uint8_t *)"POST";
  req.method_len = 4;
  req.body = (const uint8_t *)"a=\xff";
  req.body_len = 3;
  const char *bad[] = {"text/plain; x=application/x-www-form-urlencoded",
                       "application/x-www-form-urlencoded; charset=bogus"};
  for (size_t i = 0; i < 2; i++) {
    req.content_type = (const uint8_t *)bad[i];
    req.content_type_len = strlen(bad[i]);
    CHECK(sign_at(jl, &req, 1, NULL, 0, &sig, &err) == APISIGN_INVALID_INPUT, "%s", bad[i]);
    check_err(err, APISIGN_INVALID_INPUT, "content_type");
  }
  req.content_type = (const uint8_t *)"application/x-www-form-urlencoded";
  req.content_type_len = strlen("application/x-www-form-urlencoded");
  CHECK(sign_at(jl, &req, 1, NULL, 0, &sig, &err) == APISIGN_OK, "form with byte 0xFF");
  char *signed_text = fetch(f_signed, sig, 0);
  CHECK(signed_text && strcmp(signed_text, "a=\xef\xbf\xbd") == 0, "signed %s", signed_text);
  free(signed_text);
  apisign_signature_free(sig);
  apisign_signer_free(jl);
}

int main(void) {
  test_versions();
  test_result_codes();
  test_null_pointers();
  test_short_buffers();
  test_bad_keys();
  test_invalid_utf8();
  test_names();
  test_secrets_stay_out_of_errors();
  test_lovrabet_batch_and_redaction();
  test_lifetimes();
  test_clock_and_nonce();
  test_verifier_errors();
  test_verifier_pick();
  test_lovrabet_timestamp_text();
  test_fast_paths();
  test_verifier_options_and_nonce_stores();
  test_nonce_ttl_against_the_window();
  test_strict_query();
  test_threads();
  test_jetlinks_content_types();
  return finish("test_errors");
}
