"""The ASGI and WSGI middleware called in-process, for the options and the protocol corners a
real server rarely shows: skipped paths, the error hook, lifespan and websocket scopes, a
client that disconnects mid-body, a server without ``raw_path`` or ``RAW_URI``, client
addresses behind trusted proxies, and wrong arguments."""

from __future__ import annotations

import asyncio
import io
import json
import threading
from typing import Any, Dict, Iterable, List, MutableMapping, Optional, Set, Tuple

import pytest

import apisign
from apisign import asgi, wsgi
from apisign.verify import Credentials

APP = {"app_id": "mw-app", "app_secret": "mw-secret"}

Message = MutableMapping[str, Any]


def creds(**extra: Any) -> Credentials:
    c = Credentials()
    c.add("piemdm", **APP, **extra)
    return c


def signed(method: str, target: str, body: bytes = b"") -> List[Tuple[bytes, bytes]]:
    sig = apisign.Signer("piemdm", **APP).sign(method, target, body)
    return [(k.lower().encode(), v.encode()) for k, v in sig.headers.items()]


class Recorder:
    """An ASGI app that records what it was given and answers 200."""

    def __init__(self) -> None:
        self.scopes: List[Message] = []
        self.bodies: List[bytes] = []

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        self.scopes.append(scope)
        if scope["type"] != "http":
            return
        body = b""
        while True:
            m = await receive()
            body += m.get("body", b"")
            if not m.get("more_body"):
                break
        self.bodies.append(body)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": b"ok"})


def http_scope(
    method: str, path: str, query: bytes, headers: List[Tuple[bytes, bytes]], **extra: Any
) -> Message:
    scope: Message = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": headers,
        "client": ("127.0.0.1", 50000),
    }
    scope.update(extra)
    return scope


def run_asgi(
    app: Any, scope: Message, chunks: Iterable[Message]
) -> Tuple[Optional[int], Dict[str, str], bytes]:
    incoming = list(chunks)
    sent: List[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(m: Message) -> None:
        sent.append(m)

    asyncio.run(app(scope, receive, send))
    starts = [m for m in sent if m["type"] == "http.response.start"]
    status = starts[0]["status"] if starts else None
    headers = {k.decode(): v.decode() for k, v in starts[0]["headers"]} if starts else {}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, headers, body


def body_messages(body: bytes) -> List[Message]:
    return [{"type": "http.request", "body": body, "more_body": False}]


def test_skipped_paths_reach_the_app_unverified() -> None:
    inner = Recorder()
    app = asgi.ApisignMiddleware(
        inner, credentials=creds(), schemes=["piemdm"], skip=["/health", "/public/*"]
    )
    for path in ("/health", "/public/a/b"):
        status, _, _ = run_asgi(app, http_scope("GET", path, b"", []), body_messages(b""))
        assert status == 200
        assert asgi.verified(inner.scopes[-1]) is None
    status, _, _ = run_asgi(app, http_scope("GET", "/health/x", b"", []), body_messages(b""))
    assert status == 401 and len(inner.scopes) == 2


def test_error_hook_shapes_the_answer() -> None:
    seen: List[str] = []

    def hook(err: apisign.ApisignError, rejection: asgi.Rejection) -> asgi.Rejection:
        seen.append(err.kind)
        body = json.dumps({"error": err.kind, "platform": json.loads(rejection.body)}).encode()
        return rejection._replace(body=body, headers=[("Content-Type", "application/problem+json")])

    inner = Recorder()
    app = asgi.ApisignMiddleware(inner, credentials=creds(), schemes=["piemdm"], on_reject=hook)
    status, headers, body = run_asgi(app, http_scope("GET", "/x", b"", []), body_messages(b""))
    assert seen == ["missing_auth"] and not inner.scopes
    assert status == 401 and headers["content-type"] == "application/problem+json"
    assert json.loads(body)["error"] == "missing_auth"
    assert headers["content-length"] == str(len(body))


def test_lifespan_and_websocket_scopes_pass_through() -> None:
    inner = Recorder()
    app = asgi.ApisignMiddleware(inner, credentials=creds(), schemes=["piemdm"])

    async def receive() -> Message:
        raise AssertionError("the middleware must not read a non-HTTP scope")

    async def send(m: Message) -> None:
        raise AssertionError("the middleware must not answer a non-HTTP scope")

    for scope in ({"type": "lifespan"}, {"type": "websocket", "path": "/ws", "headers": []}):
        asyncio.run(app(scope, receive, send))
        assert inner.scopes[-1] is scope


def test_client_disconnecting_mid_body_never_reaches_the_app() -> None:
    inner = Recorder()
    app = asgi.ApisignMiddleware(inner, credentials=creds(), schemes=["piemdm"])
    scope = http_scope("POST", "/x", b"", signed("POST", "/x", b"abcdef"))
    status, _, _ = run_asgi(
        app, scope, [{"type": "http.request", "body": b"abc", "more_body": True}]
    )
    assert status is None and not inner.scopes


def test_body_is_replayed_to_the_app_in_one_message_then_the_servers_own() -> None:
    inner = Recorder()
    app = asgi.ApisignMiddleware(inner, credentials=creds(), schemes=["piemdm"])
    body = b'{"a":"' + b"x" * 5000 + b'"}'
    chunks: List[Message] = [
        {"type": "http.request", "body": body[i : i + 999], "more_body": i + 999 < len(body)}
        for i in range(0, len(body), 999)
    ]
    status, _, _ = run_asgi(app, http_scope("POST", "/x", b"", signed("POST", "/x", body)), chunks)
    assert status == 200 and inner.bodies == [body]
    assert asgi.verified(inner.scopes[0]) is not None
    assert inner.scopes[0]["state"]["apisign"].caller == "mw-app"


def test_asgi_server_without_raw_path_reencodes_the_path() -> None:
    inner = Recorder()
    app = asgi.ApisignMiddleware(inner, credentials=creds(), schemes=["piemdm"])
    scope = http_scope(
        "GET", "/a b/张", b"q=%E5%BC%A0", signed("GET", "/a%20b/%E5%BC%A0?q=%E5%BC%A0")
    )
    del scope["raw_path"]
    assert run_asgi(app, scope, body_messages(b""))[0] == 200


def wsgi_app(environ: Dict[str, Any], start_response: Any) -> List[bytes]:
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    caller = wsgi.verified(environ)
    start_response("200 OK", [("Content-Type", "application/json")])
    return [
        json.dumps({"caller": caller and caller.caller, "body": body.decode("latin-1")}).encode()
    ]


def wsgi_environ(method: str, target: str, body: bytes, **extra: Any) -> Dict[str, Any]:
    """An environ as a server without RAW_URI builds it: PATH_INFO decoded, as latin-1."""
    path, _, query = target.partition("?")
    from urllib.parse import unquote_to_bytes

    environ: Dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    sig = apisign.Signer("piemdm", **APP).sign(method, target, body)
    for k, v in sig.headers.items():
        environ["HTTP_" + k.upper().replace("-", "_")] = v
    environ.update(extra)
    return environ


def run_wsgi(app: Any, environ: Dict[str, Any]) -> Tuple[str, Dict[str, str], bytes]:
    got: List[Any] = []

    def start_response(status: str, headers: List[Tuple[str, str]], exc_info: Any = None) -> Any:
        got[:] = [status, dict(headers)]
        return lambda data: None

    body = b"".join(app(environ, start_response))
    return got[0], got[1], body


def test_wsgi_without_raw_uri_reencodes_path_info() -> None:
    app = wsgi.ApisignMiddleware(wsgi_app, credentials=creds(), schemes=["piemdm"])
    status, _, body = run_wsgi(app, wsgi_environ("POST", "/a%20b/%E5%BC%A0?q=%E5%BC%A0", b"hi"))
    assert status == "200 OK", body
    assert json.loads(body) == {"caller": "mw-app", "body": "hi"}


def test_wsgi_request_uri_wins_and_absolute_form_is_cut_to_the_path() -> None:
    app = wsgi.ApisignMiddleware(wsgi_app, credentials=creds(), schemes=["piemdm"])
    environ = wsgi_environ("GET", "/a%2Fb?x=1", b"", REQUEST_URI="http://example.test/a%2Fb?x=1")
    assert run_wsgi(app, environ)[0] == "200 OK"


def test_wsgi_malformed_content_length_is_a_400() -> None:
    app = wsgi.ApisignMiddleware(wsgi_app, credentials=creds(), schemes=["piemdm"])
    status, _, body = run_wsgi(app, wsgi_environ("POST", "/x", b"hi", CONTENT_LENGTH="2x"))
    assert status.startswith("400 "), body


def test_default_body_limit_is_the_cores_8_mib() -> None:
    assert asgi.ApisignMiddleware(Recorder(), credentials=creds()).max_body == 8 * 1024 * 1024
    assert wsgi.ApisignMiddleware(wsgi_app, credentials=creds()).max_body == 8 * 1024 * 1024


def test_wrong_arguments_say_what_to_fix() -> None:
    with pytest.raises(TypeError, match="credentials"):
        asgi.ApisignMiddleware(Recorder())
    v = apisign.Verifier("piemdm", creds())
    with pytest.raises(TypeError, match="not both"):
        asgi.ApisignMiddleware(Recorder(), v, credentials=creds())
    with pytest.raises(TypeError, match="window"):
        wsgi.ApisignMiddleware(wsgi_app, v, max_age_ms=1000)
    with pytest.raises(ValueError, match="max_body"):
        wsgi.ApisignMiddleware(wsgi_app, v, max_body=-1)
    with pytest.raises(TypeError, match="scheme names"):
        asgi.ApisignMiddleware(Recorder(), credentials=creds(), schemes="piemdm")
    with pytest.raises(apisign.InvalidInputError):
        asgi.ApisignMiddleware(Recorder(), credentials=creds(), schemes=["nope"])


def test_allow_list_sees_the_client_behind_trusted_proxies_only() -> None:
    c = creds(allowed_ips="10.0.0.0/8; 192.0.2.7")
    inner = Recorder()
    direct = asgi.ApisignMiddleware(inner, credentials=c, schemes=["piemdm"])
    proxied = asgi.ApisignMiddleware(
        inner, credentials=c, schemes=["piemdm"], trusted_proxies=["127.0.0.0/8"]
    )

    def answer(app: Any, forwarded: Optional[str]) -> Tuple[Optional[int], bytes]:
        headers = signed("GET", "/x") + (
            [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
        )
        status, _, body = run_asgi(app, http_scope("GET", "/x", b"", headers), body_messages(b""))
        return status, body

    refused = (403, b'{"code":"AUTH_IP_NOT_ALLOWED","message":"IP not in whitelist"}')
    assert answer(direct, None) == refused  # the peer, 127.0.0.1, is not listed
    assert (
        answer(direct, "10.1.2.3") == refused
    )  # a forwarded address from an untrusted peer is ignored
    assert answer(proxied, "10.1.2.3")[0] == 200
    assert (
        answer(proxied, "10.1.2.3, 198.51.100.1") == refused
    )  # the rightmost untrusted hop counts
    assert answer(proxied, "198.51.100.1, 192.0.2.7")[0] == 200
    assert len(inner.scopes) == 2

    wsgi_direct = wsgi.ApisignMiddleware(wsgi_app, credentials=c, schemes=["piemdm"])
    wsgi_proxied = wsgi.ApisignMiddleware(
        wsgi_app, credentials=c, schemes=["piemdm"], trusted_proxies=["127.0.0.1"]
    )
    forwarded = {"HTTP_X_FORWARDED_FOR": "10.9.9.9"}
    assert run_wsgi(wsgi_direct, wsgi_environ("GET", "/x", b"", **forwarded))[0].startswith("403 ")
    assert run_wsgi(wsgi_proxied, wsgi_environ("GET", "/x", b"", **forwarded))[0] == "200 OK"


@pytest.mark.filterwarnings("ignore:Duplicate Operation ID")  # one handler for every method
def test_fastapi_dependency_declares_every_scheme_in_openapi() -> None:
    import mw_apps

    schema = mw_apps.fastapi_app(None).openapi()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["apisign-piemdm"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-App-Id",
        "description": "PieMDM request signature (apisign): headers X-App-Id, X-Timestamp, "
        "X-Nonce, X-Sign.",
    }
    assert sorted(schemes) == [
        "apisign-jetlinks",
        "apisign-linksfield",
        "apisign-lovrabet",
        "apisign-piemdm",
    ]
    assert schemes["apisign-linksfield"]["name"] == "Authorization"
    echo = schema["paths"]["/{rest}"]["post"]
    # alternatives: any one scheme authenticates the request
    assert echo["security"] == [
        {name: []}
        for name in ["apisign-lovrabet", "apisign-jetlinks", "apisign-piemdm", "apisign-linksfield"]
    ]
    assert "security" not in schema["paths"]["/health"]["get"]


def test_fastapi_dependency_for_some_schemes_and_without_the_middleware() -> None:
    from fastapi import Depends, FastAPI

    from apisign.fastapi import caller

    app = FastAPI()

    @app.get("/me")
    def me(who: apisign.Verified = Depends(caller("piemdm"))) -> str:
        return who.caller

    assert list(app.openapi()["components"]["securitySchemes"]) == ["apisign-piemdm"]
    with pytest.raises(RuntimeError, match="ApisignMiddleware"):
        run_asgi(
            app,
            http_scope("GET", "/me", b"", [], scheme="http", server=("t", 80)),
            body_messages(b""),
        )
    with pytest.raises(ValueError, match="unknown schemes"):
        caller("nope")


def test_a_peer_without_an_ip_address_is_unknown_to_the_allow_list() -> None:
    inner = Recorder()
    listed = asgi.ApisignMiddleware(
        inner, credentials=creds(allowed_ips="127.0.0.1"), schemes=["piemdm"]
    )
    anyone = asgi.ApisignMiddleware(inner, credentials=creds(), schemes=["piemdm"])
    for client in (None, ("/run/app.sock", 0)):
        scope = http_scope("GET", "/x", b"", signed("GET", "/x"), client=client)
        assert run_asgi(listed, scope, body_messages(b""))[0] == 403
        scope = http_scope("GET", "/x", b"", signed("GET", "/x"), client=client)
        assert run_asgi(anyone, scope, body_messages(b""))[0] == 200
    with pytest.raises(apisign.InvalidInputError):
        asgi.ApisignMiddleware(inner, credentials=creds(), trusted_proxies=["proxy.local"])


def test_the_applications_own_nonce_store_and_an_unreachable_one() -> None:
    class Store:
        seen: Set[str] = set()

        def check_and_record(self, key: str, ttl_secs: int, now_secs: int) -> bool:
            fresh = key not in self.seen
            self.seen.add(key)
            return fresh

    store = Store()
    app = asgi.ApisignMiddleware(Recorder(), credentials=creds(), schemes=["piemdm"], nonces=store)
    headers = signed("GET", "/x")
    assert run_asgi(app, http_scope("GET", "/x", b"", headers), body_messages(b""))[0] == 200
    assert len(store.seen) == 1
    status, _, body = run_asgi(app, http_scope("GET", "/x", b"", headers), body_messages(b""))
    assert (status, body) == (401, b'{"code":"AUTH_NONCE_USED","message":"Nonce already used"}')

    # nothing listens on port 1: the request is refused with 503, not let through
    down = apisign.NonceStore.redis("redis://127.0.0.1:1/0", timeout_ms=200)
    asgi_down = asgi.ApisignMiddleware(
        Recorder(), credentials=creds(), schemes=["piemdm"], nonces=down
    )
    status, _, body = run_asgi(
        asgi_down, http_scope("GET", "/x", b"", signed("GET", "/x")), body_messages(b"")
    )
    assert status == 503, body
    wsgi_down = wsgi.ApisignMiddleware(
        wsgi_app, credentials=creds(), schemes=["piemdm"], nonces=down
    )
    assert run_wsgi(wsgi_down, wsgi_environ("GET", "/x", b""))[0].startswith("503 ")


def test_a_shared_store_is_waited_for_off_the_event_loop() -> None:
    """A store that answers only once the event loop has run another task: verification must
    not hold the loop while it waits (it would wait out the timeout and refuse the nonce)."""
    loop_ran = threading.Event()

    class WaitsForTheLoop:
        def check_and_record(self, key: str, ttl_secs: int, now_secs: int) -> bool:
            return loop_ran.wait(30)

    inner = Recorder()
    app = asgi.ApisignMiddleware(
        inner, credentials=creds(), schemes=["piemdm"], nonces=WaitsForTheLoop()
    )
    sent: List[Message] = []
    messages = body_messages(b"")

    async def receive() -> Message:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(m: Message) -> None:
        sent.append(m)

    async def other_task() -> None:
        await asyncio.sleep(0)
        loop_ran.set()

    async def both() -> None:
        await asyncio.gather(
            app(http_scope("GET", "/x", b"", signed("GET", "/x")), receive, send), other_task()
        )

    asyncio.run(both())
    assert sent[0]["status"] == 200 and len(inner.scopes) == 1


def test_a_target_that_is_not_utf8_is_a_400_naming_the_fix() -> None:
    inner = Recorder()
    app = asgi.ApisignMiddleware(inner, credentials=creds(), schemes=["piemdm"])
    scope = http_scope("GET", "/x", b"", signed("GET", "/x"))
    scope["raw_path"] = b"/\xff"
    status, _, body = run_asgi(app, scope, body_messages(b""))
    assert (status, body) == (
        400,
        b'{"code":"PARAM_VALUE_INVALID","message":"Invalid parameter value"}',
    )
    assert not inner.scopes


def test_the_core_picks_the_verifier_by_the_headers_a_request_carries() -> None:
    from apisign import _native
    from apisign.verify import Verifier

    c = creds()
    pie, jet = Verifier("piemdm", c), Verifier("jetlinks", c)
    # SPEC.md: JetLinks sends X-Client-Id, X-Timestamp, X-Sign; PieMDM X-App-Id, X-Timestamp,
    # X-Nonce, X-Signature. Names in any case; none at all picks the first.
    assert _native.pick_verifier([pie, jet], ["x-client-id", "X-Sign", "accept"]) == 1
    assert _native.pick_verifier([jet, pie], ["X-APP-ID", "x-nonce", "x-timestamp"]) == 1
    assert _native.pick_verifier([jet, pie], ["accept"]) == 0
    with pytest.raises(apisign.errors.InvalidInputError, match="verifiers"):
        _native.pick_verifier([], ["x-sign"])
