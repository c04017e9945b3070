#!/usr/bin/env bash
# The capture gateway benchmark (bench/gateway_bench.py) with the project's environment and PostgreSQL.
#
#   bench/run_gateway_bench.sh [--seconds 20] [--connections 16] [--workers 2] [--invalid 0.1]
#
# Run it when nothing else loads the machine: server, database and load generator share its cores.
# The report (markdown) is printed and kept in bench/results/.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
EXTRAS=dev source "$ROOT/scripts/_venv.sh"
bash "$ROOT/scripts/postgres.sh"
OUT="$HERE/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
"$VENV/bin/python" "$HERE/gateway_bench.py" "$@" | tee "$OUT/gateway.md"
