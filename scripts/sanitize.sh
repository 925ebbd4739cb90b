#!/usr/bin/env bash
# Runs the tests that exercise untrusted input and shared state under the sanitizers:
# AddressSanitizer + UBSan for the engine (GGUF parsing, kernels, tokenizers), the
# configuration loader and the policy engine (detectors scanning user text);
# ThreadSanitizer for the gateway, connectors and accounting (server threads, stream pumps,
# connection pools, the ledger's group commit). Needs scripts/setup.sh to have run once.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="$(nproc)"

run_suite() {  # run_suite SANITIZER BUILD_DIR LABEL_REGEX EXCLUDE_REGEX TARGETS...
  local sanitizer="$1" dir="$2" labels="$3" exclude="$4"
  shift 4
  # -O1 with line tables only: a third of the compile time of -O2 -g under ASan + UBSan,
  # and reports still name file and line.
  cmake -S . -B "$dir" -DSB_SANITIZE="$sanitizer" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -DNDEBUG" -DSB_BUILD_BENCH=OFF >/dev/null
  cmake --build "$dir" -j"$JOBS" --target "$@"
  ctest --test-dir "$dir" --output-on-failure -j"$JOBS" -L "$labels" -E "$exclude"
}

ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  run_suite address build-asan '^(local_engine|core|policies)$' '^$' test_local_engine test_core test_policies
# The multi-process gateway tests (crash and restart, replicas) time real model streams in
# separate `switchboard` processes: they run in the main suite, not under TSan's slowdown.
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp" \
  run_suite thread build-tsan '^(gateway|connectors|accounting)$' 'GatewayLedgerProcessTest|TwoGatewaysTest' \
  test_gateway test_connectors test_accounting
