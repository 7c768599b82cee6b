"""``requests`` auth for every scheme: ``session.get(url, auth=JetlinksAuth(...))``.

Each auth signs the prepared request: its method, the path and query exactly as sent
(``PreparedRequest.path_url``) and the body bytes. A ``str`` body is encoded to UTF-8 here
(and ``Content-Length`` fixed), so the signed bytes are the bytes sent. Streamed bodies
(files, generators) cannot be signed before they are read and are rejected.
"""

from __future__ import annotations

from typing import Union

import requests.auth
from requests import PreparedRequest

from . import _wire
from ._native import PrivateKey
from .errors import InvalidInputError

__all__ = ["ApisignAuth", "JetlinksAuth", "LinksfieldAuth", "LovrabetAuth", "PiemdmAuth"]


def _body_bytes(request: PreparedRequest) -> bytes:
    body = request.body
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        encoded = body.encode("utf-8")
        request.body = encoded
        request.headers["Content-Length"] = str(len(encoded))
        return encoded
    msg = (
        f"a streamed {type(body).__name__} body cannot be signed before it is sent; "
        "read it and pass bytes (data=...) instead"
    )
    raise InvalidInputError(f"body: {msg}", "body", msg)


class ApisignAuth(requests.auth.AuthBase):
    """Base class: signs each request with a scheme's wire signer."""

    def __init__(self, signer: _wire.WireSigner) -> None:
        self._signer = signer

    def __call__(self, r: PreparedRequest) -> PreparedRequest:
        body = _body_bytes(r)
        method = r.method or "GET"
        target = r.path_url
        content_type = r.headers.get("Content-Type")
        r.headers.update(self._signer(method, target, body, content_type))
        return r

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


