#!/usr/bin/env bash
# A local Redis for the lock-store tests and the cluster: installs Debian's redis-server if missing
# (as root), starts one on loopback with its data under var/redis-PORT, unless one already answers.
# Prints exactly one line on stdout, the connection URL; everything else goes to stderr.
#
#   TEST_REDIS_URL=$(bash scripts/redis.sh) .venv/bin/pytest tests/db/test_lock_store.py
#   REDIS_PORT=6380 bash scripts/redis.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${REDIS_PORT:-6390}"
HOST=127.0.0.1
DIR="$PWD/var/redis-$PORT"

log() { echo "redis.sh: $*" >&2; }
die() { log "$*"; exit 1; }

answers() { command -v redis-cli >/dev/null 2>&1 && [[ $(redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null) == PONG ]]; }

if answers; then
  echo "redis://$HOST:$PORT/0"
  exit 0
fi

if ! command -v redis-server >/dev/null 2>&1; then
  source scripts/debian.sh
  debian_install redis.sh redis-server
fi

mkdir -p "$DIR"
# Loopback only, no persistence (locks and rate-limit counters are short-lived by design).
redis-server --bind "$HOST" --port "$PORT" --dir "$DIR" --save "" --appendonly no \
  --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" >&2

for _ in $(seq 1 50); do
  answers && break
  sleep 0.1
done
answers || die "redis on $HOST:$PORT did not start; see $DIR/redis.log"
echo "redis://$HOST:$PORT/0"
