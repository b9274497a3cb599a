#!/usr/bin/env bash
# Starts the action server and the Rasa server (REST + socket.io); Ctrl-C stops both.
# The action server is restarted whenever it stops (logs/actions.log says so); meanwhile people get the
# "unavailable for a moment" notice and emergencies still escalate (bot/serving/).
# `scripts/run.sh shell` talks to the assistant in this terminal instead of serving HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
MODEL=${MODEL:-models/current.tar.gz}
mkdir -p var logs

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped."
}
trap stop INT TERM EXIT

: > logs/actions.log
scripts/supervise.sh "action server" logs/actions.log "$BIN/rasa" run actions --port "$ACTIONS_PORT" &
pids+=($!)
for _ in $(seq 60); do
  curl -sf "http://localhost:$ACTIONS_PORT/health" > /dev/null && break
  sleep 1
done
curl -sf "http://localhost:$ACTIONS_PORT/health" > /dev/null || { echo "The action server did not start: see logs/actions.log"; exit 1; }

# One Sanic worker per core when a Redis lock store can be shared, else one (bot/serving/local.py).
WORKERS=$("$BIN/python" -m bot.serving.local workers)
"$BIN/python" -m bot.serving.local endpoints "$WORKERS" > var/endpoints.yml

if [ "${1:-}" = "shell" ]; then
  "$BIN/python" -m bot.serving shell --model "$MODEL" --endpoints var/endpoints.yml
  exit 0
fi

SANIC_WORKERS=$WORKERS "$BIN/python" -m bot.serving run --model "$MODEL" --port "$RASA_PORT" \
  --endpoints var/endpoints.yml --credentials credentials.yml \
  --cors "${CORS_ORIGINS:-*}" ${RASA_API_TOKEN:+--enable-api --auth-token "$RASA_API_TOKEN"} > logs/rasa.log 2>&1 &
pids+=($!)
for _ in $(seq 180); do
  curl -sf "http://localhost:$RASA_PORT/" > /dev/null && break
  kill -0 "${pids[1]}" 2>/dev/null || { echo "The Rasa server stopped: see logs/rasa.log"; exit 1; }
  sleep 1
done
workers_state() {
  if [ "$WORKERS" = 1 ]; then echo "1 Rasa worker (start Redis at \$REDIS_HOST:\$REDIS_PORT, default 127.0.0.1:6379, for one per core)"
  else echo "$WORKERS Rasa workers sharing the Redis lock store"; fi
}
# Slack and Telegram are on when their variables are set (docs/channels.md).
channel_state() { for var in "$@"; do [ -n "${!var:-}" ] || { echo "off (set $*)"; return; }; done; echo "on"; }
cat <<MSG

The assistant is running (logs in logs/). Chat with it:
  web widget: http://localhost:$RASA_PORT/webhooks/widget/demo  (a demo page with the chat bubble)
              embed it with <script src="http://localhost:$RASA_PORT/webhooks/widget/widget.js" defer></script>
  REST:       curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender": "me", "message": "hi"}'
  socket.io:  http://localhost:$RASA_PORT (path /webhooks/widget/socket.io, events user_uttered / bot_uttered)
  Slack:      $(channel_state SLACK_BOT_TOKEN SLACK_SIGNING_SECRET)
  Telegram:   $(channel_state TELEGRAM_BOT_TOKEN TELEGRAM_WEBHOOK_URL TELEGRAM_SECRET_TOKEN)
  terminal:   make shell
  cores:      $(workers_state)
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
