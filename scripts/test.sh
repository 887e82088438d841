#!/usr/bin/env bash
# Runs every test: builds the gateway, runs the Swift unit tests, then the interop suite
# (official MCP Python SDK as client and as backends, real MCP servers from PyPI).
# The Python environment is created by scripts/setup-test-env.sh (idempotent).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

echo "== python test environment"
scripts/setup-test-env.sh

echo "== swift build"
swift build --build-tests

echo "== swift unit tests"
swift test --skip-build

echo "== interop tests (python SDK)"
export MCP_GATEWAY_BIN="$ROOT/.build/debug/mcp-gateway"
"$ROOT/.venv/bin/python" -m pytest Tests/interop -q -p no:cacheprovider
