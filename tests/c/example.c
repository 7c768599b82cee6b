/* The README's C example: sign a JetLinks GET request and print the headers to add.
 * Build: cc example.c $(pkg-config --cflags --libs apisign) */
#include <stdio.h>
#include <string.h>

#include <apisign.h>

int main(void) {
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
