// The player's wallet: any EIP-1193 provider (MetaMask and the like, found as `window.ethereum`
// or announced through EIP-6963). Connecting, following account and chain changes, switching to
// the contract's chain (or adding it, when an RPC URL is configured), and an ethers signer for
// transactions and the sign-in message. Holds no key: everything is signed in the wallet.

import { BrowserProvider, getAddress, toQuantity, type Eip1193Provider, type JsonRpcSigner } from 'ethers';
import type { AppConfig } from './config';

/** An EIP-1193 provider with the optional event methods wallets implement. */
export interface Eip1193 extends Eip1193Provider {
  on?(event: string, listener: (...args: unknown[]) => void): void;
  removeListener?(event: string, listener: (...args: unknown[]) => void): void;
}

/** Why a wallet step did not happen, for a message a person can act on. */
export type WalletProblem = 'no-wallet' | 'rejected' | 'wrong-chain' | 'unknown-chain' | 'no-account' | 'failed';

export class WalletError extends Error {
  constructor(readonly kind: WalletProblem, message: string) {
    super(message);
    this.name = 'WalletError';
  }
}

/** Whether an error is the wallet's "the user said no" (EIP-1193 code 4001, or ethers' wrapper). */
export function isRejection(e: unknown): boolean {
  const err = e as { code?: unknown; info?: { error?: { code?: unknown } }; error?: { code?: unknown } } | null;
  return err?.code === 4001 || err?.code === 'ACTION_REJECTED' || err?.info?.error?.code === 4001 || err?.error?.code === 4001;
}

function errorCode(e: unknown): unknown {
  const err = e as { code?: unknown; data?: { originalError?: { code?: unknown } }; error?: { code?: unknown } } | null;
  return err?.data?.originalError?.code ?? err?.error?.code ?? err?.code;
}

declare global {
  interface Window {
    ethereum?: Eip1193;
  }
}

/** The injected wallet: `window.ethereum`, else the first EIP-6963 announcement, else null. */
export async function discoverProvider(waitMs = 250): Promise<Eip1193 | null> {
  if (window.ethereum) return window.ethereum;
  const announced: Eip1193[] = [];
  const onAnnounce = (event: Event) => {
    const detail = (event as CustomEvent<{ provider?: Eip1193 }>).detail;
    if (detail?.provider) announced.push(detail.provider);
  };
  window.addEventListener('eip6963:announceProvider', onAnnounce);
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  window.removeEventListener('eip6963:announceProvider', onAnnounce);
  return window.ethereum ?? announced[0] ?? null;
}

export class Wallet {
  /** The wallet's selected account (checksummed), once connected. */
  address: string | null = null;
  /** The chain the wallet is on. */
  chainId: number | null = null;
  /** Subscribers to account and chain changes. */
  private readonly listeners = new Set<() => void>();
  /** ethers' view of the wallet, rebuilt when the chain changes (ethers pins a network). */
  private browser: BrowserProvider | null = null;

  constructor(readonly provider: Eip1193, private readonly config: AppConfig) {
    provider.on?.('accountsChanged', (accounts) => {
      const list = accounts as string[];
      this.address = list[0] ? getAddress(list[0]) : null;
      this.browser = null;
      this.emit();
    });
    provider.on?.('chainChanged', (id) => {
      this.chainId = Number(id as string);
      this.browser = null;
      this.emit();
    });
  }

  /** The chain the contract lives on. */
  get expectedChainId(): number {
    return this.config.contract.chain_id;
  }

  get onRightChain(): boolean {
    return this.chainId === this.expectedChainId;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  private async readChain(): Promise<void> {
    this.chainId = Number((await this.provider.request({ method: 'eth_chainId' })) as string);
  }

  /** Pick up an account the site was already allowed to see, without a prompt. */
  async restore(): Promise<void> {
    const accounts = (await this.provider.request({ method: 'eth_accounts' })) as string[];
    this.address = accounts[0] ? getAddress(accounts[0]) : null;
    await this.readChain();
    this.emit();
  }

  /** Ask the wallet for an account. */
  async connect(): Promise<string> {
    let accounts: string[];
    try {
      accounts = (await this.provider.request({ method: 'eth_requestAccounts' })) as string[];
    } catch (e) {
      if (isRejection(e)) throw new WalletError('rejected', 'You declined the connection request in your wallet. Press Connect wallet to try again.');
      throw new WalletError('failed', `The wallet could not connect: ${(e as Error).message}`);
    }
    if (!accounts[0]) throw new WalletError('no-account', 'The wallet shared no account: unlock it or create an account, then connect again.');
    this.address = getAddress(accounts[0]);
    await this.readChain();
    this.browser = null;
    this.emit();
    return this.address;
  }

  /** Move the wallet to the contract's chain; add the chain first when the wallet lacks it and an RPC URL is configured. */
  async switchChain(): Promise<void> {
    const chainId = toQuantity(this.expectedChainId);
    try {
      await this.provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId }] });
    } catch (e) {
      if (isRejection(e)) throw new WalletError('rejected', 'You declined the network switch. Chimera only works on its own chain.');
      if (errorCode(e) !== 4902) throw new WalletError('failed', `The wallet could not switch networks: ${(e as Error).message}`);
      if (!this.config.rpcUrl) {
        throw new WalletError(
          'unknown-chain',
          `Your wallet does not know chain ${this.expectedChainId} (${this.config.chainName}). Add it in the wallet with chain id ${this.expectedChainId} and the RPC URL your operator gives (for a local dev world: the "chain" URL \`chimera dev\` prints), then press Switch network again.`,
        );
      }
      try {
        await this.provider.request({
          method: 'wallet_addEthereumChain',
          params: [{
            chainId,
            chainName: this.config.chainName,
            rpcUrls: [this.config.rpcUrl],
            nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
          }],
        });
      } catch (e2) {
        if (isRejection(e2)) throw new WalletError('rejected', 'You declined adding the network. Chimera only works on its own chain.');
        throw new WalletError('failed', `The wallet could not add the network: ${(e2 as Error).message}`);
      }
    }
    await this.readChain();
    this.browser = null;
    this.emit();
  }

  /** ethers over the wallet, polling once a second (dev chains mine every second). */
  ethers(): BrowserProvider {
    if (!this.browser) {
      this.browser = new BrowserProvider(this.provider, 'any');
      this.browser.pollingInterval = 1000;
    }
    return this.browser;
  }

  /** A signer for the connected account on the right chain, or a WalletError saying what is missing. */
  async signer(): Promise<JsonRpcSigner> {
    if (!this.address) throw new WalletError('no-account', 'Connect your wallet first.');
    if (!this.onRightChain) {
      throw new WalletError('wrong-chain', `Your wallet is on chain ${this.chainId}; switch it to chain ${this.expectedChainId} (${this.config.chainName}) first.`);
    }
    return this.ethers().getSigner(this.address);
  }
}
