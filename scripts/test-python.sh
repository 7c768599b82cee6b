#!/usr/bin/env bash
# Python: build and install the package the way users do (`pip install .`, which builds the
# abi3 wheel with maturin; CPython >= 3.10), then run pytest (vectors, hypothesis vs the pure-Python reference,
# end-to-end adapters, the ASGI/WSGI middleware under real servers) and `mypy --strict` on the
# package and the tests. Idempotent; works on a fresh machine with python3 and cargo.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "test-python: apt-get install python3-venv"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip >/dev/null
fi
# tests/python/test_nonce_stores.py starts real redis-server processes (single and cluster);
# the middleware's replay test shares one between two server processes.
if ! command -v redis-server >/dev/null; then
  echo "test-python: apt-get install redis-server"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
VPY=.venv/bin/python
"$VPY" -m pip install -q --upgrade pip
# The middleware tests run real servers: Starlette and FastAPI under uvicorn, Flask under waitress.
MW_DEPS=(starlette fastapi uvicorn flask waitress)
"$VPY" -m pip install -q maturin pytest hypothesis mypy requests httpx types-requests types-waitress "${MW_DEPS[@]}"

# A `maturin develop` build leaves the extension next to the sources; never ship it.
rm -f python/apisign/_native*.so
"$VPY" -m pip install -q --force-reinstall --no-deps .
"$VPY" -c 'import apisign, sys; print("test-python: apisign", apisign.__version__, "on", sys.version.split()[0], "from", apisign.__file__)'

"$VPY" -m pytest -q tests/python
"$VPY" -m mypy
# The hand-written stub must match the built module: names, parameters, defaults.
# (PEP 800 disjoint-base markers are not needed by any type checker we target.)
"$VPY" -m mypy.stubtest --ignore-disjoint-bases apisign._native

# The abi3 wheel (abi3-py310) on the oldest CPython it supports, 3.10, and the newest this
# machine has: one wheel must import and pass on both. 3.10 comes from pyenv when present,
# else from uv (`uv python install 3.10`), so a fresh machine tests it too.
py310=$(ls -d "$HOME"/.pyenv/versions/3.10.*/bin/python 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$py310" ]; then
  "$VPY" -m pip install -q uv
  .venv/bin/uv python install 3.10
  py310=$(.venv/bin/uv python find 3.10)
fi
newest=$(ls -d "$HOME"/.pyenv/versions/3.*/bin/python 2>/dev/null | sort -V | tail -1 || true)
others=("$py310")
[ -n "$newest" ] && [ "$newest" != "$py310" ] && others+=("$newest")
rm -rf target/wheels
.venv/bin/maturin build --release -q -o target/wheels
for p in "${others[@]}"; do
  venv="target/pyvenv-$("$p" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  [ -x "$venv/bin/python" ] || "$p" -m venv "$venv"
  "$venv/bin/python" -m pip install -q pytest hypothesis requests httpx "${MW_DEPS[@]}"
  "$venv/bin/python" -m pip install -q --force-reinstall --no-deps target/wheels/*.whl
  echo "test-python: abi3 wheel on $("$venv/bin/python" --version)"
  "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/python
done
