"""Argument binding of the signing entry points (the generic native `sign`/`Signer.sign`
behind every scheme): errors behave like ordinary Python functions or name the parameter the
core refuses, and every accepted argument form signs the same bytes."""

from __future__ import annotations

import inspect
from typing import Any, Callable, Dict

import pytest

import apisign
import reference as ref
from apisign import jetlinks, lovrabet, piemdm

TS_MS = 1_700_000_000_000
TS_S = 1_700_000_000
NONCE = "0123456789abcdef0123456789abcdef"
URL = "/openapi/v1/devices?b=2&a=%E5%BC%A0+1"


class Text(str):
    """A str subclass: accepted as text, never leaked into the headers dict."""


def test_lovrabet_arguments_bind_like_python() -> None:
    expected, _ = ref.lovrabet_sign("app", "ds", "ak-1", "lovrabet", TS_MS)
    kwargs: Dict[str, Any] = {"app_code": "app", "dataset_code": "ds", "access_key": "ak-1"}
    # Keyword names built at run time (not interned) take the slow path.
    runtime = {"".join(["app", "_code"]): "app", "dataset_code": "ds", "access_key": b"ak-1"}
    for kw in (kwargs, runtime):
        assert lovrabet.sign(**kw, timestamp=TS_MS).headers == expected
        assert lovrabet.sign(**kw, secret_key=None, timestamp=TS_MS).headers == expected
        assert lovrabet.sign(**kw, secret_key="lovrabet", timestamp=TS_MS).headers == expected
        assert lovrabet.sign(**kw, secret_key=bytearray(b"lovrabet"), timestamp=TS_MS).headers == expected
    other, _ = ref.lovrabet_sign("app", "ds", "ak-1", "s3cret", TS_MS)
    assert lovrabet.sign(**kwargs, secret_key=b"s3cret", timestamp=TS_MS).headers == other

    signer = lovrabet.Signer("app", "ds", "ak-1")
    assert signer.sign(TS_MS).headers == expected
    assert signer.sign(timestamp=TS_MS).headers == expected
    assert abs(signer.sign().timestamp_ms - lovrabet.sign(**kwargs).timestamp_ms) < 60_000


def test_str_subclass_values_become_plain_str() -> None:
    tok = lovrabet.sign(app_code=Text("app"), dataset_code=Text("ds"), access_key=Text("ak"), timestamp=1)
    assert all(type(v) is str for v in tok.headers.values())
    sig = piemdm.Signer("app-1", "s").sign("GET", "/x", timestamp=1, nonce=Text(NONCE))
    assert all(type(v) is str for v in sig.headers.values())
    assert sig.headers["X-Nonce"] == NONCE


# Untyped handles: these calls are wrong on purpose.
_lov: Any = lovrabet
_jl: Any = jetlinks
_pm: Any = piemdm


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: _lov.sign("a", "d", "k"), "positional arguments but"),
        (lambda: _lov.sign(app_code=1, dataset_code="d", access_key="k"), "argument 'app_code': expected str, not int"),
        (lambda: _lov.sign(app_code="a", dataset_code="d", access_key=3), "secrets must be str or bytes, not int"),
        (lambda: _lov.sign(app_code="a", dataset_code="d", access_key="k", timestamp="1"), "integer"),
        (lambda: _lov.Signer("a", "d", "k").sign(1, 2), "takes from 1 to 2 positional arguments but 3 were given"),
        (lambda: _jl.Signer("c", "k").sign("GET", "/x", b"", "text/plain"), "takes from 2 to 3 positional arguments"),
        (lambda: _jl.Signer("c", "k").sign("GET", url="/x", method="GET"), "multiple values for argument 'method'"),
        (lambda: _jl.Signer("c", "k").sign("GET"), "missing 1 required positional argument: 'url'"),
        (lambda: _jl.Signer("c", "k").sign("POST", "/x", 12), "body must be bytes, bytearray or str, not int"),
        (lambda: _pm.Signer("a", "s").sign("GET", "/x", nonce=5), "is not an instance of 'str'"),
        (lambda: _pm.sign("GET", "/x", app_id="a", app_secret=1.5), "secrets must be str or bytes, not float"),
        # No scheme's parameter at all: refused by the argument binding, naming it.
        (lambda: _lov.sign(app_code="a", dataset_code="d", access_key="k", bogus=1), "unexpected keyword argument 'bogus'"),
    ],
)
def test_argument_errors_are_type_errors(call: Callable[[], object], message: str) -> None:
    with pytest.raises(TypeError) as info:
        call()
    assert message in str(info.value)


@pytest.mark.parametrize(
    "call, field, message",
    [
        (lambda: _lov.sign(app_code="a", dataset_code="d"), "access_key", "is required by the lovrabet signer"),
        (lambda: _jl.sign("GET", "/x", client_id="c"), "secure_key", "is required by the jetlinks signer"),
        (
            # Another scheme's parameter: the core names the ones this scheme takes.
            lambda: _lov.sign(app_code="a", dataset_code="d", access_key="k", client_id="c"),
            "params",
            'takes no parameter "client_id"; it takes: app_code, dataset_code, access_key, secret_key',
        ),
    ],
)
def test_missing_and_unknown_parameters_name_what_to_fix(
    call: Callable[[], object], field: str, message: str
) -> None:
    with pytest.raises(apisign.InvalidInputError) as info:
        call()
    assert info.value.field == field and message in str(info.value)


def test_negative_timestamp_and_bad_input_keep_their_exceptions() -> None:
    with pytest.raises(OverflowError):
        lovrabet.sign(app_code="a", dataset_code="d", access_key="k", timestamp=-1)
    with pytest.raises(apisign.InvalidInputError):
        lovrabet.sign(app_code="a", dataset_code="d", access_key="", timestamp=1)
    with pytest.raises(apisign.InvalidInputError):
        lovrabet.sign(app_code="a", dataset_code="d", access_key=b"\xff", timestamp=1)
    with pytest.raises(TypeError):
        lovrabet.Signer.sign(object(), 1)  # type: ignore[arg-type]


def test_body_forms_sign_the_same_bytes() -> None:
    body = '{"name":"张三"}'
    raw = body.encode()
    jl = jetlinks.Signer("testId", "testSecure")
    pm = piemdm.Signer("app-1", "app-secret-1")
    jl_expected, _ = ref.jetlinks_sign("POST", "/x", raw, "application/json", "testId", "testSecure", "md5", TS_MS)
    pm_expected, _ = ref.piemdm_sign("POST", URL, raw, "app-1", "app-secret-1", TS_S, NONCE)
    for b in (raw, body, bytearray(raw)):
        assert jl.sign("POST", "/x", b, content_type="application/json", timestamp=TS_MS).headers == jl_expected
        assert pm.sign("POST", URL, b, timestamp=TS_S, nonce=NONCE).headers == pm_expected
        assert (
            jetlinks.sign(
                "POST", "/x", body=b, client_id="testId", secure_key=b"testSecure",
                content_type="application/json", timestamp=TS_MS,
            ).headers
            == jl_expected
        )
        assert (
            piemdm.sign("POST", URL, b, app_id="app-1", app_secret="app-secret-1", timestamp=TS_S, nonce=NONCE).headers
            == pm_expected
        )
    empty, _ = ref.piemdm_sign("GET", URL, b"", "app-1", "app-secret-1", TS_S, NONCE)
    assert pm.sign("GET", URL, None, timestamp=TS_S, nonce=NONCE).headers == empty
    assert pm.sign("GET", URL, timestamp=TS_S, nonce=NONCE).headers == empty


def test_lone_surrogates_are_rejected_not_mangled() -> None:
    with pytest.raises(UnicodeEncodeError):
        jetlinks.Signer("c", "k").sign("POST", "/x", "\ud800", timestamp=1)


def test_signatures_are_introspectable() -> None:
    assert str(inspect.signature(lovrabet.sign)) == (
        "(*, app_code, dataset_code, access_key, secret_key='lovrabet', timestamp=None)"
    )
    # One generic Signer.sign for every scheme (timestamp in the scheme's wire unit).
    assert str(inspect.signature(jetlinks.Signer.sign)) == (
        "(self, /, method, url, body=None, *, content_type=None, timestamp=None, timestamp_ms=None, nonce=None)"
    )
    assert str(inspect.signature(piemdm.sign)) == (
        "(method, url, body=b'', *, app_id, app_secret, timestamp=None, nonce=None)"
    )
    assert lovrabet.sign.__module__ == "apisign.lovrabet"
    assert lovrabet.sign.func is apisign._native.sign  # type: ignore[attr-defined]
