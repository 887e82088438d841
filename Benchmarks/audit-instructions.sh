#!/usr/bin/env bash
# What the audit trail costs a relayed call: instructions per gateway_invoke relayed to
# bench-backend over HTTP (the lean POST path in, the lean HTTP client out), counted by
# valgrind's callgrind, for one build run side by side without `audit:` and with it (a file,
# so the count includes the writer thread's digest, line and write), at c=1 and c=16, in
# interleaved rounds.
#
#   Benchmarks/audit-instructions.sh                    # BIN defaults to .build-bench/release
#   ROUNDS=3 N=400 Benchmarks/audit-instructions.sh
#   PROFILE_DIR=/tmp/cg Benchmarks/audit-instructions.sh  # keep the dumps for callgrind_annotate
#
# Build with: swift build -c release --static-swift-stdlib --scratch-path .build-bench
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/callgrind-lib.sh
BIN=${BIN:-$PWD/.build-bench/release}
ROUNDS=${ROUNDS:-2}
N=${N:-400}
PORT_BASE=${BENCH_PORT_BASE:-29900}
BACKEND_PORT=$((PORT_BASE + 10))
callgrind_workspace audit-instructions
start_http_bench_backend "$BACKEND_PORT"

MODES=(off on)
declare -A GATEWAY_PIDS GATEWAY_PORTS
port=$((PORT_BASE + 11))
mkdir -p "$WORK/bin"
callgrind_ready_copy "$BIN" "$WORK/bin"
for mode in "${MODES[@]}"; do
    mkdir -p "$WORK/$mode" "$DUMPS/$mode"
    audit=""
    [[ $mode == on ]] && audit=$(printf 'audit:\n  path: %s/audit.jsonl\n' "$WORK/$mode")
    printf 'server:\n  host: 127.0.0.1\n  port: %s\nmeta_mcp:\n  warm_start: ["*"]\ncapabilities:\n  enabled: false\nbackends:\n  http:\n    http_url: http://127.0.0.1:%s/mcp\n    description: Benchmark backend over HTTP\n%s\n' \
        "$port" "$BACKEND_PORT" "$audit" >"$WORK/$mode/gateway.yaml"
    MCP_GATEWAY_CACHE_DIR=$WORK/$mode/cache valgrind --tool=callgrind --instr-atstart=no \
        --callgrind-out-file="$DUMPS/$mode/callgrind.out.%p" \
        "$WORK/bin/mcp-gateway" --config "$WORK/$mode/gateway.yaml" --log-level warning >"$WORK/$mode/gateway.log" 2>&1 &
    GATEWAY_PIDS[$mode]=$!
    GATEWAY_PORTS[$mode]=$port
    PIDS+=($!)
    wait_for_health "$port" "$WORK/$mode/gateway.log"
    callgrind_control --instr=on "$!" >/dev/null 2>&1
    "$BIN/gateway-bench" invoke --url "http://127.0.0.1:$port/mcp" --mode gateway --server http \
        --concurrency 4 --requests 200 --warmup 0 >/dev/null 2>&1
    port=$((port + 1))
done

measure() { # mode concurrency round
    local pid=${GATEWAY_PIDS[$1]} url="http://127.0.0.1:${GATEWAY_PORTS[$1]}/mcp" label="$1_$2_$3" file
    callgrind_control --zero "$pid" >/dev/null 2>&1
    "$BIN/gateway-bench" invoke --url "$url" --mode gateway --server http --concurrency "$2" --requests "$N" \
        --warmup 0 2>&1 | grep -q "errors 0" || { echo "$label: the load had errors" >&2; exit 1; }
    # The writer runs after the calls: let it finish the batch before the dump.
    sleep 0.5
    file=$(callgrind_dump "$pid" "$label" "$DUMPS/$1") || exit 1
    awk -v n="$N" -v label="$1 c=$2" '/^summary:/ {printf "%s: %.0f\n", label, $2 / n}' "$file" | tee -a "$WORK/counts.txt"
    if [[ $1 == on ]]; then  # the writer thread's share: everything under AuditTrail.writerLoop
        # awk reads to the end (grep -m1 would close the pipe early: SIGPIPE under pipefail).
        callgrind_annotate --inclusive=yes --threshold=100 "$file" 2>/dev/null \
            | awk -v n="$N" -v label="writer c=$2" '/writerLoop/ && !done {gsub(",", "", $1); printf "%s: %.0f\n", label, $1 / n; done = 1}' \
            | tee -a "$WORK/counts.txt"
    fi
}
for round in $(seq 1 "$ROUNDS"); do
    for c in 1 16; do
        for mode in "${MODES[@]}"; do measure "$mode" "$c" "$round"; done
    done
done
lines=$(wc -l <"$WORK/on/audit.jsonl")
echo "audit lines written: $lines"
python3 - "$WORK/counts.txt" <<'PY'
import re, statistics, sys
counts = {}
for line in open(sys.argv[1]):
    mode, c, value = re.match(r'(\S+) c=(\d+): (\d+)', line).groups()
    counts.setdefault((mode, c), []).append(int(value))
print("\nmedian instructions per relayed call (gateway process, all threads, the audit writer included):")
print("| c | no audit | audit to a file | on / off | added per call | of which the writer thread | on the call path |")
print("|---|---|---|---|---|---|---|")
for c in ("1", "16"):
    off, on = statistics.median(counts[("off", c)]), statistics.median(counts[("on", c)])
    writer = statistics.median(counts[("writer", c)]) if ("writer", c) in counts else float("nan")
    print(f"| {c} | {off:,.0f} | {on:,.0f} | {on / off:.3f} | {on - off:+,.0f} | {writer:,.0f} | {on - off - writer:+,.0f} |")
PY
