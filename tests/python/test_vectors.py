"""Every case of every file in tests/vectors through the Python API: signed (and, for the
HMAC/digest schemes, through the pure-Python reference too), then the expected headers through
the native verifier. A case of an unknown scheme or kind fails."""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Union

import pytest

import apisign
from apisign import jetlinks, linksfield, lovrabet, piemdm
from apisign.lifetime import TokenLifetime
from apisign.verify import (
    Credentials,
    JetlinksVerifier,
    LinksfieldVerifier,
    LovrabetVerifier,
    NonceStore,
    PiemdmVerifier,
)

import reference as ref
from conftest import all_cases, iter_ids

CASES = all_cases()

SignResult = Union[apisign.Signature, lovrabet.Token, linksfield.V1Signature]


def check(
    case: Dict[str, Any], sign: Callable[[], SignResult], intermediate: str
) -> Optional[SignResult]:
    expected = case["expected"]
    if "error" in expected:
        with pytest.raises(apisign.ApisignError) as info:
            sign()
        assert info.value.kind == expected["error"], str(info.value)
        assert type(info.value) is apisign.errors.CLASS_BY_KIND[expected["error"]]
        assert str(info.value)
        return None
    sig = sign()
    assert sig.headers == expected["headers"]
    assert list(sig.headers) == list(expected["headers"]) or set(sig.headers) == set(
        expected["headers"]
    )
    if intermediate in expected:
        assert sig.signed == expected[intermediate]
    return sig


def run_lovrabet(case: Dict[str, Any]) -> None:
    if case.get("kind") == "expiry":
        life = TokenLifetime.lovrabet(int(case["timestamp"]))
        buffer = int(case["buffer_ms"])
        assert case["checks"]
        for c in case["checks"]:
            now = int(c["now"])
            assert life.remaining_ms(now) == int(c["remaining_ms"])
            assert life.is_expiring(buffer, now) is c["expiring"]
            assert life.is_expired(now) is (int(c["remaining_ms"]) == 0)
        return
    assert "kind" not in case, f"unknown lovrabet kind {case['kind']!r}"
    c = case["credentials"]
    ts = int(case["timestamp"])
    secret = c.get("secret_key", lovrabet.DEFAULT_SECRET_KEY)

    def sign() -> lovrabet.Token:
        return lovrabet.sign(
            app_code=c["app_code"],
            dataset_code=c["dataset_code"],
            access_key=c["access_key"],
            secret_key=secret,
            timestamp=ts,
        )

    token = check(case, sign, "string_to_sign")
    if isinstance(token, lovrabet.Token):
        assert str(token.expires_at_ms) == case["expected"]["expires_at"]
        assert token.token == case["expected"]["headers"]["X-Token"]
        headers, sts = ref.lovrabet_sign(
            c["app_code"], c["dataset_code"], c["access_key"], secret, ts
        )
        assert (headers, sts) == (case["expected"]["headers"], case["expected"]["string_to_sign"])
        # The signer object and the generator agree with the one-shot function.
        assert lovrabet.Signer(c["app_code"], c["dataset_code"], c["access_key"], secret).sign(
            ts
        ) == token
        batch = lovrabet.generate_batch(
            c["app_code"], {"only": c["dataset_code"]}, access_key=c["access_key"],
            secret_key=secret, timestamp=ts,
        )
        assert batch["only"] == token
        # ... and the server side accepts the expected headers.
        creds = Credentials()
        creds.add_lovrabet_app(c["app_code"], c["access_key"], secret, datasets=[c["dataset_code"]])
        ok = LovrabetVerifier(creds).verify("GET", "/", case["expected"]["headers"], now_ms=ts)
        assert (ok.caller, ok.dataset) == (c["app_code"], c["dataset_code"])


def run_jetlinks(case: Dict[str, Any]) -> None:
    c = case["credentials"]
    signer = jetlinks.Signer(c["client_id"], c["secure_key"], c["algorithm"])
    if case.get("kind") == "response":
        resp = case["response"]
        h = resp["headers"]
        valid = signer.verify_response(resp["body"], h["X-Timestamp"], h["X-Sign"])
        assert valid is case["expected"]["valid"]
        if valid:
            assert signer.sign_response(resp["body"], h["X-Timestamp"]) == h["X-Sign"].lower()
        return
    assert "kind" not in case, f"unknown jetlinks kind {case['kind']!r}"
    r = case["request"]
    ts = int(case["timestamp"])
    ct = r.get("content_type")

    def sign() -> apisign.Signature:
        return jetlinks.sign(
            r["method"], r["url"], r["body"], client_id=c["client_id"],
            secure_key=c["secure_key"], algorithm=c["algorithm"], content_type=ct, timestamp=ts,
        )

    sig = check(case, sign, "signed_params")
    if sig is not None:
        # bytes body and the signer object give the same result.
        assert signer.sign(r["method"], r["url"], r["body"].encode(), content_type=ct, timestamp=ts) == sig
        headers, signed = ref.jetlinks_sign(
            r["method"], r["url"], r["body"].encode(), ct, c["client_id"], c["secure_key"],
            c["algorithm"], ts,
        )
        assert headers == case["expected"]["headers"]
        if "signed_params" in case["expected"]:
            assert signed == case["expected"]["signed_params"]
        creds = Credentials()
        creds.add_jetlinks(c["client_id"], c["secure_key"], c["algorithm"])
        received = dict(case["expected"]["headers"])
        if ct is not None:
            received["Content-Type"] = ct
        ok = JetlinksVerifier(creds).verify(r["method"], r["url"], received, r["body"], now_ms=ts)
        assert ok.caller == c["client_id"]
    else:
        with pytest.raises(ref.RefError) as info:
            ref.jetlinks_sign(
                r["method"], r["url"], r["body"].encode(), ct, c["client_id"], c["secure_key"],
                c["algorithm"], ts,
            )
        assert info.value.kind == case["expected"]["error"]


def run_piemdm(case: Dict[str, Any]) -> None:
    assert "kind" not in case, f"unknown piemdm kind {case['kind']!r}"
    c = case["credentials"]
    r = case["request"]
    ts = int(case["timestamp"])

    def sign() -> apisign.Signature:
        return piemdm.sign(
            r["method"], r["url"], r["body"], app_id=c["app_id"], app_secret=c["app_secret"],
            timestamp=ts, nonce=case["nonce"],
        )

    sig = check(case, sign, "canonical_request")
    if sig is not None:
        canonical = piemdm.canonical_request(r["method"], r["url"], r["body"], ts, case["nonce"])
        assert canonical.decode("utf-8", "replace") == sig.signed
        headers, ref_canonical = ref.piemdm_sign(
            r["method"], r["url"], r["body"].encode(), c["app_id"], c["app_secret"], ts,
            case["nonce"],
        )
        assert headers == case["expected"]["headers"]
        assert ref_canonical == canonical
        creds = Credentials()
        creds.add_piemdm(c["app_id"], c["app_secret"])
        verifier = PiemdmVerifier(creds, NonceStore(), min_nonce_len=1)
        ok = verifier.verify(r["method"], r["url"], case["expected"]["headers"], r["body"], now_secs=ts)
        assert (ok.caller, ok.nonce) == (c["app_id"], case["nonce"])


def run_linksfield(file: Dict[str, Any], case: Dict[str, Any]) -> None:
    assert "kind" not in case, f"unknown linksfield kind {case['kind']!r}"
    c = case["credentials"]
    ref_name: str = c["private_key"]
    key_name = ref_name[len("keys.") :] if ref_name.startswith("keys.") else ref_name
    key = linksfield.PrivateKey(file["keys"][key_name])
    public = key.public_key()
    r = case["request"]
    ts = int(case["timestamp"])
    version: str = case.get("version", "2.0")
    assert version in ("2.0", "1.0"), f"unknown linksfield version {version!r}"

    def sign() -> SignResult:
        return linksfield.sign(
            r["method"], r["url"], r["body"], key_id=c["key_id"], private_key=key,
            version=version, timestamp=ts, nonce=case["nonce"],
        )

    sig = check(case, sign, "message")
    if sig is not None:
        auth = sig.headers["Authorization"]
        assert public.verify_base64(sig.signed, auth.split("/", 1)[1])
        if version == "2.0":
            assert linksfield.message_v2(r["method"], r["url"], r["body"], ts, case["nonce"]) == sig.signed
            # (a v1 request carries timestamp and nonce in its query or body, not the vector's)
            creds = Credentials()
            creds.add_linksfield(c["key_id"], public)
            ok = LinksfieldVerifier(creds).verify(
                r["method"], r["url"], case["expected"]["headers"], r["body"], now_ms=ts
            )
            assert ok.caller == c["key_id"]


@pytest.mark.parametrize("scheme,file,case", CASES, ids=list(iter_ids()))
def test_vector_case(scheme: str, file: Dict[str, Any], case: Dict[str, Any]) -> None:
    if scheme == "lovrabet":
        run_lovrabet(case)
    elif scheme == "jetlinks":
        run_jetlinks(case)
    elif scheme == "piemdm":
        run_piemdm(case)
    elif scheme == "linksfield":
        run_linksfield(file, case)
    else:
        pytest.fail(f"unknown scheme {scheme!r} in tests/vectors")


def test_every_scheme_has_cases() -> None:
    schemes = {s for s, _, _ in CASES}
    assert schemes == {"lovrabet", "jetlinks", "piemdm", "linksfield"}
    assert len(CASES) >= 30
