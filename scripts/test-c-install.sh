#!/usr/bin/env bash
# Proof that the C library installs as users get it (issue #12): scripts/install-c.sh (cargo-c)
# into a temporary prefix, which is then moved (the .pc and CMake files must follow it); the
# SONAME, symlinks, archive, header and .pc files are checked; the README example is built from
# another folder with pkg-config (shared, and static through apisign-static) and with CMake
# (find_package(apisign CONFIG), shared and static, and pkg_check_modules IMPORTED_TARGET) and
# run; the vector program runs on the installed shared library under valgrind.
#   scripts/test-c-install.sh [dist/apisign-c-<version>-linux-x86_64.tar.gz]
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -gt 0 ]; then # a release tarball (scripts/release.sh) instead of installing
  mkdir "$tmp/first" && tar -xzf "$1" -C "$tmp/first" --strip-components=1
else
  start=$(date +%s)
  scripts/install-c.sh "$tmp/first"
  echo "test-c-install: install took $(($(date +%s) - start)) s"
fi
prefix=$tmp/moved/prefix
mkdir -p "$tmp/moved" && mv "$tmp/first" "$prefix"

echo "== installed files"
lib=$prefix/lib
soname=$(readelf -d "$lib/libapisign.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[[ $soname =~ ^libapisign\.so\.[0-9]+(\.[0-9]+)?$ ]] || { echo "SONAME: '$soname'" >&2; exit 1; }
[ -L "$lib/libapisign.so" ] && [ -e "$lib/$soname" ] && [ -f "$lib/libapisign.a" ]
[ -f "$prefix/include/apisign.h" ] && cmp "$prefix/include/apisign.h" include/apisign.h
ls -l "$lib" | grep apisign
grep -rn "$tmp/first" "$lib/pkgconfig" "$lib/cmake" && { echo "install paths are not relocatable" >&2; exit 1; }

proj=$tmp/project bin=$tmp/project/bin
mkdir -p "$proj" "$bin" "$tmp/vectors"
cp tests/c/example.c tests/c/test_vectors.c tests/c/*.h "$proj/"
cp tests/vectors/*.json "$tmp/vectors/"
cd "$proj"
export PKG_CONFIG_PATH=$lib/pkgconfig
want=$'X-Client-Id: testId\r\nX-Timestamp: 1574993804802\r\nX-Sign: 837fe7fa29e7a5e4852d447578269523\r'
runs() { # binary shared|static
  local got linked found
  got=$("$1")
  [ "$got" = "$want" ] || { echo "$1 printed: $got" >&2; exit 1; }
  linked=$(ldd "$1")
  if [ "$2" = shared ]; then # the installed library, however the path to it is spelled
    found=$(sed -n "s|.*$soname => \(.*\) (0x.*|\1|p" <<<"$linked")
    [ -n "$found" ] && [ "$(realpath "$found")" = "$(realpath "$lib/$soname")" ]
  else
    ! grep -q libapisign <<<"$linked"
  fi
  echo "test-c-install: $(basename "$1") ($2) ok"
}

echo "== pkg-config"
# shellcheck disable=SC2046
cc -o "$bin/pc_shared" example.c $(pkg-config --cflags --libs apisign) -Wl,-rpath,"$(pkg-config --variable=libdir apisign)"
runs "$bin/pc_shared" shared
# shellcheck disable=SC2046
cc -o "$bin/pc_static" example.c $(pkg-config --cflags --libs --static apisign-static)
runs "$bin/pc_static" static

echo "== CMake"
cat >CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(apisign_user C)
find_package(apisign 0.1 CONFIG REQUIRED)
add_executable(cmake_shared example.c)
target_link_libraries(cmake_shared PRIVATE apisign::apisign)
add_executable(cmake_static example.c)
target_link_libraries(cmake_static PRIVATE apisign::apisign_static)
find_package(PkgConfig REQUIRED)
pkg_check_modules(APISIGN_STATIC REQUIRED IMPORTED_TARGET apisign-static)
add_executable(cmake_pkgconfig_static example.c)
target_link_libraries(cmake_pkgconfig_static PRIVATE PkgConfig::APISIGN_STATIC)
CMAKE
cmake -S . -B build -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build >/dev/null
runs build/cmake_shared shared
runs build/cmake_static static
runs build/cmake_pkgconfig_static static

echo "== vectors on the installed shared library, under valgrind"
# shellcheck disable=SC2046
cc -std=c11 -g -O1 -o "$bin/test_vectors" test_vectors.c $(pkg-config --cflags --libs apisign) \
  -Wl,-rpath,"$lib" -ljansson -lpthread
ldd "$bin/test_vectors" | grep "$soname"
valgrind --quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
  --error-exitcode=1 "$bin/test_vectors" "$tmp/vectors"
echo "C install proof passed"
