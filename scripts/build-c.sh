#!/usr/bin/env bash
# Build the C library: static + shared library, header and pkg-config file in target/c/
# (override with APISIGN_C_OUT). Building never needs cbindgen: the header is committed.
#   scripts/build-c.sh && export PKG_CONFIG_PATH=$PWD/target/c
#   cc app.c $(pkg-config --cflags --libs apisign)            # shared
#   cc app.c $(pkg-config --cflags --libs apisign-static)     # static (libapisign.a)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${APISIGN_C_OUT:-$PWD/target/c}
cargo build --release -p apisign-capi --lib
mkdir -p "$out/include" "$out/lib"
# The crate is apisign-capi (library apisign_capi); C users link it as libapisign (its SONAME,
# set in capi/build.rs), as `cargo cinstall -p apisign-capi` installs it.
cp target/release/libapisign_capi.a "$out/lib/libapisign.a"
version=$(sed -n 's/^#define APISIGN_VERSION_STRING "\(.*\)"$/\1/p' include/apisign.h)
# The SONAME capi/build.rs sets (cargo-c's): libapisign.so.<major>, or .so.0.<minor> before 1.0.
sover=${version%%.*}
[ "$sover" = 0 ] && sover=0.$(cut -d. -f2 <<<"$version")
cp target/release/libapisign_capi.so "$out/lib/libapisign.so.$sover"
ln -sf "libapisign.so.$sover" "$out/lib/libapisign.so"
cp include/apisign.h "$out/include/"

# System libraries a Rust staticlib needs on Linux (`cargo rustc -- --print native-static-libs`).
cat >"$out/apisign.pc" <<PC
prefix=$out
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: apisign
Description: Sign HTTP API requests for Lovrabet, JetLinks, PieMDM and Linksfield Cube
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lapisign
Libs.private: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
PC
# The linker prefers the .so for -lapisign, so static linking gets its own .pc naming the archive.
cat >"$out/apisign-static.pc" <<PC
prefix=$out
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: apisign-static
Description: apisign, linked statically
Version: $version
Cflags: -I\${includedir}
Libs: \${libdir}/libapisign.a -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
PC
echo "built $out: lib/libapisign.a lib/libapisign.so.$sover include/apisign.h apisign.pc apisign-static.pc"
