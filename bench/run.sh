#!/usr/bin/env bash
# `make bench`: check PostgreSQL, Redis and wrk; load the data set if absent; serve the app with
# gunicorn and drive it with wrk; time the server-side queries; write bench/results/<date>.md.
# Every step runs with the bench profile, config.settings.bench (production settings and the bench
# app). Options are passed to bench/driver.py (e.g. --duration 5 --rounds 2).
#
#   BENCH_BULLETINS  bulletins in the data set (default 1000000)
#   DATABASE_URL     a DEDICATED benchmark database (default postgres://postgres@127.0.0.1:5432/bulletin_desk_bench);
#                    seed_bench refuses a database holding anything it did not create
#   REDIS_URL        default redis://127.0.0.1:6379/0
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${VENV:-.venv}/bin/python
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bulletin_desk_bench}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export DJANGO_SETTINGS_MODULE=config.settings.bench
BULLETINS=${BENCH_BULLETINS:-1000000}

echo "== checking PostgreSQL, Redis and wrk"
"$PY" -m bench.driver --check

echo "== migrating $DATABASE_URL"
"$PY" manage.py migrate --noinput -v0

echo "== data set ($BULLETINS bulletins)"
"$PY" manage.py seed_bench --bulletins "$BULLETINS" --if-absent

echo "== benchmark"
"$PY" -m bench.driver "$@"
