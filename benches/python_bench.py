"""Benchmark: the native module vs the pure-Python (stdlib) reference, per scheme.

Not a test: run it by hand on a quiet machine, after a release build of the package
(``pip install .`` or ``maturin develop --release``):

    .venv/bin/python benches/python_bench.py [--quick]

Each figure is the best of several rounds of the mean time per call; native and reference
rounds alternate, so background load hits both sides alike, and the spread of the per-round
ratios is printed next to each speedup. Targets (issue 5): >= 5x for lovrabet and piemdm,
>= 2x for jetlinks; the closing summary gives PASS/MISS per scheme. The ``core`` column is the
Rust core alone on the same input (``_native._bench_core``: a loop in-process, no Python), so
``native - core`` is what the binding costs; issue 11 budgets it at <= 300 ns for the one-shot
rows (and >= 3x the stdlib reference there). Both sides compute the
same headers dict (asserted) and the intermediate string.

The jetlinks raw-body rows are bounded by MD5, which both sides run over the whole body: the
script also times MD5 alone (ours through `sign_response`, OpenSSL through hashlib) and the
jetlinks POST speedup for bodies of 64 B to 4 KiB, so the bound can be read off the output.
"""

from __future__ import annotations

import hashlib
import pathlib
import sys
import timeit
from typing import Callable, Dict, List, Optional, Tuple

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "python"))

import reference as ref  # noqa: E402

from apisign import _native, jetlinks, linksfield, lovrabet, piemdm  # noqa: E402

QUICK = "--quick" in sys.argv
REPEAT = 3 if QUICK else 9
ROUND_SECONDS = 0.03 if QUICK else 0.1

TS_MS = 1_700_000_000_000
TS_S = 1_700_000_000
QUERY_URL = "/openapi/v1/devices?pageSize=20&pageIndex=0&name=%E5%BC%A0+%E4%B8%89&sort=id&tag=b&tag=a"
JSON_BODY = (
    b'{"deviceId":"dev-0001","properties":{"temperature":21.5,"humidity":40},'
    b'"tags":["a","b","c"],"note":"' + b"x" * 900 + b'"}'
)
NONCE = "0123456789abcdef0123456789abcdef"


def calls_for(fn: Callable[[], object], seconds: float) -> int:
    """How many calls of ``fn`` take about ``seconds``."""
    timer = timeit.Timer(fn)
    number, took = timer.autorange()  # >= 0.2 s
    return max(1, int(number * seconds / max(took, 1e-9)))


def measure(
    native: Callable[[], object],
    reference: Callable[[], object],
    core: Optional[Callable[[], float]] = None,
) -> Tuple[float, float, float, float, List[Tuple[float, float]]]:
    """Seconds per call of each side, measured in alternating rounds so both see the same
    background load: (best native, best reference, lowest and highest per-round ratio, and
    per-round (native, core) seconds when ``core`` (seconds per call of the core alone on the
    same input) is given: a round's core run sits right next to its native run)."""
    n_calls = calls_for(native, ROUND_SECONDS)
    r_calls = calls_for(reference, ROUND_SECONDS)
    tn, tr = timeit.Timer(native), timeit.Timer(reference)
    best_n = best_r = float("inf")
    ratios, over = [], []
    for _ in range(REPEAT):
        n = tn.timeit(n_calls) / n_calls
        if core is not None:
            over.append((n, core()))
        r = tr.timeit(r_calls) / r_calls
        best_n, best_r = min(best_n, n), min(best_r, r)
        ratios.append(r / n)
    return best_n, best_r, min(ratios), max(ratios), over


def native_only(fn: Callable[[], object]) -> float:
    timer = timeit.Timer(fn)
    calls = calls_for(fn, ROUND_SECONDS)
    return min(timer.repeat(repeat=REPEAT, number=calls)) / calls


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

    # Hashing the 1 KiB body is work both sides must do; its pure cost (OpenSSL via hashlib,
    # timed over 64 copies so call overhead vanishes) bounds the reachable speedup of the
    # raw-body rows: ref / digest, even for an implementation with zero overhead.
    jl_data = (JSON_BODY + str(TS_MS).encode() + b"testSecure") * 64
    pm_data = JSON_BODY * 64
    floors = {
        "jetlinks POST 1 KiB JSON (reused Signer)": lambda: hashlib.md5(jl_data).digest(),
        "piemdm POST 1 KiB JSON (reused Signer)": lambda: hashlib.sha256(pm_data).digest(),
    }

    lov = dict(app_code="app-c2dd52a2", dataset_code="ds-001", access_key="ak-xxxxxxxxxxxxx")
    jl = dict(client_id="testId", secure_key="testSecure")
    pm = dict(app_id="app-1", app_secret="app-secret-1")
    # The same inputs for the core alone: (scheme, method, url, body, nonce, reuse, params).
    core_inputs: Dict[str, Tuple[str, str, str, bytes, object, bool, Dict[str, str]]] = {
        # The one-shot row passes no secret_key, so its core run uses the default key too.
        rows[0][0]: ("lovrabet", "GET", "/", b"", None, False, lov),
        rows[1][0]: ("lovrabet", "GET", "/", b"", None, True, dict(lov, secret_key="lovrabet")),
        rows[2][0]: ("jetlinks", "GET", QUERY_URL, b"", None, False, jl),
        rows[3][0]: ("jetlinks", "GET", QUERY_URL, b"", None, True, jl),
        rows[5][0]: ("piemdm", "GET", QUERY_URL, b"", NONCE, False, pm),
        rows[6][0]: ("piemdm", "GET", QUERY_URL, b"", NONCE, True, pm),
        rows[7][0]: ("piemdm", "POST", "/openapi/v1/x", JSON_BODY, NONCE, True, pm),
    }
    budget_rows = [rows[0][0], rows[2][0], rows[5][0]]

    def core_s(name: str) -> float:
        """Seconds per call of the core alone, one round (about as long as a native round)."""
        scheme, m, u, b, nonce, reuse, params = core_inputs[name]
        n = 20_000 if not QUICK else 2_000
        return _native._bench_core(scheme, m, u, b, TS_MS, nonce, n, reuse, **params) * 1e-9

    budget = []
    print(f"{'case':44} {'core':>9} {'native':>9} {'python':>9} {'speedup':>8} {'rounds':>11}  target")
    verdicts: dict = {}
    rows_ref: Dict[str, float] = {}
    notes = []
    for name, native, reference, target in rows:
        if "message only" in name:
            assert native() == reference()
        else:
            check_same(native, reference)
        core_fn = (lambda name=name: core_s(name)) if name in core_inputs else None
        n, r, lo, hi, over = measure(native, reference, core_fn)
        speedup = r / n
        if target:
            ok = speedup >= target
            verdicts.setdefault(name.split()[0], []).append((target, speedup, ok))
            tgt = f">= {target:g}x {'PASS' if ok else 'MISS'}"
        else:
            tgt = "(no target)"
        core = min(c for _, c in over) if over else None
        core_text = f"{core * 1e6:7.2f}us" if core is not None else f"{'-':>9}"
        print(f"{name:44} {core_text} {n * 1e6:7.2f}us {r * 1e6:7.2f}us {speedup:7.1f}x {lo:5.1f}-{hi:4.1f}x  {tgt}")
        if name in budget_rows and over:
            budget.append((name, sorted(n_i - c_i for n_i, c_i in over), speedup))
        rows_ref[name] = r
        if name in floors:
            f = native_only(floors[name]) / 64
            notes.append(f"  {name}: hashing the body alone costs {f * 1e6:.2f}us (OpenSSL), "
                         f"so no implementation can exceed {r / f:.1f}x")

    # The jetlinks raw-body rows are bounded by MD5, which both sides run over the whole body:
    # our MD5 (the md-5 crate, timed through sign_response on 64 copies so call overhead
    # vanishes) against OpenSSL's, and the speedup per body size, to show where >= 2x holds.
    md5_ours = native_only(lambda: jl_signer.sign_response(jl_data, "1")) / 64
    md5_ossl = native_only(lambda: hashlib.md5(jl_data).digest()) / 64
    print(f"\n{'jetlinks POST, speedup by JSON body size':44} {'native':>9} {'python':>9} {'speedup':>8} {'rounds':>11}")
    for size in (64, 256, 512, 1024, 4096):
        body = (b'{"note":"' + b"x" * size)[:size - 2] + b'"}'
        n_fn = lambda body=body: jl_signer.sign("POST", "/api/x", body, content_type="application/json",
                                                timestamp=TS_MS).headers
        r_fn = lambda body=body: ref.jetlinks_sign("POST", "/api/x", body, "application/json", "testId",
                                                   "testSecure", "md5", TS_MS)
        check_same(n_fn, r_fn)
        n, r, lo, hi, _ = measure(n_fn, r_fn)
        print(f"{f'  {size} B':44} {n * 1e6:7.2f}us {r * 1e6:7.2f}us {r / n:7.1f}x {lo:5.1f}-{hi:4.1f}x")
    notes.append(f"  MD5 of the 1 KiB jetlinks input: {md5_ours * 1e6:.2f}us in md-5 (ours), "
                 f"{md5_ossl * 1e6:.2f}us in OpenSSL; with zero call overhead the 1 KiB row could reach "
                 f"{rows_ref['jetlinks POST 1 KiB JSON (reused Signer)'] / md5_ours:.1f}x at most")

    # RSA has no stdlib reference; report the native cost alone.
    lf_signer = linksfield.Signer("k", lf_key)
    n = native_only(lambda: lf_signer.sign_v2("POST", QUERY_URL, JSON_BODY, timestamp=TS_MS, nonce=NONCE))
    print(f"{'linksfield v2 sign, RSA-1024 (native only)':44} {n * 1e6:7.2f}us {'-':>9} {'-':>8}")

    print("\nspeedup = best python / best native over alternating rounds; 'rounds' is the range of")
    print("per-round ratios (wide = a noisy machine).")
    for note in notes:
        print(note)
    print("\nbinding overhead (issue 11: one-shot sign() <= 300 ns over the core, >= 3x the reference):")
    print("  (native - core per interleaved round: median [lowest - highest])")
    for name, diffs, speedup in budget:
        med = diffs[len(diffs) // 2] * 1e9
        ok = med <= 300 and speedup >= 3
        print(f"  {name:44} native - core = {med:6.0f} ns [{diffs[0] * 1e9:.0f} - {diffs[-1] * 1e9:.0f}], "
              f"{speedup:5.1f}x  {'PASS' if ok else 'MISS'}")
    print("\nper scheme (issue 5 targets):")
    for scheme, results in verdicts.items():
        worst = min(results, key=lambda t: t[1] / t[0])
        status = "PASS" if all(ok for _, _, ok in results) else "MISS"
        print(f"  {scheme:9} target >= {worst[0]:g}x  slowest case {worst[1]:.1f}x  {status}")


if __name__ == "__main__":
    main()
