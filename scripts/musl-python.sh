#!/usr/bin/env bash
# Builds a CPython linked against musl (the libc of Alpine and of the musllinux wheel tags) into
# target/musl-python/ and prints the interpreter's path; reused when already built. No Alpine
# image or prebuilt musl Python can be downloaded here, so it is made from what Debian ships:
# musl-gcc (musl-tools) and the upstream source tarballs of Debian's python3.11 and zlib
# (`apt-get source`, so pip can read wheels). About 5 minutes on two cores; release.sh only.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/target/musl-python
check='import zlib, hashlib, json, subprocess, ensurepip' # what pip, venv and the tests need
if [ -x "$out/bin/python3" ] && "$out/bin/python3" -c "$check" 2>/dev/null; then
  echo "$out/bin/python3"; exit 0
fi

command -v musl-gcc >/dev/null || {
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq musl-tools >/dev/null
}
work=$PWD/target/musl-python-build
rm -rf "$work" && mkdir -p "$work/src"
# Source packages from Debian's archive without touching the machine's apt sources.
. scripts/debian-apt.sh
debian_apt "$work/apt" deb-src
(cd "$work/src" && apt-get -qq "${debian_apt_opts[@]}" source --download-only python3.11 zlib >&2 2>/dev/null)
tar -xzf "$work"/src/python3.11_*.orig.tar.gz -C "$work/src"
tar -xf "$work"/src/zlib_*.orig.tar.* -C "$work/src"

# CPython asks the compiler (`-print-multiarch`) and then dpkg-architecture for Debian's multiarch
# folders and would add the glibc headers in /usr/include/x86_64-linux-gnu to a musl build (and
# configure stops when that answer differs from the triplet it detects): a musl compiler has
# no multiarch, so the wrapper answers nothing and dpkg-architecture is hidden.
mkdir -p "$work/bin"
printf '#!/bin/sh\ncase "$1" in -print-multiarch|--print-multiarch) exit 0;; esac\nexec musl-gcc "$@"\n' >"$work/bin/musl-cc"
printf '#!/bin/sh\nexit 1\n' >"$work/bin/dpkg-architecture"
chmod +x "$work"/bin/*
export PATH=$work/bin:$PATH PKG_CONFIG_LIBDIR=$out/lib/pkgconfig
export CC=$work/bin/musl-cc
# -fPIC: the static libz goes into the zlib extension module, a shared object.
(cd "$work"/src/zlib-*/ && CFLAGS="-O2 -fPIC" ./configure --static --prefix="$out" >/dev/null && nice -n 5 make -s -j2 install >/dev/null)
cd "$work"/src/Python-*/
./configure -q --prefix="$out" --disable-test-modules CPPFLAGS="-I$out/include" LDFLAGS="-L$out/lib" >&2
nice -n 5 make -s -j2 >/dev/null 2>"$work/make.log" || { tail -30 "$work/make.log" >&2; exit 1; }
make -s install >/dev/null 2>>"$work/make.log" || { tail -30 "$work/make.log" >&2; exit 1; }
"$out/bin/python3" -c "$check"
rm -rf "$work"
echo "$out/bin/python3"
