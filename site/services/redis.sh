#!/usr/bin/env bash
# site/services/redis.sh — a real Redis on 127.0.0.1:6379 for the tests (the shared cache).
#
# Usage:
#   site/services/redis.sh        # prints exactly: REDIS_URL=redis://127.0.0.1:6379/0
#   site/services/redis.sh stop
#
# Installs Debian's redis-server when missing and starts it without systemd (containers have
# none), bound to loopback, without persistence (a cache). Idempotent: a server already
# answering is reused. Chatter goes to stderr; stdout carries only the REDIS_URL=... line.
set -euo pipefail

PORT=${REDIS_PORT:-6379}
STATE_DIR=${REDIS_STATE_DIR:-/var/cache/procedures-site/redis}

exec 3>&1 1>&2
log() { printf 'redis.sh: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

answers() { redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; }

if [ "${1:-}" = stop ]; then
    redis-cli -h 127.0.0.1 -p "$PORT" shutdown nosave 2>/dev/null || true
    exit 0
fi

if ! command -v redis-server >/dev/null 2>&1; then
    log "installing redis-server with apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >&2 3>&-
fi

if answers; then
    log "reusing the server answering on 127.0.0.1:$PORT"
else
    mkdir -p "$STATE_DIR"
    # 3>&-: the daemon must not hold the caller's stdout open.
    redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --save "" --appendonly no \
        --dir "$STATE_DIR" --logfile "$STATE_DIR/redis.log" --pidfile "$STATE_DIR/redis.pid" \
        --maxmemory 512mb --maxmemory-policy allkeys-lru 3>&-
    for _ in $(seq 1 50); do answers && break; sleep 0.1; done
    answers || { log "ERROR: Redis did not start (see $STATE_DIR/redis.log)"; exit 1; }
    log "Redis $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p') ready on 127.0.0.1:$PORT"
fi
echo "REDIS_URL=redis://127.0.0.1:$PORT/0" >&3
