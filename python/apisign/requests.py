"""``requests`` auth for every scheme: ``session.get(url, auth=ApisignAuth("<scheme>",
**params))``, or ``ApisignAuth(signer)``; ``<Scheme>Auth(...)`` takes the
arguments of ``apisign.<scheme>.Signer``.

``strict=True`` checks the signature of every successful response (for schemes whose servers
sign responses): ``SignatureInvalidError`` for a bad signature, ``MissingAuthError`` for none.

Each auth signs the prepared request: its method, the path and query exactly as sent
(``PreparedRequest.path_url``) and the body bytes. A ``str`` body is encoded to UTF-8 here
(and ``Content-Length`` fixed), so the signed bytes are the bytes sent. Streamed bodies
(files, generators) cannot be signed before they are read and are rejected.
"""

from __future__ import annotations

from typing import Any, Callable, Union

import requests
import requests.auth
from requests import PreparedRequest

from . import _native, _wire
from .errors import InvalidInputError

__all__ = ["ApisignAuth", *_wire.class_names("Auth")]


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
    """Signs each request with ``signer`` (or a new signer for the scheme it names).
    ``strict=True``: every 2xx response must carry a valid response signature (schemes whose
    servers sign responses), else a :class:`~apisign.errors.VerificationError` is raised."""

    def __init__(self, signer: Union[_native.Signer, str], *, strict: bool = False, **params: Any) -> None:
        self._signer = _wire.signer_of(signer, params)
        self._sign = _wire.wire_signer(self._signer)
        self._strict = _wire.strict_mode(self._signer, strict)

    def __call__(self, r: PreparedRequest) -> PreparedRequest:
        body = _body_bytes(r)
        method = r.method or "GET"
        target = r.path_url
        content_type = r.headers.get("Content-Type")
        r.headers.update(self._sign(method, target, body, content_type))
        if self._strict:
            r.hooks["response"].append(self._check_response)
        return r

    def _check_response(self, response: requests.Response, **_: Any) -> requests.Response:
        if response.ok:
            self._signer.check_response(list(response.headers.items()), response.content)
        return response

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"


def __getattr__(name: str) -> Callable[..., ApisignAuth]:
    """``<Scheme>Auth``: an ``ApisignAuth`` taking ``apisign.<scheme>.Signer``'s arguments."""
    auth: Callable[..., ApisignAuth] = _wire.scheme_auth(ApisignAuth, __name__, name)
    return auth
