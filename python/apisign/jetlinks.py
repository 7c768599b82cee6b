"""JetLinks: ``X-Sign = hex(H(data ‖ timestamp ‖ secureKey))`` with H = MD5 or SHA-256.

``data`` is the sorted param string of the query (GET/DELETE) or of a form body, otherwise the
raw body bytes. Also: response signatures, the access-token request and OAuth2 form bodies.
"""

from __future__ import annotations

from typing import Optional, Tuple

from . import _native, _wire
from ._wire import Body, Headers, Secret
from ._native import JETLINKS_ACCESS_TOKEN_HEADER as ACCESS_TOKEN_HEADER
from ._native import JETLINKS_TOKEN_PATH as TOKEN_PATH
from ._native import Signature
from ._native import jetlinks_oauth2_client_credentials_body as oauth2_client_credentials_body
from ._native import jetlinks_oauth2_refresh_body as oauth2_refresh_body

__all__ = [
    "ACCESS_TOKEN_HEADER",
    "TOKEN_PATH",
    "Signature",
    "Signer",
    "Verifier",
    "oauth2_client_credentials_body",
    "oauth2_refresh_body",
    "sign",
    "verify_response",
]


@_wire.one_shot("jetlinks")
def sign(
    method: str,
    url: str,
    body: Body = b"",
    *,
    client_id: str,
    secure_key: Secret,
    algorithm: str = "md5",
    content_type: Optional[str] = None,
    timestamp: Optional[int] = None,
) -> Signature:
    """One-shot: sign a request with a client id and secure key. `body=None` also means empty."""
    raise NotImplementedError  # replaced by the native call


class Signer(_native.Signer):
    """A JetLinks client: client id, secure key and digest algorithm (``"md5"`` or ``"sha256"``)."""

    __slots__ = ("_client",)
    _client: _native.JetlinksClient

    def __new__(cls, client_id: str, secure_key: Secret, algorithm: str = "md5") -> Signer:
        self = super().__new__(
            cls, "jetlinks", client_id=client_id, secure_key=secure_key, algorithm=algorithm
        )
        self._client = _native.JetlinksClient(client_id, secure_key, algorithm)
        return self

    @property
    def client_id(self) -> str:
        return dict(self.params)["client_id"]

    @property
    def algorithm(self) -> str:
        return dict(self.params)["algorithm"].lower()

    def sign_response(self, body: Body, timestamp: str) -> str:
        """The ``X-Sign`` a server puts on a response with this body and ``X-Timestamp``."""
        return self._client.sign_response(body, timestamp)

    def verify_response(self, body: Body, timestamp: str, sign: str) -> bool:
        """Whether a response's ``X-Sign`` matches its body and ``X-Timestamp`` (constant time)."""
        return self._client.verify_response(body, timestamp, sign)

    def token_request(self, expires: int, timestamp: Optional[int] = None) -> Tuple[str, Signature]:
        """The signed ``POST /api/v1/token`` request: ``(body, signature)``; ``expires <= 0``
        asks for a token that never expires."""
        return self._client.token_request(expires, timestamp)


class Verifier(_wire.SchemeVerifier):
    """Verifies JetLinks request signatures. ``Verifier(credentials, *, max_age_ms=None, max_ahead_ms=None)``."""

    __slots__ = ()
    scheme_name = "jetlinks"


def verify_response(
    signer: Signer,
    body: Body,
    headers: Headers,
    *,
    max_age_ms: Optional[int] = None,
    now_ms: Optional[int] = None,
) -> None:
    """Client side: check a response's ``X-Sign`` against its body and ``X-Timestamp`` (and its
    freshness with ``max_age_ms``); raises on failure."""
    _native.jetlinks_verify_response(signer._client, body, headers, max_age_ms=max_age_ms, now_ms=now_ms)


def _add(credentials: _native.Credentials, client_id: str, secure_key: Secret, algorithm: str = "md5") -> None:
    """``Credentials.add_jetlinks``: a client."""
    credentials.add("jetlinks", client_id=client_id, secure_key=secure_key, algorithm=algorithm)
