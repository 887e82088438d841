#!/usr/bin/env bash
# Installs the peer gateways that Benchmarks/run-peers.sh measures, from PyPI, pinned, into
# Benchmarks/.venv-peers/ (git-ignored), one venv per peer because their pins conflict
# (fastmcp 4 needs mcp>=2.3, mcp-proxy and ContextForge need mcp<2):
#   .venv-peers/fastmcp       requirements-fastmcp.txt       fastmcp 4.x (proxy, BM25 search transform)
#   .venv-peers/mcp-proxy     requirements-mcp-proxy.txt     mcp-proxy (sparfenyuk)
#   .venv-peers/contextforge  requirements-contextforge.txt  mcp-contextforge-gateway (optional: a failed
#                                                            install is reported and skipped)
# Idempotent: a venv whose stamp matches its requirements file is left alone. Writes
# `pip freeze` of each venv next to it (freeze.txt) so a run records the exact versions.
#
#   Benchmarks/peers/setup.sh                 # create / update
#   FORCE=1 Benchmarks/peers/setup.sh         # reinstall
#   PEERS_SETUP=fastmcp,mcp-proxy ...         # only these
#   PYTHON=/path/to/python3 ...               # interpreter (3.10+; default python3)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VENVS=$(cd "$HERE/.." && pwd)/.venv-peers
PY=${PYTHON:-python3}
WANTED=${PEERS_SETUP:-fastmcp,mcp-proxy,contextforge}
PIP_TIMEOUT=${PIP_TIMEOUT:-900}

"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
    { echo "setup.sh: need Python 3.10+ (set PYTHON)" >&2; exit 1; }
mkdir -p "$VENVS"

install_peer() {
    local peer=$1 reqs="$HERE/requirements-$1.txt" venv="$VENVS/$1"
    local stamp="$venv/.requirements.sha256" want
    want=$({ sha256sum "$reqs" | cut -d' ' -f1; "$PY" -V 2>&1; } | sha256sum | cut -d' ' -f1)
    if [[ -z "${FORCE:-}" && -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        echo ">> $peer: up to date ($venv)" >&2
        return 0
    fi
    echo ">> $peer: installing $(grep -v '^#' "$reqs" | tr '\n' ' ')into $venv" >&2
    rm -rf "$venv"
    "$PY" -m venv "$venv"
    if ! timeout "$PIP_TIMEOUT" "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$reqs" >"$venv.install.log" 2>&1; then
        echo "!! $peer: pip install failed (log: $venv.install.log):" >&2
        tail -n 5 "$venv.install.log" >&2
        return 1
    fi
    "$venv/bin/pip" freeze --disable-pip-version-check >"$venv/freeze.txt"
    echo "$want" >"$stamp"
    echo ">> $peer: ok" >&2
}

failed=()
IFS=, read -r -a peers <<<"$WANTED"
for peer in "${peers[@]}"; do
    [[ -f "$HERE/requirements-$peer.txt" ]] || { echo "setup.sh: unknown peer '$peer'" >&2; exit 2; }
    install_peer "$peer" || failed+=("$peer")
done
if ((${#failed[@]})); then
    echo "setup.sh: not installed: ${failed[*]}" >&2
    # fastmcp and mcp-proxy are required; ContextForge is best effort.
    for peer in "${failed[@]}"; do [[ "$peer" == contextforge ]] || exit 1; done
fi
