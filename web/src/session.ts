// The player's session: the wallet (if any), the signed-in account (SIWE cookie + /api/me), a
// provider for chain reads, and the one line of news the header shows. Views read it and
// subscribe to it; only this module changes it.

import { getAddress, JsonRpcProvider, type Provider } from 'ethers';
import { api, type Me, type NonceResponse } from './api';
import { Chain } from './chain';
import type { AppConfig } from './config';
import { isRejection, Wallet, WalletError, discoverProvider } from './wallet';

/** A message for the player: `error` is shown as an alert, `info` as a status line. */
export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

/** The EIP-4361 message Chimera's service accepts (it checks domain, URI, chain id and nonce). */
export function siweMessage(n: NonceResponse, address: string, now: Date = new Date()): string {
  const expires = new Date(now.getTime() + 24 * 3600 * 1000);
  return [
    `${n.domain} wants you to sign in with your Ethereum account:`,
    getAddress(address),
    '',
    'Sign in to Chimera. This proves you hold this account; it sends no transaction and costs nothing.',
    '',
    `URI: ${n.uri}`,
    'Version: 1',
    `Chain ID: ${n.chain_id}`,
    `Nonce: ${n.nonce}`,
    `Issued At: ${now.toISOString()}`,
    `Expiration Time: ${expires.toISOString()}`,
  ].join('\n');
}

export class Session {
  /** The signed-in account, per the service's cookie; null when signed out. */
  me: Me | null = null;
  /** The injected wallet; null when the browser has none. */
  wallet: Wallet | null = null;
  /** The latest message for the header. */
  notice: Notice | null = null;
  /** A step is waiting for the wallet (buttons disable themselves meanwhile). */
  busy = false;
  /** Subscribers. */
  private readonly listeners = new Set<() => void>();
  /** Read-only provider from the configured RPC URL (when there is one). */
  private readonly rpc: Provider | null;

  constructor(readonly config: AppConfig) {
    this.rpc = config.rpcUrl
      ? new JsonRpcProvider(config.rpcUrl, config.contract.chain_id, { staticNetwork: true, pollingInterval: 1000 })
      : null;
  }

  /** Find the wallet and the session cookie; never prompts. */
  async init(): Promise<void> {
    this.me = await api.me();
    const provider = await discoverProvider();
    if (provider) {
      this.wallet = new Wallet(provider, this.config);
      this.wallet.subscribe(() => this.emit());
      try {
        await this.wallet.restore();
      } catch {
        // A locked or odd wallet: the Connect button will ask.
      }
    }
    this.emit();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(): void {
    for (const listener of this.listeners) listener();
  }

  say(kind: Notice['kind'], text: string): void {
    this.notice = { kind, text };
    this.emit();
  }

  clearNotice(): void {
    if (this.notice) {
      this.notice = null;
      this.emit();
    }
  }

  /** The account whose characters are "mine": the signed-in one, else the connected one. */
  get address(): string | null {
    return this.me?.address ?? this.wallet?.address ?? null;
  }

  /** The wallet can send transactions for the signed-in account right now. */
  get canTransact(): boolean {
    return !!this.wallet?.address && this.wallet.onRightChain;
  }

  /** The wallet's account differs from the signed-in one. */
  get accountMismatch(): boolean {
    return !!this.me && !!this.wallet?.address && this.me.address.toLowerCase() !== this.wallet.address.toLowerCase();
  }

  /** Chain reads: the configured RPC, else the wallet when it is on the right chain, else null. */
  chain(): Chain | null {
    if (this.rpc) return new Chain(this.config.contract, this.rpc);
    if (this.wallet?.address && this.wallet.onRightChain) return new Chain(this.config.contract, this.wallet.ethers());
    return null;
  }

  /** Run a wallet step with the busy flag and the error shown as the notice. */
  private async step(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.notice = null;
    this.emit();
    try {
      await work();
    } catch (e) {
      this.notice = { kind: 'error', text: e instanceof Error ? e.message : String(e) };
    } finally {
      this.busy = false;
      this.emit();
    }
  }

  connect(): Promise<void> {
    return this.step(async () => {
      if (!this.wallet) throw new WalletError('no-wallet', noWalletText);
      await this.wallet.connect();
    });
  }

  switchChain(): Promise<void> {
    return this.step(async () => {
      if (!this.wallet) throw new WalletError('no-wallet', noWalletText);
      await this.wallet.switchChain();
    });
  }

  /** Connect if needed, check the chain, sign the SIWE message, start the session. */
  signIn(): Promise<void> {
    return this.step(async () => {
      const wallet = this.wallet;
      if (!wallet) throw new WalletError('no-wallet', noWalletText);
      const address = wallet.address ?? (await wallet.connect());
      if (!wallet.onRightChain) {
        throw new WalletError('wrong-chain', `Your wallet is on chain ${wallet.chainId}, Chimera on chain ${wallet.expectedChainId}: press Switch network first.`);
      }
      const nonce = await api.nonce();
      const message = siweMessage(nonce, address);
      let signature: string;
      try {
        signature = await (await wallet.signer()).signMessage(message);
      } catch (e) {
        if (isRejection(e)) throw new WalletError('rejected', 'You declined the signature, so you are not signed in. Press Sign in to try again.');
        throw e;
      }
      this.me = await api.verify(message, signature);
      this.notice = { kind: 'info', text: `Signed in as ${this.me.address}.` };
    });
  }

  signOut(): Promise<void> {
    return this.step(async () => {
      await api.logout();
      this.me = null;
      this.notice = { kind: 'info', text: 'Signed out.' };
    });
  }

  /** Re-read /api/me (e.g. after a transfer changed the count). */
  async refreshMe(): Promise<void> {
    this.me = await api.me();
    this.emit();
  }
}

export const noWalletText =
  'No Ethereum wallet found in this browser. Install MetaMask (or any EIP-1193 wallet) to sign in, breed and trade; you can still explore every character.';
