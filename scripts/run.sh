#!/usr/bin/env bash
# Start the assistant: action server, Rasa server, website chat page and staff console; Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST="${RASA_INTERFACE:-127.0.0.1}"
RASA_PORT="${RASA_PORT:-5005}"

# credentials.yml reads the WeChat settings; unset, that channel refuses every request.
export WECHAT_TOKEN="${WECHAT_TOKEN:-}" WECHAT_APP_ID="${WECHAT_APP_ID:-}" \
  WECHAT_AES_KEY="${WECHAT_AES_KEY:-}" WECHAT_APP_SECRET="${WECHAT_APP_SECRET:-}"
# Rasa's HTTP API (model replacement, tracker editing) never runs without a token; the console uses it.
if [[ -z "${RASA_API_TOKEN:-}" ]]; then
  RASA_API_TOKEN=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))')
fi
export RASA_API_TOKEN RASA_URL="http://127.0.0.1:$RASA_PORT"
# The action server refuses requests without the secret Rasa sends (endpoints.yml: token).
if [[ -z "${ACTION_SERVER_TOKEN:-}" ]]; then
  ACTION_SERVER_TOKEN=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))')
fi
export ACTION_SERVER_TOKEN
# Browsers may call Rasa's HTTP endpoints cross-origin only from the chat page (space-separated list).
read -ra chat_origins <<< "${CHAT_ORIGINS:-http://localhost:${CHAT_PORT:-8080} http://127.0.0.1:${CHAT_PORT:-8080}}"

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

"$BIN/python" -m bot.runtime.action_server --actions actions --port "${ACTION_PORT:-5055}" &
pids+=($!)
"$BIN/python" -m bot.runtime.server run --model models/current.tar.gz --interface "$HOST" --port "$RASA_PORT" \
  --credentials credentials.yml --endpoints endpoints.yml --cors "${chat_origins[@]}" \
  --enable-api &  # bot.runtime.server reads RASA_API_TOKEN from the environment, so `ps` does not show it
pids+=($!)
"$BIN/python" -m bot.web --port "${CHAT_PORT:-8080}" --rasa-url "${RASA_PUBLIC_URL:-http://localhost:$RASA_PORT}" &
pids+=($!)
"$BIN/python" -m bot.console --port "${CONSOLE_PORT:-8081}" &
pids+=($!)

echo "Chat page:      http://localhost:${CHAT_PORT:-8080}"
echo "Staff console:  http://localhost:${CONSOLE_PORT:-8081}   (accounts: .venv/bin/bot-admin staff add NAME)"
echo "Rasa REST:      http://$HOST:$RASA_PORT/webhooks/rest/webhook   WeChat: /webhooks/wechat/webhook"
wait -n "${pids[@]}"
