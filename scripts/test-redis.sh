#!/usr/bin/env bash
# Runs the Redis nonce-store tests (feature `redis`) against a real, throw-away redis-server
# and a real three-master Redis Cluster: installs the Debian package if missing, starts them on
# 127.0.0.1 on free ports without persistence, and stops them on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null; then
  echo "test-redis: apt-get install redis-server"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

dir=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

# A free port: one that refuses a connection (bash's /dev/tcp, no extra tools needed), and
# not one handed out already (a cluster node also listens on its port + 10000).
used=" "
free_port() {
  for _ in $(seq 100); do
    local p=$((20000 + RANDOM % 30000))
    case "$used" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null &&
      ! (exec 3<>"/dev/tcp/127.0.0.1/$((p + 10000))") 2>/dev/null; then
      used="$used$p $((p + 10000)) "
      echo "$p"
      return
    fi
  done
  echo "test-redis: no free port found" >&2
  exit 1
}

# start <port> [extra redis-server options…]: a node in its own directory, waited for.
start() {
  local port=$1
  shift
  mkdir -p "$dir/$port"
  # DEBUG SLEEP (local connections only) lets a test hang the server on purpose.
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
    --enable-debug-command local \
    --dir "$dir/$port" --daemonize no --loglevel warning "$@" >"$dir/$port/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do
    redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && return
    sleep 0.1
  done
  cat "$dir/$port/redis.log"
  exit 1
}

port=$(free_port)
start "$port"
export APISIGN_REDIS_URL="redis://127.0.0.1:$port/0"

# The cluster: three masters, no replicas; each owns a third of the 16384 slots.
nodes=()
for _ in 1 2 3; do
  p=$(free_port)
  start "$p" --cluster-enabled yes --cluster-config-file "$dir/$p/nodes.conf"
  nodes+=("127.0.0.1:$p")
done
redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$dir/cluster.log" 2>&1 ||
  { cat "$dir/cluster.log"; exit 1; }
for _ in $(seq 100); do
  redis-cli -p "${nodes[0]#*:}" cluster info | grep -q 'cluster_state:ok' && break
  sleep 0.1
done
redis-cli -p "${nodes[0]#*:}" cluster info | grep -q 'cluster_state:ok' ||
  { echo "test-redis: the cluster did not come up" >&2; exit 1; }
APISIGN_REDIS_CLUSTER_URLS=$(printf 'redis://%s,' "${nodes[@]}")
export APISIGN_REDIS_CLUSTER_URLS=${APISIGN_REDIS_CLUSTER_URLS%,}

# --nocapture: a skipped test would print its skip message; assert none did.
out=$(cargo test --features redis --test verify_redis --test verify_redis_cluster -- --nocapture 2>&1) ||
  { echo "$out"; exit 1; }
echo "$out" | grep -E '^test |test result'
if echo "$out" | grep -q "skipping the Redis test"; then
  echo "test-redis: a Redis test was skipped although APISIGN_REDIS_URL is set" >&2
  exit 1
fi
echo "test-redis: passed against redis-server on 127.0.0.1:$port and a cluster on ${nodes[*]}"
