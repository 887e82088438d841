#!/usr/bin/env bash
# IBM ContextForge (PyPI mcp-contextforge-gateway) as an MCP gateway on 127.0.0.1, self-contained:
# SQLite in WORKDIR, no Redis, one uvicorn worker (its `mcpgateway` command's default).
#
#   contextforge.sh serve WORKDIR PORT                 # exec's the server (run it in the background)
#   contextforge.sh register WORKDIR PORT NAME URL     # once /health answers: registers URL (Streamable
#                                                      # HTTP) as gateway NAME, waits until its tools are
#                                                      # listed, writes WORKDIR/token (a JWT for /mcp) and
#                                                      # prints the echo tool's name (NAME-echo)
#
# Settings that differ from its defaults, and why (see BENCHMARKS.md):
#   DATABASE_URL        SQLite file in WORKDIR (the default is ./mcp.db in the current directory)
#   JWT_SECRET_KEY, AUTH_ENCRYPTION_SECRET, PLATFORM_ADMIN_PASSWORD, BASIC_AUTH_PASSWORD
#                       random per run (it refuses weak or default secrets)
#   SSRF_ALLOW_LOCALHOST=true    the backend is on 127.0.0.1, which its SSRF guard blocks by default
#   RATE_LIMITING_ENABLED=false  its default limit is 100 requests/min per client on /mcp
#   CACHE_TYPE=memory   single process, no Redis (default: database)
# Auth stays on: the load generator sends `Authorization: Bearer $(cat WORKDIR/token)`.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VENV=${PEERS_VENVS:-$HERE/../.venv-peers}/contextforge
cmd=${1:?usage: contextforge.sh serve|register WORKDIR PORT ...}
WORKDIR=${2:?WORKDIR}
PORT=${3:?PORT}
mkdir -p "$WORKDIR"
ENV_FILE=$WORKDIR/contextforge.env

secret() { printf 'bench-%s' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"; }

if [[ ! -f "$ENV_FILE" ]]; then
    umask 077
    {
        echo "export DATABASE_URL=sqlite:///$WORKDIR/contextforge.db"
        echo "export JWT_SECRET_KEY=$(secret)"
        echo "export AUTH_ENCRYPTION_SECRET=$(secret)"
        echo "export PLATFORM_ADMIN_EMAIL=admin@example.com"
        echo "export PLATFORM_ADMIN_PASSWORD=Bench-$(secret)-1"
        echo "export BASIC_AUTH_PASSWORD=Bench-$(secret)-1"
        echo "export SSRF_ALLOW_LOCALHOST=true"
        echo "export RATE_LIMITING_ENABLED=false"
        echo "export CACHE_TYPE=memory"
        echo "export LOG_LEVEL=ERROR"
        echo "export HOST=127.0.0.1 PORT=$PORT MCG_HOST=127.0.0.1 MCG_PORT=$PORT"
    } >"$ENV_FILE"
fi
# shellcheck disable=SC1090
source "$ENV_FILE"
cd "$WORKDIR"

case "$cmd" in
serve)
    exec "$VENV/bin/mcpgateway" --host 127.0.0.1 --port "$PORT" --log-level warning
    ;;
register)
    name=${4:?NAME} url=${5:?URL}
    token=$("$VENV/bin/python" -m mcpgateway.utils.create_jwt_token -u admin@example.com --admin -e 120 2>/dev/null | tail -n 1)
    printf '%s' "$token" >"$WORKDIR/token"
    base=http://127.0.0.1:$PORT
    body=$(printf '{"name":"%s","url":"%s","transport":"STREAMABLEHTTP"}' "$name" "$url")
    answer=$(curl -sS --max-time 30 -X POST "$base/gateways" -H "authorization: Bearer $token" \
        -H 'content-type: application/json' -d "$body")
    [[ "$answer" == *'"id"'* ]] || { echo "contextforge: registering $url failed: ${answer:0:400}" >&2; exit 1; }
    for _ in $(seq 1 100); do
        if curl -sS --max-time 5 "$base/tools" -H "authorization: Bearer $token" | grep -q "\"name\":\"$name-echo\""; then
            echo "$name-echo"
            exit 0
        fi
        sleep 0.1
    done
    echo "contextforge: tool $name-echo never listed" >&2
    exit 1
    ;;
*)
    echo "contextforge.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
