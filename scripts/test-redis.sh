#!/usr/bin/env bash
# Runs the Redis nonce-store tests (feature `redis`) against a real, throw-away redis-server:
# installs the Debian package if missing, starts it on 127.0.0.1 on a free port without
# persistence, and stops it on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null; then
  echo "test-redis: apt-get install redis-server"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

# A free port: one that refuses a connection (bash's /dev/tcp, no extra tools needed).
port=""
for _ in $(seq 100); do
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "test-redis: no free port found" >&2; exit 1; }
dir=$(mktemp -d)
# DEBUG SLEEP (local connections only) lets a test hang the server on purpose.
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
  --enable-debug-command local \
  --dir "$dir" --daemonize no --loglevel warning >"$dir/redis.log" 2>&1 &
redis_pid=$!
cleanup() {
  kill "$redis_pid" 2>/dev/null || true
  wait "$redis_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

for _ in $(seq 50); do
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$port" ping | grep -q PONG || { cat "$dir/redis.log"; exit 1; }

export APISIGN_REDIS_URL="redis://127.0.0.1:$port/0"
# --nocapture: a skipped test would print its skip message; assert none did.
out=$(cargo test --features redis --test verify_redis -- --nocapture 2>&1) || { echo "$out"; exit 1; }
echo "$out" | grep -E '^test |test result'
if echo "$out" | grep -q "skipping the Redis test"; then
  echo "test-redis: a Redis test was skipped although APISIGN_REDIS_URL is set" >&2
  exit 1
fi
echo "test-redis: passed against redis-server on 127.0.0.1:$port"
