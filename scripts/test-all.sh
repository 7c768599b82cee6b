#!/usr/bin/env bash
# Runs every test of every surface. This is the README's test command and what .ci/run runs.
# Each stage installs what it needs itself (see scripts/setup.sh), so a fresh machine works.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/test-rust.sh
scripts/test-parity-spring.sh
scripts/test-parity-jackson.sh
scripts/test-verify.sh
scripts/test-c.sh
scripts/test-go.sh
scripts/test-python.sh

echo "all stages passed"
