#!/usr/bin/env bash
# The aarch64 artifacts run on aarch64 (emulated by qemu-user, from apt): Debian's arm64
# CPython and C library (downloaded with apt into target/arm64-sysroot/, not installed) run the
# manylinux2014 aarch64 wheel's vector and API tests, and a linux/arm64 Go test binary linked
# with the bundled go/lib/linux_arm64/libapisign.a (cgo with zig as the cross C compiler) runs
# the Go vectors and checks the library's version. Slow (emulation): release.sh only.
# Usage: scripts/test-aarch64.sh dist/wheels/apisign-…-manylinux_2_17_aarch64….whl ZIG
set -euo pipefail
wheel=$(realpath "$1") zig=$2
cd "$(dirname "$0")/.."
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin
command -v qemu-aarch64 >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user >/dev/null
}

sysroot=$PWD/target/arm64-sysroot
if [ ! -x "$sysroot/usr/bin/python3.11" ]; then
  apt=$PWD/target/arm64-apt
  rm -rf "$apt" "$sysroot"
  mkdir -p "$sysroot"
  # A private apt state (no installed packages, arm64 only): downloads python3.11 and its whole
  # dependency closure, C library included, without touching the machine's dpkg.
  . scripts/debian-apt.sh
  debian_apt "$apt" deb arm64
  apt-get -qq "${debian_apt_opts[@]}" install --download-only -y python3.11 >/dev/null
  for deb in "$apt"/cache/archives/*.deb; do dpkg -x "$deb" "$sysroot"; done
  rm -rf "$apt"
fi
arm() { qemu-aarch64 -L "$sysroot" "$@"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== aarch64 Python: $(basename "$wheel")"
# pip (host) installs the wheel for that platform; the arm64 interpreter runs from there.
scripts/stage-wheel-tests.sh "$wheel" manylinux2014_aarch64 "$tmp"
(cd "$tmp/tests/python" && PYTHONPATH=$tmp/site arm "$sysroot/usr/bin/python3.11" -c \
  'import platform, apisign._native as n; print(platform.machine(), "imports", n.__file__)')
(cd "$tmp/tests/python" && PYTHONPATH=$tmp/site arm "$sysroot/usr/bin/python3.11" -m pytest -q \
  -p no:cacheprovider test_vectors.py test_api.py test_rejections.py test_verify.py)

echo "== aarch64 Go: bundled go/lib/linux_arm64/libapisign.a"
(cd go && CGO_ENABLED=1 GOARCH=arm64 CC="$zig cc -target aarch64-linux-gnu" \
  go test -c -o "$tmp/apisign.test" .)
file "$tmp/apisign.test" | grep -q 'ARM aarch64'
(cd go && arm "$tmp/apisign.test" -test.count=1 -test.v \
  -test.run '^(TestEveryVector|TestVersionMatchesCargoToml|TestEveryCodeHasASentinel)$' |
  tee "$tmp/go.log" | grep -E '^(--- |ok|PASS|FAIL)')
[ "$(grep -c '^--- PASS' "$tmp/go.log")" = 3 ] ||
  { echo "test-aarch64: Go tests did not all pass" >&2; exit 1; }
echo "aarch64 proof passed"
