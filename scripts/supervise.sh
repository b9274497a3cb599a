#!/usr/bin/env bash
# scripts/supervise.sh NAME LOG COMMAND...: runs COMMAND, appending its output to LOG, and starts it again
# whenever it stops, saying so in LOG and on the terminal. TERM or INT stops COMMAND and this loop.
set -uo pipefail
name=$1 log=$2
shift 2
child=
stop() { trap - TERM INT; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child"; exit 0; }
trap stop TERM INT
while true; do
  "$@" >> "$log" 2>&1 &
  child=$!
  wait "$child"
  status=$?
  echo "$(date '+%Y-%m-%d %H:%M:%S') The $name stopped (exit status $status); starting it again." | tee -a "$log" >&2
  sleep 1
done
