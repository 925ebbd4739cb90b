#!/usr/bin/env bash
# Runs every test: unit and integration tests (GoogleTest under CTest) and the end-to-end
# tests with the official client libraries. Builds first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# A throwaway PostgreSQL server for the shared-ledger tests (they skip, saying why, without one).
if [ -z "${SB_TEST_PG_DSN:-}" ]; then
  if pg_env="$(scripts/start_postgres.sh)"; then
    eval "$pg_env"
    trap 'scripts/stop_postgres.sh "$SB_TEST_PG_DIR"' EXIT
  else
    echo "test: no PostgreSQL server could be started; the PostgreSQL ledger tests will skip" >&2
  fi
fi

ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
