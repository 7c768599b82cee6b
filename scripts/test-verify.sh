#!/usr/bin/env bash
# Server-side verification stage: the Redis nonce-store tests against a real redis-server,
# then every fuzz target for a bounded time. (The verifier's other tests run in
# scripts/test-rust.sh with `cargo test --all-features`.)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/test-redis.sh
scripts/fuzz.sh
