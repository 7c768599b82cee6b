"""A real HTTP server on 127.0.0.1 that verifies signed requests the way the platforms do.

Every request is checked twice, from the request *as received* (raw path and query, body
bytes, headers): by the pure-Python reference in reference.py (``reference``), independent of
the native code the adapters sign with (linksfield's RSA step uses the native ``PublicKey``:
the standard library has no RSA; its message is still built by the reference), and by the
native verifiers of ``apisign.verify`` (``native``). Both must accept. Nonces (piemdm,
linksfield) are remembered by both, so a replay is refused; stale timestamps are refused.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, Optional, Set, Tuple

import apisign
from apisign import verify as native

import reference as ref

LOVRABET = {"app_code": "app-1", "dataset_code": "ds-1", "access_key": "ak-1", "secret_key": "sk-1"}
JETLINKS = {"client_id": "client-1", "secure_key": "secure-1", "algorithm": "sha256"}
PIEMDM = {"app_id": "piemdm-app", "app_secret": "piemdm-secret"}
LINKSFIELD_KEY_ID = "lf-key-1"


class Rejected(Exception):
    pass


Check = Callable[[str, str, str, Dict[str, str], bytes], None]
"""``(scheme, method, target, headers, body)``; raises to reject."""


class Verifier:
    def __init__(self, linksfield_public: apisign.PublicKey) -> None:
        self.linksfield_public = linksfield_public
        self.nonces: Set[Tuple[str, str]] = set()
        self.lock = threading.Lock()
        self.checks: Dict[str, Check] = {
            "reference": self.verify_reference,
            "native": self.verify_native,
        }
        creds = native.Credentials()
        creds.add_lovrabet_app(
            LOVRABET["app_code"], LOVRABET["access_key"], LOVRABET["secret_key"],
            datasets=[LOVRABET["dataset_code"]],
        )
        creds.add_jetlinks(JETLINKS["client_id"], JETLINKS["secure_key"], JETLINKS["algorithm"])
        creds.add_piemdm(PIEMDM["app_id"], PIEMDM["app_secret"])
        creds.add_linksfield(LINKSFIELD_KEY_ID, linksfield_public)
        nonces = native.NonceStore()
        self.native_lovrabet = native.LovrabetVerifier(creds)
        self.native_jetlinks = native.JetlinksVerifier(creds)
        self.native_piemdm = native.PiemdmVerifier(creds, nonces)
        self.native_linksfield = native.LinksfieldVerifier(creds, nonces=nonces)

    def verify_native(
        self, scheme: str, method: str, target: str, headers: Dict[str, str], body: bytes
    ) -> None:
        if scheme == "lovrabet":
            self.native_lovrabet.verify(method, target, headers, body)
        elif scheme == "jetlinks":
            self.native_jetlinks.verify(method, target, headers, body)
        elif scheme == "piemdm":
            self.native_piemdm.verify(method, target, headers, body)
        elif scheme == "linksfield":
            self.native_linksfield.verify(method, target, headers, body)
        else:
            raise Rejected(f"unknown scheme {scheme!r}")

    def judge(
        self, method: str, target: str, headers: Dict[str, str], body: bytes
    ) -> Tuple[str, Dict[str, Optional[str]]]:
        """Run every check; ``(scheme, {check: None if accepted else why})``."""
        scheme = target.split("/")[1]
        verdicts: Dict[str, Optional[str]] = {}
        for name, check in self.checks.items():
            try:
                check(scheme, method, target, headers, body)
                verdicts[name] = None
            except (Rejected, KeyError, ValueError, ref.RefError, apisign.ApisignError) as e:
                verdicts[name] = f"{type(e).__name__}: {e}"
        return scheme, verdicts

    def _fresh_nonce(self, scheme: str, nonce: str) -> None:
        with self.lock:
            if (scheme, nonce) in self.nonces:
                raise Rejected("nonce already used (replay)")
            self.nonces.add((scheme, nonce))

    def verify_reference(
        self, scheme: str, method: str, target: str, headers: Dict[str, str], body: bytes
    ) -> None:
        h = {k.lower(): v for k, v in headers.items()}
        now_ms = int(time.time() * 1000)
        if scheme == "lovrabet":
            ts = int(h["x-time-stamp"])
            if not (now_ms - 600_000 < ts <= now_ms + 60_000):
                raise Rejected("1003 timestamp expired")
            expected, _ = ref.lovrabet_sign(
                h["x-app-code"], h["x-dataset-code"], LOVRABET["access_key"],
                LOVRABET["secret_key"], ts,
            )
            if h["x-app-code"] != LOVRABET["app_code"]:
                raise Rejected("1004 unknown app")
            if not hmac.compare_digest(expected["X-Token"], h["x-token"]):
                raise Rejected("1002 signature mismatch")
        elif scheme == "jetlinks":
            ts = int(h["x-timestamp"])
            if abs(now_ms - ts) > 300_000:
                raise Rejected("timestamp outside the window")
            if h["x-client-id"] != JETLINKS["client_id"]:
                raise Rejected("unknown client")
            expected, _ = ref.jetlinks_sign(
                method, target, body, h.get("content-type"), JETLINKS["client_id"],
                JETLINKS["secure_key"], JETLINKS["algorithm"], ts,
            )
            if not hmac.compare_digest(expected["X-Sign"], h["x-sign"].lower()):
                raise Rejected("signature mismatch")
        elif scheme == "piemdm":
            ts = int(h["x-timestamp"])
            if abs(now_ms // 1000 - ts) > 300:
                raise Rejected("AUTH_TOKEN_EXPIRED")
            if h["x-app-id"] != PIEMDM["app_id"]:
                raise Rejected("AUTH_FAILED")
            expected, _ = ref.piemdm_sign(
                method, target, body, PIEMDM["app_id"], PIEMDM["app_secret"], ts, h["x-nonce"]
            )
            if not hmac.compare_digest(expected["X-Sign"], h["x-sign"]):
                raise Rejected("AUTH_SIGNATURE_INVALID")
            self._fresh_nonce("piemdm", h["x-nonce"])
        elif scheme == "linksfield":
            auth = h.get("authorization", "")
            if not auth.startswith("LF ") or "/" not in auth:
                raise Rejected("401 missing Authorization")
            key_id, sig = auth[3:].split("/", 1)
            ts = int(h["timestamp"])
            if key_id != LINKSFIELD_KEY_ID or abs(now_ms - ts) > 600_000:
                raise Rejected("403 key or timestamp")
            message = ref.linksfield_message_v2(target, body, h["timestamp"], h["nonce"])
            if not self.linksfield_public.verify_base64(message, sig):
                raise Rejected("403 signature does not verify")
            self._fresh_nonce("linksfield", h["nonce"])
        else:
            raise Rejected(f"unknown scheme {scheme!r}")


class VerifyingServer:
    def __init__(self, verifier: Verifier) -> None:
        self.verifier = verifier
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                scheme, verdicts = outer.verifier.judge(
                    self.command, self.path, dict(self.headers.items()), body
                )
                rejected = {name: why for name, why in verdicts.items() if why is not None}
                ok = not rejected
                payload = {"ok": ok, "scheme": scheme, "rejected_by": rejected}
                status = 200 if ok else 401
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread: Optional[threading.Thread] = None

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
