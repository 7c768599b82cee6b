"""End-to-end: requests sent by ``requests`` and ``httpx`` (sync and async) through our auth
adapters to a real verifying HTTP server on 127.0.0.1 (verify_server.py); tampered and
replayed requests are refused."""

from __future__ import annotations

import asyncio
import time
from types import ModuleType
from typing import Any, Dict, Iterator, List, Tuple

import httpx
import pytest
import requests

import apisign
import apisign.httpx as ax
import apisign.requests as ar
from apisign import jetlinks, linksfield, lovrabet, piemdm

from verify_server import (
    JETLINKS,
    LINKSFIELD_KEY_ID,
    LOVRABET,
    PIEMDM,
    Verifier,
    VerifyingServer,
)


def rejected_by_every_check(server: "VerifyingServer", response: Any) -> None:
    """The server answered 401 and every one of its checks refused the request."""
    assert response.status_code == 401, response.text
    assert set(response.json()["rejected_by"]) == set(server.verifier.checks), response.text

SCHEMES = ["lovrabet", "jetlinks", "piemdm", "linksfield"]


@pytest.fixture(scope="module")
def server(lf_public_pem: str) -> Iterator[VerifyingServer]:
    srv = VerifyingServer(Verifier(apisign.PublicKey(lf_public_pem)))
    srv.start()
    yield srv
    srv.stop()


def adapter_auth(adapters: ModuleType, scheme: str, key: apisign.PrivateKey) -> Any:
    """The auth of ``adapters`` (``apisign.requests`` or ``apisign.httpx``, which name their
    classes alike) for ``scheme`` with the test server's credentials."""
    if scheme == "linksfield":
        return adapters.LinksfieldAuth(LINKSFIELD_KEY_ID, key)
    name, credentials = {
        "lovrabet": ("LovrabetAuth", LOVRABET),
        "jetlinks": ("JetlinksAuth", JETLINKS),
        "piemdm": ("PiemdmAuth", PIEMDM),
    }[scheme]
    return getattr(adapters, name)(**credentials)


def requests_auth(scheme: str, key: apisign.PrivateKey) -> ar.ApisignAuth:
    auth: ar.ApisignAuth = adapter_auth(ar, scheme, key)
    return auth


def httpx_auth(scheme: str, key: apisign.PrivateKey) -> ax.ApisignAuth:
    auth: ax.ApisignAuth = adapter_auth(ax, scheme, key)
    return auth


def calls(scheme: str) -> List[Tuple[str, str, Dict[str, Any]]]:
    """(method, path, kwargs common to requests and httpx) for one scheme."""
    base = f"/{scheme}/openapi/v1/items"
    out: List[Tuple[str, str, Dict[str, Any]]] = [
        ("GET", base, {"params": {"b": "2", "a": "1", "name": "张 三", "q": "x+y/z~*"}}),
        ("GET", base + "/a%20b", {}),
        ("DELETE", base + "/7", {"params": {"force": "true"}}),
        ("POST", base, {"json": {"cycles": 3, "name": "张", "nested": {"b": 1, "a": [2, 1]}}}),
        ("PUT", base + "/7", {"params": {"v": "1"}, "json": {"ok": True}}),
    ]
    if scheme != "linksfield":  # linksfield signs JSON bodies only
        out.append(("POST", base, {"data": {"b": "2", "a": "1", "c": "x=y"}}))
        out.append(("PATCH", base, {"content": "plain text é".encode()}))
    return out


def as_requests_kwargs(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    kw = dict(kwargs)
    if "content" in kw:
        kw["data"] = kw.pop("content")
    return kw


@pytest.mark.parametrize("scheme", SCHEMES)
def test_requests_accepted(server: VerifyingServer, lf_key: apisign.PrivateKey, scheme: str) -> None:
    auth = requests_auth(scheme, lf_key)
    with requests.Session() as s:
        for method, path, kwargs in calls(scheme):
            r = s.request(method, server.base_url + path, auth=auth, **as_requests_kwargs(kwargs))
            assert r.status_code == 200, (method, path, r.text)
            assert r.json() == {"ok": True, "scheme": scheme, "rejected_by": {}}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_requests_str_body_is_sent_as_signed_utf8(
    server: VerifyingServer, lf_key: apisign.PrivateKey, scheme: str
) -> None:
    body = '{"name": "张三", "n": 1}'
    r = requests.post(
        server.base_url + f"/{scheme}/openapi/v1/items",
        data=body,
        headers={"Content-Type": "application/json"},
        auth=requests_auth(scheme, lf_key),
    )
    assert r.status_code == 200, r.text
    assert r.request.body == body.encode("utf-8")
    assert r.request.headers["Content-Length"] == str(len(body.encode("utf-8")))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_httpx_sync_accepted(server: VerifyingServer, lf_key: apisign.PrivateKey, scheme: str) -> None:
    with httpx.Client(base_url=server.base_url, auth=httpx_auth(scheme, lf_key)) as client:
        for method, path, kwargs in calls(scheme):
            r = client.request(method, path, **kwargs)
            assert r.status_code == 200, (method, path, r.text)
            assert r.json() == {"ok": True, "scheme": scheme, "rejected_by": {}}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_httpx_async_accepted(server: VerifyingServer, lf_key: apisign.PrivateKey, scheme: str) -> None:
    async def run() -> List[int]:
        auth = httpx_auth(scheme, lf_key)
        async with httpx.AsyncClient(base_url=server.base_url, auth=auth) as client:
            responses = await asyncio.gather(
                *(client.request(m, p, **kw) for m, p, kw in calls(scheme))
            )
        return [r.status_code for r in responses]

    assert asyncio.run(run()) == [200] * len(calls(scheme))


def tamper_requests(scheme: str, prepared: requests.PreparedRequest) -> None:
    if scheme == "lovrabet":
        # The token covers app, dataset and time only: change the dataset it claims.
        prepared.headers["X-Dataset-Code"] = "ds-2"
    else:
        prepared.prepare_url(prepared.url, {"admin": "1"})


@pytest.mark.parametrize("scheme", SCHEMES)
def test_requests_tampered_rejected(
    server: VerifyingServer, lf_key: apisign.PrivateKey, scheme: str
) -> None:
    with requests.Session() as s:
        req = requests.Request(
            "GET", server.base_url + f"/{scheme}/openapi/v1/items", params={"page": "1"},
            auth=requests_auth(scheme, lf_key),
        )
        prepared = s.prepare_request(req)
        assert s.send(prepared.copy()).status_code == 200
        tamper_requests(scheme, prepared)
        rejected_by_every_check(server, s.send(prepared))


@pytest.mark.parametrize("scheme", ["jetlinks", "piemdm", "linksfield"])
def test_requests_tampered_body_rejected(
    server: VerifyingServer, lf_key: apisign.PrivateKey, scheme: str
) -> None:
    with requests.Session() as s:
        req = requests.Request(
            "POST", server.base_url + f"/{scheme}/openapi/v1/items", json={"amount": 10},
            auth=requests_auth(scheme, lf_key),
        )
        prepared = s.prepare_request(req)
        assert s.send(prepared.copy()).status_code == 200
        prepared.body = b'{"amount": 99}'
        rejected_by_every_check(server, s.send(prepared))


def httpx_tamper_hook(scheme: str) -> Any:
    def hook(request: httpx.Request) -> None:
        # Event hooks run after auth: this changes the request after it was signed.
        if scheme == "lovrabet":
            request.headers["X-Dataset-Code"] = "ds-2"
        else:
            request.url = request.url.copy_add_param("admin", "1")

    return hook


@pytest.mark.parametrize("scheme", SCHEMES)
def test_httpx_tampered_rejected(
    server: VerifyingServer, lf_key: apisign.PrivateKey, scheme: str
) -> None:
    auth = httpx_auth(scheme, lf_key)
    with httpx.Client(base_url=server.base_url, auth=auth) as honest:
        assert honest.get(f"/{scheme}/openapi/v1/items", params={"page": "1"}).status_code == 200
    with httpx.Client(
        base_url=server.base_url, auth=auth, event_hooks={"request": [httpx_tamper_hook(scheme)]}
    ) as client:
        rejected_by_every_check(server, client.get(f"/{scheme}/openapi/v1/items", params={"page": "1"}))

    async def run() -> httpx.Response:
        async def ahook(request: httpx.Request) -> None:
            httpx_tamper_hook(scheme)(request)

        async with httpx.AsyncClient(
            base_url=server.base_url, auth=auth, event_hooks={"request": [ahook]}
        ) as client:
            return await client.get(f"/{scheme}/openapi/v1/items", params={"page": "1"})

    rejected_by_every_check(server, asyncio.run(run()))


@pytest.mark.parametrize("scheme", ["piemdm", "linksfield"])
def test_replayed_nonce_rejected(
    server: VerifyingServer, lf_key: apisign.PrivateKey, scheme: str
) -> None:
    url = server.base_url + f"/{scheme}/openapi/v1/items?page=1"
    first = requests.get(url, auth=requests_auth(scheme, lf_key))
    assert first.status_code == 200, first.text
    replay = requests.get(url, headers=dict(first.request.headers))
    rejected_by_every_check(server, replay)
    assert "replay" in replay.json()["rejected_by"]["reference"]

    with httpx.Client(auth=httpx_auth(scheme, lf_key)) as client:
        sent = client.get(url)
        assert sent.status_code == 200
    rejected_by_every_check(server, httpx.get(url, headers=dict(sent.request.headers)))


@pytest.mark.parametrize("scheme", ["lovrabet", "jetlinks"])
def test_stale_replay_rejected(server: VerifyingServer, scheme: str) -> None:
    """Schemes without a nonce: a captured request replayed after the window is refused,
    while the same request signed now is accepted."""
    path = f"/{scheme}/openapi/v1/items?page=1"

    def headers_at(ts_ms: int) -> Dict[str, str]:
        if scheme == "lovrabet":
            return lovrabet.sign(timestamp=ts_ms, **LOVRABET).headers
        return jetlinks.sign("GET", path, timestamp=ts_ms, **JETLINKS).headers

    now = int(time.time() * 1000)
    assert requests.get(server.base_url + path, headers=headers_at(now)).status_code == 200
    stale = requests.get(server.base_url + path, headers=headers_at(now - 11 * 60 * 1000))
    rejected_by_every_check(server, stale)


def test_piemdm_and_linksfield_signatures_use_fresh_nonces(lf_key: apisign.PrivateKey) -> None:
    a = piemdm.sign("GET", "/x", app_id="a", app_secret="s", timestamp=1)
    b = piemdm.sign("GET", "/x", app_id="a", app_secret="s", timestamp=1)
    assert a.headers["X-Nonce"] != b.headers["X-Nonce"]
    assert len(a.headers["X-Nonce"]) == piemdm.GENERATED_NONCE_LEN
    c = linksfield.sign("GET", "/x", key_id="k", private_key=lf_key, timestamp=1)
    d = linksfield.sign("GET", "/x", key_id="k", private_key=lf_key, timestamp=1)
    assert c.headers["nonce"] != d.headers["nonce"]


def test_requests_streamed_body_is_refused(lf_key: apisign.PrivateKey) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"a"

    prepared = requests.Request(
        "POST", "http://127.0.0.1:9/piemdm/x", data=chunks(), auth=ar.PiemdmAuth(**PIEMDM)
    )
    with pytest.raises(apisign.InvalidInputError) as info:
        prepared.prepare()
    assert info.value.field == "body"
    assert "bytes" in str(info.value)


def test_adapter_reprs_hide_secrets(lf_key: apisign.PrivateKey) -> None:
    for scheme in SCHEMES:
        for auth in (requests_auth(scheme, lf_key), httpx_auth(scheme, lf_key)):
            shown = repr(auth)
            for secret in ("sk-1", "secure-1", "piemdm-secret", "ak-1"):
                assert secret not in shown
