#!/usr/bin/env bash
# `make run`: the web server plus a Celery worker with embedded beat; Ctrl-C stops all of it,
# and the private PostgreSQL and Redis servers with it (config/embedded.py).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# The servers' entry points (config/wsgi.py, config/celery_app.py) default to production settings.
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local}

stop() {
    trap - INT TERM EXIT
    local children
    children=$(jobs -p)
    [ -n "$children" ] && kill $children 2>/dev/null
    wait 2>/dev/null
    # Each process gives its handle back as it exits; this stops what a killed one left running.
    $PY -m config.embedded release || true
}
trap stop INT TERM EXIT

if [ -n "${REDIS_URL:-}" ]; then broker="Redis ($REDIS_URL)"; else broker="private Redis (var/redis)"; fi
if [ -n "${DATABASE_URL:-}" ]; then db="$DATABASE_URL"; else db="private PostgreSQL (var/postgres)"; fi

.venv/bin/celery -A config worker --beat --loglevel=INFO --concurrency=2 >var/celery.log 2>&1 &

cat <<TXT

  组工信息报送审核平台 Bulletin Desk
  ──────────────────────────────────
  URL:       http://$HOST:$PORT/      (HOST and PORT change it)
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
