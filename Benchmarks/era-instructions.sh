#!/usr/bin/env bash
# Instructions the gateway executes per gateway_invoke call, 2026-07-28 against legacy, counted
# by valgrind's callgrind: unlike CPU time on this shared 2-core VM (±30 % between rounds), the
# count repeats to a fraction of a percent. One gateway (the shipped configuration: starter pack
# on) relays to bench-backend over HTTP; per round and era, N calls at c=1 and at c=16.
# Counts include everything the process runs meanwhile (NIO, timers), divided by N.
# A third client, legacy+envelope, speaks legacy but sends the 2026-07-28 `_meta` envelope in
# its params: same request body as 2026-07-28, which separates the era's path from its bigger
# messages.
#
#   Benchmarks/era-instructions.sh                  # after Benchmarks/run.sh has built .build-bench
#   ROUNDS=3 N=400 Benchmarks/era-instructions.sh
#   PROFILE_DIR=/tmp/cg Benchmarks/era-instructions.sh   # keep the callgrind dumps for callgrind_annotate
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/callgrind-lib.sh
BIN=${BIN:-$PWD/.build-bench/release}
ROUNDS=${ROUNDS:-2}
N=${N:-400}
PORT_BASE=${BENCH_PORT_BASE:-29600}
BACKEND_PORT=$((PORT_BASE + 10))
GATEWAY_PORT=$((PORT_BASE + 11))
callgrind_workspace era-instructions
callgrind_ready_copy "$BIN" "$WORK"
printf 'server:\n  host: 127.0.0.1\n  port: %s\nmeta_mcp:\n  warm_start: ["*"]\nbackends:\n  bench:\n    http_url: http://127.0.0.1:%s/mcp\n    description: Benchmark backend with an echo tool\n' \
    "$GATEWAY_PORT" "$BACKEND_PORT" >"$WORK/gateway.yaml"
start_http_bench_backend "$BACKEND_PORT"
MCP_GATEWAY_CACHE_DIR=$WORK/cache valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$DUMPS/callgrind.out.%p" \
    "$WORK/mcp-gateway" --config "$WORK/gateway.yaml" --log-level warning >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
wait_for_health "$GATEWAY_PORT" "$WORK/gateway.log"
URL=http://127.0.0.1:$GATEWAY_PORT/mcp
callgrind_control --instr=on "$GATEWAY_PID" >/dev/null 2>&1
for era in legacy 2026-07-28 legacy+envelope; do   # warm every path (metadata caches, connection pools)
    "$BIN/gateway-bench" invoke --url "$URL" --mode gateway --era "$era" --concurrency 4 --requests 200 --warmup 0 >/dev/null 2>&1
done
measure() { # era label concurrency
    callgrind_control --zero "$GATEWAY_PID" >/dev/null 2>&1
    "$BIN/gateway-bench" invoke --url "$URL" --mode gateway --era "$1" --concurrency "$3" --requests "$N" --warmup 0 2>&1 \
        | grep -q "errors 0" || { echo "$1 c=$3: the load had errors" >&2; exit 1; }
    local file
    file=$(callgrind_dump "$GATEWAY_PID" "$2" "$DUMPS") || exit 1
    awk -v n="$N" -v label="$1 c=$3" '/^summary:/ {printf "%s: %.0f instructions/call\n", label, $2 / n}' "$file" | tee -a "$WORK/counts.txt"
}
for round in $(seq 1 "$ROUNDS"); do
    for c in 1 16; do
        measure legacy "legacy_${round}_$c" "$c"
        measure 2026-07-28 "modern_${round}_$c" "$c"
        measure legacy+envelope "envelope_${round}_$c" "$c"
    done
done
python3 - "$WORK/counts.txt" <<'PY'
import re, statistics, sys
counts = {}
for line in open(sys.argv[1]):
    era, c, value = re.match(r'(\S+) c=(\d+): (\d+)', line).groups()
    counts.setdefault((era, c), []).append(int(value))
print("\nmedian instructions per call; 2026-07-28 against legacy, and against legacy sending the same request body:")
for c in ("1", "16"):
    legacy, modern, envelope = (statistics.median(counts[(era, c)]) for era in ("legacy", "2026-07-28", "legacy+envelope"))
    print(f"  c={c}: legacy {legacy:,.0f}, 2026-07-28 {modern:,.0f} ({modern / legacy:.3f}x), "
          f"legacy+envelope {envelope:,.0f} (2026-07-28 {modern / envelope:.3f}x)")
PY
