#!/usr/bin/env bash
# Create (or refresh) the Python environment for the interop tests:
#   <repo>/.venv  (Python 3.11) with the pinned packages of Tests/interop/requirements.txt.
# Idempotent: if the venv exists and the requirements hash matches the stamp file,
# it returns immediately.
#
#   scripts/setup-test-env.sh            # create / update
#   FORCE=1 scripts/setup-test-env.sh    # reinstall even if the stamp matches
#   PYTHON=/path/to/python3.11 scripts/setup-test-env.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
REQS="$ROOT/Tests/interop/requirements.txt"
STAMP="$VENV/.interop-requirements.sha256"

find_python() {
  local c
  for c in ${PYTHON:-} python3.11 python3; do
    [[ -z "$c" ]] && continue
    if command -v "$c" >/dev/null 2>&1 &&
       "$c" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  return 1
}

# The TLS tests make their certificates with the openssl command (Debian's `openssl` package).
if ! command -v openssl >/dev/null 2>&1; then
  echo ">> installing openssl (the TLS tests make certificates with it)"
  SUDO=$([[ $(id -u) == 0 ]] && echo "" || echo sudo)
  { $SUDO apt-get install -y -q openssl >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q openssl >/dev/null; }; } \
    || { echo "!! need the openssl command (apt-get install openssl)" >&2; exit 1; }
fi

# The packaging test checks the systemd unit with systemd-analyze (Debian's `systemd` package; the
# tool runs without systemd as PID 1).
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo ">> installing systemd (the packaging test verifies the unit with systemd-analyze)"
  SUDO=$([[ $(id -u) == 0 ]] && echo "" || echo sudo)
  { $SUDO apt-get install -y -q systemd >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q systemd >/dev/null; }; } \
    || { echo "!! need systemd-analyze (apt-get install systemd)" >&2; exit 1; }
fi

# The reverse-proxy test runs docs/deploy.md's nginx recipe with Debian's nginx (started by the
# test on a loopback port; the package's own service is not started).
if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
  echo ">> installing nginx (the reverse-proxy test runs the recipe of docs/deploy.md)"
  SUDO=$([[ $(id -u) == 0 ]] && echo "" || echo sudo)
  { $SUDO apt-get install -y -q nginx >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q nginx >/dev/null; }; } \
    || { echo "!! need nginx (apt-get install nginx)" >&2; exit 1; }
fi

hash_of() { sha256sum "$1" | cut -d' ' -f1; }
WANT=$( { hash_of "$REQS"; echo "py311"; } | sha256sum | cut -d' ' -f1)

if [[ -z "${FORCE:-}" && -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
  echo ">> $VENV is up to date"
  exit 0
fi

PY=$(find_python) || { echo "!! need python3.11 (set PYTHON=...)" >&2; exit 1; }

if [[ ! -x "$VENV/bin/python" ]]; then
  echo ">> creating $VENV with $("$PY" -V 2>&1)"
  "$PY" -m venv "$VENV"
fi

PIP_FLAGS=(--disable-pip-version-check)
[[ "${PIP_QUIET:-1}" == "1" ]] && PIP_FLAGS+=(-q)

echo ">> pip install -r ${REQS#$ROOT/}"
"$VENV/bin/python" -m pip install "${PIP_FLAGS[@]}" -r "$REQS"
# Smoke check: the SDK is importable with the 2.x API and the fleet servers are on PATH.
"$VENV/bin/python" - <<'PY'
import importlib.metadata as md
v = md.version("mcp")
assert v.startswith("2."), f"expected mcp 2.x, got {v}"
from mcp.client.session import ClientSession  # noqa: F401
PY
for exe in mcp-server-git mcp-server-time mcp-server-fetch; do
  [[ -x "$VENV/bin/$exe" ]] || { echo "!! missing $VENV/bin/$exe" >&2; exit 1; }
done

echo "$WANT" > "$STAMP"
echo ">> $VENV ready ($("$VENV/bin/python" -c 'import importlib.metadata as m; print("mcp", m.version("mcp"))'))"
