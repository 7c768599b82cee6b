#!/usr/bin/env bash
# Rebuilds the static libraries the Go module bundles (go/lib/linux_{amd64,arm64}/libapisign.a)
# and go/lib/manifest.txt (version, source digest, rustc, checksums; go/bundle_test.go checks
# it). Run it when the version or the C ABI changes, and before a release when the sources did
# (release.sh does, by the source digest), not on every commit: each rebuild adds ~2.5 MB to the
# repository. A staticlib is not linked, so the aarch64 build needs only Rust's aarch64 std,
# no cross C toolchain; llvm-strip (rustup's llvm-tools) strips both architectures.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu >/dev/null
rustup component add llvm-tools >/dev/null
strip_tool="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/llvm-strip"

# Build paths would otherwise be embedded in panic locations (this machine's folders).
export RUSTFLAGS="--remap-path-prefix=$PWD=apisign --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=cargo"
version=$(sed -n 's/^#define APISIGN_VERSION_STRING "\(.*\)"$/\1/p' include/apisign.h)
{
  echo "# Written by scripts/build-go-libs.sh; checked by go/bundle_test.go."
  echo "version $version"
  echo "source $(scripts/go-lib-source.sh)"
  echo "rustc $(rustc -V)"
} >go/lib/manifest.txt.new
for pair in amd64:x86_64-unknown-linux-gnu arm64:aarch64-unknown-linux-gnu; do
  goarch=${pair%%:*} triple=${pair#*:}
  # Only the staticlib: with the rlib and cdylib kinds too, cargo skips LTO, and fat LTO is what
  # drops the unused standard library (31 MB -> 9 MB before stripping).
  nice -n 5 cargo rustc --quiet --profile dist -p apisign-capi --lib --crate-type staticlib --target "$triple"
  out=go/lib/linux_$goarch/libapisign.a
  "$strip_tool" --strip-debug -o "$out" "target/$triple/dist/libapisign_capi.a"
  (cd go/lib && sha256sum "linux_$goarch/libapisign.a") >>go/lib/manifest.txt.new
  echo "built $out: $(du -k "$out" | cut -f1) KiB"
done
mv go/lib/manifest.txt.new go/lib/manifest.txt
