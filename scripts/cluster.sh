#!/usr/bin/env bash
# `make run-cluster`: the production topology on this machine, on loopback only.
# Installs Debian's PostgreSQL, Redis and nginx when missing (as root), prepares the database,
# then runs `python -m bot.cluster` (Redis, 2 Rasa replicas, 2 action servers, nginx, chat page,
# staff console) in the foreground; Ctrl-C stops it.
#
# DATABASE_URL names another PostgreSQL; otherwise a local one is set up (role bot, database bot_assistant).
#   bash scripts/cluster.sh --prepare   installs and prepares only, and prints the database URL
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

log() { echo "cluster.sh: $*" >&2; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
{ command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]]; } || missing+=(nginx-light)
if ((${#missing[@]})); then
  source scripts/debian.sh
  debian_install cluster.sh "${missing[@]}"
fi

if [[ -z "${DATABASE_URL:-}" ]]; then
  DATABASE_URL=$(POSTGRES_DATABASE=bot_assistant bash scripts/postgres.sh)
fi
export DATABASE_URL
"$BIN/bot-admin" db upgrade >&2
# --prepare: only install and prepare, and print the database URL (for the benchmarks and tests).
if [[ "${1:-}" == "--prepare" ]]; then
  echo "$DATABASE_URL"
  exit 0
fi
exec "$BIN/python" -m bot.cluster "$@"
