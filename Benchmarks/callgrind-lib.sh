# Shared by the *-instructions.sh scripts (sourced, not run): a callgrind-ready copy of the
# gateway, waiting for it to answer, and taking one labelled dump of its counts.

# callgrind_ready_copy BIN_DIR WORK: copies the gateway without its DWARF, on which valgrind
# gives up for this toolchain ("Possibly corrupted debuginfo file"); the symbols stay.
callgrind_ready_copy() {
    command -v valgrind >/dev/null || { echo "valgrind not found (apt-get install valgrind)" >&2; exit 1; }
    cp "$1/mcp-gateway" "$2/mcp-gateway"
    strip --strip-debug "$2/mcp-gateway"
}

# wait_for_health PORT LOG [TRIES] [PAUSE]: until /health answers, or the log and a failure.
wait_for_health() {
    local tries=0
    until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$1/health"; do
        tries=$((tries + 1))
        ((tries < ${3:-600})) || { echo "gateway did not start" >&2; cat "$2" >&2; exit 1; }
        sleep "${4:-0.1}"
    done
}

# callgrind_dump PID LABEL DIR: dumps PID's counts so far under LABEL, prints the dump's path.
callgrind_dump() {
    callgrind_control --dump="$2" "$1" >/dev/null 2>&1
    local file=""
    for _ in $(seq 1 100); do
        file=$(grep -l "^desc: Trigger: dump $2\$" "$3"/callgrind.out."$1".* 2>/dev/null | head -1 || true)
        [[ -n $file ]] && break
        sleep 0.1
    done
    [[ -n $file ]] || { echo "no callgrind dump for $2" >&2; return 1; }
    echo "$file"
}

# callgrind_workspace NAME: a temporary $WORK (removed on exit), $DUMPS ($PROFILE_DIR when set,
# else $WORK), and $PIDS, every process of which is stopped on exit.
callgrind_workspace() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    DUMPS=${PROFILE_DIR:-$WORK}
    mkdir -p "$DUMPS"
    PIDS=()
    trap callgrind_cleanup EXIT
}

callgrind_cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}

# start_http_bench_backend PORT: bench-backend over Streamable HTTP, stopped on exit.
start_http_bench_backend() {
    "$BIN/bench-backend" --http "$1" >"$WORK/backend.log" 2>&1 &
    PIDS+=($!)
}

# random_bench_key: a fresh API key for one run.
random_bench_key() {
    echo "bench-key-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
}
