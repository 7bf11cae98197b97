#!/usr/bin/env bash
# Start the action server and the Rasa server; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST="${RASA_INTERFACE:-127.0.0.1}"

pids=()
stop() {
  trap - INT TERM EXIT
  echo "stopping…"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

# The database (DATABASE_URL, else var/assistant.db) at the latest schema before anything uses it.
"$BIN/bot-admin" db upgrade

"$BIN/rasa" run actions --actions actions --port "${ACTION_PORT:-5055}" &
pids+=($!)
"$BIN/rasa" run --model models/current.tar.gz --interface "$HOST" --port "${RASA_PORT:-5005}" \
  --credentials credentials.yml --endpoints endpoints.yml --cors "*" &
pids+=($!)

echo "Rasa: http://$HOST:${RASA_PORT:-5005}/webhooks/rest/webhook  (socketio on the same port)"
wait -n "${pids[@]}"
