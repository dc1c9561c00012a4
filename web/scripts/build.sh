#!/usr/bin/env bash
# Builds the web app into web/dist (the Chimera service serves it at `/`).
#
#   bash web/scripts/build.sh                      install (npm ci, only when the lockfile changed), typecheck, vite build
#   CHIMERA_RPC_URL=https://… bash web/scripts/build.sh
#                                                  also write dist/config.json with that public RPC URL, so the app
#                                                  can *add* the chain to a wallet that lacks it (and read the chain
#                                                  without a wallet); CHIMERA_CHAIN_NAME names the chain there
#
# Idempotent: `npm ci` runs only when node_modules does not match package-lock.json.
set -euo pipefail

WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$WEB"

lock_hash() { sha256sum package-lock.json | cut -d' ' -f1; }
STAMP="node_modules/.chimera-lock-sha256"
if [[ ! -d node_modules || ! -f "$STAMP" || "$(cat "$STAMP")" != "$(lock_hash)" ]]; then
  echo "build.sh: installing the web app's packages (npm ci)" >&2
  # No package here needs its install script (esbuild's and rolldown's binaries come as
  # optional per-platform packages).
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  lock_hash > "$STAMP"
fi

node_modules/.bin/tsc --noEmit -p tsconfig.json
node_modules/.bin/tsc --noEmit -p tsconfig.node.json
node_modules/.bin/vite build --logLevel warn

if [[ -n "${CHIMERA_RPC_URL:-}" ]]; then
  node -e '
    const [url, name] = process.argv.slice(1);
    const config = { rpc_url: url };
    if (name) config.chain_name = name;
    require("fs").writeFileSync("dist/config.json", JSON.stringify(config, null, 2) + "\n");
  ' "$CHIMERA_RPC_URL" "${CHIMERA_CHAIN_NAME:-}"
  echo "build.sh: dist/config.json points wallets at $CHIMERA_RPC_URL" >&2
fi
echo "build.sh: built $WEB/dist" >&2
