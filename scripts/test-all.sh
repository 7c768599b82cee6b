#!/usr/bin/env bash
# Runs every test of every surface. This is the README's test command and what .ci/run runs.
# Each stage installs what it needs itself (see scripts/setup.sh), so a fresh machine works.
# Each stage's time is printed at the end: CI must stay under 60 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

times=()
stage() {
  local start=$SECONDS
  "$1"
  times+=("$(printf '%5d s  %s' $((SECONDS - start)) "$1")")
}

stage scripts/setup.sh
stage scripts/test-rust.sh
stage scripts/test-parity-spring.sh
stage scripts/test-parity-jackson.sh
stage scripts/test-verify.sh
stage scripts/test-c.sh
stage scripts/test-go.sh
stage scripts/test-python.sh

echo "== time per stage"
printf '%s\n' "${times[@]}"
printf '%5d s  in all\n' "$SECONDS"
echo "all stages passed"
