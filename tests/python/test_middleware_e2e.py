"""End-to-end: apisign's ASGI middleware (Starlette and FastAPI under uvicorn) and WSGI
middleware (Flask under waitress), each in its own server process on 127.0.0.1 (mw_server.py),
called by requests and httpx signing with apisign. Each server serves every scheme from one
middleware, which picks the scheme from the request's headers."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import subprocess
import time
from typing import Any, Dict, Iterator, List

import httpx
import pytest
import requests

import apisign
import apisign.httpx as ax
import apisign.requests as ar
from apisign import jetlinks

from mw_apps import JETLINKS, LINKSFIELD_KEY_ID, LOVRABET, MAX_BODY, PIEMDM
from mw_server import Served

KINDS = ["starlette", "fastapi", "flask"]
SCHEMES = ["lovrabet", "jetlinks", "piemdm", "linksfield"]
CALLER = {
    "lovrabet": LOVRABET["app_code"],
    "jetlinks": JETLINKS["client_id"],
    "piemdm": PIEMDM["app_id"],
    "linksfield": LINKSFIELD_KEY_ID,
}


@pytest.fixture(scope="module", params=KINDS)
def server(request: pytest.FixtureRequest) -> Iterator[Served]:
    srv = Served(request.param)
    yield srv
    srv.stop()


def signer(scheme: str, key: apisign.PrivateKey) -> apisign.Signer:
    by_scheme: Dict[str, Dict[str, Any]] = {
        "lovrabet": LOVRABET,
        "jetlinks": JETLINKS,
        "piemdm": PIEMDM,
        "linksfield": {"key_id": LINKSFIELD_KEY_ID, "private_key": key},
    }
    return apisign.Signer(scheme, **by_scheme[scheme])


def seen(response: Any) -> Dict[str, Any]:
    """The handler's report, with the body it read decoded."""
    assert response.status_code == 200, response.text
    out: Dict[str, Any] = response.json()
    out["body"] = base64.b64decode(out["body"])
    return out


def test_valid_requests_reach_the_handler_with_caller_and_body(
    server: Served, lf_key: apisign.PrivateKey
) -> None:
    for scheme in SCHEMES:
        auth = ar.ApisignAuth(signer(scheme, lf_key))
        cases: List[Dict[str, Any]] = [
            {"method": "GET", "params": {"b": "2", "a": "1", "name": "张 三", "q": "x+y/z~*"}},
            {"method": "DELETE", "params": {"force": "true"}},
            {"method": "POST", "json": {"n": 3, "name": "张", "nested": {"b": 1, "a": [2, 1]}}},
            {"method": "PUT", "params": {"v": "1"}, "json": {"ok": True}},
        ]
        if scheme != "linksfield":  # linksfield signs JSON bodies only
            cases.append({"method": "POST", "data": {"b": "2", "a": "1", "c": "x=y"}})
            cases.append({"method": "PATCH", "data": "plain text é\x00\xff".encode("latin-1")})
        for case in cases:
            r = requests.request(url=server.base_url + "/items", auth=auth, timeout=10, **case)
            got = seen(r)
            assert (got["scheme"], got["caller"]) == (scheme, CALLER[scheme]), case
            assert got["body"] == (r.request.body or b""), (scheme, case)
            assert got["path"] == "/items"
    assert (
        seen(
            requests.get(
                server.base_url + "/items", auth=ar.ApisignAuth(signer("lovrabet", lf_key))
            )
        )["dataset"]
        == LOVRABET["dataset_code"]
    )


@pytest.mark.parametrize(
    "path,decoded",
    [
        ("/items/a%20b", "/items/a b"),
        ("/items/张三", "/items/张三"),
        ("/items/%E5%BC%A0%20x", "/items/张 x"),
        ("/items/a%2Fb/%7Euser", "/items/a/b/~user"),
        ("/items/a+b", "/items/a+b"),
    ],
)
def test_percent_encoded_and_unicode_paths_verify(
    server: Served, lf_key: apisign.PrivateKey, path: str, decoded: str
) -> None:
    for scheme in SCHEMES:
        with httpx.Client(
            base_url=server.base_url, auth=ax.ApisignAuth(signer(scheme, lf_key))
        ) as client:
            got = seen(client.post(path, params={"k": "v w"}, json={"x": 1}))
        assert got["caller"] == CALLER[scheme], (scheme, path)
        assert got["path"] == decoded


def test_chunked_bodies_are_read_whole_and_replayed(
    server: Served, lf_key: apisign.PrivateKey
) -> None:
    body = json.dumps({"chunks": ["x" * 1000] * 20, "name": "张"}).encode()
    for scheme in SCHEMES:
        headers = (
            signer(scheme, lf_key)
            .sign("POST", "/items?c=1", body, content_type="application/json")
            .headers
        )

        def chunks() -> Iterator[bytes]:
            for i in range(0, len(body), 777):
                yield body[i : i + 777]

        r = requests.post(
            server.base_url + "/items?c=1",
            data=chunks(),
            timeout=10,
            headers=dict(headers, **{"Content-Type": "application/json"}),
        )
        assert r.request.headers.get("Transfer-Encoding") == "chunked"
        got = seen(r)
        assert (got["caller"], got["body"]) == (CALLER[scheme], body)


def test_oversized_body_gets_413_and_the_handler_never_runs(
    server: Served, lf_key: apisign.PrivateKey
) -> None:
    body = b'{"x":"' + b"y" * MAX_BODY + b'"}'
    for scheme in SCHEMES:
        headers = (
            signer(scheme, lf_key)
            .sign("POST", "/items", body, content_type="application/json")
            .headers
        )
        headers = dict(headers, **{"Content-Type": "application/json"})
        before = server.handler_runs()
        declared = requests.post(server.base_url + "/items", data=body, headers=headers, timeout=10)
        chunked = requests.post(
            server.base_url + "/items",
            data=iter([body[:1000], body[1000:]]),
            headers=headers,
            timeout=10,
        )
        assert (declared.status_code, chunked.status_code) == (413, 413), (
            declared.text,
            chunked.text,
        )
        assert server.handler_runs() == before
        # exactly at the limit is fine
        fits = body[: MAX_BODY - 2] + b'"}'
        assert len(fits) == MAX_BODY
        ok = (
            signer(scheme, lf_key)
            .sign("POST", "/items", fits, content_type="application/json")
            .headers
        )
        got = seen(
            requests.post(
                server.base_url + "/items",
                data=fits,
                headers=dict(ok, **{"Content-Type": "application/json"}),
                timeout=10,
            )
        )
        assert len(got["body"]) == len(fits)


# What each platform's server answers (docs/<platform>.md): status and JSON body.
SIGNATURE_INVALID = {
    "lovrabet": (401, {"success": False, "code": 1002, "msg": "Signature verification failed"}),
    "jetlinks": (401, {"status": 401, "code": "unauthorized", "message": "signature error"}),
    "piemdm": (401, {"code": "AUTH_SIGNATURE_INVALID", "message": "Signature mismatch"}),
    "linksfield": (403, {"code": 403, "message": "Invalid signature"}),
}
NONCE_USED = {
    "piemdm": (401, {"code": "AUTH_NONCE_USED", "message": "Nonce already used"}),
    "linksfield": (403, {"code": 403, "message": "Invalid signature"}),
}


def assert_answer(response: Any, expected: Any) -> None:
    status, body = expected
    assert (response.status_code, response.json()) == (status, body), response.text
    assert response.headers["Content-Type"].startswith("application/json")


def tampered(scheme: str, key: apisign.PrivateKey, part: str) -> requests.PreparedRequest:
    """A request signed honestly, then changed in ``part`` (body, query, path or header)."""
    req = requests.Request(
        "POST",
        "http://127.0.0.1/items/7?page=1",
        json={"amount": 10},
        auth=ar.ApisignAuth(signer(scheme, key)),
    ).prepare()
    if part == "body":
        req.body = b'{"amount": 99}'
    elif part == "query":
        req.prepare_url("http://127.0.0.1/items/7?page=2", None)
    elif part == "path":
        req.prepare_url("http://127.0.0.1/items/8?page=1", None)
    else:  # the token covers app, dataset and time only: claim another dataset
        req.headers["X-Dataset-Code"] = "ds-2"
    return req


SIGNED_PARTS = [
    ("lovrabet", "header"),
    ("jetlinks", "body"),
    ("piemdm", "body"),
    ("piemdm", "query"),
    ("piemdm", "path"),
    ("linksfield", "body"),
    ("linksfield", "query"),
    ("linksfield", "path"),
]


@pytest.mark.parametrize("scheme,part", SIGNED_PARTS)
def test_tampering_with_a_signed_part_gets_the_platforms_rejection(
    server: Served, lf_key: apisign.PrivateKey, scheme: str, part: str
) -> None:
    req = tampered(scheme, lf_key, part)
    before = server.handler_runs()
    with requests.Session() as s:
        r = s.send(_rebase(req, server))
    assert_answer(r, SIGNATURE_INVALID[scheme])
    assert server.handler_runs() == before


def _rebase(req: requests.PreparedRequest, server: Served) -> requests.PreparedRequest:
    """``req`` sent to ``server`` instead, with nothing else changed."""
    out = req.copy()
    out.url = server.base_url + req.path_url
    return out


def test_a_route_for_one_scheme_refuses_callers_another_scheme_verified(
    lf_key: apisign.PrivateKey,
) -> None:
    # Before, the FastAPI dependency caller("piemdm") only documented the scheme: a JetLinks
    # client (ids are per scheme; here "client-1") reached the PieMDM partners' route, and the
    # handler could not tell, as Verified did not say which scheme proved the caller.
    srv = Served("fastapi")
    try:
        url = srv.base_url + "/piemdm-only"
        ok = seen(requests.get(url, auth=ar.ApisignAuth(signer("piemdm", lf_key)), timeout=10))
        assert (ok["scheme"], ok["caller"]) == ("piemdm", PIEMDM["app_id"])
        runs = srv.handler_runs()
        for other in ["jetlinks", "lovrabet", "linksfield"]:
            r = requests.get(url, auth=ar.ApisignAuth(signer(other, lf_key)), timeout=10)
            assert r.status_code == 403, (other, r.text)
            assert r.json() == {"detail": "this endpoint accepts piemdm callers only"}
        assert srv.handler_runs() == runs
    finally:
        srv.stop()


def test_jetlinks_query_is_signed_on_get(server: Served) -> None:
    sig = jetlinks.sign("GET", "/items?page=1", **JETLINKS)
    assert (
        seen(requests.get(server.base_url + "/items?page=1", headers=sig.headers))["caller"]
        == "client-1"
    )
    r = requests.get(server.base_url + "/items?page=2", headers=sig.headers)
    assert_answer(r, SIGNATURE_INVALID["jetlinks"])


@pytest.mark.parametrize("scheme", ["piemdm", "linksfield"])
def test_replay_gets_the_platforms_nonce_rejection(
    server: Served, lf_key: apisign.PrivateKey, scheme: str
) -> None:
    first = requests.post(
        server.base_url + "/items?x=1", json={"a": 1}, auth=ar.ApisignAuth(signer(scheme, lf_key))
    )
    assert seen(first)["caller"] == CALLER[scheme]
    replay = requests.post(
        server.base_url + "/items?x=1", data=first.request.body, headers=first.request.headers
    )
    assert_answer(replay, NONCE_USED[scheme])


def test_responses_to_jetlinks_callers_are_signed_like_the_platform(server: Served) -> None:
    auth = ar.ApisignAuth("jetlinks", strict=True, **JETLINKS)
    r = requests.post(server.base_url + "/items", json={"a": 1}, auth=auth)
    assert seen(r)["caller"] == JETLINKS["client_id"]
    # hex(SHA-256(body || X-Timestamp || secure key)), computed here without apisign
    ts = r.headers["X-Timestamp"]
    expected = hashlib.sha256(r.content + ts.encode() + JETLINKS["secure_key"].encode()).hexdigest()
    assert r.headers["X-Sign"] == expected
    assert abs(int(ts) - time.time() * 1000) < 60_000
    with httpx.Client(auth=ax.JetlinksAuth(strict=True, **JETLINKS)) as client:
        assert (
            seen(client.get(server.base_url + "/items", params={"q": "1"}))["caller"]
            == JETLINKS["client_id"]
        )
    # other schemes' responses are not signed
    other = requests.get(server.base_url + "/items", auth=ar.ApisignAuth("piemdm", **PIEMDM))
    assert seen(other) and "X-Sign" not in other.headers


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A throw-away redis-server on 127.0.0.1 (scripts/test-python.sh installs it)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    proc = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait()


@pytest.mark.parametrize("kind", KINDS)
def test_replay_to_a_second_process_sharing_redis_is_refused(
    redis_url: str, lf_key: apisign.PrivateKey, kind: str
) -> None:
    first, second = Served(kind, redis_url), Served(kind, redis_url)
    try:
        for scheme in ["piemdm", "linksfield"]:
            sent = requests.post(
                first.base_url + "/items",
                json={"a": 1},
                auth=ar.ApisignAuth(signer(scheme, lf_key)),
            )
            assert seen(sent)["caller"] == CALLER[scheme]
            before = second.handler_runs()
            replay = requests.post(
                second.base_url + "/items", data=sent.request.body, headers=sent.request.headers
            )
            assert_answer(replay, NONCE_USED[scheme])
            assert second.handler_runs() == before
            # a fresh request to the second process is fine: the store is shared, not full
            fresh = requests.post(
                second.base_url + "/items",
                json={"a": 1},
                auth=ar.ApisignAuth(signer(scheme, lf_key)),
            )
            assert seen(fresh)["caller"] == CALLER[scheme]
    finally:
        first.stop()
        second.stop()
