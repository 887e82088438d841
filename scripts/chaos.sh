#!/usr/bin/env bash
# The chaos suite's long run (issue 17): every fault of Tests/interop/test_chaos.py, each followed
# by 10,000 calls through the gateway, with RSS required back within 10 % of its level before the
# fault; the figures go into docs/reliability.md (between its chaos-results markers).
#
#   scripts/chaos.sh                      # debug build (.build/debug/mcp-gateway)
#   MCP_GATEWAY_BIN=.build-release/release/mcp-gateway scripts/chaos.sh
#   CHAOS_CALLS=2000 scripts/chaos.sh -k flood   # fewer calls; extra args go to pytest
#   NO_DOC=1 scripts/chaos.sh             # leave the document alone
#
# The default interop suite runs the same tests without the 10,000 calls (and without the memory
# assertion); this script sets CHAOS_LONG=1.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

"$ROOT/scripts/setup-test-env.sh"
export MCP_GATEWAY_BIN=${MCP_GATEWAY_BIN:-$ROOT/.build/debug/mcp-gateway}
export MCP_INTEROP_REQUIRE_GATEWAY=1
export CHAOS_LONG=1
RESULTS=$(mktemp -t chaos-results.XXXXXX.jsonl)
export CHAOS_RESULTS=$RESULTS
echo ">> chaos suite, long run, against $MCP_GATEWAY_BIN (results: $RESULTS)"
start=$(date +%s)
status=0
# Each round makes 10,000 calls after its fault: far past the suite's 90 s per-test timeout.
"$ROOT/.venv/bin/python" -m pytest "$ROOT/Tests/interop/test_chaos.py" -p no:cacheprovider -o timeout=900 -v "$@" \
  || status=$?
took=$(( $(date +%s) - start ))
echo ">> took $took s"
if [[ -z "${NO_DOC:-}" && -s "$RESULTS" ]]; then
  heading="Long run of $(date -u +%Y-%m-%d) at $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- Sources || echo ' (with uncommitted changes)'), \`${MCP_GATEWAY_BIN#$ROOT/}\`, $(( took / 60 )) min $(( took % 60 )) s (\`scripts/chaos.sh\`, exit $status)."
  "$ROOT/.venv/bin/python" "$ROOT/Tests/interop/chaos_report.py" "$RESULTS" --doc "$ROOT/docs/reliability.md" --heading "$heading"
  echo ">> wrote docs/reliability.md"
fi
exit $status
