#!/usr/bin/env bash
# Instructions per relayed gateway_invoke call, two gateway builds side by side, counted by
# valgrind's callgrind (repeatable where CPU time on this shared 2-core VM is not). Made for a
# change on the relay path (issue 13's one-line framing of stdio writes): each build relays to
# bench-backend over HTTP (the lean POST path in, the lean HTTP client out) and over stdio, at
# c=1 and c=16, in interleaved rounds, so both builds see the same machine.
#
#   BASE_BIN=/path/to/old/release Benchmarks/relay-instructions.sh     # BIN defaults to .build-bench/release
#   ROUNDS=3 N=400 BASE_BIN=... Benchmarks/relay-instructions.sh
#   PROFILE_DIR=/tmp/cg BASE_BIN=... Benchmarks/relay-instructions.sh   # keep the dumps for callgrind_annotate
#   BASE_BIN=$BIN BASE_YAML=$'security:\n  pinning: off' HEAD_YAML=$'security:\n  pinning: enforce' \
#       Benchmarks/relay-instructions.sh     # one build, two configurations (YAML appended to each config)
#
# BASE_YAML / HEAD_YAML are appended to that build's gateway.yaml, so one build can be compared
# with itself under two configurations, e.g. what secret redaction (on by default) adds:
#   BASE_BIN=$PWD/.build-bench/release BASE_YAML=$'security:\n  firewall:\n    credential_redaction: false\n' \
#     Benchmarks/relay-instructions.sh
#
#   BASE_BIN=$BIN HEAD_BACKEND_YAML=$'rename: {other: renamed}' Benchmarks/relay-instructions.sh
#       # keys added under both backends: what tool shaping costs a call
#
# Build the base with: git worktree add /tmp/base REV && (cd /tmp/base &&
#   swift build -c release --static-swift-stdlib --scratch-path .build-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/callgrind-lib.sh
BIN=${BIN:-$PWD/.build-bench/release}
BASE_BIN=${BASE_BIN:?set BASE_BIN to the release folder of the build to compare against}
ROUNDS=${ROUNDS:-2}
N=${N:-400}
PORT_BASE=${BENCH_PORT_BASE:-29700}
BACKEND_PORT=$((PORT_BASE + 10))
callgrind_workspace relay-instructions
start_http_bench_backend "$BACKEND_PORT"

declare -A GATEWAY_PIDS GATEWAY_PORTS
port=$((PORT_BASE + 11))
for build in base head; do
    dir=$([[ $build == base ]] && echo "$BASE_BIN" || echo "$BIN")
    mkdir -p "$WORK/$build" "$DUMPS/$build"
    callgrind_ready_copy "$dir" "$WORK/$build"
    # BASE_BACKEND_YAML / HEAD_BACKEND_YAML: keys added to both backends (indented under each).
    backend_yaml=$([[ $build == base ]] && echo "${BASE_BACKEND_YAML:-}" || echo "${HEAD_BACKEND_YAML:-}")
    backend_yaml=${backend_yaml:+$(printf '%s\n' "$backend_yaml" | sed 's/^/    /')$'\n'}
    printf 'server:\n  host: 127.0.0.1\n  port: %s\nmeta_mcp:\n  warm_start: ["*"]\ncapabilities:\n  enabled: false\nbackends:\n  http:\n    http_url: http://127.0.0.1:%s/mcp\n    description: Benchmark backend over HTTP\n%s  stdio:\n    command: %s/bench-backend --stdio\n    description: Benchmark backend over stdio\n%s' \
        "$port" "$BACKEND_PORT" "$backend_yaml" "$BIN" "$backend_yaml" >"$WORK/$build/gateway.yaml"
    extra_yaml=$([[ $build == base ]] && echo "${BASE_YAML:-}" || echo "${HEAD_YAML:-}")
    if [[ -n $extra_yaml ]]; then printf '%s\n' "$extra_yaml" >>"$WORK/$build/gateway.yaml"; fi
    MCP_GATEWAY_CACHE_DIR=$WORK/$build/cache valgrind --tool=callgrind --instr-atstart=no \
        --callgrind-out-file="$DUMPS/$build/callgrind.out.%p" \
        "$WORK/$build/mcp-gateway" --config "$WORK/$build/gateway.yaml" --log-level warning >"$WORK/$build/gateway.log" 2>&1 &
    GATEWAY_PIDS[$build]=$!
    GATEWAY_PORTS[$build]=$port
    PIDS+=($!)
    wait_for_health "$port" "$WORK/$build/gateway.log"
    callgrind_control --instr=on "$!" >/dev/null 2>&1
    for server in http stdio; do   # warm every path (connection pools, caches)
        "$BIN/gateway-bench" invoke --url "http://127.0.0.1:$port/mcp" --mode gateway --server "$server" \
            --concurrency 4 --requests 200 --warmup 0 >/dev/null 2>&1
    done
    port=$((port + 1))
done

measure() { # build server concurrency round
    local pid=${GATEWAY_PIDS[$1]} url="http://127.0.0.1:${GATEWAY_PORTS[$1]}/mcp" label="$1_$2_$3_$4" file
    callgrind_control --zero "$pid" >/dev/null 2>&1
    "$BIN/gateway-bench" invoke --url "$url" --mode gateway --server "$2" --concurrency "$3" --requests "$N" --warmup 0 2>&1 \
        | grep -q "errors 0" || { echo "$label: the load had errors" >&2; exit 1; }
    file=$(callgrind_dump "$pid" "$label" "$DUMPS/$1") || exit 1
    awk -v n="$N" -v label="$1 $2 c=$3" '/^summary:/ {printf "%s: %.0f\n", label, $2 / n}' "$file" | tee -a "$WORK/counts.txt"
}
for round in $(seq 1 "$ROUNDS"); do
    for server in http stdio; do
        for c in 1 16; do
            measure base "$server" "$c" "$round"
            measure head "$server" "$c" "$round"
        done
    done
done
python3 - "$WORK/counts.txt" <<'PY'
import re, statistics, sys
counts = {}
for line in open(sys.argv[1]):
    build, server, c, value = re.match(r'(\S+) (\S+) c=(\d+): (\d+)', line).groups()
    counts.setdefault((build, server, c), []).append(int(value))
print("\nmedian instructions per relayed call (gateway process, all threads), head against base:")
print("| backend | c | base | head | head / base |")
print("|---|---|---|---|---|")
for server in ("http", "stdio"):
    for c in ("1", "16"):
        base = statistics.median(counts[("base", server, c)])
        head = statistics.median(counts[("head", server, c)])
        print(f"| {server} | {c} | {base:,.0f} | {head:,.0f} | {head / base:.3f} |")
PY
