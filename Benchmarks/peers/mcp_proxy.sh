#!/usr/bin/env bash
# sparfenyuk/mcp-proxy as a Streamable HTTP server (http://127.0.0.1:PORT/mcp, SSE at /sse) in
# front of one stdio MCP server. Its server mode fronts stdio servers only (an HTTP backend
# would need its client mode, which serves stdio), so bench-backend runs as `--stdio`.
# The backend's tools keep their names (no aggregation). Defaults otherwise (stateful sessions).
#
#   Benchmarks/peers/mcp_proxy.sh PORT -- /path/to/bench-backend --stdio
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VENV=${PEERS_VENVS:-$HERE/../.venv-peers}/mcp-proxy
PORT=${1:?usage: mcp_proxy.sh PORT -- COMMAND [ARGS...]}
shift
[[ "${1:-}" == "--" ]] && shift
exec "$VENV/bin/mcp-proxy" --host 127.0.0.1 --port "$PORT" --log-level WARNING -- "$@"
