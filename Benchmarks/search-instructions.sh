#!/usr/bin/env bash
# Instructions the gateway executes per gateway_search_tools call, counted by valgrind's
# callgrind (repeatable to a fraction of a percent, unlike CPU time on this shared VM). One
# gateway in front of bench-backend over stdio with TOOLS synthetic tools (run.sh's search
# configuration); per round, N searches at c=1 cycling through Benchmarks/search-queries.txt.
# Counts include everything the process runs meanwhile (NIO, timers), divided by N.
#
#   Benchmarks/search-instructions.sh                      # after Benchmarks/run.sh has built .build-bench
#   TOOLS=10000 ROUNDS=3 Benchmarks/search-instructions.sh
#   BACKENDS=10 Benchmarks/search-instructions.sh          # the same tools over 10 servers
#   PROFILE_DIR=/tmp/cg Benchmarks/search-instructions.sh  # keep the dumps for callgrind_annotate
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/callgrind-lib.sh
BIN=${BIN:-$PWD/.build-bench/release}
ROUNDS=${ROUNDS:-2}
N=${N:-208}
TOOLS=${TOOLS:-1000}
BACKENDS=${BACKENDS:-1}
PORT=${BENCH_PORT_BASE:-29600}
QUERIES=$PWD/Benchmarks/search-queries.txt
WORK=$(mktemp -d "${TMPDIR:-/tmp}/search-instructions.XXXXXX")
DUMPS=${PROFILE_DIR:-$WORK}
mkdir -p "$DUMPS"
GATEWAY_PID=""
cleanup() { [[ -n $GATEWAY_PID ]] && kill "$GATEWAY_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
callgrind_ready_copy "$BIN" "$WORK"
printf 'server:\n  host: 127.0.0.1\n  port: %s\nmeta_mcp:\n  warm_start: ["*"]\nbackends:\n' "$PORT" >"$WORK/gateway.yaml"
for index in $(seq 1 "$BACKENDS"); do   # TOOLS split over BACKENDS servers (bench, bench2, ...)
    printf '  bench%s:\n    command: %s --stdio --tools %s\n    description: Benchmark backend with synthetic tools\n' \
        "$( ((index > 1)) && echo "$index" )" "$BIN/bench-backend" "$((TOOLS / BACKENDS))" >>"$WORK/gateway.yaml"
done
MCP_GATEWAY_CACHE_DIR=$WORK/cache valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$DUMPS/callgrind.out.%p" \
    "$WORK/mcp-gateway" --config "$WORK/gateway.yaml" --log-level warning >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
wait_for_health "$PORT" "$WORK/gateway.log"
URL=http://127.0.0.1:$PORT/mcp
callgrind_control --instr=on "$GATEWAY_PID" >/dev/null 2>&1
# The first search waits for the backend's catalog; these also warm metadata caches and pools.
"$BIN/gateway-bench" search --url "$URL" --query-file "$QUERIES" --concurrency 1 --requests 100 --warmup 0 >/dev/null 2>&1
measure() { # label
    callgrind_control --zero "$GATEWAY_PID" >/dev/null 2>&1
    "$BIN/gateway-bench" search --url "$URL" --query-file "$QUERIES" --concurrency 1 --requests "$N" --warmup 0 2>&1 \
        | grep -q "errors 0" || { echo "$1: the load had errors" >&2; exit 1; }
    local file
    file=$(callgrind_dump "$GATEWAY_PID" "$1" "$DUMPS") || exit 1
    awk -v n="$N" -v label="$1" '/^summary:/ {printf "%s: %.0f instructions/search\n", label, $2 / n}' "$file"
}
for round in $(seq 1 "$ROUNDS"); do
    measure "search_${TOOLS}_${BACKENDS}_${round}"
done
