#!/usr/bin/env bash
# Before/after on this machine: the API's create and list-10 scenarios served by an older revision and by the
# working tree, alternating, on the same data. Prints one line per run; quote the ratios, not the req/s.
#
#   bench/compare_revisions.sh REV [SECONDS] [ROUNDS]      defaults: 15 s per scenario, 3 rounds
#
# Each run: re-create the PostgreSQL database `eventschema_compare`, seed it with bench/seed.py (the peer's data
# set, migrated by the revision being measured), serve it with `eventschema serve --workers 2` on 127.0.0.1, run
# wrk with ../shared/bench/wrk_api.lua (32 connections): POST a 5-property group, then GET event_schemas?limit=10;
# stop the server. The older revision runs from a temporary git worktree with this checkout's virtualenv.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=${EVENTSCHEMA_SHARED:-$ROOT/../shared}
[ -f "$SHARED/bench/wrk_api.lua" ] || { echo "compare_revisions: no $SHARED/bench/wrk_api.lua (set EVENTSCHEMA_SHARED)" >&2; exit 2; }
REV=${1:?usage: bench/compare_revisions.sh REV [SECONDS] [ROUNDS]}
SECONDS_EACH=${2:-15}
ROUNDS=${3:-3}
PORT=${BENCH_PORT:-8103}
DB_NAME=${BENCH_DB_NAME:-eventschema_compare}
DB_URL="postgresql://postgres@127.0.0.1:5432/$DB_NAME"

EXTRAS=dev source "$ROOT/scripts/_venv.sh"
bash "$ROOT/scripts/postgres.sh"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

OLD=$(mktemp -d /tmp/eventschema-rev.XXXXXX)
git -C "$ROOT" worktree add -q --detach "$OLD" "$REV"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    git -C "$ROOT" worktree remove --force "$OLD"
}
trap cleanup EXIT

run() { # label source-dir
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME" postgres
    local key
    key=$(PYTHONPATH="$2/src" "$VENV/bin/python" "$HERE/seed.py" "$DB_URL" | sed -n 's/^API_KEY=//p')
    PYTHONPATH="$2/src" EVENTSCHEMA_RATE_LIMIT_ENABLED=false "$VENV/bin/eventschema" serve \
        --workers 2 --host 127.0.0.1 --port "$PORT" --database-url "$DB_URL" >/dev/null 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/_health" >/dev/null && break; sleep 0.2; done
    local api="http://127.0.0.1:$PORT/api/projects/1"
    local create list
    create=$(BENCH_API_KEY=$key BENCH_MODE=create_group BENCH_NONCE=$(date +%s%N) BENCH_SCENARIO=create \
        wrk -t2 -c32 -d"${SECONDS_EACH}s" --timeout 30s --latency -s "$SHARED/bench/wrk_api.lua" \
        "$api/schema_property_groups/" | sed -n 's/^BENCH_RESULT //p')
    list=$(BENCH_API_KEY=$key BENCH_MODE=get BENCH_SCENARIO=list_10 \
        wrk -t2 -c32 -d"${SECONDS_EACH}s" --timeout 30s --latency -s "$SHARED/bench/wrk_api.lua" \
        "$api/event_schemas/?limit=10" | sed -n 's/^BENCH_RESULT //p')
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    if [ -z "$create" ] || [ -z "$list" ]; then
        echo "compare_revisions: wrk gave no result for $1" >&2
        exit 1
    fi
    echo "$1 | $create | $list"
}

echo "revision | scenario req/s p50_ms p99_ms non2xx | scenario req/s p50_ms p99_ms non2xx"
for _ in $(seq 1 "$ROUNDS"); do
    run "$REV" "$OLD"
    run "working tree" "$ROOT"
done
