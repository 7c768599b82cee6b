"""Issue #10 item 8 and PieMDM strict query mode through the Python API: each attack used to
admit a request twice (or a parameter nobody signed); now the configuration is refused or the
request is."""

from __future__ import annotations

import doctest

import pytest

import apisign
import apisign.verify
from apisign import linksfield, piemdm
from apisign.verify import Credentials, LinksfieldVerifier, NonceStore, PiemdmVerifier

T = 1_705_478_400


@pytest.fixture()
def creds(lf_public_pem: str) -> Credentials:
    c = Credentials()
    c.add_piemdm("pm-app", "pm-secret")
    c.add_linksfield("lf-key", apisign.PublicKey(lf_public_pem))
    return c


def signed(url: str = "/openapi/v1/x?a=1") -> apisign.Signature:
    return piemdm.sign("GET", url, app_id="pm-app", app_secret="pm-secret", timestamp=T)


def test_a_zero_ttl_no_longer_admits_one_request_a_hundred_times(creds: Credentials) -> None:
    with pytest.raises(apisign.InvalidInputError, match="nonce_ttl"):
        PiemdmVerifier(creds, NonceStore(), nonce_ttl_secs=0)
    v = PiemdmVerifier(creds, NonceStore())
    sig = signed()
    admitted = 0
    for _ in range(100):
        try:
            v.verify("GET", "/openapi/v1/x?a=1", sig.headers, now_secs=T)
            admitted += 1
        except apisign.NonceReusedError:
            pass
    assert admitted == 1


def test_a_ttl_shorter_than_the_window_is_refused(creds: Credentials) -> None:
    for ttl in (600, 1800):
        with pytest.raises(apisign.InvalidInputError, match="1801"):
            PiemdmVerifier(creds, NonceStore(), max_age_secs=900, max_ahead_secs=900,
                           nonce_ttl_secs=ttl)
    with pytest.raises(apisign.InvalidInputError):
        PiemdmVerifier(creds, NonceStore(), nonce_ttl_secs=600)  # the old default
    PiemdmVerifier(creds, NonceStore(), max_age_secs=900, max_ahead_secs=900, nonce_ttl_secs=1801)


def test_the_replay_at_the_windows_far_edge_is_rejected(creds: Credentials) -> None:
    sig = signed()
    v = PiemdmVerifier(creds, NonceStore())
    v.verify("GET", "/openapi/v1/x?a=1", sig.headers, now_secs=T - 300)
    with pytest.raises(apisign.NonceReusedError):
        v.verify("GET", "/openapi/v1/x?a=1", sig.headers, now_secs=T + 300)
    # A 900 s window without a TTL keeps nonces 1801 s.
    wide = PiemdmVerifier(creds, NonceStore(), max_age_secs=900, max_ahead_secs=900)
    wide.verify("GET", "/openapi/v1/x?a=1", sig.headers, now_secs=T)
    with pytest.raises(apisign.NonceReusedError):
        wide.verify("GET", "/openapi/v1/x?a=1", sig.headers, now_secs=T + 600)


def test_linksfield_replay_across_second_flooring(creds: Credentials, lf_private_pem: str) -> None:
    ts = 1_674_197_059_999  # ends in 999 ms
    sig = linksfield.sign("GET", "/cube/v4/x", key_id="lf-key",
                          private_key=apisign.PrivateKey(lf_private_pem), timestamp=ts)
    v = LinksfieldVerifier(creds, nonces=NonceStore())
    v.verify("GET", "/cube/v4/x", sig.headers, now_ms=ts - 600_000)
    with pytest.raises(apisign.NonceReusedError):
        v.verify("GET", "/cube/v4/x", sig.headers, now_ms=ts + 599_001)


def test_strict_query_refuses_an_unsigned_segment(creds: Credentials) -> None:
    sig = signed()
    lax = PiemdmVerifier(creds, NonceStore())
    lax.verify("GET", "/openapi/v1/x?a=1&admin=1;", sig.headers, now_secs=T)
    strict = PiemdmVerifier(creds, NonceStore(), strict_query=True)
    with pytest.raises(apisign.SignatureInvalidError) as e:
        strict.verify("GET", "/openapi/v1/x?a=1&admin=1;", sig.headers, now_secs=T)
    assert e.value.platform_code == "AUTH_SIGNATURE_INVALID"
    assert strict.verify("GET", "/openapi/v1/x?a=1", sig.headers, now_secs=T).caller == "pm-app"


def test_the_module_example_runs() -> None:
    flags = doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL
    # The verifier example lives with its scheme (the generic modules name no platform).
    result = doctest.testmod(apisign.piemdm, optionflags=flags)
    assert result.attempted > 0 and result.failed == 0
