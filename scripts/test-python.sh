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

# The wheel users install (issue #12): abi3 (CPython >= 3.10), manylinux2014 (glibc 2.17, linked
# with zig from the `ziglang` package, so it installs on old distributions) for x86_64, plus the
# sdist; twine checks both, auditwheel confirms the tag. The wheel then installs and passes
# pytest in a fresh venv on every CPython >= 3.10 on the machine (pyenv's; uv provides 3.10 on a
# machine without them), and a wheel built from the sdist passes too. scripts/release.sh builds
# the other wheels (aarch64, musllinux_1_2).
"$VPY" -m pip install -q ziglang twine auditwheel
rm -rf target/wheels
PATH=$PWD/.venv/bin:$PATH .venv/bin/maturin build --release -q --zig --compatibility manylinux2014 \
  --target x86_64-unknown-linux-gnu -o target/wheels
.venv/bin/maturin sdist -o target/wheels >/dev/null
.venv/bin/twine check --strict target/wheels/*
wheel=$(ls target/wheels/apisign-*-cp310-abi3-*manylinux2014_x86_64*.whl)
.venv/bin/auditwheel show "$wheel" | tee target/wheels/auditwheel.txt
grep -q '"manylinux_2_17_x86_64"' target/wheels/auditwheel.txt

pythons=$(ls -d "$HOME"/.pyenv/versions/3.*/bin/python 2>/dev/null | sort -V || true)
pythons=$(for p in $pythons; do "$p" -c 'import sys; sys.exit(sys.version_info < (3, 10))' && echo "$p"; done)
if [ -z "$pythons" ]; then
  "$VPY" -m pip install -q uv
  .venv/bin/uv python install 3.10 3.13
  pythons="$(.venv/bin/uv python find 3.10) $(.venv/bin/uv python find 3.13)"
fi
fresh_venv_test() { # python wheel-or-sdist label
  local venv
  venv="target/pyvenv-$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  rm -rf "$venv" && "$1" -m venv "$venv"
  "$venv/bin/python" -m pip install -q pytest hypothesis requests httpx "${MW_DEPS[@]}"
  "$venv/bin/python" -m pip install -q "$2"
  echo "test-python: $3 on $("$venv/bin/python" --version)"
  "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/python
}
for p in $pythons; do fresh_venv_test "$p" "$wheel" "manylinux2014 wheel"; done
# The sdist builds its own wheel (maturin from PyPI, cargo) in the newest interpreter's venv.
newest=$(tail -1 <<<"$pythons")
fresh_venv_test "$newest" "$(ls target/wheels/apisign-*.tar.gz)" "wheel built from the sdist"
