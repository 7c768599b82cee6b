"""FastAPI: the caller :class:`apisign.asgi.ApisignMiddleware` verified, as a dependency that
also declares the schemes' headers in the OpenAPI security schema::

    from apisign.fastapi import VerifiedCaller
    @app.get("/items")
    def items(caller: VerifiedCaller) -> dict: return {"caller": caller.caller}

``caller("<scheme>", ...)`` is the same dependency declaring only those schemes, and refusing
(403) a caller another scheme verified: caller ids are per scheme.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any, Awaitable, Callable, Dict

from fastapi import Depends, HTTPException, Request, Security
from fastapi.openapi.models import APIKey, APIKeyIn
from fastapi.security.base import SecurityBase

from . import _native, _wire
from .asgi import verified

__all__ = ["SchemeSecurity", "VerifiedCaller", "caller"]


class SchemeSecurity(SecurityBase):
    """One scheme in the OpenAPI schema: an API key in the scheme's first header (the one
    naming the caller), the others listed in the description. Checks nothing itself: the
    middleware has verified the request before any dependency runs."""

    def __init__(self, scheme: str) -> None:
        spec: Dict[str, Any] = {str(s["name"]): s for s in _native.schemes()}[scheme]
        headers = [str(h) for h in spec["headers"]]
        about = f"{spec['title']} request signature (apisign): headers {', '.join(headers)}."
        self.model = APIKey.model_validate(
            {"in": APIKeyIn.header, "name": headers[0], "description": about}
        )
        self.scheme_name = f"apisign-{scheme}"

    async def __call__(self) -> None:
        return None


def caller(*schemes: str) -> Callable[..., Awaitable[_native.Verified]]:
    """A dependency returning the verified caller of one of ``schemes`` (default: all; a caller
    verified by another scheme is refused with 403), which OpenAPI lists as alternatives."""
    names = schemes or _wire.scheme_names()
    unknown = [s for s in names if s not in _wire.scheme_names()]
    if unknown:
        raise ValueError(f"unknown schemes {unknown}; known: {list(_wire.scheme_names())}")

    async def verified_caller(request: Request, **_: Any) -> _native.Verified:
        found = verified(request.scope)
        if found is None:
            raise RuntimeError(
                "no verified caller: add apisign.asgi.ApisignMiddleware to the app, and do not "
                f"skip {request.url.path!r} when its handler needs the caller"
            )
        if found.scheme not in names:
            # The middleware accepts every scheme it serves; this route only these.
            raise HTTPException(403, f"this endpoint accepts {', '.join(names)} callers only")
        return found

    # FastAPI reads the parameters: each scheme's security object becomes one alternative.
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)
    ]
    params += [
        inspect.Parameter(
            f"apisign_{i}", keyword, default=Security(SchemeSecurity(s)), annotation=None
        )
        for i, s in enumerate(names)
    ]
    setattr(
        verified_caller,
        "__signature__",
        inspect.Signature(params, return_annotation=_native.Verified),
    )
    return verified_caller


VerifiedCaller = Annotated[_native.Verified, Depends(caller())]
"""``def handler(caller: VerifiedCaller)``: the verified caller, every scheme in OpenAPI."""
