#!/usr/bin/env bash
# For running a foreign wheel's tests under an interpreter that has no pip (emulated, or built
# here): the host's pip installs WHEEL into DIR/site for PLATFORM and CPython 3.11 (pip itself
# checks the wheel's tag fits), with pytest, and DIR/tests gets a copy of tests/python and
# tests/vectors, so the tests run outside the source tree:
#   cd DIR/tests/python && PYTHONPATH=DIR/site python3.11 -m pytest …
# Usage: scripts/stage-wheel-tests.sh WHEEL PLATFORM DIR   (e.g. manylinux2014_aarch64)
set -euo pipefail
wheel=$(realpath "$1") platform=$2 dir=$(realpath "$3")
cd "$(dirname "$0")/.."
pip=(python3 -m pip install -q --root-user-action=ignore --target "$dir/site" --python-version 3.11
  --only-binary=:all:)
"${pip[@]}" --no-deps --platform "$platform" --implementation cp "$wheel"
"${pip[@]}" pytest
mkdir -p "$dir/tests"
cp -r tests/python tests/vectors "$dir/tests/"
