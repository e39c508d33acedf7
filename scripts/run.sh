#!/usr/bin/env bash
# `make run`: the web server plus a Celery worker with embedded beat; Ctrl-C stops all of it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait 2>/dev/null' INT TERM EXIT

if [ -n "${REDIS_URL:-}" ]; then broker="Redis ($REDIS_URL)"; else broker="embedded filesystem broker (var/celery)"; fi
if [ -n "${DATABASE_URL:-}" ]; then db="$DATABASE_URL"; else db="SQLite (db.sqlite3)"; fi

.venv/bin/celery -A config worker --beat --loglevel=INFO --concurrency=2 \
    --schedule=var/celerybeat-schedule >var/celery.log 2>&1 &

cat <<TXT

  组工信息报送审核平台 Bulletin Desk
  ──────────────────────────────────
  URL:       http://$HOST:$PORT/
  Database:  $db
  Broker:    $broker   (worker + beat log: var/celery.log)

  Demo logins (password for all: zugong2026):
    admin                 系统管理员 (Django admin at /admin/)
    <unit>.staff          信息员, e.g. lj-dh.staff   (东湖区, a county)
    <unit>.reviewer       审核人, e.g. lj.reviewer   (临江市, a city)
    <unit>.head           办公室主任, e.g. jd.head    (江东省, the province)
  Units: zy (中组部), jd (江东省), lj / qs / yz (cities), lj-dh, lj-xl, qs-sy, yz-yx, … (counties)

TXT
$PY manage.py runserver "$HOST:$PORT" &
wait -n
