#!/usr/bin/env bash
# Runs the whole benchmark suite on 127.0.0.1: builds release binaries, starts bench backends
# and gateways, measures, prints the summary tables, writes Benchmarks/results/latest.json.
# Every wait and every run is bounded; a trap stops every process this script started.
#
# Environment: QUICK=1 (small counts, a smoke run), BENCH_PORT_BASE (default 29500: ports 29510-29520,
# below the ephemeral range, so that no client connection of the run holds a port a server needs),
# FLEET_TOOLS (default ../shared/fleet/tools.json), SCRATCH (default .build-bench),
# SKIP_BUILD=1 (use the binaries already in $SCRATCH/release), PEERS=1 (also measure the peer
# gateways from PyPI on the same backend and load: Benchmarks/run-peers.sh, a few more minutes).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SCRATCH=${SCRATCH:-.build-bench}
BIN=$ROOT/$SCRATCH/release
RESULTS=$ROOT/Benchmarks/results
QUERIES=$ROOT/Benchmarks/search-queries.txt
FLEET_TOOLS=${FLEET_TOOLS:-$ROOT/../shared/fleet/tools.json}
PORT_BASE=${BENCH_PORT_BASE:-29500}
BACKEND_PORT=$((PORT_BASE + 10))
GATEWAY_PORT=$((PORT_BASE + 11))
STARTUP_PORT=$((PORT_BASE + 12))
ECHO_PORT=$((PORT_BASE + 13))
RELAY_TCP_PORT=$((PORT_BASE + 21))
RELAY_HTTP_PORT=$((PORT_BASE + 22))
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gateway-bench.XXXXXX")
JSONL=$WORK/results.jsonl
# The gateways persist their catalogs here (not in ~/.cache): removed with $WORK, and emptied
# before every gateway start so that each section starts cold.
export MCP_GATEWAY_CACHE_DIR=$WORK/catalog-cache
mkdir -p "$MCP_GATEWAY_CACHE_DIR"

# Request counts: the full run, or a quick smoke run.
if [[ "${QUICK:-0}" == 1 ]]; then
    C1_N=300 C1_W=50 C32_N=2000 C32_W=200 C32_ROUNDS=1 PACED_RATE=3200 PACED_N=1600 SEARCH_N=300 SEARCH32_N=600 STDIO_N=1000 STARTUP_RUNS=3
else
    C1_N=2000 C1_W=200 C32_N=10000 C32_W=1000 C32_ROUNDS=3 PACED_RATE=3200 PACED_N=16000 SEARCH_N=2000 SEARCH32_N=4000 STDIO_N=5000 STARTUP_RUNS=10
fi
MAX_SECONDS=180          # bound on one measured phase
STEP_TIMEOUT=600         # bound on one gateway-bench process

PIDS=()
STEP_PID=

stop_pid() {
    local pid=$1 waited=0 kept=() other
    # Forget it first, so that cleanup never signals a reused pid.
    for other in "${PIDS[@]}"; do [[ "$other" == "$pid" ]] || kept+=("$other"); done
    PIDS=("${kept[@]}")
    kill -TERM "$pid" 2>/dev/null || return 0
    while kill -0 "$pid" 2>/dev/null && ((waited < 150)); do sleep 0.1; waited=$((waited + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local pid
    if [[ -n "$STEP_PID" ]]; then
        kill -TERM -- "-$STEP_PID" 2>/dev/null || true
        stop_pid "$STEP_PID"
    fi
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    mkdir -p "$RESULTS/logs"
    cp "$WORK"/*.log "$RESULTS/logs/" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

note() { printf '\n== %s\n' "$*" >&2; }

# Starts a background process with its output in $WORK/NAME.log; sets STARTED_PID.
start() {
    local name=$1
    shift
    "$@" >"$WORK/$name.log" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}

wait_ok() {
    local url=$1 tries=0
    until curl -sf -o /dev/null --max-time 1 "$url"; do
        tries=$((tries + 1))
        if ((tries > 300)); then echo "no answer from $url after 15 s" >&2; exit 1; fi
        sleep 0.05
    done
}

port_free() {
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; then
        echo "port $1 is in use; set BENCH_PORT_BASE to another base" >&2
        exit 1
    fi
}

rss_line() {
    local label=$1 pid=$2 kib
    kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
    printf '{"bench":"rss","label":"%s","kib":%s}\n' "$label" "$kib" >>"$JSONL"
    printf '[%s] VmRSS %s KiB\n' "$label" "$kib" >&2
}

# One gateway-bench step. It runs in the background so that a signal interrupts `wait` at
# once; `timeout` gives it its own process group, which cleanup stops as a whole (that
# includes gateways the startup probe spawned).
bench() {
    local rc=0
    timeout "$STEP_TIMEOUT" "$BIN/gateway-bench" "$@" >>"$JSONL" &
    STEP_PID=$!
    wait "$STEP_PID" || rc=$?
    STEP_PID=
    return "$rc"
}

# invoke and search: the same, with the bound on the measured phase.
load() {
    bench "$@" --max-seconds "$MAX_SECONDS"
}

json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

gateway_config() {
    local file=$1 backend=$2 description=$3
    printf 'backends:\n  bench:\n    %s\n    description: %s\n' "$backend" "$description" >"$file"
}

start_gateway() {
    local name=$1 config=$2
    rm -f "$MCP_GATEWAY_CACHE_DIR"/catalog-*.json
    start "$name" "$BIN/mcp-gateway" serve --config "$config" --port "$GATEWAY_PORT" --log-level warning
    GATEWAY_PID=$STARTED_PID
    wait_ok "http://127.0.0.1:$GATEWAY_PORT/health"
}

# --- build --------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" == 1 ]]; then
    note "SKIP_BUILD=1: using the binaries in $BIN as they are"
else
    note "building release binaries (scratch path $SCRATCH)"
    # Product by product: a whole-package static build also links GRDB's dynamic library
    # product, which cannot link against the static Foundation.
    for product in mcp-gateway bench-backend gateway-bench; do
        swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --product "$product" 2>&1 \
            | grep -Ev '^\[[0-9]+/[0-9]+\]|distributed-tracing|CMakeLists' | tail -n 5 >&2
    done
fi
for bin in mcp-gateway bench-backend gateway-bench; do
    [[ -x "$BIN/$bin" ]] || { echo "missing $BIN/$bin: build first (without SKIP_BUILD)" >&2; exit 1; }
done
for port in "$BACKEND_PORT" "$GATEWAY_PORT" "$STARTUP_PORT" "$ECHO_PORT" "$RELAY_TCP_PORT" "$RELAY_HTTP_PORT"; do port_free "$port"; done

{
    printf '{"bench":"machine","date":%s,' "$(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
    printf '"nproc":%s,' "$(nproc)"
    printf '"mem_total_kib":%s,' "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
    printf '"cpu_model":%s,' "$(json_string "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)")"
    printf '"kernel":%s,' "$(json_string "$(uname -r)")"
    printf '"swift":%s,' "$(json_string "$(swift --version 2>&1 | head -n 1)")"
    printf '"commit":%s,' "$(json_string "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)")"
    printf '"gateway_binary_built":%s,' "$(json_string "$(date -u -r "$BIN/mcp-gateway" +%Y-%m-%dT%H:%M:%SZ)")"
    printf '"worktree_dirty":%s,' "$(if [[ -n "$(git status --porcelain -- Sources Package.swift 2>/dev/null)" ]]; then echo true; else echo false; fi)"
    printf '"quick":%s}\n' "$(if [[ "${QUICK:-0}" == 1 ]]; then echo true; else echo false; fi)"
} >>"$JSONL"

# --- 1. invoke: direct vs through the gateway (HTTP backend), both eras, echo ceiling --
note "invoke: direct tools/call echo vs gateway_invoke (bench-backend over Streamable HTTP), legacy and 2026-07-28, bare echo, bare relays"
start backend-http "$BIN/bench-backend" --http "$BACKEND_PORT"
BACKEND_PID=$STARTED_PID
wait_ok "http://127.0.0.1:$BACKEND_PORT/health"
start echo-http "$BIN/bench-backend" --echo-http "$ECHO_PORT"
ECHO_PID=$STARTED_PID
wait_ok "http://127.0.0.1:$ECHO_PORT/health"
# The floor of a relay here (issue 16): bare SwiftNIO relays to the same backend, one copying
# bytes, one parsing and rewriting each HTTP/1.1 message; no MCP. /health goes through them.
start relay-tcp "$BIN/bench-backend" --relay-tcp "$RELAY_TCP_PORT" --to "$BACKEND_PORT"
RELAY_TCP_PID=$STARTED_PID
start relay-http "$BIN/bench-backend" --relay-http "$RELAY_HTTP_PORT" --to "$BACKEND_PORT"
RELAY_HTTP_PID=$STARTED_PID
wait_ok "http://127.0.0.1:$RELAY_TCP_PORT/health"
wait_ok "http://127.0.0.1:$RELAY_HTTP_PORT/health"
gateway_config "$WORK/http.yaml" "http_url: http://127.0.0.1:$BACKEND_PORT/mcp
    transport: streamable_http" "Benchmark backend with an echo tool"
start_gateway gateway-http "$WORK/http.yaml"
DIRECT=http://127.0.0.1:$BACKEND_PORT/mcp
GATEWAY=http://127.0.0.1:$GATEWAY_PORT/mcp
ECHO=http://127.0.0.1:$ECHO_PORT/mcp
# Interleaved so that the compared runs see the same machine: direct, legacy, 2026-07-28, echo,
# the two bare relays.
# c=32 goes round $C32_ROUNDS times; the report takes each figure's median over the rounds.
for c in 1 $(printf '32 %.0s' $(seq 1 "$C32_ROUNDS")); do
    if [[ $c == 1 ]]; then n=$C1_N w=$C1_W; else n=$C32_N w=$C32_W; fi
    load invoke --label "invoke-direct-c$c" --url "$DIRECT" --mode direct --concurrency "$c" --requests "$n" --warmup "$w" \
        --cpu-pid "$BACKEND_PID"
    load invoke --label "invoke-gateway-c$c" --url "$GATEWAY" --mode gateway --concurrency "$c" --requests "$n" --warmup "$w" \
        --cpu-pid "$GATEWAY_PID" --backend-pid "$BACKEND_PID"
    load invoke --label "invoke-gateway-modern-c$c" --url "$GATEWAY" --mode gateway --era 2026-07-28 --concurrency "$c" --requests "$n" --warmup "$w" \
        --cpu-pid "$GATEWAY_PID" --backend-pid "$BACKEND_PID"
    load invoke --label "echo-c$c" --url "$ECHO" --mode direct --concurrency "$c" --requests "$n" --warmup "$w" --cpu-pid "$ECHO_PID"
    load invoke --label "relay-tcp-c$c" --url "http://127.0.0.1:$RELAY_TCP_PORT/mcp" --mode direct --concurrency "$c" --requests "$n" \
        --warmup "$w" --cpu-pid "$RELAY_TCP_PID" --backend-pid "$BACKEND_PID"
    load invoke --label "relay-http-c$c" --url "http://127.0.0.1:$RELAY_HTTP_PORT/mcp" --mode direct --concurrency "$c" --requests "$n" \
        --warmup "$w" --cpu-pid "$RELAY_HTTP_PID" --backend-pid "$BACKEND_PID"
done
# c=32 paced: 32 clients that pause between calls, as agents do ($PACED_RATE req/s in all, about a
# quarter of what the gateway relays flat out), so latency shows the work of a call, not a queue.
# The bare echo on the same schedule gives the CPU a request costs at that rate.
for target in direct gateway echo; do
    mode=direct url=$DIRECT label=invoke-$target-c32-paced cpu=(--cpu-pid "$BACKEND_PID")
    if [[ $target == gateway ]]; then
        mode=gateway url=$GATEWAY cpu=(--cpu-pid "$GATEWAY_PID" --backend-pid "$BACKEND_PID")
    elif [[ $target == echo ]]; then
        url=$ECHO label=echo-c32-paced cpu=(--cpu-pid "$ECHO_PID")
    fi
    load invoke --label "$label" --url "$url" --mode "$mode" --concurrency 32 --rate "$PACED_RATE" \
        --requests "$PACED_N" --warmup "$C32_W" "${cpu[@]}"
done
rss_line rss-gateway-http "$GATEWAY_PID"
stop_pid "$GATEWAY_PID"
stop_pid "$ECHO_PID"
stop_pid "$RELAY_TCP_PID"
stop_pid "$RELAY_HTTP_PID"
stop_pid "$BACKEND_PID"

# --- 2. 1,000-tool stdio backend: search, invoke, memory ----------------------------
note "1,000 tools (stdio backend): memory, search, invoke"
gateway_config "$WORK/stdio-1k.yaml" "command: $BIN/bench-backend --stdio --tools 1000" "Benchmark backend with 1,000 synthetic tools"
start_gateway gateway-1k "$WORK/stdio-1k.yaml"
sleep 1
rss_line rss-1k-idle "$GATEWAY_PID"
load search --label search-1k-c1 --url "$GATEWAY" --query-file "$QUERIES" --concurrency 1 --requests "$SEARCH_N" --warmup 100 \
    --cpu-pid "$GATEWAY_PID"
load search --label search-1k-c32 --url "$GATEWAY" --query-file "$QUERIES" --concurrency 32 --requests "$SEARCH32_N" --warmup 100 \
    --cpu-pid "$GATEWAY_PID"
load invoke --label invoke-stdio-1k-c32 --url "$GATEWAY" --mode gateway --concurrency 32 --requests "$STDIO_N" --warmup 500 \
    --cpu-pid "$GATEWAY_PID"
rss_line rss-1k-loaded "$GATEWAY_PID"
stop_pid "$GATEWAY_PID"

# --- 3. cold start with the 10,000-tool configuration -------------------------------
note "cold start, 10,000-tool stdio backend (started lazily by the first client), $STARTUP_RUNS runs"
gateway_config "$WORK/stdio-10k.yaml" "command: $BIN/bench-backend --stdio --tools 10000" "Benchmark backend with 10,000 synthetic tools"
bench startup --label startup-10k --binary "$BIN/mcp-gateway" --config "$WORK/stdio-10k.yaml" \
    --runs "$STARTUP_RUNS" --port "$STARTUP_PORT" --gateway-log "$WORK/startup-gateway.log" \
    --clear-catalog-cache "$MCP_GATEWAY_CACHE_DIR"
# Restart without respawning: every start finds the catalog the previous one persisted.
note "restart with the persisted catalog, same configuration, $STARTUP_RUNS runs"
bench startup --label startup-10k-persisted --binary "$BIN/mcp-gateway" --config "$WORK/stdio-10k.yaml" \
    --runs "$STARTUP_RUNS" --port "$STARTUP_PORT" --gateway-log "$WORK/startup-gateway.log"

# --- 4. 10,000-tool stdio backend: search, invoke, context, memory ------------------
note "10,000 tools (stdio backend): memory, search, invoke, context"
start_gateway gateway-10k "$WORK/stdio-10k.yaml"
sleep 1
rss_line rss-10k-idle "$GATEWAY_PID"
load search --label search-10k-c1 --url "$GATEWAY" --query-file "$QUERIES" --concurrency 1 --requests "$SEARCH_N" --warmup 100 \
    --cpu-pid "$GATEWAY_PID"
load search --label search-10k-c32 --url "$GATEWAY" --query-file "$QUERIES" --concurrency 32 --requests "$SEARCH32_N" --warmup 100 \
    --cpu-pid "$GATEWAY_PID"
load invoke --label invoke-stdio-10k-c32 --url "$GATEWAY" --mode gateway --concurrency 32 --requests "$STDIO_N" --warmup 500 \
    --cpu-pid "$GATEWAY_PID"
if [[ -f "$FLEET_TOOLS" ]]; then
    bench context --label context --url "$GATEWAY" --fleet-tools "$FLEET_TOOLS"
else
    echo "NOTE: $FLEET_TOOLS not found: the flat-fleet context comparison is skipped (set FLEET_TOOLS to the fleet's tools.json)" >&2
    bench context --label context --url "$GATEWAY"
fi
rss_line rss-10k-loaded "$GATEWAY_PID"
stop_pid "$GATEWAY_PID"

# --- 5. peer gateways (PEERS=1) -------------------------------------------------------
if [[ "${PEERS:-0}" == 1 ]]; then
    # shellcheck source=Benchmarks/run-peers.sh
    source "$ROOT/Benchmarks/run-peers.sh"
fi

# --- report -------------------------------------------------------------------------
mkdir -p "$RESULTS"
cp "$JSONL" "$RESULTS/latest.jsonl"
note "summary"
"$BIN/gateway-bench" report --results "$JSONL" --json-out "$RESULTS/latest.json" | tee "$RESULTS/latest.md"
echo >&2
echo "wrote $RESULTS/latest.json (raw lines: latest.jsonl, tables: latest.md, logs: logs/)" >&2
