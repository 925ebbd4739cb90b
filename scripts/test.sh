#!/usr/bin/env bash
# Runs every test: unit and integration tests (GoogleTest under CTest) and the end-to-end
# tests with the official client libraries. Builds first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
