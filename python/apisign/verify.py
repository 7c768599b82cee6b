"""Server-side verification with the same core that signs.

Register callers in :class:`Credentials`, keep one :class:`NonceStore` per process (piemdm, and
optionally linksfield, remember nonces to refuse replays), and build one verifier per scheme.
``verify(method, url, headers, body)`` returns :class:`Verified` (who sent the request) or
raises a :class:`~apisign.errors.VerificationError` subclass whose ``platform_code`` is the
platform's own code (lovrabet ``"1002"``…, piemdm ``"AUTH_*"``, linksfield ``"401"``/``"403"``).
Every check takes an explicit ``now`` (default: the clock). The GIL is released while verifying.

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

import json
from typing import Any, Iterable, Mapping, Optional, Tuple, Union

from ._native import (
    Credentials,
    JetlinksSigner,
    JetlinksVerifier,
    LinksfieldVerifier as _NativeLinksfieldVerifier,
    LovrabetVerifier,
    NonceStore,
    PiemdmVerifier,
    Verified,
)
from ._native import jetlinks_verify_response as _jetlinks_verify_response

__all__ = [
    "Credentials",
    "Headers",
    "JetlinksVerifier",
    "LinksfieldVerifier",
    "LovrabetVerifier",
    "NonceStore",
    "PiemdmVerifier",
    "Verified",
    "jetlinks_verify_response",
]

Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]
Body = Union[bytes, bytearray, str, None]


class LinksfieldVerifier:
    """Verifies linksfield signatures (v2; v1 too unless ``accept_v1=False``) with the key id's
    registered public key; with ``nonces``, a key id's nonce is refused after its first use."""

    __slots__ = ("_native",)

    def __init__(
        self,
        credentials: Credentials,
        *,
        nonces: Optional[NonceStore] = None,
        max_age_ms: Optional[int] = None,
        max_ahead_ms: Optional[int] = None,
        accept_v1: bool = True,
    ) -> None:
        self._native = _NativeLinksfieldVerifier(
            credentials, nonces=nonces, max_age_ms=max_age_ms, max_ahead_ms=max_ahead_ms,
            accept_v1=accept_v1,
        )

    def verify(
        self,
        method: str,
        url: str,
        headers: Headers,
        body: Body = b"",
        *,
        path_params: Optional[Mapping[str, Any]] = None,
        now_ms: Optional[int] = None,
    ) -> Verified:
        """Verify a received request; for v1, ``path_params`` are the router's typed path
        parameters, which the client signed."""
        params = None if path_params is None else json.dumps(dict(path_params), ensure_ascii=False)
        return self._native.verify(
            method, url, headers, body, path_params_json=params, now_ms=now_ms
        )


def jetlinks_verify_response(
    signer: JetlinksSigner,
    body: Union[bytes, bytearray, str],
    headers: Headers,
    *,
    max_age_ms: Optional[int] = None,
    now_ms: Optional[int] = None,
) -> None:
    """Client side: check a jetlinks response's ``X-Sign`` against its body and
    ``X-Timestamp`` (and its freshness with ``max_age_ms``); raises on failure."""
    _jetlinks_verify_response(signer, body, headers, max_age_ms=max_age_ms, now_ms=now_ms)
