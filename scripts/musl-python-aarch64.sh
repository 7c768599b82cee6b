#!/usr/bin/env bash
# Cross-builds a CPython for aarch64 musl into target/musl-python-aarch64/ (run it with
# `qemu-aarch64 -L target/musl-aarch64/sysroot`) and prints the interpreter's path; reused when
# built. No musl aarch64 Python can be downloaded here, so it is made from Debian's sources:
# the upstream tarball of Debian's python3.11 (`apt-get source`), the compiler of
# scripts/musl-aarch64-cc.sh, and the host's python3.11 as the build Python a cross build needs.
# No pip inside (the host's pip installs for it with --target); release.sh only.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/target/musl-python-aarch64
if [ -x "$out/bin/python3.11" ]; then echo "$out/bin/python3.11"; exit 0; fi
cc=$(scripts/musl-aarch64-cc.sh)
build_python=$(command -v python3.11) || { echo "musl-python-aarch64: needs python3.11 on PATH" >&2; exit 1; }

work=$PWD/target/musl-python-aarch64-build
rm -rf "$work" && mkdir -p "$work/src"
. scripts/debian-apt.sh
debian_apt "$work/apt" deb-src
(cd "$work/src" && apt-get -qq "${debian_apt_opts[@]}" source --download-only python3.11 >&2 2>/dev/null)
tar -xzf "$work"/src/python3.11_*.orig.tar.gz -C "$work/src"

cd "$work"/src/Python-*/
# Answers configure cannot find out by running target programs; PKG_CONFIG_LIBDIR keeps the
# host's (glibc) libraries out, so modules needing them (ssl, ctypes…) are skipped.
printf 'ac_cv_file__dev_ptmx=yes\nac_cv_file__dev_ptc=no\nac_cv_buggy_getaddrinfo=no\n' >"$work/config.site"
CONFIG_SITE=$work/config.site PKG_CONFIG_LIBDIR=$work/none ./configure -q --host=aarch64-linux-musl \
  --build="$(./config.guess)" --with-build-python="$build_python" --prefix="$out" \
  --disable-test-modules --without-ensurepip CC="$cc" READELF=aarch64-linux-gnu-readelf \
  AR=aarch64-linux-gnu-ar RANLIB=aarch64-linux-gnu-ranlib >&2
nice -n 5 make -s -j2 >/dev/null 2>"$work/make.log" || { tail -30 "$work/make.log" >&2; exit 1; }
make -s install >/dev/null 2>>"$work/make.log" || { tail -30 "$work/make.log" >&2; exit 1; }
rm -rf "$work"
echo "$out/bin/python3.11"
