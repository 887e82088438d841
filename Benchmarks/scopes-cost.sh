#!/usr/bin/env bash
# What scopes cost: one build run two ways side by side, both authenticating with the same API
# key: `key` (the key has no rules) and `scoped` (the key has allow and deny lists and
# `security.tool_policy` with the reference's default deny list is in force). Backends:
# bench-backend over HTTP (the relayed echo) and over stdio with TOOLS synthetic tools (search).
#   1. instructions per relayed gateway_invoke at c=1 and c=16 and per gateway_search_tools at
#      c=1 (callgrind, interleaved rounds);
#   2. search latency at c=1 through HTTP (gateway-bench, no valgrind), interleaved rounds.
#
#   Benchmarks/scopes-cost.sh                       # BIN defaults to .build-bench/release
#   TOOLS=1000 ROUNDS=3 Benchmarks/scopes-cost.sh
#   PROFILE_DIR=/tmp/cg Benchmarks/scopes-cost.sh    # keep the dumps for callgrind_annotate
#
# Build with: swift build -c release --static-swift-stdlib --scratch-path .build-bench
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/callgrind-lib.sh
BIN=${BIN:-$PWD/.build-bench/release}
ROUNDS=${ROUNDS:-2}
N=${N:-400}
SEARCHES=${SEARCHES:-208}
LATENCY_N=${LATENCY_N:-2000}
TOOLS=${TOOLS:-10000}
PORT_BASE=${BENCH_PORT_BASE:-29700}
BACKEND_PORT=$((PORT_BASE + 10))
QUERIES=$PWD/Benchmarks/search-queries.txt
callgrind_workspace scopes-cost
start_http_bench_backend "$BACKEND_PORT"
KEY=$(random_bench_key)
HEADER="X-API-Key: $KEY"
MODES=(key scoped)
mkdir -p "$WORK/bin"
callgrind_ready_copy "$BIN" "$WORK/bin"

config() { # mode port
    local rules=""
    if [[ $1 == scoped ]]; then
        rules=', allowed_tools: ["http:*", "bench:*", "read_*"], denied_tools: ["*:delete_*", "*:drop_*", "*:purge_*"]'
        rules+=$'}\nsecurity:\n  tool_policy: {deny: ["*:shutdown_*"]'
    fi
    printf 'server:\n  host: 127.0.0.1\n  port: %s\nmeta_mcp:\n  warm_start: ["*"]\ncapabilities:\n  enabled: false\n' "$2"
    printf 'backends:\n  http:\n    http_url: http://127.0.0.1:%s/mcp\n    description: Benchmark backend over HTTP\n' "$BACKEND_PORT"
    printf '  bench:\n    command: %s --stdio --tools %s\n    description: Benchmark backend with synthetic tools\n' "$BIN/bench-backend" "$TOOLS"
    printf 'auth:\n  api_keys:\n    - {name: bench, key: "%s"%s}\n' "$KEY" "$rules"
}

start() { # mode port valgrind(yes|no) -> pid
    mkdir -p "$WORK/$1-$3" "$DUMPS/$1"
    config "$1" "$2" >"$WORK/$1-$3/gateway.yaml"
    local prefix=()
    [[ $3 == yes ]] && prefix=(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$DUMPS/$1/callgrind.out.%p")
    MCP_GATEWAY_CACHE_DIR=$WORK/$1-$3/cache "${prefix[@]}" "$WORK/bin/mcp-gateway" --config "$WORK/$1-$3/gateway.yaml" \
        --log-level warning >"$WORK/$1-$3/gateway.log" 2>&1 &
    echo $!
}

warm() { # port
    local url="http://127.0.0.1:$1/mcp"
    "$BIN/gateway-bench" invoke --url "$url" --mode gateway --server http --header "$HEADER" --concurrency 4 --requests 200 --warmup 0 >/dev/null 2>&1
    "$BIN/gateway-bench" search --url "$url" --header "$HEADER" --query-file "$QUERIES" --concurrency 1 --requests 100 --warmup 0 >/dev/null 2>&1
}

# 1. Instructions.
declare -A PID PORT
port=$((PORT_BASE + 11))
for mode in "${MODES[@]}"; do
    PID[$mode]=$(start "$mode" "$port" yes); PORT[$mode]=$port; PIDS+=("${PID[$mode]}")
    wait_for_health "$port" "$WORK/$mode-yes/gateway.log"
    callgrind_control --instr=on "${PID[$mode]}" >/dev/null 2>&1
    warm "$port"
    port=$((port + 1))
done
measure() { # mode kind concurrency round
    local pid=${PID[$1]} url="http://127.0.0.1:${PORT[$1]}/mcp" label="$1_$2_$3_$4" file n
    callgrind_control --zero "$pid" >/dev/null 2>&1
    if [[ $2 == invoke ]]; then
        n=$N
        "$BIN/gateway-bench" invoke --url "$url" --mode gateway --server http --header "$HEADER" --concurrency "$3" \
            --requests "$n" --warmup 0 2>&1 | grep -q "errors 0" || { echo "$label: the load had errors" >&2; exit 1; }
    else
        n=$SEARCHES
        "$BIN/gateway-bench" search --url "$url" --header "$HEADER" --query-file "$QUERIES" --concurrency "$3" \
            --requests "$n" --warmup 0 2>&1 | grep -q "errors 0" || { echo "$label: the load had errors" >&2; exit 1; }
    fi
    file=$(callgrind_dump "$pid" "$label" "$DUMPS/$1") || exit 1
    awk -v n="$n" -v label="$1 $2 c=$3" '/^summary:/ {printf "%s: %.0f\n", label, $2 / n}' "$file" | tee -a "$WORK/counts.txt"
}
for round in $(seq 1 "$ROUNDS"); do
    for mode in "${MODES[@]}"; do
        measure "$mode" invoke 1 "$round"; measure "$mode" invoke 16 "$round"; measure "$mode" search 1 "$round"
    done
done
for mode in "${MODES[@]}"; do kill "${PID[$mode]}" 2>/dev/null || true; done

# 2. Search latency at c=1, no valgrind.
for mode in "${MODES[@]}"; do
    PID[$mode]=$(start "$mode" "$port" no); PORT[$mode]=$port; PIDS+=("${PID[$mode]}")
    wait_for_health "$port" "$WORK/$mode-no/gateway.log"
    warm "$port"
    port=$((port + 1))
done
for round in $(seq 1 "$ROUNDS"); do
    for mode in "${MODES[@]}"; do
        "$BIN/gateway-bench" search --url "http://127.0.0.1:${PORT[$mode]}/mcp" --header "$HEADER" --query-file "$QUERIES" \
            --concurrency 1 --requests "$LATENCY_N" --warmup 100 2>/dev/null \
            | python3 -c 'import json,sys; d=json.loads(sys.stdin.readline()); print(sys.argv[1], "latency: p50", d["p50_ms"], "p99", d["p99_ms"], "errors", d["errors"])' "$mode" \
            | tee -a "$WORK/latency.txt"
    done
done

python3 - "$WORK/counts.txt" "$WORK/latency.txt" "$TOOLS" <<'PY'
import re, statistics, sys
counts, latency = {}, {}
for line in open(sys.argv[1]):
    mode, kind, c, value = re.match(r'(\S+) (\S+) c=(\d+): (\d+)', line).groups()
    counts.setdefault((kind, c, mode), []).append(int(value))
for line in open(sys.argv[2]):
    mode, p50, p99 = re.match(r'(\S+) latency: p50 (\S+) p99 (\S+)', line).groups()
    latency.setdefault(mode, []).append((float(p50), float(p99)))
print(f"\nmedian instructions per call, {sys.argv[3]} tools in the catalog (gateway process, all threads):")
print("| call | c | key without rules | scoped key | scoped / unscoped |\n|---|---|---|---|---|")
for kind, c in (("invoke", "1"), ("invoke", "16"), ("search", "1")):
    a, b = statistics.median(counts[(kind, c, "key")]), statistics.median(counts[(kind, c, "scoped")])
    print(f"| {kind} | {c} | {a:,.0f} | {b:,.0f} | {b / a:.3f} |")
print("\nsearch latency at c=1 through HTTP (ms, median over rounds):")
for mode in ("key", "scoped"):
    rows = latency.get(mode, [])
    print(f"{mode}: p50 {statistics.median(r[0] for r in rows):.3f}  p99 {statistics.median(r[1] for r in rows):.3f}")
PY
