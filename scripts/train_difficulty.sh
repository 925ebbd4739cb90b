#!/usr/bin/env bash
# Refits the difficulty scorer on split=train of ../shared/routing/routellm_eval.jsonl and
# rewrites data/difficulty_model.txt (embedded into sb_policies by the next build).
# Deterministic: the same data gives the same file, byte for byte.
#   scripts/train_difficulty.sh [build dir, default build]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
cmake -S . -B "$build_dir" >/dev/null
cmake --build "$build_dir" --target train_difficulty -j"$(nproc)"
"$build_dir/train_difficulty" --data ../shared/routing/routellm_eval.jsonl --out data/difficulty_model.txt
