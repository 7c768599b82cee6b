#!/usr/bin/env bash
# Proof that a musllinux wheel works under a real musl CPython (scripts/musl-python.sh): in a
# fresh venv of that interpreter, pip installs the wheel (pip itself decides the wheel's tag
# fits this musl), then pytest runs the vectors and the API tests that need nothing beyond the
# standard library, from a copy of the tests outside the source tree.
# Usage: scripts/test-musl-wheel.sh dist/wheels/apisign-…-musllinux_1_2_x86_64.whl
set -euo pipefail
wheel=$(realpath "$1")
cd "$(dirname "$0")/.."
mpy=$(scripts/musl-python.sh)
"$mpy" -c 'import sys; print("musl python:", sys.version.split()[0])'
echo "musl libc: $(/lib/ld-musl-x86_64.so.1 2>&1 | sed -n 2p)" # (it exits 1 after its usage)
interp=$(readelf -l "$mpy")
grep -q 'interpreter: /lib/ld-musl-x86_64.so.1' <<<"$interp" ||
  { echo "test-musl-wheel: $mpy is not a musl program" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$mpy" -m venv "$tmp/venv"
# That interpreter has no ssl module (nothing here needs it): pytest and its dependencies
# (pure-Python wheels) come from a wheelhouse the host's pip fills for the same Python version.
pyver=$("$mpy" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
python3 -m pip download -q --only-binary=:all: --python-version "$pyver" -d "$tmp/wheelhouse" pytest
"$tmp/venv/bin/python" -m pip install -q --no-index --find-links "$tmp/wheelhouse" "$wheel" pytest
cp -r tests/python tests/vectors "$tmp/"
mkdir "$tmp/tests" && mv "$tmp/python" "$tmp/vectors" "$tmp/tests/"
cd "$tmp/tests/python"
"$tmp/venv/bin/python" -c 'import apisign, apisign._native as n; print("imports", apisign.__version__, "from", n.__file__)'
"$tmp/venv/bin/python" -m pytest -q -p no:cacheprovider test_vectors.py test_api.py \
  test_arguments.py test_one_shot.py test_rejections.py test_replay_window.py test_verify.py
