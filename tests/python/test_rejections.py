"""Issue #13 from Python: errors carry the HTTP status, the verifier answers like the platform,
address allow-lists and trusted proxies, JetLinks response signatures. Expected statuses and
bodies are written out from the platforms' sources, not computed by apisign."""

from __future__ import annotations

from typing import List, Tuple

import pytest

import apisign

TS = 1_700_000_000_000
NOW = TS + 1_000


def _piemdm(allowed_ips: str | None = None) -> Tuple[apisign.Signer, apisign.Verifier]:
    creds = apisign.Credentials()
    creds.add("piemdm", app_id="app-1", app_secret="secret-1", allowed_ips=allowed_ips)
    return apisign.Signer("piemdm", app_id="app-1", app_secret="secret-1"), apisign.Verifier("piemdm", creds)


def test_a_tampered_request_is_answered_like_the_platform() -> None:
    signer, verifier = _piemdm()
    sig = signer.sign("POST", "/openapi/v1/x", b'{"a":1}', timestamp_ms=TS, nonce="nonce-000000000001")
    with pytest.raises(apisign.SignatureInvalidError) as info:
        verifier.verify("POST", "/openapi/v1/x", sig.header_items, b'{"a":2}', now_ms=NOW)
    err = info.value
    assert err.status == 401 and err.platform_code == "AUTH_SIGNATURE_INVALID"
    status, headers, body = verifier.rejection(err)
    assert status == 401
    assert headers == [("content-type", "application/json")]
    assert body == b'{"code":"AUTH_SIGNATURE_INVALID","message":"Signature mismatch"}'


def test_errors_made_in_python_also_get_an_answer() -> None:
    _, verifier = _piemdm()
    status, _, body = verifier.rejection(apisign.InvalidInputError("url: bad", "url", "bad"))
    assert (status, body) == (400, b'{"code":"PARAM_VALUE_INVALID","message":"Invalid parameter value"}')
    assert apisign.InputTooLargeError("too big").status == 413
    assert apisign.NonceStoreUnavailableError("down").status == 503
    status, _, body = verifier.rejection(apisign.NonceReusedError("nonce: used"))
    assert (status, body) == (401, b'{"code":"AUTH_NONCE_USED","message":"Nonce already used"}')


def test_an_authentic_request_from_outside_the_allow_list_is_refused() -> None:
    signer, verifier = _piemdm("10.0.0.0/8, 127.0.0.1")
    n = iter(range(100))

    def headers() -> List[Tuple[str, str]]:
        sig = signer.sign("GET", "/openapi/v1/x", timestamp_ms=TS, nonce=f"ip-nonce-{next(n):08d}")
        return sig.header_items

    assert verifier.verify("GET", "/openapi/v1/x", headers(), now_ms=NOW, client_ip="10.1.2.3").caller == "app-1"
    assert verifier.verify("GET", "/openapi/v1/x", headers(), now_ms=NOW, client_ip="127.0.0.1").caller == "app-1"
    with pytest.raises(apisign.IpNotAllowedError) as info:
        verifier.verify("GET", "/openapi/v1/x", headers(), now_ms=NOW, client_ip="192.0.2.1")
    assert isinstance(info.value, apisign.VerificationError)
    assert info.value.status == 403 and info.value.platform_code == "AUTH_IP_NOT_ALLOWED"
    assert verifier.rejection(info.value) == (
        403,
        [("content-type", "application/json")],
        b'{"code":"AUTH_IP_NOT_ALLOWED","message":"IP not in whitelist"}',
    )
    with pytest.raises(apisign.IpNotAllowedError):
        verifier.verify("GET", "/openapi/v1/x", headers(), now_ms=NOW)
    with pytest.raises(apisign.InvalidInputError) as bad:
        verifier.verify("GET", "/openapi/v1/x", headers(), now_ms=NOW, client_ip="not-an-ip")
    assert bad.value.field == "client_ip"
    with pytest.raises(apisign.InvalidInputError) as entry:
        apisign.Credentials().add("jetlinks", client_id="c", secure_key="k", allowed_ips="10.0.0.1;intranet")
    assert entry.value.field == "allowed_ips" and '"intranet"' in str(entry.value)


def test_client_ip_believes_forwarded_for_only_from_trusted_proxies() -> None:
    assert apisign.client_ip("203.0.113.9", "127.0.0.1", ["10.0.0.0/8"]) == "203.0.113.9"
    assert apisign.client_ip("10.0.0.2", "127.0.0.1, 203.0.113.9, 10.0.0.3", ["10.0.0.0/8"]) == "203.0.113.9"
    assert apisign.client_ip("10.0.0.2", None, ["10.0.0.0/8"]) == "10.0.0.2"
    with pytest.raises(apisign.InvalidInputError):
        apisign.client_ip("10.0.0.2", None, ["nope"])


def test_jetlinks_responses_are_signed_and_checked() -> None:
    # The platform docs' response example: testId/testSecure, MD5.
    creds = apisign.Credentials()
    creds.add("jetlinks", client_id="testId", secure_key="testSecure")
    verifier = apisign.Verifier("jetlinks", creds)
    signer = apisign.Signer("jetlinks", client_id="testId", secure_key="testSecure")
    sig = signer.sign("GET", "/api/device?pageSize=20&pageIndex=0", timestamp_ms=TS)
    who = verifier.verify("GET", "/api/device?pageSize=20&pageIndex=0", sig.header_items, now_ms=NOW)
    body = b'{"status":200,result:[]}'
    headers = verifier.sign_response(who, body, now_ms=1574994269075)
    assert headers == [("X-Timestamp", "1574994269075"), ("X-Sign", "c23faa3c46784ada64423a8bba433f25")]
    signer.check_response(headers, body)
    signer.check_response(dict(headers), body)
    with pytest.raises(apisign.SignatureInvalidError):
        signer.check_response(headers, b'{"status":200,result:[1]}')
    piemdm_signer, piemdm_verifier = _piemdm()
    psig = piemdm_signer.sign("GET", "/openapi/v1/x", timestamp_ms=TS, nonce="resp-nonce-0000001")
    pwho = piemdm_verifier.verify("GET", "/openapi/v1/x", psig.header_items, now_ms=NOW)
    assert piemdm_verifier.sign_response(pwho, body) == []
    assert verifier.signs_responses and signer.signs_responses
    assert not piemdm_verifier.signs_responses and not piemdm_signer.signs_responses
    with pytest.raises(apisign.InvalidInputError):
        piemdm_signer.check_response(headers, body)
