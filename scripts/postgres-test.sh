#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (Debian's package, installed here when missing): a
# new cluster in a temporary directory, listening on 127.0.0.1 only, at a free port, with password
# (SCRAM) authentication, so the tests use the real thing the way a deployment would.
#
#   eval "$(scripts/postgres-test.sh start)"   # exports MCP_GATEWAY_TEST_DATABASE_URL, PGTEST_DIR
#   scripts/postgres-test.sh stop "$PGTEST_DIR"
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` user the Debian
# package creates.
set -euo pipefail

install_if_missing() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return 0
  echo ">> installing PostgreSQL (the cluster store's tests run against it)" >&2
  local sudo
  sudo=$([[ $(id -u) == 0 ]] && echo "" || echo sudo)
  { $sudo apt-get install -y -q postgresql >/dev/null 2>&1 || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q postgresql >/dev/null; }; } \
    || { echo "!! need PostgreSQL (apt-get install postgresql)" >&2; exit 1; }
}

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n "$dir" && -x "$dir/initdb" ]] || { echo "!! no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    install_if_missing
    BIN=$(bin_dir)
    DIR=$(mktemp -d /tmp/mcp-gateway-pg.XXXXXX)
    chmod 755 "$DIR"
    [[ $(id -u) == 0 ]] && chown postgres "$DIR"
    PASSWORD=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner sh -c "umask 077; printf '%s\n' '$PASSWORD' > '$DIR/pw'"
    as_owner "$BIN/initdb" -D "$DIR/data" -U gateway --pwfile="$DIR/pw" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=200" start >/dev/null \
      || { cat "$DIR/server.log" >&2; exit 1; }
    PGPASSWORD=$PASSWORD "$BIN/createdb" -w -h 127.0.0.1 -p "$PORT" -U gateway gateway_test
    echo "export MCP_GATEWAY_TEST_DATABASE_URL='postgres://gateway:$PASSWORD@127.0.0.1:$PORT/gateway_test?sslmode=disable'"
    echo "export PGTEST_DIR='$DIR'"
    ;;
  stop)
    DIR=${2:?the directory start printed}
    BIN=$(bin_dir)
    [[ -d "$DIR/data" ]] && as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *)
    sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
