#!/usr/bin/env bash
# Rust, every crate of the workspace (core, capi, pyext, cli, tower): formatting, lints, unit + vector
# + property + CLI tests, docs tests, benches compile.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
# The default builds of the core (what a downstream user compiles) and of the C library print
# no warnings: clippy's -D warnings does not cover cfg-dependent dead code in a default build.
for package in apisign apisign-capi; do
  log=$(cargo build -p "$package" --lib 2>&1) || { echo "$log"; exit 1; }
  if grep -q '^warning' <<<"$log"; then
    echo "$log"
    echo "test-rust: 'cargo build -p $package --lib' printed warnings" >&2
    exit 1
  fi
done
# The core stays pure: the bindings' dependencies must never reach it.
if cargo tree -p apisign -e normal --all-features --prefix none | grep -E '^(clap|pyo3|tokio|hyper|axum|tower-service) '; then
  echo "test-rust: the core depends on a binding's or the tower layer's dependencies (see above)" >&2
  exit 1
fi
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo test --workspace --all-features
# Benchmarks are measured by hand (see README). CI checks that they compile through clippy
# --all-targets above; `cargo bench --no-run` would add a release build of every package's
# benches and test harnesses, several minutes on 2 cores, for nothing more.
