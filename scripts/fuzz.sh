#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (Sources/Fuzz, docs/reliability.md).
#
#   scripts/fuzz.sh list                     # the targets
#   scripts/fuzz.sh FuzzJSON 60              # one target for 60 s (0: no time limit)
#   scripts/fuzz.sh all 5                    # every target for 5 s each (the short pass of scripts/test.sh)
#   scripts/fuzz.sh FuzzJSON 0 -runs=10000000  # extra arguments go to libFuzzer
#
# Builds with -sanitize=fuzzer,address in release mode into .build-fuzz (MCP_GATEWAY_FUZZ=1
# adds the targets to Package.swift); FUZZ_BUILD=debug builds unoptimized into
# .build-fuzz-debug instead: half the build time (~7 min cold against ~15 on 2 cores), a
# fifth to a half of the inputs a second. The test command's short pass uses it; long runs
# want release. Each run reads the committed seeds in
# Tests/Fuzz/corpus/<target> and grows a working corpus in .fuzz/corpus/<target> (git-ignored);
# its log is .fuzz/logs/<target>.log. Exits non-zero on any finding and prints the path of
# the input that caused it (.fuzz/artifacts/<target>/crash-…); reproduce with
#   .build-fuzz/release/<target> <that file>       (.build-fuzz-debug/debug/… with FUZZ_BUILD=debug)
# FUZZ_SKIP_BUILD=1 uses the binaries already built; FUZZ_LOG_DIR puts the logs elsewhere.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

TARGETS=(FuzzJSON FuzzJSONRPC FuzzSSE FuzzHeaders FuzzConfig FuzzCapabilities)

# Longest input per target: past the JSON nesting limit (512) for the JSON readers, a whole
# small config or capability file for the YAML ones.
max_len() {
  case "$1" in
    FuzzJSON | FuzzJSONRPC) echo 4096 ;;
    FuzzConfig | FuzzCapabilities) echo 8192 ;;
    *) echo 1024 ;;
  esac
}

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }

[[ $# -ge 1 ]] || usage
if [[ "$1" == list ]]; then printf '%s\n' "${TARGETS[@]}"; exit 0; fi
[[ $# -ge 2 ]] || usage
WHICH=$1
SECONDS_EACH=$2
shift 2
if [[ "$WHICH" == all ]]; then
  SELECTED=("${TARGETS[@]}")
else
  [[ " ${TARGETS[*]} " == *" $WHICH "* ]] || { echo "unknown target $WHICH (scripts/fuzz.sh list)" >&2; exit 2; }
  SELECTED=("$WHICH")
fi

case "${FUZZ_BUILD:-release}" in
  release) SCRATCH=.build-fuzz ;;
  debug) SCRATCH=.build-fuzz-debug ;;
  *) echo "FUZZ_BUILD is release or debug, not ${FUZZ_BUILD}" >&2; exit 2 ;;
esac
MODE=${FUZZ_BUILD:-release}
BIN_DIR="$ROOT/$SCRATCH/$MODE"
if [[ -z "${FUZZ_SKIP_BUILD:-}" ]]; then
  for target in "${SELECTED[@]}"; do
    echo ">> building $target ($MODE, -sanitize=fuzzer,address)"
    # The filter drops known warnings: a dependency's CMakeLists.txt files, and gold's notes
    # on ASan's own symbols that every sanitized link prints (dozens in a debug link).
    if ! MCP_GATEWAY_FUZZ=1 swift build -c "$MODE" --scratch-path "$SCRATCH" \
      -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing --product "$target" 2>&1 \
      | { grep -Ev "unhandled; explicitly declare|CMakeLists.txt|Cannot export local symbol '__asan_" || true; }; then
      echo "build of $target failed" >&2
      exit 1
    fi
  done
fi

# The Swift runtime's backtracer would hold the crash for seconds; libFuzzer prints its own.
export SWIFT_BACKTRACE=enable=no

status=0
for target in "${SELECTED[@]}"; do
  seeds="$ROOT/Tests/Fuzz/corpus/$target"
  work="$ROOT/.fuzz/corpus/$target"
  artifacts="$ROOT/.fuzz/artifacts/$target/"
  log="${FUZZ_LOG_DIR:-$ROOT/.fuzz/logs}/$target.log"
  mkdir -p "$seeds" "$work" "$artifacts" "$(dirname "$log")"
  args=(-max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$artifacts")
  [[ "$SECONDS_EACH" != 0 ]] && args+=(-max_total_time="$SECONDS_EACH")
  started=$(date +%s)
  if "$BIN_DIR/$target" "${args[@]}" "$@" "$work" "$seeds" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(ls "$work" | wc -l)
  echo "$target: $result — ${runs:-?} inputs in $(( $(date +%s) - started )) s (${rate:-?}/s), working corpus $corpus files, log $log"
  if [[ $result != ok ]]; then
    grep -E "Fatal error|ERROR: |SUMMARY|^==[0-9]+==|^    #[0-9]+ " "$log" | head -30 || true
    crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    echo "$target: finding saved to ${crash:-(none written; see the log)}"
  fi
done
exit $status
