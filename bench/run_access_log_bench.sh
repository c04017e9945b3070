#!/usr/bin/env bash
# What the access log costs: the same list request served with it on and off, alternating, one worker.
#
#   bench/run_access_log_bench.sh [DURATION] [ROUNDS]      defaults: 15 s per run, 3 rounds
#
# Seeds the PostgreSQL database eventschema_access_bench (bench/seed.py), serves it with
# `eventschema serve --workers 1` (rate limits off, log lines to a file), and runs wrk (16 connections,
# 1 thread) on GET /api/projects/1/event_schemas/?limit=10. Prints per run: req/s, and the server's CPU
# per request (utime+stime of the serve process from /proc, steadier than req/s on a shared machine).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DURATION=${1:-15}
ROUNDS=${2:-3}
PORT=${BENCH_PORT:-8131}
DB_NAME=eventschema_access_bench
DB_URL="postgresql://postgres@127.0.0.1:5432/$DB_NAME"
OUT=$(mktemp -d)

EXTRAS=dev source "$ROOT/scripts/_venv.sh"
bash "$ROOT/scripts/postgres.sh"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME" postgres
KEY=$("$VENV/bin/python" "$HERE/seed.py" "$DB_URL" | sed -n 's/^API_KEY=//p')
URL="http://127.0.0.1:$PORT/api/projects/1/event_schemas/?limit=10"

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap 'stop_server; rm -rf "$OUT"' EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() { # label, serve options...
    local label=$1
    shift
    EVENTSCHEMA_RATE_LIMIT_ENABLED=false "$VENV/bin/eventschema" serve --workers 1 --port "$PORT" \
        --database-url "$DB_URL" "$@" 2>"$OUT/server.log" &
    SERVER_PID=$!
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/_health" >/dev/null && break; sleep 0.2; done
    wrk -t1 -c16 -d3s -H "Authorization: Bearer $KEY" "$URL" >/dev/null # warm-up
    local before after requests
    before=$(cpu_ticks "$SERVER_PID")
    requests=$(wrk -t1 -c16 -d"${DURATION}s" -H "Authorization: Bearer $KEY" "$URL" |
        awk '/requests in/ {print $1}')
    after=$(cpu_ticks "$SERVER_PID")
    stop_server
    awk -v l="$label" -v n="$requests" -v d="$DURATION" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
        -v lines="$(grep -c 'eventschema.access' "$OUT/server.log" || true)" \
        'BEGIN { printf "%-16s %8.1f req/s  %6.3f ms CPU/request  %d access lines\n", l, n / d, t / hz * 1000 / n, lines }'
}

for round in $(seq 1 "$ROUNDS"); do
    run "access log on"
    run "access log off" --no-access-log
    run "json lines" --log-format json
done
