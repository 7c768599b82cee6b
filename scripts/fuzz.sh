#!/usr/bin/env bash
# Fuzzes every parser (query strings both flavours, form bodies, headers, RSA keys, linksfield
# JSON, whole verify calls on random and on validly signed requests, CLI header and NAME=VALUE
# flags, JetLinks response signatures) with cargo-fuzz for a bounded time each, and fails on any crash.
# FUZZ_SECONDS per target (default 20; 11 targets ≈ 4 minutes after the build).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-20}
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

cd fuzz
cargo +nightly fuzz build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in $(cargo +nightly fuzz list); do
  # A scratch corpus seeded from fuzz/seeds, so runs never write into the repository.
  mkdir -p "$work/$target"
  cp -r "seeds/$target/." "$work/$target/" 2>/dev/null || true
  echo "fuzz: $target for ${seconds}s"
  status=0
  cargo +nightly fuzz run "$target" "$work/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    >"$work/$target.log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$work/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$work/$target.log" >&2
    echo "fuzz: $target FAILED (exit $status); reproducer in fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
echo "fuzz: all targets ran ${seconds}s without a crash"
