// What the app needs to know before it draws anything: the contract (from the service) and,
// optionally, a public RPC URL for the chain (from /config.json, written at build time when
// CHIMERA_RPC_URL is set; see scripts/build.sh). Without an RPC URL the app can still ask the
// wallet to *switch* to the chain, but not to *add* it, and it reads the chain through the wallet.

import { api, type ContractInfo } from './api';

export interface AppConfig {
  /** The Chimera contract: chain id, address, deployment block, ABI. */
  contract: ContractInfo;
  /** A JSON-RPC URL for the chain, if the deployment published one. */
  rpcUrl?: string;
  /** The chain's name as wallets should show it. */
  chainName: string;
}

interface ConfigFile {
  rpc_url?: string;
  chain_name?: string;
}

async function readConfigFile(): Promise<ConfigFile> {
  try {
    const response = await fetch('/config.json', { headers: { accept: 'application/json' } });
    // The service answers unknown paths with index.html (the app's own fallback): not a config.
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return {};
    return (await response.json()) as ConfigFile;
  } catch {
    return {};
  }
}

export async function loadConfig(): Promise<AppConfig> {
  const [contract, file] = await Promise.all([api.contract(), readConfigFile()]);
  const chainName = file.chain_name ?? (contract.chain_id === 31337 ? 'Chimera dev chain (Anvil)' : `Chain ${contract.chain_id}`);
  return { contract, rpcUrl: file.rpc_url || undefined, chainName };
}
