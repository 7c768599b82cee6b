/* The README's C example: sign a JetLinks GET request and print the headers to add; then, on
 * the server side, verify a PieMDM request with strict query mode on.
 * Build: cc example.c $(pkg-config --cflags --libs apisign) */
#include <stdio.h>
#include <string.h>

#include <apisign.h>

#define TEXT(s) (const uint8_t *)(s), strlen(s)

/* Verify the PieMDM docs' request, received with `url`, in strict query mode: a query segment
 * the signature does not cover (`admin=1;`, which Go's server skips) is refused. */
static apisign_result verify_piemdm(const char *url) {
  apisign_credentials *creds = NULL;
  apisign_piemdm *app = NULL;
  apisign_verifier_builder *b = NULL;
  apisign_verifier *v = NULL;
  apisign_verified *who = NULL;
  const apisign_header h[] = {
      {TEXT("X-App-Id"), TEXT("app_592837482")},
      {TEXT("X-Timestamp"), TEXT("1705478400")},
      {TEXT("X-Nonce"), TEXT("abc123xyz789")},
      {TEXT("X-Sign"), TEXT("a35a515127fd2956cec0e7b80a01ba382c730f0283d03bd9a9dd170c6005bf2d")},
  };
  const apisign_incoming req = {TEXT("GET"), TEXT(url), NULL, 0, h, 4};
  apisign_result rc = apisign_credentials_new(&creds, NULL);
  if (rc == APISIGN_OK)
    rc = apisign_piemdm_new(TEXT("app_592837482"), TEXT("test_secret_123456"), &app, NULL);
  if (rc == APISIGN_OK) rc = apisign_credentials_add_piemdm(creds, app, NULL);
  if (rc == APISIGN_OK)
    rc = apisign_verifier_builder_new(APISIGN_SCHEME_PIEMDM, creds, &b, NULL);
  if (rc == APISIGN_OK) rc = apisign_verifier_builder_set_strict_query(b, true, NULL);
  if (rc == APISIGN_OK) rc = apisign_verifier_builder_build(b, &v, NULL);
  if (rc == APISIGN_OK) rc = apisign_verify(v, &req, 1705478400 /* apisign_now_secs() */, &who, NULL);
  apisign_verified_free(who);
  apisign_verifier_free(v);
  apisign_verifier_builder_free(b);
  apisign_piemdm_free(app);
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

  apisign_jetlinks *signer = NULL;
  apisign_signature *sig = NULL;
  apisign_error *err = NULL;
  const char *id = "testId", *key = "testSecure", *url = "/api/device?pageSize=20&pageIndex=0";

  apisign_result rc = apisign_jetlinks_new((const uint8_t *)id, strlen(id), (const uint8_t *)key,
                                           strlen(key), APISIGN_JETLINKS_MD5, &signer, &err);
  if (rc == APISIGN_OK) {
    apisign_request req = {(const uint8_t *)"GET", 3, (const uint8_t *)url, strlen(url),
                           NULL, 0, NULL, 0};
    rc = apisign_jetlinks_sign(signer, &req, 1574993804802ULL /* apisign_now_ms() */, &sig,
                               &err);
  }
  if (rc != APISIGN_OK) {
    char msg[256];
    size_t n = 0;
    if (apisign_error_message(err, (uint8_t *)msg, sizeof msg - 1, &n) != APISIGN_OK) n = 0;
    msg[n] = '\0';
    fprintf(stderr, "signing failed (%u): %s\n", rc, msg);
    apisign_error_free(err);
    apisign_jetlinks_free(signer);
    return 1;
  }
  char headers[512];
  size_t n = 0;
  if (apisign_signature_headers(sig, (uint8_t *)headers, sizeof headers, &n) == APISIGN_OK)
    fwrite(headers, 1, n, stdout); /* "X-Client-Id: testId\r\nX-Timestamp: …\r\nX-Sign: …\r\n" */
  apisign_signature_free(sig);
  apisign_jetlinks_free(signer);
  return 0;
}
