#!/usr/bin/env bash
# Starts a throwaway Redis server for the tests on 127.0.0.1 (idempotent: an already running one is
# reused). Installs Debian's redis-server where missing. No persistence, no password.
set -euo pipefail
port=${FLOWRUN_TEST_REDIS_PORT:-56379}
dir=${FLOWRUN_TEST_REDIS_DIR:-/tmp/flowrun-test-redis}
if ! command -v redis-server >/dev/null; then
    echo "==> apt-get install redis-server" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi
if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then exit 0; fi
mkdir -p "$dir"
redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --dir "$dir" --logfile "$dir/server.log" --pidfile "$dir/redis.pid"
for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "==> redis on 127.0.0.1:$port" >&2
