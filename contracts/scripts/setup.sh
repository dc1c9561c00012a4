#!/usr/bin/env bash
# Installs the contracts' toolchain from npm (Foundry's forge/cast/anvil, solcjs, OpenZeppelin)
# and readies the ./solc wrapper. Idempotent: `npm ci` runs only when node_modules does not
# match package-lock.json. Needs only node and npm.
#
# Also compiles the contracts (forge build), so out/ holds the artifacts.
#
#   bash scripts/setup.sh          install if needed, build, print the tool paths
#   source scripts/setup.sh        same (quietly), and leave FORGE, CAST, ANVIL set in the caller
set -euo pipefail

CONTRACTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The native binaries ship in per-platform npm packages, which package.json pins directly
# (the @foundry-rs/forge|cast|anvil wrapper packages list per-platform optional dependencies
# that do not all exist on the registry, which makes `npm ci` refuse their lockfile; their
# .bin/ wrappers also lose the exit code). Our machines are Linux x86-64.
if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "setup.sh: the pinned Foundry binaries are for Linux x86-64, not $(uname -s)-$(uname -m)" >&2
  exit 1
fi
FORGE="$CONTRACTS_DIR/node_modules/@foundry-rs/forge-linux-amd64/bin/forge"
CAST="$CONTRACTS_DIR/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
ANVIL="$CONTRACTS_DIR/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
export FORGE CAST ANVIL

lock_hash() { sha256sum "$CONTRACTS_DIR/package-lock.json" | cut -d' ' -f1; }
STAMP="$CONTRACTS_DIR/node_modules/.chimera-lock-sha256"

if [[ ! -x "$FORGE" || ! -x "$CAST" || ! -x "$ANVIL" || ! -f "$CONTRACTS_DIR/node_modules/solc/package.json" \
      || ! -f "$STAMP" || "$(cat "$STAMP")" != "$(lock_hash)" ]]; then
  echo "setup.sh: installing contract tools (npm ci)" >&2
  # No package here needs an install script.
  (cd "$CONTRACTS_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  lock_hash > "$STAMP"
fi

chmod +x "$CONTRACTS_DIR/solc"
for tool in "$FORGE" "$CAST" "$ANVIL"; do
  [[ -x "$tool" ]] || { echo "setup.sh: $tool missing after npm ci" >&2; exit 1; }
done
"$CONTRACTS_DIR/solc" --version > /dev/null

# Compile, so that out/Chimera.sol/Chimera.json exists for the Rust side (tests/contract.rs);
# a no-op when nothing changed.
(cd "$CONTRACTS_DIR" && "$FORGE" build --quiet)

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  echo "forge: $FORGE"
  echo "cast:  $CAST"
  echo "anvil: $ANVIL"
  echo "solc:  $CONTRACTS_DIR/solc ($("$CONTRACTS_DIR/solc" --version | sed -n 's/^Version: //p'))"
fi
