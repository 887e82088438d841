#!/usr/bin/env bash
# Build the gateway and run every test suite.
#
#   scripts/test.sh                  # swift build + swift test + interop suite
#   scripts/test.sh -k progress      # extra args go to pytest
#   SKIP_BUILD=1 scripts/test.sh     # use the existing binary ($MCP_GATEWAY_BIN or .build/debug/mcp-gateway)
#   SKIP_SWIFT_TEST=1 scripts/test.sh
#   SKIP_FUZZ=1 scripts/test.sh      # without the short fuzz pass (its sanitized build is the cost)
#
# The interop suite (Tests/interop, Python + the official MCP SDK) runs with
# MCP_INTEROP_REQUIRE_GATEWAY=1, so a missing gateway binary fails instead of skipping.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo ">> swift build (with tests)"
  swift build --build-tests
fi
if [[ -z "${SKIP_SWIFT_TEST:-}" ]]; then
  # The cluster store's tests run against a real PostgreSQL server of their own (loopback, a
  # temporary directory, gone when the tests end).
  echo ">> PostgreSQL for the cluster store's tests (scripts/postgres-test.sh)"
  # Assigned first: a failed start inside eval's argument would not stop the script.
  PG_ENV=$("$ROOT/scripts/postgres-test.sh" start)
  eval "$PG_ENV"
  trap '"$ROOT/scripts/postgres-test.sh" stop "$PGTEST_DIR"' EXIT
  echo ">> swift test"
  swift test --skip-build
  "$ROOT/scripts/postgres-test.sh" stop "$PGTEST_DIR"
  trap - EXIT
  unset MCP_GATEWAY_TEST_DATABASE_URL PGTEST_DIR
fi

if [[ -z "${SKIP_FUZZ:-}" ]]; then
  # Every libFuzzer target for a few seconds from its seeds: must find nothing. An unoptimized
  # sanitized build: it takes half the release build's time (the long runs use release).
  echo ">> fuzz targets, short pass (FUZZ_BUILD=debug scripts/fuzz.sh all ${FUZZ_SECONDS:-10})"
  FUZZ_BUILD=debug "$ROOT/scripts/fuzz.sh" all "${FUZZ_SECONDS:-10}"
fi

"$ROOT/scripts/setup-test-env.sh"
# Headless Chromium and its driver from Debian's packages, for the dashboard's browser tests.
"$ROOT/scripts/setup-browser.sh"

export MCP_GATEWAY_BIN=${MCP_GATEWAY_BIN:-$ROOT/.build/debug/mcp-gateway}
export MCP_INTEROP_REQUIRE_GATEWAY=1
echo ">> interop suite against $MCP_GATEWAY_BIN"
exec "$ROOT/.venv/bin/python" -m pytest "$ROOT/Tests/interop" -p no:cacheprovider "$@"
