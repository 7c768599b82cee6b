"""Benchmark: the native module vs the pure-Python (stdlib) reference, per scheme.

Not a test: run it by hand on a quiet machine, after a release build of the package
(``pip install .`` or ``maturin develop --release``):

    .venv/bin/python benches/python_bench.py [--quick]

Each figure is the best of several repeats of the mean time per call, so background load
inflates neither side much. Targets (issue 5): >= 5x for lovrabet and piemdm, >= 2x for
jetlinks. Both sides return the headers as a dict and the intermediate string.
"""

from __future__ import annotations

import pathlib
import sys
import timeit
from typing import Callable, List, Tuple

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "python"))

import reference as ref  # noqa: E402

from apisign import jetlinks, linksfield, lovrabet, piemdm  # noqa: E402

QUICK = "--quick" in sys.argv
REPEAT = 3 if QUICK else 7

TS_MS = 1_700_000_000_000
TS_S = 1_700_000_000
QUERY_URL = "/openapi/v1/devices?pageSize=20&pageIndex=0&name=%E5%BC%A0+%E4%B8%89&sort=id&tag=b&tag=a"
JSON_BODY = (
    b'{"deviceId":"dev-0001","properties":{"temperature":21.5,"humidity":40},'
    b'"tags":["a","b","c"],"note":"' + b"x" * 900 + b'"}'
)
NONCE = "0123456789abcdef0123456789abcdef"


def per_call(fn: Callable[[], object]) -> float:
    """Best mean seconds per call over REPEAT runs, auto-ranged to ~0.2 s per run."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, number // (4 if QUICK else 1))
    return min(timer.repeat(repeat=REPEAT, number=number)) / number


def check_same(native: Callable[[], object], reference: Callable[[], object]) -> None:
    """Benchmark only what agrees: same headers from both sides."""
    n, r = native(), reference()
    assert isinstance(r, tuple) and n == r[0], (n, r)


def main() -> None:
    lf_keys = __import__("json").loads(
        (pathlib.Path(__file__).resolve().parent.parent / "tests/vectors/linksfield.json").read_text()
    )["keys"]
    lf_key = linksfield.PrivateKey(lf_keys["rsa1024_pkcs8_pem"])

    lov_signer = lovrabet.Signer("app-c2dd52a2", "ds-001", "ak-xxxxxxxxxxxxx", "lovrabet")
    jl_signer = jetlinks.Signer("testId", "testSecure", "md5")
    pm_signer = piemdm.Signer("app-1", "app-secret-1")

    rows: List[Tuple[str, Callable[[], object], Callable[[], object], float]] = [
        (
            "lovrabet token (one-shot sign())",
            lambda: lovrabet.sign(app_code="app-c2dd52a2", dataset_code="ds-001",
                                  access_key="ak-xxxxxxxxxxxxx", timestamp=TS_MS).headers,
            lambda: ref.lovrabet_sign("app-c2dd52a2", "ds-001", "ak-xxxxxxxxxxxxx", "lovrabet", TS_MS),
            5.0,
        ),
        (
            "lovrabet token (reused Signer)",
            lambda: lov_signer.sign(TS_MS).headers,
            lambda: ref.lovrabet_sign("app-c2dd52a2", "ds-001", "ak-xxxxxxxxxxxxx", "lovrabet", TS_MS),
            5.0,
        ),
        (
            "jetlinks GET query (one-shot sign())",
            lambda: jetlinks.sign("GET", QUERY_URL, client_id="testId", secure_key="testSecure",
                                  timestamp=TS_MS).headers,
            lambda: ref.jetlinks_sign("GET", QUERY_URL, b"", None, "testId", "testSecure", "md5", TS_MS),
            2.0,
        ),
        (
            "jetlinks GET query (reused Signer)",
            lambda: jl_signer.sign("GET", QUERY_URL, timestamp=TS_MS).headers,
            lambda: ref.jetlinks_sign("GET", QUERY_URL, b"", None, "testId", "testSecure", "md5", TS_MS),
            2.0,
        ),
        (
            "jetlinks POST 1 KiB JSON (reused Signer)",
            lambda: jl_signer.sign("POST", "/api/x", JSON_BODY, content_type="application/json",
                                   timestamp=TS_MS).headers,
            lambda: ref.jetlinks_sign("POST", "/api/x", JSON_BODY, "application/json", "testId",
                                      "testSecure", "md5", TS_MS),
            2.0,
        ),
        (
            "piemdm GET query (one-shot sign())",
            lambda: piemdm.sign("GET", QUERY_URL, app_id="app-1", app_secret="app-secret-1",
                                timestamp=TS_S, nonce=NONCE).headers,
            lambda: ref.piemdm_sign("GET", QUERY_URL, b"", "app-1", "app-secret-1", TS_S, NONCE),
            5.0,
        ),
        (
            "piemdm GET query (reused Signer)",
            lambda: pm_signer.sign("GET", QUERY_URL, timestamp=TS_S, nonce=NONCE).headers,
            lambda: ref.piemdm_sign("GET", QUERY_URL, b"", "app-1", "app-secret-1", TS_S, NONCE),
            5.0,
        ),
        (
            "piemdm POST 1 KiB JSON (reused Signer)",
            lambda: pm_signer.sign("POST", "/openapi/v1/x", JSON_BODY, timestamp=TS_S, nonce=NONCE).headers,
            lambda: ref.piemdm_sign("POST", "/openapi/v1/x", JSON_BODY, "app-1", "app-secret-1", TS_S, NONCE),
            5.0,
        ),
        (
            "linksfield v2 message only (no RSA)",
            lambda: linksfield.message_v2("POST", QUERY_URL, JSON_BODY, TS_MS, NONCE),
            lambda: ref.linksfield_message_v2(QUERY_URL, JSON_BODY, str(TS_MS), NONCE),
            0.0,
        ),
    ]

    print(f"{'case':44} {'native':>10} {'python':>10} {'speedup':>8}  target")
    for name, native, reference, target in rows:
        if "message only" in name:
            assert native() == reference()
        else:
            check_same(native, reference)
        n, r = per_call(native), per_call(reference)
        verdict = "" if not target else ("ok" if r / n >= target else "MISSED")
        tgt = f">= {target:g}x {verdict}" if target else "(no target)"
        print(f"{name:44} {n * 1e6:8.2f}us {r * 1e6:8.2f}us {r / n:7.1f}x  {tgt}")

    # RSA has no stdlib reference; report the native cost alone.
    lf_signer = linksfield.Signer("k", lf_key)
    n = per_call(lambda: lf_signer.sign_v2("POST", QUERY_URL, JSON_BODY, timestamp=TS_MS, nonce=NONCE))
    print(f"{'linksfield v2 sign, RSA-1024 (native only)':44} {n * 1e6:8.2f}us {'-':>10} {'-':>8}")


if __name__ == "__main__":
    main()
