"""The same small app for Starlette, FastAPI and Flask, behind apisign's ASGI or WSGI
middleware, for the end-to-end middleware tests (test_middleware_e2e.py).

Every route answers with what the handler saw: the verified caller, the body bytes (base64) and
the path. ``/health`` is skipped by the middleware and reports how many times a verified
handler ran in this process, so a test can tell that a refused request never reached it.
``protect=False`` builds the same app without the middleware (the benchmark's baseline).
"""

# No `from __future__ import annotations`: FastAPI reads the handlers' annotations, which
# name classes imported inside the app factories.
import base64
import hashlib
import itertools
from typing import Any, Dict, Optional

import apisign
from apisign.verify import Credentials, NonceStore

from conftest import linksfield_keys

LOVRABET: Dict[str, Any] = {
    "app_code": "app-1",
    "dataset_code": "ds-1",
    "access_key": "ak-1",
    "secret_key": "sk-1",
}
JETLINKS: Dict[str, Any] = {
    "client_id": "client-1",
    "secure_key": "secure-1",
    "algorithm": "sha256",
}
PIEMDM: Dict[str, Any] = {"app_id": "piemdm-app", "app_secret": "piemdm-secret"}
LINKSFIELD_KEY_ID = "lf-key-1"
MAX_BODY = 64 * 1024
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]

_runs = itertools.count(1)
_last_run = 0


def credentials() -> Credentials:
    creds = Credentials()
    creds.add_lovrabet_app(
        LOVRABET["app_code"],
        LOVRABET["access_key"],
        LOVRABET["secret_key"],
        datasets=[LOVRABET["dataset_code"]],
    )
    creds.add_jetlinks(JETLINKS["client_id"], JETLINKS["secure_key"], JETLINKS["algorithm"])
    creds.add_piemdm(PIEMDM["app_id"], PIEMDM["app_secret"])
    creds.add_linksfield(
        LINKSFIELD_KEY_ID, apisign.PublicKey(linksfield_keys()["rsa1024_public_spki_pem"])
    )
    return creds


def middleware_options(nonces: Optional[NonceStore]) -> Dict[str, Any]:
    return {
        "credentials": credentials(),
        "nonces": nonces,
        "max_body": MAX_BODY,
        "skip": ["/health"],
    }


def seen(caller: Optional[apisign.Verified], path: str, body: bytes) -> Dict[str, Any]:
    """What the handler reports, and one more handler run counted."""
    global _last_run
    _last_run = next(_runs)
    return {
        "scheme": None if caller is None else caller.scheme,
        "caller": None if caller is None else caller.caller,
        "dataset": None if caller is None else caller.dataset,
        "path": path,
        "body": base64.b64encode(body).decode(),
        "sha256": hashlib.sha256(body).hexdigest(),
    }


def health() -> Dict[str, int]:
    return {"handler_runs": _last_run}


def starlette_app(nonces: Optional[NonceStore], protect: bool = True) -> Any:
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from apisign.asgi import ApisignMiddleware

    async def echo(request: Request) -> JSONResponse:
        body = await request.body()
        return JSONResponse(seen(getattr(request.state, "apisign", None), request.url.path, body))

    async def health_route(request: Request) -> JSONResponse:
        return JSONResponse(health())

    return Starlette(
        routes=[Route("/health", health_route), Route("/{rest:path}", echo, methods=METHODS)],
        middleware=[Middleware(ApisignMiddleware, **middleware_options(nonces))] if protect else [],
    )


def fastapi_app(nonces: Optional[NonceStore]) -> Any:
    from fastapi import Depends, FastAPI, Request

    from apisign.asgi import ApisignMiddleware
    from apisign.fastapi import VerifiedCaller, caller

    app = FastAPI()
    app.add_middleware(ApisignMiddleware, **middleware_options(nonces))

    @app.get("/health")
    def health_route() -> Dict[str, int]:
        return health()

    # A route for PieMDM partners only, on a server that verifies every scheme.
    @app.get("/piemdm-only")
    async def piemdm_only(
        request: Request, who: apisign.Verified = Depends(caller("piemdm"))
    ) -> Dict[str, Any]:
        return seen(who, request.url.path, b"")

    @app.api_route("/{rest:path}", methods=METHODS)
    async def echo(request: Request, caller: VerifiedCaller) -> Dict[str, Any]:
        return seen(caller, request.url.path, await request.body())

    return app


def flask_app(nonces: Optional[NonceStore], protect: bool = True) -> Any:
    from flask import Flask, jsonify, request

    from apisign.wsgi import ApisignMiddleware, verified

    app = Flask(__name__)

    @app.route("/health")
    def health_route() -> Any:
        return jsonify(health())

    @app.route("/", defaults={"rest": ""}, methods=METHODS)
    @app.route("/<path:rest>", methods=METHODS)
    def echo(rest: str) -> Any:
        return jsonify(seen(verified(request.environ), request.path, request.get_data()))

    if protect:
        app.wsgi_app = ApisignMiddleware(app.wsgi_app, **middleware_options(nonces))  # type: ignore[method-assign]
    return app
