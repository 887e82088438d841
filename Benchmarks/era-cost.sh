#!/usr/bin/env bash
# Per-call cost of the 2026-07-28 path against the legacy path through one gateway: ROUNDS
# interleaved rounds (the order of the eras alternates), each a gateway_invoke load at c=1 and c=32
# against bench-backend over HTTP. Per load: the gateway's CPU time and context switches per call
# (`perf stat -p`, needs the `linux-perf` package) and the load generator's throughput and p50.
# Prints one line per load and the medians of the per-round ratios.
#
#   Benchmarks/era-cost.sh                 # after Benchmarks/run.sh has built .build-bench
#   ROUNDS=12 Benchmarks/era-cost.sh
#   CAPABILITIES=off Benchmarks/era-cost.sh   # without the built-in starter pack (default: on, as shipped)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/.build-bench/release}
ROUNDS=${ROUNDS:-6}
CAPABILITIES=${CAPABILITIES:-on}
PORT_BASE=${BENCH_PORT_BASE:-29500}
BACKEND_PORT=$((PORT_BASE + 10))
GATEWAY_PORT=$((PORT_BASE + 11))
WORK=$(mktemp -d "${TMPDIR:-/tmp}/era-cost.XXXXXX")
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
command -v perf >/dev/null || { echo "perf not found (apt-get install linux-perf)" >&2; exit 1; }

CAPABILITIES_YAML=""
[[ $CAPABILITIES == off ]] && CAPABILITIES_YAML='capabilities:\n  enabled: false\n'
printf "server:\n  host: 127.0.0.1\n  port: %s\nmeta_mcp:\n  warm_start: [\"*\"]\n${CAPABILITIES_YAML}backends:\n  bench:\n    http_url: http://127.0.0.1:%s/mcp\n    description: Benchmark backend with an echo tool\n" \
    "$GATEWAY_PORT" "$BACKEND_PORT" >"$WORK/gateway.yaml"
"$BIN/bench-backend" --http "$BACKEND_PORT" >"$WORK/backend.log" 2>&1 & PIDS+=($!)
MCP_GATEWAY_CACHE_DIR=$WORK/cache "$BIN/mcp-gateway" --config "$WORK/gateway.yaml" --log-level warning >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
tries=0
until curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$GATEWAY_PORT/health"; do
    tries=$((tries + 1)); ((tries < 300)) || { echo "gateway did not start" >&2; exit 1; }; sleep 0.05
done
URL=http://127.0.0.1:$GATEWAY_PORT/mcp
for era in legacy 2026-07-28; do   # warm both paths
    "$BIN/gateway-bench" invoke --url "$URL" --mode gateway --era "$era" --concurrency 4 --requests 2000 --warmup 0 >/dev/null 2>&1
done
for round in $(seq 1 "$ROUNDS"); do
    for c in 1 32; do
        n=$([[ $c == 1 ]] && echo 3000 || echo 10000)
        order="legacy 2026-07-28"; ((round % 2 == 0)) && order="2026-07-28 legacy"
        for era in $order; do
            line=$(perf stat -x, -e task-clock,context-switches -p "$GATEWAY_PID" -o "$WORK/stat.txt" -- \
                "$BIN/gateway-bench" invoke --url "$URL" --mode gateway --era "$era" --concurrency "$c" \
                --requests "$n" --warmup 0 2>&1 | grep '^\[')
            cpu=$(grep task-clock "$WORK/stat.txt" | cut -d, -f1)
            switches=$(grep context-switches "$WORK/stat.txt" | cut -d, -f1)
            rps=$(sed -E 's/.* ([0-9.]+) req\/s.*/\1/' <<<"$line")
            p50=$(sed -E 's/.* p50 ([0-9.]+) ms.*/\1/' <<<"$line")
            python3 -c "print(f'round $round c=$c $era: gateway cpu {$cpu/$n*1000:.0f} us/call, {$switches/$n:.2f} cs/call, $rps req/s, p50 $p50 ms')" | tee -a "$WORK/rounds.txt"
        done
    done
done
python3 - "$WORK/rounds.txt" <<'PY'
import re, statistics, sys
pairs = {}
for line in open(sys.argv[1]):
    m = re.match(r'round (\d+) c=(\d+) (\S+): gateway cpu (\d+) us/call, ([\d.]+) cs/call, ([\d.]+) req/s, p50 ([\d.]+) ms', line)
    if m:
        r, c, era, *values = m.groups()
        pairs.setdefault((r, c), {})[era] = [float(v) for v in values]
print("\n2026-07-28 / legacy, median of the per-round ratios (range):")
for c in ("1", "32"):
    rounds = [v for (r, cc), v in pairs.items() if cc == c and len(v) == 2]
    for i, name in enumerate(("gateway CPU per call", "context switches per call", "throughput", "p50")):
        ratios = [v["2026-07-28"][i] / v["legacy"][i] for v in rounds]
        print(f"  c={c} {name}: {statistics.median(ratios):.3f}x ({min(ratios):.2f}-{max(ratios):.2f}), {len(ratios)} rounds")
PY
