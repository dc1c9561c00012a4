#!/usr/bin/env bash
# The web app's end-to-end tests: installs Debian's chromium when it is missing, builds the app,
# then runs tests/e2e.ts, which starts its own dev world (`chimera dev` on free ports, temporary
# data directory), drives the app in headless Chromium with an injected wallet, and stops the
# world at the end. Exits non-zero on any failure. Screenshots: <repo>/test-output/screenshots/.
#
#   bash web/scripts/e2e.sh                                    uses target/debug/chimera (the Makefile builds it)
#   CHIMERA_BIN=/tmp/chimera-bin/chimera bash web/scripts/e2e.sh
set -euo pipefail

WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$WEB/.." && pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

# 1. A browser: Debian's chromium (playwright-core downloads none).
if [[ ! -x "$CHROMIUM" ]]; then
  if [[ "$CHROMIUM" == /usr/bin/chromium ]] && command -v apt-get > /dev/null; then
    SUDO=""
    [[ "$(id -u)" == 0 ]] || SUDO="sudo -n"
    echo "e2e.sh: installing chromium with apt-get" >&2
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >&2
  fi
  [[ -x "$CHROMIUM" ]] || { echo "e2e.sh: no chromium at $CHROMIUM (install Debian's chromium, or set CHROMIUM)" >&2; exit 1; }
fi

# 2. The service and its chain.
export CHIMERA_BIN="${CHIMERA_BIN:-target/debug/chimera}"
[[ "$CHIMERA_BIN" = /* ]] || CHIMERA_BIN="$ROOT/$CHIMERA_BIN"
[[ -x "$CHIMERA_BIN" ]] || { echo "e2e.sh: no chimera binary at $CHIMERA_BIN: build it first (cargo build), or set CHIMERA_BIN" >&2; exit 1; }
if [[ -z "${CHIMERA_ANVIL:-}" && ! -x "$ROOT/contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil" ]]; then
  echo "e2e.sh: anvil is missing; running the contracts' setup" >&2
  bash "$ROOT/contracts/scripts/setup.sh" > /dev/null
fi
# Portraits need the ONNX Runtime library; without it the app shows its "unavailable" placeholder,
# which the tests accept too.
if [[ -z "${ORT_DYLIB_PATH:-}" ]]; then
  for lib in "$ROOT"/.tools/onnxruntime/onnxruntime/capi/libonnxruntime.so.*; do
    [[ -f "$lib" ]] && export ORT_DYLIB_PATH="$lib" && break
  done
fi

# 3. The app.
bash "$WEB/scripts/build.sh"

# 4. The tests.
mkdir -p "$ROOT/test-output/screenshots"
cd "$WEB"
node --import tsx --test --test-reporter=spec --test-concurrency=1 tests/e2e.ts
