#!/usr/bin/env bash
# Copies the ABI and creation bytecode of the compiled Chimera contract from forge's out/ into
# contracts/artifacts/Chimera.json, the committed file the Rust crate compiles its bindings from
# (so `cargo build` works before any forge run). tests/contract.rs fails if the two drift apart.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node - "$root/contracts/out/Chimera.sol/Chimera.json" "$root/contracts/artifacts/Chimera.json" <<'JS'
const fs = require('fs');
const [src, dst] = process.argv.slice(2);
const a = JSON.parse(fs.readFileSync(src, 'utf8'));
const out = { abi: a.abi, bytecode: { object: a.bytecode.object } };
fs.mkdirSync(require('path').dirname(dst), { recursive: true });
const text = JSON.stringify(out, null, 1) + '\n';
if (!fs.existsSync(dst) || fs.readFileSync(dst, 'utf8') !== text) {
  fs.writeFileSync(dst, text);
  console.error(`export_contract_artifact: wrote ${dst}`);
}
JS
