#!/usr/bin/env bash
# What authentication costs a relayed call: instructions per gateway_invoke relayed to
# bench-backend over HTTP (the lean POST path in, the lean HTTP client out), counted by
# valgrind's callgrind, for one build run three ways side by side: no authentication, an API
# key (`X-API-Key`), and an OAuth JWT (RS256, verified once, then answered from the
# verified-token cache), at c=1 and c=16, in interleaved rounds.
#
#   Benchmarks/auth-instructions.sh                    # BIN defaults to .build-bench/release
#   ROUNDS=3 N=400 Benchmarks/auth-instructions.sh
#   PROFILE_DIR=/tmp/cg Benchmarks/auth-instructions.sh  # keep the dumps for callgrind_annotate
#
# Build with: swift build -c release --static-swift-stdlib --scratch-path .build-bench
# The JWT run needs the interop venv (scripts/setup-test-env.sh) for the test issuer.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/callgrind-lib.sh
BIN=${BIN:-$PWD/.build-bench/release}
ROUNDS=${ROUNDS:-2}
N=${N:-400}
PORT_BASE=${BENCH_PORT_BASE:-29800}
BACKEND_PORT=$((PORT_BASE + 10))
callgrind_workspace auth-instructions
start_http_bench_backend "$BACKEND_PORT"
KEY=$(random_bench_key)

MODES=(none apikey)
declare -A HEADER=([none]="" [apikey]="X-API-Key: $KEY")
if [[ -x .venv/bin/python && -f Tests/interop/servers/oauth_issuer.py ]]; then
    ISSUER_PORT=$((PORT_BASE + 20))
    # The JWT gateway is the third: its port is PORT_BASE + 13, its resource URL the audience.
    .venv/bin/python Tests/interop/servers/oauth_issuer.py --port "$ISSUER_PORT" \
        --audience "http://127.0.0.1:$((PORT_BASE + 13))/mcp" >"$WORK/issuer.log" 2>&1 & PIDS+=($!)
    for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$ISSUER_PORT/jwks" && break; sleep 0.1; done
    MODES+=(jwt)
else
    echo "no .venv or test issuer: the JWT run is skipped" >&2
fi

declare -A GATEWAY_PIDS GATEWAY_PORTS
port=$((PORT_BASE + 11))
mkdir -p "$WORK/bin"
callgrind_ready_copy "$BIN" "$WORK/bin"
for mode in "${MODES[@]}"; do
    mkdir -p "$WORK/$mode" "$DUMPS/$mode"
    auth=""
    case $mode in
        apikey) auth=$(printf 'auth:\n  api_keys:\n    - {name: bench, key: "%s"}\n' "$KEY") ;;
        jwt)
            audience="http://127.0.0.1:$port/mcp"
            auth=$(printf 'auth:\n  oauth:\n    issuer: http://127.0.0.1:%s\n    audience: %s\n' "$ISSUER_PORT" "$audience")
            token=$(curl -sf -X POST "http://127.0.0.1:$ISSUER_PORT/mint" -H 'content-type: application/json' \
                -d "{\"claims\": {\"sub\": \"bench\", \"aud\": \"$audience\", \"exp\": $(( $(date +%s) + 3600 ))}}" \
                | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
            HEADER[jwt]="Authorization: Bearer $token" ;;
    esac
    printf 'server:\n  host: 127.0.0.1\n  port: %s\nmeta_mcp:\n  warm_start: ["*"]\ncapabilities:\n  enabled: false\nbackends:\n  http:\n    http_url: http://127.0.0.1:%s/mcp\n    description: Benchmark backend over HTTP\n%s\n' \
        "$port" "$BACKEND_PORT" "$auth" >"$WORK/$mode/gateway.yaml"
    MCP_GATEWAY_CACHE_DIR=$WORK/$mode/cache valgrind --tool=callgrind --instr-atstart=no \
        --callgrind-out-file="$DUMPS/$mode/callgrind.out.%p" \
        "$WORK/bin/mcp-gateway" --config "$WORK/$mode/gateway.yaml" --log-level warning >"$WORK/$mode/gateway.log" 2>&1 &
    GATEWAY_PIDS[$mode]=$!
    GATEWAY_PORTS[$mode]=$port
    PIDS+=($!)
    wait_for_health "$port" "$WORK/$mode/gateway.log"
    callgrind_control --instr=on "$!" >/dev/null 2>&1
    headers=()
    [[ -n ${HEADER[$mode]} ]] && headers=(--header "${HEADER[$mode]}")
    "$BIN/gateway-bench" invoke --url "http://127.0.0.1:$port/mcp" --mode gateway --server http "${headers[@]}" \
        --concurrency 4 --requests 200 --warmup 0 >/dev/null 2>&1
    port=$((port + 1))
done

measure() { # mode concurrency round
    local pid=${GATEWAY_PIDS[$1]} url="http://127.0.0.1:${GATEWAY_PORTS[$1]}/mcp" label="$1_$2_$3" file headers=()
    [[ -n ${HEADER[$1]} ]] && headers=(--header "${HEADER[$1]}")
    callgrind_control --zero "$pid" >/dev/null 2>&1
    "$BIN/gateway-bench" invoke --url "$url" --mode gateway --server http "${headers[@]}" --concurrency "$2" --requests "$N" \
        --warmup 0 2>&1 | grep -q "errors 0" || { echo "$label: the load had errors" >&2; exit 1; }
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
modes = [m for m in ("none", "apikey", "jwt") if any(k[0] == m for k in counts)]
print("\nmedian instructions per relayed call (gateway process, all threads), against no authentication:")
print("| c | " + " | ".join(modes) + " | " + " | ".join(f"{m} / none" for m in modes[1:]) + " |")
print("|---|" + "---|" * (2 * len(modes) - 1))
for c in ("1", "16"):
    base = statistics.median(counts[("none", c)])
    values = [statistics.median(counts[(m, c)]) for m in modes]
    print(f"| {c} | " + " | ".join(f"{v:,.0f}" for v in values) + " | " + " | ".join(f"{v / base:.3f}" for v in values[1:]) + " |")
PY
