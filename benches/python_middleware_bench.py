"""Benchmark: the latency apisign's ASGI and WSGI middleware add per request.

Not a test: run it by hand on a quiet machine, after a release build of the package
(``pip install .``; the test apps need starlette, uvicorn, flask and waitress):

    .venv/bin/python benches/python_middleware_bench.py [--quick] [--redis redis://127.0.0.1:6379/0]

Two views, each comparing the same app with and without the middleware, rounds alternating so
background load hits both sides alike:

1. in-process: the ASGI / WSGI callable invoked directly with pre-signed requests (no
   sockets), so the difference is exactly what the middleware costs (verification included);
   best of the rounds' mean per request;
2. over loopback: Starlette under uvicorn and Flask under waitress in their own processes
   (tests/python/mw_server.py), one keep-alive ``http.client`` connection sending pre-signed
   requests one after another; median and p90 latency per request.

Requests: POST of a 1 KiB JSON body with a query; piemdm (HMAC + in-memory nonce), jetlinks
(hash; its responses are signed too) and linksfield (RSA-1024 verify). With ``--redis URL``
the in-process view adds piemdm with its nonces in that Redis (``NonceStore.redis``): one
round trip per request, waited for inline.
"""

from __future__ import annotations

import asyncio
import http.client
import io
import json
import pathlib
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "python"))

import mw_apps  # noqa: E402
from mw_server import Served  # noqa: E402

import apisign  # noqa: E402
from apisign import asgi, wsgi  # noqa: E402

QUICK = "--quick" in sys.argv
REDIS = sys.argv[sys.argv.index("--redis") + 1] if "--redis" in sys.argv else None
ROUNDS = 3 if QUICK else 7
PER_ROUND = 200 if QUICK else 1000
TARGET = "/items/42?page=1&size=20"
BODY = json.dumps({"device": "dev-0001", "note": "x" * 960, "n": 1}).encode()
SCHEMES = ["piemdm", "jetlinks", "linksfield"]

Request = Tuple[str, str, bytes, List[Tuple[str, str]]]


def signers() -> Dict[str, apisign.Signer]:
    key = apisign.PrivateKey(mw_apps.linksfield_keys()["rsa1024_pkcs8_pem"])
    return {
        "piemdm": apisign.Signer("piemdm", **mw_apps.PIEMDM),
        "jetlinks": apisign.Signer("jetlinks", **mw_apps.JETLINKS),
        "linksfield": apisign.Signer(
            "linksfield", key_id=mw_apps.LINKSFIELD_KEY_ID, private_key=key
        ),
    }


def presigned(signer: apisign.Signer, n: int) -> List[Request]:
    """``n`` requests, each with its own nonce, signed now (outside the timed loops)."""
    out = []
    for _ in range(n):
        sig = signer.sign("POST", TARGET, BODY, content_type="application/json")
        headers = list(sig.headers.items()) + [("Content-Type", "application/json")]
        out.append(("POST", TARGET, BODY, headers))
    return out


# --- in-process -------------------------------------------------------------------------------


async def bare_asgi(scope: Any, receive: Any, send: Any) -> None:
    body = b""
    more = True
    while more:
        m = await receive()
        body += m.get("body", b"")
        more = m.get("more_body", False)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"ok":true}'})


def bare_wsgi(environ: Dict[str, Any], start_response: Any) -> List[bytes]:
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"ok":true}']


def asgi_loop(app: Any, requests: List[Request]) -> float:
    """Mean seconds per request through ``app``, called directly."""

    async def run() -> float:
        statuses: List[int] = []

        async def send(m: Any) -> None:
            if m["type"] == "http.response.start":
                statuses.append(m["status"])

        t0 = time.perf_counter()
        for method, target, body, headers in requests:
            path, _, query = target.partition("?")
            scope = {
                "type": "http",
                "method": method,
                "path": path,
                "raw_path": path.encode(),
                "query_string": query.encode(),
                "client": ("127.0.0.1", 1),
                "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
            }
            messages = [{"type": "http.request", "body": body, "more_body": False}]

            async def receive() -> Any:
                return messages.pop() if messages else {"type": "http.disconnect"}

            await app(scope, receive, send)
        took = time.perf_counter() - t0
        assert set(statuses) == {200}, statuses[:3]
        return took / len(requests)

    return asyncio.run(run())


def wsgi_loop(app: Any, requests: List[Request]) -> float:
    statuses: List[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses.append(status)
        return None

    t0 = time.perf_counter()
    for method, target, body, headers in requests:
        path, _, query = target.partition("?")
        environ: Dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "RAW_URI": target,
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
        }
        for k, v in headers:
            name = k.upper().replace("-", "_")
            environ[name if name == "CONTENT_TYPE" else "HTTP_" + name] = v
        b"".join(app(environ, start_response))
    took = time.perf_counter() - t0
    assert set(statuses) == {"200 OK"}, statuses[:3]
    return took / len(requests)


def in_process(sign: Dict[str, apisign.Signer]) -> None:
    print(f"in-process: mean per request, best of {ROUNDS} rounds of {PER_ROUND} (us)")
    print(f"{'':10} {'scheme':13} {'bare':>8} {'with':>8} {'added':>8}")
    kinds: List[Tuple[str, Callable[[Any, List[Request]], float], Any, Any]] = [
        ("asgi", asgi_loop, bare_asgi, asgi.ApisignMiddleware),
        ("wsgi", wsgi_loop, bare_wsgi, wsgi.ApisignMiddleware),
    ]
    stores: List[Tuple[str, Any]] = [(s, None) for s in SCHEMES]
    if REDIS:
        stores.append(("piemdm", apisign.NonceStore.redis(REDIS)))
    for kind, loop, bare, middleware in kinds:
        for scheme, nonces in stores:
            protected = middleware(
                bare,
                credentials=mw_apps.credentials(),
                schemes=[scheme],
                nonces=nonces,
                max_body=mw_apps.MAX_BODY,
            )
            warm = presigned(sign[scheme], 50)
            loop(bare, warm)
            loop(protected, warm)
            a: List[float] = []
            b: List[float] = []
            for _ in range(ROUNDS):
                reqs = presigned(sign[scheme], PER_ROUND)
                a.append(loop(bare, reqs))
                b.append(loop(protected, reqs))
            ma, mb = min(a) * 1e6, min(b) * 1e6
            label = scheme + ("+redis" if nonces is not None else "")
            print(f"{kind:10} {label:13} {ma:8.1f} {mb:8.1f} {mb - ma:8.1f}")


# --- over loopback ----------------------------------------------------------------------------


def latencies(base_url: str, requests: List[Request]) -> List[float]:
    host, port = base_url.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port))
    out = []
    for method, target, body, headers in requests:
        t0 = time.perf_counter()
        conn.request(method, target, body, dict(headers))
        r = conn.getresponse()
        r.read()
        out.append(time.perf_counter() - t0)
        assert r.status == 200, r.status
    conn.close()
    return out


def loopback(sign: Dict[str, apisign.Signer]) -> None:
    print(f"\nloopback: us per request, one keep-alive connection, {ROUNDS} x {PER_ROUND} alternating")
    columns = ["bare p50", "with p50", "added", "bare p90", "with p90"]
    print(f"{'server':20} {'scheme':11} " + " ".join(f"{c:>9}" for c in columns))
    for kind, label in (("starlette", "starlette/uvicorn"), ("flask", "flask/waitress")):
        bare, protected = Served(kind + "-bare"), Served(kind)
        try:
            for scheme in SCHEMES:
                latencies(bare.base_url, presigned(sign[scheme], 50))  # warm up
                latencies(protected.base_url, presigned(sign[scheme], 50))
                a: List[float] = []
                b: List[float] = []
                for _ in range(ROUNDS):
                    reqs = presigned(sign[scheme], PER_ROUND)
                    a += latencies(bare.base_url, reqs)
                    b += latencies(protected.base_url, reqs)
                qa = statistics.quantiles(a, n=10)
                qb = statistics.quantiles(b, n=10)
                pa, pb = statistics.median(a) * 1e6, statistics.median(b) * 1e6
                row = [pa, pb, pb - pa, qa[8] * 1e6, qb[8] * 1e6]
                print(f"{label:20} {scheme:11} " + " ".join(f"{x:9.1f}" for x in row))
        finally:
            bare.stop()
            protected.stop()


def main() -> None:
    sign = signers()
    in_process(sign)
    loopback(sign)


if __name__ == "__main__":
    main()
