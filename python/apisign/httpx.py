"""``httpx`` auth for every scheme, sync and async: ``httpx.Client(auth=PiemdmAuth(...))``.

Each auth reads the request body first (``requires_request_body``) and signs the method, the
raw path and query exactly as sent (``request.url.raw_path``) and the body bytes. Signing is
CPU-only, so one ``auth_flow`` serves ``Client`` and ``AsyncClient``.
"""

from __future__ import annotations

from typing import Generator, Union

import httpx

from . import _wire
from ._native import PrivateKey

__all__ = ["ApisignAuth", "JetlinksAuth", "LinksfieldAuth", "LovrabetAuth", "PiemdmAuth"]


class ApisignAuth(httpx.Auth):
    """Base class: signs each request with a scheme's wire signer."""

    requires_request_body = True

    def __init__(self, signer: _wire.WireSigner) -> None:
        self._signer = signer

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        # `requires_request_body` made httpx read (or aread) the body already.
        body = request.content
        target = request.url.raw_path.decode("ascii")
        content_type = request.headers.get("Content-Type")
        request.headers.update(self._signer(request.method, target, body, content_type))
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"


class LovrabetAuth(ApisignAuth):
    """Adds ``X-App-Code``, ``X-Dataset-Code``, ``X-Time-Stamp`` and a fresh ``X-Token``."""

    def __init__(
        self,
        app_code: str,
        dataset_code: str,
        access_key: Union[str, bytes],
        secret_key: Union[str, bytes] = "lovrabet",
    ) -> None:
        super().__init__(_wire.lovrabet(app_code, dataset_code, access_key, secret_key))


class JetlinksAuth(ApisignAuth):
    """Adds ``X-Client-Id``, ``X-Timestamp`` and ``X-Sign``."""

    def __init__(
        self, client_id: str, secure_key: Union[str, bytes], algorithm: str = "md5"
    ) -> None:
        super().__init__(_wire.jetlinks(client_id, secure_key, algorithm))


class PiemdmAuth(ApisignAuth):
    """Adds ``X-App-Id``, ``X-Timestamp``, a fresh ``X-Nonce`` and ``X-Sign``."""

    def __init__(self, app_id: str, app_secret: Union[str, bytes]) -> None:
        super().__init__(_wire.piemdm(app_id, app_secret))


class LinksfieldAuth(ApisignAuth):
    """Signature version 2: adds ``Authorization``, ``timestamp``, ``nonce`` and
    ``X-LF-Signature-Type``."""

    def __init__(self, key_id: str, private_key: Union[PrivateKey, str, bytes]) -> None:
        super().__init__(_wire.linksfield(key_id, private_key))
