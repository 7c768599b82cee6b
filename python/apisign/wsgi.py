"""WSGI middleware that verifies signed requests, for any WSGI app (Flask, Django…)::

    from apisign.wsgi import ApisignMiddleware
    app.wsgi_app = ApisignMiddleware(app.wsgi_app, credentials=creds, skip=["/health"])

Each request is verified from what the client sent: the raw target the server saw
(``RAW_URI`` or ``REQUEST_URI`` when the server gives one; otherwise ``SCRIPT_NAME`` +
``PATH_INFO`` percent-encoded again from the bytes the server decoded, and ``QUERY_STRING``),
the headers, and the body, read up to ``max_body`` bytes (413 beyond, before the app runs) and
handed to the app again through ``wsgi.input``. A refused request gets the platform's answer
and never reaches the app. An accepted one carries its :class:`~apisign.Verified` caller in
``environ["apisign"]`` (Flask: ``request.environ["apisign"]``). Options: see
:class:`ApisignMiddleware` (the same as :class:`apisign.asgi.ApisignMiddleware`).
"""

from __future__ import annotations

import io
from http import HTTPStatus
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple
from urllib.parse import quote

from . import _native
from ._middleware import KEY, Middleware, Rejection
from .errors import ApisignError, InvalidInputError

__all__ = ["ApisignMiddleware", "Rejection", "verified"]

Environ = Dict[str, Any]
StartResponse = Callable[..., Callable[[bytes], object]]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

# CGI names of the two headers WSGI does not prefix with HTTP_.
_UNPREFIXED = {"CONTENT_TYPE": "content-type", "CONTENT_LENGTH": "content-length"}


def verified(environ: Environ) -> Optional[_native.Verified]:
    """The caller the middleware verified for this request, or ``None`` (path skipped)."""
    found: Optional[_native.Verified] = environ.get(KEY)
    return found


class ApisignMiddleware(Middleware[WSGIApp]):
    __doc__ = Middleware.__doc__

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if self._skips(_wsgi_text(environ.get("PATH_INFO", ""))):
            return self.app(environ, start_response)
        headers = _headers(environ)
        verifier = self._pick(k for k, _ in headers)
        try:
            body = _read_body(environ, self.max_body)
            if body is None:
                return _reject(start_response, self._too_large(verifier))
            caller = self._verify(
                verifier,
                environ.get("REQUEST_METHOD", "GET"),
                _target(environ),
                headers,
                body,
                self._client_ip(environ.get("REMOTE_ADDR"), environ.get("HTTP_X_FORWARDED_FOR")),
            )
        except ApisignError as err:
            return _reject(start_response, self._reject(verifier, err))
        environ[KEY] = caller
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        if not self._signs_responses(verifier):
            return self.app(environ, start_response)
        return _signed(self, environ, start_response, verifier, caller)


def _wsgi_text(value: str) -> str:
    """A WSGI "bytes as latin-1" string as the text it encodes (UTF-8), for path matching."""
    return value.encode("latin-1").decode("utf-8", "replace")


def _target(environ: Environ) -> bytes:
    """The path and query as the client sent them."""
    for name in ("RAW_URI", "REQUEST_URI"):
        raw: Optional[str] = environ.get(name)
        if raw:
            target = raw.encode("latin-1")
            if not target.startswith(b"/"):  # absolute form: http://host/path?query
                rest = target.split(b"://", 1)[-1]
                target = b"/" + rest.split(b"/", 1)[1] if b"/" in rest else b"/"
            return target
    # PATH_INFO is the decoded path's bytes as latin-1: percent-encode them again.
    path = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")).encode("latin-1")
    target = quote(path, safe="/:@!$&'()*+,;=~").encode("ascii")
    query: str = environ.get("QUERY_STRING", "")
    return target + b"?" + query.encode("latin-1") if query else target


def _headers(environ: Environ) -> List[Tuple[str, str]]:
    out = []
    for k, v in environ.items():
        if k.startswith("HTTP_"):
            out.append((k[5:].replace("_", "-").lower(), v))
        elif k in _UNPREFIXED and v:
            out.append((_UNPREFIXED[k], v))
    return out


def _read_body(environ: Environ, limit: int) -> Optional[bytes]:
    """The whole body, or ``None`` when it is longer than ``limit`` bytes."""
    stream = environ.get("wsgi.input")
    declared = environ.get("CONTENT_LENGTH") or ""
    if stream is None:
        return b""
    if declared.strip():
        if not declared.strip().isdigit():
            msg = f"Content-Length is not a number of bytes: {declared[:40]!r}"
            raise InvalidInputError(f"content-length: {msg}", "content-length", msg)
        length = int(declared)
        if length > limit:
            return None
    elif environ.get("wsgi.input_terminated"):
        length = limit + 1  # chunked: read to the end, one byte past the limit at most
    else:
        return b""  # no length and no end marker: PEP 3333 says there is no body
    chunks: List[bytes] = []
    size = 0
    while size < length:
        chunk = stream.read(min(length - size, 65536))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return None if size > limit else b"".join(chunks)


def _reject(start_response: StartResponse, rejection: Rejection) -> List[bytes]:
    headers = list(rejection.headers)
    if not any(k.lower() == "content-length" for k, _ in headers):
        headers.append(("Content-Length", str(len(rejection.body))))
    start_response(_status_line(rejection.status), headers)
    return [rejection.body]


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _signed(
    middleware: ApisignMiddleware,
    environ: Environ,
    start_response: StartResponse,
    verifier: _native.Verifier,
    caller: _native.Verified,
) -> List[bytes]:
    """Run ``app`` with its response held back, then send it with the signature headers."""
    started: List[Tuple[str, List[Tuple[str, str]], Any]] = []
    parts: List[bytes] = []

    def hold(
        status: str, headers: List[Tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        started[:] = [(status, headers, exc_info)]
        return parts.append

    result = middleware.app(environ, hold)
    try:
        parts.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    body = b"".join(parts)
    status, headers, exc_info = started[0]
    added = middleware._response_headers(verifier, caller, body)
    names = {n.lower() for n, _ in added}
    start_response(status, [(k, v) for k, v in headers if k.lower() not in names] + added, exc_info)
    return [body]
