# Peer gateways on the same backend and load, in the same run as our gateway. Sourced by
# Benchmarks/run.sh when PEERS=1 (it uses run.sh's helpers, counts, ports and trap); not a
# standalone script. Peers come from Benchmarks/peers/setup.sh (PyPI, pinned, one venv each):
#
#   peer                                  front               backend leg            tool called
#   fastmcp create_proxy (default)        Streamable HTTP     bench-backend --http   echo
#   fastmcp create_proxy (shared session) Streamable HTTP     bench-backend --http   echo
#   fastmcp + BM25SearchTransform         Streamable HTTP     bench-backend --http   search_tools, call_tool
#   mcp-proxy                             Streamable HTTP     bench-backend --stdio  echo
#   ContextForge (mcpgateway)             Streamable HTTP     bench-backend --http   bench-echo (JWT auth)
#
# Our gateway's matching numbers: invoke-gateway-c1/c32 (HTTP backend, section 1), and
# invoke-gateway-stdio-c1/c32 measured here next to mcp-proxy (stdio backend).

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    echo "run-peers.sh is sourced by run.sh: use PEERS=1 Benchmarks/run.sh" >&2
    exit 2
fi

PEER_VENVS=$ROOT/Benchmarks/.venv-peers
PEER_DIR=$ROOT/Benchmarks/peers
PEER_BACKEND_PORT=$((PORT_BASE + 14))
PEER_PORT_FASTMCP=$((PORT_BASE + 15))
PEER_PORT_SHARED=$((PORT_BASE + 16))
PEER_PORT_BM25=$((PORT_BASE + 17))
PEER_PORT_MCP_PROXY=$((PORT_BASE + 18))
PEER_PORT_CONTEXTFORGE=$((PORT_BASE + 19))
PEER_PORT_BM25_BACKEND=$((PORT_BASE + 20))

# Counts: the slow peers get fewer requests (every run is also bounded by --max-seconds).
if [[ "${QUICK:-0}" == 1 ]]; then
    SLOW_C1_N=50 SLOW_C1_W=5 SLOW_C32_N=100 SLOW_C32_W=32
    MID_C1_N=200 MID_C1_W=20 MID_C32_N=500 MID_C32_W=64
    SEARCH_PEER_C1_N=20 SEARCH_PEER_C32_N=64 SEARCH_PEER_10K=0
else
    SLOW_C1_N=200 SLOW_C1_W=20 SLOW_C32_N=500 SLOW_C32_W=64
    MID_C1_N=1000 MID_C1_W=100 MID_C32_N=3000 MID_C32_W=300
    SEARCH_PEER_C1_N=100 SEARCH_PEER_C32_N=200 SEARCH_PEER_10K=1
fi
PEER_MAX_SECONDS=120

peer_skipped() {
    printf '{"bench":"peer-skipped","peer":%s,"reason":%s}\n' "$(json_string "$1")" "$(json_string "$2")" >>"$JSONL"
    echo "NOTE: $1 not measured: $2" >&2
}

# Waits (at most $2 s, default 60) until something answers HTTP on 127.0.0.1:$1.
wait_http() {
    local port=$1 limit=$((${2:-60} * 10)) tries=0
    until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; do
        tries=$((tries + 1))
        if ((tries > limit)); then return 1; fi
        sleep 0.1
    done
}

peer_load() {
    bench "$@" --max-seconds "$PEER_MAX_SECONDS"
}

# invoke at c=1 and c=32 against URL: peer_invoke LABEL URL N1 W1 N32 W32 [invoke options...]
peer_invoke() {
    local label=$1 url=$2 n1=$3 w1=$4 n32=$5 w32=$6
    shift 6
    peer_load invoke --label "$label-c1" --url "$url" --concurrency 1 --requests "$n1" --warmup "$w1" "$@"
    peer_load invoke --label "$label-c32" --url "$url" --concurrency 32 --requests "$n32" --warmup "$w32" "$@"
}

note "peers: installing (or checking) the pinned peer venvs"
if ! "$PEER_DIR/setup.sh"; then
    echo "peers: setup failed; see the messages above" >&2
fi
for port in "$PEER_BACKEND_PORT" "$PEER_PORT_FASTMCP" "$PEER_PORT_SHARED" "$PEER_PORT_BM25" "$PEER_PORT_MCP_PROXY" \
    "$PEER_PORT_CONTEXTFORGE" "$PEER_PORT_BM25_BACKEND"; do port_free "$port"; done
{
    versions=""
    for venv in fastmcp mcp-proxy contextforge; do
        [[ -f "$PEER_VENVS/$venv/freeze.txt" ]] || continue
        versions+=$(grep -iE '^(fastmcp|mcp-proxy|mcp-contextforge-gateway|mcp)==' "$PEER_VENVS/$venv/freeze.txt" |
            sed "s/^/$venv:/" | tr '\n' ' ')
    done
    printf '{"bench":"peer-versions","python":%s,"versions":%s}\n' \
        "$(json_string "$("$PEER_VENVS/fastmcp/bin/python" -V 2>&1 || echo '?')")" "$(json_string "$versions")"
} >>"$JSONL"

PEER_BACKEND_URL=http://127.0.0.1:$PEER_BACKEND_PORT/mcp
start peer-backend-http "$BIN/bench-backend" --http "$PEER_BACKEND_PORT"
PEER_BACKEND_PID=$STARTED_PID
wait_ok "http://127.0.0.1:$PEER_BACKEND_PORT/health"

# --- fastmcp 4.x: create_proxy over the HTTP backend ------------------------------------
if [[ -x "$PEER_VENVS/fastmcp/bin/python" ]]; then
    FASTMCP_PY=$PEER_VENVS/fastmcp/bin/python
    note "peer: fastmcp create_proxy, default (a new backend session for every request)"
    start peer-fastmcp "$FASTMCP_PY" "$PEER_DIR/fastmcp_proxy.py" --port "$PEER_PORT_FASTMCP" --backend-url "$PEER_BACKEND_URL"
    pid=$STARTED_PID
    if wait_http "$PEER_PORT_FASTMCP"; then
        peer_invoke peer-fastmcp "http://127.0.0.1:$PEER_PORT_FASTMCP/mcp" "$SLOW_C1_N" "$SLOW_C1_W" "$SLOW_C32_N" "$SLOW_C32_W" \
            --mode direct --tool echo --cpu-pid "$pid" --backend-pid "$PEER_BACKEND_PID"
        rss_line rss-peer-fastmcp "$pid"
    else
        peer_skipped "fastmcp proxy" "did not answer on port $PEER_PORT_FASTMCP within 60 s (log: results/logs/peer-fastmcp.log)"
    fi
    stop_pid "$pid"

    note "peer: fastmcp create_proxy over one connected Client (shared backend session)"
    start peer-fastmcp-shared "$FASTMCP_PY" "$PEER_DIR/fastmcp_proxy.py" --port "$PEER_PORT_SHARED" \
        --backend-url "$PEER_BACKEND_URL" --reuse-session
    pid=$STARTED_PID
    if wait_http "$PEER_PORT_SHARED"; then
        peer_invoke peer-fastmcp-shared "http://127.0.0.1:$PEER_PORT_SHARED/mcp" "$MID_C1_N" "$MID_C1_W" "$MID_C32_N" "$MID_C32_W" \
            --mode direct --tool echo --cpu-pid "$pid" --backend-pid "$PEER_BACKEND_PID"
        rss_line rss-peer-fastmcp-shared "$pid"
    else
        peer_skipped "fastmcp proxy (shared session)" "did not answer on port $PEER_PORT_SHARED within 60 s"
    fi
    stop_pid "$pid"

    # BM25 search over the same synthetic catalogs as our search benchmarks.
    for tools in 1000 10000; do
        key=$([[ $tools == 1000 ]] && echo 1k || echo 10k)
        if [[ $key == 10k && "$SEARCH_PEER_10K" != 1 ]]; then continue; fi
        note "peer: fastmcp + BM25SearchTransform over $tools tools (shared backend session)"
        start "peer-bm25-backend-$key" "$BIN/bench-backend" --http "$PEER_PORT_BM25_BACKEND" --tools "$tools"
        backend_pid=$STARTED_PID
        wait_ok "http://127.0.0.1:$PEER_PORT_BM25_BACKEND/health"
        start "peer-fastmcp-bm25-$key" "$FASTMCP_PY" "$PEER_DIR/fastmcp_proxy.py" --port "$PEER_PORT_BM25" \
            --backend-url "http://127.0.0.1:$PEER_PORT_BM25_BACKEND/mcp" --search bm25 --reuse-session
        pid=$STARTED_PID
        if wait_http "$PEER_PORT_BM25"; then
            url=http://127.0.0.1:$PEER_PORT_BM25/mcp
            if [[ $key == 1k ]]; then
                peer_load search --label "peer-fastmcp-bm25-search-$key-c1" --url "$url" --tool search_tools --limit 0 \
                    --query-file "$QUERIES" --concurrency 1 --requests "$SEARCH_PEER_C1_N" --warmup 5 \
                    --cpu-pid "$pid" --backend-pid "$backend_pid"
                peer_load search --label "peer-fastmcp-bm25-search-$key-c32" --url "$url" --tool search_tools --limit 0 \
                    --query-file "$QUERIES" --concurrency 32 --requests "$SEARCH_PEER_C32_N" --warmup 32 \
                    --cpu-pid "$pid" --backend-pid "$backend_pid"
                peer_load invoke --label peer-fastmcp-bm25-call-c1 --url "$url" --mode call-tool --tool echo \
                    --concurrency 1 --requests "$SLOW_C1_N" --warmup 5 \
                    --cpu-pid "$pid" --backend-pid "$backend_pid"
            else
                # About 2 s a search here: few requests, no warm-up beyond the first.
                peer_load search --label "peer-fastmcp-bm25-search-$key-c1" --url "$url" --tool search_tools --limit 0 \
                    --query-file "$QUERIES" --concurrency 1 --requests 5 --warmup 1 \
                    --cpu-pid "$pid" --backend-pid "$backend_pid"
                peer_load search --label "peer-fastmcp-bm25-search-$key-c32" --url "$url" --tool search_tools --limit 0 \
                    --query-file "$QUERIES" --concurrency 32 --requests 32 --warmup 0 \
                    --cpu-pid "$pid" --backend-pid "$backend_pid"
            fi
            rss_line "rss-peer-fastmcp-bm25-$key" "$pid"
        else
            peer_skipped "fastmcp + BM25 ($tools tools)" "did not answer on port $PEER_PORT_BM25 within 60 s"
        fi
        stop_pid "$pid"
        stop_pid "$backend_pid"
    done
else
    peer_skipped fastmcp "not installed (Benchmarks/peers/setup.sh failed)"
fi

# --- mcp-proxy (stdio backend), next to our gateway with the same stdio backend -----------
note "ours with a stdio backend (the leg mcp-proxy supports)"
gateway_config "$WORK/stdio-0.yaml" "command: $BIN/bench-backend --stdio" "Benchmark backend with an echo tool"
start_gateway gateway-stdio "$WORK/stdio-0.yaml"
load invoke --label invoke-gateway-stdio-c1 --url "$GATEWAY" --mode gateway --concurrency 1 --requests "$C1_N" --warmup "$C1_W" \
    --cpu-pid "$GATEWAY_PID"
load invoke --label invoke-gateway-stdio-c32 --url "$GATEWAY" --mode gateway --concurrency 32 --requests "$C32_N" --warmup "$C32_W" \
    --cpu-pid "$GATEWAY_PID"
rss_line rss-gateway-stdio "$GATEWAY_PID"
stop_pid "$GATEWAY_PID"
if [[ -x "$PEER_VENVS/mcp-proxy/bin/mcp-proxy" ]]; then
    note "peer: mcp-proxy (stdio backend)"
    start peer-mcp-proxy "$PEER_DIR/mcp_proxy.sh" "$PEER_PORT_MCP_PROXY" -- "$BIN/bench-backend" --stdio
    pid=$STARTED_PID
    if wait_http "$PEER_PORT_MCP_PROXY"; then
        peer_invoke peer-mcp-proxy "http://127.0.0.1:$PEER_PORT_MCP_PROXY/mcp" "$C1_N" "$C1_W" "$C32_N" "$C32_W" \
            --mode direct --tool echo --cpu-pid "$pid"
        rss_line rss-peer-mcp-proxy "$pid"
    else
        peer_skipped mcp-proxy "did not answer on port $PEER_PORT_MCP_PROXY within 60 s"
    fi
    stop_pid "$pid"
else
    peer_skipped mcp-proxy "not installed (Benchmarks/peers/setup.sh failed)"
fi

# --- ContextForge (HTTP backend registered through its REST API) -------------------------
if [[ -x "$PEER_VENVS/contextforge/bin/mcpgateway" ]]; then
    note "peer: ContextForge (SQLite, no Redis, one worker)"
    CF_WORK=$WORK/contextforge
    start peer-contextforge "$PEER_DIR/contextforge.sh" serve "$CF_WORK" "$PEER_PORT_CONTEXTFORGE"
    pid=$STARTED_PID
    cf_health() { curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$PEER_PORT_CONTEXTFORGE/health"; }
    tries=0
    until cf_health || ((tries > 900)); do tries=$((tries + 1)); sleep 0.1; done
    if ! cf_health; then
        peer_skipped ContextForge "no 200 on /health within 90 s (log: results/logs/peer-contextforge.log)"
    elif ! cf_tool=$("$PEER_DIR/contextforge.sh" register "$CF_WORK" "$PEER_PORT_CONTEXTFORGE" bench "$PEER_BACKEND_URL" 2>>"$WORK/peer-contextforge.log"); then
        peer_skipped ContextForge "registering bench-backend through POST /gateways failed (log: results/logs/peer-contextforge.log)"
    else
        peer_invoke peer-contextforge "http://127.0.0.1:$PEER_PORT_CONTEXTFORGE/mcp" "$SLOW_C1_N" "$SLOW_C1_W" "$SLOW_C32_N" "$SLOW_C32_W" \
            --mode direct --tool "$cf_tool" --header "authorization: Bearer $(cat "$CF_WORK/token")" \
            --cpu-pid "$pid" --backend-pid "$PEER_BACKEND_PID"
        rss_line rss-peer-contextforge "$pid"
    fi
    stop_pid "$pid"
else
    peer_skipped ContextForge "not installed (Benchmarks/peers/setup.sh could not install mcp-contextforge-gateway)"
fi
stop_pid "$PEER_BACKEND_PID"
