#!/usr/bin/env bash
# What limits and budgets cost a relayed call: instructions per gateway_invoke relayed to
# bench-backend over HTTP (the lean POST path in, the lean HTTP client out), counted by
# valgrind's callgrind, for one build run four ways side by side, every caller with an API key:
#   apikey  no limit (the limit stage is not in the pipeline),
#   rate    the key's `rate_limit` (one token bucket per call),
#   all     rate_limit + a tool_rate_limits glob + max_concurrent, and failsafe.rate_limit +
#           failsafe.concurrency.max_concurrent (three buckets and two gates per call),
#   budget  cost_governance with a cost for the tool and a daily budget per key,
# at c=1 and c=16, in interleaved rounds. Limits are set high enough never to refuse.
#
#   Benchmarks/limit-instructions.sh                    # BIN defaults to .build-bench/release
#   ROUNDS=3 N=400 Benchmarks/limit-instructions.sh
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
callgrind_workspace limit-instructions
start_http_bench_backend "$BACKEND_PORT"
KEY=$(random_bench_key)

MODES=(apikey rate all budget)
declare -A EXTRA=(
    [apikey]=$(printf 'auth:\n  api_keys:\n    - {name: bench, key: "%s"}\n' "$KEY")
    [rate]=$(printf 'auth:\n  api_keys:\n    - {name: bench, key: "%s", rate_limit: 10000000}\n' "$KEY")
    [all]=$(printf 'auth:\n  api_keys:\n    - name: bench\n      key: "%s"\n      rate_limit: 10000000\n      tool_rate_limits: [{tool: "http:*", rate: 1000000, burst: 1000000}]\n      max_concurrent: 64\nfailsafe:\n  rate_limit: {requests_per_second: 1000000, burst_size: 1000000}\n  concurrency: {max_concurrent: 64}\n' "$KEY")
    [budget]=$(printf 'auth:\n  api_keys:\n    - {name: bench, key: "%s"}\ncost_governance:\n  default_cost: 0.001\n  budgets: {daily: 1000000000}\n' "$KEY")
)

declare -A GATEWAY_PIDS GATEWAY_PORTS
port=$((PORT_BASE + 11))
mkdir -p "$WORK/bin"
callgrind_ready_copy "$BIN" "$WORK/bin"
for mode in "${MODES[@]}"; do
    mkdir -p "$WORK/$mode" "$DUMPS/$mode"
    printf 'server:\n  host: 127.0.0.1\n  port: %s\nmeta_mcp:\n  warm_start: ["*"]\ncapabilities:\n  enabled: false\nbackends:\n  http:\n    http_url: http://127.0.0.1:%s/mcp\n    description: Benchmark backend over HTTP\n%s\n' \
        "$port" "$BACKEND_PORT" "${EXTRA[$mode]}" >"$WORK/$mode/gateway.yaml"
    MCP_GATEWAY_CACHE_DIR=$WORK/$mode/cache valgrind --tool=callgrind --instr-atstart=no \
        --callgrind-out-file="$DUMPS/$mode/callgrind.out.%p" \
        "$WORK/bin/mcp-gateway" --config "$WORK/$mode/gateway.yaml" --log-level warning >"$WORK/$mode/gateway.log" 2>&1 &
    GATEWAY_PIDS[$mode]=$!
    GATEWAY_PORTS[$mode]=$port
    PIDS+=($!)
    wait_for_health "$port" "$WORK/$mode/gateway.log"
    callgrind_control --instr=on "$!" >/dev/null 2>&1
    "$BIN/gateway-bench" invoke --url "http://127.0.0.1:$port/mcp" --mode gateway --server http --header "X-API-Key: $KEY" \
        --concurrency 4 --requests 200 --warmup 0 >/dev/null 2>&1
    port=$((port + 1))
done

measure() { # mode concurrency round
    local pid=${GATEWAY_PIDS[$1]} url="http://127.0.0.1:${GATEWAY_PORTS[$1]}/mcp" label="$1_$2_$3" file
    callgrind_control --zero "$pid" >/dev/null 2>&1
    "$BIN/gateway-bench" invoke --url "$url" --mode gateway --server http --header "X-API-Key: $KEY" --concurrency "$2" \
        --requests "$N" --warmup 0 2>&1 | grep -q "errors 0" || { echo "$label: the load had errors" >&2; exit 1; }
    file=$(callgrind_dump "$pid" "$label" "$DUMPS/$1") || exit 1
    awk -v n="$N" -v label="$1 c=$2" '/^summary:/ {printf "%s: %.0f\n", label, $2 / n}' "$file" | tee -a "$WORK/counts.txt"
}
for round in $(seq 1 "$ROUNDS"); do
    for c in 1 16; do
        for mode in "${MODES[@]}"; do measure "$mode" "$c" "$round"; done
    done
done
python3 - "$WORK/counts.txt" <<'PY'
import re, statistics, sys
counts = {}
for line in open(sys.argv[1]):
    mode, c, value = re.match(r'(\S+) c=(\d+): (\d+)', line).groups()
    counts.setdefault((mode, c), []).append(int(value))
modes = ["apikey", "rate", "all", "budget"]
print("\nmedian instructions per relayed call (gateway process, all threads), against an API key without limits:")
print("| c | " + " | ".join(modes) + " | " + " | ".join(f"{m} / apikey" for m in modes[1:]) + " |")
print("|---|" + "---|" * (2 * len(modes) - 1))
for c in ("1", "16"):
    base = statistics.median(counts[("apikey", c)])
    values = [statistics.median(counts[(m, c)]) for m in modes]
    print(f"| {c} | " + " | ".join(f"{v:,.0f}" for v in values) + " | " + " | ".join(f"{v / base:.3f}" for v in values[1:]) + " |")
PY
