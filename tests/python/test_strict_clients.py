"""Strict mode of the requests and httpx auth adapters: a successful response must carry a
valid response signature. A real HTTP server on 127.0.0.1 answers with a correct signature
(computed here with hashlib, independently of apisign), a changed body, a wrong signature, no
signature at all, or an unsigned 401."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterator, List, Tuple

import httpx
import pytest
import requests

import apisign
import apisign.httpx as ax
import apisign.requests as ar

CLIENT = {"client_id": "strict-client", "secure_key": "strict-secure", "algorithm": "sha256"}
BODY = b'{"status":200,"result":[1,2,3]}'
TS = "1700000000000"


def platform_sign(body: bytes, ts: str) -> str:
    """The platform's response signature: hex(SHA-256(body || X-Timestamp || secure key))."""
    return hashlib.sha256(body + ts.encode() + CLIENT["secure_key"].encode()).hexdigest()


ANSWERS: Dict[str, Tuple[int, bytes, List[Tuple[str, str]]]] = {
    "/good": (200, BODY, [("X-Timestamp", TS), ("X-Sign", platform_sign(BODY, TS))]),
    "/changed": (
        200,
        BODY.replace(b"3", b"4"),
        [("X-Timestamp", TS), ("X-Sign", platform_sign(BODY, TS))],
    ),
    "/wrong": (200, BODY, [("X-Timestamp", TS), ("X-Sign", "0" * 64)]),
    "/unsigned": (200, BODY, []),
    "/refused": (401, b'{"status":401,"code":"unauthorized"}', []),
}


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body, headers = ANSWERS[self.path.split("?")[0]]
            self.send_response(status)
            for k, v in headers + [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
            ]:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield "http://127.0.0.1:%d" % httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def via_requests(base_url: str, path: str, strict: bool) -> int:
    auth = ar.ApisignAuth("jetlinks", strict=strict, **CLIENT)
    return requests.get(base_url + path, auth=auth, timeout=10).status_code


def via_httpx(base_url: str, path: str, strict: bool) -> int:
    with httpx.Client(auth=ax.JetlinksAuth(strict=strict, **CLIENT)) as client:
        return client.get(base_url + path).status_code


def via_httpx_async(base_url: str, path: str, strict: bool) -> int:
    async def run() -> int:
        async with httpx.AsyncClient(
            auth=ax.ApisignAuth("jetlinks", strict=strict, **CLIENT)
        ) as client:
            return (await client.get(base_url + path)).status_code

    return asyncio.run(run())


CLIENTS: List[Callable[[str, str, bool], int]] = [via_requests, via_httpx, via_httpx_async]


@pytest.mark.parametrize("call", CLIENTS)
def test_strict_accepts_signed_responses_and_unsigned_errors(base_url: str, call: Any) -> None:
    assert call(base_url, "/good", True) == 200
    # an error answer cannot be signed by a server that refused the caller: passed on as is
    assert call(base_url, "/refused", True) == 401


@pytest.mark.parametrize("call", CLIENTS)
@pytest.mark.parametrize(
    "path,error",
    [
        ("/changed", apisign.SignatureInvalidError),
        ("/wrong", apisign.SignatureInvalidError),
        ("/unsigned", apisign.MissingAuthError),
    ],
)
def test_strict_raises_on_a_bad_response_signature(
    base_url: str, call: Any, path: str, error: Any
) -> None:
    assert call(base_url, path, False) == 200  # not strict: no check, as before
    with pytest.raises(error):
        call(base_url, path, True)


def test_strict_is_refused_for_a_scheme_whose_server_signs_no_responses() -> None:
    for adapter in (ar.ApisignAuth, ax.ApisignAuth):
        with pytest.raises(apisign.InvalidInputError) as info:
            adapter("piemdm", strict=True, app_id="a", app_secret="s")
        assert (
            str(info.value)
            == "strict: piemdm servers do not sign their responses; remove strict=True"
        )
