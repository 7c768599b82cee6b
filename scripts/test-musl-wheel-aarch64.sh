#!/usr/bin/env bash
# Proof that the musllinux aarch64 wheel works on aarch64 musl: the host's pip installs it for
# that platform into a folder (pip checks the tag fits musllinux_1_2 aarch64 CPython 3.11), with
# pytest, and the musl aarch64 CPython of scripts/musl-python-aarch64.sh, under qemu-user with
# Debian's arm64 musl as the root, imports it and runs the vectors and API tests from a copy of
# the tests outside the source tree. Slow (emulation): release.sh only.
# Usage: scripts/test-musl-wheel-aarch64.sh dist/wheels/apisign-…-musllinux_1_2_aarch64.whl
set -euo pipefail
wheel=$(realpath "$1")
cd "$(dirname "$0")/.."
command -v qemu-aarch64 >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user >/dev/null
}
mpy=$(scripts/musl-python-aarch64.sh)
sysroot=$PWD/target/musl-aarch64/sysroot
grep -q 'interpreter: /lib/ld-musl-aarch64.so.1' <<<"$(readelf -l "$mpy")" ||
  { echo "test-musl-wheel-aarch64: $mpy is not an aarch64 musl program" >&2; exit 1; }
[ -z "$(find "$sysroot" -name 'libc.so.6')" ] || { echo "glibc in $sysroot" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scripts/stage-wheel-tests.sh "$wheel" musllinux_1_2_aarch64 "$tmp"
cd "$tmp/tests/python"
export PYTHONPATH=$tmp/site
qemu-aarch64 -L "$sysroot" "$mpy" -c 'import platform, sys, apisign, apisign._native as n
print(platform.machine(), "python", sys.version.split()[0], "imports apisign", apisign.__version__, "from", n.__file__)'
qemu-aarch64 -L "$sysroot" "$mpy" -m pytest -q -p no:cacheprovider test_vectors.py test_api.py \
  test_arguments.py test_one_shot.py test_rejections.py test_replay_window.py test_verify.py
echo "musllinux aarch64 proof passed"
