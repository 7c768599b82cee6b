#!/usr/bin/env bash
# Prints one digest of the sources the Go module's bundled libraries are built from (the core,
# the C ABI crate, manifests and lockfile, as they are in the working tree). build-go-libs.sh
# records it in go/lib/manifest.txt; release.sh rebuilds the libraries when it differs, so a
# fix in the core reaches `go get` users even when the version did not change.
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z src capi/src capi/Cargo.toml capi/build.rs capi/cbindgen.toml Cargo.toml Cargo.lock |
  sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
