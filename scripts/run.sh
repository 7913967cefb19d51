#!/usr/bin/env bash
# Start the portal with demo data: migrate, load the demo (into an empty database only), then the
# web server, a Celery worker and the beat scheduler on the file-system broker. Ctrl-C stops
# everything this script started within ten seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
VAR_DIR="${DJANGO_VAR_DIR:-var}"
BIN=.venv/bin

mkdir -p "$VAR_DIR"
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py load_demo

# Each service runs in a process group of its own, so that a Ctrl-C reaches only this script, which
# then stops every group once: a worker's warm shutdown, then whatever is left is killed.
groups=()
start() {
  setsid "$@" &
  groups+=("$!")
}

stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping the web server and the worker..."
  # The group leaders only: a Celery worker then stops its own pool processes cleanly.
  for group in "${groups[@]}"; do kill -TERM -- "$group" 2>/dev/null || true; done
  # A worker's warm shutdown takes a few seconds (it finishes a running task); then the rest is killed.
  for _ in $(seq 80); do
    local alive=0
    for group in "${groups[@]}"; do kill -0 -- "-$group" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && exit 0
    sleep 0.1
  done
  for group in "${groups[@]}"; do kill -KILL -- "-$group" 2>/dev/null || true; done
  exit 0
}
trap stop INT TERM EXIT

start "$BIN/celery" -A config worker --loglevel INFO --concurrency 2
start "$BIN/celery" -A config beat --loglevel INFO --schedule "$VAR_DIR/celerybeat-schedule"

echo
echo "The portal is starting on http://$HOST:$PORT/ (Ctrl-C stops the web server and the worker)."
echo "Log in with one of the demo users listed above. Another port: make run PORT=8001."
echo
start "$BIN/python" manage.py runserver "$HOST:$PORT"

# Whichever stops first (or a Ctrl-C) ends the others through the trap above.
wait -n
