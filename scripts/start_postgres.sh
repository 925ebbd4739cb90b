#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests that need one (the shared-ledger tests).
# Installs Debian's postgresql package when no server binaries are present, creates a fresh
# cluster in a temporary folder (as the `postgres` user when run as root: the server refuses
# to run as root), serves it on a unix socket in that folder only (no TCP port to collide
# with), and creates the database `switchboard_test`.
# Prints shell lines for eval on stdout; everything else goes to stderr:
#   export SB_TEST_PG_DSN='host=/tmp/sb-pg.XXXX port=5432 user=postgres dbname=switchboard_test'
#   export SB_TEST_PG_DIR=/tmp/sb-pg.XXXX
# Stop it with scripts/stop_postgres.sh "$SB_TEST_PG_DIR".
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "start_postgres: installing postgresql" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
fi
BIN="$(pg_bin)"
[ -n "$BIN" ] || { echo "start_postgres: no PostgreSQL server binaries after install" >&2; exit 1; }

DIR="$(mktemp -d /tmp/sb-pg.XXXXXX)"
AS_OWNER=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$DIR"
  AS_OWNER=(runuser -u postgres --)
fi
PORT=5432  # names the socket file inside $DIR only

if ! "${AS_OWNER[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C \
       >"$DIR/initdb.log" 2>&1; then
  cat "$DIR/initdb.log" >&2
  rm -rf "$DIR"
  exit 1
fi
if ! "${AS_OWNER[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
       -o "-c listen_addresses='' -k $DIR -p $PORT -c max_connections=200" start >&2; then
  cat "$DIR/server.log" >&2
  rm -rf "$DIR"
  exit 1
fi
"${AS_OWNER[@]}" "$BIN/createdb" -h "$DIR" -p "$PORT" -U postgres switchboard_test

echo "start_postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') serving $DIR" >&2
echo "export SB_TEST_PG_DSN='host=$DIR port=$PORT user=postgres dbname=switchboard_test'"
echo "export SB_TEST_PG_DIR='$DIR'"
