"""PieMDM: ``X-Sign = hex(HMAC-SHA256(appSecret, canonical request))``.

The canonical request is the method, decoded path, Go-canonical query, SHA-256 of the body,
``X-Timestamp`` (Unix seconds) and ``X-Nonce``, joined by ``\\n``. Times are Unix seconds here
as on the wire (``timestamp``, ``now_secs``, ``max_age_secs``); the ``_ms`` forms take
milliseconds.

>>> from apisign.verify import Credentials, NonceStore, PiemdmVerifier
>>> creds = Credentials()
>>> creds.add_piemdm("app_592837482", "test_secret_123456")
>>> # strict_query: refuse query parameters the signature does not cover ("admin=1;")
>>> verifier = PiemdmVerifier(creds, NonceStore(), strict_query=True)
>>> headers = {"X-App-Id": "app_592837482", "X-Timestamp": "1705478400",
...            "X-Nonce": "abc123xyz789",
...            "X-Sign": "a35a515127fd2956cec0e7b80a01ba382c730f0283d03bd9a9dd170c6005bf2d"}
>>> url = "/openapi/v1/entities/product?page=1&pageSize=10"
>>> verifier.verify("GET", url + "&admin=1;", headers, now_secs=1705478400)
Traceback (most recent call last):
...
apisign.errors.SignatureInvalidError: ...
>>> verifier.verify("GET", url, headers, now_secs=1705478400).caller
'app_592837482'
"""

from __future__ import annotations

from typing import Optional, Union

from . import _native, _wire
from ._wire import Body, Headers, Secret
from ._native import PIEMDM_GENERATED_NONCE_LEN as GENERATED_NONCE_LEN
from ._native import PIEMDM_RECOMMENDED_MIN_NONCE_LEN as RECOMMENDED_MIN_NONCE_LEN
from ._native import Signature, Verified
from ._native import piemdm_canonical_request as _canonical_request

__all__ = [
    "GENERATED_NONCE_LEN",
    "RECOMMENDED_MIN_NONCE_LEN",
    "Signature",
    "Signer",
    "Verifier",
    "canonical_request",
    "sign",
]


@_wire.one_shot("piemdm")
def sign(
    method: str,
    url: str,
    body: Body = b"",
    *,
    app_id: str,
    app_secret: Secret,
    timestamp: Optional[int] = None,
    nonce: Optional[str] = None,
) -> Signature:
    """One-shot: sign a request with an app id and secret; `timestamp` is Unix seconds (`timestamp_ms=` takes ms), `nonce` defaults to 32 random hex characters."""
    raise NotImplementedError  # replaced by the native call


class Signer(_native.Signer):
    """A PieMDM app: app id and secret (keyed HMAC computed once). ``sign(method, url, body,
    *, timestamp=<Unix seconds>, nonce=...)``."""

    __slots__ = ()

    def __new__(cls, app_id: str, app_secret: Secret) -> Signer:
        return super().__new__(cls, "piemdm", app_id=app_id, app_secret=app_secret)

    @property
    def app_id(self) -> str:
        return dict(self.params)["app_id"]


def _ms(secs: Optional[int], ms: Optional[int], name: str) -> Optional[int]:
    if secs is not None and ms is not None:
        raise TypeError(f"give {name}_secs or {name}_ms, not both")
    return ms if secs is None else secs * 1000


class Verifier(_native.Verifier):
    """Verifies PieMDM signatures and records nonces (after the signature passed).

    Nonces are kept for the window's width + 1 s (601 s by default); a ``nonce_ttl_secs``
    shorter than that would admit replays and raises ``InvalidInputError``.
    ``strict_query=True`` rejects (``SignatureInvalidError``, ``AUTH_SIGNATURE_INVALID``) a
    query segment the signature does not cover: one with ``;`` or a bad ``%`` escape, which
    the Go server skips but ``parse_qs`` reads (``?a=1&admin=1;``). Turn it on when the
    application reads the query itself.
    """

    __slots__ = ()

    def __new__(
        cls,
        credentials: _native.Credentials,
        nonces: Optional[_native.NonceStore] = None,
        *,
        max_age_secs: Optional[int] = None,
        max_ahead_secs: Optional[int] = None,
        max_age_ms: Optional[int] = None,
        max_ahead_ms: Optional[int] = None,
        nonce_ttl_secs: Optional[int] = None,
        min_nonce_len: Optional[int] = None,
        strict_query: bool = False,
    ) -> Verifier:
        return super().__new__(
            cls, "piemdm", credentials,
            max_age_ms=_ms(max_age_secs, max_age_ms, "max_age"),
            max_ahead_ms=_ms(max_ahead_secs, max_ahead_ms, "max_ahead"),
            nonces=nonces, nonce_ttl_secs=nonce_ttl_secs,
            min_nonce_len=min_nonce_len, strict_query=strict_query,
        )

    def verify(
        self,
        method: str,
        url: str,
        headers: Headers,
        body: Body = None,
        *,
        now_secs: Optional[int] = None,
        now_ms: Optional[int] = None,
        client_ip: Optional[str] = None,
    ) -> Verified:
        """Verify a received request at ``now_secs`` (or ``now_ms``; default the clock) from
        ``client_ip`` (checked against the caller's ``allowed_ips``)."""
        return super().verify(
            method, url, headers, body, now_ms=_ms(now_secs, now_ms, "now"), client_ip=client_ip
        )


def canonical_request(
    method: str,
    url: str,
    body: Union[bytes, bytearray, str],
    timestamp: Union[int, str],
    nonce: str,
) -> bytes:
    """The canonical request the server rebuilds (bytes: a decoded path need not be UTF-8)."""
    return _canonical_request(method, url, body, str(timestamp), nonce)


def _add(credentials: _native.Credentials, app_id: str, app_secret: Secret) -> None:
    """``Credentials.add_piemdm``: an app."""
    credentials.add("piemdm", app_id=app_id, app_secret=app_secret)
