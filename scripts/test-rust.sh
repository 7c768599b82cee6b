#!/usr/bin/env bash
# Rust: formatting, lints, unit + vector + property + CLI tests, docs tests, benches compile.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --all-targets --all-features -- -D warnings
cargo test --all-features
# Benchmarks are measured by hand (see README); CI only checks they build and run once.
cargo bench --no-run --all-features
