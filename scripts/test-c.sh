#!/usr/bin/env bash
# C ABI: header freshness, build of the static + shared library and pkg-config files, then the
# C tests (every vector case + error paths) plain, under valgrind, and under ASan/UBSan, the
# README example linked against the shared library through pkg-config, and the install proof
# (scripts/test-c-install.sh: cargo-c, pkg-config, CMake).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in libjansson-dev pkg-config valgrind gcc cmake; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "test-c: apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "== header is fresh"
cargo test --quiet -p apisign-capi --test header

echo "== build library"
scripts/build-c.sh
out=$PWD/target/c
export PKG_CONFIG_PATH=$out
bin=$out/tests
mkdir -p "$bin"
CFLAGS=(-std=c11 -g -Wall -Wextra -Werror)
STATIC=$(pkg-config --cflags --libs apisign-static)

build() { # name extra-flags...
  local name=$1; shift
  # shellcheck disable=SC2086
  cc "${CFLAGS[@]}" "$@" -o "$bin/$name" "tests/c/${name%%.*}.c" $STATIC -ljansson -lpthread
}

echo "== C tests (static library)"
build test_vectors -O1
build test_errors -O1
"$bin/test_vectors" tests/vectors
"$bin/test_errors"

echo "== C tests under valgrind"
VG=(valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all
  --error-exitcode=1)
"${VG[@]}" "$bin/test_vectors" tests/vectors
"${VG[@]}" "$bin/test_errors"

echo "== C tests under ASan/UBSan"
SAN=(-O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
cc "${CFLAGS[@]}" "${SAN[@]}" -o "$bin/test_vectors.san" tests/c/test_vectors.c $STATIC -ljansson -lpthread
cc "${CFLAGS[@]}" "${SAN[@]}" -o "$bin/test_errors.san" tests/c/test_errors.c $STATIC -ljansson -lpthread
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$bin/test_vectors.san" tests/vectors
"$bin/test_errors.san"

echo "== README example against the shared library (pkg-config apisign)"
# shellcheck disable=SC2046
cc "${CFLAGS[@]}" -o "$bin/example" tests/c/example.c $(pkg-config --cflags --libs apisign) \
  -Wl,-rpath,"$(pkg-config --variable=libdir apisign)"
# (no grep -q: with pipefail, ldd would die of SIGPIPE when grep exits early)
ldd "$bin/example" | grep libapisign.so
# The shared library is found by its installed name, not the crate's (libapisign_capi.so).
readelf -d "$out/lib/libapisign.so" | grep -E 'SONAME.*\[libapisign\.so\.[0-9.]+\]'
got=$("$bin/example")
want=$'X-Client-Id: testId\r\nX-Timestamp: 1574993804802\r\nX-Sign: 837fe7fa29e7a5e4852d447578269523\r'
[ "$got" = "$want" ] || { echo "example printed: $got" >&2; exit 1; }

echo "== install with cargo-c and build from another folder (pkg-config, CMake)"
scripts/test-c-install.sh

echo "C stage passed"
