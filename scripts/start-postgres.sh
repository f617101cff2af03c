#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tuning tests, listening on
# 127.0.0.1 only, and prints the line that exports its URL:
#
#   eval "$(scripts/start-postgres.sh)"     # sets TYPEGRAD_PG_URL
#   scripts/start-postgres.sh stop          # stops it
#
# Installs Debian's `postgresql` package when missing (as root). The server
# refuses to run as root, so as root it runs as the `postgres` user. Data
# live in $TYPEGRAD_PG_DIR (default /tmp/typegrad-pg-$PORT); port
# $TYPEGRAD_PG_PORT (default 54329). Rerunning it reuses a running server.
set -euo pipefail
PORT="${TYPEGRAD_PG_PORT:-54329}"
DIR="${TYPEGRAD_PG_DIR:-/tmp/typegrad-pg-$PORT}"
DB=typegrad
log() { echo "start-postgres: $*" >&2; }

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
BIN="$(bin_dir || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing postgresql"
    (apt-get -o DPkg::Lock::Timeout=600 install -y -q postgresql >/dev/null 2>&1 \
      || (apt-get update -q >/dev/null 2>&1 && apt-get -o DPkg::Lock::Timeout=600 install -y -q postgresql >/dev/null 2>&1))
    BIN="$(bin_dir)"
  else
    log "PostgreSQL is not installed (apt-get install postgresql)"; exit 1
  fi
fi

# Run server commands as `postgres` when root, else as ourselves.
if [ "$(id -u)" = 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi

if [ "${1:-}" = stop ]; then
  as_pg "$BIN/pg_ctl" -D "$DIR" -m fast stop >&2 || true
  exit 0
fi

if [ ! -f "$DIR/PG_VERSION" ]; then
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
  chmod 700 "$DIR"
  as_pg "$BIN/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --no-instructions >&2
fi
SOCK="$DIR/socket"
if ! as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  as_pg mkdir -p "$SOCK"
  as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PORT -k $SOCK -c fsync=off -c max_connections=100" start >&2
fi
if ! as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qc "CREATE DATABASE $DB" >&2
fi
log "PostgreSQL on 127.0.0.1:$PORT, database $DB (data in $DIR)"
echo "export TYPEGRAD_PG_URL=postgres://postgres@127.0.0.1:$PORT/$DB"
