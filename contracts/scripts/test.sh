#!/usr/bin/env bash
# Sets up the toolchain, builds, and runs every contract test (unit, fuzz, and the shared
# breed vectors in ../tests/vectors/breed.hex). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
"$FORGE" build
"$FORGE" test "$@"
