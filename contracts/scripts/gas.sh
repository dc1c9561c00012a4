#!/usr/bin/env bash
# Prints the gas figures: Fusion.breed alone (gasleft() around the library call, mean and max
# over 64 seeds), and Chimera.breed / Chimera.hatch (fuse + mint) from forge's gas report.
# --isolate runs each call as its own transaction, so storage is cold as on chain; the
# report's figures are whole transactions (they include the 21 000 intrinsic gas).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
"$FORGE" build
"$FORGE" test --match-contract GasTest --isolate --gas-report -vv
