#!/usr/bin/env bash
# Installs the C library under PREFIX (default /usr/local) with cargo-c:
#   lib/libapisign.so.<sover> (+ symlinks), lib/libapisign.a, include/apisign.h,
#   lib/pkgconfig/apisign.pc (shared) and apisign-static.pc (static),
#   lib/cmake/apisign/ (find_package(apisign CONFIG): apisign::apisign, apisign::apisign_static).
# The .pc and CMake files locate the prefix from their own folder, so the tree can be moved.
#   scripts/install-c.sh /usr/local
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$(realpath -m "${1:-/usr/local}")

# cargo-c from crates.io (Debian's 0.9.14 is older than this lockfile's format). The newest
# release needs rustc 1.97; 0.10.24 is the newest that builds with the pinned toolchain.
# Compiling it takes minutes (it links cargo), so an installed one is reused.
cargo_c_version=0.10.24+cargo-0.98.0
if ! cargo cinstall --version 2>/dev/null | grep -q "${cargo_c_version%%+*}"; then
  echo "install-c: cargo install cargo-c $cargo_c_version (once; several minutes)"
  nice -n 5 cargo install --quiet --locked cargo-c --version "=$cargo_c_version"
fi

# APISIGN_C_TARGET cross-builds (scripts/release.sh: aarch64 with zig as the linker).
target_args=()
[ -n "${APISIGN_C_TARGET:-}" ] && target_args=(--target "$APISIGN_C_TARGET")
nice -n 5 cargo cinstall --release -p apisign-capi "${target_args[@]}" \
  --prefix "$prefix" --libdir "$prefix/lib"

version=$(sed -n 's/^#define APISIGN_VERSION_STRING "\(.*\)"$/\1/p' include/apisign.h)
major=${version%%.*} rest=${version#*.}
minor=${rest%%.*}
soname=$(readelf -d "$prefix/lib/libapisign.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
pc=$prefix/lib/pkgconfig

# Relocatable: the prefix is found from the .pc file's folder (lib/pkgconfig/../..).
sed -i 's|^prefix=.*|prefix=${pcfiledir}/../..|' "$pc/apisign.pc"
# Static linking gets its own .pc: with both libraries in libdir, `-lapisign` picks the shared
# one even with --static. It names libapisign_static.a (a link to libapisign.a) through -l, not
# as a path, so CMake's pkg_check_modules(IMPORTED_TARGET) links it after the program's objects.
ln -sf libapisign.a "$prefix/lib/libapisign_static.a"
# It is cargo-c's apisign.pc with the private libraries made public.
libs_private=$(sed -n 's/^Libs.private: //p' "$pc/apisign.pc")
sed -e 's/^Name: apisign$/Name: apisign-static/' -e '/^Libs.private:/d' \
  -e "s|^Libs: .*|Libs: -L\${libdir} -lapisign_static $libs_private|" "$pc/apisign.pc" >"$pc/apisign-static.pc"

mkdir -p "$prefix/lib/cmake/apisign"
sed "s|@APISIGN_SONAME@|$soname|" capi/cmake/apisign-config.cmake >"$prefix/lib/cmake/apisign/apisign-config.cmake"
sed -e "s|@APISIGN_VERSION@|$version|" -e "s|@APISIGN_VERSION_MAJOR@|$major|g" \
  -e "s|@APISIGN_VERSION_MINOR@|$minor|g" capi/cmake/apisign-config-version.cmake \
  >"$prefix/lib/cmake/apisign/apisign-config-version.cmake"
echo "install-c: apisign $version installed in $prefix ($soname)"
