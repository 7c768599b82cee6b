"""The one-shot `sign()` fast path: its keyword arguments are the registry's parameters, and a
signature made headers-only gives the same signed string, repr, equality and hash as one made
in full, from the inputs as they were when it was signed."""

from __future__ import annotations

import inspect
import re

import pytest

import apisign
from apisign import _native, jetlinks, lovrabet, piemdm

import reference as ref

# The call options of `sign`, which are not scheme parameters.
CALL_OPTIONS = {"content_type", "timestamp", "timestamp_ms", "nonce"}


def test_sign_keywords_are_the_union_of_every_schemes_parameters() -> None:
    kw_only = [
        p.name
        for p in inspect.signature(_native.sign).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    union = {p["name"] for s in apisign.schemes() for p in s["sign_params"]}
    assert set(kw_only) - CALL_OPTIONS == union
    assert len(kw_only) == len(set(kw_only))


def test_unknown_parameters_are_refused_by_name() -> None:
    # `client_id` is a parameter of another scheme: the core refuses it, listing this
    # scheme's own. `bogus` is nobody's: the argument binding refuses it (no `**kwargs`
    # catch-all, which would cost every call a dict).
    kw = dict(app_id="a", app_secret="s", timestamp=1, nonce="n")
    with pytest.raises(apisign.InvalidInputError) as info:
        apisign.sign("piemdm", "GET", "/a", client_id="c", **kw)  # type: ignore[arg-type]
    assert "client_id" in str(info.value) and "app_secret" in str(info.value)
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        apisign.sign("piemdm", "GET", "/a", bogus=1, **kw)  # type: ignore[arg-type, call-arg]


def test_one_shot_signed_string_matches_the_reference_and_the_reused_signer() -> None:
    url = "/api/device?pageSize=20&pageIndex=0"
    one = jetlinks.sign("GET", url, client_id="testId", secure_key="testSecure",
                        timestamp=1574993804802)
    headers, signed = ref.jetlinks_sign("GET", url, b"", None, "testId", "testSecure", "md5",
                                        1574993804802)
    assert one.headers == headers
    assert one.signed == signed == "pageIndex=0&pageSize=20"
    reused = jetlinks.Signer("testId", "testSecure").sign("GET", url, timestamp=1574993804802)
    assert one == reused and hash(one) == hash(reused) and repr(one) == repr(reused)

    token = lovrabet.sign(app_code="a", dataset_code="d", access_key="ak-1", timestamp=7)
    assert token.signed == "accessKey=ak-1&appCode=a&datasetCode=d&timeStamp=7"
    assert token.string_to_sign == token.signed
    assert token.signed_redacted == "accessKey=<redacted>&appCode=a&datasetCode=d&timeStamp=7"
    assert "ak-1" not in repr(token)


def test_signed_string_is_of_the_body_as_it_was_signed() -> None:
    # A bytearray may change after the call: the signed string read later is still the one
    # the headers were made from.
    body = bytearray(b"payload-1")
    sig = piemdm.sign("POST", "/openapi/v1/x", body, app_id="a", app_secret="s",
                      timestamp=1705478400, nonce="n1")
    body[:] = b"payload-2"
    headers, canonical = ref.piemdm_sign("POST", "/openapi/v1/x", b"payload-1", "a", "s",
                                         1705478400, "n1")
    assert sig.headers == headers and sig.signed == canonical.decode()


def test_a_generated_nonce_is_the_one_in_the_signed_string() -> None:
    sig = piemdm.sign("GET", "/openapi/v1/x?a=1", app_id="a", app_secret="s", timestamp=1705478400)
    nonce = sig.headers["X-Nonce"]
    assert re.fullmatch(r"[0-9a-f]{32}", nonce)
    assert sig.signed.split("\n")[-1] == nonce
    headers, canonical = ref.piemdm_sign("GET", "/openapi/v1/x?a=1", b"", "a", "s", 1705478400, nonce)
    assert sig.headers == headers and sig.signed == canonical.decode()
