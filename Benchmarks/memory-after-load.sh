#!/usr/bin/env bash
# Resident memory of the gateway with 1,000 tools, idle and after a load run (issue 18's bar:
# under 60 MB with observability on). One release gateway in front of bench-backend over stdio
# listing 1,000 tools; the load is 2,000 searches at c=1, 4,000 at c=32 and 5,000 invokes at
# c=32 from gateway-bench; VmRSS is read from /proc before and after. Each configuration runs
# ROUNDS times, one after the other, so the machine's state is shared.
#
#   Benchmarks/memory-after-load.sh                                   # the defaults (all on)
#   EXTRA=$'telemetry:\n  metrics: false\n  profiles: false\n  dashboard: false' Benchmarks/memory-after-load.sh
#   BIN=/path/to/release ROUNDS=3 Benchmarks/memory-after-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/.build-bench/release}
ROUNDS=${ROUNDS:-3}
PORT=${PORT:-29611}
QUERIES=$PWD/Benchmarks/search-queries.txt
for round in $(seq "$ROUNDS"); do
  work=$(mktemp -d)
  printf 'server:\n  port: %s\ncapabilities:\n  enabled: false\nbackends:\n  bench:\n    command: %s/bench-backend --stdio --tools 1000\n    description: b\n%s\n' \
    "$PORT" "$BIN" "${EXTRA:-}" >"$work/gateway.yaml"
  MCP_GATEWAY_CACHE_DIR=$work/cache "$BIN/mcp-gateway" serve --config "$work/gateway.yaml" --log-level warning >"$work/log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.2; done
  sleep 1
  idle=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  url=http://127.0.0.1:$PORT/mcp
  "$BIN/gateway-bench" search --url "$url" --query-file "$QUERIES" --concurrency 1 --requests 2000 --warmup 100 >/dev/null 2>&1
  "$BIN/gateway-bench" search --url "$url" --query-file "$QUERIES" --concurrency 32 --requests 4000 --warmup 100 >/dev/null 2>&1
  "$BIN/gateway-bench" invoke --url "$url" --mode gateway --concurrency 32 --requests 5000 --warmup 500 >/dev/null 2>&1
  loaded=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  printf 'round %s: idle %.1f MiB, after load %.1f MiB\n' "$round" "$(echo "$idle/1024" | bc -l)" "$(echo "$loaded/1024" | bc -l)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$work"
done
