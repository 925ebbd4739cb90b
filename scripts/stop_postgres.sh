#!/usr/bin/env bash
# Stops a server made by scripts/start_postgres.sh and deletes its folder.
#   scripts/stop_postgres.sh DIR     (DIR: the SB_TEST_PG_DIR it printed)
set -euo pipefail
DIR="${1:?usage: stop_postgres.sh DIR}"
case "$DIR" in /tmp/sb-pg.*) ;; *) echo "stop_postgres: not a start_postgres.sh folder: $DIR" >&2; exit 2 ;; esac
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
AS_OWNER=()
[ "$(id -u)" -eq 0 ] && AS_OWNER=(runuser -u postgres --)
"${AS_OWNER[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
rm -rf "$DIR"
