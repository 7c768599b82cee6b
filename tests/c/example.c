/* The README's C example: sign a JetLinks GET request and print the headers to add; then, on
 * the server side, verify a PieMDM request with strict query mode on. One API for every scheme:
 * a scheme id and named parameters.
 * Build: cc example.c $(pkg-config --cflags --libs apisign) */
#include <stdio.h>
#include <string.h>

#include <apisign.h>

#define TEXT(s) (const uint8_t *)(s), strlen(s)

/* Verify the PieMDM docs' request, received with `url`, in strict query mode: a query segment
 * the signature does not cover (`admin=1;`, which Go's server skips) is refused. */
static apisign_result verify_piemdm(const char *url) {
  apisign_credentials *creds = NULL;
  apisign_verifier_builder *b = NULL;
  apisign_verifier *v = NULL;
  apisign_verified *who = NULL;
  const apisign_param app[] = {
      {TEXT("app_id"), TEXT("app_592837482")},
      {TEXT("app_secret"), TEXT("test_secret_123456")},
  };
  const apisign_header h[] = {
      {TEXT("X-App-Id"), TEXT("app_592837482")},
      {TEXT("X-Timestamp"), TEXT("1705478400")},
      {TEXT("X-Nonce"), TEXT("abc123xyz789")},
      {TEXT("X-Sign"), TEXT("a35a515127fd2956cec0e7b80a01ba382c730f0283d03bd9a9dd170c6005bf2d")},
  };
  const apisign_incoming req = {TEXT("GET"), TEXT(url), NULL, 0, h, 4};
  apisign_result rc = apisign_credentials_new(&creds);
  if (rc == APISIGN_OK) rc = apisign_credentials_add(creds, APISIGN_SCHEME_PIEMDM, app, 2, NULL);
  if (rc == APISIGN_OK)
    rc = apisign_verifier_builder_new(APISIGN_SCHEME_PIEMDM, creds, &b, NULL);
  if (rc == APISIGN_OK)
    rc = apisign_verifier_builder_set(b, TEXT("strict_query"), TEXT("true"), NULL);
  if (rc == APISIGN_OK) rc = apisign_verifier_builder_build(b, &v, NULL);
  if (rc == APISIGN_OK)
    rc = apisign_verify(v, &req, 1705478400000ULL /* apisign_now_ms() */, &who, NULL);
  apisign_verified_free(who);
  apisign_verifier_free(v);
  apisign_verifier_builder_free(b);
  apisign_credentials_free(creds);
  return rc;
}

int main(void) {
  const char *docs = "/openapi/v1/entities/product?page=1&pageSize=10";
  if (verify_piemdm(docs) != APISIGN_OK ||
      verify_piemdm("/openapi/v1/entities/product?page=1&pageSize=10&admin=1;") !=
          APISIGN_SIGNATURE_INVALID) {
    fprintf(stderr, "PieMDM verification in strict query mode failed\n");
    return 1;
  }

  apisign_signer *signer = NULL;
  apisign_signature *sig = NULL;
  apisign_error *err = NULL;
  const char *url = "/api/device?pageSize=20&pageIndex=0";
  const apisign_param client[] = {
      {TEXT("client_id"), TEXT("testId")},
      {TEXT("secure_key"), TEXT("testSecure")},
  };

  apisign_result rc = apisign_signer_new(APISIGN_SCHEME_JETLINKS, client, 2, &signer, &err);
  if (rc == APISIGN_OK) {
    apisign_request req = {TEXT("GET"), TEXT(url), NULL, 0, NULL, 0};
    apisign_sign_options opts = {1574993804802ULL /* 0: apisign_now_ms() */, NULL, 0,
                                 APISIGN_SIGN_HEADERS_ONLY};
    rc = apisign_sign(signer, &req, &opts, &sig, &err);
  }
  if (rc != APISIGN_OK) {
    char msg[256];
    size_t n = 0;
    if (apisign_error_message(err, (uint8_t *)msg, sizeof msg - 1, &n) != APISIGN_OK) n = 0;
    msg[n] = '\0';
    fprintf(stderr, "signing failed (%u): %s\n", rc, msg);
    apisign_error_free(err);
    apisign_signer_free(signer);
    return 1;
  }
  for (size_t i = 0; i < apisign_signature_header_count(sig); i++) {
    const uint8_t *name, *value;
    size_t name_len, value_len;
    if (apisign_signature_header(sig, i, &name, &name_len, &value, &value_len) == APISIGN_OK)
      printf("%.*s: %.*s\r\n", (int)name_len, (const char *)name, (int)value_len,
             (const char *)value);
  }
  apisign_signature_free(sig);
  apisign_signer_free(signer);
  return 0;
}
