"""``httpx`` auth for every scheme, sync and async: ``httpx.Client(auth=ApisignAuth("<scheme>",
**params))``, or ``ApisignAuth(signer)``; ``<Scheme>Auth(...)`` takes the
arguments of ``apisign.<scheme>.Signer``.

``strict=True`` checks the signature of every successful response (for schemes whose servers
sign responses): ``SignatureInvalidError`` for a bad signature, ``MissingAuthError`` for none.

Each auth reads the request body first (``requires_request_body``) and signs the method, the
raw path and query exactly as sent (``request.url.raw_path``) and the body bytes. Signing is
CPU-only, so one ``auth_flow`` serves ``Client`` and ``AsyncClient``.
"""

from __future__ import annotations

from typing import Any, Callable, Generator, Union

import httpx

from . import _native, _wire

__all__ = ["ApisignAuth", *_wire.class_names("Auth")]


class ApisignAuth(httpx.Auth):
    """Signs each request with ``signer`` (or a new signer for the scheme it names)."""

    requires_request_body = True

    def __init__(self, signer: Union[_native.Signer, str], *, strict: bool = False, **params: Any) -> None:
        self._signer = _wire.signer_of(signer, params)
        self._sign = _wire.wire_signer(self._signer)
        self._strict = _wire.strict_mode(self._signer, strict)
        # httpx reads (or areads) the response body before resuming auth_flow.
        self.requires_response_body = self._strict

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        # `requires_request_body` made httpx read (or aread) the body already.
        body = request.content
        target = request.url.raw_path.decode("ascii")
        content_type = request.headers.get("Content-Type")
        request.headers.update(self._sign(request.method, target, body, content_type))
        response = yield request
        if self._strict and response.is_success:
            self._signer.check_response(response.headers.multi_items(), response.content)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"


def __getattr__(name: str) -> Callable[..., ApisignAuth]:
    """``<Scheme>Auth``: an ``ApisignAuth`` taking ``apisign.<scheme>.Signer``'s arguments."""
    auth: Callable[..., ApisignAuth] = _wire.scheme_auth(ApisignAuth, __name__, name)
    return auth
