"""Shared replay stores from Python: Redis, a three-master Redis Cluster (both real servers on
127.0.0.1, started here; scripts/test-python.sh installs redis-server), and the application's
own store object. A request accepted by one verifier ("server") is a replay on another that
shares the store."""

from __future__ import annotations

import pathlib
import shutil
import socket
import subprocess
import time
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import apisign

TS = 1_700_000_000_000


def _free_port() -> int:
    # A cluster node also listens on port + 10000: keep both free and in range.
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if port + 10000 < 65536:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port + 10000)) != 0:
                    return port


def _start(tmp: pathlib.Path, *extra: str) -> Tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    d = tmp / str(port)
    d.mkdir()
    proc = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(d), "--loglevel", "warning", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG":
            return proc, port
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


@pytest.fixture(scope="module")
def redis_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, List[str]]]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (scripts/test-python.sh installs it)")
    tmp = tmp_path_factory.mktemp("redis")
    procs = []
    try:
        single, port = _start(tmp)
        procs.append(single)
        nodes = []
        for _ in range(3):
            p, node_port = _start(tmp, "--cluster-enabled", "yes", "--cluster-config-file", f"nodes-{_free_port()}.conf")
            procs.append(p)
            nodes.append(f"127.0.0.1:{node_port}")
        subprocess.run(
            ["redis-cli", "--cluster", "create", *nodes, "--cluster-replicas", "0", "--cluster-yes"],
            check=True,
            capture_output=True,
        )
        first = nodes[0].split(":")[1]
        for _ in range(100):
            info = subprocess.run(["redis-cli", "-p", first, "cluster", "info"], capture_output=True).stdout
            if b"cluster_state:ok" in info:
                break
            time.sleep(0.05)
        yield {"single": [f"redis://127.0.0.1:{port}/0"], "cluster": [f"redis://{n}" for n in nodes]}
    finally:
        for p in procs:
            p.kill()
            p.wait()


def _verifiers(store: Any) -> Tuple[apisign.Signer, apisign.Verifier, apisign.Verifier]:
    creds = apisign.Credentials()
    creds.add("piemdm", app_id="app-1", app_secret="secret-1")
    signer = apisign.Signer("piemdm", app_id="app-1", app_secret="secret-1")
    return signer, apisign.Verifier("piemdm", creds, nonces=store), apisign.Verifier("piemdm", creds, nonces=store)


def _replay_is_caught_by_the_second_server(a: apisign.Verifier, b: apisign.Verifier, signer: apisign.Signer) -> None:
    for n in range(5):
        sig = signer.sign("GET", "/openapi/v1/x", timestamp_ms=TS, nonce=f"{time.time_ns()}-{n:04d}")
        assert a.verify("GET", "/openapi/v1/x", sig.header_items, now_ms=TS).caller == "app-1"
        with pytest.raises(apisign.NonceReusedError) as info:
            b.verify("GET", "/openapi/v1/x", sig.header_items, now_ms=TS)
        assert info.value.platform_code == "AUTH_NONCE_USED" and info.value.status == 401


def test_redis_is_shared_between_servers(redis_servers: Dict[str, List[str]]) -> None:
    url = redis_servers["single"][0]
    store_a = apisign.NonceStore.redis(url, prefix="py-test:")
    store_b = apisign.NonceStore.redis(url, prefix="py-test:", timeout_ms=1000)
    assert store_a.capacity is None and len(store_a) == 0
    signer, a, _ = _verifiers(store_a)
    _, _, b = _verifiers(store_b)
    _replay_is_caught_by_the_second_server(a, b, signer)


def test_redis_cluster_is_shared_between_servers(redis_servers: Dict[str, List[str]]) -> None:
    nodes = redis_servers["cluster"]
    store_a = apisign.NonceStore.redis_cluster(nodes[:1], prefix="py-test:")
    store_b = apisign.NonceStore.redis_cluster(nodes[2:], prefix="py-test:")
    signer, a, _ = _verifiers(store_a)
    _, _, b = _verifiers(store_b)
    _replay_is_caught_by_the_second_server(a, b, signer)
    keys = [f"spread-{time.time_ns()}-{i}" for i in range(30)]
    assert all(store_a.check_and_record(k, 60, 0) for k in keys)
    assert not any(store_b.check_and_record(k, 60, 0) for k in keys)
    with pytest.raises(apisign.InvalidInputError):
        apisign.NonceStore.redis_cluster(nodes, prefix="{one-slot}:")


def test_an_unreachable_redis_refuses_with_503() -> None:
    signer, a, _ = _verifiers(apisign.NonceStore.redis("redis://127.0.0.1:1/0", timeout_ms=300))
    sig = signer.sign("GET", "/openapi/v1/x", timestamp_ms=TS, nonce="unreachable-000001")
    with pytest.raises(apisign.NonceStoreUnavailableError) as info:
        a.verify("GET", "/openapi/v1/x", sig.header_items, now_ms=TS)
    assert info.value.status == 503
    with pytest.raises(apisign.InvalidInputError):
        apisign.NonceStore.redis("http://not-redis")


class _DictStore:
    """The application's own store (here a dict; in production something atomic and shared)."""

    def __init__(self) -> None:
        self.seen: Dict[str, int] = {}

    def check_and_record(self, key: str, ttl_secs: int, now_secs: int) -> bool:
        if key in self.seen:
            return False
        self.seen[key] = ttl_secs
        return True


class _BrokenStore:
    def check_and_record(self, key: str, ttl_secs: int, now_secs: int) -> bool:
        raise ConnectionError("database at postgres://user:pw@db is down")


def test_the_applications_own_store_is_used() -> None:
    own = _DictStore()
    signer, a, b = _verifiers(own)
    _replay_is_caught_by_the_second_server(a, b, signer)
    # PieMDM's ±300 s window needs nonces kept 601 s.
    assert len(own.seen) == 5 and set(own.seen.values()) == {601}
    signer, broken, _ = _verifiers(_BrokenStore())
    sig = signer.sign("GET", "/openapi/v1/x", timestamp_ms=TS, nonce="broken-store-00001")
    with pytest.raises(apisign.NonceStoreUnavailableError) as info:
        broken.verify("GET", "/openapi/v1/x", sig.header_items, now_ms=TS)
    assert "ConnectionError" in str(info.value) and "pw@db" not in str(info.value)
    with pytest.raises(TypeError):
        apisign.Verifier("piemdm", apisign.Credentials(), nonces=object())  # type: ignore[arg-type]
