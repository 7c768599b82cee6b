#!/usr/bin/env bash
# Sets up a C compiler for aarch64 musl (the libc of Alpine and of the musllinux aarch64 tags)
# in target/musl-aarch64/ and prints its path; reused when present. Made from what Debian ships:
# its aarch64 cross gcc (gcc-aarch64-linux-gnu) and its arm64 musl and musl-dev packages
# (downloaded with a private apt state into the sysroot, not installed). The sysroot also serves
# qemu-aarch64 -L as the root that holds /lib/ld-musl-aarch64.so.1.
# The compiler links against a copy of musl's libc.so that carries Alpine's soname
# libc.musl-aarch64.so.1 (the libc the musllinux tags name; musl's loader maps any libc.* to
# itself), and finds `-lgcc_s` (what Rust asks for when maturin turns off crt-static) as a
# linker script naming Rust's own static LLVM libunwind: Debian has libgcc_s only for glibc.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/target/musl-aarch64
cc=$out/bin/cc
if [ -x "$cc" ]; then echo "$cc"; exit 0; fi

command -v aarch64-linux-gnu-gcc >/dev/null && command -v patchelf >/dev/null || {
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc-aarch64-linux-gnu patchelf >/dev/null
}
rm -rf "$out" && mkdir -p "$out/apt" "$out/sysroot" "$out/link" "$out/bin"
. scripts/debian-apt.sh
debian_apt "$out/apt" deb arm64
# `download` takes just these two (musl-dev would pull a whole arm64 gcc as dependencies).
(cd "$out/apt" && apt-get -qq "${debian_apt_opts[@]}" download musl musl-dev >&2)
for deb in "$out"/apt/*.deb; do dpkg -x "$deb" "$out/sysroot"; done
rm -rf "$out/apt"

lib=$out/sysroot/usr/lib/aarch64-linux-musl
# Debian's specs file names /usr paths; point it at the private sysroot.
sed "s|/usr/|$out/sysroot/usr/|g" "$lib/musl-gcc.specs" >"$out/musl-gcc.specs"
# (musl-dev's usr/lib/…/libc.so is an absolute symlink to this file, dangling in a sysroot.)
cp "$out/sysroot/lib/aarch64-linux-musl/libc.so" "$out/link/libc.so"
patchelf --set-soname libc.musl-aarch64.so.1 "$out/link/libc.so"
printf 'INPUT(%s)\n' "$(rustc --print sysroot)/lib/rustlib/aarch64-unknown-linux-musl/lib/self-contained/libunwind.a" \
  >"$out/link/libgcc_s.so"
# A musl compiler has no Debian multiarch folder (CPython's configure asks, and would otherwise
# stop on the mismatch with the musl triplet it detects).
cat >"$cc" <<EOF
#!/bin/sh
case "\$1" in -print-multiarch|--print-multiarch) exit 0;; esac
exec aarch64-linux-gnu-gcc -L$out/link "\$@" -specs $out/musl-gcc.specs
EOF
chmod +x "$cc"
echo "$cc"
