#!/usr/bin/env bash
# The API benchmark: eventschema against the DRF replica of PostHog's stack, same data, same load,
# alternating, on this machine. Prints both tables and the ratios as markdown.
#
#   bench/run_api_bench.sh [DURATION] [ROUNDS]      defaults: 30 s per scenario, 2 rounds
#
# Each round: re-seed eventschema's PostgreSQL database (bench/seed.py: the peer's data set), serve it
# with the production command (`eventschema serve --workers 2`), run ../shared/bench/api_bench.sh,
# record the answers, stop it; then the ceiling (bench/ceiling.py: those answers precomputed, served by a
# bare ASGI app under the same server options, same load test); then the peer's own bench.sh (re-seeds,
# serves with granian + PgBouncer, same load test).
# Rate limits are off for the run: the load test sends thousands of requests a minute from one key.
# Raw results go to bench/results/ (not committed).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=${EVENTSCHEMA_SHARED:-$ROOT/../shared}
DURATION=${1:-30}
ROUNDS=${2:-2}
PORT=${BENCH_PORT:-8102}
DB_NAME=eventschema_bench
DB_URL="postgresql://postgres@127.0.0.1:5432/$DB_NAME"
OUT="$HERE/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

EXTRAS=dev source "$ROOT/scripts/_venv.sh"
bash "$ROOT/scripts/postgres.sh"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
trap stop_server EXIT

run_eventschema() { # round
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME" postgres
    local key
    key=$("$VENV/bin/python" "$HERE/seed.py" "$DB_URL" | sed -n 's/^API_KEY=//p')
    EVENTSCHEMA_RATE_LIMIT_ENABLED=false "$VENV/bin/eventschema" serve --workers 2 --port "$PORT" \
        --database-url "$DB_URL" >"$OUT/eventschema_server_$1.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/_health" >/dev/null && break; sleep 0.2; done
    # The shape check predates PostHog's `validation_rules` on properties, which eventschema shows (property
    # rules): a property's field list that differs by that key alone is the expected shape, anything else stops.
    if ! python3 "$SHARED/bench/check_shape.py" "http://127.0.0.1:$PORT" "$key" 1 >"$OUT/eventschema_shape_$1.txt"; then
        if grep '^FAIL' "$OUT/eventschema_shape_$1.txt" | grep -v "property fields: got .*'validation_rules'" | grep -q .; then
            cat "$OUT/eventschema_shape_$1.txt" >&2
            exit 1
        fi
    fi
    bash "$SHARED/bench/api_bench.sh" "http://127.0.0.1:$PORT" "$key" 1 "$DURATION" | tee "$OUT/eventschema_$1.txt"
    "$VENV/bin/python" "$HERE/ceiling.py" capture "http://127.0.0.1:$PORT" "$key" "$OUT/ceiling_answers_$1"
    stop_server
}

run_ceiling() { # round: the bytes eventschema answered in this round, precomputed, same server options
    "$VENV/bin/python" "$HERE/ceiling.py" serve "$OUT/ceiling_answers_$1" --port "$PORT" --workers 2 \
        >"$OUT/ceiling_server_$1.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
    bash "$SHARED/bench/api_bench.sh" "http://127.0.0.1:$PORT" ceiling 1 "$DURATION" | tee "$OUT/ceiling_$1.txt"
    stop_server
}

run_peer() { # round
    bash "$SHARED/peers/drf_posthog/bench.sh" "$DURATION" | tee "$OUT/peer_$1.txt"
}

for round in $(seq 1 "$ROUNDS"); do
    echo "== round $round: eventschema" >&2
    run_eventschema "$round"
    echo "== round $round: ceiling" >&2
    run_ceiling "$round"
    echo "== round $round: peer" >&2
    run_peer "$round"
done

"$VENV/bin/python" "$HERE/summarize_api_bench.py" "$OUT" | tee "$OUT/summary.md"
