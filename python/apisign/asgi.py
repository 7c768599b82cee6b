"""ASGI middleware that verifies signed requests, for any ASGI app (Starlette, FastAPI,
Litestar…)::

    from apisign.asgi import ApisignMiddleware
    app.add_middleware(ApisignMiddleware, credentials=creds, skip=["/health"])

Options: see :class:`ApisignMiddleware`.
Each HTTP request is verified from what the client sent: the raw path (``scope["raw_path"]``)
and query string, the headers, and the body, read up to ``max_body`` bytes (413 beyond, before
the app runs) and then handed to the app exactly as received. A refused request gets the
platform's answer (``Verifier.rejection``: status, headers, body) and never reaches the app.
An accepted one carries its :class:`~apisign.Verified` caller in ``scope["apisign"]`` and
``scope["state"]["apisign"]`` (Starlette: ``request.state.apisign``); :mod:`apisign.fastapi`
has a dependency that returns it. Lifespan and websocket scopes pass through untouched.

For schemes that sign their responses, the response body of a verified caller is buffered and
the signature headers added (``sign_responses=False`` turns that off; streamed responses are
then sent as they come).
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Awaitable, Callable, List, MutableMapping, Optional, Tuple
from urllib.parse import quote

from . import _native
from ._middleware import KEY, Middleware, Rejection
from .errors import ApisignError

__all__ = ["ApisignMiddleware", "Rejection", "verified"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Ways a server may send a response without its bytes passing through `send`.
_ZERO_COPY = ("http.response.pathsend", "http.response.zerocopy")


def verified(scope: Scope) -> Optional[_native.Verified]:
    """The caller the middleware verified for this request, or ``None`` (path skipped)."""
    found: Optional[_native.Verified] = scope.get(KEY)
    return found


class _Disconnected(Exception):
    pass


class ApisignMiddleware(Middleware[ASGIApp]):
    __doc__ = Middleware.__doc__

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._skips(scope["path"]):
            await self.app(scope, receive, send)
            return
        # ASGI header names are lowercase already.
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        verifier = self._pick(k for k, _ in headers)
        if _declared_length(headers) > self.max_body:
            await _send_rejection(send, self._too_large(verifier))
            return
        try:
            body = await _read_body(receive, self.max_body)
        except _Disconnected:
            return
        if body is None:
            await _send_rejection(send, self._too_large(verifier))
            return
        check = functools.partial(
            self._verify,
            verifier,
            scope["method"],
            _target(scope),
            headers,
            body,
            self._client_ip(_peer(scope), _forwarded_for(headers)),
        )
        try:
            # The native call releases the GIL, so a worker thread lets the loop run meanwhile.
            caller = (
                await asyncio.get_running_loop().run_in_executor(None, check)
                if self._in_thread
                else check()
            )
        except ApisignError as err:
            await _send_rejection(send, self._reject(verifier, err))
            return
        # In place, as Starlette's own middleware do, so outer middleware see it too.
        scope[KEY] = caller
        scope.setdefault("state", {})[KEY] = caller
        replay = _replay(body, receive)
        if self._signs_responses(verifier):
            # The response must pass through `send` to be signed: no zero-copy file sends.
            extensions = {
                k: v for k, v in (scope.get("extensions") or {}).items() if k not in _ZERO_COPY
            }
            await self.app(
                dict(scope, extensions=extensions),
                replay,
                _signing_send(send, self, verifier, caller),
            )
        else:
            await self.app(scope, replay, send)


def _target(scope: Scope) -> bytes:
    """The path and query as the client sent them."""
    raw: Optional[bytes] = scope.get("raw_path")
    if raw is None:
        # A server without raw_path: the decoded path, percent-encoded again.
        raw = quote(scope.get("root_path", "") + scope["path"], safe="/:@!$&'()*+,;=~").encode(
            "ascii"
        )
    else:
        raw = raw.split(b"?", 1)[0]  # some servers keep the query in raw_path
    query: bytes = scope.get("query_string", b"")
    return raw + b"?" + query if query else raw


def _peer(scope: Scope) -> Optional[str]:
    client = scope.get("client")
    return str(client[0]) if client else None


def _forwarded_for(headers: List[Tuple[str, str]]) -> Optional[str]:
    values = [v for k, v in headers if k == "x-forwarded-for"]
    return ", ".join(values) if values else None


def _declared_length(headers: List[Tuple[str, str]]) -> int:
    for k, v in headers:
        if k == "content-length":
            try:
                return int(v)
            except ValueError:
                return 0  # the server refuses a malformed length itself
    return 0


async def _read_body(receive: Receive, limit: int) -> Optional[bytes]:
    """The whole body, or ``None`` once it passes ``limit`` bytes."""
    chunks: List[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` for the app: the body read, in one message, then the server's own."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _signing_send(
    send: Send, middleware: ApisignMiddleware, verifier: _native.Verifier, caller: _native.Verified
) -> Send:
    """``send`` for the app: the response held until its last byte, then sent signed."""
    start: Optional[Message] = None
    parts: List[bytes] = []

    async def signing_send(message: Message) -> None:
        nonlocal start
        kind = message["type"]
        if kind == "http.response.start":
            start = message
            return
        if kind != "http.response.body" or start is None:
            await send(message)
            return
        parts.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(parts)
        added = middleware._response_headers(verifier, caller, body)
        names = {n.lower().encode("latin-1") for n, _ in added}
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in names]
        headers += [(n.encode("latin-1"), v.encode("latin-1")) for n, v in added]
        await send(dict(start, headers=headers))
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return signing_send


async def _send_rejection(send: Send, rejection: Rejection) -> None:
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in rejection.headers]
    if not any(k == b"content-length" for k, _ in headers):
        headers.append((b"content-length", str(len(rejection.body)).encode("ascii")))
    await send({"type": "http.response.start", "status": rejection.status, "headers": headers})
    await send({"type": "http.response.body", "body": rejection.body, "more_body": False})
