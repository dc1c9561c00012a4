// The Chimera contract through ethers v6, with the ABI the service publishes (/api/contract).
// Reads go through whichever provider the session has (a configured RPC URL, else the wallet);
// writes take the wallet's signer. `explain` turns a failure into a sentence a player can act on.

import { Contract, formatEther, type ContractRunner, type Provider, type TransactionReceipt } from 'ethers';
import type { ContractInfo } from './api';
import { isRejection } from './wallet';

/** `characterOf(id)`, the parts the app shows. */
export interface CharacterState {
  generation: number;
  birthBlock: number;
  /** It may breed again from this block on. */
  cooldownEndBlock: number;
  matronId: number;
  sireId: number;
}

/** `pendingBirth(id)`. */
export interface PendingBirth {
  matronId: number;
  sireId: number;
  owner: string;
  birthBlock: number;
  fee: bigint;
  /** 0 until hatched. */
  childId: number;
}

/** What `breed` emitted: the pending birth to watch. */
export interface BreedRequest {
  pendingId: number;
  birthBlock: number;
  block: number;
  txHash: string;
}

/** Cooldown steps in the contract (`COOLDOWN_STEPS`): the index stops growing at the last. */
export const COOLDOWN_STEPS = 14;

export class Chain {
  /** The read-only contract. */
  readonly contract: Contract;

  constructor(readonly info: ContractInfo, readonly provider: Provider) {
    this.contract = new Contract(info.address, info.abi as never, provider);
  }

  /** The same contract, sending through `runner` (a signer). */
  withSigner(runner: ContractRunner): Contract {
    return new Contract(this.info.address, this.info.abi as never, runner);
  }

  blockNumber(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  async characterOf(id: number): Promise<CharacterState> {
    const c = await this.contract.getFunction('characterOf')(id);
    return {
      generation: Number(c.generation),
      birthBlock: Number(c.birthBlock),
      cooldownEndBlock: Number(c.cooldownEndBlock),
      matronId: Number(c.matronId),
      sireId: Number(c.sireId),
    };
  }

  async birthFee(): Promise<bigint> {
    return (await this.contract.getFunction('birthFee')()) as bigint;
  }

  async cooldownBlocks(index: number): Promise<number> {
    return Number(await this.contract.getFunction('cooldownBlocks')(index));
  }

  async sireAllowedTo(id: number): Promise<string> {
    return (await this.contract.getFunction('sireAllowedTo')(id)) as string;
  }

  async pendingBirth(id: number): Promise<PendingBirth> {
    const p = await this.contract.getFunction('pendingBirth')(id);
    return {
      matronId: Number(p.matronId),
      sireId: Number(p.sireId),
      owner: p.owner as string,
      birthBlock: Number(p.birthBlock),
      fee: p.fee as bigint,
      childId: Number(p.childId),
    };
  }

  /** Seconds per block over the last `span` blocks, or null on a fresh chain. */
  async secondsPerBlock(span = 20): Promise<number | null> {
    const latest = await this.provider.getBlock('latest');
    if (!latest || latest.number < 2) return null;
    const earlier = await this.provider.getBlock(Math.max(0, latest.number - span));
    if (!earlier || earlier.number === latest.number) return null;
    return (latest.timestamp - earlier.timestamp) / (latest.number - earlier.number);
  }

  /** The `BreedRequested` in a breed transaction's receipt. */
  breedRequestIn(receipt: TransactionReceipt): BreedRequest {
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== this.info.address.toLowerCase()) continue;
      const parsed = this.contract.interface.parseLog(log);
      if (parsed?.name === 'BreedRequested') {
        return {
          pendingId: Number(parsed.args.pendingId),
          birthBlock: Number(parsed.args.birthBlock),
          block: receipt.blockNumber,
          txHash: receipt.hash,
        };
      }
    }
    throw new Error(`transaction ${receipt.hash} has no BreedRequested event`);
  }

  /** A contract failure as a sentence. */
  explain(e: unknown): string {
    if (isRejection(e)) return 'You declined the transaction in your wallet; nothing was sent.';
    const err = e as { revert?: { name: string; args: unknown[] }; data?: unknown; info?: { error?: { data?: unknown } }; shortMessage?: string; message?: string };
    let revert = err?.revert;
    const data = err?.data ?? err?.info?.error?.data;
    if (!revert && typeof data === 'string' && data.startsWith('0x') && data.length >= 10) {
      try {
        const parsed = this.contract.interface.parseError(data);
        if (parsed) revert = { name: parsed.name, args: [...parsed.args] };
      } catch {
        // not one of ours
      }
    }
    if (revert) return explainRevert(revert.name, revert.args);
    return err?.shortMessage ?? err?.message ?? String(e);
  }
}

function explainRevert(name: string, args: unknown[]): string {
  const a = args.map((x) => (typeof x === 'bigint' ? x : String(x)));
  switch (name) {
    case 'CoolingDown':
      return `#${a[0]} is resting after its last birth until block ${a[1]}.`;
    case 'NotOwner':
      return `You do not own #${a[0]}.`;
    case 'SiringNotApproved':
      return `#${a[0]}'s owner has not approved you (${a[1]}) to breed with it.`;
    case 'SelfBreeding':
      return `#${a[0]} cannot breed with itself.`;
    case 'ParentChildBreeding':
      return `#${a[0]} and #${a[1]} are parent and child: they cannot breed.`;
    case 'WrongBirthFee':
      return `The birth fee is ${formatEther(a[0] as bigint)} ETH, but ${formatEther(a[1] as bigint)} ETH was sent.`;
    case 'UnknownToken':
    case 'ERC721NonexistentToken':
      return `There is no #${a[0]}.`;
    case 'ERC721IncorrectOwner':
      return `#${a[1]} belongs to ${a[2]}, not ${a[0]}.`;
    case 'ERC721InvalidReceiver':
      return `${a[0]} cannot receive characters.`;
    case 'BirthNotReady':
      return `Pending birth ${a[0]} cannot hatch before block ${Number(a[1]) + 1}.`;
    case 'AlreadyHatched':
      return `Pending birth ${a[0]} already hatched as #${a[1]}.`;
    default:
      return `The contract refused: ${name}(${a.join(', ')}).`;
  }
}

/** `0.01 ETH`, trimmed. */
export function eth(wei: bigint): string {
  const text = formatEther(wei);
  const [whole, frac = ''] = text.split('.');
  const trimmed = frac.replace(/0+$/, '').slice(0, 6);
  return `${whole}${trimmed ? `.${trimmed}` : ''} ETH`;
}
