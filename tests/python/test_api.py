"""The Python API itself: exceptions mirror the core's error kinds, inputs are checked with
errors that name the field, secrets never show, and every helper the issue lists is bound."""

from __future__ import annotations

import pathlib
import threading
import time
from typing import Any, Callable, List, Tuple

import pytest

import apisign
from apisign import _native, errors, jetlinks, linksfield, lovrabet, piemdm
from apisign.lifetime import TokenLifetime

import reference as ref


# --- errors -----------------------------------------------------------------------------------


def test_every_native_error_kind_has_a_python_class_with_its_code() -> None:
    native = _native.error_kinds()
    assert native, "the native module lists no error kinds"
    assert {kind: (code, status) for kind, code, status in native} == {
        kind: (cls.code, cls.default_status) for kind, cls in errors.CLASS_BY_KIND.items()
    }
    for kind, cls in errors.CLASS_BY_KIND.items():
        assert cls.kind == kind
        assert issubclass(cls, apisign.ApisignError)
        assert getattr(apisign, cls.__name__) is cls
    codes = [code for _, code, _ in native]
    assert len(set(codes)) == len(codes) and 0 not in codes


def test_errors_name_the_field_and_say_what_to_fix() -> None:
    with pytest.raises(apisign.InvalidInputError) as info:
        lovrabet.sign(app_code="", dataset_code="ds", access_key="ak", timestamp=1)
    assert info.value.field == "app_code"
    assert info.value.code == 1000 and info.value.kind == "invalid_input"
    assert str(info.value) == "app_code: must not be empty"
    assert info.value.message == "must not be empty"
    assert isinstance(info.value, ValueError)

    with pytest.raises(apisign.BareQueryKeyError) as bare:
        jetlinks.sign("GET", "/a?flag&x=1", client_id="c", secure_key="k", timestamp=1)
    assert '"flag="' in str(bare.value) and bare.value.code == 1001

    with pytest.raises(apisign.InvalidEscapeError):
        piemdm.sign("GET", "/a%zz", app_id="a", app_secret="s", timestamp=1, nonce="n")
    with pytest.raises(apisign.InvalidUrlError) as url:
        piemdm.sign("GET", "api/x", app_id="a", app_secret="s", timestamp=1, nonce="n")
    assert url.value.field == "url"
    with pytest.raises(apisign.InvalidInputError) as alg:
        jetlinks.Signer("c", "k", "sha1")
    assert alg.value.field == "algorithm" and "md5, sha256" in str(alg.value)


def test_secrets_never_appear_in_errors_or_reprs(lf_private_pem: str) -> None:
    secret = "hunter2-very-secret"
    shown: List[str] = [
        repr(lovrabet.Signer("app", "ds", secret, secret)),
        repr(lovrabet.TokenGenerator(secret, secret)),
        repr(jetlinks.Signer("c", secret)),
        repr(piemdm.Signer("a", secret)),
        repr(linksfield.Signer("k", lf_private_pem)),
        repr(apisign.PrivateKey(lf_private_pem)),
    ]
    try:
        lovrabet.sign(app_code="a\nb", dataset_code="d", access_key=secret, secret_key=secret)
    except apisign.ApisignError as e:
        shown.append(str(e))
    # Lovrabet's string to sign carries the access key: reprs and `signed_redacted` hide it.
    token = lovrabet.sign(app_code="a", dataset_code="d", access_key=secret, timestamp=1)
    assert secret in token.signed
    assert token.signed_redacted == "accessKey=<redacted>&appCode=a&datasetCode=d&timeStamp=1"
    shown += [repr(token), token.signed_redacted]
    for text in shown:
        assert secret not in text, text
        assert "PRIVATE KEY" not in text and "MII" not in text, text
    assert "redacted" in shown[0]


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="body must be bytes, bytearray or str"):
        piemdm.sign("POST", "/x", 12, app_id="a", app_secret="s")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="secrets must be str or bytes, not int"):
        jetlinks.Signer("c", 1234)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="private_key must be"):
        linksfield.Signer("k", 5)  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        lovrabet.sign(app_code="a", dataset_code="d", access_key="k", timestamp=-1)


# --- bodies and results -----------------------------------------------------------------------


def test_body_may_be_bytes_bytearray_str_or_none() -> None:
    kw: Any = dict(app_id="a", app_secret="s", timestamp=1, nonce="n" * 16)
    by_bytes = piemdm.sign("POST", "/x", "张三".encode(), **kw)
    assert piemdm.sign("POST", "/x", "张三", **kw) == by_bytes
    assert piemdm.sign("POST", "/x", bytearray("张三".encode()), **kw) == by_bytes
    assert piemdm.sign("POST", "/x", None, **kw) == piemdm.sign("POST", "/x", b"", **kw)
    assert piemdm.sign("POST", "/x", **kw) == piemdm.sign("POST", "/x", b"", **kw)


def test_signature_object() -> None:
    sig = jetlinks.sign(
        "GET", "/api/device?pageSize=20&pageIndex=0", client_id="testId",
        secure_key="testSecure", timestamp=1574993804802,
    )
    assert sig.header_items == [
        ("X-Client-Id", "testId"),
        ("X-Timestamp", "1574993804802"),
        ("X-Sign", "837fe7fa29e7a5e4852d447578269523"),
    ]
    assert sig.header("x-sign") == "837fe7fa29e7a5e4852d447578269523"
    assert sig.header("nope") is None
    sig.headers["X-Sign"] = "changed"  # a fresh dict each time: the signature is immutable
    assert sig.headers["X-Sign"] == "837fe7fa29e7a5e4852d447578269523"
    assert sig.signed == "pageIndex=0&pageSize=20"
    assert "837fe7fa" in repr(sig)
    assert hash(sig) == hash(jetlinks.sign(
        "GET", "/api/device?pageSize=20&pageIndex=0", client_id="testId",
        secure_key="testSecure", timestamp=1574993804802,
    ))


def test_default_timestamps_come_from_the_clock() -> None:
    before = int(time.time() * 1000)
    token = lovrabet.sign(app_code="a", dataset_code="d", access_key="k")
    after = int(time.time() * 1000)
    assert before <= token.timestamp_ms <= after
    secs = int(piemdm.sign("GET", "/x", app_id="a", app_secret="s").headers["X-Timestamp"])
    assert abs(secs - time.time()) < 5


# --- lovrabet ---------------------------------------------------------------------------------


def test_lovrabet_batch_tokens_keep_order_and_reject_duplicates() -> None:
    batch = lovrabet.generate_batch(
        "app", {"users": "ds-1", "orders": "ds-2"}, access_key="ak", timestamp=1_700_000_000_000
    )
    assert list(batch) == ["users", "orders"]
    for name, code in (("users", "ds-1"), ("orders", "ds-2")):
        headers, _ = ref.lovrabet_sign("app", code, "ak", "lovrabet", 1_700_000_000_000)
        assert batch[name].headers == headers
    gen = lovrabet.TokenGenerator("ak")
    assert gen.generate_batch("app", [("u", "ds-1")], 5)["u"] == gen.generate("app", "ds-1", 5)
    with pytest.raises(apisign.InvalidInputError, match="twice"):
        gen.generate_batch("app", [("u", "a"), ("u", "b")], 1)


def test_lovrabet_signed_string_is_rebuilt_the_same_on_every_path() -> None:
    # Tokens keep no string to sign: `.signed` is rebuilt from the token's parts and the key's
    # owner (the caller's object, a private copy, the signer or the generator).
    ts = 1_700_000_000_000
    headers, sts = ref.lovrabet_sign("app", "ds", "ak-1", "lovrabet", ts)
    key = bytearray(b"ak-1")
    tokens = {
        "str key": lovrabet.sign(app_code="app", dataset_code="ds", access_key="ak-1", timestamp=ts),
        "bytes key": lovrabet.sign(app_code="app", dataset_code="ds", access_key=b"ak-1", timestamp=ts),
        "bytearray key": lovrabet.sign(app_code="app", dataset_code="ds", access_key=key, timestamp=ts),
        "str subclass key": lovrabet.sign(
            app_code="app", dataset_code="ds", access_key=_Text("ak-1"), timestamp=ts
        ),
        "signer": lovrabet.Signer("app", "ds", "ak-1").sign(ts),
        "generator": lovrabet.TokenGenerator("ak-1").generate("app", "ds", ts),
        "batch": lovrabet.generate_batch("app", [("x", "ds")], access_key="ak-1", timestamp=ts)["x"],
    }
    key[:] = b"XXXX"  # a bytearray may change after signing: the token kept its own copy
    first = tokens["str key"]
    for path, token in tokens.items():
        assert token.headers == headers, path
        assert token.signed == token.string_to_sign == sts, path
        assert token.signed_redacted == sts.replace("ak-1", "<redacted>"), path
        assert "ak-1" not in repr(token), path
        assert token == first, path
    assert first != lovrabet.sign(app_code="app", dataset_code="ds", access_key="ak-2", timestamp=ts)
    assert first != lovrabet.sign(app_code="app", dataset_code="ds", access_key="ak-1", timestamp=ts + 1)


class _Text(str):
    """A str subclass (its text is copied, like a bytearray's)."""


def test_lovrabet_signer_headers_are_fresh_dicts() -> None:
    signer = lovrabet.Signer("app", "ds", "ak")
    first = signer.sign(1)
    first.headers["X-App-Code"] = "mutated"
    mutated = first.headers
    mutated["X-Dataset-Code"] = "mutated"
    expected, _ = ref.lovrabet_sign("app", "ds", "ak", "lovrabet", 2)
    assert signer.sign(2).headers == expected
    assert list(signer.sign(2).headers) == ["X-App-Code", "X-Dataset-Code", "X-Time-Stamp", "X-Token"]
    assert first.headers["X-App-Code"] == "app"


def test_lovrabet_token_lifetime_helpers() -> None:
    t = lovrabet.sign(app_code="a", dataset_code="d", access_key="k", timestamp=1_700_000_000_000)
    assert t.expires_at_ms == 1_700_000_600_000
    assert t.remaining_ms(1_700_000_540_000) == 60_000
    assert not t.is_expiring(now_ms=1_700_000_540_000)
    assert t.is_expiring(now_ms=1_700_000_540_001)
    assert t.is_expiring(120_000, 1_700_000_500_000)
    assert not t.is_expired(1_700_000_599_999) and t.is_expired(1_700_000_600_000)
    assert t.lifetime == TokenLifetime.lovrabet(1_700_000_000_000)
    assert lovrabet.TOKEN_LIFETIME_MS == 600_000 and lovrabet.DEFAULT_BUFFER_MS == 60_000
    assert lovrabet.string_to_sign("ak", "app", "ds", 7) == (
        "accessKey=ak&appCode=app&datasetCode=ds&timeStamp=7"
    )


# --- lifetimes --------------------------------------------------------------------------------


def test_jetlinks_and_oauth2_lifetimes() -> None:
    never = TokenLifetime.jetlinks(5, 0)
    assert never.expires_at_ms is None and never.lifetime_ms is None
    assert never.remaining_ms(2**63) is None
    assert not never.is_expired(2**63) and not never.is_expiring(10**9, 2**63)
    t = TokenLifetime.jetlinks(1_000, 7200)
    assert t.expires_at_ms == 7_201_000 and t.issued_at_ms == 1_000
    o = TokenLifetime.oauth2(10_000, 7200)
    assert o.expires_at_ms == 7_210_000
    assert o.is_expiring(300_000, 6_910_001) and not o.is_expiring(300_000, 6_910_000)
    assert TokenLifetime(1, 2) == TokenLifetime(1, 2) and hash(TokenLifetime(1, 2)) == hash(
        TokenLifetime(1, 2)
    )
    assert TokenLifetime(1, 2) != TokenLifetime(1, 3)
    assert "issued_at_ms=1" in repr(TokenLifetime(1, 2))
    now = int(time.time() * 1000)
    assert TokenLifetime.lovrabet(now).remaining_ms() is not None
    assert abs(apisign.lifetime.now_ms() - now) < 5_000
    assert len(apisign.lifetime.random_nonce()) == 32


# --- jetlinks ---------------------------------------------------------------------------------


def test_jetlinks_token_request_and_oauth2_bodies() -> None:
    signer = jetlinks.Signer("testId", "xHZ2MyCG5TEdntyFhX72Gx6K")
    body, sig = signer.token_request(7200, timestamp=1587719082698)
    assert body == '{"expires":7200}'
    headers, _ = ref.jetlinks_sign(
        "POST", jetlinks.TOKEN_PATH, body.encode(), "application/json", "testId",
        "xHZ2MyCG5TEdntyFhX72Gx6K", "md5", 1587719082698,
    )
    assert sig.headers == headers
    assert signer.token_request(-1, 1)[0] == '{"expires":-1}'
    assert jetlinks.TOKEN_PATH == "/api/v1/token"
    assert jetlinks.ACCESS_TOKEN_HEADER == "X-Access-Token"
    assert jetlinks.oauth2_client_credentials_body("id 1", "s&=x") == (
        "grant_type=client_credentials&client_id=id+1&client_secret=s%26%3Dx"
    )
    assert jetlinks.oauth2_refresh_body("c", "s", "r/t") == (
        "grant_type=refresh_token&client_id=c&client_secret=s&refresh_token=r%2Ft"
    )


def test_jetlinks_response_signatures() -> None:
    s = jetlinks.Signer("id", "key", "sha256")
    sig = s.sign_response(b'{"ok":1}', "17")
    assert s.verify_response(b'{"ok":1}', "17", sig.upper())
    assert not s.verify_response(b'{"ok":2}', "17", sig)
    assert not s.verify_response(b'{"ok":1}', "18", sig)
    assert s.algorithm == "sha256" and s.client_id == "id"


# --- linksfield -------------------------------------------------------------------------------


def test_linksfield_keys(lf_private_pem: str, lf_public_pem: str) -> None:
    key = apisign.PrivateKey(lf_private_pem)
    assert key.bits == 1024
    assert key.public_key() == apisign.PublicKey(lf_public_pem)
    sig = key.sign_base64("hello")
    assert apisign.PublicKey(lf_public_pem).verify_base64(b"hello", sig)
    assert not apisign.PublicKey(lf_public_pem).verify_base64(b"hellO", sig)
    assert not apisign.PublicKey(lf_public_pem).verify_base64(b"hello", "not base64!")
    with pytest.raises(apisign.BadKeyError, match="public key"):
        apisign.PrivateKey(lf_public_pem)
    with pytest.raises(apisign.BadKeyError) as bad:
        apisign.PrivateKey("not a key")
    assert bad.value.field == "key"


def test_linksfield_v1(lf_private_pem: str, lf_public_pem: str) -> None:
    signer = linksfield.Signer("key-1", lf_private_pem)
    v1 = signer.sign_v1_params(
        {"iccid": "8986", "cycles": 3, "gone": None}, timestamp=1674197059220, nonce=42
    )
    assert v1.signed == '{"cycles":3,"iccid":"8986","nonce":42,"timestamp":"1674197059220"}'
    assert (v1.timestamp, v1.nonce) == ("1674197059220", 42)
    assert list(v1.headers) == ["Authorization"]
    auth = v1.headers["Authorization"]
    assert auth.startswith("LF key-1/")
    assert apisign.PublicKey(lf_public_pem).verify_base64(v1.signed, auth.split("/", 1)[1])

    by_request = signer.sign(
        "GET", "/cube/v4/sims?iccid=8986", version="1.0", timestamp=1674197059220, nonce="42"
    )
    assert isinstance(by_request, linksfield.V1Signature)
    assert by_request.signed == '{"iccid":"8986","nonce":42,"timestamp":"1674197059220"}'
    extra = signer.sign_v1(
        "POST", "/cube/v4/sims", b'{"a": 1.50}', extra={"iccid": "89"}, timestamp=1, nonce=7
    )
    # Jackson reads 1.50 as a Double and writes it back as Java's Double.toString does.
    assert extra.signed == '{"a":1.5,"iccid":"89","nonce":7,"timestamp":"1"}'
    with pytest.raises(apisign.InvalidInputError, match="not an integer"):
        signer.sign("GET", "/x", version="1.0", nonce="abc")
    with pytest.raises(apisign.InvalidInputError, match="signature version"):
        signer.sign("GET", "/x", version="3")
    with pytest.raises(apisign.InvalidJsonError):
        signer.sign_v2("POST", "/x", b"[1, 2]")


def test_linksfield_v2_message_matches_reference(lf_private_pem: str) -> None:
    url = "/cube/v4/sims/1/bundle?b=2&a=1&a=3&e=&name=%E5%BC%A0"
    body = '{"z": {"b": 1, "a": [3, 1]}, "n": null, "t": true, "u": "张\\n"}'
    sig = linksfield.sign(
        "POST", url, body, key_id="k", private_key=lf_private_pem, timestamp=9, nonce="n1"
    )
    assert sig.signed == ref.linksfield_message_v2(url, body.encode(), "9", "n1")
    assert sig.headers["X-LF-Signature-Type"] == "2.0"
    assert linksfield.message_v2("POST", url, body, 9, "n1") == sig.signed


# --- GIL ---------------------------------------------------------------------------------------

DATA = pathlib.Path(__file__).resolve().parent / "data"


def longest_stall_while(work: Callable[[], object]) -> Tuple[float, float]:
    """Run ``work`` in a thread while this thread spins; return (work seconds, longest gap
    between two iterations of the spin loop). With the GIL held by ``work``, the spinning
    thread stalls for the whole call."""
    done = threading.Event()
    duration: List[float] = []

    def run() -> None:
        t0 = time.perf_counter()
        work()
        duration.append(time.perf_counter() - t0)
        done.set()

    worker = threading.Thread(target=run)
    max_gap = 0.0
    # Start the clock before `start()`: the worker may take the GIL before `start()` returns.
    last = time.perf_counter()
    worker.start()
    while True:
        now = time.perf_counter()
        max_gap = max(max_gap, now - last)
        last = now
        if done.is_set():
            break
    worker.join()
    return duration[0], max_gap


def test_large_bodies_are_hashed_without_the_gil() -> None:
    body = b"x" * (256 * 1024 * 1024)
    signer = jetlinks.Signer("c", "k", "sha256")
    duration, max_gap = longest_stall_while(lambda: signer.sign("POST", "/x", body, timestamp=1))
    assert duration > 0.1, "body too small to observe the GIL"
    assert max_gap < duration / 2, (max_gap, duration)


def test_rsa_signing_releases_the_gil() -> None:
    # A test-only 8192-bit key: one signature takes long enough (~0.5 s) to tell a held GIL
    # (the spinning thread stalls for the whole call) from scheduling noise.
    key = apisign.PrivateKey((DATA / "rsa8192_test_only.pem").read_text())
    signer = linksfield.Signer("k", key)
    duration, max_gap = longest_stall_while(
        lambda: signer.sign_v2("GET", "/x", timestamp=1, nonce="n")
    )
    assert duration > 0.05, "RSA too fast to observe the GIL"
    assert max_gap < duration / 4, (max_gap, duration)
