"""The native module against the independent pure-Python reference (tests/python/reference.py)
on random requests: same headers and intermediate string, or both refuse with the same kind."""

from __future__ import annotations

from typing import Callable, List, Literal, Optional, Tuple, TypeVar
from urllib.parse import quote

from hypothesis import example, given, settings
from hypothesis import strategies as st

import apisign
from apisign import jetlinks, lovrabet, piemdm

import reference as ref

T = TypeVar("T")

settings.register_profile("apisign", max_examples=300, deadline=None)
settings.load_profile("apisign")

# Header-safe identifiers and secrets (printable, no controls), including non-ASCII.
HEADER_UNSAFE: List[Literal["Cc", "Cs", "Zl", "Zp"]] = ["Cc", "Cs", "Zl", "Zp"]
SURROGATES: List[Literal["Cs"]] = ["Cs"]
ident = st.text(st.characters(exclude_categories=HEADER_UNSAFE), min_size=1, max_size=24)
secret = st.text(st.characters(exclude_categories=SURROGATES), min_size=1, max_size=64)
timestamp = st.integers(min_value=0, max_value=2**63 - 1)
# PieMDM's seconds: the API takes ms in a u64, so seconds go up to (2**64 - 1) // 1000.
timestamp_secs = st.integers(min_value=0, max_value=(2**64 - 1) // 1000)
nonce = st.text(st.characters(exclude_categories=HEADER_UNSAFE), min_size=1, max_size=40)

# Query components: raw text percent-encoded the way clients do, sometimes with raw '+', '='
# or a stray '%' to exercise decoding and the error paths.
component = st.one_of(
    st.text(max_size=12).map(lambda s: quote(s, safe="")),
    st.text(alphabet="ab=+%2F41~*-_.", max_size=8),
)
pair = st.tuples(component, st.sampled_from(["=", "", "=="]), component).map("".join)
query = st.lists(pair, max_size=6).map("&".join)
path = st.lists(
    st.text(max_size=8).map(lambda s: quote(s, safe="+")), min_size=1, max_size=4
).map(lambda parts: "/" + "/".join(parts))
url = st.tuples(path, query, st.booleans()).map(
    lambda t: t[0] + ("?" + t[1] if t[1] or t[2] else "")
)
body = st.one_of(st.binary(max_size=256), st.text(max_size=64).map(str.encode))
method = st.sampled_from(["GET", "get", "DELETE", "POST", "PUT", "PATCH"])
content_type = st.sampled_from(
    [None, "application/json", "application/x-www-form-urlencoded",
     "Application/X-WWW-Form-Urlencoded; charset=UTF-8", "text/plain",
     "application/x-www-form-urlencoded;charset=ISO-8859-1", "*/*", "application/*",
     "application/x-www-form-urlencoded+x", "text/plain; x=a/b", "a/b; charset=bogus",
     "application/x-www-form-urlencoded; charset=utf-16le", "application/x-www-form-urlencoded; q=2"]
)


def outcome(f: Callable[[], T]) -> Tuple[str, Optional[T]]:
    """``("ok", value)`` or ``(kind, None)`` for either implementation."""
    try:
        return "ok", f()
    except apisign.ApisignError as e:
        return e.kind, None
    except ref.RefError as e:
        return e.kind, None


@given(ident, ident, ident, secret, timestamp)
def test_lovrabet_matches_reference(
    app: str, ds: str, ak: str, sk: str, ts: int
) -> None:
    native = lovrabet.sign(app_code=app, dataset_code=ds, access_key=ak, secret_key=sk, timestamp=ts)
    headers, sts = ref.lovrabet_sign(app, ds, ak, sk, ts)
    assert native.headers == headers
    assert native.signed == sts


FORM = "application/x-www-form-urlencoded"


@given(method, url, body, content_type, ident, secret, st.sampled_from(["md5", "sha256"]), timestamp)
# Found by hypothesis: form pairs are trimmed like Java's String.trim() (controls, not U+00A0).
@example("POST", "/", b"\x1c", FORM, "c", "k", "md5", 0)
@example("POST", "/", b"\x01b=2&\x1fa=1\t", FORM, "c", "k", "md5", 0)
@example("POST", "/", "\u00a0c=3".encode(), FORM, "c", "k", "md5", 0)
def test_jetlinks_matches_reference(
    m: str, u: str, b: bytes, ct: Optional[str], cid: str, key: str, alg: str, ts: int
) -> None:
    kind, native = outcome(
        lambda: jetlinks.sign(m, u, b, client_id=cid, secure_key=key, algorithm=alg,
                              content_type=ct, timestamp=ts)
    )
    ref_kind, expected = outcome(lambda: ref.jetlinks_sign(m, u, b, ct, cid, key, alg, ts))
    assert kind == ref_kind
    if native is not None and expected is not None:
        assert native.headers == expected[0]
        assert native.signed == expected[1]


@given(method, url, body, ident, secret, timestamp_secs, nonce)
def test_piemdm_matches_reference(
    m: str, u: str, b: bytes, app_id: str, secret_: str, ts: int, n: str
) -> None:
    kind, native = outcome(
        lambda: piemdm.sign(m, u, b, app_id=app_id, app_secret=secret_, timestamp=ts, nonce=n)
    )
    ref_kind, expected = outcome(lambda: ref.piemdm_sign(m, u, b, app_id, secret_, ts, n))
    assert kind == ref_kind
    if native is not None and expected is not None:
        assert native.headers == expected[0]
        assert native.signed == expected[1].decode("utf-8", "replace")
        assert piemdm.canonical_request(m, u, b, ts, n) == expected[1]
