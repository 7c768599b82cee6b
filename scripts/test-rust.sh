#!/usr/bin/env bash
# Rust: formatting, lints, unit + vector + property + CLI tests, docs tests, benches compile.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
# A default build (what a downstream user compiles) and the C library's feature set print no
# warnings: clippy's -D warnings does not cover cfg-dependent dead code in the default build.
for features in "" "--no-default-features --features ffi"; do
  # shellcheck disable=SC2086 # $features is a list of flags
  log=$(cargo build --lib $features 2>&1) || { echo "$log"; exit 1; }
  if grep -q '^warning' <<<"$log"; then
    echo "$log"
    echo "test-rust: 'cargo build --lib $features' printed warnings" >&2
    exit 1
  fi
done
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo test --workspace --all-features
# Benchmarks are measured by hand (see README); CI only checks they build and run once.
cargo bench --workspace --no-run --all-features
