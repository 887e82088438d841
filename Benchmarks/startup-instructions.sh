#!/usr/bin/env bash
# Instructions from process start to the first answered /health, counted by valgrind's callgrind
# (repeatable, unlike wall time on this shared VM), and which code asked the Swift runtime for
# the protocol conformance lookups that dominate them: each first lookup of a (type, protocol)
# pair scans every conformance record in the static binary (~11,400 of them).
# Configuration: bench-backend over stdio with 10,000 tools, as `gateway-bench startup` in run.sh.
#
#   Benchmarks/startup-instructions.sh          # after Benchmarks/run.sh has built .build-bench
#   TOP=30 Benchmarks/startup-instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/callgrind-lib.sh
BIN=${BIN:-$PWD/.build-bench/release}
PORT=${BENCH_PORT:-29711}
TOP=${TOP:-12}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/startup-instructions.XXXXXX")
GATEWAY_PID=""
cleanup() { [[ -n $GATEWAY_PID ]] && kill "$GATEWAY_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
callgrind_ready_copy "$BIN" "$WORK"
printf 'backends:\n  bench:\n    command: %s/bench-backend --stdio --tools 10000\n    description: Benchmark backend with 10,000 synthetic tools\n' \
    "$BIN" >"$WORK/gateway.yaml"
MCP_GATEWAY_CACHE_DIR=$WORK/cache valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out.%p" \
    "$WORK/mcp-gateway" serve --config "$WORK/gateway.yaml" --port "$PORT" --log-level warning >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
wait_for_health "$PORT" "$WORK/gateway.log" 1200 0.05
file=$(callgrind_dump "$GATEWAY_PID" health "$WORK")
total=$(awk '/^summary:/ {print $2}' "$file")
callgrind_annotate --threshold=100 "$file" 2>/dev/null >"$WORK/flat.txt"
callgrind_annotate --tree=caller --inclusive=yes --threshold=100 "$file" 2>/dev/null >"$WORK/tree.txt"
python3 - "$WORK/flat.txt" "$WORK/tree.txt" "$total" "$TOP" <<'PY'
import collections, re, subprocess, sys
flat, tree, total, top = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
scan = "swift_conformsToProtocolMaybeInstantiateSuperclasses"
scanning = sum(int(m.group(1).replace(",", "")) for line in open(flat)
               if scan in line and (m := re.match(r"\s*([\d,]+) ", line)))
print(f"instructions to the first /health: {total:,}")
print(f"  in conformance scans: {scanning:,} ({100 * scanning / total:.0f}%)")

# Walk the caller tree up from the scan to the first frame outside the Swift runtime.
blocks, current = [], []
for line in open(tree).read().split("\n"):
    if line.strip():
        current.append(line)
    elif current:
        blocks.append(current)
        current = []
callers = {}
for block in blocks:
    star = next((l for l in block if re.search(r"\*  \S*?:", l)), None)
    name = star and re.search(r"\*  \S*?:(.*?) \[", star)
    if not name:
        continue
    callers[name.group(1)] = [(m.group(2), int(m.group(1).replace(",", "")))
                              for l in block if (m := re.match(r"\s*([\d,]+) \(.*?\)\s+<\s+\S*?:(.*?) \(\d[\d,]*x\)", l))]

def runtime(name):
    return bool(re.match(r"(swift|_swift|__swift|tryCast|\(anonymous|_gather|_conforms|std::|getCache|bool swift|_checkGeneric|\$ss)", name)) \
        or "swift::" in name or "Demangle" in name or name.endswith("Ma")

owners = collections.Counter()
def walk(name, cost, depth, seen):
    parents = callers.get(name, [])
    weight = sum(c for _, c in parents)
    if depth > 25 or weight == 0:
        owners[name] += cost
        return
    for parent, c in parents:
        if parent in seen:
            continue
        if runtime(parent):
            walk(parent, cost * c / weight, depth + 1, seen | {parent})
        else:
            owners[parent] += cost * c / weight
root = next((k for k in callers if k.startswith(scan + "(") and k.endswith("bool)")), None)
if root:
    walk(root, sum(c for _, c in callers[root]), 0, {root})
items = owners.most_common(top)
names = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(k for k, _ in items),
                       capture_output=True, text=True).stdout.split("\n")
print("  asked for by (first frame outside the runtime):")
for (_, cost), name in zip(items, names):
    print(f"    {cost / 1e6:6.2f}M  {name[:140]}")
PY
