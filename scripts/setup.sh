#!/usr/bin/env bash
# Installs what Switchboard needs on Debian 12, builds it, and provides the demo model.
# Idempotent: packages already present are not reinstalled, the build is incremental and
# an existing models/demo.gguf is kept.
#   scripts/setup.sh [--build-dir DIR] [--cmake-args "..."]
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=build
CMAKE_ARGS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) BUILD_DIR="$2"; shift 2 ;;
    --cmake-args) CMAKE_ARGS="$2"; shift 2 ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

PACKAGES=(build-essential cmake pkg-config ca-certificates
          libcpp-httplib-dev libcurl4-openssl-dev libyaml-cpp-dev libssl-dev
          libgtest-dev libgmock-dev libsqlite3-dev libpq-dev nlohmann-json3-dev libre2-dev)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The e2e tests use the official client libraries, pinned by the committed lockfile.
if [ ! -d tests/e2e/node_modules/openai ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

# shellcheck disable=SC2086
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release $CMAKE_ARGS >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"

# The default policies.yaml serves models/demo.gguf.
mkdir -p models
if [ ! -f models/demo.gguf ]; then
  if [ -f ../shared/models/stories260K.gguf ]; then
    cp ../shared/models/stories260K.gguf models/demo.gguf
    echo "setup: models/demo.gguf is a copy of ../shared/models/stories260K.gguf (a tiny story model)"
  else
    "$BUILD_DIR"/switchboard synth models/demo.gguf --arch llama --dim 64 --layers 2 --heads 4 --kv-heads 2 \
      --ffn 172 --ctx 512 --seed 1
    echo "setup: models/demo.gguf is a RANDOM-WEIGHT llama model made by 'switchboard synth' (it answers gibberish);"
    echo "       point local_models[].path in policies.yaml at a real llama/qwen2 GGUF for real answers"
  fi
fi
echo "setup: done ($BUILD_DIR/switchboard)"
