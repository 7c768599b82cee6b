"""The native verifiers through the Python API: what the signers produce verifies; tampered,
stale, replayed and unknown-caller requests raise the error kind with the platform's code."""

from __future__ import annotations

import hashlib
import time
from typing import List, Optional, Tuple

import pytest

import apisign
from apisign import jetlinks, linksfield, lovrabet, piemdm
from apisign.verify import (
    Credentials,
    JetlinksVerifier,
    LinksfieldVerifier,
    LovrabetVerifier,
    NonceStore,
    PiemdmVerifier,
    jetlinks_verify_response,
)

NOW_MS = 1_700_000_000_000
NOW_S = NOW_MS // 1000


@pytest.fixture()
def creds(lf_public_pem: str) -> Credentials:
    c = Credentials()
    c.add_lovrabet_app("app-1", "ak-1", "sk-1", datasets=["ds-1"])
    c.add_lovrabet_dataset("ds-private")
    c.add_jetlinks("client-1", "secure-1", "sha256")
    c.add_piemdm("pm-app", "pm-secret")
    c.add_linksfield("lf-key", apisign.PublicKey(lf_public_pem))
    return c


def test_lovrabet(creds: Credentials) -> None:
    v = LovrabetVerifier(creds)
    token = lovrabet.sign(app_code="app-1", dataset_code="ds-1", access_key="ak-1",
                          secret_key="sk-1", timestamp=NOW_MS)
    ok = v.verify("GET", "/any", token.headers, now_ms=NOW_MS + 1000)
    assert (ok.caller, ok.dataset, ok.timestamp, ok.nonce) == ("app-1", "ds-1", NOW_MS, None)

    forged = dict(token.headers, **{"X-Token": token.headers["X-Token"][::-1]})
    with pytest.raises(apisign.SignatureInvalidError) as bad:
        v.verify("GET", "/any", forged, now_ms=NOW_MS)
    assert bad.value.platform_code == "1002" and isinstance(bad.value, apisign.VerificationError)
    with pytest.raises(apisign.TimestampOutOfWindowError) as stale:
        v.verify("GET", "/any", token.headers, now_ms=NOW_MS + 600_001)
    assert stale.value.platform_code == "1003"
    with pytest.raises(apisign.AccessDeniedError) as denied:
        other = lovrabet.sign(app_code="app-1", dataset_code="ds-private", access_key="ak-1",
                              secret_key="sk-1", timestamp=NOW_MS)
        v.verify("GET", "/any", other.headers, now_ms=NOW_MS)
    assert denied.value.platform_code == "1006"
    with pytest.raises(apisign.MissingAuthError):
        v.verify("GET", "/any", {}, now_ms=NOW_MS)


def test_jetlinks_and_headers_as_pairs(creds: Credentials) -> None:
    v = JetlinksVerifier(creds)
    sig = jetlinks.sign("POST", "/api/x?q=1", b'{"a":1}', client_id="client-1",
                        secure_key="secure-1", algorithm="sha256",
                        content_type="application/json", timestamp=NOW_MS)
    pairs: List[Tuple[str, str]] = list(sig.headers.items()) + [("Content-Type", "application/json")]
    assert v.verify("POST", "/api/x?q=1", pairs, b'{"a":1}', now_ms=NOW_MS).caller == "client-1"
    with pytest.raises(apisign.SignatureInvalidError):
        v.verify("POST", "/api/x?q=1", pairs, b'{"a":2}', now_ms=NOW_MS)
    with pytest.raises(apisign.UnknownCallerError):
        v.verify("POST", "/api/x", dict(sig.headers, **{"X-Client-Id": "nobody"}), b"", now_ms=NOW_MS)
    # a header sent twice with different values is refused rather than guessed
    with pytest.raises(apisign.MalformedAuthError):
        v.verify("POST", "/api/x?q=1", pairs + [("X-Sign", "0" * 64)], b'{"a":1}', now_ms=NOW_MS)


def test_piemdm_refuses_replays(creds: Credentials) -> None:
    nonces = NonceStore()
    v = PiemdmVerifier(creds, nonces)
    sig = piemdm.sign("GET", "/openapi/v1/x?b=2&a=1", app_id="pm-app", app_secret="pm-secret",
                      timestamp=NOW_S)
    ok = v.verify("GET", "/openapi/v1/x?b=2&a=1", sig.headers, now_secs=NOW_S)
    assert ok.nonce == sig.headers["X-Nonce"] and len(nonces) == 1
    with pytest.raises(apisign.NonceReusedError) as replay:
        v.verify("GET", "/openapi/v1/x?b=2&a=1", sig.headers, now_secs=NOW_S)
    assert replay.value.platform_code == "AUTH_NONCE_USED"
    fresh = piemdm.sign("GET", "/openapi/v1/x?b=2&a=1", app_id="pm-app", app_secret="pm-secret",
                        timestamp=NOW_S)
    with pytest.raises(apisign.SignatureInvalidError) as tampered:
        v.verify("GET", "/openapi/v1/x?b=2&a=2", fresh.headers, now_secs=NOW_S)
    assert tampered.value.platform_code == "AUTH_SIGNATURE_INVALID"
    assert len(nonces) == 1, "a rejected request must not consume a nonce"
    with pytest.raises(apisign.TimestampOutOfWindowError) as late:
        v.verify("GET", "/openapi/v1/x?b=2&a=1", fresh.headers, now_secs=NOW_S + 301)
    assert late.value.platform_code == "AUTH_TOKEN_EXPIRED"


def test_linksfield(creds: Credentials, lf_private_pem: str) -> None:
    v = LinksfieldVerifier(creds, nonces=NonceStore())
    key = apisign.PrivateKey(lf_private_pem)
    sig = linksfield.sign("POST", "/cube/v4/x?b=1", '{"n": 3}', key_id="lf-key",
                          private_key=key, timestamp=NOW_MS)
    assert v.verify("POST", "/cube/v4/x?b=1", sig.headers, '{"n": 3}', now_ms=NOW_MS).caller == "lf-key"
    with pytest.raises(apisign.NonceReusedError):
        v.verify("POST", "/cube/v4/x?b=1", sig.headers, '{"n": 3}', now_ms=NOW_MS)
    again = linksfield.sign("POST", "/cube/v4/x", '{"n": 3}', key_id="lf-key", private_key=key,
                            timestamp=NOW_MS)
    with pytest.raises(apisign.SignatureInvalidError) as bad:
        v.verify("POST", "/cube/v4/x", again.headers, '{"n": 4}', now_ms=NOW_MS)
    assert bad.value.platform_code == "403"
    with pytest.raises(apisign.MissingAuthError) as missing:
        v.verify("GET", "/cube/v4/x", {}, now_ms=NOW_MS)
    assert missing.value.platform_code == "401"
    # v1: timestamp and nonce travel in the query; the router's path parameter is signed too.
    url = f"/cube/v4/sims/89?x=1&timestamp={NOW_MS}&nonce=5"
    v1 = linksfield.Signer("lf-key", key).sign_v1(
        "GET", url, extra={"iccid": "89"}, timestamp=NOW_MS, nonce=5)
    assert (v1.timestamp, v1.nonce) == (str(NOW_MS), 5)
    with pytest.raises(apisign.SignatureInvalidError):
        v.verify("GET", url, v1.headers, now_ms=NOW_MS)  # path parameter missing
    assert v.verify("GET", url, v1.headers, path_params={"iccid": "89"},
                    now_ms=NOW_MS).caller == "lf-key"


def test_credentials_added_later_are_seen(creds: Credentials) -> None:
    v = PiemdmVerifier(creds, NonceStore())
    sig = piemdm.sign("GET", "/openapi/v1/x", app_id="late", app_secret="late-secret",
                      timestamp=NOW_S)
    with pytest.raises(apisign.UnknownCallerError):
        v.verify("GET", "/openapi/v1/x", sig.headers, now_secs=NOW_S)
    creds.add_piemdm("late", "late-secret")
    assert v.verify("GET", "/openapi/v1/x", sig.headers, now_secs=NOW_S).caller == "late"
    assert "late-secret" not in repr(creds) and "sk-1" not in repr(creds)


def _server_sign(signed_by_server: str) -> str:
    """X-Sign from the param string Spring 5.2 produced (tests/parity/spring), not apisign's."""
    data = signed_by_server.encode() + str(NOW_MS).encode() + b"secure-1"
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "method,url,content_type,body,spring",
    [
        ("GET", "/x?flag=1&flag", None, b"", "flag=1"),
        ("GET", "/x?a=%ED%A0%80", None, b"", "a=\ufffd"),
        ("POST", "/x", "application/x-www-form-urlencoded", b"a=\xff&c=&c", "a=\ufffd&c="),
        ("POST", "/x", "application/x-www-form-urlencoded; charset=ISO-8859-1", b"b=%E9&r=\xe9",
         "b=\u00e9&r=\u00e9"),
        ("POST", "/x", "application/x-www-form-urlencoded;charset=gbk", b"n=%D5%C5", "n=\u5f20"),
    ],
)
def test_jetlinks_accepts_what_the_server_accepts(
    creds: Credentials, method: str, url: str, content_type: str, body: bytes, spring: str
) -> None:
    headers = {"X-Client-Id": "client-1", "X-Timestamp": str(NOW_MS), "X-Sign": _server_sign(spring)}
    if content_type:
        headers["Content-Type"] = content_type
    assert JetlinksVerifier(creds).verify(method, url, headers, body, now_ms=NOW_MS).caller == "client-1"


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded; charset=bogus", "text/plain; x=application/x-www-form-urlencoded"],
)
def test_jetlinks_refuses_headers_the_server_refuses(creds: Credentials, content_type: str) -> None:
    headers = {"X-Client-Id": "client-1", "X-Timestamp": str(NOW_MS), "X-Sign": _server_sign("a=1"),
               "Content-Type": content_type}
    with pytest.raises(apisign.InvalidInputError) as e:
        JetlinksVerifier(creds).verify("POST", "/x", headers, b"a=1", now_ms=NOW_MS)
    assert e.value.field == "content_type"


def test_jetlinks_response_verification() -> None:
    signer = jetlinks.Signer("client-1", "secure-1")
    body = b'{"status":200}'
    headers = {"X-Timestamp": str(NOW_MS), "X-Sign": signer.sign_response(body, str(NOW_MS))}
    jetlinks_verify_response(signer, body, headers)
    jetlinks_verify_response(signer, body, headers, max_age_ms=1000, now_ms=NOW_MS + 1000)
    with pytest.raises(apisign.TimestampOutOfWindowError):
        jetlinks_verify_response(signer, body, headers, max_age_ms=1000, now_ms=NOW_MS + 1001)
    with pytest.raises(apisign.SignatureInvalidError):
        jetlinks_verify_response(signer, b'{"status":500}', headers)


def test_default_now_is_the_clock(creds: Credentials) -> None:
    token = lovrabet.sign(app_code="app-1", dataset_code="ds-1", access_key="ak-1", secret_key="sk-1")
    assert LovrabetVerifier(creds).verify("GET", "/", token.headers).timestamp <= int(time.time() * 1000)


def test_lovrabet_timestamp_is_checked_as_sent(creds: Credentials) -> None:
    # The attack: the token made for <ts>, replayed with the header `0<ts>` (same number).
    v = LovrabetVerifier(creds)
    token = lovrabet.sign(app_code="app-1", dataset_code="ds-1", access_key="ak-1",
                          secret_key="sk-1", timestamp=NOW_MS)
    padded = dict(token.headers, **{"X-Time-Stamp": "0" + token.headers["X-Time-Stamp"]})
    with pytest.raises(apisign.SignatureInvalidError) as bad:
        v.verify("GET", "/any", padded, now_ms=NOW_MS)
    assert bad.value.platform_code == "1002"


def test_linksfield_v1_nonce_spellings_are_one_nonce(creds: Credentials, lf_private_pem: str) -> None:
    # v1 signs the nonce as a JSON integer: 1, 01, 001, +1 and the body string "01" are one
    # nonce, so each of these replays (admitted before) is refused.
    v = LinksfieldVerifier(creds, nonces=NonceStore())
    key = apisign.PrivateKey(lf_private_pem)
    sig = linksfield.Signer("lf-key", key).sign_v1("GET", "/cube/v4/x", timestamp=NOW_MS, nonce=1)
    q = f"/cube/v4/x?timestamp={NOW_MS}&nonce="
    assert v.verify("GET", q + "1", sig.headers, now_ms=NOW_MS).nonce == "1"
    for replay in ["01", "001", "%2B1"]:
        with pytest.raises(apisign.NonceReusedError):
            v.verify("GET", q + replay, sig.headers, now_ms=NOW_MS)
    body = f'{{"timestamp":"{NOW_MS}","nonce":"01"}}'
    with pytest.raises(apisign.NonceReusedError):
        v.verify("POST", "/cube/v4/x", sig.headers, body, now_ms=NOW_MS)


def test_linksfield_allow_list_holds_with_and_without_path_params(
    lf_public_pem: str, lf_private_pem: str
) -> None:
    # The v1 path-parameter route used to skip the key id's allowed_ips: a request from an
    # address outside the list verified. Both routes now refuse it (403, the platform's code).
    c = Credentials()
    c.add("linksfield", key_id="lf-key", public_key=apisign.PublicKey(lf_public_pem),
          allowed_ips="10.0.0.0/8")
    v = linksfield.Verifier(c)
    key = apisign.PrivateKey(lf_private_pem)
    v2 = linksfield.sign("GET", "/cube/v4/x", None, key_id="lf-key", private_key=key,
                         timestamp=NOW_MS)
    url = f"/cube/v4/sims/89?timestamp={NOW_MS}&nonce=5"
    v1 = linksfield.Signer("lf-key", key).sign_v1("GET", url, extra={"iccid": "89"},
                                                  timestamp=NOW_MS, nonce=5)
    def by_v2(ip: Optional[str]) -> apisign.Verified:
        return v.verify("GET", "/cube/v4/x", v2.headers, now_ms=NOW_MS, client_ip=ip)

    def by_v1_path_params(ip: Optional[str]) -> apisign.Verified:
        return v.verify("GET", url, v1.headers, path_params={"iccid": "89"}, now_ms=NOW_MS,
                        client_ip=ip)

    for route, call in [("v2", by_v2), ("v1 path params", by_v1_path_params)]:
        assert call("10.1.2.3").caller == "lf-key", route
        for outside in ("203.0.113.9", None):
            with pytest.raises(apisign.IpNotAllowedError) as refused:
                call(outside)
            assert refused.value.status == 403, route
