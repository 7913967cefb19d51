#!/usr/bin/env bash
# Start the portal with demo data: migrate, load the demo, then the web server and a Celery worker
# (with its beat scheduler) on the file-system broker. Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
BIN=.venv/bin

mkdir -p var
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py load_demo

trap 'trap - EXIT; kill 0 2>/dev/null' INT TERM EXIT

"$BIN/celery" -A config worker --beat --schedule var/celerybeat-schedule \
  --loglevel INFO --concurrency 2 &

echo
echo "The portal is starting on http://$HOST:$PORT/ (Ctrl-C stops the web server and the worker)."
echo "Log in with one of the demo users listed above."
echo
"$BIN/python" manage.py runserver "$HOST:$PORT" &

# Whichever stops first (or a Ctrl-C) ends the other through the trap above.
wait -n
