"""Run one app of mw_apps.py as a real server process on 127.0.0.1: ``Served("<kind>")`` in the
test (or benchmark) process opens a listening socket and starts this file with it,
``python mw_server.py <starlette|fastapi|flask>[-bare] <fd> [<redis url>]`` (``-bare``: without
the middleware). Starlette and FastAPI run under uvicorn, Flask under waitress."""

from __future__ import annotations

import pathlib
import socket
import subprocess
import sys
from typing import Optional

import requests

from apisign.verify import NonceStore

import mw_apps


class Served:
    """One server process, listening on a socket this process opened (so no port race and no
    wait for readiness: connections queue until the server accepts)."""

    def __init__(self, kind: str, redis_url: Optional[str] = None) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        self.base_url = "http://127.0.0.1:%d" % sock.getsockname()[1]
        args = [sys.executable, str(pathlib.Path(__file__).resolve()), kind, str(sock.fileno())]
        if redis_url:
            args.append(redis_url)
        self.proc = subprocess.Popen(
            args, pass_fds=[sock.fileno()], cwd=pathlib.Path(__file__).resolve().parent
        )
        sock.close()
        try:
            r = requests.get(self.base_url + "/health", timeout=60)
        except requests.RequestException:
            self.stop()
            raise
        assert r.status_code == 200, r.text

    def handler_runs(self) -> int:
        runs: int = requests.get(self.base_url + "/health", timeout=10).json()["handler_runs"]
        return runs

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main() -> None:
    kind, fd = sys.argv[1], int(sys.argv[2])
    protect = not kind.endswith("-bare")
    kind = kind.removesuffix("-bare")
    redis_url = sys.argv[3] if len(sys.argv) > 3 else None
    nonces: Optional[NonceStore] = NonceStore.redis(redis_url) if redis_url else None
    sock = socket.socket(fileno=fd)
    if kind == "flask":
        import logging

        import waitress

        logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "queue depth" under load

        waitress.serve(mw_apps.flask_app(nonces, protect), sockets=[sock], threads=4, _quiet=True)
        return
    import uvicorn

    if kind == "fastapi":
        app = mw_apps.fastapi_app(nonces)
    else:
        app = mw_apps.starlette_app(nonces, protect)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
